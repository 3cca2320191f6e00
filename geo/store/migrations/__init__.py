"""The store's schema history as Alembic migrations (``versions/``), with the tables each revision creates frozen as they were (:mod:`.history`): a later change of :mod:`geo.store.tables` never changes what an old revision does.

Run by :func:`geo.store.migrate.upgrade` when a store is opened, and by ``python -m geo db upgrade``.
"""
