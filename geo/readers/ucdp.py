"""UCDP Georeferenced Event Dataset (GED) CSV of any version → canonical events.

Columns are read by header name, because releases rename and reorder them. Free-text fields
(`source_article`, `source_headline`, `where_description`) may hold quoted newlines; the CSV loader
keeps them in one row and reports true line numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..countries import iso3_from_gw, iso3_from_name
from ..errors import InputError
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

#: UCDP's types of violence, in words.
TYPES_OF_VIOLENCE = {1: "State-based conflict", 2: "Non-state conflict", 3: "One-sided violence"}


def find_columns(header: list[str]) -> dict[str, str]:
    """Canonical name -> the file's column, for the UCDP GED columns present."""
    return match_columns(header, COLUMNS)


def translate(table: RawTable) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Translate a UCDP GED file into canonical events (see `acled.translate` for the return value)."""
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
    dates, date_reasons = parse_dates(text["date_start"])
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
    return coerce_events(events), problems.reasons(), []
