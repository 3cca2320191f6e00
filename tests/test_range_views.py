"""Ranges where readers look, without a browser: the Map's tooltips and units table, the Trends band and tables, the
Civilians table, "Compare sources", the exports and the briefing pack, on the real ACLED export and UCDP sample (and the
pure helpers: a range written in each language, the ranks a unit could take, the sentence made from the settings)."""

from __future__ import annotations

import io
from dataclasses import replace

import folium
import pandas as pd
import pytest
from helpers import ACLED_REAL, UCDP_REAL, needs_real_data
from openpyxl import load_workbook
from test_cli import run

from geo.config import PrecisionArea, get_settings
from geo.figures import agreement_view, views
from geo.figures.exports import ExportRequest, export_bytes, prepare
from geo.figures.language import use_language
from geo.figures.style import format_range
from geo.figures.tables import rank_span


def test_a_range_is_written_in_each_language():
    assert format_range(1234, 1180, 1310) == "1,234 (1,180–1,310)"
    assert format_range(56, 56, 56) == "56" and format_range(56, None, None) == "56" and format_range(None, 1, 2) == "–"
    with use_language("fr"):
        assert format_range(1234, 1180, 1310) == "1\u202f234 (1\u202f180\u202f–\u202f1\u202f310)"


def test_the_ranks_a_unit_could_take():
    span = rank_span([10, 8, 8, 5, 3], [10, 6, 8, 5, 1], [10, 9, 8, 5, 6])
    assert span["rank"].tolist() == [1, 2, 2, 4, 5]
    assert span["best"].tolist() == [1, 2, 2, 4, 3] and span["worst"].tolist() == [1, 3, 3, 5, 5]
    assert span["could_change"].tolist() == [False, True, True, True, True]
    still = rank_span([5, 4, 3], [5, 4, 3], [5, 4, 3])  # no range: no rank could change
    assert not still["could_change"].any() and still["worst"].tolist() == [1, 2, 3]


def test_the_sentence_on_ranges_is_made_from_the_settings():
    settings = get_settings()
    text = views.ranges_note(settings)
    assert "ACLED precision 2: within 25 km, 3: the whole region named" in text and "5–7: the whole country" in text
    wider = replace(settings, uncertainty={**settings.uncertainty, "acled": {**settings.uncertainty["acled"], 2: PrecisionArea(40)}})
    assert "ACLED precision 2: within 40 km" in views.ranges_note(wider)  # no figure typed into the text


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    if not ACLED_REAL.exists():
        pytest.skip(f"real data not available: {ACLED_REAL} is missing")
    url = f"sqlite:///{tmp_path_factory.mktemp('range-views') / 'real.sqlite'}"
    run("ingest", str(ACLED_REAL), "--db", url)
    run("ingest", str(UCDP_REAL), "--db", url)
    return url


def _prepared(real: str, **flags):
    return prepare(ExportRequest(db=real, source="acled", **flags), get_settings())


@needs_real_data
def test_the_map_gives_each_unit_its_range_and_the_ranks_it_could_take(real):
    p = _prepared(real, years="2019")
    shown = views.map_view(p.inputs, p.view)
    mopti = shown.table.set_index("unit_name").loc["Mopti"]
    assert (mopti["events_min"], mopti["events"], mopti["events_max"]) == (339, 434, 491)
    assert (mopti["fatalities_min"], mopti["fatalities"], mopti["fatalities_max"]) == (1018, 1278, 1508)
    table = shown.table_shown().set_index("unit_name")
    assert table.loc["Mopti", "events"] == "434 (339–491)" and table.loc["Sahel", "events"] == "305 (233–352)"
    assert table.loc["Mopti", "rank_mark"] == "↕ 1–2" and table.loc["Bamako", "events"] == "56"  # (Bamako: all certain)
    assert "events_min" not in table.columns and "In brackets" in shown.ranges_note
    # The tooltip of Mopti says it too (every metric with its range).
    (layer,) = [c for c in shown.figure()._children.values() if isinstance(c, folium.GeoJson) and str(c.layer_name).endswith("by unit")]
    tooltip = next(f["properties"]["tooltip"] for f in layer.data["features"] if f["id"] == "ML05")
    assert "Events: 434 (339–491)" in tooltip and "1,278 (1,018–1,508)" in tooltip and "In brackets" in tooltip
    # Precise events only: every event left is certain where it lies.
    precise = views.map_view(p.inputs, replace(p.view, precision=1))
    row = precise.table.set_index("unit_name").loc["Mopti"]
    assert row["events"] < 434 and row["events_min"] == row["events"] == row["events_max"]
    assert "located at precision 1 or better" in precise.text.filter_line


