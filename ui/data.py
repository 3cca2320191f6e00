"""What the pages show, fetched from the database and cached by data version.

Every figure comes from SQL in `geo` through `geo.figures.reading.Reader` (`aggregate_store`, `geo.query`, the
`*_store` functions of `geo.borders`): a page never loads every event. Results are cached with Streamlit's own
caches (`st.cache_data`, bounded by `max_entries` and `ttl`), keyed by the data version — one indexed query per
run — so a commit or rollback through any app instance shows on the next rerun of every other. A cached result
that holds words (country names) is keyed by the language too (`geo.figures.language.current_language`), so a
French session never gets an English table; figures themselves are never cached (they are built per run, in the
run's language). Plain
functions: they run (with an in-memory cache) outside a Streamlit server too. `CachedReader` offers them with
the methods of `geo.figures.reading.Reader`, which is what the view models of `geo.figures.views` read through.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely
import streamlit as st

from geo import borders as geo_borders
from geo.aggregate import Filters
from geo.agreement import Agreement, SideBySide
from geo.boundaries import BoundarySet, load_boundary_set
from geo.config import ActorGroup, Settings, get_settings
from geo.dataset import ViewData, current_data
from geo.figures.language import current_language
from geo.figures.reading import (
    CELL_DEG,
    MAX_CELLS,
    MAX_LISTED,
    MAX_PAIR_CANDIDATES,
    MAX_POINTS,
    Choices,
    Points,
    Reader,
    Source,
    group_units,
    read_choices,
)
from geo.places import ensure_placement, set_fingerprint
from geo.query import SourceVintage
from geo.store import Store

__all__ = [
    "CELL_DEG", "MAX_CELLS", "MAX_PAIR_CANDIDATES", "MAX_POINTS", "CachedReader", "Choices", "Points", "Source",
    "aggregated", "boundary_set", "choices", "clear", "get_store", "grouped", "points", "reader", "source", "unit_detail",
    "view_data", "vintages",
]

#: Cached results per function: enough for a few users' filter combinations, bounded in memory.
_ENTRIES = 64
_TTL = 6 * 3600


@st.cache_resource(show_spinner=False, max_entries=8)
def get_store(url: str | None = None) -> Store:
    """One store (and connection pool) per URL for the server process."""
    return Store(url)


def boundary_set(name: str, settings: Settings | None = None) -> BoundarySet:
    """A boundary set (kept once per process and file version by `geo.boundaries`)."""
    return load_boundary_set(name, settings or get_settings())


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
    return Reader(_src).aggregated(level=level, period=period, filters=filters)


def aggregated(src: Source, *, level: str, period: str, filters: Filters) -> pd.DataFrame:
    """`geo.aggregate.aggregate_store` with its ranges (the table of `python -m geo aggregate --ranges`), cached."""
    return _aggregated(src.key, src, level, period, filters)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _country_figures(key: str, _src: Source, period: str, filters: Filters) -> pd.DataFrame:
    return Reader(_src).country_figures(period=period, filters=filters)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _grouped(key: str, _src: Source, by: str, level: str, period: str, filters: Filters, lang: str) -> pd.DataFrame:
    if by in ("country", "unit"):  # from the cached per-unit table (a country's ranges: from its own read)
        countries = _country_figures(key, _src, period, filters) if by == "country" else None
        return group_units(aggregated(_src, level=level, period=period, filters=filters), by, countries)
    return Reader(_src).grouped(by=by, level=level, period=period, filters=filters)


def grouped(src: Source, *, by: str, level: str, period: str, filters: Filters) -> pd.DataFrame:
    """
    Metrics per period and group: "country", "unit" (at `level`) or "event_type"; cached by data version and language
    (countries are grouped by their names).
    """
    return _grouped(src.key, src, by, level, period, filters, current_language())


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _unit_detail(key: str, _src: Source, level: str, unit_code: str, filters: Filters, n: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    return Reader(_src).unit_detail(level=level, unit_code=unit_code, filters=filters, n=n)


def unit_detail(src: Source, *, level: str, unit_code: str, filters: Filters, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(top actors, latest events) of one unit: at most `n` rows each, fetched from the database."""
    return _unit_detail(src.key, src, level, unit_code, filters, n)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _points(key: str, _src: Source, filters: Filters, limit: int) -> Points:
    return Reader(_src).points(filters=filters, limit=limit)


