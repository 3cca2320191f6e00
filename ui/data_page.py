"""What the Data page shows and does, as plain functions (no Streamlit): the upload flow (files saved, zips
expanded, each file checked, the batch previewed, committed), the column-mapping editor's choices, the deletion
lists, rollbacks, the batch history table, which batch the rollback selector offers first (and after a rollback),
what the page says about a file of unknown layout, the pipeline's notes, warnings and rejection reasons in the page's
language (`in_page_language`), and why Commit is disabled when nothing would be written.

The page only lays out widgets: every step that reads, checks or writes is here, tested without a browser. A step
that can fail says so in an :class:`Outcome` (the page's words), never with a traceback.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd
import plotly.graph_objects as go
from babel.dates import format_datetime

from geo.boundaries import BoundarySet
from geo.config import Settings
from geo.errors import AtlasError, InputError
from geo.figures import charts
from geo.figures.geometry import display_units
from geo.figures.language import current_locale
from geo.figures.style import category, format_count, has_word, preview_text, word
from geo.indicators import INDICATORS
from geo.ingest import PreparedBatch, apply_deletions, commit_batch, preview, rejections_frame, rollback_batch
from geo.messages import Listed, Segment, parse
from geo.readers import ColumnMapping, load_csv, suggest_mapping
from geo.readers.generic import MAPPABLE, REQUIRED
from geo.store import BatchCounts, Store
from geo.unit_months import PreparedTables
from geo.uploads import InputFile, PreparedFiles, Refusal, expand_files, merge, prepare_each

#: What the upload's format selector offers ("auto": recognised from the header).
FORMATS = ("auto", "acled", "ucdp", "generic", "acled-hdx", "hdx-hapi")
#: The indicator of an uploaded aggregate table: "" from its file's name (else HDX HAPI's event_type), or one named.
INDICATOR_CHOICES = ("", *INDICATORS)
#: What the preview shows of an aggregate table's unit-months.
TABLE_PREVIEW_COLUMNS = ["indicator", "country_iso3", "admin1_name", "admin2_pcode", "admin2_name", "month", "events", "fatalities"]
#: Columns of each file's first rows shown before anything is stored, and the words of their headers.
PREVIEW_COLUMNS = {
    "event_id": "data.col.event_id", "event_date": "col.date", "event_type": "col.event_type", "actor1": "col.actor1",
    "actor2": "col.actor2", "country": "col.country", "admin1_declared": "data.col.admin1_declared",
    "location": "col.location", "latitude": "data.col.latitude", "longitude": "data.col.longitude",
    "fatalities": "col.fatalities", "notes": "col.notes",
}
#: The accounting of each file, in the order the check table shows it.
COUNTS = ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area")
#: Rows of the changed fields and of the rejected rows shown on the page (the downloads hold them all).
SHOWN_CHANGES = 2000
SHOWN_REJECTED = 500
#: What an empty choice of the mapping editor reads.
NO_COLUMN = "—"
#: Column of a deletion list holding the event ids, by preference.
DELETION_ID_COLUMNS = ("event_id_cnty", "event_id", "id")

Progress = Callable[[float, str], None]

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


def batch_to_show(batches: pd.DataFrame, *, rolled_back: int | None = None) -> int | None:
    """
    The batch the rollback selector shows after the history changed: the batch just rolled back, if any (so that the
    selector does not move on to another batch with its confirmation ready under the success message), else the
    newest committed one.
    """
    if rolled_back is not None and (batches["batch_id"] == rolled_back).any():
        return int(rolled_back)
    return default_batch(batches)


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


def files_summary(files: list) -> pd.DataFrame:
    """
    The check's table: one row per file (`geo.ingest.FileSummary`) with its format, layout (only when a file has one),
    encoding, delimiter (in the page's language) and its counts.
    """
    table = pd.DataFrame([
        {"file": f.file, "format": f.format.upper(), "layout": in_page_language(f.layout) if f.layout else "",
         "encoding": f.encoding, "delimiter": in_page_language(f.delimiter), **{k: getattr(f.counts, k) for k in COUNTS}}
        for f in files
    ])
    return table if table["layout"].any() else table.drop(columns="layout")


def rejected_rows(rejected: pd.DataFrame, n: int = SHOWN_REJECTED) -> pd.DataFrame:
    """The first `n` rejected rows (`geo.ingest.rejections_frame`), their reasons in the page's language."""
    shown = rejected.head(n)
    return shown.assign(reason=shown["reason"].map(in_page_language))


def changes_shown(changes: pd.DataFrame, columns: list[str], n: int = SHOWN_CHANGES) -> pd.DataFrame:
    """The first `n` changed fields, the kind of each change in the page's language."""
    shown = changes[columns].head(n)
    return shown.assign(kind=shown["kind"].map(in_page_language))


def preview_rows(events: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """A file's first `n` rows as read: dates as days, event types in the page's language (headers: `preview_headers`)."""
    rows = events[list(PREVIEW_COLUMNS)].head(n)
    return rows.assign(event_date=rows["event_date"].dt.strftime("%Y-%m-%d"), event_type=rows["event_type"].map(category))


def preview_headers(columns: Iterable[str]) -> dict[str, str]:
    """The headers of a file's first rows that have words, in the page's language (an aggregate table's keep theirs)."""
    return {column: word(PREVIEW_COLUMNS[column]) for column in columns if column in PREVIEW_COLUMNS}


@dataclass(frozen=True)
class Outcome:
    """What a step that stores or removes something did, in the page's words: `ok`, else why nothing changed."""

    ok: bool
    text: str


# ---------------------------------------------------------------------------------------------- uploads


class Upload(Protocol):
    """An uploaded file (Streamlit's ``UploadedFile``): its name, size and bytes."""

    name: str
    size: int

    def getbuffer(self) -> memoryview: ...


def new_workdir(old: str | None = None) -> Path:
    """A fresh temporary folder for one upload round (the previous one, `old`, is removed)."""
    if old:
        shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix="atlas-upload-"))


