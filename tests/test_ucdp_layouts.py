"""UCDP GED in each layout it comes in (yearly release, monthly candidate, UCDP's web download): the same
events, dates and estimates, and the layout named in the report.

The fixtures are rewritten at test time, in tmp_path, from the real GED rows in ../shared.
"""

from __future__ import annotations

import csv
import json

import pandas as pd
import pytest
from helpers import UCDP_REAL, needs_real_data

from geo.cli import main
from geo.readers import detect_format, read_events

pytestmark = needs_real_data

COMPARED = ["event_id", "event_date", "year", "fatalities", "fatalities_low", "fatalities_high", "latitude", "longitude",
            "event_type", "actor1", "actor2", "country_iso3", "geo_precision", "time_precision", "civilian_targeting",
            "admin1_declared", "max_admin_level"]


def _release() -> pd.DataFrame:
    return pd.read_csv(UCDP_REAL, dtype=str, keep_default_na=False)


def _us_date(iso: pd.Series) -> pd.Series:
    return pd.to_datetime(iso).dt.strftime("%m/%d/%Y 00:00:00")


def write_layout(frame: pd.DataFrame, layout: str, path) -> None:
    frame = frame.copy()
    if layout == "candidate":
        for column in ("date_start", "date_end"):
            frame[column] = frame[column] + " 00:00:00.000"
    if layout == "web":
        frame = frame.rename(columns={"best": "best_est", "low": "low_est", "high": "high_est"})
        for column in ("date_start", "date_end"):
            frame[column] = _us_date(frame[column])
        frame[""] = ""  # every line, the header too, ends with an empty column
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\r\n" if layout == "web" else "\n")
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


def test_the_web_download_is_what_the_issue_describes(layouts):
    first_lines = layouts["web"].read_text().splitlines()[:2]
    assert first_lines[0].endswith(",") and "best_est" in first_lines[0] and "best," not in first_lines[0]
    assert first_lines[1].endswith(",") and "05/20/1991 00:00:00" in first_lines[1]


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
