"""Schema 1: events keyed by (source_dataset, event_id), their earlier versions, batches, rejections, audit log, meta.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from geo.store.migrations.history import schema_1, set_schema_version

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables of schema 1 in an empty database."""
    conn = op.get_bind()
    metadata = sa.MetaData()
    schema_1(metadata)
    metadata.create_all(conn)
    set_schema_version(conn, 1)
    conn.execute(sa.table("meta", sa.column("key"), sa.column("value")).insert().values(key="data_version", value="0"))
