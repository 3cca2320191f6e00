"""Figures per source dataset, boundary set, level, unit and period.

Every filtered event is counted exactly once per (source, period): in its unit, or under `_UNALLOCATED`
(its location does not support the level, or no unit of that level covers it) or `_OUTSIDE` (beyond the
tolerance outside every unit). So the column sums of a period equal the number of events, and the
figures of ACLED and UCDP are never added together: `source` is always part of the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from .boundaries import BoundarySet, in_area_of_interest
from .config import Settings, get_settings
from .countries import COUNTRY_NAMES
from .errors import AtlasError
from .join import OUTSIDE_CODE, UNALLOCATED_CODE, bucket_codes, place_events

PERIODS = ("year", "quarter", "month")
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
_SPECIAL_NAMES = {
    OUTSIDE_CODE: "Outside every unit (beyond the tolerance)",
    UNALLOCATED_CODE: "Not allocatable at this level (location too imprecise, or no unit of this level)",
}


@dataclass(frozen=True)
class Filters:
    """
    Which events a figure covers. Empty selections mean "all".

    Attributes
    ----------
    date_from, date_to
        Inclusive date range.
    countries
        ISO3 codes; an event's country is that of its admin1 unit, else the declared one.
    event_types, sub_event_types
        Keep only these (exact names).
    preset
        A named selection from `atlas.toml` ("political-violence").
    actor
        Case-insensitive text searched in both actors and their associates.
    sources
        Source datasets ("acled", "ucdp", "generic", "sample").
    max_geo_precision
        Keep events whose geo precision code is at most this (ACLED 1–3, UCDP 1–7).
    """

    date_from: date | None = None
    date_to: date | None = None
    countries: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    preset: str | None = None
    actor: str | None = None
    sources: tuple[str, ...] = ()
    max_geo_precision: int | None = None
    exclude_event_types: tuple[str, ...] = field(default=(), repr=False)

    def resolved(self, settings: Settings | None = None) -> Filters:
        """The filters with the preset expanded into event types to exclude or include."""
        if not self.preset:
            return self
        settings = settings or get_settings()
        if self.preset not in settings.presets:
            raise AtlasError(f"unknown preset {self.preset!r}; known: {', '.join(settings.presets) or 'none'}")
        preset = settings.presets[self.preset]
        return replace(
            self,
            exclude_event_types=tuple(dict.fromkeys(self.exclude_event_types + preset.exclude_event_types)),
            event_types=self.event_types or preset.include_event_types,
        )

    def describe(self, settings: Settings | None = None) -> str:
        """One line saying what the filters keep, for captions of figures."""
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'} to {self.date_to or '…'}")
        if self.countries:
            parts.append(", ".join(COUNTRY_NAMES.get(c, c) for c in self.countries))
        if self.preset:
            settings = settings or get_settings()
            parts.append(settings.presets[self.preset].label if self.preset in settings.presets else self.preset)
        if self.event_types:
            parts.append("types: " + ", ".join(self.event_types))
        if self.sub_event_types:
            parts.append("sub-types: " + ", ".join(self.sub_event_types))
        if self.actor:
            parts.append(f"actor contains “{self.actor}”")
        if self.max_geo_precision:
            parts.append(f"geo precision ≤ {self.max_geo_precision}")
        if not (self.preset or self.event_types or self.sub_event_types):
            parts.append("all event types")
        return "; ".join(parts)


def filter_mask(events: pd.DataFrame, filters: Filters, placements: pd.DataFrame | None = None) -> np.ndarray:
    """Boolean mask of the events the filters keep."""
    f = filters.resolved()
    keep = np.ones(len(events), dtype=bool)
    if f.date_from:
        keep &= (events["event_date"] >= pd.Timestamp(f.date_from)).to_numpy()
    if f.date_to:
        keep &= (events["event_date"] <= pd.Timestamp(f.date_to)).to_numpy()
    if f.sources:
        keep &= events["source_dataset"].isin(f.sources).to_numpy()
    if f.event_types:
        keep &= events["event_type"].isin(f.event_types).to_numpy()
    if f.exclude_event_types:
        keep &= ~events["event_type"].isin(f.exclude_event_types).to_numpy()
    if f.sub_event_types:
        keep &= events["sub_event_type"].isin(f.sub_event_types).to_numpy()
    if f.actor:
        needle = f.actor.strip().lower()
        hit = np.zeros(len(events), dtype=bool)
        for column in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
            hit |= events[column].str.lower().str.contains(needle, regex=False).to_numpy()
        keep &= hit
    if f.max_geo_precision is not None:
        keep &= (events["geo_precision"].fillna(1) <= f.max_geo_precision).to_numpy()
    if f.countries:
        country = placements["unit_country_iso3"] if placements is not None else events["country_iso3"]
        keep &= country.isin(f.countries).to_numpy()
    return keep


def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """'2019', '2019-Q1' or '2019-03' for each date."""
    if period == "year":
        return dates.dt.year.astype(str)
    if period == "quarter":
        return dates.dt.year.astype(str) + "-Q" + dates.dt.quarter.astype(str)
    if period == "month":
        return dates.dt.strftime("%Y-%m")
    raise AtlasError(f"unknown period {period!r}; use year, quarter or month")


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
    Events, fatalities and civilian-targeting events per source, unit and period.

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
    if period not in PERIODS:
        raise AtlasError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    units = boundary_set.units(level)
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

    unit_info = units[["unit_code", "unit_name", "country_iso3", "parent_code", "area_km2"]].copy()
    unit_info["in_area_of_interest"] = in_area_of_interest(units, settings)
    if filters.countries:
        unit_info = unit_info[unit_info["country_iso3"].isin(filters.countries)]
    if include_empty and len(kept):
        # Zero rows cover each source's own extent (or the filter's dates): a year a dataset does not
        # cover is "no data", not zero.
        grids = []
        for source, dates in kept.groupby("source_dataset")["event_date"]:
            first = pd.Timestamp(filters.date_from) if filters.date_from else dates.min()
            last = pd.Timestamp(filters.date_to) if filters.date_to else dates.max()
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
    out["unit_name"] = out["unit_name"].fillna(out["unit_code"].map(_SPECIAL_NAMES))
    for column in ("events", "fatalities", "civilian_events", "snapped_events"):
        out[column] = out[column].fillna(0).astype("int64")
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
