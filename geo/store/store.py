"""The :class:`Store`: a store at a SQLAlchemy URL, opened (and brought up to the current schema) once, then read and written in transactions — events and their versions, batches with their row accounting, rejections, the audit log, place sets and their summaries, and the two halves of a rollback.

- A batch is written in one transaction, under a write lock taken before the store is read, so two
  analysts committing at once both land and neither overwrites the other; a crash mid-commit leaves the
  batch wholly absent.
- `data_version` changes with every commit and rollback: caches of the app key on it.
"""

from __future__ import annotations

import getpass
import io
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..config import Settings, get_settings
from ..errors import StoreError
from ..schema import CANONICAL_COLUMNS, coerce_events, empty_events
from .migrate import is_current, upgrade
from .tables import (
    ACTOR_SUMMARY_KEYS,
    AREA_SUMMARY_KEYS,
    AREA_SUMMARY_MEASURES,
    BORDER_SUMMARY_KEYS,
    BORDER_SUMMARY_MEASURES,
    BUCKET_CAP,
    CELL_DEG,
    DISTANCE_BUCKET_KM,
    STORED_COLUMNS,
    SUMMARIES,
    SUMMARY_KEYS,
    SUMMARY_MEASURES,
    aggregate_rows_table,
    aggregate_versions_table,
    area_units_table,
    audit_table,
    batch_vintages_table,
    batches_table,
    events_table,
    jobs_table,
    meta_table,
    metadata,
    place_sets_table,
    places_table,
    rejections_table,
    versions_table,
)

if TYPE_CHECKING:  # annotations only
    import sqlite3
    from types import TracebackType

# SQLite page cache per connection (negative: KiB): large while writing a batch, small for readers, whose
# pool may hold several connections.
_WRITE_CACHE_KB = -262_144
_READ_CACHE_KB = -32_768




def now_iso() -> str:
    """The current UTC time as ISO text (seconds): how the store records times.

    Returns
    -------
    str
        The time.
    """
    return datetime.now(UTC).isoformat(timespec="seconds")


