"""Figures from the database: events are placed once (event_places) and summed once per batch
(unit_summary); both stay exactly what a fresh computation gives through ingest, revisions, deletions and
rollbacks, on SQLite and on PostgreSQL; the SQL figures equal the figures computed from events in memory."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa
from helpers import ACLED_REAL, BACKENDS, acled_csv, acled_row, needs_real_data, new_store_url

from geo import query
from geo.aggregate import Filters, aggregate, aggregate_store
from geo.borders import (
    border_table,
    border_table_store,
    cross_border_actors,
    cross_border_actors_store,
    cross_border_pairs,
    cross_border_pairs_store,
)
from geo.boundaries import load_boundary_set
from geo.dataset import load_sample, sample_store
from geo.ingest import apply_deletions, ingest_files, rollback_batch
from geo.join import place_events
from geo.places import ensure_placement, recompute
from geo.store import Store, places_table


def derived(store: Store) -> dict[str, pd.DataFrame]:
    snap = store.snapshot(derived=True)
    return {k: snap[k] for k in ("event_places", "unit_summary", "border_summary", "actor_summary", "event_area_units",
                                 "area_summary")}


def assert_derived_exact(store: Store) -> None:
    """The stored places and summary equal those of a fresh placement of the current events."""
    before = derived(store)
    sets = store.place_sets()
    with store.write_transaction() as conn:
        for name in sets.loc[sets["status"] == "ready", "name"]:
            recompute(store, conn, load_boundary_set(name), tolerance_m=5000)
    after = derived(store)
    for name in before:
        pd.testing.assert_frame_equal(before[name].reset_index(drop=True), after[name].reset_index(drop=True), check_dtype=False,
                                      obj=name)
    # And the summary of every ready place set holds every current event once.
    sets = store.place_sets()
    for name in sets.loc[sets["status"] == "ready", "name"]:
        summary = after["unit_summary"]
        assert int(summary.loc[summary["name"] == name, "events"].sum()) == store.count_events(), name


def test_places_and_summary_follow_every_change(store, write):
    first = ingest_files([write("v1.csv", acled_csv(
        acled_row(event_id="P1", timestamp="100"), acled_row(event_id="P2", lat="12.3", lon="-1.5", country="Burkina Faso",
                                                             admin1="Centre", fatalities="7", timestamp="100"),
        acled_row(event_id="P3", lat="13.5", lon="2.1", country="Niger", admin1="Niamey", timestamp="100"),
        acled_row(event_id="P4", lat="30.0", lon="10.0", country="Libya", timestamp="100"),  # outside the area
    ))], store)
    assert first.counts.new == 3 and first.counts.outside_area == 1
    assert_derived_exact(store)
    # A revision moves P1 to Burkina Faso and changes its fatalities; P5 is new.
    second = ingest_files([write("v2.csv", acled_csv(
        acled_row(event_id="P1", lat="12.3", lon="-1.5", country="Burkina Faso", fatalities="40", timestamp="200"),
        acled_row(event_id="P5", date="2020-02-02", timestamp="200"),
    ))], store)
    assert (second.counts.updated, second.counts.new) == (1, 1)
    assert_derived_exact(store)
    table = aggregate_store(store, load_boundary_set("natural-earth"), include_empty=False)
    assert int(table["fatalities"].sum()) == 40 + 7 + 3 + 3 + 3  # P1 revised, P2, P3, P4, P5
    mopti = table[(table["unit_code"] == "ML-5") & (table["period"] == "2019")]
    assert mopti.empty  # P1 moved out of Mopti with its revision
    deletions = apply_deletions(write("del.csv", "event_id_cnty\nP2\n"), store)
    assert deletions.counts.deleted == 1
    assert_derived_exact(store)
    rollback_batch(store, deletions.batch_id)
    assert_derived_exact(store)
    rollback_batch(store, second.batch_id)
    assert_derived_exact(store)
    table = aggregate_store(store, load_boundary_set("natural-earth"), include_empty=False)
    assert int(table["fatalities"].sum()) == 3 + 7 + 3 + 3  # back to batch 1


def test_a_rolled_back_batch_leaves_no_place_and_no_summary(store, write):
    report = ingest_files([write("a.csv", acled_csv(acled_row(event_id="R1"), acled_row(event_id="R2")))], store)
    rollback_batch(store, report.batch_id)
    snap = derived(store)
    assert all(table.empty for table in snap.values())


@pytest.fixture(scope="module")
def sample_events():
    return load_sample()


FILTERS = [
    Filters(),
    Filters(preset="political-violence"),
    Filters(countries=("BFA", "NER")),
    Filters(actor="jnim"),
    Filters(date_from=date(2019, 1, 1), date_to=date(2019, 6, 30)),
    Filters(date_from=date(2019, 1, 15), date_to=date(2021, 3, 3)),  # inside months: the events, not the summary
    Filters(max_geo_precision=1, event_types=("Battles", "Violence against civilians")),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_sql_aggregates_equal_those_of_events_in_memory(backend, tmp_path, sample_events):
    url, drop = new_store_url(backend, tmp_path)
    try:
        store = Store(url)
        _copy_sample(store)
        ne = load_boundary_set("natural-earth")
        for filters in FILTERS:
            for level in ("admin1", "admin2"):
                for period in ("year", "quarter", "month"):
                    expected = aggregate(sample_events, ne, level=level, period=period, filters=filters)
                    got = aggregate_store(store, ne, level=level, period=period, filters=filters)
                    pd.testing.assert_frame_equal(expected, got, check_dtype=False, obj=f"{filters} {level} {period}")
        store.dispose()
    finally:
        drop()


def _copy_sample(store: Store) -> None:
    """The sample's events in `store` (the sample store is SQLite; this puts the same rows on any backend)."""
    from geo.places import place_written, sync_registered
    from geo.schema import CANONICAL_COLUMNS, content_hash
    from geo.store import BatchCounts

    events = load_sample()
    with store.write_transaction() as conn:
        sync_registered(store, conn)
        batch = store.insert_batch(conn, kind="ingest", user="t", files=[{"file": "s", "sha256": ""}], fmt="sample",
                                   counts=BatchCounts(rows_read=len(events), new=len(events)), details={})
        rows = events[CANONICAL_COLUMNS].assign(batch_id=batch, content_hash=content_hash(events))
        place_written(store, conn, rows, store.insert_events(conn, rows))


