"""ACLED's public aggregates → canonical aggregate rows (`geo.schema.AGGREGATE_COLUMNS`), source `acled-hdx`.

Two layouts, read by header name (case-insensitive):

- **HDX workbooks** (`acled-hdx`), one per country and indicator, sheet `Data` saved as CSV:
  `Country, Admin1, Admin2, ISO3, Admin2 Pcode, Admin1 Pcode, Month, Year, Events, Fatalities`. `Month` is an
  English month name, `Year` a 4-digit string; a row for every unit and month, zero months included. The
  demonstrations workbook has no `Fatalities` column: its fatalities are unknown (NULL), not zero. The file
  does not say which indicator it holds: its name does (`…_political_violence_…`), or `--indicator`.
- **HDX HAPI `conflict_event`** (`hdx-hapi`), as its API returns CSV (UTF-8 with a byte-order mark, CRLF):
  `location_code, admin1_code, admin1_name, admin2_code, admin2_name, admin_level, event_type, events,
  fatalities, reference_period_start, reference_period_end, …, warning, error`; `event_type` is
  `political_violence`, `civilian_targeting` or `demonstration`; `fatalities` is empty for demonstrations. HDX
  repairs Niger's p-codes (`NER005012` → `NE005012`) and says so in `warning`.

The indicator of a table: `--indicator`, else the file's name, else HAPI's `event_type` of each row;
otherwise the file is refused in one line that names `--indicator`. The table's as-of date is read from its
file name (`…_asof_2025-04-03.csv`), else it is its last month.

Every row lands in the table or among the rejected rows with its line and reason: a month that is not a
month, a year that is not 4 digits, counts that are not whole non-negative numbers, a month in the future,
fatalities without events, a country-level HAPI row, rows of another indicator than the one asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import iso3_from_any
from ..errors import InputError
from ..indicators import AGGREGATE_SOURCE, INDICATORS, check_indicator, indicator_from_file_name, indicator_from_hapi
from ..names import normalize_name
from ..schema import AGGREGATE_COLUMNS, coerce_aggregates
from ._checks import MAX_FATALITIES, RowProblems, parse_number
from ._csv import RawTable, Rejection, match_columns

#: The two layouts, as `--format` names them.
LAYOUTS = ("acled-hdx", "hdx-hapi")
HDX_COLUMNS = {
    "country": ["country"],
    "admin1": ["admin1"],
    "admin2": ["admin2"],
    "iso3": ["iso3"],
    "admin2_pcode": ["admin2 pcode", "admin2_pcode", "admin2pcode"],
    "admin1_pcode": ["admin1 pcode", "admin1_pcode", "admin1pcode"],
    "month": ["month"],
    "year": ["year"],
    "events": ["events"],
    "fatalities": ["fatalities"],
}
HAPI_COLUMNS = {
    "location_code": ["location_code"],
    "admin1_code": ["admin1_code"],
    "admin1_name": ["admin1_name"],
    "provider_admin1_name": ["provider_admin1_name"],
    "admin2_code": ["admin2_code"],
    "admin2_name": ["admin2_name"],
    "provider_admin2_name": ["provider_admin2_name"],
    "admin_level": ["admin_level"],
    "event_type": ["event_type"],
    "events": ["events"],
    "fatalities": ["fatalities"],
    "start": ["reference_period_start"],
    "end": ["reference_period_end"],
    "warning": ["warning"],
    "error": ["error"],
}
_HDX_KEYS = {"month", "year", "events"}
_HAPI_KEYS = {"location_code", "event_type", "events", "reference_period_start"}
_MONTHS = {
    name.lower(): number
    for number, names in enumerate(
        [("January", "Jan"), ("February", "Feb"), ("March", "Mar"), ("April", "Apr"), ("May",), ("June", "Jun"),
         ("July", "Jul"), ("August", "Aug"), ("September", "Sep", "Sept"), ("October", "Oct"),
         ("November", "Nov"), ("December", "Dec")], start=1)
    for name in names
}
_AS_OF = re.compile(r"as[\s_-]?of[\s_-]?(\d{4})-?(\d{2})-?(\d{2})", re.IGNORECASE)


def aggregate_layout(header: list[str]) -> str | None:
    """"acled-hdx" or "hdx-hapi" when a header is one of ACLED's aggregate tables, else None.

    Parameters
    ----------
    header
        The file's header (column names as read).

    Returns
    -------
    str | None
        "acled-hdx" or "hdx-hapi" when a header is one of ACLED's aggregate tables, else None.
    """
    lower = {h.strip().lower().lstrip("\ufeff") for h in header}
    if _HAPI_KEYS <= lower:
        return "hdx-hapi"
    if _HDX_KEYS <= lower and (lower & {"admin1 pcode", "admin1_pcode", "admin2 pcode", "admin2_pcode", "admin1", "admin2"}):
        return "acled-hdx"
    return None


def as_of_from_file_name(name: str) -> str:
    """The as-of date in a file's name ("…_asof_2025-04-03.csv" → "2025-04-03"), or "".

    Parameters
    ----------
    name
        The file's name.

    Returns
    -------
    str
        The as-of date in a file's name ("…_asof_2025-04-03.csv" → "2025-04-03"), or "".
    """
    found = _AS_OF.search(name)
    if not found:
        return ""
    try:
        return date(int(found[1]), int(found[2]), int(found[3])).isoformat()
    except ValueError:
        return ""


@dataclass
class AggregateRead:
    """One aggregate table read: its unit-months (accepted rows) and everything learnt about it."""

    file: str
    path: Path
    format: str  # "acled-hdx" or "hdx-hapi"
    sha256: str
    size: int
    encoding: str
    delimiter: str
    rows_read: int
    rows: pd.DataFrame  # AGGREGATE_COLUMNS + _file, _line
    as_of: str  # "YYYY-MM-DD" from the file name, else the last month "YYYY-MM"
    indicator_from: str  # "--indicator", "file name" or "event_type"
    rejected: list[Rejection] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)

    @property
    def delimiter_name(self) -> str:
        """The file's delimiter in words ("comma", "semicolon", "tab")."""
        return RawTable.delimiter_name.fget(self)


