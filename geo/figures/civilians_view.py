"""The Civilians view: how many civilians were killed, by whom and where, as plain functions (no Streamlit).

:func:`civilians_data` reads the tables from the database through a reader (per unit and year by perpetrator:
``aggregate_store`` split by perpetrator, the mass-casualty events, named groups, first actors; cached per data
version by ``ui.data.CachedReader`` in the app, read directly by :class:`geo.figures.reading.Reader` elsewhere).
:func:`civilians_view` adds the figures the Civilians page shows and ``python -m geo export civilians-*`` writes:
the map of civilian fatalities (with the mass-casualty events as circles on the page's interactive map), the
stacked chart by perpetrator and the share attributed to state forces, each with its text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import folium
import geopandas as gpd
import pandas as pd
import plotly.graph_objects as go
import shapely

from geo.aggregate import Filters
from geo.civilians import (
    DEFAULT_MIN_FATALITIES,
    MASS_CASUALTY_COLUMNS,
    MASS_CASUALTY_DETAILS,
    perpetrator_series,
    state_share,
    unit_perpetrators,
)
from geo.civilians import group_series as civilian_group_series
from geo.config import ActorGroup
from geo.indicators import AGGREGATE_SOURCE
from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE
from geo.perpetrators import PERPETRATORS, group_labels
from geo.query import RANGES

from . import choropleth, style, svgmap, tables
from . import civilians as civilian_figures
from .geometry import display_area_of_interest, display_countries, display_units
from .state import ViewState
from .views import Inputs, ViewReader, ranges_note, subject

#: Percent changes of civilian fatalities are not given below this earlier value (as on the Trends page).
MIN_BASE = 10
#: Rising units listed at most.
MAX_RISING = 10
#: Periods with fewer civilian fatalities get no share (as in :func:`geo.figures.civilians.state_share_chart`).
MIN_SHARE_TOTAL = 10
#: The summed figures of a unit on the map.
MAP_FIGURES = ["events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities",
               "snapped_events", *RANGES]

word = style.word


# ---------------------------------------------------------------------------------------------- the tables


@dataclass(frozen=True)
class CiviliansData:
    """Everything the Civilians view reads, as plain tables (one source)."""

    years: list[str]  # the selected years
    periods: list[str]  # the years the series show
    map_values: pd.DataFrame  # per unit (index unit_code): civilian_fatalities and the other metrics, selected years
    classification_basis: pd.Series  # values the map's classes are computed from (all years when one is selected)
    series: pd.DataFrame  # period, perpetrator, label, civilian_fatalities (or per named group: period, group, ...)
    perpetrators: pd.DataFrame  # perpetrator_series of the selection (always by kind: the state share)
    units: pd.DataFrame  # unit_perpetrators of the selected years
    totals: dict  # geo.civilians.state_share of the selected years, plus civilian_events
    rising: pd.DataFrame  # units where civilian fatalities rose most (ranked_changes, rises only)
    rising_years: tuple[str, str]
    mass: pd.DataFrame  # mass_casualty_store rows (at most the reader's MAX_LISTED)
    mass_total: int
    groups: pd.DataFrame  # named groups: label and civilian fatalities per selected year and in all
    top_actors: pd.DataFrame
    unplaced: int  # civilian fatalities of the selected years outside every unit or not placeable
    #: A source without single events (ACLED's aggregates): the sentences said instead of the mass-casualty list, the
    #: named groups and first actors, and instead of the split by perpetrator ("" for event sources).
    no_events: str = ""
    no_perpetrators: str = ""


def _no_single_events(what: str) -> str:
    """The sentence of :func:`geo.figures.views.no_single_events` for ACLED's aggregates."""
    return word("views.no_single_events", source=style.source_name(AGGREGATE_SOURCE), what=word(f"views.single.{what}"))


def civilian_indicator(view: ViewState, indicators: list[str]) -> tuple[ViewState | None, str]:
    """The Civilians view of ACLED's aggregates reads their civilian-targeting table, whatever indicator the sidebar shows.

    Gives (the view with that indicator, ""), or (None, the sentence saying the store holds no such table). Event
    sources: (the view unchanged, "").

    Parameters
    ----------
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    indicators
        The aggregates' indicators the store holds.

    Returns
    -------
    tuple[ViewState | None, str]
        The Civilians view of ACLED's aggregates reads their civilian-targeting table, whatever indicator the sidebar
        shows: (the view with that indicator, ""), or (None, the sentence saying the store holds no such table). Event
        sources: (the view unchanged, "").
    """
    if view.source != AGGREGATE_SOURCE:
        return view, ""
    if "civilian-targeting" not in indicators:
        return None, word("civ.no_civilian_table", source=style.source_name(AGGREGATE_SOURCE))
    return replace(view, indicator="civilian-targeting"), ""


