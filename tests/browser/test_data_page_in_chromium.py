"""The Data page in a real browser: an older vintage is warned about before the commit, the changed fields
of updated events are listed, a rollback shows its result in the history tab, where its button is (the selector
staying on the batch rolled back), and UCDP's web download is read, then refused for Commit when uploaded again
(nothing to write), in English and French, wide and narrow."""

from __future__ import annotations

import pandas as pd
import pytest
from browserlib import shot, wait_for_app
from conftest import start_app, stop_app
from helpers import acled_csv, acled_row, needs_real_data, ucdp_web_download

PASSWORD = "s3cret-browser"


@pytest.fixture(scope="module")
def data_app(tmp_path_factory):
    from geo.auth import hash_password
    from geo.ingest import ingest_files
    from geo.store import Store

    home = tmp_path_factory.mktemp("browser-data-home")
    stored = home / "stored_2020-09.csv"
    stored.write_text(acled_csv(
        acled_row(event_id="MLI9001", fatalities="5", timestamp="1600000000"),
        acled_row(event_id="MLI9002", fatalities="2", notes="Attack on a village", timestamp="1600000000"),
        acled_row(event_id="MLI9003", date="2019-06-10", timestamp="1650000000"),
    ))
    store = Store(f"sqlite:///{home / 'atlas.sqlite'}")
    ingest_files([stored], store)
    store.dispose()
    proc, url = start_app(home, {"ATLAS_ANALYST_PASSWORD_HASH": hash_password(PASSWORD)})
    yield url, home
    stop_app(proc)


def _log_in(page, url: str) -> None:
    page.goto(url + "/data")
    wait_for_app(page)
    page.get_by_label("Your name (recorded with every change)").fill("Aminata")
    page.get_by_label("Analyst password").fill(PASSWORD)
    page.get_by_role("button", name="Log in as analyst").click()
    page.get_by_text("Logged in as analyst").wait_for(timeout=60_000)


