"""Export buttons in a real browser: the Map, Trends, Borders and Civilians pages' buttons give files (Playwright
downloads in Debian's Chromium) that are the figures and tables the pages show — PNGs of twice the figure's size
that are not blank, SVG with the figure's text, CSV equal to the table behind the figure, the briefing pack's five
pages — and the event rows are offered to an analyst only, with ACLED's terms of use (here: the sample's notice) at
the top. Screenshots of each page with its buttons go to browserlib.SHOTS."""

from __future__ import annotations

import io
import subprocess
import xml.etree.ElementTree as ET

import pandas as pd
import pytest
from browserlib import shot, wait_for_app
from conftest import start_app
from helpers import check_png

PASSWORD = "s3cret-exports"


@pytest.fixture(scope="module")
def export_app(tmp_path_factory):
    """The app on the synthetic sample, with an analyst password configured."""
    from geo.auth import hash_password

    home = tmp_path_factory.mktemp("browser-exports-home")
    proc, url = start_app(home, {"ATLAS_ANALYST_PASSWORD_HASH": hash_password(PASSWORD)})
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    yield context.new_page()
    context.close()


def download_button(page, label: str):
    """The first download button whose text holds `label` (not plotly's own "Download plot as a png")."""
    return page.locator('[data-testid="stDownloadButton"] button', has_text=label).first


def download(page, label: str, tmp_path, *, timeout: float = 90_000) -> bytes:
    button = download_button(page, label)
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=timeout) as info:
        button.click()
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path.read_bytes()


def show(page, label: str) -> None:
    """Scroll the page's first button of that label into the middle of the window."""
    button = download_button(page, label)
    button.wait_for(timeout=60_000)
    button.evaluate("b => b.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(1200)


def app_view(kind: str):
    """What the app shows by default on a page (the sample, its last complete year), built without Streamlit."""
    from geo.config import get_settings
    from geo.figures.exports import ExportRequest, figure_view, prepare

    prepared = prepare(ExportRequest(), get_settings(), kind=kind)
    return figure_view(kind, prepared.inputs, prepared.view)


def test_the_map_page_downloads_its_map_and_its_table(page, export_app, tmp_path):
    page.goto(export_app + "/")
    wait_for_app(page)
    show(page, "PNG")
    shot(page, "exports_map_buttons")
    assert page.get_by_role("button", name="Event rows (CSV)").count() == 0  # a viewer gets no event rows

    shown = app_view("map")
    from geo.figures.exports import map_figure_svg
    from geo.figures.render import svg_size

    width, height = svg_size(map_figure_svg(shown))
    png = download(page, "PNG", tmp_path)
    assert check_png(png) == (2 * width, 2 * height)
    (tmp_path / "map.png").write_bytes(png)

    csv = download(page, "CSV", tmp_path).decode("utf-8")
    table = pd.read_csv(io.StringIO(csv), dtype={"unit_code": str})
    expected = shown.table.reset_index(drop=True)
    assert list(table.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(table[["unit_code", "events", "fatalities"]], expected[["unit_code", "events", "fatalities"]],
                                  check_dtype=False)


def test_the_trends_page_downloads_its_chart_and_the_briefing_pack(page, export_app, tmp_path):
    from pypdf import PdfReader

    page.goto(export_app + "/trends?year_from=2018&year_to=2021")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    show(page, "Briefing pack (PDF)")
    shot(page, "exports_trends_buttons")
    png = download(page, "PNG", tmp_path)
    assert check_png(png) == (2 * 1200, 2 * 520)
    pack = download(page, "Briefing pack (PDF)", tmp_path, timeout=180_000)
    reader = PdfReader(io.BytesIO(pack))
    assert len(reader.pages) == 5
    first = reader.pages[0].extract_text()
    assert "2018–2021" in first and "SAMPLE DATA" in first


def test_the_borders_page_downloads_its_band_chart(page, export_app, tmp_path):
    page.goto(export_app + "/borders")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    show(page, "SVG")
    shot(page, "exports_borders_buttons")
    svg = download(page, "SVG", tmp_path)
    root = ET.fromstring(svg)
    text = " ".join(t for t in root.itertext())
    assert "per band of distance to the nearest shared border" in text
    assert "synthetic sample" in text and "SAMPLE DATA" in text
    xlsx = download(page, "XLSX", tmp_path)
    sheets = pd.read_excel(io.BytesIO(xlsx), sheet_name=None, header=None)
    assert len(sheets) == 2


def test_the_civilians_page_downloads_its_chart(page, export_app, tmp_path):
    page.goto(export_app + "/civilians")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    png = download(page, "PNG", tmp_path)
    check_png(png)


def test_an_analyst_downloads_the_event_rows_with_the_terms_on_top(page, export_app, tmp_path):
    page.goto(export_app + "/data")
    wait_for_app(page)
    page.get_by_label("Your name (recorded with every change)").fill("Aminata")
    page.get_by_label("Analyst password").fill(PASSWORD)
    page.get_by_role("button", name="Log in as analyst").click()
    page.get_by_text("Logged in as analyst").wait_for(timeout=60_000)
    page.get_by_role("link", name="Map").click()  # within the session: a new page load would be a new session
    show(page, "Event rows (CSV)")
    shot(page, "exports_map_buttons_analyst")
    rows = download(page, "Event rows (CSV)", tmp_path).decode("utf-8")
    top = rows.splitlines()[:4]
    assert top[0] == '"SAMPLE DATA — not real events"'
    assert "not real data" in top[1]
    header = next(i for i, line in enumerate(rows.splitlines()) if line.startswith("source_dataset,"))
    events = pd.read_csv(io.StringIO(rows), skiprows=header)
    assert len(events) > 0 and set(events["source_dataset"]) == {"sample"}