def civilians_data(
    reader: ViewReader,
    *,
    source: str,
    level: str,
    filters: Filters,
    year_from: int,
    year_to: int,
    min_fatalities: int = DEFAULT_MIN_FATALITIES,
    civilian_only: bool = True,
    by: str = "kind",
    groups: tuple[ActorGroup, ...] = (),
    unit_code: str | None = None,
) -> CiviliansData:
    """The Civilians tables of one source: per unit and year civilian fatalities by perpetrator, the share attributed to state forces, the mass-casualty events, the units where civilian fatalities rose most.

    Parameters
    ----------
    reader
        A :class:`geo.figures.reading.Reader` (or the app's cached twin): ``aggregated``, ``perpetrator_table``,
        ``mass_casualty``, ``named_groups``, ``top_perpetrators``.
    source
        The source dataset shown (never summed with another).
    level
        "admin1" or "admin2".
    filters
        The view's filters over every year (`ViewState.filters_without_years`); the years chosen are
        `year_from`–`year_to`. One year: the series show every year, with that one compared to the year
        before; a range: the series show the range, and its last year is compared to its first.
    year_from, year_to
        The years chosen.
    min_fatalities, civilian_only
        Which events are listed as mass-casualty events (at least this many fatalities; only events targeting
        civilians).
    by
        "kind" (perpetrator kinds) or "group" (named groups of atlas.toml) for `series`.
    groups
        The named groups of atlas.toml [actor_groups].
    unit_code
        Limit the series, lists and totals to one unit (of `level`).

    Returns
    -------
    CiviliansData
        The tables.
    """
    only = replace(filters, sources=(source,))
    single = year_from == year_to
    years = [str(y) for y in range(year_from, year_to + 1)]
    table = reader.perpetrator_table(level=level, filters=only)
    table = table[table["source"] == source]
    in_unit = table[table["unit_code"] == unit_code] if unit_code else table
    periods = _periods(table, years, single)
    shown = in_unit[in_unit["period"].astype(str).isin(periods)]
    perpetrators = perpetrator_series(shown)
    if by == "group":
        selection = only if single else replace(only, date_from=pd.Timestamp(year_from, 1, 1).date(),
                                                date_to=pd.Timestamp(year_to, 12, 31).date())
        figures = reader.named_groups(filters=selection, groups=groups, level=level, unit_code=unit_code)
        series = civilian_group_series(figures[figures["source"] == source], groups)
    else:
        series = perpetrators
    chosen = in_unit[in_unit["period"].astype(str).isin(years)]
    totals = state_share(chosen, years)
    totals["civilian_events"] = float(chosen["civilian_events"].sum())

    # The map and the ranking: every unit (zero rows too) from the plain aggregate.
    all_years = reader.aggregated(level=level, period="year", filters=only)
    all_years = all_years[all_years["source"] == source]
    placed = all_years[~all_years["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])]
    selected = placed[placed["period"].astype(str).isin(years)]
    map_values = selected.groupby("unit_code")[[c for c in MAP_FIGURES if c in selected]].sum(min_count=1)
    map_values["events_per_10k_km2"] = (
        map_values["events"] / selected.drop_duplicates("unit_code").set_index("unit_code")["area_km2"] * 10_000).round(3)
    basis = placed["civilian_fatalities"] if single else map_values["civilian_fatalities"]
    special = all_years[all_years["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE]) & all_years["period"].astype(str).isin(years)]

    first, last = (str(year_from - 1), str(year_to)) if single else (str(year_from), str(year_to))
    ranked = tables.ranked_changes(all_years, metric="civilian_fatalities", period_from=first, period_to=last, min_base=MIN_BASE)
    rising = ranked[ranked["change"].fillna(0) > 0].head(MAX_RISING).reset_index(drop=True)

    selection = replace(only, date_from=pd.Timestamp(year_from, 1, 1).date(), date_to=pd.Timestamp(year_to, 12, 31).date())
    if source == AGGREGATE_SOURCE:
        # ACLED's aggregates: civilian fatalities per unit and month of their civilian-targeting table, no single events,
        # no actors (their figures are all "not typed"): those lists say so in one sentence each.
        return CiviliansData(
            years=years, periods=periods, map_values=map_values, classification_basis=basis, series=series,
            perpetrators=perpetrators, units=unit_perpetrators(chosen, years)[["unit_code", "unit_name", "country_iso3",
                                                                                "civilian_fatalities", "civilian_events"]],
            totals=totals, rising=rising, rising_years=(first, last),
            mass=pd.DataFrame(columns=[*MASS_CASUALTY_COLUMNS, *MASS_CASUALTY_DETAILS]), mass_total=0,
            groups=pd.DataFrame(columns=["group", "label", *years, "total"]),
            top_actors=pd.DataFrame(columns=["actor", "actor1_type", "events", "civilian_fatalities"]),
            unplaced=int(special["civilian_fatalities"].sum()), no_events=_no_single_events("mass"),
            no_perpetrators=_no_single_events("perpetrators"),
        )
    mass, mass_total = reader.mass_casualty(level=level, filters=selection, min_fatalities=min_fatalities,
                                            civilian_only=civilian_only, unit_code=unit_code)
    group_rows = reader.named_groups(filters=selection, groups=groups, level=level, unit_code=unit_code)
    group_table = _group_table(civilian_group_series(group_rows[group_rows["source"] == source], groups), years)
    top = reader.top_perpetrators(filters=selection, level=level, unit_code=unit_code)
    return CiviliansData(
        years=years, periods=periods, map_values=map_values, classification_basis=basis, series=series,
        perpetrators=perpetrators, units=unit_perpetrators(chosen, years), totals=totals, rising=rising,
        rising_years=(first, last), mass=mass, mass_total=mass_total, groups=group_table,
        top_actors=top[top["source"] == source].drop(columns="source").reset_index(drop=True),
        unplaced=int(special["civilian_fatalities"].sum()),
    )


def _periods(table: pd.DataFrame, years: list[str], single: bool) -> list[str]:
    """The years a series shows: the range chosen, or (one year chosen) every year of the source's data."""
    if not single:
        return years
    present = sorted(table["period"].astype(str).unique())
    if not present:
        return years
    low, high = min(present[0], years[0]), max(present[-1], years[-1])
    return [str(y) for y in range(int(low), int(high) + 1)]


def _group_table(series: pd.DataFrame, years: list[str]) -> pd.DataFrame:
    """Named groups (rows, atlas.toml order) × selected years of civilian fatalities, with their total."""
    if series.empty:
        return pd.DataFrame(columns=["group", "label", *years, "total"])
    wide = series.pivot_table(index=["group", "label"], columns="period", values="civilian_fatalities", aggfunc="sum",
                              fill_value=0, sort=False)
    wide = wide.reindex(columns=years).fillna(0).astype("int64")
    wide["total"] = wide.sum(axis=1)
    wide.columns.name = None
    return wide.reset_index()


# ---------------------------------------------------------------------------------------------- the figures


@dataclass
class CiviliansView:
    """The Civilians view of the view state: its tables, and its figures with their text."""

    data: CiviliansData
    units: gpd.GeoDataFrame  # the units shown (display geometry)
    unit_code: str  # the unit the view is limited to ("" for all)
    unit_name: str
    where: str  # " in <unit>" for titles, "" for all
    level_words: tuple[str, str]  # "region", "regions"
    source_label: str
    mass_kind: str  # "events targeting civilians" or "events"
    mass_min: int
    year_label: str
    text: style.FigureText  # the selected years' filter and source lines
    series_text: style.FigureText  # the series' years' filter and source lines
    classification: style.Classification
    map_text: style.FigureText
    stacked: go.Figure
    stacked_text: style.FigureText
    share: go.Figure
    share_text: style.FigureText
    countries: gpd.GeoDataFrame
    aoi: shapely.Geometry
    tiles: bool = False
    ranges_note: str = ""  # what the ranges of the civilian fatalities per unit mean (none for ACLED's aggregates)

    @property
    def caption(self) -> str:
        """The filter and source lines of the selected years, in one line."""
        return f"{self.text.filter_line} · {self.text.source_line}"

    @property
    def map_caption(self) -> str:
        """What the map's circles are (none for ACLED's aggregates), then the filter and source lines."""
        if self.data.no_events:
            return self.caption
        return word("civ.map_caption", kind=self.mass_kind, n=self.mass_min) + " " + self.caption

    @property
    def unplaced_note(self) -> str:
        """Civilian fatalities of the selected years not placed in a unit of the level, or ""."""
        if not self.data.unplaced:
            return ""
        return word("civ.unplaced", n=style.format_count(self.data.unplaced), unit=self.level_words[0])

    def map_values(self) -> pd.DataFrame:
        """unit_code, value: civilian fatalities of the selected years per unit (what the map colours).

        Returns
        -------
        pd.DataFrame
            Columns unit_code and value: civilian fatalities of the selected years per unit (what the map colours).
        """
        values = self.data.map_values["civilian_fatalities"]
        return values.rename("value").rename_axis("unit_code").reset_index()

    def figure(self) -> folium.Map:
        """The interactive map: civilian fatalities per unit, the mass-casualty events as circles, legend inside.

        Returns
        -------
        folium.Map
            The interactive map: civilian fatalities per unit, the mass-casualty events as circles, legend inside.
        """
        data = self.data
        shown_mass = (word("civ.layer.largest", n=style.format_count(len(data.mass)), total=style.format_count(data.mass_total))
                      if data.mass_total > len(data.mass) else style.format_count(len(data.mass)))
        mass_layer = civilian_figures.MassCasualtyLayer(
            data.mass, name=word("civ.layer", kind=style.capitalized(self.mass_kind), n=self.mass_min, shown=shown_mass))
        legend = civilian_figures.PerpetratorLegend(data.mass["perpetrator"].unique(), title=word("civ.legend", n=self.mass_min))
        return choropleth.choropleth_map(
            self.units, data.map_values, metric="civilian_fatalities", text=self.map_text, classification=self.classification,
            countries=self.countries, aoi=self.aoi, online_tiles=self.tiles,
            extra_layers=[] if data.no_events else [mass_layer, legend], legend="inside",  # (aggregates: no circles)
            units_label=self.level_words[1], scope=self.year_label,
        )

    def map_svg(self, *, width: int = 1000, scale: float = 1.0) -> str:
        """The map as one SVG (its export): the page's classes, legend, title, filter line and source line.

        Parameters
        ----------
        width
            The figure's width in pixels.
        scale
            Font scale (presentation mode enlarges every text).

        Returns
        -------
        str
            The map as one SVG (its export): the page's classes, legend, title, filter line and source line.
        """
        return svgmap.map_svg(
            self.units, self.map_values(), classification=self.classification, text=self.map_text,
            metric="civilian_fatalities", width=width, aoi=self.aoi, scope=self.year_label, units_label=self.level_words[1],
            notes=[note for note in (self.unplaced_note,) if note], scale=scale,
        )

    def unit_table(self) -> pd.DataFrame:
        """Per unit of the selected years: its civilian figures per perpetrator kind, then their ranges.

        Returns
        -------
        pd.DataFrame
            Per unit of the selected years: name, country, civilian fatalities, the share of state forces (a fraction),
            events targeting civilians and civilian fatalities per perpetrator kind; then the ranges of the civilian
            fatalities and events within the events' uncertainty areas (`civilian_fatalities_min` …).
        """
        table = self.data.units.copy()
        if table.empty:
            return table
        table.insert(1, "country", table["country_iso3"].map(style.country_name))
        kinds = [c for c in PERPETRATORS if c in table]  # (none, nor a state share, for ACLED's aggregates)
        bounds = ["civilian_fatalities_min", "civilian_fatalities_max", "civilian_events_min", "civilian_events_max"]
        values = self.data.map_values
        for column in bounds:
            if column in values:
                table[column] = values[column].reindex(table["unit_code"]).to_numpy()
        columns = ["unit_name", "country", "civilian_fatalities", "state_share", "civilian_events", *kinds, *bounds]
        return table[[c for c in columns if c in table]]


def share_table(perpetrators: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """Per period, civilian fatalities, those attributed to state forces and to external forces, and their shares (the table behind :func:`geo.figures.civilians.state_share_chart`: no share below `MIN_SHARE_TOTAL` fatalities).

    Parameters
    ----------
    perpetrators
        `geo.civilians.perpetrator_series` rows of the selection.
    periods
        The periods of the table, in order.

    Returns
    -------
    pd.DataFrame
        Per period, civilian fatalities, those attributed to state forces and to external forces, and their shares
        (the table behind :func:`geo.figures.civilians.state_share_chart`: no share below `MIN_SHARE_TOTAL`
        fatalities).
    """
    rows = []
    by_period = perpetrators.assign(period=perpetrators["period"].astype(str)) if len(perpetrators) else perpetrators
    for period in periods:
        part = by_period[by_period["period"] == period] if len(by_period) else by_period
        figures = part.groupby("perpetrator")["civilian_fatalities"].sum() if len(part) else pd.Series(dtype=float)
        total = float(figures.sum())
        state, external = float(figures.get("state_forces", 0)), float(figures.get("external_forces", 0))
        enough = total >= MIN_SHARE_TOTAL
        rows.append({"period": period, "civilian_fatalities": int(total), "state_forces": int(state),
                     "external_forces": int(external), "state_share": state / total if enough else float("nan"),
                     "external_share": external / total if enough else float("nan")})
    return pd.DataFrame(rows, columns=["period", "civilian_fatalities", "state_forces", "external_forces", "state_share",
                                       "external_share"])


def civilians_view(inputs: Inputs, view: ViewState) -> CiviliansView:
    """
    The Civilians view of the view state: the tables of :func:`civilians_data` and the figures drawn from them.

    Parameters
    ----------
    inputs
        Where to read, the settings (named groups) and what the data hold.
    view
        The view state: source, years, level, countries, the mass-casualty threshold (``mass_min``, ``mass_civilian``),
        perpetrators by kind or named group (``civ_by``), the unit chosen (``unit``), classes (``scheme``, ``log``).

    Returns
    -------
    CiviliansView
        Tables, figures and their text.
    """
    if view.source == AGGREGATE_SOURCE:  # ACLED's aggregates: their civilian-targeting table (`civilian_indicator`)
        view = replace(view, indicator="civilian-targeting")
    units = display_units(inputs.boundary_set, view.level)
    if view.countries:
        units = units[units["country_iso3"].isin(view.countries)]
    unit_code = view.unit if view.unit in set(units["unit_code"]) else ""
    unit_name = str(units.set_index("unit_code")["unit_name"].get(unit_code, "")) if unit_code else ""
    groups = tuple(inputs.settings.actor_groups)
    data = civilians_data(
        inputs.reader, source=view.source, level=view.level, filters=view.filters_without_years(), year_from=view.year_from,
        year_to=view.year_to, min_fatalities=view.mass_min, civilian_only=view.mass_civilian, by=view.civ_by, groups=groups,
        unit_code=unit_code or None,
    )
    level_words = subject(inputs, view).units
    source_label = style.word_or(f"choice.source.{view.source}", view.source)
    # Every figure's filter and source lines, made as the other pages' are.
    text = style.figure_text(subject(inputs, view, metric="civilian_fatalities"), "")
    series_text = style.figure_text(
        subject(inputs, view, metric="civilian_fatalities", years=(int(data.periods[0]), int(data.periods[-1]))), "")
    series_caption = f"{series_text.filter_line} · {series_text.source_line}"
    highlight = str(view.year_from) if view.year_from == view.year_to else None
    where = word("civ.in_unit", unit=unit_name) if unit_code else ""
    year_label = view.year_label()

    by_group = view.civ_by == "group"
    stack_title = word("civ.stack_title.group" if by_group else "civ.stack_title.kind", where=where)
    if data.no_perpetrators:  # ACLED's aggregates: one series, the civilian fatalities of their table
        stack_title = word("civ.stack_title.total", where=where)
    stacked = civilian_figures.stacked_chart(
        data.series, key="group" if by_group else "perpetrator",
        legend_title=word("choice.civ_by.group") if by_group else word("civ.perpetrator"),
        title=stack_title, caption=series_caption, periods=data.periods, highlight=highlight, caption_width=75,
        order=list(group_labels(groups)) if by_group else None, watermark=series_text.watermark,
    )
    share_title = word("civ.share_title", where=where)
    share = civilian_figures.state_share_chart(
        data.perpetrators, title=share_title, caption=series_caption, periods=data.periods, highlight=highlight, caption_width=75,
        watermark=series_text.watermark,
    )
    map_title = word("civ.map_title", unit=level_words[0], years=year_label, source=source_label)
    return CiviliansView(
        data=data, units=units, unit_code=unit_code, unit_name=unit_name, where=where, level_words=level_words,
        source_label=source_label, mass_kind=word("civ.kind.civilian") if view.mass_civilian else word("civ.kind.all"),
        mass_min=view.mass_min, year_label=year_label, text=text, series_text=series_text,
        classification=style.classify(data.classification_basis, scheme=view.scheme, log=view.log),
        map_text=text.retitled(map_title), stacked=stacked, stacked_text=series_text.retitled(stack_title), share=share,
        share_text=series_text.retitled(share_title), countries=display_countries(inputs.boundary_set),
        aoi=display_area_of_interest(inputs.boundary_set), tiles=view.tiles,
        ranges_note="" if data.no_events else ranges_note(inputs.settings),
    )
