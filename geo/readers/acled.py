"""ACLED exports of every vintage → canonical events.

- current exports: lower-case columns, ISO dates, text `inter1`/`inter2`, `disorder_type`,
  `civilian_targeting`, `tags`;
- HDX downloads: the same with a second row of HXL hashtags (skipped by the CSV loader);
- older exports: upper-case columns (`GWNO`, `EVENT_ID_CNTY`, `ALLY_ACTOR_1`), dd/mm/yyyy dates, numeric
  `inter` codes, trailing empty columns.
Columns are found by name, case-insensitively.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..countries import iso3_from_any, iso3_from_gw, iso3_from_name, iso3_from_numeric
from ..errors import InputError
from ..schema import SAMPLE_LABEL, coerce_events
from ._checks import RowProblems, check_code, check_coordinates, check_count, check_required_text, to_floats
from ._csv import RawTable, match_columns
from ._dates import parse_dates

#: canonical name -> accepted ACLED column names (lower case), first found wins
COLUMNS = {
    "event_id": ["event_id_cnty"],
    "event_date": ["event_date"],
    "year": ["year"],
    "time_precision": ["time_precision"],
    "event_type": ["event_type"],
    "sub_event_type": ["sub_event_type"],
    "disorder_type": ["disorder_type"],
    "actor1": ["actor1"],
    "assoc_actor_1": ["assoc_actor_1", "ally_actor_1"],
    "inter1": ["inter1"],
    "actor2": ["actor2"],
    "assoc_actor_2": ["assoc_actor_2", "ally_actor_2"],
    "inter2": ["inter2"],
    "country": ["country"],
    "iso3": ["iso3"],
    "iso": ["iso"],
    "gwno": ["gwno"],
    "admin1": ["admin1"],
    "admin2": ["admin2"],
    "admin3": ["admin3"],
    "location": ["location"],
    "latitude": ["latitude"],
    "longitude": ["longitude"],
    "geo_precision": ["geo_precision"],
    "source": ["source"],
    "notes": ["notes"],
    "fatalities": ["fatalities"],
    "timestamp": ["timestamp"],
    "civilian_targeting": ["civilian_targeting"],
}
_STRIPPED = {
    "event_id", "event_date", "year", "time_precision", "event_type", "country", "iso3", "iso", "gwno", "latitude",
    "longitude", "geo_precision", "fatalities", "timestamp", "inter1", "inter2", "civilian_targeting", "admin1",
}
REQUIRED = ["event_id", "event_date", "event_type", "country", "latitude", "longitude", "fatalities"]
#: Canonical columns read from an optional ACLED column (canonical -> its key in COLUMNS). A file without that
#: column has no value for them: for the events the store holds, the stored values stay (`geo.ingest`).
OPTIONAL = {
    "time_precision": "time_precision", "sub_event_type": "sub_event_type", "disorder_type": "disorder_type",
    "actor1": "actor1", "assoc_actor_1": "assoc_actor_1", "actor1_type": "inter1", "actor2": "actor2",
    "assoc_actor_2": "assoc_actor_2", "actor2_type": "inter2", "admin1_declared": "admin1",
    "admin2_declared": "admin2", "admin3_declared": "admin3", "location": "location", "geo_precision": "geo_precision",
    "max_admin_level": "geo_precision", "notes": "notes", "source_text": "source", "revision_timestamp": "timestamp",
    "civilian_targeting": "civilian_targeting",
}

#: ACLED's numeric actor-type codes (inter1 / inter2) before 2023.
INTER_CODES = {
    1: "State forces", 2: "Rebel group", 3: "Political militia", 4: "Identity militia", 5: "Rioters",
    6: "Protesters", 7: "Civilians", 8: "External/Other forces", 0: "",
}
#: ACLED's `timestamp` is a Unix time in seconds; beyond this (the year 2286) it is not one.
MAX_TIMESTAMP = 9_999_999_999
_CIVILIAN_TARGET_TYPES = {"Explosions/Remote violence", "Remote violence", "Riots"}


def find_columns(header: list[str]) -> dict[str, str]:
    """Canonical name -> the file's column, for the ACLED columns present.

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
    """Canonical columns the file has no column for, and the ACLED column it lacks for each.

    Columns derived in its stead (civilian_targeting before 2023) count as absent.

    Parameters
    ----------
    header
        The file's header (column names as read).

    Returns
    -------
    dict[str, str]
        Canonical column -> the ACLED column it lacks (e.g. `revision_timestamp` -> `timestamp`).
    """
    cols = find_columns(header)
    return {canonical: COLUMNS[key][0] for canonical, key in OPTIONAL.items() if key not in cols}


def _actor_type(values: pd.Series) -> pd.Series:
    """Actor type in words from ACLED's numeric (before 2023) or text inter codes."""
    uniques = pd.unique(values)
    words = {}
    for value in uniques:
        text = str(value).strip()
        try:
            words[value] = INTER_CODES.get(int(float(text)), "")
        except (ValueError, OverflowError):  # words, or "inf" / "1e400"
            words[value] = text
    return values.map(words)


def _country_iso3(raw: pd.DataFrame, cols: dict[str, str]) -> pd.Series:
    names = raw[cols["country"]].astype(str)
    by_name = pd.Series(pd.unique(names)).map(iso3_from_name)
    iso3 = names.map(dict(zip(pd.unique(names), by_name)))
    for key, convert in (("iso3", iso3_from_any), ("iso", iso3_from_numeric), ("gwno", iso3_from_gw)):
        if key in cols:
            values = raw[cols[key]].astype(str)
            uniques = pd.unique(values)
            converted = values.map(dict(zip(uniques, [convert(u) for u in uniques])))
            iso3 = iso3.where(iso3 != "", converted)
    return iso3.fillna("")


