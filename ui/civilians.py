"""The Civilians view's model: what the page shows, from the database, cached by data version.

The fetchers (`perpetrator_table`, `mass_casualty`, `named_groups`, `top_perpetrators`) run SQL in `geo`
(`aggregate_store` split by perpetrator, `geo.civilians.mass_casualty_store`, `geo.query.group_figures`)
and are cached with `st.cache_data` keyed by the data version (`Source.key`), as in `ui.data`; they run
outside a Streamlit server too. `civilians_view` assembles them into a `CiviliansView` of plain tables:
no Streamlit needed to test it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd
import sqlalchemy as sa
import streamlit as st

from geo import query
from geo.aggregate import Filters, aggregate_store
from geo.civilians import (
    DEFAULT_MIN_FATALITIES,
    MASS_CASUALTY_COLUMNS,
    MASS_CASUALTY_DETAILS,
    mass_casualty_store,
    perpetrator_series,
    state_share,
    unit_perpetrators,
)
from geo.civilians import group_series as civilian_group_series
from geo.config import ActorGroup
from geo.figures import tables
from geo.figures.style import source_name, word
from geo.indicators import AGGREGATE_SOURCE
from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE

from . import data as datalib
from .data import Source
from .state import ViewState

_ENTRIES = 64
_TTL = 6 * 3600
#: Mass-casualty events listed (and drawn) at most on the page; the command line lists them all.
MAX_LISTED = 250
#: Percent changes of civilian fatalities are not given below this earlier value (as on the Trends page).
MIN_BASE = 10
#: Rising units listed at most.
MAX_RISING = 10


# ---------------------------------------------------------------------------------------------- fetchers


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _perpetrator_table(key: str, _src: Source, level: str, filters: Filters) -> pd.DataFrame:
    return aggregate_store(_src.store, _src.boundary_set, level=level, period="year", filters=filters,
                           tolerance_m=_src.tolerance_m, include_empty=False, by=("perpetrator",))


def perpetrator_table(src: Source, *, level: str, filters: Filters) -> pd.DataFrame:
    """The aggregate per unit, year and perpetrator (`python -m geo aggregate --by perpetrator --no-empty`), cached."""
    return _perpetrator_table(src.key, src, level, filters)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _mass_casualty(key: str, _src: Source, level: str, filters: Filters, min_fatalities: int, civilian_only: bool,
                   unit_code: str | None, limit: int) -> tuple[pd.DataFrame, int]:
    events = mass_casualty_store(_src.store, _src.boundary_set, filters=filters, min_fatalities=min_fatalities,
                                 civilian_only=civilian_only, level=level, unit_code=unit_code, limit=limit,
                                 tolerance_m=_src.tolerance_m)
    if len(events) < limit:
        return events, len(events)
    extra = [query.events_table.c.fatalities >= int(min_fatalities)]
    if civilian_only:
        extra.append(sa.func.coalesce(query.events_table.c.civilian_targeting, sa.false()))
    if unit_code is not None:
        extra.append(query.places_table.c[f"{level}_code"] == unit_code)
    return events, query.count_events(_src.store, _src.set_id, filters=filters, extra=tuple(extra))


def mass_casualty(src: Source, *, level: str, filters: Filters, min_fatalities: int, civilian_only: bool = False,
                  unit_code: str | None = None, limit: int = MAX_LISTED) -> tuple[pd.DataFrame, int]:
    """
    (the `limit` largest events with at least `min_fatalities` fatalities — only those targeting civilians
    when `civilian_only` —, how many there are in all), cached.
    """
    return _mass_casualty(src.key, src, level, filters, int(min_fatalities), bool(civilian_only), unit_code or None, int(limit))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _named_groups(key: str, _src: Source, filters: Filters, groups: tuple[ActorGroup, ...], level: str,
                  unit_code: str | None) -> pd.DataFrame:
    return query.group_figures(_src.store, _src.set_id, filters=filters, period="year", groups=groups, civilian_only=True,
                               level=level, unit_code=unit_code)


def named_groups(src: Source, *, filters: Filters, groups: tuple[ActorGroup, ...], level: str,
                 unit_code: str | None = None) -> pd.DataFrame:
    """Civilian fatalities per year and named group (atlas.toml [actor_groups]) of the first actor, cached."""
    return _named_groups(src.key, src, filters, tuple(groups), level, unit_code or None)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _top_perpetrators(key: str, _src: Source, filters: Filters, level: str, unit_code: str | None, n: int) -> pd.DataFrame:
    return query.top_perpetrators(_src.store, _src.set_id, filters=filters, n=n, level=level, unit_code=unit_code)


def top_perpetrators(src: Source, *, filters: Filters, level: str, unit_code: str | None = None, n: int = 12) -> pd.DataFrame:
    """The first actors with most civilian fatalities (`geo.query.top_perpetrators`), cached."""
    return _top_perpetrators(src.key, src, filters, level, unit_code or None, int(n))


# ---------------------------------------------------------------------------------------------- the view


@dataclass(frozen=True)
class CiviliansView:
    """Everything the Civilians page shows, as plain tables (one source)."""

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
    mass: pd.DataFrame  # mass_casualty_store rows (at most MAX_LISTED)
    mass_total: int
    groups: pd.DataFrame  # named groups: label and civilian fatalities per selected year and in all
    top_actors: pd.DataFrame
    unplaced: int  # civilian fatalities of the selected years outside every unit or not placeable
    #: A source without single events (ACLED's aggregates): the sentences shown instead of the mass-casualty list, the
    #: named groups and first actors, and instead of the split by perpetrator ("" for event sources).
    no_events: str = ""
    no_perpetrators: str = ""


def civilians_view(
    src: Source,
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
) -> CiviliansView:
    """
    The Civilians view of one source: per unit and year civilian fatalities by perpetrator, the share
    attributed to state forces, the mass-casualty events, the units where civilian fatalities rose most.

    Parameters
    ----------
    filters
        The view's filters over every year (`ViewState.filters_without_years`); the years chosen are
        `year_from`–`year_to`. One year: the series show every year, with that one compared to the year
        before; a range: the series show the range, and its last year is compared to its first.
    min_fatalities, civilian_only
        Which events are listed as mass-casualty events (at least this many fatalities; only events targeting
        civilians).
    by
        "kind" (perpetrator kinds) or "group" (named groups of atlas.toml) for `series`.
    unit_code
        Limit the series, lists and totals to one unit (of `level`).
    """
    only = replace(filters, sources=(source,))
    single = year_from == year_to
    years = [str(y) for y in range(year_from, year_to + 1)]
    table = perpetrator_table(src, level=level, filters=only)
    table = table[table["source"] == source]
    in_unit = table[table["unit_code"] == unit_code] if unit_code else table
    periods = _periods(table, years, single)
    shown = in_unit[in_unit["period"].astype(str).isin(periods)]
    perpetrators = perpetrator_series(shown)
    if by == "group":
        selection = only if single else replace(only, date_from=pd.Timestamp(year_from, 1, 1).date(),
                                                date_to=pd.Timestamp(year_to, 12, 31).date())
        figures = named_groups(src, filters=selection, groups=groups, level=level, unit_code=unit_code)
        series = civilian_group_series(figures[figures["source"] == source], groups)
    else:
        series = perpetrators
    chosen = in_unit[in_unit["period"].astype(str).isin(years)]
    totals = state_share(chosen, years)
    totals["civilian_events"] = float(chosen["civilian_events"].sum())

    # The map and the ranking: every unit (zero rows too) from the plain aggregate, cached by ui.data.
    all_years = datalib.aggregated(src, level=level, period="year", filters=only)
    all_years = all_years[all_years["source"] == source]
    placed = all_years[~all_years["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])]
    selected = placed[placed["period"].astype(str).isin(years)]
    columns = ["events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities",
               "snapped_events"]
    map_values = selected.groupby("unit_code")[columns].sum(min_count=1)
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
        return CiviliansView(
            years=years, periods=periods, map_values=map_values, classification_basis=basis, series=series,
            perpetrators=perpetrators, units=unit_perpetrators(chosen, years)[["unit_code", "unit_name", "country_iso3",
                                                                                "civilian_fatalities", "civilian_events"]],
            totals=totals, rising=rising, rising_years=(first, last), mass=pd.DataFrame(columns=[*MASS_CASUALTY_COLUMNS, *MASS_CASUALTY_DETAILS]),
            mass_total=0, groups=pd.DataFrame(columns=["group", "label", *years, "total"]),
            top_actors=pd.DataFrame(columns=["actor", "actor1_type", "events", "civilian_fatalities"]),
            unplaced=int(special["civilian_fatalities"].sum()), no_events=_no_single_events("mass"),
            no_perpetrators=_no_single_events("perpetrators"),
        )
    mass, mass_total = mass_casualty(src, level=level, filters=selection, min_fatalities=min_fatalities,
                                     civilian_only=civilian_only, unit_code=unit_code)
    group_rows = named_groups(src, filters=selection, groups=groups, level=level, unit_code=unit_code)
    group_table = _group_table(civilian_group_series(group_rows[group_rows["source"] == source], groups), years)
    top = top_perpetrators(src, filters=selection, level=level, unit_code=unit_code)
    return CiviliansView(
        years=years, periods=periods, map_values=map_values, classification_basis=basis, series=series,
        perpetrators=perpetrators, units=unit_perpetrators(chosen, years), totals=totals, rising=rising,
        rising_years=(first, last), mass=mass, mass_total=mass_total, groups=group_table,
        top_actors=top[top["source"] == source].drop(columns="source").reset_index(drop=True),
        unplaced=int(special["civilian_fatalities"].sum()),
    )


def _no_single_events(what: str) -> str:
    """The sentence of `ui.views.no_single_events` for ACLED's aggregates."""
    return word("views.no_single_events", source=source_name(AGGREGATE_SOURCE), what=word(f"views.single.{what}"))


def civilian_indicator(view: ViewState, indicators: list[str]) -> tuple[ViewState | None, str]:
    """
    The Civilians page of ACLED's aggregates reads their civilian-targeting table, whatever indicator the sidebar
    shows: (the view with that indicator, ""), or (None, the sentence saying the store holds no such table). Event
    sources: (the view unchanged, "").
    """
    if view.source != AGGREGATE_SOURCE:
        return view, ""
    if "civilian-targeting" not in indicators:
        return None, word("civ.no_civilian_table", source=source_name(AGGREGATE_SOURCE))
    return replace(view, indicator="civilian-targeting"), ""


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
