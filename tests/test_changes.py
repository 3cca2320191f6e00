"""`geo.changes` and `python -m geo changes`: what changed between two points of the store's history.

Two vintages of the real ACLED export are built at test time (`vintage_scenario`): known additions (recent
and old dates), revisions of every kind, a deletion batch and a rolled-back batch. Every count is checked
exactly: the totals against the scenario, every row against an independent computation in pandas from the
files themselves, the figures at both points against `aggregate` of stores holding only those batches, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import vintage_scenario as vs
from helpers import ACLED_REAL, BACKENDS, needs_real_data, new_store_url

from geo.aggregate import aggregate_store
from geo.boundaries import load_boundary_set
from geo.changes import CHANGE_COLUMNS, DETAIL_COLUMNS, EVENT_COLUMNS, TOTAL_KEYS, batch_extents, compute_changes
from geo.cli import main
from geo.errors import AtlasError
from geo.filters import period_labels
from geo.ingest import ingest_files, rollback_batch
from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE
from geo.places import compute_units
from geo.readers import read_events
from geo.schema import content_hash
from geo.store import Store

DEFAULT_SET = "ocha-geoboundaries"
ROW = ["period", "unit_code", "country_iso3"]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    """The vintages of the real export (every test of it skips, saying why, without ../shared; the data-free tests run)."""
    if not ACLED_REAL.exists():
        pytest.skip(needs_real_data.kwargs["reason"])
    return vs.build_on_real_export(tmp_path_factory.mktemp("vintages"))


@pytest.fixture(scope="module", params=BACKENDS)
def history(request, scenario, tmp_path_factory):
    """The scenario's store, built once per backend (tests only read it)."""
    home = tmp_path_factory.mktemp("changes-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ATLAS_HOME", str(home))
        mp.setenv("ATLAS_USER", "tester")
        mp.delenv("ATLAS_DB_URL", raising=False)
        url, drop = new_store_url(request.param, tmp_path_factory.mktemp("changes-store"))
        store = vs.build_history(Store(url), scenario)
    yield store
    store.dispose()
    drop()


# ---------------------------------------------------------------------------------------------- an oracle


def _state(s: vs.Scenario, upto: int) -> pd.DataFrame:
    """The events the store holds after batch `upto`, replayed in pandas from the files (no store involved)."""
    if upto == 0:
        return read_events(s.v1).events.iloc[0:0]
    state = read_events(s.v1).events
    if upto >= 2:
        update = read_events(s.v2).events
        state = pd.concat([state[~state["event_id"].isin(update["event_id"])], update], ignore_index=True)
    if upto >= 3:
        gone = set(s.deletions.read_text().split()[1:])
        state = state[~state["event_id"].isin(gone)]
    return state.reset_index(drop=True)


def _rows(state: pd.DataFrame, boundary_set, level: str, period: str) -> pd.DataFrame:
    placed = compute_units(state, boundary_set, tolerance_m=5000)
    unit = placed[f"{level}_code"]
    special = unit.isin([OUTSIDE_CODE, UNALLOCATED_CODE])
    return pd.DataFrame({
        "event_id": state["event_id"].to_numpy(), "event_date": state["event_date"].to_numpy(),
        "period": period_labels(state["event_date"], period).to_numpy(), "unit_code": unit.to_numpy(),
        "country": np.where(special, placed["country_iso3"], "").astype(object),
        "fatalities": state["fatalities"].to_numpy(), "hash": content_hash(state).to_numpy(),
        "event_type": state["event_type"].to_numpy(), "lat": state["latitude"].to_numpy(), "lon": state["longitude"].to_numpy(),
    })


