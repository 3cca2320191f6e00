"""A team on one PostgreSQL database: two app instances (two `streamlit run` servers) share one store; a
batch committed through one shows in the other on its next rerun, with no restart."""

from __future__ import annotations

import os
import uuid

import pytest
from browserlib import shot, wait_for_app
from conftest import start_app, stop_app
from helpers import acled_csv, acled_row

PASSWORD = "team-s3cret"
PG_URL = os.environ.get("ATLAS_TEST_PG_URL")

pytestmark = pytest.mark.skipif(not PG_URL, reason="no PostgreSQL server: set ATLAS_TEST_PG_URL (.ci/run starts one)")


@pytest.fixture
def team(tmp_path_factory):
    """Two servers with their own data homes on one PostgreSQL store (a schema of the test database)."""
    import sqlalchemy as sa

    from geo.auth import hash_password

    schema = f"atlas_team_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    url = f"{PG_URL}{'&' if '?' in PG_URL else '?'}options=-csearch_path%3D{schema}"
    env = {"ATLAS_DB_URL": url, "ATLAS_ANALYST_PASSWORD_HASH": hash_password(PASSWORD)}
    servers = [start_app(tmp_path_factory.mktemp(f"team-{name}"), env) for name in ("a", "b")]
    yield [server_url for _, server_url in servers]
    for proc, _ in servers:
        stop_app(proc)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    admin.dispose()


def test_a_batch_committed_through_one_instance_shows_in_the_other(browser, team, tmp_path):
    url_a, url_b = team
    assert url_a != url_b
    viewer = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    analyst = browser.new_context(viewport={"width": 1500, "height": 1000}).new_page()
    # Instance A: the store is empty, so the sample is shown.
    viewer.goto(url_a)
    wait_for_app(viewer)
    assert "Synthetic sample" in viewer.inner_text('[data-testid="stAlert"]')
    # Instance B: an analyst commits a batch.
    analyst.goto(url_b + "/data")
    wait_for_app(analyst)
    analyst.get_by_label("Your name (recorded with every change)").fill("Moussa")
    analyst.get_by_label("Analyst password").fill(PASSWORD)
    analyst.get_by_role("button", name="Log in as analyst").click()
    analyst.get_by_text("Logged in as analyst").wait_for(timeout=60_000)
    upload = tmp_path / "team_batch.csv"
    upload.write_text(acled_csv(acled_row(event_id="TEAM1", fatalities="12"), acled_row(event_id="TEAM2", date="2019-05-05")))
    analyst.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(upload))
    analyst.get_by_text("Check before storing").wait_for(timeout=60_000)
    wait_for_app(analyst)
    analyst.get_by_role("button", name="Commit 1 file(s) as one batch").click()
    analyst.get_by_text("Batch 1 stored").wait_for(timeout=60_000)
    # Instance A, next rerun (the reader moves the year slider): the real batch, not the sample.
    thumbs = viewer.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]')
    thumbs.first.focus()
    viewer.keyboard.press("ArrowLeft")
    viewer.wait_for_function(
        "() => !document.body.innerText.includes('Synthetic sample — not real events')", timeout=60_000
    )
    wait_for_app(viewer)
    assert "Source: ACLED, acleddata.com" in viewer.inner_text("body")  # the figures' source line names the data
    shot(viewer, "team_instance_a_after_commit_on_b")
    viewer.context.close()
    analyst.context.close()
