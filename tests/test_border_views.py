"""The Borders page's figures and map layers (geo.figures.borders) on the synthetic sample, and the page itself
under Streamlit's AppTest. What is drawn in a browser is checked in tests/browser/test_borders_page.py."""

from __future__ import annotations

import json

import folium
import numpy as np
import pandas as pd
import pytest
from helpers import REPO
from streamlit.testing.v1 import AppTest

from geo.aggregate import Filters
from geo.borders import (
    BorderGeometry,
    band_polygons,
    border_table,
    cross_border_actors,
    cross_border_pairs,
    event_borders,
    share_within,
    tri_border_zone,
)
from geo.dataset import load_sample
from geo.figures import borders as bv
from geo.figures import choropleth, style
from geo.figures.geometry import display_countries, display_units
from geo.figures.offline import external_urls, patch_for_offline
from geo.figures.style import FigureText
from geo.join import place_events

BANDS = (10.0, 50.0, 100.0)
YEARS = list(range(2015, 2023))
TEXT = FigureText("Events by distance", "Events, all event types, Mali, Burkina Faso and Niger, 2015–2022",
                  "Source: synthetic sample", "SAMPLE DATA — not real events")


@pytest.fixture(scope="module")
def sample(ne):
    events = load_sample()
    return events, place_events(events, ne)


@pytest.fixture(scope="module")
def located(sample, geometry):
    events, placed = sample
    return event_borders(events, placed, geometry, bands=BANDS)


@pytest.fixture(scope="module")
def pairs(sample, geometry):
    events, placed = sample
    return cross_border_pairs(events, placed, geometry)


@pytest.fixture(scope="module")
def shapes(geometry, ne):
    return band_polygons(geometry, ne, BANDS), tri_border_zone(geometry, 100)


@pytest.fixture(scope="module")
def table(sample, geometry):
    events, placed = sample
    return border_table(events, placed, geometry, bands=BANDS)


def make_map(geometry, shapes, sample, located, pairs, **kwargs):
    events, _ = sample
    options = {"bands": BANDS, "years": YEARS, "selected": (2022, 2022), "text": TEXT}
    return bv.border_map(geometry, *shapes, events, located, pairs, **{**options, **kwargs})


def traces_by_meta(fig) -> dict[str, int]:
    return {str(t.meta): i for i, t in enumerate(fig.data) if t.meta}


# ---------------------------------------------------------------------------------------------- the map


def test_border_map_has_a_frame_per_year_with_events_by_band_and_pairs(geometry, shapes, sample, located, pairs):
    events, _ = sample
    fig = make_map(geometry, shapes, sample, located, pairs)
    meta = traces_by_meta(fig)
    assert [m for m in meta if m.startswith("border:")] == ["border:ML-BF", "border:ML-NE", "border:BF-NE"]
    assert [m for m in meta if m.startswith("band:")] == ["band:0-10", "band:10-50", "band:50-100"]
    assert "tri-zone" in meta and "pairs" in meta
    animated = [meta[f"events:{b}"] for b in ("0-10", "10-50", "50-100", "100+")] + [meta["pairs"]]
    assert animated == list(range(animated[0], len(fig.data)))  # the animated traces come last
    assert [f.name for f in fig.frames] == [str(y) for y in YEARS]
    year = events["event_date"].dt.year
    in_three = located["band"] != "n/a"
    pair_year = pd.to_datetime(pairs["date_a"]).dt.year
    for frame in fig.frames:
        assert list(frame.traces) == animated
        shown = sum(len(t.lon) for t in frame.data[:-1])
        assert shown == int((in_three & (year == int(frame.name))).sum())
        lines = frame.data[-1]
        in_year = int((pair_year == int(frame.name)).sum())
        # Every pair of the year is drawn, up to the share of the line budget; the legend counts them all.
        assert sum(v is not None for v in lines.lon) == 2 * min(in_year, bv.pair_lines_per_view(len(YEARS)))
        assert lines.name.endswith(f"({in_year:,})")
    # Starts on the selected year: the first view equals the 2022 frame.
    assert sum(len(fig.data[i].lon) for i in animated[:-1]) == sum(len(t.lon) for t in fig.frames[-1].data[:-1])
    assert fig.layout.sliders[0].active == len(YEARS) - 1
    assert fig.layout.sliders[0].currentvalue.prefix == "Year: "
    play = fig.layout.updatemenus[0].buttons[0]
    assert play.label.endswith("Play") and list(play.args[0]) == [str(y) for y in YEARS]


