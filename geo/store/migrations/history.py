"""The store's tables as each schema version created them, frozen: the Alembic revisions build on these, never on :mod:`geo.store.tables` (which is the current schema only), so that what an old revision does never changes.

The canonical event columns have not changed since schema 1; a change to them is a revision of its own, which then
keeps these as the columns the earlier revisions wrote.
"""

from __future__ import annotations

import sqlalchemy as sa

#: A stored version's row id: SQLite's INTEGER PRIMARY KEY (the table's own b-tree key), BIGINT elsewhere.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
#: Every summary table, kept per batch and derived from the events and their places.
SUMMARY_TABLES = ("unit_summary", "border_summary", "actor_summary")


def event_columns() -> list[sa.Column]:
    """The canonical event columns as schemas 1 to 5 store them (nullable, typed like `geo.schema`), and the content hash.

    Returns
    -------
    list[sa.Column]
        The canonical event columns as schemas 1 to 5 store them (nullable, typed like `geo.schema`), and the content
        hash.
    """
    return [
        sa.Column("source_dataset", sa.Text()),
        sa.Column("event_id", sa.Text()),
        sa.Column("event_date", sa.String(10)),
        sa.Column("year", sa.BigInteger()),
        sa.Column("time_precision", sa.BigInteger()),
        sa.Column("event_type", sa.Text()),
        sa.Column("sub_event_type", sa.Text()),
        sa.Column("disorder_type", sa.Text()),
        sa.Column("actor1", sa.Text()),
        sa.Column("assoc_actor_1", sa.Text()),
        sa.Column("actor1_type", sa.Text()),
        sa.Column("actor2", sa.Text()),
        sa.Column("assoc_actor_2", sa.Text()),
        sa.Column("actor2_type", sa.Text()),
        sa.Column("country", sa.Text()),
        sa.Column("country_iso3", sa.Text()),
        sa.Column("admin1_declared", sa.Text()),
        sa.Column("admin2_declared", sa.Text()),
        sa.Column("admin3_declared", sa.Text()),
        sa.Column("location", sa.Text()),
        sa.Column("latitude", sa.Float()),
        sa.Column("longitude", sa.Float()),
        sa.Column("geo_precision", sa.BigInteger()),
        sa.Column("max_admin_level", sa.BigInteger()),
        sa.Column("fatalities", sa.BigInteger()),
        sa.Column("fatalities_low", sa.BigInteger()),
        sa.Column("fatalities_high", sa.BigInteger()),
        sa.Column("civilian_targeting", sa.Boolean()),
        sa.Column("notes", sa.Text()),
        sa.Column("source_text", sa.Text()),
        sa.Column("revision_timestamp", sa.BigInteger()),
        sa.Column("batch_id", sa.BigInteger()),
        sa.Column("content_hash", sa.BigInteger(), nullable=False),
    ]


def stored_columns() -> list[str]:
    """The names of :func:`event_columns`: what a version of an event holds.

    Returns
    -------
    list[str]
        The names of :func:`event_columns`: what a version of an event holds.
    """
    return [c.name for c in event_columns()]


# ---------------------------------------------------------------------------------------------- schema 1


