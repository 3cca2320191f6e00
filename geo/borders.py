"""Border-crossing analysis: violence per shared border and distance band, the tri-border zone, cross-border event pairs and cross-border actors — of events in memory (an upload, tests) and of the stored events, whose border attributes were computed once when they were placed (`geo.places`).

The geometry (shared borders, distances, bands) is in `geo.border_geometry`; its names are re-exported
here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyproj

from . import query
from .border_geometry import (
    BORDERS,
    DEFAULT_BANDS_KM,
    GEOD,
    IMPRECISE_BORDER,
    NOT_APPLICABLE,
    OUTSIDE_BORDER,
    SWAC_BANDS_KM,
    BorderGeometry,
    band_labels,
    band_of,
    band_polygons,
    border_attributes,
    distance_to_borders,
    parse_bands,
    shared_borders,
    tri_border_zone,
)
from .boundaries import BoundarySet
from .config import get_settings
from .crs import GEOGRAPHIC_CRS
from .errors import AtlasError
from .filters import Filters, filter_mask, period_labels
from .places import ensure_placement
from .store import Store

__all__ = [
    "BORDERS", "BORDER_COLUMNS", "DEFAULT_BANDS_KM", "IMPRECISE_BORDER", "NOT_APPLICABLE", "OUTSIDE_BORDER", "PAIR_COLUMNS",
    "SWAC_BANDS_KM", "BorderGeometry", "TooManyPairs", "actor_table", "band_labels", "band_of", "band_polygons", "border_attributes",
    "border_table", "cross_border_actors", "cross_border_pairs", "distance_to_borders", "event_borders",
    "finish_border_table", "pairs_among", "parse_bands", "share_within", "shared_borders", "tri_border_zone",
]

_CIVILIAN_LIKE = ("civilians", "protesters", "rioters")


def event_borders(
    events: pd.DataFrame,
    placements: pd.DataFrame,
    geometry: BorderGeometry,
    *,
    bands: tuple[float, ...] = DEFAULT_BANDS_KM,
    tri_radius_km: float = 100.0,
) -> pd.DataFrame:
    """Per event: `border_attributes`, plus the distance band and whether it is in the tri-border zone (events outside the three countries or too vaguely located get band "n/a" and no zone).

    Parameters
    ----------
    events
        Canonical events (the columns of :mod:`geo.schema`).
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).
    geometry
        The shared borders of the three countries (:func:`geo.borders.shared_borders`).
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).
    tri_radius_km
        The radius of the tri-border zone, in km.

    Returns
    -------
    pd.DataFrame
        Per event (same index): country_iso3, border, distance_km, band and in_tri_zone.
    """
    located = border_attributes(events, placements, geometry)
    counted = located["border"].isin(list(BORDERS)).to_numpy()
    band = np.where(counted, band_of(located["distance_km"].to_numpy(dtype=float), bands), NOT_APPLICABLE)
    return pd.DataFrame(
        {
            "country_iso3": located["country_iso3"],
            "border": located["border"],
            "distance_km": located["distance_km"],
            "band": band,
            "tri_border_zone": (located["tri_km"] < tri_radius_km) & (located["border"] != OUTSIDE_BORDER),
        },
        index=events.index,
    )


#: Columns of the border table (`python -m geo borders`); new ones are appended at the end.
BORDER_COLUMNS = [
    "source", "period", "border", "band", "events", "fatalities", "civilian_events", "share_events",
    "share_fatalities", "civilian_fatalities", "share_civilian_fatalities",
]
_FIGURES = ["events", "fatalities", "civilian_events", "civilian_fatalities"]


def border_table(
    events: pd.DataFrame,
    placements: pd.DataFrame,
    geometry: BorderGeometry,
    *,
    filters: Filters | None = None,
    period: str = "year",
    bands: tuple[float, ...] = DEFAULT_BANDS_KM,
) -> pd.DataFrame:
    """Events and fatalities per source, period, nearest shared border and distance band, of events in memory.

    Stored events: `geo.query.border_figures`, then `finish_border_table`, give the same table.

    `share_events` / `share_fatalities` / `share_civilian_fatalities` are shares of the source's events
    (fatalities, fatalities of events targeting civilians) of that period in the three countries. Every filtered event is in exactly one row (`_OUTSIDE` / `_IMPRECISE` rows
    included), so the sums of a period equal the events counted.

    Parameters
    ----------
    events
        Canonical events (the columns of :mod:`geo.schema`).
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).
    geometry
        The shared borders of the three countries (:func:`geo.borders.shared_borders`).
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    period
        The period of the rows: "year", "quarter" or "month".
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).

    Returns
    -------
    pd.DataFrame
        The border table (columns of :func:`finish_border_table`).
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
            "civilian_fatalities": kept["fatalities"].where(kept["civilian_targeting"], 0).to_numpy(),
        }
    )
    if frame.empty:
        return pd.DataFrame(columns=BORDER_COLUMNS)
    table = frame.groupby(["source", "period", "border", "band"], as_index=False)[_FIGURES].sum()
    return finish_border_table(table, bands)


