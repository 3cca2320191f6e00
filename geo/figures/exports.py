"""The files of a figure: its image (PNG, SVG, PDF), its table (CSV, XLSX) and, for analysts, its event rows.

Plain Python (no Streamlit). The pages' download buttons (:mod:`ui.downloads`) and ``python -m geo export`` call the
same functions on the same view models (:func:`geo.figures.views.map_view`, :func:`geo.figures.views.trends_view`,
:func:`geo.figures.borders_view.borders_view`), so a file is the figure the page shows:

* **map** — the map of the years chosen, drawn as SVG with the classes, legend, title, filter line and source line
  of the page (:func:`geo.figures.svgmap.map_svg`); its table is the units table under the map.
* **trends** — the trend chart; its table is the one the chart draws (per period and group).
* **borders** — the chart of events and fatalities per band of distance to the shared borders; its table is the
  Borders page's table (per year, border segment and band).
* **civilians-map** — the Civilians page's map of civilian fatalities per unit, drawn as SVG like the map (its
  mass-casualty circles are the interactive map's); its table is the page's per-unit table (the share of state
  forces as a fraction).
* **civilians-perpetrators** — the chart of civilian fatalities per year by perpetrator (kind, or named group with
  ``--civ-by group``); its table is the one the chart draws.
* **civilians-state-share** — the share of civilian fatalities attributed to state forces (and external forces) per
  year; its table gives the counts and the shares.

Aggregates are for everybody. Event rows are for the analyst role only (ACLED's terms: no direct access to raw
rows for others) and start with the source's terms of use. Every text cell is neutralised (:mod:`geo.export`).

The words come from :func:`geo.figures.style.word`: whoever builds a file inside
``geo.figures.language.use_language("fr")`` gets it in French.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

import pandas as pd
import plotly.graph_objects as go

from geo.aggregate import METRICS, PERIODS
from geo.boundaries import load_boundary_set
from geo.config import Settings
from geo.countries import CORE_COUNTRIES
from geo.dataset import current_data
from geo.errors import AtlasError, InputError, Problem
from geo.export import Sheet, to_safe_csv, to_safe_xlsx
from geo.figures import render, style, svgmap
from geo.figures.focus import DEFAULT_FOCUS, FOCUS_AREAS, focus_area
from geo.indicators import AGGREGATE_SOURCE, lacking_figures
from geo.places import ensure_placement
from geo.store import Store

from .borders_view import BordersView, borders_view
from .civilians_view import CiviliansView, civilians_view, share_table
from .reading import Choices, Reader, Source, read_choices
from .state import ALL_TYPES, PERPETRATOR_VIEWS, TREND_GROUPS, ViewState
from .views import Inputs, MapView, TrendsView, complete_view, map_view, trends_view

if TYPE_CHECKING:  # annotations only
    import argparse

#: The figures that export, in the order of the pages.
KINDS: Final = ("map", "trends", "borders", "civilians-map", "civilians-perpetrators", "civilians-state-share")
#: The Civilians page's figures among them.
CIVILIAN_KINDS: Final = ("civilians-map", "civilians-perpetrators", "civilians-state-share")
TABLE_FORMATS: Final[dict[str, str]] = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Every export format by its file suffix (the suffix of ``--out`` picks it).
FORMATS: Final[dict[str, str]] = {**render.FIGURE_FORMATS, **TABLE_FORMATS}
#: Event rows written at most (newest first); the file says when the filters keep more.
MAX_EVENT_ROWS: Final = 50_000
#: Width of the exported map in pixels (its legend takes 250 more).
MAP_WIDTH: Final = 1000


class AnalystOnly(AtlasError):
    """Event rows asked for without the analyst role."""


# ---------------------------------------------------------------------------------------------- figures

View = MapView | TrendsView | BordersView | CiviliansView


def check_kind(kind: str) -> str:
    """The figure `kind` if it is one that exports; AtlasError naming them otherwise.

    Parameters
    ----------
    kind
        The figure: one of :data:`KINDS`.

    Returns
    -------
    str
        The kind.
    """
    if kind not in KINDS:
        raise AtlasError(f"unknown figure {kind!r}: use one of {', '.join(KINDS)}")
    return kind


def check_format(fmt: str) -> str:
    """The format `fmt` if files are written in it; AtlasError naming them otherwise.

    Parameters
    ----------
    fmt
        The format: a file suffix without its dot ("png", "svg", "pdf", "csv", "xlsx").

    Returns
    -------
    str
        The format.
    """
    if fmt not in FORMATS:
        raise AtlasError(f"unknown format {fmt!r}: use one of {', '.join('.' + f for f in FORMATS)}")
    return fmt


def figure_view(kind: str, inputs: Inputs, view: ViewState) -> View:
    """The view model of the page that shows the figure (what the page lays out).

    Parameters
    ----------
    kind
        The figure: one of :data:`KINDS`.
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    View
        The view model of the page that shows the figure (what the page lays out).
    """
    check_kind(kind)
    if kind == "map":
        return map_view(inputs, view)
    if kind == "trends":
        return trends_view(inputs, view)
    if kind in CIVILIAN_KINDS:
        return civilians_view(inputs, view)
    return borders_view(inputs, view)


def map_figure_svg(shown: MapView, *, width: int = MAP_WIDTH, scale: float = 1.0) -> str:
    """The map of a :class:`~geo.figures.views.MapView` as one SVG: its classes, legend, title, filter line and source line.

    Parameters
    ----------
    shown
        The page's view model of the figure (what the page lays out).
    width
        The figure's width in pixels.
    scale
        Font scale (presentation mode enlarges every text).

    Returns
    -------
    str
        The map of a :class:`~geo.figures.views.MapView` as one SVG: its classes, legend, title, filter line and
        source line.
    """
    values = shown.values[shown.metric].rename("value").rename_axis("unit_code").reset_index() if len(shown.values) else \
        pd.DataFrame(columns=["unit_code", "value"])
    notes = [note for note in (style.unplaced_note(shown.unallocated),) if note]
    return svgmap.map_svg(
        shown.units, values, classification=shown.classification, text=shown.text, metric=shown.metric, width=width,
        aoi=shown.aoi, view_bounds=shown.view_bounds, focus_outline=shown.focus_outline, focus_name=shown.focus_name or None,
        scope=shown.scope, units_label=shown.units_words[1], notes=notes, scale=scale,
    )


def _borders_chart(shown: BordersView) -> go.Figure:
    if shown.error or shown.band_chart is None:
        raise AtlasError(shown.none or shown.error or "the Borders page has no chart for these filters")
    return shown.band_chart


def figure_text(kind: str, shown: View) -> style.FigureText:
    """The title, filter line, source line and watermark of the exported figure.

    Parameters
    ----------
    kind
        The figure: one of :data:`KINDS`.
    shown
        The page's view model of the figure (what the page lays out).

    Returns
    -------
    style.FigureText
        The title, filter line, source line and watermark of the exported figure.
    """
    if kind == "borders":
        meta = (_borders_chart(shown).layout.meta or {}).get("figure_text", {})
        return style.FigureText(**meta)
    if kind == "civilians-map":
        return shown.map_text
    if kind == "civilians-perpetrators":
        return shown.stacked_text
    if kind == "civilians-state-share":
        return shown.share_text
    return shown.text


def figure_table(kind: str, shown: View) -> pd.DataFrame:
    """The table behind the exported figure (what its CSV and XLSX hold).

    Parameters
    ----------
    kind
        The figure: one of :data:`KINDS`.
    shown
        The page's view model of the figure (what the page lays out).

    Returns
    -------
    pd.DataFrame
        The table behind the exported figure (what its CSV and XLSX hold).
    """
    if kind in ("map", "trends"):
        return shown.table
    if kind == "civilians-map":
        return shown.unit_table()
    if kind == "civilians-perpetrators":
        return shown.data.series
    if kind == "civilians-state-share":
        return share_table(shown.data.perpetrators, shown.data.periods)
    return shown.band_table


def _svg(kind: str, shown: View) -> str | None:
    """The SVG of a map kind (drawn without Chromium), None for a chart."""
    if kind == "map":
        return map_figure_svg(shown)
    if kind == "civilians-map":
        return shown.map_svg(width=MAP_WIDTH)
    return None


def _chart(kind: str, shown: View) -> go.Figure:
    """The plotly figure of a chart kind."""
    if kind == "trends":
        return shown.figure
    if kind == "civilians-perpetrators":
        return shown.stacked
    if kind == "civilians-state-share":
        return shown.share
    return _borders_chart(shown)


def figure_size(kind: str, shown: View) -> tuple[int, int]:
    """(width, height) in pixels of the exported figure (its PNG is twice that).

    Parameters
    ----------
    kind
        The figure: one of :data:`KINDS`.
    shown
        The page's view model of the figure (what the page lays out).

    Returns
    -------
    tuple[int, int]
        (width, height) in pixels of the exported figure (its PNG is twice that).
    """
    svg = _svg(kind, shown)
    if svg is not None:
        return render.svg_size(svg)
    return render.plotly_size(_chart(kind, shown))


def about_table(text: style.FigureText, rows: int, extra: Sequence[tuple[str, str]] = ()) -> pd.DataFrame:
    """The "About" sheet of an XLSX export: title, filters, source, watermark, rows and when it was made.

    Parameters
    ----------
    text
        The figure's title, filter line, source line and watermark.
    rows
        How many rows the exported table has.
    extra
        More (field, value) rows.

    Returns
    -------
    pd.DataFrame
        The "About" sheet of an XLSX export: title, filters, source, watermark, rows and when it was made.
    """
    fields = [("export.about.title", text.title), ("export.about.filters", text.filter_line),
              ("export.about.source", text.source_line)]
    if text.watermark:
        fields.append(("export.about.watermark", text.watermark))
    fields += [("export.about.rows", f"{rows:,}"), ("export.about.made", style.format_date(date.today()))]
    out = [(style.word(key), value) for key, value in fields] + list(extra)
    return pd.DataFrame(out, columns=[style.word("export.about.field"), style.word("export.about.value")])


def figure_note(kind: str, shown: View) -> str:
    """The sentence on what the ranges of the figure's table mean.

    Parameters
    ----------
    kind
        The kind of figure (`KINDS`).
    shown
        The view the figure is drawn from.

    Returns
    -------
    str
        The sentence ("" when the table has no ranges: ACLED's aggregates, borders).
    """
    table = figure_table(kind, shown)
    if not any(str(c).endswith(("_min", "_max")) for c in table.columns):
        return ""
    return getattr(shown, "ranges_note", "")


def table_file(table: pd.DataFrame, text: style.FigureText, fmt: str, note: str = "") -> bytes:
    """A figure's table as CSV (the table alone, as ``python -m geo aggregate`` writes tables) or XLSX (with an "About" sheet).

    Parameters
    ----------
    table
        The table behind the figure (its range columns named events_min … as ``aggregate --ranges`` names them).
    text
        The figure's title, filter line, source line and watermark.
    fmt
        "csv" or "xlsx".
    note
        What the ranges mean (`figure_note`), said on the XLSX's "About" sheet.

    Returns
    -------
    bytes
        A figure's table as CSV (the table alone) or XLSX (the table, then an "About" sheet with the figure's title,
        filters and source, and `note`).
    """
    if fmt == "csv":
        return to_safe_csv(table).encode("utf-8")
    if fmt == "xlsx":
        extra = [(style.word("export.about.ranges"), note)] if note else []
        return to_safe_xlsx([
            Sheet(style.word("export.sheet.table"), table, preamble=[text.title, *([text.watermark] if text.watermark else [])]),
            Sheet(style.word("export.sheet.about"), about_table(text, len(table), extra)),
        ])
    raise AtlasError(f"a table is written as CSV or XLSX, not {fmt!r}")


def export_bytes(kind: str, shown: View, fmt: str) -> bytes:
    """The file of a figure in a format: PNG, SVG, PDF of the figure, CSV or XLSX of its table.

    Parameters
    ----------
    kind
        One of :data:`KINDS`.
    shown
        The page's view model (:func:`figure_view`).
    fmt
        A key of :data:`FORMATS`.

    Returns
    -------
    bytes
        The file of a figure in a format: PNG, SVG, PDF of the figure, CSV or XLSX of its table.
    """
    check_kind(kind)
    check_format(fmt)
    if fmt in TABLE_FORMATS:
        return table_file(figure_table(kind, shown), figure_text(kind, shown), fmt, figure_note(kind, shown))
    svg = _svg(kind, shown)
    if svg is not None:
        return render.svg_file(svg, fmt)
    return render.plotly_file(_chart(kind, shown), fmt)


def file_name(kind: str, view: ViewState, fmt: str, *, sample: bool, stem: str = "atlas") -> str:
    """"atlas_map_2019_acled.png", "atlas_trends_2016-2020_SAMPLE.csv": what, years and source (SAMPLE on the sample).

    Parameters
    ----------
    kind
        The figure: one of :data:`KINDS`.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    fmt
        The format: a file suffix without its dot ("png", "svg", "pdf", "csv", "xlsx").
    sample
        Whether the figure is of the synthetic sample.
    stem
        The name's start ("atlas", "atlas_events").

    Returns
    -------
    str
        "atlas_map_2019_acled.png", "atlas_trends_2016-2020_SAMPLE.csv": what, years and source (SAMPLE on the
        sample).
    """
    years = view.year_label().replace("–", "-")
    focus = f"_{view.focus}" if view.focus != DEFAULT_FOCUS and view.present else ""
    return f"{stem}_{kind}_{years}{focus}_{'SAMPLE' if sample else view.source}.{fmt}"


# ---------------------------------------------------------------------------------------------- event rows


def terms_lines(source: str, text: style.FigureText) -> list[str]:
    """The lines at the top of an event-rows file: the source's terms of use, its citation and the filters.

    Parameters
    ----------
    source
        The source dataset ("acled", "ucdp", "generic", "sample").
    text
        The figure's title, filter line, source line and watermark.

    Returns
    -------
    list[str]
        The lines at the top of an event-rows file: the source's terms of use, its citation and the filters.
    """
    if source == "acled":
        terms = [style.word("export.terms.acled"), style.word("export.terms.acled.share")]
    elif source in ("ucdp", "sample", "generic"):
        terms = [style.word(f"export.terms.{source}")]
    else:
        terms = [style.word("export.terms.generic")]
    lines = [*([text.watermark] if text.watermark else []), *terms, text.source_line,
             style.word("export.terms.filters", filters=text.filter_line)]
    return lines


def event_rows_file(inputs: Inputs, view: ViewState, fmt: str, *, analyst: str | None, text: style.FigureText,
                    limit: int = MAX_EVENT_ROWS) -> bytes:
    """The events behind a figure, one row each (newest first, at most `limit`), for an analyst.

    CSV or XLSX starting with the source's terms of use (ACLED: its Terms of Use and what they forbid), its
    citation and the filters.

    Parameters
    ----------
    analyst
        The analyst's name (:func:`ui.auth.current_analyst`); None refuses (:class:`AnalystOnly`).
    text
        The figure's text (its source line and filter line head the file).
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    fmt
        "csv" or "xlsx".
    limit
        The most events written.

    Returns
    -------
    bytes
        The events behind a figure, one row each (newest first, at most `limit`), for an analyst: CSV or XLSX starting
        with the source's terms of use (ACLED: its Terms of Use and what they forbid), its citation and the filters.

    Raises
    ------
    AnalystOnly
        Without the analyst role: nothing is read.
    """
    if not analyst:
        raise AnalystOnly(style.word("export.analyst_only"))
    if fmt not in TABLE_FORMATS:
        raise AtlasError(f"event rows are written as CSV or XLSX, not {fmt!r}")
    filters = replace(view.filters(), sources=(view.source,))
    rows, total = inputs.reader.event_rows(filters=filters, limit=limit)
    lines = terms_lines(view.source, text)
    if total > len(rows):
        lines.append(style.word("export.rows_limited", shown=f"{len(rows):,}", total=f"{total:,}"))
    rows = rows.assign(event_date=rows["event_date"].dt.date)
    if fmt == "csv":
        return to_safe_csv(rows, preamble=lines).encode("utf-8")
    return to_safe_xlsx([Sheet(style.word("export.sheet.events"), rows, preamble=lines)])


# ---------------------------------------------------------------------------------------------- the command line


@dataclass(frozen=True)
class ExportRequest:
    """What ``python -m geo export`` and ``python -m geo briefing`` are asked for (their flags), before any check."""

    db: str | None = None
    boundaries: str | None = None
    level: str | None = None
    period: str = "year"
    date_from: date | None = None
    date_to: date | None = None
    years: str | None = None
    source: str | None = None
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    preset: str | None = None
    countries: tuple[str, ...] = ()
    actor: str | None = None
    max_geo_precision: int | None = None
    tolerance_km: float | None = None
    metric: str = "events"
    trend_by: str | None = None
    civ_by: str | None = None
    focus: str | None = None
    lang: str = "en"
    indicator: str | None = None

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> ExportRequest:
        """From an argparse namespace (flags a command does not have keep their defaults).

        Parameters
        ----------
        args
            An argparse namespace of `python -m geo export` or `briefing`.

        Returns
        -------
        ExportRequest
            The request.
        """
        values = {}
        for name in cls.__dataclass_fields__:
            value = getattr(args, name, None)
            if value is None:
                continue
            values[name] = tuple(value) if isinstance(value, list) else value
        return cls(**values)


@dataclass(frozen=True)
class Prepared:
    """A request checked against the data: what to read, the view state, and notes for stderr."""

    inputs: Inputs
    choices: Choices
    view: ViewState
    notes: tuple[str, ...]


def parse_years(text: str) -> tuple[int, int]:
    """"2016-2020" or "2019" as (first, last); AtlasError otherwise.

    Parameters
    ----------
    text
        A year or a range of years ("2019", "2016-2020").

    Returns
    -------
    tuple[int, int]
        (first, last).
    """
    parts = text.replace("–", "-").split("-")
    try:
        numbers = [int(p) for p in parts if p.strip()]
    except ValueError:
        numbers = []
    if len(numbers) not in (1, 2) or len(parts) > 2:
        raise AtlasError(f"--years {text!r} is not a year or a range of years like 2016-2020")
    first, last = numbers[0], numbers[-1]
    if first > last:
        raise AtlasError(f"--years {text!r} ends before it starts")
    return first, last


def prepare(request: ExportRequest, settings: Settings, *, kind: str = "map") -> Prepared:
    """Check a request against the data and make the view state of its figure (every problem said at once).

    The store (``--db``) is read like ``python -m geo aggregate`` reads it: its events, or the synthetic sample while
    it holds none. The years are whole years (the app's figures cover whole years); ``--years`` or ``--from`` and
    ``--to`` choose them, else the last complete year. ``--focus`` fixes the map on an area, as presentation mode does
    (a map of cercles, provinces and départements by default), and keeps the other figures to the area's country.

    Parameters
    ----------
    request
        What the command line asks for.
    settings
        The settings (`atlas.toml` and the environment).
    kind
        The figure (one of :data:`KINDS`) or "briefing".

    Returns
    -------
    Prepared
        What to read, the choices of the data, the view state and notes for stderr.

    Raises
    ------
    InputError
        Every problem of the flags, each in one line.
    """
    problems: list[str] = []
    if request.metric not in METRICS:
        problems.append(f"--metric {request.metric!r} is not one of {', '.join(METRICS)}")
    if request.period not in PERIODS:
        problems.append(f"--period {request.period!r} is not one of {', '.join(PERIODS)}")
    if request.trend_by and request.trend_by not in TREND_GROUPS:
        problems.append(f"--trend-by {request.trend_by!r} is not one of {', '.join(TREND_GROUPS)}")
    if request.civ_by and request.civ_by not in PERPETRATOR_VIEWS:
        problems.append(f"--civ-by {request.civ_by!r} is not one of {', '.join(PERPETRATOR_VIEWS)}")
    focus_key = request.focus or DEFAULT_FOCUS
    if focus_key not in FOCUS_AREAS:
        problems.append(f"--focus {focus_key!r} is not one of {', '.join(FOCUS_AREAS)}")
        focus_key = DEFAULT_FOCUS
    countries = tuple(dict.fromkeys(c.upper() for c in request.countries))
    unknown = [c for c in countries if c not in CORE_COUNTRIES]
    if unknown:
        problems.append(f"--country {' '.join(unknown)}: use {', '.join(CORE_COUNTRIES)}")
    if request.preset and request.preset not in settings.presets:
        problems.append(f"--preset {request.preset!r} is not one of {', '.join(settings.presets) or 'none'}")
    years = None
    if request.years:
        if request.date_from or request.date_to:
            problems.append("give the years with --years or with --from and --to, not both")
        try:
            years = parse_years(request.years)
        except AtlasError as exc:
            problems.append(str(exc))
    for flag, day, whole in (("--from", request.date_from, (1, 1)), ("--to", request.date_to, (12, 31))):
        if day is not None and (day.month, day.day) != whole:
            problems.append(f"{flag} {day.isoformat()}: the app's figures cover whole years, so exports do too "
                            f"(--from YYYY-01-01 --to YYYY-12-31, or --years {day.year})")
    try:
        boundary_set = load_boundary_set(request.boundaries, settings)
    except AtlasError as exc:
        problems.append(str(exc))
        boundary_set = None
    if problems or boundary_set is None:
        raise InputError([Problem(p) for p in problems])

    store = Store(request.db)
    data = current_data(store, source=request.source, settings=settings)
    tolerance_m = settings.tolerance_m if request.tolerance_km is None else request.tolerance_km * 1000
    set_id = ensure_placement(data.store, boundary_set, tolerance_m=tolerance_m)
    source = Source(data, boundary_set, set_id, tolerance_m)
    choices = read_choices(source, settings)
    notes = []
    if data.is_sample and request.source != "sample":
        notes.append("note: the store holds no events; the figure shows the built-in SYNTHETIC SAMPLE (not real events)")
    wanted_source = request.source if request.source and request.source != "sample" else None
    if data.is_sample:
        wanted_source = "sample"
    if wanted_source and wanted_source not in choices.sources:
        problems.append(f"--source {wanted_source}: the store holds no such events (it holds {', '.join(choices.sources) or 'none'})")
    bad_types = [t for t in request.event_types if t not in choices.types]
    if bad_types:
        problems.append(f"--event-type {', '.join(map(repr, bad_types))} not in the data (it has {', '.join(choices.types)})")
    bad_subtypes = [t for t in request.sub_event_types if t not in choices.subtypes]
    if bad_subtypes:
        problems.append(f"--sub-event-type {', '.join(map(repr, bad_subtypes))} not in the data")
    focus = focus_area(focus_key)
    level = request.level or ("admin2" if focus.units and "admin2" in boundary_set.levels else "admin1")
    if level not in boundary_set.levels:
        problems.append(f"--level {level}: the boundary set {boundary_set.name} has {', '.join(boundary_set.levels)}")
    if years is None and (request.date_from or request.date_to):
        low, high = choices.years
        years = (request.date_from.year if request.date_from else low, request.date_to.year if request.date_to else high)
    if years is not None:
        low, high = choices.years
        outside = [y for y in sorted(set(years)) if not low <= y <= high]
        if outside:
            problems.append(f"{', '.join(map(str, outside))} outside the data's years {low}–{high}")
        if years[0] > years[1]:
            problems.append("--from comes after --to")
    if focus.units and countries and not set(countries) & set(focus.countries):
        problems.append(f"--focus {focus_key} lies in {', '.join(focus.countries)}, which --country leaves out")
    if problems:
        raise InputError([Problem(p) for p in problems])

    # A focus fixes the map on its area (presentation mode); the other figures keep to the area's country.
    figure_countries = countries
    if focus.units and kind != "map" and not countries:
        figure_countries = focus.countries
    trend_by = request.trend_by or ("unit" if focus.units else "country")
    view = ViewState(
        boundaries=boundary_set.name, level=level, metric=request.metric,
        year_from=years[0] if years else None, year_to=years[1] if years else None,
        countries=figure_countries, preset=request.preset or ALL_TYPES, types=tuple(request.event_types),
        subtypes=tuple(request.sub_event_types), actor=request.actor or "", source=wanted_source or "",
        precision=request.max_geo_precision or 0, period=request.period, trend_by=trend_by, civ_by=request.civ_by or "kind",
        present=kind == "map" and request.focus is not None, focus=focus_key, indicator=request.indicator or "",
    )
    if view.source == AGGREGATE_SOURCE:
        # ACLED's aggregates: one of the indicators the store holds, and a figure their tables have; the Civilians
        # figures read their civilian-targeting table, and they have no perpetrators.
        held = choices.indicators
        if kind in CIVILIAN_KINDS:
            if "civilian-targeting" not in held:
                problems.append(f"{kind}: the store holds no ACLED aggregates of civilian targeting (it holds "
                                f"{', '.join(held) or 'none'}); ingest ACLED's civilian targeting table from HDX")
            if kind == "civilians-state-share":
                problems.append(f"{kind}: ACLED's aggregates have no single events and no perpetrators, so no share of "
                                "state forces; use civilians-map or civilians-perpetrators (their yearly total)")
        else:
            if request.indicator and request.indicator not in held:
                problems.append(f"--indicator {request.indicator}: the store holds ACLED's aggregates of {', '.join(held) or 'none'}")
            lacking = lacking_figures(request.indicator or (held[0] if held else None))
            if request.metric in lacking:
                problems.append(f"--metric {request.metric}: ACLED's aggregates of {request.indicator or held[0]} do not have "
                                f"it (use events{'' if 'fatalities' in lacking else ', fatalities'} or events_per_10k_km2)")
        if problems:
            raise InputError([Problem(p) for p in problems])
    view = complete_view(view, choices)
    inputs = Inputs(reader=Reader(source), settings=settings, is_sample=data.is_sample, years=choices.years,
                    vintages=choices.vintages)
    return Prepared(inputs=inputs, choices=choices, view=view, notes=tuple(notes))


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder, renamed at the end: never a partial file.

    Parameters
    ----------
    path
        The file to write.
    data
        Its bytes.
    """
    import os
    import tempfile

    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; the export is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def output_format(out: str, allowed: Sequence[str] = tuple(FORMATS)) -> tuple[Path, str]:
    """The output path and its format (from its suffix); AtlasError for an unknown suffix or a missing folder.

    Parameters
    ----------
    out
        The `--out` path.
    allowed
        The formats allowed (suffixes without their dot).

    Returns
    -------
    tuple[Path, str]
        (the path, its format).
    """
    path = Path(out)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in allowed:
        raise AtlasError(f"--out {out}: the suffix picks the format; use one of {', '.join('.' + f for f in allowed)}")
    if not (path.parent if str(path.parent) else Path(".")).is_dir():
        raise AtlasError(f"--out {out}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise AtlasError(f"--out {out} is a folder")
    return path, fmt
