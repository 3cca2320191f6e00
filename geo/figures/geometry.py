"""Geometry for figures: simplified with shared edges kept shared, small enough to send to a browser.

Shapely's coverage simplification (GEOS CoverageSimplifier) simplifies the edges shared by neighbouring
units once, so no gaps or overlaps open between them, unlike simplifying each polygon on its own.
Coordinates are rounded (4 decimals ≈ 11 m) to keep the GeoJSON small. The tolerance, 0.01° (about 1 km,
under a pixel at the zoom that shows the three countries), keeps the map's cost per rerun, which grows with
the number of vertices (folium walks and serialises every coordinate), about the same for the detailed
OCHA / geoBoundaries units as for Natural Earth's: about 6,700 vertices (0.13 MB of GeoJSON) at admin 1 and
15,000 at admin 2 for the default set. Results are cached per boundary-set version.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely

from ..boundaries import BoundarySet, in_area_of_interest
from ..caching import Unkeyed
from ..countries import CORE_COUNTRIES
from ..crs import GEOGRAPHIC_CRS

DEFAULT_TOLERANCE_DEG = 0.01
COORDINATE_DECIMALS = 4
#: Display geometry kept per process: boundary-set versions × levels and tolerances (a few MB each at admin 2).
CACHE_ENTRIES = 32


def simplify_coverage(geoms: Sequence[shapely.Geometry] | np.ndarray, tolerance_deg: float = DEFAULT_TOLERANCE_DEG, decimals: int = COORDINATE_DECIMALS) -> np.ndarray:
    """Simplify polygons that tile an area without opening gaps between them, then round coordinates.

    Parameters
    ----------
    geoms
        Polygons that tile an area (an array or sequence of shapely geometries).
    tolerance_deg
        How far the simplified outlines may depart from the originals, in degrees.
    decimals
        Decimals kept.

    Returns
    -------
    np.ndarray
        The simplified, rounded, valid geometries.
    """
    geoms = np.asarray(geoms, dtype=object)
    try:
        simplified = shapely.coverage_simplify(geoms, tolerance_deg)
    except (shapely.errors.GEOSException, TypeError):  # not a clean coverage of polygons: simplify each on its own
        simplified = shapely.simplify(geoms, tolerance_deg, preserve_topology=True)
    rounded = shapely.transform(simplified, lambda xy: np.round(xy, decimals))
    return shapely.make_valid(rounded)


def display_units(boundary_set: BoundarySet, level: str, *, tolerance_deg: float = DEFAULT_TOLERANCE_DEG) -> gpd.GeoDataFrame:
    """Units of a level for maps: unit_code, unit_name, country_iso3, parent_code, area_km2, in_area_of_interest and simplified geometry (EPSG:4326).

    Parameters
    ----------
    boundary_set
        The boundary set.
    level
        The unit level: "admin1" or "admin2".
    tolerance_deg
        How far the simplified outlines may depart from the originals, in degrees.

    Returns
    -------
    gpd.GeoDataFrame
        Units of a level for maps: unit_code, unit_name, country_iso3, parent_code, area_km2, in_area_of_interest and
        simplified geometry (EPSG:4326).
    """
    return _display_units(boundary_set.version, level, tolerance_deg, Unkeyed(boundary_set))


@lru_cache(maxsize=CACHE_ENTRIES)
def _display_units(version: str, level: str, tolerance_deg: float, boundary_set: Unkeyed) -> gpd.GeoDataFrame:
    units = boundary_set.value.units(level)
    out = units[["unit_code", "unit_name", "country_iso3", "parent_code", "area_km2"]].copy()
    out["in_area_of_interest"] = in_area_of_interest(units)
    return gpd.GeoDataFrame(out, geometry=simplify_coverage(units.geometry.values, tolerance_deg), crs=GEOGRAPHIC_CRS)


def display_countries(
    boundary_set: BoundarySet, *, tolerance_deg: float = DEFAULT_TOLERANCE_DEG, margin_deg: float = 2.0
) -> gpd.GeoDataFrame:
    """Country outlines (the three and their neighbours) for drawing borders over the units.

    Neighbours are context: they are cut to the box around the three countries (plus `margin_deg`), so
    that far coastlines of Algeria or Libya do not weigh on every map sent to the browser, and outlines
    are simplified as much as units (about 1 km, invisible at the scale borders are drawn at).

    Parameters
    ----------
    boundary_set
        The boundary set.
    tolerance_deg
        How far the simplified outlines may depart from the originals, in degrees.
    margin_deg
        The margin kept around the three countries, in degrees.

    Returns
    -------
    gpd.GeoDataFrame
        Country outlines (the three and their neighbours) for drawing borders over the units.
    """
    return _display_countries(boundary_set.version, tolerance_deg, margin_deg, Unkeyed(boundary_set))


@lru_cache(maxsize=CACHE_ENTRIES)
def _display_countries(version: str, tolerance_deg: float, margin_deg: float, boundary_set: Unkeyed) -> gpd.GeoDataFrame:
    countries = boundary_set.value.countries()
    core = countries[countries["country_iso3"].isin(CORE_COUNTRIES)]
    minx, miny, maxx, maxy = (core if len(core) else countries).total_bounds
    box = (minx - margin_deg, miny - margin_deg, maxx + margin_deg, maxy + margin_deg)
    clipped = shapely.clip_by_rect(countries.geometry.values, *box)
    keep = ~shapely.is_empty(clipped)
    out = countries.loc[keep, ["unit_code", "unit_name", "country_iso3"]].copy()
    return gpd.GeoDataFrame(out, geometry=simplify_coverage(clipped[keep], tolerance_deg), crs=GEOGRAPHIC_CRS)


def display_area_of_interest(boundary_set: BoundarySet) -> shapely.Geometry:
    """The outline of the area of interest, dissolved from the display units (so it follows their edges).

    Parameters
    ----------
    boundary_set
        The boundary set.

    Returns
    -------
    shapely.Geometry
        The outline of the area of interest, dissolved from the display units (so it follows their edges).
    """
    return _display_area_of_interest(boundary_set.version, Unkeyed(boundary_set))


@lru_cache(maxsize=CACHE_ENTRIES)
def _display_area_of_interest(version: str, boundary_set: Unkeyed) -> shapely.Geometry:
    units = display_units(boundary_set.value, "admin1")
    return shapely.union_all(units.loc[units["in_area_of_interest"]].geometry.values)


def to_geojson(gdf: gpd.GeoDataFrame, properties: list[str] | None = None) -> dict:
    """A FeatureCollection dict with only the given properties (all non-geometry columns by default).

    Parameters
    ----------
    gdf
        The features.
    properties
        The columns kept; default every non-geometry column.

    Returns
    -------
    dict
        A FeatureCollection dict with only the given properties (all non-geometry columns by default).
    """
    columns = properties if properties is not None else [c for c in gdf.columns if c != "geometry"]
    return json.loads(gdf[[*columns, "geometry"]].to_json(drop_id=True))


def polygonal(geometry: shapely.Geometry | None) -> shapely.Geometry | None:
    """Only the polygons of a geometry (make_valid can leave lines in a GeometryCollection).

    Parameters
    ----------
    geometry
        A shapely geometry (None allowed).

    Returns
    -------
    shapely.Geometry | None
        Its polygons (a Polygon or MultiPolygon), or None without any.
    """
    if geometry is None or geometry.is_empty:
        return geometry
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()
