"""What changed between two points of the store's history, per unit and period, for one source: new events, backfilled events (late reports of old events), revised events (fatalities, date, event type, place) and deleted events.

The answer to "is this region's rise new violence or the data catching up?".

**History.** Every batch writes the current versions of its events into `events`; a batch that revises or
deletes an event moves the version it replaces into `event_versions`, with `superseded_by` = that batch
(`geo.store`). A rolled-back batch leaves no trace in either table (its rows are removed and the versions it
replaced restored), so the history is that of the committed batches, and the state of the store right after
batch N is

    every version written by a batch ≤ N that no batch ≤ N superseded

(`N = 0`: the empty store before the first batch). "The end of a date" is the state after the last batch
committed on or before that day (UTC).

**Kinds of change**, between the start point (after batch S) and the end point (after batch U ≥ S), for each
event of the source (its key: source and event id):

- *new*: held at the end, not at the start, dated after the last event date the store held for the source at
  the start (`last_date_before`); *backfilled*: the same, dated on or before it;
- *revised*: held at both points, with different content (content fingerprints differ). Counted once, and
  in each of: fatalities changed (with the net change in fatalities), date changed, event type changed,
  relocated (latitude or longitude changed); `relocated_other_unit` counts the relocated events whose unit at
  the level changed;
- *deleted*: held at the start, not at the end (only deletion batches remove events).

**Rows** (source, level, unit, period, with `_OUTSIDE` / `_UNALLOCATED` rows as in `geo.aggregate`). An event
is counted in the row where it lies at the end point (a deleted event: where it lay at the start), so that in
every row ``events_after − events_before = new + backfilled − deleted`` and ``fatalities_after −
fatalities_before = fatalities_new + fatalities_backfilled − fatalities_deleted + fatalities_revised_delta``.
`events_after` / `fatalities_after` are the figures `aggregate` gives at the end point. A revision can move an
event to another unit or period: `moved_in` / `moved_out` count those, and `events_start_figure` /
`fatalities_start_figure` are the row's figures as `aggregate` gave them at the start point
(``events_start_figure = events_before − moved_in + moved_out``).

**How.** Everything is computed in the database, in one read transaction (a consistent snapshot): the
figures at the end point from the summary table (less what batches after U wrote, plus what they replaced),
the changed versions — those written or superseded between S and U, bounded by what changed — gathered in
temporary tables and compared there with SQL `GROUP BY`. Only versions that are no longer current need
placing, in memory (`geo.places.compute_units`: the same placing as the stored places); they are bounded by
the versions superseded after S. Totals are checked against independent counts of both states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .aggregate import SPECIAL_NAMES
from .boundaries import BoundarySet
from .config import Settings, get_settings
from .errors import AtlasError
from .filters import PERIODS, period_sql
from .indicators import AGGREGATE_SOURCE, DEFAULT_INDICATOR, check_indicator
from .join import OUTSIDE_CODE, UNALLOCATED_CODE
from .places import compute_units, ensure_placement
from .schema import CANONICAL_COLUMNS, CONTENT_COLUMNS, KEY_COLUMNS, coerce_events
from .store import Store, batches_table, events_table, meta_table, places_table, summary_table, versions_table
from .vintages import value_text

#: The CSV contract of `python -m geo changes`, in this order.
CHANGE_COLUMNS = [
    "source", "level", "country_iso3", "unit_code", "unit_name", "period", "events_before", "events_after", "new",
    "backfilled", "revised", "deleted", "fatalities_before", "fatalities_after", "fatalities_revised_delta",
]
#: Further columns (after the contract's): the kinds of revision per row, moves, fatalities per kind and the
#: figures as they stood at the start point.
DETAIL_COLUMNS = [
    "revised_fatalities", "revised_date", "revised_type", "relocated", "relocated_other_unit", "moved_in", "moved_out",
    "fatalities_new", "fatalities_backfilled", "fatalities_deleted", "events_start_figure", "fatalities_start_figure",
    "events_revised_delta",
]
#: The totals of `--json` (the contract), then further totals.
TOTAL_KEYS = [
    "new", "backfilled", "revised", "revised_fatalities", "revised_date", "revised_type", "relocated", "deleted",
    "fatalities_revised_delta",
]
EXTRA_TOTAL_KEYS = [
    "relocated_other_unit", "moved", "events_before", "events_after", "fatalities_before", "fatalities_after",
    "fatalities_new", "fatalities_backfilled", "fatalities_deleted", "events_revised_delta",
]
#: Columns of `ChangeReport.revised_events`: one row per revised event and changed field.
REVISED_COLUMNS = ["event_id", "event_date", "unit_before", "unit_after", "field", "before", "after"]
#: Columns of `ChangeReport.events` (every changed event, with `events=True`).
EVENT_COLUMNS = [
    "source", "event_id", "change", "kinds", "event_date_before", "event_date_after", "unit_before", "unit_after",
    "fatalities_before", "fatalities_after", "event_type_before", "event_type_after",
]
SOURCE_ORDER = ("acled", "ucdp", "generic", "sample", AGGREGATE_SOURCE)
_SPECIAL = (OUTSIDE_CODE, UNALLOCATED_CODE)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ROW = ["period", "unit_code", "country_iso3"]
_PAIRED = ("event_date", "unit_code", "fatalities", "event_type", "content_hash", "latitude", "longitude")


# ---------------------------------------------------------------------------------------------- points


@dataclass(frozen=True)
class HistoryPoint:
    """A point of the store's history: the state right after batch `batch_id` (0: before the first batch)."""

    batch_id: int
    label: str  # in words, e.g. "after batch 3 (2026-11-25 10:31 UTC, week48.csv)"
    asked: str = ""  # what was asked ("" for the default)
    created_at: str | None = None  # of that batch

    def as_dict(self) -> dict:
        """The point as plain values (for `--json`).

        Returns
        -------
        dict
            batch_id, date, label and at.
        """
        return {"batch_id": self.batch_id, "label": self.label, "asked": self.asked, "created_at": self.created_at}


