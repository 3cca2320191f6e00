"""Civilian fatalities, perpetrators, named groups and mass-casualty events (issue 12): the mapping of actor
types made once, the same figures in memory and in SQL on both backends, the command-line contracts, the
real August 2020 ACLED export against an independent pandas computation, the UCDP side A, the migration of
older stores, and the Civilians view (its model without Streamlit, its page under AppTest)."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from helpers import ACLED_REAL, BACKENDS, UCDP_REAL, acled_csv, acled_row, needs_real_data, new_store_url

from geo import query
from geo.aggregate import OUTPUT_COLUMNS, Filters, aggregate, aggregate_store
from geo.boundaries import load_boundary_set
from geo.civilians import MASS_CASUALTY_COLUMNS, mass_casualty_store, perpetrator_series, state_share, unit_perpetrators
from geo.cli import main
from geo.config import ActorGroup, load_settings
from geo.dataset import load_sample
from geo.errors import AtlasError
from geo.ingest import ingest_files, rollback_batch
from geo.perpetrators import (
    OTHER_GROUP,
    PERPETRATORS,
    group_of,
    perpetrator_code,
    perpetrator_codes,
    side_a_type,
)
from geo.places import ensure_placement
from geo.readers import read_events
from geo.store import Store

#: The columns `python -m geo aggregate` wrote before issue 12, in their order (kept; new ones come after).
AGGREGATE_BEFORE = [
    "source", "boundaries", "level", "country_iso3", "unit_code", "unit_name", "parent_code", "period", "events",
    "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "area_km2", "events_per_10k_km2",
    "snapped_events", "in_area_of_interest",
]


# ---------------------------------------------------------------------------------------------- kinds of actors


@pytest.mark.parametrize(("written", "code"), [
    ("State forces", "state_forces"), ("1", "state_forces"), ("1.0", "state_forces"), ("STATE FORCES", "state_forces"),
    ("Rebel group", "rebel_groups"), ("Rebel groups", "rebel_groups"), ("2", "rebel_groups"),
    ("Political militia", "political_militias"), ("3", "political_militias"),
    ("Identity militia", "identity_militias"), ("Communal militia", "identity_militias"), ("4", "identity_militias"),
    ("Rioters", "rioters"), ("5", "rioters"), ("Protesters", "protesters"), ("6", "protesters"),
    ("Civilians", "civilians"), ("7", "civilians"),
    ("External/Other forces", "external_forces"), ("External/other forces", "external_forces"), ("8", "external_forces"),
    ("", "unknown"), (None, "unknown"), (float("nan"), "unknown"), ("0", "unknown"), ("Armed group", "unknown"),
])
def test_every_vintage_of_acled_actor_types_maps_to_one_perpetrator(written, code):
    assert perpetrator_code(written) == code
    assert perpetrator_codes(pd.Series([written, written], dtype=object)).tolist() == [code, code]
    assert set(PERPETRATORS) == {"state_forces", "rebel_groups", "political_militias", "identity_militias", "rioters",
                                 "protesters", "civilians", "external_forces", "unknown"}


def test_old_numeric_and_current_word_exports_give_the_same_perpetrators(write):
    """An export of before 2023 (numeric inter1) and one of since (words) of the same events: same perpetrators."""
    words = ["State forces", "Rebel group", "Political militia", "Identity militia", "Rioters", "Protesters", "Civilians",
             "External/Other forces"]
    rows = [acled_row(event_id=f"W{i}", inter1=word, fatalities=str(i + 1)) for i, word in enumerate(words)]
    numeric = [acled_row(event_id=f"W{i}", inter1=str(i + 1), fatalities=str(i + 1)) for i in range(8)]
    current = read_events(write("current.csv", acled_csv(*rows))).events
    old = read_events(write("old.csv", acled_csv(*numeric))).events
    assert perpetrator_codes(current["actor1_type"]).tolist() == perpetrator_codes(old["actor1_type"]).tolist() == list(PERPETRATORS)[:8]


UCDP_HEADER = ["id", "year", "type_of_violence", "side_a", "side_b", "where_prec", "latitude", "longitude", "country",
               "country_id", "date_prec", "date_start", "best", "low", "high", "gwnoa", "source_headline"]


def ucdp_csv(path, rows: list[dict]) -> None:
    """A UCDP GED release file with the given rows (other columns filled with plausible values)."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=UCDP_HEADER)
        writer.writeheader()
        for i, row in enumerate(rows):
            writer.writerow({"id": str(900000 + i), "year": "2019", "type_of_violence": "3", "side_b": "Civilians",
                             "where_prec": "1", "latitude": "14.25", "longitude": "-3.63", "country": "Mali",
                             "country_id": "432", "date_prec": "1", "date_start": "2019-03-23", "best": "12", "low": "10",
                             "high": "20", "gwnoa": "", "source_headline": f"headline {i}", **row})


