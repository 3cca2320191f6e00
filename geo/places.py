"""Placing events once: each stored event's unit at every level of every boundary set, and its border attributes, computed when the event is stored and kept in the store's `event_places` table.

A *place set* of the store is one boundary set (identified by its file's SHA-256) at one snapping
tolerance. Its places are computed

- for every stored event, as a recorded job, when the set is first used or its file changed
  (`ensure_placement`; `python -m geo places refresh` runs it for every registered set);
- for the events a batch writes, inside the batch's transaction (`place_written`);
- for the versions a rollback restores, inside the rollback's transaction (`place_restored`, called by
  `geo.ingest.rollback_batch` between `Store.undo_rows` and `Store.finish_rollback`).

So the places and the summary built on them (`Store.summary_delta`) always match the current events:
views never place events again and never read every event to draw a figure. The units each event's uncertainty area
makes doubtful (`geo.uncertainty`, table `event_area_units`, summed in `area_summary`) are computed with the places, at
the same moments, for the rules of `atlas.toml` [uncertainty] (a set whose areas were computed with other rules is
placed again, as a set whose file changed is).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import sqlalchemy as sa

from . import unit_months
from .border_geometry import BORDERS, border_attributes, shared_borders
from .boundaries import BoundarySet, list_boundary_sets, load_boundary_set, set_fingerprint
from .config import Settings, get_settings
from .errors import AtlasError, BoundaryError
from .join import SNAPPED, bucket_codes, place_events
from .store import (
    ACTOR_SUMMARY_KEYS,
    ACTOR_SUMMARY_MEASURES,
    AREA_RULES_KEY,
    AREA_SUMMARY_KEYS,
    AREA_SUMMARY_MEASURES,
    BORDER_SUMMARY_KEYS,
    BORDER_SUMMARY_MEASURES,
    BUCKET_CAP,
    CELL_DEG,
    DISTANCE_BUCKET_KM,
    SUMMARIES,
    SUMMARY_KEYS,
    SUMMARY_MEASURES,
    Store,
    area_units_table,
    current_user,
    events_table,
    jobs_table,
    meta_table,
    metadata,
    now_iso,
    place_sets_table,
    places_table,
)
from .uncertainty import AREA_UNIT_COLUMNS, compute_area_units, rules_fingerprint

ProgressFn = Callable[[float, str], None]

#: The columns of `event_places` computed for each event (besides set_id and row_id).
PLACE_COLUMNS = ["coverage", "country_iso3", "admin1_code", "admin2_code", "border", "border_km", "tri_km"]
#: What placing needs of an event, its uncertainty area included (the rest of it never leaves the database for this).
PLACING_COLUMNS = ["row_id", "longitude", "latitude", "max_admin_level", "country_iso3", "source_dataset", "geo_precision",
                   "admin1_declared", "admin2_declared"]
_CHUNK = 200_000  # events placed at a time by a job: bounds the memory of a recomputation


def compute_places(events: pd.DataFrame, boundary_set: BoundarySet, *, tolerance_m: float) -> pd.DataFrame:
    """
    Each event's unit codes at every level of a set, and its border attributes.

    Parameters
    ----------
    events
        Needs `longitude`, `latitude`, `max_admin_level` and `country_iso3`.
    boundary_set
        The set to place them in.
    tolerance_m
        Snapping tolerance in metres (see `geo.join`).

    Returns
    -------
    DataFrame indexed like `events` with `PLACE_COLUMNS`: unit codes are bucket codes (`_OUTSIDE`,
    `_UNALLOCATED` or the unit's code; "" at a level the set lacks); the border columns are missing
    (None / NaN) when the set's outlines lack one of the three countries.
    """
    placements = place_events(events, boundary_set, tolerance_m=tolerance_m)
    out = units_of(placements, boundary_set)
    try:
        geometry = shared_borders(boundary_set)
    except (AtlasError, BoundaryError):
        geometry = None
    if geometry is None or events.empty:
        out["border"], out["border_km"], out["tri_km"] = None, np.nan, np.nan
    else:
        located = border_attributes(events, placements, geometry)
        out["border"] = located["border"].astype(object)
        out["border_km"] = located["distance_km"]
        out["tri_km"] = located["tri_km"]
    return out


def units_of(placements: pd.DataFrame, boundary_set: BoundarySet) -> pd.DataFrame:
    """The `coverage`, `country_iso3`, `admin1_code` and `admin2_code` columns of places, from `place_events` output.

    Parameters
    ----------
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).
    boundary_set
        The boundary set.

    Returns
    -------
    pd.DataFrame
        The `coverage`, `country_iso3`, `admin1_code` and `admin2_code` columns of places, from `place_events` output.
    """
    out = pd.DataFrame(index=placements.index)
    out["coverage"] = placements["coverage"].astype(object)
    out["country_iso3"] = placements["unit_country_iso3"].fillna("").astype(object)
    for level in ("admin1", "admin2"):
        out[f"{level}_code"] = bucket_codes(placements, level).astype(object) if level in boundary_set.levels else ""
    return out


def compute_units(events: pd.DataFrame, boundary_set: BoundarySet, *, tolerance_m: float) -> pd.DataFrame:
    """`compute_places` without the border attributes: each event's coverage, country and unit codes, exactly as `event_places` holds them (for versions of events that are no longer current, see `geo.changes`).

    Parameters
    ----------
    events
        Canonical events (versions of events, at a rollback or a comparison of history).
    boundary_set
        The boundary set.
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.

    Returns
    -------
    pd.DataFrame
        `compute_places` without the border attributes: each event's coverage, country and unit codes, exactly as
        `event_places` holds them (for versions of events that are no longer current, see `geo.changes`).
    """
    return units_of(place_events(events, boundary_set, tolerance_m=tolerance_m), boundary_set)


@dataclass(frozen=True)
class ComputedPlaces:
    """Places of some events in one boundary set, and their uncertainty areas' units, computed before they are stored."""

    name: str
    fingerprint: str
    tolerance_m: float
    places: pd.DataFrame  # PLACE_COLUMNS, indexed like the events
    areas: pd.DataFrame | None = None  # `geo.uncertainty.compute_area_units`: `event` is the events' index label
    rules: str = ""  # the fingerprint of the uncertainty rules `areas` were computed with

    def drop(self, index: pd.Index | list) -> ComputedPlaces:
        """The places (and areas) without the rows of `index`.

        Parameters
        ----------
        index
            Labels of rows to drop.

        Returns
        -------
        ComputedPlaces
            The remaining places.
        """
        areas = None if self.areas is None else self.areas[~self.areas["event"].isin(index)]
        return replace(self, places=self.places.drop(index=index), areas=areas)

    def reindexed(self) -> ComputedPlaces:
        """The places with a fresh 0..n-1 index (the areas' `event` labels renumbered with them).

        Returns
        -------
        ComputedPlaces
            The places.
        """
        areas = self.areas
        if areas is not None:
            position = pd.Series(np.arange(len(self.places)), index=self.places.index)
            areas = areas.assign(event=position.reindex(areas["event"]).to_numpy()).reset_index(drop=True)
        return replace(self, places=self.places.reset_index(drop=True), areas=areas)

    def select(self, mask: np.ndarray) -> ComputedPlaces:
        """The places (and areas) of the rows where `mask` is true.

        Parameters
        ----------
        mask
            One boolean per row.

        Returns
        -------
        ComputedPlaces
            The places kept.
        """
        places = self.places.loc[mask]
        areas = None if self.areas is None else self.areas[self.areas["event"].isin(places.index)]
        return replace(self, places=places, areas=areas)


