"""What each page shows, as plain functions (no Streamlit): one function per view.

A page gets a view model from here and only lays it out. The view model decides which figures to read (through
a reader: `ui.data.CachedReader` in the app, `geo.figures.reading.Reader` in tests), sums a range of years, classifies,
counts totals, flags a period the data cover only in part, and builds the figures with their text
(:mod:`geo.figures`). Everything here can be called and tested without Streamlit.

* :func:`map_view` — the interactive map of the years chosen, its legend, totals and units table.
* :func:`years_view` — the animation and the small multiples over the years chosen.
* :func:`unit_view` — one unit's history, top actors and latest events (a click on the map).
* :func:`trends_view` — the trend chart and the tables comparing the years chosen.
* :func:`look` — sizes and fonts, normal or in presentation mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Protocol

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely

from geo.aggregate import Filters
from geo.borders import BorderGeometry, parse_bands
from geo.boundaries import BoundarySet
from geo.config import ActorGroup, Settings, get_settings
from geo.countries import CORE_COUNTRIES
from geo.errors import AtlasError
from geo.figures import charts, choropleth, focus, style, svgmap, tables
from geo.figures.borders import border_overlay_layers
from geo.figures.geometry import display_area_of_interest, display_countries, display_units
from geo.indicators import AGGREGATE_SOURCE, DEFAULT_INDICATOR, lacking_figures
from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE
from geo.query import RANGES, SourceVintage

from .reading import Choices, Points
from .state import ALL_TYPES, ViewState, choice_label

word = style.word

SPECIAL = (OUTSIDE_CODE, UNALLOCATED_CODE)
#: Figures summed over a range of years (a density is recomputed from the summed events); their ranges too (an event
#: is in one year: the ranges of a sum of years are the sums of the years' ranges).
SUMMED = ["events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities", "snapped_events",
          *RANGES]
#: Figures of the totals above the units table, and of the table.
TOTALS = ["events", "fatalities", "civilian_events", "civilian_fatalities"]
#: Years an animation or small multiples show when one year is chosen: that year and the ones before it.
YEARS_BEFORE = 4


class ViewReader(Protocol):
    """Every read the view models make (`geo.figures.reading.Reader`, or its cached twin `ui.data.CachedReader`)."""

    boundary_set: BoundarySet

    def aggregated(self, *, level: str, period: str, filters: Filters) -> pd.DataFrame:
        """The aggregate per unit and period (:meth:`geo.figures.reading.Reader.aggregated`)."""

    def grouped(self, *, by: str, level: str, period: str, filters: Filters) -> pd.DataFrame:
        """Metrics per source, period and group (:meth:`geo.figures.reading.Reader.grouped`)."""

    def unit_detail(self, *, level: str, unit_code: str, filters: Filters, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
        """(top actors, latest events) of one unit (:meth:`geo.figures.reading.Reader.unit_detail`)."""

    def points(self, *, filters: Filters, limit: int = ...) -> Points:
        """Events to draw as points, or their density grid (:meth:`geo.figures.reading.Reader.points`)."""

    def border_geometry(self) -> BorderGeometry:
        """The set's shared borders (:meth:`geo.figures.reading.Reader.border_geometry`)."""

    def border_shapes(self, *, bands: tuple[float, ...], tri_radius_km: float) -> tuple[gpd.GeoDataFrame, shapely.Geometry]:
        """The distance-band polygons and the tri-border disc (:meth:`geo.figures.reading.Reader.border_shapes`)."""

    def event_rows(self, *, filters: Filters, limit: int) -> tuple[pd.DataFrame, int]:
        """The events behind a figure and how many the filters keep (:meth:`geo.figures.reading.Reader.event_rows`)."""

    def vintages(self) -> dict[str, SourceVintage]:
        """Each source's vintage (:meth:`geo.figures.reading.Reader.vintages`)."""

    def perpetrator_table(self, *, level: str, filters: Filters) -> pd.DataFrame:
        """The aggregate split by perpetrator (:meth:`geo.figures.reading.Reader.perpetrator_table`)."""

    def mass_casualty(self, *, level: str, filters: Filters, min_fatalities: int, civilian_only: bool = False,
                      unit_code: str | None = None, limit: int = ...) -> tuple[pd.DataFrame, int]:
        """The largest mass-casualty events and their number (:meth:`geo.figures.reading.Reader.mass_casualty`)."""

    def named_groups(self, *, filters: Filters, groups: tuple[ActorGroup, ...], level: str,
                     unit_code: str | None = None) -> pd.DataFrame:
        """Civilian fatalities per named group (:meth:`geo.figures.reading.Reader.named_groups`)."""

    def top_perpetrators(self, *, filters: Filters, level: str, unit_code: str | None = None, n: int = 12) -> pd.DataFrame:
        """The first actors with most civilian fatalities (:meth:`geo.figures.reading.Reader.top_perpetrators`)."""

    def border_table(self, *, filters: Filters, period: str, bands: tuple[float, ...]) -> pd.DataFrame:
        """Figures per period, border and band (:meth:`geo.figures.reading.Reader.border_table`)."""

    def border_pairs_within(self, *, filters: list[Filters], max_km: float, max_days: int,
                            same_actor: bool) -> tuple[pd.DataFrame | None, int | None, int]:
        """Cross-border pairs under bounded filters (:meth:`geo.figures.reading.Reader.border_pairs_within`)."""

    def border_actors(self, *, filters: Filters, period: str) -> pd.DataFrame:
        """Cross-border actors (:meth:`geo.figures.reading.Reader.border_actors`)."""

    def actor_footprint(self, *, filters: Filters, actor: str, periods: list[str]) -> pd.DataFrame:
        """One actor's events per year and country (:meth:`geo.figures.reading.Reader.actor_footprint`)."""

    def tri_share(self, *, filters: Filters, radius_km: float) -> tuple[int, int]:
        """Events in the tri-border zone and near a border (:meth:`geo.figures.reading.Reader.tri_share`)."""

    def border_points(self, *, filters: Filters, bands: tuple[float, ...], limit: int = ...) -> Points:
        """Events near the borders for the Borders map (:meth:`geo.figures.reading.Reader.border_points`)."""