def points(src: Source, *, filters: Filters, limit: int = MAX_POINTS) -> Points:
    """Events to draw as points: at most `limit` raw events, else the density grid of all of them."""
    return _points(src.key, src, filters, limit)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _agreement(key: str, _src: Source, level: str, period: str, indicator: str | None, filters: Filters) -> Agreement:
    return Reader(_src).agreement(level=level, period=period, indicator=indicator, filters=filters)


def agreement(src: Source, *, level: str, period: str, indicator: str | None, filters: Filters) -> Agreement:
    """`ui.reading.Reader.agreement`, cached by data version."""
    return _agreement(src.key, src, level, period, indicator, filters)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _side_by_side(key: str, _src: Source, sources: tuple[str, str], level: str, period: str, indicator: str | None,
                  filters: Filters) -> SideBySide:
    return Reader(_src).side_by_side(sources=sources, level=level, period=period, indicator=indicator, filters=filters)


def side_by_side(src: Source, *, sources: tuple[str, str], level: str, period: str, indicator: str | None,
                 filters: Filters) -> SideBySide:
    """`geo.figures.reading.Reader.side_by_side` (what `python -m geo compare` writes), cached by data version."""
    return _side_by_side(src.key, src, tuple(sources), level, period, indicator, filters)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _vintages(key: str, _src: Source) -> dict[str, SourceVintage]:
    return Reader(_src).vintages()


def vintages(src: Source) -> dict[str, SourceVintage]:
    """Each source's vintage (last day, newest ACLED timestamp, UCDP version), cached."""
    return _vintages(src.key, src)


# ---------------------------------------------------------------------------------------------- civilians page


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _perpetrator_table(key: str, _src: Source, level: str, filters: Filters) -> pd.DataFrame:
    return Reader(_src).perpetrator_table(level=level, filters=filters)


def perpetrator_table(src: Source, *, level: str, filters: Filters) -> pd.DataFrame:
    """The aggregate per unit, year and perpetrator (`python -m geo aggregate --by perpetrator --no-empty`), cached."""
    return _perpetrator_table(src.key, src, level, filters)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _mass_casualty(key: str, _src: Source, level: str, filters: Filters, min_fatalities: int, civilian_only: bool,
                   unit_code: str | None, limit: int) -> tuple[pd.DataFrame, int]:
    return Reader(_src).mass_casualty(level=level, filters=filters, min_fatalities=min_fatalities, civilian_only=civilian_only,
                                      unit_code=unit_code, limit=limit)


def mass_casualty(src: Source, *, level: str, filters: Filters, min_fatalities: int, civilian_only: bool = False,
                  unit_code: str | None = None, limit: int = MAX_LISTED) -> tuple[pd.DataFrame, int]:
    """The `limit` largest mass-casualty events and how many there are in all, cached."""
    return _mass_casualty(src.key, src, level, filters, int(min_fatalities), bool(civilian_only), unit_code or None, int(limit))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _named_groups(key: str, _src: Source, filters: Filters, groups: tuple[ActorGroup, ...], level: str,
                  unit_code: str | None) -> pd.DataFrame:
    return Reader(_src).named_groups(filters=filters, groups=groups, level=level, unit_code=unit_code)


def named_groups(src: Source, *, filters: Filters, groups: tuple[ActorGroup, ...], level: str,
                 unit_code: str | None = None) -> pd.DataFrame:
    """Civilian fatalities per year and named group (atlas.toml [actor_groups]) of the first actor, cached."""
    return _named_groups(src.key, src, filters, tuple(groups), level, unit_code or None)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _top_perpetrators(key: str, _src: Source, filters: Filters, level: str, unit_code: str | None, n: int) -> pd.DataFrame:
    return Reader(_src).top_perpetrators(filters=filters, level=level, unit_code=unit_code, n=n)


def top_perpetrators(src: Source, *, filters: Filters, level: str, unit_code: str | None = None, n: int = 12) -> pd.DataFrame:
    """The first actors with most civilian fatalities (`geo.query.top_perpetrators`), cached."""
    return _top_perpetrators(src.key, src, filters, level, unit_code or None, int(n))


