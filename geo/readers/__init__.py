"""Readers: a file in, canonical events out, with every rejected row listed with its line and reason.

`read_events` detects the format from the header (ACLED of any vintage, UCDP GED, or a generic CSV with
a column mapping), reads the file robustly (see `_csv`), translates it into the canonical schema
(`geo.schema`) and checks each row. `read_file` also recognises ACLED's public aggregates (HDX workbooks and
HDX HAPI rows, `hdx`), which are not events: they become canonical aggregate rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import InputError
from . import acled, generic, hdx, ucdp
from ._checks import MAX_FATALITIES
from ._csv import RawTable, Rejection, load_csv
from .generic import ColumnMapping, suggest_mapping
from .hdx import AggregateRead

__all__ = [
    "AggregateRead", "ColumnMapping", "ReadResult", "Rejection", "detect_format", "read_events", "read_file",
    "suggest_mapping", "FORMATS", "MAX_FATALITIES", "RawTable", "load_csv",
]

#: Formats of `--format`: events (acled, ucdp, generic) and ACLED's aggregate tables (acled-hdx, hdx-hapi).
FORMATS = ("auto", "acled", "ucdp", "generic", *hdx.LAYOUTS)
_ACLED_KEYS = {"event_id_cnty", "event_date", "event_type"}
_UCDP_KEYS = {"type_of_violence", "where_prec", "date_start", "best"}


def detect_format(header: list[str]) -> str | None:
    """"acled", "ucdp" or None (generic) from a header row.

    Parameters
    ----------
    header
        The file's header (column names as read).

    Returns
    -------
    str | None
        "acled", "ucdp" or None (generic) from a header row.

    Raises
    ------
    InputError
        When the header carries the key columns of both ACLED and UCDP.
    """
    lower = {h.strip().lower() for h in header}
    is_acled = _ACLED_KEYS <= lower
    is_ucdp = ucdp.is_ucdp_header(header)
    if is_acled and is_ucdp:
        raise InputError("the header has both ACLED and UCDP key columns; ACLED and UCDP rows must be in separate files")
    return "acled" if is_acled else "ucdp" if is_ucdp else None


@dataclass
class ReadResult:
    """One file read: its canonical events (accepted rows) and everything learnt about it."""

    file: str
    path: Path
    format: str
    sha256: str
    size: int
    encoding: str
    delimiter: str
    rows_read: int
    events: pd.DataFrame
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    mapping: ColumnMapping | None = None
    #: The layout of the source the file is in (UCDP GED: "GED release", "GED candidate", "web download"), else "".
    layout: str = ""
    #: Canonical columns the file has no column for -> the file's name for the column it lacks.
    absent: dict[str, str] = field(default_factory=dict)

    def describe(self) -> str:
        """The result in one line for the command line (format, rows, rejections).

        Returns
        -------
        str
            The line.
        """
        return (
            f"{self.file}: {self.format.upper()} format, {self.encoding}, {RawTable.delimiter_name.fget(self)} "
            f"delimited, {self.rows_read:,} rows"
        )

    @property
    def delimiter_name(self) -> str:
        """The file's delimiter in words ("comma", "semicolon", "tab")."""
        return RawTable.delimiter_name.fget(self)


def _refuse_mixed(table: RawTable, fmt: str) -> None:
    """A second header of the other format inside the file means ACLED and UCDP rows are mixed."""
    other = _UCDP_KEYS if fmt == "acled" else _ACLED_KEYS
    for rejection in table.malformed:
        cells = {c.strip().strip('"').lower() for c in rejection.text.replace(";", ",").split(",")}
        if len(cells & other) >= 2:
            raise InputError(
                f"{table.file}, line {rejection.line}: a {'UCDP' if fmt == 'acled' else 'ACLED'} header row "
                "starts here; the file mixes ACLED and UCDP rows; put each dataset in its own file"
            )
    first = table.data[table.header[0]].str.strip().str.lower()
    hits = first.isin(other | _ACLED_KEYS | _UCDP_KEYS | {"id", "data_id", "iso", "event_id_cnty"})
    if hits.any():
        line = int(table.lines[hits.to_numpy().nonzero()[0][0]])
        raise InputError(
            f"{table.file}, line {line}: a second header row starts here (two exports, or ACLED and UCDP rows, "
            "in one file); put each export in its own file"
        )


