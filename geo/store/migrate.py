"""Bringing a store up to the current schema with Alembic: on every open (:class:`geo.store.Store`), and by ``python -m geo db upgrade`` for operators who want to choose the moment (a large PostgreSQL store).

The revisions live in :mod:`geo.store.migrations` (``versions/0001_schema_1.py`` … one per schema version). A new
store is created from the current tables (:mod:`geo.store.tables`) and stamped at the head revision; a store written
before the migrations were Alembic's (it has a meta ``schema_version`` but no ``alembic_version``) is stamped at the
revision of its version first, then upgraded. Everything runs on the store's connection, inside its write transaction:
an upgrade that fails leaves the store as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from ..errors import StoreError
from .tables import SCHEMA_VERSION, meta_table, metadata

if TYPE_CHECKING:
    from alembic.config import Config

#: Where the revisions are.
SCRIPTS = Path(__file__).with_name("migrations")
#: The head revision: the schema this code writes (a test checks it is the last revision of SCRIPTS). A constant, so
#: that opening a store that is up to date costs one read and no import of Alembic (about 0.2 s).
HEAD = "0008"
#: The revision of each schema version a store recorded in its meta table before Alembic ran its migrations.
REVISIONS = {"1": "0001", "2": "0002", "3": "0003", "4": "0004", "5": "0005", "6": "0006", "7": "0007", "8": "0008"}
#: The meta values of a new store.
DEFAULT_META = {"schema_version": str(SCHEMA_VERSION), "data_version": "0", "next_row_id": "1"}


def alembic_config(conn: sa.Connection | None = None) -> Config:
    """Alembic's configuration of the store: the revisions' folder, and the connection they run on.

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.

    Returns
    -------
    Config
        The configuration.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    if conn is not None:
        config.attributes["connection"] = conn
    return config


def head() -> str:
    """The head revision: the schema this code writes.

    Returns
    -------
    str
        The head revision: the schema this code writes.
    """
    return HEAD


def revisions() -> list[str]:
    """Every revision of :data:`SCRIPTS`, the first first (Alembic's script directory).

    Returns
    -------
    list[str]
        Every revision of :data:`SCRIPTS`, the first first (Alembic's script directory).
    """
    from alembic.script import ScriptDirectory

    return [script.revision for script in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]


def revision(conn: sa.Connection) -> str | None:
    """The store's schema revision.

    Alembic's, else the one of its meta ``schema_version`` (a store from before Alembic), None for an empty
    database.

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.

    Returns
    -------
    str | None
        The store's schema revision: Alembic's, else the one of its meta ``schema_version`` (a store from before
        Alembic), None for an empty database.

    Raises
    ------
    StoreError
        When the store was written by a newer atlas (a schema version or revision this code does not know).
    """
    names = set(sa.inspect(conn).get_table_names())
    if "alembic_version" in names:
        current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        if current is not None:
            if current != HEAD and current not in revisions():
                raise StoreError(f"the store is at schema revision {current}, which this version of the atlas does not know: "
                                 "it was written by a newer one; upgrade the atlas")
            return str(current)
    if "meta" not in names:
        return None
    version = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar()
    if version is None:
        return None if not names - {"meta"} else REVISIONS["1"]
    if str(version) not in REVISIONS:
        raise StoreError(f"the store is at schema version {version}, which this version of the atlas does not know: "
                         "it was written by a newer one; upgrade the atlas")
    return REVISIONS[str(version)]


def is_current(conn: sa.Connection) -> bool:
    """Whether the store is at the head revision with every table (a read-only check: no lock, nothing written).

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.

    Returns
    -------
    bool
        Whether the store is at the head revision with every table (a read-only check: no lock, nothing written).
    """
    names = set(sa.inspect(conn).get_table_names())
    if not set(metadata.tables) <= names or "alembic_version" not in names:
        return False
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar() == head()


def upgrade(conn: sa.Connection) -> tuple[str | None, str]:
    """
    Bring the store on `conn` to the head revision, inside the caller's write transaction.

    An empty database gets the current tables, its meta values and the head revision; a store from before Alembic is
    stamped at the revision of its schema version; then every later revision runs, in order.

    Parameters
    ----------
    conn
        A connection in a transaction that holds the store's write lock (:meth:`geo.store.Store.write_transaction`).

    Returns
    -------
    tuple
        (the revision before, None for a new store; the revision now, the head).

    Raises
    ------
    StoreError
        When the store was written by a newer atlas, a revision fails, or the store lacks tables of the schema it
        records (written by a development build that numbered its schema otherwise); nothing is changed then.
    """
    from alembic import command
    from alembic.util import CommandError

    before = revision(conn)
    config = alembic_config(conn)
    try:
        if before is None:
            metadata.create_all(conn)
            present = set(conn.execute(sa.select(meta_table.c.key)).scalars())
            missing = [{"key": k, "value": v} for k, v in DEFAULT_META.items() if k not in present]
            if missing:
                conn.execute(meta_table.insert(), missing)
            command.stamp(config, head())
            return None, head()
        if "alembic_version" not in set(sa.inspect(conn).get_table_names()):
            command.stamp(config, before)
        if before != head():
            command.upgrade(config, "head")
    except CommandError as exc:
        raise StoreError(f"cannot bring the store from schema revision {before} to {head()}: {exc}") from None
    # A store whose recorded version does not hold that version's tables (written by a development build that numbered
    # its schema otherwise) is refused, and left as it was (the caller's transaction is abandoned), never half-upgraded.
    lacking = sorted(set(metadata.tables) - set(sa.inspect(conn).get_table_names()))
    if lacking:
        raise StoreError(f"the store at schema revision {before} lacks the table(s) {', '.join(lacking)} after its upgrade "
                         f"to {head()}: it was written by a development build whose schema {before} differs; nothing was "
                         "changed. Rebuild it from its files (python -m geo ingest) or open it with the build that wrote it")
    return before, head()
