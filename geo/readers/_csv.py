"""Reading a delimited text file the way analysts actually have them.

Handles: UTF-8 (with or without BOM); UTF-16 and UTF-32 with a BOM, or without one (recognised by where
the NUL bytes of ASCII characters fall); Windows-1252 / Latin-1, and UTF-8 with a few damaged bytes
(replaced by U+FFFD), each said in a note naming the line of the first bad bytes; LF, CRLF and old-Mac CR
line ends; comma, semicolon, tab or pipe delimiters; a second row of HXL hashtags (HDX downloads); quoted
newlines; fields longer than a parse block; trailing empty header columns; rows with too many or too few
fields, or holding a NUL byte (rejected with their line number, the rest kept).
Refuses with a clear message, before reading anything: empty files, binary files, Excel workbooks, zip
archives, PDFs, images, HTML pages, files over the size limit, files whose header has a single column or
never ends, and files with a header but no data rows.

Files that are not plain UTF-8 are first transcoded to UTF-8 in a temporary folder, so that the parser
only ever sees valid UTF-8 (its error callback cannot decode anything else).

Line numbers are physical lines of the file (the header is line 1), also when quoted fields span lines;
a line ends at LF, CRLF or a lone CR, as the parser reads them.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from ..errors import InputError
from ..messages import say

_HEAD_BYTES = 256 * 1024
_CHUNK = 8 * 1024 * 1024
_BLOCK = 16 << 20  # arrow's parse block: a record longer than this needs a larger one
_MAX_BLOCK = (1 << 31) - 1
#: The column name given to the field every data row carries after the header's last one (a trailing delimiter
#: on the rows, not on the header: UCDP's web download). Its values must be empty.
TRAILING_FIELD = " row end"  # (header names are stripped: no clash)
_DELIMITERS = [",", ";", "\t", "|"]
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
# UTF-32 before UTF-16: the UTF-32 little-endian mark starts with the UTF-16 one.
_WIDE_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
_EIGHT_BIT = ("cp1252", "latin-1")
_ENCODING_NAMES = {
    "utf-8": "UTF-8", "cp1252": "Windows-1252", "latin-1": "Latin-1 (ISO 8859-1)", "utf-16": "UTF-16",
    "utf-16-le": "UTF-16 little-endian without a byte-order mark", "utf-16-be": "UTF-16 big-endian without a byte-order mark",
    "utf-32": "UTF-32", "utf-32-le": "UTF-32 little-endian without a byte-order mark",
    "utf-32-be": "UTF-32 big-endian without a byte-order mark",
}
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")
_ESCAPED = re.compile(r"[^\udc80-\udcff]+")  # removes all but bytes that were not UTF-8 (surrogate-escaped)
_ESCAPED_ONE = re.compile(r"[\udc80-\udcff]")
_ASCII_OR_ESCAPED = re.compile(r"[\x00-\x7f\udc80-\udcff]+")  # removes all but valid non-ASCII characters
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ASCII_RUNS = re.compile(r"[\x00-\x7e]+")
# ASCII text in UTF-16 read one byte out of step turns into characters U+XX00; UTF-32 into U+FFFD.
_OUT_OF_STEP = re.compile("[" + "".join(chr(c << 8) for c in (9, 10, 13, *range(0x20, 0x7F))) + "\ufffd]{4,}")
_IMAGES = [
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
]
#: Other kinds of files, by their first bytes: what the refusal says they are.
_SIGNATURES = [
    (b"PK\x05\x06", "a zip archive (an empty one)"), (b"PK\x07\x08", "a zip archive (one part of a split archive)"),
    (b"BZh", "a bzip2-compressed file"), (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x28\xb5\x2f\xfd", "a Zstandard-compressed file"), (b"SQLite format 3\x00", "an SQLite database (or a GeoPackage)"),
    (b"\x89HDF\r\n\x1a\n", "an HDF5 or NetCDF-4 file"), (b"CDF\x01", "a NetCDF file"), (b"CDF\x02", "a NetCDF file"),
    (b"\x7fELF", "a program (an ELF executable)"), (b"ARROW1", "an Arrow / Feather file"), (b"{\\rtf", "an RTF document"),
    (b"\x00\x00\x27\x0a", "a shapefile's geometry (.shp)"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"%!PS", "a PostScript document"), (b"OggS", "an Ogg audio or video file"), (b"ID3", "an MP3 audio file"),
    (b"\x1a\x45\xdf\xa3", "a Matroska / WebM video"), (b"RIFF", "a RIFF file (WAV audio, AVI video or WebP image)"),
]
#: The longest field Python's csv module reads (its default `field_size_limit`): a header holds column names, far
#: shorter; a longer "field" on the first line means the file is not a CSV of events.
_LONGEST_HEADER_FIELD = 131_072
_BASE64 = re.compile(r"^[A-Za-z0-9+/=\r\n]+$")


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
        """The file's delimiter in words ("comma", "semicolon", "tab")."""
        return _DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


