"""Alembic's environment for the atlas store.

The revisions run on the connection the store hands over, inside its write transaction
(:func:`geo.store.migrate.upgrade`), never on a connection of their own.
"""

from __future__ import annotations

from alembic import context

from geo.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("the store's migrations run on an open store (`python -m geo db upgrade`); their data steps read "
                       "rows, so they cannot be written out as SQL")
context.configure(connection=connection, target_metadata=metadata)
with context.begin_transaction():
    context.run_migrations()
