"""Which events a view shows: the store's, or — while the store holds none — the synthetic sample.

The sample is never written into a store of real events. It lives in a store of its own (a SQLite file
built once from `data/events.csv`, see `scripts/make_sample.py`, and rebuilt when that file changes), so
that views get its figures from the database by the same code as real data. It is marked as sample
everywhere it is shown.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .config import Settings, get_settings
from .places import place_written, sync_registered
from .readers import read_events
from .schema import CANONICAL_COLUMNS, SAMPLE_LABEL, content_hash
from .store import BatchCounts, Store
from .store.migrate import HEAD

#: Where built sample stores are kept (default: the data home's `sample/` folder).
SAMPLE_DIR_ENV = "ATLAS_SAMPLE_DIR"


@dataclass(frozen=True)
class ViewData:
    """The store a view reads, and what it holds."""

    store: Store
    is_sample: bool
    version: str  # changes with every commit and rollback: the key of every cache of figures
    description: str


@lru_cache(maxsize=4)
def _sample_digest(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def load_sample(settings: Settings | None = None) -> pd.DataFrame:
    """The synthetic sample as canonical events (source_dataset "sample"), read from its CSV.

    Parameters
    ----------
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    pd.DataFrame
        The synthetic sample as canonical events (source_dataset "sample"), read from its CSV.
    """
    settings = settings or get_settings()
    result = read_events(settings.sample_events)
    if result.rejected:
        raise RuntimeError(f"the synthetic sample {settings.sample_events} has invalid rows; regenerate it with scripts/make_sample.py")
    return result.events.drop(columns=["_file", "_line"])


def sample_store(settings: Settings | None = None) -> Store:
    """The store holding the synthetic sample, built on first use (and again when the sample changes).

    Parameters
    ----------
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    Store
        The store holding the synthetic sample, built on first use (and again when the sample changes).
    """
    settings = settings or get_settings()
    path = Path(settings.sample_events)
    stat = path.stat()
    digest = _sample_digest(str(path), stat.st_mtime_ns, stat.st_size)
    folder = Path(os.environ.get(SAMPLE_DIR_ENV) or settings.home / "sample")
    # (named by the schema's head revision too: a sample written by other code is built again, never upgraded)
    target = folder / f"sample-{digest}-{HEAD}.sqlite"
    if not target.exists():
        _open_sample.cache_clear()  # a store of a file since removed is stale
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".sample-", suffix=".sqlite", dir=folder)
        os.close(fd)
        try:
            _build_sample(Path(tmp), settings)
            os.replace(tmp, target)  # two processes building at once: either file is the same sample
        finally:
            for leftover in (tmp, f"{tmp}-wal", f"{tmp}-shm"):
                if os.path.exists(leftover):
                    os.unlink(leftover)
    return _open_sample(str(target))


@lru_cache(maxsize=4)
def _open_sample(path: str) -> Store:
    """One store (and connection pool) per sample file for the process."""
    return Store(f"sqlite:///{path}")


def _build_sample(path: Path, settings: Settings) -> None:
    events = load_sample(settings)
    store = Store(f"sqlite:///{path}")
    try:
        with store.write_transaction() as conn:
            sync_registered(store, conn, settings=settings, user="atlas")
            counts = BatchCounts(rows_read=len(events), new=len(events))
            files = [{"file": Path(settings.sample_events).name, "sha256": ""}]
            batch_id = store.insert_batch(conn, kind="sample", user="atlas", files=files, fmt="sample", counts=counts,
                                          details={"notes": [SAMPLE_LABEL]})
            rows = events[CANONICAL_COLUMNS].assign(batch_id=batch_id, content_hash=content_hash(events))
            row_ids = store.insert_events(conn, rows)
            place_written(store, conn, rows, row_ids, settings=settings)
            store.bump_version(conn)
        with store.engine.connect() as conn:  # fold the WAL into the file before it is renamed
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        store.dispose()


def current_data(store: Store, *, source: str | None = None, settings: Settings | None = None) -> ViewData:
    """The store to show: `store` when it holds any event (or any unit-month of ACLED's aggregates), else the sample's store.

    Parameters
    ----------
    source
        "sample" forces the sample.
    store
        The event store.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    ViewData
        The store to show: `store` when it holds any event, else the sample's store.
    """
    from .unit_months import has_rows

    settings = settings or get_settings()
    if source == "sample" or not (store.has_events() or has_rows(store)):
        sample = sample_store(settings)
        return ViewData(sample, True, f"sample:{sample.url}:{sample.data_version()}", SAMPLE_LABEL)
    held = [*store.sources(), *(["acled-hdx"] if has_rows(store) else [])]
    return ViewData(store, False, f"store:{store.url}:{store.data_version()}", "Event store: " + ", ".join(
        s.upper() for s in held))
