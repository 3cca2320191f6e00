"""How a store of an earlier schema version is brought up to the current one (see
:data:`geo.store.tables.SCHEMA_VERSION`).
"""

from __future__ import annotations

import sqlalchemy as sa

from .tables import (
    SCHEMA_VERSION,
    STORED_COLUMNS,
    SUMMARIES,
    SUMMARY_LAYOUT_VERSION,
    events_table,
    meta_table,
    metadata,
    place_sets_table,
)


def schema_ready(conn: sa.Connection) -> bool:
    """Whether every table exists at the current schema version (a read-only check)."""
    names = set(sa.inspect(conn).get_table_names())
    if not set(metadata.tables) <= names:
        return False
    keys = dict(conn.execute(sa.select(meta_table.c.key, meta_table.c.value)).all())
    return keys.get("schema_version") == str(SCHEMA_VERSION) and "next_row_id" in keys


def drop_derived_tables(conn: sa.Connection) -> bool:
    """
    A store of an earlier schema version (2 or later): drop its summaries, which are derived data whose
    layout may have changed; True when it was one (its placements are then made again).
    """
    names = set(sa.inspect(conn).get_table_names())
    if "meta" not in names:
        return False
    version = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
    if version is None or int(version) >= SUMMARY_LAYOUT_VERSION:  # (schema 6 added tables, not summaries)
        return False
    for name in SUMMARIES:
        if name in names:
            metadata.tables[name].drop(conn)
    return True


def restate_placements(conn: sa.Connection) -> None:
    """Mark every place set stale, so that its next use places the events again and fills every summary (a job)."""
    conn.execute(place_sets_table.update().values(status="stale"))
    conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value=str(SCHEMA_VERSION)))


def needs_v1_migration(conn: sa.Connection) -> bool:
    inspector = sa.inspect(conn)
    if "events" not in inspector.get_table_names():
        return False
    return "row_id" not in {c["name"] for c in inspector.get_columns("events")}


def migrate_v1(conn: sa.Connection) -> None:
    """
    Schema 1 → 2: events get row ids (numbered in key order), versions a row id column. Places and the
    summary are computed afterwards, when a boundary set is first used (`geo.places.ensure_placement`).
    """
    staging = sa.MetaData()
    new_events = events_table.to_metadata(staging, name="events_v2")
    new_events.create(conn)
    columns = ", ".join(f'"{c}"' for c in STORED_COLUMNS)
    conn.exec_driver_sql(
        f"INSERT INTO events_v2 (row_id, {columns}) "
        f"SELECT row_number() OVER (ORDER BY source_dataset, event_id), {columns} FROM events"
    )
    count = conn.exec_driver_sql("SELECT count(*) FROM events_v2").scalar() or 0
    conn.exec_driver_sql("DROP TABLE events")
    conn.exec_driver_sql("ALTER TABLE events_v2 RENAME TO events")
    conn.exec_driver_sql("ALTER TABLE event_versions ADD COLUMN row_id BIGINT")
    conn.execute(meta_table.delete().where(meta_table.c.key.in_(["schema_version", "next_row_id"])))
    conn.execute(meta_table.insert(), [
        {"key": "schema_version", "value": "2"}, {"key": "next_row_id", "value": str(int(count) + 1)},
    ])