def committed_batches(store: Store, conn: sa.Connection | None = None) -> pd.DataFrame:
    """Every batch (committed or rolled back): batch_id, kind, status, created_at, file_names, rolled_back_at.

    Parameters
    ----------
    store
        The event store.
    conn
        A connection of the store, inside its transaction.

    Returns
    -------
    pd.DataFrame
        Every batch (committed or rolled back): batch_id, kind, status, created_at, file_names, rolled_back_at.
    """
    b = batches_table.c
    query = sa.select(b.batch_id, b.kind, b.status, b.created_at, b.file_names, b.rolled_back_at, b.rolled_back_by).order_by(b.batch_id)
    if conn is None:
        with store.engine.connect() as own:
            rows = own.execute(query).all()
    else:
        rows = conn.execute(query).all()
    frame = pd.DataFrame(rows, columns=["batch_id", "kind", "status", "created_at", "file_names", "rolled_back_at", "rolled_back_by"])
    return frame.astype({"batch_id": "int64"})


def _describe(batches: pd.DataFrame, batch_id: int) -> str:
    if batch_id == 0:
        return "before the first batch (empty store)"
    row = batches.set_index("batch_id").loc[batch_id]
    when = str(row["created_at"])[:16].replace("T", " ")
    return f"after batch {batch_id} ({when} UTC, {row['file_names']})"


def _point(batches: pd.DataFrame, batch_id: int, *, asked: str, label: str | None = None) -> HistoryPoint:
    created = None if batch_id == 0 else str(batches.set_index("batch_id").loc[batch_id, "created_at"])
    return HistoryPoint(batch_id, label or _describe(batches, batch_id), asked, created)


def parse_point(text: str, *, option: str) -> int | date:
    """A `--since` / `--until` value: a batch id (int) or a date (YYYY-MM-DD); AtlasError otherwise.

    Parameters
    ----------
    text
        A batch id or a day (YYYY-MM-DD).
    option
        The option it came from (for the message).

    Returns
    -------
    int | date
        The batch id, or the day.
    """
    text = str(text).strip()
    if text.isdigit():
        return int(text)
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise AtlasError(f"{option} {text!r} is not a valid date (YYYY-MM-DD)") from None
    raise AtlasError(f"{option} {text!r} is neither a batch id nor a date in the form YYYY-MM-DD")


def resolve_point(batches: pd.DataFrame, text: str, *, option: str) -> HistoryPoint:
    """The point a batch id or a date names.

    A batch id: the state right after it (it must be committed; 0 is the empty store before the first
    batch). A date: the state after every batch committed on or before it (`batches.created_at`, UTC).

    Parameters
    ----------
    batches
        The store's batches.
    text
        A batch id or a day (YYYY-MM-DD).
    option
        The option it came from (for the message).

    Returns
    -------
    HistoryPoint
        The point of the store's history it names.
    """
    value = parse_point(text, option=option)
    committed = batches.loc[batches["status"] == "committed"]
    if isinstance(value, int):
        if value == 0:
            return _point(batches, 0, asked=str(text))
        known = batches.set_index("batch_id")
        if value not in known.index:
            span = f" (batches {int(batches['batch_id'].min())}–{int(batches['batch_id'].max())})" if len(batches) else " (the store has none)"
            raise AtlasError(f"{option} {value}: there is no batch {value}{span}; `python -m geo batches` lists them")
        row = known.loc[value]
        if row["status"] != "committed":
            when = str(row["rolled_back_at"] or "")[:16].replace("T", " ")
            raise AtlasError(
                f"{option} {value}: batch {value} was rolled back ({when} UTC by {row['rolled_back_by']}), so it is not "
                "part of the store's history; choose a committed batch (`python -m geo batches` lists them)"
            )
        return _point(batches, value, asked=str(text))
    day = value.isoformat()
    before = committed.loc[committed["created_at"].astype(str).str[:10] <= day, "batch_id"]
    batch_id = int(before.max()) if len(before) else 0
    label = f"end of {day} ({'before the first batch' if batch_id == 0 else f'after batch {batch_id}'})"
    return _point(batches, batch_id, asked=str(text), label=label)


def resolve_points(batches: pd.DataFrame, since: str | None, until: str | None) -> tuple[HistoryPoint, HistoryPoint]:
    """The start and end points.

    Defaults: the end is now (after the latest committed batch); the start is the state just before the last
    committed batch of the end point.

    Parameters
    ----------
    batches
        The store's batches.
    since
        The start point (a batch id or a day); None for the default.
    until
        The end point; None for now.

    Returns
    -------
    tuple[HistoryPoint, HistoryPoint]
        (start, end).
    """
    committed = batches.loc[batches["status"] == "committed", "batch_id"]
    if until is None:
        latest = int(committed.max()) if len(committed) else 0
        end = _point(batches, latest, asked="", label=f"now ({_describe(batches, latest)})")
    else:
        end = resolve_point(batches, until, option="--until")
    if since is None:
        last = committed[committed <= end.batch_id]
        if len(last):
            previous = committed[committed < int(last.max())]
            start_id = int(previous.max()) if len(previous) else 0
            start = _point(batches, start_id, asked="", label=f"just before batch {int(last.max())} ({_describe(batches, start_id)})")
        else:
            start = _point(batches, 0, asked="")
    else:
        start = resolve_point(batches, since, option="--since")
    if start.batch_id > end.batch_id:
        raise AtlasError(
            f"--since {start.asked} ({start.label}) comes after --until {end.asked or 'now'} ({end.label}); "
            "the start point must come first"
        )
    if since is not None and until is not None:
        first, last = parse_point(since, option="--since"), parse_point(until, option="--until")
        if isinstance(first, date) and isinstance(last, date) and first > last:
            raise AtlasError(f"--since {since} is after --until {until}; the start date must come first")
    return start, end


# ---------------------------------------------------------------------------------------------- report