@dataclass(frozen=True)
class Inputs:
    """What every view needs besides the view state: where to read, the settings, and what the data hold."""

    reader: ViewReader
    settings: Settings
    is_sample: bool
    years: tuple[int, int]  # the data's first and last year
    vintages: Mapping[str, SourceVintage] = field(default_factory=dict)

    @property
    def boundary_set(self) -> BoundarySet:
        """The boundary set the reader's figures are placed in."""
        return self.reader.boundary_set

    def vintage(self, source: str) -> SourceVintage | None:
        """The vintage of a source (None when unknown).

        Parameters
        ----------
        source
            The source dataset.

        Returns
        -------
        SourceVintage | None
            Its last day, newest ACLED timestamp and UCDP version.
        """
        return self.vintages.get(source)


@dataclass(frozen=True)
class Look:
    """Sizes and fonts of the figures: larger in presentation mode, where a screenshot is a 16:9 slide."""

    scale: float = 1.0
    map_height: int = 620
    chart_height: int = 520
    animation_width: int = 900
    present: bool = False


def look(view: ViewState) -> Look:
    """The page's look: presentation mode enlarges the fonts and fits the map in a 16:9 screen (1600 × 900).

    Parameters
    ----------
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    Look
        The page's look: presentation mode enlarges the fonts and fits the map in a 16:9 screen (1600 × 900).
    """
    if view.present:
        return Look(scale=1.3, map_height=610, chart_height=600, animation_width=1000, present=True)
    return Look()


# ---------------------------------------------------------------------------------------------- words


def is_aggregate(view: ViewState) -> bool:
    """Whether the view shows ACLED's aggregates (counts per unit and month: no single events).

    Parameters
    ----------
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    bool
        Whether the view shows ACLED's aggregates (counts per unit and month: no single events).
    """
    return view.source == AGGREGATE_SOURCE


def no_single_events(view: ViewState, what: str) -> str:
    """For the aggregate source, the one sentence a view of single events shows instead of an empty figure, else "".

    Parameters
    ----------
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    what
        What the view would show (a phrase key's last part: "points", "borders", ...).

    Returns
    -------
    str
        The sentence, or "" for an event source.
    """
    return word("views.no_single_events", source=style.source_name(view.source), what=word(f"views.single.{what}")) \
        if is_aggregate(view) else ""


def type_words(view: ViewState, settings: Settings) -> tuple[str, str]:
    """The event types and sub-types kept, in plain words ("Political violence"; "" for all).

    Parameters
    ----------
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    settings
        The settings (`atlas.toml` and the environment).

    Returns
    -------
    tuple[str, str]
        The event types and sub-types kept, in plain words ("Political violence"; "" for all).
    """
    if is_aggregate(view):  # an aggregate is of one indicator, nothing else selects its figures
        return word(f"indicator.{view.indicator or DEFAULT_INDICATOR}"), ""
    parts = []
    if view.indicator:
        parts.append(word("indicator.events", indicator=word(f"indicator.{view.indicator}")))
    if view.preset != ALL_TYPES:
        preset = settings.presets.get(view.preset)
        parts.append(style.preset_label(view.preset, preset.label if preset else view.preset, short=True))
    if view.types:
        parts.append(", ".join(style.category(t) for t in view.types))
    return "; ".join(parts), ", ".join(style.category(t) for t in view.subtypes)


def ranges_note(settings: Settings) -> str:
    """The one sentence on what the ranges in brackets mean, with the uncertainty areas of the settings in words.

    The areas are those of `atlas.toml` [uncertainty]: no figure is typed into the text.

    Parameters
    ----------
    settings
        The settings (their `uncertainty` areas).

    Returns
    -------
    str
        The sentence, in the current language.
    """
    parts = []
    for scale in ("acled", "ucdp"):
        runs: list[tuple[list[int], str]] = []  # codes in a row with the same area: "5–7: the whole country"
        for code, area in sorted(settings.uncertainty.get(scale, {}).items()):
            if area.unit:
                text = word(f"ranges.area.{area.unit}")
            elif area.radius_km:
                text = word("ranges.area.km", km=style.format_number(area.radius_km))
            else:
                continue  # (a point: no range)
            if runs and runs[-1][1] == text and runs[-1][0][-1] == code - 1:
                runs[-1][0].append(code)
            else:
                runs.append(([code], text))
        areas = [word("ranges.area.code", code=f"{codes[0]}–{codes[-1]}" if len(codes) > 1 else codes[0], area=text)
                 for codes, text in runs]
        if areas:
            parts.append(word(f"ranges.scale.{scale}", areas=", ".join(areas)))
    return word("ranges.note", areas=word("format.semicolon").join(parts), mark=RANK_MARK)


#: The mark of a unit whose rank could change within the ranges (`geo.figures.tables.rank_could_change`).
RANK_MARK = "↕"


def rank_marks(table: pd.DataFrame) -> list[str]:
    """A unit's rank for readers: "3", or "↕ 2–4" when it could take other ranks within the ranges ("" without one).

    Parameters
    ----------
    table
        Units with `rank`, `rank_best`, `rank_worst` and `rank_uncertain`.

    Returns
    -------
    list[str]
        One mark per row.
    """
    out = []
    for rank, best, worst, flag in zip(table["rank"], table["rank_best"], table["rank_worst"], table["rank_uncertain"]):
        if pd.isna(rank):
            out.append("")
        elif flag is True or flag == 1:
            out.append(word("rank.span", mark=RANK_MARK, best=style.format_count(best), worst=style.format_count(worst)))
        else:
            out.append(style.format_count(rank))
    return out


def metric_range(table: pd.DataFrame, metric: str) -> tuple[pd.Series, pd.Series] | None:
    """The low and high ends of a metric's range in a table of units (a density: from the events' range).

    Parameters
    ----------
    table
        A table of units with their ranges.
    metric
        The metric.

    Returns
    -------
    tuple[pd.Series, pd.Series] | None
        (low, high), or None when the metric has no range in the table.
    """
    bounds = tables.range_columns(metric)
    if bounds is not None and set(bounds) <= set(table.columns):
        return table[bounds[0]], table[bounds[1]]
    if metric == "events_per_10k_km2" and {"events_min", "events_max", "area_km2"} <= set(table.columns):
        area = pd.to_numeric(table["area_km2"], errors="coerce")
        return ((pd.to_numeric(table["events_min"]) / area * 10_000).round(3),
                (pd.to_numeric(table["events_max"]) / area * 10_000).round(3))
    return None


