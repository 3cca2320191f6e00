"""Ingest: files → validated canonical events → placed → stored as one batch, with the row accounting.

Every row read lands in exactly one bucket:

- **new**: an event the store did not have;
- **updated**: a new version of a stored event (ACLED: a newer `timestamp`); the old version is kept;
- **duplicates**: unchanged — the store already holds this version (or a newer ACLED revision), or the
  same row appears earlier in the batch;
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

import numpy as np
import pandas as pd

from . import unit_months
from .boundaries import list_boundary_sets, load_boundary_set
from .config import Settings, get_settings
from .errors import AccountingError, InputError
from .join import OUTSIDE, swapped_candidates
from .places import ComputedPlaces, compute_places_in, place_restored, place_written, sync_registered
from .readers import AggregateRead, ColumnMapping, ReadResult, Rejection, read_file
from .schema import CANONICAL_COLUMNS, KEY_COLUMNS, content_hash
from .store import BatchCounts, Store, current_user
from .vintages import CHANGE_COLUMNS, COVERAGE_COLUMNS, VintageWarning, changed_fields, coverage, vintage_warnings

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

    def as_dict(self) -> dict:
        return {
            "file": self.file, "sha256": self.sha256, "size": self.size, "format": self.format,
            "encoding": self.encoding, "delimiter": self.delimiter, "notes": self.notes,
            **{k: getattr(self.counts, k) for k in ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area")},
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
        """
        The `--json` contract: batch_id, format, rows_read, new, updated, duplicates, rejected, outside_area
        (and committed, files, rejections, notes, warnings, changes).
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
        return rejections_frame(self.rejected)


def rejections_frame(rejected: list[Rejection]) -> pd.DataFrame:
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
    """
    Read, check and place the files of one batch; nothing is stored.

    A batch of ACLED's aggregate tables (each with its `indicator`, else the one its name or rows give) becomes a
    `geo.unit_months.PreparedTables`: its units matched to the ingest boundary set instead of placed.

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
    notes = [f"{r.file}: {n}" for r in results for n in r.notes]
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
                    reason=f"latitude {la} / longitude {lo} lies outside the area, but swapped it would lie in "
                    f"{label}: latitude and longitude look swapped; correct the columns and upload again",
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
            delimiter=r.delimiter_name, rows_read=r.rows_read, notes=r.notes,
        )
        for r in results
    ]
    names = [f.file for f in files]
    if len(set(names)) != len(names):
        raise InputError(f"the same file name appears twice in one batch ({', '.join(names)}); rename one")
    return PreparedBatch(files=files, events=events, rejected=rejected, notes=notes, boundaries=boundary_set.name,
                         places=[c.reindexed() for c in computed])


def classify_rows(prepared: PreparedBatch, existing: pd.DataFrame) -> tuple[pd.DataFrame, list[Rejection], list[str]]:
    """
    Put each accepted row in its bucket against the batch itself and the stored events.

    Parameters
    ----------
    prepared
        The batch.
    existing
        `Store.existing_keys` of the batch's sources: key, `stored_hash` and `stored_timestamp` (Int64).

    Returns
    -------
    (per row: `_file`, `bucket`, `write_kind` ("new", "updated" or "") and `older_revision` (an ACLED
    revision older than the stored one), rejections for ids repeated with other content, notes)
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
                    reason=f"event id {row['event_id']} already appears with different content on line "
                    f"{int(row['_line_first'])} of {row['_file_first']}; an id may appear once per batch",
                )
            )
        if same.any():
            notes.append(f"{int(same.sum())} row(s) repeat an identical earlier row of the batch (counted as duplicates)")

    todo = bucket == ""
    # Hashes and timestamps stay 64-bit integers through the merge (nullable Int64 where a row is not
    # stored): a float round trip would make most unchanged rows look changed.
    merged = events.loc[todo, keys + ["content_hash", "revision_timestamp"]].merge(
        existing.astype({"stored_hash": "Int64", "stored_timestamp": "Int64"}), on=keys, how="left", validate="many_to_one",
    )
    merged.index = events.index[todo]
    stored_hash = merged["stored_hash"]
    known = stored_hash.notna().to_numpy()
    same_hash = (stored_hash == merged["content_hash"].astype("Int64")).fillna(False).to_numpy(dtype=bool)
    older = merged["revision_timestamp"].astype("Int64") < merged["stored_timestamp"]
    stale = known & ~same_hash & older.fillna(False).to_numpy(dtype=bool)
    sub = np.where(~known, "new", np.where(same_hash | stale, "duplicates", "updated")).astype(object)
    bucket[np.flatnonzero(todo)] = sub
    if stale.any():
        notes.append(
            f"{int(stale.sum())} row(s) are older ACLED revisions than the stored ones (smaller timestamp): "
            "the stored versions were kept (counted as duplicates)"
        )
    # A valid event outside the area is stored, but accounted for as outside the area.
    writes = np.isin(bucket, ["new", "updated"])
    outside = events["_outside"].to_numpy() & writes
    # A small frame beside the events (no copy of them): file, bucket and what is written.
    older_revision = np.zeros(len(events), dtype=bool)
    older_revision[np.flatnonzero(todo)] = stale
    classes = pd.DataFrame(
        {"_file": events["_file"].to_numpy(), "bucket": np.where(outside, "outside_area", bucket),
         "write_kind": np.where(writes, bucket, ""), "older_revision": older_revision},
        index=events.index,
    )
    if outside.any():
        notes.append(
            f"{int(outside.sum())} event(s) lie beyond the tolerance outside every unit of the "
            f"{prepared.boundaries!r} boundaries: stored and counted as outside the area"
        )
    return classes, rejected, notes


