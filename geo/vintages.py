"""What a batch would do to the vintage the store holds, said before it is committed.

An analyst loading ACLED exports one after the other needs to know when a file works against the store:

- **older_vintage**: the upload is older than what the store holds for its source (its newest ACLED
  `timestamp` is below the stored newest one) and offers older revisions of stored events or events the
  store does not hold;
- **restores_deleted**: rows that bring back events a deletion batch (still in force) removed;
- **restores_dropped**: rows that bring back events a later vintage left out: a committed batch covered
  their country and dates with ACLED data published after these rows, yet did not have them (ACLED
  deletes events between exports);
- **hand_edits**: updated rows whose ACLED `timestamp` is the one stored, so the change is not an ACLED
  revision but an edit of the file;
- **vintage_unknown**: rows that change stored events while which of the two versions is newer cannot be told.

How a row is compared with the stored version of its event (`compare_with_stored`):

- **Only the columns both have.** A column the file does not have (an API pull without `assoc_actor_1` or
  `timestamp`) is not a change: the stored value stays, and `changes` never lists it; nor is a column the
  stored version's batch did not have, where the stored value is empty (or was derived in its stead, as
  `civilian_targeting` before 2023). A row equal on the other columns is a duplicate.
- **Vintages.** ACLED and UCDP are published in vintages. A row's vintage is its `timestamp`; without one, its
  file's: the newest `timestamp` of the file, else its newest event date. A stored event's vintage is its
  `timestamp`; without one, its batch's (recorded per batch, `batch_vintages`). A row older than the stored
  version is an older revision: the stored version is kept (a duplicate, counted in `older_vintage`). Two
  timestamps are compared to the second; where a side has only an event date, by the day; the same day, or a
  stored batch of unknown vintage, cannot be told either way (warned with the count: `vintage_unknown`).
  Generic files are not versioned: their rows are not ordered.

And, for every updated row, which fields change (before → after).
Everything here is pure (frames in, warnings and frames out); `geo.ingest` reads the store for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from .messages import MESSAGES, say
from .schema import CANONICAL_COLUMNS, CONTENT_COLUMNS, EVENT_COLUMNS, KEY_COLUMNS, content_hash

#: Columns of the `changed_fields` table.
CHANGE_COLUMNS = ["source_dataset", "event_id", "file", "line", "field", "before", "after", "kind"]
REVISION = MESSAGES["value.revision"]
HAND_EDIT = MESSAGES["value.hand_edit"]
NO_TIMESTAMP = MESSAGES["value.no_timestamp_to_tell"]
#: Columns of the coverage a batch records (and of `later` in `vintage_warnings`).
COVERAGE_COLUMNS = ["batch_id", "source_dataset", "country_iso3", "first_date", "last_date", "newest_timestamp"]
_LISTED = 100  # event ids listed per warning
#: Sources published in vintages: their rows are ordered by vintage (a generic file's are not).
VERSIONED_SOURCES = ("acled", "ucdp")
DAY = 86_400
#: Canonical columns a file may lack (the readers' optional columns; see `geo.readers`).
ABSENT_CANDIDATES = [
    "time_precision", "sub_event_type", "disorder_type", "actor1", "assoc_actor_1", "actor1_type", "actor2",
    "assoc_actor_2", "actor2_type", "admin1_declared", "admin2_declared", "admin3_declared", "location",
    "geo_precision", "fatalities_low", "fatalities_high", "notes", "source_text", "revision_timestamp",
]
#: Columns the readers derive when their source column is absent: a stored value there came from no column.
_DERIVED_WHEN_ABSENT = {"civilian_targeting", "max_admin_level", "event_type", "fatalities", "country", "country_iso3"}


@dataclass
class VintageWarning:
    """Something a batch would do against the store's vintage, with its counts."""

    kind: str
    source: str
    count: int
    message: str
    event_ids: list[str] = field(default_factory=list)
    batches: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """The warning as plain values (for `--json`).

        Returns
        -------
        dict
            kind, count, message and examples.
        """
        return {"kind": self.kind, "source": self.source, "count": self.count, "message": self.message,
                "event_ids": self.event_ids, "batches": self.batches, "counts": self.counts}