def _text(table: RawTable, columns: dict[str, str], name: str) -> pd.Series:
    if name not in columns:
        return pd.Series("", index=table.data.index, dtype="str")
    return table.data[columns[name]].astype("str").fillna("").str.strip()


def _count(problems: RowProblems, text: pd.Series, label: str, *, blank_ok: bool) -> pd.Series:
    """A whole non-negative count per row; blank is missing (NULL) when `blank_ok`, else a problem."""
    numbers, missing, invalid = parse_number(text)
    if not blank_ok:
        problems.add(missing, f"{label} missing")
    problems.add(invalid, lambda m: label + " '" + text[m] + "' is not a number")
    negative = (numbers < 0).to_numpy()
    problems.add(negative, lambda m: label + " " + text[m] + " is negative")
    fractional = ((numbers % 1) != 0).to_numpy() & ~np.isnan(numbers.to_numpy())
    problems.add(fractional & ~negative, lambda m: label + " " + text[m] + " is not a whole number")
    too_many = (numbers > MAX_FATALITIES).to_numpy()
    problems.add(too_many, lambda m: label + " " + text[m] + f" is above {MAX_FATALITIES:,} in one unit and month; check the value")
    return numbers.where(~(negative | fractional | too_many)).round().astype("Int64")


def _this_month() -> str:
    return datetime.now(UTC).strftime("%Y-%m")


def _unit_ids(level: pd.Series, a1_code: pd.Series, a1_name: pd.Series, a2_code: pd.Series, a2_name: pd.Series) -> pd.Series:
    """A unit's key in its table: its code at its level, else its name (normalised)."""
    code = a2_code.where(level == 2, a1_code)
    missing = (code == "").to_numpy()
    if not missing.any():
        return code
    # (names normalised once per distinct pair: a table repeats each unit in every month)
    pairs = pd.DataFrame({"a1": a1_name[missing], "name": a2_name.where(level == 2, a1_name)[missing]})
    keys = {pair: f"name:{normalize_name(pair[0])}/{normalize_name(pair[1])}" for pair in set(zip(pairs["a1"], pairs["name"]))}
    out = code.astype(object).copy()
    out[missing] = [keys[pair] for pair in zip(pairs["a1"], pairs["name"])]
    return out.astype("str")


