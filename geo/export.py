"""Exports that are safe to open in a spreadsheet: CSV and XLSX.

Text is data, never code: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
would be run as a formula by Excel or LibreOffice (CSV injection), so it is written with a leading
apostrophe — in CSV and in XLSX alike, so that both files of one table hold the same cells. Numbers are
written as numbers. An XLSX cell is written as text or number explicitly (never as a formula), and characters
XML cannot hold (control characters) are dropped from it.

A file may start with a few lines of text before its table (`preamble`: the terms of use of raw event rows,
a figure's title and source); the table's header follows an empty line.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import numpy as np
import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Characters an XLSX (XML 1.0) cell cannot hold: the C0 control characters but tab, line feed and carriage return.
_XML_ILLEGAL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])
#: Widest column of an XLSX sheet, in characters (long notes wrap in the cell instead).
_MAX_WIDTH = 60


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells cannot be taken for spreadsheet formulas.

    Parameters
    ----------
    frame
        A table to export.

    Returns
    -------
    pd.DataFrame
        A copy of `frame` whose text cells cannot be taken for spreadsheet formulas.
    """
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype(object)
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            if risky.any():
                out[column] = text.where(~risky, "'" + text.astype(str))
    return out


def neutralise_text(text: str) -> str:
    """One text cell made safe the same way (a leading apostrophe when it starts like a formula).

    Parameters
    ----------
    text
        A cell's text.

    Returns
    -------
    str
        One text cell made safe the same way (a leading apostrophe when it starts like a formula).
    """
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_safe_csv(frame: pd.DataFrame, preamble: Sequence[str] = ()) -> str:
    """CSV text (UTF-8, header row, no index) with formula-like text neutralised.

    Parameters
    ----------
    frame
        The table.
    preamble
        Lines written before the table, one quoted cell each, then an empty line (read the table back with
        ``pandas.read_csv(..., skiprows=len(preamble) + 1)``).

    Returns
    -------
    str
        CSV text (UTF-8, header row, no index) with formula-like text neutralised.
    """
    table = neutralise_formulas(frame).to_csv(index=False, lineterminator="\n")
    if not preamble:
        return table
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    for line in preamble:
        writer.writerow([neutralise_text(str(line))])
    return buffer.getvalue() + "\n" + table


@dataclass(frozen=True)
class Sheet:
    """One sheet of an XLSX file: its title (at most 31 characters), its table and the lines above the table."""

    title: str
    frame: pd.DataFrame
    preamble: Sequence[str] = field(default_factory=tuple)


def sheet_title(text: str) -> str:
    r"""A valid sheet title: without the characters Excel refuses (``[]:*?/\``), at most 31 characters.

    Parameters
    ----------
    text
        The wanted title.

    Returns
    -------
    str
        A valid sheet title: without the characters Excel refuses (``[]:*?/\\``), at most 31 characters.
    """
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in str(text)).strip() or "Sheet"
    return cleaned[:31]


def _xlsx_value(value: object) -> object:
    """A cell value openpyxl writes as text or number, never as a formula; None for missing values."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if not math.isfinite(float(value)) else float(value)
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().replace(tzinfo=None)
    if isinstance(value, (datetime, date, int)):
        return value
    text = str(value).translate(_XML_ILLEGAL)
    return neutralise_text(text)


def to_safe_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """An XLSX workbook of the sheets, each with its preamble (one line per row, in column A), an empty row, a bold header row and the table; text cells neutralised as in :func:`to_safe_csv`.

    Parameters
    ----------
    sheets
        The sheets, in order.

    Returns
    -------
    bytes
        The ``.xlsx`` file (openpyxl, write-only: memory stays flat for large tables).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    for sheet in sheets:
        title = sheet_title(sheet.title)
        n = 2
        while title.lower() in used:  # titles must differ (Excel compares them without case)
            title = f"{sheet_title(sheet.title)[:28]} {n}"
            n += 1
        used.add(title.lower())
        ws = workbook.create_sheet(title)
        frame = sheet.frame
        columns = [str(c) for c in frame.columns]
        # Column widths from the header and the first rows (set before any row is written).
        sample = frame.head(200)
        for i, column in enumerate(columns, start=1):
            lengths = (0 if pd.isna(v) else len(str(v)) for v in sample.iloc[:, i - 1])
            longest = max([len(column), *lengths])
            ws.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 8), _MAX_WIDTH)
        bold = Font(bold=True)
        for line in sheet.preamble:
            cell = WriteOnlyCell(ws, value=_xlsx_value(str(line)))
            cell.alignment = Alignment(wrap_text=False)
            ws.append([cell])
        if sheet.preamble:
            ws.append([])
        header = []
        for column in columns:
            cell = WriteOnlyCell(ws, value=_xlsx_value(column))
            cell.font = bold
            header.append(cell)
        ws.append(header)
        for row in frame.itertuples(index=False, name=None):
            ws.append([_xlsx_value(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