def finish_border_table(table: pd.DataFrame, bands: tuple[float, ...]) -> pd.DataFrame:
    """The border table from figures per source, period, border and band: shares of each period's events and fatalities in the three countries, rows in border and band order (`BORDER_COLUMNS`).

    The CLI `python -m geo borders` and the Borders page both show it.

    Parameters
    ----------
    table
        Events and fatalities (and civilian figures) per source, period, border and band.
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).

    Returns
    -------
    pd.DataFrame
        The rows with their shares, in border and band order.
    """
    if table.empty:
        return pd.DataFrame(columns=BORDER_COLUMNS)
    table = table.copy()
    counted = table[table["border"].isin(BORDERS)]
    shared = ["events", "fatalities", "civilian_fatalities"]
    totals = counted.groupby(["source", "period"])[shared].sum()
    joined = table.merge(totals.add_suffix("_total"), left_on=["source", "period"], right_index=True, how="left")
    for column in shared:
        table[f"share_{column}"] = (joined[column] / joined[f"{column}_total"]).where(table["border"].isin(BORDERS)).round(4)
    order = {b: i for i, b in enumerate([*BORDERS, IMPRECISE_BORDER, OUTSIDE_BORDER])}
    band_order = {b: i for i, b in enumerate([*band_labels(bands), NOT_APPLICABLE])}
    table = table.assign(_b=table["border"].map(order), _d=table["band"].map(band_order))
    return table.sort_values(["source", "period", "_b", "_d"]).drop(columns=["_b", "_d"]).reset_index(drop=True)[BORDER_COLUMNS]


