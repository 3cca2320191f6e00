"""ACLED's public aggregates in the store: unit-months of one indicator (source `acled-hdx`), in batches like events.

A table (`geo.readers.hdx`) holds, for one country and indicator, a figure per unit and month. In the store:

- `aggregate_rows` holds the current figure of each unit-month (key: source, country, indicator, month, unit);
  a later table for the same country and indicator **replaces the months it covers**: each of its unit-months is
  **new** (not held), **revised** (held with other figures or names; the held version moves to
  `aggregate_versions`) or **unchanged** (counted as a duplicate, nothing written); a unit it does not have at all
  is **removed** from those months (moved to `aggregate_versions` too: a new unit frame never adds up with the old);
- their figures enter the store's summary (`unit_summary`, source `acled-hdx`, the indicator in `event_type`) in
  every place set, through the units matched by code then name (`geo.unit_matching`): so every figure reads them
  through the same query code as events (`geo.query.unit_figures`), and indicators are never added together;
- a rollback restores exactly the previous state; `changes` compares two points of this history per unit and month.

The summary of a country and indicator is made again from its unit-months whenever a batch or rollback touches it
(a few tens of thousands of rows at most), so it is always exactly what the current rows give.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .boundaries import BoundarySet, load_boundary_set, set_fingerprint
from .config import Settings, get_settings
from .errors import AtlasError, BoundaryError
from .indicators import AGGREGATE_SOURCE, INDICATORS
from .join import UNALLOCATED_CODE
from .readers import AggregateRead, Rejection
from .schema import AGGREGATE_COLUMNS, AGGREGATE_KEY, aggregate_hash, coerce_aggregates
from .store import (
    SUMMARY_KEYS,
    SUMMARY_MEASURES,
    Store,
    aggregate_rows_table,
    aggregate_units_table,
    aggregate_versions_table,
    batches_table,
    place_sets_table,
    summary_table,
)
from .unit_matching import TABLE_UNIT_COLUMNS, match_units

#: The columns stored per unit-month.
STORED = [*AGGREGATE_COLUMNS, "batch_id", "content_hash"]
#: What identifies the tables a batch replaces: one country and one indicator.
GROUP = ["country_iso3", "indicator"]
#: How the kinds of a unit-month are named in accounts (`rows_read = new + revised + unchanged + rejected`).
REVISION_KIND = "ACLED revision (a later table)"
#: Days before a table's as-of date that ACLED's weekly releases may not cover yet: a month ending fewer days before
#: it is marked partial.
RELEASE_LAG_DAYS = 7


def unit_label(unit_id: object, month: object) -> str:
    """How a unit-month is named in listings: "BF4603 2024-01".

    Parameters
    ----------
    unit_id
        The table's unit key.
    month
        The month ("YYYY-MM").

    Returns
    -------
    str
        How a unit-month is named in listings: "BF4603 2024-01".
    """
    return f"{unit_id} {month}".strip()


# ---------------------------------------------------------------------------------------------- a batch of tables


@dataclass
class PreparedTables:
    """Aggregate tables read, checked and matched to the ingest boundary set, not yet stored."""

    reads: list[AggregateRead]
    rows: pd.DataFrame  # canonical aggregate rows + _file, _line, content_hash
    rejected: list[Rejection]
    notes: list[str]
    boundaries: str
    units: pd.DataFrame  # one row per table unit: TABLE_UNIT_COLUMNS, how it matched, its codes in the set
    seen: pd.DataFrame  # (country_iso3, indicator, unit_id) of every row read, accepted or not

    @property
    def format(self) -> str:
        """The tables' formats joined by "+" ("acled-hdx", "acled-hdx+hdx-hapi")."""
        return "+".join(dict.fromkeys(r.format for r in self.reads))

    def coverage(self) -> list[dict]:
        """Per country and indicator: the months the batch covers, its as-of date and its unit-months.

        Returns
        -------
        list[dict]
            Per country and indicator: the months the batch covers, its as-of date and its unit-months.
        """
        if self.rows.empty:
            return []
        as_of = {r.file: r.as_of for r in self.reads}
        out = []
        for (country, indicator), group in self.rows.groupby(GROUP, sort=True):
            out.append({
                "source_dataset": AGGREGATE_SOURCE, "country_iso3": str(country), "indicator": str(indicator),
                "first_month": str(group["month"].min()), "last_month": str(group["month"].max()),
                "as_of": max(as_of[f] for f in group["_file"].unique()), "rows": int(len(group)),
            })
        return out

    def unit_report(self) -> dict:
        """The units matched and not (the `--json` keys `units_matched`, `units_rolled_up`, `units_unmatched`, `unit_matches`).

        Returns
        -------
        dict
            The units matched and not (the `--json` keys `units_matched`, `units_rolled_up`, `units_unmatched`,
            `unit_matches`).
        """
        units = self.units
        return {
            "units_matched": int(units["matched_by"].isin(["code", "name"]).sum()),
            "units_rolled_up": int((units["matched_by"] == "admin1").sum()),
            "units_unmatched": int((units["matched_by"] == "none").sum()),
            "unit_matches": [
                {"country_iso3": r["country_iso3"], "admin_level": int(r["admin_level"]), "admin1_pcode": r["admin1_pcode"],
                 "admin1_name": r["admin1_name"], "admin2_pcode": r["admin2_pcode"], "admin2_name": r["admin2_name"],
                 "matched_by": r["matched_by"], "admin1_code": r["admin1_code"], "admin2_code": r["admin2_code"],
                 "reason": r["reason"]}
                for r in units.to_dict("records")
            ],
        }


