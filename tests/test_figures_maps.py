"""The maps of geo.figures: class breaks (style), the folium choropleth (offline, escaped), the SVG small multiples
and the SVG animation."""

from __future__ import annotations

import bisect
import functools
import html
import re
import threading
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import folium
import numpy as np
import pandas as pd
import pytest

from geo.aggregate import METRICS
from geo.figures import choropleth, offline, style, svgmap
from geo.figures.style import FigureText

SVG_NS = "{http://www.w3.org/2000/svg}"
TEXT = FigureText("Events per region, 2019", "Events, all event types, 2019", "Source: synthetic sample",
                  "SAMPLE DATA — not real events")
MALICIOUS_NOTE = "<script>alert(1)</script> <img src=x onerror=alert(1)>"
HEX = re.compile(r"^#[0-9a-f]{6}$")


# --- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The synthetic sample aggregated per admin-1 unit and year, with display geometry."""
    with pytest.MonkeyPatch.context() as mp:
        # Module scope runs before conftest's per-test data home: give this fixture its own.
        mp.setenv("ATLAS_HOME", str(tmp_path_factory.mktemp("atlas-home-maps")))
        from geo.aggregate import aggregate
        from geo.boundaries import load_boundary_set
        from geo.dataset import load_sample
        from geo.figures.geometry import display_area_of_interest, display_countries, display_units

        events = load_sample()
        ne = load_boundary_set("natural-earth")
        rows = aggregate(events, ne, level="admin1", period="year")
        return {
            "events": events,
            "rows": rows,
            "units": display_units(ne, "admin1"),
            "countries": display_countries(ne),
            "aoi": display_area_of_interest(ne),
        }


@pytest.fixture(scope="module")
def patched() -> None:
    offline.patch_for_offline()