def account_rows(prepared: PreparedBatch, events: pd.DataFrame, rejected: list[Rejection]) -> tuple[BatchCounts, list[FileSummary]]:
    """
    Count the buckets per file and for the batch, and check that every row read is in exactly one.

    Raises
    ------
    AccountingError
        When a file's counts do not add up to its rows read; the caller's transaction is then abandoned.
    """
    files = []
    total = BatchCounts()
    per_file_rejected = pd.Series([r.file for r in rejected], dtype=object).value_counts()
    counts_by_file = events.groupby(["_file", "bucket"]).size() if len(events) else pd.Series(dtype=int)
    for summary in prepared.files:
        counts = BatchCounts(rows_read=summary.rows_read, rejected=int(per_file_rejected.get(summary.file, 0)))
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
        for name in ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area"):
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


def _tables_report(prepared: unit_months.PreparedTables, store: Store, conn, *, batch_id: int | None, committed: bool,
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


def _store_rejections(store: Store, conn, batch_id: int, rejected: list[Rejection]) -> None:
    if rejected:
        store.bulk_insert(
            conn, "rejections", ["batch_id", "file_name", "line", "event_id", "reason"],
            pd.DataFrame({"batch_id": batch_id, "file_name": [r.file for r in rejected], "line": [r.line for r in rejected],
                          "event_id": [r.event_id for r in rejected], "reason": [r.reason for r in rejected]}),
        )


def preview(prepared: PreparedBatch | unit_months.PreparedTables, store: Store) -> IngestReport:
    """What committing would do now, without writing anything."""
    if isinstance(prepared, unit_months.PreparedTables):
        previous = store.find_batch_by_sha(prepared.reads[0].sha256) if len(prepared.reads) == 1 else None
        with store.engine.connect() as conn:
            return _tables_report(prepared, store, conn, batch_id=None, committed=False, previous=previous)
    with store.engine.connect() as conn:
        existing = store.existing_keys(conn, sorted(prepared.events["source_dataset"].unique()) or ["-"])
        events, extra_rejected, notes = classify_rows(prepared, existing)
        rejected = sorted(prepared.rejected + extra_rejected, key=lambda r: (r.file, r.line))
        counts, files = account_rows(prepared, events, rejected)
        warnings, changes = review_vintage(prepared, events, existing, store, conn)
    previous = store.find_batch_by_sha(prepared.files[0].sha256) if len(prepared.files) == 1 else None
    return IngestReport(
        batch_id=None, format=prepared.format, counts=counts, files=files, rejected=rejected,
        notes=prepared.notes + notes, committed=False, previously_ingested=previous, warnings=warnings, changes=changes,
    )


def review_vintage(
    prepared: PreparedBatch, classes: pd.DataFrame, existing: pd.DataFrame, store: Store, conn
) -> tuple[list[VintageWarning], pd.DataFrame]:
    """The batch against the store's vintage: warnings and changed fields (see `geo.vintages`)."""
    events = prepared.events
    sources = sorted(events["source_dataset"].unique()) or ["-"]
    kind = classes["write_kind"].to_numpy()
    changes = None
    is_updated = kind == "updated"
    if is_updated.any():  # (a boolean .loc of a large batch costs a copy even when it selects nothing)
        updated = events.loc[is_updated]
        changes = changed_fields(updated, store.events_by_keys(conn, updated[KEY_COLUMNS]))
    has_new = bool((kind == "new").any())
    deleted = store.deleted_keys(conn, sources) if has_new else pd.DataFrame(columns=KEY_COLUMNS + ["deleted_by"])
    later = store.coverage(conn, sources) if has_new else pd.DataFrame(columns=COVERAGE_COLUMNS + ["file_names"])
    warnings = vintage_warnings(events, classes, existing, deleted, later, changes)
    return warnings, changes if changes is not None else pd.DataFrame(columns=CHANGE_COLUMNS)


def commit_batch(
    prepared: PreparedBatch | unit_months.PreparedTables,
    store: Store,
    *,
    user: str | None = None,
    progress: ProgressFn | None = None,
    settings: Settings | None = None,
) -> IngestReport:
    """
    Store a prepared batch in one transaction, under the store's write lock.

    The bucket of each row is decided inside the lock, against the store as it is at that moment, so two
    batches committed at once are applied one after the other and both land.
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
        events, extra_rejected, notes = classify_rows(prepared, existing)
        rejected = sorted(prepared.rejected + extra_rejected, key=lambda r: (r.file, r.line))
        counts, files = account_rows(prepared, events, rejected)
        warnings, changes = review_vintage(prepared, events, existing, store, conn)
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
        # Every registered boundary set must hold the store's events before this batch adds to them.
        sync_registered(store, conn, settings=settings, user=user)
        progress(0.9, "writing events")
        updates = prepared.events.loc[(events["write_kind"] == "updated").to_numpy(), ["source_dataset", "event_id"]]
        store.archive_and_remove(conn, updates, batch_id=batch_id, change="updated")
        written = (events["write_kind"] != "").to_numpy()
        to_write = prepared.events[CANONICAL_COLUMNS + ["content_hash"]]  # copy-on-write: no data copied here
        if not written.all():
            to_write = to_write.loc[written]
        to_write = to_write.assign(batch_id=batch_id)
        row_ids = store.insert_events(conn, to_write)
        progress(0.95, "storing the events' places")
        place_written(store, conn, to_write, row_ids, settings=settings,
                      computed=[c.select(written) for c in prepared.places])
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
        notes.append(f"this file was already ingested as batch {previous}")
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
    """Read, check, place and store files as one batch (see `prepare_batch` and `commit_batch`)."""
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
    """
    Apply a list of deleted event ids (ACLED publishes deletions by `event_id_cnty`) as its own batch.

    Deleted events move to the version history, so rolling the batch back restores them. Ids not in
    the store are counted as duplicates (nothing to do) and listed in the notes.
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
    """
    Undo a batch exactly, in one transaction: remove what it wrote and restore the versions it replaced or deleted,
    with their places in every registered boundary set and their summary figures.

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