def test_sql_border_figures_equal_those_of_events_in_memory(sample_events, ne, geometry):
    store = sample_store()
    placements = place_events(sample_events, ne)
    for filters in (Filters(), Filters(preset="political-violence", date_from=date(2019, 1, 1), date_to=date(2020, 12, 31)),
                    Filters(date_from=date(2019, 2, 3), date_to=date(2020, 11, 30))):  # inside a month: from the events
        for bands in ((10.0, 50.0, 100.0), (50.0, 100.0, 150.0, 200.0), (12.5, 80.0)):
            expected = border_table(sample_events, placements, geometry, filters=filters, bands=bands)
            got = border_table_store(store, ne, filters=filters, bands=bands)
            pd.testing.assert_frame_equal(expected, got, check_dtype=False)
        pairs = cross_border_pairs(sample_events.loc[_mask(sample_events, placements, filters)],
                                   placements.loc[_mask(sample_events, placements, filters)], geometry)
        stored = cross_border_pairs_store(store, ne, filters=filters)
        assert len(pairs) > 20
        key = ["event_id_a", "event_id_b", "distance_km", "days", "shared_actor"]
        pd.testing.assert_frame_equal(pairs[key].reset_index(drop=True), stored[key].reset_index(drop=True), check_dtype=False)
        actors = cross_border_actors(sample_events.loc[_mask(sample_events, placements, filters)],
                                     placements.loc[_mask(sample_events, placements, filters)])
        pd.testing.assert_frame_equal(actors, cross_border_actors_store(store, ne, filters=filters), check_dtype=False)


def _mask(events, placements, filters):
    from geo.filters import filter_mask

    return filter_mask(events, filters, placements)