def compute_places_in(events: pd.DataFrame, sets: list[BoundarySet], *, tolerance_m: float,
                      settings: Settings | None = None) -> list[ComputedPlaces]:
    """`compute_places` (and the areas' units) in several boundary sets at once (one thread each: the geometry work releases the GIL).

    Parameters
    ----------
    events
        Canonical events.
    sets
        The boundary sets.
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    settings
        The settings (`atlas.toml` and the environment: the uncertainty areas); default: the current ones.

    Returns
    -------
    list[ComputedPlaces]
        The places and the areas' units of the events in each set, in the order of `sets`.
    """
    settings = settings or get_settings()

    def one(boundary_set: BoundarySet) -> ComputedPlaces:
        places = compute_places(events, boundary_set, tolerance_m=tolerance_m)
        areas = compute_area_units(events, places, boundary_set, settings=settings)
        return ComputedPlaces(boundary_set.name, set_fingerprint(boundary_set), float(tolerance_m), places, areas,
                              rules_fingerprint(settings))

    if len(sets) <= 1 or len(events) < 5_000:
        return [one(s) for s in sets]
    with ThreadPoolExecutor(max_workers=min(len(sets), os.cpu_count() or 1)) as pool:
        return list(pool.map(one, sets))


def _resolve(name: str, settings: Settings) -> BoundarySet | None:
    try:
        return load_boundary_set(name, settings)
    except BoundaryError:
        return None