@pytest.fixture
def niamey_page(browser):
    """A page whose browser is in Niamey's time zone (UTC+1), to see times shown in the reader's zone."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, timezone_id="Africa/Niamey")
    yield context.new_page()
    context.close()


def test_an_older_upload_is_warned_and_a_rollback_reports_where_its_button_is(niamey_page, data_app, tmp_path):
    page = niamey_page
    url, home = data_app
    _log_in(page, url)
    older = tmp_path / "older_2020-01.csv"
    older.write_text(acled_csv(
        acled_row(event_id="MLI9001", fatalities="4", timestamp="1500000000"),  # an older revision
        acled_row(event_id="MLI9002", fatalities="7", notes="Attack on a village (edited)", timestamp="1600000000"),
        acled_row(event_id="MLI9009", timestamp="1500000000"),  # left out of the later vintage
    ))
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(older))
    page.get_by_text("Check before storing").wait_for(timeout=60_000)
    wait_for_app(page)
    alerts = page.locator('[data-testid="stAlertContentWarning"]').all_inner_texts()
    joined = " ".join(alerts)
    assert "older_2020-01.csv is older than what the store holds" in joined
    assert "events a later vintage left out" in joined and "hand edits" in joined
    changes = page.locator('[data-testid="stExpander"]').filter(has_text="What changes in the 1 updated event")
    assert changes.count() == 1
    changes.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=30_000)
    changes.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    shot(page, "data_vintage_warnings")
    page.locator('[data-testid="stAlertContentWarning"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(page, "data_vintage_warnings_top")

    page.get_by_role("button", name="Commit 1 file(s) as one batch").click()
    page.get_by_text("Batch 2 stored").wait_for(timeout=60_000)
    page.get_by_role("tab", name="Batch history").click()
    page.get_by_text("Yes, undo batch 2 (older_2020-01.csv)").wait_for(timeout=30_000)
    page.get_by_text("Yes, undo batch 2 (older_2020-01.csv)").click()
    page.get_by_role("button", name="Roll back batch 2").click()
    message = page.get_by_text("Batch 2 (older_2020-01.csv) rolled back")
    message.wait_for(timeout=60_000)
    wait_for_app(page)
    # The result is shown in the history tab, where the button was, which is still the tab shown.
    assert page.get_by_role("tab", name="Batch history").get_attribute("aria-selected") == "true"
    assert message.is_visible()
    # The selector stays on the batch rolled back: no other batch's confirmation is ready under the message.
    panel = page.locator('[data-testid="stTabPanel"]:visible')  # the history tab, still the one shown
    chosen = panel.locator('[data-testid="stSelectbox"] input').input_value()
    assert chosen.startswith("Batch 2 · older_2020-01.csv · rolled back"), chosen
    assert panel.locator('[data-testid="stCheckbox"]').filter(has_text="Yes, undo batch").count() == 0
    assert panel.get_by_role("button", name="Roll back batch").count() == 0
    shot(page, "data_rollback_result")
    # Batch 1 is one choice away, its confirmation not ticked.
    panel.locator('[data-testid="stSelectbox"]').click()
    page.get_by_role("option", name="Batch 1 · stored_2020-09.csv").click()
    wait_for_app(page)
    confirm = panel.locator('[data-testid="stCheckbox"]').filter(has_text="Yes, undo batch 1")
    confirm.wait_for(timeout=30_000)
    assert confirm.locator("input").is_checked() is False
    assert panel.get_by_role("button", name="Roll back batch 1").is_disabled()
    chosen = panel.locator('[data-testid="stSelectbox"] input').input_value()
    # The history shows the reader's local time (Niamey, UTC+1), with the zone named.
    from geo.store import Store

    created_utc = pd.Timestamp(Store(f"sqlite:///{home / 'atlas.sqlite'}").batch(1)["created_at"])
    local = (created_utc + pd.Timedelta(hours=1)).strftime("%d %b %Y, %H:%M")
    assert chosen.endswith(local), (chosen, local)


UCDP_FILE = "ged241-csv-burkina-faso.csv"


def _upload(page, path) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(path))


@needs_real_data
@pytest.mark.parametrize(("lang", "width", "height"), [("en", 1440, 900), ("fr", 1440, 900), ("en", 390, 844), ("fr", 390, 844)])
def test_ucdps_web_download_is_read_and_an_all_duplicate_file_cannot_be_committed(browser, tmp_path_factory, lang, width, height):
    """Issue 18 §1 and §5: the web download's 1,504 rows read (one refused, with its line), then the same file again:
    nothing to write, so Commit is disabled and says why; in English and in French, on a wide and a phone screen."""
    from geo.auth import hash_password

    home = tmp_path_factory.mktemp(f"browser-ucdp-{lang}-{width}")
    proc, url = start_app(home, {"ATLAS_ANALYST_PASSWORD_HASH": hash_password(PASSWORD)})
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        path = ucdp_web_download(1504, home / UCDP_FILE, extra={700: "432"})
        page.goto(url + "/data" + ("?lang=fr" if lang == "fr" else ""))
        wait_for_app(page)
        words = FRENCH_WORDS if lang == "fr" else ENGLISH_WORDS
        page.get_by_label(words["name"]).fill("Aminata")
        page.get_by_label(words["password"]).fill(PASSWORD)
        page.get_by_role("button", name=words["log_in"]).click()
        page.get_by_text(words["logged_in"]).wait_for(timeout=60_000)
        _upload(page, path)
        page.get_by_text(words["check"]).wait_for(timeout=120_000)
        wait_for_app(page)
        body = page.locator('[data-testid="stMain"]').inner_text()
        assert words["rows"] in body and words["layout"] in body, body[:3000]
        commit = page.get_by_role("button", name=words["commit"])
        assert commit.is_enabled()
        page.get_by_text(words["layout"]).first.scroll_into_view_if_needed()
        page.wait_for_timeout(600)
        shot(page, f"data_ucdp_web_{lang}_{width}")
        commit.click()
        page.get_by_text(words["stored"]).wait_for(timeout=120_000)
        wait_for_app(page)
        _upload(page, path)  # the same file again
        page.get_by_text(words["nothing"]).wait_for(timeout=120_000)
        wait_for_app(page)
        assert page.get_by_role("button", name=words["commit"]).is_disabled()
        reason = page.locator('[data-testid="stAlertContentInfo"]').filter(has_text=words["nothing"])
        reason.scroll_into_view_if_needed()
        page.wait_for_timeout(600)
        shot(page, f"data_ucdp_nothing_to_commit_{lang}_{width}")
        page.get_by_text(words["rejected"]).evaluate("e => e.scrollIntoView({block: 'start'})")  # the rejected row
        page.wait_for_timeout(600)
        shot(page, f"data_ucdp_rejected_{lang}_{width}")
        assert not page.locator('[data-testid="stException"]').count()
    finally:
        context.close()
        stop_app(proc)


NNBSP = "\u202f"
ENGLISH_WORDS = {
    "name": "Your name (recorded with every change)", "password": "Analyst password", "log_in": "Log in as analyst",
    "logged_in": "Logged in as analyst", "check": "Check before storing", "rows": "1,504 rows read",
    "layout": "UCDP GED layout: web download", "commit": "Commit 1 file(s) as one batch", "stored": "Batch 1 stored",
    "nothing": "Nothing to commit: of the 1,504 rows read, already in the store (duplicates): 1,503; rejected: 1.",
    "rejected": "Rejected rows (1)",
}


FRENCH_WORDS = {
    "name": "Votre nom (enregistré avec chaque modification)", "password": "Mot de passe analyste",
    "log_in": "Se connecter comme analyste", "logged_in": "Connecté comme analyste", "check": "Vérifier avant d'enregistrer",
    "commit": "Enregistrer 1 fichier(s) en un seul lot", "rows": f"1{NNBSP}504 lignes lues", "layout": "disposition UCDP GED : téléchargement du site web",
    "nothing": f"Rien à enregistrer : sur les 1{NNBSP}504 lignes lues, déjà dans la base (doublons) : 1{NNBSP}503",
    "stored": "Lot 1 enregistré", "rejected": "Lignes rejetées (1)",
}


def test_a_file_of_unknown_layout_is_explained_with_the_mapping_editor(page, data_app, tmp_path):
    url, _ = data_app
    _log_in(page, url)
    mine = tmp_path / "field_reports.csv"
    mine.write_text("Date,Lat,Lon,Killed,Commune,Reporter\n2019-03-23,14.25,-3.63,5,Bankass,A\n")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(str(mine))
    error = page.locator('[data-testid="stAlertContentError"]').filter(has_text="field_reports.csv")
    error.wait_for(timeout=60_000)
    wait_for_app(page)
    text = error.inner_text()
    assert "Recognised from the column names" in text and "event_date ← “Date”" in text and "mapping editor below" in text
    assert "--map" not in text and "--mapping" not in text
    assert page.get_by_text("Column mapping for field_reports.csv").is_visible()
    error.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shot(page, "data_unknown_layout")
