"""The Civilians page in a real browser, on the real August 2020 ACLED export: the figures of 2019, the map
with a circle per mass-casualty event (Ogossagou's popup with its description), the charts, offline and
without errors. Screenshots: civilians_*.png in browserlib.SHOTS."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from browserlib import shot, wait_for_app
from conftest import REPO, start_app, stop_app
from helpers import ACLED_REAL, needs_real_data

from geo.figures.civilians import PERPETRATOR_COLOURS

pytestmark = needs_real_data
_KNOWN_PROBE = re.compile(r"/_stcore/(health|host-config)")


@pytest.fixture(scope="module")
def real_app(tmp_path_factory, chromium_browser):
    home = tmp_path_factory.mktemp("civilians-home")
    env = {**os.environ, "ATLAS_HOME": str(home)}
    env.pop("ATLAS_DB_URL", None)
    subprocess.run([sys.executable, "-m", "geo", "ingest", str(ACLED_REAL)], cwd=REPO, env=env, check=True,
                   capture_output=True)
    proc, url = start_app(home)
    yield url
    stop_app(proc)


def map_frame(page, timeout_ms: int = 90_000):
    """The st_folium frame once its units and circles are drawn."""
    page.wait_for_timeout(500)
    deadline = timeout_ms / 300
    for _ in range(int(deadline)):
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.locator("path.leaflet-interactive").count() > 30:
                        return frame
                except Exception:  # replaced by a rerun
                    pass
        page.wait_for_timeout(300)
    raise AssertionError("the map did not draw")


def test_the_civilians_view_of_2019(page, real_app):
    page.set_viewport_size({"width": 1500, "height": 2400})
    page.goto(real_app + "/civilians?year_from=2019&year_to=2019")
    wait_for_app(page, timeout=120_000)
    frame = map_frame(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.wait_for_timeout(3000)
    text = page.inner_text('[data-testid="stMain"]') if page.locator('[data-testid="stMain"]').count() else page.inner_text("body")
    assert "Civilians killed, 2019 — ACLED" in text
    assert "2,436" in text and "22 %" in text  # civilian fatalities of 2019, state forces' share (543 of 2,436)
    fills = frame.eval_on_selector_all("path.leaflet-interactive", "els => els.map(e => (e.getAttribute('fill') || '').toUpperCase())")
    circles = pd.Series([f for f in fills if f in set(PERPETRATOR_COLOURS.values())], dtype=object).value_counts()
    assert circles.sum() == 60, circles  # events of 2019 targeting civilians with at least 10 killed
    # One circle per such event, in the colour of its perpetrator, as the file says (pandas alone).
    raw = pd.read_csv(ACLED_REAL, skiprows=[1])
    year = raw[(raw["year"] == 2019) & (raw["fatalities"] >= 10)]
    civilian = (year["event_type"] == "Violence against civilians") | (
        (year["inter2"] == 7) & year["event_type"].isin(["Explosions/Remote violence", "Riots"]))
    kinds = {1: "state_forces", 2: "rebel_groups", 3: "political_militias", 4: "identity_militias", 8: "external_forces"}
    expected = year[civilian]["inter1"].map(kinds).map(PERPETRATOR_COLOURS).value_counts()
    assert circles.sort_index().to_dict() == expected.sort_index().to_dict()
    assert page.locator(".js-plotly-plot").count() == 2
    shot(page, "civilians_2019")
    # Ogossagou's circle is the largest: its popup gives the place, the toll and ACLED's description.
    frame.evaluate("""colours => {
        const circles = [...document.querySelectorAll('path.leaflet-interactive')].filter(
            p => colours.includes((p.getAttribute('fill') || '').toUpperCase()));
        const areas = circles.map(p => { const b = p.getBBox(); return b.width * b.height; });
        circles[areas.indexOf(Math.max(...areas))].dispatchEvent(new MouseEvent('click', {bubbles: true}));
    }""", list(PERPETRATOR_COLOURS.values()))
    popup = frame.wait_for_selector(".leaflet-popup-content", timeout=10_000).inner_text()
    assert "Ogossagou" in popup and "164 killed" in popup and "23 Mar 2019" in popup and "Dan Na Ambassagou" in popup
    assert "Ogassogou-Peulh" in popup  # the source's description
    shot(page, "civilians_ogossagou_popup")
    assert page.locator('[data-testid="stException"]').count() == 0
    errors = [e for e in page.recorder.console_errors if "404" not in e] + page.recorder.page_errors
    assert errors == [], errors
    assert [u for u in page.recorder.failed if not _KNOWN_PROBE.search(u)] == []
    assert page.recorder.external() == []