def _unit_rows(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.loc[~rows["unit_code"].str.startswith("_")]


def _map(sample: dict[str, Any], *, metric: str = "events", year: str = "2019", drop: tuple[str, ...] = (), **kwargs: Any):
    rows = sample["rows"]
    classification = style.classify(_unit_rows(rows)[metric])
    values = choropleth.map_values(rows.loc[rows["period"] == year]).drop(index=list(drop))
    kwargs.setdefault("countries", sample["countries"])
    kwargs.setdefault("aoi", sample["aoi"])
    m = choropleth.choropleth_map(
        sample["units"], values, metric=metric, text=TEXT, classification=classification, scope=f"{year} · synthetic sample",
        **kwargs,
    )
    return m, classification


def _units_layer(m: folium.Map) -> folium.GeoJson:
    (layer,) = [c for c in m._children.values() if isinstance(c, folium.GeoJson) and str(c.layer_name).endswith("by unit")]
    return layer


def _styles(layer: folium.GeoJson) -> dict[str, dict[str, Any]]:
    return {f["id"]: layer.style_function(f) for f in layer.data["features"]}


# --- classify -------------------------------------------------------------------------------------


SKEWED = np.random.default_rng(7).lognormal(1.0, 1.5, 400)


@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks", "equal_interval"])
@pytest.mark.parametrize("log", [False, True])
def test_schemes_give_k_classes_with_increasing_bounds(scheme: str, log: bool) -> None:
    c = style.classify(SKEWED, scheme=scheme, k=5, log=log)
    assert c.k == 5
    assert len(c.labels) == len(c.colors) == 5
    assert all(a < b for a, b in zip(c.bounds, c.bounds[1:]))
    assert c.bounds[-1] >= SKEWED.max()  # the top class covers the maximum
    assert len(set(c.colors)) == 5 and all(HEX.match(col) for col in c.colors)
    # Every value falls in a class, and class indices follow the values.
    indices = [c.class_index(v) for v in np.sort(SKEWED)]
    assert indices == sorted(indices) and set(indices) == set(range(5))


def test_natural_breaks_is_mapclassify_fisher_jenks() -> None:
    import mapclassify

    values = np.arange(1, 101, dtype=float) ** 1.5
    c = style.classify(values, scheme="natural_breaks", k=4)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Numba not installed"
        expected = mapclassify.FisherJenks(values, k=4).bins
    assert np.allclose(c.bounds[:-1], expected[:-1], rtol=0.05)


def test_zero_and_missing_are_separate_from_the_classes() -> None:
    values = [0, 0, np.nan, None, pd.NA, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89]
    c = style.classify(values, k=4)
    assert c.bounds == style.classify([1, 2, 3, 5, 8, 13, 21, 34, 55, 89], k=4).bounds  # zeros/NaN ignored
    assert c.class_index(0) == -1 and c.color_for(0) == style.ZERO_COLOR
    for missing in (np.nan, None, pd.NA, float("inf")):
        assert c.class_index(missing) is None
        assert c.color_for(missing) == style.NO_DATA.fill
    assert style.ZERO_COLOR not in c.colors and style.NO_DATA.fill not in c.colors
    assert style.ZERO_COLOR != style.NO_DATA.fill
    # Zero is flat grey; no data is hatched with a dashed outline: they cannot be confused.
    zero, no_data = c.style_for(0), c.style_for(None)
    assert zero["fillColor"] == style.ZERO_COLOR and "dashArray" not in zero
    assert no_data["fillColor"].startswith("url(#") and no_data["dashArray"]
    assert c.label_for(0) == "0" and c.label_for(None) == "No data"


def test_log_breaks_stay_in_original_units() -> None:
    values = np.array([1, 2, 3, 5, 10, 20, 50, 100, 300, 1_000, 3_000, 10_000], dtype=float)
    linear = style.classify(values, scheme="equal_interval", k=4)
    logged = style.classify(values, scheme="equal_interval", k=4, log=True)
    assert logged.log and not linear.log
    assert logged.bounds[-1] == 10_000 and logged.bounds[0] >= 1
    # Equal intervals of log10 are (roughly) geometric in original units: 10**1, 10**2, 10**3, 10**4.
    assert logged.bounds == (10.0, 100.0, 1_000.0, 10_000.0)
    assert linear.bounds[0] > 1_000  # linear equal intervals lump the small values together
    assert logged.labels == ("1–10", "11–100", "101–1,000", "1,001–10,000")
    assert "log scale" in logged.describe()


def test_labels_are_readable() -> None:
    counts = style.classify([1, 2, 3, 4, 8, 12, 13, 40, 41, 1_500, 12_345], k=4, scheme="quantiles")
    assert counts.integer
    for label in counts.labels:
        assert re.fullmatch(r"[\d,]+(–[\d,]+)?", label), label
    assert counts.labels[0].startswith("1") and counts.labels[-1].endswith("12,345")
    # Consecutive count classes do not overlap: "1–3", "4–12", ...
    highs = [int(label.split("–")[-1].replace(",", "")) for label in counts.labels]
    lows = [int(label.split("–")[0].replace(",", "")) for label in counts.labels]
    assert all(low == high + 1 for high, low in zip(highs, lows[1:]))

    densities = style.classify([0.1234, 0.5, 0.98, 3.456, 7.1, 11.4, 48.9, 211.7], k=4)
    assert not densities.integer
    for label in densities.labels:
        for number in label.split("–"):
            digits = number.replace(",", "").replace(".", "").lstrip("0")
            assert len(digits) <= 3, label  # sensible rounding, no 0.123456
    assert densities.labels[0].startswith("0.12")
    assert densities.bounds[-1] >= 211.7


def test_few_values_all_zero_and_all_missing() -> None:
    few = style.classify([0, 1, 2, 2, 5], k=5)
    assert few.k == 3 and few.labels == ("1", "2", "3–5")
    assert style.classify([4, 4, 4]).labels == ("4",)

    zeros = style.classify([0, 0, 0])
    assert zeros.k == 0 and zeros.color_for(0) == style.ZERO_COLOR and zeros.describe() == "no values above zero"
    missing = style.classify([np.nan, None])
    assert missing.k == 0 and missing.color_for(np.nan) == style.NO_DATA.fill
    assert style.classify([]).k == 0
    assert style.classify(pd.Series([0, 3, pd.NA, 9], dtype="Int64")).k == 2

    with pytest.raises(ValueError, match="scheme"):
        style.classify([1, 2], scheme="jenks")
    with pytest.raises(ValueError, match="negative"):
        style.classify([1, -2])
    with pytest.raises(ValueError, match="k must"):
        style.classify([1, 2], k=12)


def test_classification_over_all_periods_colours_every_period_alike(sample: dict[str, Any]) -> None:
    rows = _unit_rows(sample["rows"])
    shared = style.classify(rows["fatalities"], scheme="natural_breaks", k=5)
    for _, one in rows.groupby("period"):
        for value in one["fatalities"]:
            assert shared.color_for(value) in (*shared.colors, style.ZERO_COLOR)
    # The same value gets the same colour whichever year it comes from; above the top it stays top.
    assert shared.color_for(rows["fatalities"].max() * 10) == shared.colors[-1]


# --- choropleth_map -------------------------------------------------------------------------------


def test_choropleth_renders_one_feature_per_unit_with_varied_fills(sample: dict[str, Any], patched: None) -> None:
    m, c = _map(sample)
    layer = _units_layer(m)
    codes = [f["properties"]["unit_code"] for f in layer.data["features"]]
    assert sorted(codes) == sorted(sample["units"]["unit_code"])
    fills = {s["fillColor"] for s in _styles(layer).values()}
    assert len(fills) >= 4 and fills <= {*c.colors, style.ZERO_COLOR}
    props = layer.data["features"][0]["properties"]
    for key in ("unit_code", "unit_name", "country", "events", "fatalities", "civilian_events", "events_per_10k_km2"):
        assert key in props
    assert m.options["maxZoom"] == 18

    rendered = m.get_root().render()
    assert offline.external_urls(rendered) == []
    assert "bindTooltip" in rendered
    # The legend is beside the map (it covers no unit): not on the map unless asked for, and then complete.
    assert 'class="atlas-legend' not in rendered
    inside = choropleth.choropleth_map(sample["units"], choropleth.map_values(sample["rows"].loc[sample["rows"]["period"] == "2019"]),
                                       metric="events", text=TEXT, classification=c, countries=sample["countries"],
                                       aoi=sample["aoi"], legend="inside", scope="2019 · synthetic sample").get_root().render()
    legend_html = style.legend_html(c, metric="events", scope="2019 · synthetic sample", borders=True, aoi=True)
    assert style.script_json(legend_html) in inside
    for label in (*c.labels, "0", "No data", "Events", "2019 · synthetic sample", "Country border", "Area of interest"):
        assert html.escape(label) in legend_html, label
    for color in (*c.colors, style.ZERO_COLOR):
        assert color in legend_html
    assert "<details" not in legend_html  # shown open, never folded
    # The hatch the no-data units are filled with is defined in the map's own document, and the sample's
    # watermark is drawn across the map.
    assert f'id=\\"{style.NO_DATA.pattern_id}\\"' in rendered or style.NO_DATA.pattern_id in rendered
    assert "SAMPLE DATA" in rendered and "atlas-watermark" in rendered


def test_tooltip_shows_values_and_unplaced_events(sample: dict[str, Any], patched: None) -> None:
    m, _ = _map(sample, metric="events_per_10k_km2", unallocated={"MLI": 312})
    layer = _units_layer(m)
    tooltip = [c for c in layer._children.values() if isinstance(c, folium.GeoJsonTooltip)]
    assert tooltip and tooltip[0].fields == ["tooltip"]
    by_code = {f["id"]: f["properties"] for f in layer.data["features"]}
    mopti = next(p for p in by_code.values() if p["unit_name"] == "Mopti")
    assert "Mopti" in mopti["tooltip"] and "Mali" in mopti["tooltip"]
    assert "Events per 10,000 km²" in mopti["tooltip"] and "Fatalities" in mopti["tooltip"]
    assert "312 events in Mali could not be placed at this level" in mopti["tooltip"]
    burkina = next(p for p in by_code.values() if p["country_iso3"] == "BFA")
    assert "could not be placed" not in burkina["tooltip"]


def test_zero_and_no_data_units_are_drawn_differently(sample: dict[str, Any], patched: None) -> None:
    rows = sample["rows"]
    zero_codes = set(_unit_rows(rows).query("period == '2015' and events == 0")["unit_code"])
    assert zero_codes, "the sample has units without events in 2015"
    m, c = _map(sample, year="2015", drop=("ML-8",))
    styles = _styles(_units_layer(m))
    assert {styles[code]["fillColor"] for code in zero_codes} == {style.ZERO_COLOR}
    no_data = styles["ML-8"]
    assert no_data["fillColor"] != style.ZERO_COLOR and no_data["dashArray"]
    assert _units_layer(m).data["features"][0]["properties"]["unit_code"]
    no_data_props = next(f["properties"] for f in _units_layer(m).data["features"] if f["id"] == "ML-8")
    assert no_data_props["value"] is None and "No data" in no_data_props["tooltip"]


def test_text_from_data_is_escaped(sample: dict[str, Any], patched: None) -> None:
    units = sample["units"].copy()
    units.loc[units.index[0], "unit_name"] = "<img src=x onerror=alert(3)>"
    rows = sample["rows"]
    values = choropleth.map_values(rows.loc[rows["period"] == "2019"])
    m = choropleth.choropleth_map(
        units, values, metric="events", text=FigureText("<script>alert(2)</script>"), classification=style.classify(values["events"]),
        legend="inside", scope="<script>alert(2)</script>",
    )
    rendered = m.get_root().render()
    assert "<img src=x onerror=alert(3)>" not in rendered
    assert "<script>alert(2)</script>" not in rendered
    tooltip = _units_layer(m).data["features"][0]["properties"]["tooltip"]
    assert "&lt;img src=x onerror=alert(3)&gt;" in tooltip


def test_online_tiles_only_on_request(sample: dict[str, Any], patched: None) -> None:
    offline_map, _ = _map(sample)
    assert offline.external_urls(offline_map.get_root().render()) == []
    online_map, _ = _map(sample, online_tiles=True)
    urls = offline.external_urls(online_map.get_root().render())
    assert urls and all("openstreetmap" in url for url in urls)


def test_event_points_escape_notes_and_are_capped(sample: dict[str, Any], patched: None) -> None:
    events = sample["events"].loc[sample["events"]["year"] == 2022].head(60).copy()
    newest = events["event_date"].idxmax()
    events.loc[newest, "notes"] = MALICIOUS_NOTE
    events.loc[newest, "actor1"] = "<b>actor</b>"
    m, _ = _map(sample, year="2022", events=events, max_points=50)
    rendered = m.get_root().render()
    assert "<script>alert(1)</script>" not in rendered
    assert "<img src=x onerror=alert(1)>" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in rendered
    assert "&lt;img src=x onerror=alert(1)&gt;" in rendered
    assert "&lt;b&gt;actor&lt;/b&gt;" in rendered
    clusters = [c for c in m._children.values() if isinstance(c, folium.plugins.MarkerCluster)]
    assert len(clusters) == 1
    assert "50 newest of 60" in clusters[0].layer_name
    assert rendered.count("L.circleMarker(") == 1  # built in a loop from one data array
    assert offline.external_urls(rendered) == []


def test_extra_layers_are_added_on_top(sample: dict[str, Any], patched: None) -> None:
    extra = folium.FeatureGroup(name="Border crossings")
    m, _ = _map(sample, extra_layers=[extra], height=500)
    assert m.height == (500.0, "px")
    assert extra.get_name() in m._children
    rendered = m.get_root().render()
    assert rendered.index(extra.get_name()) > rendered.index(_units_layer(m).get_name())


def test_st_folium_gets_the_map_frame_and_local_links(sample: dict[str, Any], st_folium_calls: list[dict]) -> None:
    import streamlit_folium

    m, _ = _map(sample, events=sample["events"].head(20))
    streamlit_folium.st_folium(m, key="maps-test", returned_objects=["last_active_drawing"])
    (kwargs,) = st_folium_calls
    assert style.NO_DATA.pattern_id in kwargs["script"] and "markerClusterGroup" in kwargs["script"]
    links = kwargs["js_links"] + kwargs["css_links"]
    assert offline.external_urls(" ".join(f'"{u}"' for u in links)) == []


@pytest.mark.parametrize("metric", list(METRICS))
def test_the_map_names_and_shows_each_metric_as_the_tables_do(sample: dict[str, Any], patched: None, metric: str) -> None:
    """Legend, layer and tooltip name the metric by its name for readers (`style.metric_label`, which the tables
    and the sidebar show too), and the tooltip shows the unit's value of that metric from the aggregate rows."""
    label = style.metric_label(metric)
    m, c = _map(sample, metric=metric)
    assert f'<div class="atlas-legend-title">{html.escape(label)}</div>' in style.legend_html(c, metric=metric)
    layer = _units_layer(m)
    assert layer.layer_name == f"{label} by unit"
    rows = sample["rows"]
    mopti_row = rows.loc[(rows["period"] == "2019") & (rows["unit_name"] == "Mopti")].iloc[0]
    mopti = next(f["properties"] for f in layer.data["features"] if f["properties"]["unit_name"] == "Mopti")
    shown = re.search(rf"<b>{re.escape(html.escape(label))}: ([\d,.]+)</b>", mopti["tooltip"])
    assert shown, mopti["tooltip"]
    assert float(shown[1].replace(",", "")) == pytest.approx(float(mopti_row[metric]), rel=5e-3)
    for other in METRICS:  # every other metric is listed under it
        assert html.escape(style.metric_label(other)) in mopti["tooltip"]


def test_map_inputs_from_aggregate_rows(sample: dict[str, Any]) -> None:
    rows = sample["rows"]
    one = rows.loc[rows["period"] == "2019"]
    values = choropleth.map_values(one)
    assert not values.index.str.startswith("_").any() and "events" in values
    with pytest.raises(ValueError, match="more than once"):
        choropleth.map_values(rows)
    special = pd.DataFrame({"unit_code": ["_UNALLOCATED", "_OUTSIDE", "ML-1"], "country_iso3": ["MLI", "MLI", "MLI"],
                            "events": [300, 12, 5]})
    assert choropleth.unplaced_counts(special) == {"MLI": 312}
    long = svgmap.long_values(rows, "fatalities")
    assert list(long.columns) == ["unit_code", "period", "value"] and len(long) == len(_unit_rows(rows))


# --- small multiples ------------------------------------------------------------------------------


def test_small_multiples_svg_has_one_panel_per_period_and_parses(sample: dict[str, Any]) -> None:
    rows = sample["rows"]
    long = svgmap.long_values(rows, "events")
    long = long.loc[~((long["unit_code"] == "ML-8") & (long["period"] == "2016"))]  # no data in one panel
    periods = sorted(long["period"].unique())
    c = style.classify(long["value"])
    svg = svgmap.small_multiples_svg(
        sample["units"], long, classification=c, periods=periods, text=FigureText("Events <by> unit & year"), aoi=sample["aoi"],
        metric="events",
    )
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG_NS}svg"
    panels = [g for g in root.iter(f"{SVG_NS}g") if g.get("class") == "panel"]
    assert [p.get("data-period") for p in panels] == periods
    n_units = len(sample["units"])
    shapes = {f"#{p.get('id')}" for p in root.find(f"{SVG_NS}defs").iter(f"{SVG_NS}path") if p.get("id", "").startswith("u")}
    assert len(shapes) == n_units  # each unit's shape is drawn once ...
    for panel in panels:
        units = [u for u in panel.iter(f"{SVG_NS}use") if u.find(f"{SVG_NS}title") is not None]
        assert len(units) == n_units and {u.get("href") for u in units} == shapes  # ... and used in every panel
    fills = [u.get("fill") for u in root.iter(f"{SVG_NS}use") if u.find(f"{SVG_NS}title") is not None]
    assert style.ZERO_COLOR in fills and set(c.colors) <= set(fills)
    hatched = [f for f in fills if f.startswith("url(#")]
    assert len(hatched) == 1  # ML-8 in 2016 only
    assert root.find(f"{SVG_NS}title").text == "Events <by> unit & year"
    assert "Events <by>" not in svg and svg.isascii()
    assert len(svg.encode()) < 200_000  # eight panels cost little more than one


