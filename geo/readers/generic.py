"""Any CSV → canonical events, through an explicit column mapping.

A mapping names, for each canonical column, the file's column that holds it (TOML or JSON file, or
`--map canonical=Column` flags on the command line):

    [columns]
    event_date = "Date"
    latitude = "Lat"
    longitude = "Lon"
    fatalities = "Killed"
    event_type = "Category"

    [options]
    date_format = "%d/%m/%Y"      # optional; default: ISO 8601, then day-first forms
    country = "MLI"               # when the file has no country column
    geo_precision_scale = "acled" # how to read a mapped geo_precision column: acled (1-3) or ucdp (1-7)

Only event_date, latitude and longitude are required. Without an event_id column each row gets an id
made from its content, so that a row seen again is recognised as a duplicate.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..countries import iso3_from_any
from ..errors import InputError, UnknownFormatError
from ..schema import CANONICAL_COLUMNS, coerce_events
from ._checks import RowProblems, check_code, check_coordinates, check_count, check_required_text
from ._csv import RawTable
from ._dates import parse_dates

#: Canonical columns the atlas fills itself, never from a mapped file column.
DERIVED = {"source_dataset", "year", "actor1_type", "actor2_type", "max_admin_level", "revision_timestamp", "batch_id"}
#: Canonical columns a mapping may name a file column for, in the schema's order.
MAPPABLE = [c for c in CANONICAL_COLUMNS if c not in DERIVED]
REQUIRED = ["event_date", "latitude", "longitude"]
_TRUE = {"1", "true", "yes", "y", "oui", "x", "civilian targeting"}


@dataclass
class ColumnMapping:
    """Which file column holds each canonical column, plus reading options."""

    columns: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    day_first: bool = True
    country: str | None = None
    geo_precision_scale: str | None = None

    @classmethod
    def from_file(cls, path: str | Path) -> ColumnMapping:
        """Read a mapping from a TOML or JSON file.

        Parameters
        ----------
        path
            The file.

        Returns
        -------
        ColumnMapping
            The mapping.
        """
        path = Path(path)
        try:
            raw_text = path.read_bytes()
        except OSError as exc:
            raise InputError(f"mapping file {path}: cannot be read ({exc.strerror})") from None
        try:
            data = json.loads(raw_text) if path.suffix.lower() == ".json" else tomllib.loads(raw_text.decode("utf-8"))
        except (json.JSONDecodeError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"mapping file {path} is not valid {'JSON' if path.suffix == '.json' else 'TOML'}: {exc}") from None
        return cls.from_dict(data, origin=str(path))

    @classmethod
    def from_dict(cls, data: dict, *, origin: str = "mapping") -> ColumnMapping:
        """A mapping from its dict form (`columns` and `options`, as TOML or JSON give it); every problem is an InputError.

        Parameters
        ----------
        data
            The dict.
        origin
            Where it comes from (in messages).

        Returns
        -------
        ColumnMapping
            The mapping.
        """
        columns = data.get("columns", {k: v for k, v in data.items() if k in MAPPABLE})
        options = data.get("options", {})
        unknown = sorted(set(columns) - set(MAPPABLE))
        if unknown:
            raise InputError(
                f"{origin}: unknown canonical column(s) {', '.join(unknown)}; mappable: {', '.join(MAPPABLE)}"
            )
        scale = options.get("geo_precision_scale")
        if scale not in (None, "acled", "ucdp"):
            raise InputError(f"{origin}: geo_precision_scale must be 'acled' or 'ucdp', not {scale!r}")
        return cls(
            columns={k: str(v) for k, v in columns.items() if v not in (None, "")},
            date_format=options.get("date_format") or None,
            day_first=bool(options.get("day_first", True)),
            country=options.get("country") or None,
            geo_precision_scale=scale,
        )

    @classmethod
    def from_pairs(cls, pairs: list[str], base: ColumnMapping | None = None) -> ColumnMapping:
        """Extend a mapping with `canonical=Column` pairs (command-line `--map`).

        Parameters
        ----------
        pairs
            `canonical=Column` pairs.
        base
            The mapping extended; default an empty one.

        Returns
        -------
        ColumnMapping
            The mapping.
        """
        mapping = base or cls()
        columns = dict(mapping.columns)
        for pair in pairs:
            if "=" not in pair:
                raise InputError(f"--map {pair!r} must look like canonical=Column, e.g. event_date=Date")
            key, value = (p.strip() for p in pair.split("=", 1))
            if key not in MAPPABLE:
                raise InputError(f"--map {pair!r}: {key!r} is not a mappable column ({', '.join(MAPPABLE)})")
            columns[key] = value
        return ColumnMapping(columns, mapping.date_format, mapping.day_first, mapping.country, mapping.geo_precision_scale)

    def to_dict(self) -> dict:
        """The mapping as a dict (`columns`, `options`), the form of its TOML and JSON.

        Returns
        -------
        dict
            The dict.
        """
        options = {
            k: v for k, v in (
                ("date_format", self.date_format), ("country", self.country),
                ("geo_precision_scale", self.geo_precision_scale),
            ) if v
        }
        if not self.day_first:
            options["day_first"] = False
        return {"columns": dict(self.columns), "options": options}

    def to_toml(self) -> str:
        """The mapping as a TOML file, to save for next time.

        Returns
        -------
        str
            The mapping as a TOML file, to save for next time.
        """
        lines = ["[columns]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in self.columns.items()]
        options = self.to_dict()["options"]
        if options:
            lines += ["", "[options]"] + [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in options.items()]
        return "\n".join(lines) + "\n"


def suggest_mapping(header: list[str]) -> ColumnMapping:
    """A first guess of a mapping from column names (to be confirmed by the user).

    Parameters
    ----------
    header
        The file's header (column names as read).

    Returns
    -------
    ColumnMapping
        A first guess of a mapping from column names (to be confirmed by the user).
    """
    guesses = {
        "event_id": ["event_id", "id", "event id", "eventid"],
        "event_date": ["event_date", "date", "event date", "date_start", "day"],
        "latitude": ["latitude", "lat", "y"],
        "longitude": ["longitude", "lon", "long", "lng", "x"],
        "fatalities": ["fatalities", "deaths", "dead", "killed", "best", "morts", "victims"],
        "event_type": ["event_type", "type", "event type", "category"],
        "sub_event_type": ["sub_event_type", "subtype", "sub type"],
        "actor1": ["actor1", "actor", "perpetrator", "side_a"],
        "actor2": ["actor2", "target", "victim", "side_b"],
        "country": ["country", "pays"],
        "admin1_declared": ["admin1", "region", "adm1"],
        "admin2_declared": ["admin2", "province", "cercle", "adm2"],
        "location": ["location", "place", "locality", "village", "localite"],
        "notes": ["notes", "description", "summary"],
        "source_text": ["source", "sources"],
    }
    lower = {h.strip().lower(): h for h in header}
    columns = {}
    for canonical, names in guesses.items():
        for name in names:
            if name in lower and lower[name] not in columns.values():
                columns[canonical] = lower[name]
                break
    return ColumnMapping(columns)


def _content_ids(raw: pd.DataFrame, used: list[str]) -> pd.Series:
    hashed = pd.util.hash_pandas_object(raw[used].astype(str), index=False)
    return "gen-" + pd.Series([f"{int(v):016x}" for v in hashed.to_numpy()], index=raw.index)


def absent_columns(mapping: ColumnMapping) -> dict[str, str]:
    """Canonical columns the mapping names no file column for (those filled with a default included).

    Parameters
    ----------
    mapping
        The file's column mapping.

    Returns
    -------
    dict[str, str]
        Canonical column -> the canonical name itself (a generic file has no names of its own for them); a column
        filled with a default (fatalities counted as 0) is one.
    """
    cols = mapping.columns
    absent = [c for c in MAPPABLE if c not in cols and c not in REQUIRED and c not in ("event_id", "country", "country_iso3")]
    if "country" not in cols and "country_iso3" not in cols and not mapping.country:
        absent += ["country", "country_iso3"]
    if "geo_precision" not in cols:
        absent.append("max_admin_level")
    return {c: c for c in absent}


def translate(table: RawTable, mapping: ColumnMapping | None) -> tuple[pd.DataFrame, pd.Series, list[str]]:
    """Translate a file with a column mapping into canonical events.

    Parameters
    ----------
    table
        The file as read (header, rows as text, line numbers).
    mapping
        The column mapping of a generic CSV (which column holds which canonical field).

    Returns
    -------
    tuple[pd.DataFrame, pd.Series, list[str]]
        (canonical events, rejection reasons per row, notes).
    """
    if mapping is None or not mapping.columns:
        raise UnknownFormatError(
            f"{table.file}: its columns match no known format (ACLED, UCDP GED); give a column mapping with "
            "--mapping FILE or --map event_date=COLUMN --map latitude=COLUMN --map longitude=COLUMN. "
            f"Its columns are: {', '.join(h[:60] for h in table.header[:30])}",
            file=table.file, header=table.header,
        )
    absent = [f"{k}={v}" for k, v in mapping.columns.items() if v not in table.header]
    if absent:
        raise InputError(
            f"{table.file}: the mapping names column(s) the file does not have ({', '.join(absent)}); "
            f"its columns are: {', '.join(h[:60] for h in table.header[:30])}"
        )
    missing = [c for c in REQUIRED if c not in mapping.columns]
    if missing:
        raise InputError(f"{table.file}: the mapping must name a column for {', '.join(missing)}")
    raw = table.data
    cols = mapping.columns
    notes: list[str] = []
    problems = RowProblems(raw.index)
    text = {c: raw[col].astype(str).str.strip() for c, col in cols.items()}
    blank = pd.Series("", index=raw.index, dtype=object)

    if "event_id" in cols:
        event_id = check_required_text(problems, text["event_id"], f"event id ({cols['event_id']})")
    else:
        event_id = _content_ids(raw, list(dict.fromkeys(cols.values())))
        notes.append("no event id column: ids were made from each row's content")
    dates, reasons = parse_dates(text["event_date"], day_first=mapping.day_first, date_format=mapping.date_format)
    problems.add((reasons != "").to_numpy(), reasons)
    lat, lon = check_coordinates(problems, text["latitude"], text["longitude"], comma_decimal=table.delimiter != ",")
    if "fatalities" in cols:
        fatalities = check_count(problems, text["fatalities"], f"fatalities ({cols['fatalities']})")
    else:
        fatalities = pd.Series(0, index=raw.index)
        notes.append("no fatalities column mapped: fatalities are counted as 0")
    low = check_count(problems, text["fatalities_low"], "fatalities_low", required=False) if "fatalities_low" in cols else None
    high = check_count(problems, text["fatalities_high"], "fatalities_high", required=False) if "fatalities_high" in cols else None
    event_type = text.get("event_type", blank)
    if "event_type" not in cols:
        event_type = pd.Series("Unspecified", index=raw.index)
        notes.append("no event_type column mapped: every event has type 'Unspecified'")
    else:
        event_type = event_type.where(event_type != "", "Unspecified")

    scale = mapping.geo_precision_scale or "acled"
    if "geo_precision" in cols:
        allowed = set(range(1, 4)) if scale == "acled" else set(range(1, 8))
        precision = check_code(problems, text["geo_precision"], "geo_precision", allowed)
        p = precision.fillna(1).to_numpy()
        max_level = np.where(p >= 3, 1, 2) if scale == "acled" else np.select([p <= 3, p == 4], [2, 1], 0)
    else:
        precision = pd.Series(pd.NA, index=raw.index, dtype="Int64")
        max_level = np.full(len(raw), 2)

    country = text.get("country", blank)
    if "country_iso3" in cols:
        iso3 = text["country_iso3"].map(iso3_from_any)
    else:
        iso3 = country.map(lambda v: iso3_from_any(v) if v else "")
    if mapping.country:
        constant = iso3_from_any(mapping.country)
        if not constant:
            raise InputError(f"mapping option country {mapping.country!r} is not a known country")
        iso3 = iso3.where(iso3 != "", constant)
        country = country.where(country != "", constant)
    civilian = (
        text["civilian_targeting"].str.lower().isin(_TRUE) if "civilian_targeting" in cols
        else event_type.str.lower().str.contains("civilian")
    )
    time_precision = (
        check_code(problems, text["time_precision"], "time_precision", {1, 2, 3, 4, 5})
        if "time_precision" in cols else None
    )
    events = pd.DataFrame(
        {
            "source_dataset": "generic",
            "event_id": event_id,
            "event_date": dates,
            "year": dates.dt.year.fillna(0).astype("int64"),
            "time_precision": time_precision,
            "event_type": event_type,
            "sub_event_type": text.get("sub_event_type", blank),
            "disorder_type": text.get("disorder_type", blank),
            "actor1": text.get("actor1", blank),
            "assoc_actor_1": text.get("assoc_actor_1", blank),
            "actor2": text.get("actor2", blank),
            "assoc_actor_2": text.get("assoc_actor_2", blank),
            "country": country,
            "country_iso3": iso3,
            "admin1_declared": text.get("admin1_declared", blank),
            "admin2_declared": text.get("admin2_declared", blank),
            "admin3_declared": text.get("admin3_declared", blank),
            "location": text.get("location", blank),
            "latitude": lat,
            "longitude": lon,
            "geo_precision": precision,
            "max_admin_level": max_level,
            "fatalities": fatalities.fillna(0),
            "fatalities_low": low,
            "fatalities_high": high,
            "civilian_targeting": civilian,
            "notes": raw[cols["notes"]].astype(str) if "notes" in cols else blank,
            "source_text": text.get("source_text", blank),
        },
        index=raw.index,
    )
    return coerce_events(events), problems.reasons(), notes