@dataclass
class ChangeReport:
    """What changed between two points of the history, for one source, per unit and period."""

    source: str
    boundaries: str
    level: str
    period: str
    since: HistoryPoint
    until: HistoryPoint
    last_date_before: str | None  # the newest event date of the source at the start point
    rows: pd.DataFrame  # CHANGE_COLUMNS + DETAIL_COLUMNS
    totals: dict[str, int]
    revised_events: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REVISED_COLUMNS))
    events: pd.DataFrame | None = None  # every changed event (EVENT_COLUMNS), when asked for
    indicator: str | None = None  # ACLED's aggregates: the indicator compared

    def as_json(self) -> dict:
        """The `--json` object: the contract's totals first, then further totals and what was compared.

        Returns
        -------
        dict
            The `--json` object: the contract's totals first, then further totals and what was compared.
        """
        out: dict = {key: int(self.totals[key]) for key in TOTAL_KEYS}
        out.update({key: int(self.totals.get(key, 0)) for key in EXTRA_TOTAL_KEYS})
        if self.indicator:
            out["indicator"] = self.indicator
        out.update({
            "source": self.source, "boundaries": self.boundaries, "level": self.level, "period": self.period,
            "since": self.since.as_dict(), "until": self.until.as_dict(), "last_date_before": self.last_date_before,
            "rows": len(self.rows),
        })
        return out


def default_source(store: Store, conn: sa.Connection | None = None) -> str | None:
    """The source changes are shown for when none is named: ACLED, else UCDP, else generic (held now or ever).

    Parameters
    ----------
    store
        The event store.
    conn
        A connection of the store, inside its transaction.

    Returns
    -------
    str | None
        The source changes are shown for when none is named: ACLED, else UCDP, else generic (held now or ever).
    """
    # The summary holds every current event's source (a small table); the versions those of replaced ones.
    query = sa.union(sa.select(summary_table.c.source_dataset).distinct(), sa.select(versions_table.c.source_dataset).distinct())
    if conn is None:
        with store.engine.connect() as own:
            held = set(own.execute(query).scalars())
    else:
        held = set(conn.execute(query).scalars())
    for name in SOURCE_ORDER:
        if name in held:
            return name
    return sorted(held)[0] if held else None


@dataclass(frozen=True)
class BatchExtents:
    """
    Per batch, the current events of one source it wrote: how many, their newest date and their row-id range.

    One scan of the events (the only one a comparison needs); it depends only on the data, so views keep it
    per data version. The row-id ranges let a comparison read the events a few batches wrote by primary key.
    """

    source: str
    data_version: int
    table: pd.DataFrame  # batch_id, events, last_date, first_row, last_row

    def window(self, after: int, upto: int | None = None) -> pd.DataFrame:
        """The batches in (after, upto] that wrote current events (upto None: no end).

        Parameters
        ----------
        after
            The batch after which the window starts (0: the empty store).
        upto
            The last batch of the window; None for no end.

        Returns
        -------
        pd.DataFrame
            The extents of the batches in the window.
        """
        t = self.table
        keep = (t["batch_id"] > after) & (t["events"] > 0)
        if upto is not None:
            keep &= t["batch_id"] <= upto
        return t.loc[keep]


def _data_version(conn: sa.Connection) -> int:
    value = conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "data_version")).scalar()
    return int(value or 0)


def batch_extents(store: Store, source: str, conn: sa.Connection | None = None) -> BatchExtents:
    """`BatchExtents` of `source` in the store (one scan of the events table, GROUP BY batch).

    Parameters
    ----------
    store
        The event store.
    source
        The source dataset ("acled", "ucdp", "generic", "sample").
    conn
        A connection of the store, inside its transaction.

    Returns
    -------
    BatchExtents
        `BatchExtents` of `source` in the store (one scan of the events table, GROUP BY batch).
    """
    e = events_table.c
    query = (
        sa.select(e.batch_id, sa.func.count(), sa.func.max(e.event_date), sa.func.min(e.row_id), sa.func.max(e.row_id))
        .where(e.source_dataset == source).group_by(e.batch_id)
    )
    if conn is None:
        with store.engine.connect() as own:
            if not store.is_sqlite:  # the version and the figures from one snapshot
                own = own.execution_options(isolation_level="REPEATABLE READ")
            return batch_extents(store, source, own)
    version = _data_version(conn)
    table = _table(conn.execute(query), ["batch_id", "events", "last_date", "first_row", "last_row"])
    table = table.dropna(subset=["batch_id"]).astype({"batch_id": "int64", "events": "int64", "first_row": "int64", "last_row": "int64"})
    return BatchExtents(source, version, table.sort_values("batch_id").reset_index(drop=True))