def current_user() -> str:
    """Who is acting: ATLAS_USER, else the login name.

    Returns
    -------
    str
        The name.
    """
    try:
        return os.environ.get("ATLAS_USER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def default_url(settings: Settings | None = None) -> str:
    """The configured store's URL: `ATLAS_DB_URL` or `atlas.toml` [store] url, else `atlas.sqlite` in the data home.

    Parameters
    ----------
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    str
        The URL.
    """
    settings = settings or get_settings()
    if settings.store_url:
        return settings.store_url
    return f"sqlite:///{settings.home / 'atlas.sqlite'}"


def store_url(url: str | None = None, settings: Settings | None = None) -> str:
    """The SQLAlchemy URL of a store: `url` (a bare file path is a SQLite store), else the configured one.

    Parameters
    ----------
    url
        A SQLAlchemy URL or a SQLite file path; None for the configured store.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    str
        The SQLAlchemy URL of a store: `url` (a bare file path is a SQLite store), else the configured one.
    """
    url = url or default_url(settings)
    if "://" in url:
        return url
    return f"sqlite:///{Path(url).expanduser().resolve()}"


@dataclass
class BatchCounts:
    """The row accounting of a batch: rows_read = new + updated + duplicates + rejected + outside_area."""

    rows_read: int = 0
    new: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0
    outside_area: int = 0
    deleted: int = 0
    #: Of the duplicates: rows older than the stored versions of their events (kept out; see `geo.vintages`).
    older_vintage: int = 0

    def balanced(self) -> bool:
        """Whether every row read is in exactly one bucket.

        Returns
        -------
        bool
            Whether the counts add up.
        """
        return self.rows_read == self.new + self.updated + self.duplicates + self.rejected + self.outside_area + self.deleted


class Store:
    """
    An event store at a SQLAlchemy URL.

    Parameters
    ----------
    url
        SQLAlchemy URL or a SQLite file path; default from settings (`ATLAS_DB_URL`, `atlas.toml`).
    """

    def __init__(self, url: str | None = None, *, settings: Settings | None = None) -> None:
        self.url = store_url(url, settings)
        self.is_sqlite = self.url.startswith("sqlite")
        if self.is_sqlite:
            path = sa.engine.make_url(self.url).database
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine = sa.create_engine(
                self.url, future=True, connect_args={"timeout": 120} if self.is_sqlite else {},
                pool_pre_ping=not self.is_sqlite,
            )
        except (sa.exc.ArgumentError, ImportError) as exc:
            raise StoreError(f"cannot use store URL {self.url!r}: {exc}") from None
        if self.is_sqlite:
            self._configure_sqlite()
        #: (revision before, revision now) when opening brought the store up to date (a new store: before is None).
        self.upgraded: tuple[str | None, str] | None = None
        try:
            with self.engine.connect() as conn:
                if is_current(conn):
                    return
            # Creating or migrating the schema takes the write lock: two processes opening a new store
            # at once must not both create it.
            with self.write_transaction() as conn:
                self.upgraded = upgrade(conn)
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open the store at {self.url}: {exc.orig}") from None

    def _configure_sqlite(self) -> None:
        @sa_event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            # Let SQLAlchemy's "begin" event below issue BEGIN, so that writers can take the lock first.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; crash-safe
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA cache_size={_READ_CACHE_KB}")  # per connection: a viewer's pool stays small
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
            # SQLite's lower() folds ASCII only; the actor search must fold "É" as pandas does.
            dbapi_connection.create_function("atlas_lower", 1, _lower, deterministic=True)

        @sa_event.listens_for(self.engine, "begin")
        def _on_begin(conn: sa.Connection) -> None:
            immediate = conn.get_execution_options().get("write_lock", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    # ------------------------------------------------------------------ transactions

    def write_transaction(self) -> _WriteTransaction:
        """A context manager: a connection in a transaction that holds the store's write lock.

        Returns
        -------
        _WriteTransaction
            A context manager giving the connection; the transaction commits when the block ends, and rolls back on an
            error.
        """
        return _WriteTransaction(self)

    def _lock(self, conn: sa.Connection) -> None:
        if not self.is_sqlite:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(472301)"))

    # ------------------------------------------------------------------ reading

    def data_version(self) -> int:
        """The data version: changes with every commit and rollback (caches key on it).

        Returns
        -------
        int
            The version.
        """
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")).scalar()
        return int(value or 0)

    def count_events(self, source: str | None = None) -> int:
        """How many current events the store holds.

        Parameters
        ----------
        source
            Only those of this source; None for all.

        Returns
        -------
        int
            The count.
        """
        query = sa.select(sa.func.count()).select_from(events_table)
        if source:
            query = query.where(events_table.c.source_dataset == source)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def has_events(self) -> bool:
        """Whether the store holds any event (one indexed lookup, whatever its size).

        Returns
        -------
        bool
            Whether the store holds any event (one indexed lookup, whatever its size).
        """
        with self.engine.connect() as conn:
            return conn.execute(sa.select(events_table.c.row_id).limit(1)).first() is not None

    def sources(self) -> list[str]:
        """The sources of the current events.

        Returns
        -------
        list[str]
            Their names, sorted.
        """
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(events_table.c.source_dataset).distinct()).scalars().all()
        return sorted(rows)

    def load_events(self, *, sources: list[str] | None = None, with_hash: bool = False) -> pd.DataFrame:
        """Every current event (optionally of some sources) as a canonical table.

        Parameters
        ----------
        sources
            Source datasets; None for every one.
        with_hash
            Whether the content hash is kept as a column.

        Returns
        -------
        pd.DataFrame
            Every current event (optionally of some sources) as a canonical table.
        """
        columns = [events_table.c[c] for c in (STORED_COLUMNS if with_hash else CANONICAL_COLUMNS)]
        query = sa.select(*columns)
        if sources:
            query = query.where(events_table.c.source_dataset.in_(sources))
        query = query.order_by(events_table.c.source_dataset, events_table.c.event_date, events_table.c.event_id)
        with self.engine.connect() as conn:
            frame = pd.read_sql(query, conn)
        if frame.empty:
            return empty_events()
        out = coerce_events(frame)
        if with_hash:
            out["content_hash"] = frame["content_hash"].astype("int64")
        return out

    def existing_keys(self, conn: sa.Connection, sources: list[str]) -> pd.DataFrame:
        """Key, content hash and revision timestamp of stored events of these sources.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        sources
            Source datasets ("acled", "ucdp", "generic", "sample").

        Returns
        -------
        pd.DataFrame
            Columns source_dataset, event_id, content_hash, revision_timestamp.
        """
        query = sa.select(
            events_table.c.source_dataset, events_table.c.event_id, events_table.c.content_hash,
            events_table.c.revision_timestamp, events_table.c.batch_id,
        ).where(events_table.c.source_dataset.in_(sources))
        rows = conn.execute(query).all()
        # Built column by column from the Python ints the driver returns: a frame built from the rows would
        # make a column with a missing value float64, and 64-bit hashes do not survive a float.
        columns = list(zip(*rows)) if rows else [(), (), (), (), ()]
        return pd.DataFrame({
            "source_dataset": pd.array(columns[0], dtype="str"),
            "event_id": pd.array(columns[1], dtype="str"),
            "stored_hash": pd.array(columns[2], dtype="Int64"),
            "stored_timestamp": pd.array(columns[3], dtype="Int64"),
            "stored_batch": pd.array(columns[4], dtype="Int64"),
        })

    def batch_vintages(self, conn: sa.Connection, sources: list[str]) -> pd.DataFrame:
        """The vintage and absent columns of each committed ingest batch (`batch_vintages`), per source.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        sources
            The sources (`source_dataset`) whose batches are read.

        Returns
        -------
        pd.DataFrame
            `batch_id, source_dataset, vintage` (Int64, seconds since 1970 UTC), `vintage_from, absent_columns`.
        """
        v, b = batch_vintages_table.c, batches_table.c
        rows = conn.execute(
            sa.select(v.batch_id, v.source_dataset, v.vintage, v.vintage_from, v.absent_columns)
            .select_from(batch_vintages_table.join(batches_table, b.batch_id == v.batch_id))
            .where(b.status == "committed", v.source_dataset.in_(sources))
        ).all()
        columns = list(zip(*rows)) if rows else [(), (), (), (), ()]
        return pd.DataFrame({
            "batch_id": pd.array(columns[0], dtype="Int64"), "source_dataset": pd.array(columns[1], dtype="str"),
            "vintage": pd.array(columns[2], dtype="Int64"), "vintage_from": pd.array(columns[3], dtype="object"),
            "absent_columns": pd.array(columns[4], dtype="str"),
        })

    def record_batch_vintages(self, conn: sa.Connection, batch_id: int, rows: list[dict]) -> None:
        """Record a batch's vintage and absent columns per source (`geo.vintages.batch_vintages`).

        Parameters
        ----------
        conn
            A connection of the store, inside its write transaction.
        batch_id
            The batch.
        rows
            One per source: `source_dataset, vintage, vintage_from, absent_columns`.
        """
        if rows:
            conn.execute(batch_vintages_table.insert(), [{**r, "batch_id": int(batch_id)} for r in rows])

    def events_by_keys(self, conn: sa.Connection, keys: pd.DataFrame) -> pd.DataFrame:
        """The stored versions of the events with these keys (source_dataset, event_id), canonical.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        keys
            Columns source_dataset and event_id.

        Returns
        -------
        pd.DataFrame
            The stored versions of the events with these keys (source_dataset, event_id), canonical.
        """
        if keys.empty:
            return empty_events()
        with self._keys_table(conn, keys):
            cols = ", ".join(f'e."{c}"' for c in CANONICAL_COLUMNS)
            frame = pd.read_sql(
                sa.text(f"SELECT {cols} FROM events e JOIN _batch_keys k "
                        "ON e.source_dataset = k.source_dataset AND e.event_id = k.event_id"), conn,
            )
        return coerce_events(frame) if len(frame) else empty_events()

    def stored_ids(self, source: str, ids: list[str]) -> set[str]:
        """Which of these event ids of `source` the store holds (a join on the ids given, not a scan of all).

        Parameters
        ----------
        source
            The source dataset ("acled", "ucdp", "generic", "sample").
        ids
            Event ids.

        Returns
        -------
        set[str]
            Which of these event ids of `source` the store holds (a join on the ids given, not a scan of all).
        """
        if not ids:
            return set()
        keys = pd.DataFrame({"source_dataset": source, "event_id": list(ids)})
        with self.engine.begin() as conn, self._keys_table(conn, keys):
            rows = conn.exec_driver_sql(
                "SELECT e.event_id FROM events e JOIN _batch_keys k ON e.source_dataset = k.source_dataset "
                "AND e.event_id = k.event_id"
            ).scalars().all()
        return set(rows)

    def deleted_keys(self, conn: sa.Connection, sources: list[str]) -> pd.DataFrame:
        """Events a deletion batch still in force removed: source_dataset, event_id, deleted_by (batch).

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        sources
            Source datasets ("acled", "ucdp", "generic", "sample").

        Returns
        -------
        pd.DataFrame
            Events a deletion batch still in force removed: source_dataset, event_id, deleted_by (batch).
        """
        query = sa.select(
            versions_table.c.source_dataset, versions_table.c.event_id, versions_table.c.superseded_by,
        ).where(versions_table.c.change == "deleted", versions_table.c.source_dataset.in_(sources))
        rows = conn.execute(query).all()
        return pd.DataFrame(
            {"source_dataset": pd.array([r[0] for r in rows], dtype="str"), "event_id": pd.array([r[1] for r in rows], dtype="str"),
             "deleted_by": pd.array([r[2] for r in rows], dtype="Int64")}
        )

    def coverage(self, conn: sa.Connection, sources: list[str]) -> pd.DataFrame:
        """What each committed ingest batch covered, per source and country.

        `batch_id, file_names, source_dataset, country_iso3, first_date, last_date, newest_timestamp` (ISO
        dates, ACLED timestamp).

        From the coverage recorded with the batch; for batches stored before it was recorded, from the
        events they wrote that are still current (which covers less, never more).

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        sources
            Source datasets ("acled", "ucdp", "generic", "sample").

        Returns
        -------
        pd.DataFrame
            What each committed ingest batch covered, per source and country: `batch_id, file_names, source_dataset,
            country_iso3, first_date, last_date, newest_timestamp` (ISO dates, ACLED timestamp).
        """
        columns = ["batch_id", "file_names", "source_dataset", "country_iso3", "first_date", "last_date", "newest_timestamp"]
        b = batches_table.c
        batches = conn.execute(
            sa.select(b.batch_id, b.file_names, b.details).where(b.status == "committed", b.kind == "ingest")
        ).all()
        rows, unrecorded = [], {}
        for batch_id, file_names, details in batches:
            recorded = json.loads(details or "{}").get("coverage")
            if recorded is None:
                unrecorded[int(batch_id)] = file_names
                continue
            rows += [{"batch_id": int(batch_id), "file_names": file_names, **{k: c.get(k) for k in columns[2:]}}
                     for c in recorded if c.get("source_dataset") in sources]
        if unrecorded:
            e = events_table.c
            query = (
                sa.select(e.batch_id, e.source_dataset, e.country_iso3, sa.func.min(e.event_date), sa.func.max(e.event_date),
                          sa.func.max(e.revision_timestamp))
                .where(e.batch_id.in_(list(unrecorded)), e.source_dataset.in_(sources))
                .group_by(e.batch_id, e.source_dataset, e.country_iso3)
            )
            rows += [{"batch_id": int(r[0]), "file_names": unrecorded[int(r[0])], "source_dataset": r[1], "country_iso3": r[2],
                      "first_date": r[3], "last_date": r[4], "newest_timestamp": r[5]} for r in conn.execute(query).all()]
        frame = pd.DataFrame(rows, columns=columns)
        frame["newest_timestamp"] = pd.array([None if pd.isna(v) else int(v) for v in frame["newest_timestamp"]], dtype="Int64")
        return frame

    def batches(self) -> pd.DataFrame:
        """Every batch with its row accounting, oldest first.

        Returns
        -------
        pd.DataFrame
            One row per batch.
        """
        with self.engine.connect() as conn:
            frame = pd.read_sql(sa.select(batches_table).order_by(batches_table.c.batch_id), conn)
        return frame

    def batch(self, batch_id: int) -> dict:
        """One batch's row (KeyError when there is none).

        Parameters
        ----------
        batch_id
            The batch.

        Returns
        -------
        dict
            The batch's columns.
        """
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(batches_table).where(batches_table.c.batch_id == batch_id)).mappings().first()
        if row is None:
            raise StoreError(f"there is no batch {batch_id}; `python -m geo batches` lists them")
        out = dict(row)
        out["details"] = json.loads(out["details"] or "{}")
        return out

    def rejections(self, batch_id: int) -> pd.DataFrame:
        """The rejected rows of a batch, with their file, line, event id and reason.

        Parameters
        ----------
        batch_id
            The batch.

        Returns
        -------
        pd.DataFrame
            One row per rejected row.
        """
        self.batch(batch_id)
        query = (
            sa.select(rejections_table.c.file_name, rejections_table.c.line, rejections_table.c.event_id, rejections_table.c.reason)
            .where(rejections_table.c.batch_id == batch_id)
            .order_by(rejections_table.c.file_name, rejections_table.c.line)
        )
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def audit_log(self) -> pd.DataFrame:
        """The audit log: every change of the store and every refused attempt.

        Returns
        -------
        pd.DataFrame
            One row per entry.
        """
        with self.engine.connect() as conn:
            return pd.read_sql(sa.select(audit_table).order_by(audit_table.c.entry_id), conn)

    def find_batch_by_sha(self, sha256: str) -> int | None:
        """The committed batch that stored a file with this content, if any.

        Parameters
        ----------
        sha256
            The file's SHA-256.

        Returns
        -------
        int | None
            The batch id, or None.
        """
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(batches_table.c.batch_id)
                .where(batches_table.c.sha256.contains(sha256), batches_table.c.status == "committed")
                .order_by(batches_table.c.batch_id.desc())
            ).first()
        return int(row[0]) if row else None

    # ------------------------------------------------------------------ writing

    def log(self, action: str, detail: str, *, outcome: str = "done", user: str | None = None,
            conn: sa.Connection | None = None) -> None:
        """Record an action (or a refused attempt) in the audit log.

        Parameters
        ----------
        action
            What was done ("ingest", "rollback", ...).
        detail
            What it did, in words.
        outcome
            "done" or "refused".
        user
            Who acts (recorded in the batch and the audit log); default: ATLAS_USER or the login name.
        conn
            A connection of the store, inside its transaction.
        """
        values = {"at": now_iso(), "user": user or current_user(), "action": action, "outcome": outcome, "detail": detail}
        if conn is not None:
            conn.execute(audit_table.insert().values(**values))
        else:
            with self.engine.begin() as own:
                own.execute(audit_table.insert().values(**values))

    def bump_version(self, conn: sa.Connection) -> None:
        """Change the data version (inside the transaction that changed the data).

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        """
        conn.execute(
            meta_table.update().where(meta_table.c.key == "data_version")
            .values(value=sa.cast(sa.cast(meta_table.c.value, sa.Integer) + 1, sa.Text))
        )

    def insert_batch(self, conn: sa.Connection, *, kind: str, user: str, files: list[dict], fmt: str,
                     counts: BatchCounts, details: dict) -> int:
        """Record a batch (inside its write transaction).

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        kind
            "ingest" or "deletion".
        user
            Who acts (recorded in the batch and the audit log).
        files
            Each file's name and SHA-256.
        fmt
            The batch's format.
        counts
            Its row accounting.
        details
            Per-file accounting, notes, coverage (JSON).

        Returns
        -------
        int
            The batch id.
        """
        result = conn.execute(
            batches_table.insert().values(
                kind=kind, created_at=now_iso(), user=user,
                file_names=", ".join(f["file"] for f in files), sha256=", ".join(f["sha256"] for f in files),
                format=fmt, rows_read=counts.rows_read, new=counts.new, updated=counts.updated,
                duplicates=counts.duplicates, rejected=counts.rejected, outside_area=counts.outside_area,
                deleted=counts.deleted, status="committed", details=json.dumps(details, ensure_ascii=False, default=str),
            )
        )
        return int(result.inserted_primary_key[0])

    # ------------------------------------------------------------------ writing events

    def allocate_row_ids(self, conn: sa.Connection, n: int) -> int:
        """Reserve `n` new row ids (inside a write transaction); returns the first.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        n
            How many ids.

        Returns
        -------
        int
            The first id.
        """
        first = int(conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "next_row_id")).scalar())
        conn.execute(meta_table.update().where(meta_table.c.key == "next_row_id").values(value=str(first + n)))
        return first

    @contextmanager
    def _keys_table(self, conn: sa.Connection, keys: pd.DataFrame) -> Iterator[None]:
        """A temporary table `_batch_keys` (source_dataset, event_id) holding `keys`, for joins."""
        tmp = sa.Table(
            "_batch_keys", sa.MetaData(), sa.Column("source_dataset", sa.Text), sa.Column("event_id", sa.Text),
            prefixes=["TEMPORARY"],
        )
        tmp.create(conn, checkfirst=False)
        try:
            self.bulk_insert(conn, "_batch_keys", ["source_dataset", "event_id"], keys[["source_dataset", "event_id"]])
            yield
        finally:
            tmp.drop(conn, checkfirst=False)

    @contextmanager
    def _row_set(self, conn: sa.Connection, keys: pd.DataFrame) -> Iterator[str]:
        """A temporary table `_batch_rows(row_id)` of the current events with these keys."""
        tmp = sa.Table("_batch_rows", sa.MetaData(), sa.Column("row_id", sa.BigInteger, primary_key=True), prefixes=["TEMPORARY"])
        with self._keys_table(conn, keys):
            tmp.create(conn, checkfirst=False)
            try:
                conn.exec_driver_sql(
                    "INSERT INTO _batch_rows (row_id) SELECT e.row_id FROM events e JOIN _batch_keys k "
                    "ON e.source_dataset = k.source_dataset AND e.event_id = k.event_id"
                )
                yield "_batch_rows"
            finally:
                tmp.drop(conn, checkfirst=False)

    def archive_and_remove(self, conn: sa.Connection, keys: pd.DataFrame, *, batch_id: int, change: str) -> int:
        """Move the current versions of `keys` (source_dataset, event_id) to event_versions and delete them, with their places and their share of the summary.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        keys
            Columns source_dataset and event_id.
        batch_id
            The batch.
        change
            "updated" or "deleted".

        Returns
        -------
        int
            How many versions were moved.
        """
        if keys.empty:
            return 0
        with self._row_set(conn, keys) as rows:
            cols = ", ".join(f'e."{c}"' for c in ["row_id", *STORED_COLUMNS])
            plain = ", ".join(f'"{c}"' for c in ["row_id", *STORED_COLUMNS])
            conn.exec_driver_sql(
                f"INSERT INTO event_versions (superseded_by, change, {plain}) "
                f"SELECT {int(batch_id)}, '{change}', {cols} FROM events e WHERE e.row_id IN (SELECT row_id FROM {rows})"
            )
            return self._remove_rows(conn, rows)

    def _remove_rows(self, conn: sa.Connection, rows: str) -> int:
        """Delete the events whose row ids are in the temporary table `rows`, their places and summary share."""
        selection = events_table.c.row_id.in_(sa.select(sa.column("row_id")).select_from(sa.table(rows)))
        self.summary_delta(conn, selection, sign=-1)
        for table in (places_table, area_units_table):
            conn.execute(table.delete().where(table.c.row_id.in_(sa.select(sa.column("row_id")).select_from(sa.table(rows)))))
        result = conn.exec_driver_sql(f"DELETE FROM events WHERE row_id IN (SELECT row_id FROM {rows})")
        return int(result.rowcount or 0)

    def insert_events(self, conn: sa.Connection, events: pd.DataFrame) -> pd.Series:
        """Insert canonical events that carry `batch_id` and `content_hash`, under new row ids.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        events
            Canonical events (the columns of :mod:`geo.schema`).

        Returns
        -------
        The row id given to each event (indexed like `events`).
        """
        first = self.allocate_row_ids(conn, len(events))
        row_ids = pd.Series(np.arange(first, first + len(events), dtype=np.int64), index=events.index, name="row_id")
        self.bulk_insert(conn, "events", ["row_id", *STORED_COLUMNS], events[STORED_COLUMNS].assign(row_id=row_ids.to_numpy()))
        return row_ids

    def insert_places(self, conn: sa.Connection, set_id: int, places: pd.DataFrame) -> None:
        """Insert the places (`row_id` and the `event_places` columns) of events in place set `set_id`.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        set_id
            The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
        places
            The places: row_id and the `event_places` columns.
        """
        columns = [c.name for c in places_table.columns if c.name != "set_id"]
        self.bulk_insert(conn, "event_places", ["set_id", *columns], places[columns].assign(set_id=int(set_id)))

    def insert_area_units(self, conn: sa.Connection, set_id: int, rows: pd.DataFrame) -> None:
        """Insert the uncertainty-area rows (`row_id` and the `event_area_units` columns) of events in place set `set_id`.

        Parameters
        ----------
        conn
            A connection of the store, inside its write transaction.
        set_id
            The place set (a boundary set at a snapping tolerance).
        rows
            `row_id` and the other columns of `event_area_units` (`geo.uncertainty.AREA_UNIT_COLUMNS`).
        """
        columns = [c.name for c in area_units_table.columns if c.name != "set_id"]
        self.bulk_insert(conn, "event_area_units", ["set_id", *columns], rows[columns].assign(set_id=int(set_id)))

    def summary_delta(self, conn: sa.Connection, rows: sa.ColumnElement[bool], *, sign: int,
                      set_ids: list[int] | None = None) -> None:
        """Add (`sign` 1) or subtract (-1) the figures of the selected events to / from every summary.

        Parameters
        ----------
        rows
            A SQL condition on `events` selecting the events (e.g. a row id range).
        set_ids
            Limit to these place sets (default: every set the events are placed in).
        conn
            A connection of the store, inside its transaction.
        sign
            1 to add, -1 to subtract.
        """
        for name, query in self._summary_queries(rows, set_ids).items():
            table = metadata.tables[name]
            keys, measures = SUMMARIES[name]
            if sign < 0:
                grouped = query.subquery()
                # (a WHERE between the subquery and ON CONFLICT: SQLite would read ON as a join's)
                query = sa.select(*[grouped.c[k] for k in keys], *[(-grouped.c[m]).label(m) for m in measures]).where(
                    sa.literal_column("1") == 1)
            insert = (sqlite_insert if self.is_sqlite else pg_insert)(table).from_select(keys + measures, query)
            insert = insert.on_conflict_do_update(
                index_elements=keys, set_={m: table.c[m] + insert.excluded[m] for m in measures}
            )
            conn.execute(insert)
            if sign < 0:
                conn.execute(table.delete().where(table.c.events == 0))

    def _summary_queries(self, rows: sa.ColumnElement[bool], set_ids: list[int] | None) -> dict[str, sa.Select]:
        """Per summary table, the SELECT of its keys and measures over the selected events (grouped)."""
        e, p = events_table, places_table
        join = e.join(p, p.c.row_id == e.c.row_id)
        where = [rows] + ([p.c.set_id.in_(set_ids)] if set_ids is not None else [])
        month = sa.func.substr(e.c.event_date, 1, 7)
        event_type = sa.func.coalesce(e.c.event_type, "")
        precision = sa.func.coalesce(e.c.geo_precision, 1)
        civilian = sa.func.coalesce(e.c.civilian_targeting, sa.false())
        fatalities = sa.func.sum(sa.func.coalesce(e.c.fatalities, 0))

        def grouped(keys: list, measures: list, names: list[str], source: sa.FromClause = join, extra: tuple = ()) -> sa.Select:
            labelled = [k.label(n) for k, n in zip(keys + measures, names)]
            return sa.select(*labelled).select_from(source).where(*where, *extra).group_by(*keys)

        unit_keys = [p.c.set_id, e.c.source_dataset, month, p.c.country_iso3, p.c.admin1_code, p.c.admin2_code, event_type,
                     sa.func.coalesce(e.c.sub_event_type, ""), sa.func.coalesce(e.c.actor1_type, ""), precision, civilian,
                     p.c.coverage == "snapped"]
        unit_measures = [sa.func.count(), fatalities, sa.func.sum(sa.func.coalesce(e.c.fatalities_low, 0)),
                         sa.func.count(e.c.fatalities_low), sa.func.sum(sa.func.coalesce(e.c.fatalities_high, 0)),
                         sa.func.count(e.c.fatalities_high)]
        from ..border_geometry import BORDERS  # (geometry constants only; the store itself places nothing)

        border_bucket = sa.case((p.c.border.in_(list(BORDERS)), self.bucket(p.c.border_km)), else_=-1)
        tri_bucket = sa.case((p.c.tri_km.is_(None), -1), else_=self.bucket(p.c.tri_km))
        border_keys = [p.c.set_id, e.c.source_dataset, month, p.c.country_iso3, event_type, precision, civilian,
                       sa.func.coalesce(p.c.border, ""), border_bucket, tri_bucket,
                       self.floor_index(e.c.longitude + 180.0, CELL_DEG), self.floor_index(e.c.latitude + 90.0, CELL_DEG)]
        # One row per event and named actor: actor1 and actor2, an actor on both sides once.
        sides = sa.union(*[
            sa.select(e.c.row_id, p.c.set_id, e.c.source_dataset, month.label("month"), p.c.country_iso3,
                      sa.func.trim(sa.func.coalesce(e.c[column], "")).label("actor"), event_type.label("event_type"),
                      precision.label("geo_precision"), civilian.label("civilian_targeting"),
                      sa.func.coalesce(e.c.fatalities, 0).label("fatalities"))
            .select_from(join).where(*where)
            for column in ("actor1", "actor2")
        ]).subquery()
        actor_keys = [sides.c[k] for k in ACTOR_SUMMARY_KEYS]
        actor_query = (
            sa.select(*[k.label(k.name) for k in actor_keys], sa.func.count().label("events"),
                      sa.func.sum(sides.c.fatalities).label("fatalities"))
            .where(sides.c.actor != "").group_by(*actor_keys)
        )
        # The uncertainty areas: per unit reached, the events (and their estimates: low where given, else the figure).
        a = area_units_table
        area_join = e.join(a, a.c.row_id == e.c.row_id)
        area_where = [rows] + ([a.c.set_id.in_(set_ids)] if set_ids is not None else [])
        area_keys = [a.c.set_id, e.c.source_dataset, month, a.c.country_iso3, a.c.level, a.c.unit_code, a.c.in_doubt, event_type,
                     sa.func.coalesce(e.c.sub_event_type, ""), sa.func.coalesce(e.c.actor1_type, ""), precision, civilian]
        figure = sa.func.coalesce(e.c.fatalities, 0)
        area_measures = [sa.func.count(), sa.func.sum(figure), sa.func.sum(sa.func.coalesce(e.c.fatalities_low, figure)),
                         sa.func.sum(sa.func.coalesce(e.c.fatalities_high, figure))]
        area_query = (sa.select(*[k.label(n) for k, n in zip(area_keys + area_measures, AREA_SUMMARY_KEYS + AREA_SUMMARY_MEASURES)])
                      .select_from(area_join).where(*area_where).group_by(*area_keys))
        return {
            "area_summary": area_query,
            "unit_summary": grouped(unit_keys, unit_measures, SUMMARY_KEYS + SUMMARY_MEASURES),
            "border_summary": grouped(border_keys, [sa.func.count(), fatalities], BORDER_SUMMARY_KEYS + BORDER_SUMMARY_MEASURES),
            "actor_summary": actor_query,
        }

    def floor_index(self, value: sa.ColumnElement[float], step: float) -> sa.ColumnElement[int]:
        """floor(value / step) as an integer, the same on every backend, for a value that is never negative.

        Parameters
        ----------
        value
            An SQL numeric expression.
        step
            The step.

        Returns
        -------
        sa.ColumnElement[int]
            The SQL expression.
        """
        scaled = value / step
        # SQLite's integer cast truncates (the floor of a non-negative number); PostgreSQL's rounds.
        return sa.cast(scaled, sa.Integer) if self.is_sqlite else sa.cast(sa.func.floor(scaled), sa.Integer)

    def bucket(self, km: sa.ColumnElement[float]) -> sa.ColumnElement[int]:
        """The distance bucket of a km column: floor(km / DISTANCE_BUCKET_KM), at most BUCKET_CAP.

        Parameters
        ----------
        km
            An SQL column of distances in km.

        Returns
        -------
        sa.ColumnElement[int]
            The SQL expression.
        """
        index = self.floor_index(km, DISTANCE_BUCKET_KM)
        return sa.case((index > BUCKET_CAP, BUCKET_CAP), else_=index)

    def add_to_summary(self, conn: sa.Connection, rows: pd.DataFrame, table: str = "unit_summary") -> None:
        """Add summary figures (the table's keys and measures as columns) to one summary table.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        rows
            The figures: the table's keys and measures as columns.
        table
            The summary table's name.
        """
        if rows.empty:
            return
        keys, measures = SUMMARIES[table]
        columns = keys + measures
        staging = sa.Table("_summary_delta", sa.MetaData(), *[sa.Column(c.name, c.type) for c in metadata.tables[table].columns],
                           prefixes=["TEMPORARY"])
        staging.create(conn, checkfirst=False)
        try:
            self.bulk_insert(conn, "_summary_delta", columns, rows)
            # (WHERE true: SQLite's parser needs it between a SELECT and ON CONFLICT)
            conn.exec_driver_sql(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _summary_delta WHERE true "
                f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
                + ", ".join(f"{m} = {table}.{m} + excluded.{m}" for m in measures)
            )
        finally:
            staging.drop(conn, checkfirst=False)

    def bulk_insert(self, conn: sa.Connection, table: str, columns: list[str], frame: pd.DataFrame) -> None:
        """Insert the rows of `frame` (those columns) into `table` through the transaction's DB-API cursor.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        table
            The table's name.
        columns
            The columns written.
        frame
            The rows.
        """
        if frame.empty:
            return
        if not self.is_sqlite and hasattr(conn.connection.dbapi_connection, "cursor"):
            cursor = conn.connection.cursor()
            if hasattr(cursor, "copy_expert"):  # psycopg2: COPY is the bulk path, many times faster than INSERTs
                try:
                    for start in range(0, len(frame), 100_000):
                        cursor.copy_expert(
                            f'COPY {table} ({", ".join(chr(34) + c + chr(34) for c in columns)}) FROM STDIN',
                            io.StringIO(_copy_text(frame.iloc[start:start + 100_000], columns)),
                        )
                finally:
                    cursor.close()
                return
            cursor.close()
        placeholder = "?" if self.is_sqlite else "%s"
        sql = (
            f'INSERT INTO {table} ({", ".join(chr(34) + c + chr(34) for c in columns)}) '
            f'VALUES ({", ".join([placeholder] * len(columns))})'
        )
        # The DB-API cursor of this transaction's connection takes a lazy iterator of rows: no list of a
        # million tuples is built (SQLAlchemy's executemany wants a list).
        cursor = conn.connection.cursor()
        try:
            # Chunks bound the Python objects alive at once (33 columns × 50k rows).
            for start in range(0, len(frame), 50_000):
                chunk = frame.iloc[start:start + 50_000]
                cursor.executemany(sql, zip(*(_python_values(chunk[c]) for c in columns)))
        finally:
            cursor.close()

    # ------------------------------------------------------------------ place sets

    def place_sets(self, conn: sa.Connection | None = None) -> pd.DataFrame:
        """The placements the store keeps (one row per boundary set and tolerance).

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.

        Returns
        -------
        pd.DataFrame
            The placements the store keeps (one row per boundary set and tolerance).
        """
        query = sa.select(place_sets_table).order_by(place_sets_table.c.set_id)
        if conn is not None:
            return pd.DataFrame(conn.execute(query).mappings().all(), columns=[c.name for c in place_sets_table.columns])
        with self.engine.connect() as own:
            return self.place_sets(own)

    def refresh_statistics(self) -> None:
        """Let the query planner know the tables' new sizes after a large write (outside any transaction).

        SQLite's `PRAGMA optimize` (cheap, analyses what changed), PostgreSQL's `ANALYZE` of the big tables
        (its autovacuum would do it too, but later than the first views after a big ingest).
        """
        with self.engine.connect() as conn:
            if self.is_sqlite:
                conn.exec_driver_sql("PRAGMA optimize")
            else:
                for table in ("events", "event_places", "unit_summary", "event_area_units", "area_summary"):
                    conn.exec_driver_sql(f"ANALYZE {table}")
            conn.commit()

    def place_counts(self) -> dict[int, int]:
        """Events placed in each place set now (a count over the places table: for listings, not for views).

        Returns
        -------
        dict[int, int]
            Events placed in each place set now (a count over the places table: for listings, not for views).
        """
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(places_table.c.set_id, sa.func.count()).group_by(places_table.c.set_id)
            ).all()
        return {int(set_id): int(n) for set_id, n in rows}

    def jobs(self) -> pd.DataFrame:
        """The store's placing jobs, with their outcome.

        Returns
        -------
        pd.DataFrame
            One row per job.
        """
        with self.engine.connect() as conn:
            return pd.read_sql(sa.select(jobs_table).order_by(jobs_table.c.job_id), conn)

    # ------------------------------------------------------------------ rollback

    def undo_rows(self, conn: sa.Connection, batch_id: int) -> tuple[int, int, sa.ColumnElement[bool]]:
        """The first half of a rollback (:func:`geo.ingest.rollback_batch`), inside its write transaction: remove the event versions a batch wrote and put back the versions it replaced or deleted.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        batch_id
            The batch.

        Returns
        -------
        (event versions removed, versions restored, the selection of the restored rows of ``events``: they need their
        places and summary figures before :meth:`finish_rollback`)


        Raises
        ------
        StoreError
            When the batch does not exist, is already rolled back, or a later batch revised or deleted
            events it wrote (roll that one back first).
        """
        row = conn.execute(sa.select(batches_table).where(batches_table.c.batch_id == batch_id)).mappings().first()
        if row is None:
            raise StoreError(f"there is no batch {batch_id}; `python -m geo batches` lists them")
        if row["status"] != "committed":
            raise StoreError(f"batch {batch_id} was already rolled back on {row['rolled_back_at']} by {row['rolled_back_by']}")
        later = conn.execute(
            sa.select(versions_table.c.superseded_by).distinct()
            .where(versions_table.c.batch_id == batch_id).order_by(versions_table.c.superseded_by)
        ).scalars().all()
        # (ACLED's aggregates: unit-months a later table revised or removed)
        later = sorted({*later, *conn.execute(sa.select(aggregate_versions_table.c.superseded_by).distinct()
                                              .where(aggregate_versions_table.c.batch_id == batch_id)).scalars()})
        if later:
            raise StoreError(
                f"batch {batch_id} cannot be rolled back while later batch(es) {', '.join(map(str, later))} "
                f"revise or delete events it wrote; roll back batch {later[-1]} first"
            )
        written = sa.select(events_table.c.source_dataset, events_table.c.event_id).where(events_table.c.batch_id == batch_id)
        keys = pd.DataFrame(conn.execute(written).all(), columns=["source_dataset", "event_id"])
        removed = 0
        if len(keys):
            with self._row_set(conn, keys) as rows:
                removed = self._remove_rows(conn, rows)
        # Versions archived before row ids existed (schema 1) get new ones.
        orphans = conn.execute(
            sa.select(sa.func.count()).where(versions_table.c.superseded_by == batch_id, versions_table.c.row_id.is_(None))
        ).scalar()
        if orphans:
            first = self.allocate_row_ids(conn, int(orphans))
            ids = conn.execute(
                sa.select(versions_table.c.version_id)
                .where(versions_table.c.superseded_by == batch_id, versions_table.c.row_id.is_(None))
                .order_by(versions_table.c.version_id)
            ).scalars().all()
            for offset, version_id in enumerate(ids):
                conn.execute(versions_table.update().where(versions_table.c.version_id == version_id).values(row_id=first + offset))
        plain = ", ".join(f'"{c}"' for c in ["row_id", *STORED_COLUMNS])
        restored = conn.exec_driver_sql(
            f"INSERT INTO events ({plain}) SELECT {plain} FROM event_versions WHERE superseded_by = {int(batch_id)}"
        ).rowcount
        restored_ids = sa.select(versions_table.c.row_id).where(versions_table.c.superseded_by == batch_id)
        return int(removed or 0), int(restored or 0), events_table.c.row_id.in_(restored_ids)

    def finish_rollback(self, conn: sa.Connection, batch_id: int, *, user: str, removed: int, restored: int,
                        unit_months: tuple[int, int] = (0, 0)) -> dict:
        """The second half of a rollback, once the restored rows are placed.

        Forget the archived versions, mark the batch rolled back, and record it in the audit log.

        Parameters
        ----------
        conn
            A connection of the store, inside its transaction.
        batch_id
            The batch.
        user
            Who acts (recorded in the batch and the audit log).
        removed
            Event versions the batch wrote that were removed.
        restored
            Earlier versions restored.
        unit_months
            ACLED's aggregates: (unit-months removed, unit-months restored) by `geo.unit_months.roll_back`.

        Returns
        -------
        dict
            {"batch_id", "removed", "restored"}: what ``python -m geo rollback --json`` prints (and, for a batch of
            ACLED's aggregates, "unit_months_removed" and "unit_months_restored").
        """
        conn.execute(versions_table.delete().where(versions_table.c.superseded_by == batch_id))
        conn.execute(
            batches_table.update().where(batches_table.c.batch_id == batch_id)
            .values(status="rolled_back", rolled_back_at=now_iso(), rolled_back_by=user)
        )
        self.bump_version(conn)
        detail = f"batch {batch_id}: removed {removed} event version(s), restored {restored}"
        if any(unit_months):
            detail += f"; removed {unit_months[0]} unit-month(s) of ACLED's aggregates, restored {unit_months[1]}"
        self.log("rollback", detail, user=user, conn=conn)
        out = {"batch_id": batch_id, "removed": removed, "restored": restored}
        if any(unit_months):  # a batch of ACLED's aggregates: unit-months, not events
            out.update(unit_months_removed=unit_months[0], unit_months_restored=unit_months[1])
        return out

    def snapshot(self, *, derived: bool = False) -> dict[str, pd.DataFrame]:
        """Events and versions as plain tables (for tests and audits of exact restoration).

        Row ids are left out: they identify a stored version, not its content. With `derived`, the
        places and the summary too (keyed by boundary-set name and event key, so comparable across
        recomputations).

        Parameters
        ----------
        derived
            Whether the places and the summaries are in it too.

        Returns
        -------
        dict[str, pd.DataFrame]
            Events and versions as plain tables (for tests and audits of exact restoration).
        """
        with self.engine.connect() as conn:
            events = pd.read_sql(
                sa.select(*[events_table.c[c] for c in STORED_COLUMNS]).order_by(events_table.c.source_dataset, events_table.c.event_id), conn
            )
            versions = pd.read_sql(
                sa.select(*[versions_table.c[c] for c in ("superseded_by", "change", *STORED_COLUMNS)])
                .order_by(versions_table.c.superseded_by, versions_table.c.source_dataset, versions_table.c.event_id), conn
            )
            out = {"events": events, "event_versions": versions}
            for name, table in (("aggregate_rows", aggregate_rows_table), ("aggregate_versions", aggregate_versions_table)):
                columns = [c for c in table.columns if c.name != "version_id"]
                frame = pd.read_sql(sa.select(*columns), conn)
                out[name] = frame.sort_values([c.name for c in columns if c.name not in ("events", "fatalities")]).reset_index(drop=True)
            if derived:
                ps, p, e = place_sets_table, places_table, events_table
                place_columns = [c for c in p.columns if c.name not in ("set_id", "row_id")]
                out["event_places"] = pd.read_sql(
                    sa.select(ps.c.name, e.c.source_dataset, e.c.event_id, *place_columns)
                    .select_from(p.join(e, e.c.row_id == p.c.row_id).join(ps, ps.c.set_id == p.c.set_id))
                    .order_by(ps.c.name, e.c.source_dataset, e.c.event_id), conn,
                )
                a = area_units_table
                out["event_area_units"] = pd.read_sql(
                    sa.select(ps.c.name, e.c.source_dataset, e.c.event_id, a.c.level, a.c.unit_code, a.c.country_iso3, a.c.in_doubt)
                    .select_from(a.join(e, e.c.row_id == a.c.row_id).join(ps, ps.c.set_id == a.c.set_id))
                    .order_by(ps.c.name, e.c.source_dataset, e.c.event_id, a.c.level, a.c.unit_code), conn,
                )
                for name, (keys, measures) in SUMMARIES.items():
                    table = metadata.tables[name]
                    summary = pd.read_sql(
                        sa.select(ps.c.name, *[table.c[k] for k in keys[1:] + measures])
                        .select_from(table.join(ps, ps.c.set_id == table.c.set_id)), conn
                    )
                    out[name] = summary.sort_values(["name", *keys[1:]]).reset_index(drop=True)
        return out

    def dispose(self) -> None:
        """Close the store's connections."""
        self.engine.dispose()


