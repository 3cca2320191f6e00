"""The event store: events, their earlier versions, batches and the audit log, through SQLAlchemy.

SQLite by default (a file in the data home), PostgreSQL through the same code with a
`postgresql+psycopg2://` URL.

- Events are keyed by (source_dataset, event_id). A batch that revises or deletes an event moves the
  version it replaces into `event_versions` (marked with the batch that superseded it), so that rolling
  the batch back restores exactly the previous state.
- A batch is written in one transaction, under a write lock taken before the store is read, so two
  analysts committing at once both land and neither overwrites the other; a crash mid-commit leaves the
  batch wholly absent.
- `data_version` changes with every commit and rollback: caches of the app key on it.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event as sa_event

from .config import Settings, get_settings
from .errors import StoreError
from .schema import CANONICAL_COLUMNS, EVENT_COLUMNS, coerce_events, empty_events

SCHEMA_VERSION = 1

_SA_TYPES = {
    "str": sa.Text,
    "datetime64[s]": lambda: sa.String(10),  # ISO date text: portable and sortable
    "int64": sa.BigInteger,
    "Int64": sa.BigInteger,
    "float64": sa.Float,
    "bool": sa.Boolean,
}

metadata = sa.MetaData()


def _event_columns() -> list[sa.Column]:
    return [sa.Column(name, _SA_TYPES[dtype](), nullable=True) for name, (dtype, _) in EVENT_COLUMNS.items()] + [
        sa.Column("content_hash", sa.BigInteger, nullable=False),
    ]


events_table = sa.Table(
    "events", metadata, *_event_columns(), sa.PrimaryKeyConstraint("source_dataset", "event_id"),
)
# No index on events.batch_id: it would slow every insert (~15 %) to speed up only rollbacks, which are
# rare and scan the table in well under a second even at a million events.

versions_table = sa.Table(
    "event_versions",
    metadata,
    sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("superseded_by", sa.Integer, nullable=False),
    sa.Column("change", sa.String(16), nullable=False),  # "updated" or "deleted"
    *_event_columns(),
)
sa.Index("ix_versions_superseded", versions_table.c.superseded_by)
sa.Index("ix_versions_batch", versions_table.c.batch_id)

batches_table = sa.Table(
    "batches",
    metadata,
    sa.Column("batch_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),  # "ingest" or "deletion"
    sa.Column("created_at", sa.String(32), nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("file_names", sa.Text, nullable=False),
    sa.Column("sha256", sa.Text, nullable=False),
    sa.Column("format", sa.String(32), nullable=False),
    sa.Column("rows_read", sa.Integer, nullable=False),
    sa.Column("new", sa.Integer, nullable=False),
    sa.Column("updated", sa.Integer, nullable=False),
    sa.Column("duplicates", sa.Integer, nullable=False),
    sa.Column("rejected", sa.Integer, nullable=False),
    sa.Column("outside_area", sa.Integer, nullable=False),
    sa.Column("deleted", sa.Integer, nullable=False, default=0),
    sa.Column("status", sa.String(16), nullable=False),  # "committed" or "rolled_back"
    sa.Column("rolled_back_at", sa.String(32)),
    sa.Column("rolled_back_by", sa.Text),
    sa.Column("details", sa.Text, nullable=False),  # JSON: per-file accounting, notes
)

rejections_table = sa.Table(
    "rejections",
    metadata,
    sa.Column("batch_id", sa.Integer, nullable=False, index=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

audit_table = sa.Table(
    "audit_log",
    metadata,
    sa.Column("entry_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),  # "done" or "refused"
    sa.Column("detail", sa.Text, nullable=False),
)

meta_table = sa.Table(
    "meta", metadata, sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", sa.Text, nullable=False),
)

_STORED = CANONICAL_COLUMNS + ["content_hash"]


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def current_user() -> str:
    """Who is acting: ATLAS_USER, else the login name."""
    try:
        return os.environ.get("ATLAS_USER") or getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def default_url(settings: Settings | None = None) -> str:
    settings = settings or get_settings()
    if settings.store_url:
        return settings.store_url
    return f"sqlite:///{settings.home / 'atlas.sqlite'}"


def _normalise_url(url: str) -> str:
    """Accept a bare file path as a SQLite store."""
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

    def balanced(self) -> bool:
        return self.rows_read == self.new + self.updated + self.duplicates + self.rejected + self.outside_area + self.deleted


class Store:
    """
    An event store at a SQLAlchemy URL.

    Parameters
    ----------
    url
        SQLAlchemy URL or a SQLite file path; default from settings (`ATLAS_DB_URL`, `atlas.toml`).
    """

    def __init__(self, url: str | None = None, *, settings: Settings | None = None):
        self.url = _normalise_url(url or default_url(settings))
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
        try:
            metadata.create_all(self.engine)
            with self.engine.begin() as conn:
                if conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).first() is None:
                    conn.execute(meta_table.insert(), [
                        {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                        {"key": "data_version", "value": "0"},
                    ])
        except sa.exc.OperationalError as exc:
            raise StoreError(f"cannot open the store at {self.url}: {exc.orig}") from None

    def _configure_sqlite(self) -> None:
        @sa_event.listens_for(self.engine, "connect")
        def _on_connect(dbapi_connection, _record):
            # Let SQLAlchemy's "begin" event below issue BEGIN, so that writers can take the lock first.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")  # readers never block the writer; crash-safe
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA cache_size=-262144")  # 256 MB page cache: large batches insert faster
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @sa_event.listens_for(self.engine, "begin")
        def _on_begin(conn):
            immediate = conn.get_execution_options().get("write_lock", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    # ------------------------------------------------------------------ transactions

    def write_transaction(self):
        """A context manager: a connection in a transaction that holds the store's write lock."""
        return _WriteTransaction(self)

    def _lock(self, conn: sa.Connection) -> None:
        if not self.is_sqlite:
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(472301)"))

    # ------------------------------------------------------------------ reading

    def data_version(self) -> int:
        with self.engine.connect() as conn:
            value = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")).scalar()
        return int(value or 0)

    def count_events(self, source: str | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(events_table)
        if source:
            query = query.where(events_table.c.source_dataset == source)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar() or 0)

    def sources(self) -> list[str]:
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(events_table.c.source_dataset).distinct()).scalars().all()
        return sorted(rows)

    def load_events(self, *, sources: list[str] | None = None, with_hash: bool = False) -> pd.DataFrame:
        """Every current event (optionally of some sources) as a canonical table."""
        columns = [events_table.c[c] for c in (_STORED if with_hash else CANONICAL_COLUMNS)]
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
        """Key, content hash and revision timestamp of stored events of these sources."""
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

    def events_by_keys(self, conn: sa.Connection, keys: pd.DataFrame) -> pd.DataFrame:
        """The stored versions of the events with these keys (source_dataset, event_id), canonical."""
        if keys.empty:
            return empty_events()
        with self._keys_table(conn, keys):
            cols = ", ".join(f'e."{c}"' for c in CANONICAL_COLUMNS)
            frame = pd.read_sql(
                sa.text(f"SELECT {cols} FROM events e JOIN _batch_keys k "
                        "ON e.source_dataset = k.source_dataset AND e.event_id = k.event_id"), conn,
            )
        return coerce_events(frame) if len(frame) else empty_events()

    def deleted_keys(self, conn: sa.Connection, sources: list[str]) -> pd.DataFrame:
        """Events a deletion batch still in force removed: source_dataset, event_id, deleted_by (batch)."""
        query = sa.select(
            versions_table.c.source_dataset, versions_table.c.event_id, versions_table.c.superseded_by,
        ).where(versions_table.c.change == "deleted", versions_table.c.source_dataset.in_(sources))
        rows = conn.execute(query).all()
        return pd.DataFrame(
            {"source_dataset": pd.array([r[0] for r in rows], dtype="str"), "event_id": pd.array([r[1] for r in rows], dtype="str"),
             "deleted_by": pd.array([r[2] for r in rows], dtype="Int64")}
        )

    def coverage(self, conn: sa.Connection, sources: list[str]) -> pd.DataFrame:
        """
        What each committed ingest batch covered, per source and country: `batch_id, file_names,
        source_dataset, country_iso3, first_date, last_date, newest_timestamp` (ISO dates, ACLED timestamp).

        From the coverage recorded with the batch; for batches stored before it was recorded, from the
        events they wrote that are still current (which covers less, never more).
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
        with self.engine.connect() as conn:
            frame = pd.read_sql(sa.select(batches_table).order_by(batches_table.c.batch_id), conn)
        return frame

    def batch(self, batch_id: int) -> dict:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(batches_table).where(batches_table.c.batch_id == batch_id)).mappings().first()
        if row is None:
            raise StoreError(f"there is no batch {batch_id}; `python -m geo batches` lists them")
        out = dict(row)
        out["details"] = json.loads(out["details"] or "{}")
        return out

    def rejections(self, batch_id: int) -> pd.DataFrame:
        self.batch(batch_id)
        query = (
            sa.select(rejections_table.c.file_name, rejections_table.c.line, rejections_table.c.event_id, rejections_table.c.reason)
            .where(rejections_table.c.batch_id == batch_id)
            .order_by(rejections_table.c.file_name, rejections_table.c.line)
        )
        with self.engine.connect() as conn:
            return pd.read_sql(query, conn)

    def audit_log(self) -> pd.DataFrame:
        with self.engine.connect() as conn:
            return pd.read_sql(sa.select(audit_table).order_by(audit_table.c.entry_id), conn)

    def find_batch_by_sha(self, sha256: str) -> int | None:
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(batches_table.c.batch_id)
                .where(batches_table.c.sha256.contains(sha256), batches_table.c.status == "committed")
                .order_by(batches_table.c.batch_id.desc())
            ).first()
        return int(row[0]) if row else None

    # ------------------------------------------------------------------ writing

    def log(self, action: str, detail: str, *, outcome: str = "done", user: str | None = None, conn=None) -> None:
        """Record an action (or a refused attempt) in the audit log."""
        values = {"at": now_iso(), "user": user or current_user(), "action": action, "outcome": outcome, "detail": detail}
        if conn is not None:
            conn.execute(audit_table.insert().values(**values))
        else:
            with self.engine.begin() as own:
                own.execute(audit_table.insert().values(**values))

    def bump_version(self, conn: sa.Connection) -> None:
        conn.execute(
            meta_table.update().where(meta_table.c.key == "data_version")
            .values(value=sa.cast(sa.cast(meta_table.c.value, sa.Integer) + 1, sa.Text))
        )

    def insert_batch(self, conn: sa.Connection, *, kind: str, user: str, files: list[dict], fmt: str,
                     counts: BatchCounts, details: dict) -> int:
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

    @contextmanager
    def _keys_table(self, conn: sa.Connection, keys: pd.DataFrame) -> Iterator[None]:
        """A temporary table `_batch_keys` (source_dataset, event_id) holding `keys`, for joins."""
        tmp = sa.Table(
            "_batch_keys", sa.MetaData(), sa.Column("source_dataset", sa.Text), sa.Column("event_id", sa.Text),
            prefixes=["TEMPORARY"],
        )
        tmp.create(conn, checkfirst=False)
        try:
            self._bulk_insert(conn, "_batch_keys", ["source_dataset", "event_id"], keys[["source_dataset", "event_id"]])
            yield
        finally:
            tmp.drop(conn, checkfirst=False)

    def archive_and_remove(self, conn: sa.Connection, keys: pd.DataFrame, *, batch_id: int, change: str) -> int:
        """Move the current versions of `keys` (source_dataset, event_id) to event_versions and delete them."""
        if keys.empty:
            return 0
        with self._keys_table(conn, keys):
            cols = ", ".join(f'e."{c}"' for c in _STORED)
            plain = ", ".join(f'"{c}"' for c in _STORED)
            conn.exec_driver_sql(
                f'INSERT INTO event_versions (superseded_by, change, {plain}) '
                f"SELECT {int(batch_id)}, '{change}', {cols} FROM events e "
                "JOIN _batch_keys k ON e.source_dataset = k.source_dataset AND e.event_id = k.event_id"
            )
            result = conn.exec_driver_sql(
                "DELETE FROM events WHERE (source_dataset, event_id) IN (SELECT source_dataset, event_id FROM _batch_keys)"
            )
            return int(result.rowcount or 0)

    def insert_events(self, conn: sa.Connection, events: pd.DataFrame) -> None:
        """Insert canonical events that carry `batch_id` and `content_hash`."""
        self._bulk_insert(conn, "events", _STORED, events[_STORED])

    def _bulk_insert(self, conn: sa.Connection, table: str, columns: list[str], frame: pd.DataFrame) -> None:
        if frame.empty:
            return
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

    def rollback(self, batch_id: int, *, user: str | None = None) -> dict:
        """
        Undo a batch exactly: remove what it wrote and restore the versions it replaced or deleted.

        Raises
        ------
        StoreError
            When the batch does not exist, is already rolled back, or a later batch revised or deleted
            events it wrote (roll that one back first).
        """
        user = user or current_user()
        with self.write_transaction() as conn:
            row = conn.execute(sa.select(batches_table).where(batches_table.c.batch_id == batch_id)).mappings().first()
            if row is None:
                raise StoreError(f"there is no batch {batch_id}; `python -m geo batches` lists them")
            if row["status"] != "committed":
                raise StoreError(f"batch {batch_id} was already rolled back on {row['rolled_back_at']} by {row['rolled_back_by']}")
            later = conn.execute(
                sa.select(versions_table.c.superseded_by).distinct()
                .where(versions_table.c.batch_id == batch_id).order_by(versions_table.c.superseded_by)
            ).scalars().all()
            if later:
                raise StoreError(
                    f"batch {batch_id} cannot be rolled back while later batch(es) {', '.join(map(str, later))} "
                    f"revise or delete events it wrote; roll back batch {later[-1]} first"
                )
            removed = conn.execute(events_table.delete().where(events_table.c.batch_id == batch_id)).rowcount
            plain = ", ".join(f'"{c}"' for c in _STORED)
            restored = conn.exec_driver_sql(
                f"INSERT INTO events ({plain}) SELECT {plain} FROM event_versions WHERE superseded_by = {int(batch_id)}"
            ).rowcount
            conn.execute(versions_table.delete().where(versions_table.c.superseded_by == batch_id))
            conn.execute(
                batches_table.update().where(batches_table.c.batch_id == batch_id)
                .values(status="rolled_back", rolled_back_at=now_iso(), rolled_back_by=user)
            )
            self.bump_version(conn)
            detail = f"batch {batch_id}: removed {removed} event version(s), restored {restored}"
            self.log("rollback", detail, user=user, conn=conn)
        return {"batch_id": batch_id, "removed": int(removed or 0), "restored": int(restored or 0)}

    def snapshot(self) -> dict[str, pd.DataFrame]:
        """Events and versions as plain tables (for tests and audits of exact restoration)."""
        with self.engine.connect() as conn:
            events = pd.read_sql(sa.select(events_table).order_by(events_table.c.source_dataset, events_table.c.event_id), conn)
            versions = pd.read_sql(
                sa.select(*[versions_table.c[c] for c in ("superseded_by", "change", *_STORED)])
                .order_by(versions_table.c.superseded_by, versions_table.c.source_dataset, versions_table.c.event_id), conn
            )
        return {"events": events, "event_versions": versions}

    def dispose(self) -> None:
        self.engine.dispose()


class _WriteTransaction:
    def __init__(self, store: Store):
        self.store = store

    def __enter__(self) -> sa.Connection:
        self.conn = self.store.engine.connect().execution_options(write_lock=True)
        self.tx = self.conn.begin()
        self.store._lock(self.conn)
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.tx.commit()
            else:
                self.tx.rollback()
        finally:
            self.conn.close()


def _python_values(column: pd.Series) -> list:
    """Column values as Python objects a DB driver binds: None for missing, ISO text for dates."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.strftime("%Y-%m-%d").to_numpy(dtype=object, na_value=None).tolist()
    if column.dtype == bool or column.dtype == np.int64:
        return column.tolist()
    return column.to_numpy(dtype=object, na_value=None).tolist()
