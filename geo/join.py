"""Placing events in admin units: point in polygon with a snapping tolerance and precision rules.

- A point inside a unit goes to that unit ("inside"). Points on a shared edge go to one unit only.
- A point outside every unit but within the tolerance (default 5 km) of one goes to the nearest unit and
  is flagged "snapped" (coastlines, rivers and generalised borders leave real places just outside).
- Beyond the tolerance the event is "outside" the area: it is counted under `_OUTSIDE`, never dropped.
- Precision: an event is only given a unit at the levels its location supports (`max_admin_level`):
  ACLED geo_precision 3 and UCDP where_prec 4 get an admin1 unit but no admin2 unit; UCDP where_prec 5–7
  get no unit at all. Those are counted under `_UNALLOCATED` at the levels they cannot reach.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .boundaries import BoundarySet
from .caching import Unkeyed
from .crs import EQUAL_AREA_CRS, GEOGRAPHIC_CRS

INSIDE, SNAPPED, OUTSIDE = "inside", "snapped", "outside"
OUTSIDE_CODE, UNALLOCATED_CODE = "_OUTSIDE", "_UNALLOCATED"

_TO_EQUAL_AREA = pyproj.Transformer.from_crs(GEOGRAPHIC_CRS, EQUAL_AREA_CRS, always_xy=True)


def assign_units(
    longitude: np.ndarray,
    latitude: np.ndarray,
    units: gpd.GeoDataFrame,
    *,
    tolerance_m: float = 5_000,
    index: UnitIndex | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    Place points in the units that contain them, snapping near misses.

    Parameters
    ----------
    longitude, latitude
        WGS84 coordinates; NaN gives "outside".
    units
        Polygons in EPSG:4326.
    tolerance_m
        Largest distance, in metres, at which a point outside every unit is given its nearest unit.
    index
        A prebuilt `UnitIndex` of `units` (a cache); built when omitted.

    Returns
    -------
    (position of the unit in `units` or -1, placement "inside"/"snapped"/"outside", snap distance in m)
    """
    n = len(longitude)
    position = np.full(n, -1, dtype=np.int64)
    distance = np.zeros(n, dtype=np.float64)
    valid = np.isfinite(longitude) & np.isfinite(latitude)
    if n == 0 or len(units) == 0:
        return position, np.full(n, OUTSIDE, dtype=object), distance
    index = index or UnitIndex(units)
    position = _containing(longitude, latitude, valid, index)
    placement = np.where(position >= 0, INSIDE, OUTSIDE).astype(object)

    todo = np.flatnonzero(valid & (position < 0))
    if len(todo) and tolerance_m > 0:
        x, y = _TO_EQUAL_AREA.transform(longitude[todo], latitude[todo])
        (p_idx, u_idx), dist = index.projected_tree.query_nearest(
            shapely.points(x, y), max_distance=tolerance_m, return_distance=True, all_matches=False
        )
        position[todo[p_idx]] = u_idx
        distance[todo[p_idx]] = dist
        placement[todo[p_idx]] = SNAPPED
    return position, placement, distance


# Up to this many units, testing each prepared polygon against the points in its bounding box is faster
# than an STRtree query (no Point objects are built); beyond it the tree wins.
_LOOP_LIMIT = 250


def _containing(longitude: np.ndarray, latitude: np.ndarray, valid: np.ndarray, index: UnitIndex) -> np.ndarray:
    """Position of the unit containing each point (-1 if none); on a shared edge the lowest position wins."""
    n = len(longitude)
    position = np.full(n, -1, dtype=np.int64)
    if len(index.geoms) <= _LOOP_LIMIT:
        todo = valid.copy()
        for i, (geom, (minx, miny, maxx, maxy)) in enumerate(zip(index.geoms, index.bounds)):
            candidates = np.flatnonzero(
                todo & (longitude >= minx) & (longitude <= maxx) & (latitude >= miny) & (latitude <= maxy)
            )
            if len(candidates) == 0:
                continue
            hit = candidates[shapely.intersects_xy(geom, longitude[candidates], latitude[candidates])]
            position[hit] = i
            todo[hit] = False
        return position
    valid_pos = np.flatnonzero(valid)
    point_idx, unit_idx = index.tree.query(shapely.points(longitude[valid], latitude[valid]), predicate="intersects")
    order = np.lexsort((unit_idx, point_idx))
    point_idx, unit_idx = point_idx[order], unit_idx[order]
    first = np.ones(len(point_idx), dtype=bool)
    first[1:] = point_idx[1:] != point_idx[:-1]
    position[valid_pos[point_idx[first]]] = unit_idx[first]
    return position


