"""Reading a delimited text file the way analysts actually have them.

Handles: UTF-8 (with or without BOM), UTF-16 with BOM, Windows-1252 / Latin-1; comma, semicolon, tab or
pipe delimiters; a second row of HXL hashtags (HDX downloads); quoted newlines; trailing empty header
columns; rows with too many or too few fields (rejected with their line number, the rest kept).
Refuses with a clear message, before reading anything: empty files, binary files, Excel workbooks, zip
archives, PDFs, HTML pages, files over the size limit and files whose header has a single column.

Line numbers are physical lines of the file (the header is line 1), also when quoted fields span lines.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from ..errors import InputError

_HEAD_BYTES = 256 * 1024
_DELIMITERS = [",", ";", "\t", "|"]
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}


@dataclass
class Rejection:
    """A row that was not stored, with where it is and why."""

    file: str
    line: int
    reason: str
    event_id: str = ""
    text: str = ""  # the raw text of a malformed row (first 500 characters)


@dataclass
class RawTable:
    """A delimited file read as text columns, plus what was learnt while reading it."""

    file: str
    path: Path
    sha256: str
    size: int
    encoding: str
    delimiter: str
    header: list[str]
    data: pd.DataFrame
    lines: np.ndarray
    rows_read: int
    malformed: list[Rejection] = field(default_factory=list)
    hxl_row: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


def match_columns(header: list[str], spec: dict[str, list[str]]) -> dict[str, str]:
    """Canonical name -> the file's column, for each name of `spec` whose candidates (lower case) the header has."""
    lower = {h.strip().lower(): h for h in header}
    found = {}
    for canonical, candidates in spec.items():
        for candidate in candidates:
            if candidate in lower:
                found[canonical] = lower[candidate]
                break
    return found


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks."""
    return _scan(path)[0]


def _scan(path: Path) -> tuple[str, int]:
    """SHA-256 and number of newline bytes of a file, in one pass."""
    digest = hashlib.sha256()
    newlines = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(8 * 1024 * 1024), b""):
            digest.update(chunk)
            newlines += chunk.count(b"\n")
    return digest.hexdigest(), newlines


def _refuse_by_content(head: bytes, name: str) -> None:
    """Refuse files that are clearly not delimited text, naming what they are."""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"PK\x03\x04"):
        if b"xl/" in head[:4096] or b"[Content_Types].xml" in head[:4096]:
            raise InputError(
                f"{name} is an Excel workbook (.xlsx), not a CSV file; open it in Excel or LibreOffice and "
                "save it as CSV (UTF-8), then upload the CSV", file=None,
            )
        raise InputError(f"{name} is a zip archive, not a CSV file; unzip it or upload it as a .zip")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(f"{name} is an old Excel workbook (.xls), not a CSV file; save it as CSV (UTF-8) first")
    if head.startswith(b"%PDF"):
        raise InputError(f"{name} is a PDF document, not a CSV file")
    if head.startswith(b"PAR1"):
        raise InputError(f"{name} is a Parquet file, not a CSV file; export it as CSV")
    if head.startswith(b"\x1f\x8b"):
        raise InputError(f"{name} is gzip-compressed; decompress it first")
    if re.match(rb"(?i)<(!doctype\s+html|html|head|body|\?xml)", stripped[:200]):
        raise InputError(
            f"{name} is an HTML or XML page, not a CSV file (perhaps a login or error page was saved "
            "instead of the download); download the data again"
        )


def _decode_head(head: bytes, name: str) -> tuple[str, str]:
    """Choose an encoding from the first bytes and return (encoding, decoded head)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", head.decode("utf-16", errors="ignore")
    if b"\x00" in head:
        raise InputError(f"{name} contains binary data (NUL bytes), not text; it cannot be read as CSV")
    # A multi-byte character may be cut at the end of the sample: ignore the last 3 bytes there.
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            text = head.decode(encoding) if encoding != "utf-8-sig" else head[:-3].decode(encoding) + head[-3:].decode(encoding, errors="ignore")
        except UnicodeDecodeError:
            continue
        break
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n")
    if text and controls / len(text) > 0.01:
        raise InputError(f"{name} looks like binary data, not text; it cannot be read as CSV")
    return ("utf-8" if encoding == "utf-8-sig" else encoding), text.lstrip("\ufeff")


