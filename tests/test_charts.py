"""Charts: animation frames share one colour range, offline map style, no-data units, folding into
"Other", continuous periods, guarded percent changes, rankings, captions, actors and latest events."""

from __future__ import annotations

import math
import re
from datetime import date

import numpy as np
import pandas as pd
import pytest

from geo import charts
from geo.aggregate import aggregate
from geo.boundaries import load_boundary_set
from geo.dataset import load_sample
from geo.display import display_units

CAPTION = "Source: ACLED (event store, data as of 2026-11-25) · Filters: 2019; Political violence · Made 2026-11-25"


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def ne():
    return load_boundary_set("natural-earth")


@pytest.fixture(scope="module")
def units(ne):
    return display_units(ne, "admin1")


@pytest.fixture(scope="module")
def table(sample, ne):
    return aggregate(sample, ne)


def _layout_texts(fig) -> str:
    """Every text a screenshot of the figure shows outside the plot: title, subtitle, annotations."""
    layout = fig.layout
    parts = [layout.title.text or "", layout.title.subtitle.text or ""]
    parts += [a.text or "" for a in layout.annotations]
    text = " ".join(parts).replace("<br>", " ")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text))


def _map(units, table, **kwargs):
    options = {"metric": "events", "metric_label": "Events", "title": "Events per region", "caption": CAPTION}
    return charts.animated_choropleth(units, table, **{**options, **kwargs})


def test_caption_line():
    text = charts.caption("ACLED (event store)", "2019; Political violence", "2026-11-25", made=date(2026, 11, 25))
    assert text == ("Source: ACLED (event store, data as of 2026-11-25) · Filters: 2019; Political violence · "
                    "Made 2026-11-25 with the Central Sahel violence atlas")
    assert charts.caption("UCDP GED", "", "2025-01-01", made=date(2026, 1, 2)).startswith(
        "Source: UCDP GED (data as of 2025-01-01) · Filters: none · Made 2026-01-02")
    credited = charts.caption("ACLED", "2019", "2026-11-25", made=date(2026, 11, 25), boundaries=load_boundary_set().attribution)
    assert credited == ("Source: ACLED (data as of 2026-11-25) · Filters: 2019 · Boundaries: OCHA COD-AB (CC BY-IGO), "
                        "geoBoundaries (CC BY 4.0) · Made 2026-11-25 with the Central Sahel violence atlas")


def test_animation_has_one_frame_per_period_and_one_colour_range(units, table):
    fig = _map(units, table)
    periods = sorted(table["period"].unique())
    assert [f.name for f in fig.frames] == periods
    assert fig.layout.map.style == "white-bg"
    assert fig.layout.coloraxis.cmin == 0
    assert fig.layout.coloraxis.cmax == table["events"].max()
    for frame in fig.frames:
        # Frames change only data: no frame sets its own colour range or layout.
        assert frame.layout.to_plotly_json() == {}
        data = frame.data[1]
        assert data.coloraxis in (None, "coloraxis")
        assert max(data.z) <= fig.layout.coloraxis.cmax
    assert fig.data[1].coloraxis == "coloraxis"
    assert fig.data[1].featureidkey == "properties.unit_code"
    assert [s.label for s in fig.layout.sliders[0].steps] == periods
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["▶ Play", "❚❚ Pause"]
    assert all(f.traces == (0, 1) for f in fig.frames)


def test_map_is_centred_on_the_units_and_small(units, table):
    fig = _map(units, table)
    west, south, east, north = units.total_bounds
    assert west < fig.layout.map.center.lon < east and south < fig.layout.map.center.lat < north
    assert 2 < fig.layout.map.zoom < 6
    # Geometry sits once per trace; frames carry only values and hover texts.
    assert len(fig.to_json()) < 600_000
    assert "geojson" not in fig.frames[0].data[1].to_plotly_json()