# ---------------------------------------------------------------------------------------------- borders page


@st.cache_resource(show_spinner=False, max_entries=8)
def _border_geometry(name: str, fingerprint: str, _boundary_set: BoundarySet) -> geo_borders.BorderGeometry:
    return geo_borders.shared_borders(_boundary_set)


def border_geometry(boundary_set: BoundarySet) -> geo_borders.BorderGeometry:
    """`geo.borders.shared_borders`; AtlasError without the three countries."""
    return _border_geometry(boundary_set.name, set_fingerprint(boundary_set), boundary_set)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _border_table(key: str, _src: Source, filters: Filters, period: str, bands: tuple[float, ...]) -> pd.DataFrame:
    return Reader(_src).border_table(filters=filters, period=period, bands=bands)


def border_table(src: Source, *, filters: Filters, period: str, bands: tuple[float, ...]) -> pd.DataFrame:
    """`geo.borders.border_table_store` (the table of `python -m geo borders`), cached."""
    return _border_table(src.key, src, filters, period, bands)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _border_pairs_within(key: str, _src: Source, filters: tuple[Filters, ...], max_km: float, max_days: int,
                         same_actor: bool) -> tuple[pd.DataFrame | None, int | None, int]:
    return Reader(_src).border_pairs_within(filters=list(filters), max_km=max_km, max_days=max_days, same_actor=same_actor)


def border_pairs_within(
    src: Source, *, filters: list[Filters], max_km: float, max_days: int, same_actor: bool
) -> tuple[pd.DataFrame | None, int | None, int]:
    """`geo.figures.reading.Reader.border_pairs_within`, cached: pairs under the widest filters that keep the search bounded."""
    return _border_pairs_within(src.key, src, tuple(filters), float(max_km), int(max_days), bool(same_actor))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _border_actors(key: str, _src: Source, filters: Filters, period: str) -> pd.DataFrame:
    return Reader(_src).border_actors(filters=filters, period=period)


def border_actors(src: Source, *, filters: Filters, period: str) -> pd.DataFrame:
    """Cross-border actors (counted in the database), cached."""
    return _border_actors(src.key, src, filters, period)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _actor_footprint(key: str, _src: Source, filters: Filters, actor: str, periods: tuple[str, ...]) -> pd.DataFrame:
    return Reader(_src).actor_footprint(filters=filters, actor=actor, periods=list(periods))


def actor_footprint(src: Source, *, filters: Filters, actor: str, periods: list[str]) -> pd.DataFrame:
    """Events of one actor per year and country (MLI, BFA, NER columns), cached."""
    return _actor_footprint(src.key, src, filters, actor, tuple(str(p) for p in periods))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _tri_share(key: str, _src: Source, filters: Filters, radius_km: float) -> tuple[int, int]:
    return Reader(_src).tri_share(filters=filters, radius_km=radius_km)


def tri_share(src: Source, *, filters: Filters, radius_km: float) -> tuple[int, int]:
    """(events in the tri-border zone, events near a shared border) of the filters, cached."""
    return _tri_share(src.key, src, filters, float(radius_km))


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _border_points(key: str, _src: Source, filters: Filters, bands: tuple[float, ...], limit: int) -> Points:
    return Reader(_src).border_points(filters=filters, bands=bands, limit=limit)


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


