"""The Changes view in a real browser: two vintages of the real ACLED export (built at test time, never kept)
in the store, the Map page's "Changes" view draws its five maps (net change and each kind), the units that
moved most and the revised events, and the Trends page's "Changes" section its bars — offline, without
errors. Screenshots: changes_*.png in browserlib.SHOTS."""

from __future__ import annotations

import pytest
import vintage_scenario as vs
from browserlib import Recorder, shot, wait_for_app
from conftest import start_app, stop_app
from helpers import needs_real_data

pytestmark = needs_real_data


@pytest.fixture(scope="module")
def changes_app(tmp_path_factory):
    from geo.store import Store

    home = tmp_path_factory.mktemp("changes-browser")
    url = f"sqlite:///{home / 'changes.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ATLAS_HOME", str(home))
        mp.delenv("ATLAS_DB_URL", raising=False)
        scenario = vs.build_on_real_export(tmp_path_factory.mktemp("vintages"))
        store = vs.build_history(Store(url), scenario)
        store.dispose()
    proc, app_url = start_app(home, {"ATLAS_DB_URL": url})
    yield app_url, scenario
    stop_app(proc)


def _clean(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    errors = [e for e in page.recorder.console_errors if "404" not in e] + page.recorder.page_errors
    assert errors == [], errors
    assert page.recorder.external() == [], page.recorder.external()


def test_the_changes_view_draws_its_maps_tables_and_words(browser, changes_app):
    app_url, scenario = changes_app
    expected = vs.expected_totals(scenario)
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    page.recorder = Recorder(page)
    page.goto(app_url + "/map?view=changes&since=1&year_from=2019&year_to=2019")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().startswith("What changed: events per region, 2019")
    # Five maps (net change, new, backfill, revisions, deletions), each drawn by MapLibre on a canvas.
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .maplibregl-canvas').length >= 5", timeout=60_000)
    page.wait_for_timeout(2500)
    body = page.inner_text("body")
    assert f"{expected['new']:,} new events, {expected['backfilled']:,} backfilled (dated on or before 20 Jul 2020)" in body
    assert f"{expected['revised']:,} revised" in body and f"{expected['deleted']:,} deleted" in body
    for title in ("Net change in events", "New events", "Backfill (late reports)", "Revisions", "Deletions"):
        assert page.locator(".js-plotly-plot text", has_text=title).count() >= 1, title
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1000)
    shot(page, "changes_map")
    # In 2019 the relocations and the events dated into 2018 are revisions; the page says what moved each unit.
    heading = page.get_by_text("Units whose figures moved most, and why")
    heading.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    assert "mostly revisions" in page.inner_text("body")
    shot(page, "changes_units")
    page.get_by_text("Revised events: before → after").scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "changes_revised")
    _clean(page)
    # Trends: the Changes section, bars per period.
    page.goto(app_url + "/trends?since=1")
    wait_for_app(page)
    page.get_by_text("Changes since a batch").click()
    page.wait_for_function("() => document.querySelector('h1') && document.querySelector('h1').innerText.startsWith('What changed')",
                           timeout=60_000)
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .barlayer", timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.locator(".js-plotly-plot .legendtext", has_text="Backfill (late reports)").count() == 1
    page.locator(".js-plotly-plot").first.scroll_into_view_if_needed()
    shot(page, "changes_trends")
    _clean(page)
    page.context.close()