def test_no_data_units_are_drawn_in_grey(units, table):
    # Mopti has no row in 2016 and Gao no value in 2017: both are "no data" there, unlike zero.
    gap = table[~((table["unit_code"] == "ML-5") & (table["period"] == "2016"))].copy()
    gap["events"] = gap["events"].astype("float64")
    gap.loc[(gap["unit_code"] == "ML-7") & (gap["period"] == "2017"), "events"] = np.nan
    fig = _map(units, gap)
    frames = {f.name: f for f in fig.frames}
    assert list(frames["2016"].data[0].locations) == ["ML-5"]
    assert list(frames["2017"].data[0].locations) == ["ML-7"]
    assert frames["2015"].data[0].locations == ()
    assert "ML-5" in frames["2015"].data[1].locations
    for frame in fig.frames:  # every unit is drawn in every frame, with a value or as no data
        assert sorted([*frame.data[0].locations, *frame.data[1].locations]) == sorted(units["unit_code"])
    assert fig.data[0].colorscale[0][1] == charts.NO_DATA_COLOUR
    assert "no data" in _layout_texts(fig)
    # Zero stays a value (palest colour), not no data.
    zero = table[(table["period"] == "2015") & (table["events"] == 0)]["unit_code"]
    assert set(zero) <= set(frames["2015"].data[1].locations)


def test_special_rows_are_left_out_of_the_map(units, table):
    special = table.iloc[:2].assign(unit_code=["_OUTSIDE", "_UNALLOCATED"], events=[10_000, 10_000])
    fig = _map(units, pd.concat([table, special], ignore_index=True))
    assert fig.layout.coloraxis.cmax == table["events"].max()
    assert not any(code.startswith("_") for f in fig.frames for code in f.data[1].locations)


def test_log_colours_with_ticks_in_original_units(units, table):
    fig = _map(units, table, metric="fatalities", metric_label="Fatalities", log=True)
    top = table["fatalities"].max()
    assert fig.layout.coloraxis.cmax == pytest.approx(math.log10(1 + top))
    bar = fig.layout.coloraxis.colorbar
    assert bar.ticktext[:4] == ("0", "1", "3", "10")
    assert bar.tickvals[2] == pytest.approx(math.log10(4))
    first = fig.frames[0].data[1]
    raw = table[table["period"] == fig.frames[0].name].set_index("unit_code")["fatalities"]
    code = first.locations[1]
    assert first.z[1] == pytest.approx(math.log10(1 + raw[code]), abs=1e-4)
    assert first.customdata[1][2] == f"{raw[code]:,}"  # hover in original units


def test_map_refuses_mixed_sources_and_explains_empty_figures(units, table):
    with pytest.raises(ValueError, match="sources"):
        _map(units, pd.concat([table, table.assign(source="ucdp")], ignore_index=True))
    empty = _map(units, table.iloc[:0])
    assert empty.frames == () and "No figures" in _layout_texts(empty)
    no_values = _map(units, table, metric="fatalities_low", metric_label="Fatalities (low)")
    assert "No values" in _layout_texts(no_values)


def _long(rows):
    return pd.DataFrame(rows, columns=["period", "group", "value"])


def test_trend_folds_small_groups_into_other_and_fills_missing_periods():
    rows = [(p, f"g{i}", i + 1) for p in ("2015", "2016", "2018") for i in range(11)]
    fig = charts.trend_chart(_long(rows), by="group", metric="value", metric_label="Events", title="T", caption=CAPTION, top_n=8)
    names = [t.name for t in fig.data]
    assert names == [f"g{i}" for i in range(10, 2, -1)] + ["Other"]
    other = fig.data[-1]
    assert list(other.x) == ["2015", "2016", "2017", "2018"]
    assert list(other.y) == [1 + 2 + 3, 6, 0, 6]  # 2017 has no rows: 0, not a gap
    assert fig.layout.xaxis.categoryarray == ("2015", "2016", "2017", "2018")
    assert fig.layout.xaxis.type == "category"