def prepare_tables(reads: list[AggregateRead], boundary_set: BoundarySet, *, settings: Settings | None = None) -> PreparedTables:
    """Match the units of aggregate tables to the ingest boundary set; rows of a unit matching nothing are rejected with their line and reason.

    Nothing is stored.

    Parameters
    ----------
    reads
        The tables read (one per file).
    boundary_set
        The boundary set.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    PreparedTables
        The unit-months matched, the rejected rows and the units matched and unmatched.
    """
    settings = settings or get_settings()
    rows = pd.concat([r.rows for r in reads], ignore_index=True) if len(reads) > 1 else reads[0].rows
    rejected = [rej for r in reads for rej in r.rejected]
    notes = [f"{r.file}: {n}" for r in reads for n in r.notes]
    seen = pd.concat([r.rows[["country_iso3", "indicator", "unit_id"]] for r in reads] + [_rejected_units(r) for r in reads],
                     ignore_index=True).drop_duplicates()
    units = rows[TABLE_UNIT_COLUMNS].drop_duplicates().reset_index(drop=True)
    units = match_units(units, boundary_set, aliases=settings.name_aliases)
    matched = rows.merge(units, on=TABLE_UNIT_COLUMNS, how="left", validate="many_to_one")
    unmatched = (matched["matched_by"] == "none").to_numpy()
    if unmatched.any():
        bad = rows.loc[unmatched]
        reasons = matched.loc[unmatched, "reason"].to_numpy()
        rejected += [
            Rejection(file=f, line=int(line), event_id=unit_label(u, m),
                      reason=f"unit matches no unit of the {boundary_set.name!r} boundaries: {reason}; add a spelling "
                      "to [names.aliases] in atlas.toml, or use a boundary set with this unit")
            for f, line, u, m, reason in zip(bad["_file"], bad["_line"], bad["unit_id"], bad["month"], reasons)
        ]
        rows = rows.loc[~unmatched].reset_index(drop=True)
        notes.append(f"{int((units['matched_by'] == 'none').sum())} unit(s) match no unit of {boundary_set.name!r}: "
                     f"their {int(unmatched.sum()):,} row(s) are rejected")
    rolled = units[units["matched_by"] == "admin1"]
    if len(rolled):
        names = ", ".join((rolled["admin2_name"].where(rolled["admin2_name"] != "", rolled["admin2_pcode"])).head(10))
        notes.append(f"{len(rolled)} admin-2 unit(s) are not in {boundary_set.name!r} and count at admin 1 only, in their "
                     f"region (at admin 2 they are not available in this set): {names}")
    rows = rows.assign(content_hash=aggregate_hash(rows))
    rejected.sort(key=lambda r: (r.file, r.line))
    return PreparedTables(reads=reads, rows=rows, rejected=rejected, notes=notes, boundaries=boundary_set.name, units=units,
                          seen=seen)


def _rejected_units(read: AggregateRead) -> pd.DataFrame:
    """The units named by rejected rows (their `event_id` is "unit month"): a unit with rejected rows is not absent."""
    ids = [r.event_id.split(" ")[0] for r in read.rejected if r.event_id]
    groups = read.rows[GROUP].drop_duplicates()
    if not ids or groups.empty:
        return pd.DataFrame(columns=["country_iso3", "indicator", "unit_id"])
    return groups.merge(pd.DataFrame({"unit_id": ids}), how="cross")


def stored_rows(conn: sa.Connection, prepared: PreparedTables) -> pd.DataFrame:
    """The stored unit-months of the batch's countries and indicators in the months it covers (with their hashes).

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.
    prepared
        The tables prepared.

    Returns
    -------
    pd.DataFrame
        The stored unit-months of the batch's countries and indicators in the months it covers (with their hashes).
    """
    a = aggregate_rows_table
    parts = []
    for (country, indicator), group in prepared.rows.groupby(GROUP, sort=True):
        query = sa.select(*[a.c[c] for c in STORED]).where(
            a.c.source_dataset == AGGREGATE_SOURCE, a.c.country_iso3 == country, a.c.indicator == indicator,
            a.c.month.in_(sorted(group["month"].unique())),
        )
        parts.append(pd.DataFrame([tuple(r) for r in conn.execute(query)], columns=STORED))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=STORED)
    out = coerce_aggregates(frame)
    out["batch_id"] = pd.array(frame["batch_id"].tolist(), dtype="Int64")
    out["content_hash"] = pd.array(frame["content_hash"].tolist(), dtype="Int64")
    return out


