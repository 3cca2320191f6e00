"""The atlas in a real browser: every page loads cleanly and offline, the map draws its units, the year
slider changes the fills, Play animates, and a copied URL restores the view."""

from __future__ import annotations

import re

from browserlib import shot, wait_for_app

# Streamlit's front end probes /<page>/_stcore/health and /host-config before the server root when a
# sub-page URL is opened directly (streamlit/streamlit#7074): two 404s that are not errors of the atlas.
_KNOWN_PROBE = re.compile(r"/_stcore/(health|host-config)")


def console_errors(page) -> list[str]:
    return [e for e in page.recorder.console_errors if "404" not in e] + page.recorder.page_errors


def bad_responses(page) -> list[str]:
    return [u for u in page.recorder.failed if not _KNOWN_PROBE.search(u)]


def folium_frame(page, timeout: float = 60.0):
    """The st_folium component's frame once its map has drawn units."""
    import time

    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            if "streamlit_folium" in frame.url:
                try:
                    if frame.locator("path.leaflet-interactive").count() > 0:
                        return frame
                except Exception:  # the frame is being replaced by a rerun
                    pass
        page.wait_for_timeout(300)
    raise AssertionError("the st_folium map did not draw any unit")


def unit_fills(frame) -> list[str]:
    return frame.eval_on_selector_all("path.leaflet-interactive", "els => els.map(e => e.getAttribute('fill'))")


def check_clean(page, name: str) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, name
    assert console_errors(page) == [], (name, console_errors(page))
    assert bad_responses(page) == [], (name, bad_responses(page))
    assert page.recorder.external() == [], (name, page.recorder.external())


def test_every_page_loads_offline_without_errors(page, app_url):
    for path, name, heading in [("/", "map", "Events per admin-1 unit"), ("/trends", "trends", "per country"),
                                ("/about", "about", "About the atlas")]:
        page.goto(app_url + path)
        wait_for_app(page)
        if name == "map":
            folium_frame(page)
        elif name == "trends":
            page.wait_for_selector(".js-plotly-plot", timeout=60_000)
        page.wait_for_timeout(1500)
        assert heading in page.locator("h1").first.inner_text()
        assert "Synthetic sample" in page.inner_text('[data-testid="stAlert"]')
        shot(page, f"page_{name}")
        check_clean(page, name)


def test_map_draws_every_unit_and_the_year_slider_changes_the_fills(page, app_url):
    page.goto(app_url + "/")
    wait_for_app(page)
    frame = folium_frame(page)
    page.wait_for_timeout(1000)
    before = unit_fills(frame)
    assert len(before) >= 31  # the 31 admin-1 units of the default set
    assert len(set(before)) >= 4  # several classes actually drawn, not a blank map
    shot(page, "map_2022")
    thumbs = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]')
    thumbs.first.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    wait_for_app(page)
    page.wait_for_function("() => document.querySelector('h1').innerText.includes('2017–2022')", timeout=60_000)
    # The map component re-renders after the script run: poll until its fills have changed.
    after = before
    for _ in range(60):
        page.wait_for_timeout(500)
        try:
            after = unit_fills(folium_frame(page))
        except Exception:  # the frame is being replaced
            continue
        if after != before and len(after) >= 31:
            break
    assert len(after) >= 31
    assert after != before
    assert "year_from=2017" in page.url
    shot(page, "map_2017_2022")
    check_clean(page, "map slider")


def test_admin2_map_fills_the_three_countries(page, app_url):
    """Admin 2 of the default set: Mali's cercles and Niger's départements are drawn and coloured, not blank."""
    page.goto(app_url + "/?level=admin2")
    wait_for_app(page)
    assert "admin-2 unit" in page.locator("h1").first.inner_text()
    frame = folium_frame(page)
    page.wait_for_timeout(1500)
    fills = unit_fills(frame)
    assert len(fills) >= 165  # 53 cercles, 45 provinces, 67 départements
    assert len(set(fills)) >= 4
    assert not [f for f in fills if "atlas-no-data-hatch" in str(f)]  # every unit has data, none blank
    caption = page.get_by_text("Boundaries: OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)").first
    assert caption.count() == 1
    shot(page, "map_admin2")
    check_clean(page, "admin2 map")


def test_play_advances_the_animation(page, app_url):
    page.goto(app_url + "/?view=animation")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .updatemenu-button", timeout=60_000)
    page.wait_for_timeout(2000)
    label = page.locator(".js-plotly-plot text.slider-label").first  # "Year: 2015"
    first = label.text_content()
    assert first.startswith("Year")
    shot(page, "animation_first")
    page.locator(".js-plotly-plot .updatemenu-button", has_text="Play").click()
    page.wait_for_timeout(3500)
    later = label.text_content()
    assert first != later, (first, later)
    shot(page, "animation_playing")
    check_clean(page, "animation")


def test_a_copied_url_restores_the_view(page, browser, app_url):
    page.goto(app_url + "/trends?metric=fatalities&year_from=2018&year_to=2020&countries=BFA&trend_by=event_type")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text().startswith("Fatalities per event type")
    page.wait_for_function(
        "() => { const t = document.querySelector('[data-testid=\"stSidebar\"]').innerText; "
            "return t.includes('Burkina Faso') && t.includes('2018') && t.includes('2020'); }", timeout=30_000
    )
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Burkina Faso" in sidebar and "2018" in sidebar and "2020" in sidebar
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    copied = page.url
    assert "metric=fatalities" in copied and "countries=BFA" in copied
    other = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    other.goto(copied)
    wait_for_app(other)
    assert other.locator("h1").first.inner_text() == page.locator("h1").first.inner_text()
    other.wait_for_function(
        "() => { const t = document.querySelector('[data-testid=\"stSidebar\"]').innerText; "
            "return t.includes('Burkina Faso') && t.includes('2018') && t.includes('2020'); }", timeout=30_000
    )
    other.wait_for_selector(".js-plotly-plot", timeout=60_000)
    shot(other, "copied_url_trends")
    other.context.close()
    check_clean(page, "copied url")


def test_border_overlay_on_the_map(page, app_url):
    page.goto(app_url + "/?border_overlay=1")
    wait_for_app(page)
    frame = folium_frame(page)
    frame.wait_for_selector("path.atlas-shared-border", timeout=30_000)
    assert frame.locator("path.atlas-shared-border").count() >= 3
    assert frame.locator("path.atlas-border-band").count() >= 1
    assert frame.locator("path.atlas-tri-zone").count() == 1
    page.wait_for_timeout(1000)
    shot(page, "map_border_overlay")
    check_clean(page, "map overlay")


def test_clicking_a_unit_shows_its_detail(page, app_url):
    page.goto(app_url + "/")
    wait_for_app(page)
    frame = folium_frame(page)
    page.wait_for_timeout(1500)
    # The largest unit (Tombouctou or Agadez) is easy to hit at its centre.
    paths = frame.locator("path.leaflet-interactive")
    boxes = [paths.nth(i).bounding_box() for i in range(paths.count())]
    box = max((b for b in boxes if b), key=lambda b: b["width"] * b["height"])
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_selector("text=Back to all units", timeout=60_000)
    wait_for_app(page)
    assert "unit=" in page.url
    assert page.get_by_text("Top actors").count() >= 1 and page.get_by_text("Latest events").count() >= 1
    shot(page, "map_unit_detail")
    check_clean(page, "unit detail")