def test_trend_kinds_and_continuous_quarters(table):
    quarters = _long([("2019-Q3", "a", 1), ("2020-Q2", "a", 2), ("2020-Q1", "b", 4)])
    bars = charts.trend_chart(quarters, by="group", metric="value", metric_label="Events", kind="bar", title="T", caption=CAPTION)
    assert bars.layout.barmode == "stack"
    assert list(bars.data[0].x) == ["2019-Q3", "2019-Q4", "2020-Q1", "2020-Q2"]
    assert {t.name: list(t.y) for t in bars.data} == {"b": [0, 0, 4, 0], "a": [1, 0, 0, 2]}
    assert bars.layout.xaxis.title.text == "Quarter"
    lines = charts.trend_chart(table, by="country_iso3", metric="events", metric_label="Events", title="By country", caption=CAPTION)
    assert {t.name for t in lines.data} == {"Mali", "Burkina Faso", "Niger"}
    assert sum(sum(t.y) for t in lines.data) == table["events"].sum()
    with pytest.raises(ValueError):
        charts.trend_chart(quarters, by="group", metric="value", metric_label="E", kind="pie", title="T", caption=CAPTION)


def test_continuous_periods():
    assert charts.continuous_periods(["2019-11", "2020-02"]) == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert charts.continuous_periods(["2018", "2015"]) == ["2015", "2016", "2017", "2018"]
    with pytest.raises(ValueError):
        charts.continuous_periods(["2019", "2019-Q1"])


def test_year_on_year_guards_low_bases():
    frame = _long([("2018", "a", 1), ("2019", "a", 4), ("2018", "b", 20), ("2019", "b", 30), ("2018", "c", 0), ("2019", "c", 5)])
    yoy = charts.year_on_year(frame, by="group", metric="value").set_index(["group", "period"])
    a = yoy.loc[("a", "2019")]
    assert a["value"] == 4 and a["previous"] == 1 and a["change"] == 3
    assert pd.isna(a["pct_change"]) and a["note"] == "low base (<10)"
    b = yoy.loc[("b", "2019")]
    assert b["pct_change"] == pytest.approx(50.0) and b["note"] == ""
    assert pd.isna(yoy.loc[("c", "2019"), "pct_change"])
    assert yoy.loc[("a", "2018"), "note"] == "no earlier value"
    no_floor = charts.year_on_year(frame, by="group", metric="value", min_base=0).set_index(["group", "period"])
    assert no_floor.loc[("a", "2019"), "pct_change"] == pytest.approx(300.0)
    assert pd.isna(no_floor.loc[("c", "2019"), "pct_change"]) and no_floor.loc[("c", "2019"), "note"] == "no base (0)"


def test_year_on_year_fills_missing_periods_and_totals():
    frame = _long([("2017", "a", 12), ("2019", "a", 30)])
    yoy = charts.year_on_year(frame, by=None, metric="value")
    assert list(yoy.columns) == ["period", "value", "previous", "change", "pct_change", "note"]
    assert yoy["period"].tolist() == ["2017", "2018", "2019"]
    assert yoy["value"].tolist() == [12, 0, 30]
    assert yoy.loc[1, "pct_change"] == pytest.approx(-100.0)
    assert yoy.loc[2, "note"] == "low base (<10)"


def test_ranked_changes_order_and_guard(table):
    ranked = charts.ranked_changes(table, metric="events", period_from="2019", period_to="2022")
    assert len(ranked) == table["unit_code"].nunique()
    assert ranked["change"].tolist() == sorted(ranked["change"], reverse=True)
    assert ranked["rank"].iloc[0] == 1
    assert {"unit_code", "unit_name", "country", "value_from", "value_to", "pct_change", "note"} <= set(ranked.columns)
    low = ranked[ranked["value_from"] < 10]
    assert low["pct_change"].isna().all() and (low["note"] == "low base (<10)").all()
    first = ranked.iloc[0]
    expected = table.set_index(["unit_code", "period"])["events"]
    assert first["value_to"] - first["value_from"] == expected[(first["unit_code"], "2022")] - expected[(first["unit_code"], "2019")]
    # A year before the source's first one is no data, not zero.
    early = charts.ranked_changes(table, metric="events", period_from="2014", period_to="2015")
    assert early["value_from"].isna().all() and early["change"].isna().all() and early["rank"].isna().all()
    assert (early["note"] == "no data for 2014").all()


