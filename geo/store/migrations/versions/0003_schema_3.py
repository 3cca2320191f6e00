"""Schema 3: the border and actor summaries, kept per batch; a store placed before them is placed again on first use.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from geo.store.migrations.history import actor_summary_3, border_summary, replace_summaries, set_schema_version, unit_summary_2

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The summaries of schema 3, empty; every place set stale."""
    conn = op.get_bind()
    metadata = sa.MetaData()
    replace_summaries(conn, [unit_summary_2(metadata), border_summary(metadata, cells=False), actor_summary_3(metadata)])
    set_schema_version(conn, 3)