def share_within(table: pd.DataFrame, km: float, bands: tuple[float, ...]) -> pd.DataFrame:
    """Per source and period: share of events, fatalities and (when the table has them) civilian fatalities within `km` of a shared border (`km` must be a band edge).

    Parameters
    ----------
    table
        A border table (:func:`border_table`).
    km
        The distance, in km: a band edge of `bands`.
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).

    Returns
    -------
    pd.DataFrame
        Per source and period: share_events, share_fatalities (and share_civilian_fatalities).
    """
    if km not in bands:
        raise AtlasError(f"{km:g} km is not a band edge ({', '.join(f'{b:g}' for b in bands)})")
    inner = set(band_labels(bands)[: list(bands).index(km) + 1])
    counted = table[table["border"].isin(BORDERS)]
    figures = [c for c in ("events", "fatalities", "civilian_fatalities") if c in table]
    near = counted[counted["band"].isin(inner)].groupby(["source", "period"])[figures].sum()
    total = counted.groupby(["source", "period"])[figures].sum()
    out = total.join(near.add_suffix("_near")).fillna(0)
    out["share_events"] = (out["events_near"] / out["events"]).round(4)
    for column in figures[1:]:
        out[f"share_{column}"] = (out[f"{column}_near"] / out[column].where(out[column] > 0)).round(4)
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
    """Pairs of events in different countries (of the three) within `max_km` and `max_days` of each other, among events in memory (stored events: `geo.query.border_candidates`, then `pairs_among`).

    Parameters
    ----------
    events
        Canonical events (the columns of :mod:`geo.schema`).
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).
    geometry
        The shared borders of the three countries (:func:`geo.borders.shared_borders`).
    max_km
        The largest distance between the two events of a pair, in km.
    max_days
        The largest number of days between the two events of a pair.
    same_actor
        Whether the two events of a pair must share an actor.

    Returns
    -------
    See `pairs_among`.
    """
    located = border_attributes(events, placements, geometry)
    near = (located["distance_km"] <= max_km) & located["border"].isin(list(BORDERS))
    candidates = events.loc[near].assign(country_iso3=located.loc[near, "country_iso3"])
    return pairs_among(candidates, geometry, max_km=max_km, max_days=max_days, same_actor=same_actor)


PAIR_COLUMNS = [
    "index_a", "index_b", "source", "event_id_a", "event_id_b", "date_a", "date_b", "country_a", "country_b",
    "distance_km", "days", "shared_actor", "lon_a", "lat_a", "lon_b", "lat_b",
]


class TooManyPairs(AtlasError):
    """More close pairs of events than a view may search (before they are told apart by country)."""

    def __init__(self, found: int, limit: int) -> None:
        self.found, self.limit = found, limit
        super().__init__(f"{found:,} pairs of events are this close, more than the {limit:,} searched at once; "
                         "choose fewer years, narrower filters or a shorter distance")


