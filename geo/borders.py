"""Border-crossing analysis: the shared borders of Mali, Burkina Faso and Niger, distance bands, the
tri-border zone, cross-border event pairs and cross-border actors.

Geometry comes from the admin-0 outlines of a boundary set (the shipped set dissolves them from the same
polygons as its units, so shared borders are their common edges). Distances are geodesic: the nearest
border point is found in an azimuthal equidistant projection centred on the tri-border area, and the
distance to it is then measured on the WGS84 ellipsoid.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from .aggregate import Filters, filter_mask, period_labels
from .boundaries import BoundarySet
from .crs import GEOGRAPHIC_CRS
from .errors import AtlasError

#: The three shared borders, named by ISO 3166-1 alpha-2 pairs as analysts write them.
BORDERS = {"ML-BF": ("MLI", "BFA"), "ML-NE": ("MLI", "NER"), "BF-NE": ("BFA", "NER")}
DEFAULT_BANDS_KM = (10.0, 50.0, 100.0)
SWAC_BANDS_KM = (50.0, 100.0, 150.0, 200.0)
OUTSIDE_BORDER = "_OUTSIDE"  # events outside the three countries
IMPRECISE_BORDER = "_IMPRECISE"  # locations too vague for a distance (UCDP where_prec 5-7)
NOT_APPLICABLE = "n/a"
_GEOD = pyproj.Geod(ellps="WGS84")
_CIVILIAN_LIKE = ("civilians", "protesters", "rioters")


@dataclass(frozen=True)
class BorderGeometry:
    """Shared borders (EPSG:4326 lines), the tri-border point and the projection used for distances."""

    lines: gpd.GeoDataFrame  # columns: border, geometry
    tri_point: shapely.Point
    crs: str

    @property
    def projected(self) -> gpd.GeoDataFrame:
        return self.lines.to_crs(self.crs)


def _aeqd(lon: float, lat: float) -> str:
    return f"+proj=aeqd +lat_0={lat:.5f} +lon_0={lon:.5f} +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs"


def shared_borders(boundary_set: BoundarySet) -> BorderGeometry:
    """
    The ML–BF, ML–NE and BF–NE borders as lines, and the point where the three meet.

    Raises
    ------
    AtlasError
        When the set's country outlines lack one of the three countries or a pair shares no edge.
    """
    key = boundary_set.version
    if key not in _GEOMETRY_CACHE:
        _GEOMETRY_CACHE[key] = _shared_borders(boundary_set)
    return _GEOMETRY_CACHE[key]


_GEOMETRY_CACHE: dict[str, BorderGeometry] = {}


def _shared_borders(boundary_set: BoundarySet) -> BorderGeometry:
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
    """'10,50,100' → (10.0, 50.0, 100.0); raises AtlasError with a clear message."""
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
    """Labels of the bands: '0-10', '10-50', '50-100', '100+'."""
    def fmt(v: float) -> str:
        return f"{v:g}"

    lows = (0.0, *edges)
    return [f"{fmt(lo)}-{fmt(hi)}" for lo, hi in zip(lows, edges)] + [f"{fmt(edges[-1])}+"]


def distance_to_borders(
    longitude: np.ndarray, latitude: np.ndarray, geometry: BorderGeometry
) -> tuple[np.ndarray, np.ndarray]:
    """
    Geodesic distance (km) from each point to the nearest shared border, and which border that is.

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
    to_proj = pyproj.Transformer.from_crs(GEOGRAPHIC_CRS, geometry.crs, always_xy=True)
    x, y = to_proj.transform(longitude[valid], latitude[valid])
    points = shapely.points(x, y)
    lines = geometry.projected.geometry.values
    planar = np.stack([shapely.distance(points, line) for line in lines])
    which = planar.argmin(axis=0)
    # The nearest point on the nearest border, back in degrees, then the geodesic distance to it.
    nearest = np.empty(len(points), dtype=object)
    for i, line in enumerate(lines):
        pick = which == i
        if pick.any():
            nearest[pick] = shapely.shortest_line(points[pick], line)
    end_x = shapely.get_coordinates(shapely.get_point(nearest, 1))
    to_geo = pyproj.Transformer.from_crs(geometry.crs, GEOGRAPHIC_CRS, always_xy=True)
    lon2, lat2 = to_geo.transform(end_x[:, 0], end_x[:, 1])
    _, _, metres = _GEOD.inv(longitude[valid], latitude[valid], lon2, lat2)
    distance[valid] = np.asarray(metres) / 1000.0
    nearest_border[valid] = geometry.lines["border"].to_numpy()[which]
    return distance, nearest_border


