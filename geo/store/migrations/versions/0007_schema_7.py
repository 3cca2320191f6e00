"""Schema 7: the vintage and the absent columns of each ingest batch, per source (`batch_vintages`).

A stored event without a `timestamp` has its batch's vintage, and a column its batch's files lacked is not compared
with a later file (``geo.vintages``). The batches stored before are given theirs from what they kept: the vintage
from the coverage in the batch's details (its newest `timestamp`, else its last event date), else from its events that
are still current; the absent columns are the optional columns none of its current events has a value in (the batch's
files are gone). Aggregate tables (ACLED's, schema 6) have no vintage row, as when they are committed. Summaries and
places are left as they are: nothing is placed again.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from alembic import op

from geo.store.migrations.history import batch_vintages_7, set_schema_version
from geo.store.store import current_user

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

#: The optional canonical columns a batch's files may lack, as schema 7 knows them (frozen: ``geo.vintages`` may
#: learn more later, this revision does not).
ABSENT_CANDIDATES = [
    "time_precision", "sub_event_type", "disorder_type", "actor1", "assoc_actor_1", "actor1_type", "actor2",
    "assoc_actor_2", "actor2_type", "admin1_declared", "admin2_declared", "admin3_declared", "location",
    "geo_precision", "fatalities_low", "fatalities_high", "notes", "source_text", "revision_timestamp",
]


def upgrade() -> None:
    """Create `batch_vintages` and record the vintage and absent columns of every committed ingest batch."""
    conn = op.get_bind()
    vintages = batch_vintages_7(sa.MetaData())
    vintages.create(conn, checkfirst=True)
    # (A store that has the table already, e.g. one whose meta was set back to an earlier version, keeps the vintages
    # its batches recorded at their commit: only the batches without one get theirs here.)
    done = {(int(b), str(src)) for b, src in conn.execute(sa.select(vintages.c.batch_id, vintages.c.source_dataset)).all()}
    batches = sa.table("batches", sa.column("batch_id"), sa.column("kind"), sa.column("status"), sa.column("details"))
    events = sa.table("events", sa.column("batch_id"), sa.column("source_dataset"), sa.column("event_date"),
                      *[sa.column(c) for c in ABSENT_CANDIDATES])
    b, e = batches.c, events.c
    committed = conn.execute(sa.select(b.batch_id, b.details).where(b.status == "committed", b.kind == "ingest")).all()
    recorded: dict[tuple[int, str], tuple[int | None, str | None]] = {}
    for batch_id, details in committed:
        for cover in json.loads(details or "{}").get("coverage") or []:
            key = (int(batch_id), str(cover.get("source_dataset")))
            stamp, last = cover.get("newest_timestamp"), cover.get("last_date")
            value = (int(stamp), "timestamp") if stamp is not None else (_day_seconds(last), "event_date") if last else (None, None)
            old = recorded.get(key)
            if old is None or (value[0] is not None and (old[0] is None or value[0] > old[0])):
                recorded[key] = value
    # One scan of the current events: which optional columns each batch's events fill, and their newest dates.
    filled = [
        sa.func.max(sa.case((sa.and_(e[c].is_not(None), sa.cast(e[c], sa.Text) != ""), 1), else_=0)).label(c)
        for c in ABSENT_CANDIDATES
    ]
    query = sa.select(e.batch_id, e.source_dataset, sa.func.max(e.revision_timestamp), sa.func.max(e.event_date), *filled) \
        .where(e.batch_id.in_([int(r[0]) for r in committed])).group_by(e.batch_id, e.source_dataset)
    rows = []
    for row in conn.execute(query).all():
        batch_id, source, stamp, last = int(row[0]), str(row[1]), row[2], row[3]
        if (batch_id, source) in done:
            continue
        vintage = recorded.get((batch_id, source))
        if vintage is None or vintage[0] is None:
            vintage = (int(stamp), "timestamp") if stamp is not None else (_day_seconds(last), "event_date") if last else (None, None)
        absent = [c for c, value in zip(ABSENT_CANDIDATES, row[4:]) if not value]
        rows.append({"batch_id": batch_id, "source_dataset": source, "vintage": vintage[0], "vintage_from": vintage[1],
                     "absent_columns": ",".join(absent)})
    if rows:
        conn.execute(vintages.insert(), rows)
    set_schema_version(conn, 7)
    if rows:
        audit = sa.table("audit_log", sa.column("at"), sa.column("user"), sa.column("action"), sa.column("outcome"),
                         sa.column("detail"))
        conn.execute(audit.insert().values(
            at=datetime.now(UTC).isoformat(timespec="seconds"), user=current_user(), action="migrate", outcome="done",
            detail=f"schema → 7: the vintages of {len({r['batch_id'] for r in rows}):,} batch(es) recorded from what they kept"))


def _day_seconds(value: object) -> int | None:
    """A day (ISO text) as seconds since 1970 at its midnight UTC."""
    if value is None or pd.isna(value):
        return None
    return int(pd.Timestamp(value).normalize().value // 1_000_000_000)
