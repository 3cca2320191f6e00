"""Hostile event files, and the contract every one of them must meet through `python -m geo ingest`.

Shared by the property-based test (tests/test_fuzz_ingest.py, a few dozen seeded examples) and the long
run (bench/fuzz_ingest.py, thousands). A case is one file:

- a reader's layout: ACLED current, ACLED HDX (with its row of HXL hashtags), old upper-case ACLED,
  UCDP GED, or a generic CSV read through a column mapping (`--map` flags);
- rows, synthetic or real: real rows of ../shared/data/real are read at run time when the folder is
  there (ACLED's terms: they are never written into the repository), each with a fresh id;
- value mutations of single fields, each with what the reader must do with the row (accept it, reject it,
  or either): huge or malformed fatalities and coordinates, dates of every form, formulas, HTML, NUL
  bytes, control and right-to-left characters, huge text, missing or extra fields;
- file mutations: delimiter, quoting, encoding (UTF-8 with or without BOM, UTF-16/32 with or without
  BOM, Windows-1252), line ends (LF, CRLF, old-Mac CR), blank lines, trailing delimiters on every line or on the
  data rows only, as UCDP's web download has them (all harmless: every row must still be read), then damage (truncation, NUL or invalid bytes, a stray quote, a second
  header, ACLED and UCDP rows in one file, a huge field, a wrong byte-order mark);
- or bytes that are not a CSV at all, named .csv (random bytes, zip, gzip, PDF, HTML, PNG, JSON, an
  Excel workbook, nothing, a header alone, a header and a lone quote, a header cut off; bzip2, xz, SQLite, a
  program, a damaged or split zip; a zip of a one-line file, a first line or a column name longer than the csv
  module's 131,072-character field limit).

`check_ingest` ingests the case with `geo.cli.main(["ingest", FILE, "--db", URL, "--json"])` (stdout and
stderr captured, warnings and "Exception ignored" reports recorded) into a store that holds one good
batch, and checks the contract:

- exit 0: stderr is empty; one JSON object whose accounting balances (rows_read = new + updated +
  duplicates + rejected + outside_area, for the batch and each file); only sane values were stored
  (fatalities within bounds, coordinates in range, dates that parse, no NUL in text); for a file with
  only harmless mutations, every row was read and each row was accepted or rejected as its mutation
  demands (by line number). The batch is then rolled back and the store must be as before.
- exit 1: nothing on stdout; stderr is one line `error: ...` naming the file (plus the indented lines of
  further problems), printable, without a library's own wording; the store is unchanged.
- never exit 3 (unexpected failure), never a traceback, a warning or an "Exception ignored" report.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
import sys
import tempfile
import warnings
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd
from helpers import ACLED_REAL, UCDP_REAL
from hypothesis import strategies as st

#: The largest fatality count a row may carry (geo.readers.MAX_FATALITIES, repeated here on purpose).
MAX_FATALITIES = 1_000_000

# ------------------------------------------------------------------------------------------- layouts

ACLED_CURRENT = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
).split(",")
ACLED_HDX = (
    "data_id,iso,event_id_cnty,event_id_no_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,"
    "assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,region,country,admin1,admin2,admin3,location,"
    "latitude,longitude,geo_precision,source,source_scale,notes,fatalities,timestamp,iso3"
).split(",")
HXL_TAGS = {
    "event_id_cnty": "#event+code", "event_date": "#date+occurred", "year": "#date+year", "event_type": "#event+type",
    "actor1": "#group+name+first", "assoc_actor_1": "#group+name+first+assoc", "actor2": "#group+name+second",
    "assoc_actor_2": "#group+name+second+assoc", "region": "#region+name", "country": "#country+name",
    "admin1": "#adm1+name", "admin2": "#adm2+name", "admin3": "#adm3+name", "location": "#loc+name",
    "latitude": "#geo+lat", "longitude": "#geo+lon", "source": "#meta+source", "notes": "#description",
    "fatalities": "#affected+killed", "iso3": "#country+code",
}
ACLED_OLD = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,INTER1,"
    "ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,LOCATION,LATITUDE,LONGITUDE,"
    "GEO_PRECISION,SOURCE,NOTES,FATALITIES,,,"
).split(",")
UCDP_GED = (
    "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,"
    "dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,"
    "number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,"
    "where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,"
    "region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,"
    "high,low,gwnoa,gwnob"
).split(",")
#: generic column -> the ACLED record field it holds, and the mapping given with --map
GENERIC = {
    "Date": "event_date", "Lat": "latitude", "Lon": "longitude", "Killed": "fatalities", "Category": "event_type",
    "Pays": "country", "Lieu": "location", "Auteur": "actor1", "Résumé": "notes",
}
GENERIC_MAP = {
    "event_date": "Date", "latitude": "Lat", "longitude": "Lon", "fatalities": "Killed", "event_type": "Category",
    "country": "Pays", "location": "Lieu", "actor1": "Auteur", "notes": "Résumé",
}


@dataclass(frozen=True)
class Layout:
    """How one reader's files look: columns, the record field of each, and extra command-line flags."""

    name: str
    family: str  # "acled" or "ucdp": which record fields the columns take
    columns: tuple[str, ...]
    fields: tuple[str, ...]  # record field of each column ("" for none)
    hxl: bool = False
    day_first_dates: bool = False  # write dates dd/mm/yyyy (old ACLED exports)
    argv: tuple[str, ...] = ()

    def cells(self, record: dict[str, str]) -> list[str]:
        out = []
        for f in self.fields:
            value = record.get(f, "") if f else ""
            if f == "event_date" and self.day_first_dates and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                value = f"{value[8:10]}/{value[5:7]}/{value[:4]}"
            out.append(value)
        return out


