"""What the Data page shows, as plain functions (no Streamlit): the batch history table, which batch the
rollback selector offers first, what the page says about a file of unknown layout, the pipeline's notes, warnings and
rejection reasons in the page's language, and why Commit is disabled when nothing would be written."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
from babel.dates import format_datetime

from geo.figures.language import current_locale
from geo.figures.style import category, format_count, has_word, word
from geo.messages import Listed, Segment, parse
from geo.readers import suggest_mapping
from geo.readers.generic import REQUIRED
from geo.store import BatchCounts

#: The history table's columns, in order: what a batch did first, the file's hash last.
HISTORY_COLUMNS = [
    "batch_id", "kind", "status", "rows_read", "new", "updated", "duplicates", "rejected", "outside_area", "deleted",
    "file_names", "format", "created", "user", "rolled_back", "rolled_back_by", "sha256",
]


def timezone(name: str | None) -> ZoneInfo | None:
    """The reader's time zone (the browser's, from `st.context.timezone`); None for the server's own."""
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def local_times(stamps: pd.Series, tz: ZoneInfo | None = None) -> pd.Series:
    """Stored UTC times (ISO text) as readable local times, e.g. "30 Nov 2026, 12:05" ("30 nov. 2026, 12:05"); "" where none."""
    parsed = pd.to_datetime(stamps, utc=True, errors="coerce", format="ISO8601")
    local = parsed.dt.tz_convert(tz or datetime.now().astimezone().tzinfo)
    pattern = word("format.datetime")
    return pd.Series([format_datetime(t.to_pydatetime(), pattern, locale=current_locale()) if pd.notna(t) else "" for t in local],
                     index=stamps.index, dtype=object)


def zone_label(tz: ZoneInfo | None = None) -> str:
    """The name of the zone times are shown in ("Africa/Bamako", or the server's "UTC+01:00")."""
    if tz is not None:
        return str(tz)
    return datetime.now().astimezone().strftime("UTC%z").replace("UTC+0000", "UTC")


def history_table(batches: pd.DataFrame, tz: ZoneInfo | None = None) -> pd.DataFrame:
    """The batches, newest first: counts first, local readable times, the sha256 last."""
    table = batches.assign(
        created=local_times(batches["created_at"], tz),
        rolled_back=local_times(batches["rolled_back_at"], tz),
        rolled_back_by=batches["rolled_back_by"].fillna(""),
        status=batches["status"].map(status_word),
        kind=batches["kind"].map(lambda k: word(f"data.kind.{k}") if has_word(f"data.kind.{k}") else k),
    )
    return table.sort_values("batch_id", ascending=False)[HISTORY_COLUMNS].reset_index(drop=True)


def default_batch(batches: pd.DataFrame) -> int | None:
    """The batch the rollback selector shows first: the newest committed one (else the newest)."""
    if batches.empty:
        return None
    committed = batches.loc[batches["status"] == "committed", "batch_id"]
    return int(committed.max() if len(committed) else batches["batch_id"].max())


#: The counts of the check's table, per file.
SUMMARY_COUNTS = ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area")


def files_summary(files: list) -> pd.DataFrame:
    """
    The check's table: one row per file (`geo.ingest.FileSummary`) with its format, layout (only when a file has one),
    encoding, delimiter (in the page's language) and its counts.
    """
    table = pd.DataFrame([
        {"file": f.file, "format": f.format.upper(), "layout": in_page_language(f.layout) if f.layout else "",
         "encoding": f.encoding, "delimiter": in_page_language(f.delimiter),
         **{k: getattr(f.counts, k) for k in SUMMARY_COUNTS}}
        for f in files
    ])
    return table if table["layout"].any() else table.drop(columns="layout")


def rejected_rows(rejected: pd.DataFrame, n: int = 500) -> pd.DataFrame:
    """The first `n` rejected rows (`geo.ingest.rejections_frame`), their reasons in the page's language."""
    shown = rejected.head(n)
    return shown.assign(reason=shown["reason"].map(in_page_language))


def changes_shown(changes: pd.DataFrame, columns: list[str], n: int = 2000) -> pd.DataFrame:
    """The first `n` changed fields, the kind of each change in the page's language."""
    shown = changes[columns].head(n)
    return shown.assign(kind=shown["kind"].map(in_page_language))


#: The columns of a file's first rows as read, and the words of their headers.
PREVIEW_COLUMNS = {
    "event_id": "data.col.event_id", "event_date": "col.date", "event_type": "col.event_type", "actor1": "col.actor1",
    "actor2": "col.actor2", "country": "col.country", "admin1_declared": "data.col.admin1_declared",
    "location": "col.location", "latitude": "data.col.latitude", "longitude": "data.col.longitude",
    "fatalities": "col.fatalities", "notes": "col.notes",
}