def _resolve_indicator(table: RawTable, layout: str, indicator: str | None) -> tuple[str | None, str]:
    """The table's indicator (None: HAPI's event_type of each row) and where it came from."""
    indicator = check_indicator(indicator)
    if indicator:
        return indicator, "--indicator"
    from_name = indicator_from_file_name(table.file)
    if from_name:
        return from_name, "file name"
    if layout == "hdx-hapi":
        return None, "event_type"
    raise InputError(
        f"{table.file}: which indicator does this table hold? Its name says none of political_violence, "
        f"civilian_targeting or demonstrations, and the HDX layout does not say it; give --indicator "
        f"{'|'.join(INDICATORS)}"
    )


def read_aggregate_table(table: RawTable, *, layout: str, indicator: str | None = None) -> AggregateRead:
    """
    Translate a loaded aggregate table (`geo.readers.load_csv`) into canonical aggregate rows.

    Parameters
    ----------
    table
        The file as text columns.
    layout
        "acled-hdx" (HDX workbook) or "hdx-hapi" (HDX HAPI `conflict_event`).
    indicator
        The indicator the table holds (`geo.indicators.INDICATORS`); default from its file name, else HAPI's
        `event_type` per row.

    Returns
    -------
    AggregateRead

    Raises
    ------
    InputError
        When the table cannot be used as a whole: no indicator known, key columns missing (nothing is read).
    """
    if layout not in LAYOUTS:
        raise InputError(f"unknown aggregate layout {layout!r}; use one of {', '.join(LAYOUTS)}")
    chosen, indicator_from = _resolve_indicator(table, layout, indicator)
    problems = RowProblems(table.data.index)
    notes: list[str] = []
    if layout == "acled-hdx":
        frame = _hdx_rows(table, problems, chosen, notes)
    else:
        frame = _hapi_rows(table, problems, chosen, notes)
    frame["source_dataset"] = AGGREGATE_SOURCE
    frame["unit_id"] = _unit_ids(frame["admin_level"], frame["admin1_pcode"], frame["admin1_name"],
                                 frame["admin2_pcode"], frame["admin2_name"])
    future = (frame["month"] > _this_month()).to_numpy() & (frame["month"] != "")
    problems.add(future, lambda m: "month " + frame["month"][m] + " lies in the future")
    no_events = (frame["events"].fillna(-1) == 0).to_numpy() & (frame["fatalities"].fillna(0) > 0).to_numpy()
    problems.add(no_events, lambda m: frame["fatalities"][m].astype(str) + " fatalities but 0 events: a unit and month "
                 "cannot count fatalities without events; check the row")
    rows = coerce_aggregates(frame)
    rows["_file"] = table.file
    rows["_line"] = table.lines
    rejected = list(table.malformed)
    if problems.rejected().any():
        reasons = problems.reasons()
        positions = rows.index.get_indexer(reasons.index)
        rejected += [
            Rejection(file=table.file, line=int(table.lines[p]), reason=str(r), event_id=_row_label(rows.iloc[p]))
            for p, r in zip(positions, reasons.to_numpy())
        ]
        rows = rows.drop(index=reasons.index)
    rejected.sort(key=lambda r: r.line)
    rows = rows.reset_index(drop=True)
    as_of = as_of_from_file_name(table.file)
    if as_of:
        notes.append(f"as of {as_of} (from the file name)")
    else:
        as_of = rows["month"].max() if len(rows) else ""
        if as_of:
            notes.append(f"no as-of date in the file name: taken as its last month, {as_of}")
    if chosen is None:
        notes.insert(0, "indicator: each row's event_type (HDX HAPI)")
    else:
        how = "--indicator" if indicator_from == "--indicator" else "from the file name"
        notes.insert(0, f"indicator: {INDICATORS[chosen].label.lower()} ({how})")
    return AggregateRead(
        file=table.file, path=table.path, format=layout, sha256=table.sha256, size=table.size, encoding=table.encoding,
        delimiter=table.delimiter, rows_read=table.rows_read, rows=rows, as_of=as_of, indicator_from=indicator_from,
        rejected=rejected, notes=table.notes + notes, header=table.header,
    )


def _row_label(row: pd.Series) -> str:
    """How a rejected row is named in listings: its unit and month ("BF4603 2024-01")."""
    return f"{row['unit_id']} {row['month']}".strip()