def with_range_text(table: pd.DataFrame, columns: tuple[str, ...] | list[str]) -> pd.DataFrame:
    """A table for readers: each of `columns` that has a range written as "1,234 (1,180–1,310)".

    Numbers are in the current language; the count stands alone where it has no range; the range columns themselves
    are left out.

    Parameters
    ----------
    table
        A table with range columns (`geo.query.RANGES`).
    columns
        The columns written with their ranges.

    Returns
    -------
    pd.DataFrame
        The table for readers.
    """
    out = table.copy()
    for column in columns:
        bounds = tables.range_columns(column)
        if column not in out or bounds is None or not set(bounds) <= set(out.columns):
            continue
        out[column] = [style.format_range(v, lo, hi) if pd.notna(v) else "" for v, lo, hi in
                       zip(out[column], out[bounds[0]], out[bounds[1]])]
    return out.drop(columns=[c for c in RANGES if c in out.columns])


def focus_place(view: ViewState) -> str:
    """What a title says instead of the countries when the map is fixed on a focus area (presentation mode).

    Parameters
    ----------
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    str
        What a title says instead of the countries when the map is fixed on a focus area (presentation mode).
    """
    if view.present and view.focus != focus.DEFAULT_FOCUS:
        return focus.focus_area(view.focus).place
    return ""


def subject(inputs: Inputs, view: ViewState, *, years: tuple[int, int] | None = None, metric: str | None = None,
            all_years: bool = False, on_map: bool = True) -> style.Subject:
    """The :class:`~geo.figures.style.Subject` of a view's figures: metric, source, years, place, filters, vintage.

    A focus area fixes maps only (`on_map`): a chart's text names the countries whose events it counts.

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    years
        (first, last) year; None for the view's.
    metric
        The metric: "events", "fatalities", "civilian_events", "civilian_fatalities" or "events_per_10k_km2".
    all_years
        Whether the figure shows every year (no years in its text).
    on_map
        Whether the figure is a map (a focus area fixes maps only).

    Returns
    -------
    style.Subject
        The :class:`~geo.figures.style.Subject` of a view's figures: metric, source, years, place, filters, vintage. A
        focus area fixes maps only (`on_map`): a chart's text names the countries whose events it counts.
    """
    types, sub_types = type_words(view, inputs.settings)
    chosen = None if all_years else (years or (view.year_from, view.year_to))
    place = focus_place(view) if on_map else ""
    # On a focus area the units are named after its countries (Mopti: cercles).
    countries = focus.focus_area(view.focus).countries if place else tuple(view.countries)
    return style.Subject(
        metric=metric or view.metric, source=view.source, years=chosen, countries=countries,
        place=place, level=view.level, types=types, sub_types=sub_types, actor=view.actor,
        max_geo_precision=view.precision or None, vintage=inputs.vintage(view.source),
        boundaries=inputs.boundary_set.attribution, sample=inputs.is_sample,
    )


def last_complete_year(years: tuple[int, int], vintage: SourceVintage | None) -> int:
    """The year a view opens on: the data's last year, or the one before when the data stop inside it.

    Parameters
    ----------
    years
        The data's (first, last) year.
    vintage
        The source's vintage (its last day, newest ACLED timestamp, UCDP version); None when unknown.

    Returns
    -------
    int
        The year a view opens on: the data's last year, or the one before when the data stop inside it.
    """
    first, last = years
    if vintage is not None and style.period_note(str(last), vintage) and last > first:
        return last - 1
    return last


def default_source(sources: list[str]) -> str:
    """The source a view shows when none is chosen: ACLED, else UCDP GED, else an uploaded file, else the sample.

    Parameters
    ----------
    sources
        The sources the data hold.

    Returns
    -------
    str
        The source a view shows when none is chosen: ACLED, else UCDP GED, else an uploaded file, else the sample.
    """
    for preferred in ("acled", "ucdp", "generic", "sample"):
        if preferred in sources:
            return preferred
    return sources[0] if sources else "sample"


def complete_view(view: ViewState, choices: Choices) -> ViewState:
    """The view with its data-dependent defaults filled (source, years, boundary set, level) and the values the current data cannot show dropped (the app's sidebar and the exports' flags both go through it).

    Parameters
    ----------
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    choices
        What the data and the configuration offer.

    Returns
    -------
    ViewState
        The view with its data-dependent defaults filled (source, years, boundary set, level) and the values the
        current data cannot show dropped (the app's sidebar and the exports' flags both go through it).
    """
    source = view.source if view.source in choices.sources else default_source(choices.sources)
    low, high = choices.years
    year_from = view.year_from if view.year_from and low <= view.year_from <= high else None
    year_to = view.year_to if view.year_to and low <= view.year_to <= high else None
    if year_from is None and year_to is None:
        # Open on the last complete year: the last year of an export runs only to its last event.
        # (the source's own years: a store may hold an old export beside tables running to last month)
        vintage = choices.vintages.get(source)
        own = (max(low, int(vintage.first_month[:4])), min(high, vintage.last_date.year)) if vintage else choices.years
        year_from = year_to = last_complete_year(own if own[0] <= own[1] else choices.years, vintage)
    year_from = year_from or year_to
    year_to = year_to or year_from
    default = get_settings().default_boundaries
    fallback = default if default in choices.boundaries else choices.boundaries[0]
    boundaries = view.boundaries if view.boundaries in choices.boundaries else fallback
    level = view.level if view.level in choices.levels.get(boundaries, ["admin1"]) else "admin1"
    indicator, metric = view.indicator, view.metric
    if source == AGGREGATE_SOURCE:
        # One indicator at a time (a held one), and only the figures its tables have.
        held = choices.indicators or [DEFAULT_INDICATOR]
        indicator = indicator if indicator in held else (DEFAULT_INDICATOR if DEFAULT_INDICATOR in held else held[0])
        if metric in lacking_figures(indicator):
            metric = "events"
    return replace(
        view, source=source, year_from=min(year_from, year_to), year_to=max(year_from, year_to), boundaries=boundaries,
        level=level, types=tuple(t for t in view.types if t in choices.types),
        subtypes=tuple(t for t in view.subtypes if t in choices.subtypes), indicator=indicator, metric=metric,
    )


