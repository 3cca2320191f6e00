"""The area of interest: the focus regions of `atlas.toml` ([area_of_interest]), as one outline, and which units lie in it."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely

from ..caching import Unkeyed
from ..config import Settings, get_settings
from ..crs import EQUAL_AREA_CRS, GEOGRAPHIC_CRS
from ..errors import BoundaryError
from .catalogue import load_boundary_set


def _area_of_interest(settings: Settings) -> tuple[shapely.Geometry, shapely.Geometry]:
    """The area of interest in EPSG:4326 and in the equal-area CRS, cached per set version and setting."""
    boundary_set = load_boundary_set(settings.aoi_boundaries, settings)
    return _area_in(boundary_set.version, settings.aoi_units, settings.aoi_countries, Unkeyed(boundary_set), Unkeyed(settings))


@lru_cache(maxsize=8)
def _area_in(version: str, unit_codes: tuple[str, ...], countries: tuple[str, ...], keyed_set: Unkeyed,
             keyed_settings: Unkeyed) -> tuple[shapely.Geometry, shapely.Geometry]:
    boundary_set, settings = keyed_set.value, keyed_settings.value
    units = boundary_set.units("admin1")
    unknown = sorted(set(unit_codes) - set(units["unit_code"]))
    if unknown:
        example = ", ".join(units["unit_code"].head(3))
        raise BoundaryError(
            f"[area_of_interest] units {', '.join(unknown)} in {settings.config_path} are not admin1 units of "
            f"boundary set {boundary_set.name!r} (its codes look like {example}); use that set's codes or set "
            "[area_of_interest] boundaries to the set the codes belong to"
        )
    mask = units["unit_code"].isin(unit_codes) | units["country_iso3"].isin(countries)
    geographic = shapely.union_all(units.loc[mask].geometry.values)
    projected = gpd.GeoSeries([geographic], crs=GEOGRAPHIC_CRS).to_crs(EQUAL_AREA_CRS).iloc[0]
    shapely.prepare(projected)
    return geographic, projected


def area_of_interest(settings: Settings | None = None) -> shapely.Geometry:
    """The area of interest as one geometry (EPSG:4326), from the units and countries in `atlas.toml`.

    The unit codes are those of the set named by `[area_of_interest] boundaries` (default: the default
    set), so the area stays the same whichever set a map or table uses.

    Parameters
    ----------
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    shapely geometry


    Raises
    ------
    BoundaryError
        When a configured unit code is not an admin-1 unit of that set.
    """
    return _area_of_interest(settings or get_settings())[0]


def in_area_of_interest(units: gpd.GeoDataFrame, settings: Settings | None = None) -> np.ndarray:
    """True for units that lie mostly (more than half their area) in the area of interest.

    Works for the units of any set and level: areas are compared in the equal-area CRS, so a unit whose
    edges differ a little from the set the area of interest is defined in is still classed by where most
    of it lies.

    Parameters
    ----------
    units
        Units of any level (EPSG:4326).
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    np.ndarray
        One boolean per unit: whether more than half of its area lies in the area of interest.
    """
    if len(units) == 0:
        return np.zeros(0, dtype=bool)
    _, aoi = _area_of_interest(settings or get_settings())
    geoms = np.asarray(units.geometry.to_crs(EQUAL_AREA_CRS).values, dtype=object)
    total = shapely.area(geoms)
    inside = shapely.area(shapely.intersection(geoms, aoi))
    return np.divide(inside, total, out=np.zeros(len(geoms)), where=total > 0) > 0.5