def test_border_map_is_fixed_offline_and_explains_itself(geometry, shapes, sample, located, pairs, ne):
    fig = make_map(geometry, shapes, sample, located, pairs, countries=display_countries(ne))
    # Fixed view: the centre and zoom are in the layout and no frame carries a layout.
    assert fig.layout.map.center.lon is not None and fig.layout.map.zoom > 3
    assert all(frame.layout is None or frame.layout.to_plotly_json() == {} for frame in fig.frames)
    assert fig.layout.map.style == "white-bg"
    assert len(fig.layout.map.layers) == 1 and fig.layout.map.layers[0].below == "traces"
    # No text on the map (MapLibre would fetch glyphs from a font server) and no external URL in the figure.
    assert all(getattr(t, "mode", None) != "text" and "text" not in str(getattr(t, "mode", "") or "") for t in fig.data)
    assert external_urls(fig.to_json()) == []
    assert "Events by distance" in fig.layout.title.text and "Mali, Burkina Faso and Niger" in fig.layout.title.subtitle.text
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "Source: synthetic sample" in texts and "SAMPLE DATA" in texts
    # Legend entries carry counts and the pair rule.
    names = [t.name for t in fig.data if t.showlegend is not False]
    assert "Shared border" in names and any(n.startswith("Events 0–10 km (") for n in names)


def test_a_range_of_years_gets_its_own_first_frame(geometry, shapes, sample, located, pairs):
    fig = make_map(geometry, shapes, sample, located, pairs, years=[2018, 2019, 2020], selected=(2018, 2020))
    assert [f.name for f in fig.frames] == ["2018–2020", "2018", "2019", "2020"]
    assert fig.layout.sliders[0].active == 0
    together = sum(len(t.lon) for t in fig.frames[0].data[:-1])
    assert together == sum(sum(len(t.lon) for t in f.data[:-1]) for f in fig.frames[1:])
    assert list(fig.layout.updatemenus[0].buttons[0].args[0]) == ["2018", "2019", "2020"]  # Play runs the years


def test_hover_texts_are_escaped(geometry, shapes, sample, located, pairs):
    events, placed = sample
    events = events.copy()
    first = located.index[located["band"] == "0-10"][0]
    events.loc[first, "actor1"] = "<script>alert(1)</script>"
    events.loc[first, "location"] = "<img src=x onerror=alert(1)>"
    fig = make_map(geometry, shapes, (events, placed), located, pairs)
    text = json.dumps([list(t.hovertext) for f in fig.frames for t in f.data if t.hovertext is not None])
    assert "<script>" not in text and "&lt;script&gt;" in text and "<img" not in text


def test_map_without_events_says_so(geometry, shapes, sample, located, pairs):
    events, _ = sample
    none = events.iloc[:0]
    fig = bv.border_map(geometry, *shapes, none, located.iloc[:0], pairs.iloc[:0], bands=BANDS, years=YEARS,
                        selected=(2022, 2022), text=TEXT.retitled("t"))
    assert any("No events" in a.text for a in fig.layout.annotations)
    assert len(fig.frames) == len(YEARS)


# ---------------------------------------------------------------------------------------------- charts


def test_share_summary_is_share_within_over_all_periods(table):
    rows = table[table["period"].isin(["2019", "2020"])]
    summary = bv.share_summary(rows, 50, BANDS)
    per_year = share_within(rows, 50, BANDS)
    assert summary["events"] == per_year["events"].sum()
    assert summary["events_near"] == per_year["events_near"].sum()
    assert summary["share_events"] == pytest.approx(per_year["events_near"].sum() / per_year["events"].sum(), abs=1e-4)
    assert summary["not_counted"] == rows.loc[~rows["border"].isin(["ML-BF", "ML-NE", "BF-NE"]), "events"].sum()
    empty = bv.share_summary(table.iloc[:0], 50, BANDS)
    assert empty["events"] == 0 and np.isnan(empty["share_events"])


def test_share_chart_has_fixed_percent_axis_and_its_text(table):
    shares = share_within(table, 50, BANDS)
    fig = bv.share_chart(shares, km=50, periods=[str(y) for y in YEARS], text=TEXT.retitled("Share within 50 km"),
                         highlight="2019")
    assert list(fig.layout.yaxis.range) == [0, 100] and fig.layout.yaxis.fixedrange
    assert "(%)" in fig.layout.yaxis.title.text and fig.layout.xaxis.title.text == "Year"
    assert fig.layout.title.subtitle.text == TEXT.filter_line
    assert any(a.name == "source-line" and "Source: synthetic sample" in a.text for a in fig.layout.annotations)
    events = fig.data[0]
    assert list(events.x) == [str(y) for y in YEARS]
    assert events.y[4] == pytest.approx(shares.set_index("period").loc["2019", "share_events"] * 100, abs=0.05)
    assert len(fig.layout.shapes) == 1  # the selected year is marked


