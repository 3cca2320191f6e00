"""Schema 2: a row id per stored version of an event; place sets, each event's places, the unit summary, placing jobs.

Events get row ids numbered in key order, their earlier versions a row id column (filled when a rollback restores
one). Places and the summary are computed afterwards, when a boundary set is first used
(``geo.places.ensure_placement``).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from geo.store.migrations.history import events_2, places_2, set_schema_version, stored_columns, unit_summary_2

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Number the events, add the versions' row id, create the tables of placing."""
    conn = op.get_bind()
    staging = events_2(sa.MetaData(), name="events_v2")
    staging.create(conn)
    columns = ", ".join(f'"{c}"' for c in stored_columns())
    conn.exec_driver_sql(
        f"INSERT INTO events_v2 (row_id, {columns}) "
        f"SELECT row_number() OVER (ORDER BY source_dataset, event_id), {columns} FROM events"
    )
    count = conn.exec_driver_sql("SELECT count(*) FROM events_v2").scalar() or 0
    op.drop_table("events")
    op.rename_table("events_v2", "events")
    op.add_column("event_versions", sa.Column("row_id", sa.BigInteger(), nullable=True))
    metadata = sa.MetaData()
    for table in (*places_2(metadata), unit_summary_2(metadata)):
        table.create(conn)
    meta = sa.table("meta", sa.column("key"), sa.column("value"))
    conn.execute(meta.delete().where(meta.c.key == "next_row_id"))
    conn.execute(meta.insert().values(key="next_row_id", value=str(int(count) + 1)))
    set_schema_version(conn, 2)