def classify(prepared: PreparedTables, stored: pd.DataFrame) -> tuple[pd.DataFrame, list[Rejection], list[str], pd.DataFrame]:
    """Put each accepted unit-month in its bucket against the batch itself and the store.

    Parameters
    ----------
    prepared
        The tables prepared.
    stored
        The stored unit-months of the same countries and indicators (:func:`stored_rows`).

    Returns
    -------
    (per row: `_file`, `bucket` (new, updated, duplicates, rejected) and `write_kind` ("new", "updated" or ""),
    rejections of unit-months repeated with other figures, notes, the stored unit-months the batch removes)
    """
    rows = prepared.rows
    notes: list[str] = []
    rejected: list[Rejection] = []
    bucket = np.full(len(rows), "", dtype=object)
    key = AGGREGATE_KEY
    repeated = rows.duplicated(key, keep="first").to_numpy()
    if repeated.any():
        first = rows.loc[~rows.duplicated(key, keep="first"), key + ["content_hash", "_file", "_line"]]
        first = first.rename(columns={"content_hash": "first_hash", "_file": "first_file", "_line": "first_line"})
        later = rows.loc[repeated, key + ["content_hash"]].reset_index().merge(first, on=key, how="left").set_index("index")
        same = (later["content_hash"] == later["first_hash"]).to_numpy()
        bucket[later.index[same]] = "duplicates"
        for idx, row in later.loc[~same].iterrows():
            bucket[idx] = "rejected"
            rejected.append(Rejection(
                file=rows.at[idx, "_file"], line=int(rows.at[idx, "_line"]), event_id=unit_label(row["unit_id"], row["month"]),
                reason=f"unit-month {unit_label(row['unit_id'], row['month'])} already appears with other figures on line "
                f"{int(row['first_line'])} of {row['first_file']}; a unit-month may appear once per batch"))
        if same.any():
            notes.append(f"{int(same.sum())} row(s) repeat an identical earlier row of the batch (counted as duplicates)")
    todo = bucket == ""
    held = stored[key + ["content_hash"]].rename(columns={"content_hash": "stored_hash"})
    merged = rows.loc[todo, key + ["content_hash"]].merge(held, on=key, how="left", validate="many_to_one")
    known = merged["stored_hash"].notna().to_numpy()
    same = (merged["stored_hash"].astype("Int64") == merged["content_hash"].astype("Int64")).fillna(False).to_numpy(dtype=bool)
    bucket[np.flatnonzero(todo)] = np.where(~known, "new", np.where(same, "duplicates", "updated"))
    writes = np.isin(bucket, ["new", "updated"])
    classes = pd.DataFrame({"_file": rows["_file"].to_numpy(), "bucket": bucket, "write_kind": np.where(writes, bucket, "")},
                           index=rows.index)
    # A unit the batch's table does not have at all leaves the months it covers (a new frame of units).
    present = prepared.seen.assign(_present=True)
    removed = stored.merge(present, on=["country_iso3", "indicator", "unit_id"], how="left")
    removed = stored.loc[removed["_present"].isna().to_numpy()]
    if len(removed):
        units = sorted(removed["unit_id"].unique())
        notes.append(f"{len(units)} unit(s) held for these months are not in the new table(s) and leave them "
                     f"({len(removed):,} unit-month(s) removed): {', '.join(units[:10])}")
    return classes, rejected, notes, removed