def oracle(s: vs.Scenario, since: int, until: int, boundary_set, level: str, period: str) -> pd.DataFrame:
    """Every row of the change table, computed from the files in pandas, independently of the store's SQL."""
    a = _rows(_state(s, since), boundary_set, level, period)
    b = _rows(_state(s, until), boundary_set, level, period)
    cutoff = a["event_date"].max() if len(a) else None
    m = a.merge(b, on="event_id", how="outer", suffixes=("_a", "_b"), indicator=True)
    added, deleted = m["_merge"] == "right_only", m["_merge"] == "left_only"
    revised = (m["_merge"] == "both") & (m["hash_a"] != m["hash_b"])
    late = added & (m["event_date_b"] <= cutoff) if cutoff is not None else pd.Series(False, index=m.index)
    moved = revised & ((m["period_a"] != m["period_b"]) | (m["unit_code_a"] != m["unit_code_b"]) | (m["country_a"] != m["country_b"]))
    relocated = revised & ((m["lat_a"] != m["lat_b"]) | (m["lon_a"] != m["lon_b"]))
    # A row is that of the event at the end point (a deleted event: at the start point).
    end_row = ~deleted
    key = {c: np.where(end_row, m[f"{c}_b"], m[f"{c}_a"]) for c in ("period", "unit_code", "country")}
    fat_a, fat_b = m["fatalities_a"].fillna(0), m["fatalities_b"].fillna(0)
    per_event = pd.DataFrame({
        "period": key["period"], "unit_code": key["unit_code"], "country_iso3": key["country"],
        "events_before": (m["_merge"] != "right_only").astype(int), "events_after": (m["_merge"] != "left_only").astype(int),
        "new": (added & ~late).astype(int), "backfilled": late.astype(int), "revised": revised.astype(int),
        "deleted": deleted.astype(int),
        "fatalities_before": fat_a, "fatalities_after": fat_b,
        "fatalities_revised_delta": np.where(revised, fat_b - fat_a, 0),
        "revised_fatalities": (revised & (fat_a != fat_b)).astype(int),
        "revised_date": (revised & (m["event_date_a"] != m["event_date_b"])).astype(int),
        "revised_type": (revised & (m["event_type_a"] != m["event_type_b"])).astype(int),
        "relocated": relocated.astype(int),
        "relocated_other_unit": (relocated & (m["unit_code_a"] != m["unit_code_b"])).astype(int),
        "moved_in": moved.astype(int),
        "fatalities_new": np.where(added & ~late, fat_b, 0), "fatalities_backfilled": np.where(late, fat_b, 0),
        "fatalities_deleted": np.where(deleted, fat_a, 0),
        "events_revised_delta": 0,  # a revised event is still one event (only aggregates' revisions change counts)
    })
    table = per_event.groupby(ROW, as_index=False).sum()
    # Moved out, and the start figures: where each event lay at the start point.
    start = pd.DataFrame({"period": m["period_a"], "unit_code": m["unit_code_a"], "country_iso3": m["country_a"],
                          "events_start_figure": (m["_merge"] != "right_only").astype(int), "fatalities_start_figure": fat_a,
                          "moved_out": moved.astype(int)})[m["_merge"] != "right_only"]
    table = table.merge(start.groupby(ROW, as_index=False).sum(), on=ROW, how="outer").fillna(0)
    return table


