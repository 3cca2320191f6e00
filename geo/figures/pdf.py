"""PDF pages: a figure on a page, a page of text or of a table, and a document of several pages.

Every page is A4 landscape (the shape of a slide that also prints). A figure's page is the figure's own vector PDF
(:mod:`geo.figures.render`) scaled onto the page with pypdf — its title, filter line, source line and watermark are
drawn in it. A page of text or of a table is laid out with fpdf2 and carries the same four lines, made by
:func:`geo.figures.style.figure_text`. Text is set in DejaVu Sans (Debian's ``fonts-dejavu-core``), which has every
character French and the figures' dashes and quotes need. Every page gets a footer: the document's name and the
page number.

No Streamlit here; nothing reads data.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd

from ..errors import AtlasError
from .style import MUTED_COLOUR, TEXT_COLOUR, FigureText, rgb_tuple, word

if TYPE_CHECKING:  # annotations only
    from fpdf import FPDF

#: A4 landscape, in points.
PAGE_WIDTH: Final = 841.89
PAGE_HEIGHT: Final = 595.28
MARGIN: Final = 30.0
FOOTER_HEIGHT: Final = 16.0
#: Where Debian's fonts-dejavu-core puts DejaVu Sans.
FONT_DIRS: Final = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
FONT: Final = "DejaVu"


def _font_files() -> tuple[Path, Path]:
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold
    raise AtlasError("PDF pages need the DejaVu Sans fonts: apt-get install fonts-dejavu-core")


def _document() -> FPDF:
    """An fpdf2 document, A4 landscape in points, with DejaVu Sans regular and bold."""
    from fpdf import FPDF

    regular, bold = _font_files()
    pdf = FPDF(orientation="L", unit="pt", format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.add_font(FONT, "", str(regular))
    pdf.add_font(FONT, "B", str(bold))
    pdf.set_creator(word("cite.atlas"))
    return pdf


@dataclass(frozen=True)
class Section:
    """A part of a page of text: a heading and its paragraphs."""

    heading: str
    paragraphs: Sequence[str] = field(default_factory=tuple)


def _header(pdf: FPDF, text: FigureText) -> None:
    pdf.set_xy(MARGIN, MARGIN)
    pdf.set_text_color(*rgb_tuple(TEXT_COLOUR))
    pdf.set_font(FONT, "B", 15)
    pdf.multi_cell(PAGE_WIDTH - 2 * MARGIN, 19, text.title, align="L", new_x="LMARGIN", new_y="NEXT")
    if text.filter_line:
        pdf.set_font(FONT, "", 10.5)
        pdf.set_text_color(*rgb_tuple(MUTED_COLOUR))
        pdf.multi_cell(PAGE_WIDTH - 2 * MARGIN, 14, text.filter_line, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)


def _source(pdf: FPDF, text: FigureText) -> None:
    """The source line at the foot of the page (above the footer)."""
    if not text.source_line:
        return
    pdf.set_font(FONT, "", 8.5)
    lines = pdf.multi_cell(PAGE_WIDTH - 2 * MARGIN, 11, text.source_line, align="L", dry_run=True, output="LINES")
    pdf.set_xy(MARGIN, PAGE_HEIGHT - MARGIN - FOOTER_HEIGHT - 11 * len(lines))
    pdf.set_text_color(*rgb_tuple(MUTED_COLOUR))
    pdf.multi_cell(PAGE_WIDTH - 2 * MARGIN, 11, text.source_line, align="L", new_x="LMARGIN", new_y="NEXT")


def _watermark(pdf: FPDF, text: FigureText) -> None:
    """The sample's watermark across the page: red, half transparent, slanted like the figures'."""
    if not text.watermark:
        return
    pdf.set_font(FONT, "B", 34)
    width = pdf.get_string_width(text.watermark)
    x, y = PAGE_WIDTH / 2, PAGE_HEIGHT / 2
    with pdf.local_context(fill_opacity=0.35, text_color=(190, 30, 45)):
        with pdf.rotation(18, x, y):
            pdf.text(x - width / 2, y + 14, text.watermark)


def text_page(text: FigureText, *, sections: Sequence[Section] = (), table: pd.DataFrame | None = None,
              columns: Mapping[str, str] | None = None, note: str = "", font_size: float = 10.0) -> bytes:
    """One A4 landscape page: title, filter line, then a table and/or sections of text, the source line at the foot and (on the sample) the watermark.

    Parameters
    ----------
    text
        The page's title, filter line, source line and watermark.
    sections
        Headings and paragraphs, after the table.
    table
        Rows to show (text as given; numbers with thousands separators, right-aligned).
    columns
        Column -> heading, in order (default: every column of `table` under its own name).
    note
        A line under the table (muted).
    font_size
        Size of the body text.

    Returns
    -------
    bytes
        A one-page PDF. Text that does not fit the page is cut at its foot, never spilled onto a second page.
    """
    from fpdf.fonts import FontFace

    pdf = _document()
    pdf.add_page()
    _header(pdf, text)
    bottom = PAGE_HEIGHT - MARGIN - FOOTER_HEIGHT - 40
    body_width = PAGE_WIDTH - 2 * MARGIN
    if table is not None:
        names = dict(columns or {c: str(c) for c in table.columns})
        pdf.set_font(FONT, "", font_size)
        pdf.set_text_color(*rgb_tuple(TEXT_COLOUR))
        numeric = {c: pd.api.types.is_numeric_dtype(table[c]) for c in names}
        pdf.set_font(FONT, "B", font_size)
        heading_widths = [pdf.get_string_width(names[c]) for c in names]
        pdf.set_font(FONT, "", font_size)
        widths = [max(h, *(pdf.get_string_width(_cell(v)) for v in table[c].head(40))) + 14
                  for h, c in zip(heading_widths, names)]
        with pdf.table(
            col_widths=widths, width=min(sum(widths), body_width), text_align=["RIGHT" if numeric[c] else "LEFT" for c in names],
            headings_style=FontFace(emphasis="BOLD", fill_color=(238, 238, 238)), line_height=font_size * 1.35,
            borders_layout="HORIZONTAL_LINES", align="LEFT", first_row_as_headings=True, padding=(2, 4),
        ) as grid:
            row = grid.row()
            for column in names:
                row.cell(names[column])
            for values in table[list(names)].itertuples(index=False):
                if pdf.get_y() > bottom:
                    break
                row = grid.row()
                for value in values:
                    row.cell(_cell(value))
        if note:
            pdf.ln(4)
            pdf.set_font(FONT, "", font_size * 0.9)
            pdf.set_text_color(*rgb_tuple(MUTED_COLOUR))
            pdf.multi_cell(body_width, font_size * 1.25, note, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(6)
    for section in sections:
        if pdf.get_y() > bottom:
            break
        pdf.set_x(MARGIN)
        pdf.set_font(FONT, "B", font_size * 1.1)
        pdf.set_text_color(*rgb_tuple(TEXT_COLOUR))
        pdf.multi_cell(body_width, font_size * 1.5, section.heading, align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FONT, "", font_size)
        for paragraph in section.paragraphs:
            if pdf.get_y() > bottom:
                break
            pdf.set_x(MARGIN)
            pdf.multi_cell(body_width, font_size * 1.32, paragraph, align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.ln(3)
    _source(pdf, text)
    _watermark(pdf, text)
    return bytes(pdf.output())


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int) or (isinstance(value, float) and float(value).is_integer()):
        return f"{int(value):,}"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _footer(label: str, number: int, total: int) -> bytes:
    """A page holding only the footer line: the document's name and "page n of N" (stamped onto each page)."""
    pdf = _document()
    pdf.add_page()
    pdf.set_font(FONT, "", 8)
    pdf.set_text_color(*rgb_tuple(MUTED_COLOUR))
    pdf.set_xy(MARGIN, PAGE_HEIGHT - MARGIN - 10)
    pdf.cell(PAGE_WIDTH - 2 * MARGIN - 80, 10, label, align="L")
    pdf.set_xy(PAGE_WIDTH - MARGIN - 80, PAGE_HEIGHT - MARGIN - 10)
    pdf.cell(80, 10, word("pdf.page", n=number, total=total), align="R")
    return bytes(pdf.output())