def changed_figures(prepared: PreparedTables, classes: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """Per revised unit-month, each changed column before → after (the `changes` of an ingest report).

    Parameters
    ----------
    prepared
        The tables prepared.
    classes
        Each row's class (:func:`classify`).
    stored
        The stored unit-months (:func:`stored_rows`).

    Returns
    -------
    pd.DataFrame
        Per revised unit-month, each changed column before → after (the `changes` of an ingest report).
    """
    from .vintages import CHANGE_COLUMNS

    updated = prepared.rows.loc[(classes["write_kind"] == "updated").to_numpy()]
    if updated.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    pair = updated.merge(stored, on=AGGREGATE_KEY, suffixes=("", "__stored"), validate="one_to_one")
    parts = []
    for name in ("events", "fatalities", "admin1_pcode", "admin1_name", "admin2_pcode", "admin2_name", "admin_level"):
        after, before = pair[name], pair[f"{name}__stored"]
        same = (after.astype(object) == before.astype(object)).to_numpy() | (after.isna() & before.isna()).to_numpy()
        if same.all():
            continue
        differ = ~same
        parts.append(pd.DataFrame({
            "source_dataset": AGGREGATE_SOURCE,
            "event_id": [unit_label(u, m) for u, m in zip(pair["unit_id"][differ], pair["month"][differ])],
            "file": pair["_file"].to_numpy()[differ], "line": pair["_line"].to_numpy()[differ], "field": name,
            "before": [_text(v) for v in before[differ]], "after": [_text(v) for v in after[differ]], "kind": REVISION_KIND,
        }))
    if not parts:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    return pd.concat(parts, ignore_index=True).sort_values(["file", "line"], kind="stable").reset_index(drop=True)[CHANGE_COLUMNS]


def _text(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(int(value)) if isinstance(value, (int, np.integer)) else str(value)


def write(store: Store, conn: sa.Connection, prepared: PreparedTables, classes: pd.DataFrame, removed: pd.DataFrame,
          *, batch_id: int, settings: Settings | None = None) -> None:
    """Inside the batch's write transaction: archive the unit-months revised or removed, write the new and revised ones, and make the summary of the countries and indicators touched again in every place set.

    Parameters
    ----------
    store
        The event store.
    conn
        A connection of the store, inside its transaction.
    prepared
        The tables prepared.
    classes
        Each row's class (:func:`classify`).
    removed
        The stored unit-months the tables no longer hold.
    batch_id
        The batch.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    """
    kinds = classes["write_kind"].to_numpy()
    updated = prepared.rows.loc[kinds == "updated", AGGREGATE_KEY]
    _archive(store, conn, updated, batch_id=batch_id, change="revised")
    _archive(store, conn, removed[AGGREGATE_KEY], batch_id=batch_id, change="removed")
    written = prepared.rows.loc[kinds != "", [*AGGREGATE_COLUMNS, "content_hash"]].assign(batch_id=batch_id)
    store.bulk_insert(conn, "aggregate_rows", STORED, written[STORED])
    groups = prepared.rows[GROUP].drop_duplicates()
    remake_units(conn, groups)
    resum(store, conn, groups, settings=settings)


def _archive(store: Store, conn: sa.Connection, keys: pd.DataFrame, *, batch_id: int, change: str) -> None:
    """Move the stored unit-months with these keys to `aggregate_versions` (superseded by `batch_id`)."""
    if keys.empty:
        return
    tmp = sa.Table("_aggregate_keys", sa.MetaData(), *[sa.Column(c, sa.Text) for c in AGGREGATE_KEY], prefixes=["TEMPORARY"])
    tmp.create(conn, checkfirst=False)
    try:
        store.bulk_insert(conn, "_aggregate_keys", AGGREGATE_KEY, keys[AGGREGATE_KEY].astype(str))
        match = " AND ".join(f'a."{c}" = k."{c}"' for c in AGGREGATE_KEY)
        columns = ", ".join(f'"{c}"' for c in STORED)
        selected = ", ".join(f'a."{c}"' for c in STORED)
        conn.exec_driver_sql(
            f"INSERT INTO aggregate_versions (superseded_by, change, {columns}) SELECT {int(batch_id)}, '{change}', {selected} "
            f"FROM aggregate_rows a JOIN _aggregate_keys k ON {match}"
        )
        conn.exec_driver_sql(
            "DELETE FROM aggregate_rows WHERE EXISTS (SELECT 1 FROM _aggregate_keys k WHERE "
            + " AND ".join(f'aggregate_rows."{c}" = k."{c}"' for c in AGGREGATE_KEY) + ")"
        )
    finally:
        tmp.drop(conn, checkfirst=False)


# ---------------------------------------------------------------------------------------------- the summary


def _groups_condition(table: sa.Table, groups: pd.DataFrame | None, *,
                      indicator_column: str = "indicator") -> sa.ColumnElement[bool]:
    if groups is None:
        return sa.true()
    return sa.or_(*[sa.and_(table.c.country_iso3 == c, table.c[indicator_column] == i) for c, i in groups[GROUP].itertuples(index=False)])


def summary_rows(rows: pd.DataFrame, boundary_set: BoundarySet, set_id: int, *, settings: Settings | None = None) -> pd.DataFrame:
    """The `unit_summary` rows of unit-months in one place set: matched to its units (`geo.unit_matching`), the indicator in `event_type` (civilian targeting also flagged `civilian_targeting`), events > 0 only (a zero month is no summary row: the zero is given by the coverage, `covered_months`).

    Parameters
    ----------
    rows
        Unit-months (the `aggregate_rows` columns).
    boundary_set
        The boundary set.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    pd.DataFrame
        The `unit_summary` rows of unit-months in one place set: matched to its units (`geo.unit_matching`), the
        indicator in `event_type` (civilian targeting also flagged `civilian_targeting`), events > 0 only (a zero
        month is no summary row: the zero is given by the coverage, `covered_months`).
    """
    settings = settings or get_settings()
    rows = rows.loc[rows["events"].to_numpy() > 0]
    if rows.empty:
        return pd.DataFrame(columns=SUMMARY_KEYS + SUMMARY_MEASURES)
    units = match_units(rows[TABLE_UNIT_COLUMNS].drop_duplicates().reset_index(drop=True), boundary_set,
                        aliases=settings.name_aliases)
    placed = rows.merge(units, on=TABLE_UNIT_COLUMNS, how="left", validate="many_to_one")
    keys = ["month", "country_iso3", "admin1_code", "admin2_code", "indicator"]
    out = (placed.assign(events=placed["events"].astype("int64"), fatalities=placed["fatalities"].fillna(0).astype("int64"))
           .groupby(keys, as_index=False, sort=False)[["events", "fatalities"]].sum())
    out = out.rename(columns={"indicator": "event_type"}).assign(
        set_id=int(set_id), source_dataset=AGGREGATE_SOURCE, sub_event_type="", actor1_type="", geo_precision=1,
        civilian_targeting=(out["indicator"] == "civilian-targeting").to_numpy(), snapped=False,
        fatalities_low=0, fatalities_low_n=0, fatalities_high=0, fatalities_high_n=0,
    )
    return out[SUMMARY_KEYS + SUMMARY_MEASURES]


#: What the summary needs of a unit-month (the rest never leaves the database for it).
_SUMMED = [*TABLE_UNIT_COLUMNS, "indicator", "month", "events", "fatalities"]


def read_rows(conn: sa.Connection, groups: pd.DataFrame | None = None, *, columns: list[str] | None = None) -> pd.DataFrame:
    """The current unit-months (of these countries and indicators; only unit-months with events for the summary).

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.
    groups
        The named armed groups of `atlas.toml` [actor_groups].
    columns
        The columns read; default every one.

    Returns
    -------
    pd.DataFrame
        The current unit-months (of these countries and indicators; only unit-months with events for the summary).
    """
    a = aggregate_rows_table
    columns = columns or list(AGGREGATE_COLUMNS)
    query = sa.select(*[a.c[c] for c in columns]).where(_groups_condition(a, groups))
    if columns == _SUMMED:
        query = query.where(a.c.events > 0)  # a zero month has no summary row
    frame = pd.DataFrame([tuple(r) for r in conn.execute(query).all()], columns=columns)
    return coerce_aggregates(frame)[columns] if columns != list(AGGREGATE_COLUMNS) else coerce_aggregates(frame)


def sum_into(store: Store, conn: sa.Connection, set_id: int, boundary_set: BoundarySet, groups: pd.DataFrame | None = None,
             *, settings: Settings | None = None, rows: pd.DataFrame | None = None) -> None:
    """Make the summary of the unit-months (of `groups`, else all) again in one place set (`rows`: already read).

    Parameters
    ----------
    store
        The event store.
    conn
        A connection of the store, inside its transaction.
    set_id
        The place set (a boundary set at a snapping tolerance) whose places and summaries are read.
    boundary_set
        The boundary set.
    groups
        The named armed groups of `atlas.toml` [actor_groups].
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    rows
        The unit-months to sum; default those `groups` select, read from the store.
    """
    s = summary_table
    condition = _groups_condition(s, groups, indicator_column="event_type")
    conn.execute(s.delete().where(s.c.set_id == set_id, s.c.source_dataset == AGGREGATE_SOURCE, condition))
    if rows is None:
        rows = read_rows(conn, groups, columns=_SUMMED)
    store.add_to_summary(conn, summary_rows(rows, boundary_set, set_id, settings=settings))


def remake_units(conn: sa.Connection, groups: pd.DataFrame) -> None:
    """`aggregate_units` of these countries and indicators made again from their unit-months (first and last month, count).

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.
    groups
        The named armed groups of `atlas.toml` [actor_groups].
    """
    a, u = aggregate_rows_table, aggregate_units_table
    conn.execute(u.delete().where(_groups_condition(u, groups)))
    key = [a.c.source_dataset, a.c.country_iso3, a.c.indicator, a.c.unit_id]
    names = [sa.func.max(a.c[c]).label(c) for c in ("admin_level", "admin1_pcode", "admin1_name", "admin2_pcode", "admin2_name")]
    spans = (sa.select(*key, *names, sa.func.min(a.c.month), sa.func.max(a.c.month), sa.func.count())
             .where(_groups_condition(a, groups)).group_by(*key))
    conn.execute(u.insert().from_select(
        ["source_dataset", "country_iso3", "indicator", "unit_id", "admin_level", "admin1_pcode", "admin1_name", "admin2_pcode",
         "admin2_name", "first_month", "last_month", "months"], spans))


def resum(store: Store, conn: sa.Connection, groups: pd.DataFrame, *, settings: Settings | None = None) -> None:
    """The summary of `groups` made again in every ready place set whose boundary file is at hand; a set whose file is not (another instance's, or changed since) is marked stale, as an event batch does, to be recomputed on its next use.

    Parameters
    ----------
    store
        The event store.
    conn
        A connection of the store, inside its transaction.
    groups
        The named armed groups of `atlas.toml` [actor_groups].
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    """
    settings = settings or get_settings()
    if groups.empty:
        return
    rows = None  # read once, for every set
    for row in store.place_sets(conn).to_dict("records"):
        if row["status"] != "ready":
            continue
        try:
            boundary_set = load_boundary_set(row["name"], settings)
        except BoundaryError:
            boundary_set = None
        if boundary_set is None or set_fingerprint(boundary_set) != row["file_sha256"]:
            conn.execute(place_sets_table.update().where(place_sets_table.c.set_id == row["set_id"]).values(status="stale"))
            continue
        if rows is None:
            rows = read_rows(conn, groups, columns=_SUMMED)
        sum_into(store, conn, int(row["set_id"]), boundary_set, groups, settings=settings, rows=rows)


# ---------------------------------------------------------------------------------------------- rollback


def roll_back(store: Store, conn: sa.Connection, batch_id: int, *, settings: Settings | None = None) -> tuple[int, int]:
    """Inside a rollback's write transaction: remove the unit-months `batch_id` wrote, restore those it revised or removed, and make the summary of the countries and indicators touched again.

    Parameters
    ----------
    store
        The event store.
    conn
        A connection of the store, inside its transaction.
    batch_id
        The batch.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    (unit-months removed, unit-months restored)
    """
    a, v = aggregate_rows_table, aggregate_versions_table
    touched = pd.DataFrame(
        [tuple(r) for r in conn.execute(sa.union(
            sa.select(a.c.country_iso3, a.c.indicator).where(a.c.batch_id == batch_id),
            sa.select(v.c.country_iso3, v.c.indicator).where(v.c.superseded_by == batch_id)))],
        columns=GROUP,
    )
    if touched.empty:
        return 0, 0
    removed = conn.execute(a.delete().where(a.c.batch_id == batch_id)).rowcount or 0
    columns = ", ".join(f'"{c}"' for c in STORED)
    restored = conn.exec_driver_sql(
        f"INSERT INTO aggregate_rows ({columns}) SELECT {columns} FROM aggregate_versions WHERE superseded_by = {int(batch_id)}"
    ).rowcount or 0
    conn.execute(v.delete().where(v.c.superseded_by == batch_id))
    remake_units(conn, touched)
    resum(store, conn, touched, settings=settings)
    return int(removed), int(restored)


# ---------------------------------------------------------------------------------------------- reading


def has_rows(store: Store) -> bool:
    """Whether the store holds any unit-month (one indexed lookup).

    Parameters
    ----------
    store
        The event store.

    Returns
    -------
    bool
        Whether the store holds any unit-month (one indexed lookup).
    """
    with store.engine.connect() as conn:
        return conn.execute(sa.select(aggregate_rows_table.c.month).limit(1)).first() is not None


def indicators_held(store: Store) -> list[str]:
    """The indicators the store holds unit-months of, in the order of `geo.indicators.INDICATORS`.

    Parameters
    ----------
    store
        The event store.

    Returns
    -------
    list[str]
        The indicators the store holds unit-months of, in the order of `geo.indicators.INDICATORS`.
    """
    with store.engine.connect() as conn:
        held = set(conn.execute(sa.select(aggregate_rows_table.c.indicator).distinct()).scalars())
    return [code for code in INDICATORS if code in held]


def covered_units(store: Store, boundary_set: BoundarySet, *, level: str, period: str, indicator: str | None,
                  countries: tuple[str, ...] = (), date_from: date | None = None, date_to: date | None = None,
                  settings: Settings | None = None) -> tuple[pd.DataFrame, tuple[str, str] | None]:
    """Where the stored tables of one indicator say zero rather than nothing: the (unit_code, period) pairs of the set's units at `level` that a table has a row for (a zero month is a row of its table, not of the summary), and the first and last month they cover (None when they cover none).

    Read from `aggregate_units` (a row per table unit: its first and last month and how many it has): most tables cover
    a unit's months without a gap, whose periods are made here; only units with gaps are asked for their months.

    Parameters
    ----------
    store
        The event store.
    boundary_set
        The boundary set.
    level
        The unit level: "admin1" or "admin2".
    period
        The period of the rows: "year", "quarter" or "month".
    indicator
        One of ACLED's three indicators ("political-violence", "civilian-targeting", "demonstrations"); None for political violence.
    countries
        ISO3 codes of the countries.
    date_from
        The first day kept; None for no bound.
    date_to
        The last day kept; None for no bound.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    tuple[pd.DataFrame, tuple[str, str] | None]
        Where the stored tables of one indicator say zero rather than nothing: the (unit_code, period) pairs of the
        set's units at `level` that a table has a row for (a zero month is a row of its table, not of the summary),
        and the first and last month they cover (None when they cover none).
    """
    u, a = aggregate_units_table, aggregate_rows_table
    where = [u.c.indicator == (indicator or "political-violence")]
    if countries:
        where.append(u.c.country_iso3.in_(countries))
    low = date_from.strftime("%Y-%m") if date_from else "0000-00"
    high = date_to.strftime("%Y-%m") if date_to else "9999-99"
    where += [u.c.last_month >= low, u.c.first_month <= high]
    names = [c for c in TABLE_UNIT_COLUMNS if c != "country_iso3"]
    columns = ["country_iso3", "unit_id", *names, "first_month", "last_month", "months"]
    with store.engine.connect() as conn:
        units = pd.DataFrame([tuple(r) for r in conn.execute(sa.select(*[u.c[c] for c in columns]).where(*where)).all()],
                             columns=columns)
        if units.empty:
            return pd.DataFrame(columns=["unit_code", "period"]), None
        start = pd.to_datetime(units["first_month"] + "-01")
        end = pd.to_datetime(units["last_month"] + "-01")
        span = ((end.dt.year - start.dt.year) * 12 + (end.dt.month - start.dt.month) + 1).to_numpy()
        whole = span == units["months"].to_numpy()
        gapped = pd.DataFrame(columns=["country_iso3", "unit_id", "month"])
        if not whole.all():
            keys = list(units.loc[~whole, ["country_iso3", "unit_id"]].itertuples(index=False, name=None))
            query = sa.select(a.c.country_iso3, a.c.unit_id, a.c.month).where(
                a.c.indicator == (indicator or "political-violence"), a.c.month >= low, a.c.month <= high,
                sa.tuple_(a.c.country_iso3, a.c.unit_id).in_(keys))
            gapped = pd.DataFrame([tuple(r) for r in conn.execute(query).all()], columns=["country_iso3", "unit_id", "month"])
    # Each table unit's code in the set at the level (a few hundred units), then its months: contiguous units every
    # month from the later of their first month and the filter's, to the earlier of the last ones.
    matched = match_units(units[TABLE_UNIT_COLUMNS].astype({"admin_level": "int64"}), boundary_set,
                          aliases=(settings or get_settings()).name_aliases)
    code = matched[f"{level}_code"].to_numpy(dtype=object)
    first = start.where(start >= pd.Timestamp(low + "-01"), pd.Timestamp(low + "-01")) if date_from else start
    last = end.where(end <= pd.Timestamp(high + "-01"), pd.Timestamp(high + "-01")) if date_to else end
    counts = np.where(whole, (last.dt.year - first.dt.year) * 12 + (last.dt.month - first.dt.month) + 1, 0).clip(0)
    offsets = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    months = np.repeat(first.to_numpy().astype("datetime64[M]"), counts) + offsets
    unit_codes = np.repeat(code, counts)
    if len(gapped):
        position = {key: i for i, key in enumerate(units[["country_iso3", "unit_id"]].itertuples(index=False, name=None))}
        rows = [position[key] for key in gapped[["country_iso3", "unit_id"]].itertuples(index=False, name=None)]
        months = np.concatenate([months, gapped["month"].to_numpy(dtype="datetime64[M]")])
        unit_codes = np.concatenate([unit_codes, code[rows]])
    if not len(months):
        return pd.DataFrame(columns=["unit_code", "period"]), None
    covered = pd.DataFrame({"unit_code": unit_codes, "period": _period_text(months, period)}).drop_duplicates()
    return covered.reset_index(drop=True), (str(months.min()), str(months.max()))


def _period_text(months: np.ndarray, period: str) -> np.ndarray:
    """Period labels ("2019", "2019-Q1", "2019-03") of datetime64[M] values, without a trip through Python objects."""
    if period == "month":
        return np.datetime_as_string(months, unit="M")
    years = np.datetime_as_string(months, unit="Y")
    if period == "year":
        return years
    quarter = (months.astype(int) % 12) // 3 + 1
    return np.char.add(np.char.add(years.astype(str), "-Q"), quarter.astype(str))


@dataclass(frozen=True)
class TableVintage:
    """How recent the stored aggregates are: first and last month, and the newest table's as-of date."""

    first_month: str
    last_month: str
    as_of: str  # "YYYY-MM-DD" (from a file name) or "YYYY-MM" (a table's last month, when its name has no date)

    @property
    def last_date(self) -> date:
        """The last day of the last month."""
        year, month = int(self.last_month[:4]), int(self.last_month[5:7])
        return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))

    @property
    def complete_through(self) -> date:
        """The last day the tables can be taken as complete: the end of the last month, unless the as-of date falls less than `RELEASE_LAG_DAYS` after it (ACLED's weekly releases may not hold its last days yet); an as-of date known only as a month leaves that month open.

        Never before the last month's first day: that month has rows.
        """
        first = date(int(self.last_month[:4]), int(self.last_month[5:7]), 1)
        if len(self.as_of) == 10:
            return max(first, min(self.last_date, date.fromisoformat(self.as_of) - timedelta(days=RELEASE_LAG_DAYS)))
        return first