def _month_numbers(text: pd.Series) -> pd.Series:
    """English month names (or abbreviations, or 1–12) → 1–12, NaN where not a month."""
    lower = text.str.lower()
    numbers = lower.map(_MONTHS)
    digits = pd.to_numeric(lower.where(lower.str.fullmatch(r"\d{1,2}")), errors="coerce")
    return numbers.astype("float64").fillna(digits.where((digits >= 1) & (digits <= 12)))


def _hdx_rows(table: RawTable, problems: RowProblems, indicator: str, notes: list[str]) -> pd.DataFrame:
    columns = match_columns(table.header, HDX_COLUMNS)
    missing = [name for name in ("month", "year", "events") if name not in columns]
    if "iso3" not in columns and "country" not in columns:
        missing.append("ISO3 (or Country)")
    if "admin1_pcode" not in columns and "admin1" not in columns:
        missing.append("Admin1 Pcode (or Admin1)")
    if missing:
        raise InputError(f"{table.file}: the HDX aggregate layout needs the column(s) {', '.join(missing)}; its columns are "
                         f"{', '.join(table.header)}")
    if "fatalities" not in columns and INDICATORS[indicator].has_fatalities:
        raise InputError(
            f"{table.file} has no Fatalities column, as only ACLED's demonstrations table has none, but it is read as "
            f"{INDICATORS[indicator].label.lower()}; if it is the demonstrations table, give --indicator demonstrations"
        )
    if "fatalities" in columns and not INDICATORS[indicator].has_fatalities:
        notes.append("its Fatalities column is not read: ACLED gives no fatalities for demonstrations (they are unknown)")
    month_text, year_text = _text(table, columns, "month"), _text(table, columns, "year")
    month = _month_numbers(month_text)
    problems.add(month.isna().to_numpy(), lambda m: "month '" + month_text[m] + "' is not a month name (January … December)")
    good_year = year_text.str.fullmatch(r"\d{4}").fillna(False).to_numpy()
    problems.add(~good_year, lambda m: "year '" + year_text[m] + "' is not a 4-digit year")
    year = pd.to_numeric(year_text.where(good_year), errors="coerce")
    problems.add(good_year & (year < 1900).to_numpy(), lambda m: "year " + year_text[m] + " is before 1900")
    months = (year.fillna(0).astype(int).astype(str).str.zfill(4) + "-"
              + month.fillna(0).astype(int).astype(str).str.zfill(2)).where(~month.isna() & good_year, "")
    iso3_text = _text(table, columns, "iso3")
    country_text = _text(table, columns, "country")
    iso3 = iso3_text.map(lambda v: iso3_from_any(v) if v else "")
    iso3 = iso3.where(iso3 != "", country_text.map(lambda v: iso3_from_any(v) if v else ""))
    problems.add((iso3 == "").to_numpy(), lambda m: "country '" + iso3_text[m].where(iso3_text[m] != "", country_text[m])
                 + "' is not one the atlas knows")
    admin2_code, admin2_name = _text(table, columns, "admin2_pcode"), _text(table, columns, "admin2")
    level = pd.Series(np.where((admin2_code != "") | (admin2_name != ""), 2, 1), index=table.data.index)
    events = _count(problems, _text(table, columns, "events"), "Events", blank_ok=False)
    if "fatalities" in columns and INDICATORS[indicator].has_fatalities:
        fatalities = _count(problems, _text(table, columns, "fatalities"), "Fatalities", blank_ok=False)
    else:
        fatalities = pd.Series(pd.NA, index=table.data.index, dtype="Int64")
    return pd.DataFrame({
        "indicator": indicator, "country_iso3": iso3, "admin_level": level,
        "admin1_pcode": _text(table, columns, "admin1_pcode").str.upper(), "admin1_name": _text(table, columns, "admin1"),
        "admin2_pcode": admin2_code.str.upper(), "admin2_name": admin2_name, "month": months,
        "events": events, "fatalities": fatalities,
    }, index=table.data.index)


