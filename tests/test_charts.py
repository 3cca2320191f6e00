"""Charts and tables of geo.figures: folding into "Other", continuous periods, partial periods marked, guarded
percent changes, rankings, the text every figure carries, actors and latest events."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.aggregate import aggregate
from geo.boundaries import load_boundary_set
from geo.dataset import load_sample
from geo.figures import charts, tables
from geo.figures.plot import layout_texts
from geo.figures.style import FigureText

TEXT = FigureText("Events per country", "Events, political violence, Mali, Burkina Faso and Niger, 2019",
                  "Source: ACLED, acleddata.com, accessed 3 Aug 2020; filters: political violence", "")


@pytest.fixture(scope="module")
def sample():
    return load_sample()


@pytest.fixture(scope="module")
def ne():
    return load_boundary_set("natural-earth")


@pytest.fixture(scope="module")
def table(sample, ne):
    return aggregate(sample, ne)


def _long(rows):
    return pd.DataFrame(rows, columns=["period", "group", "value"])


def test_trend_folds_small_groups_into_other_and_fills_missing_periods():
    rows = [(p, f"g{i}", i + 1) for p in ("2015", "2016", "2018") for i in range(11)]
    fig = charts.trend_chart(_long(rows), by="group", metric="value", text=TEXT, top_n=8)
    names = [t.name for t in fig.data]
    assert names == [f"g{i}" for i in range(10, 2, -1)] + ["Other"]
    other = fig.data[-1]
    assert list(other.x) == ["2015", "2016", "2017", "2018"]
    assert list(other.y) == [1 + 2 + 3, 6, 0, 6]  # 2017 has no rows: 0, not a gap
    assert fig.layout.xaxis.categoryarray == ("2015", "2016", "2017", "2018")
    assert fig.layout.xaxis.type == "category"


def test_trend_kinds_and_continuous_quarters(table):
    quarters = _long([("2019-Q3", "a", 1), ("2020-Q2", "a", 2), ("2020-Q1", "b", 4)])
    bars = charts.trend_chart(quarters, by="group", metric="value", kind="bar", text=TEXT)
    assert bars.layout.barmode == "stack"
    assert list(bars.data[0].x) == ["2019-Q3", "2019-Q4", "2020-Q1", "2020-Q2"]
    assert {t.name: list(t.y) for t in bars.data} == {"b": [0, 0, 4, 0], "a": [1, 0, 0, 2]}
    assert bars.layout.xaxis.title.text == "Quarter"
    lines = charts.trend_chart(table, by="country_iso3", metric="events", text=TEXT)
    assert {t.name for t in lines.data} == {"Mali", "Burkina Faso", "Niger"}
    assert sum(sum(t.y) for t in lines.data) == table["events"].sum()
    with pytest.raises(ValueError):
        charts.trend_chart(quarters, by="group", metric="value", kind="pie", text=TEXT)


def test_continuous_periods():
    assert tables.continuous_periods(["2019-11", "2020-02"]) == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert tables.continuous_periods(["2018", "2015"]) == ["2015", "2016", "2017", "2018"]
    with pytest.raises(ValueError):
        tables.continuous_periods(["2019", "2019-Q1"])


def test_year_on_year_guards_low_bases():
    frame = _long([("2018", "a", 1), ("2019", "a", 4), ("2018", "b", 20), ("2019", "b", 30), ("2018", "c", 0), ("2019", "c", 5)])
    yoy = tables.year_on_year(frame, by="group", metric="value").set_index(["group", "period"])
    a = yoy.loc[("a", "2019")]
    assert a["value"] == 4 and a["previous"] == 1 and a["change"] == 3
    assert pd.isna(a["pct_change"]) and a["note"] == "low base (<10)"
    b = yoy.loc[("b", "2019")]
    assert b["pct_change"] == pytest.approx(50.0) and b["note"] == ""
    assert pd.isna(yoy.loc[("c", "2019"), "pct_change"])
    assert yoy.loc[("a", "2018"), "note"] == "no earlier value"
    no_floor = tables.year_on_year(frame, by="group", metric="value", min_base=0).set_index(["group", "period"])
    assert no_floor.loc[("a", "2019"), "pct_change"] == pytest.approx(300.0)
    assert pd.isna(no_floor.loc[("c", "2019"), "pct_change"]) and no_floor.loc[("c", "2019"), "note"] == "no base (0)"


def test_year_on_year_fills_missing_periods_and_totals():
    frame = _long([("2017", "a", 12), ("2019", "a", 30)])
    yoy = tables.year_on_year(frame, by=None, metric="value")
    assert list(yoy.columns) == ["period", "value", "previous", "change", "pct_change", "note"]
    assert yoy["period"].tolist() == ["2017", "2018", "2019"]
    assert yoy["value"].tolist() == [12, 0, 30]
    assert yoy.loc[1, "pct_change"] == pytest.approx(-100.0)
    assert yoy.loc[2, "note"] == "low base (<10)"


def test_ranked_changes_order_and_guard(table):
    ranked = tables.ranked_changes(table, metric="events", period_from="2019", period_to="2022")
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
    early = tables.ranked_changes(table, metric="events", period_from="2014", period_to="2015")
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
    ranked = tables.ranked_changes(rows, metric="events", period_from="2019", period_to="2020")
    assert ranked["unit_code"].tolist() == ["A", "B", "C"]
    assert ranked["rank"].tolist() == [1, 1, 3]
    assert ranked["pct_change"].iloc[0] == pytest.approx(50.0) and pd.isna(ranked["pct_change"].iloc[1])
    assert ranked["country"].tolist() == ["Mali", "Niger", "Burkina Faso"]


def test_every_figure_carries_its_title_filter_line_source_line_and_the_sample_watermark(table):
    one = table[table["unit_code"] == "ML-5"]
    sample_text = FigureText("Mopti", "Events, all event types, Mopti region, 2015–2022", "Source: synthetic sample",
                             "SAMPLE DATA — not real events")
    figures = [
        charts.trend_chart(table, by="unit_name", metric="events", text=TEXT),
        charts.unit_trend(one, metric="events", text=TEXT),
        charts.unit_trend(one.iloc[:0], metric="events", text=TEXT),
    ]
    for fig in figures:
        text = layout_texts(fig)
        assert TEXT.title in text and TEXT.filter_line in text
        assert "Source: ACLED, acleddata.com, accessed 3 Aug 2020; filters: political violence" in text
        assert "SAMPLE DATA" not in text
        assert fig.layout.meta["figure_text"]["source_line"] == TEXT.source_line
    marked = charts.trend_chart(table, by="unit_name", metric="events", text=sample_text)
    assert "SAMPLE DATA — not real events" in layout_texts(marked)
    # The source line sits at the foot of the figure, under the plot and its axis.
    (source,) = [a for a in marked.layout.annotations if a.name == "source-line"]
    assert source.y < 0 and source.yanchor == "bottom"


def test_a_partial_period_is_marked_where_it_is_drawn(table):
    fig = charts.trend_chart(table, by="country_iso3", metric="events", text=TEXT, kind="bar", partial={"2022": "1 Aug"})
    assert fig.layout.xaxis.categoryarray[-1] == "2022*"
    assert all(t.marker.opacity[-1] < 1 and t.marker.opacity[0] == 1 for t in fig.data)
    assert "* 2022: the data end on 1 Aug" in layout_texts(fig)
    lines = charts.trend_chart(table, by="country_iso3", metric="events", text=TEXT, partial={"2022": "1 Aug"})
    assert all(t.marker.symbol[-1] == "circle-open" and t.marker.symbol[0] == "circle" for t in lines.data)
    complete = charts.trend_chart(table, by="country_iso3", metric="events", text=TEXT)
    assert "*" not in "".join(complete.layout.xaxis.categoryarray) and "the data end" not in layout_texts(complete)


def test_text_is_escaped_for_plotly():
    frame = _long([("2019", "<b>x</b> & y", 1)])
    fig = charts.trend_chart(frame, by="group", metric="value", text=FigureText("A <i>t</i>", "Filters: a<b"))
    assert fig.data[0].name == "&lt;b&gt;x&lt;/b&gt; &amp; y"
    assert "&lt;i&gt;" in fig.layout.title.text and "a&lt;b" in fig.layout.title.subtitle.text


def test_unit_trend_shows_every_period(table):
    one = table[(table["unit_code"] == "ML-5") & (table["period"] != "2017")]
    fig = charts.unit_trend(one, metric="events", text=TEXT)
    assert list(fig.data[0].x) == sorted(table["period"].unique())
    assert fig.data[0].y[2] == 0


def test_top_actors_and_latest_events(sample):
    actors = tables.top_actors(sample, n=5)
    assert list(actors.columns) == ["actor", "events", "fatalities"] and len(actors) == 5
    assert not actors["actor"].str.startswith("Civilians").any() and (actors["actor"] != "").all()
    assert actors["events"].is_monotonic_decreasing
    top = actors.iloc[0]
    involved = (sample["actor1"] == top["actor"]) | (sample["actor2"] == top["actor"])
    assert top["events"] == involved.sum() and top["fatalities"] == sample.loc[involved, "fatalities"].sum()

    latest = tables.latest_events(sample, n=7)
    assert list(latest.columns) == ["date", "event_type", "actor1", "actor2", "fatalities", "location", "notes"]
    assert len(latest) == 7
    assert latest["date"].iloc[0] == sample["event_date"].max().date()
    assert list(latest["date"]) == sorted(latest["date"], reverse=True)


def test_top_actors_counts_an_actor_once_per_event():
    events = pd.DataFrame({
        "source_dataset": ["acled"] * 3, "actor1": ["X", "X", "Civilians (Mali)"], "actor2": ["X", "", "Y"],
        "fatalities": [2, 3, 4],
    })
    assert tables.top_actors(events).to_dict("records") == [
        {"actor": "X", "events": 2, "fatalities": 5}, {"actor": "Y", "events": 1, "fatalities": 4},
    ]