def test_unit_lists_come_from_the_database_bounded(sample_events, ne):
    store = sample_store()
    set_id = ensure_placement(store, ne, tolerance_m=5000)
    placements = place_events(sample_events, ne)
    in_unit = sample_events[placements["admin1_code"] == "ML-5"]
    latest = query.latest_events(store, set_id, filters=Filters(), limit=7, level="admin1", unit_code="ML-5")
    assert len(latest) == 7 and latest["event_date"].is_monotonic_decreasing
    assert latest["event_date"].iloc[0] == in_unit["event_date"].max()
    from geo.figures.tables import top_actors

    pd.testing.assert_frame_equal(top_actors(in_unit), query.top_actors(store, set_id, filters=Filters(), level="admin1",
                                                                        unit_code="ML-5"))
    bins = query.binned_events(store, set_id, filters=Filters(), cell_deg=0.5)
    assert int(bins["events"].sum()) == len(sample_events) and len(bins) < len(sample_events) / 5


def test_registering_a_set_places_every_stored_event_as_a_recorded_job(tmp_path, write):
    from geo.cli import main

    db = f"sqlite:///{tmp_path / 'jobs.sqlite'}"
    store = Store(db)
    ingest_files([write("a.csv", acled_csv(acled_row(event_id="J1"), acled_row(event_id="J2", lat="12.3", lon="-1.5",
                                                                                  country="Burkina Faso")))], store)
    shipped = load_boundary_set("natural-earth")
    admin1 = shipped.units("admin1")
    bfa = admin1[admin1["country_iso3"] == "BFA"][["unit_code", "unit_name", "geometry"]]
    path = tmp_path / "bfa.geojson"
    bfa.to_file(path, driver="GeoJSON")
    assert main(["boundaries", "add", str(path), "--name", "bfa-only", "--level", "admin1", "--country", "BFA",
                 "--name-field", "unit_name", "--code-field", "unit_code",
                 "--db", db]) == 0
    sets = store.place_sets().set_index("name")
    assert "bfa-only" in sets.index and sets.loc["bfa-only", "status"] == "ready"
    assert store.place_counts()[int(sets.loc["bfa-only", "set_id"])] == 2
    jobs = store.jobs()
    assert (jobs["target"] == "bfa-only").any() and (jobs["status"] == "done").all()
    table = aggregate_store(store, load_boundary_set("bfa-only"), include_empty=False)
    outside = table["unit_code"] == "_OUTSIDE"
    assert int(table.loc[outside, "events"].sum()) == 1 and int(table.loc[~outside, "events"].sum()) == 1
    assert set(table.loc[~outside, "unit_code"]) <= set(bfa["unit_code"])
    assert main(["boundaries", "remove", "bfa-only", "--db", db]) == 0
    assert "bfa-only" not in set(store.place_sets()["name"])


def test_a_set_missing_at_commit_is_marked_stale_and_recomputed_on_use(tmp_path, write, monkeypatch):
    store = Store(f"sqlite:///{tmp_path / 'stale.sqlite'}")
    ingest_files([write("a.csv", acled_csv(acled_row(event_id="S1")))], store)
    ne = load_boundary_set("natural-earth")
    with store.engine.begin() as conn:  # as if another instance had placed the events in a set this one lacks
        conn.execute(sa.text("UPDATE place_sets SET name = 'elsewhere' WHERE name = 'natural-earth'"))
    ensure_placement(store, ne, tolerance_m=5000)
    ingest_files([write("b.csv", acled_csv(acled_row(event_id="S2")))], store)
    status = store.place_sets().set_index("name")["status"]
    assert status["elsewhere"] == "stale" and status["natural-earth"] == "ready"
    assert_derived_exact(store)