def save_uploads(uploads: Iterable[Upload], workdir: Path, *, max_bytes: int | None) -> tuple[list[InputFile], list[Refusal]]:
    """Write each upload into `workdir` (under a neutral name, its own name kept); refuse those over `max_bytes`."""
    files, refusals = [], []
    for i, upload in enumerate(uploads):
        if max_bytes and upload.size > max_bytes:
            refusals.append(Refusal(upload.name, word("data.too_large", name=upload.name, size=format_count(upload.size / 1024 / 1024),
                                                      limit=format_count(max_bytes / 1024 / 1024))))
            continue
        path = workdir / f"{i:03d}{Path(upload.name).suffix.lower()[:8]}"
        path.write_bytes(upload.getbuffer())
        files.append(InputFile(path, upload.name))
    return files, refusals


def indicator_label(value: str) -> str:
    """A choice of the uploaded tables' indicator in words ("from the file's name", "Political violence")."""
    return word(f"indicator.{value}") if value else word("data.indicator.from_name")


def check_uploads(uploads: Iterable[Upload], workdir: Path, *, fmt: str, mappings: Mapping[str, ColumnMapping],
                  settings: Settings, progress: Progress | None = None, indicator: str = "") -> PreparedFiles:
    """
    Save, expand (zips) and check each uploaded file on its own (``geo.uploads``): one bad file does not hide the
    others' reports. Every refusal (too large, unsafe zip, unknown layout, unreadable) is in the result's `refusals`.
    ACLED's aggregate tables are read with `indicator` ("": from each file's name, else HDX HAPI's event_type).
    """
    files, refusals = save_uploads(uploads, workdir, max_bytes=settings.max_file_bytes)
    files, more = expand_files(files, workdir, settings=settings)
    result = prepare_each(files, format=fmt, mappings=dict(mappings), settings=settings, progress=progress,
                          indicator=indicator or None)
    result.refusals = refusals + more + result.refusals
    return result


@dataclass
class UploadCheck:
    """What committing the accepted files would do, before anything is stored (one batch of all of them)."""

    batch: PreparedBatch | PreparedTables
    files: int  # files in the batch
    summary: pd.DataFrame  # per file: format, encoding, delimiter and its accounting
    accounting: str  # the whole batch's accounting in words
    warnings: list[str]  # what the batch does against the store's vintage, said before the commit
    changes: pd.DataFrame  # the fields each updated row changes
    changed_events: int
    notes: list[str]
    previously_ingested: int | None
    rejected: pd.DataFrame  # file, line, event_id, reason
    points_map: go.Figure | None  # the batch's events on the admin-1 units
    writes: int  # rows the commit would write (new, updated, outside the area)
    first_rows: dict[str, pd.DataFrame] = field(default_factory=dict)  # per file: its first rows
    counts: BatchCounts = field(default_factory=BatchCounts)  # the batch's accounting
    nothing: str | None = None  # why Commit would write nothing (then disabled), else None
    older: str = ""  # how many duplicates are older revisions kept out, in words ("" when none)
    units: str = ""  # ACLED's aggregate tables: their units matched to the boundaries, in words


