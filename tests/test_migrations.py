"""Schema migrations (Alembic, geo/store/migrations): a store of every earlier schema version, as the code of its time
wrote it (tests/fixtures/stores/, built by scripts/make_store_fixtures.py from git history), opened by today's code on
SQLite and PostgreSQL, finds the same figures as a store built today from the same files."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from helpers import BACKENDS, REPO, new_store_url

from geo.aggregate import aggregate_store
from geo.boundaries import list_boundary_sets
from geo.cli import main
from geo.errors import StoreError
from geo.ingest import ingest_files, prepare_batch, preview, rollback_batch
from geo.places import ensure_placement
from geo.store import SCHEMA_VERSION, Store, metadata
from geo.store.migrate import HEAD, REVISIONS, alembic_config, head, revisions

FIXTURES = REPO / "tests" / "fixtures" / "stores"
VERSIONS = sorted(REVISIONS)


def _fixture_script():
    spec = importlib.util.spec_from_file_location("make_store_fixtures", REPO / "scripts" / "make_store_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_sql(url: str, path: Path) -> None:
    """Run a fixture's statements (one per ``;`` at a line's end) in the empty database at `url`."""
    text = "\n".join(line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("--"))
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for statement in text.split(";\n"):
            if statement.strip():
                conn.exec_driver_sql(statement)
    engine.dispose()


def schema_differences(store: Store) -> list:
    """What differs between the store's tables and today's (Alembic's autogenerate comparison)."""
    with store.engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn), metadata)


def figures(store: Store) -> dict[str, pd.DataFrame]:
    """What the views read: every event and earlier version, the batches, and the aggregate of every boundary set
    (placing the events first where a place set is stale)."""
    snapshot = store.snapshot()
    batches = store.batches()[["batch_id", "kind", "status", "format", "rows_read", "new", "updated", "duplicates", "rejected",
                               "outside_area", "deleted", "file_names"]]
    out = {"events": snapshot["events"], "event_versions": snapshot["event_versions"].drop(columns="superseded_by"),
           "batches": batches}
    with store.engine.connect() as conn:  # each ingest batch's vintage (schema 7; its absent columns: see below)
        rows = conn.execute(sa.text("SELECT batch_id, source_dataset, vintage, vintage_from FROM batch_vintages "
                                    "ORDER BY batch_id, source_dataset")).mappings().all()
        out["batch_vintages"] = pd.DataFrame([dict(r) for r in rows])
    with store.engine.connect() as conn:  # ACLED's aggregates per unit and month, and the unit-months later tables replaced
        for table, order in (("aggregate_rows", "country_iso3, indicator, unit_id, month"),
                             ("aggregate_versions", "version_id"), ("aggregate_units", "country_iso3, indicator, unit_id")):
            rows = conn.execute(sa.text(f"SELECT * FROM {table} ORDER BY {order}")).mappings().all()
            out[table] = pd.DataFrame([dict(r) for r in rows])
    for boundary_set in list_boundary_sets():
        ensure_placement(store, boundary_set, tolerance_m=5000)
        for level in boundary_set.levels:
            table = aggregate_store(store, boundary_set, level=level, period="year", include_empty=False, ranges=True)
            out[f"{boundary_set.name}/{level}"] = table.sort_values(["source", "unit_code", "period"]).reset_index(drop=True)
    return out