_OLD_FIELDS = {"ally_actor_1": "assoc_actor_1", "ally_actor_2": "assoc_actor_2"}
LAYOUTS = {
    "acled-current": Layout("acled-current", "acled", tuple(ACLED_CURRENT), tuple(ACLED_CURRENT)),
    "acled-hdx": Layout("acled-hdx", "acled", tuple(ACLED_HDX), tuple(ACLED_HDX), hxl=True),
    "acled-old": Layout(
        "acled-old", "acled", tuple(ACLED_OLD), tuple(_OLD_FIELDS.get(c.lower(), c.lower()) for c in ACLED_OLD),
        day_first_dates=True,
    ),
    "ucdp-ged": Layout("ucdp-ged", "ucdp", tuple(UCDP_GED), tuple(UCDP_GED)),
    "generic": Layout(
        "generic", "acled", tuple(GENERIC), tuple(GENERIC.values()),
        argv=tuple(a for k, v in GENERIC_MAP.items() for a in ("--map", f"{k}={v}")),
    ),
}

#: Which record fields hold what, per family (for value mutations).
KINDS = {
    "acled": {
        "id": ["event_id_cnty"], "date": ["event_date"], "count": ["fatalities"], "lat": ["latitude"],
        "lon": ["longitude"], "code": ["geo_precision", "time_precision"], "soft_code": ["inter1", "inter2", "iso", "gwno"],
        "timestamp": ["timestamp"], "year": ["year"],
        "text": ["actor1", "actor2", "notes", "location", "admin1", "source", "sub_event_type", "event_type", "country"],
    },
    "ucdp": {
        "id": ["id"], "date": ["date_start"], "count": ["best", "low", "high"], "lat": ["latitude"], "lon": ["longitude"],
        "code": ["type_of_violence", "where_prec", "date_prec"], "soft_code": ["country_id", "priogrid_gid"],
        "year": ["year"], "text": ["side_a", "side_b", "source_article", "where_description", "conflict_name", "country"],
    },
}
#: Text fields whose blank value rejects the row, per layout.
REQUIRED_TEXT = {
    "acled-current": {"event_type", "country", "event_id_cnty"}, "acled-hdx": {"event_type", "country", "event_id_cnty"},
    "acled-old": {"event_type", "country", "event_id_cnty"}, "ucdp-ged": {"country", "id"}, "generic": set(),
}

# ------------------------------------------------------------------------------------------------ rows

#: Places inside the atlas's area: (country, ISO numeric, GW code, admin1, admin2, location, lat, lon).
PLACES = [
    ("Mali", "466", "432", "Mopti", "Bankass", "Ogossagou", 14.249, -3.63),
    ("Mali", "466", "432", "Mopti", "Mopti", "Sévaré", 14.53, -4.09),
    ("Mali", "466", "432", "Gao", "Ansongo", "Ansongo", 15.66, 0.50),
    ("Burkina Faso", "854", "439", "Nord", "Yatenga", "Ouahigouya", 13.58, -2.42),
    ("Burkina Faso", "854", "439", "Sahel", "Soum", "Djibo", 14.10, -1.63),
    ("Niger", "562", "436", "Tillabéri", "Tillabéri", "Inatès", 15.0, 1.4),
    ("Niger", "562", "436", "Tahoua", "Tahoua", "Tillia", 16.13, 4.79),
]
EVENT_TYPES = [
    ("Violence against civilians", "Attack", "Civilian targeting"), ("Battles", "Armed clash", ""),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", ""), ("Protests", "Peaceful protest", ""),
]
ACTORS = ["JNIM: Group for Support of Islam and Muslims", "Dan Na Ambassagou", "Military Forces of Mali (2013-)",
          "Unidentified Armed Group (Burkina Faso)", "Civilians (Niger)", "Koglweogo Militia", "ISGS"]
NOTES = ["On 23 March 2019, armed men attacked the village.", "Attaque à l'arme lourde près de Djibo ; 3 morts.",
         "Des hommes armés non identifiés ont tué deux civils — «sans sommation».", ""]


@st.composite
def synthetic_acled(draw) -> dict[str, str]:
    day = draw(st.dates(date(1997, 1, 1), date(2023, 12, 31)))
    country, iso, gwno, admin1, admin2, location, lat, lon = draw(st.sampled_from(PLACES))
    event_type, sub, civilian = draw(st.sampled_from(EVENT_TYPES))
    return {
        "event_date": day.isoformat(), "year": str(day.year), "time_precision": draw(st.sampled_from(["1", "2", "3"])),
        "disorder_type": "Political violence", "event_type": event_type, "sub_event_type": sub,
        "actor1": draw(st.sampled_from(ACTORS)), "inter1": draw(st.sampled_from(["2", "3", "Rebel group"])),
        "actor2": draw(st.sampled_from(ACTORS)), "inter2": draw(st.sampled_from(["1", "7", "Civilians"])),
        "civilian_targeting": civilian, "iso": iso, "gwno": gwno, "region": "Western Africa", "country": country,
        "admin1": admin1, "admin2": admin2, "location": location,
        "latitude": f"{lat + draw(st.integers(-200, 200)) / 10_000:.4f}",
        "longitude": f"{lon + draw(st.integers(-200, 200)) / 10_000:.4f}",
        "geo_precision": draw(st.sampled_from(["1", "2", "3"])), "source": "Test source", "source_scale": "National",
        "notes": draw(st.sampled_from(NOTES)), "fatalities": str(draw(st.integers(0, 200))),
        "timestamp": str(draw(st.integers(1_500_000_000, 1_700_000_000))), "iso3": "",
    }


