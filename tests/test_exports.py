"""Exports of the figures, tested without Streamlit: PNG, SVG and PDF of the map, the trend chart and the Borders chart
(drawn by kaleido in Debian's Chromium), CSV and XLSX of the tables behind them, the event rows only an analyst gets
(with ACLED's terms on top), the briefing pack, and the command line `python -m geo export` / `briefing` — on the
synthetic sample and on the real ACLED export when it is beside the checkout."""

from __future__ import annotations

import bisect
import io
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest
from helpers import ACLED_REAL, REPO, acled_csv, acled_row, check_png, needs_real_data
from pypdf import PdfReader

from geo.cli import main
from geo.config import get_settings
from geo.errors import AtlasError, InputError
from geo.export import Sheet, to_safe_csv, to_safe_xlsx
from geo.figures import render, style
from geo.figures.briefing import briefing_pdf
from geo.figures.exports import (
    FORMATS,
    KINDS,
    AnalystOnly,
    ExportRequest,
    event_rows_file,
    export_bytes,
    figure_size,
    figure_table,
    figure_text,
    figure_view,
    prepare,
)
from geo.figures.language import current_language, use_language

pytestmark = pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                                reason="Debian's chromium is not installed (./run.sh test installs it with apt-get)")
SVG = "{http://www.w3.org/2000/svg}"


def svg_text(data: bytes | str) -> str:
    root = ET.fromstring(data)
    return " ".join(" ".join(t.split()) for t in root.itertext())


