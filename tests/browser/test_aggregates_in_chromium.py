"""ACLED's public aggregates (HDX) in a real browser, in English and in French, at three screen sizes (1440 × 900,
1280 × 720, 390 × 844): with Burkina Faso's table stored, the Map opens on 2024 with the provinces coloured, the Trends
run to March 2025 with the partial month marked, the Borders page says in one sentence that the source has no single
events; with HDX HAPI's rows stored, the Civilians page works on their civilian-targeting table; and with both the
August 2020 event export and the table, "Do the sources agree?" sets them side by side. Everything offline and without
errors. Screenshots: aggregates_*.png in browserlib.SHOTS (look at them)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from browserlib import Recorder, shot, wait_for_app
from conftest import REPO, start_app, stop_app
from helpers import ACLED_REAL, HAPI_REAL, HDX_BFA_REAL, needs_aggregate_data
from test_french_in_chromium import assert_french, chart_texts, shown_text
from test_pages_in_chromium import check_clean, folium_frame, unit_fills

pytestmark = needs_aggregate_data
SIZES = {"desktop": (1440, 900), "laptop": (1280, 720), "phone": (390, 844)}
NO_DATA_FILL = "url(#atlas-no-data-hatch) #ffffff"


def _app(tmp_path_factory, name: str, files: list) -> tuple[subprocess.Popen, str]:
    home = tmp_path_factory.mktemp(name)
    env = {**os.environ, "ATLAS_HOME": str(home)}
    env.pop("ATLAS_DB_URL", None)
    for path in files:
        subprocess.run([sys.executable, "-m", "geo", "ingest", str(path)], cwd=REPO, env=env, check=True, capture_output=True)
    return start_app(home)


@pytest.fixture(scope="module")
def burkina_app(tmp_path_factory, chromium_browser):
    proc, url = _app(tmp_path_factory, "aggregates-bfa", [HDX_BFA_REAL])
    yield url
    stop_app(proc)


@pytest.fixture(scope="module")
def hapi_app(tmp_path_factory, chromium_browser):
    proc, url = _app(tmp_path_factory, "aggregates-hapi", [HAPI_REAL])
    yield url
    stop_app(proc)


def selected(page, position: int) -> str:
    """The choice shown by the sidebar's `position`-th select box (0: the source, 1: the indicator)."""
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"] input').nth(position).input_value()


def _page(browser, size: str):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.recorder = Recorder(page)
    return page


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_map_opens_on_2024_with_the_provinces_coloured(browser, burkina_app, lang):
    for size in SIZES:
        page = _page(browser, size)
        page.goto(burkina_app + f"/?level=admin2{'&lang=fr' if lang == 'fr' else ''}")
        wait_for_app(page, timeout=120_000)
        frame = folium_frame(page, timeout=90)
        page.wait_for_timeout(1500)
        title = page.locator("h1").first.inner_text()
        assert title.endswith("2024"), title  # the last complete year: 2025 runs only to the table of 3 April
        assert "year_from=2024" in page.url and "source=acled-hdx" in page.url
        fills = unit_fills(frame)
        coloured = [f for f in fills if f != NO_DATA_FILL]
        # Burkina Faso's 45 provinces in several classes; Mali's cercles and Niger's départements: no data
        assert len(coloured) >= 45 and len(set(coloured)) >= 4, set(fills)
        assert fills.count(NO_DATA_FILL) >= 53 + 67
        text = shown_text(page)
        shot(page, f"aggregates_map_{lang}_{size}")
        if lang == "en":
            assert title == "Events per cercle, province or département in Mali, Burkina Faso and Niger, 2024"
            assert "Source: ACLED via HDX" in text and "table as of 3 Apr 2025" in text and "ACLED's terms of use" in text
            if size != "phone":  # (the phone's sidebar is folded away)
                assert selected(page, 0) == "ACLED aggregates (HDX)" and selected(page, 1) == "Political violence"
        else:
            assert title.startswith("Événements par")
            assert "Source : ACLED via HDX" in text and "à jour au 3 avril 2025" in text
            if size != "phone":
                assert selected(page, 0) == "Agrégats ACLED (HDX)" and selected(page, 1) == "Violence politique"
            assert_french(page, text, f"map {size}")
        check_clean(page, f"map {lang} {size}")
        page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_trends_run_to_march_2025_with_the_partial_month_marked(browser, burkina_app, lang):
    for size in SIZES:
        page = _page(browser, size)
        page.goto(burkina_app + f"/trends?period=month&year_from=2024&year_to=2025{'&lang=fr' if lang == 'fr' else ''}")
        wait_for_app(page, timeout=120_000)
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        page.wait_for_timeout(1500)
        chart = chart_texts(page)
        text = shown_text(page)
        ticks = page.locator(".js-plotly-plot .xtick text").all_text_contents()
        shot(page, f"aggregates_trends_{lang}_{size}")
        assert len(ticks) == 15 and [t for t in ticks if t.endswith("*")] == ticks[-1:], ticks  # Jan 2024 … Mar 2025*
        if lang == "en":
            assert ticks[0] == "Jan 2024" and ticks[-1] == "Mar 2025*"
            assert "* Mar 2025: in part only (ACLED's table as of 3 Apr 2025)" in chart
            assert "2025 is not complete: ACLED's table (HDX) is as of 3 Apr 2025" in text
        else:
            assert ticks[-1] == "mars 2025*" and "* mars 2025 : en partie seulement (tableau ACLED à jour au 3 avril 2025)" in chart
            assert "2025 est incomplète : le tableau ACLED (HDX) est à jour au 3 avril 2025" in text
            assert_french(page, text + "\n" + chart, f"trends {size}")
        check_clean(page, f"trends {lang} {size}")
        page.context.close()