def table_vintage(store: Store) -> TableVintage | None:
    """The months the stored unit-months cover, and the as-of date of the newest table (None when there are none).

    Parameters
    ----------
    store
        The event store.

    Returns
    -------
    TableVintage | None
        The months the stored unit-months cover, and the as-of date of the newest table (None when there are none).
    """
    a, b = aggregate_rows_table, batches_table
    import json

    with store.engine.connect() as conn:
        first, last = conn.execute(sa.select(sa.func.min(a.c.month), sa.func.max(a.c.month))).one()
        if first is None:
            return None
        details = conn.execute(sa.select(b.c.details).where(b.c.status == "committed", b.c.kind == "ingest")).scalars().all()
    as_of = ""
    for text in details:
        for part in json.loads(text or "{}").get("coverage") or []:
            if part.get("source_dataset") == AGGREGATE_SOURCE and part.get("last_month") == last:
                as_of = max(as_of, str(part.get("as_of") or ""))
    return TableVintage(first_month=str(first), last_month=str(last), as_of=as_of or str(last))


# ---------------------------------------------------------------------------------------------- history


def state_at(conn: sa.Connection, batch_id: int, *, indicator: str) -> pd.DataFrame:
    """The unit-months of one indicator right after batch `batch_id` (0: the empty store): written by a batch up to it and not superseded by one up to it (rolled-back batches leave no trace in either table).

    Parameters
    ----------
    conn
        A connection of the store, inside its transaction.
    batch_id
        The batch.
    indicator
        One of ACLED's three indicators ("political-violence", "civilian-targeting", "demonstrations").

    Returns
    -------
    pd.DataFrame
        The unit-months of one indicator right after batch `batch_id` (0: the empty store): written by a batch up to
        it and not superseded by one up to it (rolled-back batches leave no trace in either table).
    """
    a, v = aggregate_rows_table, aggregate_versions_table
    columns = [*AGGREGATE_COLUMNS, "batch_id"]
    current = sa.select(*[a.c[c] for c in columns]).where(a.c.indicator == indicator, a.c.batch_id <= batch_id)
    older = sa.select(*[v.c[c] for c in columns]).where(v.c.indicator == indicator, v.c.batch_id <= batch_id,
                                                         v.c.superseded_by > batch_id)
    frame = pd.DataFrame([tuple(r) for r in conn.execute(sa.union_all(current, older))], columns=columns)
    out = coerce_aggregates(frame)
    out["batch_id"] = pd.to_numeric(frame["batch_id"]).astype("Int64") if len(frame) else pd.array([], dtype="Int64")
    return out