def metric_choices(view: ViewState) -> list[str]:
    """The metrics the view's source has (ACLED's aggregates: no civilian figures but for civilian targeting, no fatalities for demonstrations).

    Parameters
    ----------
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    list[str]
        The metrics the view's source has (ACLED's aggregates: no civilian figures but for civilian targeting, no
        fatalities for demonstrations).
    """
    from geo.aggregate import METRICS

    if not is_aggregate(view):
        return list(METRICS)
    lacking = lacking_figures(view.indicator or DEFAULT_INDICATOR)
    return [m for m in METRICS if m not in lacking]


def partial_note(inputs: Inputs, view: ViewState, years: tuple[int, int] | None = None) -> str:
    """A sentence for readers when the years shown include one the data cover only in part, else "".

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    years
        (first, last) year; None for the view's.

    Returns
    -------
    str
        A sentence for readers when the years shown include one the data cover only in part, else "".
    """
    vintage = inputs.vintage(view.source)
    first, last = years or (view.year_from, view.year_to)
    if vintage is None or first is None:
        return ""
    partial = [y for y in range(first, last + 1) if style.period_note(str(y), vintage)]
    if not partial:
        return ""
    year = partial[-1]
    if vintage.as_of:  # ACLED's aggregates: their table's as-of date, not a last event
        return word("views.partial_as_of", year=year, day=style.as_of_text(vintage.as_of))
    return word("views.partial", year=year, source=style.source_name(view.source), day=style.format_date(vintage.last_date))


def change_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of changes for readers: the percent change as text, and values as text where some are missing.

    The percent change reads "+6 %" (empty where it is not given), a column of values with some missing reads "no
    data" there: no cell reads "None". The ranges of `geo.figures.tables.ranked_changes(..., ranges=True)` are kept
    (see `change_table_shown`).

    Parameters
    ----------
    frame
        Ranked changes (`geo.figures.tables.ranked_changes`).

    Returns
    -------
    pd.DataFrame
        A table of changes for readers.
    """
    out = readable(frame)
    if "pct_change" in out:
        out["pct_change"] = [style.format_percent(v / 100, signed=True) if pd.notna(v) else "" for v in out["pct_change"]]
    for column in ("value_from", "value_to", "change"):
        if column in out and out[column].isna().any():
            fmt = style.format_signed if column == "change" else style.format_count
            out[column] = [fmt(v) if pd.notna(v) else word("value.no_data") for v in out[column]]
    return out


def change_table_shown(frame: pd.DataFrame, *, marks: bool = True) -> pd.DataFrame:
    """A `change_table` as a page shows it: both values with their ranges, and the mark of a rank that could change.

    Both values read "1,234 (1,180–1,310)" where they have ranges, a column after the rank marks a rank that could
    change within them (`marks`), and the range columns are left out.

    Parameters
    ----------
    frame
        A `change_table`.
    marks
        Whether the column of marks is added.

    Returns
    -------
    pd.DataFrame
        The table as a page shows it.
    """
    out = frame.copy()
    if {"value_from_min", "value_to_min"} <= set(out.columns):
        for column in ("value_from", "value_to"):
            out[column] = [style.format_range(v, lo, hi) if isinstance(v, (int, float, np.integer, np.floating)) and pd.notna(v)
                           else ("" if v is None or (not isinstance(v, str) and pd.isna(v)) else v)
                           for v, lo, hi in zip(out[column], out[f"{column}_min"], out[f"{column}_max"])]
    if marks and "rank_uncertain" in out and "rank" in out:
        spans = [word("rank.span", mark=RANK_MARK, best=style.format_count(b), worst=style.format_count(w))
                 if (flag is True or flag == 1) else "" for b, w, flag in zip(out["rank_best"], out["rank_worst"], out["rank_uncertain"])]
        out.insert(out.columns.get_loc("rank") + 1, "rank_mark", spans)
    dropped = [c for c in out.columns if c.endswith(("_min", "_max")) or c in ("rank_best", "rank_worst", "rank_uncertain")]
    return out.drop(columns=dropped)


def readable(frame: pd.DataFrame) -> pd.DataFrame:
    """A table for readers: text columns without "None" or "nan" (an empty cell instead).

    Parameters
    ----------
    frame
        A table.

    Returns
    -------
    pd.DataFrame
        A table for readers: text columns without "None" or "nan" (an empty cell instead).
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].astype(object).where(out[column].notna(), "").map(
                lambda v: "" if v is None or (isinstance(v, float) and pd.isna(v)) or str(v) in ("None", "nan", "<NA>") else v)
    return out


# ---------------------------------------------------------------------------------------------- map