def test_the_borders_page_says_in_one_sentence_that_the_aggregates_have_no_single_events(browser, burkina_app):
    page = _page(browser, "desktop")
    page.goto(burkina_app + "/borders")
    wait_for_app(page, timeout=120_000)
    page.wait_for_timeout(1000)
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any("they have no single events, so no event can be placed by its distance to the shared borders" in a
               for a in alerts), alerts
    assert page.locator(".js-plotly-plot").count() == 0  # no empty figure
    shot(page, "aggregates_borders_en_desktop")
    check_clean(page, "borders")
    page.context.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_civilians_page_works_on_a_civilian_targeting_table(browser, hapi_app, lang):
    for size in SIZES:
        page = _page(browser, size)
        page.goto(hapi_app + f"/civilians?year_from=2025&year_to=2025{'&lang=fr' if lang == 'fr' else ''}")
        wait_for_app(page, timeout=120_000)
        frame = folium_frame(page, timeout=90)
        page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        page.wait_for_timeout(2000)
        title = page.locator("h1").first.inner_text()
        metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
        fills = unit_fills(frame)
        text = shown_text(page)
        shot(page, f"aggregates_civilians_{lang}_{size}")
        assert len({f for f in fills if f != NO_DATA_FILL}) >= 2, set(fills)  # units with and without civilian fatalities
        if lang == "en":
            assert title == "Civilians killed, 2025 — ACLED aggregates (HDX)"
            assert metrics[0].split("\n")[0] == "Civilian fatalities" and metrics[0].split("\n")[1] != "0"
            assert "Civilian targeting" in text  # the filter line: the civilian-targeting table
            assert "they have no single events, so no mass-casualty events can be listed" in text
            assert "civilian fatalities cannot be split by perpetrator or by armed group" in text
        else:
            assert title == "Civils tués, 2025 — Agrégats ACLED (HDX)"
            assert "Ciblage de civils" in text and "aucun événement à nombreuses victimes ne peut être listé" in text
            assert_french(page, text, f"civilians {size}")
        check_clean(page, f"civilians {lang} {size}")
        page.context.close()


@pytest.mark.skipif(not ACLED_REAL.exists(), reason=f"the ACLED export {ACLED_REAL.name} is missing")
def test_do_the_sources_agree(browser, tmp_path_factory):
    proc, url = _app(tmp_path_factory, "aggregates-both", [ACLED_REAL, HDX_BFA_REAL])
    try:
        for lang in ("en", "fr"):
            page = _page(browser, "desktop")
            page.goto(url + f"/agreement?year_from=2016&year_to=2019&countries=BFA{'&lang=fr' if lang == 'fr' else ''}")
            wait_for_app(page, timeout=120_000)
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
            page.wait_for_timeout(1500)
            text = shown_text(page)
            chart = chart_texts(page)
            if lang == "en":
                assert page.locator("h1").first.inner_text() == "Do the sources agree? Political violence per region, 2016–2019"
                assert "Where both sources cover a region and a period (52 of them, 2016–2019)" in text
                assert "ACLED events (ACLED's definition)" in chart and "ACLED aggregates (HDX)" in chart
            else:
                assert page.locator("h1").first.inner_text().startswith("Les sources concordent-elles ?")
                assert_french(page, text + "\n" + chart, "agreement")
            shot(page, f"aggregates_agreement_{lang}_desktop")
            check_clean(page, f"agreement {lang}")
            page.context.close()
    finally:
        stop_app(proc)
