"""UCDP Georeferenced Event Dataset (GED) CSV of any version → canonical events.

Columns are read by header name, because releases rename and reorder them. Three layouts are known:

- **GED release** (yearly, `GEDEvent_v23_1.csv`): estimates `best`, `low`, `high`; ISO dates (2019-03-23);
- **GED candidate** (monthly, `GEDEvent_v24_0_1.csv`): the same columns; dates with a time of day
  (2024-01-02 00:00:00.000);
- **web download** (exported from UCDP's web interface): estimates `best_est`, `low_est`, `high_est`;
  month-first dates with a time of day (03/23/2019 00:00:00); every line ends with an empty column.

Which one was read is said in a note ("UCDP GED layout: ..."). Free-text fields (`source_article`,
`source_headline`, `where_description`) may hold quoted newlines; the CSV loader keeps them in one row
and reports true line numbers.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ..countries import iso3_from_gw, iso3_from_name
from ..errors import InputError
from ..messages import say
from ..perpetrators import side_a_types
from ..schema import coerce_events
from ._checks import RowProblems, check_code, check_coordinates, check_count, check_required_text
from ._csv import RawTable, match_columns
from ._dates import parse_dates

COLUMNS = {
    "event_id": ["id"],
    "year": ["year"],
    "type_of_violence": ["type_of_violence"],
    "conflict_name": ["conflict_name"],
    "dyad_name": ["dyad_name"],
    "side_a": ["side_a"],
    "side_b": ["side_b"],
    "source_article": ["source_article"],
    "source_office": ["source_office"],
    "source_headline": ["source_headline"],
    "where_prec": ["where_prec"],
    "where_coordinates": ["where_coordinates", "where_coordinate"],
    "where_description": ["where_description"],
    "adm_1": ["adm_1"],
    "adm_2": ["adm_2"],
    "latitude": ["latitude"],
    "longitude": ["longitude"],
    "country": ["country"],
    "country_id": ["country_id", "gwno"],
    "date_prec": ["date_prec"],
    "date_start": ["date_start"],
    "best": ["best", "best_est"],
    "low": ["low", "low_est"],
    "high": ["high", "high_est"],
}
REQUIRED = ["event_id", "type_of_violence", "where_prec", "latitude", "longitude", "date_start", "best", "country"]
#: Canonical columns read from optional UCDP columns (canonical -> their keys in COLUMNS, any of which will do):
#: a file without them has no value for those columns (for stored events the stored values stay, `geo.ingest`).
OPTIONAL = {
    "time_precision": ["date_prec"], "sub_event_type": ["conflict_name"], "actor1": ["side_a"], "actor1_type": ["side_a"],
    "actor2": ["side_b"], "admin1_declared": ["adm_1"], "admin2_declared": ["adm_2"], "location": ["where_coordinates"],
    "fatalities_low": ["low"], "fatalities_high": ["high"], "notes": ["source_headline"],
    "source_text": ["source_article", "source_office"],
}
#: The columns that make a header a UCDP GED one (under any of their names).
KEY_COLUMNS = ["event_id", "type_of_violence", "where_prec", "date_start", "best"]

_TIME_OF_DAY = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?$")
_SLASH_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/\d{2,4}$")
_STARTS_WITH_SLASH_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{2,4}\b")

#: UCDP's types of violence, in words.
TYPES_OF_VIOLENCE = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}


def find_columns(header: list[str]) -> dict[str, str]:
    """Canonical name -> the file's column, for the UCDP GED columns present.

    Parameters
    ----------
    header
        The file's header.

    Returns
    -------
    dict[str, str]
        Canonical name -> the file's column.
    """
    return match_columns(header, COLUMNS)


def absent_columns(header: list[str]) -> dict[str, str]:
    """Canonical columns the file has no column for, and the UCDP column it lacks for each.

    Parameters
    ----------
    header
        The file's header (column names as read).

    Returns
    -------
    dict[str, str]
        Canonical column -> the UCDP column it lacks.
    """
    cols = find_columns(header)
    return {
        canonical: COLUMNS[keys[0]][0] for canonical, keys in OPTIONAL.items() if not any(k in cols for k in keys)
    }


def is_ucdp_header(header: list[str]) -> bool:
    """Whether a header has the key columns of a UCDP GED file, in any of its layouts.

    Parameters
    ----------
    header
        The file's header (column names as read).

    Returns
    -------
    bool
        Whether a header has the key columns of a UCDP GED file, in any of its layouts.
    """
    return set(KEY_COLUMNS) <= set(find_columns(header))


def detect_layout(header: list[str], dates: pd.Series) -> str:
    """The layout a UCDP GED file was written in: "GED release", "GED candidate" or "web download".

    Parameters
    ----------
    header
        The file's column names.
    dates
        Its `date_start` values, as written.

    Returns
    -------
    str
        The layout a UCDP GED file was written in: "GED release", "GED candidate" or "web download".
    """
    estimates = find_columns(header).get("best", "").strip().lower()
    written = dates[dates != ""]
    slashed = bool(written.str.contains(_STARTS_WITH_SLASH_DATE).any())
    timed = bool(written.str.contains(_TIME_OF_DAY).any())
    if estimates == "best_est" or slashed:
        return "web download"
    return "GED candidate" if timed else "GED release"


def _day_first(dates: pd.Series) -> tuple[bool, str]:
    """Whether slash dates are day-first, from the dates themselves; UCDP writes them month-first."""
    parts = dates.str.extract(_SLASH_DATE).dropna().astype(int)
    if parts.empty:
        return False, ""
    if (parts[0] > 12).any() and not (parts[1] > 12).any():
        return True, "date_start is written day first (dd/mm/yyyy): a day above 12 comes first"
    if (parts[1] > 12).any() or (parts[0] > 12).any():
        return False, ""
    return False, "date_start is written mm/dd/yyyy, as UCDP's web download writes it (no day above 12 tells the order)"


def translate(table: RawTable) -> tuple[pd.DataFrame, pd.Series, list[str], str]:
    """Translate a UCDP GED file into canonical events (see `acled.translate` for the return value).

    Parameters
    ----------
    table
        The file as read (header, rows as text, line numbers).

    Returns
    -------
    tuple[pd.DataFrame, pd.Series, list[str], str]
        (canonical events, rejection reasons per row, notes, the layout's name).
    """
    raw = table.data
    cols = find_columns(table.header)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        raise InputError(
            f"{table.file} looks like a UCDP GED file but lacks the column(s) "
            f"{', '.join(COLUMNS[c][0] for c in missing)}"
        )
    problems = RowProblems(raw.index)
    text = {c: raw[col].astype(str).str.strip() for c, col in cols.items()}
    blank = pd.Series("", index=raw.index, dtype=object)

    event_id = check_required_text(problems, text["event_id"], "id")
    layout = detect_layout(table.header, text["date_start"])
    notes = [say("note.ucdp_layout", layout=layout, best=cols["best"], low=cols.get("low", "-"), high=cols.get("high", "-"))]
    # A time of day (candidate files, the web download) says nothing about the day: the date is what counts.
    day_text = text["date_start"].str.replace(_TIME_OF_DAY, "", regex=True)
    day_first, order_note = _day_first(day_text)
    if order_note:
        notes.append(order_note)
    dates, date_reasons = parse_dates(day_text, day_first=day_first)
    problems.add((date_reasons != "").to_numpy(), date_reasons)
    if "year" in cols:
        declared = pd.to_numeric(text["year"], errors="coerce")
        mismatch = (declared.notna() & dates.notna() & (declared != dates.dt.year)).to_numpy()
        problems.add(mismatch, lambda m: "year " + text["year"][m] + " does not match date_start " + text["date_start"][m])
    violence = check_code(problems, text["type_of_violence"], "type_of_violence", {1, 2, 3}, required=True)
    where_prec = check_code(problems, text["where_prec"], "where_prec", set(range(1, 8)), required=True)
    date_prec = (
        check_code(problems, text["date_prec"], "date_prec", set(range(1, 6)))
        if "date_prec" in cols else pd.Series(pd.NA, index=raw.index, dtype="Int64")
    )
    lat, lon = check_coordinates(problems, text["latitude"], text["longitude"], comma_decimal=table.delimiter != ",")
    best = check_count(problems, text["best"], "best")
    low = check_count(problems, text["low"], "low", required=False) if "low" in cols else pd.Series(np.nan, index=raw.index)
    high = check_count(problems, text["high"], "high", required=False) if "high" in cols else pd.Series(np.nan, index=raw.index)
    problems.add((low > best).to_numpy(), lambda m: "low estimate " + text["low"][m] + " is above best " + text["best"][m])
    problems.add((high < best).to_numpy(), lambda m: "high estimate " + text["high"][m] + " is below best " + text["best"][m])
    country = check_required_text(problems, text["country"], "country")

    iso3 = country.map(iso3_from_name)
    if "country_id" in cols:
        by_gw = text["country_id"].map(iso3_from_gw)
        iso3 = by_gw.where(by_gw != "", iso3)
    prec = where_prec.fillna(1).to_numpy()
    max_level = np.select([prec <= 3, prec == 4], [2, 1], default=0)
    source_text = text.get("source_article", blank)
    if "source_office" in cols:
        source_text = source_text.where(source_text != "", text["source_office"])
    events = pd.DataFrame(
        {
            "source_dataset": "ucdp",
            "event_id": event_id,
            "event_date": dates,
            "year": dates.dt.year.fillna(0).astype("int64"),
            "time_precision": date_prec,
            "event_type": violence.map(TYPES_OF_VIOLENCE, na_action="ignore").fillna("").astype(str),
            "sub_event_type": text.get("conflict_name", blank),
            "actor1": text.get("side_a", blank),
            # Governments are typed (state forces at home, external forces abroad); organisations are not.
            "actor1_type": side_a_types(text.get("side_a", blank), country, iso3),
            "actor2": text.get("side_b", blank),
            "country": country,
            "country_iso3": iso3,
            "admin1_declared": text.get("adm_1", blank),
            "admin2_declared": text.get("adm_2", blank),
            "location": text.get("where_coordinates", blank),
            "latitude": lat,
            "longitude": lon,
            "geo_precision": where_prec,
            "max_admin_level": max_level,
            "fatalities": best.fillna(0),
            "fatalities_low": low,
            "fatalities_high": high,
            "civilian_targeting": (violence == 3).fillna(False).to_numpy(),
            "notes": text.get("source_headline", blank),
            "source_text": source_text,
        },
        index=raw.index,
    )
    return coerce_events(events), problems.reasons(), notes, layout