def match_columns(header: list[str], spec: dict[str, list[str]]) -> dict[str, str]:
    """Canonical name -> the file's column, for each name of `spec` whose candidates (lower case) the header has.

    Parameters
    ----------
    header
        The file's header (column names as read).
    spec
        Canonical name -> the column names it may have (lower case).

    Returns
    -------
    dict[str, str]
        Canonical name -> the file's column, for each name of `spec` whose candidates (lower case) the header has.
    """
    lower = {h.strip().lower(): h for h in header}
    found = {}
    for canonical, candidates in spec.items():
        for candidate in candidates:
            if candidate in lower:
                found[canonical] = lower[candidate]
                break
    return found


def sha256_of(path: Path) -> str:
    """Hex SHA-256 of a file, read in chunks.

    Parameters
    ----------
    path
        The file.

    Returns
    -------
    str
        The hex digest.
    """
    return _scan(path, check_utf8=False).sha256


@dataclass
class _Scan:
    """What one pass over the bytes of a file learns."""

    sha256: str
    breaks: int  # line breaks, counted as the CSV parser counts them: LF, CRLF or a lone CR
    nul: bool  # holds a NUL byte
    bad_utf8: int | None = None  # offset of the first byte that is not UTF-8 (when checked)


def _count_breaks(chunk: bytes, previous: bytes) -> int:
    """Line breaks in `chunk`; `previous` is the chunk before (a CR LF may straddle the two)."""
    breaks = chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
    if previous.endswith(b"\r") and chunk.startswith(b"\n"):
        breaks -= 1
    return breaks


def _scan(path: Path, *, check_utf8: bool) -> _Scan:
    """SHA-256, line breaks, NUL bytes and (when asked) the first byte that is not UTF-8, in one pass."""
    digest = hashlib.sha256()
    breaks, nul, bad, offset, previous = 0, False, None, 0, b""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
            breaks += _count_breaks(chunk, previous)
            nul = nul or b"\x00" in chunk
            if check_utf8 and bad is None:
                pending = len(decoder.getstate()[0])
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError as exc:
                    bad = offset - pending + exc.start
            offset += len(chunk)
            previous = chunk
    if check_utf8 and bad is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:  # a character cut off at the end of the file
            bad = offset - len(decoder.getstate()[0]) + exc.start
    return _Scan(digest.hexdigest(), breaks, nul, bad)


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
    for magic, what in _IMAGES:
        if head.startswith(magic):
            raise InputError(f"{name} is {what}, not a CSV file")
    for magic, what in _SIGNATURES:
        if head.startswith(magic):
            raise InputError(f"{name} is {what}, not a CSV file; export the data as CSV (UTF-8)")
    if re.match(rb'\s*[\[{]\s*[\[{"]', stripped[:64]) and re.search(rb'"\s*:', stripped[:4096]):
        raise InputError(
            f"{name} is a JSON document (or GeoJSON), not a CSV file; export the data as CSV, or convert it to CSV first"
        )
    if re.match(rb"(?i)<(!doctype\s+html|html|head|body|\?xml)", stripped[:200]):
        raise InputError(
            f"{name} is an HTML or XML page, not a CSV file (perhaps a login or error page was saved "
            "instead of the download); download the data again"
        )


