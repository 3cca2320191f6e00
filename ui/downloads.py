"""Download buttons of the figures (Streamlit): PNG, SVG, PDF of a figure, CSV and XLSX of its table, its event rows
for analysts, and the Trends page's briefing pack.

The bytes come from plain functions (:mod:`geo.figures.exports`, :mod:`geo.figures.briefing`), tested without Streamlit; here they are
only wired to buttons. An image costs a Chromium drawing (about 0.3 s, and 2–3 s when kaleido starts), so nothing is
drawn on a page run: each button gets a callable (``st.download_button(data=callable)``, Streamlit's deferred
download) that draws the file when the reader clicks, in a thread of its own, and keeps it in a small cache keyed by
the data version, the view and the language (a second click, or another reader of the same view, gets it at once).
The language is the page's: the callable's thread does not inherit the page's context, so it is passed along.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from functools import partial
from typing import Final

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from geo.export import to_safe_csv
from geo.figures import render, style
from geo.figures.briefing import briefing_pdf, briefing_years
from geo.figures.exports import (
    FORMATS,
    KINDS,
    TABLE_FORMATS,
    View,
    event_rows_file,
    export_bytes,
    figure_text,
    file_name,
    table_file,
)
from geo.figures.language import current_language, use_language
from geo.figures.reading import Reader
from geo.figures.state import FOCUS_CHOICES, ViewState, choice_label
from geo.figures.views import Inputs

from .auth import current_analyst

#: Files kept per process (an image is a few hundred kB; a briefing pack about 2 MB).
CACHE_ENTRIES: Final = 24
FIGURE_FORMATS: Final = ("png", "svg", "pdf", "csv", "xlsx")


@st.cache_data(max_entries=CACHE_ENTRIES, show_spinner=False)
def _drawn_file(key: str, lang: str, _build: Callable[[], bytes]) -> bytes:
    # `_build` is not hashed: `key` (data version, view, figure, format) says what it draws.
    with use_language(lang):
        return _build()


def cached_file(key: Hashable, build: Callable[[], bytes], lang: str) -> bytes:
    """The file of `key`: from Streamlit's cache (keyed by data version, view and language), else built in `lang`."""
    return _drawn_file(repr(key), lang, build)


def clear() -> None:
    """Forget the files drawn (tests)."""
    _drawn_file.clear()


def _buttons(specs: list[tuple[str, str, Callable[[], bytes], str, str]], *, key: str, width: int = 5) -> None:
    """A row of download buttons, `width` to a row: (label, file name, callable, mime, help) each."""
    for start in range(0, len(specs), width):  # a narrow column gets its buttons on two rows
        for column, (label, name, build, mime, help_text) in zip(st.columns(width, gap="small"), specs[start:start + width]):
            column.download_button(label, data=build, file_name=name, mime=mime, on_click="ignore", key=f"{key}_{name.rsplit('.', 1)[-1]}_{label}",
                                   icon=":material/download:", help=help_text, width="stretch")


def figure_downloads(kind: str, shown: View, view: ViewState, *, data_key: str, inputs: Inputs, key: str | None = None) -> None:
    """
    The download buttons of a page's figure: PNG, SVG, PDF, CSV, XLSX — and, for an analyst, its event rows.

    Parameters
    ----------
    kind
        "map", "trends" or "borders" (:data:`geo.figures.exports.KINDS`).
    shown
        The page's view model (already built for the page: the buttons read nothing more).
    view
        The view state (file names, cache key).
    data_key
        The data version's key (``ctx.source.key``).
    inputs
        What the event rows are read through.
    """
    if kind not in KINDS:
        raise ValueError(kind)
    lang = current_language()
    sample = inputs.is_sample
    specs = []
    for fmt in FIGURE_FORMATS:
        build = partial(cached_file, (data_key, kind, fmt, view, lang), partial(export_bytes, kind, shown, fmt), lang)
        help_text = style.word("download.figure_help" if fmt in render.FIGURE_FORMATS else "download.table_help")
        specs.append((style.word(f"download.{fmt}"), file_name(kind, view, fmt, sample=sample), build, FORMATS[fmt], help_text))
    _buttons(specs, key=key or f"dl_{kind}")
    analyst = current_analyst()
    if analyst:  # a row of their own, under the figure's files
        text = figure_text(kind, shown)
        rows = [(style.word(f"download.events_{fmt}"), file_name(kind, view, fmt, sample=sample, stem="atlas_events"),
                 partial(_event_rows, inputs, view, fmt, analyst, text, lang), FORMATS[fmt], style.word("download.events_help"))
                for fmt in TABLE_FORMATS]
        _buttons(rows, key=f"{key or f'dl_{kind}'}_events", width=len(FIGURE_FORMATS))


def _event_rows(inputs: Inputs, view: ViewState, fmt: str, analyst: str, text: style.FigureText, lang: str) -> bytes:
    # Read when clicked, never cached: the role was checked when the button was drawn, and is checked again here.
    with use_language(lang):
        return event_rows_file(inputs, view, fmt, analyst=analyst, text=text)


def chart_downloads(figure: go.Figure, table: pd.DataFrame, text: style.FigureText, *, name: str, data_key: str,
                    view: ViewState, key: str, width: int = 5) -> None:
    """Download buttons of a chart a page builds itself (PNG, SVG, PDF of `figure`, CSV and XLSX of `table`)."""
    lang = current_language()
    specs = []
    for fmt in FIGURE_FORMATS:
        if fmt in TABLE_FORMATS:
            build_file = partial(table_file, table, text, fmt)
        else:
            build_file = partial(render.plotly_file, figure, fmt)
        build = partial(cached_file, (data_key, key, fmt, view, lang), build_file, lang)
        help_text = style.word("download.figure_help" if fmt in render.FIGURE_FORMATS else "download.table_help")
        specs.append((style.word(f"download.{fmt}"), f"{name}.{fmt}", build, FORMATS[fmt], help_text))
    _buttons(specs, key=key, width=width)


def csv_button(label: str, table: pd.DataFrame, *, file_name: str, key: str | None = None) -> None:
    """A button that downloads `table` as CSV, every text cell neutralised (:func:`geo.export.to_safe_csv`)."""
    st.download_button(label, to_safe_csv(table), file_name=file_name, mime="text/csv", key=key)


def briefing_download(inputs: Inputs, view: ViewState, *, source, data_key: str, key: str = "briefing") -> None:
    """The briefing pack's focus chooser and button (the pack is made when clicked, like ``python -m geo briefing``)."""
    lang = current_language()
    left, right = st.columns([1, 1], gap="small", vertical_alignment="bottom")
    focus = left.selectbox(style.word("download.briefing_focus"), list(FOCUS_CHOICES), format_func=lambda v: choice_label("focus", v),
                           key=f"{key}_focus")
    plain = Inputs(reader=Reader(source), settings=inputs.settings, is_sample=inputs.is_sample, years=inputs.years,
                   vintages=inputs.vintages)  # the click's thread reads without Streamlit's caches

    def build() -> bytes:
        return briefing_pdf(plain, view, focus=focus).data

    first, last = briefing_years(inputs, view, None)
    name = f"atlas_briefing_{focus}_{first}-{last}_{'SAMPLE' if inputs.is_sample else view.source}.pdf"
    right.download_button(style.word("download.briefing"), data=partial(cached_file, (data_key, "briefing", focus, view, lang),
                                                                          build, lang),
                          file_name=name, mime="application/pdf", on_click="ignore", key=f"{key}_pdf",
                          icon=":material/picture_as_pdf:", help=style.word("download.briefing_help"), width="stretch")