class _WriteTransaction:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> sa.Connection:
        self.conn = self.store.engine.connect().execution_options(write_lock=True)
        if self.store.is_sqlite:  # a large page cache while writing: large batches insert faster
            self.conn.connection.driver_connection.execute(f"PRAGMA cache_size={_WRITE_CACHE_KB}")
        self.tx = self.conn.begin()
        self.store._lock(self.conn)
        return self.conn

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if exc_type is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        finally:
            try:
                if self.store.is_sqlite:  # back to a reader's cache before the connection returns to the pool
                    self.conn.connection.driver_connection.execute(f"PRAGMA cache_size={_READ_CACHE_KB}")
            finally:
                self.conn.close()


def _python_values(column: pd.Series) -> list:
    """Column values as Python objects a DB driver binds: None for missing, ISO text for dates."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, na_value=None).tolist()
    if column.dtype == bool or column.dtype == np.int64:
        return column.tolist()
    return column.to_numpy(dtype=object, na_value=None).tolist()


def _copy_text(frame: pd.DataFrame, columns: list[str]) -> str:
    r"""Rows in PostgreSQL's COPY text format: tab-separated, `\N` for NULL, backslash escapes in text."""
    null = "\\N"
    parts = []
    for column in columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%d").astype("string")
        elif values.dtype == bool:
            text = pd.Series(np.where(values.to_numpy(), "t", "f"), index=values.index, dtype="string")
        elif pd.api.types.is_numeric_dtype(values):
            text = values.astype("string")  # floats as their shortest round-trip text; missing as <NA>
        else:
            text = (
                values.astype("string").str.replace("\\", "\\\\", regex=False).str.replace("\t", "\\t", regex=False)
                .str.replace("\n", "\\n", regex=False).str.replace("\r", "\\r", regex=False)
            )
        parts.append(text.fillna(null))
    lines = parts[0].str.cat(parts[1:], sep="\t") if len(parts) > 1 else parts[0]
    return "\n".join(lines.tolist()) + "\n"


def _lower(text: str | None) -> str | None:
    return text.lower() if isinstance(text, str) else text