def _current(conn: sa.Connection, name: str, tolerance_m: float) -> dict | None:
    row = conn.execute(
        sa.select(place_sets_table).where(place_sets_table.c.name == name, place_sets_table.c.tolerance_m == float(tolerance_m))
    ).mappings().first()
    return dict(row) if row else None


def _areas_rules(conn: sa.Connection, set_id: int) -> str | None:
    """The fingerprint of the uncertainty rules a place set's areas were computed with (None: not computed)."""
    return conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == AREA_RULES_KEY.format(set_id=int(set_id)))).scalar()


def _up_to_date(conn: sa.Connection, row: dict | None, boundary_set: BoundarySet, settings: Settings) -> bool:
    return (bool(row) and row["status"] == "ready" and row["file_sha256"] == set_fingerprint(boundary_set)
            and _areas_rules(conn, int(row["set_id"])) == rules_fingerprint(settings))


def ensure_placement(
    store: Store,
    boundary_set: BoundarySet,
    *,
    tolerance_m: float,
    progress: ProgressFn | None = None,
    user: str | None = None,
) -> int:
    """The id of the store's place set for this boundary set and tolerance, placing every stored event first (a recorded job) when it is missing, stale or was computed from another version of the file.

    Parameters
    ----------
    store
        The event store.
    boundary_set
        The boundary set.
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    progress
        Called with (fraction done, message) as the work goes on; None for silence.
    user
        Who acts (recorded in the batch and the audit log); default: ATLAS_USER or the login name.

    Returns
    -------
    set_id, for queries on `event_places` and `unit_summary`.
    """
    settings = get_settings()
    with store.engine.connect() as conn:
        row = _current(conn, boundary_set.name, tolerance_m)
        if _up_to_date(conn, row, boundary_set, settings):
            return int(row["set_id"])
    with store.write_transaction() as conn:
        row = _current(conn, boundary_set.name, tolerance_m)  # another process may have done it meanwhile
        if _up_to_date(conn, row, boundary_set, settings):
            return int(row["set_id"])
        set_id = recompute(store, conn, boundary_set, tolerance_m=tolerance_m, progress=progress, user=user)
    store.refresh_statistics()
    return set_id