def timestamp_text(value: object) -> str:
    """An ACLED `timestamp` (seconds since 1970, UTC) as a readable UTC time.

    Parameters
    ----------
    value
        An ACLED `timestamp`.

    Returns
    -------
    str
        An ACLED `timestamp` (seconds since 1970, UTC) as a readable UTC time.
    """
    if value is None or pd.isna(value):
        return say("value.no_timestamp")
    return datetime.fromtimestamp(int(value), UTC).strftime("%Y-%m-%d %H:%M UTC")


def coverage(events: pd.DataFrame) -> list[dict]:
    """What a batch covers, per source and country: rows, first and last event date, newest ACLED timestamp.

    Recorded with each committed batch, so that a later upload can be checked against it.

    Parameters
    ----------
    events
        Canonical events of a batch.

    Returns
    -------
    list[dict]
        What a batch covers, per source and country: rows, first and last event date, newest ACLED timestamp.
    """
    if events.empty:
        return []
    grouped = events.groupby(["source_dataset", "country_iso3"], sort=True)
    table = grouped.agg(rows=("event_id", "size"), first_date=("event_date", "min"), last_date=("event_date", "max"),
                        newest_timestamp=("revision_timestamp", "max")).reset_index()
    return [
        {"source_dataset": str(r.source_dataset), "country_iso3": str(r.country_iso3), "rows": int(r.rows),
         "first_date": _day(r.first_date), "last_date": _day(r.last_date),
         "newest_timestamp": None if pd.isna(r.newest_timestamp) else int(r.newest_timestamp)}
        for r in table.itertuples(index=False)
    ]


