"""Bad input, case by case, through the upload path the Data page and `python -m geo ingest` share:
whole-file problems refuse the file (naming it) and leave the store unchanged; row problems reject
the row only, with its line and reason; text stays text."""

from __future__ import annotations

import io
import zipfile
from datetime import date, timedelta

import pandas as pd
import pytest
from helpers import ACLED_CURRENT_HEADER, acled_csv, acled_row

from geo.export import to_safe_csv
from geo.ingest import commit_batch, preview, rejections_frame
from geo.uploads import MAX_ZIP_MEMBERS, InputFile, expand_files, merge, prepare_each

UCDP_HEADER = "id,year,type_of_violence,side_a,side_b,where_prec,latitude,longitude,country,date_start,best,low,high"


def _xlsx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buffer.getvalue()


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buffer.getvalue()


def _check(files, tmp_path, store):
    expanded, refusals = expand_files(files, tmp_path / "work")
    result = prepare_each(expanded)
    result.refusals = refusals + result.refusals
    return result


WHOLE_FILE_CASES = {
    "empty file": (b"", "is empty"),
    "header only": ((ACLED_CURRENT_HEADER + "\n").encode(), "header but no data rows"),
    "binary garbage": (bytes(range(256)) * 40, "binary"),
    "html page": (b"<!DOCTYPE html><html><body>Sign in</body></html>", "HTML"),
    "xlsx saved as csv": (_xlsx(), "Excel workbook"),
    "no known format and no mapping": (b"when,where_x,where_y\n2019-01-01,1,2\n", "match no known format"),
    "missing required columns": ((acled_csv(acled_row()).replace(",latitude,", ",lat,")).encode(), "lacks the column"),
    "wrong delimiter": (b"event_id_cnty#event_date#event_type\nA#2019-01-01#Battles\n", "single column"),
    "acled and ucdp rows in one file": (
        (acled_csv(acled_row()) + UCDP_HEADER + "\n1,2019,1,A,B,1,14,-3,Mali,2019-01-01,3,3,3\n").encode(),
        "header row",
    ),
}


@pytest.mark.parametrize("case", list(WHOLE_FILE_CASES))
def test_whole_file_problems_are_refused_and_the_store_is_unchanged(case, tmp_path, store, write):
    content, expected = WHOLE_FILE_CASES[case]
    good = write("good.csv", acled_csv(acled_row(event_id="GOOD1")))
    bad = write("bad upload.csv", content)
    result = _check([InputFile(good, "good.csv"), InputFile(bad, "bad upload.csv")], tmp_path, store)
    assert [r.file for r in result.refusals] == ["bad upload.csv"], result.refusals
    message = result.refusals[0].message
    assert "bad upload.csv" in message and expected.lower() in message.lower(), message
    assert result.accepted == ["good.csv"]  # the other file of the upload can still be committed
    before = store.snapshot()
    assert store.batches().empty
    pd.testing.assert_frame_equal(before["events"], store.snapshot()["events"])


def test_a_file_over_the_size_limit_is_refused(tmp_path, write, monkeypatch):
    monkeypatch.setenv("ATLAS_CONFIG", str(write("atlas.toml", "[ingest]\nmax_file_mb = 0.001\n")))
    big = write("big.csv", acled_csv(*[acled_row(event_id=f"B{i}") for i in range(50)]))
    result = prepare_each([InputFile(big, "big.csv")])
    assert "over the limit" in result.refusals[0].message


def test_utf16_without_a_byte_order_mark_is_recognised_and_read(tmp_path, write):
    # No BOM, but the NUL byte after every ASCII character says UTF-16 little-endian.
    path = write("u16.csv", acled_csv(acled_row(location="Tillabéri")).encode("utf-16-le"))
    result = prepare_each([InputFile(path, "u16.csv")])
    assert not result.refusals
    prepared = result.prepared["u16.csv"]
    assert prepared.files[0].encoding == "utf-16-le" and prepared.events["location"].tolist() == ["Tillabéri"]
    assert any("UTF-16 little-endian" in n for n in prepared.notes)


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ({"../../x.csv": b"a,b\n1,2\n"}, "outside the archive"),
        ({"/etc/x.csv": b"a,b\n1,2\n"}, "outside the archive"),
        ({f"f{i}.csv": b"a,b\n1,2\n" for i in range(MAX_ZIP_MEMBERS + 50)}, "at most"),
        ({"notes.docx": b"PK..."}, "not a CSV"),
    ],
)
def test_unsafe_zips_are_refused(members, expected, tmp_path, write):
    archive = write("upload.zip", _zip(members))
    expanded, refusals = expand_files([InputFile(archive, "upload.zip")], tmp_path / "work")
    assert expanded == [] and "upload.zip" in refusals[0].message and expected in refusals[0].message
    assert not any(p.name == "x.csv" for p in tmp_path.rglob("x.csv"))