@needs_real_data
def test_the_trends_draw_a_band_and_their_tables_give_ranges(real):
    p = _prepared(real, years="2016-2019")
    trends = views.trends_view(p.inputs, p.view)
    bands = [t for t in trends.figure.data if t.fill == "toself"]
    assert len(bands) == 3  # a band per country
    assert any("Shaded: the range" in (a.text or "") for a in trends.figure.layout.annotations)
    mali = trends.changes_shown().set_index("country").loc["Mali"]
    assert mali["value_to"] == "815 (735–878)"
    ranked = trends.ranked_shown()
    assert ranked.loc[0, "unit_name"] == "Mopti" and ranked.loc[0, "rank_mark"] == "↕ 1–2"
    assert ranked.loc[0, "value_to"] == "434 (339–491)"
    # The chart's table (what its CSV holds) carries the numbers of the ranges.
    assert {"events_min", "events_max"} <= set(trends.table.columns)
    grouped = views.trends_view(p.inputs, replace(p.view, chart="bar"))
    assert not [t for t in grouped.figure.data if t.type != "bar"]  # (bars: the range in their hover text)
    assert "customdata" in grouped.figure.data[0] and grouped.figure.data[0].customdata is not None


@needs_real_data
def test_the_civilians_table_gives_ranges(real):
    from geo.figures.civilians_view import civilians_view

    p = _prepared(real, years="2019")
    shown = civilians_view(p.inputs, p.view)
    table = shown.unit_table().set_index("unit_name")
    assert table.loc["Mopti", "civilian_fatalities"] == 769
    assert (table.loc["Mopti", "civilian_fatalities_min"], table.loc["Mopti", "civilian_fatalities_max"]) == (667, 906)
    assert shown.ranges_note


@needs_real_data
def test_compare_sources_sets_acled_beside_ucdp_never_summed(real):
    p = _prepared(real, years="2016-2019")
    compared = agreement_view.compare_view(p.inputs, p.view, sources=p.choices.sources)
    assert compared.sources == ("acled", "ucdp") and compared.title == "ACLED and UCDP GED: events per region, 2016–2019"
    assert [t.name for t in compared.figure.data if t.fill != "toself"] == ["ACLED", "UCDP GED"]
    assert "Their ranges overlap in" in compared.summary and "ACLED 3,212 (" in compared.summary
    first = compared.table.iloc[0]
    assert (first["unit_name"], first["period"], first["first"], first["difference"]) == ("Mopti", "2019", "367 (280–420)", 367)
    # The download is `python -m geo compare`'s table: each source's own rows.
    assert {"acled_events_min", "ucdp_fatalities_max", "events_difference"} <= set(compared.download.columns)
    with use_language("fr"):
        french = agreement_view.compare_view(p.inputs, p.view, sources=p.choices.sources)
    assert french.title.startswith("ACLED et UCDP GED") and "\u202f; " in french.summary


@needs_real_data
def test_exports_carry_the_ranges_and_what_they_mean(real):
    p = _prepared(real, years="2019")
    shown = views.map_view(p.inputs, p.view)
    table = pd.read_csv(io.BytesIO(export_bytes("map", shown, "csv")))
    assert {"events_min", "events_max", "rank_best", "rank_worst"} <= set(table.columns)
    book = load_workbook(io.BytesIO(export_bytes("map", shown, "xlsx")))
    about = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert any(row[0] == "Ranges (columns …_min, …_max)" and "In brackets" in str(row[1]) for row in about)


@needs_real_data
def test_the_briefing_pack_says_what_the_ranges_mean(real, monkeypatch):
    from geo.figures import briefing, pdf

    texts = []
    original = pdf.text_page

    def keep(text, **kwargs):
        texts.append((text, kwargs))
        return original(text, **kwargs)

    monkeypatch.setattr(pdf, "text_page", keep)
    monkeypatch.setattr(briefing.render, "plotly_file", lambda figure, fmt: original(views.style.FigureText(title="chart"),
                                                                                      sections=[]))
    monkeypatch.setattr(briefing.render, "svg_file", lambda svg, fmt: original(views.style.FigureText(title="maps"),
                                                                               sections=[]))
    p = _prepared(real, years="2018-2019")
    briefing.briefing_pdf(p.inputs, p.view, years="2018-2019")
    ranked = next(kw for _, kw in texts if "table" in kw and kw["table"] is not None and "rank_mark" in kw["table"])
    assert ranked["table"].iloc[0]["value_to"].endswith(")") and "In brackets" in ranked["note"]
    method = next(kw["sections"] for _, kw in texts if any(s.heading == "Ranges" for s in kw.get("sections") or []))
    assert any("In brackets" in " ".join(s.paragraphs) for s in method if s.heading == "Ranges")
