"""Exports that are safe to open in a spreadsheet.

Text is data, never code: a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return
would be run as a formula by Excel or LibreOffice (CSV injection), so it is written with a leading
apostrophe. Numbers are written as numbers.
"""

from __future__ import annotations

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells cannot be taken for spreadsheet formulas."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            text = values.astype(object)
            risky = text.map(lambda v: isinstance(v, str) and v.startswith(_FORMULA_START))
            if risky.any():
                out[column] = text.where(~risky, "'" + text.astype(str))
    return out


def to_safe_csv(frame: pd.DataFrame) -> str:
    """CSV text (UTF-8, header row, no index) with formula-like text neutralised."""
    return neutralise_formulas(frame).to_csv(index=False, lineterminator="\n")
