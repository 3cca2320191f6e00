"""Two vintages of the real ACLED export, with known changes between them, built at test time (imported as
`vintage_scenario`). No row of the real file is kept in the repository: the files are written into the
folder a test gives (pytest's tmp_path).

- vintage 1 (batch 1): the real export less its last days (`RECENT`, events after 2020-07-20) and less some
  events of 2018 and one of 2020-07-20, the last day it keeps (`OLD`);
- vintage 2 (batch 2): the recent events (new) and the 2018 ones (backfilled: late reports), plus revisions of
  known kinds, each with a later ACLED `timestamp`: fatalities (`FATALITIES`, with known deltas), date
  (`DATES`, two of them across a new year), event type (`TYPES`), coordinates moved within their admin-2
  unit (`NEAR`) or into another admin-1 unit (`FAR`), fatalities and date at once (`COMBO`), only the notes
  (`NOTES`), and rows repeated unchanged (`SAME`);
- a deletion batch (batch 3): three events untouched since vintage 1 (`GONE`), one event revised by vintage 2
  (`FATALITIES[0]`) and one event vintage 2 added (`RECENT[0]`);
- batch 4: a revision of one event, rolled back (not part of the history).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pandas as pd

RECENT_FROM = "2020-07-21"
#: created_at given to each batch (UTC), so that tests can name points by date.
BATCH_DATES = {1: "2020-07-25T09:00:00+00:00", 2: "2020-08-03T09:00:00+00:00", 3: "2020-08-10T09:00:00+00:00",
               4: "2020-08-12T09:00:00+00:00"}
_BUMP = 86_400  # a revision is published a day later


@dataclass
class Scenario:
    """The files of the scenario and the event ids of each kind of change."""

    v1: Path
    v2: Path
    deletions: Path
    v4: Path
    recent: list[str] = field(default_factory=list)
    old: list[str] = field(default_factory=list)
    fatalities: dict[str, int] = field(default_factory=dict)  # event id -> change in fatalities
    dates: list[str] = field(default_factory=list)
    new_year: list[str] = field(default_factory=list)  # of `dates`: moved into the year before
    types: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)
    far: list[str] = field(default_factory=list)
    combo: str = ""
    combo_delta: int = 0
    notes: list[str] = field(default_factory=list)
    same: list[str] = field(default_factory=list)
    gone: list[str] = field(default_factory=list)
    v4_event: str = ""


def _read(path: Path) -> tuple[list[str], list[str], list[list[str]]]:
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1], rows[2:]


def _write(path: Path, header: list[str], hxl: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerow(hxl)
        writer.writerows(rows)
    return path


def build(real: Path, folder: Path, units_of) -> Scenario:
    """
    Write the scenario's files into `folder`.

    Parameters
    ----------
    real
        The real ACLED export (HDX layout, August 2020).
    units_of
        A function (list of (longitude, latitude)) -> list of (admin1 code, admin2 code) in the default set,
        to choose relocations that stay in their unit or leave it.
    """
    header, hxl, rows = _read(real)
    col = {name: i for i, name in enumerate(header)}
    ident, day = col["event_id_cnty"], col["event_date"]
    rows.sort(key=lambda r: (r[day], r[ident]))
    recent = [r for r in rows if r[day] >= RECENT_FROM]
    older = [r for r in rows if r[day] < RECENT_FROM]
    in_2018 = [r for r in older if r[day].startswith("2018-0")]
    # Late reports: events of 2018, and one dated on the last day vintage 1 keeps (late, not new).
    last_day = [r for r in older if r[day] == older[-1][day]]
    assert len(last_day) > 1
    old = in_2018[::40][:25] + last_day[:1]
    old_ids = {r[ident] for r in old}
    base = [r for r in older if r[ident] not in old_ids]
    by_id = {r[ident]: r for r in base}
    s = Scenario(v1=folder / "vintage1.csv", v2=folder / "vintage2.csv", deletions=folder / "deleted.csv", v4=folder / "vintage4.csv")
    s.recent = [r[ident] for r in recent]
    s.old = [r[ident] for r in old]
    _write(s.v1, header, hxl, base)

    # Candidates for revisions: precise events of 2019 (geo_precision 1), each used once.
    pool = [r for r in base if r[day].startswith("2019-") and r[col["geo_precision"]] == "1" and r[col["fatalities"]].isdigit()]
    used: set[str] = set()

    def take(n: int, keep=lambda r: True) -> list[list[str]]:
        out = []
        for r in pool:
            if r[ident] not in used and keep(r):
                out.append(r)
                used.add(r[ident])
                if len(out) == n:
                    break
        assert len(out) == n, "the real file has too few candidates"
        return out

    revised: list[list[str]] = []

    def revise(row: list[str], **changes) -> list[str]:
        new = list(row)
        for name, value in changes.items():
            new[col[name]] = str(value)
        new[col["timestamp"]] = str(int(row[col["timestamp"]]) + _BUMP)
        revised.append(new)
        return new

    for i, r in enumerate(take(10)):
        s.fatalities[r[ident]] = i + 1
        revise(r, fatalities=int(r[col["fatalities"]]) + i + 1)
    for r in take(4, lambda r: r[day][5:7] not in ("01", "12")):
        s.dates.append(r[ident])
        revise(r, event_date=(date.fromisoformat(r[day]) - timedelta(days=3)).isoformat())
    for r in take(2, lambda r: r[day][5:] in ("01-01", "01-02")):
        s.dates.append(r[ident])
        s.new_year.append(r[ident])
        shifted = date.fromisoformat(r[day]) - timedelta(days=3)
        revise(r, event_date=shifted.isoformat(), year=shifted.year)
    for r in take(5, lambda r: r[col["event_type"]] == "Battles"):
        s.types.append(r[ident])
        revise(r, event_type="Violence against civilians", sub_event_type="Attack")
    # Moved 0.001° (about 100 m): only those that stay in their admin-1 and admin-2 unit.
    candidates = take(12)
    lon, lat = col["longitude"], col["latitude"]
    here = units_of([(float(r[lon]), float(r[lat])) for r in candidates])
    there = units_of([(float(r[lon]) + 0.001, float(r[lat]) + 0.001) for r in candidates])
    for r, a, b in zip(candidates, here, there):
        if a == b and a[0] not in ("_OUTSIDE", "_UNALLOCATED") and len(s.near) < 4:
            s.near.append(r[ident])
            revise(r, longitude=f"{float(r[lon]) + 0.001:.4f}", latitude=f"{float(r[lat]) + 0.001:.4f}")
    assert len(s.near) == 4
    # Moved to the place of an event in another admin-1 unit.
    far = take(4)
    targets = [r for r in pool if r[ident] not in used][-200:]
    target_units = units_of([(float(t[lon]), float(t[lat])) for t in targets])
    for r, (unit, _) in zip(far, units_of([(float(r[lon]), float(r[lat])) for r in far])):
        target = next(t for t, (tu, _) in zip(targets, target_units) if tu != unit and not tu.startswith("_"))
        s.far.append(r[ident])
        revise(r, longitude=target[lon], latitude=target[lat], location=target[col["location"]])
    (combo,) = take(1, lambda r: r[day][5:7] not in ("01", "12"))
    s.combo, s.combo_delta = combo[ident], 7
    revise(combo, fatalities=int(combo[col["fatalities"]]) + 7,
           event_date=(date.fromisoformat(combo[day]) + timedelta(days=1)).isoformat())
    for r in take(2):
        s.notes.append(r[ident])
        revise(r, notes=r[col["notes"]] + " (Updated.)")
    same = take(3)
    s.same = [r[ident] for r in same]
    _write(s.v2, header, hxl, recent + old + revised + same)

    gone = take(3)
    s.gone = [r[ident] for r in gone]
    deleted_ids = s.gone + [next(iter(s.fatalities)), s.recent[0]]
    s.deletions.write_text("event_id_cnty\n" + "\n".join(deleted_ids) + "\n", encoding="utf-8")

    (v4,) = take(1)
    s.v4_event = v4[ident]
    changed = list(v4)
    changed[col["fatalities"]] = str(int(v4[col["fatalities"]]) + 100)
    changed[col["timestamp"]] = str(int(v4[col["timestamp"]]) + 2 * _BUMP)
    _write(s.v4, header, hxl, [changed])
    assert by_id  # (the base vintage is not empty)
    return s


def expected_totals(s: Scenario) -> dict[str, int]:
    """The totals of `changes --since 1` (against now: batches 2 and 3; batch 4 rolled back), at admin 1."""
    deleted_revision = next(iter(s.fatalities))
    fatalities = {k: v for k, v in s.fatalities.items() if k != deleted_revision}
    return {
        "new": len(s.recent) - 1, "backfilled": len(s.old),
        "revised": len(fatalities) + len(s.dates) + len(s.types) + len(s.near) + len(s.far) + 1 + len(s.notes),
        "revised_fatalities": len(fatalities) + 1, "revised_date": len(s.dates) + 1, "revised_type": len(s.types),
        "relocated": len(s.near) + len(s.far), "relocated_other_unit": len(s.far), "deleted": len(s.gone) + 1,
        "fatalities_revised_delta": sum(fatalities.values()) + s.combo_delta,
    }


def set_batch_dates(store) -> None:
    """Give the batches the dates of `BATCH_DATES` (tests name points by date)."""
    from geo.store import batches_table

    with store.engine.begin() as conn:
        for batch_id, when in BATCH_DATES.items():
            conn.execute(batches_table.update().where(batches_table.c.batch_id == batch_id).values(created_at=when))


def frame_rows(report_rows: pd.DataFrame) -> pd.DataFrame:
    """The rows of a report keyed by (period, unit_code, country_iso3), for comparisons."""
    return report_rows.set_index(["period", "unit_code", "country_iso3"]).sort_index()


def units_of(boundary_set):
    """A function (list of (longitude, latitude)) -> list of (admin1 code, admin2 code) in `boundary_set`."""
    from geo.places import compute_units

    def placed(points):
        frame = pd.DataFrame({"longitude": [p[0] for p in points], "latitude": [p[1] for p in points],
                              "max_admin_level": 2, "country_iso3": ""})
        codes = compute_units(frame, boundary_set, tolerance_m=5000)
        return list(zip(codes["admin1_code"], codes["admin2_code"]))

    return placed


def build_on_real_export(folder: Path) -> Scenario:
    """The scenario from the real export beside the checkout, placed in the default boundary set; the test is
    skipped, with the reason, when the export is missing."""
    import pytest
    from helpers import ACLED_REAL

    from geo.boundaries import load_boundary_set

    if not ACLED_REAL.exists():
        pytest.skip(f"real data not available: {ACLED_REAL} is missing")
    return build(ACLED_REAL, folder, units_of(load_boundary_set("ocha-geoboundaries")))


def build_history(store, s: Scenario, *, upto: int = 4):
    """Batches 1 (vintage 1), 2 (vintage 2), 3 (deletions) and 4 (rolled back), dated as in `BATCH_DATES`."""
    from geo.ingest import apply_deletions, ingest_files, rollback_batch

    if upto >= 1:
        ingest_files([s.v1], store)
    if upto >= 2:
        ingest_files([s.v2], store)
    if upto >= 3:
        apply_deletions(s.deletions, store)
    if upto >= 4:
        ingest_files([s.v4], store)
        rollback_batch(store, 4)
    set_batch_dates(store)
    return store


# ------------------------------------------------------------------------------------------------------
# Issue 18: API pulls of Niger that lack columns and timestamps, and an older HDX vintage after them.

#: The 28 columns of the World Bank's extraction of the ACLED API (Niger 2019–2024): ACLED's API columns less
#: `assoc_actor_1`, `assoc_actor_2`, `iso`, `tags` and `timestamp` (and without the HDX export's `data_id`,
#: `event_id_no_cnty`, `iso3`), plus two population estimates the extraction asked the API for (the atlas does not
#: keep them). Every other column is one of the real HDX export's, or ACLED's `disorder_type` and
#: `civilian_targeting` (2023 on).
PULL_COLUMNS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1",
    "inter1", "actor2", "inter2", "interaction", "civilian_targeting", "region", "country", "admin1", "admin2", "admin3",
    "location", "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
    "population_1km", "population_best",
]
#: What the pulls lack of the stored HDX export's columns (and of ACLED's own API columns).
PULL_LACKS = ["assoc_actor_1", "assoc_actor_2", "iso", "iso3", "tags", "timestamp", "data_id", "event_id_no_cnty"]
#: An actor as the 2020 export names it, as the 2024 pulls name it, and as the July 2019 vintage named it.
ACTOR_2020 = "Islamic State (West Africa)"
ACTOR_2024 = "IS West Africa – Lake Chad Faction"
ACTOR_2019 = "Boko Haram – Wilayat Gharb Ifriqiyyah"
#: The publication time of the July 2019 HDX vintage: no row of it is newer (2019-07-08 12:00 UTC).
JULY_2019 = 1_562_587_200
_INTER_WORDS = {"1": "State forces", "2": "Rebel group", "3": "Political militia", "4": "Identity militia",
                "5": "Rioters", "6": "Protesters", "7": "Civilians", "8": "External/Other forces", "0": ""}
_DISORDER = {"Battles": "Political violence", "Explosions/Remote violence": "Political violence",
             "Violence against civilians": "Political violence", "Riots": "Political violence",
             "Protests": "Demonstrations", "Strategic developments": "Strategic developments"}


@dataclass
class NigerPulls:
    """The files of issue 18's scenario and what each one changes."""

    april: Path
    may: Path
    july_2019: Path
    pull_rows: int = 0  # rows of the April pull
    later: list[str] = field(default_factory=list)  # ids of the events after August 2020 (April pull)
    later_may: list[str] = field(default_factory=list)  # further events in the May pull
    renamed: set[str] = field(default_factory=set)  # events whose actor the pulls name in 2024's words
    revised: set[str] = field(default_factory=set)  # events whose fatalities the April pull revises
    revised_may: set[str] = field(default_factory=set)  # events whose fatalities the May pull revises (again)
    deleted: list[str] = field(default_factory=list)  # 2019 events ACLED deleted before 2024 (not in the pulls)
    july_rows: int = 0  # rows of the July 2019 vintage
    july_held: set[str] = field(default_factory=set)  # its events the pulls hold
    july_differ: set[str] = field(default_factory=set)  # of those, the ones whose content differs from the May pull