def recompute(
    store: Store,
    conn: sa.Connection,
    boundary_set: BoundarySet,
    *,
    tolerance_m: float,
    progress: ProgressFn | None = None,
    user: str | None = None,
) -> int:
    """(Re)place every stored event in a boundary set, inside the caller's write transaction: the old places and summary of the set are replaced at once, so viewers see either the old or the new ones.

    Recorded in the `jobs` table and the audit log.

    Parameters
    ----------
    store
        The event store.
    conn
        A connection of the store, inside its transaction.
    boundary_set
        The boundary set.
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    progress
        Called with (fraction done, message) as the work goes on; None for silence.
    user
        Who acts (recorded in the batch and the audit log); default: ATLAS_USER or the login name.

    Returns
    -------
    The new set_id.
    """
    progress = progress or (lambda fraction, message: None)
    user = user or current_user()
    settings = get_settings()
    started = now_iso()
    old = _current(conn, boundary_set.name, tolerance_m)
    if old:
        drop_place_set(conn, int(old["set_id"]))
    try:
        has_borders = shared_borders(boundary_set) is not None
    except (AtlasError, BoundaryError):
        has_borders = False
    set_id = int(conn.execute(
        place_sets_table.insert().values(
            name=boundary_set.name, file_sha256=set_fingerprint(boundary_set), tolerance_m=float(tolerance_m),
            levels=",".join(boundary_set.levels), has_borders=has_borders, status="ready", events=0, computed_at=started,
        )
    ).inserted_primary_key[0])
    total = int(conn.execute(sa.select(sa.func.count()).select_from(events_table)).scalar() or 0)
    done, last = 0, -1
    columns = [events_table.c[c] for c in PLACING_COLUMNS]
    while True:
        chunk = pd.DataFrame(
            conn.execute(
                sa.select(*columns).where(events_table.c.row_id > last).order_by(events_table.c.row_id).limit(_CHUNK)
            ).all(),
            columns=PLACING_COLUMNS,
        )
        if chunk.empty:
            break
        chunk = _typed(chunk)
        places = compute_places(chunk, boundary_set, tolerance_m=tolerance_m)
        store.insert_places(conn, set_id, places.assign(row_id=chunk["row_id"]))
        areas = compute_area_units(chunk, places, boundary_set, settings=settings)
        store.insert_area_units(conn, set_id, _area_rows(areas, chunk["row_id"]))
        done += len(chunk)
        last = int(chunk["row_id"].iloc[-1])
        progress(0.9 * done / max(total, 1), f"placed {done:,} of {total:,} events in {boundary_set.name}")
    progress(0.95, f"summing the figures of {boundary_set.name}")
    store.summary_delta(conn, sa.true(), sign=1, set_ids=[set_id])
    unit_months.sum_into(store, conn, set_id, boundary_set)  # ACLED's aggregates: their units matched by code and name
    conn.execute(place_sets_table.update().where(place_sets_table.c.set_id == set_id).values(events=done))
    rules_key = AREA_RULES_KEY.format(set_id=set_id)
    conn.execute(meta_table.delete().where(meta_table.c.key == rules_key))
    conn.execute(meta_table.insert().values(key=rules_key, value=rules_fingerprint(settings)))
    detail = f"placed {done:,} event(s) in {boundary_set.name} (tolerance {tolerance_m / 1000:g} km)"
    conn.execute(jobs_table.insert().values(
        kind="place", target=boundary_set.name, user=user, started_at=started, finished_at=now_iso(), status="done",
        detail=detail,
    ))
    store.log("place", detail, user=user, conn=conn)
    store.bump_version(conn)
    progress(1.0, detail)
    return set_id


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Placing columns read back from the database in the dtypes placing expects."""
    return frame.assign(
        row_id=frame["row_id"].astype(np.int64),
        longitude=pd.to_numeric(frame["longitude"], errors="coerce").astype(float),
        latitude=pd.to_numeric(frame["latitude"], errors="coerce").astype(float),
        max_admin_level=pd.to_numeric(frame["max_admin_level"], errors="coerce").fillna(0).astype(np.int64),
        country_iso3=frame["country_iso3"].fillna("").astype(object),
        source_dataset=frame["source_dataset"].fillna("").astype(object),
        geo_precision=pd.to_numeric(frame["geo_precision"], errors="coerce").astype("Int64"),
        admin1_declared=frame["admin1_declared"].fillna("").astype(object),
        admin2_declared=frame["admin2_declared"].fillna("").astype(object),
    )


def _area_rows(areas: pd.DataFrame, row_ids: pd.Series) -> pd.DataFrame:
    """The areas' rows (`event` an index label of `row_ids`) with the events' row ids, as `event_area_units` holds them."""
    return areas.assign(row_id=row_ids.reindex(areas["event"]).to_numpy(dtype=np.int64))[["row_id", *AREA_UNIT_COLUMNS]]


def drop_place_set(conn: sa.Connection, set_id: int) -> None:
    """Forget one place set: its places, areas, summary rows and record.

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.
    set_id
        The place set (a boundary set at a snapping tolerance) to forget.
    """
    conn.execute(places_table.delete().where(places_table.c.set_id == set_id))
    conn.execute(area_units_table.delete().where(area_units_table.c.set_id == set_id))
    conn.execute(meta_table.delete().where(meta_table.c.key == AREA_RULES_KEY.format(set_id=int(set_id))))
    for name in SUMMARIES:
        table = metadata.tables[name]
        conn.execute(table.delete().where(table.c.set_id == set_id))
    conn.execute(place_sets_table.delete().where(place_sets_table.c.set_id == set_id))


def drop_placements(store: Store, name: str) -> int:
    """Forget every place set of a boundary set (it was removed); returns how many.

    Parameters
    ----------
    store
        The event store.
    name
        The boundary set removed.

    Returns
    -------
    int
        How many place sets were forgotten.
    """
    with store.write_transaction() as conn:
        ids = conn.execute(sa.select(place_sets_table.c.set_id).where(place_sets_table.c.name == name)).scalars().all()
        for set_id in ids:
            drop_place_set(conn, int(set_id))
        if ids:
            store.bump_version(conn)
    return len(ids)


def sync_registered(
    store: Store,
    conn: sa.Connection,
    *,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    user: str | None = None,
) -> list[int]:
    """Inside a write transaction: make sure every registered boundary set has an up-to-date place set at the configured tolerance (placing every stored event in the ones that have none).

    Parameters
    ----------
    store
        The event store.
    conn
        A connection of the store, inside its transaction.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    progress
        Called with (fraction done, message) as the work goes on; None for silence.
    user
        Who acts (recorded in the batch and the audit log); default: ATLAS_USER or the login name.

    Returns
    -------
    The set_ids of those place sets.
    """
    settings = settings or get_settings()
    ids = []
    for boundary_set in list_boundary_sets(settings):
        row = _current(conn, boundary_set.name, settings.tolerance_m)
        if _up_to_date(conn, row, boundary_set, settings):
            ids.append(int(row["set_id"]))
        else:
            ids.append(recompute(store, conn, boundary_set, tolerance_m=settings.tolerance_m, progress=progress, user=user))
    return ids


def _place_in_every_set(
    store: Store, conn: sa.Connection, events: pd.DataFrame, settings: Settings, computed: list[ComputedPlaces] = ()
) -> dict[int, tuple[pd.DataFrame, pd.DataFrame]]:
    """Place `events` (with `row_id` and `PLACING_COLUMNS`) in every ready place set whose boundary file is at hand, with their areas' units.

    Those computed beforehand are used when they are for the same file, tolerance and uncertainty rules; the other
    place sets are marked stale.

    Returns
    -------
    The places (indexed like `events`) and the areas' units (`event`: an index label of `events`) written, per set_id.
    """
    rules = rules_fingerprint(settings)
    ready = {(c.name, c.fingerprint, c.tolerance_m): c for c in computed}
    placed = {}
    for row in store.place_sets(conn).to_dict("records"):
        if row["status"] != "ready":
            continue
        boundary_set = _resolve(row["name"], settings)
        if (boundary_set is None or set_fingerprint(boundary_set) != row["file_sha256"]
                or _areas_rules(conn, int(row["set_id"])) != rules):
            # Another instance's set, a file changed since, or areas of other rules: its places would be incomplete
            # (or mixed) from now on; it is placed again on its next use.
            conn.execute(place_sets_table.update().where(place_sets_table.c.set_id == row["set_id"]).values(status="stale"))
            continue
        before = ready.get((row["name"], row["file_sha256"], float(row["tolerance_m"])))
        places = before.places if before is not None else compute_places(events, boundary_set, tolerance_m=row["tolerance_m"])
        if before is not None and before.areas is not None and before.rules == rules:
            areas = before.areas
        else:
            areas = compute_area_units(events, places, boundary_set, settings=settings)
        if len(events):
            row_ids = pd.Series(events["row_id"].to_numpy(dtype=np.int64), index=events.index)
            store.insert_places(conn, int(row["set_id"]), places.assign(row_id=row_ids.to_numpy()))
            store.insert_area_units(conn, int(row["set_id"]), _area_rows(areas, row_ids))
        placed[int(row["set_id"])] = (places, areas)
    return placed


def group_sum(keys: dict[str, object], measures: dict[str, np.ndarray]) -> pd.DataFrame:
    """Sum `measures` per distinct combination of `keys` (arrays of equal length, or scalars): each key is factorised to integers and the combinations numbered, so grouping never hashes text row by row.

    Parameters
    ----------
    keys
        Key name -> an array (or a scalar) per row.
    measures
        Measure name -> an array per row.

    Returns
    -------
    One row per combination present: the keys' values, then the measures' sums (int64).
    """
    n = len(next(iter(measures.values())))
    combined = np.zeros(n, dtype=np.int64)
    columns: dict[str, tuple[np.ndarray, object]] = {}
    for name, values in keys.items():
        if np.isscalar(values):
            columns[name] = (None, values)
            continue
        # (a pandas Series of text is factorised by Arrow's dictionary encoding: no Python objects per row)
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        columns[name] = (codes, uniques)
        combined = combined * len(uniques) + codes
        combined, _ = pd.factorize(combined)  # renumber: the product of cardinalities never overflows
        combined = combined.astype(np.int64)
    groups = int(combined.max()) + 1 if n else 0
    first = np.full(groups, n, dtype=np.int64)
    np.minimum.at(first, combined, np.arange(n, dtype=np.int64))
    out = {}
    for name, (codes, uniques) in columns.items():
        out[name] = uniques if codes is None else np.asarray(uniques, dtype=object)[codes[first]]
    for name, values in measures.items():
        out[name] = np.bincount(combined, weights=np.asarray(values, dtype=np.float64), minlength=groups).round().astype(np.int64)
    return pd.DataFrame(out, index=pd.RangeIndex(groups)) if groups else pd.DataFrame(columns=[*keys, *measures])


def summary_rows(events: pd.DataFrame, places: pd.DataFrame, set_id: int, *, months: np.ndarray | None = None) -> pd.DataFrame:
    """The summary figures (`SUMMARY_KEYS` + `SUMMARY_MEASURES`) of events in memory and their places in one place set: what `Store.summary_delta` computes in SQL for stored events, computed here for the events a batch has just written (they are in memory already; tests check both give the same table).

    `months`: the events' "YYYY-MM", when already computed for another set.

    Parameters
    ----------
    events
        Canonical events.
    places
        Their places in one place set, row for row.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    months
        Each event's month ("YYYY-MM"); default computed from its date.

    Returns
    -------
    pd.DataFrame
        The summary figures (`SUMMARY_KEYS` + `SUMMARY_MEASURES`) of events in memory and their places in one place
        set: what `Store.summary_delta` computes in SQL for stored events, computed here for the events a batch has
        just written (they are in memory already; tests check both give the same table). `months`: the events'
        "YYYY-MM", when already computed for another set.
    """
    if months is None:
        months = events["event_date"].dt.strftime("%Y-%m").to_numpy(dtype=object)
    low, high = events["fatalities_low"], events["fatalities_high"]
    keys = {
        "set_id": int(set_id),
        "source_dataset": events["source_dataset"],
        "month": months,
        "country_iso3": places["country_iso3"].to_numpy(dtype=object),
        "admin1_code": places["admin1_code"].to_numpy(dtype=object),
        "admin2_code": places["admin2_code"].to_numpy(dtype=object),
        "event_type": events["event_type"].fillna(""),
        "sub_event_type": events["sub_event_type"].fillna(""),
        "actor1_type": events["actor1_type"].fillna(""),
        "geo_precision": events["geo_precision"].fillna(1).astype("int64").to_numpy(),
        "civilian_targeting": events["civilian_targeting"].fillna(False).astype(bool).to_numpy(),
        "snapped": (places["coverage"] == SNAPPED).to_numpy(),
    }
    measures = {
        "events": np.ones(len(events), dtype=np.int64),
        "fatalities": events["fatalities"].fillna(0).astype("int64").to_numpy(),
        "fatalities_low": low.fillna(0).astype("int64").to_numpy(),
        "fatalities_low_n": low.notna().astype("int64").to_numpy(),
        "fatalities_high": high.fillna(0).astype("int64").to_numpy(),
        "fatalities_high_n": high.notna().astype("int64").to_numpy(),
    }
    return group_sum(keys, measures)[SUMMARY_KEYS + SUMMARY_MEASURES]


def _bucket(km: np.ndarray) -> np.ndarray:
    """`Store.bucket` in memory: floor(km / DISTANCE_BUCKET_KM), at most BUCKET_CAP."""
    return np.minimum(np.floor(km / DISTANCE_BUCKET_KM), BUCKET_CAP).astype("int64")


def border_summary_rows(events: pd.DataFrame, places: pd.DataFrame, set_id: int, *, months: np.ndarray) -> pd.DataFrame:
    """The `border_summary` figures of events in memory and their places (the twin of the SQL of `Store`).

    Parameters
    ----------
    events
        Canonical events.
    places
        The events' places in one place set (the `event_places` columns), row for row.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    months
        Each event's month ("YYYY-MM"), row for row.

    Returns
    -------
    pd.DataFrame
        The `border_summary` figures of events in memory and their places (the twin of the SQL of `Store`).
    """
    border = places["border"].fillna("").to_numpy(dtype=object)
    counted = np.isin(border, list(BORDERS))
    border_km = places["border_km"].to_numpy(dtype=float)
    tri_km = places["tri_km"].to_numpy(dtype=float)
    keys = {
        "set_id": int(set_id),
        "source_dataset": events["source_dataset"],
        "month": months,
        "country_iso3": places["country_iso3"].to_numpy(dtype=object),
        "event_type": events["event_type"].fillna(""),
        "geo_precision": events["geo_precision"].fillna(1).astype("int64").to_numpy(),
        "civilian_targeting": events["civilian_targeting"].fillna(False).astype(bool).to_numpy(),
        "border": border,
        "border_bucket": np.where(counted, _bucket(np.where(counted, border_km, 0.0)), -1),
        "tri_bucket": np.where(np.isnan(tri_km), -1, _bucket(np.nan_to_num(tri_km))),
        "cell_x": np.floor((events["longitude"].to_numpy(dtype=float) + 180.0) / CELL_DEG).astype("int64"),
        "cell_y": np.floor((events["latitude"].to_numpy(dtype=float) + 90.0) / CELL_DEG).astype("int64"),
    }
    measures = {"events": np.ones(len(events), dtype=np.int64), "fatalities": events["fatalities"].fillna(0).astype("int64").to_numpy()}
    return group_sum(keys, measures)[BORDER_SUMMARY_KEYS + BORDER_SUMMARY_MEASURES]


def actor_summary_rows(events: pd.DataFrame, places: pd.DataFrame, set_id: int, *, months: np.ndarray) -> pd.DataFrame:
    """The `actor_summary` figures of events in memory (actor1 and actor2, an actor on both sides once).

    Parameters
    ----------
    events
        Canonical events.
    places
        The events' places in one place set (the `event_places` columns), row for row.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    months
        Each event's month ("YYYY-MM"), row for row.

    Returns
    -------
    pd.DataFrame
        The `actor_summary` figures of events in memory (actor1 and actor2, an actor on both sides once).
    """
    n = len(events)
    first = events["actor1"].fillna("").astype(str).str.strip().to_numpy(dtype=object)
    second = events["actor2"].fillna("").astype(str).str.strip().to_numpy(dtype=object)
    one = first != ""
    two = (second != "") & (second != first)  # the same actor on both sides counts once
    rows = np.concatenate([np.flatnonzero(one), np.flatnonzero(two)])
    keys = {
        "set_id": int(set_id),
        "source_dataset": events["source_dataset"].to_numpy(dtype=object)[rows],
        "month": months[rows],
        "country_iso3": places["country_iso3"].to_numpy(dtype=object)[rows],
        "actor": np.concatenate([first[one], second[two]]),
        "event_type": events["event_type"].fillna("").to_numpy(dtype=object)[rows],
        "geo_precision": events["geo_precision"].fillna(1).astype("int64").to_numpy()[rows],
        "civilian_targeting": events["civilian_targeting"].fillna(False).astype(bool).to_numpy()[rows],
    }
    measures = {"events": np.ones(len(rows), dtype=np.int64),
                "fatalities": events["fatalities"].fillna(0).astype("int64").to_numpy()[rows]}
    if n == 0 or len(rows) == 0:
        return pd.DataFrame(columns=ACTOR_SUMMARY_KEYS + ACTOR_SUMMARY_MEASURES)
    return group_sum(keys, measures)[ACTOR_SUMMARY_KEYS + ACTOR_SUMMARY_MEASURES]


def area_summary_rows(events: pd.DataFrame, areas: pd.DataFrame, set_id: int, *, months: np.ndarray) -> pd.DataFrame:
    """The `area_summary` figures of events in memory and their areas' units (the twin of the SQL of `Store`).

    Parameters
    ----------
    events
        Events placed in the set (canonical, indexed like `areas`' `event` labels).
    areas
        Their areas' units (`geo.uncertainty.compute_area_units`).
    set_id
        The place set.
    months
        Each event's month ("YYYY-MM").

    Returns
    -------
    pd.DataFrame
        `AREA_SUMMARY_KEYS` and `AREA_SUMMARY_MEASURES`, one row per key.
    """
    if areas.empty:
        return pd.DataFrame(columns=AREA_SUMMARY_KEYS + AREA_SUMMARY_MEASURES)
    at = events.index.get_indexer(areas["event"])
    figure = events["fatalities"].fillna(0).astype("int64").to_numpy()[at]
    low = events["fatalities_low"].to_numpy(dtype="float64", na_value=np.nan)[at]
    high = events["fatalities_high"].to_numpy(dtype="float64", na_value=np.nan)[at]
    keys = {
        "set_id": int(set_id),
        "source_dataset": events["source_dataset"].to_numpy(dtype=object)[at],
        "month": months[at],
        "country_iso3": areas["country_iso3"].to_numpy(dtype=object),
        "level": areas["level"].to_numpy(dtype=np.int64),
        "unit_code": areas["unit_code"].to_numpy(dtype=object),
        "in_doubt": areas["in_doubt"].to_numpy(dtype=bool),
        "event_type": events["event_type"].fillna("").to_numpy(dtype=object)[at],
        "sub_event_type": events["sub_event_type"].fillna("").to_numpy(dtype=object)[at],
        "actor1_type": events["actor1_type"].fillna("").to_numpy(dtype=object)[at],
        "geo_precision": events["geo_precision"].fillna(1).astype("int64").to_numpy()[at],
        "civilian_targeting": events["civilian_targeting"].fillna(False).astype(bool).to_numpy()[at],
    }
    measures = {
        "events": np.ones(len(areas), dtype=np.int64),
        "fatalities": figure,
        "fatalities_low": np.where(np.isnan(low), figure, low),
        "fatalities_high": np.where(np.isnan(high), figure, high),
    }
    return group_sum(keys, measures)[AREA_SUMMARY_KEYS + AREA_SUMMARY_MEASURES]


def place_written(
    store: Store,
    conn: sa.Connection,
    events: pd.DataFrame,
    row_ids: pd.Series,
    *,
    settings: Settings | None = None,
    computed: list[ComputedPlaces] = (),
) -> None:
    """At commit: the places and summary figures of the events a batch has just written.

    Parameters
    ----------
    events
        The written events (canonical columns), indexed like `row_ids`.
    row_ids
        Their new row ids (a contiguous range, as `Store.insert_events` hands them out).
    computed
        Their places computed beforehand (same index as `events`), used where still valid.
    store
        The event store.
    conn
        A connection of the store, inside its transaction.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    """
    if events.empty:
        return
    settings = settings or get_settings()
    frame = events[PLACING_COLUMNS[1:]].assign(row_id=row_ids.to_numpy())
    months = events["event_date"].dt.strftime("%Y-%m").to_numpy(dtype=object)
    for set_id, (places, areas) in _place_in_every_set(store, conn, frame, settings, computed).items():
        store.add_to_summary(conn, summary_rows(events, places, set_id, months=months))
        store.add_to_summary(conn, border_summary_rows(events, places, set_id, months=months), "border_summary")
        store.add_to_summary(conn, actor_summary_rows(events, places, set_id, months=months), "actor_summary")
        store.add_to_summary(conn, area_summary_rows(events, areas, set_id, months=months), "area_summary")


def place_restored(store: Store, conn: sa.Connection, selection: sa.ColumnElement[bool], *,
                   settings: Settings | None = None) -> None:
    """At rollback: the places and summary figures of the event versions just restored (`selection` of events).

    Parameters
    ----------
    store
        The event store.
    conn
        A connection of the store, inside its transaction.
    selection
        An SQL condition selecting the restored rows of `events`.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    """
    settings = settings or get_settings()
    frame = pd.DataFrame(
        conn.execute(sa.select(*[events_table.c[c] for c in PLACING_COLUMNS]).where(selection)).all(), columns=PLACING_COLUMNS
    )
    if frame.empty:
        return
    set_ids = list(_place_in_every_set(store, conn, _typed(frame), settings))
    if set_ids:
        store.summary_delta(conn, selection, sign=1, set_ids=set_ids)
