"""What the pages show, fetched from the database and cached by data version.

Every figure comes from SQL in `geo` (`aggregate_store`, `geo.query`, the `*_store` functions of
`geo.borders`): a page never loads every event. Results are cached with Streamlit's own caches
(`st.cache_data`, bounded by `max_entries` and `ttl`), keyed by the data version — one indexed query per
run — so a commit or rollback through any app instance shows on the next rerun of every other. Plain
functions: they run (with an in-memory cache) outside a Streamlit server too, which is how they are tested.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from geo import borders as geo_borders
from geo import query
from geo.aggregate import Filters, aggregate_store
from geo.boundaries import BoundarySet, list_boundary_sets, load_boundary_set
from geo.config import Settings, get_settings
from geo.countries import CORE_COUNTRIES, COUNTRY_NAMES
from geo.dataset import ViewData, current_data
from geo.places import ensure_placement, set_fingerprint
from geo.store import Store

#: Cached results per function: enough for a few users' filter combinations, bounded in memory.
_ENTRIES = 64
_TTL = 6 * 3600
#: Raw event points sent to a map at most; beyond this, a density grid computed in the database. With their
#: popups (or the Borders map's hover texts, once in their year's frame and once in the first view) this keeps
#: a page's payload under 1 MB.
MAX_POINTS = 1_000
#: Side of a density cell, in degrees (about 28 km at these latitudes: the store's summary cells), doubled until
#: at most MAX_CELLS cells remain.
CELL_DEG = query.CELL_DEG
MAX_CELLS = 2_000


@st.cache_resource(show_spinner=False, max_entries=8)
def get_store(url: str | None = None) -> Store:
    """One store (and connection pool) per URL for the server process."""
    return Store(url)


def boundary_set(name: str, settings: Settings | None = None) -> BoundarySet:
    """A boundary set (kept once per process and file version by `geo.boundaries`)."""
    return load_boundary_set(name, settings or get_settings())


@dataclass(frozen=True)
class Source:
    """The store a view reads and the place set its figures come from: what every cached query needs."""

    data: ViewData
    boundary_set: BoundarySet
    set_id: int
    tolerance_m: float

    @property
    def store(self) -> Store:
        return self.data.store

    @property
    def key(self) -> str:
        """Cache key: changes with the data, the boundary file and the placement."""
        return f"{self.data.version}|{self.boundary_set.name}|{set_fingerprint(self.boundary_set)}|{self.set_id}"


def view_data(store: Store, settings: Settings | None = None) -> ViewData:
    """The data to show (the store's, or the synthetic sample's while it is empty)."""
    return current_data(store, settings=settings or get_settings())


def source(data: ViewData, boundary_set: BoundarySet, tolerance_m: float, progress=None) -> Source:
    """The place set of `boundary_set` in the data's store, placing every stored event first if needed (a job)."""
    set_id = ensure_placement(data.store, boundary_set, tolerance_m=tolerance_m, progress=progress)
    return Source(data, boundary_set, set_id, tolerance_m)


# ---------------------------------------------------------------------------------------------- per unit


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _aggregated(key: str, _src: Source, level: str, period: str, filters: Filters) -> pd.DataFrame:
    return aggregate_store(_src.store, _src.boundary_set, level=level, period=period, filters=filters, tolerance_m=_src.tolerance_m)


def aggregated(src: Source, *, level: str, period: str, filters: Filters) -> pd.DataFrame:
    """`geo.aggregate.aggregate_store` (the table of `python -m geo aggregate`), cached."""
    return _aggregated(src.key, src, level, period, filters)


_GROUPED = ["events", "fatalities", "civilian_events", "civilian_fatalities"]


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _grouped(key: str, _src: Source, by: str, level: str, period: str, filters: Filters) -> pd.DataFrame:
    if by in ("country", "unit"):
        table = aggregated(_src, level=level, period=period, filters=filters)
        table = table.assign(country=table["country_iso3"].map(COUNTRY_NAMES).fillna(table["country_iso3"]))
        column = "country" if by == "country" else "unit_name"
        return table.groupby(["source", "period", column], as_index=False)[_GROUPED].sum()
    figures, _ = query.unit_figures(_src.store, _src.set_id, level=level, period=period, filters=filters, by=(by,))
    return figures.groupby(["source", "period", by], as_index=False)[_GROUPED].sum()


