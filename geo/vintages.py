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
  revision but an edit of the file.

And, for every updated row, which fields change (before → after): `changed_fields`.
Everything here is pure (frames in, warnings and frames out); `geo.ingest` reads the store for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from .schema import CONTENT_COLUMNS, EVENT_COLUMNS, KEY_COLUMNS

#: Columns of the `changed_fields` table.
CHANGE_COLUMNS = ["source_dataset", "event_id", "file", "line", "field", "before", "after", "kind"]
REVISION = "ACLED revision (newer timestamp)"
HAND_EDIT = "hand edit (same timestamp)"
NO_TIMESTAMP = "no timestamp to tell"
#: Columns of the coverage a batch records (and of `later` in `vintage_warnings`).
COVERAGE_COLUMNS = ["batch_id", "source_dataset", "country_iso3", "first_date", "last_date", "newest_timestamp"]
_LISTED = 100  # event ids listed per warning


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
        return "no timestamp"
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
) -> list[VintageWarning]:
    """The warnings of a batch against the store's vintage.

    Parameters
    ----------
    events
        The batch's accepted rows (canonical, with `_file`).
    classes
        Their buckets (`geo.ingest.classify_rows`): `write_kind` and `older_revision`.
    existing
        Stored keys with `stored_timestamp` (Int64) of the batch's sources (`Store.existing_keys`).
    deleted
        Events removed by deletion batches in force: source_dataset, event_id, deleted_by.
    later
        Coverage of committed batches (`COVERAGE_COLUMNS`, plus `file_names`).
    changes
        `changed_fields` of the batch (for the hand edits).

    Returns
    -------
    list[VintageWarning]
        The warnings of a batch against the store's vintage.
    """
    warnings: list[VintageWarning] = []
    timestamps = events["revision_timestamp"].astype("Int64")
    new = (classes["write_kind"] == "new").to_numpy()
    for source in sorted(events["source_dataset"].unique()):
        mine = (events["source_dataset"] == source).to_numpy()
        incoming = timestamps[mine].max()
        stored = existing.loc[existing["source_dataset"] == source, "stored_timestamp"].astype("Int64").max()
        if pd.isna(incoming) or pd.isna(stored) or incoming >= stored:
            continue
        rows = events.loc[mine]
        older = int(classes["older_revision"].to_numpy()[mine].sum())
        counts = {"rows": int(mine.sum()), "older_revisions": older, "new": int(new[mine].sum()),
                  "updated": int((classes["write_kind"].to_numpy()[mine] == "updated").sum())}
        if older + counts["new"] == 0:
            continue  # e.g. a few hand-edited rows of the stored vintage: nothing older is offered
        warnings.append(VintageWarning(
            kind="older_vintage", source=source, count=counts["rows"], counts=counts,
            message=(
                f"{_files(rows)} is older than what the store holds: its newest {source.upper()} timestamp is "
                f"{timestamp_text(incoming)}, the store's is {timestamp_text(stored)}. Of its {counts['rows']:,} rows: "
                f"{older:,} older revision(s) of stored events (the stored versions are kept; counted as duplicates) "
                f"and {counts['new']:,} event(s) the store does not hold, which would be added as new."
            ),
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
                message=(
                    f"{int(restored.sum()):,} row(s) of {_files(rows)} bring back events that deletion batch(es) "
                    f"{', '.join(map(str, batches))} removed; committing stores them again. Roll the deletion batch "
                    "back instead if they should return, or leave these rows out."
                ),
            ))

    dropped = np.zeros(len(events), dtype=bool)
    covering: set[int] = set()
    candidates = new & ~restored & timestamps.notna().to_numpy()
    if candidates.any() and len(later):
        dates = events["event_date"].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        for cover in later.dropna(subset=["newest_timestamp", "first_date", "last_date"]).itertuples(index=False):
            hit = (
                candidates & (events["source_dataset"].to_numpy() == cover.source_dataset)
                & (events["country_iso3"].to_numpy() == cover.country_iso3)
                & (dates >= cover.first_date) & (dates <= cover.last_date)
                & (timestamps < int(cover.newest_timestamp)).fillna(False).to_numpy(dtype=bool)
            )
            if hit.any():
                dropped |= hit
                covering.add(int(cover.batch_id))
    if dropped.any():
        rows = events.loc[dropped]
        described = later[later["batch_id"].isin(covering)].drop_duplicates("batch_id")
        names = "; ".join(f"batch {int(b.batch_id)} ({b.file_names})" for b in described.itertuples(index=False))
        warnings.append(VintageWarning(
            kind="restores_dropped", source="+".join(sorted(rows["source_dataset"].unique())), count=int(dropped.sum()),
            event_ids=_ids(rows), batches=sorted(covering),
            message=(
                f"{int(dropped.sum()):,} row(s) of {_files(rows)} are events a later vintage left out: {names} covered "
                "their country and dates with data published after these rows, without them (ACLED had probably "
                "deleted them). Committing brings them back as new events."
            ),
        ))

    if changes is not None and len(changes):
        edits = changes.loc[changes["kind"] == HAND_EDIT].drop_duplicates(KEY_COLUMNS)
        if len(edits):
            warnings.append(VintageWarning(
                kind="hand_edits", source="+".join(sorted(edits["source_dataset"].unique())), count=len(edits),
                event_ids=edits["event_id"].astype(str).head(_LISTED).tolist(),
                message=(
                    f"{len(edits):,} updated row(s) keep the ACLED timestamp of the stored version: hand edits of the "
                    "file, not ACLED revisions (see the changed fields)."
                ),
            ))
    return warnings