class UnitIndex:
    """Spatial indexes of one level's units: geographic (containment) and projected (snapping)."""

    def __init__(self, units: gpd.GeoDataFrame) -> None:
        geoms = np.asarray(units.geometry.values, dtype=object)
        shapely.prepare(geoms)
        self.geoms = geoms
        self.bounds = shapely.bounds(geoms)
        self.tree = shapely.STRtree(geoms)
        self._units = units
        self._projected_tree: shapely.STRtree | None = None

    @property
    def projected_tree(self) -> shapely.STRtree:
        """A spatial index of the units in the equal-area CRS (built on first use), for the nearest unit of an outside point."""
        if self._projected_tree is None:
            projected = self._units.geometry.to_crs(EQUAL_AREA_CRS).values
            self._projected_tree = shapely.STRtree(np.asarray(projected, dtype=object))
        return self._projected_tree


#: How many (set version, level) spatial indexes a process keeps.
INDEX_ENTRIES = 32


def unit_index(boundary_set: BoundarySet, level: str) -> UnitIndex:
    """The cached spatial index of a set's level (rebuilt when the set's file changes).

    Parameters
    ----------
    boundary_set
        The boundary set.
    level
        The unit level: "admin1" or "admin2".

    Returns
    -------
    UnitIndex
        The cached spatial index of a set's level (rebuilt when the set's file changes).
    """
    return _unit_index(boundary_set.version, level, Unkeyed(boundary_set))


@lru_cache(maxsize=INDEX_ENTRIES)
def _unit_index(version: str, level: str, boundary_set: Unkeyed) -> UnitIndex:
    return UnitIndex(boundary_set.value.units(level))