def test_small_multiples_validates_input(sample: dict[str, Any]) -> None:
    c = style.classify([1, 2, 3])
    with pytest.raises(ValueError, match="columns"):
        svgmap.small_multiples_svg(sample["units"], pd.DataFrame({"unit_code": []}), classification=c, periods=[], text=FigureText("t"))
    twice = pd.DataFrame({"unit_code": ["ML-1", "ML-1"], "period": ["2019", "2019"], "value": [1, 2]})
    with pytest.raises(ValueError, match="several rows"):
        svgmap.small_multiples_svg(sample["units"], twice, classification=c, periods=["2019"], text=FigureText("t"))


# --- in a real browser ----------------------------------------------------------------------------


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on localhost serving tmp_path, with the vendored assets at /app/static/vendor."""
    offline.install_static_assets(tmp_path / "app" / "static")

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", tmp_path
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.browser
@pytest.mark.slow
def test_map_paints_in_chromium(sample: dict[str, Any], served: tuple[str, Path], patched: None, chromium_browser) -> None:
    Image = pytest.importorskip("PIL.Image")
    base, root = served
    m, _ = _map(sample, drop=("ML-8",), unallocated={"MLI": 312}, legend="inside")
    (root / "map.html").write_text(m.get_root().render(), encoding="utf-8")

    context = chromium_browser.new_context(viewport={"width": 1100, "height": 750})
    try:
        page = context.new_page()
        errors: list[str] = []
        requests: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(f"{base}/map.html")
        page.wait_for_selector(".leaflet-overlay-pane path.leaflet-interactive", timeout=30_000)
        page.wait_for_load_state("networkidle")
        page.wait_for_timeout(1500)
        assert errors == []
        assert [u for u in requests if not u.startswith(base)] == []
        assert page.locator(".atlas-legend").is_visible()
        assert "No data" in page.locator(".atlas-legend").inner_text()

        # Sample interior points of each unit: the pixel must carry the unit's fill (painted).
        points = page.evaluate("""() => {
            const out = [];
            document.querySelectorAll('.leaflet-overlay-pane path.leaflet-interactive').forEach(el => {
                const bb = el.getBoundingClientRect();
                for (let i = 1; i < 4; i++) for (let j = 1; j < 4; j++) {
                    const x = Math.round(bb.left + bb.width * i / 4), y = Math.round(bb.top + bb.height * j / 4);
                    if (x > 270 && x < innerWidth && y > 0 && y < innerHeight && document.elementFromPoint(x, y) === el) {
                        out.push([x, y, el.getAttribute('fill')]);
                    }
                }
            });
            return out;
        }""")
        assert len(points) > 30
        png = root / "shot.png"
        page.screenshot(path=str(png))
        image = Image.open(png).convert("RGB")
        painted = 0
        for x, y, fill in points:
            if fill.startswith("#"):
                want = tuple(int(fill[i:i + 2], 16) for i in (1, 3, 5))
                got = image.getpixel((x, y))
                painted += max(abs(a - b) for a, b in zip(want, got)) <= 40
        hex_points = sum(1 for *_, fill in points if fill.startswith("#"))
        assert painted >= 0.8 * hex_points  # the rest sit on white unit outlines or labels

        # Hover reaches the units through the (non-interactive) borders and shows the tooltip.
        x, y, _ = points[len(points) // 2]
        page.mouse.move(x, y)
        page.wait_for_timeout(300)
        tooltip = page.locator(".leaflet-tooltip")
        assert tooltip.count() == 1 and "Events" in tooltip.inner_text()
    finally:
        context.close()


# --- the animation and the multiples name places and share one classification --------------------


def _years(sample: dict[str, Any], metric: str = "fatalities") -> tuple[pd.DataFrame, list[str]]:
    rows = sample["rows"]
    periods = ["2018", "2019", "2020", "2021"]
    return svgmap.long_values(rows[rows["period"].isin(periods)], metric), periods


def test_animation_has_a_frame_per_period_with_each_units_value_and_one_classification(sample: dict[str, Any]) -> None:
    import json as json_lib

    long, periods = _years(sample)
    c = style.classify(long["value"])
    animation = svgmap.animated_map_html(sample["units"], long, classification=c, periods=periods, text=TEXT,
                                         metric="fatalities", start="2019", partial={"2021": "1 Aug"})
    frames = animation.frames
    assert frames["periods"] == periods and frames["titles"][-1] == "2021: to 1 Aug"
    expected = long.set_index(["unit_code", "period"])["value"]
    palette = style.PALETTE[c.k]
    fills_seen = set()
    for i, period in enumerate(periods):
        for code, fill, value, text in zip(frames["codes"], frames["fills"][i], frames["values"][i], frames["texts"][i]):
            figure = float(expected[(code, period)])  # the input, not what the builder computed
            assert value == pytest.approx(figure)
            # The one classification colours every frame: the palette's colour of the first bound at or above the
            # figure, zero in its own grey.
            want = style.ZERO_COLOR if figure == 0 else palette[min(bisect.bisect_left(c.bounds, figure), c.k - 1)]
            assert fill == want, (code, period, figure)
            assert text.endswith(f": {style.format_metric('fatalities', figure)}")
            fills_seen.add(fill)
    assert set(palette) <= fills_seen  # every class occurs in some frame
    # The page can read the same frames from the HTML, which starts on the frame asked for.
    embedded = re.search(r'<script type="application/json" class="atlas-frames">(.*?)</script>', animation.html, re.S)[1]
    assert json_lib.loads(embedded)["fills"] == frames["fills"]
    assert 'data-frame="2019"' in animation.html and animation.html.isascii()
    assert animation.height > 300 and animation.width >= 900
    assert "SAMPLE DATA" in animation.html  # TEXT carries the sample's watermark


def test_the_year_maps_name_countries_and_regions_and_say_where_the_data_stop(sample: dict[str, Any]) -> None:
    long, periods = _years(sample)
    c = style.classify(long["value"])
    svg = svgmap.small_multiples_svg(sample["units"], long, classification=c, periods=periods, text=TEXT, metric="fatalities",
                                     columns=2, panel_width=440, partial={"2021": "1 Aug"})
    root = ET.fromstring(svg)
    countries = {t.text for t in root.iter(f"{SVG_NS}text") if t.get("class") == "country-label"}
    regions = {t.text for t in root.iter(f"{SVG_NS}text") if t.get("class") == "unit-label"}
    assert {"MALI", "NIGER"} <= countries and "BURKINA FASO" in countries
    assert {"Tombouctou", "Agadez"} <= regions
    titles = [g.find(f"{SVG_NS}text").text for g in root.iter(f"{SVG_NS}g") if g.get("class") == "panel"]
    assert titles == ["2018", "2019", "2020", "2021: to 1 Aug"]
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG_NS}text"))
    assert TEXT.filter_line in texts and "Source: synthetic sample" in texts and "SAMPLE DATA" in texts
    assert "* 2021: the data end on 1 Aug" in texts
    animation = svgmap.animated_map_html(sample["units"], long, classification=c, periods=periods, text=TEXT, metric="fatalities")
    assert 'class="unit-label"' in animation.html and 'class="country-label"' in animation.html


def test_a_focus_crops_the_year_maps_to_its_area(sample: dict[str, Any]) -> None:
    from geo.figures.focus import focus_bounds

    long, periods = _years(sample)
    c = style.classify(long["value"])
    whole = svgmap.small_multiples_svg(sample["units"], long, classification=c, periods=periods[:1], text=TEXT)
    mopti = svgmap.small_multiples_svg(sample["units"], long, classification=c, periods=periods[:1], text=TEXT,
                                       view_bounds=focus_bounds("mopti"))
    count = lambda svg: sum(1 for p in ET.fromstring(svg).iter(f"{SVG_NS}use") if p.find(f"{SVG_NS}title") is not None)  # noqa: E731
    assert count(mopti) < count(whole) / 2  # far units are left out
    assert 'clip-path="url(#panel-clip)"' in mopti


def test_text_in_the_year_maps_is_escaped(sample: dict[str, Any]) -> None:
    units = sample["units"].copy()
    units.loc[units["unit_code"] == "ML-6", "unit_name"] = "<script>x</script>"
    long, periods = _years(sample)
    c = style.classify(long["value"])
    hostile = FigureText("<img src=x onerror=alert(1)>", "a<b", "c & d")
    animation = svgmap.animated_map_html(units, long, classification=c, periods=periods, text=hostile, metric="fatalities")
    svg = svgmap.small_multiples_svg(units, long, classification=c, periods=periods, text=hostile, metric="fatalities")
    for out in (animation.html, svg):
        assert "<script>x</script>" not in out and "<img src=x" not in out
    assert "\\u003cscript\\u003ex" in animation.html  # inside the frames' JSON too


def test_the_choropleth_checks_every_argument_before_drawing(sample: dict[str, Any]) -> None:
    """The check step says every problem at once, before anything is drawn."""
    values = choropleth.map_values(sample["rows"].loc[sample["rows"]["period"] == "2019"])
    with pytest.raises(ValueError) as info:
        choropleth.choropleth_map(sample["units"], pd.concat([values, values]), metric="deaths", classification=style.classify([1, 2]),
                                  text=FigureText("t"), legend="under", view_bounds=(0, 1))
    message = str(info.value)
    for problem in ("no column 'deaths'", "one row per unit_code", "legend must be 'beside' or 'inside', not 'under'",
                    "view_bounds must be (west, south, east, north)"):
        assert problem in message, message