def schema_1(metadata: sa.MetaData) -> list[sa.Table]:
    """Schema 1: events keyed by (source_dataset, event_id), their earlier versions, batches, rejections, the audit log and the store's meta values.

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.

    Returns
    -------
    list[sa.Table]
        The tables.
    """
    return [
        sa.Table("events", metadata, *event_columns(), sa.PrimaryKeyConstraint("source_dataset", "event_id")),
        versions_1(metadata),
        sa.Table(
            "batches", metadata,
            sa.Column("batch_id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("kind", sa.String(16), nullable=False),
            sa.Column("created_at", sa.String(32), nullable=False),
            sa.Column("user", sa.Text, nullable=False),
            sa.Column("file_names", sa.Text, nullable=False),
            sa.Column("sha256", sa.Text, nullable=False),
            sa.Column("format", sa.String(32), nullable=False),
            sa.Column("rows_read", sa.Integer, nullable=False),
            sa.Column("new", sa.Integer, nullable=False),
            sa.Column("updated", sa.Integer, nullable=False),
            sa.Column("duplicates", sa.Integer, nullable=False),
            sa.Column("rejected", sa.Integer, nullable=False),
            sa.Column("outside_area", sa.Integer, nullable=False),
            sa.Column("deleted", sa.Integer, nullable=False, default=0),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("rolled_back_at", sa.String(32)),
            sa.Column("rolled_back_by", sa.Text),
            sa.Column("details", sa.Text, nullable=False),
        ),
        sa.Table(
            "rejections", metadata,
            sa.Column("batch_id", sa.Integer, nullable=False, index=True),
            sa.Column("file_name", sa.Text, nullable=False),
            sa.Column("line", sa.Integer, nullable=False),
            sa.Column("event_id", sa.Text, nullable=False),
            sa.Column("reason", sa.Text, nullable=False),
        ),
        sa.Table(
            "audit_log", metadata,
            sa.Column("entry_id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("at", sa.String(32), nullable=False),
            sa.Column("user", sa.Text, nullable=False),
            sa.Column("action", sa.String(32), nullable=False),
            sa.Column("outcome", sa.String(16), nullable=False),
            sa.Column("detail", sa.Text, nullable=False),
        ),
        sa.Table("meta", metadata, sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", sa.Text, nullable=False)),
    ]


def versions_1(metadata: sa.MetaData) -> sa.Table:
    """Schema 1's earlier versions of events (schema 2 adds their row id).

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.

    Returns
    -------
    sa.Table
        The table.
    """
    table = sa.Table(
        "event_versions", metadata,
        sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("superseded_by", sa.Integer, nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        *event_columns(),
    )
    sa.Index("ix_versions_superseded", table.c.superseded_by)
    sa.Index("ix_versions_batch", table.c.batch_id)
    return table


# ---------------------------------------------------------------------------------------------- schema 2


def events_2(metadata: sa.MetaData, name: str = "events") -> sa.Table:
    """Schema 2's events: a row id per stored version, the (source_dataset, event_id) key unique.

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.
    name
        The table's name (a staging name while events are copied).

    Returns
    -------
    sa.Table
        The table.
    """
    return sa.Table(
        name, metadata,
        sa.Column("row_id", ROW_ID, primary_key=True, autoincrement=False),
        *event_columns(),
        sa.UniqueConstraint("source_dataset", "event_id", name="ux_events_key"),
    )


def places_2(metadata: sa.MetaData) -> list[sa.Table]:
    """Schema 2's place sets, event places and placing jobs.

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.

    Returns
    -------
    list[sa.Table]
        The tables.
    """
    return [
        sa.Table(
            "place_sets", metadata,
            sa.Column("set_id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("name", sa.Text, nullable=False),
            sa.Column("file_sha256", sa.String(64), nullable=False),
            sa.Column("tolerance_m", sa.Float, nullable=False),
            sa.Column("levels", sa.Text, nullable=False),
            sa.Column("has_borders", sa.Boolean, nullable=False),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("events", sa.BigInteger, nullable=False),
            sa.Column("computed_at", sa.String(32), nullable=False),
            sa.UniqueConstraint("name", "tolerance_m", name="ux_place_sets"),
        ),
        sa.Table(
            "event_places", metadata,
            sa.Column("set_id", sa.Integer, nullable=False),
            sa.Column("row_id", sa.BigInteger, nullable=False),
            sa.Column("coverage", sa.String(8), nullable=False),
            sa.Column("country_iso3", sa.String(8), nullable=False),
            sa.Column("admin1_code", sa.Text, nullable=False),
            sa.Column("admin2_code", sa.Text, nullable=False),
            sa.Column("border", sa.String(16)),
            sa.Column("border_km", sa.Float),
            sa.Column("tri_km", sa.Float),
            sa.PrimaryKeyConstraint("set_id", "row_id"),
            sqlite_with_rowid=False,
        ),
        sa.Table(
            "jobs", metadata,
            sa.Column("job_id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("kind", sa.String(32), nullable=False),
            sa.Column("target", sa.Text, nullable=False),
            sa.Column("user", sa.Text, nullable=False),
            sa.Column("started_at", sa.String(32), nullable=False),
            sa.Column("finished_at", sa.String(32)),
            sa.Column("status", sa.String(16), nullable=False),
            sa.Column("detail", sa.Text, nullable=False),
        ),
    ]


def unit_summary_2(metadata: sa.MetaData) -> sa.Table:
    """The unit summary (schema 2 on, unchanged).

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.

    Returns
    -------
    sa.Table
        The unit summary (schema 2 on, unchanged).
    """
    keys = ["set_id", "source_dataset", "month", "country_iso3", "admin1_code", "admin2_code", "event_type",
            "sub_event_type", "actor1_type", "geo_precision", "civilian_targeting", "snapped"]
    return sa.Table(
        "unit_summary", metadata,
        sa.Column("set_id", sa.Integer, nullable=False),
        sa.Column("source_dataset", sa.Text, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("country_iso3", sa.String(8), nullable=False),
        sa.Column("admin1_code", sa.Text, nullable=False),
        sa.Column("admin2_code", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("sub_event_type", sa.Text, nullable=False),
        sa.Column("actor1_type", sa.Text, nullable=False),
        sa.Column("geo_precision", sa.Integer, nullable=False),
        sa.Column("civilian_targeting", sa.Boolean, nullable=False),
        sa.Column("snapped", sa.Boolean, nullable=False),
        sa.Column("events", sa.BigInteger, nullable=False),
        sa.Column("fatalities", sa.BigInteger, nullable=False),
        sa.Column("fatalities_low", sa.BigInteger, nullable=False),
        sa.Column("fatalities_low_n", sa.BigInteger, nullable=False),
        sa.Column("fatalities_high", sa.BigInteger, nullable=False),
        sa.Column("fatalities_high_n", sa.BigInteger, nullable=False),
        sa.UniqueConstraint(*keys, name="ux_unit_summary"),
    )


# ---------------------------------------------------------------------------------------------- schemas 3 and 4


def border_summary(metadata: sa.MetaData, *, cells: bool) -> sa.Table:
    """The border summary: schema 3 without grid cells, schema 4 on with them (`cells`).

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.
    cells
        Whether it has grid cells (schema 4 on).

    Returns
    -------
    sa.Table
        The border summary: schema 3 without grid cells, schema 4 on with them (`cells`).
    """
    keys = ["set_id", "source_dataset", "month", "country_iso3", "event_type", "geo_precision", "civilian_targeting",
            "border", "border_bucket", "tri_bucket", *(["cell_x", "cell_y"] if cells else [])]
    grid = [sa.Column("cell_x", sa.Integer, nullable=False), sa.Column("cell_y", sa.Integer, nullable=False)] if cells else []
    return sa.Table(
        "border_summary", metadata,
        sa.Column("set_id", sa.Integer, nullable=False),
        sa.Column("source_dataset", sa.Text, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("country_iso3", sa.String(8), nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("geo_precision", sa.Integer, nullable=False),
        sa.Column("civilian_targeting", sa.Boolean, nullable=False),
        sa.Column("border", sa.String(16), nullable=False),
        sa.Column("border_bucket", sa.Integer, nullable=False),
        sa.Column("tri_bucket", sa.Integer, nullable=False),
        *grid,
        sa.Column("events", sa.BigInteger, nullable=False),
        sa.Column("fatalities", sa.BigInteger, nullable=False),
        sa.UniqueConstraint(*keys, name="ux_border_summary"),
    )


def actor_summary_3(metadata: sa.MetaData) -> sa.Table:
    """The actor summary (schema 3 on, unchanged).

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.

    Returns
    -------
    sa.Table
        The actor summary (schema 3 on, unchanged).
    """
    keys = ["set_id", "source_dataset", "month", "country_iso3", "actor", "event_type", "geo_precision", "civilian_targeting"]
    return sa.Table(
        "actor_summary", metadata,
        sa.Column("set_id", sa.Integer, nullable=False),
        sa.Column("source_dataset", sa.Text, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("country_iso3", sa.String(8), nullable=False),
        sa.Column("actor", sa.Text, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("geo_precision", sa.Integer, nullable=False),
        sa.Column("civilian_targeting", sa.Boolean, nullable=False),
        sa.Column("events", sa.BigInteger, nullable=False),
        sa.Column("fatalities", sa.BigInteger, nullable=False),
        sa.UniqueConstraint(*keys, name="ux_actor_summary"),
    )


# ---------------------------------------------------------------------------------------------- steps


def replace_summaries(conn: sa.Connection, tables: list[sa.Table]) -> None:
    """Drop the derived summaries (whatever layout they had) and create `tables` empty in their place; every place set becomes stale, so that its next use places the events again and fills every summary (a recorded job).

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.
    tables
        The summaries' tables at this revision.
    """
    present = set(sa.inspect(conn).get_table_names())
    for name in SUMMARY_TABLES:
        if name in present:
            conn.exec_driver_sql(f"DROP TABLE {name}")
    for table in tables:
        table.create(conn)
    if "place_sets" in present:
        conn.exec_driver_sql("UPDATE place_sets SET status = 'stale'")


def set_schema_version(conn: sa.Connection, version: int) -> None:
    """The store's own record of its schema version (meta ``schema_version``), kept beside Alembic's revision.

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.
    version
        The schema version.
    """
    meta = sa.table("meta", sa.column("key"), sa.column("value"))
    conn.execute(meta.delete().where(meta.c.key == "schema_version"))
    conn.execute(meta.insert().values(key="schema_version", value=str(version)))


# ---------------------------------------------------------------------------------------------- schema 6


def aggregate_columns_6() -> list[sa.Column]:
    """The columns of a stored unit-month of ACLED's aggregates as schema 6 stores them, its batch and content hash.

    Returns
    -------
    list[sa.Column]
        The columns (only `fatalities` may be missing: the demonstrations' tables give none).
    """
    return [
        sa.Column("source_dataset", sa.Text(), nullable=False),
        sa.Column("indicator", sa.Text(), nullable=False),
        sa.Column("country_iso3", sa.Text(), nullable=False),
        sa.Column("admin_level", sa.BigInteger(), nullable=False),
        sa.Column("admin1_pcode", sa.Text(), nullable=False),
        sa.Column("admin1_name", sa.Text(), nullable=False),
        sa.Column("admin2_pcode", sa.Text(), nullable=False),
        sa.Column("admin2_name", sa.Text(), nullable=False),
        sa.Column("unit_id", sa.Text(), nullable=False),
        sa.Column("month", sa.Text(), nullable=False),
        sa.Column("events", sa.BigInteger(), nullable=False),
        sa.Column("fatalities", sa.BigInteger(), nullable=True),
        sa.Column("batch_id", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.BigInteger, nullable=False),
    ]


def aggregates_6(metadata: sa.MetaData) -> list[sa.Table]:
    """Schema 6's tables of ACLED's aggregates: current unit-months, their earlier versions, and each table unit's span.

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.

    Returns
    -------
    list[sa.Table]
        `aggregate_rows`, `aggregate_versions`, `aggregate_units`.
    """
    rows = sa.Table(
        "aggregate_rows", metadata, *aggregate_columns_6(),
        sa.UniqueConstraint("source_dataset", "country_iso3", "indicator", "month", "unit_id", name="ux_aggregate_rows"),
    )
    versions = sa.Table(
        "aggregate_versions", metadata,
        sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("superseded_by", sa.Integer, nullable=False),
        sa.Column("change", sa.String(16), nullable=False),
        *aggregate_columns_6(),
    )
    sa.Index("ix_aggregate_versions_superseded", versions.c.superseded_by)
    sa.Index("ix_aggregate_versions_batch", versions.c.batch_id)
    units = sa.Table(
        "aggregate_units", metadata,
        sa.Column("source_dataset", sa.Text, nullable=False),
        sa.Column("country_iso3", sa.Text, nullable=False),
        sa.Column("indicator", sa.Text, nullable=False),
        sa.Column("unit_id", sa.Text, nullable=False),
        sa.Column("admin_level", sa.BigInteger, nullable=False),
        sa.Column("admin1_pcode", sa.Text, nullable=False),
        sa.Column("admin1_name", sa.Text, nullable=False),
        sa.Column("admin2_pcode", sa.Text, nullable=False),
        sa.Column("admin2_name", sa.Text, nullable=False),
        sa.Column("first_month", sa.String(7), nullable=False),
        sa.Column("last_month", sa.String(7), nullable=False),
        sa.Column("months", sa.Integer, nullable=False),
        sa.UniqueConstraint("source_dataset", "country_iso3", "indicator", "unit_id", name="ux_aggregate_units"),
    )
    return [rows, versions, units]


# ---------------------------------------------------------------------------------------------- schema 7


def batch_vintages_7(metadata: sa.MetaData) -> sa.Table:
    """Schema 7's vintage and absent columns of each ingest batch, per source.

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.

    Returns
    -------
    sa.Table
        `batch_vintages`.
    """
    return sa.Table(
        "batch_vintages", metadata,
        sa.Column("batch_id", sa.Integer, nullable=False),
        sa.Column("source_dataset", sa.Text, nullable=False),
        sa.Column("vintage", sa.BigInteger),
        sa.Column("vintage_from", sa.String(16)),
        sa.Column("absent_columns", sa.Text, nullable=False),
        sa.PrimaryKeyConstraint("batch_id", "source_dataset"),
    )


# ---------------------------------------------------------------------------------------------- schema 8


def areas_8(metadata: sa.MetaData) -> list[sa.Table]:
    """Schema 8's units each event's uncertainty area makes doubtful, per place set, and their sums.

    Parameters
    ----------
    metadata
        The SQLAlchemy metadata the tables are defined in.

    Returns
    -------
    list[sa.Table]
        `event_area_units`, `area_summary`.
    """
    keys = ["set_id", "source_dataset", "month", "country_iso3", "level", "unit_code", "in_doubt", "event_type",
            "sub_event_type", "actor1_type", "geo_precision", "civilian_targeting"]
    units = sa.Table(
        "event_area_units", metadata,
        sa.Column("set_id", sa.Integer, nullable=False),
        sa.Column("row_id", sa.BigInteger, nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("unit_code", sa.Text, nullable=False),
        sa.Column("country_iso3", sa.String(8), nullable=False),
        sa.Column("in_doubt", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("set_id", "row_id", "level", "unit_code"),
        sqlite_with_rowid=False,
    )
    summary = sa.Table(
        "area_summary", metadata,
        sa.Column("set_id", sa.Integer, nullable=False),
        sa.Column("source_dataset", sa.Text, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("country_iso3", sa.String(8), nullable=False),
        sa.Column("level", sa.SmallInteger, nullable=False),
        sa.Column("unit_code", sa.Text, nullable=False),
        sa.Column("in_doubt", sa.Boolean, nullable=False),
        sa.Column("event_type", sa.Text, nullable=False),
        sa.Column("sub_event_type", sa.Text, nullable=False),
        sa.Column("actor1_type", sa.Text, nullable=False),
        sa.Column("geo_precision", sa.Integer, nullable=False),
        sa.Column("civilian_targeting", sa.Boolean, nullable=False),
        sa.Column("events", sa.BigInteger, nullable=False),
        sa.Column("fatalities", sa.BigInteger, nullable=False),
        sa.Column("fatalities_low", sa.BigInteger, nullable=False),
        sa.Column("fatalities_high", sa.BigInteger, nullable=False),
        sa.UniqueConstraint(*keys, name="ux_area_summary"),
    )
    return [units, summary]