def test_ranked_changes_leaves_out_special_rows_and_ranks_ties_together():
    rows = pd.DataFrame({
        "unit_code": ["A", "A", "B", "B", "C", "C", "_OUTSIDE", "_OUTSIDE"],
        "unit_name": ["Alpha", "Alpha", "Beta", "Beta", "Gamma", "Gamma", "Outside", "Outside"],
        "country_iso3": ["MLI", "MLI", "NER", "NER", "BFA", "BFA", "LBY", "LBY"],
        "period": ["2019", "2020"] * 4,
        "events": [20, 30, 1, 11, 50, 10, 0, 999],
    })
    ranked = charts.ranked_changes(rows, metric="events", period_from="2019", period_to="2020")
    assert ranked["unit_code"].tolist() == ["A", "B", "C"]
    assert ranked["rank"].tolist() == [1, 1, 3]
    assert ranked["pct_change"].iloc[0] == pytest.approx(50.0) and pd.isna(ranked["pct_change"].iloc[1])
    assert ranked["country"].tolist() == ["Mali", "Niger", "Burkina Faso"]


def test_every_figure_carries_title_and_caption(units, table):
    one = table[table["unit_code"] == "ML-5"]
    figures = [
        _map(units, table),
        charts.trend_chart(table, by="unit_name", metric="events", metric_label="Events", title="Trend", caption=CAPTION),
        charts.unit_trend(one, metric="events", metric_label="Events", title="Mopti", caption=CAPTION),
        charts.unit_trend(one.iloc[:0], metric="events", metric_label="Events", title="Mopti", caption=CAPTION),
    ]
    for fig in figures:
        text = _layout_texts(fig)
        assert "Source: ACLED (event store, data as of 2026-11-25)" in text
        assert "Filters: 2019; Political violence" in text
        assert fig.layout.title.text


def test_text_is_escaped_for_plotly():
    frame = _long([("2019", "<b>x</b> & y", 1)])
    fig = charts.trend_chart(frame, by="group", metric="value", metric_label="Events", title="A <i>t</i>", caption="Filters: a<b")
    assert fig.data[0].name == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert "&lt;i&gt;" in fig.layout.title.text and "a&lt;b" in fig.layout.title.subtitle.text


def test_unit_trend_shows_every_period(table):
    one = table[(table["unit_code"] == "ML-5") & (table["period"] != "2017")]
    fig = charts.unit_trend(one, metric="events", metric_label="Events", title="Mopti", caption=CAPTION)
    assert list(fig.data[0].x) == sorted(table["period"].unique())
    assert fig.data[0].y[2] == 0


def test_top_actors_and_latest_events(sample):
    actors = charts.top_actors(sample, n=5)
    assert list(actors.columns) == ["actor", "events", "fatalities"] and len(actors) == 5
    assert not actors["actor"].str.startswith("Civilians").any() and (actors["actor"] != "").all()
    assert actors["events"].is_monotonic_decreasing
    top = actors.iloc[0]
    involved = (sample["actor1"] == top["actor"]) | (sample["actor2"] == top["actor"])
    assert top["events"] == involved.sum() and top["fatalities"] == sample.loc[involved, "fatalities"].sum()

    latest = charts.latest_events(sample, n=7)
    assert list(latest.columns) == ["date", "event_type", "actor1", "actor2", "fatalities", "location", "notes"]
    assert len(latest) == 7
    assert latest["date"].iloc[0] == sample["event_date"].max().date()
    assert list(latest["date"]) == sorted(latest["date"], reverse=True)


def test_top_actors_counts_an_actor_once_per_event():
    events = pd.DataFrame({
        "source_dataset": ["acled"] * 3, "actor1": ["X", "X", "Civilians (Mali)"], "actor2": ["X", "", "Y"],
        "fatalities": [2, 3, 4],
    })
    assert charts.top_actors(events).to_dict("records") == [
        {"actor": "X", "events": 2, "fatalities": 5}, {"actor": "Y", "events": 1, "fatalities": 4},
    ]