def assert_same(got: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert set(got) == set(expected)
    for name in expected:
        pd.testing.assert_frame_equal(got[name].reset_index(drop=True), expected[name].reset_index(drop=True),
                                      check_dtype=False, obj=name)


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    """The synthetic batches of a schema version's fixture."""
    script = _fixture_script()
    return lambda version: script.inputs(tmp_path_factory.mktemp("fixture-inputs"), version)


@pytest.fixture(params=BACKENDS)
def empty_url(request, tmp_path):
    url, drop = new_store_url(request.param, tmp_path)
    yield request.param, url
    drop()


def fresh_store(tmp_path: Path, inputs: list[Path]) -> Store:
    """The same three batches stored today (SQLite: the figures do not depend on the backend, the test of which is
    the migrated store's)."""
    store = Store(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    for path in inputs:
        ingest_files([path], store)
    return store


def test_the_head_is_the_last_revision_and_every_schema_version_has_one():
    assert revisions() == sorted(REVISIONS.values()) and revisions()[-1] == HEAD == head()


def test_the_fixtures_are_those_the_script_writes():
    """One file per earlier schema version and backend, each saying which commit's code wrote it."""
    script = _fixture_script()
    assert [v for v, _, _ in script.VERSIONS] == VERSIONS
    for version, commit, _ in script.VERSIONS:
        for backend in BACKENDS:
            first = (FIXTURES / f"schema_{version}.{backend}.sql").read_text(encoding="utf-8").splitlines()[0]
            assert f"schema {version}" in first and commit in first and backend in first


@pytest.mark.parametrize("version", VERSIONS)
def test_a_store_of_every_earlier_schema_finds_the_same_figures(version, empty_url, inputs, tmp_path):
    backend, url = empty_url
    script = _fixture_script()
    load_sql(url, FIXTURES / f"schema_{version}.{backend}.sql")
    store = Store(url)  # the migrations run on open
    assert store.upgraded == (REVISIONS[version], head())
    assert schema_differences(store) == []
    with store.engine.connect() as conn:
        meta = dict(conn.execute(sa.text("SELECT key, value FROM meta")).all())
    assert meta["schema_version"] == str(SCHEMA_VERSION) and int(meta["next_row_id"]) > 62
    expected = fresh_store(tmp_path, inputs(version))
    assert_same(figures(store), figures(expected))
    # The ranges (schema 8): the areas of the events stored before are computed when the set is next used (above) and
    # give the ranges a fresh store gives; some have a width (the fixtures' locations are of every precision).
    ranged = [table for name, table in figures(store).items() if "/" in name]
    assert any((table["events_max"] > table["events"]).any() for table in ranged)
    assert any((table["events_min"] < table["events"]).any() for table in ranged)
    # UCDP events typed by their side A (schema 5): stored before as untyped, now as today's reader types them.
    ucdp = store.snapshot()["events"].query("source_dataset == 'ucdp'")
    government = ucdp["actor1"].str.startswith("Government of")
    assert government.any() and (~government).any()
    assert ((ucdp["actor1_type"] == "State forces") == government).all()
    if int(version) >= script.AGGREGATES_FROM:  # the aggregates are in the figures compared, not only stored
        got = figures(store)
        assert len(got["aggregate_rows"]) == 96 - 12 + 6 and len(got["aggregate_versions"]) == 12 + 12
        assert all((got[name]["source"] == "acled-hdx").any() for name in got if "/" in name)
    # Issue 18's vintages (revision 0007): each ingest batch's vintage is the one a fresh store records at commit (in
    # the figures above); a batch stored before says it lacks only columns none of its current events has a value in
    # (its files are gone), one stored from schema 7 on exactly the columns its files lacked. Either way the same
    # files offered again are counted as on the fresh store.
    with store.engine.connect() as conn:
        absent = pd.read_sql(sa.text("SELECT batch_id, source_dataset, absent_columns FROM batch_vintages"), conn)
    with expected.engine.connect() as conn:
        fresh = pd.read_sql(sa.text("SELECT batch_id, source_dataset, absent_columns FROM batch_vintages"), conn)
    assert len(absent) == 3 and set(absent["source_dataset"]) == {"acled", "ucdp"}
    if int(version) >= 7:
        pd.testing.assert_frame_equal(absent.sort_values("batch_id", ignore_index=True), fresh.sort_values("batch_id", ignore_index=True))
    events = store.snapshot()["events"]
    for row in absent.itertuples():
        mine = events[(events["batch_id"] == row.batch_id) & (events["source_dataset"] == row.source_dataset)]
        for column in filter(None, row.absent_columns.split(",")):
            assert (mine[column].isna() | (mine[column].astype(str) == "")).all(), (row.batch_id, column)
    for path in inputs(version)[:3]:
        again, anew = (preview(prepare_batch([path]), opened).as_json() for opened in (store, expected))
        keys = ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area", "older_vintage")
        assert {k: again[k] for k in keys} == {k: anew[k] for k in keys}, path.name
    # The history survives: rolling the revision batch back restores the first export's events in both; from schema
    # 6 on, rolling the later aggregate table back restores the unit-months it revised and removed.
    rollback_batch(store, 2)
    rollback_batch(expected, 2)
    assert_same(figures(store), figures(expected))
    if int(version) >= script.AGGREGATES_FROM:
        rollback_batch(store, 5)
        rollback_batch(expected, 5)
        got = figures(store)
        assert len(got["aggregate_rows"]) == 96 and got["aggregate_versions"].empty
        assert_same(got, figures(expected))
    # A second open changes nothing.
    again = Store(url)
    assert again.upgraded is None
    for opened in (store, expected, again):
        opened.dispose()


def test_a_store_stamped_by_alembic_at_the_revision_before_is_upgraded(empty_url, inputs, tmp_path):
    """A store an atlas with Alembic left at the revision before the head (its `alembic_version` written, as every
    store opened since issue 23 has it) runs only the revisions after it, and finds the same figures."""
    backend, url = empty_url
    before = revisions()[-2]
    version = next(v for v, r in REVISIONS.items() if r == before)
    load_sql(url, FIXTURES / f"schema_{version}.{backend}.sql")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        command.stamp(alembic_config(conn), before)
    engine.dispose()
    store = Store(url)
    assert store.upgraded == (before, head())
    assert schema_differences(store) == []
    expected = fresh_store(tmp_path, inputs(version))
    assert_same(figures(store), figures(expected))
    for opened in (store, expected):
        opened.dispose()


def test_a_store_that_lacks_the_tables_of_its_recorded_schema_is_refused_and_left_as_it_was(empty_url):
    """A development build numbered its schema otherwise (issue 18's branch wrote batch_vintages as schema 6, before
    ACLED's aggregates took that number): its store, read as schema 6, would be upgraded without the aggregates'
    tables. It is refused with what it lacks, and nothing is changed."""
    backend, url = empty_url
    load_sql(url, FIXTURES / f"schema_6.{backend}.sql")
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        for table in ("aggregate_rows", "aggregate_versions", "aggregate_units"):
            conn.execute(sa.text(f"DROP TABLE {table}"))
    with pytest.raises(StoreError, match=r"schema revision 0006 lacks the table\(s\) aggregate_rows, aggregate_units, "
                                         r"aggregate_versions after its upgrade"):
        Store(url)
    with engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
        assert "batch_vintages" not in names and "alembic_version" not in names
        assert conn.execute(sa.text("SELECT value FROM meta WHERE key = 'schema_version'")).scalar() == "6"
    engine.dispose()


def test_the_revisions_from_an_empty_database_make_todays_schema(empty_url):
    """Running every revision from the first makes exactly the tables a new store gets from geo.store.tables."""
    backend, url = empty_url
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        meta = dict(conn.execute(sa.text("SELECT key, value FROM meta")).all())
        assert meta == {"schema_version": str(SCHEMA_VERSION), "data_version": "0", "next_row_id": "1"}
        assert conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar() == head()
    engine.dispose()
    store = Store(url)
    assert store.upgraded is None and store.count_events() == 0
    store.dispose()


def test_a_store_of_a_newer_atlas_is_refused_with_a_reason(empty_url):
    _, url = empty_url
    Store(url).dispose()
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    with pytest.raises(StoreError, match="revision 0099, which this version of the atlas does not know"):
        Store(url)


def test_db_upgrade_and_current_on_the_command_line(tmp_path, capsys):
    db = tmp_path / "old.sqlite"
    load_sql(f"sqlite:///{db}", FIXTURES / "schema_3.sqlite.sql")
    assert main(["db", "current", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"url": f"sqlite:///{db}", "revision": "0003", "head": head(),
                                                    "up_to_date": False}
    assert main(["db", "upgrade", "--db", str(db)]) == 0
    assert capsys.readouterr().out.strip() == f"sqlite:///{db}: upgraded from schema revision 0003 to {head()}"
    assert main(["db", "upgrade", "--db", str(db), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"url": f"sqlite:///{db}", "before": head(), "revision": head(),
                                                    "upgraded": False}
    assert main(["db", "current", "--db", str(tmp_path / "none.sqlite")]) == 0
    assert "no store yet" in capsys.readouterr().out and not (tmp_path / "none.sqlite").exists()