def test_band_shares_add_up_to_100_percent_per_year(table):
    fig = bv.band_share_chart(table, bands=BANDS, periods=[str(y) for y in YEARS], text=TEXT.retitled("Bands"))
    events = [t for t in fig.data if t.xaxis == "x"]
    assert [t.name for t in events] == ["0–10 km", "10–50 km", "50–100 km", "over 100 km"]
    totals = np.sum([np.array(t.y, dtype=float) for t in events], axis=0)
    assert np.allclose(totals, 100, atol=0.3)
    assert list(fig.layout.yaxis.range) == [0, 100] and list(fig.layout.yaxis2.range) == [0, 100]
    assert fig.layout.title.subtitle.text == TEXT.filter_line


def test_segment_shares_add_up_to_the_total_share(table):
    periods = [str(y) for y in YEARS]
    fig = bv.segment_share_chart(table, km=50, bands=BANDS, periods=periods, text=TEXT.retitled("Segments"))
    events = [t for t in fig.data if t.xaxis == "x"]
    assert [t.name.split()[0] for t in events] == ["ML-BF", "ML-NE", "BF-NE"]
    total = share_within(table, 50, BANDS).set_index("period").reindex(periods)["share_events"] * 100
    assert np.allclose(np.sum([np.array(t.y, dtype=float) for t in events], axis=0), total, atol=0.3)
    assert fig.layout.yaxis.range[0] == 0 and fig.layout.yaxis.fixedrange


def test_pairs_chart_counts_every_pair_once(pairs):
    fig = bv.pairs_chart(pairs, periods=[str(y) for y in YEARS], text=TEXT.retitled("Pairs"), max_km=50, max_days=7)
    assert sum(sum(t.y) for t in fig.data) == len(pairs)
    same = fig.data[0]
    assert sum(same.y) == int((pairs["shared_actor"] != "").sum())
    assert "50 km" in fig.layout.yaxis.title.text and fig.layout.title.subtitle.text == TEXT.filter_line


def test_actor_footprint_across_the_three_countries(sample):
    events, placed = sample
    actors = cross_border_actors(events, placed)
    options = bv.actor_options(actors)
    assert options and options[0] == actors.groupby("actor")["events"].sum().idxmax()
    actor = options[0]
    footprint = bv.actor_footprint(events, placed, actor, periods=[str(y) for y in YEARS])
    assert list(footprint.columns) == ["MLI", "BFA", "NER"] and list(footprint.index) == [str(y) for y in YEARS]
    by_actor = actors[actors["actor"] == actor].set_index("period")
    for period in by_actor.index:  # the years the actor is cross-border agree with cross_border_actors
        assert footprint.loc[period].tolist() == by_actor.loc[period, ["MLI", "BFA", "NER"]].tolist()
    fig = bv.actor_footprint_chart(footprint, actor="<b>" + actor, text=TEXT.retitled("Footprint"))
    assert [t.name for t in fig.data] == ["Mali", "Burkina Faso", "Niger"]
    assert "&lt;b&gt;" in fig.data[0].hovertemplate and "<b>" + actor not in fig.data[0].hovertemplate
    assert fig.layout.title.subtitle.text == TEXT.filter_line


def test_band_colours_darken_towards_the_border():
    colours = bv.band_colours(BANDS)
    assert list(colours) == ["0-10", "10-50", "50-100", "100+"]
    assert colours["100+"] == bv.OUTER_BAND_COLOUR and len(set(colours.values())) == 4
    assert list(bv.band_colours((50, 100, 150, 200))) == ["0-50", "50-100", "100-150", "150-200", "200+"]


# ---------------------------------------------------------------------------------------------- overlay


def test_overlay_layers_render_offline_on_the_choropleth(geometry, shapes, ne):
    patch_for_offline()
    layers = bv.border_overlay_layers(geometry, *shapes)
    assert [type(layer) for layer in layers[:3]] == [folium.FeatureGroup] * 3
    units = display_units(ne, "admin1")
    values = pd.DataFrame({"events": 1.0}, index=units["unit_code"])
    m = choropleth.choropleth_map(units, values, metric="events", text=TEXT.retitled("Events, 2022"),
                                  classification=style.classify(values["events"]), countries=display_countries(ne),
                                  extra_layers=layers)
    html = m.get_root().render()
    assert external_urls(html) == []
    for name in ("atlas-border-band", "atlas-tri-zone", "atlas-shared-border"):
        assert f'"className": "{name}"' in html, name
    assert "Shared borders" in html and "Distance to shared borders (km)" in html and "Tri-border zone (100 km)" in html
    assert "Burkina Faso border" in html


