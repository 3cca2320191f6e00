"""Hostile files dropped on the Data page in a real browser: each gets its answer as a message on the
page (a refusal naming the file, or rejected rows with their reasons), never a Streamlit exception."""

from __future__ import annotations

import pytest
from browserlib import shot, wait_for_app
from conftest import start_app, stop_app
from helpers import ACLED_CURRENT_HEADER, acled_csv, acled_row


@pytest.fixture(scope="module")
def analyst_app_url(tmp_path_factory, chromium_browser):
    from geo.auth import hash_password

    proc, url = start_app(tmp_path_factory.mktemp("upload-home"), {"ATLAS_ANALYST_PASSWORD_HASH": hash_password("s3cret")})
    yield url
    stop_app(proc)


def test_bad_files_dropped_on_the_data_page_are_answered_as_messages(page, analyst_app_url, tmp_path):
    files = {
        "random.csv": bytes((i * 7919 + 13) % 256 for i in range(3000)),
        "cut.csv": ACLED_CURRENT_HEADER[:50].encode(),
        "huge.csv": acled_csv(acled_row(event_id="B1", fatalities="1e19"), acled_row(event_id="B2")).encode() + b"\xff",
    }
    paths = []
    for name, content in files.items():
        path = tmp_path / name
        path.write_bytes(content)
        paths.append(str(path))
    page.goto(analyst_app_url + "/data")
    wait_for_app(page)
    page.get_by_label("Your name (recorded with every change)").fill("Fuzz")
    page.get_by_label("Analyst password").fill("s3cret")
    page.get_by_role("button", name="Log in as analyst").click()
    page.wait_for_selector("text=Logged in as analyst", timeout=60_000)
    page.locator('[data-testid="stFileUploader"] input[type="file"][multiple]').first.set_input_files(paths)
    page.wait_for_selector("text=Check before storing", timeout=120_000)
    wait_for_app(page)
    text = page.inner_text('[data-testid="stMain"]')
    shot(page, "data_page_bad_uploads")
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "random.csv was refused" in text and "binary" in text
    assert "cut.csv was refused" in text and "cut off" in text
    assert "2 rows read" not in text and "3 rows read" in text  # huge.csv: two rows and the 0xFF line
    assert "not UTF-8" in text  # the note on the appended byte
    page.get_by_text("Rejected rows (2)").scroll_into_view_if_needed()
    shot(page, "data_page_bad_uploads_rejected")