def compute_changes(
    store: Store,
    boundary_set: BoundarySet,
    *,
    source: str | None = None,
    level: str = "admin1",
    period: str = "year",
    since: str | None = None,
    until: str | None = None,
    tolerance_m: float | None = None,
    revised_limit: int = 0,
    revised_unit: str | None = None,
    events: bool = False,
    extents: BatchExtents | None = None,
    settings: Settings | None = None,
    indicator: str | None = None,
) -> ChangeReport:
    """What changed for one source between two points of the store's history, per unit and period.

    Parameters
    ----------
    store, boundary_set
        The store and the units to count in (its events are placed first when they are not yet: a job).
    source
        "acled", "ucdp", "generic" (or "sample"); default `default_source`.
    level, period
        "admin1" / "admin2"; "year", "quarter" or "month".
    since, until
        A batch id or a date (YYYY-MM-DD), as text; defaults: just before the latest batch, and now.
    revised_limit
        List up to this many revised events with each changed field before → after (largest fatality
        change first), in `revised_unit` when given (where the event lay at either point).
    events
        Also list every changed event (`ChangeReport.events`).
    extents
        `batch_extents` of the source, when kept from an earlier call (used only if the data version is
        still the same; read again otherwise).
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    revised_unit
        List only the revised events of this unit (of `level`); None for all.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    indicator
        ACLED's aggregates (`acled-hdx`): the indicator compared (default political violence). Their unit-months are
        compared instead of events (`geo.unit_months.compare`): `new`, `backfilled` and `deleted` count the events
        of unit-months newly held or no longer held, `revised` the unit-months whose figures changed, with their net
        change in `events_revised_delta` and `fatalities_revised_delta`.

    Returns
    -------
    ChangeReport
        What changed for one source between two points of the store's history, per unit and period.

    Raises
    ------
    AtlasError
        Unknown or rolled-back batch, start after end, bad date, unknown level or period.
    """
    settings = settings or get_settings()
    for text, option in ((since, "--since"), (until, "--until")):
        if text is not None:
            parse_point(text, option=option)  # a malformed point is refused before any work
    if period not in PERIODS:
        raise AtlasError(f"unknown period {period!r}; use one of {', '.join(PERIODS)}")
    units = boundary_set.units(level)  # a level the set lacks is refused with the set's own message
    tolerance = settings.tolerance_m if tolerance_m is None else tolerance_m
    set_id = ensure_placement(store, boundary_set, tolerance_m=tolerance)
    with store.engine.connect() as conn:
        if not store.is_sqlite:  # one snapshot for every query (SQLite's read transaction already is one)
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        try:
            batches = committed_batches(store, conn)
            start, end = resolve_points(batches, since, until)
            source = source or default_source(store, conn) or "acled"
            if source == AGGREGATE_SOURCE:
                return _aggregate_changes(conn, boundary_set, units, level=level, period=period, start=start, end=end,
                                          indicator=check_indicator(indicator) or DEFAULT_INDICATOR, revised_limit=revised_limit,
                                          revised_unit=revised_unit, events=events, settings=settings)
            if extents is None or extents.source != source or extents.data_version != _data_version(conn):
                extents = batch_extents(store, source, conn)
            work = _Comparison(store, conn, boundary_set, set_id, source, level, period, start.batch_id, end.batch_id,
                               tolerance, extents=extents, gather_all=events)
            rows, totals, cutoff = work.run()
            revised = work.revised_events(revised_limit, revised_unit, units) if revised_limit else pd.DataFrame(columns=REVISED_COLUMNS)
            listed = work.changed_events(units) if events else None
        finally:
            conn.rollback()  # drops the temporary tables (created in this transaction) on both backends
    rows = _finish(rows, units, source=source, level=level)
    return ChangeReport(source=source, boundaries=boundary_set.name, level=level, period=period, since=start, until=end,
                        last_date_before=cutoff, rows=rows, totals=totals, revised_events=revised, events=listed)


def _aggregate_changes(conn: sa.Connection, boundary_set: BoundarySet, units: pd.DataFrame, *, level: str, period: str,
                       start: HistoryPoint, end: HistoryPoint, indicator: str, revised_limit: int, revised_unit: str | None,
                       events: bool, settings: Settings) -> ChangeReport:
    """`compute_changes` of ACLED's aggregates: their unit-months at the two points compared (`geo.unit_months`)."""
    from . import unit_months

    before = unit_months.state_at(conn, start.batch_id, indicator=indicator)
    after = unit_months.state_at(conn, end.batch_id, indicator=indicator)
    result = unit_months.compare(before, after, boundary_set, level=level, period=period, settings=settings)
    revised = result.revised
    if revised_unit is not None:
        revised = revised.loc[(revised["unit_before"] == revised_unit) | (revised["unit_after"] == revised_unit)]
    revised = revised.head(revised_limit) if revised_limit else pd.DataFrame(columns=REVISED_COLUMNS)
    rows = _finish(result.rows, units, source=AGGREGATE_SOURCE, level=level)
    return ChangeReport(source=AGGREGATE_SOURCE, boundaries=boundary_set.name, level=level, period=period, since=start,
                        until=end, last_date_before=result.last_month_before, rows=rows, totals=result.totals,
                        revised_events=revised.reset_index(drop=True), events=result.listed if events else None,
                        indicator=indicator)


# ---------------------------------------------------------------------------------------------- the comparison


_meta = sa.MetaData()
#: Places (at the level asked) of the versions that are no longer current and matter: computed in memory.
_vplaces = sa.Table(
    "_chg_vplaces", _meta, sa.Column("version_id", sa.BigInteger, primary_key=True), sa.Column("unit_code", sa.Text),
    sa.Column("country_iso3", sa.Text), prefixes=["TEMPORARY"],
)


def _side(name: str) -> sa.Table:
    """A temporary table of the changed events' versions at one point (one row per event id)."""
    return sa.Table(
        name, _meta,
        sa.Column("event_id", sa.Text, primary_key=True),
        sa.Column("ref_kind", sa.String(1), nullable=False),  # "e": events.row_id, "v": event_versions.version_id
        sa.Column("ref_id", sa.BigInteger, nullable=False),
        sa.Column("event_date", sa.String(10)),
        sa.Column("fatalities", sa.BigInteger),
        sa.Column("content_hash", sa.BigInteger),
        sa.Column("event_type", sa.Text),
        sa.Column("latitude", sa.Float),
        sa.Column("longitude", sa.Float),
        sa.Column("unit_code", sa.Text),
        sa.Column("country_iso3", sa.Text),
        prefixes=["TEMPORARY"],
    )


_before = _side("_chg_before")
_after = _side("_chg_after")


def _table(result: Iterable[Sequence[object]], columns: list[str]) -> pd.DataFrame:
    """A query's rows as a frame (from plain tuples: pandas probes SQLAlchemy's Row objects slowly)."""
    return pd.DataFrame([tuple(row) for row in result], columns=columns)


def _special_country(unit: sa.ColumnElement[str], country: sa.ColumnElement[str]) -> sa.ColumnElement[str]:
    """The country of a `_OUTSIDE` / `_UNALLOCATED` row; "" for a unit's row (as in `geo.query.unit_figures`)."""
    return sa.case((unit.in_(_SPECIAL), country), else_="")