def _hapi_rows(table: RawTable, problems: RowProblems, indicator: str | None, notes: list[str]) -> pd.DataFrame:
    columns = match_columns([h.lstrip("\ufeff") for h in table.header], HAPI_COLUMNS)
    columns = {k: table.header[[h.lstrip("\ufeff") for h in table.header].index(v)] for k, v in columns.items()}
    missing = [name for name in ("location_code", "event_type", "events", "start", "admin_level") if name not in columns]
    if missing:
        raise InputError(f"{table.file}: the HDX HAPI conflict_event layout needs the column(s) "
                         f"{', '.join(missing).replace('start', 'reference_period_start')}; its columns are {', '.join(table.header)}")
    event_type = _text(table, columns, "event_type")
    row_indicator = event_type.map(lambda v: indicator_from_hapi(v) or "")
    problems.add((row_indicator == "").to_numpy(), lambda m: "event_type '" + event_type[m] + "' is not one of "
                 "political_violence, civilian_targeting, demonstration")
    if indicator is not None:
        other = ((row_indicator != indicator) & (row_indicator != "")).to_numpy()
        problems.add(other, lambda m: "event_type " + event_type[m] + f" is not the indicator asked ({indicator}); put each "
                     "indicator in its own batch, or leave out --indicator to read every row's own event_type")
        row_indicator = row_indicator.where(~other, indicator)
    level_text = _text(table, columns, "admin_level")
    level = pd.to_numeric(level_text, errors="coerce")
    problems.add((level == 0).to_numpy(), "a country-level row (admin_level 0): the atlas reads admin 1 and admin 2 rows")
    problems.add(~level.isin([0, 1, 2]).to_numpy(), lambda m: "admin_level '" + level_text[m] + "' is not 1 or 2")
    start_text, end_text = _text(table, columns, "start").str[:10], _text(table, columns, "end").str[:10]
    start = pd.to_datetime(start_text, format="%Y-%m-%d", errors="coerce")
    end = pd.to_datetime(end_text, format="%Y-%m-%d", errors="coerce")
    problems.add(start.isna().to_numpy(), lambda m: "reference_period_start '" + start_text[m] + "' is not a date (YYYY-MM-DD)")
    month_end = start + pd.offsets.MonthEnd(0)
    whole_month = (start.dt.day == 1) & ((end == month_end) | (end_text == ""))
    problems.add((start.notna() & ~whole_month).to_numpy(),
                 lambda m: "reference period " + start_text[m] + " to " + end_text[m] + " is not one whole month")
    months = start.dt.strftime("%Y-%m").where(start.notna(), "")
    location = _text(table, columns, "location_code")
    iso3 = location.map(lambda v: iso3_from_any(v) if v else "")
    problems.add((iso3 == "").to_numpy(), lambda m: "location_code '" + location[m] + "' is not a country the atlas knows")
    error = _text(table, columns, "error")
    problems.add((error != "").to_numpy(), lambda m: "HDX marked this row with an error: " + error[m])
    warning = _text(table, columns, "warning")
    repaired = warning.str.contains("PCode", case=False).sum()
    if repaired:
        example = warning[warning != ""].iloc[0].split("|")[0]
        notes.append(f"{repaired:,} row(s) with p-codes repaired by HDX (warning column, e.g. {example}); the repaired codes are read")
    events = _count(problems, _text(table, columns, "events"), "events", blank_ok=False)
    fatalities_text = _text(table, columns, "fatalities")
    fatalities = _count(problems, fatalities_text, "fatalities", blank_ok=True)
    demonstration = (row_indicator == "demonstrations").to_numpy()
    problems.add((fatalities_text == "").to_numpy() & ~demonstration & (row_indicator != "").to_numpy(),
                 "fatalities missing (only demonstrations have none)")
    fatalities = fatalities.where(~demonstration)  # unknown for demonstrations, never zero
    name1 = _text(table, columns, "admin1_name")
    name1 = name1.where(name1 != "", _text(table, columns, "provider_admin1_name"))
    name2 = _text(table, columns, "admin2_name")
    name2 = name2.where(name2 != "", _text(table, columns, "provider_admin2_name"))
    level = level.where(level.isin([1, 2]), 2).astype(int)
    return pd.DataFrame({
        "indicator": row_indicator, "country_iso3": iso3, "admin_level": level,
        "admin1_pcode": _text(table, columns, "admin1_code").str.upper(), "admin1_name": name1,
        "admin2_pcode": _text(table, columns, "admin2_code").str.upper().where(level == 2, ""),
        "admin2_name": name2.where(level == 2, ""), "month": months, "events": events, "fatalities": fatalities,
    }, index=table.data.index)


__all__ = ["AGGREGATE_COLUMNS", "AggregateRead", "LAYOUTS", "aggregate_layout", "as_of_from_file_name", "read_aggregate_table"]