def band_of(distance_km: np.ndarray, edges: tuple[float, ...]) -> np.ndarray:
    """Band label of each distance ([low, high) intervals); "" for NaN."""
    labels = np.array(band_labels(edges), dtype=object)
    index = np.searchsorted(np.asarray(edges), distance_km, side="right")
    out = labels[np.minimum(index, len(labels) - 1)]
    out[~np.isfinite(distance_km)] = ""
    return out


def event_borders(
    events: pd.DataFrame,
    placements: pd.DataFrame,
    geometry: BorderGeometry,
    *,
    bands: tuple[float, ...] = DEFAULT_BANDS_KM,
    tri_radius_km: float = 100.0,
) -> pd.DataFrame:
    """
    Per event: country (spatial), nearest shared border, distance to it (km), band, and whether it is
    in the tri-border zone. Events outside the three countries get border `_OUTSIDE`; events whose
    location is too vague for a distance (no admin unit can be given) get `_IMPRECISE`.
    """
    lon = events["longitude"].to_numpy(dtype=float)
    lat = events["latitude"].to_numpy(dtype=float)
    distance, border = distance_to_borders(lon, lat, geometry)
    country = placements["unit_country_iso3"].to_numpy(dtype=object)
    in_three = np.isin(country, ["MLI", "BFA", "NER"]) & (placements["coverage"].to_numpy() != "outside")
    imprecise = events["max_admin_level"].to_numpy() == 0
    band = band_of(distance, bands)
    border = np.where(imprecise, IMPRECISE_BORDER, border)
    border = np.where(in_three, border, OUTSIDE_BORDER)
    band = np.where((border == OUTSIDE_BORDER) | (border == IMPRECISE_BORDER), NOT_APPLICABLE, band)
    _, _, tri_m = _GEOD.inv(lon, lat, np.full_like(lon, geometry.tri_point.x), np.full_like(lat, geometry.tri_point.y))
    return pd.DataFrame(
        {
            "country_iso3": country,
            "border": border,
            "distance_km": np.round(distance, 3),
            "band": band,
            "tri_border_zone": (np.asarray(tri_m) / 1000.0 <= tri_radius_km) & in_three,
        },
        index=events.index,
    )


BORDER_COLUMNS = [
    "source", "period", "border", "band", "events", "fatalities", "civilian_events", "share_events",
    "share_fatalities",
]


def border_table(
    events: pd.DataFrame,
    placements: pd.DataFrame,
    geometry: BorderGeometry,
    *,
    filters: Filters | None = None,
    period: str = "year",
    bands: tuple[float, ...] = DEFAULT_BANDS_KM,
) -> pd.DataFrame:
    """
    Events and fatalities per source, period, nearest shared border and distance band.

    `share_events` / `share_fatalities` are shares of the source's events (fatalities) of that period
    in the three countries. Every filtered event is in exactly one row (`_OUTSIDE` / `_IMPRECISE` rows
    included), so the sums of a period equal the events counted. The CLI `python -m geo borders` and the
    Borders page both call this.
    """
    keep = filter_mask(events, filters or Filters(), placements)
    kept, placed = events.loc[keep], placements.loc[keep]
    located = event_borders(kept, placed, geometry, bands=bands)
    frame = pd.DataFrame(
        {
            "source": kept["source_dataset"].to_numpy(),
            "period": period_labels(kept["event_date"], period).to_numpy(),
            "border": located["border"].to_numpy(),
            "band": located["band"].to_numpy(),
            "events": 1,
            "fatalities": kept["fatalities"].to_numpy(),
            "civilian_events": kept["civilian_targeting"].astype(int).to_numpy(),
        }
    )
    if frame.empty:
        return pd.DataFrame(columns=BORDER_COLUMNS)
    table = frame.groupby(["source", "period", "border", "band"], as_index=False)[["events", "fatalities", "civilian_events"]].sum()
    counted = table[table["border"].isin(BORDERS)]
    totals = counted.groupby(["source", "period"])[["events", "fatalities"]].sum()
    joined = table.merge(totals.add_suffix("_total"), left_on=["source", "period"], right_index=True, how="left")
    table["share_events"] = (joined["events"] / joined["events_total"]).where(table["border"].isin(BORDERS)).round(4)
    table["share_fatalities"] = (joined["fatalities"] / joined["fatalities_total"]).where(table["border"].isin(BORDERS)).round(4)
    order = {b: i for i, b in enumerate([*BORDERS, IMPRECISE_BORDER, OUTSIDE_BORDER])}
    band_order = {b: i for i, b in enumerate([*band_labels(bands), NOT_APPLICABLE])}
    table = table.assign(_b=table["border"].map(order), _d=table["band"].map(band_order))
    return table.sort_values(["source", "period", "_b", "_d"]).drop(columns=["_b", "_d"]).reset_index(drop=True)[BORDER_COLUMNS]


