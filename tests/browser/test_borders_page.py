"""The Borders page in a real browser: it loads cleanly and offline, its map draws the shared borders, the
distance bands, events by band and the cross-border pair lines, the sidebar's year slider changes them,
and Play advances the years."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from browserlib import shot, wait_for_app

# Streamlit's front end probes /<page>/_stcore/health and /host-config when a sub-page URL is opened directly
# (streamlit/streamlit#7074): 404s that are not errors of the atlas (as in test_pages_in_chromium).
_KNOWN_PROBE = re.compile(r"/_stcore/(health|host-config)")

# What the map shows, read from its plotly graph div and from the MapLibre map that draws it: the traces
# (by the `meta` names border_views.border_map gives them), their points, and how many features MapLibre
# actually rendered for each trace's layers.
_MAP_STATE = """() => {
    const gd = [...document.querySelectorAll('.js-plotly-plot')].find(
        g => g.data && g.data.some(t => t.meta === 'pairs'));
    if (!gd || !gd._fullLayout || !gd._fullLayout.map || !gd._fullLayout.map._subplot) { return null; }
    const map = gd._fullLayout.map._subplot.map;
    let style = null;
    try { style = map.getStyle(); } catch (e) { return null; }
    if (!style || !style.layers) { return null; }
    const layerIds = style.layers.map(l => l.id);
    const out = {traces: {}, rendered: {}, names: {}, slider: null};
    gd._fullData.forEach(t => {
        const meta = String(t.meta || '');
        if (!meta) { return; }
        const n = t.lon ? Array.from(t.lon).filter(v => v !== null && !Number.isNaN(v)).length
                        : (t.locations ? t.locations.length : 0);
        out.traces[meta] = n;
        out.names[meta] = String(t.name || '');
        const ids = layerIds.filter(id => id.includes(t.uid));
        out.rendered[meta] = ids.length ? map.queryRenderedFeatures({layers: ids}).length : 0;
    });
    const label = gd.querySelector('text.slider-label');
    out.slider = label ? label.textContent : null;
    return out;
}"""


@pytest.fixture(scope="module")
def pairs_per_year() -> pd.Series:
    """Cross-border pairs of the synthetic sample per year (default thresholds), as the page computes them."""
    from geo.borders import cross_border_pairs, shared_borders
    from geo.boundaries import load_boundary_set
    from geo.dataset import load_sample
    from geo.join import place_events

    boundaries = load_boundary_set()  # the default set, which the page shows
    events = load_sample()
    pairs = cross_border_pairs(events, place_events(events, boundaries), shared_borders(boundaries))
    return pd.to_datetime(pairs["date_a"]).dt.year.value_counts()


def console_errors(page) -> list[str]:
    return [e for e in page.recorder.console_errors if "404" not in e] + page.recorder.page_errors


def bad_responses(page) -> list[str]:
    return [u for u in page.recorder.failed if not _KNOWN_PROBE.search(u)]


def check_clean(page, name: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, name
    assert console_errors(page) == [], (name, console_errors(page), page.recorder.failed, page.recorder.external())
    assert bad_responses(page) == [], (name, bad_responses(page))
    assert page.recorder.external() == [], (name, page.recorder.external())


def map_state(page, timeout: float = 60_000) -> dict:
    """The map's traces and rendered features, once MapLibre has drawn the borders."""
    page.wait_for_function(
        f"() => {{ const s = ({_MAP_STATE})(); return s && s.rendered['border:ML-BF'] > 0; }}", timeout=timeout
    )
    page.wait_for_timeout(500)
    return page.evaluate(_MAP_STATE)


def events_shown(state: dict) -> int:
    """Events the map's markers stand for: each band's legend entry says how many (a marker is one event, or a
    grid cell of several when the events are too many to send one by one)."""
    return sum(int(re.search(r"\(([\d,]+)\)$", name).group(1).replace(",", ""))
               for meta, name in state["names"].items() if meta.startswith("events:"))


def markers_drawn(state: dict) -> int:
    return sum(n for meta, n in state["traces"].items() if meta.startswith("events:"))