def _day(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _ids(frame: pd.DataFrame) -> list[str]:
    return frame["event_id"].astype(str).head(_LISTED).tolist()


def _files(frame: pd.DataFrame) -> str:
    return ", ".join(dict.fromkeys(frame["_file"].astype(str)))


def vintage_warnings(
    events: pd.DataFrame,
    classes: pd.DataFrame,
    existing: pd.DataFrame,
    deleted: pd.DataFrame,
    later: pd.DataFrame,
    changes: pd.DataFrame | None = None,
    recorded: pd.DataFrame | None = None,
) -> list[VintageWarning]:
    """The warnings of a batch against the store's vintage.

    Parameters
    ----------
    events
        The batch's accepted rows (canonical, with `_file`).
    classes
        Their buckets (`geo.ingest.classify_rows`): `write_kind`, `older_revision` and `undecided`.
    existing
        Stored keys with `stored_timestamp` (Int64) of the batch's sources (`Store.existing_keys`).
    deleted
        Events removed by deletion batches in force: source_dataset, event_id, deleted_by.
    later
        Coverage of committed batches (`COVERAGE_COLUMNS`, plus `file_names`).
    changes
        The changed fields of the batch's updated rows (`changed_fields`, for the hand edits).
    recorded
        `Store.batch_vintages` of the batch's sources (the vintages of batches without timestamps).

    Returns
    -------
    list[VintageWarning]
        The warnings of a batch against the store's vintage.
    """
    warnings: list[VintageWarning] = []
    recorded = recorded if recorded is not None else pd.DataFrame(columns=["batch_id", "source_dataset", "vintage", "vintage_from"])
    timestamps = events["revision_timestamp"].astype("Int64")
    new = (classes["write_kind"] == "new").to_numpy()
    kinds = classes["write_kind"].to_numpy()
    for source in sorted(events["source_dataset"].unique()):
        mine = (events["source_dataset"] == source).to_numpy()
        rows = events.loc[mine]
        incoming = _vintage(rows)
        stored = _store_vintage(existing, recorded, source)
        if incoming[0] is None or stored[0] is None or not _before(incoming, stored):
            continue
        older = int(classes["older_revision"].to_numpy()[mine].sum())
        counts = {"rows": int(mine.sum()), "older_revisions": older, "new": int(new[mine].sum()),
                  "updated": int((kinds[mine] == "updated").sum())}
        if older + counts["new"] == 0:
            continue  # e.g. a few hand-edited rows of the stored vintage: nothing older is offered
        warnings.append(VintageWarning(
            kind="older_vintage", source=source, count=counts["rows"], counts=counts,
            message=say(
                "warn.older_vintage", files=_files(rows), source=source.upper(), incoming=vintage_text(*incoming),
                stored=vintage_text(*stored), rows=counts["rows"], older=older, new=counts["new"],
            ),
        ))
    undecided = classes["undecided"].to_numpy(dtype=bool) & (kinds == "updated") if "undecided" in classes else np.zeros(len(events), bool)
    if undecided.any():
        rows = events.loc[undecided]
        warnings.append(VintageWarning(
            kind="vintage_unknown", source="+".join(sorted(rows["source_dataset"].unique())), count=int(undecided.sum()),
            event_ids=_ids(rows),
            message=say("warn.vintage_unknown", n=int(undecided.sum()), files=_files(rows)),
        ))

    keys = events[KEY_COLUMNS]
    restored = np.zeros(len(events), dtype=bool)
    if new.any() and len(deleted):
        hits = keys[new].reset_index().merge(deleted, on=KEY_COLUMNS, how="inner")
        if len(hits):
            restored[events.index.get_indexer(hits["index"])] = True
            rows = events.loc[restored]
            batches = sorted({int(b) for b in hits["deleted_by"].dropna()})
            warnings.append(VintageWarning(
                kind="restores_deleted", source="+".join(sorted(rows["source_dataset"].unique())), count=int(restored.sum()),
                event_ids=_ids(rows), batches=batches,
                message=say("warn.restores_deleted", n=int(restored.sum()), files=_files(rows),
                            batches=", ".join(map(str, batches))),
            ))

    dropped = np.zeros(len(events), dtype=bool)
    covering: set[int] = set()
    candidates = new & ~restored & timestamps.notna().to_numpy()
    if candidates.any() and len(later):
        dates = events["event_date"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        later = _with_batch_vintages(later, recorded)
        for cover in later.dropna(subset=["newest_timestamp", "first_date", "last_date"]).itertuples(index=False):
            if cover.vintage_from == "event_date":  # a batch without timestamps: published after its newest event's day
                published_after = (timestamps // DAY < int(cover.newest_timestamp) // DAY)
            else:
                published_after = timestamps < int(cover.newest_timestamp)
            hit = (
                candidates & (events["source_dataset"].to_numpy() == cover.source_dataset)
                & (events["country_iso3"].to_numpy() == cover.country_iso3)
                & (dates >= cover.first_date) & (dates <= cover.last_date)
                & published_after.fillna(False).to_numpy(dtype=bool)
            )
            if hit.any():
                dropped |= hit
                covering.add(int(cover.batch_id))
    if dropped.any():
        rows = events.loc[dropped]
        described = later[later["batch_id"].isin(covering)].drop_duplicates("batch_id")
        names = "; ".join(say("value.batch_files", batch=int(b.batch_id), files=b.file_names)
                          for b in described.itertuples(index=False))
        warnings.append(VintageWarning(
            kind="restores_dropped", source="+".join(sorted(rows["source_dataset"].unique())), count=int(dropped.sum()),
            event_ids=_ids(rows), batches=sorted(covering),
            message=say("warn.restores_dropped", n=int(dropped.sum()), files=_files(rows), names=names),
        ))

    if changes is not None and len(changes):
        edits = changes.loc[changes["kind"] == HAND_EDIT].drop_duplicates(KEY_COLUMNS)
        if len(edits):
            warnings.append(VintageWarning(
                kind="hand_edits", source="+".join(sorted(edits["source_dataset"].unique())), count=len(edits),
                event_ids=edits["event_id"].astype(str).head(_LISTED).tolist(),
                message=say("warn.hand_edits", n=len(edits)),
            ))
    return warnings


def _with_batch_vintages(later: pd.DataFrame, recorded: pd.DataFrame) -> pd.DataFrame:
    """Coverage rows of batches without timestamps take their batch's vintage (`vintage_from` says which)."""
    out = later.assign(vintage_from="timestamp")
    if recorded.empty or not out["newest_timestamp"].isna().any():
        return out
    vintages = recorded[["batch_id", "source_dataset", "vintage", "vintage_from"]].astype({"batch_id": "int64"})
    out = out.astype({"batch_id": "int64"}).merge(vintages, on=["batch_id", "source_dataset"], how="left", suffixes=("", "_batch"))
    missing = out["newest_timestamp"].isna() & out["vintage"].notna()
    out["newest_timestamp"] = out["newest_timestamp"].astype("Int64").where(~missing, out["vintage"].astype("Int64"))
    out["vintage_from"] = out["vintage_from"].where(~missing, out["vintage_from_batch"])
    return out.drop(columns=["vintage", "vintage_from_batch"])


def _store_vintage(existing: pd.DataFrame, recorded: pd.DataFrame, source: str) -> tuple[int | None, str | None]:
    """The newest vintage the store holds for a source: of its events' timestamps and its batches' vintages."""
    best: tuple[int | None, str | None] = (None, None)
    stamp = existing.loc[existing["source_dataset"] == source, "stored_timestamp"].astype("Int64").max()
    if pd.notna(stamp):
        best = (int(stamp), "timestamp")
    mine = recorded[(recorded["source_dataset"] == source) & recorded["vintage"].notna()]
    for value, origin in zip(mine["vintage"], mine["vintage_from"]):
        if best[0] is None or _before(best, (int(value), origin)):
            best = (int(value), origin)
    return best


def _before(a: tuple[int | None, str | None], b: tuple[int | None, str | None]) -> bool:
    """Whether vintage `a` is older than `b`: to the second between two timestamps, else by the day."""
    if a[0] is None or b[0] is None:
        return False
    if a[1] == "timestamp" and b[1] == "timestamp":
        return a[0] < b[0]
    return a[0] // DAY < b[0] // DAY


def day_seconds(value: object) -> int | None:
    """A day (a date, or ISO text) as seconds since 1970 at its midnight UTC.

    Parameters
    ----------
    value
        A date, ISO text, or None.

    Returns
    -------
    int | None
        Seconds since 1970 UTC at the day's midnight; None for none.
    """
    if value is None or pd.isna(value):
        return None
    return int(pd.Timestamp(value).normalize().value // 1_000_000_000)


def vintage_text(value: object, source: object) -> str:
    """A vintage as an analyst reads it: a timestamp as a UTC time, an event date as its day.

    Parameters
    ----------
    value
        The vintage, seconds since 1970 UTC (or None: unknown).
    source
        What it was taken from: "timestamp" or "event_date".

    Returns
    -------
    str
        The vintage in words.
    """
    if value is None or pd.isna(value):
        return say("value.unknown")
    if source == "timestamp":
        return timestamp_text(value)
    return say("value.newest_event", date=datetime.fromtimestamp(int(value), UTC).strftime("%Y-%m-%d"))


def _vintage(rows: pd.DataFrame) -> tuple[int | None, str | None]:
    stamp = rows["revision_timestamp"].max()
    if pd.notna(stamp):
        return int(stamp), "timestamp"
    day = day_seconds(rows["event_date"].max())
    return (day, "event_date") if day is not None else (None, None)


def file_vintages(events: pd.DataFrame) -> pd.DataFrame:
    """The vintage of each file of a batch, per source: its newest `timestamp`, else its newest event date.

    Parameters
    ----------
    events
        The batch's rows (canonical, with `_file`).

    Returns
    -------
    pd.DataFrame
        `_file, source_dataset, vintage` (Int64, seconds since 1970 UTC), `vintage_from` ("timestamp" or
        "event_date").
    """
    rows = []
    if len(events):
        for (file, source), part in events.groupby(["_file", "source_dataset"], sort=False):
            value, origin = _vintage(part)
            rows.append({"_file": file, "source_dataset": source, "vintage": value, "vintage_from": origin})
    frame = pd.DataFrame(rows, columns=["_file", "source_dataset", "vintage", "vintage_from"])
    frame["vintage"] = pd.array([None if pd.isna(v) else int(v) for v in frame["vintage"]], dtype="Int64")
    return frame


def batch_vintages(events: pd.DataFrame, absent: dict[str, list[str]]) -> list[dict]:
    """What a batch records per source (`Store.record_batch_vintages`).

    Its vintage (the newest `timestamp` of its rows, else their newest event date) and the canonical columns none of
    its files of that source had.

    Parameters
    ----------
    events
        The batch's accepted rows (canonical, with `_file`).
    absent
        Per file, the canonical columns it lacks (`geo.readers.ReadResult.absent`).

    Returns
    -------
    list[dict]
        One per source: `source_dataset, vintage, vintage_from, absent_columns` (comma-separated).
    """
    out = []
    for source, part in events.groupby("source_dataset", sort=True):
        value, origin = _vintage(part)
        files = list(dict.fromkeys(part["_file"]))
        lacking = set.intersection(*(set(absent.get(f, ())) for f in files)) if files else set()
        out.append({"source_dataset": str(source), "vintage": value, "vintage_from": origin,
                    "absent_columns": ",".join(c for c in CANONICAL_COLUMNS if c in lacking)})
    return out


@dataclass
class Comparison:
    """Each row of a batch against the stored version of its event (see the module's docstring)."""

    #: Per row: the store holds its event (by key).
    known: np.ndarray
    #: Per row: the stored version is equal on every column both have (same content hash, or compared).
    same: np.ndarray
    #: Per row: it differs, and is older than the stored version (an older revision: the stored one is kept).
    older: np.ndarray
    #: Per row: it differs, and which of the two versions is newer cannot be told.
    undecided: np.ndarray
    #: The fields in which each differing row differs, before → after (`CHANGE_COLUMNS`).
    changes: pd.DataFrame
    #: Differing rows of files that lack columns, with the stored values in those columns (their `timestamp`
    #: aside: a new version's publication is its batch's vintage) and their content hash made again; indexed like
    #: the batch's rows.
    filled: pd.DataFrame


def compare_with_stored(
    events: pd.DataFrame,
    absent: dict[str, list[str]],
    existing: pd.DataFrame,
    recorded: pd.DataFrame,
    fetch: Callable[[pd.DataFrame], pd.DataFrame],
) -> Comparison:
    """
    Compare each row of a batch with the stored version of its event.

    Parameters
    ----------
    events
        The batch's rows (canonical, with `_file`, `_line`, `content_hash`). A key repeated in the batch is
        compared once (its first row).
    absent
        Per file, the canonical columns it lacks.
    existing
        `Store.existing_keys` of the batch's sources (key, `stored_hash`, `stored_timestamp`, `stored_batch`).
    recorded
        `Store.batch_vintages` of those sources.
    fetch
        A function (keys frame) -> the stored versions of those events (canonical), called once at most.

    Returns
    -------
    Comparison
        Each row's comparison with its stored version.
    """
    n = len(events)
    known, same, older, undecided = (np.zeros(n, dtype=bool) for _ in range(4))
    empty = Comparison(known, same, older, undecided, pd.DataFrame(columns=CHANGE_COLUMNS + ["_row"]), _no_rows(events))
    if n == 0 or existing.empty:
        return empty
    first = ~events.duplicated(KEY_COLUMNS, keep="first").to_numpy()
    merged = events[KEY_COLUMNS + ["content_hash"]].merge(
        existing[KEY_COLUMNS + ["stored_hash", "stored_batch"]].astype({"stored_hash": "Int64"}),
        on=KEY_COLUMNS, how="left", validate="many_to_one",
    )
    stored_hash = merged["stored_hash"]
    known[:] = stored_hash.notna().to_numpy() & first
    same[:] = known & (stored_hash == merged["content_hash"].astype("Int64")).fillna(False).to_numpy(dtype=bool)
    candidates = known & ~same
    if not candidates.any():
        return Comparison(known, same, older, undecided, empty.changes, empty.filled)

    fields = [c for c in CONTENT_COLUMNS if c not in KEY_COLUMNS]
    rows = events.loc[candidates]
    stored = fetch(rows[KEY_COLUMNS])
    # One stored version per key (the store's unique key), so a left merge keeps the candidates' order.
    pair = rows[KEY_COLUMNS + fields + ["_file", "_line"]].reset_index().merge(
        stored[KEY_COLUMNS + fields], on=KEY_COLUMNS, how="left", suffixes=("", "__stored"),
    )
    pair["stored_batch"] = merged["stored_batch"].to_numpy()[candidates]
    by_batch = {
        (int(b), str(src)): set(filter(None, str(cols).split(",")))
        for b, src, cols in zip(recorded["batch_id"], recorded["source_dataset"], recorded["absent_columns"])
    }
    # Masks per column, built per file and per stored batch (a handful), never per row in Python.
    pair_files = pair["_file"].to_numpy(dtype=object)
    pair_batches = pair["stored_batch"].astype("Float64").fillna(-1).to_numpy(dtype=np.int64)
    pair_sources = pair["source_dataset"].to_numpy(dtype=object)

    def file_lacks(name: str) -> np.ndarray:
        return np.isin(pair_files, [f for f, cols in absent.items() if name in cols])

    def batch_lacks(name: str) -> np.ndarray:
        out = np.zeros(len(pair), dtype=bool)
        for (batch, source), cols in by_batch.items():
            if name in cols:
                out |= (pair_batches == batch) & (pair_sources == source)
        return out

    differ = {}
    for name in fields:
        after, before = pair[name], pair[f"{name}__stored"]
        equal = (after == before).fillna(False).to_numpy(dtype=bool) | (after.isna() & before.isna()).to_numpy()
        if equal.all():
            continue
        skip = file_lacks(name)
        stored_lacks = batch_lacks(name)
        if stored_lacks.any():
            empty_before = _empty(before) | (name in _DERIVED_WHEN_ABSENT)
            skip |= stored_lacks & empty_before
        mask = ~equal & ~skip
        if mask.any():
            differ[name] = mask
    differs = np.zeros(len(pair), dtype=bool)
    for mask in differ.values():
        differs |= mask
    index = pair["index"].to_numpy()
    same[index[~differs]] = True

    # Which version is newer, for the rows that differ.
    incoming_ts = pair["revision_timestamp"].astype("Int64")
    stored_ts = pair["revision_timestamp__stored"].astype("Int64")
    files = file_vintages(events)
    file_v = pair[["_file", "source_dataset"]].merge(files, on=["_file", "source_dataset"], how="left")
    batch_v = pair[["stored_batch", "source_dataset"]].rename(columns={"stored_batch": "batch_id"}).merge(
        recorded[["batch_id", "source_dataset", "vintage", "vintage_from"]].astype({"batch_id": "Int64"}),
        on=["batch_id", "source_dataset"], how="left",
    )
    has_in, has_st = incoming_ts.notna().to_numpy(), stored_ts.notna().to_numpy()
    in_v = np.where(has_in, incoming_ts.fillna(0).to_numpy(dtype=np.int64), file_v["vintage"].fillna(-1).to_numpy(dtype=np.int64))
    in_exact = has_in | (file_v["vintage_from"].to_numpy(dtype=object) == "timestamp")
    in_known = has_in | file_v["vintage"].notna().to_numpy()
    st_v = np.where(has_st, stored_ts.fillna(0).to_numpy(dtype=np.int64), batch_v["vintage"].fillna(-1).to_numpy(dtype=np.int64))
    st_exact = has_st | (batch_v["vintage_from"].to_numpy(dtype=object) == "timestamp")
    st_known = has_st | batch_v["vintage"].notna().to_numpy()
    exact = in_exact & st_exact
    versioned = pair["source_dataset"].isin(VERSIONED_SOURCES).to_numpy()
    by_day_older = (in_v // DAY) < (st_v // DAY)
    by_day_tie = (in_v // DAY) == (st_v // DAY)
    is_older = np.where(exact, in_v < st_v, by_day_older) & in_known & st_known
    is_undecided = ~(in_known & st_known) | (~exact & by_day_tie)
    # Two timestamps alone decide, as before vintages were recorded (a generic file's rows have none).
    both = has_in & has_st
    is_older = np.where(both, (incoming_ts < stored_ts).fillna(False).to_numpy(dtype=bool), is_older & versioned)
    is_undecided = np.where(both, False, is_undecided & versioned)
    older[index[differs & is_older]] = True
    undecided[index[differs & is_undecided & ~is_older]] = True

    kind = np.where(
        (incoming_ts == stored_ts).fillna(False).to_numpy(dtype=bool), HAND_EDIT,
        np.where((incoming_ts > stored_ts).fillna(False).to_numpy(dtype=bool), REVISION, NO_TIMESTAMP),
    )
    changes = _change_table(pair, differ, kind, fields)
    filled = _filled(events, pair, differs, file_lacks, fields)
    return Comparison(known, same, older, undecided, changes, filled)


def _empty(values: pd.Series) -> np.ndarray:
    if values.dtype == bool:
        return np.zeros(len(values), dtype=bool)
    out = values.isna().to_numpy(dtype=bool)
    if values.dtype == object or pd.api.types.is_string_dtype(values):
        out = out | (values.astype(object) == "").to_numpy(dtype=bool)
    return out


def _no_rows(events: pd.DataFrame) -> pd.DataFrame:
    return events.iloc[:0][[c for c in CANONICAL_COLUMNS + ["content_hash"] if c in events]]


def _change_table(pair: pd.DataFrame, differ: dict[str, np.ndarray], kind: np.ndarray, fields: list[str]) -> pd.DataFrame:
    parts = []
    for name, mask in differ.items():
        parts.append(pd.DataFrame({
            "source_dataset": pair["source_dataset"].to_numpy()[mask], "event_id": pair["event_id"].to_numpy()[mask],
            "file": pair["_file"].to_numpy()[mask], "line": pair["_line"].to_numpy()[mask], "field": name,
            "before": value_text(name, pair[f"{name}__stored"][mask]), "after": value_text(name, pair[name][mask]),
            "kind": kind[mask], "_row": pair["index"].to_numpy()[mask],
        }))
    if not parts:
        return pd.DataFrame(columns=CHANGE_COLUMNS + ["_row"])
    order = {name: i for i, name in enumerate(fields)}
    table = pd.concat(parts, ignore_index=True)
    table = table.assign(_order=table["field"].map(order)).sort_values(["file", "line", "_order"], kind="stable")
    return table.drop(columns="_order").reset_index(drop=True)[CHANGE_COLUMNS + ["_row"]]


def _filled(events: pd.DataFrame, pair: pd.DataFrame, differs: np.ndarray, file_lacks: Callable[[str], np.ndarray],
            fields: list[str]) -> pd.DataFrame:
    """The differing rows whose file lacks columns, those columns taken from the stored version (see `Comparison`).

    `file_lacks(name)` is the mask of the pairs whose file lacks column `name`.
    """
    kept = [name for name in fields if name != "revision_timestamp"]
    masks = {name: file_lacks(name) for name in kept}
    lacking = differs & np.logical_or.reduce([*masks.values(), np.zeros(len(pair), dtype=bool)])
    if not lacking.any():
        return _no_rows(events)
    index = pair["index"].to_numpy()[lacking]
    out = events.loc[index, CANONICAL_COLUMNS].copy()
    chosen = pair.loc[lacking]
    for name in kept:
        take = masks[name][lacking]
        if take.any():
            column = out[name].copy()
            column.iloc[np.flatnonzero(take)] = chosen[f"{name}__stored"].to_numpy()[take]
            out[name] = column.astype(out[name].dtype)
    out["content_hash"] = content_hash(out)
    return out


def value_text(name: str, values: pd.Series) -> np.ndarray:
    """Values as an analyst reads them: ISO dates, numbers without a float tail, readable timestamps.

    Parameters
    ----------
    name
        The column.
    values
        Its values.

    Returns
    -------
    np.ndarray
        The values as text.
    """
    dtype = EVENT_COLUMNS[name][0]
    if name == "revision_timestamp":
        return np.array([f"{int(v)} ({timestamp_text(v)})" if pd.notna(v) else "" for v in values], dtype=object)
    if dtype == "datetime64[s]":
        return values.dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)
    if dtype == "bool":
        return np.where(values.to_numpy(dtype=bool), "yes", "no").astype(object)
    if dtype == "float64":
        return np.array(["" if pd.isna(v) else repr(float(v)) for v in values], dtype=object)
    if dtype in ("int64", "Int64"):
        return np.array(["" if pd.isna(v) else str(int(v)) for v in values], dtype=object)
    return values.astype(object).fillna("").to_numpy(dtype=object)