def _compare(report_rows: pd.DataFrame, expected: pd.DataFrame, units) -> None:
    got = report_rows.copy()
    special = got["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])
    got["country_iso3"] = got["country_iso3"].where(special, "")
    numeric = [c for c in CHANGE_COLUMNS + DETAIL_COLUMNS if c not in ("source", "level", "country_iso3", "unit_code", "unit_name", "period")]
    got = got.set_index(ROW)[numeric].sort_index()
    want = expected.set_index(ROW)[numeric].astype("int64").sort_index()
    assert list(got.index) == list(want.index)
    pd.testing.assert_frame_equal(got, want, check_dtype=False)


# ---------------------------------------------------------------------------------------------- exact counts


def test_totals_are_exact(history, scenario):
    ocha = load_boundary_set(DEFAULT_SET)
    report = compute_changes(history, ocha, since="1")
    expected = vs.expected_totals(scenario)
    assert {k: report.totals[k] for k in expected} == expected
    assert report.since.batch_id == 1 and report.until.batch_id == 3  # batch 4 was rolled back
    assert report.last_date_before == "2020-07-20"
    totals = report.totals
    assert totals["events_after"] - totals["events_before"] == totals["new"] + totals["backfilled"] - totals["deleted"]
    assert totals["moved"] == len(scenario.far) + len(scenario.new_year)  # into another unit, or another year


@pytest.mark.parametrize(("since", "until", "level", "period"), [
    (1, 3, "admin1", "year"), (1, 2, "admin2", "month"), (2, 3, "admin1", "quarter"), (0, 1, "admin1", "year"),
])
def test_every_row_equals_an_independent_count_from_the_files(history, scenario, since, until, level, period):
    ocha = load_boundary_set(DEFAULT_SET)
    report = compute_changes(history, ocha, since=str(since), until=str(until), level=level, period=period)
    _compare(report.rows, oracle(scenario, since, until, ocha, level, period), ocha)
    rows = report.rows
    assert (rows["events_after"] - rows["events_before"] == rows["new"] + rows["backfilled"] - rows["deleted"]).all()
    assert (rows["fatalities_after"] - rows["fatalities_before"] == rows["fatalities_new"] + rows["fatalities_backfilled"]
            - rows["fatalities_deleted"] + rows["fatalities_revised_delta"]).all()
    assert (rows["events_start_figure"] == rows["events_before"] - rows["moved_in"] + rows["moved_out"]).all()


def test_the_figures_at_both_points_are_those_aggregate_gives_there(history, scenario, tmp_path):
    """A store holding only batch 1 aggregates to the start figures; the store now to the end figures."""
    ocha = load_boundary_set(DEFAULT_SET)
    report = compute_changes(history, ocha, since="1", level="admin2")
    replay = vs.build_history(Store(f"sqlite:///{tmp_path / 'v1.sqlite'}"), scenario, upto=1)
    for store, column in ((replay, "events_start_figure"), (history, "events_after")):
        table = aggregate_store(store, ocha, level="admin2", include_empty=False)
        table = table[table["events"] > 0].set_index(["period", "unit_code", "country_iso3"])["events"].sort_index()
        figures = report.rows[report.rows[column] > 0].set_index(["period", "unit_code", "country_iso3"])[column].sort_index()
        pd.testing.assert_series_equal(figures, table, check_names=False, check_dtype=False)
    fat = aggregate_store(history, ocha, level="admin2", include_empty=False)
    assert int(fat["fatalities"].sum()) == int(report.rows["fatalities_after"].sum()) == report.totals["fatalities_after"]


def test_points_named_by_date_and_the_defaults(history, scenario):
    ocha = load_boundary_set(DEFAULT_SET)
    by_date = compute_changes(history, ocha, since="2020-07-30", until="2020-08-05")  # after batch 1, after batch 2
    by_id = compute_changes(history, ocha, since="1", until="2")
    assert (by_date.since.batch_id, by_date.until.batch_id) == (1, 2)
    assert by_date.totals == by_id.totals
    pd.testing.assert_frame_equal(by_date.rows, by_id.rows)
    assert by_id.totals["new"] == len(scenario.recent) and by_id.totals["deleted"] == 0
    # Default: just before the latest committed batch (3: batch 4 was rolled back), against now.
    default = compute_changes(history, ocha)
    assert (default.since.batch_id, default.until.batch_id) == (2, 3)
    assert default.totals["deleted"] == len(scenario.gone) + 2 and default.totals["new"] == default.totals["revised"] == 0
    # --until alone: the changes made by that batch.
    assert compute_changes(history, ocha, until="2").since.batch_id == 1
    # Before the first batch: everything is new (no date held yet to be late against).
    first = compute_changes(history, ocha, since="2020-07-01", until="1")
    assert first.since.batch_id == 0 and first.last_date_before is None
    assert first.totals["new"] == first.totals["events_after"] and first.totals["backfilled"] == 0
    same = compute_changes(history, ocha, since="3", until="2020-08-11")
    assert all(same.totals[k] == 0 for k in TOTAL_KEYS) and same.totals["events_before"] == same.totals["events_after"]


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "9"], "there is no batch 9"),
    (["--since", "4"], "batch 4 was rolled back"),
    (["--until", "4"], "batch 4 was rolled back"),
    (["--since", "3", "--until", "2"], "the start point must come first"),
    (["--since", "2020-08-11", "--until", "2020-08-04"], "the start point must come first"),
    (["--since", "2020-02-30"], "is not a valid date"),
    (["--since", "last week"], "neither a batch id nor a date"),
])
def test_bad_points_exit_1_with_one_line(history, capsys, args, message):
    assert main(["changes", "--db", history.url, *args]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: ") and message in err[0], err


def test_cli_csv_and_json_give_the_report(history, scenario, tmp_path, capsys):
    ocha = load_boundary_set(DEFAULT_SET)
    report = compute_changes(history, ocha, since="1", level="admin2", period="quarter")
    out = tmp_path / "changes.csv"
    assert main(["changes", "--db", history.url, "--since", "1", "--level", "admin2", "--period", "quarter", "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"period": str, "country_iso3": str}, keep_default_na=False)
    assert list(table.columns[: len(CHANGE_COLUMNS)]) == CHANGE_COLUMNS
    assert len(table) == len(report.rows)
    for column in ("events_before", "events_after", "new", "backfilled", "revised", "deleted", "fatalities_revised_delta"):
        assert table[column].tolist() == report.rows[column].tolist()
    assert ((table["events_after"] - table["events_before"]) == table["new"] + table["backfilled"] - table["deleted"]).all()
    capsys.readouterr()
    assert main(["changes", "--db", history.url, "--since", "1", "--json"]) == 0
    totals = json.loads(capsys.readouterr().out)
    assert list(totals)[: len(TOTAL_KEYS)] == TOTAL_KEYS
    assert {k: totals[k] for k in vs.expected_totals(scenario)} == vs.expected_totals(scenario)
    assert totals["since"]["batch_id"] == 1 and totals["until"]["batch_id"] == 3
    # --changed-only keeps the rows where something changed, and every change.
    assert main(["changes", "--db", history.url, "--since", "1", "--changed-only", "--out", str(out)]) == 0
    changed = pd.read_csv(out)
    assert int(changed["new"].sum()) == totals["new"] and int(changed["deleted"].sum()) == totals["deleted"]
    assert len(changed) < totals["rows"]


def test_every_changed_event_is_listed_with_its_kind(history, scenario, tmp_path):
    ocha = load_boundary_set(DEFAULT_SET)
    report = compute_changes(history, ocha, since="1", events=True)
    listed = report.events
    assert list(listed.columns) == EVENT_COLUMNS
    counts = listed["change"].value_counts().to_dict()
    assert counts == {k: report.totals[k] for k in ("new", "backfilled", "revised", "deleted")}
    by_id = listed.set_index("event_id")
    assert set(by_id.index[by_id["change"] == "backfilled"]) == set(scenario.old)
    assert by_id.loc[scenario.combo, "kinds"] == "fatalities, date"
    assert by_id.loc[scenario.far[0], "kinds"] == "relocated to another unit"
    assert by_id.loc[scenario.near[0], "kinds"] == "relocated"
    assert by_id.loc[scenario.notes[0], "kinds"] == "other fields"
    assert by_id.loc[scenario.types[0], ["event_type_before", "event_type_after"]].tolist() == ["Battles", "Violence against civilians"]
    assert scenario.recent[0] not in by_id.index  # added, then deleted: in neither state
    assert not set(scenario.same) & set(by_id.index)  # repeated unchanged: no change
    out = tmp_path / "events.csv"
    assert main(["changes", "--db", history.url, "--since", "1", "--events", str(out), "--json"]) == 0
    assert len(pd.read_csv(out)) == len(listed)


def test_revised_events_before_and_after_each_changed_field(history, scenario):
    ocha = load_boundary_set(DEFAULT_SET)
    report = compute_changes(history, ocha, since="1", revised_limit=100)
    listed = report.revised_events
    assert listed["event_id"].nunique() == report.totals["revised"]
    combo = listed[listed["event_id"] == scenario.combo].set_index("field")
    assert {"fatalities", "event_date"} <= set(combo.index) and "revision_timestamp" not in combo.index  # (with others only)
    assert int(combo.loc["fatalities", "after"]) - int(combo.loc["fatalities", "before"]) == scenario.combo_delta
    far = listed[listed["event_id"] == scenario.far[0]].set_index("field")
    assert far.loc["admin1 unit", "before"] != far.loc["admin1 unit", "after"]
    assert far.loc["admin1 unit", "before"] == far["unit_before"].iloc[0]
    # The largest change in fatalities comes first.
    first = listed.iloc[0]["event_id"]
    assert first == max(scenario.fatalities, key=lambda k: scenario.fatalities[k])
    row = report.rows[report.rows["revised"] > 0].iloc[0]
    one_unit = compute_changes(history, ocha, since="1", revised_limit=100, revised_unit=row["unit_code"]).revised_events
    assert len(one_unit) and ((one_unit["unit_before"] == row["unit_name"]) | (one_unit["unit_after"] == row["unit_name"])).all()


def test_changes_never_load_every_event(history, scenario, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("loaded every event")

    monkeypatch.setattr(Store, "load_events", refuse)
    with pytest.raises(AssertionError, match="loaded every event"):
        history.load_events()  # the guard is in place
    report = compute_changes(history, load_boundary_set(DEFAULT_SET), since="1", revised_limit=20)
    # ... and the figures came all the same: the totals of the scenario, and the revised events listed.
    expected = vs.expected_totals(scenario)
    assert {k: report.totals[k] for k in expected} == expected
    assert report.totals["revised"] > 0 and 0 < report.revised_events["event_id"].nunique() <= 20  # a row per changed field


def test_an_empty_store_compares_the_sample_and_says_so(tmp_path, capsys):
    assert main(["changes", "--db", str(tmp_path / "empty.sqlite"), "--json"]) == 0
    captured = capsys.readouterr()
    assert "SYNTHETIC SAMPLE" in captured.err
    totals = json.loads(captured.out)
    assert totals["source"] == "sample" and totals["new"] == totals["events_after"] > 0


def test_rolled_back_batches_are_not_history(scenario, tmp_path):
    """Rolling back batch 3 gives the same changes as never having applied it."""
    ocha = load_boundary_set(DEFAULT_SET)
    store = vs.build_history(Store(f"sqlite:///{tmp_path / 'r.sqlite'}"), scenario, upto=3)
    rollback_batch(store, 3)
    with pytest.raises(AtlasError, match="rolled back"):
        compute_changes(store, ocha, since="3")
    after = compute_changes(store, ocha, since="1")
    expected = compute_changes(vs.build_history(Store(f"sqlite:///{tmp_path / 'r2.sqlite'}"), scenario, upto=2), ocha, since="1")
    assert after.totals == expected.totals
    pd.testing.assert_frame_equal(after.rows, expected.rows)



def test_extents_kept_from_an_older_data_version_are_read_again(scenario, tmp_path):
    ocha = load_boundary_set(DEFAULT_SET)
    store = vs.build_history(Store(f"sqlite:///{tmp_path / 'x.sqlite'}"), scenario, upto=1)
    stale = batch_extents(store, "acled")
    ingest_files([scenario.v2], store)
    kept = compute_changes(store, ocha, since="1", extents=stale)
    assert kept.totals == compute_changes(store, ocha, since="1").totals
    assert kept.totals["new"] == len(scenario.recent) and kept.totals["backfilled"] == len(scenario.old)


def test_the_pipeline_module_loads_no_figure_code():
    import subprocess
    import sys

    from helpers import REPO

    code = "import sys, geo.changes; print(' '.join(sorted(n for n in sys.modules if n.split('.')[0] in ('plotly', 'folium', 'streamlit') or n.startswith('geo.figures'))))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""