def translate(table: RawTable) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Translate an ACLED file into canonical events.

    Parameters
    ----------
    table
        The file as read (header, rows as text, line numbers).

    Returns
    -------
    (canonical events for every row, reasons for the rows to reject (indexed like the rows), notes)
    """
    raw = table.data
    cols = find_columns(table.header)
    missing = [c for c in REQUIRED if c not in cols]
    if missing:
        wanted = ", ".join(COLUMNS[c][0] for c in missing)
        raise InputError(
            f"{table.file} looks like an ACLED export but lacks the column(s) {wanted}; export it again "
            "with all columns"
        )
    notes: list[str] = []
    problems = RowProblems(raw.index)
    # Codes, numbers and the names the checks use are stripped; free text is kept as written.
    text = {c: raw[col].str.strip() if c in _STRIPPED else raw[col] for c, col in cols.items() if c != "notes"}
    blank = pd.Series("", index=raw.index, dtype=object)

    event_id = check_required_text(problems, text["event_id"], "event_id_cnty")
    dates, date_reasons = parse_dates(text["event_date"], day_first=True)
    problems.add((date_reasons != "").to_numpy(), date_reasons)
    year = dates.dt.year
    if "year" in cols:
        declared_year = to_floats(text["year"])
        mismatch = (declared_year.notna() & dates.notna() & (declared_year != year)).to_numpy()
        problems.add(
            mismatch,
            lambda m: "year " + text["year"][m] + " does not match event_date " + text["event_date"][m]
            + " (is the date month-first?)",
        )
    event_type = check_required_text(problems, text["event_type"], "event_type")
    country = check_required_text(problems, text["country"], "country")
    lat, lon = check_coordinates(problems, text["latitude"], text["longitude"], comma_decimal=table.delimiter != ",")
    fatalities = check_count(problems, text["fatalities"], "fatalities")
    geo_precision = (
        check_code(problems, text["geo_precision"], "geo_precision", {1, 2, 3})
        if "geo_precision" in cols else pd.Series(pd.NA, index=raw.index, dtype="Int64")
    )
    if "geo_precision" not in cols:
        notes.append("no geo_precision column: every event is treated as placeable in admin2 units")
    time_precision = (
        check_code(problems, text["time_precision"], "time_precision", {1, 2, 3})
        if "time_precision" in cols else pd.Series(pd.NA, index=raw.index, dtype="Int64")
    )
    timestamp = None
    if "timestamp" in cols:
        timestamp, ts_missing, ts_invalid = _timestamp(text["timestamp"])
        problems.add(
            ts_invalid,
            lambda m: "timestamp '" + text["timestamp"][m] + "' is not a Unix time in whole seconds (between 0 and "
            f"{MAX_TIMESTAMP:,})",
        )

    actor1_type = _actor_type(text["inter1"]) if "inter1" in cols else blank
    actor2_type = _actor_type(text["inter2"]) if "inter2" in cols else blank
    if "civilian_targeting" in cols:
        flag = text["civilian_targeting"].str.lower()
        civilian = ~flag.isin(["", "0", "false", "no", "nan"])
    else:
        civilian = (event_type == "Violence against civilians") | (
            (actor2_type == "Civilians") & event_type.isin(_CIVILIAN_TARGET_TYPES)
        )
        notes.append(
            "no civilian_targeting column (export before 2023): derived as Violence against civilians, plus "
            "explosions and riots whose second actor is Civilians"
        )
    max_level = np.where(geo_precision.fillna(1).to_numpy() >= 3, 1, 2)

    source_text = text.get("source", blank)
    events = pd.DataFrame(
        {
            "source_dataset": "acled",
            "event_id": event_id,
            "event_date": dates,
            "year": year.fillna(0).astype("int64"),
            "time_precision": time_precision,
            "event_type": event_type,
            "sub_event_type": text.get("sub_event_type", blank),
            "disorder_type": text.get("disorder_type", blank),
            "actor1": text.get("actor1", blank),
            "assoc_actor_1": text.get("assoc_actor_1", blank),
            "actor1_type": actor1_type,
            "actor2": text.get("actor2", blank),
            "assoc_actor_2": text.get("assoc_actor_2", blank),
            "actor2_type": actor2_type,
            "country": country,
            "country_iso3": _country_iso3(raw, cols),
            "admin1_declared": text.get("admin1", blank),
            "admin2_declared": text.get("admin2", blank),
            "admin3_declared": text.get("admin3", blank),
            "location": text.get("location", blank),
            "latitude": lat,
            "longitude": lon,
            "geo_precision": geo_precision,
            "max_admin_level": max_level,
            "fatalities": fatalities.fillna(0),
            "civilian_targeting": civilian,
            "notes": raw[cols["notes"]].astype(str) if "notes" in cols else blank,
            "source_text": source_text,
            "revision_timestamp": timestamp,
        },
        index=raw.index,
    )
    # The built-in synthetic sample is ACLED-shaped but marked in its source column.
    if len(source_text) and (source_text == SAMPLE_LABEL).all():
        events["source_dataset"] = "sample"
    return coerce_events(events), problems.reasons(), notes


def _timestamp(text: pd.Series) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    numbers = to_floats(text)
    missing = (text == "").to_numpy()
    out_of_range = ((numbers < 0) | (numbers > MAX_TIMESTAMP)).to_numpy()
    fractional = (((numbers % 1) != 0) & numbers.notna()).to_numpy()  # NaN % 1 is NaN, which != 0
    invalid = (numbers.isna().to_numpy() & ~missing) | fractional | out_of_range
    return numbers.where(~invalid).astype("Float64").round().astype("Int64"), missing, invalid
