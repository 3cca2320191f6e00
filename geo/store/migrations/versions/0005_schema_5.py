"""Schema 5: UCDP events typed by their side A (government or not), their summaries rebuilt.

The UCDP reader types side A since (``geo.perpetrators.side_a_types``): the events stored before get the same type,
in the current events and their earlier versions, with their content hashes (so that the same file ingested again
stays a duplicate). The summaries are rebuilt (every place set stale), so they follow the new actor type exactly.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import sqlalchemy as sa
from alembic import op

from geo.perpetrators import side_a_types
from geo.schema import CANONICAL_COLUMNS, coerce_events, content_hash
from geo.store.migrations.history import (
    actor_summary_3,
    border_summary,
    replace_summaries,
    set_schema_version,
    stored_columns,
    unit_summary_2,
)
from geo.store.store import current_user

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Type the stored UCDP events by their side A, then rebuild the summaries."""
    conn = op.get_bind()
    typed = 0
    for name, key in (("events", "row_id"), ("event_versions", "version_id")):
        table = sa.table(name, sa.column(key), *[sa.column(c) for c in stored_columns()])
        columns = [table.c[key], *[table.c[c] for c in CANONICAL_COLUMNS], table.c.content_hash]
        stored = pd.read_sql(sa.select(*columns).where(table.c.source_dataset == "ucdp"), conn)
        if stored.empty:
            continue
        events = coerce_events(stored)
        kinds = side_a_types(events["actor1"], events["country"], events["country_iso3"])
        changed = (kinds != events["actor1_type"]).to_numpy()
        if not changed.any():
            continue
        events = events.loc[changed].assign(actor1_type=kinds[changed])
        updates = [{"k": int(k), "t": str(t), "h": int(h)}
                   for k, t, h in zip(stored.loc[changed, key], events["actor1_type"], content_hash(events))]
        conn.execute(table.update().where(table.c[key] == sa.bindparam("k")).values(
            actor1_type=sa.bindparam("t"), content_hash=sa.bindparam("h")), updates)
        typed += len(updates) if name == "events" else 0
    metadata = sa.MetaData()
    replace_summaries(conn, [unit_summary_2(metadata), border_summary(metadata, cells=True), actor_summary_3(metadata)])
    set_schema_version(conn, 5)
    if typed:
        meta = sa.table("meta", sa.column("key"), sa.column("value"))
        version = int(conn.execute(sa.select(meta.c.value).where(meta.c.key == "data_version")).scalar() or 0)
        conn.execute(meta.update().where(meta.c.key == "data_version").values(value=str(version + 1)))
        audit = sa.table("audit_log", sa.column("at"), sa.column("user"), sa.column("action"), sa.column("outcome"),
                         sa.column("detail"))
        conn.execute(audit.insert().values(
            at=datetime.now(UTC).isoformat(timespec="seconds"), user=current_user(), action="migrate", outcome="done",
            detail=f"schema → 5: {typed:,} UCDP event(s) typed by their side A (government or not)"))
