"""Ingest: files → validated canonical events → placed → stored as one batch, with the row accounting.

Every row read lands in exactly one bucket:

- **new**: an event the store did not have;
- **updated**: a new version of a stored event (ACLED: a newer `timestamp`); the old version is kept;
- **duplicates**: unchanged — the store already holds this version (equal on every column both have: a
  column the file lacks is not a change), or a newer one (the row is an older revision, counted in
  `older_vintage`: `geo.vintages`), or the same row appears earlier in the batch;
- **rejected**: a row with a problem, listed with its file, line and reason;
- **outside_area**: a valid new or revised event that lies beyond the tolerance outside every unit of
  the ingest boundary set; it is stored (and counted under `_OUTSIDE` by aggregation), not dropped.

So `rows_read == new + updated + duplicates + rejected + outside_area`, for each file and the batch; a batch
where it does not hold is refused whole (`AccountingError`). Content fingerprints are compared as exact
64-bit integers. The report also says what the batch does against the store's vintage (older upload,
events brought back, changed fields of updated rows: `geo.vintages`), before the commit.
The command line and the app's Data page both call `prepare_batch` then `commit_batch` (or `preview`).

ACLED's public aggregates (HDX tables of unit-months, `geo.readers.hdx`) go through the same calls: their rows are
unit-months, not events — **new**, **updated** (revised) or **duplicates** (unchanged) against the store, or
rejected (a unit that matches nothing among them) — and `geo.unit_months` stores them.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import unit_months
from .boundaries import list_boundary_sets, load_boundary_set
from .config import Settings, get_settings
from .errors import AccountingError, InputError
from .join import OUTSIDE, swapped_candidates
from .messages import say
from .places import ComputedPlaces, compute_places_in, place_restored, place_written, sync_registered
from .readers import AggregateRead, ColumnMapping, ReadResult, Rejection, read_file
from .schema import CANONICAL_COLUMNS, KEY_COLUMNS, content_hash
from .store import BatchCounts, Store, current_user
from .vintages import (
    CHANGE_COLUMNS,
    COVERAGE_COLUMNS,
    Comparison,
    VintageWarning,
    batch_vintages,
    compare_with_stored,
    coverage,
    vintage_warnings,
)

if TYPE_CHECKING:  # annotations only
    import sqlalchemy as sa

ProgressFn = Callable[[float, str], None]
#: A batch writing this many events refreshes the database's planner statistics after its commit.
_LARGE_BATCH = 10_000


@dataclass
class FileSummary:
    """One file of a batch and its own row accounting."""

    file: str
    sha256: str
    size: int
    format: str
    encoding: str
    delimiter: str
    rows_read: int
    notes: list[str] = field(default_factory=list)
    counts: BatchCounts = field(default_factory=BatchCounts)
    #: The layout of its source it is in (UCDP GED: "GED release", "GED candidate", "web download"), else "".
    layout: str = ""
    #: Canonical columns it has no column for -> the column it lacks, in its source's words.
    absent: dict[str, str] = field(default_factory=dict)

    @property
    def missing_columns(self) -> list[str]:
        """The columns of its source it lacks, once each (e.g. `assoc_actor_1, assoc_actor_2, timestamp`)."""
        return list(dict.fromkeys(self.absent.values()))

    def as_dict(self) -> dict:
        """The file's accounting as plain values (for `--json` and the batch's details).

        Returns
        -------
        dict
            file, sha256, format, encoding, delimiter and its counts.
        """
        return {
            "file": self.file, "sha256": self.sha256, "size": self.size, "format": self.format,
            "encoding": self.encoding, "delimiter": self.delimiter, "layout": self.layout, "notes": self.notes,
            **{k: getattr(self.counts, k) for k in ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area")},
            "older_vintage": self.counts.older_vintage, "missing_columns": self.missing_columns,
            "absent_columns": list(self.absent),
        }


@dataclass
class PreparedBatch:
    """Files read, checked and placed, not yet stored."""

    files: list[FileSummary]
    events: pd.DataFrame  # canonical + _file, _line, content_hash, _outside
    rejected: list[Rejection]
    notes: list[str]
    boundaries: str
    # Places of the events (same index) in each registered boundary set, computed before the store's lock
    # is taken; a set whose file changed meanwhile is placed again at commit.
    places: list[ComputedPlaces] = field(default_factory=list)

    @property
    def format(self) -> str:
        """The batch's format: its files' formats joined by "+" ("acled", "acled+ucdp")."""
        formats = list(dict.fromkeys(f.format for f in self.files))
        return "+".join(formats)


@dataclass
class IngestReport:
    """What a batch did (or, for a preview, would do)."""

    batch_id: int | None
    format: str
    counts: BatchCounts
    files: list[FileSummary]
    rejected: list[Rejection]
    notes: list[str]
    committed: bool
    previously_ingested: int | None = None
    #: What the batch does against the store's vintage (`geo.vintages`), said before the commit.
    warnings: list[VintageWarning] = field(default_factory=list)
    #: The fields each updated row changes, before → after (`geo.vintages.changed_fields`).
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHANGE_COLUMNS))
    #: Aggregate tables only: units matched (`unit_months.PreparedTables.unit_report`), unit-months removed, as-of dates.
    tables: dict | None = None

    def as_json(self) -> dict:
        """The `--json` contract: batch_id, format, rows_read, new, updated, duplicates, rejected, outside_area (and older_vintage, committed, files, rejections, notes, warnings, changes).

        Returns
        -------
        dict
            The `--json` contract: batch_id, format, rows_read, new, updated, duplicates, rejected, outside_area (and
            older_vintage, committed, files, rejections, notes, warnings, changes).
        """
        return {
            "batch_id": self.batch_id,
            "format": self.format,
            "rows_read": self.counts.rows_read,
            "new": self.counts.new,
            "updated": self.counts.updated,
            "duplicates": self.counts.duplicates,
            "rejected": self.counts.rejected,
            "outside_area": self.counts.outside_area,
            "older_vintage": self.counts.older_vintage,
            "committed": self.committed,
            "files": [f.as_dict() for f in self.files],
            "rejections": [
                {"file": r.file, "line": r.line, "event_id": r.event_id, "reason": r.reason} for r in self.rejected
            ],
            "notes": self.notes,
            "warnings": [w.as_dict() for w in self.warnings],
            "changes": self.changes.astype({"line": "int64"}).to_dict("records") if len(self.changes) else [],
            **(self._tables_json() if self.tables is not None else {}),
        }

    def _tables_json(self) -> dict:
        """Aggregate tables: the same accounting in unit-months (new, revised, unchanged), units matched and not."""
        return {"unit_months": True, "revised": self.counts.updated, "unchanged": self.counts.duplicates, **self.tables}

    def rejected_frame(self) -> pd.DataFrame:
        """The rejected rows as a table.

        Returns
        -------
        pd.DataFrame
            Columns file, line, event_id, reason.
        """
        return rejections_frame(self.rejected)


def rejections_frame(rejected: list[Rejection]) -> pd.DataFrame:
    """Rejected rows as a table.

    Parameters
    ----------
    rejected
        The rejected rows.

    Returns
    -------
    pd.DataFrame
        Columns file, line, event_id, reason.
    """
    return pd.DataFrame(
        [{"file": r.file, "line": r.line, "event_id": r.event_id, "reason": r.reason} for r in rejected],
        columns=["file", "line", "event_id", "reason"],
    )


def prepare_batch(
    paths: list[str | os.PathLike],
    *,
    format: str = "auto",
    mapping: ColumnMapping | None = None,
    display_names: list[str] | None = None,
    max_bytes: int | None = None,
    boundaries: str | None = None,
    tolerance_m: float | None = None,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    indicator: str | None = None,
) -> PreparedBatch | unit_months.PreparedTables:
    """Read, check and place the files of one batch; nothing is stored.

    A batch of ACLED's aggregate tables (each with its `indicator`, else the one its name or rows give) becomes a
    `geo.unit_months.PreparedTables`: its units matched to the ingest boundary set instead of placed.

    Parameters
    ----------
    paths
        The files.
    format
        "auto" (recognised from the header), "acled", "ucdp" or "generic".
    mapping
        The column mapping of a generic CSV (which column holds which canonical field).
    display_names
        The names the user knows the files by (uploads); default their paths.
    max_bytes
        The largest file read, in bytes; None for no limit.
    boundaries
        The boundary set deciding what is outside the area; default `atlas.toml` [boundaries] ingest_area.
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    progress
        Called with (fraction done, message) as the work goes on; None for silence.
    indicator
        The indicator of ACLED's aggregate tables (default: from each file's name, else HDX HAPI's event_type).

    Returns
    -------
    PreparedBatch | unit_months.PreparedTables
        The batch, ready to preview or commit.

    Raises
    ------
    InputError
        When a whole file is unusable (the message names it); no part of the batch is kept then.
    """
    settings = settings or get_settings()
    progress = progress or (lambda fraction, message: None)
    if not paths:
        raise InputError("no file given")
    display_names = display_names or [Path(p).name for p in paths]
    results: list[ReadResult | AggregateRead] = []
    for i, (path, name) in enumerate(zip(paths, display_names)):
        progress(0.6 * i / len(paths), f"reading {name}")
        result = read_file(path, format=format, mapping=mapping, indicator=indicator, display_name=name, max_bytes=max_bytes)
        if result.format == "sample":
            raise InputError(
                f"{name} is the built-in synthetic sample; it is never mixed into a store of real events"
            )
        results.append(result)
    tables = [r for r in results if isinstance(r, AggregateRead)]
    if tables and len(tables) < len(results):
        raise InputError(
            f"{tables[0].file} is a table of ACLED's aggregates and {next(r.file for r in results if not isinstance(r, AggregateRead))} "
            "an event file: they are different sources (never added together); ingest them in separate batches"
        )
    if tables:
        names = [t.file for t in tables]
        if len(set(names)) != len(names):
            raise InputError(f"the same file name appears twice in one batch ({', '.join(names)}); rename one")
        progress(0.6, "matching the tables' units to the boundaries")
        boundary_set = load_boundary_set(boundaries or settings.ingest_area_boundaries, settings)
        return unit_months.prepare_tables(tables, boundary_set, settings=settings)
    progress(0.6, "placing events in every boundary set")
    events = results[0].events if len(results) == 1 else pd.concat([r.events for r in results], ignore_index=True)
    rejected = [rej for r in results for rej in r.rejected]
    notes = [say("note.in_file", file=r.file, note=n) for r in results for n in r.notes]
    boundary_set = load_boundary_set(boundaries or settings.ingest_area_boundaries, settings)
    tolerance = settings.tolerance_m if tolerance_m is None else tolerance_m
    sets = {s.name: s for s in list_boundary_sets(settings)}
    sets[boundary_set.name] = boundary_set
    computed = compute_places_in(events, list(sets.values()), tolerance_m=tolerance, settings=settings)
    placements = next(c.places for c in computed if c.name == boundary_set.name)
    outside = placements["coverage"].to_numpy() == OUTSIDE
    if outside.any():
        swapped = swapped_candidates(events, placements, boundary_set, tolerance_m=tolerance)
        if len(swapped):
            lat = events.loc[swapped.index, "latitude"].astype(str)
            lon = events.loc[swapped.index, "longitude"].astype(str)
            rejected += [
                Rejection(
                    file=f, line=int(line), event_id=str(eid),
                    reason=say("reason.swapped_outside", lat=la, lon=lo, place=label),
                )
                for f, line, eid, la, lo, label in zip(
                    events.loc[swapped.index, "_file"], events.loc[swapped.index, "_line"],
                    events.loc[swapped.index, "event_id"], lat, lon, swapped,
                )
            ]
            events = events.drop(index=swapped.index)
            outside = np.delete(outside, placements.index.get_indexer(swapped.index))
            computed = [c.drop(swapped.index) for c in computed]
    events = events.reset_index(drop=True)
    events["_outside"] = outside
    progress(0.8, "fingerprinting rows")
    events["content_hash"] = content_hash(events)
    files = [
        FileSummary(
            file=r.file, sha256=r.sha256, size=r.size, format=r.format, encoding=r.encoding,
            delimiter=r.delimiter_name, rows_read=r.rows_read, notes=r.notes, layout=r.layout, absent=r.absent,
        )
        for r in results
    ]
    names = [f.file for f in files]
    if len(set(names)) != len(names):
        raise InputError(f"the same file name appears twice in one batch ({', '.join(names)}); rename one")
    return PreparedBatch(files=files, events=events, rejected=rejected, notes=notes, boundaries=boundary_set.name,
                         places=[c.reindexed() for c in computed])


def classify_rows(
    prepared: PreparedBatch, existing: pd.DataFrame, comparison: Comparison,
) -> tuple[pd.DataFrame, list[Rejection], list[str]]:
    """
    Put each accepted row in its bucket against the batch itself and the stored events.

    Parameters
    ----------
    prepared
        The batch.
    existing
        `Store.existing_keys` of the batch's sources: key, `stored_hash` and `stored_timestamp` (Int64).
    comparison
        Each row against the stored version of its event (`compare_rows`).

    Returns
    -------
    (per row: `_file`, `bucket`, `write_kind` ("new", "updated" or ""), `older_revision` (older than the stored
    version: kept out) and `undecided` (which is newer cannot be told), rejections for ids repeated with other
    content, notes)
    """
    events = prepared.events
    notes: list[str] = []
    keys = ["source_dataset", "event_id"]
    bucket = np.full(len(events), "", dtype=object)
    rejected: list[Rejection] = []

    # Within the batch, the first row of an id wins; a later identical row is a duplicate and a later
    # different row is rejected, so an id is never counted twice.
    repeated = events.duplicated(keys, keep="first").to_numpy()
    if repeated.any():
        first_rows = events.loc[~events.duplicated(keys, keep="first"), keys + ["content_hash", "_file", "_line"]]
        first_rows = first_rows.rename(columns={c: f"{c}_first" for c in ("content_hash", "_file", "_line")})
        later = events.loc[repeated, keys + ["content_hash"]].reset_index().merge(first_rows, on=keys, how="left").set_index("index")
        same = later["content_hash"] == later["content_hash_first"]
        bucket[later.index[same]] = "duplicates"
        for idx, row in later.loc[~same].iterrows():
            bucket[idx] = "rejected"
            rejected.append(
                Rejection(
                    file=events.at[idx, "_file"], line=int(events.at[idx, "_line"]), event_id=str(row["event_id"]),
                    reason=say("reason.repeated_id", event_id=row["event_id"], line=int(row["_line_first"]),
                               file=row["_file_first"]),
                )
            )
        if same.any():
            notes.append(say("note.repeated_rows", n=int(same.sum())))

    todo = bucket == ""
    known, same_content, stale = comparison.known, comparison.same, comparison.older
    sub = np.where(~known, "new", np.where(same_content | stale, "duplicates", "updated")).astype(object)
    bucket[todo] = sub[todo]
    stale = stale & todo
    if stale.any():
        notes.append(say("note.older_rows", n=int(stale.sum())))
    for summary in prepared.files:
        mine = (events["_file"] == summary.file).to_numpy()
        held = int((known & mine).sum())
        if summary.absent and held:
            notes.append(say("note.lacks", file=summary.file, columns=", ".join(summary.missing_columns), n=held))
    # A valid event outside the area is stored, but accounted for as outside the area.
    writes = np.isin(bucket, ["new", "updated"])
    outside = events["_outside"].to_numpy() & writes
    # A small frame beside the events (no copy of them): file, bucket and what is written.
    classes = pd.DataFrame(
        {"_file": events["_file"].to_numpy(), "bucket": np.where(outside, "outside_area", bucket),
         "write_kind": np.where(writes, bucket, ""), "older_revision": stale,
         "undecided": comparison.undecided & todo & (bucket == "updated")},
        index=events.index,
    )
    if outside.any():
        notes.append(say("note.outside", n=int(outside.sum()), boundaries=repr(prepared.boundaries)))
    return classes, rejected, notes


def compare_rows(prepared: PreparedBatch, existing: pd.DataFrame, store: Store,
                 conn: sa.Connection) -> tuple[Comparison, pd.DataFrame]:
    """Each row of the batch against the stored version of its event, and the recorded vintages of its sources.

    Parameters
    ----------
    prepared
        The batch read and checked (events, rejected rows, per-file accounting).
    existing
        The stored keys, hashes and timestamps of the batch's sources (`Store.existing_keys`).
    store
        The event store.
    conn
        A connection of the store, inside its transaction.

    Returns
    -------
    tuple[Comparison, pd.DataFrame]
        (`geo.vintages.compare_with_stored` of the batch, `Store.batch_vintages` of its sources).
    """
    sources = sorted(prepared.events["source_dataset"].unique()) or ["-"]
    recorded = store.batch_vintages(conn, sources)
    absent = {f.file: list(f.absent) for f in prepared.files}
    comparison = compare_with_stored(prepared.events, absent, existing, recorded, lambda keys: store.events_by_keys(conn, keys))
    return comparison, recorded


def account_rows(prepared: PreparedBatch, events: pd.DataFrame, rejected: list[Rejection]) -> tuple[BatchCounts, list[FileSummary]]:
    """Count the buckets per file and for the batch, and check that every row read is in exactly one.

    Parameters
    ----------
    prepared
        The batch read and checked (events, rejected rows, per-file accounting).
    events
        The rows classified (new, updated, duplicate, outside the area).
    rejected
        The rejected rows, each with its file, line, event id and reason.

    Returns
    -------
    tuple[BatchCounts, list[FileSummary]]
        (the batch's counts, each file's summary).

    Raises
    ------
    AccountingError
        When a file's counts do not add up to its rows read; the caller's transaction is then abandoned.
    """
    files = []
    total = BatchCounts()
    per_file_rejected = pd.Series([r.file for r in rejected], dtype=object).value_counts()
    counts_by_file = events.groupby(["_file", "bucket"]).size() if len(events) else pd.Series(dtype=int)
    # (Aggregate tables' unit-months have no vintage: no `older_revision` column, none older.)
    older_by_file = events.groupby("_file")["older_revision"].sum() if len(events) and "older_revision" in events \
        else pd.Series(dtype=int)
    for summary in prepared.files:
        counts = BatchCounts(rows_read=summary.rows_read, rejected=int(per_file_rejected.get(summary.file, 0)),
                             older_vintage=int(older_by_file.get(summary.file, 0)))
        for name in ("new", "updated", "duplicates", "outside_area"):
            setattr(counts, name, int(counts_by_file.get((summary.file, name), 0)))
        if not counts.balanced():
            raise AccountingError(
                f"{summary.file}: the row accounting does not balance ({counts.rows_read:,} rows read, but "
                f"{counts.new:,} new + {counts.updated:,} updated + {counts.duplicates:,} duplicates + "
                f"{counts.rejected:,} rejected + {counts.outside_area:,} outside the area); the batch was refused "
                "and nothing was stored. This is a fault of the atlas, not of the file: please report it with the file"
            )
        summary.counts = counts
        files.append(summary)
        for name in ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area", "older_vintage"):
            setattr(total, name, getattr(total, name) + getattr(counts, name))
    return total, files


def _table_files(prepared: unit_months.PreparedTables) -> list[FileSummary]:
    return [FileSummary(file=r.file, sha256=r.sha256, size=r.size, format=r.format, encoding=r.encoding,
                        delimiter=r.delimiter_name, rows_read=r.rows_read, notes=r.notes) for r in prepared.reads]


def _account_tables(prepared: unit_months.PreparedTables, classes: pd.DataFrame,
                    rejected: list[Rejection]) -> tuple[BatchCounts, list[FileSummary]]:
    """`account_rows` for aggregate tables: every row read is a new, revised (updated), unchanged or rejected unit-month."""
    shell = PreparedBatch(files=_table_files(prepared), events=pd.DataFrame(), rejected=[], notes=[], boundaries=prepared.boundaries)
    return account_rows(shell, classes, rejected)


def _tables_report(prepared: unit_months.PreparedTables, store: Store, conn: sa.Connection, *, batch_id: int | None, committed: bool,
                   previous: int | None, write: bool = False, user: str = "", settings: Settings | None = None) -> IngestReport:
    stored = unit_months.stored_rows(conn, prepared)
    classes, extra_rejected, notes, removed = unit_months.classify(prepared, stored)
    rejected = sorted(prepared.rejected + extra_rejected, key=lambda r: (r.file, r.line))
    counts, files = _account_tables(prepared, classes, rejected)
    changes = unit_months.changed_figures(prepared, classes, stored)
    tables = {**prepared.unit_report(), "removed": int(len(removed)), "as_of": {r.file: r.as_of for r in prepared.reads}}
    if write:
        details = {
            "files": [f.as_dict() for f in files], "notes": prepared.notes + notes, "boundaries": prepared.boundaries,
            "previously_ingested": previous, "warnings": [], "coverage": prepared.coverage(),
            "units": {k: v for k, v in tables.items() if k != "unit_matches"},
        }
        batch_id = store.insert_batch(conn, kind="ingest", user=user, files=[f.as_dict() for f in files], fmt=prepared.format,
                                      counts=counts, details=details)
        sync_registered(store, conn, settings=settings, user=user)
        unit_months.write(store, conn, prepared, classes, removed, batch_id=batch_id, settings=settings)
        _store_rejections(store, conn, batch_id, rejected)
        store.bump_version(conn)
        store.log("ingest", f"batch {batch_id}: {', '.join(f.file for f in files)} ({prepared.format}); {counts.rows_read} read, "
                  f"{counts.new} new, {counts.updated} revised, {counts.duplicates} unchanged unit-months, {counts.rejected} "
                  f"rejected, {len(removed)} removed", user=user, conn=conn)
    return IngestReport(batch_id=batch_id, format=prepared.format, counts=counts, files=files, rejected=rejected,
                        notes=prepared.notes + notes, committed=committed, previously_ingested=previous, changes=changes,
                        tables=tables)


def _store_rejections(store: Store, conn: sa.Connection, batch_id: int, rejected: list[Rejection]) -> None:
    if rejected:
        store.bulk_insert(
            conn, "rejections", ["batch_id", "file_name", "line", "event_id", "reason"],
            pd.DataFrame({"batch_id": batch_id, "file_name": [r.file for r in rejected], "line": [r.line for r in rejected],
                          "event_id": [r.event_id for r in rejected], "reason": [r.reason for r in rejected]}),
        )


def preview(prepared: PreparedBatch | unit_months.PreparedTables, store: Store) -> IngestReport:
    """What committing would do now, without writing anything.

    Parameters
    ----------
    prepared
        The batch read and checked: events, or ACLED's aggregate tables.
    store
        The event store.

    Returns
    -------
    IngestReport
        What committing would do now, without writing anything.
    """
    if isinstance(prepared, unit_months.PreparedTables):
        previous = store.find_batch_by_sha(prepared.reads[0].sha256) if len(prepared.reads) == 1 else None
        with store.engine.connect() as conn:
            return _tables_report(prepared, store, conn, batch_id=None, committed=False, previous=previous)
    with store.engine.connect() as conn:
        existing = store.existing_keys(conn, sorted(prepared.events["source_dataset"].unique()) or ["-"])
        comparison, recorded = compare_rows(prepared, existing, store, conn)
        events, extra_rejected, notes = classify_rows(prepared, existing, comparison)
        rejected = sorted(prepared.rejected + extra_rejected, key=lambda r: (r.file, r.line))
        counts, files = account_rows(prepared, events, rejected)
        warnings, changes = review_vintage(prepared, events, existing, store, conn, comparison, recorded)
    previous = store.find_batch_by_sha(prepared.files[0].sha256) if len(prepared.files) == 1 else None
    return IngestReport(
        batch_id=None, format=prepared.format, counts=counts, files=files, rejected=rejected,
        notes=prepared.notes + notes, committed=False, previously_ingested=previous, warnings=warnings, changes=changes,
    )


def review_vintage(
    prepared: PreparedBatch, classes: pd.DataFrame, existing: pd.DataFrame, store: Store, conn: sa.Connection,
    comparison: Comparison, recorded: pd.DataFrame,
) -> tuple[list[VintageWarning], pd.DataFrame]:
    """The batch against the store's vintage: warnings and the changed fields of its updated rows (see `geo.vintages`).

    Parameters
    ----------
    prepared
        The batch read and checked (events, rejected rows, per-file accounting).
    classes
        The rows classified against the store.
    existing
        The stored keys, hashes and timestamps of the batch's sources.
    store
        The event store.
    conn
        A connection of the store, inside its transaction.
    comparison
        Each row against the stored version of its event (`compare_rows`).
    recorded
        `Store.batch_vintages` of the batch's sources (the vintages of batches without timestamps).

    Returns
    -------
    tuple[list[VintageWarning], pd.DataFrame]
        The warnings, and the changed fields of the updated rows (`geo.vintages.changed_fields`).
    """
    events = prepared.events
    sources = sorted(events["source_dataset"].unique()) or ["-"]
    kind = classes["write_kind"].to_numpy()
    changes = comparison.changes
    if len(changes):
        changes = changes[kind[changes["_row"].to_numpy(dtype=np.int64)] == "updated"]
    changes = changes.drop(columns="_row").reset_index(drop=True)
    has_new = bool((kind == "new").any())
    deleted = store.deleted_keys(conn, sources) if has_new else pd.DataFrame(columns=KEY_COLUMNS + ["deleted_by"])
    later = store.coverage(conn, sources) if has_new else pd.DataFrame(columns=COVERAGE_COLUMNS + ["file_names"])
    warnings = vintage_warnings(events, classes, existing, deleted, later, changes, recorded)
    return warnings, changes


def commit_batch(
    prepared: PreparedBatch | unit_months.PreparedTables,
    store: Store,
    *,
    user: str | None = None,
    progress: ProgressFn | None = None,
    settings: Settings | None = None,
) -> IngestReport:
    """Store a prepared batch in one transaction, under the store's write lock.

    The bucket of each row is decided inside the lock, against the store as it is at that moment, so two
    batches committed at once are applied one after the other and both land.

    Parameters
    ----------
    prepared
        The batch read and checked (events, rejected rows, per-file accounting).
    store
        The event store.
    user
        Who acts (recorded in the batch and the audit log); default: ATLAS_USER or the login name.
    progress
        Called with (fraction done, message) as the work goes on; None for silence.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    IngestReport
        What the batch did.
    """
    progress = progress or (lambda fraction, message: None)
    user = user or current_user()
    settings = settings or get_settings()
    if isinstance(prepared, unit_months.PreparedTables):
        previous = store.find_batch_by_sha(prepared.reads[0].sha256) if len(prepared.reads) == 1 else None
        progress(0.85, "waiting for the store's write lock")
        with store.write_transaction() as conn:
            report = _tables_report(prepared, store, conn, batch_id=None, committed=True, previous=previous, write=True,
                                    user=user, settings=settings)
        if report.counts.new + report.counts.updated >= _LARGE_BATCH:
            store.refresh_statistics()
        progress(1.0, "done")
        if previous is not None:
            report.notes.append(f"this file was already ingested as batch {previous}")
        return report
    previous = store.find_batch_by_sha(prepared.files[0].sha256) if len(prepared.files) == 1 else None
    progress(0.85, "waiting for the store's write lock")
    with store.write_transaction() as conn:
        sources = sorted(prepared.events["source_dataset"].unique()) or ["-"]
        existing = store.existing_keys(conn, sources)
        comparison, recorded = compare_rows(prepared, existing, store, conn)
        events, extra_rejected, notes = classify_rows(prepared, existing, comparison)
        rejected = sorted(prepared.rejected + extra_rejected, key=lambda r: (r.file, r.line))
        counts, files = account_rows(prepared, events, rejected)
        warnings, changes = review_vintage(prepared, events, existing, store, conn, comparison, recorded)
        details = {
            "files": [f.as_dict() for f in files],
            "notes": prepared.notes + notes,
            "boundaries": prepared.boundaries,
            "previously_ingested": previous,
            "warnings": [w.as_dict() for w in warnings],
            "coverage": coverage(prepared.events),
        }
        batch_id = store.insert_batch(
            conn, kind="ingest", user=user, files=[f.as_dict() for f in files], fmt=prepared.format,
            counts=counts, details=details,
        )
        store.record_batch_vintages(conn, batch_id, batch_vintages(prepared.events, {f.file: list(f.absent) for f in files}))
        # Every registered boundary set must hold the store's events before this batch adds to them.
        sync_registered(store, conn, settings=settings, user=user)
        progress(0.9, "writing events")
        updates = prepared.events.loc[(events["write_kind"] == "updated").to_numpy(), ["source_dataset", "event_id"]]
        store.archive_and_remove(conn, updates, batch_id=batch_id, change="updated")
        written = (events["write_kind"] != "").to_numpy()
        to_write = prepared.events[CANONICAL_COLUMNS + ["content_hash"]]  # copy-on-write: no data copied here
        if not written.all():
            to_write = to_write.loc[written]
        computed = [c.select(written) for c in prepared.places]
        filled = comparison.filled.loc[comparison.filled.index.isin(to_write.index)]
        if len(filled):  # updated rows of a file that lacks columns: the stored values stay in those
            placing = ["longitude", "latitude", "max_admin_level", "country_iso3"]
            if not to_write.loc[filled.index, placing].equals(filled[placing]):
                computed = []  # their places are computed again, from the values written
            to_write = to_write.copy()
            to_write.loc[filled.index, filled.columns] = filled
        to_write = to_write.assign(batch_id=batch_id)
        row_ids = store.insert_events(conn, to_write)
        progress(0.95, "storing the events' places")
        place_written(store, conn, to_write, row_ids, settings=settings, computed=computed)
        if rejected:
            store.bulk_insert(
                conn, "rejections", ["batch_id", "file_name", "line", "event_id", "reason"],
                pd.DataFrame(
                    {
                        "batch_id": batch_id,
                        "file_name": [r.file for r in rejected],
                        "line": [r.line for r in rejected],
                        "event_id": [r.event_id for r in rejected],
                        "reason": [r.reason for r in rejected],
                    }
                ),
            )
        store.bump_version(conn)
        store.log(
            "ingest",
            f"batch {batch_id}: {', '.join(f.file for f in files)} ({prepared.format}); "
            f"{counts.rows_read} read, {counts.new} new, {counts.updated} updated, {counts.duplicates} duplicates, "
            f"{counts.rejected} rejected, {counts.outside_area} outside the area",
            user=user, conn=conn,
        )
    if written.sum() >= _LARGE_BATCH:
        store.refresh_statistics()
    progress(1.0, "done")
    if previous is not None:
        notes.append(say("note.already", batch=previous))
    return IngestReport(
        batch_id=batch_id, format=prepared.format, counts=counts, files=files, rejected=rejected,
        notes=prepared.notes + notes, committed=True, previously_ingested=previous, warnings=warnings, changes=changes,
    )


def ingest_files(
    paths: list[str | os.PathLike],
    store: Store | None = None,
    *,
    format: str = "auto",
    mapping: ColumnMapping | None = None,
    user: str | None = None,
    max_bytes: int | None = None,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    indicator: str | None = None,
) -> IngestReport:
    """Read, check, place and store files as one batch (see `prepare_batch` and `commit_batch`).

    Parameters
    ----------
    paths
        The files.
    store
        The event store.
    format
        "auto" (recognised from the header), "acled", "ucdp" or "generic".
    mapping
        The column mapping of a generic CSV (which column holds which canonical field).
    user
        Who acts (recorded in the batch and the audit log); default: ATLAS_USER or the login name.
    max_bytes
        The largest file read, in bytes; None for no limit.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    progress
        Called with (fraction done, message) as the work goes on; None for silence.
    indicator
        The indicator of ACLED's aggregate tables (default: from each file's name, else HDX HAPI's event_type).

    Returns
    -------
    IngestReport
        What the batch did.
    """
    settings = settings or get_settings()
    store = store or Store(settings=settings)
    prepared = prepare_batch(
        paths, format=format, mapping=mapping, max_bytes=max_bytes, settings=settings, progress=progress, indicator=indicator,
    )
    return commit_batch(prepared, store, user=user, progress=progress, settings=settings)


def apply_deletions(
    path: str | os.PathLike,
    store: Store,
    *,
    source: str = "acled",
    user: str | None = None,
    display_name: str | None = None,
) -> IngestReport:
    """Apply a list of deleted event ids (ACLED publishes deletions by `event_id_cnty`) as its own batch.

    Deleted events move to the version history, so rolling the batch back restores them. Ids not in
    the store are counted as duplicates (nothing to do) and listed in the notes.

    Parameters
    ----------
    path
        The file.
    store
        The event store.
    source
        The source dataset ("acled", "ucdp", "generic", "sample").
    user
        Who acts (recorded in the batch and the audit log); default: ATLAS_USER or the login name.
    display_name
        The name the user knows the file by; default its path.

    Returns
    -------
    IngestReport
        What the deletion batch did.
    """
    from .readers import load_csv

    user = user or current_user()
    table = load_csv(path, display_name=display_name, min_columns=1)
    lower = {h.lower(): h for h in table.header}
    column = next((lower[c] for c in ("event_id_cnty", "event_id", "id") if c in lower), None)
    if column is None:
        raise InputError(f"{table.file}: a deletion list needs an event_id_cnty column; its columns are {', '.join(table.header)}")
    ids = table.data[column].astype(str).str.strip()
    rejected = list(table.malformed)
    blank = ids == ""
    rejected += [Rejection(file=table.file, line=int(line), reason="event id missing") for line in table.lines[blank.to_numpy()]]
    ids_ok = ids[~blank]
    repeated = ids_ok.duplicated().to_numpy()
    with store.write_transaction() as conn:
        existing = store.existing_keys(conn, [source])
        present = ids_ok.isin(set(existing["event_id"])).to_numpy()
        to_delete = ids_ok[present & ~repeated]
        counts = BatchCounts(
            rows_read=table.rows_read, rejected=len(rejected), deleted=int(len(to_delete)),
            duplicates=int((~present | repeated).sum()),
        )
        missing = ids_ok[~present & ~repeated].head(20).tolist()
        notes = [f"{int((~present & ~repeated).sum())} id(s) are not in the store (nothing to delete): {', '.join(missing)}"] if missing else []
        files = [{"file": table.file, "sha256": table.sha256, "rows_read": table.rows_read}]
        batch_id = store.insert_batch(
            conn, kind="deletion", user=user, files=files, fmt="deletions", counts=counts,
            details={"files": files, "notes": notes, "source": source},
        )
        keys = pd.DataFrame({"source_dataset": source, "event_id": to_delete.to_numpy()})
        store.archive_and_remove(conn, keys, batch_id=batch_id, change="deleted")
        if rejected:
            store.bulk_insert(
                conn, "rejections", ["batch_id", "file_name", "line", "event_id", "reason"],
                pd.DataFrame({"batch_id": batch_id, "file_name": [r.file for r in rejected],
                              "line": [r.line for r in rejected], "event_id": [r.event_id for r in rejected],
                              "reason": [r.reason for r in rejected]}),
            )
        store.bump_version(conn)
        store.log("deletions", f"batch {batch_id}: {counts.deleted} {source} event(s) deleted from {table.file}", user=user, conn=conn)
    summary = FileSummary(file=table.file, sha256=table.sha256, size=table.size, format="deletions",
                          encoding=table.encoding, delimiter=table.delimiter_name, rows_read=table.rows_read, counts=counts)
    return IngestReport(batch_id=batch_id, format="deletions", counts=counts, files=[summary], rejected=rejected,
                        notes=notes, committed=True)


def rollback_batch(store: Store, batch_id: int, *, user: str | None = None) -> dict:
    """Undo a batch exactly, in one transaction: remove what it wrote and restore the versions it replaced or deleted, with their places in every registered boundary set and their summary figures.

    Parameters
    ----------
    store
        The store.
    batch_id
        The batch to undo (``python -m geo batches`` lists them).
    user
        Who rolls it back (default: ATLAS_USER or the login name).

    Returns
    -------
    dict
        batch_id, removed (event versions), restored (earlier versions put back); for a batch of ACLED's aggregates,
        unit_months_removed and unit_months_restored too.

    Raises
    ------
    StoreError
        When the batch does not exist, is already rolled back, or a later batch revised or deleted events it
        wrote (roll that one back first). Nothing is changed then.
    """
    user = user or current_user()
    with store.write_transaction() as conn:
        removed, restored, selection = store.undo_rows(conn, batch_id)
        place_restored(store, conn, selection)
        # ACLED's aggregates: the unit-months the batch wrote out, those it revised or removed back, their summary remade
        months = unit_months.roll_back(store, conn, batch_id)
        return store.finish_rollback(conn, batch_id, user=user, removed=removed, restored=restored, unit_months=months)