@dataclass
class AggregateChanges:
    """Per unit and period, what changed in the unit-months of one indicator between two points."""

    rows: pd.DataFrame  # unit_code, country_iso3, period and the figures of `geo.changes`
    totals: dict[str, int] = field(default_factory=dict)
    last_month_before: str | None = None
    revised: pd.DataFrame = field(default_factory=pd.DataFrame)  # one row per revised unit-month and changed figure
    listed: pd.DataFrame = field(default_factory=pd.DataFrame)  # every changed unit-month


def compare(before: pd.DataFrame, after: pd.DataFrame, boundary_set: BoundarySet, *, level: str, period: str,
            settings: Settings | None = None) -> AggregateChanges:
    """Unit-months at two points compared: **new** (held at the end only, after the last month held at the start for its country), **backfilled** (the same, on or before it), **revised** (held at both with other figures: counted once per unit-month, with the net change of events and fatalities), **deleted** (held at the start only).

    `new`, `backfilled` and `deleted` count the events of those unit-months, so that in every row ``events_after −
    events_before = new + backfilled − deleted + events_revised_delta``.

    Parameters
    ----------
    before
        The unit-months at the start point (:func:`state_at`).
    after
        The unit-months at the end point.
    boundary_set
        The boundary set.
    level
        The unit level: "admin1" or "admin2".
    period
        The period of the rows: "year", "quarter" or "month".
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    AggregateChanges
        Unit-months at two points compared: **new** (held at the end only, after the last month held at the start for
        its country), **backfilled** (the same, on or before it), **revised** (held at both with other figures:
        counted once per unit-month, with the net change of events and fatalities), **deleted** (held at the start
        only). `new`, `backfilled` and `deleted` count the events of those unit-months, so that in every row
        ``events_after − events_before = new + backfilled − deleted + events_revised_delta``.
    """
    from .filters import period_labels

    key = ["country_iso3", "month", "unit_id"]
    pair = before.merge(after, on=key, how="outer", suffixes=("_a", "_b"), indicator=True)
    for name in [c for c in TABLE_UNIT_COLUMNS if c != "country_iso3"]:
        pair[name] = pair[f"{name}_b"].where(pair["_merge"] != "left_only", pair[f"{name}_a"])
    last_before = before.groupby("country_iso3")["month"].max().to_dict() if len(before) else {}
    cutoff = pair["country_iso3"].map(last_before).fillna("")
    only_after = (pair["_merge"] == "right_only").to_numpy()
    only_before = (pair["_merge"] == "left_only").to_numpy()
    both = (pair["_merge"] == "both").to_numpy()
    ev_a = pd.to_numeric(pair["events_a"]).fillna(0).astype("int64").to_numpy()
    ev_b = pd.to_numeric(pair["events_b"]).fillna(0).astype("int64").to_numpy()
    fa_a = pd.to_numeric(pair["fatalities_a"]).fillna(0).astype("int64").to_numpy()
    fa_b = pd.to_numeric(pair["fatalities_b"]).fillna(0).astype("int64").to_numpy()
    differs = both & ((ev_a != ev_b) | (fa_a != fa_b) | (pair["fatalities_a"].isna() != pair["fatalities_b"].isna()).to_numpy())
    is_new = only_after & (pair["month"] > cutoff).to_numpy()
    is_backfill = only_after & ~is_new
    units = match_units(pair[TABLE_UNIT_COLUMNS].drop_duplicates().reset_index(drop=True), boundary_set,
                        aliases=(settings or get_settings()).name_aliases)
    placed = pair.merge(units[[*TABLE_UNIT_COLUMNS, "admin1_code", "admin2_code"]], on=TABLE_UNIT_COLUMNS, how="left")
    unit_code = placed[f"{level}_code"].fillna(UNALLOCATED_CODE).replace("", UNALLOCATED_CODE)
    frame = pd.DataFrame({
        "unit_code": unit_code.to_numpy(), "country_iso3": np.where(unit_code.isin([UNALLOCATED_CODE]), pair["country_iso3"], ""),
        "period": period_labels(pd.to_datetime(pair["month"] + "-01"), period).to_numpy(),
        "events_before": ev_a, "events_after": ev_b, "new": np.where(is_new, ev_b, 0), "backfilled": np.where(is_backfill, ev_b, 0),
        "revised": differs.astype("int64"), "deleted": np.where(only_before, ev_a, 0),
        "fatalities_before": fa_a, "fatalities_after": fa_b,
        "fatalities_revised_delta": np.where(differs, fa_b - fa_a, 0),
        "revised_fatalities": (differs & (fa_a != fa_b)).astype("int64"),
        "fatalities_new": np.where(is_new, fa_b, 0), "fatalities_backfilled": np.where(is_backfill, fa_b, 0),
        "fatalities_deleted": np.where(only_before, fa_a, 0), "events_revised_delta": np.where(differs, ev_b - ev_a, 0),
    })
    rows = frame.groupby(["period", "unit_code", "country_iso3"], as_index=False, sort=True).sum()
    for name in ("revised_date", "revised_type", "relocated", "relocated_other_unit", "moved_in", "moved_out"):
        rows[name] = 0
    rows["events_start_figure"] = rows["events_before"]
    rows["fatalities_start_figure"] = rows["fatalities_before"]
    kind = np.select([is_new, is_backfill, differs, only_before], ["new", "backfilled", "revised", "deleted"], "")
    listed = pd.DataFrame({
        "source": AGGREGATE_SOURCE, "event_id": [unit_label(u, m) for u, m in zip(pair["unit_id"], pair["month"])],
        "change": kind, "kinds": np.where(differs, "figures", ""), "event_date_before": np.where(only_after, "", pair["month"]),
        "event_date_after": np.where(only_before, "", pair["month"]),
        "unit_before": np.where(only_after, "", unit_code), "unit_after": np.where(only_before, "", unit_code),
        "fatalities_before": pd.array(np.where(only_after, pd.NA, pair["fatalities_a"]), dtype="Int64"),
        "fatalities_after": pd.array(np.where(only_before, pd.NA, pair["fatalities_b"]), dtype="Int64"),
        "event_type_before": np.where(only_after, "", pair["indicator_a"].fillna("")),
        "event_type_after": np.where(only_before, "", pair["indicator_b"].fillna("")),
    }).loc[kind != ""]
    revised = _revised_rows(placed.loc[differs], unit_code[differs])
    totals = {
        "new": int(rows["new"].sum()), "backfilled": int(rows["backfilled"].sum()), "revised": int(rows["revised"].sum()),
        "revised_fatalities": int(rows["revised_fatalities"].sum()), "revised_date": 0, "revised_type": 0, "relocated": 0,
        "deleted": int(rows["deleted"].sum()), "fatalities_revised_delta": int(rows["fatalities_revised_delta"].sum()),
        "relocated_other_unit": 0, "moved": 0, "events_before": int(ev_a.sum()), "events_after": int(ev_b.sum()),
        "fatalities_before": int(fa_a.sum()), "fatalities_after": int(fa_b.sum()), "fatalities_new": int(rows["fatalities_new"].sum()),
        "fatalities_backfilled": int(rows["fatalities_backfilled"].sum()), "fatalities_deleted": int(rows["fatalities_deleted"].sum()),
        "events_revised_delta": int(rows["events_revised_delta"].sum()),
    }
    cut = max(last_before.values()) if last_before else None
    return AggregateChanges(rows=rows, totals=totals, last_month_before=cut, revised=revised, listed=listed.reset_index(drop=True))


