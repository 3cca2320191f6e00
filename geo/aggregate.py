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
from .join import OUTSIDE_CODE, UNALLOCATED_CODE, bucket_codes, place_events
from .places import ensure_placement
from .query import unit_figures
from .store import Store

__all__ = ["METRICS", "OUTPUT_COLUMNS", "PERIODS", "SPECIAL_NAMES", "Filters", "aggregate", "aggregate_store", "filter_mask", "period_labels"]
METRICS = {
    "events": "Events",
    "fatalities": "Fatalities",
    "civilian_events": "Civilian-targeting events",
    "events_per_10k_km2": "Events per 10,000 km²",
}
OUTPUT_COLUMNS = [
    "source", "boundaries", "level", "country_iso3", "unit_code", "unit_name", "parent_code", "period",
    "events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "area_km2",
    "events_per_10k_km2", "snapped_events", "in_area_of_interest",
]
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
    settings: Settings | None = None,
) -> pd.DataFrame:
    """
    Events, fatalities and civilian-targeting events per source, unit and period, of events in memory
    (an upload before it is stored; tests). Stored events are aggregated in the database by
    `aggregate_store`, which gives the same table.

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

    Returns
    -------
    DataFrame with `OUTPUT_COLUMNS`; `_OUTSIDE` and `_UNALLOCATED` rows make each period's sums equal
    the number of events counted.
    """
    settings = settings or get_settings()
    filters = filters or Filters()
    _check(period, level, boundary_set)
    if placements is None:
        tolerance = settings.tolerance_m if tolerance_m is None else tolerance_m
        placements = place_events(events, boundary_set, tolerance_m=tolerance, levels=(level,))
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
            "snapped_events": (placed["coverage"] == "snapped").astype(int).to_numpy(),
        }
    )
    grouped = frame.groupby(["source", "period", "unit_code", "country_iso3"], sort=False, dropna=False).agg(
        events=("events", "sum"),
        fatalities=("fatalities", "sum"),
        fatalities_low=("fatalities_low", lambda s: s.sum(min_count=1)),
        fatalities_high=("fatalities_high", lambda s: s.sum(min_count=1)),
        civilian_events=("civilian_events", "sum"),
        snapped_events=("snapped_events", "sum"),
    ).reset_index()
    extents = {source: (dates.min(), dates.max()) for source, dates in kept.groupby("source_dataset")["event_date"]}
    return finish_table(grouped, extents, boundary_set, level=level, period=period, filters=filters,
                        include_empty=include_empty, settings=settings)


def aggregate_store(
    store: Store,
    boundary_set: BoundarySet,
    *,
    level: str = "admin1",
    period: str = "year",
    filters: Filters | None = None,
    tolerance_m: float | None = None,
    include_empty: bool = True,
    settings: Settings | None = None,
) -> pd.DataFrame:
    """
    `aggregate` of the events stored in `store`, computed in the database (SQL `GROUP BY`, filters as
    `WHERE`), from the summary table when it answers the filters exactly, else from the events and their
    stored places. No event is read into Python.

    The events must be placed in the set at this tolerance (`geo.places.ensure_placement` does it once,
    as a recorded job, when they are not).
    """
    settings = settings or get_settings()
    filters = filters or Filters()
    filters.resolved(settings)  # an unknown preset is refused before any work
    _check(period, level, boundary_set)
    tolerance = settings.tolerance_m if tolerance_m is None else tolerance_m
    set_id = ensure_placement(store, boundary_set, tolerance_m=tolerance)
    grouped, extents = unit_figures(store, set_id, level=level, period=period, filters=filters)
    return finish_table(grouped, extents, boundary_set, level=level, period=period, filters=filters,
                        include_empty=include_empty, settings=settings)


def _check(period: str, level: str, boundary_set: BoundarySet) -> None:
    if period not in PERIODS:
        raise AtlasError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
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
) -> pd.DataFrame:
    """
    The aggregate table from figures grouped per (source, period, unit_code, country_iso3): unit names,
    areas, densities, zero rows for units without events, `_OUTSIDE` / `_UNALLOCATED` names, order.

    Parameters
    ----------
    grouped
        One row per source, period, unit code (or special code) and, for special rows, country, with
        events, fatalities, fatalities_low, fatalities_high, civilian_events and snapped_events.
    extents
        Per source, the first and last event date counted (zero rows cover this range).
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
            grids.append(
                pd.MultiIndex.from_product(
                    [[source], _period_range(first, last, period), unit_info["unit_code"]],
                    names=["source", "period", "unit_code"],
                ).to_frame(index=False)
            )
        grid = pd.concat(grids, ignore_index=True)
        grid["country_iso3"] = ""
        grouped = grid.merge(grouped, on=["source", "period", "unit_code", "country_iso3"], how="outer")
    out = grouped.merge(unit_info.drop(columns="country_iso3"), on="unit_code", how="left")
    unit_country = dict(zip(units["unit_code"], units["country_iso3"]))
    out["country_iso3"] = out["country_iso3"].where(out["country_iso3"].fillna("") != "", out["unit_code"].map(unit_country))
    out["unit_name"] = out["unit_name"].fillna(out["unit_code"].map(SPECIAL_NAMES))
    for column in ("events", "fatalities", "civilian_events", "snapped_events"):
        out[column] = pd.to_numeric(out[column]).fillna(0).astype("int64")
    for column in ("fatalities_low", "fatalities_high"):
        out[column] = pd.to_numeric(out[column], errors="coerce").round().astype("Int64")
    # UCDP gives low/high bounds; for the zero rows of a UCDP unit they are 0 too.
    ucdp_zero = (out["source"] == "ucdp") & (out["events"] == 0)
    out.loc[ucdp_zero, ["fatalities_low", "fatalities_high"]] = 0
    out["parent_code"] = out["parent_code"].fillna("")
    out["in_area_of_interest"] = out["in_area_of_interest"].fillna(False).astype(bool)
    out["events_per_10k_km2"] = (out["events"] / out["area_km2"] * 10_000).round(3)
    out["boundaries"] = boundary_set.name
    out["level"] = level
    out["country_iso3"] = out["country_iso3"].fillna("")
    special_order = out["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE]).astype(int)
    out = out.assign(_special=special_order).sort_values(
        ["source", "period", "_special", "country_iso3", "unit_code"], ignore_index=True
    )
    return out[OUTPUT_COLUMNS]