def share_within(table: pd.DataFrame, km: float, bands: tuple[float, ...]) -> pd.DataFrame:
    """Per source and period: share of events and fatalities within `km` of a shared border (`km` must be a band edge)."""
    if km not in bands:
        raise AtlasError(f"{km:g} km is not a band edge ({', '.join(f'{b:g}' for b in bands)})")
    inner = set(band_labels(bands)[: list(bands).index(km) + 1])
    counted = table[table["border"].isin(BORDERS)]
    near = counted[counted["band"].isin(inner)].groupby(["source", "period"])[["events", "fatalities"]].sum()
    total = counted.groupby(["source", "period"])[["events", "fatalities"]].sum()
    out = total.join(near.add_suffix("_near")).fillna(0)
    out["share_events"] = (out["events_near"] / out["events"]).round(4)
    out["share_fatalities"] = (out["fatalities_near"] / out["fatalities"].where(out["fatalities"] > 0)).round(4)
    return out.reset_index()


def cross_border_pairs(
    events: pd.DataFrame,
    placements: pd.DataFrame,
    geometry: BorderGeometry,
    *,
    max_km: float = 50.0,
    max_days: int = 7,
    same_actor: bool = False,
) -> pd.DataFrame:
    """
    Pairs of events in different countries (of the three) within `max_km` and `max_days` of each other.

    Only events within `max_km` of a shared border can have a partner across it, so the search runs on
    those; a k-d tree over (x, y, time) scaled to the thresholds finds candidate pairs without comparing
    all pairs (fast at 100k events).

    Returns
    -------
    DataFrame: index_a, index_b (event index labels), event ids, dates, countries, distance_km, days,
    shared_actor (the actor both involve, or ""), and the coordinates of both ends.
    """
    from scipy.spatial import cKDTree

    columns = ["index_a", "index_b", "source", "event_id_a", "event_id_b", "date_a", "date_b", "country_a", "country_b",
               "distance_km", "days", "shared_actor", "lon_a", "lat_a", "lon_b", "lat_b"]
    located = event_borders(events, placements, geometry)
    near = (located["distance_km"] <= max_km) & located["border"].isin(list(BORDERS))
    candidates = events.loc[near]
    if len(candidates) < 2:
        return pd.DataFrame(columns=columns)
    to_proj = pyproj.Transformer.from_crs(GEOGRAPHIC_CRS, geometry.crs, always_xy=True)
    x, y = to_proj.transform(candidates["longitude"].to_numpy(float), candidates["latitude"].to_numpy(float))
    days = (candidates["event_date"].to_numpy("datetime64[D]").astype(np.int64)).astype(float)
    scaled = np.column_stack([np.asarray(x) / (max_km * 1000.0), np.asarray(y) / (max_km * 1000.0), days / max(max_days, 1e-9)])
    tree = cKDTree(scaled)
    pairs = tree.query_pairs(r=1.0 + 1e-9, p=np.inf, output_type="ndarray")
    if len(pairs) == 0:
        return pd.DataFrame(columns=columns)
    a, b = pairs[:, 0], pairs[:, 1]
    country = located.loc[candidates.index, "country_iso3"].to_numpy(dtype=object)
    source = candidates["source_dataset"].to_numpy(dtype=object)
    keep = (country[a] != country[b]) & (source[a] == source[b])
    a, b = a[keep], b[keep]
    lon = candidates["longitude"].to_numpy(float)
    lat = candidates["latitude"].to_numpy(float)
    _, _, metres = _GEOD.inv(lon[a], lat[a], lon[b], lat[b])
    km = np.asarray(metres) / 1000.0
    dd = np.abs(days[a] - days[b])
    keep = (km <= max_km) & (dd <= max_days)
    a, b, km, dd = a[keep], b[keep], km[keep], dd[keep]
    shared = _shared_actors(candidates, a, b)
    out = pd.DataFrame(
        {
            "index_a": candidates.index.to_numpy()[a], "index_b": candidates.index.to_numpy()[b],
            "source": source[a],
            "event_id_a": candidates["event_id"].to_numpy()[a], "event_id_b": candidates["event_id"].to_numpy()[b],
            "date_a": candidates["event_date"].to_numpy()[a], "date_b": candidates["event_date"].to_numpy()[b],
            "country_a": country[a], "country_b": country[b], "distance_km": km.round(2), "days": dd.astype(int),
            "shared_actor": shared,
            "lon_a": lon[a], "lat_a": lat[a], "lon_b": lon[b], "lat_b": lat[b],
        }
    )
    if same_actor:
        out = out[out["shared_actor"] != ""]
    return out.sort_values(["date_a", "event_id_a", "event_id_b"]).reset_index(drop=True)[columns]


