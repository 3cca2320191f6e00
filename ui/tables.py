"""Tables a page shows with ``st.dataframe``, their numbers written in the page's language.

A ``NumberColumn``'s ``format`` is a printf pattern ("%d", "%.2f") or "localized" — the browser's locale, not the
page's: a French page in an English browser would show "1,234.5". In a language other than English the numbers
are therefore written by babel (:mod:`geo.figures.style`) into a pandas ``Styler``'s display values, which
Streamlit shows when the column has no ``format`` of its own; the values underneath stay numbers, so a column
still sorts as numbers. In English the table and its column settings are passed on as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from geo.figures.language import DEFAULT_LANGUAGE, current_language
from geo.figures.style import format_count, format_fixed, format_signed, word

#: The printf patterns the pages use: an optional sign, optional decimals, "d" or "f", an optional " %".
_PRINTF = re.compile(r"%(?P<sign>\+)?(?:\.(?P<decimals>\d+))?(?P<kind>[df])(?P<percent> %%)?")


def number_writer(pattern: str) -> Callable[[object], str] | None:
    """
    The function writing a number in the current language as `pattern` asks ("%d", "%+d", "%.2f", "%.0f %%",
    "%+.0f %%", "localized"), or None for a pattern it does not know (the column is left to Streamlit).
    Missing values are written as an empty cell.
    """
    if pattern == "localized":
        def write(value: object) -> str:
            return format_count(value) if float(value).is_integer() else format_fixed(value, 2)
    else:
        match = _PRINTF.fullmatch(pattern)
        if match is None:
            return None
        decimals = int(match["decimals"] or 0) if match["kind"] == "f" else 0
        signed, percent = bool(match["sign"]), bool(match["percent"])

        def write(value: object) -> str:
            number = float(value)
            if signed and not decimals:
                text = format_signed(number)
            else:
                text = format_fixed(abs(number) if signed else number, decimals)
                if signed:
                    text = ("+" if number > 0 else "−" if number < 0 else "") + text
            return word("format.percent", value=text) if percent else text

    def written(value: object) -> str:
        if value is None or isinstance(value, bool) or pd.isna(value):
            return ""
        if isinstance(value, float) and math.isinf(value):
            return str(value)
        return write(value)

    return written


def in_language(frame: pd.DataFrame, column_config: Mapping[str, Any]) -> tuple[pd.DataFrame | Any, dict[str, Any]]:
    """
    A table and its column settings for ``st.dataframe`` with the numbers in the current language.

    Parameters
    ----------
    frame
        The table.
    column_config
        Column -> ``st.column_config`` setting (or a label), as ``st.dataframe`` takes them.

    Returns
    -------
    (data, column_config)
        In English `frame` and `column_config` unchanged; otherwise a ``Styler`` writing the formatted number
        columns with babel, and the settings with those columns' ``format`` taken out.
    """
    config = dict(column_config)
    if current_language() == DEFAULT_LANGUAGE:
        return frame, config
    writers: dict[str, Callable[[object], str]] = {}
    for column, setting in column_config.items():
        if column not in frame.columns or not isinstance(setting, Mapping):
            continue
        type_config = setting.get("type_config") or {}
        pattern = type_config.get("format") if type_config.get("type") == "number" else None
        writer = number_writer(pattern) if isinstance(pattern, str) else None
        if writer is None:
            continue
        writers[column] = writer
        config[column] = {**setting, "type_config": {k: v for k, v in type_config.items() if k != "format"}}
    if not writers:
        return frame, config
    return frame.style.format(writers), config


def dataframe(frame: pd.DataFrame, *, column_config: Mapping[str, Any] | None = None, **options: Any) -> Any:
    """``st.dataframe`` with the numbers in the current language (see :func:`in_language`); same options."""
    data, config = in_language(frame, column_config or {})
    return st.dataframe(data, column_config=config, **options)