def test_borders_page_loads_offline_and_draws_borders_bands_and_pairs(page, app_url, pairs_per_year):
    page.goto(app_url + "/borders")
    wait_for_app(page)
    state = map_state(page)
    assert "Violence near the shared borders, 2022" in page.locator("h1").first.inner_text()
    assert "Synthetic sample" in page.inner_text('[data-testid="stAlert"]')
    # The three shared borders, drawn by MapLibre.
    for border in ("ML-BF", "ML-NE", "BF-NE"):
        assert state["traces"][f"border:{border}"] > 10 and state["rendered"][f"border:{border}"] > 0, state
    # The distance bands inside the three countries (0-10, 10-50, 50-100 km) and the tri-border zone.
    bands = [m for m in state["traces"] if m.startswith("band:")]
    assert bands == ["band:0-10", "band:10-50", "band:50-100"], state
    assert all(state["rendered"][m] > 0 for m in bands), state
    assert state["rendered"]["tri-zone"] > 0
    # Events by band and the cross-border pairs of 2022 (two points each).
    assert events_shown(state) > 1000 and markers_drawn(state) > 50
    assert pairs_per_year[2022] > 50
    from geo.figures.borders import pair_lines_per_view

    frames = 2022 - 2015 + 1  # the sample's years, one frame each
    drawn = min(pairs_per_year[2022], pair_lines_per_view(frames))
    assert state["traces"]["pairs"] == 2 * drawn and state["rendered"]["pairs"] > 0, state
    assert state["names"]["pairs"].endswith(f"({pairs_per_year[2022]:,})")
    assert state["slider"] == "Year: 2022"
    metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert any("within 50 km" in m and "%" in m for m in metrics), metrics
    # Every chart rendered: map, share, band, segment, pairs, actor footprint.
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 6", timeout=60_000)
    shot(page, "borders_2022")
    page.locator('.js-plotly-plot').nth(1).scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "borders_charts")
    page.locator('.js-plotly-plot').nth(5).scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "borders_actor")
    check_clean(page, "borders")


def test_the_year_slider_changes_the_map(page, app_url, pairs_per_year):
    page.goto(app_url + "/borders")
    wait_for_app(page)
    before = map_state(page)
    # "Compare or sum several years" opens a range (2018–2022, its handles apart); its first handle moves to 2019.
    page.locator('[data-testid="stSidebar"]').get_by_text("Compare or sum several years").click()
    page.wait_for_function("() => document.querySelector('h1').innerText.includes('2018–2022')", timeout=60_000)
    wait_for_app(page)
    thumbs = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]')
    thumbs.first.focus()
    page.keyboard.press("ArrowRight")
    wait_for_app(page)
    page.wait_for_function("() => document.querySelector('h1').innerText.includes('2019–2022')", timeout=60_000)
    page.wait_for_function(
        f"() => {{ const s = ({_MAP_STATE})(); return s && s.slider && s.slider.includes('2019–2022'); }}", timeout=60_000
    )
    after = map_state(page)
    assert "year_from=2019" in page.url
    # 2019-2022 together: more events and more pairs than 2022 alone.
    assert events_shown(after) > events_shown(before)
    assert after["names"]["pairs"].endswith(f"({sum(pairs_per_year.get(y, 0) for y in range(2019, 2023)):,})"), after
    assert after["rendered"]["pairs"] > before["rendered"]["pairs"] > 0
    shot(page, "borders_2019_2022")
    check_clean(page, "borders slider")


def test_play_advances_the_years(page, app_url):
    page.goto(app_url + "/borders?year_from=2022&year_to=2022")
    wait_for_app(page)
    first = map_state(page)
    assert first["slider"] == "Year: 2022"
    plot = page.locator(".js-plotly-plot").first
    plot.locator(".updatemenu-button", has_text="Play").click()
    page.wait_for_function(
        f"() => {{ const s = ({_MAP_STATE})(); return s && s.slider && s.slider !== 'Year: 2022'; }}", timeout=10_000
    )
    page.wait_for_timeout(1000)
    playing = page.evaluate(_MAP_STATE)
    assert playing["slider"].startswith("Year: 201"), playing["slider"]  # from the first year on
    assert events_shown(playing) != events_shown(first) and markers_drawn(playing) != markers_drawn(first)
    shot(page, "borders_playing")
    check_clean(page, "borders play")