def preview_rows(events: pd.DataFrame, n: int = 10) -> tuple[pd.DataFrame, dict[str, str]]:
    """A file's first `n` rows as read (dates as days, event types in the page's language) and their headers."""
    rows = events[list(PREVIEW_COLUMNS)].head(n)
    rows = rows.assign(event_date=rows["event_date"].dt.strftime("%Y-%m-%d"), event_type=rows["event_type"].map(category))
    return rows, {column: word(key) for column, key in PREVIEW_COLUMNS.items()}


def batch_to_show(batches: pd.DataFrame, *, rolled_back: int | None = None) -> int | None:
    """
    The batch the rollback selector shows after the history changed: the batch just rolled back, if any (so that the
    selector does not move on to another batch with its confirmation ready under the success message), else the
    newest committed one.
    """
    if rolled_back is not None and (batches["batch_id"] == rolled_back).any():
        return int(rolled_back)
    return default_batch(batches)


def in_page_language(text: str) -> str:
    """
    A sentence of the pipeline (a rejection reason, a reading note, a vintage warning, the kind of a change) in the
    page's language, its counts written in the page's format; a piece that is none of `geo.messages`' templates is
    shown as it is.
    """
    return word("msg.join").join(_said(segment) for segment in parse(str(text)))


def _said(segment: Segment) -> str:
    if segment.key is None:
        return segment.text
    return word(f"msg.{segment.key}", **{name: _value(value) for name, value in segment.values.items()})


def _value(value: object) -> str:
    if isinstance(value, int):
        return format_count(value)
    if isinstance(value, Segment):
        return _said(value)
    if isinstance(value, Listed):
        separator = word("msg.join") if value.separator == "; " else value.separator
        return separator.join(_said(item) for item in value.items)
    if isinstance(value, list):  # a nested message
        return word("msg.join").join(_said(item) for item in value)
    return str(value)


def nothing_to_commit(counts: BatchCounts) -> str | None:
    """Why Commit would write nothing (every row rejected, or already in the store), in words; None when it would write."""
    if counts.new + counts.updated + counts.outside_area:
        return None
    if counts.rows_read == 0:
        return word("data.nothing_to_commit.empty")
    rows = format_count(counts.rows_read)
    if counts.rejected == counts.rows_read:
        return word("data.nothing_to_commit.rejected", rows=rows)
    if counts.duplicates == counts.rows_read:
        why = word("data.nothing_to_commit.duplicates", rows=rows)
    else:
        why = word("data.nothing_to_commit.mixed", rows=rows, duplicates=format_count(counts.duplicates),
                   rejected=format_count(counts.rejected))
    return f"{why} {older_vintage_text(counts)}".strip()


def older_vintage_text(counts: BatchCounts) -> str:
    """"12 of the duplicates are older revisions of stored events: ..." ("" when there are none)."""
    return word("data.older_vintage", n=format_count(counts.older_vintage)) if counts.older_vintage else ""


def batch_label(batches: pd.DataFrame, batch_id: int, tz: ZoneInfo | None = None) -> str:
    """"Batch 3 · week.csv · committed 30 Nov 2026, 12:05" (the selector's text for a batch)."""
    row = batches.loc[batches["batch_id"] == batch_id].iloc[0]
    when = local_times(pd.Series([row["created_at"]]), tz).iloc[0]
    return word("data.batch_label", batch=int(batch_id), files=row["file_names"], status=status_word(row["status"]), when=when)


def status_word(status: str) -> str:
    """A batch's status for readers ("committed", "rolled back")."""
    return word(f"data.status.{status}") if has_word(f"data.status.{status}") else str(status)


def unknown_layout_text(file: str, header: list[str]) -> str:
    """
    What the page says about a file whose columns match no known format: what was recognised, what is
    still needed, and where to choose it (the mapping editor below), without command-line flags.
    """
    recognised = suggest_mapping(header).columns
    found = ", ".join(f"{field} ← “{column}”" for field, column in recognised.items())
    missing = [field for field in REQUIRED if field not in recognised]
    parts = [word("data.unknown.head", file=file)]
    parts.append(word("data.unknown.found", found=found) if found else word("data.unknown.none"))
    if missing:
        parts.append(word("data.unknown.missing", missing=", ".join(missing)))
    parts.append(word("data.unknown.editor", button=word("data.use_mapping")))
    return " ".join(parts)