def pairs_among(
    candidates: pd.DataFrame,
    geometry: BorderGeometry,
    *,
    max_km: float = 50.0,
    max_days: int = 7,
    same_actor: bool = False,
    max_pairs: int | None = None,
) -> pd.DataFrame:
    """Cross-border pairs among events near the shared borders.

    Only events within `max_km` of a shared border can have a partner across it, so `candidates` are
    those (with their spatial `country_iso3`); a k-d tree over (x, y, time) scaled to the thresholds
    finds candidate pairs without comparing all pairs (fast at 100k events). With `max_pairs`, raises
    `TooManyPairs` rather than list more close pairs (of any countries) than that.

    Parameters
    ----------
    candidates
        Events near the shared borders, with their spatial country.
    geometry
        The shared borders of the three countries (:func:`geo.borders.shared_borders`).
    max_km
        The largest distance between the two events of a pair, in km.
    max_days
        The largest number of days between the two events of a pair.
    same_actor
        Whether the two events of a pair must share an actor.
    max_pairs
        Close pairs (any countries) beyond which the search stops with :class:`TooManyPairs`; None for no bound.

    Returns
    -------
    DataFrame: index_a, index_b (index labels of `candidates`), event ids, dates, countries,
    distance_km, days, shared_actor (the actor both involve, or ""), and the coordinates of both ends.
    """
    from scipy.spatial import cKDTree

    if len(candidates) < 2:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    to_proj = pyproj.Transformer.from_crs(GEOGRAPHIC_CRS, geometry.crs, always_xy=True)
    x, y = to_proj.transform(candidates["longitude"].to_numpy(float), candidates["latitude"].to_numpy(float))
    days = (candidates["event_date"].to_numpy("datetime64[D]").astype(np.int64)).astype(float)
    scaled = np.column_stack([np.asarray(x) / (max_km * 1000.0), np.asarray(y) / (max_km * 1000.0), days / max(max_days, 1e-9)])
    tree = cKDTree(scaled)
    if max_pairs is not None:
        # Count first (cheap): events stacked at one place and day (resampled or duplicated rows) could make
        # millions of pairs, which must not be materialised.
        close = int(tree.count_neighbors(tree, r=1.0 + 1e-9, p=np.inf)) - len(candidates)  # ordered pairs, minus self
        if close // 2 > max_pairs:
            raise TooManyPairs(close // 2, max_pairs)
    pairs = tree.query_pairs(r=1.0 + 1e-9, p=np.inf, output_type="ndarray")
    if len(pairs) == 0:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    a, b = pairs[:, 0], pairs[:, 1]
    country = candidates["country_iso3"].to_numpy(dtype=object)
    source = candidates["source_dataset"].to_numpy(dtype=object)
    keep = (country[a] != country[b]) & (source[a] == source[b])
    a, b = a[keep], b[keep]
    lon = candidates["longitude"].to_numpy(float)
    lat = candidates["latitude"].to_numpy(float)
    _, _, metres = GEOD.inv(lon[a], lat[a], lon[b], lat[b])
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
    return out.sort_values(["date_a", "event_id_a", "event_id_b"]).reset_index(drop=True)[PAIR_COLUMNS]


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
    """Per source and period, actors with events in two or more of the three countries, with their event counts per country (columns MLI, BFA, NER) and the number of countries; of events in memory (stored events: `geo.query.actor_country_counts`, then `actor_table`).

    Actor names are those of actor1 and actor2 (civilians, protesters and rioters are left out).

    Parameters
    ----------
    events
        Canonical events (the columns of :mod:`geo.schema`).
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).
    period
        The period of the rows: "year", "quarter" or "month".

    Returns
    -------
    pd.DataFrame
        The cross-border actors (columns of :func:`actor_table`).
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
                    "actor": events.loc[in_three, column].str.strip(),
                    "country": country[in_three],
                    "event": events.index[in_three.to_numpy()],
                }
            )
        )
    long = pd.concat(frames, ignore_index=True)
    long = long[(long["actor"] != "") & ~long["actor"].str.lower().str.startswith(_CIVILIAN_LIKE)]
    long = long.drop_duplicates(["source", "actor", "event"])  # an actor on both sides counts once
    counts = long.groupby(["source", "period", "actor", "country"]).size().rename("events").reset_index()
    return actor_table(counts)


def actor_table(counts: pd.DataFrame) -> pd.DataFrame:
    """Cross-border actors from event counts per source, period, actor and country: actors with events in two or more of the three countries, their counts per country (MLI, BFA, NER), countries and events.

    Parameters
    ----------
    counts
        Events per source, period, actor and spatial country.

    Returns
    -------
    pd.DataFrame
        Per source, period and actor in two or more countries: events per country (MLI, BFA, NER) and in all.
    """
    columns = ["source", "period", "actor", "MLI", "BFA", "NER", "countries", "events"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    table = counts.pivot_table(index=["source", "period", "actor"], columns="country", values="events", aggfunc="sum", fill_value=0)
    for iso in ("MLI", "BFA", "NER"):
        if iso not in table:
            table[iso] = 0
    table = table[["MLI", "BFA", "NER"]].astype("int64")
    table["countries"] = (table > 0).sum(axis=1)
    table["events"] = table[["MLI", "BFA", "NER"]].sum(axis=1)
    out = table[table["countries"] >= 2].reset_index()
    out.columns.name = None
    return out.sort_values(["source", "period", "countries", "events"], ascending=[True, True, False, False]).reset_index(drop=True)[columns]




# ---------------------------------------------------------------------------------------------- stored events


def _stored_set(store: Store, boundary_set: BoundarySet, tolerance_m: float | None) -> int:
    """The place set of the store for this boundary set (placing every event first if needed)."""
    shared_borders(boundary_set)  # a set without the three countries' outlines is refused with its reason
    tolerance = get_settings().tolerance_m if tolerance_m is None else tolerance_m
    return ensure_placement(store, boundary_set, tolerance_m=tolerance)


def border_table_store(
    store: Store,
    boundary_set: BoundarySet,
    *,
    filters: Filters | None = None,
    period: str = "year",
    bands: tuple[float, ...] = DEFAULT_BANDS_KM,
    tolerance_m: float | None = None,
) -> pd.DataFrame:
    """`border_table` of the stored events, computed in the database from their stored border attributes.

    Parameters
    ----------
    store
        The event store.
    boundary_set
        The boundary set.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    period
        The period of the rows: "year", "quarter" or "month".
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.

    Returns
    -------
    pd.DataFrame
        `border_table` of the stored events, computed in the database from their stored border attributes.
    """
    set_id = _stored_set(store, boundary_set, tolerance_m)
    figures = query.border_figures(store, set_id, filters=filters or Filters(), period=period, bands=bands)
    return finish_border_table(figures, bands)


def cross_border_pairs_store(
    store: Store,
    boundary_set: BoundarySet,
    *,
    filters: Filters | None = None,
    max_km: float = 50.0,
    max_days: int = 7,
    same_actor: bool = False,
    tolerance_m: float | None = None,
    max_pairs: int | None = None,
) -> pd.DataFrame:
    """`cross_border_pairs` of the stored events: only the events within `max_km` of a shared border that the filters keep are read (choose the years shown: they bound what is read).

    Parameters
    ----------
    store
        The event store.
    boundary_set
        The boundary set.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    max_km
        The largest distance between the two events of a pair, in km.
    max_days
        The largest number of days between the two events of a pair.
    same_actor
        Whether the two events of a pair must share an actor.
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    max_pairs
        Close pairs (any countries) beyond which the search stops with :class:`TooManyPairs`; None for no bound.

    Returns
    -------
    pd.DataFrame
        The cross-border pairs (:data:`PAIR_COLUMNS`).
    """
    set_id = _stored_set(store, boundary_set, tolerance_m)
    candidates = query.border_candidates(store, set_id, filters=filters or Filters(), max_km=max_km)
    return pairs_among(candidates, shared_borders(boundary_set), max_km=max_km, max_days=max_days, same_actor=same_actor,
                       max_pairs=max_pairs)


def cross_border_actors_store(
    store: Store, boundary_set: BoundarySet, *, filters: Filters | None = None, period: str = "year",
    tolerance_m: float | None = None
) -> pd.DataFrame:
    """`cross_border_actors` of the stored events, counted in the database.

    Parameters
    ----------
    store
        The event store.
    boundary_set
        The boundary set.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    period
        The period of the rows: "year", "quarter" or "month".
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.

    Returns
    -------
    pd.DataFrame
        `cross_border_actors` of the stored events, counted in the database.
    """
    set_id = _stored_set(store, boundary_set, tolerance_m)
    counts = query.actor_country_counts(store, set_id, filters=filters or Filters(), period=period, countries=("MLI", "BFA", "NER"))
    return actor_table(counts)


def located_from_places(events: pd.DataFrame, bands: tuple[float, ...]) -> pd.DataFrame:
    """`event_borders`-like rows (border, distance_km, band, country_iso3) of events read from the store with their stored border attributes (`border`, `border_km`, `country_iso3` columns of `geo.query.latest_events`).

    Parameters
    ----------
    events
        Canonical events (the columns of :mod:`geo.schema`).
    bands
        Edges of the distance bands, in km, ascending (e.g. (10, 50, 100)).

    Returns
    -------
    pd.DataFrame
        Per event (same index): border, distance_km, band, country_iso3.
    """
    distance = events["border_km"].to_numpy(dtype=float)
    counted = events["border"].isin(list(BORDERS)).to_numpy()
    band = np.where(counted, band_of(distance, bands), NOT_APPLICABLE)
    return pd.DataFrame(
        {"country_iso3": events["country_iso3"], "border": events["border"], "distance_km": distance, "band": band},
        index=events.index,
    )
