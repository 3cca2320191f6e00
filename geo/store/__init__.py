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

Three rooms: :mod:`.tables` (the schema) and :mod:`.store` (:class:`Store`: reading,
writing, place sets, rollback), whose public API is named here, and :mod:`.migrate` with the Alembic revisions of
:mod:`.migrations` (bringing a store of an earlier schema up to date, on every open).
"""

from __future__ import annotations

from .store import (
    BatchCounts,
    Store,
    current_user,
    default_url,
    now_iso,
    store_url,
)
from .tables import (
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
    ROW_ID,
    SA_TYPES,
    SCHEMA_VERSION,
    STORED_COLUMNS,
    SUMMARIES,
    SUMMARY_KEYS,
    SUMMARY_MEASURES,
    actor_summary_table,
    aggregate_columns,
    aggregate_rows_table,
    aggregate_units_table,
    aggregate_versions_table,
    area_summary_table,
    area_units_table,
    audit_table,
    batch_vintages_table,
    batches_table,
    border_summary_table,
    event_columns,
    events_table,
    jobs_table,
    meta_table,
    metadata,
    place_sets_table,
    places_table,
    rejections_table,
    summary_table,
    versions_table,
)

__all__ = [
    "SCHEMA_VERSION", "SA_TYPES", "ROW_ID", "metadata", "event_columns", "events_table", "versions_table",
    "place_sets_table", "places_table", "SUMMARY_KEYS", "SUMMARY_MEASURES", "summary_table", "DISTANCE_BUCKET_KM",
    "BUCKET_CAP", "CELL_DEG", "BORDER_SUMMARY_KEYS", "BORDER_SUMMARY_MEASURES", "border_summary_table",
    "ACTOR_SUMMARY_KEYS", "ACTOR_SUMMARY_MEASURES", "actor_summary_table", "SUMMARIES", "aggregate_columns",
    "aggregate_rows_table", "aggregate_versions_table", "aggregate_units_table", "batch_vintages_table", "jobs_table",
    "batches_table", "rejections_table", "audit_table", "meta_table", "STORED_COLUMNS", "now_iso", "current_user",
    "default_url", "store_url", "BatchCounts", "Store", "AREA_RULES_KEY", "AREA_SUMMARY_KEYS", "AREA_SUMMARY_MEASURES",
    "area_summary_table", "area_units_table",
]