class _Comparison:
    """The SQL of one comparison, on one connection (its temporary tables live in its transaction)."""

    def __init__(self, store: Store, conn: sa.Connection, boundary_set: BoundarySet, set_id: int, source: str,
                 level: str, period: str, start: int, end: int, tolerance_m: float, *, extents: BatchExtents,
                 gather_all: bool = False) -> None:
        self.store, self.conn, self.boundary_set, self.set_id = store, conn, boundary_set, set_id
        self.source, self.level, self.period = source, level, period
        self.start, self.end, self.tolerance_m, self.extents = start, end, tolerance_m, extents
        # From the empty store every event at the end point is new: nothing to compare (unless listed).
        self.trivial = start == 0 and not gather_all
        self.cutoff: str | None = None

    def _written(self, after: int, upto: int | None = None) -> list:
        """Conditions selecting the current events batches in (after, upto] wrote (by row-id range: no scan)."""
        window = self.extents.window(after, upto)
        if window.empty:
            return [sa.false()]
        e = events_table.c
        where = [e.batch_id > after, e.row_id.between(int(window["first_row"].min()), int(window["last_row"].max()))]
        return where + ([e.batch_id <= upto] if upto is not None else [])

    # ------------------------------------------------------------------ gathering

    def run(self) -> tuple[pd.DataFrame, dict[str, int], str | None]:
        self._place_versions()
        cutoff, count_start = self._start_extent()
        self.cutoff = cutoff
        after = self._end_figures()
        if self.trivial:
            zero = {c: 0 for c in ["backfilled", "fatalities_backfilled", "deleted", "fatalities_deleted", "revised", "revised_fatalities",
                                   "revised_date", "revised_type", "relocated", "relocated_other_unit", "moved_in",
                                   "fatalities_revised_delta", "moved_out", "a_events", "a_fatalities"]}
            parts = [after.assign(new=after["events"], fatalities_new=after["fatalities"], b_events=after["events"],
                                  b_fatalities=after["fatalities"], **zero)]
        else:
            self._gather()
            parts = [after, self._added(cutoff), self._deleted(), self._revised(), self._moved_out(),
                     self._side_figures(_after, "b"), self._side_figures(_before, "a")]
        rows = parts[0]
        for part in parts[1:]:
            rows = rows.merge(part, on=_ROW, how="outer")
        numeric = [c for c in rows.columns if c not in _ROW]
        rows[numeric] = rows[numeric].fillna(0).astype("int64")
        rows = rows.rename(columns={"events": "events_after", "fatalities": "fatalities_after"})
        rows["events_before"] = rows["events_after"] - rows["new"] - rows["backfilled"] + rows["deleted"]
        rows["fatalities_before"] = (rows["fatalities_after"] - rows["fatalities_new"] - rows["fatalities_backfilled"]
                                     + rows["fatalities_deleted"] - rows["fatalities_revised_delta"])
        rows["events_start_figure"] = rows["events_after"] - rows["b_events"] + rows["a_events"]
        rows["fatalities_start_figure"] = rows["fatalities_after"] - rows["b_fatalities"] + rows["a_fatalities"]
        rows = rows.drop(columns=["b_events", "b_fatalities", "a_events", "a_fatalities"])
        self._check(rows, count_start)
        totals = {key: int(rows[key].sum()) for key in TOTAL_KEYS if key in rows}
        totals.update({
            "relocated_other_unit": int(rows["relocated_other_unit"].sum()), "moved": int(rows["moved_in"].sum()),
            "events_before": int(rows["events_before"].sum()), "events_after": int(rows["events_after"].sum()),
            "fatalities_before": int(rows["fatalities_before"].sum()), "fatalities_after": int(rows["fatalities_after"].sum()),
            "fatalities_new": int(rows["fatalities_new"].sum()), "fatalities_backfilled": int(rows["fatalities_backfilled"].sum()),
            "fatalities_deleted": int(rows["fatalities_deleted"].sum()),
        })
        return rows, totals, cutoff

    def _place_versions(self) -> None:
        """Place the versions that are not current and belong to either state or to what changed."""
        v = versions_table.c
        query = sa.select(v.version_id, v.longitude, v.latitude, v.max_admin_level, v.country_iso3).where(
            v.source_dataset == self.source, v.superseded_by > self.start, v.batch_id <= self.end,
        )
        frame = _table(self.conn.execute(query), ["version_id", "longitude", "latitude", "max_admin_level", "country_iso3"])
        _vplaces.create(self.conn, checkfirst=False)
        if frame.empty:
            return
        frame = frame.assign(
            longitude=pd.to_numeric(frame["longitude"], errors="coerce").astype(float),
            latitude=pd.to_numeric(frame["latitude"], errors="coerce").astype(float),
            max_admin_level=pd.to_numeric(frame["max_admin_level"], errors="coerce").fillna(0).astype(np.int64),
            country_iso3=frame["country_iso3"].fillna("").astype(object),
        )
        places = compute_units(frame, self.boundary_set, tolerance_m=self.tolerance_m)
        table = pd.DataFrame({"version_id": frame["version_id"].astype(np.int64), "unit_code": places[f"{self.level}_code"],
                              "country_iso3": places["country_iso3"]})
        self.store.bulk_insert(self.conn, _vplaces.name, ["version_id", "unit_code", "country_iso3"], table)

    def _current(self, *where: sa.ColumnElement[bool]) -> sa.Select:
        """Current versions (with their stored places) as rows of a side table."""
        e, p = events_table.c, places_table.c
        return sa.select(
            e.event_id, sa.literal("e"), e.row_id, e.event_date, sa.func.coalesce(e.fatalities, 0), e.content_hash,
            sa.func.coalesce(e.event_type, ""), e.latitude, e.longitude, p[f"{self.level}_code"], p.country_iso3,
        ).select_from(events_table.join(places_table, sa.and_(p.row_id == e.row_id, p.set_id == self.set_id))).where(
            e.source_dataset == self.source, *where)

    def _superseded(self, *where: sa.ColumnElement[bool]) -> sa.Select:
        """Versions no longer current (with the places computed for them) as rows of a side table."""
        v, q = versions_table.c, _vplaces.c
        return sa.select(
            v.event_id, sa.literal("v"), v.version_id, v.event_date, sa.func.coalesce(v.fatalities, 0), v.content_hash,
            sa.func.coalesce(v.event_type, ""), v.latitude, v.longitude, q.unit_code, q.country_iso3,
        ).select_from(versions_table.join(_vplaces, q.version_id == v.version_id)).where(v.source_dataset == self.source, *where)

    def _gather(self) -> None:
        """The changed events' versions at both points.

        An event changed between S and U when a batch in (S, U] wrote or superseded a version of it; its
        version at the start was then superseded in (S, U], and its version at the end (if any) was written in
        (S, U].
        """
        s, u = self.start, self.end
        v = versions_table.c
        columns = [c.name for c in _before.columns]
        _before.create(self.conn, checkfirst=False)
        _after.create(self.conn, checkfirst=False)
        try:
            self.conn.execute(_before.insert().from_select(columns, self._superseded(
                v.batch_id <= s, v.superseded_by > s, v.superseded_by <= u)))
            if u > s:
                self.conn.execute(_after.insert().from_select(columns, self._current(*self._written(s, u))))
                self.conn.execute(_after.insert().from_select(columns, self._superseded(
                    v.batch_id > s, v.batch_id <= u, v.superseded_by > u)))
        except sa.exc.IntegrityError as exc:
            raise AtlasError(
                "the store's history holds two versions of one event at the same point; it cannot be compared "
                f"(please report it): {exc.orig}"
            ) from None

    # ------------------------------------------------------------------ figures

    def _keys(self, table: sa.Table | sa.Subquery, date_column: sa.ColumnElement[str] | None = None) -> list[sa.Label]:
        date_column = table.c.event_date if date_column is None else date_column
        return [period_sql(date_column, self.period).label("period"), table.c.unit_code.label("unit_code"),
                _special_country(table.c.unit_code, table.c.country_iso3).label("country_iso3")]

    def _frame(self, query: sa.Select, names: list[str]) -> pd.DataFrame:
        frame = _table(self.conn.execute(query), names)
        for column in names[3:]:
            frame[column] = pd.to_numeric(frame[column]).fillna(0).astype("int64")
        return frame

    def _group(self, selectable: sa.Select, *, date_column: str = "event_date",
               names: tuple[str, ...] = ("events", "fatalities")) -> pd.DataFrame:
        sub = selectable.subquery()
        keys = [period_sql(sub.c[date_column], self.period), sub.c.unit_code,
                _special_country(sub.c.unit_code, sub.c.country_iso3)]
        query = sa.select(*keys, sa.func.count(), sa.func.sum(sub.c.fatalities)).group_by(*keys)
        return self._frame(query, [*_ROW, *names])

    def _end_figures(self) -> pd.DataFrame:
        """Events and fatalities per row at the end point: the summary (now), less later batches' work."""
        s = summary_table.c
        unit = s[f"{self.level}_code"]
        keys = [period_sql(s.month, self.period), unit, _special_country(unit, s.country_iso3)]
        now = self._frame(
            sa.select(*keys, sa.func.sum(s.events), sa.func.sum(s.fatalities))
            .where(s.set_id == self.set_id, s.source_dataset == self.source).group_by(*keys),
            [*_ROW, "events", "fatalities"],
        )
        if self.extents.window(self.end).empty and not self._replaced_after_end():
            return now
        v = versions_table.c
        later = self._group(self._rows(self._current(*self._written(self.end))))
        replaced = self._group(self._rows(self._superseded(v.batch_id <= self.end, v.superseded_by > self.end)))
        table = now.merge(later, on=_ROW, how="outer", suffixes=("", "_later")).merge(replaced, on=_ROW, how="outer",
                                                                                       suffixes=("", "_replaced"))
        table = table.fillna(0)
        out = table[_ROW].copy()
        for column in ("events", "fatalities"):
            out[column] = (table[column] - table[f"{column}_later"] + table[f"{column}_replaced"]).astype("int64")
        return out[(out["events"] != 0) | (out["fatalities"] != 0)]

    @staticmethod
    def _rows(select: sa.Select) -> sa.Select:
        """A side-table select with named columns (for grouping)."""
        names = [c.name for c in _before.columns]
        return select.with_only_columns(*[c.label(n) for c, n in zip(select.selected_columns, names)])

    def _replaced_after_end(self) -> bool:
        v = versions_table.c
        return self.conn.execute(sa.select(v.version_id).where(v.superseded_by > self.end).limit(1)).first() is not None

    def _live_versions(self, point: int) -> tuple[str | None, int]:
        """(newest date, number) of the source's versions held at `point` that are no longer current."""
        v = versions_table.c
        last, count = self.conn.execute(
            sa.select(sa.func.max(v.event_date), sa.func.count())
            .where(v.source_dataset == self.source, v.batch_id <= point, v.superseded_by > point)
        ).one()
        return last, int(count or 0)

    def _start_extent(self) -> tuple[str | None, int]:
        """(the newest event date of the source at the start point, the number of its events then)."""
        t = self.extents.table
        held = t.loc[(t["batch_id"] <= self.start) & (t["events"] > 0)]
        last, count = self._live_versions(self.start)
        dates = [d for d in (held["last_date"].max() if len(held) else None, last) if d]
        return (max(dates) if dates else None), int(held["events"].sum()) + count

    def _added(self, cutoff: str | None) -> pd.DataFrame:
        b, a = _after, _before
        keys = self._keys(b)
        late = b.c.event_date <= cutoff if cutoff else sa.false()
        query = (
            sa.select(*keys, sa.func.sum(sa.case((late, 0), else_=1)), sa.func.sum(sa.case((late, 1), else_=0)),
                      sa.func.sum(sa.case((late, 0), else_=b.c.fatalities)), sa.func.sum(sa.case((late, b.c.fatalities), else_=0)))
            .select_from(b.outerjoin(a, a.c.event_id == b.c.event_id)).where(a.c.event_id.is_(None)).group_by(*keys)
        )
        return self._frame(query, [*_ROW, "new", "backfilled", "fatalities_new", "fatalities_backfilled"])

    def _deleted(self) -> pd.DataFrame:
        b, a = _after, _before
        keys = self._keys(a)
        query = (
            sa.select(*keys, sa.func.count(), sa.func.sum(a.c.fatalities))
            .select_from(a.outerjoin(b, a.c.event_id == b.c.event_id)).where(b.c.event_id.is_(None)).group_by(*keys)
        )
        return self._frame(query, [*_ROW, "deleted", "fatalities_deleted"])

    def _pair(self) -> tuple[sa.Join, sa.ColumnElement[bool], sa.ColumnElement[bool]]:
        """The revised events: both versions, content different; and what moved them between rows."""
        a, b = _before, _after
        revised = a.c.content_hash.is_distinct_from(b.c.content_hash)
        moved = sa.or_(
            period_sql(a.c.event_date, self.period) != period_sql(b.c.event_date, self.period),
            a.c.unit_code != b.c.unit_code,
            _special_country(a.c.unit_code, a.c.country_iso3) != _special_country(b.c.unit_code, b.c.country_iso3),
        )
        return a.join(b, a.c.event_id == b.c.event_id), revised, moved

    def _revised(self) -> pd.DataFrame:
        a, b = _before, _after
        joined, revised, moved = self._pair()
        relocated = sa.or_(a.c.latitude.is_distinct_from(b.c.latitude), a.c.longitude.is_distinct_from(b.c.longitude))

        def count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
            return sa.func.sum(sa.case((condition, 1), else_=0))

        keys = self._keys(b)
        query = (
            sa.select(
                *keys, sa.func.count(), count(a.c.fatalities != b.c.fatalities), count(a.c.event_date != b.c.event_date),
                count(a.c.event_type != b.c.event_type), count(relocated), count(sa.and_(relocated, a.c.unit_code != b.c.unit_code)),
                count(moved), sa.func.sum(b.c.fatalities - a.c.fatalities),
            ).select_from(joined).where(revised).group_by(*keys)
        )
        return self._frame(query, [*_ROW, "revised", "revised_fatalities", "revised_date", "revised_type", "relocated",
                                   "relocated_other_unit", "moved_in", "fatalities_revised_delta"])

    def _moved_out(self) -> pd.DataFrame:
        a = _before
        joined, revised, moved = self._pair()
        keys = self._keys(a)
        query = sa.select(*keys, sa.func.count()).select_from(joined).where(revised, moved).group_by(*keys)
        return self._frame(query, [*_ROW, "moved_out"])

    def _side_figures(self, table: sa.Table, prefix: str) -> pd.DataFrame:
        keys = self._keys(table)
        query = sa.select(*keys, sa.func.count(), sa.func.sum(table.c.fatalities)).group_by(*keys)
        return self._frame(query, [*_ROW, f"{prefix}_events", f"{prefix}_fatalities"])

    def _check(self, rows: pd.DataFrame, count_start: int) -> None:
        """The figures of both points against independent counts: a mismatch is a fault, never a figure."""
        t = self.extents.table
        count_end = int(t.loc[t["batch_id"] <= self.end, "events"].sum()) + self._live_versions(self.end)[1]
        problems = []
        if int(rows["events_start_figure"].sum()) != count_start or int(rows["events_before"].sum()) != count_start:
            problems.append(f"{int(rows['events_start_figure'].sum()):,} events counted at the start point, {count_start:,} held")
        if int(rows["events_after"].sum()) != count_end:
            problems.append(f"{int(rows['events_after'].sum()):,} events counted at the end point, {count_end:,} held")
        if (rows["events_start_figure"] < 0).any() or (rows["events_after"] < 0).any():
            problems.append("a row with a negative count")
        if problems:
            raise AtlasError(
                f"the change figures of {self.source} do not add up ({'; '.join(problems)}); nothing was written. "
                "This is a fault of the atlas, not of the data: please report it"
            )

    # ------------------------------------------------------------------ lists

    def revised_events(self, limit: int, unit_code: str | None, units: pd.DataFrame) -> pd.DataFrame:
        """Up to `limit` revised events, each changed field before → after (largest fatality change first)."""
        if self.trivial:
            return pd.DataFrame(columns=REVISED_COLUMNS)
        a, b = _before, _after
        joined, revised, _ = self._pair()
        where = [revised]
        if unit_code:
            where.append(sa.or_(a.c.unit_code == unit_code, b.c.unit_code == unit_code))
        delta = b.c.fatalities - a.c.fatalities
        order = sa.case((delta < 0, -delta), else_=delta)
        pairs = _table(self.conn.execute(
            sa.select(a.c.event_id, a.c.ref_id, b.c.ref_kind, b.c.ref_id, a.c.unit_code, b.c.unit_code)
            .select_from(joined).where(*where).order_by(order.desc(), b.c.event_date.desc(), a.c.event_id).limit(int(limit))
        ), ["event_id", "a_ref", "b_kind", "b_ref", "a_unit", "b_unit"])
        if pairs.empty:
            return pd.DataFrame(columns=REVISED_COLUMNS)
        before = self._versions("v", pairs["a_ref"].tolist())
        after = pd.concat([self._versions(kind, pairs.loc[pairs["b_kind"] == kind, "b_ref"].tolist()) for kind in ("e", "v")],
                          ignore_index=True)
        names = {**dict(zip(units["unit_code"], units["unit_name"])), **SPECIAL_NAMES}
        # The ACLED timestamp changes with every revision: listed only when nothing else changed.
        fields = [c for c in CONTENT_COLUMNS if c not in KEY_COLUMNS]
        merged = pairs[["event_id", "a_unit", "b_unit"]].merge(before, on="event_id").merge(after, on="event_id", suffixes=("__before", ""))
        parts = []
        for name in fields:
            old, new = merged[f"{name}__before"], merged[name]
            same = (old == new).fillna(False).to_numpy(dtype=bool) | (old.isna() & new.isna()).to_numpy()
            if same.all():
                continue
            differ = ~same
            parts.append(pd.DataFrame({
                "event_id": merged["event_id"].to_numpy()[differ], "field": name,
                "before": value_text(name, old[differ]), "after": value_text(name, new[differ]), "_order": fields.index(name),
            }))
        moved = merged["a_unit"] != merged["b_unit"]
        if moved.any():
            parts.append(pd.DataFrame({
                "event_id": merged.loc[moved, "event_id"].to_numpy(), "field": f"{self.level} unit",
                "before": merged.loc[moved, "a_unit"].map(names).fillna(merged.loc[moved, "a_unit"]).to_numpy(),
                "after": merged.loc[moved, "b_unit"].map(names).fillna(merged.loc[moved, "b_unit"]).to_numpy(),
                "_order": -1,
            }))
        table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["event_id", "field", "before", "after", "_order"])
        stamp = table["field"] == "revision_timestamp"
        table = table[~stamp | ~table["event_id"].isin(table.loc[~stamp, "event_id"])]
        rank = {eid: i for i, eid in enumerate(pairs["event_id"])}
        info = merged.assign(
            unit_before=merged["a_unit"].map(names).fillna(merged["a_unit"]),
            unit_after=merged["b_unit"].map(names).fillna(merged["b_unit"]),
            event_date=merged["event_date"].dt.strftime("%Y-%m-%d"),
        )[["event_id", "event_date", "unit_before", "unit_after"]]
        table = table.merge(info, on="event_id", how="left")
        table = table.assign(_rank=table["event_id"].map(rank)).sort_values(["_rank", "_order"], kind="stable")
        return table[REVISED_COLUMNS].reset_index(drop=True)

    def _versions(self, kind: str, refs: list[int]) -> pd.DataFrame:
        """Canonical rows of versions by reference (events row ids, or event_versions version ids)."""
        if not refs:
            return coerce_events(pd.DataFrame(columns=CANONICAL_COLUMNS))
        table, key = (events_table, events_table.c.row_id) if kind == "e" else (versions_table, versions_table.c.version_id)
        frame = pd.read_sql(sa.select(*[table.c[c] for c in CANONICAL_COLUMNS]).where(key.in_([int(r) for r in refs])), self.conn)
        return coerce_events(frame)

    def changed_events(self, units: pd.DataFrame) -> pd.DataFrame:
        """Every changed event: added (new or backfilled), revised or deleted, with its figures at both points."""
        a, b = _before, _after
        names = {**dict(zip(units["unit_code"], units["unit_name"])), **SPECIAL_NAMES}
        # Both sides, with a left join each way (no FULL JOIN: SQLite lacks it before 3.39).
        left = sa.select(a.c.event_id, *self._pair_columns()).select_from(a.outerjoin(b, a.c.event_id == b.c.event_id))
        right = (sa.select(b.c.event_id, *self._pair_columns()).select_from(b.outerjoin(a, a.c.event_id == b.c.event_id))
                 .where(a.c.event_id.is_(None)))
        columns = ["event_id"] + [f"{side}_{name}" for name in _PAIRED for side in ("a", "b")]
        frame = _table(self.conn.execute(sa.union_all(left, right)), columns)
        added, deleted = frame["a_content_hash"].isna().to_numpy(), frame["b_content_hash"].isna().to_numpy()
        revised = ~added & ~deleted & (frame["a_content_hash"] != frame["b_content_hash"]).to_numpy()
        frame = frame[added | deleted | revised].reset_index(drop=True)
        added, deleted = frame["a_content_hash"].isna().to_numpy(), frame["b_content_hash"].isna().to_numpy()
        late = added & (frame["b_event_date"].fillna("") <= self.cutoff).to_numpy() if self.cutoff else np.zeros(len(frame), bool)
        change = np.select([late, added, deleted], ["backfilled", "new", "deleted"], default="revised")

        def differs(name: str) -> np.ndarray:
            return (frame[f"a_{name}"] != frame[f"b_{name}"]).to_numpy() & ~added & ~deleted

        relocated = differs("latitude") | differs("longitude")
        labels = [
            (differs("fatalities"), "fatalities"), (differs("event_date"), "date"), (differs("event_type"), "event type"),
            (relocated & ~differs("unit_code"), "relocated"), (relocated & differs("unit_code"), "relocated to another unit"),
        ]
        kinds = [", ".join(label for mask, label in labels if mask[i]) or ("other fields" if change[i] == "revised" else "")
                 for i in range(len(frame))]

        def unit(column: str) -> np.ndarray:
            return frame[column].map(names).fillna(frame[column]).fillna("").to_numpy(dtype=object)

        out = pd.DataFrame({
            "source": self.source, "event_id": frame["event_id"].to_numpy(), "change": change, "kinds": kinds,
            "event_date_before": frame["a_event_date"].fillna("").to_numpy(), "event_date_after": frame["b_event_date"].fillna("").to_numpy(),
            "unit_before": unit("a_unit_code"), "unit_after": unit("b_unit_code"),
            "fatalities_before": pd.array(frame["a_fatalities"], dtype="Int64"),
            "fatalities_after": pd.array(frame["b_fatalities"], dtype="Int64"),
            "event_type_before": frame["a_event_type"].fillna("").to_numpy(), "event_type_after": frame["b_event_type"].fillna("").to_numpy(),
        })
        order = {"new": 0, "backfilled": 1, "revised": 2, "deleted": 3}
        out = out.assign(_order=out["change"].map(order)).sort_values(["_order", "event_id"], kind="stable")
        return out[EVENT_COLUMNS].reset_index(drop=True)

    @staticmethod
    def _pair_columns() -> list:
        return [side.c[name] for name in _PAIRED for side in (_before, _after)]


def _finish(rows: pd.DataFrame, units: pd.DataFrame, *, source: str, level: str) -> pd.DataFrame:
    """Unit names and countries, the column order of the contract, rows in the order of `aggregate`."""
    names = dict(zip(units["unit_code"], units["unit_name"]))
    countries = dict(zip(units["unit_code"], units["country_iso3"]))
    rows = rows.copy()
    rows["source"] = source
    rows["level"] = level
    rows["unit_name"] = rows["unit_code"].map(names).fillna(rows["unit_code"].map(SPECIAL_NAMES)).fillna(rows["unit_code"])
    rows["country_iso3"] = rows["country_iso3"].where(rows["country_iso3"].fillna("") != "", rows["unit_code"].map(countries)).fillna("")
    if "events_revised_delta" not in rows:  # an event's revision never changes a count: only aggregates' do
        rows["events_revised_delta"] = 0
    special = rows["unit_code"].isin(_SPECIAL).astype(int)
    rows = rows.assign(_special=special).sort_values(["period", "_special", "country_iso3", "unit_code"], ignore_index=True)
    return rows[CHANGE_COLUMNS + DETAIL_COLUMNS]