def _revised_rows(pair: pd.DataFrame, unit_code: pd.Series) -> pd.DataFrame:
    """One row per revised unit-month and changed figure: before → after (the Changes view's list)."""
    parts = []
    for name in ("events", "fatalities"):
        before, after = pair[f"{name}_a"], pair[f"{name}_b"]
        differ = ~((before.astype(object) == after.astype(object)) | (before.isna() & after.isna())).to_numpy()
        if not differ.any():
            continue
        parts.append(pd.DataFrame({
            "event_id": [unit_label(u, m) for u, m in zip(pair["unit_id"][differ], pair["month"][differ])],
            "event_date": pd.to_datetime(pair["month"][differ] + "-01").to_numpy(),
            "unit_before": unit_code[differ].to_numpy(), "unit_after": unit_code[differ].to_numpy(), "field": name,
            "before": [_text(v) for v in before[differ]], "after": [_text(v) for v in after[differ]],
            "_size": (pd.to_numeric(after[differ]).fillna(0) - pd.to_numeric(before[differ]).fillna(0)).abs().to_numpy(),
        }))
    if not parts:
        return pd.DataFrame(columns=["event_id", "event_date", "unit_before", "unit_after", "field", "before", "after"])
    out = pd.concat(parts, ignore_index=True).sort_values(["_size", "event_id"], ascending=[False, True], kind="stable")
    return out.drop(columns="_size").reset_index(drop=True)


def check_source(source: str | None) -> None:
    """Refuse, in one sentence, a view of single events for the aggregate source.

    Parameters
    ----------
    source
        The source dataset.
    """
    if source == AGGREGATE_SOURCE:
        raise AtlasError("ACLED's aggregates (acled-hdx) count events per unit and month: they have no single events")