def _wide_encoding(head: bytes) -> str | None:
    """UTF-32 or UTF-16 from a byte-order mark, or from where the NUL bytes of ASCII text fall without one."""
    for bom, encoding in _WIDE_BOMS:
        if head.startswith(bom):
            return encoding
    # The first bytes only: a byte lost or added further on puts the rest out of step (see _check_wide).
    sample = head[: min(len(head), 256) // 4 * 4]
    if len(sample) < 8 or b"\x00" not in sample:
        return None
    quarter = len(sample) // 4
    zeros = [sample[i::4].count(0) / quarter for i in range(4)]
    guess = None
    if min(zeros[1:]) > 0.9 and zeros[0] < 0.5:
        guess = "utf-32-le"
    elif min(zeros[:3]) > 0.9 and zeros[3] < 0.5:
        guess = "utf-32-be"
    else:
        even, odd = sample[0::2].count(0) / (2 * quarter), sample[1::2].count(0) / (2 * quarter)
        if odd > 0.6 and even < 0.2:
            guess = "utf-16-le"
        elif even > 0.6 and odd < 0.2:
            guess = "utf-16-be"
    if guess:
        try:
            sample.decode(guess)
        except UnicodeDecodeError:
            return None
    return guess


def _check_wide(head: bytes, text: str, encoding: str, name: str) -> None:
    """Refuse UTF-16/32 that is not: a byte-order mark before other text, or bytes out of step (one lost or added)."""
    label = "UTF-16" if encoding.startswith("utf-16") else "UTF-32"
    for bom, _ in _WIDE_BOMS:
        if head.startswith(bom) and b"\x00" not in head[len(bom): len(bom) + 4096]:
            raise InputError(
                f"{name} starts with a {label} byte-order mark, but the text after it is not {label} (it has none of "
                f"the NUL bytes that letters take in {label}): the mark is wrong; save the file again as CSV UTF-8"
            )
    step = _OUT_OF_STEP.search(text)
    if step:
        line = 1 + len(_LINE_BREAK.findall(text[: step.start()]))
        raise InputError(
            f"{name} is {label} text whose bytes are out of step from line {line} on (a byte was lost or added "
            "there): the file is damaged; export it again, or save it as CSV UTF-8"
        )


def _decode_head(head: bytes, encoding: str) -> str:
    """The first bytes as text (a character cut at the end of the sample is dropped)."""
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    decoder = codecs.getincrementaldecoder(codec)("replace")
    return decoder.decode(head).lstrip("\ufeff")


def looks_like(head: bytes, text: str) -> str:
    """What the first bytes of a file that is not a CSV of events seem to be, in words, for the message that refuses it.

    Parameters
    ----------
    head
        The file's first bytes.
    text
        The same bytes as text, in the encoding found.

    Returns
    -------
    str
        What it seems to be ("a zip archive", "a JSON document", "binary data" ...).
    """
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    for magic, what in [(b"PK\x03\x04", "a zip archive"), *_IMAGES, *_SIGNATURES, (b"%PDF", "a PDF document"),
                        (b"\x1f\x8b", "a gzip-compressed file"), (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)")]:
        if stripped.startswith(magic):
            return what
    if b"PK\x03\x04" in head or b"PK\x01\x02" in head:
        return "a zip archive (or a file holding one)"
    if stripped[:1] in (b"{", b"[") and b'":' in head[:4096]:
        return "a JSON document"
    if re.match(rb"(?i)<(!doctype|html|\?xml|[a-z][\w:-]*[ >])", stripped[:200]):
        return "an XML or HTML document"
    sample = text[:4096]
    if len(sample) > 200 and _BASE64.match(sample) and all(re.search(p, sample) for p in ("[a-z]", "[A-Z]", "[0-9]")):
        return "base64-encoded data"
    if b"\x00" in head or len(_CONTROL_CHARS.findall(text[:4096])) > 0.01 * max(len(text[:4096]), 1):
        return "binary data"
    return "text that is not in rows and columns (a single line of text)" if not _LINE_BREAK.search(text[:200_000]) \
        else "text that is not in rows and columns"


def _refuse_non_text(text: str, name: str, encoding: str, head: bytes = b"") -> None:
    """Refuse what decodes to something other than text: control characters, or mostly non-ASCII in an 8-bit code."""
    if not text:
        return
    controls = len(_CONTROL_CHARS.findall(text))
    # Mostly non-ASCII: judged on the header line, since a data field may well be all accents.
    first = _LINE_BREAK.split(text[:4096], maxsplit=1)[0]
    non_ascii = len(_ASCII_RUNS.sub("", first)) / max(len(first), 1) if encoding in _EIGHT_BIT else 0
    if controls / len(text) > 0.01 or non_ascii > 0.3:
        how = (
            f"it is not UTF-8, and read as {_ENCODING_NAMES[encoding]} it is mostly symbols and control characters"
            if encoding in _EIGHT_BIT else "it is full of control characters"
        )
        what = looks_like(head, text)
        seems = "" if what == "binary data" or what.startswith("text") else f"; it seems to be {what}"
        raise InputError(
            f"{name} looks like binary data, not text ({how}{seems}); it cannot be read as CSV: is it another kind of "
            "file renamed .csv?"
        )


def _lines_of(path: Path, offsets: list[int]) -> list[int]:
    """1-based line of each byte offset (sorted) of a file."""
    lines, found, done, previous = 1, [], 0, b""
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            while len(found) < len(offsets) and offsets[len(found)] < done + len(chunk):
                lines_here = lines + _count_breaks(chunk[: offsets[len(found)] - done], previous)
                found.append(lines_here)
            lines += _count_breaks(chunk, previous)
            done += len(chunk)
            previous = chunk
    return found + [lines] * (len(offsets) - len(found))


def _not_utf8(path: Path) -> tuple[str, str]:
    """
    Choose how to read a file that is not valid UTF-8, and the note that says so.

    A file whose other non-ASCII characters are valid UTF-8 is UTF-8 with damaged bytes: those bytes are
    replaced by U+FFFD. Otherwise it is Windows-1252 (or Latin-1 when it holds bytes that Windows-1252
    leaves undefined).
    """
    decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
    valid_non_ascii, bad_bytes, bad_offsets, undefined_in_cp1252 = 0, 0, [], False
    offset = 0
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            pending = len(decoder.getstate()[0])
            text = decoder.decode(chunk)
            valid_non_ascii += len(_ASCII_OR_ESCAPED.sub("", text))
            escaped = _ESCAPED.sub("", text)
            bad_bytes += len(escaped)
            if escaped and len(bad_offsets) < 20:
                # positions in bytes: count the UTF-8 length of the text before each escaped byte
                for match in _ESCAPED_ONE.finditer(text):
                    if len(bad_offsets) >= 20:
                        break
                    before = text[: match.start()].encode("utf-8", "surrogateescape")
                    bad_offsets.append(offset - pending + len(before))
            undefined_in_cp1252 = undefined_in_cp1252 or any(b in chunk for b in _CP1252_UNDEFINED)
            offset += len(chunk)
        tail = decoder.decode(b"", final=True)
        bad_bytes += len(_ESCAPED.sub("", tail))
    # The first bad byte of each of the first few lines that have one.
    firsts: dict[int, int] = {}
    for line, where in zip(_lines_of(path, bad_offsets), bad_offsets):
        firsts.setdefault(line, where)
    with open(path, "rb") as handle:
        shown = []
        for line, where in list(firsts.items())[:3]:
            handle.seek(where)
            shown.append(f"byte 0x{handle.read(1)[0]:02X} on line {line}")
    where = ", ".join(shown) + (", ..." if len(firsts) > 3 or len(bad_offsets) == 20 else "")
    if valid_non_ascii >= bad_bytes:
        return "utf-8", (
            f"{bad_bytes:,} byte(s) are not valid UTF-8 ({where}) while the rest of the file is UTF-8: each was "
            "replaced by '\ufffd'; check those lines"
        )
    encoding = "latin-1" if undefined_in_cp1252 else "cp1252"
    return encoding, (
        f"the file is not UTF-8 ({where}): it was read as {_ENCODING_NAMES[encoding]}; if accented letters look "
        "wrong, save it as CSV UTF-8 and upload it again"
    )


def _transcode(source: Path, target: Path, encoding: str) -> str | None:
    """Write `source`, in `encoding`, to `target` as UTF-8; the note when some bytes had to be replaced."""
    errors = "replace" if encoding == "utf-8" else "strict"
    try:
        _transcode_with(source, target, encoding, errors)
        return None
    except UnicodeDecodeError:
        _transcode_with(source, target, encoding, "replace")
    return (
        f"some bytes are not valid {_ENCODING_NAMES.get(encoding, encoding)} (the file is damaged, or cut in the "
        "middle of a character): each was replaced by '\ufffd'"
    )


def _transcode_with(source: Path, target: Path, encoding: str, errors: str) -> None:
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    decoder = codecs.getincrementaldecoder(codec)(errors)
    with open(source, "rb") as src, open(target, "wb") as out:
        for chunk in iter(lambda: src.read(_CHUNK), b""):
            out.write(decoder.decode(chunk).encode("utf-8"))
        out.write(decoder.decode(b"", final=True).encode("utf-8"))


def _sniff(text: str, name: str, min_columns: int, whole: bool) -> tuple[str, list[str], int, list[str] | None, bool]:
    """Delimiter, header fields, number of physical lines the header takes, the second record, and whether any record follows the header (always True when `text` is only the beginning of the file)."""
    first_line = _LINE_BREAK.split(text, maxsplit=1)[0]
    if not first_line.strip():
        raise InputError(f"{name}: the first line is empty; the first line must be the header row")
    if whole and not _LINE_BREAK.search(text):
        raise InputError(
            f"{name} holds a single line without a line break at its end: a header and no data rows, or a file "
            "cut off; export the data again"
        )
    if not whole and not _LINE_BREAK.search(text):
        raise InputError(
            f"{name} is not a CSV file of events: its first line runs past the first {len(text):,} characters without a "
            f"line break, where a header holds column names; it seems to be "
            f"{looks_like(text[:4096].encode('utf-8', 'replace'), text)}"
        )
    fields = {d: _split_line(first_line, d) for d in _DELIMITERS}
    counts = {d: len(f) for d, f in fields.items()}
    delimiter = max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d)))
    longest = max(len(f) for f in fields[delimiter])
    if longest > _LONGEST_HEADER_FIELD:
        raise InputError(
            f"{name} is not a CSV file of events: its first line holds a field of {longest:,} characters, where a "
            f"header holds column names; it seems to be {looks_like(text[:4096].encode('utf-8', 'replace'), text)}"
        )
    if counts[delimiter] < min_columns and first_line.count('"') % 2:
        raise InputError(
            f"{name}: the header row never ends: a quote (\") opened on line 1 is not closed on that line; fix the "
            "quotes of line 1"
        )
    if counts[delimiter] < min_columns:
        raise InputError(
            f"{name}: the header (line 1) has a single column, so the delimiter is none of comma, semicolon, tab "
            "or pipe; save the file as CSV with one of those delimiters"
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        header_lines = reader.line_num
    except (StopIteration, csv.Error) as exc:
        raise InputError(f"{name}: the header row (line 1) cannot be read ({exc}); check its quotes") from None
    records: list[list[str]] = []
    more = not whole
    try:
        for _ in range(2):
            records.append(next(reader))
    except StopIteration:
        pass
    except csv.Error:  # something follows the header, if not something the csv module reads
        more = True
    second = records[0] if records else None
    followed = more or len(records) > (1 if _is_hxl(second) else 0)
    return delimiter, header, header_lines, second, followed


def _split_line(line: str, delimiter: str) -> list[str]:
    """The fields of one line at a delimiter (split plainly, quotes aside, where a field is over the csv module's limit)."""
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except csv.Error:
        return line.split(delimiter)


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


def _read_arrow(path: Path, names: list[str], skip: int, delimiter: str, block_size: int) -> tuple[pa.Table, list, list[str]]:
    """
    Parse with all cores; only when rows are malformed, parse again on one thread to learn where.

    When most rows carry one field more than the header and that field is empty (UCDP's web download ends
    every data row, but not the header, with a comma), the file is parsed again with one more column,
    `TRAILING_FIELD`: the rows are read and the caller checks that the extra field is empty.
    """
    table, bad = _read_arrow_once(path, names, skip, delimiter, block_size, threads=True)
    # (A header that ends with a delimiter itself has its empty last column already: a row longer still is malformed.)
    if bad and not names[-1].startswith("_unnamed_") and _rows_end_with_an_empty_field(table, bad, len(names), delimiter):
        names = [*names, TRAILING_FIELD]
        table, bad = _read_arrow_once(path, names, skip, delimiter, block_size, threads=True)
    if bad:
        table, bad = _read_arrow_once(path, names, skip, delimiter, block_size, threads=False)
    return table, bad, names


def _rows_end_with_an_empty_field(table: pa.Table, bad: list, n_names: int, delimiter: str) -> bool:
    """Whether the rows with one field too many, empty, are at least as many as the well-formed rows not blank.

    (Rows malformed otherwise are so in either reading.)
    """
    ends = (delimiter, delimiter + '""')  # an empty last field, quoted or not
    trailing = sum(1 for _, actual, text in bad if actual == n_names + 1 and text.endswith(ends))
    if trailing == 0:
        return False
    if table.num_rows == 0:
        return True
    blank = None
    for column in table.columns:
        empty = pc.equal(pc.utf8_length(column), 0)
        blank = empty if blank is None else pc.and_(blank, empty)
    return trailing >= table.num_rows - pc.sum(pc.cast(blank, pa.int64())).as_py()


def _read_arrow_once(path: Path, names: list[str], skip: int, delimiter: str, block_size: int, *,
                     threads: bool) -> tuple[pa.Table, list]:
    bad: list[tuple[int | None, int, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        bad.append((row.number, row.actual_columns, row.text))
        return "skip"

    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(
            use_threads=threads,  # row numbers of invalid rows are only known single-threaded
            column_names=names,
            skip_rows=skip,
            encoding="utf8",  # every other encoding was transcoded to UTF-8 first
            block_size=block_size,
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


def _parse(path: Path, names: list[str], skip: int, delimiter: str, size: int, name: str) -> tuple[pa.Table, list, list[str]]:
    """Arrow's parse, with a larger block when a row is longer than a block, and arrow's errors told plainly.

    Returns (table, malformed rows, column names, with `TRAILING_FIELD` last when the rows end with an empty field).
    """
    try:
        return _read_arrow(path, names, skip, delimiter, _BLOCK)
    except pa.ArrowInvalid as exc:
        if "straddl" not in str(exc):
            raise InputError(f"{name} cannot be read as CSV ({_arrow_reason(exc)}); check that it is a CSV export") from None
    # A record longer than a block: a huge field, or a quote that is never closed and swallows the rest.
    try:
        return _read_arrow(path, names, skip, delimiter, min(size + 1, _MAX_BLOCK))
    except pa.ArrowInvalid:
        raise InputError(
            f"{name} holds a row longer than {_MAX_BLOCK >> 20:,} MB, most likely a quote (\") that is never closed "
            "so that the rest of the file reads as one field; check the quotes"
        ) from None


def _arrow_reason(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    return re.sub(r"^CSV parse error:\s*", "", text)[:200]


def load_csv(
    path: str | Path, *, display_name: str | None = None, max_bytes: int | None = None, min_columns: int = 2
) -> RawTable:
    """Read a delimited text file into text columns, with physical line numbers and malformed rows set aside.

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

    Returns
    -------
    RawTable
        The header, every row as text, their physical line numbers and the rows set aside.

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
    if head.startswith(codecs.BOM_UTF8) and _wide_encoding(head[3:]):
        raise InputError(
            f"{name} starts with a UTF-8 byte-order mark, but the text after it is UTF-16 or UTF-32: the mark is "
            "wrong; save the file again as CSV UTF-8"
        )
    encoding = _wide_encoding(head) or "utf-8"
    if encoding == "utf-8" and head.count(b"\x00") > max(1, len(head) // 100):
        raise InputError(
            f"{name} contains binary data (NUL bytes), not text: it is neither UTF-8 nor readable UTF-16 or UTF-32 "
            "text (a file in those encodings may be damaged); it cannot be read as CSV"
        )
    scan = _scan(path, check_utf8=encoding == "utf-8")
    notes: list[str] = []
    if encoding.startswith(("utf-16", "utf-32")):
        notes.append(f"read as {_ENCODING_NAMES.get(encoding, encoding)}")
    elif scan.bad_utf8 is not None:
        encoding, note = _not_utf8(path)
        notes.append(note)
    text = _decode_head(head, encoding)
    if encoding.startswith(("utf-16", "utf-32")):
        _check_wide(head, text, encoding, name)
    _refuse_non_text(text, name, encoding, head)
    if not text.strip():
        raise InputError(f"{name} holds only blank lines")
    delimiter, header, header_lines, second, followed = _sniff(text, name, min_columns, whole=size <= len(head))
    if any("\x00" in h for h in header):
        raise InputError(f"{name}: the header (line 1) holds a NUL byte; the file is damaged or not plain text")
    quoted = next((h for h in header if '"' in h), None)
    if quoted is not None:  # a stray quote merges or splits column names, and every row after it
        raise InputError(
            f"{name}: the header (line 1) holds a stray quote (\") in the column name {quoted[:60]!r}; fix the quotes "
            "of line 1"
        )
    if not followed and header_lines > 1:
        raise InputError(
            f"{name}: the header row never ends: a quote (\") opened on line 1 is not closed where it should be, so "
            f"lines 1 to {header_lines} read as one header row; fix the quotes of line 1"
        )
    if not followed:
        cut = "" if text.endswith(("\n", "\r")) else " (its last line has no line break: was the file cut off?)"
        raise InputError(f"{name} has a header but no data rows{cut}; export the data again")
    hxl = _is_hxl(second)
    names = _column_names(header)
    skip = 1 + (1 if hxl else 0)
    with tempfile.TemporaryDirectory(prefix="atlas-csv-") as workdir:
        read_path = path
        if encoding != "utf-8" or scan.bad_utf8 is not None:
            read_path = Path(workdir) / "utf8.csv"
            note = _transcode(path, read_path, encoding)
            notes += [note] if note else []
            transcoded = _scan(read_path, check_utf8=False)
            scan = _Scan(scan.sha256, transcoded.breaks, transcoded.nul)
        table, bad, parsed_names = _parse(read_path, names, skip, delimiter, read_path.stat().st_size, name)
        data = table.to_pandas()
        del table
    trailing = len(parsed_names) > len(names)
    sha256, newline_count = scan.sha256, scan.breaks

    # Blank lines are neither data nor errors. Everything else with a wrong field count is malformed.
    first_record = 1 + (1 if hxl else 0)  # records counted from 0 = header
    n_kept = len(data)
    bad_numbers = np.array([b[0] for b in bad], dtype=np.int64) if bad else np.empty(0, dtype=np.int64)
    record_numbers = _kept_record_numbers(n_kept, bad_numbers, first_record)
    # Line breaks beyond one per record (and the header's) sit inside quoted fields.
    embedded = newline_count > header_lines + (1 if hxl else 0) + n_kept + len(bad)
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
        key = "reason.fields_trailing" if trailing else "reason.fields"
        if row_text.count('"') % 2:  # a quoted field opened here is closed too late or never
            key += "_quotes"
        reason = say(key, actual=actual, expected=len(names), others=len(names) + 1)
        if "\x00" in row_text:
            reason += "; " + say("reason.also_nul")
        malformed.append(Rejection(file=name, line=int(line), reason=reason, text=row_text[:500]))
    if trailing:
        data, lines, filled = _set_aside_filled_trailing(data, lines, name, names, delimiter)
        malformed = sorted(malformed + filled, key=lambda r: r.line)
        notes.append(say("note.trailing", delimiter=_DELIMITER_NAMES.get(delimiter, repr(delimiter)), column=names[-1]))
    if scan.nul and len(data):
        data, lines, nul_rows = _set_aside_nul(data, lines, name)
        malformed = sorted(malformed + nul_rows, key=lambda r: r.line)
    if hxl:
        notes.append(say("note.hxl"))
    if blank:
        notes.append(say("note.blank", n=blank))
    if any(n.startswith("_unnamed_") for n in names):
        notes.append(say("note.unnamed"))
    return RawTable(
        file=name, path=path, sha256=sha256, size=size, encoding=encoding, delimiter=delimiter,
        header=names, data=data, lines=lines, rows_read=len(data) + len(malformed), malformed=malformed,
        hxl_row=hxl, notes=notes,
    )


def _set_aside_filled_trailing(
    data: pd.DataFrame, lines: np.ndarray, name: str, names: list[str], delimiter: str,
) -> tuple[pd.DataFrame, np.ndarray, list[Rejection]]:
    """Rows of a file whose rows end with an empty field (see `TRAILING_FIELD`) that hold a value there: rejected."""
    extra = data.pop(TRAILING_FIELD)
    filled = (extra != "").to_numpy()
    if not filled.any():
        return data, lines, []
    n = len(names)
    rejected = [
        Rejection(
            file=name, line=int(line),
            reason=say("reason.trailing_value", actual=n + 1, expected=n, value=_shown(value),
                       delimiter=_DELIMITER_NAMES.get(delimiter, repr(delimiter)), column=names[-1]),
        )
        for line, value in zip(lines[filled], extra[filled])
    ]
    return data.loc[~filled].reset_index(drop=True), lines[~filled], rejected


def _shown(value: str) -> str:
    """A value quoted in a message: its first 60 characters."""
    return repr(value[:60] + ("…" if len(value) > 60 else ""))


def _set_aside_nul(data: pd.DataFrame, lines: np.ndarray, name: str) -> tuple[pd.DataFrame, np.ndarray, list[Rejection]]:
    """Rows holding a NUL character are damaged (binary data in a text file): rejected, with their line."""
    has_nul = np.zeros(len(data), dtype=bool)
    for column in data.columns:
        has_nul |= data[column].str.contains("\x00", regex=False).to_numpy()
    if not has_nul.any():
        return data, lines, []
    rejected = [
        Rejection(
            file=name, line=int(line),
            reason=say("reason.nul_row"),
        )
        for line in lines[has_nul]
    ]
    return data.loc[~has_nul].reset_index(drop=True), lines[~has_nul], rejected


def _kept_record_numbers(n_kept: int, bad_numbers: np.ndarray, first_record: int) -> np.ndarray:
    """Record numbers (0 = header) of the rows that parsed, given those of the rows that did not."""
    total = n_kept + len(bad_numbers)
    all_numbers = np.arange(first_record, first_record + total, dtype=np.int64)
    if len(bad_numbers) == 0:
        return all_numbers
    # Arrow numbers records from 1 at the first line of the file (the header).
    return np.setdiff1d(all_numbers, bad_numbers - 1, assume_unique=True)


def _breaks_in(values: pd.Series) -> np.ndarray:
    """Line breaks (LF, CRLF or a lone CR) inside each text value."""
    return (values.str.count("\n") + values.str.count("\r") - values.str.count("\r\n")).to_numpy(dtype=np.int64)


def _newlines_in(data: pd.DataFrame) -> np.ndarray:
    counts = np.zeros(len(data), dtype=np.int64)
    for column in data.columns:
        values = data[column]
        if values.str.contains("\n", regex=False).any() or values.str.contains("\r", regex=False).any():
            counts += _breaks_in(values)
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
    bad_extra = _breaks_in(pd.Series([b[2] for b in bad], dtype=object)) if bad else np.empty(0, dtype=np.int64)
    all_records = np.concatenate([record_numbers, bad_records])
    all_extra = np.concatenate([_newlines_in(data), bad_extra])
    order = np.argsort(all_records, kind="stable")
    spans_before = np.concatenate([[0], np.cumsum(all_extra[order])[:-1]]).astype(np.int64)
    start = np.empty_like(all_records)
    start[order] = all_records[order] - first_record + base + 1 + spans_before
    return start[: len(record_numbers)], start[len(record_numbers):]