def test_overlay_tooltips_are_escaped(geometry, shapes):
    lines = geometry.lines.assign(border=["<script>x</script>", "ML-NE", "BF-NE"])
    odd = BorderGeometry(lines=lines, tri_point=geometry.tri_point, crs=geometry.crs)
    layers = bv.border_overlay_layers(odd, *shapes)
    borders = next(layer for layer in layers if getattr(layer, "layer_name", "") == "Shared borders")
    tooltips = [f["properties"]["tooltip"] for child in borders._children.values() if isinstance(child, folium.GeoJson)
                for f in child.data["features"] if "tooltip" in f["properties"]]
    assert any("&lt;script&gt;x&lt;/script&gt;" in t for t in tooltips)
    m = folium.Map(tiles=None)
    for layer in layers:
        layer.add_to(m)
    assert "<script>x" not in m.get_root().render()


# ---------------------------------------------------------------------------------------------- the page


def borders_page(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    return at.switch_page("pages/borders.py").run()


def param(at: AppTest, key: str) -> list[str]:
    value = at.query_params[key]
    return list(value) if isinstance(value, list) else [value]


def test_borders_page_runs_and_reports_the_share_near_the_borders(navigation_only):
    at = borders_page({"year_from": "2019", "year_to": "2019", "preset": "political-violence"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value.startswith("Violence near the shared borders, 2019")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Events within 50 km"].endswith("%") and tiles["Fatalities within 50 km"].endswith("%")
    # The same figure as the table the CLI prints (border_table + share_within) for these filters.
    from ui import data as datalib

    ctx = at.session_state["context"]
    table = datalib.border_table(ctx.source, filters=Filters(preset="political-violence", sources=("sample",)),
                                 period="year", bands=BANDS)
    share = share_within(table[table["period"] == "2019"], 50, BANDS).iloc[0]["share_events"]
    assert tiles["Events within 50 km"] == f"{share * 100:.0f} %"
    about = " ".join(e.value for e in at.markdown)
    # The comparison with SWAC states the figures of the data shown (here the sample's), not fixed ones.
    assert f"{share * 100:.0f} % of the events and {tiles['Fatalities within 50 km']} of the fatalities" in about
    assert "46 %" in about and "any" in about and "49 %" not in about


def test_border_settings_round_trip_through_the_url(navigation_only):
    at = borders_page({"pair_km": "30", "pair_days": "3", "same_actor": "1", "bands": "50,100,150,200", "tri_km": "150"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.number_input(key="w_pair_km").value == 30 and at.number_input(key="w_pair_days").value == 3
    assert at.checkbox(key="w_same_actor").value is True and at.text_input(key="w_bands").value == "50,100,150,200"
    at.number_input(key="w_pair_km").set_value(20).run()
    assert not at.exception
    assert param(at, "pair_km") == ["20"] and param(at, "bands") == ["50,100,150,200"] and param(at, "tri_km") == ["150"]
    at.text_input(key="w_bands").set_value("ten").run()
    assert not at.exception and any("comma-separated" in e.value for e in at.error)
    assert param(at, "bands") == ["50,100,150,200"]  # the last valid bands are kept


def test_a_bad_url_value_is_reported_and_the_actor_choice_goes_into_the_url(navigation_only):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.query_params["pair_km"] = "9000"
    at.run()
    assert any("pair_km" in i.value for i in at.info)  # the banner names the value it could not use
    at.switch_page("pages/borders.py").run()
    assert not at.exception
    assert at.number_input(key="w_pair_km").value == 50
    assert "focus_actor" not in at.query_params  # the default actor is not written into the URL
    box = next(s for s in at.selectbox if s.label == "Actor")
    assert box.label == "Actor" and len(box.options) >= 2
    choice = box.options[1]
    box.set_value(choice).run()
    assert not at.exception
    assert param(at, "focus_actor") == [choice]


def test_the_border_map_checks_every_argument_before_drawing(geometry, shapes, sample, located, pairs):
    """The check step says every problem at once, before anything is drawn."""
    with pytest.raises(ValueError) as info:
        make_map(geometry, shapes, sample, located.iloc[:5].drop(columns="band"), pairs.drop(columns="distance_km"),
                 selected=(2022, 2020))
    message = str(info.value)
    for problem in ("located has no column band", "located has 5 rows for", "pairs has no column distance_km",
                    "selected years 2022–2020 end before they start"):
        assert problem in message, message
    with pytest.raises(ValueError, match="bins has no column longitude"):
        make_map(geometry, shapes, sample, located, pairs, bins=pd.DataFrame(columns=["year", "band", "latitude", "events"]))