def _actors(row_actor1: str, row_actor2: str, assoc1: str, assoc2: str) -> set[str]:
    names = {row_actor1, row_actor2, *assoc1.split(";"), *assoc2.split(";")}
    return {n.strip() for n in names if n and n.strip() and not n.strip().lower().startswith(_CIVILIAN_LIKE)}


def _shared_actors(events: pd.DataFrame, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    actors = [
        _actors(*vals)
        for vals in zip(events["actor1"], events["actor2"], events["assoc_actor_1"], events["assoc_actor_2"])
    ]
    return np.array([", ".join(sorted(actors[i] & actors[j])) for i, j in zip(a, b)], dtype=object)


def cross_border_actors(
    events: pd.DataFrame, placements: pd.DataFrame, *, period: str = "year"
) -> pd.DataFrame:
    """
    Per source and period, actors with events in two or more of the three countries, with their event
    counts per country (columns MLI, BFA, NER) and the number of countries.

    Actor names are those of actor1 and actor2 (civilians, protesters and rioters are left out).
    """
    country = placements["unit_country_iso3"]
    in_three = country.isin(["MLI", "BFA", "NER"])
    frames = []
    for column in ("actor1", "actor2"):
        frames.append(
            pd.DataFrame(
                {
                    "source": events.loc[in_three, "source_dataset"],
                    "period": period_labels(events.loc[in_three, "event_date"], period),
                    "actor": events.loc[in_three, column],
                    "country": country[in_three],
                    "event": events.index[in_three.to_numpy()],
                }
            )
        )
    long = pd.concat(frames, ignore_index=True)
    long = long[(long["actor"] != "") & ~long["actor"].str.lower().str.startswith(_CIVILIAN_LIKE)]
    long = long.drop_duplicates(["source", "actor", "event"])  # an actor on both sides counts once
    counts = long.pivot_table(index=["source", "period", "actor"], columns="country", values="event", aggfunc="count", fill_value=0)
    for iso in ("MLI", "BFA", "NER"):
        if iso not in counts:
            counts[iso] = 0
    counts = counts[["MLI", "BFA", "NER"]]
    counts["countries"] = (counts > 0).sum(axis=1)
    counts["events"] = counts[["MLI", "BFA", "NER"]].sum(axis=1)
    out = counts[counts["countries"] >= 2].reset_index()
    out.columns.name = None
    return out.sort_values(["source", "period", "countries", "events"], ascending=[True, True, False, False]).reset_index(drop=True)


def band_polygons(geometry: BorderGeometry, boundary_set: BoundarySet, bands: tuple[float, ...]) -> gpd.GeoDataFrame:
    """The distance bands as polygons inside the three countries (for shading on maps)."""
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
    """The disc of `radius_km` around the tri-border point (EPSG:4326)."""
    disc = shapely.Point(0, 0).buffer(radius_km * 1000.0, quad_segs=32)
    return gpd.GeoSeries([disc], crs=geometry.crs).to_crs(GEOGRAPHIC_CRS).iloc[0]