class CachedReader:
    """The reads of `geo.figures.reading.Reader`, cached per data version: what the app's view models read through."""

    def __init__(self, src: Source) -> None:
        self.src = src

    @property
    def boundary_set(self) -> BoundarySet:
        return self.src.boundary_set

    def aggregated(self, *, level: str, period: str, filters: Filters) -> pd.DataFrame:
        return aggregated(self.src, level=level, period=period, filters=filters)

    def grouped(self, *, by: str, level: str, period: str, filters: Filters) -> pd.DataFrame:
        return grouped(self.src, by=by, level=level, period=period, filters=filters)

    def unit_detail(self, *, level: str, unit_code: str, filters: Filters, n: int = 10) -> tuple[pd.DataFrame, pd.DataFrame]:
        return unit_detail(self.src, level=level, unit_code=unit_code, filters=filters, n=n)

    def points(self, *, filters: Filters, limit: int = MAX_POINTS) -> Points:
        return points(self.src, filters=filters, limit=limit)

    def agreement(self, *, level: str, period: str, indicator: str | None, filters: Filters) -> Agreement:
        return agreement(self.src, level=level, period=period, indicator=indicator, filters=filters)

    def side_by_side(self, *, sources: tuple[str, str], level: str, period: str, indicator: str | None,
                     filters: Filters) -> SideBySide:
        return side_by_side(self.src, sources=sources, level=level, period=period, indicator=indicator, filters=filters)

    def vintages(self) -> dict[str, SourceVintage]:
        return vintages(self.src)

    def event_rows(self, *, filters: Filters, limit: int) -> tuple[pd.DataFrame, int]:
        # Not cached: a deliberate download of rows (analysts), read once when asked for.
        return Reader(self.src).event_rows(filters=filters, limit=limit)

    def perpetrator_table(self, *, level: str, filters: Filters) -> pd.DataFrame:
        return perpetrator_table(self.src, level=level, filters=filters)

    def mass_casualty(self, *, level: str, filters: Filters, min_fatalities: int, civilian_only: bool = False,
                      unit_code: str | None = None, limit: int = MAX_LISTED) -> tuple[pd.DataFrame, int]:
        return mass_casualty(self.src, level=level, filters=filters, min_fatalities=min_fatalities, civilian_only=civilian_only,
                             unit_code=unit_code, limit=limit)

    def named_groups(self, *, filters: Filters, groups: tuple[ActorGroup, ...], level: str,
                     unit_code: str | None = None) -> pd.DataFrame:
        return named_groups(self.src, filters=filters, groups=groups, level=level, unit_code=unit_code)

    def top_perpetrators(self, *, filters: Filters, level: str, unit_code: str | None = None, n: int = 12) -> pd.DataFrame:
        return top_perpetrators(self.src, filters=filters, level=level, unit_code=unit_code, n=n)

    def border_geometry(self) -> geo_borders.BorderGeometry:
        return border_geometry(self.src.boundary_set)

    def border_shapes(self, *, bands: tuple[float, ...], tri_radius_km: float) -> tuple[gpd.GeoDataFrame, shapely.Geometry]:
        return border_shapes(self.src.boundary_set, bands=bands, tri_radius_km=tri_radius_km)

    def border_table(self, *, filters: Filters, period: str, bands: tuple[float, ...]) -> pd.DataFrame:
        return border_table(self.src, filters=filters, period=period, bands=bands)

    def border_pairs_within(self, *, filters: list[Filters], max_km: float, max_days: int,
                            same_actor: bool) -> tuple[pd.DataFrame | None, int | None, int]:
        return border_pairs_within(self.src, filters=filters, max_km=max_km, max_days=max_days, same_actor=same_actor)

    def border_actors(self, *, filters: Filters, period: str) -> pd.DataFrame:
        return border_actors(self.src, filters=filters, period=period)

    def actor_footprint(self, *, filters: Filters, actor: str, periods: list[str]) -> pd.DataFrame:
        return actor_footprint(self.src, filters=filters, actor=actor, periods=periods)

    def tri_share(self, *, filters: Filters, radius_km: float) -> tuple[int, int]:
        return tri_share(self.src, filters=filters, radius_km=radius_km)

    def border_points(self, *, filters: Filters, bands: tuple[float, ...], limit: int = MAX_POINTS) -> Points:
        return border_points(self.src, filters=filters, bands=bands, limit=limit)


def reader(src: Source) -> CachedReader:
    """The cached reads of `src` (what `geo.figures.views` gets in the app)."""
    return CachedReader(src)


# ---------------------------------------------------------------------------------------------- sidebar


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _choices(key: str, _src: Source, config_path: str) -> Choices:
    return read_choices(_src, get_settings())


def choices(src: Source, settings: Settings | None = None) -> Choices:
    settings = settings or get_settings()
    return _choices(src.key, src, str(settings.config_path))


def clear() -> None:
    """Forget every cached table and resource (tests)."""
    st.cache_data.clear()
    st.cache_resource.clear()