def pdf_text(data: bytes) -> list[str]:
    """Each page's text, without spaces: PDF text comes in pieces whose spacing depends on kerning and rotation
    ("SAMPLE DA TA"); compare with :func:`bare` phrases."""
    return ["".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def bare(phrase: str) -> str:
    return "".join(phrase.split())


@pytest.fixture
def sample_db(tmp_path) -> str:
    """An empty store: the exports show the synthetic sample (as `python -m geo aggregate` does)."""
    return f"sqlite:///{tmp_path / 'empty.sqlite'}"


def sample_figure(kind: str, db: str, **flags):
    prepared = prepare(ExportRequest(db=db, **flags), get_settings(), kind=kind)
    return prepared, figure_view(kind, prepared.inputs, prepared.view)


# ---------------------------------------------------------------------------------------------- images


@pytest.mark.parametrize("kind", KINDS)
def test_each_figure_is_a_png_of_twice_its_size_that_is_not_blank(kind, sample_db, tmp_path):
    _, shown = sample_figure(kind, sample_db, years="2018-2021")
    width, height = figure_size(kind, shown)
    png = export_bytes(kind, shown, "png")
    assert check_png(png) == (2 * width, 2 * height)
    (tmp_path / f"{kind}.png").write_bytes(png)  # to look at: pytest keeps the last runs' tmp folders


def test_the_map_is_drawn_with_the_classes_legend_and_text_of_the_page(sample_db):
    _, shown = sample_figure("map", sample_db, years="2019", metric="fatalities")
    svg = export_bytes("map", shown, "svg")
    root = ET.fromstring(svg)
    units = {p.get("data-u"): p for p in root.iter(f"{SVG}path") if p.get("data-u") is not None}
    assert len(units) == len(shown.units)
    # Each unit's fill is the page's class colour of its value: the palette's colour of the first class bound at or
    # above it (the units table's figure), zero in its own grey, a unit without a figure hatched.
    bounds = shown.classification.bounds
    palette = style.PALETTE[len(bounds)]
    figures = shown.table.set_index("unit_code")["fatalities"]
    names = dict(zip(shown.units["unit_name"], shown.units["unit_code"]))
    kinds = set()
    for path in units.values():
        name = path.find(f"{SVG}title").text.rsplit(":", 1)[0]
        value, fill = figures.get(names[name]), path.get("fill")
        if value is None or pd.isna(value):
            assert fill.startswith("url(#"), name
        elif value == 0:
            assert fill == style.ZERO_COLOR, name
        else:
            assert fill == palette[min(bisect.bisect_left(bounds, value), len(bounds) - 1)], (name, value)
        kinds.add(fill)
    assert len(kinds) >= len(bounds)  # every class is drawn
    text = svg_text(svg)
    for label in shown.classification.labels:
        assert label in text  # the legend lists the classes
    assert shown.text.title in text and "Fatalities" in text
    assert "synthetic sample" in text and "SAMPLE DATA — not real events" in text  # source line and watermark
    assert "Classes: 5 classes" in text


def test_a_chart_as_svg_is_xml_with_its_title_and_source(sample_db):
    _, shown = sample_figure("trends", sample_db, years="2016-2020")
    text = svg_text(export_bytes("trends", shown, "svg"))
    assert shown.text.title in text
    assert "Source: synthetic sample" in text and "SAMPLE DATA" in text


@pytest.mark.parametrize("kind", ["map", "borders"])
def test_a_figure_as_pdf_is_one_page_with_its_text(kind, sample_db):
    _, shown = sample_figure(kind, sample_db)
    pages = pdf_text(export_bytes(kind, shown, "pdf"))
    assert len(pages) == 1
    text = figure_text(kind, shown)
    assert bare(text.title) in pages[0]
    assert bare("Source: synthetic sample") in pages[0] and "SAMPLEDATA" in pages[0]


def test_geo_traces_are_refused_rather_than_fetching_base_maps():
    import plotly.graph_objects as go

    with pytest.raises(ValueError, match="geo traces"):
        render.static_figure(go.Figure(go.Scattergeo(lon=[0], lat=[0])))


# ---------------------------------------------------------------------------------------------- tables


@pytest.mark.parametrize("kind", KINDS)
def test_csv_and_xlsx_hold_the_table_behind_the_figure(kind, sample_db):
    _, shown = sample_figure(kind, sample_db, years="2018-2020")
    table = figure_table(kind, shown).reset_index(drop=True)
    assert len(table)
    text_columns = {c: str for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])}
    csv = pd.read_csv(io.BytesIO(export_bytes(kind, shown, "csv")), keep_default_na=False, na_values=[""], dtype=text_columns)
    pd.testing.assert_frame_equal(csv, table, check_dtype=False, check_exact=False)
    sheets = pd.read_excel(io.BytesIO(export_bytes(kind, shown, "xlsx")), sheet_name=None, header=None)
    data, about = sheets["Table"], sheets["About"]
    text = figure_text(kind, shown)
    assert data.iloc[0, 0] == text.title and data.iloc[1, 0] == text.watermark  # the preamble, then the table
    body = pd.read_excel(io.BytesIO(export_bytes(kind, shown, "xlsx")), sheet_name="Table", skiprows=3, dtype=text_columns)
    pd.testing.assert_frame_equal(body, table, check_dtype=False, check_exact=False)
    assert text.source_line in set(about[1])


def test_cells_that_start_like_formulas_are_neutralised_in_csv_and_xlsx():
    from openpyxl import load_workbook

    frame = pd.DataFrame({"actor": ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "Armed group"], "events": [1, 2, 3, 4, 5]})
    csv = pd.read_csv(io.StringIO(to_safe_csv(frame, preamble=["=not a formula either"])), skiprows=2)
    assert list(csv["actor"]) == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "Armed group"]
    assert list(csv["events"]) == [1, 2, 3, 4, 5]  # numbers stay numbers
    book = load_workbook(io.BytesIO(to_safe_xlsx([Sheet("T", frame, preamble=["=1+1"])])))
    sheet = book["T"]
    assert sheet["A1"].value == "'=1+1" and sheet["A1"].data_type == "s"
    cells = [sheet.cell(row=r, column=1) for r in range(4, 9)]
    assert [c.value for c in cells] == ["'=HYPERLINK(\"http://x\")", "'+1+1", "'-2+3", "'@SUM(A1)", "Armed group"]
    assert all(c.data_type == "s" for c in cells)  # text, never a formula
    assert [sheet.cell(row=r, column=2).value for r in range(4, 9)] == [1, 2, 3, 4, 5]