@st.composite
def synthetic_ucdp(draw) -> dict[str, str]:
    day = draw(st.dates(date(1989, 1, 1), date(2022, 12, 31)))
    country, _iso, gwno, admin1, admin2, location, lat, lon = draw(st.sampled_from(PLACES))
    best = draw(st.integers(0, 300))
    low = draw(st.integers(0, best))
    high = draw(st.integers(best, best + 100))
    violence = draw(st.sampled_from(["1", "2", "3"]))
    return {
        "relid": "X", "year": str(day.year), "active_year": "1", "code_status": "Clear", "type_of_violence": violence,
        "conflict_name": f"{country}: Government", "dyad_name": "Government - JNIM", "side_a": draw(st.sampled_from(ACTORS)),
        "side_b": draw(st.sampled_from(ACTORS)), "number_of_sources": "2",
        "source_article": draw(st.sampled_from(['"Reuters,2019-01-01,Attack"', "AFP;RFI", ""])),
        "where_prec": draw(st.sampled_from([str(p) for p in range(1, 8)])), "where_coordinates": location,
        "where_description": f"{location} village", "adm_1": f"{admin1} region", "adm_2": f"{admin2} cercle",
        "latitude": f"{lat:.4f}", "longitude": f"{lon:.4f}", "geom_wkt": f"POINT ({lon} {lat})", "priogrid_gid": "152271",
        "country": country, "country_id": gwno, "region": "Africa", "event_clarity": "1",
        "date_prec": draw(st.sampled_from(["1", "2", "3", "4", "5"])), "date_start": day.isoformat(),
        "date_end": day.isoformat(), "best": str(best), "high": str(high), "low": str(low), "gwnoa": gwno,
    }


