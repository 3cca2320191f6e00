"""How sure is each figure: every event's uncertainty area, and the units it makes doubtful.

An event's coordinates are only as good as its location precision (ACLED `geo_precision`, UCDP `where_prec`): the
event may lie anywhere in its *uncertainty area* — a disc of a radius per precision level, or the whole unit its
precision names (ACLED precision 3: the admin-1 unit named) — set in `atlas.toml` [uncertainty] (`geo.config`).

Per event, boundary set and level (the country, admin 1, admin 2), the event is counted in one unit (its place,
`geo.places`); the area tells

- whether that count is **certain**: the whole area lies in that unit;
- which other units the event **may** lie in: the area reaches them.

Only the exceptions are kept (most events are certain and reach nowhere else): one row per event, level and unit,
`in_doubt` True for the unit it is counted in when its area reaches beyond it, False for another unit its area reaches.
So for a unit, `events_min = events − rows in doubt` and `events_max = events + rows possible` — computed in the
database from the stored rows (`event_area_units`, summed per batch in `area_summary`), like every figure.

The rows are computed once per event and place set, when the event is stored (or its set is placed again), with the
places; a disc is tested exactly (a point in the unit eroded by the radius lies there for certain; the rest against the
units within the radius), a whole unit through the set's hierarchy (an admin-1 unit reaches every admin-2 unit whose
parent it is, and no other).
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .boundaries import BoundarySet
from .caching import Unkeyed
from .config import PrecisionArea, Settings
from .crs import EQUAL_AREA_CRS, GEOGRAPHIC_CRS
from .join import OUTSIDE_CODE, UNALLOCATED_CODE, assign_units, unit_index

#: The levels whose areas are kept, and their codes in the store's `level` column.
LEVEL_CODES = {"country": 0, "admin1": 1, "admin2": 2}
#: What computing an event's area needs of it (besides its places).
AREA_COLUMNS = ["source_dataset", "geo_precision", "max_admin_level", "country_iso3", "admin1_declared", "admin2_declared",
                "longitude", "latitude"]
#: Columns of `area_units` (besides `event`, the event's index label).
AREA_UNIT_COLUMNS = ["level", "unit_code", "country_iso3", "in_doubt"]
_SPECIAL = ("", OUTSIDE_CODE, UNALLOCATED_CODE)
# Circles are drawn with this many segments per quarter; the eroded units are shrunk by the chord's sag beside it,
# so a point inside them lies farther than the radius from every edge (the others are tested exactly).
_QUAD_SEGS = 8
_SAG = 1 - np.cos(np.pi / (4 * _QUAD_SEGS))
# (the projection the snapping tolerance is measured in: radii are metres in the same plane)
_PROJECT = pyproj.Transformer.from_crs(GEOGRAPHIC_CRS, EQUAL_AREA_CRS, always_xy=True)


def rules_fingerprint(settings: Settings) -> str:
    """SHA-256 of the uncertainty areas of the settings: stored areas are valid for exactly these rules.

    Parameters
    ----------
    settings
        The settings (their `uncertainty` areas).

    Returns
    -------
    str
        The fingerprint (hex).
    """
    plain = {scale: {str(code): [area.radius_km, area.unit] for code, area in sorted(areas.items())}
             for scale, areas in sorted(settings.uncertainty.items())}
    return hashlib.sha256(json.dumps(plain, sort_keys=True).encode()).hexdigest()


def precision_scale(events: pd.DataFrame) -> np.ndarray:
    """The precision scale of each event's `geo_precision`.

    "ucdp" (where_prec 1–7) for UCDP GED, "acled" (1–3) for ACLED and the sample; a generic file's codes on the scale
    its mapping named, told from the stored columns (a code above 3, or 3 still placeable in admin 2, is UCDP's).

    Parameters
    ----------
    events
        Events with `source_dataset`, `geo_precision` and `max_admin_level`.

    Returns
    -------
    np.ndarray
        "acled" or "ucdp" per event.
    """
    source = events["source_dataset"].to_numpy(dtype=object)
    precision = events["geo_precision"].fillna(1).to_numpy(dtype=np.int64)
    level = events["max_admin_level"].to_numpy(dtype=np.int64)
    ucdp_coded = (precision > 3) | ((precision == 3) & (level >= 2))
    return np.where((source == "ucdp") | ((source == "generic") & ucdp_coded), "ucdp", "acled").astype(object)


def event_areas(events: pd.DataFrame, settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """Each event's uncertainty area from its source's precision code.

    Parameters
    ----------
    events
        Events with `AREA_COLUMNS`.
    settings
        The settings (their `uncertainty` areas).

    Returns
    -------
    tuple[np.ndarray, np.ndarray]
        (radius in metres, 0 for a point or a unit; the unit named: "", "admin1", "admin2" or "country").
    """
    scale = precision_scale(events)
    precision = events["geo_precision"].fillna(1).to_numpy(dtype=np.int64)
    radius = np.zeros(len(events), dtype=np.float64)
    unit = np.full(len(events), "", dtype=object)
    for name, areas in settings.uncertainty.items():
        on_scale = scale == name
        for code, area in areas.items():
            hit = on_scale & (precision == code)
            radius[hit] = area.radius_km * 1000.0
            unit[hit] = area.unit
    return radius, unit


# ---------------------------------------------------------------------------------------------- the set's units


class _Level:
    """One level of a boundary set as the areas need it: codes, countries, parents, projected geometry (cached)."""

    def __init__(self, units: gpd.GeoDataFrame) -> None:
        self.codes = units["unit_code"].to_numpy(dtype=object)
        self.countries = units["country_iso3"].to_numpy(dtype=object)
        self.parents = units["parent_code"].fillna("").to_numpy(dtype=object) if "parent_code" in units else \
            np.full(len(units), "", dtype=object)
        self.position = {code: i for i, code in enumerate(self.codes)}
        self.country_of = dict(zip(self.codes, self.countries))
        self.projected = np.asarray(units.geometry.to_crs(EQUAL_AREA_CRS).values, dtype=object)
        self.tree = shapely.STRtree(self.projected)
        self.boundaries = shapely.boundary(self.projected)
        # Prepared, a distance test walks an index of the edges (GEOS's indexed facet distance): several times faster
        # than the tree's own distance predicate on large units.
        shapely.prepare(self.projected)
        shapely.prepare(self.boundaries)
        self._eroded: dict[float, tuple[np.ndarray, np.ndarray]] = {}

    def eroded(self, radius_m: float) -> tuple[np.ndarray, np.ndarray]:
        """The units shrunk by `radius_m` (and the circle's sag), prepared, with their bounds."""
        if radius_m not in self._eroded:
            shrunk = shapely.buffer(self.projected, -radius_m * (1 + _SAG), quad_segs=_QUAD_SEGS)
            shapely.prepare(shrunk)
            self._eroded[radius_m] = (shrunk, shapely.bounds(shrunk))
        return self._eroded[radius_m]


#: Levels of sets kept prepared (a set's version and level each; the set's file changing makes a new version).
LEVEL_ENTRIES = 32


def _level(boundary_set: BoundarySet, level: str) -> _Level:
    return _prepared_level(boundary_set.version, level, Unkeyed(boundary_set))


@lru_cache(maxsize=LEVEL_ENTRIES)
def _prepared_level(version: str, level: str, boundary_set: Unkeyed) -> _Level:
    """One level of a set prepared for the areas, kept per set version and level (`boundary_set` is not part of the key)."""
    units_of = boundary_set.value
    if level == "country":
        units = units_of.units(units_of.coverage_level())
        dissolved = units[["country_iso3", "geometry"]].dissolve(by="country_iso3", as_index=False)
        units = dissolved.assign(unit_code=dissolved["country_iso3"], parent_code="")
    else:
        units = units_of.units(level)
    return _Level(units)


def area_levels(boundary_set: BoundarySet) -> list[str]:
    """The levels areas are kept at in a set: the countries, then its admin levels.

    Parameters
    ----------
    boundary_set
        The boundary set.

    Returns
    -------
    list[str]
        "country", then the set's levels.
    """
    return ["country", *boundary_set.levels]


# ---------------------------------------------------------------------------------------------- the units reached


def _named_units(boundary_set: BoundarySet, level: str, names: np.ndarray, countries: np.ndarray,
                 placed: np.ndarray, settings: Settings) -> np.ndarray:
    """The unit of `level` each event names, else the unit it is placed in at that level, else "".

    A name is looked up among the units of the event's country; when several match, the one it is placed in.
    """
    out = np.where(np.isin(placed, _SPECIAL), "", placed).astype(object)
    if level not in boundary_set.levels or not len(names):
        return out
    matcher = boundary_set.name_matcher(level, settings.name_aliases)
    info = _level(boundary_set, level)
    found: dict[tuple[str, str], list[str]] = {}
    for i, (name, country) in enumerate(zip(names, countries)):
        if not name:
            continue
        key = (name, country)
        if key not in found:
            found[key] = [code for code in matcher.find(name) if info.country_of.get(code) == country]
        codes = found[key]
        if codes:
            out[i] = placed[i] if placed[i] in codes else codes[0]
    return out


def _reach_of_units(boundary_set: BoundarySet, level: str, kind: np.ndarray, target: np.ndarray) -> list[np.ndarray]:
    """For events whose area is a whole unit (`kind` its level, `target` its code), the units of `level` it reaches."""
    info = _level(boundary_set, level)
    order = LEVEL_CODES
    out: list[np.ndarray] = []
    cache: dict[tuple[str, str], np.ndarray] = {}
    for k, code in zip(kind, target):
        key = (k, code)
        if key not in cache:
            if order[k] == order[level]:
                reached = [code] if code in info.position else []
            elif order[k] > order[level]:  # a finer unit: the coarser one holding it
                reached = _ancestor(boundary_set, k, code, level)
            else:  # a coarser unit: every unit of this level inside it
                reached = _descendants(boundary_set, k, code, level)
            cache[key] = np.asarray(reached, dtype=object)
        out.append(cache[key])
    return out


def _ancestor(boundary_set: BoundarySet, kind: str, code: str, level: str) -> list[str]:
    info = _level(boundary_set, kind)
    if code not in info.position:
        return []
    if level == "country":
        return [info.country_of[code]]
    parent = info.parents[info.position[code]]  # admin 2 -> admin 1
    return [parent] if parent in _level(boundary_set, level).position else []


def _descendants(boundary_set: BoundarySet, kind: str, code: str, level: str) -> list[str]:
    info = _level(boundary_set, level)
    if kind == "country":
        return list(info.codes[info.countries == code])
    return list(info.codes[info.parents == code])  # admin 1 -> its admin-2 units


def _reach_of_discs(info: _Level, x: np.ndarray, y: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For points (projected) with discs of one radius: the unit holding each whole disc, and every unit each reaches.

    Returns (position of the unit holding the whole disc, else -1; then the pairs (point, unit position) of every unit
    each disc reaches).
    """
    n = len(x)
    whole = np.full(n, -1, dtype=np.int64)
    shrunk, bounds = info.eroded(radius)
    todo = np.ones(n, dtype=bool)
    for i, (geom, (minx, miny, maxx, maxy)) in enumerate(zip(shrunk, bounds)):
        if shapely.is_empty(geom):
            continue
        candidates = np.flatnonzero(todo & (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy))
        if len(candidates) == 0:
            continue
        hit = candidates[shapely.intersects_xy(geom, x[candidates], y[candidates])]
        whole[hit] = i
        todo[hit] = False
    held = np.flatnonzero(whole >= 0)
    rest = np.flatnonzero(whole < 0)
    pairs_point, pairs_unit = [held], [whole[held]]
    if len(rest):
        points = shapely.points(x[rest], y[rest])
        xs, ys = x[rest], y[rest]
        p_idx, u_idx = info.tree.query(shapely.box(xs - radius, ys - radius, xs + radius, ys + radius))  # (envelopes)
        keep = np.zeros(len(p_idx), dtype=bool)
        for unit in np.unique(u_idx):
            pairs = np.flatnonzero(u_idx == unit)
            keep[pairs] = shapely.dwithin(info.projected[unit], points[p_idx[pairs]], radius)
        p_idx, u_idx = p_idx[keep], u_idx[keep].astype(np.int64)
        pairs_point.append(rest[p_idx])
        pairs_unit.append(u_idx)
        # A disc near the edge of the eroded unit (within the circle's sag) reaches a single unit and may still lie in
        # it whole: it does when that unit's edge is farther than the radius (off the set's outline it is not).
        counts = np.bincount(p_idx, minlength=len(rest))
        single = np.flatnonzero(counts == 1)
        if len(single):
            first = np.full(len(rest), -1, dtype=np.int64)
            first[p_idx] = u_idx
            units = first[single]
            far = np.zeros(len(single), dtype=bool)
            for unit in np.unique(units):
                these = np.flatnonzero(units == unit)
                far[these] = ~shapely.dwithin(info.boundaries[unit], points[single[these]], radius)
            whole[rest[single[far]]] = units[far]
    return whole, np.concatenate(pairs_point), np.concatenate(pairs_unit)


def compute_area_units(events: pd.DataFrame, places: pd.DataFrame, boundary_set: BoundarySet, *,
                       settings: Settings) -> pd.DataFrame:
    """
    The units each event's uncertainty area makes doubtful, at every level of a set (the countries too).

    Parameters
    ----------
    events
        Events with `AREA_COLUMNS`.
    places
        Their places in the set (`geo.places.PLACE_COLUMNS`: `country_iso3`, `admin1_code`, `admin2_code`), indexed
        like `events`.
    boundary_set
        The set.
    settings
        The settings (their `uncertainty` areas).

    Returns
    -------
    One row per event, level and unit where the count is not certain (`AREA_UNIT_COLUMNS` and `event`, the event's
    index label): `in_doubt` True for the unit the event is counted in when its area reaches beyond it, False for
    another unit of the set its area reaches. `level` is 0 (country), 1 (admin 1) or 2 (admin 2); `country_iso3`
    that of the unit. Events whose area lies in the unit they are counted in, and reaches no other, have no row.
    """
    n = len(events)
    if n == 0:
        return pd.DataFrame({"event": pd.Series([], dtype=object), **_empty_columns()})
    radius, kind = event_areas(events, settings)
    labels = events.index.to_numpy()
    countries = events["country_iso3"].fillna("").to_numpy(dtype=object)
    placed = {
        "country": places["country_iso3"].fillna("").to_numpy(dtype=object),
        **{level: places[f"{level}_code"].fillna("").to_numpy(dtype=object) for level in boundary_set.levels},
    }
    # Whole-unit areas: the unit named, else the one the event is placed in; without it, the point itself.
    target = np.full(n, "", dtype=object)
    by_unit = kind != ""
    for unit_kind, names in (("admin1", "admin1_declared"), ("admin2", "admin2_declared")):
        rows = np.flatnonzero(kind == unit_kind)
        if len(rows) == 0:
            continue
        if unit_kind not in boundary_set.levels:
            kind[rows] = ""
            continue
        declared = events[names].fillna("").to_numpy(dtype=object)[rows]
        target[rows] = _named_units(boundary_set, unit_kind, declared, countries[rows], placed[unit_kind][rows], settings)
    rows = np.flatnonzero(kind == "country")
    if len(rows):
        held = set(_level(boundary_set, "country").codes)
        target[rows] = [c if c in held else (p if p in held else "") for c, p in zip(countries[rows], placed["country"][rows])]
    lost = by_unit & (target == "")
    kind[lost] = ""  # nothing named or placed: the point
    radius[lost] = 0.0
    by_unit = kind != ""
    lon = events["longitude"].to_numpy(dtype=np.float64)
    lat = events["latitude"].to_numpy(dtype=np.float64)
    valid = np.isfinite(lon) & np.isfinite(lat)
    x = np.full(n, np.nan)
    y = np.full(n, np.nan)
    discs = np.flatnonzero(~by_unit & (radius > 0) & valid)
    points = np.flatnonzero(~by_unit & ~((radius > 0) & valid))
    if len(discs):
        x[discs], y[discs] = _PROJECT.transform(lon[discs], lat[discs])

    frames = []
    for level in area_levels(boundary_set):
        info = _level(boundary_set, level)
        here = placed[level]
        counted = np.isin(here, info.codes) if level == "country" else ~np.isin(here, _SPECIAL)
        event_rows: list[np.ndarray] = []
        unit_rows: list[np.ndarray] = []
        doubt = np.zeros(n, dtype=bool)
        # Points: certain where they lie inside the unit they are counted in; a snapped or outside point reaches none.
        if len(points):
            coverage = places["coverage"].to_numpy(dtype=object)[points]
            doubt[points] = counted[points] & (coverage != "inside")
            lone = points[~counted[points] & (coverage == "inside") & valid[points]]
            if len(lone) and level != "country":  # counted in no unit of this level, yet lying in one
                position = _containing(boundary_set, level, lon[lone], lat[lone])
                hit = position >= 0
                event_rows.append(lone[hit])
                unit_rows.append(info.codes[position[hit]])
        # Discs of each radius.
        for r in np.unique(radius[discs]):
            group = discs[radius[discs] == r]
            whole, pair_point, pair_unit = _reach_of_discs(info, x[group], y[group], float(r))
            certain = (whole >= 0) & (info.codes[np.maximum(whole, 0)] == here[group])
            doubt[group] = counted[group] & ~certain
            event_rows.append(group[pair_point])
            unit_rows.append(info.codes[pair_unit])
        # Whole units.
        unit_events = np.flatnonzero(by_unit)
        if len(unit_events):
            reached = _reach_of_units(boundary_set, level, kind[unit_events], target[unit_events])
            certain = np.array([len(u) == 1 and u[0] == p for u, p in zip(reached, here[unit_events])], dtype=bool)
            doubt[unit_events] = counted[unit_events] & ~certain
            lengths = np.fromiter((len(u) for u in reached), dtype=np.int64, count=len(unit_events))
            if lengths.sum():
                event_rows.append(np.repeat(unit_events, lengths))
                unit_rows.append(np.concatenate(reached).astype(object))
        # Rows: the unit counted in, when in doubt; every other unit reached.
        doubtful = np.flatnonzero(doubt)
        if len(doubtful):
            frames.append(pd.DataFrame({"event": labels[doubtful], "level": LEVEL_CODES[level], "unit_code": here[doubtful],
                                        "in_doubt": True}))
        if event_rows:
            reach_events = np.concatenate(event_rows)
            reach_units = np.concatenate(unit_rows).astype(object)
            other = reach_units != here[reach_events]
            frames.append(pd.DataFrame({"event": labels[reach_events[other]], "level": LEVEL_CODES[level],
                                        "unit_code": reach_units[other], "in_doubt": False}))
    if not frames:
        return pd.DataFrame({"event": pd.Series([], dtype=labels.dtype), **_empty_columns()})
    out = pd.concat(frames, ignore_index=True)
    countries_of = pd.concat([
        pd.DataFrame({"level": LEVEL_CODES[level], "unit_code": _level(boundary_set, level).codes,
                      "country_iso3": _level(boundary_set, level).countries})
        for level in area_levels(boundary_set)
    ], ignore_index=True)
    out["level"] = out["level"].astype(np.int64)
    out = out.merge(countries_of.astype({"level": np.int64}), on=["level", "unit_code"], how="left")
    out["country_iso3"] = out["country_iso3"].fillna("").astype(object)
    out["in_doubt"] = out["in_doubt"].astype(bool)
    return out[["event", *AREA_UNIT_COLUMNS]]


def _empty_columns() -> dict:
    return {"level": pd.Series([], dtype=np.int64), "unit_code": pd.Series([], dtype=object),
            "country_iso3": pd.Series([], dtype=object), "in_doubt": pd.Series([], dtype=bool)}


def _containing(boundary_set: BoundarySet, level: str, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Position of the unit of `level` containing each point (-1 if none), as placing finds it."""
    position, _, _ = assign_units(lon, lat, boundary_set.units(level), tolerance_m=0, index=unit_index(boundary_set, level))
    return position


def describe_rules(settings: Settings) -> dict[str, dict[int, str]]:
    """The areas in words per scale and code ("25 km", "the whole admin1 unit"), for method texts.

    Parameters
    ----------
    settings
        The settings (their `uncertainty` areas).

    Returns
    -------
    dict[str, dict[int, str]]
        Per scale ("acled", "ucdp"), per precision code, the area in words.
    """
    return {scale: {code: area.describe() for code, area in sorted(areas.items())} for scale, areas in settings.uncertainty.items()}


__all__ = [
    "AREA_COLUMNS", "AREA_UNIT_COLUMNS", "LEVEL_CODES", "PrecisionArea", "area_levels", "compute_area_units",
    "describe_rules", "event_areas", "precision_scale", "rules_fingerprint",
]
