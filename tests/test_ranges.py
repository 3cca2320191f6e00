"""Ranges, not points: each event's uncertainty area (a radius per precision level, or the whole unit its precision names)
makes some units' figures uncertain; `aggregate --ranges` gives events_min / events_max and fatalities_min / _max computed
in the database from the areas' units stored with the places, equal to a computation in memory, exact through revisions,
deletions and rollbacks; `compare` sets two sources side by side with each one's own totals."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import geopandas as gpd
import pandas as pd
import pytest
import sqlalchemy as sa
from helpers import (
    ACLED_REAL,
    BACKENDS,
    HDX_BFA_REAL,
    UCDP_REAL,
    acled_csv,
    acled_row,
    needs_aggregate_data,
    needs_real_data,
    new_store_url,
)
from test_cli import run
from test_places import _copy_sample, assert_derived_exact

from geo.aggregate import OUTPUT_COLUMNS, RANGE_COLUMNS, Filters, aggregate, aggregate_store
from geo.boundaries import load_boundary_set
from geo.config import DEFAULT_UNCERTAINTY, PrecisionArea, get_settings, load_settings
from geo.crs import EQUAL_AREA_CRS
from geo.dataset import load_sample
from geo.errors import AtlasError
from geo.ingest import apply_deletions, ingest_files, rollback_batch
from geo.places import compute_places
from geo.store import Store, area_units_table, meta_table
from geo.uncertainty import compute_area_units, precision_scale


def test_the_shipped_areas_are_the_documented_defaults():
    settings = get_settings()
    assert settings.uncertainty == DEFAULT_UNCERTAINTY
    assert settings.uncertainty["acled"][3] == PrecisionArea(unit="admin1")  # the whole admin-1 unit named
    assert settings.uncertainty["acled"][2].radius_km == settings.uncertainty["ucdp"][2].radius_km == 25
    assert settings.uncertainty["ucdp"][4] == PrecisionArea(unit="admin1") and settings.uncertainty["ucdp"][3].unit == "admin2"


def test_bad_areas_are_refused_with_every_problem_named(tmp_path):
    config = tmp_path / "atlas.toml"
    config.write_text('[uncertainty.acled]\n4 = 10\n2 = -3\n3 = "region"\n[uncertainty.gdelt]\n1 = 0\n', encoding="utf-8")
    with pytest.raises(AtlasError) as err:
        load_settings(config)
    message = str(err.value)
    for part in ("[uncertainty.acled] 4: not a precision code", "2 = -3", "'region'", "[uncertainty.gdelt] is not a precision scale"):
        assert part in message
    config.write_text('[uncertainty.acled]\n2 = 10.5\n', encoding="utf-8")
    settings = load_settings(config)
    assert settings.uncertainty["acled"][2].radius_km == 10.5 and settings.uncertainty["acled"][3].unit == "admin1"


def test_a_generic_files_codes_are_read_on_their_scale():
    events = pd.DataFrame({"source_dataset": ["generic", "generic", "generic", "acled", "ucdp", "sample"],
                           "geo_precision": pd.array([3, 3, 5, 3, 3, None], dtype="Int64"),
                           "max_admin_level": [1, 2, 0, 1, 2, 2]})
    assert list(precision_scale(events)) == ["acled", "ucdp", "ucdp", "acled", "ucdp", "acled"]


# ---------------------------------------------------------------------------------------------- the areas themselves


def _one(ocha, **values) -> pd.DataFrame:
    base = {"source_dataset": "acled", "geo_precision": 1, "max_admin_level": 2, "country_iso3": "MLI",
            "admin1_declared": "", "admin2_declared": "", "longitude": -4.0, "latitude": 14.5, "event_date": "2019-01-01",
            "fatalities": 1}
    frame = pd.DataFrame([{**base, **values}])
    frame["geo_precision"] = frame["geo_precision"].astype("Int64")
    return frame


def test_a_disc_reaches_the_units_within_its_radius_and_a_point_only_its_own():
    ocha = load_boundary_set("ocha-geoboundaries")
    settings = get_settings()
    mopti_town = _one(ocha, longitude=-4.197, latitude=14.494)  # Mopti town, precision 1: certain where it lies
    places = compute_places(mopti_town, ocha, tolerance_m=5000)
    assert compute_area_units(mopti_town, places, ocha, settings=settings).empty
    near = _one(ocha, geo_precision=2, longitude=-4.197, latitude=14.494)  # within 25 km: Mopti cercle and its neighbours
    places = compute_places(near, ocha, tolerance_m=5000)
    rows = compute_area_units(near, places, ocha, settings=settings)
    admin2 = rows[rows["level"] == 2]
    assert admin2.loc[admin2["in_doubt"], "unit_code"].tolist() == [places.at[0, "admin2_code"]]
    assert len(admin2[~admin2["in_doubt"]]) >= 1 and not (admin2["unit_code"] == "").any()
    # Far inside a large unit, a 25 km disc stays there: no row at all.
    largest = ocha.units("admin2").to_crs(EQUAL_AREA_CRS).sort_values("area_km2").iloc[-1]
    far = gpd.GeoSeries([largest.geometry.buffer(-30_000).representative_point()], crs=EQUAL_AREA_CRS).to_crs("EPSG:4326")[0]
    inner = _one(ocha, geo_precision=2, longitude=far.x, latitude=far.y, country_iso3=largest["country_iso3"])
    assert compute_area_units(inner, compute_places(inner, ocha, tolerance_m=5000), ocha, settings=settings).empty


def test_ucdp_unit_precisions_reach_their_unit_its_parts_or_the_country():
    ocha = load_boundary_set("ocha-geoboundaries")
    settings = get_settings()
    cercles = set(ocha.units("admin2").query("parent_code == 'ML05'")["unit_code"])
    region = _one(ocha, source_dataset="ucdp", geo_precision=4, max_admin_level=1, admin1_declared="Mopti region",
                  longitude=-3.0, latitude=14.4)
    rows = compute_area_units(region, compute_places(region, ocha, tolerance_m=5000), ocha, settings=settings)
    assert set(rows.loc[rows["level"] == 2, "unit_code"]) == cercles and not rows.loc[rows["level"] == 2, "in_doubt"].any()
    assert rows[rows["level"] < 2].empty  # certain in Mopti and in Mali
    country = _one(ocha, source_dataset="ucdp", geo_precision=6, max_admin_level=0, longitude=-2.0, latitude=17.0)
    rows = compute_area_units(country, compute_places(country, ocha, tolerance_m=5000), ocha, settings=settings)
    mali = ocha.units("admin1").query("country_iso3 == 'MLI'")["unit_code"]
    assert set(rows.loc[rows["level"] == 1, "unit_code"]) == set(mali)
    assert rows[rows["level"] == 0].empty  # certain in Mali


# ---------------------------------------------------------------------------------------------- in SQL = in memory

FILTERS = [
    Filters(),
    Filters(preset="political-violence", countries=("BFA", "NER")),
    Filters(actor="armed group"),  # the events, not the summary
    Filters(date_from=date(2019, 1, 15), date_to=date(2021, 3, 3)),
    Filters(max_geo_precision=2, indicator="civilian-targeting"),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_sql_ranges_equal_those_of_events_in_memory(backend, tmp_path):
    url, drop = new_store_url(backend, tmp_path)
    try:
        store = Store(url)
        _copy_sample(store)
        events = load_sample()
        for name in ("ocha-geoboundaries", "natural-earth"):
            boundary_set = load_boundary_set(name)
            for filters in FILTERS:
                for level in boundary_set.levels:
                    for period in ("year", "month"):
                        expected = aggregate(events, boundary_set, level=level, period=period, filters=filters, ranges=True)
                        got = aggregate_store(store, boundary_set, level=level, period=period, filters=filters, ranges=True)
                        pd.testing.assert_frame_equal(expected, got, check_dtype=False, obj=f"{name} {filters} {level} {period}")
                        assert list(got.columns[len(OUTPUT_COLUMNS):]) == RANGE_COLUMNS
                        for figure in ("events", "fatalities", "civilian_events", "civilian_fatalities"):
                            assert (got[f"{figure}_min"] <= got[figure]).all() and (got[figure] <= got[f"{figure}_max"]).all()
            split = aggregate_store(store, boundary_set, level="admin1", ranges=True, by=("perpetrator",))
            assert list(split.columns[len(OUTPUT_COLUMNS):]) == [*RANGE_COLUMNS, "perpetrator"]
            whole = aggregate_store(store, boundary_set, level="admin1", ranges=True)
            assert split["events_max"].sum() == whole["events_max"].sum()
        store.dispose()
    finally:
        drop()


# ---------------------------------------------------------------------------------------------- exact through every change


def test_areas_follow_every_change_exactly(store, write):
    rows = [
        acled_row(event_id="U1", geo_precision="2", lat="14.494", lon="-4.197", timestamp="100"),  # Mopti town, 25 km
        acled_row(event_id="U2", geo_precision="3", admin1="Sahel", country="Burkina Faso", lat="14.0354", lon="-0.0345",
                  iso="854", timestamp="100"),  # Dori: only the Sahel region known
        acled_row(event_id="U3", geo_precision="1", lat="13.5", lon="2.1", country="Niger", admin1="Niamey", iso="562",
                  timestamp="100"),
    ]
    first = ingest_files([write("v1.csv", acled_csv(*rows))], store)
    assert first.counts.new == 3
    assert_derived_exact(store)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(area_units_table)).scalar() > 0
    # U1 becomes precise (its rows go), U3 becomes vague (rows come), U4 is new.
    second = ingest_files([write("v2.csv", acled_csv(
        acled_row(event_id="U1", geo_precision="1", lat="14.494", lon="-4.197", timestamp="200"),
        acled_row(event_id="U3", geo_precision="2", lat="13.5", lon="2.1", country="Niger", admin1="Niamey", iso="562",
                  timestamp="200"),
        acled_row(event_id="U4", geo_precision="3", admin1="Mopti", date="2019-05-05", timestamp="200"),
    ))], store)
    assert (second.counts.updated, second.counts.new) == (2, 1)
    assert_derived_exact(store)
    deletion = apply_deletions(write("del.csv", "event_id_cnty\nU2\n"), store)
    assert_derived_exact(store)
    rollback_batch(store, deletion.batch_id)
    assert_derived_exact(store)
    rollback_batch(store, second.batch_id)
    assert_derived_exact(store)
    table = aggregate_store(store, load_boundary_set("ocha-geoboundaries"), level="admin2", ranges=True, include_empty=False)
    sahel_provinces = table[table["unit_code"].isin(load_boundary_set("ocha-geoboundaries").units("admin2")
                                                    .query("parent_code == 'BF-12'")["unit_code"])]
    assert (sahel_provinces["events_max"] == 1).all() and (sahel_provinces["events_min"] == 0).all()


def test_a_schema_7_store_gets_its_areas_on_next_use(tmp_path, write):
    """Alembic's revision 0008 on a store an atlas of schema 7 left (its `alembic_version` at 0007): the tables of the
    areas are created empty, and the place set is placed again on its next use, giving the ranges a fresh store gives."""
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store(url)
    ingest_files([write("a.csv", acled_csv(acled_row(event_id="O1", geo_precision="2", lat="14.494", lon="-4.197")))], store)
    ocha = load_boundary_set("ocha-geoboundaries")
    fresh = aggregate_store(store, ocha, level="admin2", ranges=True)
    # What a store of schema 7 looked like: no areas, no area summary, no rules recorded.
    with store.write_transaction() as conn:
        conn.exec_driver_sql("DROP TABLE event_area_units")
        conn.exec_driver_sql("DROP TABLE area_summary")
        conn.execute(meta_table.delete().where(meta_table.c.key.like("area_rules.%")))
        conn.execute(meta_table.update().where(meta_table.c.key == "schema_version").values(value="7"))
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '0007'")
    store.dispose()
    reopened = Store(url)
    assert reopened.upgraded == ("0007", "0008")
    with reopened.engine.connect() as conn:
        assert conn.execute(sa.select(meta_table.c.value).where(meta_table.c.key == "schema_version")).scalar() == "8"
    jobs = len(reopened.jobs())
    again = aggregate_store(reopened, ocha, level="admin2", ranges=True)
    assert len(reopened.jobs()) == jobs + 1  # placed again, as a recorded job
    pd.testing.assert_frame_equal(fresh, again, check_dtype=False)
    assert_derived_exact(reopened)


def test_other_radii_place_the_areas_again(tmp_path, write, monkeypatch):
    store = Store(f"sqlite:///{tmp_path / 's.sqlite'}")
    ingest_files([write("a.csv", acled_csv(acled_row(event_id="R1", geo_precision="2", lat="14.494", lon="-4.197")))], store)
    ocha = load_boundary_set("ocha-geoboundaries")
    before = aggregate_store(store, ocha, level="admin2", ranges=True)
    shipped = get_settings().config_path
    text = shipped.read_text(encoding="utf-8").replace('"data/', f'"{shipped.parent}/data/')  # (paths from here)
    assert '2 = 25\n3 = "admin1"' in text
    config = tmp_path / "atlas.toml"
    config.write_text(text.replace('2 = 25\n3 = "admin1"', '2 = 80\n3 = "admin1"', 1), encoding="utf-8")
    monkeypatch.setenv("ATLAS_CONFIG", str(config))
    assert get_settings().uncertainty["acled"][2].radius_km == 80
    jobs = len(store.jobs())
    after = aggregate_store(store, ocha, level="admin2", ranges=True)
    assert len(store.jobs()) == jobs + 1
    assert after["events_max"].sum() > before["events_max"].sum()
    assert (after["events"] == before["events"]).all()


# ---------------------------------------------------------------------------------------------- the real files


@pytest.fixture(scope="module")
def real_db(tmp_path_factory):
    if not ACLED_REAL.exists():
        pytest.skip(f"real data not available: {ACLED_REAL} is missing")
    url = f"sqlite:///{tmp_path_factory.mktemp('ranges') / 'real.sqlite'}"
    run("ingest", str(ACLED_REAL), "--db", url, "--json")
    run("ingest", str(UCDP_REAL), "--db", url, "--json")
    return url


def _csv(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), keep_default_na=False, na_values=[""], dtype={"period": str, "parent_code": str})


@needs_real_data
@pytest.mark.parametrize("level", ["admin1", "admin2"])
def test_every_real_row_holds_its_inequalities(real_db, level):
    table = _csv(run("aggregate", "--db", real_db, "--ranges", "--level", level).stdout)
    # The usual columns, then events_min, events_max, fatalities_min, fatalities_max (then those of civilian targeting)
    assert list(table.columns[len(OUTPUT_COLUMNS):len(OUTPUT_COLUMNS) + 4]) == ["events_min", "events_max", "fatalities_min",
                                                                                  "fatalities_max"]
    for figure in ("events", "fatalities", "civilian_events", "civilian_fatalities"):
        assert (table[f"{figure}_min"] <= table[figure]).all() and (table[figure] <= table[f"{figure}_max"]).all(), figure
    ucdp = table[table["source"] == "ucdp"]
    assert len(ucdp) and (ucdp["fatalities_min"] <= ucdp["fatalities_low"]).all()
    assert (ucdp["fatalities_high"] <= ucdp["fatalities_max"]).all()
    units = table[(table["source"] == "acled") & (table["period"] == "2019") & ~table["unit_code"].str.startswith("_")]
    ranged = units[units["events_min"] < units["events_max"]]
    assert len(ranged) >= (20 if level == "admin1" else 100), len(ranged)  # 26 of 31 regions, 119 of 165 districts
    if level == "admin1":
        # Mopti 2019: 434 events, of which 339 certainly there; 491 may have been
        row = units[units["unit_code"] == "ML05"].iloc[0]
        assert (row["events_min"], row["events"], row["events_max"]) == (339, 434, 491)
    # The plain aggregate is the same table without the ranges.
    plain = _csv(run("aggregate", "--db", real_db, "--level", level).stdout)
    pd.testing.assert_frame_equal(plain, table.drop(columns=RANGE_COLUMNS), check_dtype=False)


@needs_real_data
def test_a_real_precision_3_event_is_in_the_max_of_every_unit_of_its_region_and_in_no_min(tmp_path):
    with open(ACLED_REAL, encoding="utf-8", newline="") as handle:
        lines = list(csv.reader(handle))
    header, rows = lines[0], lines[2:]  # (line 2: HXL tags)
    at = {name: i for i, name in enumerate(header)}
    chosen = next(r for r in rows if r[at["geo_precision"]] == "3" and r[at["year"]] == "2019" and r[at["admin1"]] == "Sahel")
    path = tmp_path / "one_precision_3_event.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, chosen])
    url = f"sqlite:///{tmp_path / 'one.sqlite'}"
    run("ingest", str(path), "--db", url)
    ocha = load_boundary_set("ocha-geoboundaries")
    region = ocha.name_matcher("admin1").find("Sahel")[0]
    provinces = set(ocha.units("admin2").query("parent_code == @region")["unit_code"])
    assert len(provinces) == 4  # Oudalan, Séno, Soum, Yagha
    admin2 = _csv(run("aggregate", "--db", url, "--ranges", "--level", "admin2").stdout)
    inside = admin2[admin2["unit_code"].isin(provinces)]
    assert set(inside["unit_code"]) == provinces
    assert (inside["events_max"] == 1).all() and (inside["events_min"] == 0).all() and (inside["events"] == 0).all()
    assert admin2.loc[~admin2["unit_code"].isin(provinces), "events_max"].sum() == 1  # only its own _UNALLOCATED row
    assert (admin2["events_min"].sum(), admin2.loc[admin2["unit_code"] == "_UNALLOCATED", "events"].sum()) == (1, 1)
    assert admin2.loc[admin2["unit_code"] != "_UNALLOCATED", "events_min"].sum() == 0
    fatalities = int(chosen[at["fatalities"]])
    assert (inside["fatalities_max"] == fatalities).all() and (inside["fatalities_min"] == 0).all()
    admin1 = _csv(run("aggregate", "--db", url, "--ranges").stdout)
    sahel = admin1[admin1["unit_code"] == region].iloc[0]
    assert (sahel["events_min"], sahel["events"], sahel["events_max"]) == (1, 1, 1)  # the whole region named lies in it


# ---------------------------------------------------------------------------------------------- compare


@needs_real_data
@pytest.mark.parametrize(("level", "period"), [("admin1", "year"), ("admin2", "quarter")])
def test_compare_gives_each_source_its_own_totals(real_db, level, period):
    table = _csv(run("compare", "--db", real_db, "--sources", "acled,ucdp", "--level", level, "--period", period).stdout)
    assert [c for c in table.columns if c.startswith("acled_")] == [
        "acled_events", "acled_events_min", "acled_events_max", "acled_fatalities", "acled_fatalities_min", "acled_fatalities_max"]
    assert not [c for c in table.columns if "total" in c or c in ("events", "fatalities")]  # never summed
    for source in ("acled", "ucdp"):
        own = _csv(run("aggregate", "--db", real_db, "--source", source, "--indicator", "political-violence", "--ranges",
                       "--level", level, "--period", period).stdout)
        for figure in ("events", "fatalities"):
            assert int(table[f"{source}_{figure}"].sum()) == int(own[figure].sum()), (source, figure)
        merged = own.merge(table, on=["country_iso3", "unit_code", "period"])
        assert len(merged) == len(own)  # every row of the source, once
        assert (merged["events_max"] == merged[f"{source}_events_max"]).all()
    both = table.dropna(subset=["acled_events", "ucdp_events"])
    assert (both["events_difference"] == both["acled_events"] - both["ucdp_events"]).all()
    summary = json.loads(run("compare", "--db", real_db, "--level", level, "--period", period, "--json", "--out",
                             "/dev/null").stdout)
    assert summary["totals"]["ucdp"]["events"] == 12 and summary["sources"] == ["acled", "ucdp"]


def test_compare_refuses_what_it_cannot_compare(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite'}"
    for sources, text in (("acled", "two different sources"), ("acled,acled", "two different sources"),
                          ("acled,gdelt", "unknown source gdelt")):
        proc = run("compare", "--db", url, "--sources", sources, check=False)
        assert proc.returncode == 1 and text in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


@needs_real_data
@needs_aggregate_data
def test_compare_events_with_acleds_aggregates(tmp_path):
    url = f"sqlite:///{tmp_path / 'agg.sqlite'}"
    run("ingest", str(ACLED_REAL), "--db", url)
    run("ingest", str(HDX_BFA_REAL), "--db", url)
    table = _csv(run("compare", "--db", url, "--sources", "acled,acled-hdx", "--country", "BFA", "--from", "2016-01-01",
                     "--to", "2019-12-31").stdout)
    assert table["acled_hdx_events_min"].isna().all()  # ACLED's aggregates carry no range
    regions = table[~table["unit_code"].str.startswith("_")]
    assert int(regions["acled_events"].sum()) == 996 and int(regions["acled_hdx_events"].sum()) == 1005  # README's figures