def check_batch(result: PreparedFiles, store: Store, boundary_set: BoundarySet) -> UploadCheck | Outcome | None:
    """
    The check of the accepted files as one batch against the store (``geo.ingest.preview``: nothing is written).

    Returns
    -------
    None when no file was accepted, an :class:`Outcome` saying why the files cannot be stored together, else the
    :class:`UploadCheck`.
    """
    if not result.prepared:
        return None
    try:
        merged = merge(list(result.prepared.values()))
        report = preview(merged, store)
    except AtlasError as exc:
        return Outcome(False, word("data.cannot_store", error=exc))
    summary = files_summary(report.files)
    c = report.counts
    accounting = word("data.accounting", rows=format_count(c.rows_read), new=format_count(c.new), updated=format_count(c.updated),
                      duplicates=format_count(c.duplicates), rejected=format_count(c.rejected), outside=format_count(c.outside_area))
    changes = report.changes
    changed_events = changes[["source_dataset", "event_id"]].drop_duplicates().shape[0] if len(changes) else 0
    points_map = None
    if not isinstance(merged, PreparedTables) and len(merged.events):  # (an aggregate table has no points to draw)
        points_map = charts.points_map(merged.events, display_units(boundary_set, "admin1"),
                                       text=preview_text(len(merged.events), result.accepted, boundary_set.attribution))
    units = ""
    if report.tables is not None:  # ACLED's aggregates: unit-months, and their units matched to the boundaries
        t = report.tables
        units = word("data.tables", matched=format_count(t["units_matched"]), rolled=format_count(t["units_rolled_up"]),
                     unmatched=format_count(t["units_unmatched"]), removed=format_count(t["removed"]))
    return UploadCheck(
        batch=merged, files=len(result.prepared), summary=summary, accounting=accounting,
        warnings=[word("data.before_commit", message=in_page_language(w.message)) for w in report.warnings], changes=changes,
        changed_events=changed_events, notes=[word("data.note", note=in_page_language(n)) for n in report.notes],
        previously_ingested=report.previously_ingested,
        rejected=rejections_frame(report.rejected) if report.rejected else pd.DataFrame(columns=["file", "line", "event_id", "reason"]),
        points_map=points_map, writes=c.new + c.updated + c.outside_area,
        first_rows={name: (prepared.rows[TABLE_PREVIEW_COLUMNS].head(10) if isinstance(prepared, PreparedTables)
                           else preview_rows(prepared.events)) for name, prepared in result.prepared.items()},
        counts=c, nothing=nothing_to_commit(c), older=older_vintage_text(c), units=units,
    )


def commit(check: UploadCheck, store: Store, *, user: str, progress: Progress | None = None) -> Outcome:
    """Store the checked batch, all or nothing (``geo.ingest.commit_batch``), and say what it did."""
    try:
        committed = commit_batch(check.batch, store, user=user, progress=progress)
    except AtlasError as exc:
        return Outcome(False, word("data.not_stored", error=exc))
    k = committed.counts
    return Outcome(True, word("data.stored", batch=committed.batch_id, new=format_count(k.new), updated=format_count(k.updated),
                              duplicates=format_count(k.duplicates), rejected=format_count(k.rejected),
                              outside=format_count(k.outside_area)))


# ---------------------------------------------------------------------------------------------- the mapping editor


@dataclass(frozen=True)
class MappingForm:
    """The mapping editor of one file: the canonical columns it can map, the file's columns, what is chosen now."""

    fields: tuple[str, ...]
    options: list[str]  # NO_COLUMN, then the file's header
    chosen: dict[str, str]  # canonical column -> file column (NO_COLUMN when none)
    date_format: str
    country: str
    required: str  # the columns a mapping needs, for the editor's heading


def mapping_form(header: list[str], current: ColumnMapping | None) -> MappingForm:
    """The editor's starting point: the mapping already chosen for the file, else the one its header suggests."""
    current = current or suggest_mapping(header)
    options = [NO_COLUMN, *header]
    chosen = {f: (current.columns.get(f) if current.columns.get(f) in options else NO_COLUMN) for f in MAPPABLE}
    return MappingForm(fields=tuple(MAPPABLE), options=options, chosen=chosen, date_format=current.date_format or "",
                       country=current.country or "", required=", ".join(REQUIRED))


def saved_mappings(folder: Path) -> list[str]:
    """The names of the mappings saved in `folder` (``<name>.toml``)."""
    return sorted(p.stem for p in folder.glob("*.toml")) if folder.is_dir() else []


def load_mapping(folder: Path, name: str) -> ColumnMapping | Outcome:
    """A saved mapping, or an :class:`Outcome` saying what is wrong with its file."""
    try:
        return ColumnMapping.from_file(folder / f"{name}.toml")
    except InputError as exc:
        return Outcome(False, str(exc))