def place_events(
    events: pd.DataFrame,
    boundary_set: BoundarySet,
    *,
    tolerance_m: float = 5_000,
    levels: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """
    Give each event its admin units in a boundary set.

    Parameters
    ----------
    events
        Canonical events (needs `latitude`, `longitude`, `max_admin_level`, `country_iso3`).
    boundary_set
        The set to place them in.
    tolerance_m
        Snapping tolerance in metres.
    levels
        Levels to compute; default every level of the set.

    Returns
    -------
    DataFrame indexed like `events` with `coverage` ("inside"/"snapped"/"outside" of the set's area),
    `snap_distance_m`, `unit_country_iso3` (the country of the admin1 unit, else the declared one),
    and per level `<level>_code` / `<level>_name` ("" when the event cannot be given a unit there).
    """
    levels = levels or boundary_set.levels
    lon = events["longitude"].to_numpy(dtype=np.float64)
    lat = events["latitude"].to_numpy(dtype=np.float64)
    max_level = events["max_admin_level"].to_numpy()
    out = pd.DataFrame(index=events.index)
    coverage_level = boundary_set.coverage_level()
    results = {}
    for level in dict.fromkeys((coverage_level, *levels)):
        units = boundary_set.units(level)
        results[level] = (units, *assign_units(
            lon, lat, units, tolerance_m=tolerance_m, index=unit_index(boundary_set, level)
        ))
    units, position, placement, distance = results[coverage_level]
    out["coverage"] = placement
    out["snap_distance_m"] = distance.round(1)
    country = units["country_iso3"].to_numpy(dtype=object)
    out["unit_country_iso3"] = np.where(position >= 0, country[np.maximum(position, 0)], events["country_iso3"].to_numpy())
    for level in levels:
        units, position, _, _ = results[level]
        needed = 1 if level == "admin1" else 2
        allowed = (position >= 0) & (max_level >= needed) & (out["coverage"].to_numpy() != OUTSIDE)
        codes = units["unit_code"].to_numpy(dtype=object)
        names = units["unit_name"].to_numpy(dtype=object)
        safe = np.maximum(position, 0)
        out[f"{level}_code"] = np.where(allowed, codes[safe], "")
        out[f"{level}_name"] = np.where(allowed, names[safe], "")
    return out


def bucket_codes(placements: pd.DataFrame, level: str) -> pd.Series:
    """Each event's unit code at `level`, or `_OUTSIDE` / `_UNALLOCATED`.

    Parameters
    ----------
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).
    level
        The unit level: "admin1" or "admin2".

    Returns
    -------
    pd.Series
        Each event's unit code at `level`, or `_OUTSIDE` / `_UNALLOCATED`.
    """
    codes = placements[f"{level}_code"]
    outside = placements["coverage"] == OUTSIDE
    return codes.where(codes != "", UNALLOCATED_CODE).where(~outside, OUTSIDE_CODE)


def swapped_candidates(
    events: pd.DataFrame, placements: pd.DataFrame, boundary_set: BoundarySet, *, tolerance_m: float = 5_000
) -> pd.Series:
    """For events outside the area, the unit they would fall in with latitude and longitude swapped.

    Parameters
    ----------
    events
        Canonical events outside the area.
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).
    boundary_set
        The boundary set.
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.

    Returns
    -------
    Series (indexed like the outside events that would land inside when swapped) of "unit name, ISO3".
    """
    outside = placements.index[placements["coverage"] == OUTSIDE]
    if len(outside) == 0:
        return pd.Series(dtype=object)
    lat = events.loc[outside, "latitude"].to_numpy(dtype=np.float64)
    lon = events.loc[outside, "longitude"].to_numpy(dtype=np.float64)
    ok = (np.abs(lon) <= 90) & (np.abs(lat) <= 180)
    level = boundary_set.coverage_level()
    units = boundary_set.units(level)
    position, placement, _ = assign_units(
        np.where(ok, lat, np.nan), np.where(ok, lon, np.nan), units, tolerance_m=tolerance_m,
        index=unit_index(boundary_set, level),
    )
    hit = position >= 0
    labels = units["unit_name"].to_numpy(dtype=object)[position[hit]] + ", " + units["country_iso3"].to_numpy(dtype=object)[position[hit]]
    return pd.Series(labels, index=outside[hit], dtype=object)


def admin1_mismatches(events: pd.DataFrame, placements: pd.DataFrame, boundary_set: BoundarySet) -> pd.DataFrame:
    """Events whose declared admin1 name differs from the admin1 unit they were placed in.

    Names are compared accent-, case- and alias-insensitively (`geo.names`). Events without a declared
    name, or without an admin1 unit, are not compared.

    Parameters
    ----------
    events
        Canonical events with their places.
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).
    boundary_set
        The boundary set.

    Returns
    -------
    DataFrame with source_dataset, event_id, event_date, declared admin1, spatial unit code and name,
    coverage ("inside"/"snapped") and `declared_known` (whether the declared name is a unit of the set).
    """
    matcher = boundary_set.name_matcher("admin1")
    compared = (events["admin1_declared"] != "") & (placements["admin1_code"] != "")
    pairs = pd.DataFrame(
        {"declared": events.loc[compared, "admin1_declared"], "code": placements.loc[compared, "admin1_code"]}
    )
    unique = pairs.drop_duplicates()
    unique = unique.assign(
        match=[matcher.matches(d, c) for d, c in zip(unique["declared"], unique["code"])],
        known=[bool(matcher.find(d)) for d in unique["declared"]],
    )
    merged = pairs.reset_index().merge(unique, on=["declared", "code"], how="left").set_index("index")
    bad = merged.index[~merged["match"].astype(bool)]
    result = pd.DataFrame(
        {
            "source_dataset": events.loc[bad, "source_dataset"],
            "event_id": events.loc[bad, "event_id"],
            "event_date": events.loc[bad, "event_date"],
            "admin1_declared": events.loc[bad, "admin1_declared"],
            "admin1_code": placements.loc[bad, "admin1_code"],
            "admin1_name": placements.loc[bad, "admin1_name"],
            "coverage": placements.loc[bad, "coverage"],
            "declared_known": merged.loc[bad, "known"].astype(bool),
            "latitude": events.loc[bad, "latitude"],
            "longitude": events.loc[bad, "longitude"],
        }
    )
    return result.sort_values(["source_dataset", "event_date", "event_id"])