def test_a_zip_bomb_is_refused(tmp_path, write, monkeypatch):
    monkeypatch.setenv("ATLAS_CONFIG", str(write("atlas.toml", "[ingest]\nmax_file_mb = 1\n")))
    archive = write("bomb.zip", _zip({"big.csv": b"a,b\n" + b"0,0\n" * 3_000_000}))  # 12 MB from ~30 kB
    assert archive.stat().st_size < 200_000
    expanded, refusals = expand_files([InputFile(archive, "bomb.zip")], tmp_path / "work")
    assert expanded == [] and "bomb.zip" in refusals[0].message and ("expand" in refusals[0].message)


def test_a_zip_of_csvs_is_read_file_by_file(tmp_path, write, store):
    archive = write("week.zip", _zip({"mali.csv": acled_csv(acled_row(event_id="Z1")).encode(),
                                       "niger.csv": acled_csv(acled_row(event_id="Z2", country="Niger")).encode()}))
    expanded, refusals = expand_files([InputFile(archive, "week.zip")], tmp_path / "work")
    assert not refusals and [f.name for f in expanded] == ["week.zip/mali.csv", "week.zip/niger.csv"]
    result = prepare_each(expanded)
    report = commit_batch(merge(list(result.prepared.values())), store)
    assert report.counts.new == 2 and store.batch(report.batch_id)["file_names"] == "week.zip/mali.csv, week.zip/niger.csv"


def test_row_problems_reject_only_their_rows(tmp_path, write, store):
    future = (date.today() + timedelta(days=10)).isoformat()
    rows = [
        acled_row(event_id="OK1"),
        acled_row(event_id="R1") + ",extra",               # more fields
        "R2,2019-01-01",                                     # fewer fields
        acled_row(event_id="R3", date="someday"),
        acled_row(event_id="R4", date=future, year=future[:4]),
        acled_row(event_id="R5", lat=""),
        acled_row(event_id="R6", lat="114.2"),
        acled_row(event_id="R7", lat="-3.63", lon="14.249"),   # swapped (detected against the boundaries)
        acled_row(event_id="R8", fatalities="-2"),
        acled_row(event_id="R9", fatalities="ten"),
        acled_row(event_id="OK1", fatalities="99"),           # duplicate id in the file, other content
        acled_row(event_id="OK2"),
    ]
    path = write("rows.csv", acled_csv(*rows))
    prepared = prepare_each([InputFile(path, "rows.csv")]).prepared["rows.csv"]
    report = preview(prepared, store)
    c = report.counts
    assert (c.rows_read, c.new, c.rejected) == (12, 2, 10)
    lines = {r.line: r.reason for r in report.rejected}
    assert set(lines) == set(range(3, 13))
    assert "fields" in lines[3] and "fields" in lines[4]
    assert "no recognised format" in lines[5] and "future" in lines[6] and "latitude missing" in lines[7]
    assert "out of range" in lines[8] and "swapped" in lines[9] and "negative" in lines[10]
    assert "not a number" in lines[11] and "already appears" in lines[12]
    committed = commit_batch(prepared, store)
    assert committed.counts.new == 2 and sorted(store.load_events()["event_id"]) == ["OK1", "OK2"]
    assert store.rejections(committed.batch_id)["line"].tolist() == list(range(3, 13))


def test_text_is_data_never_code(tmp_path, write, store):
    nasty_note = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    rows = [acled_row(event_id="T1", actor1="=HYPERLINK(\"http://x\",\"y\")", notes=nasty_note),
            acled_row(event_id="T2", actor1="+1 Group", notes="@SUM(A1)"), acled_row(event_id="T3", actor1="-Group", fatalities="-1")]
    prepared = prepare_each([InputFile(write("t.csv", acled_csv(*rows)), "t.csv")]).prepared["t.csv"]
    commit_batch(prepared, store)
    events = store.load_events().set_index("event_id")
    assert events.loc["T1", "actor1"] == '=HYPERLINK("http://x","y")'  # kept as text
    assert events.loc["T1", "notes"] == nasty_note
    exported = to_safe_csv(events.reset_index()[["event_id", "actor1", "notes"]])
    assert "'=HYPERLINK" in exported and "'+1 Group" in exported and "'@SUM(A1)" in exported
    rejected = to_safe_csv(rejections_frame(prepared.rejected))
    assert "T3" in rejected
    from geo.figures.choropleth import event_popup

    popup = event_popup(events.reset_index().iloc[0].to_dict())
    assert "<script>" not in popup and "&lt;script&gt;" in popup


def test_without_a_size_limit_a_zip_bomb_is_still_stopped_before_the_disk_is_full(tmp_path, write, monkeypatch):
    import shutil
    from collections import namedtuple

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda path: usage(0, 0, 64 * 1024 * 1024 + 2 * 1024 * 1024))
    archive = write("bomb.zip", _zip({"big.csv": b"a,b\n" + b"0,0\n" * 3_000_000}))  # 12 MB from ~30 kB
    expanded, refusals = expand_files([InputFile(archive, "bomb.zip")], tmp_path / "work", max_bytes=None)
    assert expanded == [] and "free disk space" in refusals[0].message