def make_mapping(file: str, chosen: Mapping[str, str], *, date_format: str, country: str, folder: Path,
                 save_as: str = "") -> ColumnMapping | Outcome:
    """
    The mapping chosen in the editor for `file` (checked: every problem said at once), saved in `folder` as
    ``<save_as>.toml`` when a name is given (only letters, digits, ``-`` and ``_`` are kept of it).
    """
    try:
        mapping = ColumnMapping.from_dict(
            {"columns": {k: v for k, v in chosen.items() if v != NO_COLUMN},
             "options": {"date_format": date_format.strip() or None, "country": country.strip() or None}},
            origin=file,
        )
    except InputError as exc:
        return Outcome(False, str(exc))
    if save_as.strip():
        safe = "".join(ch for ch in save_as.strip() if ch.isalnum() or ch in "-_") or "mapping"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{safe}.toml").write_text(mapping.to_toml(), encoding="utf-8")
    return mapping


def mapping_file_name(file: str) -> str:
    """The name a file's mapping downloads as ("events_mapping.toml" for "events.csv")."""
    return f"{Path(file).stem}_mapping.toml"


def mapping_key(mappings: Mapping[str, ColumnMapping]) -> tuple:
    """What the chosen mappings are, as a key: a new mapping checks the files again."""
    return tuple(sorted((k, str(v.to_dict())) for k, v in mappings.items()))


# ---------------------------------------------------------------------------------------------- deletions


@dataclass(frozen=True)
class DeletionCheck:
    """A list of deleted ACLED event ids, read: how many it lists, how many the store holds. `error` when unusable."""

    path: Path
    name: str
    listed: int = 0
    stored: int = 0
    error: str = ""

    @property
    def counts(self) -> str:
        return word("data.deletions.counts", listed=format_count(self.listed), stored=format_count(self.stored),
                    missing=format_count(self.listed - self.stored))


def check_deletions(upload: Upload, workdir: Path, store: Store, *, max_bytes: int | None) -> DeletionCheck:
    """Save and read a deletion list (its id column: ``event_id_cnty``, ``event_id`` or ``id``) and count the ids stored."""
    path = workdir / "deletions.csv"
    path.write_bytes(upload.getbuffer())
    try:
        table = load_csv(path, display_name=upload.name, min_columns=1, max_bytes=max_bytes)
    except InputError as exc:
        return DeletionCheck(path, upload.name, error=str(exc))
    lower = {h.lower(): h for h in table.header}
    column = next((lower[c] for c in DELETION_ID_COLUMNS if c in lower), None)
    if column is None:
        return DeletionCheck(path, upload.name, error=word("data.deletions.no_column", name=upload.name, columns=", ".join(table.header)))
    ids = set(table.data[column].str.strip()) - {""}
    stored = store.stored_ids("acled", sorted(ids))
    return DeletionCheck(path, upload.name, listed=len(ids), stored=len(ids & stored))


def apply_deletion_list(check: DeletionCheck, store: Store, *, user: str) -> Outcome:
    """Delete the listed events the store holds, as one batch (``geo.ingest.apply_deletions``)."""
    try:
        report = apply_deletions(check.path, store, user=user, display_name=check.name)
    except AtlasError as exc:
        return Outcome(False, word("data.deletions.failed", error=exc))
    return Outcome(True, word("data.deletions.done", batch=report.batch_id, n=format_count(report.counts.deleted)))


# ---------------------------------------------------------------------------------------------- history


def batches(store: Store) -> pd.DataFrame:
    """Every batch of the store, oldest first (the history tab's table and selector read it)."""
    return store.batches()


def batch_rejections(store: Store, batch_id: int) -> pd.DataFrame:
    """The rows a batch rejected, with their line and reason (the history tab's download)."""
    return store.rejections(int(batch_id))


@dataclass(frozen=True)
class RollbackChoice:
    """What the history tab offers for the batch chosen: whether it can be rolled back, and its files."""

    batch_id: int
    files: str
    can_roll_back: bool


def rollback_choice(batches: pd.DataFrame, batch_id: int) -> RollbackChoice:
    """The chosen batch's files, and whether it can be rolled back (only a committed batch can: once)."""
    row = batches.set_index("batch_id").loc[batch_id]
    return RollbackChoice(int(batch_id), str(row["file_names"]), row["status"] == "committed")


def batch_signature(batches: pd.DataFrame) -> tuple:
    """The batches and their statuses: when it changes (a commit, a rollback), the selector is set again (`batch_to_show`)."""
    return tuple(zip(batches["batch_id"].tolist(), batches["status"].tolist()))


def rollback(store: Store, batch_id: int, *, user: str, files: str) -> Outcome:
    """Undo a batch exactly (``geo.ingest.rollback_batch``) and say what it removed and restored."""
    try:
        result = rollback_batch(store, int(batch_id), user=user)
    except AtlasError as exc:
        return Outcome(False, str(exc))
    return Outcome(True, word("data.rolled_back", batch=batch_id, files=files, removed=format_count(result["removed"]),
                              restored=format_count(result["restored"])))


def audit_table(store: Store) -> pd.DataFrame:
    """The store's audit log, newest first."""
    return store.audit_log().sort_values("entry_id", ascending=False)
