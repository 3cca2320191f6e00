"""Every sentence the pipeline says about a file (rejection reasons, reading notes, vintage warnings, the kind of a
change) is one of `geo.messages`' templates: that is how the Data page says it in the page's language (issue 18 §5).
Checked on the hostile files of the fuzz generator and on the real-file scenarios of issue 18."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import timedelta

import pandas as pd
import pytest
from fuzz_files import FuzzCase, RealRows, fuzz_cases, make_store
from helpers import ACLED_REAL, acled_csv, acled_row, needs_real_data
from hypothesis import HealthCheck, given, settings

from geo.cli import main
from geo.messages import MESSAGES, parse, recognised, say

REAL_ROWS = RealRows.load()


def _sentences(report: dict) -> list[str]:
    """Every sentence of an `ingest --json` report that the Data page shows."""
    out = [r["reason"] for r in report["rejections"]] + list(report["notes"])
    out += [w["message"] for w in report["warnings"]] + [c["kind"] for c in report["changes"]]
    out += [f["layout"] for f in report["files"] if f["layout"]] + [f["delimiter"] for f in report["files"]]
    return out


def _dry_run(path, db, *argv: str) -> dict | None:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["ingest", str(path), "--db", str(db), "--json", "--dry-run", *argv])
    return json.loads(out.getvalue()) if code == 0 else None


def test_say_and_parse_are_inverse_for_every_template():
    for key, template in MESSAGES.items():
        values = {}
        for _, name, spec, _ in __import__("string").Formatter().parse(template):
            if name:
                values[name] = 1234 if spec in (",", "d") else f"<{name}>"
        text = say(key, **values)
        (segment,) = parse(text)
        assert segment.key == key or MESSAGES[segment.key] == template, (key, segment.key)


def test_reasons_joined_in_one_row_are_told_apart():
    text = "latitude missing; fatalities 1e19 is above 1,000,000, the most one event may count; check the value; " \
           "date '2019-02-30' is not a valid calendar date"
    assert [s.key for s in parse(text)] == ["reason.missing", "reason.too_many", "reason.date_invalid"]
    assert [s.key for s in parse("notes 'a; b' is not a number")] == ["reason.not_number"]
    assert not recognised("latitude missing; something else")


@settings(max_examples=60, derandomize=True, database=None, deadline=timedelta(seconds=30), print_blob=False,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=fuzz_cases(REAL_ROWS, max_rows=6))
def test_every_sentence_about_a_fuzzed_file_is_a_template(tmp_path_factory, case: FuzzCase):
    folder = tmp_path_factory.mktemp("messages")
    store = make_store(folder)
    store.dispose()
    path = folder / case.file_name
    path.write_bytes(case.content)
    report = _dry_run(path, folder / "fuzz.sqlite", *case.argv)
    if report is None:  # refused whole (one line on stderr: not a sentence of the Data page's report)
        return
    unknown = [s for s in _sentences(report) if not recognised(s)]
    assert not unknown, unknown


def test_the_sentences_of_updates_hand_edits_and_deletions_are_templates(tmp_path):
    db = tmp_path / "s.sqlite"
    first = tmp_path / "v1.csv"
    first.write_text(acled_csv(acled_row(event_id="M1"), acled_row(event_id="M2"), acled_row(event_id="M3")))
    assert main(["ingest", str(first), "--db", str(db)]) == 0
    deleted = tmp_path / "deleted.csv"
    deleted.write_text("event_id_cnty\nM3\n")
    assert main(["deletions", str(deleted), "--db", str(db)]) == 0
    second = tmp_path / "v2.csv"
    second.write_text(acled_csv(acled_row(event_id="M1", fatalities="9"),  # a hand edit
                                acled_row(event_id="M2", fatalities="4", timestamp="1700000000"),  # a revision
                                acled_row(event_id="M3"),  # brought back after its deletion
                                acled_row(event_id="M2", fatalities="5"), acled_row(event_id="M1", fatalities="9")))
    report = _dry_run(second, db)
    kinds = {w["kind"] for w in report["warnings"]}
    assert {"hand_edits", "restores_deleted"} <= kinds and {c["kind"] for c in report["changes"]} >= {
        "hand edit (same timestamp)", "ACLED revision (newer timestamp)"}
    assert report["rejected"] == 1 and report["duplicates"] == 1
    unknown = [s for s in _sentences(report) if not recognised(s)]
    assert not unknown, unknown


@needs_real_data
def test_the_sentences_of_issue_18s_files_are_templates(tmp_path):
    from helpers import ucdp_web_download
    from vintage_scenario import build_niger_pulls

    s = build_niger_pulls(ACLED_REAL, tmp_path)
    db = tmp_path / "s.sqlite"
    seen: list[str] = []
    for path in (s.april, s.may):
        seen += _sentences(_dry_run(path, db))
        assert main(["ingest", str(path), "--db", str(db)]) == 0
    july = _dry_run(s.july_2019, db)
    assert {w["kind"] for w in july["warnings"]} == {"older_vintage", "restores_dropped"}
    again = pd.read_csv(s.may, dtype=str, keep_default_na=False)
    again.loc[3, "fatalities"] = "99"
    again.to_csv(tmp_path / "again.csv", index=False)
    undecided = _dry_run(tmp_path / "again.csv", db)
    assert [w["kind"] for w in undecided["warnings"]] == ["vintage_unknown"]
    web = _dry_run(ucdp_web_download(30, tmp_path / "web.csv", extra={4: "x"}), db)
    seen += _sentences(july) + _sentences(undecided) + _sentences(web)
    assert any("lacks the column(s)" in n for n in seen) and any("UCDP GED layout" in n for n in seen)
    unknown = [text for text in seen if not recognised(text)]
    assert not unknown, unknown


@pytest.mark.parametrize("text", ["the pipeline says something new", "latitude missing; and something new"])
def test_a_sentence_that_is_no_template_is_said_to_be_none(text):
    assert not recognised(text)
