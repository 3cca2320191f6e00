"""The geometry of the borders between Mali, Burkina Faso and Niger: the shared borders as lines, the tri-border point, geodesic distances to them, and distance bands.

Geometry comes from the admin-0 outlines of a boundary set (the shipped sets dissolve them from the same
polygons as their units, so shared borders are their common edges). Distances are geodesic: the nearest
border point is found in an azimuthal equidistant projection centred on the tri-border area, and the
distance to it is then measured on the WGS84 ellipsoid. Each stored event's border attributes are
computed once, when it is placed (`geo.places`); `geo.borders` turns them into tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .boundaries import BoundarySet
from .caching import Unkeyed
from .crs import GEOGRAPHIC_CRS
from .errors import AtlasError

#: The three shared borders, named by ISO 3166-1 alpha-2 pairs as analysts write them.
BORDERS = {"ML-BF": ("MLI", "BFA"), "ML-NE": ("MLI", "NER"), "BF-NE": ("BFA", "NER")}
DEFAULT_BANDS_KM = (10.0, 50.0, 100.0)
SWAC_BANDS_KM = (50.0, 100.0, 150.0, 200.0)
OUTSIDE_BORDER = "_OUTSIDE"  # events outside the three countries
IMPRECISE_BORDER = "_IMPRECISE"  # locations too vague for a distance (UCDP where_prec 5-7)
NOT_APPLICABLE = "n/a"
GEOD = pyproj.Geod(ellps="WGS84")


@dataclass(frozen=True)
class BorderGeometry:
    """Shared borders (EPSG:4326 lines), the tri-border point and the projection used for distances."""

    lines: gpd.GeoDataFrame  # columns: border, geometry
    tri_point: shapely.Point
    crs: str

    @property
    def projected(self) -> gpd.GeoDataFrame:
        """The border lines in the set's projected CRS (metres)."""
        return self.lines.to_crs(self.crs)

    @cached_property
    def segments(self) -> BorderSegments:
        """The projected borders cut into short straight segments, for nearest-border searches."""
        return BorderSegments.of(self)


#: Longest segment the borders are cut into (m), and how many nearest midpoints are compared per point.
_SEGMENT_M = 2_000.0
_CANDIDATES = 16
_CHUNK = 50_000