def test_ucdp_side_a_is_state_forces_at_home_external_abroad_and_untyped_otherwise(tmp_path):
    assert side_a_type("Government of Mali", "Mali", "MLI") == "State forces"
    assert side_a_type("Government of Burkina Faso", "Mali", "MLI") == "External/Other forces"
    assert side_a_type("Government of France", "Mali", "MLI") == "External/Other forces"  # not in the country table
    assert side_a_type("government of  mali", "Mali", "MLI") == "State forces"
    assert side_a_type("JNIM", "Mali", "MLI") == side_a_type("IS", "Niger", "NER") == side_a_type("", "Mali", "MLI") == ""
    path = tmp_path / "ged.csv"
    ucdp_csv(path, [
        {"side_a": "Government of Mali", "gwnoa": "432"},
        {"side_a": "Government of Burkina Faso", "gwnoa": "439"},
        {"side_a": "Dan Na Ambassagou"},
        {"side_a": "Government of Niger", "country": "Niger", "country_id": "436", "type_of_violence": "1", "side_b": "IS"},
    ])
    events = read_events(path).events
    assert events["actor1_type"].tolist() == ["State forces", "External/Other forces", "", "State forces"]
    assert perpetrator_codes(events["actor1_type"]).tolist() == ["state_forces", "external_forces", "unknown", "state_forces"]
    assert events["civilian_targeting"].tolist() == [True, True, True, False]  # one-sided violence only


@needs_real_data
def test_the_real_ucdp_sample_types_governments_only():
    events = read_events(UCDP_REAL).events
    governments = events["actor1"].str.startswith("Government of")
    assert (events.loc[governments, "actor1_type"] == "State forces").all()  # each government in its own country here
    assert (events.loc[~governments, "actor1_type"] == "").all()
    one_sided = events[events["civilian_targeting"]]
    assert sorted(one_sided["actor1"]) == ["Government of Mali", "IS", "JNIM", "Koglweogo"]


# ---------------------------------------------------------------------------------------------- named groups


GROUPS = (
    ActorGroup("jnim", "Jama'at Nusrat al-Islam wal-Muslimin (JNIM)", contains=("JNIM", "Nusrat al-Islam")),
    ActorGroup("is-sahel", "Islamic State Sahel Province", contains=("Greater Sahara",), actors=("IS",)),
    ActorGroup("joint", "Joint attributions", actors=("JNIM: Group for Support of Islam and Muslims and/or Islamic State "
                                                      "(Greater Sahara)",)),
    ActorGroup("dna", "Dan Na Ambassagou", contains=("Dan Na Ambassagou",)),
)
ACTORS = {
    "G1": "JNIM: Group for Support of Islam and Muslims",
    "G2": "jnim: group for support of islam and muslims",
    "G3": "JNIM: Group for Support of Islam and Muslims and/or Islamic State (Greater Sahara)",
    "G4": "JNIM and/or Ansaroul Islam",  # joint: not JNIM's, and not listed
    "G5": "Islamic State (Greater Sahara)",
    "G6": "IS",
    "G7": "ISIS sympathisers",  # "IS" is an exact name, not a text to look for
    "G8": "Dan Na Ambassagou",
    "G9": "Fulani Ethnic Militia (Mali)",
    "G10": "Jama'at Nusrat al-Islam wal-Muslimin",
}


def test_named_groups_are_matched_alike_in_memory_and_in_sql(store, write):
    rows = [acled_row(event_id=key, actor1=actor, fatalities=str(i + 1)) for i, (key, actor) in enumerate(ACTORS.items())]
    ingest_files([write("groups.csv", acled_csv(*rows))], store)
    expected = {key: group_of(actor, GROUPS) for key, actor in ACTORS.items()}
    assert expected == {"G1": "jnim", "G2": "jnim", "G3": "joint", "G4": OTHER_GROUP, "G5": "is-sahel", "G6": "is-sahel",
                        "G7": OTHER_GROUP, "G8": "dna", "G9": OTHER_GROUP, "G10": "jnim"}
    set_id = ensure_placement(store, load_boundary_set("natural-earth"), tolerance_m=5000)
    got = query.group_figures(store, set_id, filters=Filters(), period="year", groups=GROUPS).set_index("group")
    fatalities = {key: i + 1 for i, key in enumerate(ACTORS)}
    for group in {*expected.values()}:
        members = [k for k, g in expected.items() if g == group]
        assert got.loc[group, "events"] == len(members), group
        assert got.loc[group, "civilian_fatalities"] == sum(fatalities[k] for k in members), group