def test_control_characters_do_not_break_an_xlsx():
    data = to_safe_xlsx([Sheet("T", pd.DataFrame({"notes": ["bell\x07 and tab\tkept", None]}))])
    assert pd.read_excel(io.BytesIO(data))["notes"][0] == "bell and tab\tkept"


# ---------------------------------------------------------------------------------------------- event rows


class NoReads:
    """A reader that fails the test if anything is read."""

    def __getattr__(self, name):
        raise AssertionError(f"a viewer's request read {name}")


def test_event_rows_are_refused_to_a_viewer_before_anything_is_read(sample_db):
    prepared, shown = sample_figure("map", sample_db)
    inputs = replace(prepared.inputs, reader=NoReads())
    for fmt in ("csv", "xlsx"):
        with pytest.raises(AnalystOnly, match="analyst role"):
            event_rows_file(inputs, prepared.view, fmt, analyst=None, text=shown.text)
        with pytest.raises(AnalystOnly):
            event_rows_file(inputs, prepared.view, fmt, analyst="", text=shown.text)


@pytest.fixture
def acled_db(tmp_path, write):
    from geo.ingest import ingest_files
    from geo.store import Store

    rows = [acled_row(event_id=f"MLI{i}", date=f"2019-0{1 + i % 9}-1{i % 9}", fatalities=str(i), timestamp="1596481842")
            for i in range(1, 13)]
    rows.append(acled_row(event_id="MLI99", date="2019-12-01", actor1="=HYPERLINK(\"http://evil\")", notes="@SUM(A1) attack",
                          timestamp="1596481842"))
    url = f"sqlite:///{tmp_path / 'acled.sqlite'}"
    store = Store(url)
    ingest_files([write("acled_2020-08-03.csv", acled_csv(*rows))], store)
    store.dispose()
    return url