def test_a_schema_1_store_is_migrated(tmp_path, write):
    import sqlite3

    path = tmp_path / "old.sqlite"
    store = Store(f"sqlite:///{path}")
    ingest_files([write("a.csv", acled_csv(acled_row(event_id="M1"), acled_row(event_id="M2", fatalities="9")))], store)
    second = ingest_files([write("b.csv", acled_csv(acled_row(event_id="M1", fatalities="5", timestamp="1700000000")))], store)
    expected = store.snapshot()
    store.dispose()
    # Rebuild the file as schema 1 wrote it: events keyed by (source, id), no row ids, no places.
    con = sqlite3.connect(path)
    columns = [r[1] for r in con.execute("PRAGMA table_info(events)") if r[1] != "row_id"]
    con.executescript(
        "DROP TABLE event_places; DROP TABLE unit_summary; DROP TABLE border_summary; DROP TABLE actor_summary;"
        "DROP TABLE place_sets; DROP TABLE jobs;"
        f"CREATE TABLE events_old AS SELECT {', '.join(columns)} FROM events; DROP TABLE events;"
        "ALTER TABLE events_old RENAME TO events;"
        "CREATE TABLE v_old AS SELECT * FROM event_versions; DROP TABLE event_versions;"
        "UPDATE meta SET value = '1' WHERE key = 'schema_version'; DELETE FROM meta WHERE key = 'next_row_id';"
        "DROP TABLE alembic_version;"  # written before the migrations were Alembic's
    )
    version_columns = [r[1] for r in con.execute("PRAGMA table_info(v_old)") if r[1] != "row_id"]
    con.executescript(
        f"CREATE TABLE event_versions AS SELECT {', '.join(version_columns)} FROM v_old; DROP TABLE v_old;"
    )
    con.commit()
    con.close()
    migrated = Store(f"sqlite:///{path}")
    pd.testing.assert_frame_equal(expected["events"], migrated.snapshot()["events"], check_dtype=False)
    table = aggregate_store(migrated, load_boundary_set("natural-earth"), include_empty=False)
    assert int(table["events"].sum()) == 2 and int(table["fatalities"].sum()) == 5 + 9
    rollback_batch(migrated, second.batch_id)  # a version archived before row ids existed is restored too
    assert sorted(migrated.snapshot()["events"]["fatalities"]) == [3, 9]
    assert_derived_exact(migrated)


def test_no_page_and_no_figure_command_loads_every_event(monkeypatch, tmp_path, write, navigation_only):
    """Store.load_events (every event into pandas) is never called to draw a page or answer aggregate / borders."""
    from helpers import REPO
    from streamlit.testing.v1 import AppTest

    from geo.cli import main

    def refuse(*args, **kwargs):
        raise AssertionError("a view loaded every event")

    monkeypatch.setattr(Store, "load_events", refuse)
    db = tmp_path / "v.sqlite"
    monkeypatch.setenv("ATLAS_DB_URL", f"sqlite:///{db}")
    ingest_files([write("a.csv", acled_csv(acled_row(event_id="V1"), acled_row(event_id="V2", date="2019-05-01")))],
                 Store(f"sqlite:///{db}"))
    assert main(["aggregate", "--db", str(db), "--out", str(tmp_path / "a.csv")]) == 0
    assert main(["borders", "--db", str(db), "--out", str(tmp_path / "b.csv")]) == 0
    for figure in ("map", "trends", "borders"):  # the exports' tables come from the same view models as the pages
        assert main(["export", figure, "--db", str(db), "--years", "2019", "--out", str(tmp_path / f"{figure}.csv")]) == 0
    for page in ("pages/map.py", "pages/trends.py", "pages/borders.py", "pages/about.py", "pages/data.py"):
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.query_params["points"] = "1"
        at.run()
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])


@needs_real_data
def test_real_figures_hold_through_the_summary_and_the_events(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'real.sqlite'}")
    ingest_files([ACLED_REAL], store)
    ne = load_boundary_set("natural-earth")
    year = aggregate_store(store, ne, filters=Filters(date_from=date(2019, 1, 1), date_to=date(2019, 12, 31)))
    assert int(year["fatalities"].sum()) == 4825
    # Dates inside months are answered from the events: the same total for the same days.
    inside = aggregate_store(store, ne, filters=Filters(date_from=date(2018, 12, 31), date_to=date(2020, 1, 1)))
    events = store.load_events()
    kept = events[(events["event_date"] >= "2018-12-31") & (events["event_date"] <= "2020-01-01")]
    assert int(inside["fatalities"].sum()) == int(kept["fatalities"].sum())
    assert int(query.count_events(store, ensure_placement(store, ne, tolerance_m=5000), filters=Filters())) == len(events)
    assert places_table.name == "event_places"