@dataclass
class MapView:
    """The Map view of the years chosen: the folium map (built by :meth:`figure`), its legend and what goes with it."""

    text: style.FigureText
    metric: str
    units: gpd.GeoDataFrame
    values: pd.DataFrame
    classification: style.Classification
    scope: str
    units_words: tuple[str, str]
    unallocated: dict[str, int]
    outside: int
    totals: pd.DataFrame  # place and TOTALS: the countries shown together, then each
    table: pd.DataFrame  # the units ranked by the metric
    table_title: str
    notes: list[str]
    partial: str
    empty: str
    history: pd.DataFrame  # every year per unit (the unit detail's trend)
    countries: gpd.GeoDataFrame
    aoi: shapely.Geometry
    points: Points | None = None
    overlay: list | None = None
    overlay_error: str = ""
    view_bounds: tuple[float, float, float, float] | None = None
    tiles: bool = False
    look: Look = field(default_factory=Look)
    focus_outline: shapely.Geometry | None = None
    focus_name: str = ""
    ranges_note: str = ""  # what the ranges in brackets mean (the table, the tooltips, the exports)

    def table_shown(self) -> pd.DataFrame:
        """The units table for readers: its figures with their ranges in brackets, each unit's rank by the metric.

        Events and fatalities (and those of civilian targeting) read "1,234 (1,180–1,310)"; a rank "↕ 2–4" gives the
        ranks a unit could take within the ranges; no code column (`table` keeps the numbers).

        Returns
        -------
        pd.DataFrame
            The units table for readers.
        """
        out = with_range_text(self.table, TOTALS).drop(columns=["unit_code", "rank", "rank_best", "rank_worst", "rank_uncertain"])
        out.insert(out.columns.get_loc("country") + 1, "rank_mark", rank_marks(self.table))
        return out

    @property
    def points_label(self) -> str | None:
        """The legend's name of the event points or density cells drawn; None without."""
        p = self.points
        if p is None:
            return None
        return choropleth.points_label(events=None if p.binned else p.events, events_total=p.total,
                                       density=p.bins if p.binned else None, density_cell_deg=p.cell_deg or 0.25)

    def legend(self) -> str:
        """The legend HTML shown beside the map.

        Returns
        -------
        str
            The legend HTML shown beside the map.
        """
        return style.legend_html(
            self.classification, metric=self.metric, scope=self.scope, units=self.units_words[1],
            unplaced=self.unallocated, borders=True, aoi=self.aoi is not None and not self.aoi.is_empty,
            points=self.points_label, focus=self.focus_name if self.focus_outline is not None else None, scale=self.look.scale,
        )

    def figure(self, *, legend: str = "beside") -> folium.Map:
        """The folium map (the legend beside it is :meth:`legend`).

        Parameters
        ----------
        legend
            "beside" (the page shows :meth:`legend` next to the map) or "inside".

        Returns
        -------
        folium.Map
            The folium map (the legend beside it is :meth:`legend`).
        """
        p = self.points
        return choropleth.choropleth_map(
            self.units, self.values, metric=self.metric, classification=self.classification, text=self.text,
            countries=self.countries, aoi=self.aoi, unallocated=self.unallocated,
            events=p.events if p is not None and not p.binned else None, events_total=p.total if p is not None else None,
            density=p.bins if p is not None and p.binned else None, density_cell_deg=(p.cell_deg or 0.25) if p is not None else 0.25,
            online_tiles=self.tiles, extra_layers=self.overlay, view_bounds=self.view_bounds, legend=legend,
            scope=self.scope, units_label=self.units_words[1], focus_outline=self.focus_outline, focus_name=self.focus_name,
        )


def _shown_units(inputs: Inputs, view: ViewState) -> gpd.GeoDataFrame:
    units = display_units(inputs.boundary_set, view.level)
    if view.countries:
        units = units[units["country_iso3"].isin(view.countries)]
    return units


def _history(inputs: Inputs, view: ViewState) -> pd.DataFrame:
    """Every year per unit of the view's source and filters (one cached read shared by the map, unit and animation)."""
    table = inputs.reader.aggregated(level=view.level, period="year", filters=view.filters_without_years())
    return table[table["source"] == view.source]


def _sum_years(rows: pd.DataFrame, units: gpd.GeoDataFrame) -> pd.DataFrame:
    """The figures of each unit summed over the rows' years; the density recomputed from the summed events."""
    placed = rows[~rows["unit_code"].isin(SPECIAL)]
    columns = [c for c in SUMMED if c in placed.columns]
    values = placed.groupby("unit_code")[columns].sum(min_count=1)
    area = units.set_index("unit_code")["area_km2"].reindex(values.index)
    values["events_per_10k_km2"] = (values["events"] / area * 10_000).round(3)
    return values


def totals_table(rows: pd.DataFrame, countries: tuple[str, ...] = ()) -> pd.DataFrame:
    """Events, fatalities and events targeting civilians of the countries shown together, then of each: every event of the country counts, also those not placed in a region.

    Parameters
    ----------
    rows
        Aggregate rows of the years shown, of one source.
    countries
        ISO3 codes of the countries.

    Returns
    -------
    pd.DataFrame
        Events, fatalities and events targeting civilians of the countries shown together, then of each: every event
        of the country counts, also those not placed in a region.
    """
    shown = list(countries or CORE_COUNTRIES)
    in_shown = rows[rows["country_iso3"].isin(shown)]
    # (a figure the source does not have — ACLED's aggregates: civilian events of political violence — stays empty)
    lacking = [c for c in TOTALS if c in rows and len(rows) and rows[c].isna().all()]
    per_country = in_shown.groupby("country_iso3")[TOTALS].sum().reindex(shown)
    held = set(in_shown["country_iso3"])  # a country without rows has no data (ACLED's tables of another country)
    together = per_country.fillna(0).sum()
    first = style.place_text(tuple(shown)) if len(shown) < len(CORE_COUNTRIES) else word("views.all_three")

    def figures(values: pd.Series, known: bool = True) -> dict:
        return {k: (None if k in lacking or not known else int(v)) for k, v in values.items()}

    out = [{"place": first, **figures(together)}]
    if len(shown) > 1:
        out += [{"place": style.country_name(iso3), **figures(row, iso3 in held)} for iso3, row in per_country.iterrows()]
    return pd.DataFrame(out, columns=["place", *TOTALS])


