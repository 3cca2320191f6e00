"""Schema 4: grid cells in the border summary (the density maps of the Borders and Map pages come from it).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from geo.store.migrations.history import actor_summary_3, border_summary, replace_summaries, set_schema_version, unit_summary_2

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """The summaries of schema 4 (the border summary with grid cells), empty; every place set stale."""
    conn = op.get_bind()
    metadata = sa.MetaData()
    replace_summaries(conn, [unit_summary_2(metadata), border_summary(metadata, cells=True), actor_summary_3(metadata)])
    set_schema_version(conn, 4)