def test_tri_zone_and_near_border_counts_from_the_summary_equal_the_events(sample_events, ne, geometry):
    from geo.borders import BORDERS, event_borders

    store = sample_store()
    set_id = ensure_placement(store, ne, tolerance_m=5000)
    located = event_borders(sample_events, place_events(sample_events, ne), geometry, tri_radius_km=100)
    counted = located["border"].isin(list(BORDERS))
    for radius in (100, 37):  # on the summary's 5-km buckets, and not (from the events)
        inside, total = query.tri_zone_share(store, set_id, filters=Filters(), radius_km=radius)
        assert total == int(counted.sum())
        assert inside == int((counted & (located["distance_km"].notna()) & (
            event_borders(sample_events, place_events(sample_events, ne), geometry, tri_radius_km=radius)["tri_border_zone"])).sum())
    exact = query.count_events(store, set_id, filters=Filters(), extra=(
        query.places_table.c.border.in_(list(BORDERS)), query.places_table.c.border_km <= 50))
    bound = query.near_border_count(store, set_id, filters=Filters(), max_km=50)
    assert exact == int((counted & (located["distance_km"] <= 50)).sum()) and exact <= bound <= int(
        (counted & (located["distance_km"] < 55)).sum())


def test_coarser_cells_sum_the_finer_ones_exactly(ne):
    store = sample_store()
    set_id = ensure_placement(store, ne, tolerance_m=5000)
    fine = query.binned_events(store, set_id, filters=Filters(), cell_deg=0.25, by_year=True)
    coarse = query.coarser_cells(fine, 0.25, 2)
    direct = query.binned_events(store, set_id, filters=Filters(), cell_deg=0.5, by_year=True)
    key = ["cx", "cy", "year"]
    pd.testing.assert_frame_equal(coarse.sort_values(key).reset_index(drop=True),
                                  direct.sort_values(key).reset_index(drop=True), check_dtype=False)


def test_a_schema_2_store_is_placed_again_for_the_summaries_added_since(tmp_path, write):
    import sqlite3

    path = tmp_path / "v2.sqlite"
    store = Store(f"sqlite:///{path}")
    ingest_files([write("a.csv", acled_csv(acled_row(event_id="W1"), acled_row(event_id="W2", lat="12.3", lon="-1.5",
                                                                                  country="Burkina Faso")))], store)
    expected = derived(store)
    store.dispose()
    con = sqlite3.connect(path)  # as schema 2 left it: no border or actor summary
    con.executescript("DROP TABLE border_summary; DROP TABLE actor_summary; UPDATE meta SET value = '2' WHERE key = 'schema_version';"
                      "DROP TABLE alembic_version;")
    con.commit()
    con.close()
    reopened = Store(f"sqlite:///{path}")
    assert set(reopened.place_sets()["status"]) == {"stale"}
    for name in reopened.place_sets()["name"]:
        ensure_placement(reopened, load_boundary_set(name), tolerance_m=5000)
    got = derived(reopened)
    for name in expected:
        pd.testing.assert_frame_equal(expected[name], got[name], check_dtype=False, obj=name)


def test_density_cells_and_bands_from_the_summary_equal_those_of_the_events(ne, monkeypatch):
    store = sample_store()
    set_id = ensure_placement(store, ne, tolerance_m=5000)
    options = {"filters": Filters(preset="political-violence"), "cell_deg": 0.25, "by_year": True, "bands": (10.0, 50.0, 100.0),
               "near_borders": True}
    from_summary = query.binned_events(store, set_id, **options)
    monkeypatch.setattr(query, "summary_covers", lambda *a, **k: False)  # the same question, answered from the events
    from_events = query.binned_events(store, set_id, **options)
    key = ["cx", "cy", "year", "band"]
    assert len(from_summary) > 100
    pd.testing.assert_frame_equal(from_summary.sort_values(key).reset_index(drop=True),
                                  from_events.sort_values(key).reset_index(drop=True), check_dtype=False)