def map_view(inputs: Inputs, view: ViewState) -> MapView:
    """The Map view: each unit's figures summed over the years chosen, coloured by classes of those values (where it was worst in the years shown), with the totals above the units table and the years the data cover in part said.

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    MapView
        The Map view: each unit's figures summed over the years chosen, coloured by classes of those values (where it
        was worst in the years shown), with the totals above the units table and the years the data cover in part
        said.
    """
    lk = look(view)
    units = _shown_units(inputs, view)
    history = _history(inputs, view)
    selected = history[history["period"].astype(int).between(view.year_from, view.year_to)]
    values = _sum_years(selected, units)
    in_view = values.reindex(units["unit_code"])
    classification = style.classify(in_view[view.metric], scheme=view.scheme, log=view.log)
    subj = subject(inputs, view)
    words = subj.units
    text = style.figure_text(subj, style.map_title(subj))
    scope = subj.years_text + (word("views.summed") if view.is_range and view.metric != "events_per_10k_km2" else "")

    unallocated = selected[selected["unit_code"] == UNALLOCATED_CODE].groupby("country_iso3")["events"].sum()
    unallocated = {str(k): int(v) for k, v in unallocated.items() if v}
    outside = int(selected.loc[selected["unit_code"] == OUTSIDE_CODE, "events"].sum())
    notes = []
    if unallocated and is_aggregate(view):
        # Units of ACLED's tables that this set does not have: counted in their region, never spread by area.
        notes.append(word("views.aggregates_not_in_set", unit=words[0], boundaries=inputs.boundary_set.name, parts=", ".join(
            word("legend.in_country", n=style.format_count(n), country=style.country_name(c)) for c, n in unallocated.items())))
    elif unallocated:
        notes.append(word("views.not_placed", unit=words[0], parts=", ".join(
            word("legend.in_country", n=style.format_count(n), country=style.country_name(c)) for c, n in unallocated.items())))
    if outside:
        notes.append(word("views.outside_every", n=style.format_count(outside), unit=words[0]))
    notes = [word("views.not_on_map", notes="; ".join(notes))] if notes else []

    table = units[["unit_code", "unit_name", "country_iso3"]].merge(values, left_on="unit_code", right_index=True, how="left")
    table = table.assign(country=table["country_iso3"].map(style.country_name))
    table = table.sort_values([view.metric, "unit_name"], ascending=[False, True], na_position="last")
    ranged = [c for c in RANGES if c in table.columns]
    table = table[["unit_code", "unit_name", "country", *TOTALS, "events_per_10k_km2", *ranged]]
    lacking = lacking_figures(view.indicator) if is_aggregate(view) else ()
    for column in TOTALS:  # (a figure the source does not have stays empty)
        table[column] = table[column].astype("Int64") if column in lacking else table[column].fillna(0).astype("int64")
    for column in ranged:  # (a unit no event reaches: its range is its figure, 0; ACLED's aggregates: none)
        table[column] = (table[column] if is_aggregate(view) else table[column].fillna(0)).astype("Int64")
    bounds = metric_range(table.assign(area_km2=table["unit_code"].map(units.set_index("unit_code")["area_km2"])), view.metric)
    span = tables.rank_span(table[view.metric], *(bounds if bounds is not None else (table[view.metric],) * 2))
    table["rank"], table["rank_best"], table["rank_worst"] = (span[c].to_numpy() for c in ("rank", "best", "worst"))
    table["rank_uncertain"] = span["could_change"].to_numpy()

    empty = ""
    if selected["events"].sum() == 0:
        empty = word("views.empty_map", source=style.source_name(view.source), filters=style.filter_line(subj, metric=False))
    points = None
    if view.points and is_aggregate(view):
        notes.append(no_single_events(view, "points"))
    elif view.points:
        # Up to a thousand newest events; beyond, a density grid computed in the database.
        points = inputs.reader.points(filters=replace(view.filters(), sources=(view.source,)))
    overlay, overlay_error = None, ""
    if view.border_overlay:
        try:
            bands = parse_bands(view.bands)
            band_shapes, tri_zone = inputs.reader.border_shapes(bands=bands, tri_radius_km=float(view.tri_km))
            overlay = border_overlay_layers(inputs.reader.border_geometry(), band_shapes, tri_zone, tri_radius_km=float(view.tri_km))
        except AtlasError as exc:
            overlay_error = word("views.overlay_error", error=exc)
    view_bounds = focus.focus_bounds(view.focus) if view.present else None
    outline = focus.focus_shape(view.focus) if view.present and view.focus != focus.DEFAULT_FOCUS else None
    return MapView(
        text=text, metric=view.metric, units=units, values=values, classification=classification, scope=scope,
        units_words=words, unallocated=unallocated, outside=outside, totals=totals_table(selected, tuple(view.countries)),
        table=table, table_title=word("views.table_title", units=style.capitalized(words[1]), years=subj.years_text), notes=notes,
        partial=partial_note(inputs, view), empty=empty, history=history,
        countries=display_countries(inputs.boundary_set), aoi=display_area_of_interest(inputs.boundary_set),
        points=points, overlay=overlay, overlay_error=overlay_error, view_bounds=view_bounds, tiles=view.tiles, look=lk,
        focus_outline=outline, focus_name=subj.place, ranges_note="" if is_aggregate(view) else ranges_note(inputs.settings),
    )


# ---------------------------------------------------------------------------------------------- years


@dataclass
class YearsView:
    """The animation and the small multiples: a map per year of the years chosen, one classification for all."""

    text: style.FigureText
    metric: str
    units: gpd.GeoDataFrame
    values: pd.DataFrame  # unit_code, period, value
    periods: list[str]
    classification: style.Classification
    partial: dict[str, str]
    scope: str
    units_words: tuple[str, str]
    note: str
    empty: str
    aoi: shapely.Geometry
    view_bounds: tuple[float, float, float, float] | None = None
    look: Look = field(default_factory=Look)

    def animation(self, *, start: str | None = None) -> svgmap.AnimatedMap:
        """The animation (SVG and its Play / Pause script).

        Parameters
        ----------
        start
            The frame shown first; default the first period.

        Returns
        -------
        svgmap.AnimatedMap
            The animation (SVG and its Play / Pause script).
        """
        return svgmap.animated_map_html(
            self.units, self.values, classification=self.classification, periods=self.periods, text=self.text,
            metric=self.metric, width=self.look.animation_width, aoi=self.aoi, view_bounds=self.view_bounds,
            partial=self.partial, scope=self.scope, units_label=self.units_words[1], start=start or (self.periods[0] if self.periods else None),
            scale=self.look.scale,
        )

    def multiples(self) -> str:
        """The small multiples (one SVG).

        Returns
        -------
        str
            The small multiples (one SVG).
        """
        n = len(self.periods)
        columns = n if n <= 3 else 2 if n == 4 else 3 if n in (5, 6, 9) else 4
        width = 960 if not self.look.present else 1200
        panel = int((width - 14 * (columns - 1)) / max(columns, 1))
        return svgmap.small_multiples_svg(
            self.units, self.values, classification=self.classification, periods=self.periods, text=self.text,
            metric=self.metric, columns=columns, panel_width=max(panel, 200), aoi=self.aoi, view_bounds=self.view_bounds,
            partial=self.partial, scope=self.scope, units_label=self.units_words[1], scale=self.look.scale,
        )


