"""Schema 6: ACLED's public aggregates per unit and month (source `acled-hdx`), in tables of their own.

`aggregate_rows` (each unit-month of one indicator as the latest table gives it), `aggregate_versions` (those a later
table revised or removed: rollback and the history of `changes`) and `aggregate_units` (each table unit's first and
last month). The summaries keep their layout: nothing is placed again.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from geo.store.migrations.history import aggregates_6, set_schema_version

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables of ACLED's aggregates."""
    conn = op.get_bind()
    metadata = sa.MetaData()
    aggregates_6(metadata)
    metadata.create_all(conn)
    set_schema_version(conn, 6)