def read_events(
    path: str | Path,
    *,
    format: str = "auto",
    mapping: ColumnMapping | None = None,
    display_name: str | None = None,
    max_bytes: int | None = None,
) -> ReadResult:
    """Read one event file into canonical events (`read_file` with a table of aggregates refused).

    Parameters
    ----------
    path
        The file.
    format
        "auto" (recognised from the header), "acled", "ucdp" or "generic".
    mapping
        The column mapping of a generic CSV (which column holds which canonical field).
    display_name
        The name the user knows the file by; default its path.
    max_bytes
        The largest file read, in bytes; None for no limit.

    Returns
    -------
    ReadResult
        The events, the rejected rows and the file's accounting.

    Raises
    ------
    InputError
        When the file as a whole cannot be used, or is a table of aggregates, not events.
    """
    result = read_file(path, format=format, mapping=mapping, display_name=display_name, max_bytes=max_bytes)
    if isinstance(result, AggregateRead):
        raise InputError(f"{result.file} is a table of ACLED's aggregates per unit and month, not events; ingest it "
                         "on its own (python -m geo ingest FILE)")
    return result


def read_file(
    path: str | Path,
    *,
    format: str = "auto",
    mapping: ColumnMapping | None = None,
    indicator: str | None = None,
    display_name: str | None = None,
    max_bytes: int | None = None,
) -> ReadResult | AggregateRead:
    """
    Read one file: canonical events, or — for ACLED's aggregate tables — canonical aggregate rows.

    Parameters
    ----------
    path
        CSV file.
    format
        "auto" (detect from the header), "acled", "ucdp", "generic", "acled-hdx" or "hdx-hapi".
    mapping
        Column mapping for generic files (ignored for ACLED and UCDP unless format="generic").
    indicator
        For an aggregate table: the indicator it holds (`geo.indicators`); default from its file name.
    display_name
        Name used in messages (an uploaded file's own name).
    max_bytes
        Refuse larger files.

    Returns
    -------
    ReadResult or AggregateRead
        Accepted rows as canonical events (plus `_file` and `_line` columns), rejected rows with their
        line numbers and reasons, the detected format and reading notes; for an aggregate table, its
        canonical unit-months (`geo.readers.hdx`).

    Raises
    ------
    InputError
        When the file as a whole cannot be used; nothing is read then.
    """
    if format not in FORMATS:
        raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    table = load_csv(path, display_name=display_name, max_bytes=max_bytes)
    if table.rows_read == 0:
        raise InputError(f"{table.file} has a header but no data rows")
    layout = hdx.aggregate_layout(table.header)
    if format in hdx.LAYOUTS or (format == "auto" and layout):
        if format != "auto" and layout != format:
            raise InputError(f"{table.file} was given as {format} but its header is not that layout's; "
                             f"its columns are {', '.join(table.header)}")
        return hdx.read_aggregate_table(table, layout=layout, indicator=indicator)
    if indicator:
        raise InputError(f"{table.file} is an event file: --indicator is for ACLED's aggregate tables (to select events "
                         "of an indicator, use it with aggregate)")
    detected = detect_format(table.header)
    fmt = format if format != "auto" else (detected or "generic")
    if fmt in ("acled", "ucdp") and format != "auto" and detected != fmt:
        raise InputError(
            f"{table.file} was given as {fmt.upper()} but its header does not have the {fmt.upper()} key "
            f"columns ({', '.join(sorted(_ACLED_KEYS if fmt == 'acled' else _UCDP_KEYS | {'id'}))})"
        )
    layout = ""
    if fmt == "acled":
        _refuse_mixed(table, fmt)
        events, reasons, notes = acled.translate(table)
        absent = acled.absent_columns(table.header)
    elif fmt == "ucdp":
        _refuse_mixed(table, fmt)
        events, reasons, notes, layout = ucdp.translate(table)
        absent = ucdp.absent_columns(table.header)
    else:
        events, reasons, notes = generic.translate(table, mapping)
        absent = generic.absent_columns(mapping)
    table.data = table.data.iloc[:0]  # the text columns are translated: free them before going on
    if fmt == "acled" and len(events) and (events["source_dataset"] == "sample").all():
        fmt = "sample"
    events["_file"] = table.file
    events["_line"] = table.lines
    rejected = list(table.malformed)
    if len(reasons):
        positions = events.index.get_indexer(reasons.index)
        ids = events["event_id"].to_numpy()
        rejected += [
            Rejection(file=table.file, line=int(table.lines[p]), reason=r, event_id=str(ids[p]))
            for p, r in zip(positions, reasons.to_numpy())
        ]
        events = events.drop(index=reasons.index)
    rejected.sort(key=lambda r: r.line)
    return ReadResult(
        file=table.file, path=table.path, format=fmt, sha256=table.sha256, size=table.size,
        encoding=table.encoding, delimiter=table.delimiter, rows_read=table.rows_read,
        events=events.reset_index(drop=True), rejected=rejected, notes=table.notes + notes,
        header=table.header, mapping=mapping if fmt == "generic" else None, layout=layout, absent=absent,
    )
