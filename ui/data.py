"""Data for the pages, cached by data version (plain Python, no Streamlit).

Events are cached per store data version (a committed or rolled-back batch changes it, so every page
shows new data without a restart); placements per (data version, boundary-set version, tolerance);
aggregates per (data version, boundary set, level, period, filters). The caches live in this module,
which Streamlit imports once per server process.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import geopandas as gpd
import pandas as pd
import shapely

from geo import borders as geo_borders
from geo.aggregate import Filters, aggregate, filter_mask
from geo.boundaries import BoundarySet, list_boundary_sets, load_boundary_set
from geo.config import Settings, get_settings
from geo.countries import COUNTRY_NAMES
from geo.dataset import EventData, current_events
from geo.join import place_events
from geo.store import Store


class _LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get_or(self, key, make):
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = make()
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


_EVENTS = _LRU(2)
_PLACEMENTS = _LRU(8)
_AGGREGATES = _LRU(64)


@lru_cache(maxsize=4)
def get_store(url: str | None = None) -> Store:
    """One store (and connection pool) per URL for the server process."""
    return Store(url)


def event_data(store: Store, settings: Settings | None = None) -> EventData:
    """The events to show (the store's, or the synthetic sample while it is empty), cached by version."""
    settings = settings or get_settings()
    has_events = store.count_events() > 0
    key = (store.url, store.data_version(), has_events)
    return _EVENTS.get_or(key, lambda: current_events(store, settings=settings))


def placements(data: EventData, boundary_set: BoundarySet, tolerance_m: float) -> pd.DataFrame:
    """Every event's units at every level of the set."""
    key = (data.version, boundary_set.version, tolerance_m)
    return _PLACEMENTS.get_or(key, lambda: place_events(data.events, boundary_set, tolerance_m=tolerance_m))


def aggregated(
    data: EventData, boundary_set: BoundarySet, *, level: str, period: str, filters: Filters, tolerance_m: float
) -> pd.DataFrame:
    """`geo.aggregate.aggregate`, cached."""
    key = (data.version, boundary_set.version, level, period, filters, tolerance_m)
    return _AGGREGATES.get_or(
        key,
        lambda: aggregate(
            data.events, boundary_set, level=level, period=period, filters=filters,
            placements=placements(data, boundary_set, tolerance_m),
        ),
    )


def filtered_events(data: EventData, boundary_set: BoundarySet, filters: Filters, tolerance_m: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The events the filters keep, with their placements."""
    placed = placements(data, boundary_set, tolerance_m)
    key = ("events", data.version, boundary_set.version, filters, tolerance_m)

    def make():
        mask = filter_mask(data.events, filters, placed)
        return data.events.loc[mask], placed.loc[mask]

    return _AGGREGATES.get_or(key, make)


def grouped(
    data: EventData, boundary_set: BoundarySet, *, by: str, level: str, period: str, filters: Filters, tolerance_m: float
) -> pd.DataFrame:
    """Metrics per period and group: "country", "unit" (at `level`) or "event_type"."""
    key = ("grouped", data.version, boundary_set.version, by, level, period, filters, tolerance_m)

    def make():
        if by in ("country", "unit"):
            table = aggregated(data, boundary_set, level=level, period=period, filters=filters, tolerance_m=tolerance_m)
            table = table.assign(country=table["country_iso3"].map(COUNTRY_NAMES).fillna(table["country_iso3"]))
            column = "country" if by == "country" else "unit_name"
            return table.groupby(["source", "period", column], as_index=False)[
                ["events", "fatalities", "civilian_events"]
            ].sum()
        from geo.aggregate import period_labels

        events, _ = filtered_events(data, boundary_set, filters, tolerance_m)
        frame = events.assign(period=period_labels(events["event_date"], period), events=1,
                              civilian_events=events["civilian_targeting"].astype(int))
        return frame.groupby(["source_dataset", "period", "event_type"], as_index=False)[
            ["events", "fatalities", "civilian_events"]
        ].sum().rename(columns={"source_dataset": "source"})

    return _AGGREGATES.get_or(key, make)


# ------------------------------------------------------------------ borders page


def border_geometry(boundary_set: BoundarySet) -> geo_borders.BorderGeometry:
    """`geo.borders.shared_borders` (cached per boundary-set version there); AtlasError without the three countries."""
    return geo_borders.shared_borders(boundary_set)


def border_located(
    data: EventData, boundary_set: BoundarySet, *, bands: tuple[float, ...], tri_radius_km: float, tolerance_m: float
) -> pd.DataFrame:
    """`geo.borders.event_borders` of every event (pages select the filtered rows by index)."""
    key = ("border_located", data.version, boundary_set.version, bands, tri_radius_km, tolerance_m)
    return _AGGREGATES.get_or(
        key,
        lambda: geo_borders.event_borders(
            data.events, placements(data, boundary_set, tolerance_m), border_geometry(boundary_set),
            bands=bands, tri_radius_km=tri_radius_km,
        ),
    )


def border_table(
    data: EventData, boundary_set: BoundarySet, *, filters: Filters, period: str, bands: tuple[float, ...], tolerance_m: float
) -> pd.DataFrame:
    """`geo.borders.border_table` (the CLI's `python -m geo borders` table), cached."""
    key = ("border_table", data.version, boundary_set.version, filters, period, bands, tolerance_m)
    return _AGGREGATES.get_or(
        key,
        lambda: geo_borders.border_table(
            data.events, placements(data, boundary_set, tolerance_m), border_geometry(boundary_set),
            filters=filters, period=period, bands=bands,
        ),
    )


def border_pairs(
    data: EventData, boundary_set: BoundarySet, *, filters: Filters, max_km: float, max_days: int, same_actor: bool,
    tolerance_m: float,
) -> pd.DataFrame:
    """`geo.borders.cross_border_pairs` of the events the filters keep, cached."""
    key = ("border_pairs", data.version, boundary_set.version, filters, float(max_km), int(max_days), bool(same_actor), tolerance_m)

    def make():
        events, placed = filtered_events(data, boundary_set, filters, tolerance_m)
        return geo_borders.cross_border_pairs(
            events, placed, border_geometry(boundary_set), max_km=max_km, max_days=max_days, same_actor=same_actor,
        )

    return _AGGREGATES.get_or(key, make)


def border_actors(data: EventData, boundary_set: BoundarySet, *, filters: Filters, period: str, tolerance_m: float) -> pd.DataFrame:
    """`geo.borders.cross_border_actors` of the events the filters keep, cached."""
    key = ("border_actors", data.version, boundary_set.version, filters, period, tolerance_m)

    def make():
        events, placed = filtered_events(data, boundary_set, filters, tolerance_m)
        return geo_borders.cross_border_actors(events, placed, period=period)

    return _AGGREGATES.get_or(key, make)


def border_shapes(boundary_set: BoundarySet, *, bands: tuple[float, ...], tri_radius_km: float) -> tuple[gpd.GeoDataFrame, shapely.Geometry]:
    """The distance-band polygons and the tri-border disc, cached per boundary-set version."""
    key = ("border_shapes", boundary_set.version, bands, tri_radius_km)

    def make():
        geometry = border_geometry(boundary_set)
        return geo_borders.band_polygons(geometry, boundary_set, bands), geo_borders.tri_border_zone(geometry, tri_radius_km)

    return _AGGREGATES.get_or(key, make)


@dataclass
class Choices:
    """What the sidebar can offer, from the data and the configuration."""

    boundaries: list[str]
    sources: list[str]
    years: tuple[int, int]
    countries: list[str]
    types: list[str]
    subtypes: list[str]
    presets: dict[str, str]
    levels: dict[str, list[str]]

    def as_mapping(self) -> dict:
        return {
            "boundaries": self.boundaries, "sources": self.sources, "years": self.years, "countries": self.countries,
            "types": self.types, "subtypes": self.subtypes, "presets": list(self.presets),
        }


def choices(data: EventData, settings: Settings | None = None) -> Choices:
    settings = settings or get_settings()
    key = ("choices", data.version)

    def make():
        events = data.events
        years = (int(events["year"].min()), int(events["year"].max())) if len(events) else (2015, datetime.now(UTC).year)
        sets = list_boundary_sets(settings)
        return Choices(
            boundaries=[s.name for s in sets],
            sources=sorted(events["source_dataset"].unique()),
            years=years,
            countries=["MLI", "BFA", "NER"],
            types=sorted(t for t in events["event_type"].unique() if t),
            subtypes=sorted(t for t in events["sub_event_type"].unique() if t),
            presets={name: p.label for name, p in settings.presets.items()},
            levels={s.name: list(s.levels) for s in sets},
        )

    return _AGGREGATES.get_or(key, make)


def boundary_set(name: str, settings: Settings | None = None) -> BoundarySet:
    return load_boundary_set(name, settings)


def clear() -> None:
    """Forget every cached table (tests)."""
    for cache in (_EVENTS, _PLACEMENTS, _AGGREGATES):
        cache.clear()
    get_store.cache_clear()