@dataclass(frozen=True)
class BorderSegments:
    """The shared borders as straight segments of at most `_SEGMENT_M` (projected metres), with the border each belongs to and a k-d tree over their midpoints.

    A point's nearest segment is found exactly: among the segments of its few nearest midpoints, the closest
    gives a distance d; any segment closer than that has its midpoint within d + half a segment's length, so
    only when such a midpoint lies beyond those few are more compared — instead of every segment of every
    border for every point.
    """

    start: np.ndarray  # (n, 2)
    end: np.ndarray  # (n, 2)
    border: np.ndarray  # (n,) border code
    tree: object  # scipy.spatial.cKDTree over the midpoints

    @classmethod
    def of(cls, geometry: BorderGeometry) -> BorderSegments:
        """The straight segments of border lines, in the projected CRS, for nearest-point queries.

        Parameters
        ----------
        geometry
            The shared borders of the three countries (:func:`geo.borders.shared_borders`).

        Returns
        -------
        BorderSegments
            The segments with the border each belongs to.
        """
        from scipy.spatial import cKDTree

        starts, ends, owners = [], [], []
        for code, line in zip(geometry.lines["border"], geometry.projected.geometry.values):
            for part in shapely.get_parts(shapely.segmentize(line, _SEGMENT_M)):
                coords = shapely.get_coordinates(part)
                if len(coords) < 2:
                    continue
                starts.append(coords[:-1])
                ends.append(coords[1:])
                owners.append(np.full(len(coords) - 1, code, dtype=object))
        start, end = np.concatenate(starts), np.concatenate(ends)
        return cls(start, end, np.concatenate(owners), cKDTree((start + end) / 2.0))

    def nearest(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each point: the index of its nearest segment and the nearest point on it (x, y).

        Parameters
        ----------
        x
            Projected x of each point.
        y
            Projected y of each point.

        Returns
        -------
        tuple[np.ndarray, np.ndarray, np.ndarray]
            (index of the nearest segment, x and y of the nearest point on it), one per point.
        """
        if len(x) > _CHUNK:  # bounded memory: (points × candidates) arrays a chunk at a time
            parts = [self.nearest(x[i:i + _CHUNK], y[i:i + _CHUNK]) for i in range(0, len(x), _CHUNK)]
            return tuple(np.concatenate([p[j] for p in parts]) for j in range(3))
        x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
        best = np.zeros(len(x), dtype=np.int64)
        qx, qy, best_d = np.empty(len(x)), np.empty(len(x)), np.full(len(x), np.inf)
        todo = np.arange(len(x))
        k = _CANDIDATES
        # Among the segments of the k nearest midpoints, the closest gives d. It is exact when the k-th midpoint
        # is farther than d + half a segment (every other segment is farther still); the other points are
        # looked at again with more candidates, and at last with all segments.
        while len(todo):
            k = min(k, len(self.start))
            mid_d, index = self.tree.query(np.column_stack([x[todo], y[todo]]), k=k)
            index = index.reshape(len(todo), k)
            b, bx, by, bd = self._closest(x[todo], y[todo], index)
            best[todo], qx[todo], qy[todo], best_d[todo] = b, bx, by, bd
            if k == len(self.start):
                break
            todo = todo[mid_d.reshape(len(todo), k)[:, -1] <= bd + self.half_length]
            k *= 4
        return best, qx, qy

    @cached_property
    def half_length(self) -> float:
        """Half the length of the longest segment: how far a query must look beyond the nearest segment's midpoint."""
        return float(np.hypot(self.end[:, 0] - self.start[:, 0], self.end[:, 1] - self.start[:, 1]).max() / 2.0)

    def _closest(self, x: np.ndarray, y: np.ndarray, index: np.ndarray) -> tuple[np.ndarray, ...]:
        """Among the candidate segments `index` (n, k) of each point, the closest and the nearest point on it."""
        ax, ay = self.start[index, 0], self.start[index, 1]
        dx, dy = self.end[index, 0] - ax, self.end[index, 1] - ay
        px, py = x[:, None] - ax, y[:, None] - ay
        length2 = dx * dx + dy * dy
        t = np.clip((px * dx + py * dy) / np.where(length2 > 0, length2, 1.0), 0.0, 1.0)
        ex, ey = px - t * dx, py - t * dy  # from the nearest point of each segment to the point
        pick = (ex * ex + ey * ey).argmin(axis=1)
        rows = np.arange(len(x))
        tx, ty = ex[rows, pick], ey[rows, pick]
        return index[rows, pick].astype(np.int64), x - tx, y - ty, np.hypot(tx, ty)


def _aeqd(lon: float, lat: float) -> str:
    return f"+proj=aeqd +lat_0={lat:.5f} +lon_0={lon:.5f} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


def shared_borders(boundary_set: BoundarySet) -> BorderGeometry:
    """The ML–BF, ML–NE and BF–NE borders as lines, and the point where the three meet.

    Parameters
    ----------
    boundary_set
        The boundary set.

    Returns
    -------
    BorderGeometry
        The ML–BF, ML–NE and BF–NE borders as lines, and the point where the three meet.

    Raises
    ------
    AtlasError
        When the set's country outlines lack one of the three countries or a pair shares no edge.
    """
    return _shared_borders(boundary_set.version, Unkeyed(boundary_set))


@lru_cache(maxsize=16)
def _shared_borders(version: str, keyed: Unkeyed) -> BorderGeometry:
    boundary_set = keyed.value
    countries = boundary_set.countries().set_index("country_iso3")
    missing = [c for c in ("MLI", "BFA", "NER") if c not in countries.index]
    if missing:
        raise AtlasError(f"the country outlines lack {', '.join(missing)}; shared borders cannot be drawn")
    outline = {c: countries.loc[c, "geometry"] for c in ("MLI", "BFA", "NER")}
    rows = []
    for name, (a, b) in BORDERS.items():
        # Common edges: the intersection of the two outlines' boundaries, merged into lines.
        shared = shapely.intersection(outline[a].boundary, outline[b].boundary)
        lines = [g for g in shapely.get_parts(shared) if g.geom_type in ("LineString", "MultiLineString")]
        if not lines:
            raise AtlasError(f"{a} and {b} share no edge in these outlines")
        rows.append({"border": name, "geometry": shapely.line_merge(shapely.union_all(lines))})
    lines = gpd.GeoDataFrame(rows, geometry="geometry", crs=GEOGRAPHIC_CRS)
    meet = shapely.intersection(lines.geometry.iloc[0], shapely.union_all(lines.geometry.iloc[1:].values))
    points = [p for p in shapely.get_parts(meet) if p.geom_type == "Point"] or [meet.centroid]
    tri = shapely.Point(np.mean([p.x for p in points]), np.mean([p.y for p in points]))
    return BorderGeometry(lines=lines, tri_point=tri, crs=_aeqd(tri.x, tri.y))


def parse_bands(text: str | None) -> tuple[float, ...]:
    """'10,50,100' → (10.0, 50.0, 100.0); raises AtlasError with a clear message.

    Parameters
    ----------
    text
        Band edges in km, comma-separated ("10,50,100"); None or "" for the default edges.

    Returns
    -------
    tuple[float, ...]
        The edges, ascending.
    """
    if not text:
        return DEFAULT_BANDS_KM
    try:
        edges = tuple(float(p) for p in text.split(",") if p.strip())
    except ValueError:
        raise AtlasError(f"--bands {text!r} must be comma-separated distances in km, e.g. 10,50,100") from None
    if not edges or any(e <= 0 for e in edges) or list(edges) != sorted(set(edges)):
        raise AtlasError(f"--bands {text!r} must be increasing positive distances in km, e.g. 10,50,100")
    return edges


def band_labels(edges: tuple[float, ...]) -> list[str]:
    """Labels of the bands: '0-10', '10-50', '50-100', '100+'.

    Parameters
    ----------
    edges
        Band edges in km, ascending.

    Returns
    -------
    list[str]
        Labels of the bands: '0-10', '10-50', '50-100', '100+'.
    """
    def fmt(v: float) -> str:
        return f"{v:g}"

    lows = (0.0, *edges)
    return [f"{fmt(lo)}-{fmt(hi)}" for lo, hi in zip(lows, edges)] + [f"{fmt(edges[-1])}+"]


def distance_to_borders(
    longitude: np.ndarray, latitude: np.ndarray, geometry: BorderGeometry
) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic distance (km) from each point to the nearest shared border, and which border that is.

    Parameters
    ----------
    longitude
        Longitude of each point (EPSG:4326).
    latitude
        Latitude of each point (EPSG:4326).
    geometry
        The shared borders of the three countries (:func:`geo.borders.shared_borders`).

    Returns
    -------
    (distance_km with NaN for missing coordinates, border name or "")
    """
    n = len(longitude)
    distance = np.full(n, np.nan)
    nearest_border = np.full(n, "", dtype=object)
    valid = np.isfinite(longitude) & np.isfinite(latitude)
    if not valid.any():
        return distance, nearest_border
    # Each distinct place once (events repeat places), then its nearest border segment.
    places, inverse = np.unique(np.column_stack([longitude[valid], latitude[valid]]), axis=0, return_inverse=True)
    to_proj = pyproj.Transformer.from_crs(GEOGRAPHIC_CRS, geometry.crs, always_xy=True)
    x, y = to_proj.transform(places[:, 0], places[:, 1])
    segments = geometry.segments
    index, qx, qy = segments.nearest(np.asarray(x), np.asarray(y))
    # The nearest point on the nearest border, back in degrees, then the geodesic distance to it.
    to_geo = pyproj.Transformer.from_crs(geometry.crs, GEOGRAPHIC_CRS, always_xy=True)
    lon2, lat2 = to_geo.transform(qx, qy)
    _, _, metres = GEOD.inv(places[:, 0], places[:, 1], lon2, lat2)
    distance[valid] = (np.asarray(metres) / 1000.0)[inverse.ravel()]
    nearest_border[valid] = segments.border[index][inverse.ravel()]
    return distance, nearest_border


def band_of(distance_km: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """Band label of each distance ([low, high) intervals); "" for NaN.

    Parameters
    ----------
    distance_km
        Distances to the nearest shared border, in km.
    edges
        Band edges in km, ascending.

    Returns
    -------
    np.ndarray
        The band label of each distance ("0-10", "10-50", "100+"; "" for NaN).
    """
    labels = np.array(band_labels(edges), dtype=object)
    index = np.searchsorted(np.asarray(edges), distance_km, side="right")
    out = labels[np.minimum(index, len(labels) - 1)]
    out[~np.isfinite(distance_km)] = ""
    return out


def border_attributes(events: pd.DataFrame, placements: pd.DataFrame, geometry: BorderGeometry) -> pd.DataFrame:
    """Per event: country (spatial), nearest shared border, geodesic distance to it (km) and to the tri-border point (km).

    Events outside the three countries get border `_OUTSIDE`; events whose location is too vague for a distance
    (no admin unit can be given) get `_IMPRECISE`.

    These are what the store keeps per event (`geo.places`); bands and the tri-border zone follow from
    them for any band edges and radius.

    Parameters
    ----------
    events
        Canonical events (the columns of :mod:`geo.schema`).
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).
    geometry
        The shared borders of the three countries (:func:`geo.borders.shared_borders`).

    Returns
    -------
    pd.DataFrame
        Per event (same index): country_iso3, border, distance_km and tri_km.
    """
    lon = events["longitude"].to_numpy(dtype=float)
    lat = events["latitude"].to_numpy(dtype=float)
    distance, border = distance_to_borders(lon, lat, geometry)
    country = placements["unit_country_iso3"].to_numpy(dtype=object)
    in_three = np.isin(country, ["MLI", "BFA", "NER"]) & (placements["coverage"].to_numpy() != "outside")
    imprecise = events["max_admin_level"].to_numpy() == 0
    border = np.where(imprecise, IMPRECISE_BORDER, border)
    border = np.where(in_three, border, OUTSIDE_BORDER)
    # The projection is azimuthal equidistant about the tri-border point: distances from it are geodesic.
    tri_x, tri_y = pyproj.Transformer.from_crs(GEOGRAPHIC_CRS, geometry.crs, always_xy=True).transform(lon, lat)
    tri_m = np.hypot(tri_x, tri_y)
    return pd.DataFrame(
        {
            "country_iso3": country,
            "border": border,
            "distance_km": np.round(distance, 3),
            "tri_km": np.round(np.asarray(tri_m) / 1000.0, 3),
        },
        index=events.index,
    )


def band_polygons(geometry: BorderGeometry, boundary_set: BoundarySet, bands: tuple[float, ...]) -> gpd.GeoDataFrame:
    """The distance bands as polygons inside the three countries (for shading on maps).

    Parameters
    ----------
    geometry
        The shared borders of the three countries (:func:`geo.borders.shared_borders`).
    boundary_set
        The boundary set.
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).

    Returns
    -------
    gpd.GeoDataFrame
        The distance bands as polygons inside the three countries (for shading on maps).
    """
    countries = boundary_set.countries().set_index("country_iso3")
    three = shapely.union_all([countries.loc[c, "geometry"] for c in ("MLI", "BFA", "NER")])
    lines = shapely.union_all(geometry.projected.geometry.values)
    area = gpd.GeoSeries([three], crs=GEOGRAPHIC_CRS).to_crs(geometry.crs).iloc[0]
    rows, inner = [], None
    for label, edge in zip(band_labels(bands)[:-1], bands):
        ring = shapely.intersection(shapely.buffer(lines, edge * 1000.0, quad_segs=8), area)
        piece = ring if inner is None else shapely.difference(ring, inner)
        rows.append({"band": label, "geometry": piece})
        inner = ring
    out = gpd.GeoDataFrame(rows, geometry="geometry", crs=geometry.crs).to_crs(GEOGRAPHIC_CRS)
    out["geometry"] = shapely.simplify(out.geometry.values, 0.005, preserve_topology=True)
    return out


def tri_border_zone(geometry: BorderGeometry, radius_km: float = 100.0) -> shapely.Geometry:
    """The disc of `radius_km` around the tri-border point (EPSG:4326).

    Parameters
    ----------
    geometry
        The shared borders of the three countries (:func:`geo.borders.shared_borders`).
    radius_km
        The radius of the tri-border zone, in km.

    Returns
    -------
    shapely.Geometry
        The disc of `radius_km` around the tri-border point (EPSG:4326).
    """
    disc = shapely.Point(0, 0).buffer(radius_km * 1000.0, quad_segs=32)
    return gpd.GeoSeries([disc], crs=geometry.crs).to_crs(GEOGRAPHIC_CRS).iloc[0]