def test_an_analyst_gets_the_event_rows_with_acleds_terms_on_top(acled_db):
    from openpyxl import load_workbook

    prepared = prepare(ExportRequest(db=acled_db, years="2019"), get_settings(), kind="map")
    shown = figure_view("map", prepared.inputs, prepared.view)
    text = csv_text = event_rows_file(prepared.inputs, prepared.view, "csv", analyst="Aminata", text=shown.text).decode()
    top = text.splitlines()[:5]
    assert "ACLED's Terms of Use" in top[0] and "Do not share or publish these rows" in top[1]
    assert "accessed 3 Aug 2020" in top[2]  # the citation with the data's own date
    assert top[3].startswith('"Filters:')
    header = next(i for i, line in enumerate(csv_text.splitlines()) if line.startswith("source_dataset,"))
    rows = pd.read_csv(io.StringIO(csv_text), skiprows=header)
    assert len(rows) == 13 and set(rows["source_dataset"]) == {"acled"}
    assert rows.loc[rows["event_id"] == "MLI99", "actor1"].item() == "'=HYPERLINK(\"http://evil\")"
    assert rows.loc[rows["event_id"] == "MLI99", "notes"].item() == "'@SUM(A1) attack"
    book = load_workbook(io.BytesIO(event_rows_file(prepared.inputs, prepared.view, "xlsx", analyst="Aminata", text=shown.text)))
    sheet = book.worksheets[0]
    assert "ACLED's Terms of Use" in sheet["A1"].value
    formulas = [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    limited = event_rows_file(prepared.inputs, prepared.view, "csv", analyst="Aminata", text=shown.text, limit=5).decode()
    assert "The 5 newest of the 13 events" in limited


# ---------------------------------------------------------------------------------------------- briefing pack


def test_the_briefing_pack_has_the_promised_pages(sample_db, tmp_path):
    prepared = prepare(ExportRequest(db=sample_db, focus="mopti", years="2016-2020"), get_settings(), kind="briefing")
    pack = briefing_pdf(prepared.inputs, prepared.view, focus="mopti", years="2016-2020")
    (tmp_path / "pack.pdf").write_bytes(pack.data)
    pages = pdf_text(pack.data)
    assert len(pages) == pack.pages == 5
    expected = ["Events per cercle, Mopti region, year by year, 2016–2020",  # the choropleth per year
                "Events in Mopti region per cercle, by year, 2016–2020",  # the trend of the area's units
                "Events and fatalities per band of distance to the nearest shared border",  # the border-band shares
                "Cercles with the largest change, Mopti region, 2016 to 2020",  # the units that changed most
                "Method and sources"]
    for number, (page, title) in enumerate(zip(pages, expected), start=1):
        assert bare(title) in page, (number, page[:300])
        assert bare("Source: synthetic sample") in page, number  # the source line on every page
        assert "SAMPLEDATA" in page, number  # and the watermark
        assert bare(f"page {number} of 5") in page and bare("briefing on Mopti region, 2016–2020") in page
    ranked = pages[3].split("Note", 1)[1].split("Eventsin2020", 1)[0]
    cercles = ["Bandiagara", "Bankass", "Djenné", "Douentza", "Koro", "Mopti", "Ténenkou", "Youwarou"]
    assert all(name in ranked for name in cercles)  # Mopti's eight cercles, and only those
    assert not [name for name in ("Tombouctou", "Niafunké", "Soum", "Tillabéri", "Ségou") if name in ranked]
    assert "geodesic" in pages[4] and bare("Boundaries: OCHA COD-AB") in pages[4]


# ---------------------------------------------------------------------------------------------- the command line


@pytest.mark.parametrize("kind", KINDS)
def test_cli_export_writes_every_format_of_every_figure(kind, sample_db, tmp_path, capsys):
    for fmt in FORMATS:
        out = tmp_path / f"{kind}.{fmt}"
        assert main(["export", kind, "--db", sample_db, "--years", "2019-2020", "--out", str(out)]) == 0
        err = capsys.readouterr().err
        assert "SYNTHETIC SAMPLE" in err and str(out) in err
        data = out.read_bytes()
        if fmt == "png":
            check_png(data)
        elif fmt == "svg":
            assert "SAMPLE DATA" in svg_text(data)
        elif fmt == "pdf":
            assert len(pdf_text(data)) == 1
        elif fmt == "csv":
            assert len(pd.read_csv(out)) > 0
        else:
            assert set(pd.read_excel(out, sheet_name=None)) == {"Table", "About"}
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporary file left


def test_cli_export_follows_the_filters_and_the_focus(sample_db, tmp_path, capsys):
    out = tmp_path / "map.csv"
    assert main(["export", "map", "--db", sample_db, "--from", "2019-01-01", "--to", "2020-12-31", "--country", "BFA",
                 "--out", str(out)]) == 0
    table = pd.read_csv(out)
    assert set(table["country"]) == {"Burkina Faso"}
    prepared, shown = sample_figure("map", sample_db, years="2019-2020", countries=("BFA",))
    assert table["events"].sum() == shown.table["events"].sum()
    svg = tmp_path / "mopti.svg"
    assert main(["export", "map", "--db", sample_db, "--focus", "mopti", "--out", str(svg)]) == 0
    text = svg_text(svg.read_bytes())
    assert "per cercle, Mopti region" in text and "Mopti region" in text  # the title and the legend's outline
    assert main(["export", "map", "--db", sample_db, "--focus", "mopti", "--lang", "fr", "--out", str(svg)]) == 0
    texts = [" ".join(t.split()) for t in ET.fromstring(svg.read_bytes()).itertext()]
    assert "Région de Mopti" in texts and "région de Mopti" not in texts  # a legend entry of its own, upper-case
    trend = tmp_path / "trend.csv"
    assert main(["export", "trends", "--db", sample_db, "--focus", "mopti", "--out", str(trend)]) == 0
    assert "unit_name" in pd.read_csv(trend).columns  # the area's country per cercle


@pytest.mark.parametrize("args, message", [
    (["map", "--out", "{tmp}/map.docx"], "the suffix picks the format"),
    (["map", "--focus", "paris", "--out", "{tmp}/map.png"], "--focus 'paris' is not one of all, mopti"),
    (["map", "--from", "2019-03-01", "--out", "{tmp}/map.png"], "whole years"),
    (["map", "--country", "FRA", "--out", "{tmp}/map.png"], "--country FRA"),
    (["trends", "--event-type", "Parades", "--out", "{tmp}/t.png"], "'Parades' not in the data"),
    (["map", "--years", "2031", "--out", "{tmp}/map.png"], "2031 outside the data's years"),
    (["map", "--preset", "nope", "--out", "{tmp}/map.png"], "--preset 'nope'"),
    (["map", "--lang", "de", "--out", "{tmp}/map.png"], "--lang 'de'"),
    (["map", "--out", "{tmp}/missing/map.png"], "does not exist"),
])
def test_cli_refuses_bad_requests_with_one_message_and_no_file(args, message, sample_db, tmp_path, capsys):
    argv = ["export", *(a.replace("{tmp}", str(tmp_path)) for a in args), "--db", sample_db]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("empty.sqlite")] == []