def changed_fields(updated: pd.DataFrame, stored: pd.DataFrame) -> pd.DataFrame:
    """
    The fields each updated row changes: one row per event and field, with the value before and after.

    Parameters
    ----------
    updated
        The incoming rows counted as updated (canonical, with `_file` and `_line`).
    stored
        The stored versions they replace (canonical).

    Returns
    -------
    A table with `CHANGE_COLUMNS`; `kind` says whether the change is an ACLED revision (newer timestamp),
    a hand edit (same timestamp) or cannot be told (no timestamp).
    """
    if updated.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    fields = [c for c in CONTENT_COLUMNS if c not in KEY_COLUMNS]
    pair = updated[KEY_COLUMNS + fields + ["_file", "_line"]].merge(
        stored[KEY_COLUMNS + fields], on=KEY_COLUMNS, how="inner", suffixes=("", "__stored"), validate="one_to_one",
    )
    incoming_ts, stored_ts = pair["revision_timestamp"].astype("Int64"), pair["revision_timestamp__stored"].astype("Int64")
    kind = np.where(
        (incoming_ts == stored_ts).fillna(False).to_numpy(dtype=bool), HAND_EDIT,
        np.where((incoming_ts > stored_ts).fillna(False).to_numpy(dtype=bool), REVISION, NO_TIMESTAMP),
    )
    parts = []
    for name in fields:
        after, before = pair[name], pair[f"{name}__stored"]
        same = (after == before).fillna(False).to_numpy(dtype=bool) | (after.isna() & before.isna()).to_numpy()
        if same.all():
            continue
        differ = ~same
        parts.append(pd.DataFrame({
            "source_dataset": pair["source_dataset"].to_numpy()[differ], "event_id": pair["event_id"].to_numpy()[differ],
            "file": pair["_file"].to_numpy()[differ], "line": pair["_line"].to_numpy()[differ], "field": name,
            "before": value_text(name, before[differ]), "after": value_text(name, after[differ]), "kind": kind[differ],
        }))
    if not parts:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    order = {name: i for i, name in enumerate(fields)}
    table = pd.concat(parts, ignore_index=True)
    table = table.assign(_order=table["field"].map(order)).sort_values(["file", "line", "_order"], kind="stable")
    return table.drop(columns="_order").reset_index(drop=True)[CHANGE_COLUMNS]


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