def grouped(src: Source, *, by: str, level: str, period: str, filters: Filters) -> pd.DataFrame:
    """Metrics per period and group: "country", "unit" (at `level`) or "event_type"."""
    return _grouped(src.key, src, by, level, period, filters)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _unit_detail(key: str, _src: Source, level: str, unit_code: str, filters: Filters, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    actors = query.top_actors(_src.store, _src.set_id, filters=filters, n=n, level=level, unit_code=unit_code)
    latest = query.latest_events(_src.store, _src.set_id, filters=filters, limit=n, level=level, unit_code=unit_code)
    return actors, latest


def unit_detail(src: Source, *, level: str, unit_code: str, filters: Filters, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(top actors, latest events) of one unit: at most `n` rows each, fetched from the database."""
    return _unit_detail(src.key, src, level, unit_code, filters, n)


@dataclass(frozen=True)
class Points:
    """Events for a point layer: the newest ones when few, else a density grid (`binned`)."""

    events: pd.DataFrame  # raw events (latest_events columns) — empty when binned
    bins: pd.DataFrame  # longitude, latitude, [year], [band], events, fatalities — empty when not binned
    total: int  # events the filters keep
    cell_deg: float | None = None  # side of the cells of `bins`

    @property
    def binned(self) -> bool:
        return self.total > len(self.events)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _points(key: str, _src: Source, filters: Filters, limit: int) -> Points:
    total = query.count_events(_src.store, _src.set_id, filters=filters)
    if total <= limit:
        events = query.latest_events(_src.store, _src.set_id, filters=filters, limit=limit)
        return Points(events, pd.DataFrame(), total)
    bins, cell = _few_cells(query.binned_events(_src.store, _src.set_id, filters=filters, cell_deg=CELL_DEG))
    return Points(pd.DataFrame(), bins, total, cell)


def _few_cells(bins: pd.DataFrame) -> tuple[pd.DataFrame, float]:
    """The cells, merged two by two in each direction until at most MAX_CELLS remain (and their size)."""
    size = CELL_DEG
    while len(bins) > MAX_CELLS and size < 16 * CELL_DEG:
        bins = query.coarser_cells(bins, size, 2)
        size *= 2
    return bins, size


def points(src: Source, *, filters: Filters, limit: int = MAX_POINTS) -> Points:
    """Events to draw as points: at most `limit` raw events, else the density grid of all of them."""
    return _points(src.key, src, filters, limit)


# ---------------------------------------------------------------------------------------------- borders page


@st.cache_resource(show_spinner=False, max_entries=8)
def _border_geometry(name: str, fingerprint: str, _boundary_set: BoundarySet) -> geo_borders.BorderGeometry:
    return geo_borders.shared_borders(_boundary_set)


def border_geometry(boundary_set: BoundarySet) -> geo_borders.BorderGeometry:
    """`geo.borders.shared_borders`; AtlasError without the three countries."""
    return _border_geometry(boundary_set.name, set_fingerprint(boundary_set), boundary_set)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _border_table(key: str, _src: Source, filters: Filters, period: str, bands: tuple[float, ...]) -> pd.DataFrame:
    return geo_borders.border_table_store(_src.store, _src.boundary_set, filters=filters, period=period, bands=bands,
                                          tolerance_m=_src.tolerance_m)


def border_table(src: Source, *, filters: Filters, period: str, bands: tuple[float, ...]) -> pd.DataFrame:
    """`geo.borders.border_table_store` (the table of `python -m geo borders`), cached."""
    return _border_table(src.key, src, filters, period, bands)


#: Close pairs of events (any countries) beyond which the pair search of a view stops and says so.
MAX_CLOSE_PAIRS = 200_000


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _border_pairs(key: str, _src: Source, filters: Filters, max_km: float, max_days: int, same_actor: bool) -> pd.DataFrame:
    return geo_borders.cross_border_pairs_store(_src.store, _src.boundary_set, filters=filters, max_km=max_km,
                                                max_days=max_days, same_actor=same_actor, tolerance_m=_src.tolerance_m,
                                                max_pairs=MAX_CLOSE_PAIRS)


def border_pairs(src: Source, *, filters: Filters, max_km: float, max_days: int, same_actor: bool) -> pd.DataFrame:
    """Cross-border pairs of the events the filters keep (only events near the borders are read), cached."""
    return _border_pairs(src.key, src, filters, float(max_km), int(max_days), bool(same_actor))


#: Events near the borders beyond which cross-border pairs are not searched (the search reads each of them).
MAX_PAIR_CANDIDATES = 30_000


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _border_pairs_within(key: str, _src: Source, filters: tuple[Filters, ...], max_km: float, max_days: int,
                         same_actor: bool) -> tuple[pd.DataFrame | None, int | None, int]:
    count = 0
    for position, candidate in enumerate(filters):
        count = query.near_border_count(_src.store, _src.set_id, filters=candidate, max_km=max_km)
        if count <= MAX_PAIR_CANDIDATES:
            try:
                return border_pairs(_src, filters=candidate, max_km=max_km, max_days=max_days, same_actor=same_actor), position, count
            except geo_borders.TooManyPairs:
                continue  # too many close pairs in these years: the next, narrower filters
    return None, None, count


def border_pairs_within(
    src: Source, *, filters: list[Filters], max_km: float, max_days: int, same_actor: bool
) -> tuple[pd.DataFrame | None, int | None, int]:
    """
    Cross-border pairs under the first of `filters` (widest first) that leaves at most
    `MAX_PAIR_CANDIDATES` events near the borders: the search stays bounded whatever the store holds.

    Returns
    -------
    (pairs or None when even the last filters leave too many events, position of the filters used, events
    near the borders under them)
    """
    return _border_pairs_within(src.key, src, tuple(filters), float(max_km), int(max_days), bool(same_actor))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _border_actors(key: str, _src: Source, filters: Filters, period: str) -> pd.DataFrame:
    return geo_borders.cross_border_actors_store(_src.store, _src.boundary_set, filters=filters, period=period,
                                                 tolerance_m=_src.tolerance_m)


def border_actors(src: Source, *, filters: Filters, period: str) -> pd.DataFrame:
    """Cross-border actors (counted in the database), cached."""
    return _border_actors(src.key, src, filters, period)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _actor_footprint(key: str, _src: Source, filters: Filters, actor: str, periods: tuple[str, ...]) -> pd.DataFrame:
    return query.actor_footprint(_src.store, _src.set_id, filters=filters, actor=actor, periods=list(periods),
                                 countries=CORE_COUNTRIES)


def actor_footprint(src: Source, *, filters: Filters, actor: str, periods: list[str]) -> pd.DataFrame:
    """Events of one actor per year and country (MLI, BFA, NER columns), cached."""
    return _actor_footprint(src.key, src, filters, actor, tuple(str(p) for p in periods))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _tri_share(key: str, _src: Source, filters: Filters, radius_km: float) -> tuple[int, int]:
    return query.tri_zone_share(_src.store, _src.set_id, filters=filters, radius_km=radius_km)


def tri_share(src: Source, *, filters: Filters, radius_km: float) -> tuple[int, int]:
    """(events in the tri-border zone, events near a shared border) of the filters, cached."""
    return _tri_share(src.key, src, filters, float(radius_km))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _border_points(key: str, _src: Source, filters: Filters, bands: tuple[float, ...], limit: int) -> Points:
    counted = (query.places_table.c.border.in_(list(geo_borders.BORDERS)),)
    total = query.near_border_count(_src.store, _src.set_id, filters=filters)  # at any distance
    if total <= limit:
        events = query.latest_events(_src.store, _src.set_id, filters=filters, limit=limit, extra=counted)
        return Points(events, pd.DataFrame(), total)
    bins = query.binned_events(_src.store, _src.set_id, filters=filters, cell_deg=CELL_DEG, by_year=True, bands=bands,
                               near_borders=True)
    bins, cell = _few_cells(bins)
    return Points(pd.DataFrame(), bins, total, cell)


def border_points(src: Source, *, filters: Filters, bands: tuple[float, ...], limit: int = MAX_POINTS) -> Points:
    """Events near the shared borders for the Borders map: raw up to `limit`, else per year, band and cell."""
    return _border_points(src.key, src, filters, tuple(bands), limit)


@st.cache_resource(show_spinner=False, max_entries=16)
def _border_shapes(name: str, fingerprint: str, bands: tuple[float, ...], tri_radius_km: float, _boundary_set: BoundarySet):
    geometry = border_geometry(_boundary_set)
    return geo_borders.band_polygons(geometry, _boundary_set, bands), geo_borders.tri_border_zone(geometry, tri_radius_km)


def border_shapes(boundary_set: BoundarySet, *, bands: tuple[float, ...], tri_radius_km: float) -> tuple[gpd.GeoDataFrame, shapely.Geometry]:
    """The distance-band polygons and the tri-border disc, cached per boundary-set version."""
    return _border_shapes(boundary_set.name, set_fingerprint(boundary_set), tuple(bands), float(tri_radius_km), boundary_set)


# ---------------------------------------------------------------------------------------------- sidebar


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
    events: dict[str, int]  # events per source

    def as_mapping(self) -> dict:
        return {
            "boundaries": self.boundaries, "sources": self.sources, "years": self.years, "countries": self.countries,
            "types": self.types, "subtypes": self.subtypes, "presets": list(self.presets),
        }


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _choices(key: str, _src: Source, config_path: str) -> Choices:
    settings = get_settings()
    held = query.data_choices(_src.store, _src.set_id)
    sets = list_boundary_sets(settings)
    return Choices(
        boundaries=[s.name for s in sets],
        sources=held["sources"],
        years=held["years"] or (2015, pd.Timestamp.now(tz="UTC").year),
        countries=list(CORE_COUNTRIES),
        types=held["types"],
        subtypes=held["subtypes"],
        presets={name: p.label for name, p in settings.presets.items()},
        levels={s.name: list(s.levels) for s in sets},
        events=held["events"],
    )


def choices(src: Source, settings: Settings | None = None) -> Choices:
    settings = settings or get_settings()
    return _choices(src.key, src, str(settings.config_path))


def clear() -> None:
    """Forget every cached table and resource (tests)."""
    st.cache_data.clear()
    st.cache_resource.clear()
