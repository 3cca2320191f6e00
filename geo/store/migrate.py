"""How a store of an earlier schema version is brought up to the current one (see
:data:`geo.store.tables.SCHEMA_VERSION`).
"""

from __future__ import annotations

import json

import sqlalchemy as sa

from .tables import (
    DERIVED_LAYOUT_VERSION,
    SCHEMA_VERSION,
    STORED_COLUMNS,
    SUMMARIES,
    batch_vintages_table,
    batches_table,
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
    A store of an earlier schema version (2 or later, before `DERIVED_LAYOUT_VERSION`): drop its summaries, which
    are derived data whose layout may have changed; True when it was one (its placements are then made again).
    """
    names = set(sa.inspect(conn).get_table_names())
    if "meta" not in names:
        return False
    version = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
    if version is None or int(version) >= DERIVED_LAYOUT_VERSION:
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


def record_batch_vintages(conn: sa.Connection) -> None:
    """
    Schema 5 → 6: the vintage of each committed ingest batch, per source, from what it recorded (the coverage
    in its details: newest `timestamp`, else last event date), else from its events that are still current;
    absent columns: the optional columns none of its current events has a value in (the batch's files are gone).
    """
    from ..vintages import ABSENT_CANDIDATES, day_seconds

    b, e = batches_table.c, events_table.c
    batches = conn.execute(sa.select(b.batch_id, b.details).where(b.status == "committed", b.kind == "ingest")).all()
    recorded: dict[tuple[int, str], tuple[int | None, str | None]] = {}
    for batch_id, details in batches:
        for cover in json.loads(details or "{}").get("coverage") or []:
            key = (int(batch_id), str(cover.get("source_dataset")))
            stamp, last = cover.get("newest_timestamp"), cover.get("last_date")
            value = (int(stamp), "timestamp") if stamp is not None else (day_seconds(last), "event_date") if last else (None, None)
            old = recorded.get(key)
            if old is None or (value[0] is not None and (old[0] is None or _later(value, old))):
                recorded[key] = value
    # One scan of the current events: which optional columns each batch's events fill, and their newest dates.
    filled = [
        sa.func.max(sa.case((sa.and_(e[c].is_not(None), sa.cast(e[c], sa.Text) != ""), 1), else_=0)).label(c)
        for c in ABSENT_CANDIDATES
    ]
    query = sa.select(e.batch_id, e.source_dataset, sa.func.max(e.revision_timestamp), sa.func.max(e.event_date), *filled) \
        .where(e.batch_id.in_([int(r[0]) for r in batches])).group_by(e.batch_id, e.source_dataset)
    done = {(int(b), str(src)) for b, src in conn.execute(
        sa.select(batch_vintages_table.c.batch_id, batch_vintages_table.c.source_dataset)).all()}
    rows = []
    for row in conn.execute(query).all():
        batch_id, source, stamp, last = int(row[0]), str(row[1]), row[2], row[3]
        if (batch_id, source) in done:  # recorded at its commit (a store opened by this version before)
            continue
        vintage = recorded.get((batch_id, source))
        if vintage is None or vintage[0] is None:
            vintage = (int(stamp), "timestamp") if stamp is not None else (day_seconds(last), "event_date") if last else (None, None)
        absent = [c for c, value in zip(ABSENT_CANDIDATES, row[4:]) if not value]
        rows.append({"batch_id": batch_id, "source_dataset": source, "vintage": vintage[0], "vintage_from": vintage[1],
                     "absent_columns": ",".join(absent)})
    if rows:
        conn.execute(batch_vintages_table.insert(), rows)
    conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="6"))


def _later(a: tuple[int | None, str | None], b: tuple[int | None, str | None]) -> bool:
    return a[0] is not None and b[0] is not None and a[0] > b[0]