def years_shown(inputs: Inputs, view: ViewState) -> tuple[int, int]:
    """The years of an animation or small multiples: the range chosen, or the chosen year and up to four before it.

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    tuple[int, int]
        The years of an animation or small multiples: the range chosen, or the chosen year and up to four before it.
    """
    if view.is_range:
        return view.year_from, view.year_to
    first = max(inputs.years[0], view.year_to - YEARS_BEFORE)
    return first, view.year_to


def years_view(inputs: Inputs, view: ViewState) -> YearsView:
    """The animation and small multiples of the years chosen, classified together (one colour means the same in each).

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    YearsView
        The animation and small multiples of the years chosen, classified together (one colour means the same in
        each).
    """
    first, last = years_shown(inputs, view)
    periods = [str(y) for y in range(first, last + 1)]
    units = _shown_units(inputs, view)
    history = _history(inputs, view)
    rows = history[history["period"].astype(str).isin(periods) & history["unit_code"].isin(units["unit_code"])]
    values = svgmap.long_values(rows, view.metric)
    classification = style.classify(values["value"], scheme=view.scheme, log=view.log)
    subj = subject(inputs, view, years=(first, last))
    vintage = inputs.vintage(view.source)
    note = "" if view.is_range else word("views.one_year", years=style.years_label(first, last), toggle=word("sidebar.several"))
    empty = "" if rows["events"].sum() else word("views.empty_years", source=style.source_name(view.source),
                                                 filters=style.filter_line(subj, metric=False))
    return YearsView(
        text=style.figure_text(subj, style.map_title(subj, year_by_year=True)), metric=view.metric, units=units, values=values,
        periods=periods, classification=classification, partial=style.partial_periods(periods, vintage),
        scope=f"{style.years_label(first, last)}, {style.word('legend.one_scale')}", units_words=subj.units, note=note,
        empty=empty, aoi=display_area_of_interest(inputs.boundary_set),
        view_bounds=focus.focus_bounds(view.focus) if view.present else None, look=look(view),
    )


# ---------------------------------------------------------------------------------------------- a unit


@dataclass
class UnitView:
    """One unit (clicked on the map): its history, top actors and latest events in the years chosen."""

    name: str
    country: str
    figure: go.Figure
    actors: pd.DataFrame
    latest: pd.DataFrame
    actors_title: str
    latest_title: str
    none: str = ""  # for a source without single events: the sentence shown instead of the actors and events


def unit_view(inputs: Inputs, view: ViewState, shown: MapView, unit_code: str) -> UnitView | None:
    """The detail of `unit_code`, or None when the map does not show it.

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    shown
        The page's view model of the figure (what the page lays out).
    unit_code
        The unit (of `level`).

    Returns
    -------
    UnitView | None
        The detail of `unit_code`, or None when the map does not show it.
    """
    units = shown.units.set_index("unit_code")
    if unit_code not in units.index:
        return None
    unit = units.loc[unit_code]
    country = style.country_name(unit["country_iso3"])
    history = shown.history[shown.history["unit_code"] == unit_code]
    subj = replace(subject(inputs, view, all_years=True), place=f"{unit['unit_name']} ({country})")
    text = style.figure_text(subj, style.word("title.unit_trend", metric=style.metric_label(view.metric), unit=unit["unit_name"],
                                              country=country))
    vintage = inputs.vintage(view.source)
    periods = [str(p) for p in history["period"]]
    figure = charts.unit_trend(history, metric=view.metric if view.metric != "events_per_10k_km2" else "events", text=text,
                               partial=style.partial_periods(periods, vintage),
                               highlight=None if view.is_range else str(view.year_to))
    years = style.years_text(view.year_from, view.year_to, vintage)
    if is_aggregate(view):  # counts per unit and month: no actors, no single events to list
        return UnitView(
            name=str(unit["unit_name"]), country=country, figure=figure,
            actors=pd.DataFrame(columns=["actor", "events", "fatalities"]),
            latest=pd.DataFrame(columns=["date", "event_type", "actor1", "actor2", "fatalities", "location", "notes"]),
            actors_title=word("views.top_actors", years=years), latest_title=word("views.latest_events", years=years),
            none=no_single_events(view, "unit"),
        )
    actors, latest = inputs.reader.unit_detail(level=view.level, unit_code=unit_code,
                                               filters=replace(view.filters(), sources=(view.source,)))
    latest = tables.latest_events(latest) if len(latest) else pd.DataFrame(
        columns=["date", "event_type", "actor1", "actor2", "fatalities", "location", "notes"])
    latest["event_type"] = latest["event_type"].map(style.category)  # in the reader's language
    return UnitView(
        name=str(unit["unit_name"]), country=country, figure=figure, actors=readable(actors), latest=readable(latest),
        actors_title=word("views.top_actors", years=years), latest_title=word("views.latest_events", years=years),
    )


# ---------------------------------------------------------------------------------------------- trends

#: What the trends are drawn per, and their table column.
TREND_COLUMNS = {"country": "country", "unit": "unit_name", "event_type": "event_type"}