@dataclass
class RealRows:
    """Real rows read at run time (never written anywhere), as records of each family."""

    acled: list[dict[str, str]]
    ucdp: list[dict[str, str]]

    @classmethod
    def load(cls, limit: int = 400) -> RealRows | None:
        if not (ACLED_REAL.exists() and UCDP_REAL.exists()):
            return None
        with open(ACLED_REAL, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            next(reader)  # the HXL row
            acled = [row for _, row in zip(range(limit), reader)]
        with open(UCDP_REAL, encoding="utf-8", newline="") as handle:
            ucdp = list(csv.DictReader(handle))
        return cls(acled=acled, ucdp=ucdp)


# -------------------------------------------------------------------------------------- value mutations

ACCEPT, REJECT, EITHER = "accept", "reject", "either"

HUGE_COUNTS = ["1e19", "1e30", "9223372036854775808", "99999999999999999999", "1e308", str(MAX_FATALITIES + 1)]
BAD_COUNTS = ["-1", "2.5", "ten", "NaN", "inf", "-inf", "0x10", "3 killed"]
BAD_COORDS = ["1e400", "nan", "inf", "abc", "14.2N", "--3"]
HOSTILE_TEXT = [
    '=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)", "-2+3",
    '<script>alert("x")</script><img src=x onerror=alert(1)>', "Ségou — Tillabéri ✓ 😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "\u202eevil\u202c", "zero\u200bwidth\ufeffBOM", "two\nlines", 'a "quoted" word', "a, b; c\t d | e",
    "  padded  ", "\x1b[31mred\x1b[0m", "NULL", "nan", "None", "#N/A", "ﷺ اللغة العربية", "ⓘ ①②③",
]


@dataclass
class RowPlan:
    """One data row: its record, and whether the reader must accept it, reject it, or may do either."""

    record: dict[str, str]
    expect: str = ACCEPT
    why: str = "unmutated"
    extra_cells: int = 0  # > 0: more fields than the header; < 0: fewer


@st.composite
def value_mutation(draw, layout: Layout, record: dict[str, str]) -> tuple[dict[str, str], str, str, int]:
    """(mutated record, expectation, description, extra cells) for one hostile change to one row."""
    record = dict(record)
    present = {f for f in layout.fields if f}
    kinds = {k: [f for f in fs if f in present] for k, fs in KINDS[layout.family].items()}
    kinds = {k: fs for k, fs in kinds.items() if fs}
    kind = draw(st.sampled_from(sorted(kinds) + ["structure"]))
    if kind == "structure":
        extra = draw(st.sampled_from([1, 2, -1, -3]))
        return record, REJECT, f"{extra:+d} fields", extra
    name = draw(st.sampled_from(kinds[kind]))
    old = record.get(name, "")
    required_text = name in REQUIRED_TEXT[layout.name]
    if kind == "count":
        optional = layout.family == "ucdp" and name in ("low", "high")
        choice = draw(st.sampled_from(["huge", "bad", "blank", "format"]))
        if choice == "huge":
            value, expect = draw(st.sampled_from(HUGE_COUNTS)), REJECT
        elif choice == "bad":
            value, expect = draw(st.sampled_from(BAD_COUNTS)), REJECT
        elif choice == "blank":
            value, expect = "", ACCEPT if optional else REJECT
        else:
            value = draw(st.sampled_from([f" {old} ", f"00{old}", f"{old}.0"])) if old else old
            expect = ACCEPT
        if layout.family == "ucdp" and choice in ("huge",) and name == "low":
            expect = REJECT
    elif kind in ("lat", "lon"):
        choice = draw(st.sampled_from(["range", "bad", "blank", "zero", "swap", "format"]))
        if choice == "range":
            value, expect = ("91.5" if kind == "lat" else "-181"), REJECT
        elif choice == "bad":
            value, expect = draw(st.sampled_from(BAD_COORDS)), REJECT
        elif choice == "blank":
            value, expect = "", REJECT
        elif choice == "zero":
            record["latitude"], record["longitude"] = "0", "0"
            return record, REJECT, "coordinates 0, 0", 0
        elif choice == "swap":
            record["latitude"], record["longitude"] = record.get("longitude", ""), record.get("latitude", "")
            return record, EITHER, "latitude and longitude swapped", 0
        else:
            value, expect = (f" {old} " if old else old), ACCEPT
    elif kind == "date":
        day = old[:10]
        valid_iso = bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", day))
        choice = draw(st.sampled_from(["timed", "other form", "invalid", "blank"]))
        if choice == "timed" and valid_iso:
            value = draw(st.sampled_from([
                f"{day}T12:00:00Z", f"{day}T00:00:00", f"{day}T08:30:00+01:00", f"{day}T23:59:59-05:00",
                f"{day}T06:00:00.123456Z", f"{day} 00:00:00",
            ]))
            expect = ACCEPT
        elif choice == "other form" and valid_iso and layout.family == "acled":
            d = date.fromisoformat(day)
            value = draw(st.sampled_from([d.strftime("%d/%m/%Y"), d.strftime("%d %B %Y"), d.strftime("%Y/%m/%d")]))
            expect = ACCEPT
        elif choice == "blank":
            value, expect = "", REJECT
        else:
            value = draw(st.sampled_from([
                "2019-02-30", "2019-13-45", "31/02/2019", "yesterday", "0001-01-01", "9999-12-31", "2999-01-01",
                "1e19", "2019-03-23T25:61:00", "NaT", "-2019-01-01",
            ]))
            expect = REJECT
    elif kind == "code":
        choice = draw(st.sampled_from(["out", "bad", "blank"]))
        if choice == "out":
            value = {"geo_precision": "7", "time_precision": "9", "type_of_violence": "4", "where_prec": "0",
                     "date_prec": "9"}[name]
            expect = REJECT
        elif choice == "bad":
            value, expect = draw(st.sampled_from(["1e400", "inf", "nan", "one", "1.5", "9223372036854775808"])), REJECT
        else:
            value = ""
            expect = REJECT if name in ("type_of_violence", "where_prec") else ACCEPT
    elif kind == "soft_code":
        value, expect = draw(st.sampled_from(["1e400", "inf", "-inf", "nan", "-1", "99", "9223372036854775808", ""])), ACCEPT
    elif kind == "timestamp":
        choice = draw(st.sampled_from(["huge", "bad", "blank", "negative"]))
        value, expect = {
            "huge": (draw(st.sampled_from(["1e19", "9223372036854775808", "1e400"])), REJECT),
            "bad": (draw(st.sampled_from(["1.5", "abc", "inf"])), REJECT),
            "blank": ("", ACCEPT),
            "negative": ("-5", REJECT),
        }[choice]
    elif kind == "year":
        value, expect = draw(st.sampled_from([("inf", REJECT), ("1e400", REJECT), ("1899", REJECT), ("", ACCEPT)]))
    elif kind == "id":
        choice = draw(st.sampled_from(["blank", "long", "unicode", "nul"]))
        value, expect = {
            "blank": (draw(st.sampled_from(["", "   "])), REJECT),
            "long": (f"{old}-" + "x" * 5000, ACCEPT),
            "unicode": (f"{old}-é✓", ACCEPT),
            "nul": (f"{old}\x00", REJECT),
        }[choice]
    else:  # text
        choice = draw(st.sampled_from(["hostile", "hostile", "huge", "nul", "blank"]))
        if choice == "hostile":
            value, expect = draw(st.sampled_from(HOSTILE_TEXT)), ACCEPT
            if required_text and not value.strip():
                expect = REJECT
        elif choice == "huge":
            value, expect = "long " * draw(st.sampled_from([2_000, 20_000])), ACCEPT
        elif choice == "nul":
            value, expect = "before\x00after", REJECT
        else:
            value, expect = "", (REJECT if required_text else ACCEPT)
    record[name] = value
    return record, expect, f"{name}={value[:40]!r}", 0


# ---------------------------------------------------------------------------------------- the file

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "cp1252", "latin-1"]
DAMAGE = [
    "truncate", "nul byte", "invalid byte", "0xFF appended", "stray quote", "second header", "mixed sources",
    "huge field", "wrong BOM", "cut header", "huge header field",
]
NOT_CSV = [
    "random bytes", "random high bytes", "zip", "gzip", "pdf", "html", "png", "json", "xlsx", "empty", "blank",
    "header only", "header and a lone quote", "header cut mid-row", "header and half a row", "one column",
    "utf-32 random",
    # binary files of other kinds, and fields longer than the csv module's limit (131,072 characters)
    "zip of a one-line file", "damaged zip", "split zip", "bzip2", "xz", "sqlite", "elf", "long first line",
    "one-line json",
]
#: Python's csv module refuses longer fields (its default field_size_limit).
CSV_FIELD_LIMIT = 131_072


@dataclass
class FuzzCase:
    """One hostile file and what is known of it."""

    description: str
    content: bytes
    layout: str = ""
    argv: tuple[str, ...] = ()
    rows: list[RowPlan] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # physical line of each row
    harmless: bool = False  # only harmless file mutations: every row must be read as planned
    damage: str = ""  # what damaged the file (one of DAMAGE), or what it is (one of NOT_CSV)
    file_name: str = "fuzz.csv"
    expect_in_message: tuple[str, ...] = ()  # for exit 1: one of these must be in the message

    def __str__(self) -> str:
        return f"{self.description} ({len(self.content):,} bytes)"


def _render(table: list[list[str]], delimiter: str, quote_all: bool) -> list[str]:
    """Each record as text (without its line end), quoted as a spreadsheet would."""
    out = []
    for cells in table:
        buffer = io.StringIO()
        # The line terminator given is what the writer quotes fields for; it is cut off again here.
        quoting = csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=quoting).writerow(cells)
        out.append(buffer.getvalue()[:-2])
    return out


def _encode(text: str, encoding: str) -> bytes:
    if encoding in ("cp1252", "latin-1"):
        return text.encode(encoding, errors="replace")
    return text.encode(encoding)


