"""Every file gets an answer: hostile files through `python -m geo ingest --json` never crash the reader,
never print a traceback and never store a value that would corrupt a figure.

- the cases of issue 13, each with the answer it must get;
- a property-based test (hypothesis, seeded and bounded) over files of every reader's layout with
  mutations (tests/fuzz_files.py says which, and what the contract is); the long run of the same
  generator is bench/fuzz_ingest.py;
- a few of the files through a real `python -m geo ingest` process;
- the upload path of the Data page (geo.uploads) gives the same answers, and the page shows them as
  messages, never as an exception.
"""

from __future__ import annotations

import codecs
import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest
from fuzz_files import (
    ACLED_CURRENT,
    UCDP_GED,
    FuzzCase,
    RealRows,
    check_ingest,
    fuzz_cases,
    make_store,
    run_ingest,
    stored_value_problems,
)
from helpers import REPO, acled_csv, acled_row, needs_real_data
from hypothesis import HealthCheck, given, settings

from geo.readers import MAX_FATALITIES

#: Seeded and bounded: the same examples on every run, a few seconds each at most.
settings.register_profile(
    "atlas-fuzz",
    max_examples=int(os.environ.get("ATLAS_FUZZ_EXAMPLES", "80")),
    derandomize=True,
    database=None,  # nothing written into the working tree
    deadline=timedelta(seconds=30),  # a pathological slowdown fails; CI's 2 shared cores make less flaky
    print_blob=False,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
FUZZ = settings.get_profile("atlas-fuzz")
REAL_ROWS = RealRows.load()


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    """A store holding one good batch, shared by the examples (each rolls its own batch back)."""
    store = make_store(tmp_path_factory.mktemp("fuzz"))
    yield store
    store.dispose()


def _ucdp_row(**values: str) -> str:
    row = {
        "id": "1", "year": "2019", "type_of_violence": "1", "side_a": "A", "side_b": "B", "where_prec": "1",
        "latitude": "14.2", "longitude": "-3.6", "country": "Mali", "country_id": "432", "date_start": "2019-01-01",
        "date_end": "2019-01-01", "best": "3", "low": "2", "high": "5",
    }
    row.update(values)
    return ",".join(row.get(c, "") for c in UCDP_GED)


def _ucdp_csv(*rows: str) -> str:
    return ",".join(UCDP_GED) + "\n" + "\n".join(rows) + "\n"


def _ingest(case: FuzzCase, store):
    """The case through the CLI, the contract checked; the outcome."""
    return check_ingest(case, store)


def _reasons(outcome) -> dict[int, str]:
    return {r["line"]: r["reason"] for r in outcome.report["rejections"]}


# ------------------------------------------------------------------------------------ the cases


def test_old_mac_line_ends_are_read_with_true_line_numbers(fuzz_store):
    text = acled_csv(acled_row(event_id="M1"), acled_row(event_id="M2", notes="two\nlines"), acled_row(event_id="M3", fatalities="x"))
    outcome = _ingest(FuzzCase("CR only", text.replace("\n", "\r").encode()), fuzz_store)
    assert outcome.exit_code == 0
    assert (outcome.report["rows_read"], outcome.report["new"], outcome.report["rejected"]) == (3, 2, 1)
    assert list(_reasons(outcome)) == [5]  # line 3 holds a quoted line break


def test_dates_of_mixed_forms_in_one_column_all_parse(fuzz_store):
    rows = [acled_row(event_id=f"T{i}", date=d, year=d[:4]) for i, d in enumerate(
        ["2019-01-01T12:00:00Z", "2019-06-15T00:00:00", "2019-06-16T23:30:00-05:00", "2019-06-17", "2019-06-18 00:00:00"])]
    outcome = _ingest(FuzzCase("mixed time zones", acled_csv(*rows).encode()), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["new"] == 5, outcome.report


@pytest.mark.parametrize("value", ["1e19", "1e30", "99999999999999999999", "9223372036854775808", str(MAX_FATALITIES + 1)])
def test_ucdp_estimates_out_of_range_reject_their_rows(fuzz_store, value):
    text = _ucdp_csv(_ucdp_row(id="1", high=value), _ucdp_row(id="2", low=value), _ucdp_row(id="3", best=value), _ucdp_row(id="4"))
    outcome = _ingest(FuzzCase(f"UCDP {value}", text.encode()), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["new"] == 1
    reasons = _reasons(outcome)
    assert sorted(reasons) == [2, 3, 4]
    assert all(f"above {MAX_FATALITIES:,}" in r for r in reasons.values()), reasons


@pytest.mark.parametrize("value", ["1e19", "1e30", "9223372036854775808", str(MAX_FATALITIES + 1)])
def test_acled_fatalities_out_of_range_are_rejected_never_stored(fuzz_store, value):
    text = acled_csv(acled_row(event_id="F1", fatalities=value), acled_row(event_id="F2", fatalities="4"))
    outcome = _ingest(FuzzCase(f"fatalities {value}", text.encode()), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["new"] == 1
    assert f"fatalities {value} is above {MAX_FATALITIES:,}" in _reasons(outcome)[2]


def test_the_bound_itself_is_accepted(tmp_path, store):
    from geo.ingest import ingest_files

    path = tmp_path / "big.csv"
    path.write_text(acled_csv(acled_row(event_id="B1", fatalities=str(MAX_FATALITIES))))
    assert ingest_files([path], store).counts.new == 1
    assert not stored_value_problems(store.snapshot()["events"])


def test_a_byte_appended_gets_a_note_with_its_line_and_no_traceback(fuzz_store):
    text = acled_csv(acled_row(event_id="X1"), acled_row(event_id="X2"))
    outcome = _ingest(FuzzCase("0xFF appended", text.encode() + b"\xff"), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["new"] == 2
    assert "fields" in _reasons(outcome)[4]
    notes = " ".join(outcome.report["notes"])
    assert "not UTF-8" in notes and "0xFF on line 4" in notes and "Windows-1252" in notes


def test_one_bad_byte_in_a_utf8_file_is_replaced_and_said_the_rest_stays_utf8(fuzz_store):
    text = acled_csv(acled_row(event_id="U1", location="Ségou"), acled_row(event_id="U2", notes="bad BYTE here"))
    outcome = _ingest(FuzzCase("one bad byte", text.encode().replace(b"BYTE", b"\xff")), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["new"] == 2
    assert outcome.report["files"][0]["encoding"] == "utf-8"
    notes = " ".join(outcome.report["notes"])
    assert "1 byte(s) are not valid UTF-8 (byte 0xFF on line 3)" in notes


def test_a_header_and_a_lone_quote_is_a_rejected_row_not_the_sample(fuzz_store):
    outcome = _ingest(FuzzCase("lone quote", (",".join(ACLED_CURRENT) + '\n"').encode()), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["rejected"] == 1
    assert "quote" in _reasons(outcome)[2]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-16", "utf-32", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_with_or_without_a_byte_order_mark_are_read(fuzz_store, encoding):
    text = acled_csv(acled_row(event_id="W1", location="Tillabéri"), acled_row(event_id="W2"))
    outcome = _ingest(FuzzCase(encoding, text.encode(encoding)), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["new"] == 2, outcome.stderr
    assert "UTF-" in " ".join(outcome.report["notes"])


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (",".join(ACLED_CURRENT)[:70].encode(), "single line without a line break"),
        (b"a,b\n#x,#y", "header but no data rows"),
        ((",".join(ACLED_CURRENT) + "\n").encode(), "header but no data rows"),
        (b'"a,b\n1,2\n', "never ends"),
        (bytes(range(128, 256)) * 20, "binary"),
        (bytes((i * 7919 + 13) % 256 for i in range(3000)), "binary"),
        (b"\x00\x01\x02garbage" * 100, "binary"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b'Date,Lat",Lon\n2019-01-01,14,-3\n', "stray quote"),
        ("événement;lieu\n".encode("utf-32-le")[:-3], "single line without a line break"),
    ],
    ids=["header cut mid-row", "header and HXL row", "header only", "unclosed quote in the header", "high bytes",
         "random bytes", "control bytes", "png", "stray quote in the header", "cut utf-32"],
)
def test_unreadable_files_are_refused_with_one_clear_printable_line(fuzz_store, content, expected):
    outcome = _ingest(FuzzCase("refused", content), fuzz_store)
    assert outcome.exit_code == 1
    assert outcome.stderr.startswith("error: fuzz.csv") and expected in outcome.stderr, outcome.stderr


def test_a_nul_byte_rejects_its_row_only(fuzz_store):
    text = acled_csv(acled_row(event_id="N1"), acled_row(event_id="N2", notes="bin\x00ary"), acled_row(event_id="N3"))
    outcome = _ingest(FuzzCase("NUL", text.encode()), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["new"] == 2
    assert "NUL byte" in _reasons(outcome)[3]


def test_a_field_longer_than_a_parse_block_is_read(fuzz_store):
    text = acled_csv(acled_row(event_id="H1", notes="x" * (17 << 20)), acled_row(event_id="H2"))
    outcome = _ingest(FuzzCase("17 MB field", text.encode()), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["new"] == 2


def test_codes_written_as_huge_numbers_never_crash(fuzz_store):
    rows = [acled_row(event_id="C1", inter1="1e400", iso="inf", timestamp=""),
            acled_row(event_id="C2", timestamp="1e19"), acled_row(event_id="C3", timestamp="-5")]
    outcome = _ingest(FuzzCase("codes", acled_csv(*rows).encode()), fuzz_store)
    assert outcome.exit_code == 0 and outcome.report["new"] == 1
    assert all("Unix time" in r for r in _reasons(outcome).values())


def test_a_message_quoting_the_file_stays_one_printable_line(fuzz_store):
    outcome = _ingest(FuzzCase("controls in the header", b"Date\x1b[2J,Lat,Lon\n" + b"2019-01-01,14,-3\n" * 20), fuzz_store)
    assert outcome.exit_code == 1 and len(outcome.stderr.splitlines()) == 1
    assert "\\x1b[2J" in outcome.stderr and "\x1b" not in outcome.stderr


# ----------------------------------------------------------------------------- the property-based test


@FUZZ
@given(case=fuzz_cases(None, max_rows=6))
def test_fuzzed_synthetic_files_meet_the_contract(fuzz_store, case):
    check_ingest(case, fuzz_store)


@needs_real_data
@settings(FUZZ, max_examples=max(FUZZ.max_examples // 2, 1))
@given(case=fuzz_cases(REAL_ROWS, max_rows=6))
def test_fuzzed_files_of_real_rows_meet_the_contract(fuzz_store, case):
    check_ingest(case, fuzz_store)


def test_the_contract_check_can_fail(fuzz_store, monkeypatch):
    """The checks see a value that must never be stored, and an exit status that must never happen."""
    import geo.readers._checks as checks

    monkeypatch.setattr(checks, "MAX_FATALITIES", 10**30)  # as if there were no bound
    case = FuzzCase("huge", acled_csv(acled_row(event_id="Z1", fatalities="1e19")).encode())
    with pytest.raises(AssertionError, match="fatalities out of 0..1,000,000"):
        check_ingest(case, fuzz_store)
    monkeypatch.undo()
    monkeypatch.setattr("geo.readers.acled.translate", lambda table: 1 / 0)
    with pytest.raises(AssertionError, match="exit status 3"):
        check_ingest(FuzzCase("crash", acled_csv(acled_row()).encode()), fuzz_store)


# ------------------------------------------------------------------------------- through a real process

SUBPROCESS_CASES = {
    "old-mac.csv": (acled_csv(acled_row(event_id="S1")).replace("\n", "\r").encode(), 0, ""),
    "ff.csv": (acled_csv(acled_row(event_id="S2")).encode() + b"\xff", 0, ""),
    "utf16.csv": (acled_csv(acled_row(event_id="S3")).encode("utf-16-le"), 0, ""),
    "cut.csv": (",".join(ACLED_CURRENT)[:50].encode(), 1, "cut off"),
    "random.csv": (bytes((i * 7919 + 13) % 256 for i in range(3000)), 1, "binary"),
}


@pytest.mark.parametrize("name", list(SUBPROCESS_CASES))
def test_python_m_geo_ingest_prints_no_traceback(tmp_path, name):
    content, code, expected = SUBPROCESS_CASES[name]
    path = tmp_path / name
    path.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-W", "default", "-m", "geo", "ingest", str(path), "--db", f"sqlite:///{tmp_path / 's.sqlite'}", "--json"],
        cwd=REPO, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=300,
    )
    assert proc.returncode == code, proc.stderr
    if code == 0:
        assert proc.stderr == "" and json.loads(proc.stdout)["rows_read"] >= 1
    else:
        assert proc.stdout == "" and proc.stderr.startswith(f"error: {name}") and expected in proc.stderr
        assert len(proc.stderr.splitlines()) == 1


# ----------------------------------------------------------------------------------- the Data page path

PAGE_CASES = {
    "old-mac.csv": acled_csv(acled_row(event_id="P1")).replace("\n", "\r").encode(),
    "cut.csv": ",".join(ACLED_CURRENT)[:50].encode(),
    "random.csv": bytes((i * 7919 + 13) % 256 for i in range(3000)),
    "lone-quote.csv": (",".join(ACLED_CURRENT) + '\n"').encode(),
    "huge.csv": acled_csv(acled_row(event_id="P2", fatalities="1e19"), acled_row(event_id="P3")).encode(),
    "mixed-tz.csv": acled_csv(acled_row(event_id="P4", date="2019-01-01T12:00:00Z"), acled_row(event_id="P5", date="2019-06-15T00:00:00")).encode(),
    "utf32.csv": acled_csv(acled_row(event_id="P6")).encode("utf-32"),
    "ucdp-high.csv": _ucdp_csv(_ucdp_row(high="1e30"), _ucdp_row(id="2")).encode(),
}


@pytest.mark.parametrize("name", list(PAGE_CASES))
def test_the_upload_path_gives_the_same_answer_as_the_command_line(tmp_path, name):
    from geo.store import Store
    from geo.uploads import InputFile, expand_files, prepare_each

    path = tmp_path / name
    path.write_bytes(PAGE_CASES[name])
    outcome = run_ingest(path, f"sqlite:///{tmp_path / 'cli.sqlite'}", ("--dry-run",))
    files, refusals = expand_files([InputFile(path, name)], tmp_path / "work")
    result = prepare_each(files)
    assert outcome.exit_code in (0, 1) and not outcome.warnings and not outcome.unraisable
    if outcome.exit_code == 1:
        assert not result.prepared and [r.message for r in refusals + result.refusals] == [outcome.stderr[len("error: "):].strip()]
    else:
        from geo.ingest import preview

        report = preview(result.prepared[name], Store(f"sqlite:///{tmp_path / 'page.sqlite'}")).as_json()
        for key in ("rows_read", "new", "rejected", "rejections", "notes"):
            assert report[key] == outcome.report[key], key


def _data_page_as_analyst(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from geo.auth import hash_password

    monkeypatch.setenv("ATLAS_ANALYST_PASSWORD_HASH", hash_password("s3cret"))
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120).run()
    at.switch_page("pages/data.py").run()
    at.text_input(key="login_name").set_value("Fuzz")
    at.text_input(key="login_password").set_value("s3cret")
    at.button[0].click().run()
    return at


def test_the_data_page_shows_hostile_uploads_as_messages(monkeypatch, navigation_only):
    from geo.store import Store

    at = _data_page_as_analyst(monkeypatch)
    at.file_uploader[0].set_value([(name, content, "text/csv") for name, content in PAGE_CASES.items()]).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = " ".join(e.value for e in at.error)
    assert "**cut.csv** was refused" in errors and "**random.csv** was refused" in errors and "binary" in errors
    shown = " ".join(df.value.to_csv() for df in at.dataframe)
    assert "above 1,000,000" in shown and "quote" in shown  # rejected rows, with their reasons
    assert Store().batches().empty  # nothing stored before Commit


def test_the_data_page_shows_an_error_of_the_check_as_a_message(monkeypatch, navigation_only):
    import ui.data_page
    from geo.errors import StoreError

    def refuse(*args, **kwargs):
        raise StoreError("the store cannot be read (test)")

    at = _data_page_as_analyst(monkeypatch)
    monkeypatch.setattr(ui.data_page, "preview", refuse)  # the check the page's view model runs
    at.file_uploader[0].set_value([("good.csv", acled_csv(acled_row(event_id="G1")).encode(), "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Nothing can be stored: the store cannot be read (test)" in " ".join(e.value for e in at.error)


def test_two_uploads_with_one_name_are_both_answered(monkeypatch, tmp_path):
    from geo.uploads import InputFile, prepare_each

    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir(), b.mkdir()
    (a / "week.csv").write_text(acled_csv(acled_row(event_id="D1")))
    (b / "week.csv").write_text(acled_csv(acled_row(event_id="D2")))
    result = prepare_each([InputFile(a / "week.csv", "week.csv"), InputFile(b / "week.csv", "week.csv")])
    assert list(result.prepared) == ["week.csv"]
    assert "already in this upload" in result.refusals[0].message and result.refusals[0].file == "week.csv"


_TEXT = acled_csv(acled_row(event_id="L1"), acled_row(event_id="L2"))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (codecs.BOM_UTF16_LE + _TEXT.encode(), "starts with a UTF-16 byte-order mark, but the text after it is not UTF-16"),
        (codecs.BOM_UTF32_BE + _TEXT.encode(), "starts with a UTF-32 byte-order mark, but the text after it is not UTF-32"),
        (codecs.BOM_UTF8 + _TEXT.encode("utf-16-le"), "starts with a UTF-8 byte-order mark, but the text after it is UTF-16"),
        (_TEXT.encode("utf-16-le")[:1001] + _TEXT.encode("utf-16-le")[1002:], "out of step from line 2"),
        (_TEXT.encode("utf-32")[:2001] + b"A" + _TEXT.encode("utf-32")[2001:], "UTF-32 text whose bytes are out of step"),
    ],
    ids=["UTF-16 mark on UTF-8", "UTF-32 mark on UTF-8", "UTF-8 mark on UTF-16", "UTF-16 byte lost", "UTF-32 byte added"],
)
def test_a_byte_order_mark_that_lies_or_a_wide_file_out_of_step_is_named(fuzz_store, content, expected):
    outcome = _ingest(FuzzCase("wide damage", content), fuzz_store)
    assert outcome.exit_code == 1 and expected in outcome.stderr, outcome.stderr



# ------------------------------------------------------------------ issue 18 §4: not text in the expected shape


def _zip_of(member: str, text: str, compression: int) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr(member, text)
    return buffer.getvalue()


def _one_line_geojson(size: int) -> str:
    feature = '{"type":"Feature","properties":{"event_date":"2019-03-23","fatalities":3},"geometry":{"type":"Point",' \
              '"coordinates":[-3.63,14.25]}}'
    return '{"type":"FeatureCollection","features":[' + ",".join([feature] * (size // len(feature))) + "]}"


@pytest.mark.parametrize("compression", ["stored", "deflated"])
@pytest.mark.parametrize("member", ["base64", "geojson"])
def test_a_zip_saved_as_csv_with_a_field_over_the_csv_limit_is_refused_in_one_line(tmp_path, compression, member):
    """Issue 18 §4: a zip archive's bytes under a .csv name (300 KB, one field over 131,072 characters): exit 1 with
    one line naming the file and what it seems to be, never exit 3."""
    import base64
    import zipfile

    from geo.uploads import InputFile, expand_files, prepare_each

    if member == "base64":  # one field: a line of 300,000 characters without a delimiter
        text = base64.b64encode(bytes((i * 7919 + 13) % 256 for i in range(225_000))).decode() + "\n"
        expected = ("runs past the first 262,144 characters without a line break", "base64-encoded data")
    else:
        text, expected = _one_line_geojson(300_000), ("is a JSON document",)
    content = _zip_of("acled_export.csv", text, zipfile.ZIP_STORED if compression == "stored" else zipfile.ZIP_DEFLATED)
    assert content.startswith(b"PK\x03\x04") and (compression != "stored" or 290_000 < len(content) < 310_000)
    assert member != "base64" or len(text.strip()) > 131_072
    path = tmp_path / "acled_export_2024.csv"
    path.write_bytes(content)
    outcome = run_ingest(path, f"sqlite:///{tmp_path / 's.sqlite'}")
    assert outcome.exit_code == 1, outcome.stderr
    assert len(outcome.stderr.splitlines()) == 1 and "unexpected failure" not in outcome.stderr
    assert outcome.stderr.startswith("error: acled_export_2024.csv/acled_export.csv is ")
    assert all(e in outcome.stderr for e in expected), outcome.stderr
    # The Data page's path says the same.
    files, refusals = expand_files([InputFile(path, path.name)], tmp_path / "work")
    result = prepare_each(files)
    assert not result.prepared and [r.message for r in refusals + result.refusals] == [outcome.stderr[len("error: "):].strip()]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (("A" * 140_000 + "\nx,y\n1,2\n").encode(), "a field of 140,000 characters"),
        (",".join(["event_id_cnty", "x" * 131_073, "event_date"]).encode() + b"\n1,2,3\n", "a field of 131,073 characters"),
        (",".join(["event_id_cnty", "é" * 131_073, "event_date"]).encode() + b"\n1,2,3\n", "runs past the first"),
        (b"PK\x07\x08" + bytes(300), "a zip archive (one part of a split archive)"),
        (b"junk\n" + _zip_of("events.csv", acled_csv(acled_row()), 8)[4:], "zip archive that cannot be unpacked"),
        (b"SQLite format 3\x00" + bytes(100), "an SQLite database"),
        (b"BZh91AY&SY" + bytes(100), "bzip2-compressed"),
        (_one_line_geojson(5_000).encode(), "JSON document"),
    ],
    ids=["long first line", "long column name", "long accented column name", "split zip", "damaged zip", "sqlite", "bzip2",
         "geojson"],
)
def test_files_that_are_not_text_in_rows_are_named_for_what_they_seem(fuzz_store, content, expected):
    outcome = _ingest(FuzzCase("not rows", content), fuzz_store)
    assert outcome.exit_code == 1 and expected in outcome.stderr, outcome.stderr
    assert outcome.stderr.startswith("error: fuzz.csv") and len(outcome.stderr.splitlines()) == 1
