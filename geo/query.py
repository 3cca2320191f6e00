"""Figures of the stored events, computed in the database.

SQL `GROUP BY` with the filters as `WHERE`, through the same SQLAlchemy code on SQLite and PostgreSQL.

Two sources of rows:

- the summary table (`unit_summary`), kept exact per batch, when it answers the filters (whole months,
  no actor search): the cost of a figure then does not depend on how many events the store holds;
- the events joined to their stored places otherwise (an actor search, dates inside a month, distances
  to borders, lists of single events).

Functions here return small tables (per unit, period, border band, actor ...) or at most `limit` events:
nothing reads every event into Python.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .border_geometry import BORDERS, NOT_APPLICABLE, band_labels
from .config import ActorGroup
from .filters import Filters, period_sql, sql_conditions, summary_covers
from .indicators import AGGREGATE_SOURCE, INDICATORS, lacking_figures
from .join import OUTSIDE_CODE, UNALLOCATED_CODE
from .perpetrators import group_of
from .store import (
    BUCKET_CAP,
    CELL_DEG,
    DISTANCE_BUCKET_KM,
    Store,
    actor_summary_table,
    area_summary_table,
    area_units_table,
    batches_table,
    border_summary_table,
    events_table,
    places_table,
    summary_table,
)

_SPECIAL = (OUTSIDE_CODE, UNALLOCATED_CODE)
#: Figures of `unit_figures`, in this order.
FIGURES = [
    "events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities", "snapped_events",
]
#: Extra dimensions `unit_figures` can group by, and their column in the events / summary tables.
DIMENSIONS = ("event_type", "sub_event_type", "actor1_type")
#: The ranges of `unit_figures(..., ranges=True)` (`python -m geo aggregate --ranges`), in this order: those of the
#: events and fatalities, then those of the events targeting civilians and of their fatalities.
RANGES = ["events_min", "events_max", "fatalities_min", "fatalities_max", "civilian_events_min", "civilian_events_max",
          "civilian_fatalities_min", "civilian_fatalities_max"]
#: The levels ranges are kept at (`geo.uncertainty.LEVEL_CODES`).
RANGE_LEVELS = {"country": 0, "admin1": 1, "admin2": 2}


def lower_function(store: Store) -> Callable[[sa.ColumnElement[str]], sa.ColumnElement[str]]:
    """The SQL function that lower-cases Unicode text on this backend (SQLite's own lower() is ASCII-only).

    Parameters
    ----------
    store
        The event store.

    Returns
    -------
    Callable[[sa.ColumnElement[str]], sa.ColumnElement[str]]
        The SQL function: `atlas_lower` on SQLite (registered on every connection), `lower` elsewhere.
    """
    return sa.func.atlas_lower if store.is_sqlite else sa.func.lower


def unit_figures(
    store: Store,
    set_id: int,
    *,
    level: str,
    period: str,
    filters: Filters,
    by: tuple[str, ...] = (),
    ranges: bool = False,
) -> tuple[pd.DataFrame, dict[str, tuple[pd.Timestamp, pd.Timestamp]]]:
    """Figures per source, period, unit code (or `_OUTSIDE` / `_UNALLOCATED` with the country) and the dimensions in `by`, of the stored events in place set `set_id` that the filters keep.

    `level` "country": per country (the `unit_code` is the ISO3 code), every event in the country it is placed in.
    With `ranges`, also `RANGES` (`with_ranges`): how low and how high each figure may be within the events'
    uncertainty areas (a unit only some areas reach gets a row of its own, with no events).

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    level
        The unit level: "country", "admin1" or "admin2".
    period
        The period of the rows: "year", "quarter" or "month".
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    by
        More dimensions of the rows ("event_type", "actor1_type", "perpetrator", ...).
    ranges
        Whether the rows carry `RANGES` too.

    Returns
    -------
    (table with source, period, unit_code, country_iso3, *by and `FIGURES` (and `RANGES`); per source, the first and
    last date counted — month starts when the summary answered)
    """
    bad = [d for d in by if d not in DIMENSIONS]
    if bad:
        raise ValueError(f"cannot group by {bad}; choose from {DIMENSIONS}")
    if summary_covers(filters):
        s = summary_table
        unit = s.c.country_iso3 if level == "country" else s.c[f"{level}_code"]
        dims = [s.c[d] for d in by]
        when = s.c.month
        conditions = [s.c.set_id == set_id, *sql_conditions(filters, summary=s)]
        civilian = s.c.civilian_targeting
        measures = [
            sa.func.sum(s.c.events), sa.func.sum(s.c.fatalities),
            sa.func.sum(s.c.fatalities_low), sa.func.sum(s.c.fatalities_low_n),
            sa.func.sum(s.c.fatalities_high), sa.func.sum(s.c.fatalities_high_n),
            sa.func.sum(sa.case((civilian, s.c.events), else_=0)),
            sa.func.sum(sa.case((civilian, s.c.fatalities), else_=0)),
            sa.func.sum(sa.case((s.c.snapped, s.c.events), else_=0)),
        ]
        if ranges:  # the estimates of the events targeting civilians
            measures += [sa.func.sum(sa.case((civilian, s.c[c]), else_=0))
                         for c in ("fatalities_low", "fatalities_low_n", "fatalities_high", "fatalities_high_n")]
        country = s.c.country_iso3
        source = s.c.source_dataset
        from_clause = s
    else:
        e, p = events_table, places_table
        unit = p.c.country_iso3 if level == "country" else p.c[f"{level}_code"]
        dims = [sa.func.coalesce(e.c[d], "") for d in by]
        when = e.c.event_date
        conditions = sql_conditions(filters, events=e, places=p, lower=lower_function(store))
        civilian = sa.func.coalesce(e.c.civilian_targeting, sa.false())
        fatalities = sa.func.coalesce(e.c.fatalities, 0)
        measures = [
            sa.func.count(), sa.func.sum(fatalities),
            sa.func.sum(e.c.fatalities_low), sa.func.count(e.c.fatalities_low),
            sa.func.sum(e.c.fatalities_high), sa.func.count(e.c.fatalities_high),
            sa.func.sum(sa.case((civilian, 1), else_=0)),
            sa.func.sum(sa.case((civilian, fatalities), else_=0)),
            sa.func.sum(sa.case((p.c.coverage == "snapped", 1), else_=0)),
        ]
        if ranges:
            for column in (e.c.fatalities_low, e.c.fatalities_high):
                measures += [sa.func.sum(sa.case((civilian, sa.func.coalesce(column, 0)), else_=0)),
                             sa.func.sum(sa.case((sa.and_(civilian, column.is_not(None)), 1), else_=0))]
        country = p.c.country_iso3
        source = e.c.source_dataset
        from_clause = e.join(p, sa.and_(p.c.row_id == e.c.row_id, p.c.set_id == set_id))
    period_label = period_sql(when, period)
    special_country = sa.case((unit.in_(_SPECIAL), country), else_="")
    keys = [source, period_label, unit, special_country, *dims]
    query = sa.select(*keys, *measures).select_from(from_clause).where(*conditions).group_by(*keys)
    extent = sa.select(source, sa.func.min(when), sa.func.max(when)).select_from(from_clause).where(*conditions).group_by(source)
    with store.engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(query).all()]  # (plain tuples: pandas probes SQLAlchemy's Rows slowly)
        bounds = conn.execute(extent).all()
    names = ["source", "period", "unit_code", "country_iso3", *by, "events", "fatalities", "fatalities_low", "low_n",
             "fatalities_high", "high_n", "civilian_events", "civilian_fatalities", "snapped_events"]
    if ranges:
        names += ["civilian_low", "civilian_low_n", "civilian_high", "civilian_high_n"]
    table = pd.DataFrame(rows, columns=names)
    extents = {src: (_as_date(first), _as_date(last)) for src, first, last in bounds}
    if ranges:
        areas = area_figures(store, set_id, level=level, period=period, filters=filters, by=by)
        table = with_ranges(table, areas, by=by)
    for column in ("events", "fatalities", "civilian_events", "civilian_fatalities", "snapped_events"):
        table[column] = pd.to_numeric(table[column]).fillna(0).astype("int64")
    for column, count in (("fatalities_low", "low_n"), ("fatalities_high", "high_n")):
        values = pd.to_numeric(table[column]).astype("Float64")
        table[column] = values.where(pd.to_numeric(table[count]) > 0).round().astype("Int64")
    table = table.drop(columns=["low_n", "high_n"])
    columns = ["source", "period", "unit_code", "country_iso3", *by, *FIGURES, *(RANGES if ranges else [])]
    return blank_lacking(table[columns], filters.indicator), extents


#: Columns of `area_figures`: of all events, then of those targeting civilians.
AREA_FIGURES = ["doubt_events", "doubt_fatalities", "possible_events", "possible_fatalities", "civilian_doubt_events",
                "civilian_doubt_fatalities", "civilian_possible_events", "civilian_possible_fatalities"]


def area_figures(store: Store, set_id: int, *, level: str, period: str, filters: Filters, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """What the uncertainty areas of the events the filters keep do to each unit's figures (`geo.uncertainty`).

    Per source, period, unit of `level` and `by`: `doubt_events` counted in the unit whose area reaches beyond it and
    their fatalities (the low estimate where given, else the figure); `possible_events` counted elsewhere whose area
    reaches the unit, and their fatalities (the high estimate where given, else the figure). The same for the events
    targeting civilians (`civilian_*`). From `area_summary` when it answers the filters, else from the stored rows
    joined to their events. The country filter keeps the units of those countries.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose areas are read.
    level
        "country", "admin1" or "admin2".
    period
        The period of the rows: "year", "quarter" or "month".
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    by
        More dimensions of the rows ("event_type", ...).

    Returns
    -------
    pd.DataFrame
        One row per source, period, unit and `by`, with the counts above.
    """
    code = RANGE_LEVELS[level]

    def measures_of(doubt: sa.ColumnElement, civilian: sa.ColumnElement, events: sa.ColumnElement, low: sa.ColumnElement,
                    high: sa.ColumnElement) -> list:
        out = []
        for subset in (sa.true(), civilian):
            out += [sa.func.sum(sa.case((sa.and_(subset, doubt), events), else_=0)),
                    sa.func.sum(sa.case((sa.and_(subset, doubt), low), else_=0)),
                    sa.func.sum(sa.case((sa.and_(subset, sa.not_(doubt)), events), else_=0)),
                    sa.func.sum(sa.case((sa.and_(subset, sa.not_(doubt)), high), else_=0))]
        return out

    if summary_covers(filters):
        s = area_summary_table
        keys = [s.c.source_dataset, period_sql(s.c.month, period), s.c.unit_code, *[s.c[d] for d in by]]
        measures = measures_of(s.c.in_doubt, s.c.civilian_targeting, s.c.events, s.c.fatalities_low, s.c.fatalities_high)
        query = (sa.select(*keys, *measures)
                 .where(s.c.set_id == set_id, s.c.level == code, *sql_conditions(filters, summary=s)).group_by(*keys))
    else:
        e, a = events_table, area_units_table
        keys = [e.c.source_dataset, period_sql(e.c.event_date, period), a.c.unit_code, *[sa.func.coalesce(e.c[d], "") for d in by]]
        figure = sa.func.coalesce(e.c.fatalities, 0)
        low, high = sa.func.coalesce(e.c.fatalities_low, figure), sa.func.coalesce(e.c.fatalities_high, figure)
        civilian = sa.func.coalesce(e.c.civilian_targeting, sa.false())
        measures = measures_of(a.c.in_doubt, civilian, sa.literal(1), low, high)
        join = e.join(a, sa.and_(a.c.row_id == e.c.row_id, a.c.set_id == set_id, a.c.level == code))
        # (the area's unit country stands for the place's: the country filter keeps the units of those countries)
        query = (sa.select(*keys, *measures).select_from(join)
                 .where(*sql_conditions(filters, events=e, places=a, lower=lower_function(store))).group_by(*keys))
    with store.engine.connect() as conn:
        rows = [tuple(row) for row in conn.execute(query).all()]
    out = pd.DataFrame(rows, columns=["source", "period", "unit_code", *by, *AREA_FIGURES])
    for column in AREA_FIGURES:
        out[column] = pd.to_numeric(out[column]).fillna(0).astype("int64")
    return out


def with_ranges(table: pd.DataFrame, areas: pd.DataFrame, *, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """`table` with `RANGES`, from `area_figures` of the same keys.

    `table` is per source, period, unit_code, country_iso3, *by: events, fatalities, fatalities_low and _high as sums,
    with `low_n` / `high_n` the events that have them; the same of the events targeting civilians as `civilian_events`,
    `civilian_fatalities`, `civilian_low`, `civilian_low_n`, `civilian_high`, `civilian_high_n`. The ranges:

    - `events_min` = events − those in doubt; `events_max` = events + those possible;
    - `fatalities_min`: the low estimates (UCDP) of the certain events, else their figures; `fatalities_max`: the
      high estimates of the events counted and possible, else their figures. A row mixing events with and without
      estimates keeps bounds that hold: a missing low estimate counts 0, a missing high one the row's whole figure;
    - the same of the events targeting civilians (`civilian_events_min` … `civilian_fatalities_max`).

    Units only some areas reach get a row with no events (country "" as every unit row). ACLED's aggregates have no
    ranges (empty).

    Parameters
    ----------
    table
        Figures per source, period, unit and `by` (above).
    areas
        `area_figures` of the same keys.
    by
        More dimensions of the rows.

    Returns
    -------
    pd.DataFrame
        `table` with `RANGES`.
    """
    keys = ["source", "period", "unit_code", *by]
    counts = ["events", "fatalities", "low_n", "high_n", "civilian_events", "civilian_fatalities", "civilian_low_n",
              "civilian_high_n", "snapped_events"]
    sums = ["fatalities_low", "fatalities_high", "civilian_low", "civilian_high"]
    reach = {c: np.zeros(len(table)) for c in AREA_FIGURES}
    if len(areas):
        # Each area row to its unit's row (a unit row's country is ""; areas reach units only, never the special rows);
        # units only areas reach get rows of their own, with no events.
        joined = [*keys, "country_iso3"]  # (special rows differ by country; unit rows have "")
        at = pd.MultiIndex.from_frame(table[joined].astype(object)).get_indexer(
            pd.MultiIndex.from_frame(areas.assign(country_iso3="")[joined].astype(object)))
        held = at >= 0
        for column in AREA_FIGURES:
            reach[column][at[held]] = areas[column].to_numpy(dtype="float64")[held]
        if (~held).any():
            alone = areas.loc[~held]
            extra = alone[keys].assign(country_iso3="", **{c: 0 for c in counts + sums})
            table = pd.concat([table, extra[[c for c in table.columns if c in extra.columns]]], ignore_index=True)
            reach = {c: np.concatenate([reach[c], alone[c].to_numpy(dtype="float64")]) for c in AREA_FIGURES}
    value = {c: pd.to_numeric(table[c]).fillna(0).to_numpy(dtype="float64") for c in counts + sums if c in table}
    new: dict[str, np.ndarray] = {}
    for prefix, low, high in (("", "fatalities_low", "fatalities_high"), ("civilian_", "civilian_low", "civilian_high")):
        events, figure = value[f"{prefix}events"], value[f"{prefix}fatalities"]
        low_n, high_n = value[f"{low}_n" if prefix else "low_n"], value[f"{high}_n" if prefix else "high_n"]
        base_min = np.where(low_n > 0, value[low], figure)
        base_max = np.where(high_n == events, value[high], np.where(high_n == 0, figure, value[high] + figure))
        new[f"{prefix}events_min"] = events - reach[f"{prefix}doubt_events"]
        new[f"{prefix}events_max"] = events + reach[f"{prefix}possible_events"]
        new[f"{prefix}fatalities_min"] = np.maximum(base_min - reach[f"{prefix}doubt_fatalities"], 0)
        new[f"{prefix}fatalities_max"] = base_max + reach[f"{prefix}possible_fatalities"]
    aggregates = (table["source"] == AGGREGATE_SOURCE).to_numpy()
    columns = {c: pd.array(np.round(new[c]).astype("int64"), dtype="Int64") for c in RANGES}
    if aggregates.any():  # (ACLED's aggregates: no ranges)
        columns = {c: v.copy() for c, v in columns.items()}
        for v in columns.values():
            v[aggregates] = pd.NA
    out = table.assign(**columns)
    return out.drop(columns=[c for c in ("civilian_low", "civilian_low_n", "civilian_high", "civilian_high_n") if c in out])


def blank_lacking(table: pd.DataFrame, indicator: str | None) -> pd.DataFrame:
    """The figures ACLED's aggregates do not have (`geo.indicators.lacking_figures`) left empty in their rows, never zero: the columns become nullable integers when such rows are present (event rows keep their values).

    Parameters
    ----------
    table
        The table.
    indicator
        One of ACLED's three indicators ("political-violence", "civilian-targeting", "demonstrations"); None for events.

    Returns
    -------
    pd.DataFrame
        The figures ACLED's aggregates do not have (`geo.indicators.lacking_figures`) left empty in their rows, never
        zero: the columns become nullable integers when such rows are present (event rows keep their values).
    """
    rows = (table["source"] == AGGREGATE_SOURCE).to_numpy()
    if not rows.any():
        return table
    table = table.copy()
    for column in lacking_figures(indicator):
        if column in table:
            table[column] = pd.to_numeric(table[column]).astype("Int64").mask(rows)
    return table


def _as_date(text: str) -> pd.Timestamp:
    """'2019-03-23' or '2019-03' (a month of the summary: its first day) as a Timestamp."""
    return pd.Timestamp(text if len(text) > 7 else f"{text}-01")


# ---------------------------------------------------------------------------------------------- single events


def _event_join(set_id: int) -> sa.Join:
    e, p = events_table, places_table
    return e.join(p, sa.and_(p.c.row_id == e.c.row_id, p.c.set_id == set_id))


def _event_conditions(store: Store, filters: Filters) -> list:
    return sql_conditions(filters, events=events_table, places=places_table, lower=lower_function(store))


def count_events(store: Store, set_id: int, *, filters: Filters, extra: tuple = ()) -> int:
    """How many stored events the filters keep (and the `extra` conditions on events / places).

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    extra
        More SQL conditions on the events or their places, all kept.

    Returns
    -------
    int
        How many events.
    """
    if not extra and summary_covers(filters):
        s = summary_table
        query = sa.select(sa.func.sum(s.c.events)).where(s.c.set_id == set_id, *sql_conditions(filters, summary=s))
        with store.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)
    query = sa.select(sa.func.count()).select_from(_event_join(set_id)).where(*_event_conditions(store, filters), *extra)
    with store.engine.connect() as conn:
        return int(conn.execute(query).scalar() or 0)


#: Columns of `latest_events` (the canonical names, plus the unit codes and the border of the place set).
EVENT_LIST_COLUMNS = [
    "source_dataset", "event_id", "event_date", "event_type", "sub_event_type", "actor1", "actor2", "assoc_actor_1",
    "assoc_actor_2", "location", "latitude", "longitude", "fatalities", "civilian_targeting", "notes", "admin1_declared",
]


def latest_events(
    store: Store,
    set_id: int,
    *,
    filters: Filters,
    limit: int,
    level: str | None = None,
    unit_code: str | None = None,
    extra: tuple = (),
) -> pd.DataFrame:
    """At most `limit` events the filters keep (in a unit when given), newest first.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    limit
        The most events returned.
    level
        The unit level: "admin1" or "admin2".
    unit_code
        Limit to this unit (of `level`); None for every unit.
    extra
        More SQL conditions on the events or their places, all kept.

    Returns
    -------
    DataFrame with `EVENT_LIST_COLUMNS` (event_date as datetime), plus country_iso3, admin1_code,
    admin2_code and border / border_km of the place set.
    """
    e, p = events_table, places_table
    where = [*_event_conditions(store, filters), *extra]
    if unit_code is not None:
        where.append(p.c[f"{level}_code"] == unit_code)
    query = (
        sa.select(*[e.c[c] for c in EVENT_LIST_COLUMNS], p.c.country_iso3, p.c.admin1_code, p.c.admin2_code, p.c.border, p.c.border_km)
        .select_from(_event_join(set_id)).where(*where)
        .order_by(e.c.event_date.desc(), e.c.source_dataset.desc(), e.c.event_id.desc()).limit(int(limit))
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    columns = [*EVENT_LIST_COLUMNS, "country_iso3", "admin1_code", "admin2_code", "border", "border_km"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    for column in ("latitude", "longitude", "border_km"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    frame["fatalities"] = pd.to_numeric(frame["fatalities"]).fillna(0).astype("int64")
    frame["civilian_targeting"] = frame["civilian_targeting"].fillna(False).astype(bool)
    for column in EVENT_LIST_COLUMNS:
        if frame[column].dtype == object:
            frame[column] = frame[column].fillna("")
    return frame


_NOT_ACTORS = ("civilians", "protesters", "rioters")


def _actor_sides(store: Store, set_id: int, filters: Filters, period: str | None, where: tuple) -> sa.Subquery:
    """One row per event and named actor (actor1 and actor2; an actor on both sides once)."""
    e, p = events_table, places_table
    base = [*_event_conditions(store, filters), *where]
    keys = [e.c.source_dataset.label("source"), p.c.country_iso3.label("country"), e.c.row_id.label("row_id"),
            sa.func.coalesce(e.c.fatalities, 0).label("fatalities")]
    if period:
        keys.append(period_sql(e.c.event_date, period).label("period"))
    sides = [
        sa.select(*keys, sa.func.trim(sa.func.coalesce(e.c[column], "")).label("actor")).select_from(_event_join(set_id)).where(*base)
        for column in ("actor1", "actor2")
    ]
    union = sa.union(*sides).subquery()  # UNION (not ALL): an actor on both sides of an event counts once
    return union


def _named(actor: sa.ColumnElement[str], lower: Callable[[sa.ColumnElement[str]], sa.ColumnElement[str]],
           excluded: tuple[str, ...] = _NOT_ACTORS) -> list:
    return [actor != "", *[sa.not_(lower(actor).like(f"{word}%")) for word in excluded]]


def top_actors(
    store: Store, set_id: int, *, filters: Filters, n: int = 10, level: str | None = None, unit_code: str | None = None
) -> pd.DataFrame:
    """The actors involved in most of the events the filters keep (in a unit when given), as actor1 or actor2, with the fatalities of those events; civilians (the targets, not actors) left out.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    n
        The most rows returned.
    level
        The unit level: "admin1" or "admin2".
    unit_code
        Limit to this unit (of `level`); None for every unit.

    Returns
    -------
    DataFrame with columns actor, events, fatalities; most events first (then fatalities, then name).
    """
    where = (places_table.c[f"{level}_code"] == unit_code,) if unit_code is not None else ()
    sides = _actor_sides(store, set_id, filters, None, where)
    query = (
        sa.select(sides.c.actor, sa.func.count(), sa.func.sum(sides.c.fatalities))
        .where(*_named(sides.c.actor, lower_function(store), ("civilians",))).group_by(sides.c.actor)
        .order_by(sa.func.count().desc(), sa.func.sum(sides.c.fatalities).desc(), sides.c.actor).limit(int(n))
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    out = pd.DataFrame(rows, columns=["actor", "events", "fatalities"])
    return out.astype({"actor": object, "events": "int64", "fatalities": "int64"})


def actor_country_counts(store: Store, set_id: int, *, filters: Filters, period: str, countries: tuple[str, ...]) -> pd.DataFrame:
    """Events per source, period, named actor (actor1 or actor2, counted once per event) and spatial country, for events in `countries` (the rows of `geo.borders.actor_table`): from `actor_summary` when it answers the filters, else from the events.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    period
        The period of the rows: "year", "quarter" or "month".
    countries
        ISO3 codes of the countries.

    Returns
    -------
    pd.DataFrame
        Events per source, period, named actor (actor1 or actor2, counted once per event) and spatial country, for
        events in `countries` (the rows of `geo.borders.actor_table`): from `actor_summary` when it answers the
        filters, else from the events.
    """
    if summary_covers(filters, sub_event_types=False):
        s = actor_summary_table
        keys = [s.c.source_dataset, period_sql(s.c.month, period), s.c.actor, s.c.country_iso3]
        query = (
            sa.select(*keys, sa.func.sum(s.c.events))
            .where(s.c.set_id == set_id, s.c.country_iso3.in_(countries), *sql_conditions(filters, summary=s),
                   *_named(s.c.actor, lower_function(store)))
            .group_by(*keys)
        )
        with store.engine.connect() as conn:
            rows = conn.execute(query).all()
        return pd.DataFrame(rows, columns=["source", "period", "actor", "country", "events"]).astype({"events": "int64"})
    where = (places_table.c.country_iso3.in_(countries),)
    sides = _actor_sides(store, set_id, filters, period, where)
    keys = [sides.c.source, sides.c.period, sides.c.actor, sides.c.country]
    query = sa.select(*keys, sa.func.count()).where(*_named(sides.c.actor, lower_function(store))).group_by(*keys)
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    out = pd.DataFrame(rows, columns=["source", "period", "actor", "country", "events"])
    return out.astype({"events": "int64"})


def actor_footprint(
    store: Store, set_id: int, *, filters: Filters, actor: str, periods: list[str], countries: tuple[str, ...]
) -> pd.DataFrame:
    """Events of one actor (as actor1 or actor2, counted once) per year and spatial country.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    actor
        The actor.
    periods
        The years of the rows.
    countries
        ISO3 codes of the countries.

    Returns
    -------
    DataFrame indexed by period (str) with one int column per country of `countries`.
    """
    if summary_covers(filters, sub_event_types=False):
        s = actor_summary_table
        year = period_sql(s.c.month, "year")
        query = (
            sa.select(year, s.c.country_iso3, sa.func.sum(s.c.events))
            .where(s.c.set_id == set_id, s.c.actor == actor, *sql_conditions(filters, summary=s))
            .group_by(year, s.c.country_iso3)
        )
    else:
        e, p = events_table, places_table
        year = period_sql(e.c.event_date, "year")
        query = (
            sa.select(year, p.c.country_iso3, sa.func.count()).select_from(_event_join(set_id))
            .where(*_event_conditions(store, filters), sa.or_(e.c.actor1 == actor, e.c.actor2 == actor))
            .group_by(year, p.c.country_iso3)
        )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    counts = pd.DataFrame(rows, columns=["period", "country", "events"])
    table = counts.pivot_table(index="period", columns="country", values="events", aggfunc="sum") if len(counts) else pd.DataFrame()
    return table.reindex(index=[str(x) for x in periods], columns=list(countries)).fillna(0).astype(int).rename_axis(
        index="period", columns=None)


# ---------------------------------------------------------------------------------------------- civilians


#: Columns of `mass_casualty_events`, in this order (those of `python -m geo mass-casualty` but the unit name,
#: which the boundary set gives, and `perpetrator`, which `geo.perpetrators` maps from `actor1_type`).
MASS_CASUALTY_COLUMNS = [
    "source", "event_id", "event_date", "country_iso3", "unit_code", "location", "actor1", "actor2", "actor1_type",
    "fatalities", "civilian_targeting", "fatalities_low", "fatalities_high", "event_type", "sub_event_type", "notes",
    "latitude", "longitude", "admin1_code", "admin2_code",
]


def mass_casualty_events(
    store: Store,
    set_id: int,
    *,
    filters: Filters,
    min_fatalities: int,
    civilian_only: bool = False,
    level: str = "admin1",
    unit_code: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The events the filters keep with at least `min_fatalities` fatalities (only those targeting civilians when `civilian_only`), largest first (then newest, then by source and id), at most `limit` of them.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    min_fatalities
        The smallest number of fatalities an event must have (inclusive).
    civilian_only
        Only events whose primary target was civilians.
    level
        The unit level: "admin1" or "admin2".
    unit_code
        Limit to this unit (of `level`); None for every unit.
    limit
        The most events returned; None for all of them.

    Returns
    -------
    DataFrame with `MASS_CASUALTY_COLUMNS` (event_date as datetime; unit_code at `level`).
    """
    e, p = events_table, places_table
    fatalities = sa.func.coalesce(e.c.fatalities, 0)
    where = [*_event_conditions(store, filters), fatalities >= int(min_fatalities)]
    if civilian_only:
        where.append(sa.func.coalesce(e.c.civilian_targeting, sa.false()))
    if unit_code is not None:
        where.append(p.c[f"{level}_code"] == unit_code)
    columns = [
        e.c.source_dataset, e.c.event_id, e.c.event_date, p.c.country_iso3, p.c[f"{level}_code"], e.c.location, e.c.actor1,
        e.c.actor2, e.c.actor1_type, fatalities, e.c.civilian_targeting, e.c.fatalities_low, e.c.fatalities_high,
        e.c.event_type, e.c.sub_event_type, e.c.notes, e.c.latitude, e.c.longitude, p.c.admin1_code, p.c.admin2_code,
    ]
    query = (
        sa.select(*columns).select_from(_event_join(set_id)).where(*where)
        .order_by(fatalities.desc(), e.c.event_date.desc(), e.c.source_dataset, e.c.event_id)
    )
    if limit is not None:
        query = query.limit(int(limit))
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=MASS_CASUALTY_COLUMNS)
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    frame["fatalities"] = pd.to_numeric(frame["fatalities"]).fillna(0).astype("int64")
    for column in ("fatalities_low", "fatalities_high"):
        frame[column] = pd.to_numeric(frame[column]).astype("Int64")
    for column in ("latitude", "longitude"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    frame["civilian_targeting"] = frame["civilian_targeting"].fillna(False).astype(bool)
    for column in ("actor1", "actor2", "actor1_type", "location", "notes", "event_type", "sub_event_type"):
        frame[column] = frame[column].fillna("").astype(object)
    return frame


def group_figures(
    store: Store,
    set_id: int,
    *,
    filters: Filters,
    period: str,
    groups: Sequence[ActorGroup],
    civilian_only: bool = False,
    level: str | None = None,
    unit_code: str | None = None,
) -> pd.DataFrame:
    """Events, fatalities and civilian fatalities per source, period and named group of the first actor (`groups`, the `[actor_groups]` of atlas.toml; actors of no group under `geo.perpetrators.OTHER_GROUP`), of the events the filters keep (in a unit when given).

    The database sums the figures per first actor (`GROUP BY actor1`: as many rows as there are names, not
    events); each name is then put in its group once, by `geo.perpetrators.group_of`.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    period
        The period of the rows: "year", "quarter" or "month".
    groups
        The named armed groups of `atlas.toml` [actor_groups].
    civilian_only
        Only events whose primary target was civilians.
    level
        The unit level: "admin1" or "admin2".
    unit_code
        Limit to this unit (of `level`); None for every unit.

    Returns
    -------
    DataFrame with source, period, group, events, fatalities, civilian_fatalities.
    """
    e, p = events_table, places_table
    keys = [e.c.source_dataset, period_sql(e.c.event_date, period), sa.func.coalesce(e.c.actor1, "")]
    fatalities = sa.func.coalesce(e.c.fatalities, 0)
    civilian = sa.func.coalesce(e.c.civilian_targeting, sa.false())
    where = list(_event_conditions(store, filters))
    if civilian_only:
        where.append(civilian)
    if unit_code is not None:
        where.append(p.c[f"{level}_code"] == unit_code)
    query = (
        sa.select(*keys, sa.func.count(), sa.func.sum(fatalities), sa.func.sum(sa.case((civilian, fatalities), else_=0)))
        .select_from(_event_join(set_id)).where(*where).group_by(*keys)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    per_actor = pd.DataFrame(rows, columns=["source", "period", "actor", "events", "fatalities", "civilian_fatalities"])
    names = pd.unique(per_actor["actor"])
    per_actor["group"] = per_actor["actor"].map({name: group_of(name, groups) for name in names})
    figures = ["events", "fatalities", "civilian_fatalities"]
    out = per_actor.groupby(["source", "period", "group"], as_index=False, sort=True)[figures].sum()
    return out.astype({"events": "int64", "fatalities": "int64", "civilian_fatalities": "int64"})


def top_perpetrators(
    store: Store, set_id: int, *, filters: Filters, n: int = 15, level: str | None = None, unit_code: str | None = None
) -> pd.DataFrame:
    """The first actors (actor1) of the events targeting civilians that the filters keep, with most civilian fatalities (at most `n`), with their actor type.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    n
        The most rows returned.
    level
        The unit level: "admin1" or "admin2".
    unit_code
        Limit to this unit (of `level`); None for every unit.

    Returns
    -------
    DataFrame with source, actor, actor1_type, events, civilian_fatalities; most fatalities first.
    """
    e, p = events_table, places_table
    actor = sa.func.coalesce(e.c.actor1, "")
    kind = sa.func.coalesce(e.c.actor1_type, "")
    fatalities = sa.func.sum(sa.func.coalesce(e.c.fatalities, 0))
    where = [*_event_conditions(store, filters), sa.func.coalesce(e.c.civilian_targeting, sa.false())]
    if unit_code is not None:
        where.append(p.c[f"{level}_code"] == unit_code)
    query = (
        sa.select(e.c.source_dataset, actor, kind, sa.func.count(), fatalities).select_from(_event_join(set_id)).where(*where)
        .group_by(e.c.source_dataset, actor, kind).order_by(fatalities.desc(), sa.func.count().desc(), actor).limit(int(n))
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    out = pd.DataFrame(rows, columns=["source", "actor", "actor1_type", "events", "civilian_fatalities"])
    return out.astype({"events": "int64", "civilian_fatalities": "int64"})


# ---------------------------------------------------------------------------------------------- borders


def band_sql(border: sa.ColumnElement[str], distance: sa.ColumnElement[float], bands: tuple[float, ...]) -> sa.ColumnElement[str]:
    """The distance band label of `geo.borders.band_of` ([low, high) intervals), "n/a" off the shared borders.

    Parameters
    ----------
    border
        The SQL column of the nearest shared border.
    distance
        The SQL column of the distance to it, in km.
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).

    Returns
    -------
    sa.ColumnElement[str]
        The SQL expression of the band label.
    """
    labels = band_labels(bands)
    band = sa.case(*[(distance < edge, label) for edge, label in zip(bands, labels)], else_=labels[-1])
    return sa.case((border.in_(list(BORDERS)), band), else_=NOT_APPLICABLE)


def _bands_bucketed(bands: tuple[float, ...]) -> bool:
    """Whether band edges fall on the distance buckets of `border_summary` (5, 10, … km)."""
    return all(edge % DISTANCE_BUCKET_KM == 0 and edge / DISTANCE_BUCKET_KM <= BUCKET_CAP for edge in bands)


def _bucket_band(s: sa.Table, bands: tuple[float, ...]) -> sa.ColumnElement[str]:
    """The band label of `band_sql`, from the 5-km distance buckets of `border_summary`."""
    labels = band_labels(bands)
    band = sa.case(*[(s.c.border_bucket < int(edge // DISTANCE_BUCKET_KM), label) for edge, label in zip(bands, labels)],
                   else_=labels[-1])
    return sa.case((s.c.border.in_(list(BORDERS)), band), else_=NOT_APPLICABLE)


def border_figures(store: Store, set_id: int, *, filters: Filters, period: str, bands: tuple[float, ...]) -> pd.DataFrame:
    """Events, fatalities, civilian-targeting events and their fatalities per source, period, nearest shared border and band: from `border_summary` when it answers the filters and the band edges are on its buckets, else from the events and their places.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    period
        The period of the rows: "year", "quarter" or "month".
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).

    Returns
    -------
    pd.DataFrame
        Events, fatalities, civilian-targeting events and their fatalities per source, period, nearest shared border
        and band: from `border_summary` when it answers the filters and the band edges are on its buckets, else from
        the events and their places.
    """
    if summary_covers(filters, sub_event_types=False) and _bands_bucketed(bands):
        s = border_summary_table
        keys = [s.c.source_dataset, period_sql(s.c.month, period), s.c.border, _bucket_band(s, bands)]
        query = (
            sa.select(*keys, sa.func.sum(s.c.events), sa.func.sum(s.c.fatalities),
                      sa.func.sum(sa.case((s.c.civilian_targeting, s.c.events), else_=0)),
                      sa.func.sum(sa.case((s.c.civilian_targeting, s.c.fatalities), else_=0)))
            .where(s.c.set_id == set_id, s.c.border != "", *sql_conditions(filters, summary=s)).group_by(*keys)
        )
    else:
        e, p = events_table, places_table
        keys = [e.c.source_dataset, period_sql(e.c.event_date, period), p.c.border, band_sql(p.c.border, p.c.border_km, bands)]
        civilian = sa.func.coalesce(e.c.civilian_targeting, sa.false())
        fatalities = sa.func.coalesce(e.c.fatalities, 0)
        query = (
            sa.select(*keys, sa.func.count(), sa.func.sum(fatalities), sa.func.sum(sa.case((civilian, 1), else_=0)),
                      sa.func.sum(sa.case((civilian, fatalities), else_=0)))
            .select_from(_event_join(set_id)).where(*_event_conditions(store, filters), p.c.border.is_not(None)).group_by(*keys)
        )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    columns = ["source", "period", "border", "band", "events", "fatalities", "civilian_events", "civilian_fatalities"]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"events": "int64", "fatalities": "int64", "civilian_events": "int64", "civilian_fatalities": "int64"})


def tri_zone_share(store: Store, set_id: int, *, filters: Filters, radius_km: float) -> tuple[int, int]:
    """(events less than `radius_km` from the tri-border point, events near any shared border) of the filters, among the events whose nearest shared border is counted.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    radius_km
        The radius of the tri-border zone, in km.

    Returns
    -------
    tuple[int, int]
        (events less than `radius_km` from the tri-border point, events near any shared border) of the filters, among
        the events whose nearest shared border is counted.
    """
    if summary_covers(filters, sub_event_types=False) and radius_km % DISTANCE_BUCKET_KM == 0 \
            and radius_km / DISTANCE_BUCKET_KM <= BUCKET_CAP:
        s = border_summary_table
        inside = sa.and_(s.c.tri_bucket >= 0, s.c.tri_bucket < int(radius_km // DISTANCE_BUCKET_KM))
        query = (
            sa.select(sa.func.sum(sa.case((inside, s.c.events), else_=0)), sa.func.sum(s.c.events))
            .where(s.c.set_id == set_id, s.c.border.in_(list(BORDERS)), *sql_conditions(filters, summary=s))
        )
    else:
        p = places_table
        query = (
            sa.select(sa.func.sum(sa.case((p.c.tri_km < radius_km, 1), else_=0)), sa.func.count())
            .select_from(_event_join(set_id)).where(*_event_conditions(store, filters), p.c.border.in_(list(BORDERS)))
        )
    with store.engine.connect() as conn:
        inside, total = conn.execute(query).one()
    return int(inside or 0), int(total or 0)


def near_border_count(store: Store, set_id: int, *, filters: Filters, max_km: float | None = None) -> int:
    """How many of the events the filters keep lie within `max_km` of a shared border (None: at any distance, i.e. every event whose nearest shared border is counted): exact from the events, or — from `border_summary`, when it answers the filters — an upper bound for `max_km` (whole buckets of 5 km).

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    max_km
        The largest distance between the two events of a pair, in km.

    Returns
    -------
    int
        How many of the events the filters keep lie within `max_km` of a shared border (None: at any distance, i.e.
        every event whose nearest shared border is counted): exact from the events, or — from `border_summary`, when
        it answers the filters — an upper bound for `max_km` (whole buckets of 5 km).
    """
    if summary_covers(filters, sub_event_types=False):
        s = border_summary_table
        near = [s.c.border_bucket <= int(max_km // DISTANCE_BUCKET_KM)] if max_km is not None else []
        query = sa.select(sa.func.sum(s.c.events)).where(
            s.c.set_id == set_id, s.c.border.in_(list(BORDERS)), *near, *sql_conditions(filters, summary=s),
        )
        with store.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)
    p = places_table
    near = (p.c.border_km <= max_km,) if max_km is not None else ()
    return count_events(store, set_id, filters=filters, extra=(p.c.border.in_(list(BORDERS)), *near))


#: Columns of `border_candidates`: what the cross-border pair search needs of an event.
CANDIDATE_COLUMNS = [
    "row_id", "source_dataset", "event_id", "event_date", "longitude", "latitude", "country_iso3", "actor1", "actor2",
    "assoc_actor_1", "assoc_actor_2",
]


def border_candidates(store: Store, set_id: int, *, filters: Filters, max_km: float) -> pd.DataFrame:
    """The events the filters keep within `max_km` of a shared border (only those can pair across it), with their spatial country: the input of `geo.borders.pairs_among`.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    max_km
        The largest distance between the two events of a pair, in km.

    Returns
    -------
    pd.DataFrame
        The events the filters keep within `max_km` of a shared border (only those can pair across it), with their
        spatial country: the input of `geo.borders.pairs_among`.
    """
    e, p = events_table, places_table
    columns = [e.c[c] for c in CANDIDATE_COLUMNS if c != "country_iso3"]
    query = (
        sa.select(*columns, p.c.country_iso3).select_from(_event_join(set_id))
        .where(*_event_conditions(store, filters), p.c.border.in_(list(BORDERS)), p.c.border_km <= max_km)
        .order_by(e.c.row_id)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    names = [c for c in CANDIDATE_COLUMNS if c != "country_iso3"] + ["country_iso3"]
    frame = pd.DataFrame(rows, columns=names)[CANDIDATE_COLUMNS]
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    for column in ("longitude", "latitude"):
        frame[column] = pd.to_numeric(frame[column]).astype(float)
    for column in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
        frame[column] = frame[column].fillna("")
    return frame.set_index("row_id")


# ---------------------------------------------------------------------------------------------- points or bins


def _cell(store: Store, value: sa.ColumnElement[float], offset: float, step: float) -> sa.ColumnElement[int]:
    """The grid cell index of a coordinate (floor((value + offset) / step)), the same on every backend."""
    scaled = (value + offset) / step
    # value + offset is never negative, so truncation is the floor; PostgreSQL's integer cast rounds instead.
    return sa.cast(scaled, sa.Integer) if store.is_sqlite else sa.cast(sa.func.floor(scaled), sa.Integer)


def binned_events(
    store: Store,
    set_id: int,
    *,
    filters: Filters,
    cell_deg: float,
    by_year: bool = False,
    bands: tuple[float, ...] | None = None,
    near_borders: bool = False,
) -> pd.DataFrame:
    """Events and fatalities per grid cell of `cell_deg` degrees (and per year, and per border band when `bands` are given; only events whose nearest shared border is counted with `near_borders`), computed in the database — from `border_summary` when its cells and buckets answer exactly: a density layer whose cost and size do not grow with the store.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    cell_deg
        The side of the grid cells, in degrees.
    by_year
        Whether the cells are also per year.
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).
    near_borders
        Only events whose nearest shared border is one of the three.

    Returns
    -------
    DataFrame with longitude, latitude (the cell's centre), cx, cy (its indices), [year], [band], events,
    fatalities.
    """
    names = ["cx", "cy"] + (["year"] if by_year else []) + (["band"] if bands is not None else [])
    if cell_deg == CELL_DEG and summary_covers(filters, sub_event_types=False) and (bands is None or _bands_bucketed(bands)):
        s = border_summary_table
        keys = [s.c.cell_x, s.c.cell_y] + ([period_sql(s.c.month, "year")] if by_year else [])
        if bands is not None:
            keys.append(_bucket_band(s, bands))
        where = [s.c.set_id == set_id, *sql_conditions(filters, summary=s)]
        if near_borders:
            where.append(s.c.border.in_(list(BORDERS)))
        if bands is not None:
            where.append(s.c.border != "")
        query = sa.select(*keys, sa.func.sum(s.c.events), sa.func.sum(s.c.fatalities)).where(*where).group_by(*keys)
    else:
        e, p = events_table, places_table
        keys = [_cell(store, e.c.longitude, 180.0, cell_deg), _cell(store, e.c.latitude, 90.0, cell_deg)]
        if by_year:
            keys.append(period_sql(e.c.event_date, "year"))
        where = [*_event_conditions(store, filters), e.c.longitude.is_not(None), e.c.latitude.is_not(None)]
        if near_borders:
            where.append(p.c.border.in_(list(BORDERS)))
        if bands is not None:
            keys.append(band_sql(p.c.border, p.c.border_km, bands))
            where.append(p.c.border.is_not(None))
        query = (
            sa.select(*keys, sa.func.count(), sa.func.sum(sa.func.coalesce(e.c.fatalities, 0)))
            .select_from(_event_join(set_id)).where(*where).group_by(*keys)
        )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=[*names, "events", "fatalities"])
    if by_year:
        frame["year"] = frame["year"].astype(int)
    return _cell_centres(frame.astype({"cx": "int64", "cy": "int64", "events": "int64", "fatalities": "int64"}), cell_deg)


def _cell_centres(frame: pd.DataFrame, cell_deg: float) -> pd.DataFrame:
    frame = frame.assign(longitude=(frame["cx"] + 0.5) * cell_deg - 180.0, latitude=(frame["cy"] + 0.5) * cell_deg - 90.0)
    keys = [c for c in frame.columns if c not in ("cx", "cy", "longitude", "latitude", "events", "fatalities")]
    return frame[["longitude", "latitude", "cx", "cy", *keys, "events", "fatalities"]]


def coarser_cells(bins: pd.DataFrame, cell_deg: float, factor: int) -> pd.DataFrame:
    """`binned_events` rows summed into cells `factor` times larger (exact: a cell lies in one larger cell).

    Parameters
    ----------
    bins
        `binned_events` rows.
    cell_deg
        The side of the grid cells, in degrees.
    factor
        How many cells of a side make a side of the larger cell.

    Returns
    -------
    pd.DataFrame
        `binned_events` rows summed into cells `factor` times larger (exact: a cell lies in one larger cell).
    """
    keys = [c for c in bins.columns if c not in ("cx", "cy", "longitude", "latitude", "events", "fatalities")]
    grouped = bins.assign(cx=bins["cx"] // factor, cy=bins["cy"] // factor).groupby(["cx", "cy", *keys], as_index=False)[
        ["events", "fatalities"]].sum()
    return _cell_centres(grouped, cell_deg * factor)


# ---------------------------------------------------------------------------------------------- choices


def source_countries(store: Store, set_id: int, source: str) -> set[str]:
    """The countries a source has events (or figures) in, in any period (one indexed read of the summary).

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    source
        The source dataset ("acled", "ucdp", "generic", "sample").

    Returns
    -------
    set[str]
        The countries a source has events (or figures) in, in any period (one indexed read of the summary).
    """
    s = summary_table
    with store.engine.connect() as conn:
        return set(conn.execute(sa.select(s.c.country_iso3).distinct()
                                .where(s.c.set_id == set_id, s.c.source_dataset == source, s.c.events > 0)).scalars())


def data_choices(store: Store, set_id: int) -> dict:
    """What the store holds, for the sidebar: events per event source, sources (`acled-hdx` among them when it holds ACLED's aggregates), first and last year, event types and sub-types (of events), the aggregates' indicators.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.

    Returns
    -------
    dict
        What the store holds, for the sidebar: events per event source, sources (`acled-hdx` among them when it holds
        ACLED's aggregates), first and last year, event types and sub-types (of events), the aggregates' indicators.
    """
    s = summary_table
    events = [s.c.set_id == set_id, s.c.source_dataset != AGGREGATE_SOURCE]  # an aggregate's event_type is its indicator
    with store.engine.connect() as conn:
        sources = conn.execute(sa.select(s.c.source_dataset).where(s.c.set_id == set_id).distinct()).scalars().all()
        first, last = conn.execute(sa.select(sa.func.min(s.c.month), sa.func.max(s.c.month)).where(s.c.set_id == set_id)).one()
        types = conn.execute(sa.select(s.c.event_type).where(*events).distinct()).scalars().all()
        subtypes = conn.execute(sa.select(s.c.sub_event_type).where(*events).distinct()).scalars().all()
        indicators = conn.execute(sa.select(s.c.event_type).where(s.c.set_id == set_id, s.c.source_dataset == AGGREGATE_SOURCE)
                                  .distinct()).scalars().all()
        # (events of event sources only: an aggregate's figures are counts of several indicators, never added up)
        counts = conn.execute(
            sa.select(s.c.source_dataset, sa.func.sum(s.c.events)).where(*events).group_by(s.c.source_dataset)
        ).all()
    return {
        "events": {src: int(n) for src, n in counts},
        "sources": sorted(sources),
        "years": (int(first[:4]), int(last[:4])) if first else None,
        "types": sorted(t for t in types if t),
        "subtypes": sorted(t for t in subtypes if t),
        "indicators": [code for code in INDICATORS if code in set(indicators)],
    }



# ---------------------------------------------------------------------------------------------- declared names


def declared_admin1_pairs(store: Store, set_id: int, *, filters: Filters) -> pd.DataFrame:
    """Distinct (source, declared admin-1 name, admin-1 unit code placed in) with their events: what name checks compare.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).

    Returns
    -------
    pd.DataFrame
        Columns source_dataset, admin1_declared, admin1_code, events.
    """
    e, p = events_table, places_table
    keys = [e.c.source_dataset, e.c.admin1_declared, p.c.admin1_code]
    query = (
        sa.select(*keys, sa.func.count()).select_from(_event_join(set_id))
        .where(*_event_conditions(store, filters), sa.func.coalesce(e.c.admin1_declared, "") != "",
               p.c.admin1_code.not_in(list(_SPECIAL)), p.c.admin1_code != "")
        .group_by(*keys)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=["source_dataset", "admin1_declared", "admin1_code", "events"])


def events_with_admin1(store: Store, set_id: int, *, filters: Filters, pairs: pd.DataFrame) -> pd.DataFrame:
    """The events whose (source, declared admin-1 name, placed admin-1 code) is one of `pairs`.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    pairs
        (source, declared admin-1 name, placed admin-1 code) rows, as :func:`declared_admin1_pairs` gives them.

    Returns
    -------
    pd.DataFrame
        The events whose (source, declared admin-1 name, placed admin-1 code) is one of `pairs`.
    """
    e, p = events_table, places_table
    if pairs.empty:
        return pd.DataFrame(columns=["source_dataset", "event_id", "event_date", "admin1_declared", "admin1_code", "coverage",
                                     "latitude", "longitude"])
    match = sa.or_(*[
        sa.and_(e.c.source_dataset == src, e.c.admin1_declared == declared, p.c.admin1_code == code)
        for src, declared, code in pairs[["source_dataset", "admin1_declared", "admin1_code"]].itertuples(index=False)
    ])
    query = (
        sa.select(e.c.source_dataset, e.c.event_id, e.c.event_date, e.c.admin1_declared, p.c.admin1_code, p.c.coverage,
                  e.c.latitude, e.c.longitude)
        .select_from(_event_join(set_id)).where(*_event_conditions(store, filters), match)
        .order_by(e.c.source_dataset, e.c.event_date, e.c.event_id)
    )
    with store.engine.connect() as conn:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["source_dataset", "event_id", "event_date", "admin1_declared", "admin1_code", "coverage",
                                        "latitude", "longitude"])
    frame["event_date"] = pd.to_datetime(frame["event_date"])
    return frame


# ---------------------------------------------------------------------------------------------- vintage


@dataclass(frozen=True)
class SourceVintage:
    """How recent one source's stored data are: what figures cite as the data's own date, and where its last period stops short.

    Attributes
    ----------
    source
        "acled", "ucdp", "generic" or "sample".
    first_month, last_month
        First and last month with events ("YYYY-MM").
    last_date
        Day of the last event.
    newest_timestamp
        ACLED: the largest `timestamp` (Unix seconds) of the stored rows, i.e. when the newest version was
        published; None for sources without it.
    version
        UCDP GED: the dataset version read from the file names of its batches ("23.1"); "" when unknown.
    as_of
        ACLED's aggregates (`acled-hdx`): the as-of date of the newest table ("2025-04-03", from its file name) or,
        when its name gives none, its last month ("2025-01"); "" for event sources. Their `last_date` is the last
        day of their last month.
    """

    source: str
    first_month: str
    last_month: str
    last_date: date
    newest_timestamp: int | None = None
    version: str = ""
    as_of: str = ""

    @property
    def published(self) -> date | None:
        """The day the newest stored version was published (ACLED `timestamp`, UTC), if known."""
        if self.newest_timestamp is None:
            return None
        return datetime.fromtimestamp(int(self.newest_timestamp), tz=UTC).date()

    @property
    def complete_through(self) -> date:
        """The last day the data can be taken as complete: the later of the last event and the publication day.

        ACLED's aggregates: the end of their last month, unless their as-of date falls less than a week after
        it (ACLED's weekly releases may not hold its last days yet) or is known only as that month (then it is
        open).
        """
        if self.as_of:
            from .unit_months import TableVintage

            return TableVintage(self.first_month, self.last_month, self.as_of).complete_through
        published = self.published
        return max(self.last_date, published) if published else self.last_date

    def is_partial(self, start: date, end: date) -> bool:
        """Whether a period [start, end] runs past what the data cover (it ends after `complete_through`).

        Parameters
        ----------
        start
            The period's first day.
        end
            Its last day.

        Returns
        -------
        bool
            Whether a period [start, end] runs past what the data cover (it ends after `complete_through`).
        """
        return start <= self.complete_through < end


#: UCDP GED versions in file names (GEDEvent_v23_1.csv, ucdp_ged_v23_1_….csv, GEDEvent_v24_0_1.csv).
_UCDP_VERSION = re.compile(r"v(\d{2}(?:[._]\d+){1,2})", re.IGNORECASE)


def ucdp_version(file_names: str) -> str:
    """The UCDP GED version named in file names ("GEDEvent_v23_1.csv" -> "23.1"), or "".

    Parameters
    ----------
    file_names
        The batch's file names (comma-separated).

    Returns
    -------
    str
        The UCDP GED version named in file names ("GEDEvent_v23_1.csv" -> "23.1"), or "".
    """
    found = _UCDP_VERSION.search(file_names or "")
    return found[1].replace("_", ".") if found else ""


def source_vintages(store: Store, set_id: int) -> dict[str, SourceVintage]:
    """Each source's vintage, without reading every event.

    The months come from the summary (an index range per source); the last day and the newest ACLED
    `timestamp` from the coverage each committed batch recorded. Only when that coverage does not reach
    the summary's last month (batches stored before coverage was recorded, the synthetic sample, deleted
    events) is the day asked of the events themselves: one aggregate per source.

    Parameters
    ----------
    store
        The event store.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.

    Returns
    -------
    dict[str, SourceVintage]
        Each source's vintage, without reading every event.
    """
    s, b, e = summary_table, batches_table, events_table
    with store.engine.connect() as conn:
        months = conn.execute(
            sa.select(s.c.source_dataset, sa.func.min(s.c.month), sa.func.max(s.c.month))
            .where(s.c.set_id == set_id, s.c.events > 0).group_by(s.c.source_dataset)
        ).all()
        batches = conn.execute(
            sa.select(b.c.batch_id, b.c.file_names, b.c.details).where(b.c.status == "committed", b.c.kind == "ingest")
            .order_by(b.c.batch_id)
        ).all()
        recorded: dict[str, dict] = {}
        versions: dict[str, str] = {}
        for _batch_id, file_names, details in batches:
            parsed = json.loads(details or "{}")
            for part in parsed.get("coverage") or []:
                source = part.get("source_dataset")
                if not source:
                    continue
                seen = recorded.setdefault(source, {"last_date": None, "newest_timestamp": None})
                if part.get("last_date") and (seen["last_date"] is None or part["last_date"] > seen["last_date"]):
                    seen["last_date"] = part["last_date"]
                stamp = part.get("newest_timestamp")
                if stamp is not None and (seen["newest_timestamp"] is None or int(stamp) > seen["newest_timestamp"]):
                    seen["newest_timestamp"] = int(stamp)
            if "ucdp" in {part.get("source_dataset") for part in parsed.get("coverage") or []}:
                versions["ucdp"] = ucdp_version(file_names) or versions.get("ucdp", "")  # the newest batch's version
        out: dict[str, SourceVintage] = {}
        for source, first_month, last_month in months:
            seen = recorded.get(source, {})
            last_day, stamp = seen.get("last_date"), seen.get("newest_timestamp")
            if not last_day or str(last_day)[:7] != last_month:
                last_day, stamp_now = conn.execute(
                    sa.select(sa.func.max(e.c.event_date), sa.func.max(e.c.revision_timestamp)).where(e.c.source_dataset == source)
                ).one()
                stamp = int(stamp_now) if stamp_now is not None else None
            if source == AGGREGATE_SOURCE:
                continue
            out[source] = SourceVintage(
                source=source, first_month=first_month, last_month=last_month,
                last_date=date.fromisoformat(str(last_day)[:10]), newest_timestamp=stamp, version=versions.get(source, ""),
            )
    from .unit_months import table_vintage

    tables = table_vintage(store)
    if tables is not None:
        out[AGGREGATE_SOURCE] = SourceVintage(source=AGGREGATE_SOURCE, first_month=tables.first_month,
                                              last_month=tables.last_month, last_date=tables.last_date, as_of=tables.as_of)
    return out
