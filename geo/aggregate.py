"""Figures per source dataset, boundary set, level, unit and period.

Every filtered event is counted exactly once per (source, period): in its unit, or under `_UNALLOCATED`
(its location does not support the level, or no unit of that level covers it) or `_OUTSIDE` (beyond the
tolerance outside every unit). So the column sums of a period equal the number of events, and the
figures of ACLED and UCDP are never added together: `source` is always part of the key.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .boundaries import BoundarySet, in_area_of_interest
from .config import Settings, get_settings
from .errors import AtlasError
from .filters import PERIODS, Filters, filter_mask, period_labels
from .indicators import AGGREGATE_SOURCE
from .join import OUTSIDE_CODE, UNALLOCATED_CODE, bucket_codes, place_events
from .perpetrators import PERPETRATORS, perpetrator_codes
from .places import ensure_placement, units_of
from .query import AREA_FIGURES, RANGES, blank_lacking, unit_figures, with_ranges
from .store import Store
from .uncertainty import LEVEL_CODES, compute_area_units

__all__ = [
    "BY_COLUMNS", "METRICS", "OUTPUT_COLUMNS", "PERIODS", "RANGE_COLUMNS", "SPECIAL_NAMES", "Filters", "aggregate",
    "aggregate_store", "filter_mask", "period_labels", "sum_figures",
]
METRICS = {
    "events": "Events",
    "fatalities": "Fatalities",
    "civilian_events": "Civilian-targeting events",
    "civilian_fatalities": "Civilian fatalities",
    "events_per_10k_km2": "Events per 10,000 km²",
}
#: Columns of the aggregate. New columns are appended at the end (a contract of `python -m geo aggregate`);
#: `--by perpetrator` appends `perpetrator` after them.
OUTPUT_COLUMNS = [
    "source", "boundaries", "level", "country_iso3", "unit_code", "unit_name", "parent_code", "period",
    "events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "area_km2",
    "events_per_10k_km2", "snapped_events", "in_area_of_interest", "civilian_fatalities",
]
#: Columns `--ranges` appends after `OUTPUT_COLUMNS` (before any `by` column): how low and how high each unit's events
#: and fatalities may be within the events' uncertainty areas (`geo.uncertainty`, `geo.query.with_ranges`).
RANGE_COLUMNS = list(RANGES)
#: Dimensions the aggregate can be split by (`by`), each adding its column at the end.
BY_COLUMNS = ("perpetrator",)
#: The order of the values of each `by` column.
_ORDERS = {"perpetrator": list(PERPETRATORS)}
_COUNTS = ["events", "fatalities", "civilian_events", "civilian_fatalities", "snapped_events"]
_BOUNDS = ["fatalities_low", "fatalities_high", *RANGE_COLUMNS]
#: Names of the `_OUTSIDE` and `_UNALLOCATED` rows.
SPECIAL_NAMES = {
    OUTSIDE_CODE: "Outside every unit (beyond the tolerance)",
    UNALLOCATED_CODE: "Not allocatable at this level (location too imprecise, or no unit of this level)",
}


def _period_range(first: pd.Timestamp, last: pd.Timestamp, period: str) -> list[str]:
    freq = {"year": "YS", "quarter": "QS", "month": "MS"}[period]
    start = first.to_period({"year": "Y", "quarter": "Q", "month": "M"}[period]).start_time
    return period_labels(pd.Series(pd.date_range(start, last, freq=freq)), period).tolist()


def aggregate(
    events: pd.DataFrame,
    boundary_set: BoundarySet,
    *,
    level: str = "admin1",
    period: str = "year",
    filters: Filters | None = None,
    placements: pd.DataFrame | None = None,
    tolerance_m: float | None = None,
    include_empty: bool = True,
    by: tuple[str, ...] = (),
    settings: Settings | None = None,
    ranges: bool = False,
) -> pd.DataFrame:
    """Events, fatalities and civilian-targeting events per source, unit and period, of events in memory (an upload before it is stored; tests).

    Stored events are aggregated in the database by `aggregate_store`, which gives the same table.

    Parameters
    ----------
    events
        Canonical events.
    boundary_set
        Units to aggregate in.
    level
        "admin1" or "admin2".
    period
        "year", "quarter" or "month".
    filters
        Which events to count.
    placements
        `place_events` output for these events and this set (a cache); computed when omitted.
    include_empty
        Also give every unit a row with zeros for each period of the range (distinguishes "no events"
        from "no data" on maps).
    by
        ("perpetrator",) splits every row by the perpetrator (`geo.perpetrators.PERPETRATORS` codes, from
        the kind of the first actor) and adds a `perpetrator` column.
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    ranges
        Also `RANGE_COLUMNS` (after `OUTPUT_COLUMNS`): the events' uncertainty areas computed here, as the store
        keeps them (`placements` must then cover every level of the set).

    Returns
    -------
    DataFrame with `OUTPUT_COLUMNS` (and the `by` columns); `_OUTSIDE` and `_UNALLOCATED` rows make each
    period's sums equal the number of events counted. `civilian_fatalities` are the fatalities of the
    events whose primary target was civilians (`civilian_targeting`).
    """
    settings = settings or get_settings()
    filters = filters or Filters()
    _check(period, level, boundary_set, by)
    if placements is None:
        tolerance = settings.tolerance_m if tolerance_m is None else tolerance_m
        placements = place_events(events, boundary_set, tolerance_m=tolerance, levels=None if ranges else (level,))
    keep = filter_mask(events, filters, placements)
    kept = events.loc[keep]
    placed = placements.loc[keep]
    codes = bucket_codes(placed, level)
    special = codes.isin([OUTSIDE_CODE, UNALLOCATED_CODE])
    country = placed["unit_country_iso3"].where(codes != OUTSIDE_CODE, kept["country_iso3"])
    frame = pd.DataFrame(
        {
            "source": kept["source_dataset"].to_numpy(),
            "unit_code": codes.to_numpy(),
            "country_iso3": np.where(special, country, "").astype(object),
            "period": period_labels(kept["event_date"], period).to_numpy(),
            "events": 1,
            "fatalities": kept["fatalities"].to_numpy(),
            "fatalities_low": kept["fatalities_low"].to_numpy(),
            "fatalities_high": kept["fatalities_high"].to_numpy(),
            "civilian_events": kept["civilian_targeting"].astype(int).to_numpy(),
            "civilian_fatalities": kept["fatalities"].where(kept["civilian_targeting"], 0).to_numpy(),
            "snapped_events": (placed["coverage"] == "snapped").astype(int).to_numpy(),
        }
    )
    if "perpetrator" in by:
        frame["perpetrator"] = perpetrator_codes(kept["actor1_type"]).to_numpy()
    keys = ["source", "period", "unit_code", "country_iso3", *by]
    if ranges:
        civilian = kept["civilian_targeting"].to_numpy(dtype=bool)
        frame["low_n"] = kept["fatalities_low"].notna().astype(int).to_numpy()
        frame["high_n"] = kept["fatalities_high"].notna().astype(int).to_numpy()
        frame["civilian_low"] = np.where(civilian, kept["fatalities_low"].fillna(0).to_numpy(dtype="float64"), 0)
        frame["civilian_low_n"] = np.where(civilian, frame["low_n"], 0)
        frame["civilian_high"] = np.where(civilian, kept["fatalities_high"].fillna(0).to_numpy(dtype="float64"), 0)
        frame["civilian_high_n"] = np.where(civilian, frame["high_n"], 0)
        grouped = frame.groupby(keys, sort=False, dropna=False)[
            [*_COUNTS, "fatalities_low", "fatalities_high", "low_n", "high_n", "civilian_low", "civilian_low_n", "civilian_high",
             "civilian_high_n"]].sum().reset_index()
        areas = _areas_in_memory(events, placements, boundary_set, level=level, period=period, filters=filters, by=by,
                                 settings=settings)
        grouped = with_ranges(grouped, areas, by=by)
        for column, count in (("fatalities_low", "low_n"), ("fatalities_high", "high_n")):
            grouped[column] = grouped[column].astype("Float64").where(grouped[count] > 0)
        grouped = grouped.drop(columns=["low_n", "high_n"])
    else:
        grouped = sum_figures(frame, keys)
    extents = {source: (dates.min(), dates.max()) for source, dates in kept.groupby("source_dataset")["event_date"]}
    return finish_table(grouped, extents, boundary_set, level=level, period=period, filters=filters,
                        include_empty=include_empty, by=by, settings=settings, ranges=ranges)


def _areas_in_memory(events: pd.DataFrame, placements: pd.DataFrame, boundary_set: BoundarySet, *, level: str, period: str,
                     filters: Filters, by: tuple[str, ...], settings: Settings) -> pd.DataFrame:
    """`geo.query.area_figures` of events in memory: their areas' units computed here, then summed alike."""
    from dataclasses import replace

    keep = filter_mask(events, replace(filters, countries=()), placements)  # the units' countries filter the rows
    kept = events.loc[keep]
    areas = compute_area_units(kept, units_of(placements.loc[keep], boundary_set), boundary_set, settings=settings)
    areas = areas[areas["level"] == LEVEL_CODES[level]]
    if filters.countries:
        areas = areas[areas["country_iso3"].isin(filters.countries)]
    at = kept.index.get_indexer(areas["event"])
    figure = kept["fatalities"].fillna(0).to_numpy(dtype="int64")[at]
    low = kept["fatalities_low"].to_numpy(dtype="float64", na_value=np.nan)[at]
    high = kept["fatalities_high"].to_numpy(dtype="float64", na_value=np.nan)[at]
    doubt = areas["in_doubt"].to_numpy(dtype=bool)
    civilian = kept["civilian_targeting"].to_numpy(dtype=bool)[at]
    low_or_figure, high_or_figure = np.where(np.isnan(low), figure, low), np.where(np.isnan(high), figure, high)
    frame = pd.DataFrame({
        "source": kept["source_dataset"].to_numpy(dtype=object)[at],
        "period": period_labels(kept["event_date"], period).to_numpy(dtype=object)[at],
        "unit_code": areas["unit_code"].to_numpy(dtype=object),
    })
    for prefix, subset in (("", np.ones(len(at), dtype=bool)), ("civilian_", civilian)):
        frame[f"{prefix}doubt_events"] = (subset & doubt).astype(int)
        frame[f"{prefix}doubt_fatalities"] = np.where(subset & doubt, low_or_figure, 0)
        frame[f"{prefix}possible_events"] = (subset & ~doubt).astype(int)
        frame[f"{prefix}possible_fatalities"] = np.where(subset & ~doubt, high_or_figure, 0)
    if "perpetrator" in by:
        frame["perpetrator"] = perpetrator_codes(kept["actor1_type"]).to_numpy(dtype=object)[at]
    out = frame.groupby(["source", "period", "unit_code", *by], as_index=False)[AREA_FIGURES].sum()
    return out.astype({c: "int64" for c in AREA_FIGURES})


