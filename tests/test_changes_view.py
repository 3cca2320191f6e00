"""The Changes view of the Map and Trends pages: its view model (`ui.changes`, without Streamlit), its words,
and the pages under AppTest, whose figures must be those of `python -m geo changes` — on SQLite and
PostgreSQL, with the two real-data vintages of `vintage_scenario`."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pandas as pd
import pytest
import vintage_scenario as vs
from helpers import BACKENDS, REPO, needs_real_data, new_store_url

from geo.boundaries import load_boundary_set
from geo.changes import compute_changes
from geo.cli import main
from geo.figures.changes import change_bars, change_map
from geo.figures.geometry import display_units
from geo.store import Store
from ui import changes

DEFAULT_SET = "ocha-geoboundaries"


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    return vs.build_on_real_export(tmp_path_factory.mktemp("vintages"))


@pytest.fixture(scope="module", params=BACKENDS)
def history(request, scenario, tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ATLAS_HOME", str(tmp_path_factory.mktemp("view-home")))
        mp.delenv("ATLAS_DB_URL", raising=False)
        url, drop = new_store_url(request.param, tmp_path_factory.mktemp("view-store"))
        store = vs.build_history(Store(url), scenario)
    yield store
    store.dispose()
    drop()


# ---------------------------------------------------------------------------------------------- words


def _row(**values):
    base = {"change": 0, "new": 0, "backfilled": 0, "revisions": 0, "deleted": 0, "revised_events": 0}
    base.update(values)
    base["change"] = base["new"] + base["backfilled"] + base["revisions"] + base["deleted"]
    return SimpleNamespace(**base)


@pytest.mark.parametrize(("values", "words"), [
    ({"new": 2, "backfilled": 30}, "Rise of 32 events: mostly backfill — late reports of older events (30 events dated on or before 20 Jul 2020), not new violence"),
    ({"new": 1, "revisions": 5}, "Rise of 6 events: mostly revisions"),
    ({"new": 4, "backfilled": 3, "revisions": 3}, "Rise of 10 events: mostly backfill and revisions (3 events late, 3 events revised)"),
    ({"new": 9, "backfilled": 1}, "Rise of 10 events: mostly new events (9 of 10 added)"),
    ({"new": 5}, "Rise of 5 events: all new events"),
    ({"deleted": -4, "revisions": -1}, "Fall of 5 events: mostly deletions"),
    ({"deleted": -1, "revisions": -3}, "Fall of 4 events: mostly revisions"),
    ({"new": 2, "deleted": -2}, "no net change"),
])
def test_a_rise_made_of_backfill_or_revisions_is_said_in_words(values, words):
    label = changes.change_label(_row(**values), "events", cutoff="2020-07-20")
    assert label.startswith(words), label
    if words.startswith("Rise") and ("backfill" in words or "revisions" in words):
        assert label.endswith("not new violence")


def test_why_and_the_split_add_up():
    row = _row(new=2, backfilled=30, revisions=-1, deleted=-3, revised_events=4)
    assert changes.why_text(row, "events") == "+2 new, +30 backfill, −1 moved away by revisions, −3 deleted"
    assert changes.why_text(_row(revised_events=3), "events") == "3 revised in place"


def test_points_offered_are_the_committed_batches():
    batches = pd.DataFrame({"batch_id": [1, 2, 3], "status": ["committed", "rolled_back", "committed"],
                            "created_at": ["2020-07-25T09:00:00+00:00"] * 3, "file_names": ["a.csv", "b.csv", "c.csv"]})
    starts, ends, labels = changes.point_choices(batches)
    assert starts == ["", "3", "1", "0"] and ends == ["", "3", "1"]
    assert labels["1"].startswith("After batch 1 · a.csv") and "2" not in labels


# ---------------------------------------------------------------------------------------------- view model


@needs_real_data
@pytest.mark.parametrize("metric", ["events", "fatalities"])
def test_the_split_by_kind_adds_up_to_the_change_in_every_unit(history, scenario, metric):
    ocha = load_boundary_set(DEFAULT_SET)
    report = compute_changes(history, ocha, since="1")
    units = changes.unit_changes(changes.selected_rows(report), metric, cutoff=report.last_date_before)
    assert (units["change"] == units["new"] + units["backfilled"] + units["revisions"] + units["deleted"]).all()
    assert (units["change"] == units["after"] - units["before"]).all()
    prefix = "events" if metric == "events" else "fatalities"
    assert int(units["after"].sum()) == report.totals[f"{prefix}_after"]
    assert int(units["before"].sum()) == report.totals[f"{prefix}_before"]
    if metric == "events":
        assert int(units["new"].sum()) == report.totals["new"] and int(units["backfilled"].sum()) == report.totals["backfilled"]
        assert int(-units["deleted"].sum()) == report.totals["deleted"]
        assert int(units["revisions"].sum()) == 0  # moves between units cancel out over the whole area
        assert int(units["revised_events"].sum()) == report.totals["revised"]
    else:
        assert int(units["revisions"].sum()) == report.totals["fatalities_revised_delta"]
    # Events relocated into another unit (or dated into another year) raise one row by revisions, lower another.
    assert (units["revisions"] > 0).any() and (units["revisions"] < 0).any()
    periods = changes.period_changes(changes.selected_rows(report), metric)
    assert int(periods["change"].sum()) == int(units["change"].sum())


@needs_real_data
def test_the_figures_draw_without_a_server(history):
    ocha = load_boundary_set(DEFAULT_SET)
    report = compute_changes(history, ocha, since="1", level="admin2")
    units = changes.unit_changes(changes.selected_rows(report, years=(2019, 2019)), "events")
    shown = display_units(ocha, "admin2")
    figure = change_map(shown, display_units(ocha, "admin2", tolerance_deg=0.05), units, metric_label="Events", title="t", caption="c")
    assert len(figure.data) == 5 and [t.name for t in figure.data] == ["change", "new", "backfilled", "revisions", "deleted"]
    net = dict(zip(figure.data[0].locations, figure.data[0].z))
    by_unit = units.set_index("unit_code")["change"]
    assert all(net[code] == by_unit.get(code, 0) for code in shown["unit_code"])
    assert len(figure.to_json()) < 900_000  # the page's payload budget is 1 MB per rerun
    bars = change_bars(changes.period_changes(changes.selected_rows(report), "events"), metric_label="Events", title="t", caption="c")
    assert [t.name for t in bars.data][:4] == ["New events", "Backfill (late reports)", "Revisions", "Deletions"]


# ---------------------------------------------------------------------------------------------- pages


def _app(history, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("ATLAS_DB_URL", history.url)
    return AppTest.from_file(str(REPO / "app.py"), default_timeout=180)


def _metric(at, label: str) -> int:
    value = next(m for m in at.metric if m.label.startswith(label)).value
    return int(str(value).replace(",", "").replace("+", "").replace("−", "-"))


@needs_real_data
def test_the_map_page_shows_the_figures_of_the_command_line(history, scenario, monkeypatch, navigation_only, capsys, tmp_path):
    def refuse(*args, **kwargs):
        raise AssertionError("the Changes view loaded every event")

    monkeypatch.setattr(Store, "load_events", refuse)
    at = _app(history, monkeypatch)
    at.query_params["view"] = "changes"
    at.query_params["since"] = "1"
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.radio(key="chg_map_years").set_value("all").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.startswith("What changed: events per region, all years")
    capsys.readouterr()
    assert main(["changes", "--db", history.url, "--since", "1", "--json", "--out", str(tmp_path / "c.csv")]) == 0
    totals = json.loads(capsys.readouterr().out)
    assert _metric(at, "New events") == totals["new"] == vs.expected_totals(scenario)["new"]
    assert _metric(at, "Backfill") == totals["backfilled"]
    assert _metric(at, "Deletions") == -totals["deleted"]
    assert _metric(at, "Revised events") == totals["revised"]
    assert _metric(at, "Events, all years") == totals["events_after"]
    headline = next(m.value for m in at.markdown if "In the whole store" in m.value)
    assert f"{totals['new']:,} new events" in headline and f"{totals['revised']:,} revised" in headline
    # The table of units that moved most: each row is the command line's rows of that unit, summed.
    table = at.dataframe[0].value
    csv = pd.read_csv(tmp_path / "c.csv", keep_default_na=False)
    per_unit = csv[csv["unit_code"].str[0] != "_"].groupby("unit_name")[
        ["events_start_figure", "events_after", "new", "backfilled", "deleted", "moved_in", "moved_out"]].sum()
    assert len(table) > 0
    assert set(table["unit"]) <= set(per_unit.index)  # every unit the page lists is in the command line's table
    for row in table.itertuples(index=False):
        cli = per_unit.loc[row.unit]
        assert (row.before, row.after, row.new, row.backfilled, row.deleted, row.revisions) == (
            cli.events_start_figure, cli.events_after, cli.new, cli.backfilled, -cli.deleted, cli.moved_in - cli.moved_out)
    revised = at.dataframe[1].value
    assert revised["event_id"].nunique() == totals["revised"]
    # The URL keeps the points.
    assert at.query_params["view"] in ("changes", ["changes"]) and at.query_params["since"] in ("1", ["1"])


@needs_real_data
def test_the_trends_page_has_a_changes_section(history, scenario, monkeypatch, navigation_only):
    at = _app(history, monkeypatch)
    at.run()
    at.switch_page("pages/trends.py").run()
    at.radio(key="w_trends_show").set_value("changes").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.startswith("What changed")
    # Default: just before the latest batch (the deletions of batch 3; batch 4 was rolled back).
    assert _metric(at, "Deletions") == -5 and _metric(at, "New events") == 0
    at.selectbox(key="chg_trends_since").set_value("1").run()
    assert not at.exception
    assert _metric(at, "New events") == vs.expected_totals(scenario)["new"]
    assert _metric(at, "Backfill") == vs.expected_totals(scenario)["backfilled"]
    at.radio(key="chg_trends_metric").set_value("fatalities").run()
    assert not at.exception and at.title[0].value.startswith("What changed: fatalities")
