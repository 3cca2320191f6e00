"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""

from __future__ import annotations

from alembic import op
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade() -> None:
    """What this revision changes (build on geo.store.migrations.history, never on geo.store.tables)."""
    conn = op.get_bind()
    ${upgrades if upgrades else "raise NotImplementedError"}