@st.composite
def csv_cases(draw, real: RealRows | None = None, *, max_rows: int = 8, big: bool = False) -> FuzzCase:
    """A file of one reader's layout, its rows mutated and the file transformed (and perhaps damaged)."""
    layout = LAYOUTS[draw(st.sampled_from(sorted(LAYOUTS)))]
    n = draw(st.integers(1, max_rows))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    plans: list[RowPlan] = []
    for i in range(n):
        use_real = real is not None and draw(st.booleans())
        if use_real:
            record = dict(draw(st.sampled_from(real.acled if layout.family == "acled" else real.ucdp)))
        else:
            record = draw(synthetic_acled() if layout.family == "acled" else synthetic_ucdp())
        key = "event_id_cnty" if layout.family == "acled" else "id"
        record[key] = f"FZ{i}-{record.get(key) or 'S'}" if layout.family == "acled" else str(9_000_000 + i)
        record.setdefault("event_id_no_cnty", str(i))
        plan = RowPlan(record, why="real row" if use_real else "synthetic row")
        if draw(st.booleans()):
            mutated, expect, why, extra = draw(value_mutation(layout, record))
            plan = RowPlan(mutated, expect, why, extra)
        plans.append(plan)
    if delimiter != "," and draw(st.booleans()):  # French-style decimal commas
        for plan in plans:
            for f in ("latitude", "longitude"):
                if re.fullmatch(r"-?\d+\.\d+", plan.record.get(f, "")):
                    plan.record[f] = plan.record[f].replace(".", ",")
    quote_all = draw(st.booleans())
    # Trailing delimiters: on every line, or on the rows only (UCDP's web download: the header has none).
    trailing = draw(st.sampled_from(["", "", "every line", "rows only"])) if layout.name != "acled-old" else ""
    header = list(layout.columns)
    table = [header + ([""] if trailing == "every line" else [])]
    if layout.hxl:
        table.append([HXL_TAGS.get(f, "") for f in layout.fields] + ([""] if trailing else []))
    for plan in plans:
        cells = layout.cells(plan.record)
        if plan.extra_cells == -1 and trailing == "rows only":
            # One field short and then a trailing delimiter: as long as the header, which only the other rows
            # tell apart from a good row (the reader goes by the majority); three short stays unambiguous.
            plan.extra_cells, plan.why = -3, "-3 fields"
        if plan.extra_cells > 0:
            cells += ["extra"] * plan.extra_cells
        elif plan.extra_cells < 0:
            cells = cells[: plan.extra_cells]
        table.append(cells + ([""] if trailing else []))
    records = _render(table, delimiter, quote_all)
    blank_after = {i for i in range(len(plans)) if draw(st.integers(0, 9)) == 0}
    line_end = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    lines, pieces, line = [], [], 1
    n_head = 2 if layout.hxl else 1
    for i, text in enumerate(records):
        pieces.append(text)
        if i >= n_head:
            lines.append(line)
        line += 1 + text.count("\n")
        if i >= n_head and (i - n_head) in blank_after:
            pieces.append("")
            line += 1
    final_newline = draw(st.booleans())
    body = line_end.join(pieces) + (line_end if final_newline else "")
    if line_end == "\r":
        body = body.replace("\n", "\r")  # an old-Mac file has no LF at all, not even inside quotes
    encoding = draw(st.sampled_from(ENCODINGS))
    description = (
        f"{layout.name}, {n} row(s) [{'; '.join(p.why for p in plans)}], delimiter {delimiter!r}, "
        f"{'all quoted, ' if quote_all else ''}{f'trailing delimiters ({trailing}), ' if trailing else ''}{encoding}, "
        f"line end {line_end!r}{'' if final_newline else ' (none at the end)'}"
    )
    damage = draw(st.sampled_from(["none"] * 3 + DAMAGE))
    content = _encode(body, encoding)
    if damage != "none":
        content, detail = _damage(draw, damage, body, content, encoding, line_end, layout, real, big=big)
        description += f"; damage: {detail}"
    return FuzzCase(
        description=description, content=content, layout=layout.name, argv=layout.argv, rows=plans, lines=lines,
        harmless=damage == "none", damage="" if damage == "none" else damage,
    )


