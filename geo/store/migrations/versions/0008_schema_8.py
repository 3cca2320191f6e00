"""Schema 8: the units each event's uncertainty area makes doubtful (`event_area_units`), summed in `area_summary`.

The ranges of every figure (issue 22) come from these, computed with the places. A store from before has none: the
tables are created empty, and each place set is placed again on its next use (``geo.places.ensure_placement``, a
recorded job), since the fingerprint of the uncertainty rules its areas were computed with (meta
``area_rules.{set_id}``) is missing. Events, versions, batches and the other summaries are left as they are.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from geo.store.migrations.history import areas_8, set_schema_version

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables of the uncertainty areas' units, empty."""
    conn = op.get_bind()
    metadata = sa.MetaData()
    areas_8(metadata)
    metadata.create_all(conn)
    set_schema_version(conn, 8)
