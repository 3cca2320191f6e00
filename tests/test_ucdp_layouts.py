"""UCDP GED in each layout it comes in (yearly release, monthly candidate, UCDP's web download): the same
events, dates and estimates, and the layout named in the report.

The fixtures are rewritten at test time, in tmp_path, from the real GED rows in ../shared.
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from helpers import UCDP_REAL, needs_real_data, ucdp_web_download, web_download, write_web_download

from geo.cli import main
from geo.readers import detect_format, read_events

pytestmark = needs_real_data

COMPARED = ["event_id", "event_date", "year", "fatalities", "fatalities_low", "fatalities_high", "latitude", "longitude",
            "event_type", "actor1", "actor2", "country_iso3", "geo_precision", "time_precision", "civilian_targeting",
            "admin1_declared", "max_admin_level"]


def _release() -> pd.DataFrame:
    return pd.read_csv(UCDP_REAL, dtype=str, keep_default_na=False)


def write_layout(frame: pd.DataFrame, layout: str, path) -> None:
    frame = frame.copy()
    if layout == "web":
        write_web_download(web_download(frame), path)
        return
    if layout == "candidate":
        for column in ("date_start", "date_end"):
            frame[column] = frame[column] + " 00:00:00.000"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(frame.columns)
        writer.writerows(frame.itertuples(index=False))


@pytest.fixture
def layouts(tmp_path) -> dict:
    release = _release()
    paths = {}
    for layout in ("release", "candidate", "web"):
        paths[layout] = tmp_path / f"ged_{layout}.csv"
        write_layout(release, layout, paths[layout])
    return paths


def _records(path) -> list[list[str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def test_the_web_download_is_what_the_issue_describes(layouts):
    raw = layouts["web"].read_bytes().decode("utf-8")
    header_line = raw.split("\r\n", 1)[0]
    records = _records(layouts["web"])
    header, rows = records[0], records[1:]
    # The header: 47 names, the estimates renamed, and no trailing comma.
    assert len(header) == 47 and not header_line.endswith(",") and header[-3:] == ["best_est", "high_est", "low_est"]
    assert "gwnoa" not in header and "best" not in header
    # Every data row: 48 fields, the last one empty (a comma after low_est).
    assert len(rows) == 12 and all(len(r) == 48 and r[-1] == "" for r in rows)
    by_id = {r[0]: dict(zip(header, r)) for r in rows}
    assert by_id["12989"]["date_start"] == "05/20/1991 00:00:00" and by_id["12989"]["low_est"] == "20"
    assert raw.count("\r\n") == 13 and raw.count("\n") > 13  # line breaks inside quoted fields
    assert any("\n" in r[header.index("source_article")] for r in rows)
    assert '""Senegal & Mali""' in raw  # doubled quotes in source_article


@pytest.mark.parametrize("layout,name", [("release", "GED release"), ("candidate", "GED candidate"), ("web", "web download")])
def test_every_layout_gives_the_same_events_dates_and_estimates(layouts, layout, name):
    expected = read_events(UCDP_REAL).events[COMPARED]
    result = read_events(layouts[layout])
    assert result.format == "ucdp"
    assert not result.rejected, [r.reason for r in result.rejected]
    assert f"UCDP GED layout: {name}" in " ".join(result.notes)
    pd.testing.assert_frame_equal(result.events[COMPARED], expected)
    # The dates are the real ones, whatever the layout wrote (day above 12 or not).
    dates = result.events.set_index("event_id")["event_date"].dt.strftime("%Y-%m-%d")
    assert dates["12989"] == "1991-05-20" and dates["256789"] == "2018-01-11" and dates["431002"] == "2022-03-07"


def test_a_web_download_with_no_day_above_12_is_read_month_first(tmp_path):
    release = _release()
    ambiguous = release[pd.to_datetime(release["date_start"]).dt.day <= 12]
    assert len(ambiguous) >= 3
    path = tmp_path / "ged_web_ambiguous.csv"
    write_layout(ambiguous, "web", path)
    result = read_events(path)
    got = result.events.set_index("event_id")["event_date"].dt.strftime("%Y-%m-%d")
    assert got.to_dict() == ambiguous.set_index("id")["date_start"].to_dict()
    assert any("mm/dd/yyyy" in n for n in result.notes)


def test_the_web_download_is_detected_and_ingested_through_the_command_line(layouts, tmp_path, capsys):
    header = layouts["web"].read_text().splitlines()[0].split(",")
    assert detect_format(header) == "ucdp"
    code = main(["ingest", str(layouts["web"]), "--db", str(tmp_path / "s.sqlite"), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["format"] == "ucdp"
    assert (report["rows_read"], report["new"] + report["outside_area"], report["rejected"]) == (12, 12, 0)
    assert any("UCDP GED layout: web download" in n for n in report["notes"])
    assert any("UCDP GED layout: web download" in n for n in report["files"][0]["notes"])
    assert report["files"][0]["layout"] == "web download"


def _start_lines(path) -> list[int]:
    """Physical line on which each data record starts (the header is line 1), as the csv module counts them."""
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        starts, previous = [], reader.line_num
        for _ in reader:
            starts.append(previous + 1)
            previous = reader.line_num
    return starts


def test_a_row_whose_extra_field_holds_a_value_is_refused_alone_with_its_line(tmp_path, capsys):
    path = ucdp_web_download(1504, tmp_path / "ged241-csv-burkina.csv", extra={700: "432"})
    line = _start_lines(path)[700]
    assert line > 702  # rows before it hold quoted line breaks: the line is not the row's number

    code = main(["ingest", str(path), "--db", str(tmp_path / "s.sqlite"), "--json", "--dry-run"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["rows_read"] == 1504
    assert report["rejected"] == 1 and report["new"] + report["outside_area"] == 1503
    (rejection,) = report["rejections"]
    assert rejection["line"] == line and "'432'" in rejection["reason"] and "48" in rejection["reason"]
    assert report["files"][0]["layout"] == "web download"
    assert any("UCDP GED layout: web download" in n for n in report["notes"])


def test_a_release_file_with_one_row_too_long_is_not_taken_for_the_web_layout(tmp_path):
    """One extra empty field on a single row of a release file is that row's fault, not the file's layout."""
    release = _release()
    path = tmp_path / "ged_release.csv"
    write_layout(release, "release", path)
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[2] += ","  # record 2 of 12 (no quoted line break before it)
    path.write_text("\n".join(lines), encoding="utf-8")
    result = read_events(path)
    assert [r.line for r in result.rejected] == [3] and len(result.events) == 11
    assert "49 fields where the header has 49" not in result.rejected[0].reason