def _damage(draw, damage: str, body: str, content: bytes, encoding: str, line_end: str, layout: Layout,
            real: RealRows | None, *, big: bool) -> tuple[bytes, str]:
    at = draw(st.integers(0, max(len(content) - 1, 0)))
    if damage == "truncate":
        return content[:at], f"cut after {at} bytes"
    if damage == "nul byte":
        return content[:at] + b"\x00" + content[at:], f"NUL byte at {at}"
    if damage == "invalid byte":
        byte = draw(st.sampled_from([b"\xff", b"\xfe", b"\x81", b"\xc3", b"\xe9"]))
        return content[:at] + byte + content[at:], f"byte {byte!r} at {at}"
    if damage == "0xFF appended":
        return content + b"\xff", "0xFF appended"
    if damage == "stray quote":
        text_at = draw(st.integers(0, max(len(body) - 1, 0)))
        return _encode(body[:text_at] + '"' + body[text_at:], encoding), f"a quote inserted at character {text_at}"
    if damage == "second header":
        cut = body.find(line_end, len(body) // 2)
        cut = len(body) if cut < 0 else cut
        header = line_end.join(_render([list(layout.columns)], ",", False))
        return _encode(body[:cut] + line_end + header + body[cut:], encoding), "the header again in the middle"
    if damage == "mixed sources":
        other = LAYOUTS["ucdp-ged" if layout.family == "acled" else "acled-current"]
        record = synthetic_acled() if other.family == "acled" else synthetic_ucdp()
        rows = [other.cells(draw(record)) for _ in range(2)]
        extra = line_end.join(_render([list(other.columns), *rows], ",", False))
        joint = body if body.endswith(line_end) else body + line_end
        return _encode(joint + extra + line_end, encoding), f"{other.name} rows appended"
    if damage == "huge field":
        size = draw(st.sampled_from([17 << 20, 2 << 20] if big else [300_000, 1 << 20]))
        cut = body.find(line_end)
        cut = len(body) if cut < 0 else cut
        filler = draw(st.sampled_from(["x", "\"x\"", "é"])) * (size // 2)
        row = line_end + '"' + filler.replace('"', '""') + '"'
        return _encode(body[:cut] + row + body[cut:], encoding), f"a field of {len(filler):,} characters as line 2"
    if damage == "huge header field":
        size = draw(st.sampled_from([CSV_FIELD_LIMIT + 1, 300_000]))
        names = list(layout.columns)
        at = draw(st.integers(0, len(names) - 1))
        piece = draw(st.sampled_from(["x", "é", "Ab1/"]))
        names[at] = piece * (size // len(piece) + 1)
        cut = body.find(line_end)
        cut = len(body) if cut < 0 else cut
        return _encode(",".join(names) + body[cut:], encoding), f"a column name of {len(names[at]):,} characters"
    if damage == "wrong BOM":
        bom = draw(st.sampled_from([codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE]))
        return bom + content, f"BOM {bom!r} put before {encoding} text"
    # cut header: cut inside the header row
    header_end = body.find(line_end)
    header_end = len(body) if header_end < 0 else header_end
    cut = draw(st.integers(1, max(header_end, 1)))
    return _encode(body[:cut], encoding), f"cut inside the header, after {cut} characters"


@st.composite
def not_csv_cases(draw) -> FuzzCase:
    """Bytes that are not a CSV of events at all, named .csv."""
    kind = draw(st.sampled_from(NOT_CSV))
    good = ",".join(ACLED_CURRENT) + "\n"
    row = ",".join(LAYOUTS["acled-current"].cells(draw(synthetic_acled())))
    expect: tuple[str, ...] = ()
    if kind == "random bytes":
        content = draw(st.binary(min_size=1, max_size=4000))
    elif kind == "random high bytes":
        content = bytes(b | 0x80 for b in draw(st.binary(min_size=16, max_size=4000)))
        expect = ("not text", "binary", "encoding")
    elif kind == "utf-32 random":
        content = draw(st.text(min_size=1, max_size=200)).encode("utf-32")
    elif kind in ("zip", "xlsx"):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            if kind == "xlsx":
                archive.writestr("[Content_Types].xml", "<Types/>")
                archive.writestr("xl/workbook.xml", "<workbook/>")
            else:
                archive.writestr("events.csv", good + row + "\n")
        content = buffer.getvalue()
        expect = ("Excel",) if kind == "xlsx" else ()
    elif kind == "gzip":
        content, expect = gzip.compress((good + row + "\n").encode()), ("gzip",)
    elif kind == "pdf":
        content, expect = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", ("PDF",)
    elif kind == "html":
        content, expect = b"<!DOCTYPE html>\n<html><body><form>Sign in</form></body></html>\n", ("HTML",)
    elif kind == "png":
        content = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + draw(st.binary(min_size=10, max_size=400))
    elif kind == "json":
        content = json.dumps([{"event_date": "2019-01-01", "latitude": 14.2, "longitude": -3.6}]).encode()
    elif kind == "empty":
        content, expect = b"", ("empty",)
    elif kind == "blank":
        content, expect = draw(st.sampled_from([b"\n\n\n", b"   \r\n\t\r\n", b"\r\r\r"])), ("blank",)
    elif kind == "header only":
        content, expect = good.encode(), ("no data rows",)
    elif kind == "header and a lone quote":
        content = (good + '"').encode()
    elif kind == "header cut mid-row":
        content = good[: draw(st.integers(1, len(good) - 2))].encode()
    elif kind == "header and half a row":
        content = (good + row[: draw(st.integers(1, len(row) - 1))]).encode()
    elif kind == "zip of a one-line file":  # issue 18: a zip's bytes under a .csv name, a field over the csv limit
        buffer = io.BytesIO()
        line = json.dumps({"type": "FeatureCollection", "features": [{"id": i, "note": "x" * 40} for i in range(4000)]})
        with zipfile.ZipFile(buffer, "w", draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))) as archive:
            archive.writestr(draw(st.sampled_from(["events.csv", "data.txt"])), line)
        content, expect = buffer.getvalue(), ("field of", "JSON")
    elif kind == "damaged zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("events.csv", good + row + "\n")
        content, expect = b"junk\n" + buffer.getvalue()[4:], ("zip",)
    elif kind == "split zip":
        content, expect = b"PK\x07\x08" + b"\x00" * 12 + draw(st.binary(min_size=10, max_size=400)), ("zip",)
    elif kind == "bzip2":
        import bz2

        content, expect = bz2.compress((good + row + "\n").encode()), ("bzip2",)
    elif kind == "xz":
        import lzma

        content, expect = lzma.compress((good + row + "\n").encode()), ("xz",)
    elif kind == "sqlite":
        content, expect = b"SQLite format 3\x00" + b"\x10\x00\x01\x01" + b"\x00" * 200, ("SQLite",)
    elif kind == "elf":
        content, expect = b"\x7fELF\x02\x01\x01" + b"\x00" * 9 + draw(st.binary(min_size=10, max_size=400)), ("ELF",)
    elif kind == "long first line":
        size = draw(st.sampled_from([CSV_FIELD_LIMIT + 1, 300_000]))
        content, expect = ("A" * size + "\n" + good + row + "\n").encode(), ("field of", "without a line break")
    elif kind == "one-line json":
        content = json.dumps([{"event_date": "2019-01-01", "notes": "x" * 200}] * 800).encode()
        expect = ("JSON",)
    else:  # one column
        content = b"event_id_cnty event_date event_type\nA 2019-01-01 Battles\n"
        expect = ("single column", "delimiter")
    return FuzzCase(description=f"not a CSV of events: {kind}", content=content, expect_in_message=expect, damage=kind)


def fuzz_cases(real: RealRows | None = None, *, max_rows: int = 8, big: bool = False) -> st.SearchStrategy[FuzzCase]:
    """Every kind of case: mostly CSVs of the readers' layouts, sometimes other bytes."""
    return st.one_of(csv_cases(real, max_rows=max_rows, big=big), csv_cases(real, max_rows=max_rows, big=big), not_csv_cases())


# ------------------------------------------------------------------------------------------ the contract


GOOD_BATCH = (
    ",".join(ACLED_CURRENT) + "\n"
    + "\n".join(
        ",".join(LAYOUTS["acled-current"].cells({
            "event_id_cnty": f"GOOD{i}", "event_date": f"2019-0{i}-15", "year": "2019", "time_precision": "1",
            "event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "A", "actor2": "B", "country": "Mali",
            "admin1": "Mopti", "location": "Mopti", "latitude": "14.49", "longitude": "-4.19", "geo_precision": "1",
            "fatalities": str(i), "timestamp": "1600000000", "iso": "466",
        }))
        for i in range(1, 4)
    )
    + "\n"
)

#: Words of a library's own, or of a wrong diagnosis, that must never reach the user.
FORBIDDEN_WORDS = [
    "Traceback", "Exception ignored", "unexpected failure", "Could not skip", "CSV parse error", "straddl",
    "pyarrow", "Error tokenizing", "built-in synthetic sample", "ArrowInvalid", "UnicodeDecodeError",
]
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class ContractBroken(AssertionError):
    """The ingest of a case broke the contract."""


@dataclass
class Outcome:
    """What `python -m geo ingest` did with a case."""

    exit_code: int
    stdout: str
    stderr: str
    report: dict | None = None
    warnings: list[str] = field(default_factory=list)
    unraisable: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        if self.exit_code == 0:
            return "stored (exit 0)"
        return {1: "refused (exit 1)", 3: "unexpected failure (exit 3)"}.get(self.exit_code, f"exit {self.exit_code}")


def make_store(folder: Path):
    """A SQLite store in `folder` holding one good ACLED batch."""
    from geo.ingest import ingest_files
    from geo.store import Store

    store = Store(f"sqlite:///{folder / 'fuzz.sqlite'}")
    good = folder / "good.csv"
    good.write_text(GOOD_BATCH, encoding="utf-8")
    report = ingest_files([good], store)
    assert report.counts.new == 3, report.counts
    return store


def run_ingest(path: Path, store_url: str, argv: tuple[str, ...] = ()) -> Outcome:
    """`python -m geo ingest PATH --db URL --json`, in this process, everything it prints captured."""
    from geo.cli import main

    out, err = io.StringIO(), io.StringIO()
    unraisable: list[str] = []
    previous_hook = sys.unraisablehook
    sys.unraisablehook = lambda info: unraisable.append(f"{info.exc_type.__name__}: {info.exc_value} in {info.object!r}")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with redirect_stdout(out), redirect_stderr(err):
                try:
                    code = main(["ingest", str(path), "--db", store_url, "--json", *argv])
                except SystemExit as exc:  # argparse
                    code = exc.code if isinstance(exc.code, int) else 2
    finally:
        sys.unraisablehook = previous_hook
    report = None
    if code == 0:
        try:
            report = json.loads(out.getvalue())
        except json.JSONDecodeError:
            report = None
    return Outcome(
        code, out.getvalue(), err.getvalue(), report,
        warnings=[f"{w.category.__name__}: {w.message}" for w in caught if not issubclass(w.category, DeprecationWarning)],
        unraisable=unraisable,
    )


def _frames_equal(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> bool:
    try:
        for key in a:
            pd.testing.assert_frame_equal(a[key].reset_index(drop=True), b[key].reset_index(drop=True))
    except AssertionError:
        return False
    return True


def check_ingest(case: FuzzCase, store, folder: Path | None = None) -> Outcome:
    """
    Ingest `case` into `store` and check the contract (see the module's docstring).

    Raises
    ------
    ContractBroken
        Saying which part of the contract broke and how.
    """
    with tempfile.TemporaryDirectory(prefix="atlas-fuzz-", dir=folder) as work:
        path = Path(work) / case.file_name
        path.write_bytes(case.content)
        before = store.snapshot()
        batches_before = len(store.batches())
        outcome = run_ingest(path, str(store.engine.url), case.argv)
    problems = _contract_problems(case, outcome, store, before, batches_before)
    if problems:
        raise ContractBroken(
            f"{case}\n  " + "\n  ".join(problems) + f"\n  exit {outcome.exit_code}; stderr: {outcome.stderr[:600]!r}"
        )
    return outcome


def _contract_problems(case: FuzzCase, outcome: Outcome, store, before, batches_before: int) -> list[str]:
    problems = []
    if outcome.exit_code not in (0, 1):
        problems.append(f"exit status {outcome.exit_code} (only 0 or 1 are allowed)")
    for text, where in ((outcome.stderr, "stderr"), (outcome.stdout, "stdout")):
        for word in FORBIDDEN_WORDS:
            if word in text:
                problems.append(f"{where} holds {word!r}")
    problems += [f"warning: {w}" for w in outcome.warnings]
    problems += [f"'Exception ignored': {u}" for u in outcome.unraisable]
    if outcome.exit_code == 1:
        lines = outcome.stderr.splitlines()
        if outcome.stdout:
            problems.append(f"exit 1 but stdout holds {outcome.stdout[:200]!r}")
        if not lines or not lines[0].startswith("error: "):
            problems.append("exit 1 without an 'error: ' line first on stderr")
        elif case.file_name not in lines[0]:
            problems.append(f"the message does not name the file: {lines[0][:300]!r}")
        if any(not line.startswith("  ") for line in lines[1:]):
            problems.append("more than one unindented line on stderr")
        if _UNPRINTABLE.search(outcome.stderr.replace("\n", " ")):
            problems.append("the message holds control characters")
        if case.expect_in_message and not any(w.lower() in outcome.stderr.lower() for w in case.expect_in_message):
            problems.append(f"the message says none of {case.expect_in_message}: {outcome.stderr[:300]!r}")
        if not _frames_equal(before, store.snapshot()) or len(store.batches()) != batches_before:
            problems.append("refused, yet the store changed")
        if case.harmless:
            problems.append("a file with only harmless changes was refused")
    elif outcome.exit_code == 0:
        problems += _stored_problems(case, outcome, store, before)
    return problems


def _stored_problems(case: FuzzCase, outcome: Outcome, store, before) -> list[str]:
    from geo.ingest import rollback_batch

    problems = []
    if outcome.stderr:
        problems.append(f"exit 0 but stderr holds {outcome.stderr[:300]!r}")
    report = outcome.report
    if report is None:
        return [*problems, f"exit 0 without one JSON object on stdout: {outcome.stdout[:300]!r}"]
    buckets = ("new", "updated", "duplicates", "rejected", "outside_area")
    for part in [report, *report["files"]]:
        if part["rows_read"] != sum(part[b] for b in buckets):
            problems.append(f"accounting does not balance for {part.get('file', 'the batch')}: {part}")
    if len(report["rejections"]) != report["rejected"]:
        problems.append(f"{report['rejected']} rejected but {len(report['rejections'])} rejections listed")
    for rejection in report["rejections"]:
        if rejection["line"] < 2 or not rejection["reason"] or _UNPRINTABLE.search(rejection["reason"]):
            problems.append(f"bad rejection: {rejection}")
    if case.file_name not in report["files"][0]["file"]:
        problems.append(f"the report does not name the file: {report['files'][0]['file']}")
    if case.harmless:
        problems += _planned_problems(case, report)
    stored = store.snapshot()["events"]
    batch = stored[stored["batch_id"] == report["batch_id"]]
    written = report["new"] + report["updated"] + report["outside_area"]
    if len(batch) != written:
        problems.append(f"{len(batch)} events stored for {written} written")
    problems += stored_value_problems(batch)
    if report["batch_id"] is not None:
        rollback_batch(store, int(report["batch_id"]))
        if not _frames_equal(before, store.snapshot()):
            problems.append("rolling the batch back did not restore the store exactly")
    return problems


def _planned_problems(case: FuzzCase, report: dict) -> list[str]:
    """For a file with harmless changes only: every row read, each accepted or rejected as planned."""
    problems = []
    if report["rows_read"] != len(case.rows):
        problems.append(f"{report['rows_read']} rows read of the {len(case.rows)} written")
    rejected_lines = {r["line"]: r["reason"] for r in report["rejections"]}
    for plan, line in zip(case.rows, case.lines):
        if plan.expect == ACCEPT and line in rejected_lines:
            problems.append(f"line {line} ({plan.why}) was rejected: {rejected_lines[line]}")
        elif plan.expect == REJECT and line not in rejected_lines:
            problems.append(f"line {line} ({plan.why}) was not rejected")
    return problems


def stored_value_problems(events: pd.DataFrame) -> list[str]:
    """Values no stored event may have, as found in the store's own events table."""
    if events.empty:
        return []
    problems = []
    today = pd.Timestamp(datetime.now().date())

    def bad(mask, what):
        if mask.any():
            problems.append(f"{int(mask.sum())} stored event(s) with {what}: {events.loc[mask, 'event_id'].head(3).tolist()}")

    for column in ("fatalities", "fatalities_low", "fatalities_high"):
        values = pd.to_numeric(events[column], errors="coerce")
        required = column == "fatalities"
        bad(((values < 0) | (values > MAX_FATALITIES) | (values.isna() if required else False)).to_numpy(),
            f"{column} out of 0..{MAX_FATALITIES:,}")
    low, best, high = (pd.to_numeric(events[c], errors="coerce") for c in ("fatalities_low", "fatalities", "fatalities_high"))
    bad(((low > best) | (high < best)).to_numpy(), "low > best or high < best")
    lat, lon = pd.to_numeric(events["latitude"], errors="coerce"), pd.to_numeric(events["longitude"], errors="coerce")
    bad((lat.isna() | (lat.abs() > 90) | lon.isna() | (lon.abs() > 180)).to_numpy(), "coordinates out of range")
    dates = pd.to_datetime(events["event_date"], errors="coerce")
    bad((dates.isna() | (dates < pd.Timestamp("1900-01-01")) | (dates > today)).to_numpy(), "a date missing or out of range")
    bad((pd.to_numeric(events["year"], errors="coerce") != dates.dt.year).to_numpy(), "a year unlike its date's")
    stamps = pd.to_numeric(events["revision_timestamp"], errors="coerce")
    bad(((stamps < 0) | (stamps > 1e11)).to_numpy(), "a revision timestamp out of range")
    for column in events.columns:
        if events[column].dtype == object or pd.api.types.is_string_dtype(events[column]):
            bad(events[column].astype(str).str.contains("\x00", regex=False).to_numpy(), f"a NUL character in {column}")
    bad(~events["source_dataset"].isin(["acled", "ucdp", "generic"]).to_numpy(), "an unknown source")
    return problems
