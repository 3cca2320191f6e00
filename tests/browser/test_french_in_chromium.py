"""The atlas in French in a real browser (the synthetic sample): the sidebar's language switch turns a page French
and keeps every other setting of the link; a link with ``lang=fr`` opens the Map, Trends and Civilians pages in
French — titles, legends, chart texts and source lines, numbers with French separators (babel: a narrow no-break
space between thousands, a decimal comma) — with no phrase of the English catalogue left, no label cut off by a
longer French word, and a map that is drawn. Screenshots go to the test's tmp_path (the path is printed: look at
them)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

from browserlib import wait_for_app
from test_language import english_in
from test_pages_in_chromium import check_clean, folium_frame, unit_fills

NNBSP = "\u202f"  # babel's (CLDR's) thousands separator in French
#: A French number of at least a thousand, as babel writes it ("3 220", "1 000"): never "3,220" nor "3220".
FRENCH_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:\u202f\d{3})+(?![\d.])")
ENGLISH_THOUSANDS = re.compile(r"(?<![\d.,\w])\d{1,3}(?:,\d{3})+(?![\d])")

#: Texts the browser shows the way the page's HTML has them but cut to fit their box ("Uniquement les événements
#: vis…"): an element whose text overflows a box that hides the overflow.
CUT_OFF_JS = """root => {
    const out = [];
    for (const el of root.querySelectorAll('p, span, label, div')) {
        if (!el.innerText || !el.innerText.trim() || el.children.length > 2) continue;
        const s = getComputedStyle(el);
        if (s.overflow === 'visible' && s.overflowX === 'visible' && s.textOverflow !== 'ellipsis') continue;
        if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) out.push(el.innerText.trim().slice(0, 80));
    }
    return out;
}"""


def shown_text(page) -> str:
    """What the page shows in its main area and sidebar (widget labels and options, titles, tables, legends)."""
    return page.inner_text('[data-testid="stSidebar"]') + "\n" + page.inner_text('[data-testid="stMain"]')


def cut_off(page) -> list[str]:
    return [t for sel in ('[data-testid="stSidebar"]', '[data-testid="stMain"]')
            for t in page.locator(sel).evaluate(CUT_OFF_JS)]


def chart_texts(page) -> str:
    """The texts of the plotly charts on the page (titles, axes, legends, annotations: the source line)."""
    return "\n".join(page.locator(".js-plotly-plot svg.main-svg text").all_text_contents())


def assert_french(page, texts: str, where: str) -> None:
    found = english_in(texts.split("\n"))
    assert not found, f"{where}: untranslated:\n" + "\n".join(f"{piece!r} in …{context}…" for piece, context in found[:20])
    assert not ENGLISH_THOUSANDS.findall(texts), (where, ENGLISH_THOUSANDS.findall(texts)[:5])
    assert cut_off(page) == [], (where, cut_off(page))


def snap(page, tmp_path, name: str) -> None:
    path = tmp_path / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    print(f"screenshot: {path}")


def test_the_sidebar_switch_turns_the_map_french_and_keeps_the_view(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1500, "height": 1600})
    asked = {"metric": "events_per_10k_km2", "year_from": "2019", "year_to": "2021", "countries": "BFA",
             "level": "admin2", "scheme": "equal_interval"}
    page.goto(app_url + "/?" + "&".join(f"{k}={v}" for k, v in asked.items()))
    wait_for_app(page)
    folium_frame(page)
    english_title = page.locator("h1").first.inner_text()
    assert english_title == "Events per 10,000 km² per province in Burkina Faso, 2019–2021", english_title
    assert english_in(shown_text(page).split("\n"))  # the English page is English (the check below can fail)

    page.locator('[data-testid="stSidebar"] label').filter(has_text="Français").click()
    page.wait_for_function("() => document.querySelector('h1').innerText.startsWith('Événements pour 10')", timeout=60_000)
    wait_for_app(page)
    frame = folium_frame(page)
    page.wait_for_timeout(1500)
    title = page.locator("h1").first.inner_text()
    assert title == "Événements pour 10\u202f000 km² par province — Burkina Faso, 2019–2021", title
    query = parse_qs(urlparse(page.url).query)
    assert query["lang"] == ["fr"]
    assert {k: query.get(k) for k in asked} == {k: [v] for k, v in asked.items()}, page.url  # every setting kept
    # The map is drawn, in several colours, and its legend beside it is French, decimals with a comma.
    fills = unit_fills(frame)
    assert len(fills) >= 45 and len(set(fills)) >= 4, fills[:5]
    legend = page.locator(".atlas-legend").first.inner_text()
    assert legend.startswith("Événements pour 10") and "Pas de données" in legend and "Frontière nationale" in legend
    assert re.search(r"\b\d+,\d–\d", legend), legend  # classes such as "2,9–82": a decimal comma
    assert "Classes : 5 classes, intervalles égaux" in legend or "Classes : 5 classes" in legend, legend
    text = shown_text(page)
    assert "Source : échantillon synthétique" in text and "Limites : OCHA COD-AB" in text
    assert "Années" in text and "Filtres" in text and "Unités" in text  # the sidebar too
    snap(page, tmp_path, "fr_map_switched")
    assert_french(page, text, "map")
    check_clean(page, "map in French")


def test_the_trends_page_opens_in_french(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1500, "height": 1800})
    page.goto(app_url + "/trends?lang=fr&metric=fatalities&year_from=2016&year_to=2021")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.wait_for_timeout(1500)
    assert page.locator("h1").first.inner_text() == "Décès — Mali, Burkina Faso et Niger, par pays et par année, 2016–2021"
    chart = chart_texts(page)
    assert "Décès — Mali, Burkina Faso et Niger" in chart and "Année" in chart  # the chart's own title and axis
    assert "Source : échantillon synthétique" in chart  # the source line is drawn inside the figure
    assert "DONNÉES D'EXEMPLE — événements fictifs" in chart
    assert FRENCH_THOUSANDS.search(chart), chart  # the axis ticks: "1 000", "2 000"
    assert "\u202f" in chart and not ENGLISH_THOUSANDS.findall(chart)
    text = shown_text(page)
    assert "Variation par pays, de 2016 à 2021" in text, re.findall(r"Variation.*", text)  # the years chosen
    snap(page, tmp_path, "fr_trends")
    assert_french(page, text + "\n" + chart, "trends")
    check_clean(page, "trends in French")


def test_the_civilians_page_opens_in_french(page, app_url, tmp_path):
    page.set_viewport_size({"width": 1500, "height": 2400})
    page.goto(app_url + "/civilians?lang=fr")
    wait_for_app(page)
    frame = folium_frame(page)
    page.wait_for_selector(".js-plotly-plot", timeout=60_000)
    page.wait_for_timeout(2500)
    assert page.locator("h1").first.inner_text().startswith("Civils tués, 20")
    metrics = page.locator('[data-testid="stMetric"]').all_inner_texts()
    assert [m.split("\n")[0] for m in metrics][:2] == ["Décès de civils", "Attribués aux forces étatiques"]
    assert FRENCH_THOUSANDS.search(metrics[0]), metrics[0]  # "3 270"
    assert re.search(r"\d\u00a0%|\d\u202f%", metrics[1]), metrics[1]  # "0 %": a no-break space before the sign
    # The map draws its units and its legend (inside the map) in French; the watermark fits across the map.
    assert len(set(unit_fills(frame))) >= 4
    legend = frame.locator(".atlas-legend").inner_text()
    assert legend.startswith("Décès de civils") and "Pas de données" in legend and "régions dans chacune" in legend, legend
    mark = frame.locator(".atlas-watermark")
    assert mark.inner_text() == "DONNÉES D'EXEMPLE — événements fictifs"
    width = frame.locator(".leaflet-container").bounding_box()["width"]
    assert mark.bounding_box()["width"] <= width, (mark.bounding_box(), width)
    chart = chart_texts(page)
    assert "Décès de civils par auteur" in chart and "Source : échantillon synthétique" in chart
    text = shown_text(page)
    assert "Uniquement les événements visant des civils" in text
    snap(page, tmp_path, "fr_civilians")
    assert_french(page, text + "\n" + chart + "\n" + legend, "civilians")
    check_clean(page, "civilians in French")
