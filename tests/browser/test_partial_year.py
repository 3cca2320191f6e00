"""A last year the data cover only in part, in a real browser: the app opens on the year before, and every figure
that shows the partial year says where the data stop (an ACLED-like store built here, with events up to
25 July 2020 and published on 3 August 2020)."""

from __future__ import annotations

import pytest
from browserlib import Recorder, shot, wait_for_app
from conftest import start_app, stop_app
from helpers import acled_csv, acled_row

PUBLISHED = "1596481842"  # 2020-08-03


@pytest.fixture(scope="module")
def partial_app(tmp_path_factory):
    from geo.ingest import ingest_files
    from geo.store import Store

    home = tmp_path_factory.mktemp("partial-home")
    rows = [acled_row(event_id=f"P{i}", date=f"{year}-{month:02d}-15", fatalities=str(3 + i % 7), timestamp=PUBLISHED,
                      admin1=admin1, lat=lat, lon=lon, country=country, iso=iso)
            for i, (year, month, admin1, lat, lon, country, iso) in enumerate(
                [(y, m, "Mopti", "14.25", "-3.63", "Mali", "466") for y in (2018, 2019) for m in range(1, 13)]
                + [(2020, m, "Mopti", "14.25", "-3.63", "Mali", "466") for m in range(1, 8)]
                + [(y, 6, "Sahel", "14.0", "-0.5", "Burkina Faso", "854") for y in (2018, 2019, 2020)])]
    rows.append(acled_row(event_id="PLAST", date="2020-07-25", timestamp=PUBLISHED))
    csv = home / "acled_2020-08-03.csv"
    csv.write_text(acled_csv(*rows))
    url = f"sqlite:///{home / 'store.sqlite'}"
    with pytest.MonkeyPatch.context() as mp:  # module scope runs before the per-test data home: this one's own
        mp.setenv("ATLAS_HOME", str(home))
        store = Store(url)
        ingest_files([csv], store)
        store.dispose()
    proc, app_url = start_app(home, {"ATLAS_DB_URL": url})
    yield app_url
    stop_app(proc)


def test_the_partial_last_year_is_marked_on_the_map_and_the_trends(browser, partial_app):
    page = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    page.recorder = Recorder(page)
    page.goto(partial_app + "/")
    wait_for_app(page)
    # Opens on 2019, the last complete year, not on 2020 which runs only to 25 July.
    assert page.locator("h1").first.inner_text() == "Events per region in Mali, Burkina Faso and Niger, 2019"
    assert "year_from=2019" in page.url
    assert "accessed 3 Aug 2020" in page.inner_text("body")  # the data's own date, not the day of the upload
    page.goto(partial_app + "/?year_from=2019&year_to=2020&metric=fatalities")
    wait_for_app(page)
    body = page.inner_text("body")
    assert "2020 is not complete: the ACLED data end on 25 Jul 2020" in body
    assert "2019–2020 (2020 to 25 Jul)" in body and "to 2020-12-31" not in body
    page.wait_for_timeout(1500)
    shot(page, "partial_year_map")
    page.goto(partial_app + "/trends?metric=fatalities")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.wait_for_timeout(1000)
    chart = page.locator(".js-plotly-plot").first.inner_text()
    assert "2020*" in chart and "* 2020: the data end on 25 Jul" in chart
    tables = page.inner_text("body")
    assert "Change per country, 2018 to 2019" in tables  # the tables follow the year chosen (2019), not the last one
    shot(page, "partial_year_trends")
    assert [e for e in page.recorder.console_errors if "404" not in e] + page.recorder.page_errors == []
    page.context.close()