def document(pages: Sequence[bytes], *, title: str, footer: str) -> bytes:
    """One PDF of the pages, in order, each on A4 landscape with the footer line and its page number.

    Parameters
    ----------
    pages
        One-page PDFs: figure PDFs of any size (scaled to fit the page between its margins, centred) or pages of
        :func:`text_page`.
    title
        The document's title (its metadata).
    footer
        The footer line of every page (the page number is added).

    Returns
    -------
    bytes
        One PDF of the pages, in order, each on A4 landscape with the footer line and its page number.
    """
    from pypdf import PageObject, PdfReader, PdfWriter, Transformation

    writer = PdfWriter()
    total = len(pages)
    for number, data in enumerate(pages, start=1):
        source = PdfReader(io.BytesIO(data)).pages[0]
        width, height = float(source.mediabox.width), float(source.mediabox.height)
        page = PageObject.create_blank_page(width=PAGE_WIDTH, height=PAGE_HEIGHT)
        if abs(width - PAGE_WIDTH) < 1 and abs(height - PAGE_HEIGHT) < 1:
            page.merge_page(source)
        else:
            room_w, room_h = PAGE_WIDTH - 2 * MARGIN, PAGE_HEIGHT - 2 * MARGIN - FOOTER_HEIGHT
            scale = min(room_w / width, room_h / height)
            x = (PAGE_WIDTH - width * scale) / 2
            y = MARGIN + FOOTER_HEIGHT + (room_h - height * scale) / 2
            page.merge_transformed_page(source, Transformation().scale(scale).translate(x, y))
        page.merge_page(PdfReader(io.BytesIO(_footer(footer, number, total))).pages[0])
        writer.add_page(page)
    writer.add_metadata({"/Title": title, "/Creator": word("cite.atlas"), "/Producer": "fpdf2, pypdf, kaleido"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def generated_on(today: date | None = None) -> str:
    """"Made on 3 Aug 2020" in the current language (the date a document was made).

    Parameters
    ----------
    today
        The day; default today.

    Returns
    -------
    str
        "Made on 3 Aug 2020" in the current language (the date a document was made).
    """
    from .style import format_date

    return word("pdf.made", date=format_date(today or date.today()))
