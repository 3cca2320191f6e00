"""The atlas in a real browser: every page loads cleanly and offline, the map draws its units with its legend
open beside it, the year slider changes the fills, Play animates, a copied URL and the Copy link button restore
the view in a fresh browser, presentation mode makes a 16:9 slide, and a partial last year is marked."""

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
    for path, name, heading in [("/", "map", "Events per region"), ("/trends", "trends", "per country"),
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
    assert thumbs.count() == 1  # one year by default: one handle
    thumbs.first.focus()
    for _ in range(5):
        page.keyboard.press("ArrowLeft")
    wait_for_app(page)
    page.wait_for_function("() => document.querySelector('h1').innerText.endsWith(', 2017')", timeout=60_000)
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
    assert "year_from=2017" in page.url and "year_to=2017" in page.url
    shot(page, "map_2017")
    check_clean(page, "map slider")


def test_admin2_map_fills_the_three_countries(page, app_url):
    """Admin 2 of the default set: Mali's cercles and Niger's départements are drawn and coloured, not blank."""
    page.goto(app_url + "/?level=admin2")
    wait_for_app(page)
    assert "per cercle, province or département" in page.locator("h1").first.inner_text()
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


def animation_frame(page, timeout: float = 60.0):
    """The frame holding the SVG animation, once drawn."""
    import time

    deadline = time.time() + timeout
    while time.time() < deadline:
        for frame in page.frames:
            try:
                if frame.locator(".atlas-animation svg path[data-u]").count() > 0:
                    return frame
            except Exception:  # the frame is being replaced by a rerun
                pass
        page.wait_for_timeout(300)
    raise AssertionError("the animation did not draw")


def test_play_advances_the_animation_over_the_years_chosen(page, app_url):
    page.goto(app_url + "/?view=animation&year_from=2018&year_to=2021")
    wait_for_app(page)
    frame = animation_frame(page)
    page.wait_for_timeout(1000)
    root = frame.locator(".atlas-animation")
    assert root.get_attribute("data-frame") == "2018"
    assert frame.locator("input[type=range]").get_attribute("max") == "3"  # 2018–2021: four frames, not every year
    fills = frame.eval_on_selector_all("path[data-u]", "els => els.map(e => e.getAttribute('fill'))")
    assert frame.locator("text.country-label").count() == 3 and frame.locator("text.unit-label").count() >= 10
    shot(page, "animation_first")
    frame.locator("button.play").click()
    page.wait_for_timeout(2700)
    later = root.get_attribute("data-frame")
    assert later in ("2019", "2020", "2021"), later
    assert frame.eval_on_selector_all("path[data-u]", "els => els.map(e => e.getAttribute('fill'))") != fills
    shot(page, "animation_playing")
    check_clean(page, "animation")


def test_a_copied_url_restores_the_view(page, browser, app_url):
    page.goto(app_url + "/trends?metric=fatalities&year_from=2018&year_to=2020&countries=BFA&trend_by=event_type")
    wait_for_app(page)
    assert page.locator("h1").first.inner_text() == "Fatalities in Burkina Faso per event type, by year, 2018–2020"
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


def _sidebar_shows(page, *texts: str) -> None:
    condition = " && ".join(f"t.includes({text!r})" for text in texts)
    page.wait_for_function(
        "() => { const s = document.querySelector('[data-testid=\"stSidebar\"]'); if (!s) return false; "
        f"const t = s.innerText; return {condition}; }}", timeout=30_000)


def test_the_legend_is_open_beside_the_map(page, app_url):
    page.goto(app_url + "/?metric=fatalities")
    wait_for_app(page)
    frame = folium_frame(page)
    page.wait_for_timeout(1500)
    legend = page.locator(".atlas-legend").first
    assert legend.is_visible()
    text = legend.inner_text()
    assert "Fatalities" in text and "No data" in text and "Classes:" in text
    map_box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    legend_box = legend.bounding_box()
    assert legend_box["x"] >= map_box["x"] + map_box["width"] - 1  # beside the map, covering none of it
    assert legend_box["y"] < map_box["y"] + map_box["height"] / 2  # at its top
    assert frame.locator(".atlas-legend").count() == 0  # and not on it
    shot(page, "map_legend_beside")
    check_clean(page, "legend")


def test_the_copy_link_button_restores_the_exact_view_in_a_fresh_browser(browser, app_url):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.recorder = __import__("browserlib").Recorder(page)
    page.goto(app_url + "/trends?metric=fatalities&year_from=2017&year_to=2020&countries=NER&trend_by=event_type&chart=bar")
    wait_for_app(page)
    _sidebar_shows(page, "Niger", "2017", "2020")
    page.locator('[data-testid="stSidebar"] .atlas-copy-link button').click()
    page.wait_for_function("() => document.querySelector('.atlas-copy-status').innerText.includes('copied')", timeout=10_000)
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.url and "metric=fatalities" in copied and "chart=bar" in copied
    heading = page.locator("h1").first.inner_text()
    other = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()  # no cookie, no session: only the link
    other.goto(copied)
    wait_for_app(other)
    assert other.locator("h1").first.inner_text() == heading == "Fatalities in Niger per event type, by year, 2017–2020"
    _sidebar_shows(other, "Niger", "2017", "2020")
    other.wait_for_selector(".js-plotly-plot", timeout=60_000)
    # The same chart: the same bars.
    bars = "() => [...document.querySelectorAll('.js-plotly-plot')][0].data.map(t => [t.name, t.y.join(',')]).join('|')"
    assert other.evaluate(bars) == page.evaluate(bars)
    assert other.url == copied
    shot(other, "copy_link_opened")
    other.context.close()
    check_clean(page, "copy link")
    context.close()


def test_presentation_mode_makes_a_16_9_slide_of_the_focus(browser, app_url):
    page = browser.new_context(viewport={"width": 1600, "height": 900}).new_page()
    page.recorder = __import__("browserlib").Recorder(page)
    page.goto(app_url + "/?present=1&focus=mopti&level=admin2&metric=fatalities")
    wait_for_app(page)
    frame = folium_frame(page)
    page.wait_for_timeout(2000)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('header[data-testid="stHeader"]').is_visible()
    heading = page.locator("h1").first
    assert heading.inner_text() == "Fatalities per cercle, Mopti region, 2022"
    # The title, the map with its legend and the source line fit in the 16:9 screen.
    map_box = page.locator('iframe[title="streamlit_folium.st_folium"]').first.bounding_box()
    legend_box = page.locator(".atlas-legend").first.bounding_box()
    source = page.get_by_text("Source: synthetic sample").first.bounding_box()
    assert heading.bounding_box()["y"] >= 0 and map_box["y"] + map_box["height"] <= 900 and source["y"] + source["height"] <= 900
    assert map_box["width"] > 1000 and legend_box["x"] >= map_box["x"] + map_box["width"] - 1
    assert float(page.evaluate("getComputedStyle(document.querySelector('h1')).fontSize").rstrip("px")) >= 32
    # The map is fixed on Mopti: its cercles fill the view, the far units are out of it.
    inside = frame.evaluate("""() => {
        const box = document.querySelector('.leaflet-container').getBoundingClientRect();
        return [...document.querySelectorAll('path.leaflet-interactive')].filter(p => {
            const b = p.getBoundingClientRect();
            return b.right > box.left && b.left < box.right && b.bottom > box.top && b.top < box.bottom;
        }).length; }""")
    assert 8 <= inside < 100  # admin 2 has 165 units; a view of Mopti shows its 8 cercles and some neighbours
    assert frame.locator(".atlas-watermark").count() == 1  # the sample is said on the figure itself
    path = shot(page, "presentation_mopti_16x9")
    from PIL import Image

    assert Image.open(path).size == (1600, 900)
    check_clean(page, "presentation")
    page.context.close()