def _pull_row(row: dict[str, str]) -> list[str]:
    """A real HDX row as the World Bank's extraction of ACLED's API writes it (2023 words for the actor types)."""
    inter1, inter2 = _INTER_WORDS.get(row["inter1"], row["inter1"]), _INTER_WORDS.get(row["inter2"], row["inter2"])
    civilian = row["event_type"] == "Violence against civilians" or (
        inter2 == "Civilians" and row["event_type"] in ("Explosions/Remote violence", "Riots"))
    values = {
        **row, "disorder_type": _DISORDER.get(row["event_type"], ""), "inter1": inter1, "inter2": inter2,
        "interaction": f"{inter1}-{inter2}" if inter2 else inter1, "civilian_targeting": "Civilian targeting" if civilian else "",
        "population_1km": "1200", "population_best": "5400",
    }
    return [values[c] for c in PULL_COLUMNS]


def build_niger_pulls(real: Path, folder: Path) -> NigerPulls:
    """
    Write issue 18's files into `folder` from the real HDX export of August 2020:

    - **April 2024 pull** (`PULL_COLUMNS`, no `timestamp`): every Niger event of the export from 2019 on, less three
      ACLED deleted meanwhile; the actor `ACTOR_2020` in 2024's words (`ACTOR_2024`); the fatalities of one event
      in 25 revised; and events after the export (40 of its rows with fresh ids, dated from September 2020 to
      26 April 2024: the real file ends in August 2020);
    - **May 2024 pull**: the same, with the fatalities of one more event in 40 revised and 10 events to 24 May 2024;
    - **July 2019 HDX vintage** (the export's 31 columns and HXL row): the Niger events to 30 June 2019, with 2019's
      words for that actor (`ACTOR_2019`), the fatalities before any revision and no `timestamp` after `JULY_2019`.
    """
    header, hxl, rows = _read(real)
    records = [dict(zip(header, r)) for r in rows]
    niger = sorted((r for r in records if r["country"] == "Niger"), key=lambda r: (r["event_date"], r["event_id_cnty"]))
    from_2019 = [r for r in niger if r["event_date"] >= "2019-01-01"]
    s = NigerPulls(april=folder / "acled_ner_2019-2024_pull_2024-04.csv", may=folder / "acled_ner_2019-2024_pull_2024-05.csv",
                   july_2019=folder / "conflict_data_ner_2019-07.csv")
    first_half = [r for r in from_2019 if r["event_date"] <= "2019-06-30"]
    s.deleted = [r["event_id_cnty"] for r in first_half[5:20:5]]

    def pull(rows_in: list[dict[str, str]], revise_every: int, revised: set[str]) -> list[dict[str, str]]:
        out = []
        for i, r in enumerate(rows_in):
            r = dict(r)
            for side in ("actor1", "actor2"):
                if r[side] == ACTOR_2020:
                    r[side] = ACTOR_2024
                    s.renamed.add(r["event_id_cnty"])
            if i % revise_every == 3 and r["fatalities"].isdigit():
                r["fatalities"] = str(int(r["fatalities"]) + 1)
                revised.add(r["event_id_cnty"])
            out.append(r)
        return out

    kept = [r for r in from_2019 if r["event_id_cnty"] not in s.deleted]
    april = pull(kept, 25, s.revised)

    def later_events(n: int, start: date, end: date, prefix: str) -> list[dict[str, str]]:
        span = (end - start).days
        out = []
        for i, r in enumerate(kept[:n]):
            day = start + timedelta(days=round(span * i / max(n - 1, 1)))
            out.append({**r, "event_id_cnty": f"{prefix}{i + 1}", "event_date": day.isoformat(), "year": str(day.year)})
        return out

    later = later_events(40, date(2020, 9, 5), date(2024, 4, 26), "NIG9")
    s.later = [r["event_id_cnty"] for r in later]
    s.pull_rows = len(april) + len(later)
    _write_pull(s.april, april + later)

    may = pull(april, 40, s.revised_may)  # (april's rows are already in 2024's words)
    more = later_events(10, date(2024, 4, 27), date(2024, 5, 24), "NIG8")
    s.later_may = [r["event_id_cnty"] for r in more]
    _write_pull(s.may, may + later + more)

    july = []
    for r in (r for r in niger if r["event_date"] <= "2019-06-30"):
        r = dict(r)
        for side in ("actor1", "actor2"):
            if r[side] == ACTOR_2020:
                r[side] = ACTOR_2019
        r["timestamp"] = str(min(int(r["timestamp"]), JULY_2019))
        july.append([r[c] for c in header])
    _write(s.july_2019, header, hxl, july)
    s.july_rows = len(july)
    s.july_held = {r["event_id_cnty"] for r in first_half if r["event_id_cnty"] not in s.deleted}
    s.july_differ = s.july_held & (s.renamed | s.revised | s.revised_may)
    return s


def _write_pull(path: Path, rows: list[dict[str, str]]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(PULL_COLUMNS)
        writer.writerows(_pull_row(r) for r in rows)