def test_cli_writes_no_partial_file_when_drawing_fails(sample_db, tmp_path, capsys, monkeypatch):
    out = tmp_path / "map.png"
    out.write_bytes(b"the briefing of last week")

    def broken(figure, opts):
        raise AtlasError("the figure could not be drawn as an image (Chromium died)")

    monkeypatch.setattr(render, "_calc", broken)
    assert main(["export", "map", "--db", sample_db, "--out", str(out)]) == 1
    assert "could not be drawn" in capsys.readouterr().err
    assert out.read_bytes() == b"the briefing of last week"  # the earlier file is untouched
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("empty.sqlite")) == ["map.png"]


def test_cli_in_a_process_of_its_own_exits_cleanly(tmp_path):
    env = {**os.environ, "ATLAS_HOME": str(tmp_path / "home")}
    db = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    ok = subprocess.run([sys.executable, "-m", "geo", "export", "trends", "--db", db, "--out", str(tmp_path / "t.png")],
                        cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert ok.returncode == 0, ok.stderr
    check_png((tmp_path / "t.png").read_bytes())
    bad = subprocess.run([sys.executable, "-m", "geo", "export", "borders", "--db", db, "--focus", "x", "--out",
                          str(tmp_path / "b.pdf")], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and bad.stderr.startswith("error: --focus 'x'")
    assert not (tmp_path / "b.pdf").exists()
    usage = subprocess.run([sys.executable, "-m", "geo", "export", "animation", "--out", str(tmp_path / "a.png")],
                           cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert usage.returncode == 2 and "invalid choice: 'animation'" in usage.stderr


def test_cli_lang_fr_runs_and_the_language_is_restored(sample_db, tmp_path, capsys):
    for command in (["export", "map", "--out", str(tmp_path / "m.svg")],
                    ["briefing", "--focus", "tillaberi-tahoua", "--years", "2019-2020", "--out", str(tmp_path / "p.pdf")]):
        assert main([*command, "--db", sample_db, "--lang", "fr"]) == 0
        assert current_language() == "en"
    assert len(pdf_text((tmp_path / "p.pdf").read_bytes())) == 5


def test_the_briefing_command_writes_a_pdf_only(sample_db, tmp_path, capsys):
    assert main(["briefing", "--db", sample_db, "--out", str(tmp_path / "pack.png")]) == 1
    assert "use one of .pdf" in capsys.readouterr().err
    assert main(["briefing", "--db", sample_db, "--focus", "all", "--out", str(tmp_path / "pack.pdf")]) == 0
    pages = pdf_text((tmp_path / "pack.pdf").read_bytes())
    assert len(pages) == 5 and "2018–2022" in pages[0]  # five years up to the last complete one


# ---------------------------------------------------------------------------------------------- real data


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    """The real ACLED export (Aug 2020) ingested into a store of the test's own (its rows never leave tmp)."""
    if not ACLED_REAL.exists():
        pytest.skip(f"real data not available: {ACLED_REAL} is missing")
    from geo.ingest import ingest_files
    from geo.store import Store

    folder = tmp_path_factory.mktemp("real-exports")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ATLAS_HOME", str(folder / "home"))
        url = f"sqlite:///{folder / 'real.sqlite'}"
        store = Store(url)
        ingest_files([ACLED_REAL], store)
        store.dispose()
    return url


@needs_real_data
def test_cli_exports_on_the_real_acled_export(real_db, tmp_path, capsys):
    from geo.aggregate import aggregate_store
    from geo.boundaries import load_boundary_set
    from geo.filters import Filters
    from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE
    from geo.store import Store

    for kind in KINDS:
        for fmt in ("png", "pdf", "csv"):
            out = tmp_path / f"{kind}.{fmt}"
            assert main(["export", kind, "--db", real_db, "--years", "2019", "--out", str(out)]) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert "SAMPLE" not in err
    check_png((tmp_path / "map.png").read_bytes())
    page = pdf_text((tmp_path / "map.pdf").read_bytes())[0]
    assert bare("Source: ACLED, acleddata.com, accessed 3 Aug 2020") in page and "SAMPLE" not in page
    # The map's table is the pipeline's: the units' events of 2019 as `python -m geo aggregate` counts them.
    table = pd.read_csv(tmp_path / "map.csv")
    rows = aggregate_store(Store(real_db), load_boundary_set(), level="admin1", period="year",
                           filters=Filters(date_from=pd.Timestamp("2019-01-01").date(), date_to=pd.Timestamp("2019-12-31").date()))
    units = rows[~rows["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])]
    assert rows["fatalities"].sum() == 4825  # README "Checked figures"
    assert table["fatalities"].sum() == units["fatalities"].sum() and table["events"].sum() == units["events"].sum()
    assert table.set_index("unit_code")["events"].to_dict() == units.set_index("unit_code")["events"].astype(int).to_dict()
    pack = tmp_path / "pack.pdf"
    assert main(["briefing", "--db", real_db, "--focus", "burkina-sahel", "--years", "2016-2020", "--lang", "fr",
                 "--out", str(pack)]) == 0
    pages = pdf_text(pack.read_bytes())
    assert len(pages) == 5 and all(bare("consulté le 3 août 2020") in p for p in pages)  # in French, on every page
    assert bare("2020 jusqu'au 1 août") in pages[0] or bare("2020 jusqu'au 1er août") in pages[0]  # the partial last year
    assert "accessed" not in " ".join(pages) and bare("Méthode et sources") in pages[4]


# ---------------------------------------------------------------------------------------------- the app's side


def test_a_download_is_drawn_once_in_the_pages_language():
    from ui import downloads

    downloads.clear()
    seen = []

    def build() -> bytes:
        seen.append(current_language())
        return style.word("export.sheet.table").encode()

    assert downloads.cached_file(("k", 1), build, "fr") == downloads.cached_file(("k", 1), build, "fr")
    assert seen == ["fr"] and current_language() == "en"  # drawn once, in French; the thread's language untouched
    with use_language("fr"):
        downloads.cached_file(("k", 2), build, "en")
        assert current_language() == "fr"
    assert seen == ["fr", "en"]
    downloads.clear()


def test_a_focus_fixes_the_map_but_does_not_retitle_the_trend_chart(sample_db):
    prepared = prepare(ExportRequest(db=sample_db), get_settings(), kind="trends")
    view = replace(prepared.view, present=True, focus="mopti", countries=())
    trend = figure_view("trends", prepared.inputs, view)
    assert "Mopti" not in trend.text.title and "Mali, Burkina Faso and Niger" in trend.text.title
    assert "Mopti region" in figure_view("map", prepared.inputs, replace(view, level="admin2")).text.title


def test_bad_requests_are_collected_into_one_error(sample_db):
    with pytest.raises(InputError) as info:
        prepare(ExportRequest(db=sample_db, focus="x", metric="deaths", countries=("FRA",)), get_settings())
    assert len(info.value.problems) == 3


def test_the_snapping_tolerance_of_an_export_is_the_one_asked_for(sample_db):
    """`export --tolerance-km` places the events at that tolerance (it used to be accepted and ignored)."""
    default, _ = sample_figure("map", sample_db, years="2019")
    wider, _ = sample_figure("map", sample_db, years="2019", tolerance_km=40.0)
    assert default.inputs.reader.src.tolerance_m == get_settings().tolerance_m
    assert wider.inputs.reader.src.tolerance_m == 40_000 and wider.inputs.reader.src.set_id != default.inputs.reader.src.set_id