def sum_figures(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """The figures of `frame` summed per `keys`: counts as integers, UCDP's low / high bounds as nullable sums (missing when no row of the group has one).

    Parameters
    ----------
    frame
        Rows of figures (events, fatalities, their low and high bounds and the counts of those bounds).
    keys
        The columns the sums are per.

    Returns
    -------
    pd.DataFrame
        The figures of `frame` summed per `keys`: counts as integers, UCDP's low / high bounds as nullable sums
        (missing when no row of the group has one).
    """
    counts = [c for c in _COUNTS if c in frame]
    bounds = [c for c in _BOUNDS if c in frame]
    grouped = frame.groupby(keys, sort=False, dropna=False)
    out = grouped[counts].sum()
    for column in bounds:
        out[column] = grouped[column].sum(min_count=1)
    return out.reset_index()


def aggregate_store(
    store: Store,
    boundary_set: BoundarySet,
    *,
    level: str = "admin1",
    period: str = "year",
    filters: Filters | None = None,
    tolerance_m: float | None = None,
    include_empty: bool = True,
    by: tuple[str, ...] = (),
    settings: Settings | None = None,
    ranges: bool = False,
) -> pd.DataFrame:
    """`aggregate` of the events stored in `store`, computed in the database (SQL `GROUP BY`, filters as `WHERE`), from the summary table when it answers the filters exactly, else from the events and their stored places.

    No event is read into Python.

    The events must be placed in the set at this tolerance (`geo.places.ensure_placement` does it once,
    as a recorded job, when they are not). The perpetrator split (`by`) is grouped by actor type in the
    database, then mapped to perpetrator codes (`geo.perpetrators.perpetrator_code`) and summed. With `ranges`, the
    `RANGE_COLUMNS` come from the stored areas' units (`area_summary`, or `event_area_units` joined to the events),
    in the same query code (`geo.query.area_figures`).

    Parameters
    ----------
    store
        The event store.
    boundary_set
        The boundary set.
    level
        The unit level: "admin1" or "admin2".
    period
        The period of the rows: "year", "quarter" or "month".
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    include_empty
        Whether units without events get rows of zeros.
    by
        More dimensions every row is split by: ("perpetrator",) adds a column perpetrator.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    ranges
        Also `RANGE_COLUMNS` (after `OUTPUT_COLUMNS`), from the stored areas' units.

    Returns
    -------
    pd.DataFrame
        `aggregate` of the events stored in `store`, computed in the database (SQL `GROUP BY`, filters as `WHERE`),
        from the summary table when it answers the filters exactly, else from the events and their stored places. No
        event is read into Python.
    """
    settings = settings or get_settings()
    filters = filters or Filters()
    filters.resolved(settings)  # an unknown preset is refused before any work
    _check(period, level, boundary_set, by)
    tolerance = settings.tolerance_m if tolerance_m is None else tolerance_m
    set_id = ensure_placement(store, boundary_set, tolerance_m=tolerance)
    keys = ["source", "period", "unit_code", "country_iso3"]
    if "perpetrator" in by:
        grouped, extents = unit_figures(store, set_id, level=level, period=period, filters=filters, by=("actor1_type",),
                                        ranges=ranges)
        grouped["perpetrator"] = perpetrator_codes(grouped.pop("actor1_type"))
        grouped = sum_figures(grouped, [*keys, "perpetrator"])
    else:
        grouped, extents = unit_figures(store, set_id, level=level, period=period, filters=filters, ranges=ranges)
    covered = _aggregate_coverage(store, boundary_set, filters, level, period, extents, settings)
    return finish_table(grouped, extents, boundary_set, level=level, period=period, filters=filters,
                        include_empty=include_empty, by=by, settings=settings, covered=covered, ranges=ranges)


def _aggregate_coverage(store: Store, boundary_set: BoundarySet, filters: Filters, level: str, period: str, extents: dict,
                        settings: Settings) -> dict[str, pd.DataFrame]:
    """Where ACLED's aggregates (when the filters keep them) say zero rather than nothing: the units and periods their tables have rows for (a zero month is a row of its table, not of the summary).

    Their extent is that of the tables.
    """
    from .unit_months import covered_units, has_rows

    f = filters.resolved()
    if (f.sources and AGGREGATE_SOURCE not in f.sources) or not has_rows(store):
        return {}
    covered, months = covered_units(store, boundary_set, level=level, period=period, indicator=f.indicator,
                                    countries=f.countries, date_from=f.date_from, date_to=f.date_to, settings=settings)
    if months is None:  # no table covers these filters: no zero rows either (no data, not zero)
        return {AGGREGATE_SOURCE: covered}
    extents[AGGREGATE_SOURCE] = (pd.Timestamp(months[0] + "-01"), pd.Timestamp(months[1] + "-01"))
    return {AGGREGATE_SOURCE: covered}


def _check(period: str, level: str, boundary_set: BoundarySet, by: tuple[str, ...] = ()) -> None:
    if period not in PERIODS:
        raise AtlasError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    bad = [b for b in by if b not in BY_COLUMNS]
    if bad:
        raise AtlasError(f"cannot split the aggregate by {', '.join(map(repr, bad))}; use {', '.join(BY_COLUMNS)}")
    boundary_set.units(level)  # a level the set lacks is refused with the set's own message


def finish_table(
    grouped: pd.DataFrame,
    extents: dict[str, tuple[pd.Timestamp, pd.Timestamp]],
    boundary_set: BoundarySet,
    *,
    level: str,
    period: str,
    filters: Filters,
    include_empty: bool,
    settings: Settings,
    by: tuple[str, ...] = (),
    covered: dict[str, pd.DataFrame] | None = None,
    ranges: bool = False,
) -> pd.DataFrame:
    """The aggregate table from figures grouped per (source, period, unit_code, country_iso3, *by): unit names, areas, densities, zero rows for units without events, `_OUTSIDE` / `_UNALLOCATED` names, order.

    Parameters
    ----------
    grouped
        One row per source, period, unit code (or special code), for special rows country, and `by`
        values, with events, fatalities, fatalities_low, fatalities_high, civilian_events,
        civilian_fatalities and snapped_events.
    extents
        Per source, the first and last event date counted (zero rows cover this range).
    by
        The extra dimensions of `grouped` ("perpetrator"): zero rows are given for each value a source
        has among the figures (a UCDP table gets no "rioters" rows: UCDP has no such kind).
    boundary_set
        The boundary set.
    level
        The unit level: "admin1" or "admin2".
    period
        The period of the rows: "year", "quarter" or "month".
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    include_empty
        Whether units without events get rows of zeros.
    settings
        The settings (`atlas.toml` and the environment).
    covered
        Per source whose zeros are known only where its tables have a row (ACLED's aggregates), those (unit_code,
        period) pairs: its zero rows are given there only; elsewhere it has no data.
    ranges
        Whether `grouped` carries `RANGE_COLUMNS` (kept after `OUTPUT_COLUMNS`; a zero row's range is zero).

    Returns
    -------
    pd.DataFrame
        The aggregate table from figures grouped per (source, period, unit_code, country_iso3, *by): unit names,
        areas, densities, zero rows for units without events, `_OUTSIDE` / `_UNALLOCATED` names, order.
    """
    units = boundary_set.units(level)
    unit_info = units[["unit_code", "unit_name", "country_iso3", "parent_code", "area_km2"]].copy()
    unit_info["in_area_of_interest"] = in_area_of_interest(units, settings)
    if filters.countries:
        unit_info = unit_info[unit_info["country_iso3"].isin(filters.countries)]
    if include_empty and extents:
        # Zero rows cover each source's own extent (or the filter's dates): a year a dataset does not
        # cover is "no data", not zero.
        grids = []
        for source, (first_date, last_date) in sorted(extents.items()):
            first = pd.Timestamp(filters.date_from) if filters.date_from else pd.Timestamp(first_date)
            last = pd.Timestamp(filters.date_to) if filters.date_to else pd.Timestamp(last_date)
            levels = [[source], _period_range(first, last, period), unit_info["unit_code"]]
            for column in by:
                seen = set(grouped.loc[grouped["source"] == source, column])
                levels.append([code for code in _ORDERS[column] if code in seen])
            grid = pd.MultiIndex.from_product(levels, names=["source", "period", "unit_code", *by]).to_frame(index=False)
            if covered and source in covered:
                pairs = grid.merge(covered[source].assign(_covered=True), on=["unit_code", "period"], how="left")
                grid = grid.loc[pairs["_covered"].fillna(False).to_numpy(dtype=bool)]
            grids.append(grid)
        grid = pd.concat(grids, ignore_index=True)
        grid["country_iso3"] = ""
        grouped = grid.merge(grouped, on=["source", "period", "unit_code", "country_iso3", *by], how="outer")
    out = grouped.merge(unit_info.drop(columns="country_iso3"), on="unit_code", how="left")
    unit_country = dict(zip(units["unit_code"], units["country_iso3"]))
    out["country_iso3"] = out["country_iso3"].where(out["country_iso3"].fillna("") != "", out["unit_code"].map(unit_country))
    out["unit_name"] = out["unit_name"].fillna(out["unit_code"].map(SPECIAL_NAMES))
    for column in _COUNTS:
        out[column] = pd.to_numeric(out[column]).fillna(0).astype("int64")
    for column in ("fatalities_low", "fatalities_high"):
        out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    out = blank_lacking(out, filters.indicator)  # what ACLED's aggregates do not have stays empty, zero rows included
    if ranges:
        aggregates = (out["source"] == AGGREGATE_SOURCE).to_numpy()
        for column in RANGE_COLUMNS:  # (zero rows: no event to doubt; ACLED's aggregates: no ranges at all)
            out[column] = pd.to_numeric(out[column]).fillna(0).round().astype("Int64").mask(aggregates)
    # UCDP gives low/high bounds; for the zero rows of a UCDP unit they are 0 too.
    ucdp_zero = (out["source"] == "ucdp") & (out["events"] == 0)
    out.loc[ucdp_zero, ["fatalities_low", "fatalities_high"]] = 0
    out["parent_code"] = out["parent_code"].fillna("")
    out["in_area_of_interest"] = out["in_area_of_interest"].fillna(False).astype(bool)
    out["events_per_10k_km2"] = (pd.to_numeric(out["events"]).astype(float) / out["area_km2"] * 10_000).round(3)
    out["boundaries"] = boundary_set.name
    out["level"] = level
    out["country_iso3"] = out["country_iso3"].fillna("")
    special_order = out["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE]).astype(int)
    orders = {f"_{column}": out[column].map({code: i for i, code in enumerate(_ORDERS[column])}) for column in by}
    out = out.assign(_special=special_order, **orders).sort_values(
        ["source", "period", "_special", "country_iso3", "unit_code", *orders], ignore_index=True
    )
    return out[[*OUTPUT_COLUMNS, *(RANGE_COLUMNS if ranges else []), *by]]