def _sniff(text: str, name: str, min_columns: int = 2) -> tuple[str, list[str], int, list[str] | None]:
    """Delimiter, header fields, number of physical lines the header takes, and the second record."""
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        raise InputError(f"{name}: the first line is empty; the first line must be the header row")
    counts = {d: len(next(csv.reader([first_line], delimiter=d))) for d in _DELIMITERS}
    delimiter = max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d)))
    if counts[delimiter] < min_columns:
        raise InputError(
            f"{name}: the header has a single column, so the delimiter is none of comma, semicolon, tab "
            "or pipe; save the file as CSV with one of those delimiters"
        )
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader)
    header_lines = reader.line_num
    try:
        second = next(reader)
    except (StopIteration, csv.Error):
        second = None
    return delimiter, header, header_lines, second


def _is_hxl(record: list[str] | None) -> bool:
    if not record:
        return False
    cells = [c.strip() for c in record if c.strip()]
    return bool(cells) and sum(c.startswith("#") for c in cells) >= max(1, len(cells) // 2 + 1)


def _column_names(header: list[str]) -> list[str]:
    names, seen = [], {}
    for i, raw in enumerate(header):
        name = raw.strip().lstrip("\ufeff").strip() or f"_unnamed_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        names.append(name)
    return names


def _read_arrow(path: Path, names: list[str], skip: int, delimiter: str, encoding: str):
    """Parse with all cores; only when rows are malformed, parse again on one thread to learn where."""
    table, bad = _read_arrow_once(path, names, skip, delimiter, encoding, threads=True)
    if bad:
        table, bad = _read_arrow_once(path, names, skip, delimiter, encoding, threads=False)
    return table, bad


def _read_arrow_once(path: Path, names: list[str], skip: int, delimiter: str, encoding: str, *, threads: bool):
    bad: list[tuple[int | None, int, str]] = []

    def on_invalid(row) -> str:
        bad.append((row.number, row.actual_columns, row.text))
        return "skip"

    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(
            use_threads=threads,  # row numbers of invalid rows are only known single-threaded
            column_names=names,
            skip_rows=skip,
            encoding=encoding,
            block_size=16 << 20,
        ),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=on_invalid,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return table, bad


def load_csv(
    path: str | Path, *, display_name: str | None = None, max_bytes: int | None = None, min_columns: int = 2
) -> RawTable:
    """
    Read a delimited text file into text columns, with physical line numbers and malformed rows set aside.

    Parameters
    ----------
    path
        The file.
    display_name
        Name used in messages (the uploaded file's name); default the file name.
    max_bytes
        Refuse files larger than this.
    min_columns
        Refuse files whose header has fewer columns (a single column usually means a wrong delimiter).

    Raises
    ------
    InputError
        When the whole file is unusable; the message names the file and says what to do.
    """
    path = Path(path)
    name = display_name or path.name
    if not path.exists():
        raise InputError(f"{name}: no such file")
    if path.is_dir():
        raise InputError(f"{name} is a folder, not a file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{name} is empty (0 bytes); export the data again")
    if max_bytes is not None and size > max_bytes:
        raise InputError(
            f"{name} is {size / 1024 / 1024:,.0f} MB, over the limit of {max_bytes / 1024 / 1024:,.0f} MB; "
            "split it into smaller files or raise [ingest] max_file_mb in atlas.toml"
        )
    with open(path, "rb") as handle:
        head = handle.read(_HEAD_BYTES)
    _refuse_by_content(head, name)
    encoding, text = _decode_head(head, name)
    if not text.strip():
        raise InputError(f"{name} holds only blank lines")
    delimiter, header, header_lines, second = _sniff(text, name, min_columns)
    hxl = _is_hxl(second)
    names = _column_names(header)
    skip = 1 + (1 if hxl else 0)
    try:
        table, bad = _read_arrow(path, names, skip, delimiter, encoding)
    except pa.ArrowInvalid as exc:
        if "UTF8" in str(exc) and encoding == "utf-8":
            encoding = "cp1252"
            try:
                table, bad = _read_arrow(path, names, skip, delimiter, encoding)
            except (pa.ArrowInvalid, UnicodeDecodeError):
                encoding = "latin-1"
                table, bad = _read_arrow(path, names, skip, delimiter, encoding)
        else:
            raise InputError(f"{name} cannot be parsed as CSV: {exc}") from None
    except UnicodeDecodeError:
        raise InputError(f"{name}: the text encoding cannot be recognised; save it as UTF-8 CSV") from None
    data = table.to_pandas()
    del table
    sha256, newline_count = _scan(path)

    # Blank lines are neither data nor errors. Everything else with a wrong field count is malformed.
    first_record = 1 + (1 if hxl else 0)  # records counted from 0 = header
    n_kept = len(data)
    bad_numbers = np.array([b[0] for b in bad], dtype=np.int64) if bad else np.empty(0, dtype=np.int64)
    record_numbers = _kept_record_numbers(n_kept, bad_numbers, first_record)
    # Newlines beyond one per record (and the header's) sit inside quoted fields.
    embedded = encoding == "utf-16" or newline_count > header_lines + (1 if hxl else 0) + n_kept + len(bad)
    lines, bad_lines = _line_numbers(data, record_numbers, bad, header_lines, hxl, embedded)
    malformed: list[Rejection] = []
    # Arrow keeps a blank line as a row of empty fields: it is neither data nor an error.
    empty = data[names[0]] == ""
    for column in names[1:]:
        if not empty.any():
            break
        empty &= data[column] == ""
    blank = int(empty.sum())
    if blank:
        keep = ~empty.to_numpy()
        data = data.loc[keep].reset_index(drop=True)
        lines = lines[keep]
    for (_number, actual, row_text), line in zip(bad, bad_lines):
        if not row_text.strip(f"\r\n {delimiter}"):
            blank += 1
            continue
        malformed.append(
            Rejection(
                file=name,
                line=int(line),
                reason=f"has {actual} fields where the header has {len(names)}; check the delimiters and quotes on this line",
                text=row_text[:500],
            )
        )
    notes = []
    if hxl:
        notes.append("line 2 holds HXL hashtags (HDX download) and was skipped")
    if blank:
        notes.append(f"{blank} blank line(s) ignored")
    if any(n.startswith("_unnamed_") for n in names):
        notes.append("the header has empty column names (trailing delimiters); those columns are ignored")
    return RawTable(
        file=name, path=path, sha256=sha256, size=size, encoding=encoding, delimiter=delimiter,
        header=names, data=data, lines=lines, rows_read=len(data) + len(malformed), malformed=malformed,
        hxl_row=hxl, notes=notes,
    )


def _kept_record_numbers(n_kept: int, bad_numbers: np.ndarray, first_record: int) -> np.ndarray:
    """Record numbers (0 = header) of the rows that parsed, given those of the rows that did not."""
    total = n_kept + len(bad_numbers)
    all_numbers = np.arange(first_record, first_record + total, dtype=np.int64)
    if len(bad_numbers) == 0:
        return all_numbers
    # Arrow numbers records from 1 at the first line of the file (the header).
    return np.setdiff1d(all_numbers, bad_numbers - 1, assume_unique=True)


def _newlines_in(data: pd.DataFrame) -> np.ndarray:
    counts = np.zeros(len(data), dtype=np.int64)
    for column in data.columns:
        values = data[column]
        if values.str.contains("\n", regex=False).any():
            counts += values.str.count("\n").to_numpy(dtype=np.int64)
    return counts


def _line_numbers(
    data: pd.DataFrame, record_numbers: np.ndarray, bad: list, header_lines: int, hxl: bool, embedded: bool
) -> tuple[np.ndarray, np.ndarray]:
    """
    Physical (1-based) start line of each parsed row and of each malformed row.

    Records are merged in file order so that newlines inside quoted fields push later rows down.
    """
    base = header_lines + (1 if hxl else 0)  # physical lines before the first data record
    first_record = 1 + (1 if hxl else 0)
    bad_records = np.array([b[0] - 1 for b in bad], dtype=np.int64)
    if not embedded:
        return record_numbers - first_record + base + 1, bad_records - first_record + base + 1
    bad_extra = np.array([b[2].count("\n") for b in bad], dtype=np.int64)
    all_records = np.concatenate([record_numbers, bad_records])
    all_extra = np.concatenate([_newlines_in(data), bad_extra])
    order = np.argsort(all_records, kind="stable")
    spans_before = np.concatenate([[0], np.cumsum(all_extra[order])[:-1]]).astype(np.int64)
    start = np.empty_like(all_records)
    start[order] = all_records[order] - first_record + base + 1 + spans_before
    return start[: len(record_numbers)], start[len(record_numbers):]
