"""Uploaded files: zips expanded safely, each file checked on its own, the good ones merged into one batch.

The Data page and `python -m geo ingest` share this path: `expand_files` (zips), `prepare_each` (read,
validate and place each file, collecting whole-file refusals instead of stopping at the first),
`merge` (one batch of the accepted files) and then `geo.ingest.preview` / `commit_batch`.

Zip archives are refused, with the reason, when a member's path leaves the archive (`../../x`,
absolute paths), when they hold more members than allowed, when they would expand beyond the size limit
(checked against the declared sizes and again while extracting, since a zip bomb can lie), or when they
hold something that is not a CSV. Nothing is extracted outside a fresh temporary folder.
"""

from __future__ import annotations

import os
import shutil
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd

from .config import Settings, get_settings
from .errors import InputError, UnknownFormatError
from .ingest import PreparedBatch, ProgressFn, prepare_batch
from .readers import ColumnMapping
from .unit_months import PreparedTables, prepare_tables

MAX_ZIP_MEMBERS = 100
CSV_SUFFIXES = (".csv", ".txt", ".tsv")
_IGNORED_MEMBERS = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass
class InputFile:
    """A file to read: where it is on disk and the name the user knows it by."""

    path: Path
    name: str


@dataclass
class Refusal:
    """A whole file refused, and why (`kind` "unknown_format": its columns match no known format)."""

    file: str
    message: str
    kind: str = ""


@dataclass
class PreparedFiles:
    """Each file read and checked on its own."""

    prepared: dict[str, PreparedBatch] = field(default_factory=dict)
    refusals: list[Refusal] = field(default_factory=list)
    headers: dict[str, list[str]] = field(default_factory=dict)

    @property
    def accepted(self) -> list[str]:
        """The names of the files read and checked (not refused)."""
        return list(self.prepared)


def expand_files(
    files: list[InputFile], workdir: Path, *, settings: Settings | None = None, max_bytes: int | None | str = "settings",
) -> tuple[list[InputFile], list[Refusal]]:
    """Replace zip archives by the CSV files they hold; refuse unsafe or unusable archives.

    Parameters
    ----------
    files
        Uploaded or command-line files.
    workdir
        A fresh temporary folder to extract into.
    max_bytes
        Largest CSV a zip member may expand to (the archive as a whole: five times that); "settings" for
        `[ingest] max_file_mb` (the upload page), None for no limit (the command line). Without a limit an
        archive is still refused when it would fill the disk.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    tuple[list[InputFile], list[Refusal]]
        (the files to read, the archives refused with their reasons).
    """
    settings = settings or get_settings()
    limit = settings.max_file_bytes if max_bytes == "settings" else max_bytes
    out: list[InputFile] = []
    refusals: list[Refusal] = []
    for item in files:
        if not zipfile.is_zipfile(item.path) or _is_xlsx(item.path):
            out.append(item)
            continue
        try:
            out += _extract(item, workdir, limit)
        except InputError as exc:
            refusals.append(Refusal(item.name, str(exc)))
    return out, refusals


def _is_xlsx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return any(n.startswith("xl/") for n in archive.namelist()[:50])
    except (zipfile.BadZipFile, OSError):
        return False


def _extract(item: InputFile, workdir: Path, limit: int | None) -> list[InputFile]:
    name = item.name
    try:
        archive = zipfile.ZipFile(item.path)
    except zipfile.BadZipFile:
        raise InputError(f"{name} is not a readable zip archive") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir() and not any(i in m.filename for i in _IGNORED_MEMBERS)]
        if not members:
            raise InputError(f"{name} is an empty zip archive")
        if len(members) > MAX_ZIP_MEMBERS:
            raise InputError(f"{name} holds {len(members):,} files; at most {MAX_ZIP_MEMBERS} are accepted per archive")
        for member in members:
            path = PurePosixPath(member.filename.replace("\\", "/"))
            if path.is_absolute() or ".." in path.parts or member.filename.startswith(("/", "\\")) or ":" in path.parts[0]:
                raise InputError(
                    f"{name} contains the path {member.filename!r}, which points outside the archive; it was refused"
                )
            if not path.name.lower().endswith(CSV_SUFFIXES):
                raise InputError(f"{name} contains {member.filename!r}, which is not a CSV file; only CSV files may be zipped")
        declared = sum(m.file_size for m in members)
        total_limit = limit * 5 if limit else None
        if total_limit and declared > total_limit:
            raise InputError(
                f"{name} would expand to {declared / 1024 / 1024:,.0f} MB, over the limit of "
                f"{total_limit / 1024 / 1024:,.0f} MB; split it into smaller archives"
            )
        target = workdir / f"zip-{abs(hash(item.path))}"
        target.mkdir(parents=True, exist_ok=True)
        # Without a size limit (the command line), a zip bomb is still stopped before it fills the disk.
        free = shutil.disk_usage(target).free - 64 * 1024 * 1024
        if declared > free:
            raise InputError(
                f"{name} would expand to {declared / 1024 / 1024:,.0f} MB, more than the free disk space "
                f"({max(free, 0) / 1024 / 1024:,.0f} MB); free some space or unzip it elsewhere"
            )
        total_limit = min(total_limit, free) if total_limit else free
        out = []
        written_total = 0
        for member in members:
            clean = PurePosixPath(member.filename.replace("\\", "/"))
            destination = target / Path(*clean.parts)
            destination.parent.mkdir(parents=True, exist_ok=True)
            # Count the bytes actually written: declared sizes of a crafted archive can lie.
            written = 0
            try:
                with archive.open(member) as source, open(destination, "wb") as sink:
                    while chunk := source.read(1024 * 1024):
                        written += len(chunk)
                        written_total += len(chunk)
                        if (limit and written > limit) or written_total > total_limit:
                            shutil.rmtree(target, ignore_errors=True)
                            bound = (f"the size limit ({limit / 1024 / 1024:,.0f} MB per file)" if limit
                                     else "the free disk space")
                            raise InputError(f"{name}: {member.filename} expands beyond {bound}; it was refused")
                        sink.write(chunk)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, ValueError) as exc:
                # A damaged archive (a lost signature, a cut file), an unknown compression, a password.
                shutil.rmtree(target, ignore_errors=True)
                raise InputError(
                    f"{name} is a zip archive that cannot be unpacked ({member.filename}: {_zip_problem(exc)}); "
                    "download or zip it again"
                ) from None
            out.append(InputFile(destination, f"{name}/{member.filename}"))
    return out