@dataclass
class TrendsView:
    """The Trends view: the chart, and two tables comparing the years chosen."""

    text: style.FigureText
    figure: go.Figure
    table: pd.DataFrame  # the chart's table (for the CSV)
    group_column: str
    group_title: str
    metric: str
    changes: pd.DataFrame
    changes_title: str
    changes_caption: str
    ranked: pd.DataFrame
    ranked_title: str
    ranked_caption: str
    compared: tuple[int, int]  # (earlier, later) years compared
    special_note: str
    partial: str
    notes: list[str]
    empty: str
    ranges_note: str = ""  # what the ranges in brackets (and the band) mean

    def changes_shown(self) -> pd.DataFrame:
        """The table per group for readers: its values with their ranges in brackets.

        Returns
        -------
        pd.DataFrame
            The table per group for readers.
        """
        return change_table_shown(self.changes, marks=False)

    def ranked_shown(self) -> pd.DataFrame:
        """The units ranked by change for readers: values with their ranges, and the mark of a rank that could change.

        Returns
        -------
        pd.DataFrame
            The ranked units for readers (`change_table_shown`).
        """
        return change_table_shown(self.ranked)


def compared_years(inputs: Inputs, view: ViewState) -> tuple[int, int]:
    """The years the Trends tables compare: the range's first and last, or the chosen year and the one before.

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    tuple[int, int]
        The years the Trends tables compare: the range's first and last, or the chosen year and the one before.
    """
    if view.is_range:
        return view.year_from, view.year_to
    return max(inputs.years[0], view.year_to - 1), view.year_to


def trends_view(inputs: Inputs, view: ViewState) -> TrendsView:
    """The Trends view. One year chosen: the chart shows every year with that one marked, and the tables compare it with the year before. A range: the chart shows the range, and the tables compare its last year with its first.

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    TrendsView
        The Trends view. One year chosen: the chart shows every year with that one marked, and the tables compare it
        with the year before. A range: the chart shows the range, and the tables compare its last year with its first.
    """
    lk = look(view)
    metric = view.metric if view.metric != "events_per_10k_km2" else "events"
    group_column = TREND_COLUMNS[view.trend_by]
    level_words = style.unit_words(view.level, view.countries)
    group_title = {"country": word("views.group.country"), "unit": level_words[0],
                   "event_type": word("views.group.event_type")}[view.trend_by]
    filters = view.filters() if view.is_range else view.filters_without_years()
    table = inputs.reader.grouped(by=view.trend_by, level=view.level, period=view.period, filters=filters)
    table = table[table["source"] == view.source]
    vintage = inputs.vintage(view.source)
    subj = subject(inputs, view, metric=metric, all_years=not view.is_range, on_map=False)
    if not view.is_range and len(table):
        first = int(str(table["period"].min())[:4])
        subj = replace(subj, years=(first, inputs.years[1]))
    text = style.figure_text(subj, style.trend_title(subj, group=group_title, period=choice_label("period", view.period)))
    periods = sorted(table["period"].astype(str).unique())
    highlight = str(view.year_to) if not view.is_range and view.period == "year" else None
    figure = charts.trend_chart(table, by=group_column, metric=metric, text=text, kind=view.chart,
                                partial=style.partial_periods(periods, vintage), highlight=highlight, height=lk.chart_height,
                                scale=lk.scale, bounds=tables.range_columns(metric))
    earlier, later = compared_years(inputs, view)
    yearly = inputs.reader.grouped(by=view.trend_by, level=view.level, period="year", filters=view.filters_without_years())
    yearly = yearly[yearly["source"] == view.source]
    changes = tables.ranked_changes(yearly, key=group_column, label=group_column, metric=metric,
                                    period_from=str(earlier), period_to=str(later), ranges=True) if len(yearly) else pd.DataFrame(
        columns=["rank", group_column, "value_from", "value_to", "change", "pct_change", "note"])
    changes = change_table(changes.drop(columns=["rank", "country_iso3"], errors="ignore"))
    if group_column == "event_type":  # in the reader's language
        changes[group_column] = changes[group_column].map(style.category)
    later_text = style.years_text(later, later, vintage)
    part = ""
    if vintage is not None and style.period_note(str(later), vintage):
        part = " " + (word("views.counted_to_as_of", later=later, day=style.as_of_text(vintage.as_of), earlier=earlier)
                      if vintage.as_of else word("views.counted_to", later=later, day=style.format_date(vintage.last_date),
                                                 earlier=earlier))
    guard = word("views.guard", base=10)
    units = inputs.reader.aggregated(level=view.level, period="year", filters=view.filters_without_years())
    units = units[units["source"] == view.source]
    ranked = tables.ranked_changes(units, metric=metric, period_from=str(earlier), period_to=str(later), ranges=True) if len(units) else \
        pd.DataFrame(columns=["rank", "unit_code", "unit_name", "country", "value_from", "value_to", "change", "pct_change", "note"])
    ranked = change_table(ranked.drop(columns=["unit_code", "country_iso3"], errors="ignore"))
    special = units[units["unit_code"].isin(SPECIAL) & units["period"].astype(str).isin([str(earlier), str(later)])]
    special_note = ""
    if special[metric].sum():
        special_note = word("views.not_in_any", unit=level_words[0], rows="; ".join(
            f"{row.period}: {style.format_count(getattr(row, metric))} {word('views.special.' + row.unit_code)} "
            f"({style.country_name(row.country_iso3)})"
            for row in special.itertuples() if getattr(row, metric)))
    label = style.metric_label(metric)
    notes = [word("views.densities")] if view.metric == "events_per_10k_km2" else []
    empty = ""
    if table.empty or table[metric].sum() == 0:
        empty = word("views.empty_trends", source=style.source_name(view.source), filters=style.filter_line(subj, metric=False))
    return TrendsView(
        text=text, figure=figure, table=table, group_column=group_column, group_title=style.capitalized(group_title), metric=metric,
        changes=changes, changes_title=word("views.changes_title", group=group_title, earlier=earlier, later=later_text),
        changes_caption=word("views.changes_caption", metric=label, later=later, earlier=earlier) + part + " " + guard,
        ranked=ranked, ranked_title=style.capitalized(word("views.ranked_title", units=level_words[1], earlier=earlier,
                                                           later=later_text)),
        ranked_caption=word("views.ranked_caption", metric=label, unit=level_words[0], later=later, earlier=earlier) + part,
        compared=(earlier, later), special_note=special_note, partial=partial_note(inputs, view, (earlier, later)),
        notes=notes, empty=empty, ranges_note="" if is_aggregate(view) else ranges_note(inputs.settings),
    )
