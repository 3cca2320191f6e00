"""The store's tables (SQLAlchemy Core): events and their earlier versions, batches, rejections, the audit log, the store's meta values, the place sets and each event's places, and the summaries kept exact per batch.

The tables here are the current schema (the head of the migrations in :mod:`geo.store.migrations`): a new store
is created from them, an older one is brought up to them by :func:`geo.store.migrate.upgrade`.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..schema import AGGREGATE_COLUMNS, CANONICAL_COLUMNS, EVENT_COLUMNS

#: The schema these tables are: the head revision of the Alembic migrations (geo/store/migrations/versions/000N_*),
#: also recorded in the store's meta ``schema_version``. 1: events keyed by (source, id). 2: row ids, places, unit
#: summary. 3: border and actor summaries. 4: grid cells in the border summary. 5: UCDP events typed by their side A.
#: 6: ACLED's aggregates per unit and month (`aggregate_rows`, `aggregate_versions`, `aggregate_units`).
#: 7: the vintage and the absent columns of each ingest batch, per source (`batch_vintages`).
#: 8: the units each event's uncertainty area makes doubtful (`event_area_units`, summed in `area_summary`); the place
#: sets are placed again on their next use (their areas are missing).
SCHEMA_VERSION = 8

SA_TYPES = {
    "str": sa.Text,
    "datetime64[s]": lambda: sa.String(10),  # ISO date text: portable and sortable
    "int64": sa.BigInteger,
    "Int64": sa.BigInteger,
    "float64": sa.Float,
    "bool": sa.Boolean,
}
# An integer row id per stored version of an event: SQLite's INTEGER PRIMARY KEY is the table's own b-tree
# key (the fastest join there is); PostgreSQL gets a BIGINT. Ids are handed out by the store (meta
# `next_row_id`), never reused, so a version restored by a rollback gets its old id back.
ROW_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

metadata = sa.MetaData()


def event_columns() -> list[sa.Column]:
    """The canonical columns as stored (nullable, typed after `geo.schema`), and the content hash.

    Returns
    -------
    list[sa.Column]
        The columns.
    """
    return [sa.Column(name, SA_TYPES[dtype](), nullable=True) for name, (dtype, _) in EVENT_COLUMNS.items()] + [
        sa.Column("content_hash", sa.BigInteger, nullable=False),
    ]


events_table = sa.Table(
    "events", metadata,
    sa.Column("row_id", ROW_ID, primary_key=True, autoincrement=False),
    *event_columns(),
    sa.UniqueConstraint("source_dataset", "event_id", name="ux_events_key"),
)
# No index on events.batch_id: it would slow every insert (~15 %) to speed up only rollbacks, which are
# rare and scan the table in well under a second even at a million events.

versions_table = sa.Table(
    "event_versions",
    metadata,
    sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("superseded_by", sa.Integer, nullable=False),
    sa.Column("change", sa.String(16), nullable=False),  # "updated" or "deleted"
    sa.Column("row_id", sa.BigInteger, nullable=True),  # the version's row id while it was current
    *event_columns(),
)
sa.Index("ix_versions_superseded", versions_table.c.superseded_by)
sa.Index("ix_versions_batch", versions_table.c.batch_id)

#: One placement of the stored events in a boundary set at a snapping tolerance (see geo.places).
place_sets_table = sa.Table(
    "place_sets",
    metadata,
    sa.Column("set_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("file_sha256", sa.String(64), nullable=False),
    sa.Column("tolerance_m", sa.Float, nullable=False),
    sa.Column("levels", sa.Text, nullable=False),  # "admin1,admin2"
    sa.Column("has_borders", sa.Boolean, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),  # "ready" or "stale" (a commit could not place in it)
    sa.Column("events", sa.BigInteger, nullable=False),  # events placed by the job that computed it
    sa.Column("computed_at", sa.String(32), nullable=False),
    sa.UniqueConstraint("name", "tolerance_m", name="ux_place_sets"),
)

#: Each current event's units and border attributes in each place set: computed once, when stored.
places_table = sa.Table(
    "event_places",
    metadata,
    sa.Column("set_id", sa.Integer, nullable=False),
    sa.Column("row_id", sa.BigInteger, nullable=False),
    sa.Column("coverage", sa.String(8), nullable=False),  # inside / snapped / outside
    sa.Column("country_iso3", sa.String(8), nullable=False),  # of the unit holding it, else the declared one
    sa.Column("admin1_code", sa.Text, nullable=False),  # unit code, _OUTSIDE or _UNALLOCATED ("" without the level)
    sa.Column("admin2_code", sa.Text, nullable=False),
    sa.Column("border", sa.String(16)),  # nearest shared border, _OUTSIDE or _IMPRECISE; NULL without borders
    sa.Column("border_km", sa.Float),  # geodesic distance to it
    sa.Column("tri_km", sa.Float),  # geodesic distance to the tri-border point
    sa.PrimaryKeyConstraint("set_id", "row_id"),
    sqlite_with_rowid=False,
)

#: The figures of the current events per place set and every dimension the pages filter on, kept exact
#: per batch (rows added for what a batch writes, subtracted for what it replaces or deletes).
SUMMARY_KEYS = [
    "set_id", "source_dataset", "month", "country_iso3", "admin1_code", "admin2_code", "event_type",
    "sub_event_type", "actor1_type", "geo_precision", "civilian_targeting", "snapped",
]
SUMMARY_MEASURES = [
    "events", "fatalities", "fatalities_low", "fatalities_low_n", "fatalities_high", "fatalities_high_n",
]
summary_table = sa.Table(
    "unit_summary",
    metadata,
    sa.Column("set_id", sa.Integer, nullable=False),
    sa.Column("source_dataset", sa.Text, nullable=False),
    sa.Column("month", sa.String(7), nullable=False),  # YYYY-MM
    sa.Column("country_iso3", sa.String(8), nullable=False),
    sa.Column("admin1_code", sa.Text, nullable=False),
    sa.Column("admin2_code", sa.Text, nullable=False),
    sa.Column("event_type", sa.Text, nullable=False),
    sa.Column("sub_event_type", sa.Text, nullable=False),
    sa.Column("actor1_type", sa.Text, nullable=False),
    sa.Column("geo_precision", sa.Integer, nullable=False),  # missing counts as 1, as the precision filter does
    sa.Column("civilian_targeting", sa.Boolean, nullable=False),
    sa.Column("snapped", sa.Boolean, nullable=False),
    sa.Column("events", sa.BigInteger, nullable=False),
    sa.Column("fatalities", sa.BigInteger, nullable=False),
    sa.Column("fatalities_low", sa.BigInteger, nullable=False),
    sa.Column("fatalities_low_n", sa.BigInteger, nullable=False),  # events with a low estimate
    sa.Column("fatalities_high", sa.BigInteger, nullable=False),
    sa.Column("fatalities_high_n", sa.BigInteger, nullable=False),
    sa.UniqueConstraint(*SUMMARY_KEYS, name="ux_unit_summary"),
)

#: Distances to the shared borders and to the tri-border point are summed in buckets of this many km (up to
#: BUCKET_CAP buckets; farther is the last one): band edges and zone radii that are multiples of it are then
#: answered exactly from `border_summary`.
DISTANCE_BUCKET_KM = 5
BUCKET_CAP = 200
#: Side (degrees) of the grid cells events are summed in for density maps (`border_summary`).
CELL_DEG = 0.25
BORDER_SUMMARY_KEYS = [
    "set_id", "source_dataset", "month", "country_iso3", "event_type", "geo_precision", "civilian_targeting",
    "border", "border_bucket", "tri_bucket", "cell_x", "cell_y",
]
BORDER_SUMMARY_MEASURES = ["events", "fatalities"]
#: The figures of the Borders page and of density maps: per border ("" for a set without the three countries'
#: outlines), distance bucket (-1 off the shared borders), tri-border bucket and grid cell.
border_summary_table = sa.Table(
    "border_summary",
    metadata,
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
    sa.Column("cell_x", sa.Integer, nullable=False),  # floor((longitude + 180) / CELL_DEG)
    sa.Column("cell_y", sa.Integer, nullable=False),  # floor((latitude + 90) / CELL_DEG)
    sa.Column("events", sa.BigInteger, nullable=False),
    sa.Column("fatalities", sa.BigInteger, nullable=False),
    sa.UniqueConstraint(*BORDER_SUMMARY_KEYS, name="ux_border_summary"),
)
ACTOR_SUMMARY_KEYS = [
    "set_id", "source_dataset", "month", "country_iso3", "actor", "event_type", "geo_precision", "civilian_targeting",
]
ACTOR_SUMMARY_MEASURES = ["events", "fatalities"]
#: Events per named actor (actor1 or actor2, once per event) and spatial country: cross-border actors.
actor_summary_table = sa.Table(
    "actor_summary",
    metadata,
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
    sa.UniqueConstraint(*ACTOR_SUMMARY_KEYS, name="ux_actor_summary"),
)
#: Per current event and place set, the units its uncertainty area makes doubtful (`geo.uncertainty`): only the
#: exceptions — an event whose area lies in the unit it is counted in, and reaches no other, has no row. Computed
#: with the places (when an event is stored, restored, or its set placed again) and removed with them.
area_units_table = sa.Table(
    "event_area_units",
    metadata,
    sa.Column("set_id", sa.Integer, nullable=False),
    sa.Column("row_id", sa.BigInteger, nullable=False),
    sa.Column("level", sa.SmallInteger, nullable=False),  # 0 country, 1 admin 1, 2 admin 2
    sa.Column("unit_code", sa.Text, nullable=False),  # a unit (or country) code of the set
    sa.Column("country_iso3", sa.String(8), nullable=False),  # the unit's country
    # True: the event is counted in this unit, its area reaches beyond it; False: counted elsewhere, its area reaches here
    sa.Column("in_doubt", sa.Boolean, nullable=False),
    sa.PrimaryKeyConstraint("set_id", "row_id", "level", "unit_code"),
    sqlite_with_rowid=False,
)
#: The store's meta key holding the SHA-256 of the uncertainty rules a place set's areas were computed with.
AREA_RULES_KEY = "area_rules.{set_id}"
AREA_SUMMARY_KEYS = [
    "set_id", "source_dataset", "month", "country_iso3", "level", "unit_code", "in_doubt", "event_type", "sub_event_type",
    "actor1_type", "geo_precision", "civilian_targeting",
]
AREA_SUMMARY_MEASURES = ["events", "fatalities", "fatalities_low", "fatalities_high"]
#: `event_area_units` summed per unit and every dimension the pages filter on, kept exact per batch like
#: `unit_summary` (`country_iso3` is the unit's): the ranges of a figure cost what its point value costs.
area_summary_table = sa.Table(
    "area_summary",
    metadata,
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
    sa.Column("fatalities_low", sa.BigInteger, nullable=False),  # the low estimate where given, else the figure
    sa.Column("fatalities_high", sa.BigInteger, nullable=False),  # the high estimate where given, else the figure
    sa.UniqueConstraint(*AREA_SUMMARY_KEYS, name="ux_area_summary"),
)
#: Every summary kept per batch: table -> (keys, measures).
SUMMARIES = {
    "unit_summary": (SUMMARY_KEYS, SUMMARY_MEASURES),
    "border_summary": (BORDER_SUMMARY_KEYS, BORDER_SUMMARY_MEASURES),
    "actor_summary": (ACTOR_SUMMARY_KEYS, ACTOR_SUMMARY_MEASURES),
    "area_summary": (AREA_SUMMARY_KEYS, AREA_SUMMARY_MEASURES),
}

#: Long operations on the whole store (placing every event in a boundary set), with their outcome.
def aggregate_columns() -> list[sa.Column]:
    """The columns of a stored unit-month (`geo.schema.AGGREGATE_COLUMNS`, its batch and content hash).

    Returns
    -------
    list[sa.Column]
        The columns of a stored unit-month (`geo.schema.AGGREGATE_COLUMNS`, its batch and content hash).
    """
    return [sa.Column(name, SA_TYPES[dtype](), nullable=dtype == "Int64") for name, (dtype, _) in AGGREGATE_COLUMNS.items()] + [
        sa.Column("batch_id", sa.Integer, nullable=False), sa.Column("content_hash", sa.BigInteger, nullable=False),
    ]


#: ACLED's public aggregates (source `acled-hdx`): the current figure of each unit-month of one indicator
#: (`geo.schema.AGGREGATE_COLUMNS`), written by the batch `batch_id` (see `geo.unit_months`).
aggregate_rows_table = sa.Table(
    "aggregate_rows",
    metadata,
    *aggregate_columns(),
    sa.UniqueConstraint("source_dataset", "country_iso3", "indicator", "month", "unit_id", name="ux_aggregate_rows"),
)
#: The unit-months a later batch revised or removed (its table replaced the months they were in), for rollback
#: and the history of `changes`, as `event_versions` does for events.
aggregate_versions_table = sa.Table(
    "aggregate_versions",
    metadata,
    sa.Column("version_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("superseded_by", sa.Integer, nullable=False),
    sa.Column("change", sa.String(16), nullable=False),  # "revised" or "removed"
    *aggregate_columns(),
)
sa.Index("ix_aggregate_versions_superseded", aggregate_versions_table.c.superseded_by)
sa.Index("ix_aggregate_versions_batch", aggregate_versions_table.c.batch_id)
#: Per unit of a country's table of one indicator: its first and last month and how many months it has (derived from
#: `aggregate_rows`, made again with it by every batch and rollback): where an aggregate's zero is a zero.
aggregate_units_table = sa.Table(
    "aggregate_units",
    metadata,
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

jobs_table = sa.Table(
    "jobs",
    metadata,
    sa.Column("job_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("started_at", sa.String(32), nullable=False),
    sa.Column("finished_at", sa.String(32)),
    sa.Column("status", sa.String(16), nullable=False),  # "done" or "failed"
    sa.Column("detail", sa.Text, nullable=False),
)

batches_table = sa.Table(
    "batches",
    metadata,
    sa.Column("batch_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(16), nullable=False),  # "ingest" or "deletion"
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
    sa.Column("status", sa.String(16), nullable=False),  # "committed" or "rolled_back"
    sa.Column("rolled_back_at", sa.String(32)),
    sa.Column("rolled_back_by", sa.Text),
    sa.Column("details", sa.Text, nullable=False),  # JSON: per-file accounting, notes
)

#: Schema 7. What each ingest batch's files were, per source: their vintage (the newest ACLED `timestamp` of the
#: batch's rows, else their newest event date, as seconds since 1970 UTC; `vintage_from` says which) and the
#: canonical columns none of its files had (comma-separated). A stored event without a `timestamp` has its batch's
#: vintage; a column its batch lacked is not compared with a later file (`geo.vintages`).
batch_vintages_table = sa.Table(
    "batch_vintages",
    metadata,
    sa.Column("batch_id", sa.Integer, nullable=False),
    sa.Column("source_dataset", sa.Text, nullable=False),
    sa.Column("vintage", sa.BigInteger),
    sa.Column("vintage_from", sa.String(16)),  # "timestamp" or "event_date"
    sa.Column("absent_columns", sa.Text, nullable=False),
    sa.PrimaryKeyConstraint("batch_id", "source_dataset"),
)

rejections_table = sa.Table(
    "rejections",
    metadata,
    sa.Column("batch_id", sa.Integer, nullable=False, index=True),
    sa.Column("file_name", sa.Text, nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("event_id", sa.Text, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
)

audit_table = sa.Table(
    "audit_log",
    metadata,
    sa.Column("entry_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", sa.String(32), nullable=False),
    sa.Column("user", sa.Text, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("outcome", sa.String(16), nullable=False),  # "done" or "refused"
    sa.Column("detail", sa.Text, nullable=False),
)

meta_table = sa.Table(
    "meta", metadata, sa.Column("key", sa.String(64), primary_key=True), sa.Column("value", sa.Text, nullable=False),
)


#: What is stored of an event: the canonical columns and the content fingerprint.
STORED_COLUMNS = CANONICAL_COLUMNS + ["content_hash"]