def _zip_problem(exc: Exception) -> str:
    """Why a zip member cannot be read, in words (not the zip module's)."""
    text = str(exc).lower()
    if "password" in text or "encrypted" in text:
        return "it is protected by a password"
    if isinstance(exc, NotImplementedError) or "compression" in text:
        return "it is compressed in a way this tool cannot read"
    return "the archive is damaged or cut off"


def prepare_each(
    files: list[InputFile],
    *,
    format: str = "auto",
    mappings: dict[str, ColumnMapping] | None = None,
    settings: Settings | None = None,
    progress: ProgressFn | None = None,
    indicator: str | None = None,
) -> PreparedFiles:
    """Read, check and place each file separately, so that one bad file does not hide the others' reports.

    Parameters
    ----------
    mappings
        Column mapping per file name (generic CSVs).
    files
        The files to read.
    format
        "auto" (recognised from the header), "acled", "ucdp" or "generic".
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.
    progress
        Called with (fraction done, message) as the work goes on; None for silence.
    indicator
        The indicator of ACLED's aggregate tables (default: from each file's name, else HDX HAPI's event_type).

    Returns
    -------
    PreparedFiles
        Each file read (or its refusal with the reason) and the headers of the files, for mapping editors.
    """
    settings = settings or get_settings()
    mappings = mappings or {}
    result = PreparedFiles()
    for i, item in enumerate(files):
        if progress:
            progress(i / max(len(files), 1), f"reading and checking {item.name}")
        if item.name in result.headers:  # a second file of the same name would silently replace the first
            result.refusals.append(Refusal(
                item.name, f"{item.name}: a file of this name is already in this upload; rename one of the two and upload again",
            ))
            continue
        result.headers[item.name] = _header(item.path)
        try:
            result.prepared[item.name] = prepare_batch(
                [item.path], format=format, mapping=mappings.get(item.name), display_names=[item.name],
                max_bytes=settings.max_file_bytes, settings=settings, indicator=indicator,
                progress=(lambda f, m, i=i, name=item.name: progress((i + f) / len(files), f"{name}: {m}")) if progress else None,
            )
        except UnknownFormatError as exc:
            result.refusals.append(Refusal(item.name, str(exc), kind="unknown_format"))
        except InputError as exc:
            result.refusals.append(Refusal(item.name, str(exc)))
    if progress:
        progress(1.0, "checked")
    return result


def _header(path: Path) -> list[str]:
    """The header row, best effort, for mapping editors (empty when the file is not text)."""
    from .readers import load_csv

    try:
        return load_csv(path).header if os.path.getsize(path) < 50 * 1024 * 1024 else []
    except Exception:  # a refused file has no usable header; its refusal says why
        return []


def merge(prepared: list[PreparedBatch | PreparedTables]) -> PreparedBatch | PreparedTables:
    """One batch of several prepared files (committed together, rolled back together).

    Parameters
    ----------
    prepared
        Prepared files.

    Returns
    -------
    PreparedBatch | PreparedTables
        One batch of several prepared files (committed together, rolled back together).
    """
    if not prepared:
        raise InputError("no file to store: every file was refused")
    if len(prepared) == 1:
        return prepared[0]
    tables = [p for p in prepared if isinstance(p, PreparedTables)]
    if tables and len(tables) < len(prepared):
        raise InputError(f"{tables[0].reads[0].file} is a table of ACLED's aggregates and the other files are events: they are "
                         "different sources (never added together); upload them in separate batches")
    if tables:
        from .boundaries import load_boundary_set

        reads = [r for t in tables for r in t.reads]
        names = [r.file for r in reads]
        if len(set(names)) != len(names):
            raise InputError(f"the same file name appears twice in one batch ({', '.join(names)}); rename one")
        return prepare_tables(reads, load_boundary_set(tables[0].boundaries))
    names = [f.file for p in prepared for f in p.files]
    if len(set(names)) != len(names):
        raise InputError(f"the same file name appears twice in one batch ({', '.join(names)}); rename one")
    return PreparedBatch(
        files=[f for p in prepared for f in p.files],
        events=pd.concat([p.events for p in prepared], ignore_index=True),
        rejected=[r for p in prepared for r in p.rejected],
        notes=[n for p in prepared for n in p.notes],
        boundaries=prepared[0].boundaries,
    )
