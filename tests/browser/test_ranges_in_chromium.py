"""Ranges in a real browser, in English and in French, at three screen sizes (1440 × 900, 1280 × 720, 390 × 844), on the
real ACLED export of August 2020 and the UCDP GED sample (ingested at test time): the Map's tooltip of Mopti and its
units table say "434 (339–491)", with the mark of a rank that could change; the Trends chart draws a band and its
tables give ranges; "Compare sources" sets ACLED beside UCDP GED; the "precise events only" switch narrows the map.
Everything offline and without errors. Screenshots: ranges_*.png in browserlib.SHOTS (look at them)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from browserlib import Recorder, shot, wait_for_app
from conftest import REPO, start_app, stop_app
from helpers import ACLED_REAL, UCDP_REAL, needs_real_data
from playwright.sync_api import Error as PlaywrightError
from test_french_in_chromium import assert_french, chart_texts, shown_text
from test_pages_in_chromium import check_clean, folium_frame

pytestmark = needs_real_data
SIZES = {"desktop": (1440, 900), "laptop": (1280, 720), "phone": (390, 844)}
#: The pixel of Mopti's centre on the map (Leaflet's own projection, asked of the map in the frame).
_MOPTI = """() => {
  const map = Object.values(window).find(v => v && v instanceof L.Map);
  const p = map.latLngToContainerPoint([14.6, -3.3]);
  return [p.x, p.y];
}"""


@pytest.fixture(scope="module")
def real_app(tmp_path_factory, chromium_browser):
    home = tmp_path_factory.mktemp("ranges")
    env = {**os.environ, "ATLAS_HOME": str(home)}
    env.pop("ATLAS_DB_URL", None)
    for path in (ACLED_REAL, UCDP_REAL):
        subprocess.run([sys.executable, "-m", "geo", "ingest", str(path)], cwd=REPO, env=env, check=True, capture_output=True)
    proc, url = start_app(home)
    yield url
    stop_app(proc)


def _page(browser, size: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.recorder = Recorder(page)
    return page


def _lang(lang: str) -> str:
    return "&lang=fr" if lang == "fr" else ""


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_map_tooltip_and_table_give_ranges(browser, real_app, lang):
    for size in SIZES:
        page = _page(browser, size)
        page.goto(real_app + f"/?year_from=2019&year_to=2019{_lang(lang)}")
        wait_for_app(page, timeout=120_000)
        frame = folium_frame(page, timeout=90)
        page.wait_for_timeout(1200)
        x, y = frame.evaluate(_MOPTI)
        frame.locator(".leaflet-container").hover(position={"x": x, "y": y})
        frame.wait_for_selector(".leaflet-tooltip", timeout=10_000)
        tooltip = frame.locator(".leaflet-tooltip").inner_text()
        if size != "phone":
            page.locator('[data-testid="stIFrame"], iframe').first.scroll_into_view_if_needed()
        shot(page, f"ranges_map_tooltip_{lang}_{size}")
        assert "Mopti" in tooltip
        # 434 events in Mopti in 2019, of which 339 lie there for certain and 491 may
        assert ("434 (339–491)" if lang == "en" else "434 (339\u202f–\u202f491)") in tooltip, tooltip
        table = page.locator('[data-testid="stDataFrame"]').first
        table.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        shot(page, f"ranges_map_table_{lang}_{size}")
        text = shown_text(page)
        if lang == "en":
            assert "In brackets, and the bands on charts" in text and "ACLED precision 2: within 25 km" in text
        else:
            assert "Entre parenthèses, et en bande" in text and "ACLED précision 2 : à moins de 25 km" in text
            assert_french(page, text, f"map {size}")
        check_clean(page, f"map {lang} {size}")
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_trends_draw_a_band_and_their_tables_give_ranges(browser, real_app, lang):
    for size in SIZES:
        page = _page(browser, size)
        page.goto(real_app + f"/trends?year_from=2016&year_to=2019{_lang(lang)}")
        wait_for_app(page, timeout=120_000)
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        page.wait_for_timeout(1500)
        fills = page.locator(".js-plotly-plot .scatterlayer .js-fill").count()
        chart = chart_texts(page)
        shot(page, f"ranges_trends_{lang}_{size}")
        assert fills >= 3, fills  # a band per country
        assert ("Shaded: the range of each figure" if lang == "en" else "En grisé : l'intervalle") in chart
        page.locator('[data-testid="stDataFrame"]').nth(1).scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        shot(page, f"ranges_trends_tables_{lang}_{size}")
        if lang == "fr":
            assert_french(page, shown_text(page) + "\n" + chart, f"trends {size}")
        check_clean(page, f"trends {lang} {size}")
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compare_sources_sets_acled_beside_ucdp(browser, real_app, lang):
    for size in SIZES:
        page = _page(browser, size)
        page.goto(real_app + f"/trends?year_from=2016&year_to=2019{_lang(lang)}")
        wait_for_app(page, timeout=120_000)
        page.get_by_text("Compare sources" if lang == "en" else "Comparer les sources", exact=True).click()
        page.wait_for_function("() => [...document.querySelectorAll('h1')].some(h => h.innerText.includes('UCDP GED'))",
                               timeout=60_000)
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        page.wait_for_timeout(1500)
        title = page.locator("h1").first.inner_text()
        chart = chart_texts(page)
        text = shown_text(page)
        shot(page, f"ranges_compare_{lang}_{size}")
        page.locator('[data-testid="stDataFrame"]').first.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        shot(page, f"ranges_compare_table_{lang}_{size}")
        if lang == "en":
            assert title == "ACLED and UCDP GED: events per region, 2016–2019"
            assert "never added together" in text and "Their ranges overlap in" in text
            assert "Political violence" in chart  # what both are counted with
        else:
            assert title == "ACLED et UCDP GED : événements par région, 2016–2019"
            assert "jamais additionnées" in text and "Leurs intervalles se recoupent" in text
            assert_french(page, text + "\n" + chart, f"compare {size}")
        assert "ACLED" in chart and "UCDP GED" in chart
        check_clean(page, f"compare {lang} {size}")
        page.context.close()


def test_precise_events_only(browser, real_app):
    page = _page(browser, "desktop")
    page.goto(real_app + "/?year_from=2019&year_to=2019")
    wait_for_app(page, timeout=120_000)
    folium_frame(page, timeout=90)
    page.locator('[data-testid="stSidebar"]').get_by_text("Precise events only", exact=True).click()
    page.wait_for_function("() => window.location.search.includes('precision=1')", timeout=60_000)
    wait_for_app(page, timeout=120_000)
    for attempt in range(4):  # (a rerun after the switch may still replace the map's frame: hover the new one)
        frame = folium_frame(page, timeout=90)
        page.wait_for_timeout(1500)
        try:
            x, y = frame.evaluate(_MOPTI)
            frame.locator(".leaflet-container").hover(position={"x": x, "y": y}, timeout=15_000)
            frame.wait_for_selector(".leaflet-tooltip", timeout=10_000)
            tooltip = frame.locator(".leaflet-tooltip").inner_text()
            break
        except PlaywrightError:
            if attempt == 3:
                raise
            wait_for_app(page, timeout=120_000)
    shot(page, "ranges_precise_only")
    assert "located at precision 1 or better" in page.locator('[data-testid="stCaptionContainer"]').first.inner_text()
    assert "Mopti" in tooltip and "434" not in tooltip  # fewer events: only those located to their town
    check_clean(page, "precise")
    page.context.close()
