"""Build the SQL fixtures of the store's earlier schema versions (tests/fixtures/stores/), from the code in git history.

For each schema version, the store code of the last commit that wrote it (``git archive``) is run in a child
process on a few synthetic events (never real rows: ACLED's terms): three batches — ACLED events, a batch that
revises some and adds others, UCDP GED events with government and non-government sides A, their locations of every
precision — and, from schema 6 on, two tables of ACLED's aggregates, the second revising, keeping and removing
unit-months of the first; placed in the default boundary set where that version places events. The store is then written out as SQL, once per backend
(SQLite and PostgreSQL): that version's own DDL (its SQLAlchemy tables compiled for the dialect) and every row.

``tests/test_migrations.py`` loads each file into an empty database, opens it with today's code (the Alembic
migrations run) and checks that the figures are the ones a fresh store of the same files gives.

    .venv/bin/python scripts/make_store_fixtures.py            # writes tests/fixtures/stores/schema_*.sql
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "tests" / "fixtures" / "stores"
#: The schema versions of the store's history: (version, the last commit on main that wrote it, what it changed).
VERSIONS = [
    ("1", "2b433b3", "events keyed by (source, id)"),
    ("2", "c6e6ce0", "row ids, event places, place sets, jobs, unit/border/actor summaries"),
    ("3", "e34726c", "border and actor summaries (a store placed before them is placed again)"),
    ("4", "3795742", "grid cells in the border summary"),
    ("5", "22a634b", "UCDP events typed by their side A"),
    ("6", "e351a73", "ACLED's aggregates per unit and month"),
    ("7", "7c414b4", "the vintage and absent columns of each ingest batch"),
    ("8", "bdcdddd", "the units each event's uncertainty area makes doubtful"),
]
#: The first schema version that stores ACLED's aggregates: its fixture holds a table of them too.
AGGREGATES_FROM = 6
DIALECTS = ("sqlite", "postgresql")

ACLED_HEADER = (
    "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,"
    "inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,"
    "location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp"
)
#: Synthetic places in the three countries: (country, iso, admin1, location, latitude, longitude).
PLACES = [
    ("Mali", "466", "Mopti", "Place A", 14.25, -3.63), ("Mali", "466", "Mopti", "Place B", 14.49, -4.19),
    ("Mali", "466", "Gao", "Place C", 16.27, -0.04), ("Mali", "466", "Segou", "Place D", 13.43, -6.26),
    ("Burkina Faso", "854", "Sahel", "Place E", 14.03, -0.03), ("Burkina Faso", "854", "Centre-Nord", "Place F", 13.10, -1.08),
    ("Burkina Faso", "854", "Est", "Place G", 12.06, 0.36), ("Niger", "562", "Tillaberi", "Place H", 14.21, 1.45),
    ("Niger", "562", "Tahoua", "Place I", 14.89, 5.26), ("Niger", "562", "Diffa", "Place J", 13.32, 12.61),
]
KINDS = [
    ("Violence against civilians", "Attack", "Synthetic militia", "Identity militia", "Civilians", "Civilian targeting"),
    ("Battles", "Armed clash", "Synthetic rebels", "Rebel group", "Synthetic army", ""),
    ("Explosions/Remote violence", "Remote explosive/landmine/IED", "Synthetic rebels", "Rebel group", "Synthetic army", ""),
    ("Violence against civilians", "Attack", "Synthetic army", "State forces", "Civilians", "Civilian targeting"),
]


def _acled_row(number: int, year: int, fatalities: int, note: str = "synthetic event") -> str:
    country, iso, admin1, location, lat, lon = PLACES[number % len(PLACES)]
    event_type, sub, actor1, inter1, actor2, civilian = KINDS[number % len(KINDS)]
    day = f"{year}-{1 + number % 12:02d}-{1 + number % 27:02d}"
    values = [f"SYN{number}", day, str(year), "1", "Political violence", event_type, sub, actor1, "", inter1, actor2, "",
              "Civilians" if actor2 == "Civilians" else "State forces", f"{inter1}-x", civilian, iso, "Western Africa",
              country, admin1, "", "", location, f"{lat + (number % 5) * 0.01:.4f}", f"{lon + (number % 3) * 0.01:.4f}",
              str(1 + number % 3), "Synthetic source", "National", note, str(fatalities), "", str(1_600_000_000 + number)]
    return ",".join(values)


def aggregate_tables() -> list[tuple[str, list[str]]]:
    """Two synthetic tables of ACLED's aggregates (HDX layout, political violence, Mali): four Mopti cercles over
    2019–2020, zero months included; then a later table of 2020 to February 2021 that revises some of their months,
    leaves others unchanged, adds the new months and no longer has Koro (its 2020 months removed)."""
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December"]
    header = "Country,Admin1,Admin2,ISO3,Admin2 Pcode,Admin1 Pcode,Month,Year,Events,Fatalities"
    cercles = [("Bandiagara", "ML0501"), ("Bankass", "ML0502"), ("Djenné", "ML0503"), ("Koro", "ML0505")]
    first, later = [header], [header]
    for k, (cercle, code) in enumerate(cercles):
        for year in (2019, 2020, 2021):
            for m, month in enumerate(months):
                events = (k + m + year) % 4
                row = f"Mali,Mopti,{cercle},MLI,{code},ML05,{month},{year},{{}},{{}}"
                if year < 2021:
                    first.append(row.format(events, events * (k + 1)))
                if year >= 2020 and (year, m) <= (2021, 1) and cercle != "Koro":
                    revised = events + 1 if m % 3 == 0 else events  # every third month revised, the rest unchanged
                    later.append(row.format(revised, revised * (k + 1)))
    return [("synthetic_political_violence_admin2_month_asof_2021-01-15.csv", first),
            ("synthetic_political_violence_admin2_month_asof_2021-03-10.csv", later)]


def inputs(folder: Path, version: str = "1") -> list[Path]:
    """The synthetic batches: ACLED 2017–2020, a later export revising ten of them, UCDP GED; from schema 6 on, two
    tables of ACLED's aggregates, the second revising the first (`aggregate_tables`). Their locations are of every
    precision (ACLED's geo_precision 1–3, UCDP's where_prec 1–4), so that the ranges of schema 8 have some width."""
    first = [_acled_row(n, 2017 + n % 4, n % 9) for n in range(40)]
    second = [_acled_row(n, 2017 + n % 4, n % 9 + 3, "revised synthetic event") for n in range(0, 20, 2)]
    second += [_acled_row(n, 2021, n % 7) for n in range(40, 50)]
    ucdp = ["id,year,type_of_violence,side_a,side_b,where_prec,latitude,longitude,country,date_start,best,low,high"]
    sides = ["Government of Mali", "JNIM", "Government of Burkina Faso", "IS Sahel", "Government of Niger"]
    countries = [("Mali", 14.3, -3.6), ("Mali", 16.2, -0.1), ("Burkina Faso", 14.0, -0.1), ("Burkina Faso", 13.0, -1.0),
                 ("Niger", 14.2, 1.4)]
    for n in range(12):
        name, lat, lon = countries[n % len(countries)]
        ucdp.append(f"{900 + n},{2018 + n % 3},{1 + n % 3},{sides[n % len(sides)]},Civilians,{1 + n % 4},{lat + n * 0.01:.3f},"
                    f"{lon + n * 0.01:.3f},{name},{2018 + n % 3}-0{1 + n % 9}-1{n % 9},{n % 6},{n % 6},{n % 6 + 2}")
    batches = [("acled_a.csv", [ACLED_HEADER, *first]), ("acled_b.csv", [ACLED_HEADER, *second]), ("ucdp.csv", ucdp)]
    if int(version) >= AGGREGATES_FROM:
        batches += aggregate_tables()
    files = []
    for name, lines in batches:
        path = folder / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    return files


CHILD = r'''
import json, sys
from pathlib import Path
import sqlalchemy as sa
from sqlalchemy.schema import CreateIndex, CreateTable
from sqlalchemy.dialects import postgresql, sqlite
import geo.store as store_module
from geo.ingest import ingest_files

db, out, files = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
store = store_module.Store(f"sqlite:///{db}")
for path in files:
    ingest_files([path], store)
try:  # versions that place events: in the default set, as their first page view would
    from geo.boundaries import load_boundary_set
    from geo.places import ensure_placement
    ensure_placement(store, load_boundary_set(), tolerance_m=5000)
except ImportError:
    pass
store.dispose()
engine = sa.create_engine(f"sqlite:///{db}")
metadata = store_module.metadata
for name, dialect in (("sqlite", sqlite.dialect()), ("postgresql", postgresql.dialect())):
    lines = []
    for table in metadata.sorted_tables:
        lines.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";")
        lines += [str(CreateIndex(index).compile(dialect=dialect)).strip() + ";" for index in sorted(table.indexes, key=lambda i: i.name)]
    with engine.connect() as conn:
        for table in metadata.sorted_tables:
            keys = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
            rows = conn.execute(sa.select(table).order_by(*[table.c[k] for k in keys])).mappings().all()
            for row in rows:
                statement = table.insert().values(**dict(row))
                lines.append(str(statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})).strip() + ";")
            serial = [c.name for c in table.primary_key.columns if c.autoincrement is True]
            if name == "postgresql" and serial:  # the rows came with their ids: the sequence goes on after them
                column = serial[0]
                lines.append(f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column}'), "
                             f"COALESCE((SELECT max({column}) FROM {table.name}), 1), "
                             f"(SELECT max({column}) FROM {table.name}) IS NOT NULL);")
    (out / f"{name}.sql").write_text("\n".join(lines) + "\n", encoding="utf-8")
'''


def build(version: str, commit: str, what: str, work: Path) -> None:
    """Run the store code of `commit` on the synthetic batches and write its SQL for each backend."""
    tree = work / f"v{version}"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", commit, "geo", "data", "atlas.toml"], cwd=REPO, capture_output=True, check=True)
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(tree, filter="data")
    files = inputs(work, version)
    home = work / f"home{version}"
    env = {**os.environ, "PYTHONPATH": str(tree), "ATLAS_HOME": str(home), "ATLAS_USER": "fixture"}
    env.pop("ATLAS_DB_URL", None)
    subprocess.run([sys.executable, "-c", CHILD, str(work / f"v{version}.sqlite"), str(work), *map(str, files)], cwd=tree,
                   env=env, check=True)
    OUT.mkdir(parents=True, exist_ok=True)
    for dialect in DIALECTS:
        header = (f"-- A store of schema {version} ({what}), written by the store code of commit {commit} for {dialect}:\n"
                  f"-- scripts/make_store_fixtures.py (synthetic events only). Loaded by tests/test_migrations.py.\n")
        body = (work / f"{dialect}.sql").read_text(encoding="utf-8")
        (OUT / f"schema_{version}.{dialect}.sql").write_text(header + body, encoding="utf-8")
    print(f"schema {version} ({commit}): {json.dumps({d: (OUT / f'schema_{version}.{d}.sql').stat().st_size for d in DIALECTS})}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--versions", nargs="+", default=[v for v, _, _ in VERSIONS], help="schema versions to build")
    args = parser.parse_args()
    for version, commit, what in VERSIONS:
        if version in args.versions:
            with tempfile.TemporaryDirectory(prefix="atlas-fixture-") as work:
                build(version, commit, what, Path(work))


if __name__ == "__main__":
    main()