def test_actor_groups_are_read_from_the_settings_file_and_bad_ones_refused_with_every_problem(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text('[actor_groups.jnim]\nname = "JNIM"\ncontains = ["JNIM"]\n\n'
                    '[actor_groups.is]\nname = "IS Sahel"\nactors = ["IS"]\ncontains = ["Greater Sahara"]\n')
    groups = load_settings(good).actor_groups
    assert [g.key for g in groups] == ["jnim", "is"] and groups[1] == ActorGroup("is", "IS Sahel", ("Greater Sahara",), ("IS",))
    shipped = load_settings().actor_groups  # atlas.toml: the groups of the issue
    assert [g.key for g in shipped] == ["jnim", "is-sahel", "ansaroul-islam", "dan-na-ambassagou", "koglweogo", "vdp"]
    bad = tmp_path / "bad.toml"
    bad.write_text('[actor_groups.a]\ncontains = ["x"]\n\n[actor_groups.b]\nname = "B"\n\n'
                   '[actor_groups.c]\nname = "C"\ncontains = "JNIM"\nmembers = ["y"]\n')
    with pytest.raises(AtlasError) as caught:
        load_settings(bad)
    message = str(caught.value)
    assert "bad.toml" in message
    for part in ("[actor_groups.a] needs a name", "[actor_groups.b] matches no actor", "[actor_groups.c] contains must be a list",
                 "[actor_groups.c] has unknown key(s) members"):
        assert part in message, message


# ---------------------------------------------------------------------------------------------- in memory = in SQL


def _copy_events(store: Store, events: pd.DataFrame) -> None:
    from geo.places import place_written, sync_registered
    from geo.schema import CANONICAL_COLUMNS, content_hash
    from geo.store import BatchCounts

    with store.write_transaction() as conn:
        sync_registered(store, conn)
        batch = store.insert_batch(conn, kind="ingest", user="t", files=[{"file": "s", "sha256": ""}], fmt="sample",
                                   counts=BatchCounts(rows_read=len(events), new=len(events)), details={})
        rows = events[CANONICAL_COLUMNS].assign(batch_id=batch, content_hash=content_hash(events))
        place_written(store, conn, rows, store.insert_events(conn, rows))


@pytest.fixture(scope="module")
def sample_and_ucdp() -> pd.DataFrame:
    """The synthetic sample and, when present, the real UCDP sample: ACLED-like and UCDP events in one table."""
    frames = [load_sample()]
    if UCDP_REAL.exists():
        frames.append(read_events(UCDP_REAL).events.drop(columns=["_file", "_line"]))
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("backend", BACKENDS)
def test_aggregate_by_perpetrator_is_the_same_in_memory_and_in_sql(backend, tmp_path, sample_and_ucdp):
    url, drop = new_store_url(backend, tmp_path)
    try:
        store = Store(url)
        _copy_events(store, sample_and_ucdp)
        ne = load_boundary_set("natural-earth")
        for filters in (Filters(), Filters(preset="political-violence", countries=("BFA", "NER")), Filters(actor="group a"),
                        Filters(date_from=date(2019, 1, 15), date_to=date(2021, 3, 3))):
            for level, period in (("admin1", "year"), ("admin2", "quarter")):
                for by in ((), ("perpetrator",)):
                    expected = aggregate(sample_and_ucdp, ne, level=level, period=period, filters=filters, by=by)
                    got = aggregate_store(store, ne, level=level, period=period, filters=filters, by=by)
                    pd.testing.assert_frame_equal(expected, got, check_dtype=False, obj=f"{filters} {level} {period} {by}")
        # Split or not, the figures are the same.
        whole = aggregate_store(store, ne, include_empty=False)
        split = aggregate_store(store, ne, include_empty=False, by=("perpetrator",))
        keys = ["source", "period", "unit_code", "country_iso3"]
        figures = ["events", "fatalities", "civilian_events", "civilian_fatalities"]
        pd.testing.assert_frame_equal(whole.groupby(keys)[figures].sum(), split.groupby(keys)[figures].sum())
        assert set(split["perpetrator"]) <= set(PERPETRATORS)
        civilian = sample_and_ucdp[sample_and_ucdp["civilian_targeting"]]
        totals = whole.groupby("source")["civilian_fatalities"].sum()
        assert totals.to_dict() == civilian.groupby("source_dataset")["fatalities"].sum().to_dict()
        store.dispose()
    finally:
        drop()


def test_aggregate_columns_keep_their_order_and_grow_at_the_end():
    assert OUTPUT_COLUMNS[: len(AGGREGATE_BEFORE)] == AGGREGATE_BEFORE
    assert OUTPUT_COLUMNS[len(AGGREGATE_BEFORE):] == ["civilian_fatalities"]


# ---------------------------------------------------------------------------------------------- command line


def _rows(*extra: str) -> list[str]:
    return [
        acled_row(event_id="C1", date="2019-03-23", fatalities="164", inter1="Identity militia", actor1="Dan Na Ambassagou",
                  location="Ogossagou", notes="village attacked"),
        acled_row(event_id="C2", date="2019-04-23", fatalities="40", inter1="State forces",
                  actor1="Military Forces of Burkina Faso (2015-)", country="Burkina Faso", iso="854", lat="13.9", lon="-1.0",
                  admin1="Sahel", admin2="Soum", location="Koubo"),
        acled_row(event_id="C3", date="2019-12-10", fatalities="71", event_type="Battles", sub="Armed clash", civilian="",
                  inter1="Rebel group", actor1="Islamic State (Greater Sahara)", actor2="Military Forces of Niger (2011-)",
                  inter2="State forces", country="Niger", iso="562", lat="14.2", lon="1.45", admin1="Tillaberi", location="In-Ates"),
        acled_row(event_id="C4", date="2020-01-05", fatalities="9", inter1="Rebel group", actor1="JNIM"),
        acled_row(event_id="C5", date="2018-06-01", fatalities="12", inter1="Political militia", actor1="Koglweogo Militia",
                  country="Burkina Faso", iso="854", lat="13.1", lon="-0.4", admin1="Centre-Nord", location="Yirgou"),
        *extra,
    ]


def test_aggregate_by_perpetrator_on_the_command_line(tmp_path, write):
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    ingest_files([write("a.csv", acled_csv(*_rows()))], Store(db))
    plain, split = tmp_path / "plain.csv", tmp_path / "split.csv"
    assert main(["aggregate", "--db", db, "--boundaries", "natural-earth", "--no-empty", "--out", str(plain)]) == 0
    assert main(["aggregate", "--db", db, "--boundaries", "natural-earth", "--no-empty", "--by", "perpetrator",
                 "--out", str(split)]) == 0
    plain_table, split_table = pd.read_csv(plain), pd.read_csv(split)
    assert list(plain_table.columns) == [*AGGREGATE_BEFORE, "civilian_fatalities"]
    assert list(split_table.columns) == [*AGGREGATE_BEFORE, "civilian_fatalities", "perpetrator"]
    by_perpetrator = split_table.groupby("perpetrator")["civilian_fatalities"].sum().to_dict()
    assert by_perpetrator == {"identity_militias": 164, "state_forces": 40, "rebel_groups": 9, "political_militias": 12}
    assert split_table.groupby("perpetrator")["events"].sum().to_dict()["rebel_groups"] == 2  # a battle and a killing
    assert int(plain_table["civilian_fatalities"].sum()) == 164 + 40 + 9 + 12
    with pytest.raises(SystemExit) as usage:  # an unknown split is a usage error
        main(["aggregate", "--db", db, "--by", "actor"])
    assert usage.value.code == 2


def test_mass_casualty_on_the_command_line(tmp_path, write, capsys):
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    ingest_files([write("a.csv", acled_csv(*_rows()))], Store(db))
    out = tmp_path / "mass.csv"
    assert main(["mass-casualty", "--db", db, "--boundaries", "natural-earth", "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"event_date": str})
    assert list(table.columns) == MASS_CASUALTY_COLUMNS == [
        "source", "event_id", "event_date", "country_iso3", "unit_code", "unit_name", "location", "actor1", "actor2",
        "perpetrator", "fatalities", "civilian_targeting"]
    assert table["event_id"].tolist() == ["C1", "C3", "C2", "C5"]  # largest first; C4 (9) is below 10
    first = table.iloc[0]
    assert (first["event_date"], first["location"], first["perpetrator"], first["fatalities"], first["country_iso3"]) == (
        "2019-03-23", "Ogossagou", "identity_militias", 164, "MLI")
    assert first["unit_name"] and first["unit_code"] != "_OUTSIDE"
    assert main(["mass-casualty", "--db", db, "--civilian-only", "--min-fatalities", "40", "--from", "2019-01-01",
                 "--to", "2019-12-31", "--out", str(out)]) == 0
    assert pd.read_csv(out)["event_id"].tolist() == ["C1", "C2"]
    assert main(["mass-casualty", "--db", db, "--country", "BFA", "NER", "--min-fatalities", "5", "--out", str(out)]) == 0
    assert pd.read_csv(out)["event_id"].tolist() == ["C3", "C2", "C5"]
    assert main(["mass-casualty", "--db", db, "--min-fatalities", "9", "--level", "admin2", "--source", "acled",
                 "--out", str(out)]) == 0
    assert pd.read_csv(out)["event_id"].tolist() == ["C1", "C3", "C2", "C5", "C4"]
    capsys.readouterr()
    assert main(["mass-casualty", "--db", db, "--min-fatalities", "0"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "at least 1" in err
    assert main(["mass-casualty", "--db", db, "--preset", "nonsense"]) == 1


# ---------------------------------------------------------------------------------------------- the real export


def independent_2019(path) -> tuple[int, dict[str, int]]:
    """Civilian fatalities of 2019 and their split by actor type, from the file with pandas alone: the HDX
    export (before 2023) has no civilian_targeting column, so, as ACLED defines it, events of type Violence
    against civilians plus explosions and riots whose second actor is civilians (inter2 7)."""
    raw = pd.read_csv(path, skiprows=[1])
    year = raw[raw["year"] == 2019]
    civilian = (year["event_type"] == "Violence against civilians") | (
        (year["inter2"] == 7) & year["event_type"].isin(["Explosions/Remote violence", "Riots"]))
    kinds = {1: "state_forces", 2: "rebel_groups", 3: "political_militias", 4: "identity_militias", 5: "rioters",
             6: "protesters", 7: "civilians", 8: "external_forces"}
    split = year[civilian].groupby(year.loc[civilian, "inter1"].map(kinds))["fatalities"].sum()
    return int(year.loc[civilian, "fatalities"].sum()), {k: int(v) for k, v in split.items() if v}


@needs_real_data
def test_real_2019_civilian_fatalities_and_their_perpetrators_match_pandas(store):
    """The issue: 2,436 civilian fatalities in 2019, state forces 543, rebel groups 916, political militias 451,
    identity militias 514 (and 5 by rioters, 7 by external forces, which the issue does not list)."""
    total, split = independent_2019(ACLED_REAL)
    assert (total, split) == (2436, {"state_forces": 543, "rebel_groups": 916, "political_militias": 451,
                                     "identity_militias": 514, "rioters": 5, "external_forces": 7})
    ingest_files([ACLED_REAL], store)
    boundaries = load_boundary_set()
    year = Filters(date_from=date(2019, 1, 1), date_to=date(2019, 12, 31))
    table = aggregate_store(store, boundaries, filters=year, by=("perpetrator",))
    assert int(table["civilian_fatalities"].sum()) == total
    got = table.groupby("perpetrator")["civilian_fatalities"].sum()
    assert {k: int(v) for k, v in got.items() if v} == split
    assert int(aggregate_store(store, boundaries, filters=year)["civilian_fatalities"].sum()) == total
    # From the events too (dates inside months are not answered by the summary).
    inside = aggregate_store(store, boundaries, filters=replace(year, date_from=date(2018, 12, 31)), by=("perpetrator",))
    assert int(inside.loc[inside["period"] == "2019", "civilian_fatalities"].sum()) == total
    shares = state_share(table[table["source"] == "acled"], ["2019"])
    assert shares["state_forces"] == 543 and shares["state_share"] == pytest.approx(543 / 2436)
    # Ogossagou, 23 March 2019: the largest mass-casualty event of 2019, with its description.
    mass = mass_casualty_store(store, boundaries, filters=year, civilian_only=True, level="admin2")
    first = mass.iloc[0]
    assert (str(first["event_date"]), first["location"], first["fatalities"], first["perpetrator"]) == (
        "2019-03-23", "Ogossagou", 164, "identity_militias")
    assert first["unit_name"] == "Bankass" and "Ogassogou" in first["notes"]
    assert mass["fatalities"].is_monotonic_decreasing and (mass["fatalities"] >= 10).all() and mass["civilian_targeting"].all()


@needs_real_data
def test_ogossagou_is_in_the_command_line_mass_casualty_list(tmp_path):
    db = f"sqlite:///{tmp_path / 'real.sqlite'}"
    ingest_files([ACLED_REAL], Store(db))
    out = tmp_path / "mass.csv"
    assert main(["mass-casualty", "--db", db, "--out", str(out)]) == 0
    table = pd.read_csv(out, dtype={"event_date": str})
    ogossagou = table[(table["location"] == "Ogossagou") & (table["event_date"] == "2019-03-23")]
    assert len(ogossagou) == 1 and int(ogossagou["fatalities"].iloc[0]) == 164
    assert ogossagou["perpetrator"].iloc[0] == "identity_militias" and ogossagou["unit_name"].iloc[0] == "Mopti"
    assert table["fatalities"].is_monotonic_decreasing and int(table["fatalities"].min()) >= 10
    raw = pd.read_csv(ACLED_REAL, skiprows=[1])
    assert len(table) == int((raw["fatalities"] >= 10).sum())  # the command line lists them all


# ---------------------------------------------------------------------------------------------- older stores


def test_a_store_of_before_the_ucdp_types_is_migrated_exactly(tmp_path, monkeypatch):
    """A schema-2 store holds UCDP events without side-A types: opening it types them, fixes their content
    hashes (the same file again is all duplicates) and rebuilds their summary figures."""
    from test_places import assert_derived_exact

    from geo.readers import ucdp

    path = tmp_path / "ged.csv"
    ucdp_csv(path, [{"side_a": "Government of Mali", "best": "20", "low": "20", "high": "48"},
                    {"side_a": "JNIM", "best": "19", "low": "0", "high": "19"},
                    {"side_a": "Government of Mali", "type_of_violence": "1", "side_b": "JNIM", "best": "6", "low": "6",
                     "high": "6"}])
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store(url)
    with monkeypatch.context() as m:  # as the reader wrote them before
        m.setattr(ucdp, "side_a_types", lambda side_a, country, iso3: pd.Series("", index=side_a.index, dtype=object))
        ingest_files([path], store)
        ucdp_csv(path, [{"side_a": "Government of Mali", "best": "21", "low": "20", "high": "48"},
                        {"side_a": "JNIM", "best": "19", "low": "0", "high": "19"},
                        {"side_a": "Government of Mali", "type_of_violence": "1", "side_b": "JNIM", "best": "6", "low": "6",
                         "high": "6"}])
        revised = ingest_files([path], store)  # the first event revised: its old version goes to the history
    ensure_placement(store, load_boundary_set("natural-earth"), tolerance_m=5000)
    assert (store.snapshot()["events"]["actor1_type"] == "").all()
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE meta SET value = '2' WHERE key = 'schema_version'"))
        conn.execute(sa.text("DROP TABLE alembic_version"))  # a store written before the migrations were Alembic's
    store.dispose()

    migrated = Store(url)
    events = migrated.snapshot()["events"].sort_values("event_id")
    assert events["actor1_type"].tolist() == ["State forces", "", "State forces"]
    assert_derived_exact(migrated)
    set_id = ensure_placement(migrated, load_boundary_set("natural-earth"), tolerance_m=5000)
    figures, _ = query.unit_figures(migrated, set_id, level="admin1", period="year", filters=Filters(), by=("actor1_type",))
    assert figures.groupby("actor1_type")["civilian_fatalities"].sum().to_dict() == {"State forces": 21, "": 19}
    again = ingest_files([path], migrated)
    assert (again.counts.duplicates, again.counts.updated, again.counts.new) == (3, 0, 0)
    rollback_batch(migrated, revised.batch_id)  # the version restored from the history is typed too
    restored = migrated.snapshot()["events"].sort_values("event_id")
    assert restored["actor1_type"].tolist() == ["State forces", "", "State forces"] and restored["fatalities"].tolist()[0] == 20
    assert_derived_exact(migrated)
    log = migrated.audit_log()
    assert log["detail"].str.contains("2 UCDP event(s) typed by their side A", regex=False).any()


# ---------------------------------------------------------------------------------------------- the view


@pytest.mark.parametrize("cached", [False, True], ids=["reader", "cached reader"])
def test_the_civilians_view_model_from_the_database(tmp_path, write, cached):
    from geo.figures.civilians_view import civilians_data
    from geo.figures.reading import Reader
    from ui import data as datalib

    datalib.clear()
    store = Store(f"sqlite:///{tmp_path / 'view.sqlite'}")
    ingest_files([write("a.csv", acled_csv(*_rows(acled_row(event_id="C6", date="2018-02-02", fatalities="3",
                                                            inter1="State forces", actor1="Military Forces of Mali (2013-)"))))],
                 store)
    data = datalib.view_data(store)
    src = datalib.source(data, load_boundary_set("natural-earth"), 5000.0)
    reader = datalib.reader(src) if cached else Reader(src)
    groups = (ActorGroup("dna", "Dan Na Ambassagou", contains=("Dan Na",)),)
    view = civilians_data(reader, source="acled", level="admin1", filters=Filters(), year_from=2019, year_to=2019,
                                min_fatalities=10, groups=groups)
    assert view.years == ["2019"] and view.periods == ["2018", "2019", "2020"]
    assert view.totals["civilian_fatalities"] == 164 + 40 and view.totals["state_forces"] == 40
    assert view.totals["state_share"] == pytest.approx(40 / 204)
    assert view.mass["event_id"].tolist() == ["C1", "C2"] and view.mass_total == 2  # civilians targeted only, by default
    series = view.series.set_index(["period", "perpetrator"])["civilian_fatalities"]
    assert series.to_dict() == {("2018", "state_forces"): 3, ("2018", "political_militias"): 12,
                                ("2019", "state_forces"): 40, ("2019", "identity_militias"): 164, ("2020", "rebel_groups"): 9}
    assert view.units["civilian_fatalities"].sum() + view.unplaced == 204
    mopti = view.units.set_index("unit_name").loc["Mopti"]
    assert mopti["identity_militias"] == 164 and mopti["state_share"] == 0
    assert view.map_values.loc[view.units.set_index("unit_name").loc["Mopti", "unit_code"], "civilian_fatalities"] == 164
    # Mopti rose from 0 to 164 (a low base: no percent), Burkina's Sahel from 12 ... per the placed units.
    assert (view.rising["change"] > 0).all() and view.rising_years == ("2018", "2019")
    assert view.groups.set_index("label").loc["Dan Na Ambassagou", "2019"] == 164
    everything = civilians_data(reader, source="acled", level="admin1", filters=Filters(), year_from=2019, year_to=2019,
                                      min_fatalities=40, civilian_only=False, by="group", groups=groups)
    assert everything.mass["event_id"].tolist() == ["C1", "C3", "C2"]
    assert set(everything.series["group"]) == {"dna", OTHER_GROUP}
    unit = view.units.set_index("unit_name").loc["Mopti", "unit_code"]
    one = civilians_data(reader, source="acled", level="admin1", filters=Filters(), year_from=2018, year_to=2020,
                               groups=groups, unit_code=unit)
    assert one.totals["civilian_fatalities"] == 164 + 3 + 9 and one.mass["event_id"].tolist() == ["C1"]
    assert perpetrator_series(aggregate_store(store, load_boundary_set("natural-earth"), by=("perpetrator",)))[
        "civilian_fatalities"].sum() == 164 + 40 + 9 + 12 + 3
    wide = unit_perpetrators(aggregate_store(store, load_boundary_set("natural-earth"), by=("perpetrator",)), ["2019"])
    assert wide["civilian_fatalities"].sum() <= 204
    datalib.clear()


def _civilians_context(tmp_path, write):
    """A page context without Streamlit: the figures read straight from a store of the five events of `_rows`."""
    from types import SimpleNamespace

    from geo.config import get_settings
    from geo.dataset import current_data
    from geo.figures.reading import Reader, Source, read_choices
    from geo.figures.views import Inputs

    store = Store(f"sqlite:///{tmp_path / 'page.sqlite'}")
    ingest_files([write("a.csv", acled_csv(*_rows()))], store)
    settings = replace(get_settings(), actor_groups=(ActorGroup("dna", "Dan Na Ambassagou", contains=("Dan Na",)),))
    boundary_set = load_boundary_set("natural-earth")
    data = current_data(store, settings=settings)
    src = Source(data, boundary_set, ensure_placement(store, boundary_set, tolerance_m=5000), 5000.0)
    choices = read_choices(src, settings)
    inputs = Inputs(reader=Reader(src), settings=settings, is_sample=False, years=choices.years, vintages=choices.vintages)
    return SimpleNamespace(inputs=lambda: inputs, settings=settings, store=store, data=data, choices=choices,
                           source_label=lambda s: s.upper(), boundary_set=boundary_set)


def test_the_civilians_page_model_without_streamlit(tmp_path, write):
    from geo.figures.state import ViewState
    from ui.civilians import civilians_page, clicked_unit

    ctx = _civilians_context(tmp_path, write)
    view = ViewState(boundaries="natural-earth", source="acled", year_from=2019, year_to=2019, mass_min=10)
    page = civilians_page(ctx, view)
    assert [t.value for t in page.tiles] == ["204", "20 %", "2", "2"]  # 164 + 40 killed; 40 by state forces; C1 and C2
    assert page.tiles[0].help and "2019" in page.tiles[2].help and not page.empty and not page.ucdp_note
    mopti = page.unit_table.set_index("unit_name").loc["Mopti"]
    assert mopti["civilian_fatalities"] == 164 and mopti["state_share"] == 0 and mopti["country"] == "Mali"
    sahel = page.unit_table.set_index("unit_name").loc["Sahel"]
    assert sahel["state_share"] == 100  # in percent on the page (a fraction in the export)
    assert page.mass_table["date"].tolist() == ["23 Mar 2019", "23 Apr 2019"]
    assert "python -m geo" not in page.mass_caption
    assert "python -m geo mass-casualty" in civilians_page(ctx, view, analyst=True).mass_caption
    assert page.chart_file_name == "atlas_civilians_2019_acled" and page.figure_table is page.shown.data.series
    shown = page.shown
    assert shown.map_text.title.startswith("Civilian fatalities per region, 2019") and "Mopti" not in shown.where
    mopti_code = shown.units.set_index("unit_name").loc["Mopti", "unit_code"]
    assert clicked_unit({"last_active_drawing": {"properties": {"unit_code": mopti_code}}}, page, view) == mopti_code
    assert clicked_unit({"last_active_drawing": {"properties": {"unit_code": "XX"}}}, page, view) is None
    assert clicked_unit(None, page, view) is None
    one = civilians_page(ctx, replace(view, unit=mopti_code))
    assert one.shown.unit_name == "Mopti" and one.shown.where and [t.value for t in one.tiles][:1] == ["164"]
    empty = civilians_page(ctx, replace(view, year_from=2017, year_to=2017))
    assert empty.empty and empty.tiles[0].value == "0"


def test_the_civilians_figures_and_their_tables(tmp_path, write):
    from geo.figures.civilians_view import civilians_view, share_table
    from geo.figures.state import ViewState

    ctx = _civilians_context(tmp_path, write)
    view = ViewState(boundaries="natural-earth", source="acled", year_from=2018, year_to=2020)
    shown = civilians_view(ctx.inputs(), view)
    assert shown.data.periods == ["2018", "2019", "2020"]
    shares = share_table(shown.data.perpetrators, shown.data.periods).set_index("period")
    assert shares.loc["2019", ["civilian_fatalities", "state_forces"]].tolist() == [204, 40]
    assert shares.loc["2019", "state_share"] == pytest.approx(40 / 204)
    assert pd.isna(shares.loc["2020", "state_share"])  # 9 killed: too few for a share, as the chart draws none
    import html

    svg = html.unescape(shown.map_svg())
    assert svg.startswith("<svg") and "Civilian fatalities per region, 2018–2020" in svg
    values = shown.map_values().set_index("unit_code")["value"]
    assert values.sum() + shown.data.unplaced == 164 + 40 + 9 + 12  # C3 (71 killed in a battle) targeted no civilians
    by_group = civilians_view(ctx.inputs(), replace(view, civ_by="group"))
    assert [t.name for t in by_group.stacked.data] == ["Dan Na Ambassagou", "Other or unnamed actors"]
    assert not [a for a in shown.stacked.layout.annotations if a.name == "watermark"]  # real data: no watermark


def test_the_about_page_model_without_streamlit(tmp_path, write):
    from ui.about import BATCH_COLUMNS, about_page

    ctx = _civilians_context(tmp_path, write)
    page = about_page(ctx)
    assert list(page.batches.columns) == BATCH_COLUMNS and page.batches["batch_id"].tolist() == [1]
    assert "ACLED" in page.store_holds and "5" in page.store_holds
    assert "**ACLED**" in page.vintages and "2018" in page.vintages
    assert any(text.startswith("**natural-earth**") or "natural-earth" in text for text in page.boundary_sets)
    assert len(page.boundary_sets) >= 2  # every registered set: the shipped ones at least


def test_the_civilians_page_and_the_mass_casualty_command_never_load_every_event(monkeypatch, tmp_path, write, navigation_only):
    from helpers import REPO
    from streamlit.testing.v1 import AppTest

    def refuse(*args, **kwargs):
        raise AssertionError("a view loaded every event")

    db = tmp_path / "v.sqlite"
    ingest_files([write("a.csv", acled_csv(*_rows()))], Store(f"sqlite:///{db}"))
    monkeypatch.setattr(Store, "load_events", refuse)
    monkeypatch.setenv("ATLAS_DB_URL", f"sqlite:///{db}")
    assert main(["mass-casualty", "--db", str(db), "--out", str(tmp_path / "m.csv")]) == 0
    assert main(["aggregate", "--db", str(db), "--by", "perpetrator", "--out", str(tmp_path / "a.csv")]) == 0
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    for key, value in {"year_from": "2019", "year_to": "2019", "mass_min": "30", "civ_by": "group"}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/civilians.py").run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Civilian fatalities"] == "204" and metrics["Attributed to state forces"] == "20 %"
    assert metrics["Mass-casualty events (≥ 30 killed)"] == "2"
    for metric in ("civilian_fatalities",):  # the metric on the other pages
        for page in ("pages/map.py", "pages/trends.py", "pages/borders.py"):
            at.query_params["metric"] = metric
            at.switch_page(page).run()
            assert not at.exception, (page, [e.value for e in at.exception])


def test_the_civilians_page_runs_on_the_sample(navigation_only):
    from helpers import REPO
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/civilians.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("SYNTHETIC" in w.value.upper() for w in at.warning)
    assert at.title[0].value.startswith("Civilians killed")
    at.number_input(key="w_mass_min").set_value(25).run()
    assert not at.exception and "mass_min" in at.query_params and at.query_params["mass_min"] == "25"
