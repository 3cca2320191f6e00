"""Readers: ACLED of every vintage, UCDP GED, generic CSV with a mapping; row-level validation."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from helpers import ACLED_REAL, UCDP_REAL, acled_csv, acled_row, needs_real_data

from geo.errors import InputError
from geo.readers import ColumnMapping, detect_format, read_events
from geo.schema import CANONICAL_COLUMNS


def _reasons(result) -> dict[int, str]:
    return {r.line: r.reason for r in result.rejected}


def test_current_acled_export(write):
    result = read_events(write("current.csv", acled_csv(acled_row(), acled_row(event_id="MLI2", date="2019-12-24"))))
    assert result.format == "acled"
    assert result.rows_read == 2 and not result.rejected
    events = result.events
    assert list(events.columns[: len(CANONICAL_COLUMNS)]) == CANONICAL_COLUMNS
    first = events.iloc[0]
    assert first["event_id"] == "MLI1"
    assert first["event_date"] == pd.Timestamp("2019-03-23")
    assert first["civilian_targeting"]
    assert first["actor1_type"] == "Identity militia"
    assert first["country_iso3"] == "MLI"
    assert first["revision_timestamp"] == 1600000000
    assert first["max_admin_level"] == 2


@needs_real_data
def test_hdx_download_with_hxl_row():
    result = read_events(ACLED_REAL)
    assert result.format == "acled"
    assert result.rows_read == 8069
    assert len(result.events) == 8069 and not result.rejected
    assert any("HXL" in n for n in result.notes)
    assert result.events.loc[0, "_line"] == 3  # header line 1, HXL line 2
    assert set(result.events["country_iso3"]) == {"MLI", "BFA", "NER"}
    assert (result.events["geo_precision"] == 3).sum() == 209
    assert (result.events["max_admin_level"] == 1).sum() == 209


OLD_HEADER = (
    "GWNO,EVENT_ID_CNTY,EVENT_ID_NO_CNTY,EVENT_DATE,YEAR,TIME_PRECISION,EVENT_TYPE,ACTOR1,ALLY_ACTOR_1,INTER1,"
    "ACTOR2,ALLY_ACTOR_2,INTER2,INTERACTION,COUNTRY,ADMIN1,ADMIN2,ADMIN3,LOCATION,LATITUDE,LONGITUDE,"
    "GEO_PRECISION,SOURCE,NOTES,FATALITIES,,,"
)


def test_old_uppercase_export_with_day_first_dates_latin1_and_trailing_columns(write):
    rows = [
        "432,MLI100,100,23/03/2019,2019,1,Violence against civilians,Dan Na Ambassagou,,4,Civilians (Mali),,7,47,"
        "Mali,Mopti,Bankass,,Ogossagou,14.249,-3.63,1,Source,Attaque à Ogossagou,160,,,",
        "439,BFO200,200,05/01/2019,2019,1,Battles,Military Forces of Burkina Faso (2015-),,1,JNIM,,2,12,"
        "Burkina Faso,Sahel,Soum,,Arbinda,13.75,-1.07,2,Source,note,7,,,",
        "436,NIG300,300,12/12/2019,2019,1,Remote violence,ISGS,,2,Civilians (Niger),,7,27,"
        "Niger,Tillaberi,Tillaberi,,Inates,15.0,1.4,2,Source,note,71,,,",
    ]
    result = read_events(write("old.csv", OLD_HEADER + "\n" + "\n".join(rows) + "\n", encoding="latin-1"))
    assert result.format == "acled"
    assert not result.rejected, result.rejected
    events = result.events.set_index("event_id")
    assert events.loc["MLI100", "event_date"] == pd.Timestamp("2019-03-23")
    assert events.loc["BFO200", "event_date"] == pd.Timestamp("2019-01-05")  # day first
    assert events.loc["MLI100", "notes"] == "Attaque à Ogossagou"
    assert events.loc["MLI100", "actor1_type"] == "Identity militia"
    assert events.loc["BFO200", "country_iso3"] == "BFA"
    assert events.loc["MLI100", "civilian_targeting"]
    assert events.loc["NIG300", "civilian_targeting"]  # remote violence against civilians (inter2 = 7)
    assert not events.loc["BFO200", "civilian_targeting"]
    assert any("civilian_targeting" in n for n in result.notes)


@pytest.mark.parametrize("written", ["2019-03-23", "23 March 2019", "23-March-2019", "23/03/2019", "23 mars 2019"])
def test_acled_date_forms(write, written):
    result = read_events(write("d.csv", acled_csv(acled_row(date=written, year="2019"))))
    assert not result.rejected, result.rejected
    assert result.events.loc[0, "event_date"] == pd.Timestamp("2019-03-23")


def test_two_digit_year_with_sept(write):
    result = read_events(write("d.csv", acled_csv(acled_row(date="30-Sept-24", year="2024"))))
    assert result.events.loc[0, "event_date"] == pd.Timestamp("2024-09-30")


def test_semicolon_delimited_with_comma_decimals_and_bom(write):
    text = acled_csv(acled_row(lat="14,249", lon="-3,63"))
    header, row = text.strip().split("\n")
    # A French Excel export: semicolons, decimal commas, BOM.
    semi = "\ufeff" + header.replace(",", ";") + "\n" + row.replace(",", ";").replace("14;249", "14,249").replace("-3;63", "-3,63") + "\n"
    result = read_events(write("semi.csv", semi))
    assert result.delimiter == ";"
    assert not result.rejected, result.rejected
    assert result.events.loc[0, "latitude"] == pytest.approx(14.249)
    assert result.events.loc[0, "longitude"] == pytest.approx(-3.63)


def test_row_problems_are_rejected_with_line_and_reason(write):
    future = (date.today() + timedelta(days=30)).isoformat()
    rows = [
        acled_row(event_id="OK1"),
        acled_row(event_id="BAD1", date=""),
        acled_row(event_id="BAD2", date="2019-02-30", year="2019"),
        acled_row(event_id="BAD3", date=future, year=future[:4]),
        acled_row(event_id="BAD4", lat="", lon=""),
        acled_row(event_id="BAD5", lat="95.2"),
        acled_row(event_id="BAD6", lat="200", lon="14"),
        acled_row(event_id="BAD7", fatalities="-3"),
        acled_row(event_id="BAD8", fatalities="many"),
        acled_row(event_id="BAD9", lat="abc"),
        acled_row(event_id=""),
        acled_row(event_id="BAD11", date="2019-03-23", year="2018"),
        acled_row(event_id="BAD12", geo_precision="7"),
    ]
    result = read_events(write("rows.csv", acled_csv(*rows)))
    reasons = _reasons(result)
    assert result.rows_read == 13
    assert len(result.events) == 1 and result.events.loc[0, "event_id"] == "OK1"
    assert reasons[3] == "date missing"
    assert "not a valid calendar date" in reasons[4]
    assert "lies in the future" in reasons[5]
    assert "latitude missing" in reasons[6] and "longitude missing" in reasons[6]
    assert "latitude 95.2 is out of range" in reasons[7]
    assert "out of range" in reasons[8]
    assert "fatalities -3 is negative" in reasons[9]
    assert "fatalities 'many' is not a number" in reasons[10]
    assert "latitude 'abc' is not a number" in reasons[11]
    assert "event_id_cnty missing" in reasons[12]
    assert "does not match event_date" in reasons[13]
    assert "geo_precision '7'" in reasons[14]
    assert {r.event_id for r in result.rejected} >= {"BAD1", "BAD7"}


def test_out_of_range_latitude_that_fits_as_longitude_is_reported_as_swapped(write):
    result = read_events(write("s.csv", acled_csv(acled_row(lat="-95.5", lon="14.2"))))
    assert "look swapped" in result.rejected[0].reason


def test_missing_required_acled_column(write):
    text = acled_csv(acled_row()).replace(",fatalities,", ",deaths,")
    with pytest.raises(InputError, match="lacks the column"):
        read_events(write("x.csv", text))


def test_mixed_acled_and_ucdp_rows_are_refused(write):
    ucdp_header = "id,relid,year,type_of_violence,where_prec,latitude,longitude,date_start,best,country"
    text = acled_csv(acled_row()) + ucdp_header + "\n1,x,2019,1,1,14,-3,2019-01-01,3,Mali\n"
    with pytest.raises(InputError, match="mixes ACLED and UCDP|second header"):
        read_events(write("mixed.csv", text))


def test_detect_format():
    assert detect_format(["event_id_cnty", "event_date", "event_type", "x"]) == "acled"
    assert detect_format(["EVENT_ID_CNTY", "EVENT_DATE", "EVENT_TYPE"]) == "acled"
    assert detect_format(["id", "type_of_violence", "where_prec", "date_start", "best"]) == "ucdp"
    assert detect_format(["Date", "Lat", "Lon"]) is None
    with pytest.raises(InputError):
        detect_format(["event_id_cnty", "event_date", "event_type", "id", "type_of_violence", "where_prec", "date_start", "best"])


@needs_real_data
def test_ucdp_real_extract_with_quoted_newlines():
    result = read_events(UCDP_REAL)
    assert result.format == "ucdp"
    assert result.rows_read == 12 and not result.rejected
    events = result.events.set_index("event_id")
    assert events.loc["12989", "event_type"] == "One-sided violence"
    assert events.loc["12989", "civilian_targeting"]
    assert events.loc["12989", "fatalities"] == 20
    assert events.loc["12989", "fatalities_low"] == 20 and events.loc["12989", "fatalities_high"] == 48
    assert events.loc["12989", "country_iso3"] == "MLI"
    # A record after a multi-line one starts three lines further down.
    assert events.loc["433894", "_line"] == 14
    precise = result.events["geo_precision"] >= 5
    assert (result.events.loc[precise, "max_admin_level"] == 0).all()


def test_ucdp_columns_found_by_name_in_any_order(write):
    header = "best,low,high,country,date_start,longitude,latitude,where_prec,type_of_violence,id,side_a,side_b,year,source_article"
    rows = [
        '5,4,9,Burkina Faso,2019-12-24,-1.2,13.5,4,3,900,JNIM,Civilians,2019,"line one\nline two"',
        "2,2,2,Niger,2019-12-10,1.4,15.0,6,1,901,Government of Niger,IS,2019,x",
        "3,4,2,Niger,2019-12-10,1.4,15.0,1,1,902,Government of Niger,IS,2019,x",
    ]
    result = read_events(write("u.csv", header + "\n" + "\n".join(rows) + "\n"))
    assert result.format == "ucdp"
    events = result.events.set_index("event_id")
    assert events.loc["900", "max_admin_level"] == 1  # where_prec 4: admin1 only
    assert events.loc["901", "max_admin_level"] == 0  # where_prec 6: no unit
    assert events.loc["900", "source_text"] == "line one\nline two"
    assert [r.line for r in result.rejected] == [5]
    assert "low estimate" in result.rejected[0].reason


def test_generic_csv_needs_a_mapping(write):
    path = write("g.csv", "Date,Lat,Lon,Killed,Kind\n23/03/2019,14.25,-3.63,160,Attack\n")
    with pytest.raises(InputError, match="match no known format"):
        read_events(path)


def test_generic_csv_with_mapping_file_and_flags(write):
    path = write("g.csv", "Date,Lat,Lon,Killed,Kind\n23/03/2019,14.25,-3.63,160,Attack\n24/03/2019,14.3,-3.6,,Attack\n")
    mapping_file = write(
        "m.toml",
        '[columns]\nevent_date = "Date"\nlatitude = "Lat"\nlongitude = "Lon"\nfatalities = "Killed"\n'
        '[options]\ndate_format = "%d/%m/%Y"\ncountry = "MLI"\n',
    )
    mapping = ColumnMapping.from_file(mapping_file)
    mapping = ColumnMapping.from_pairs(["event_type=Kind"], mapping)
    result = read_events(path, mapping=mapping)
    assert result.format == "generic"
    assert len(result.events) == 1
    assert result.rejected[0].line == 3 and "fatalities" in result.rejected[0].reason
    event = result.events.iloc[0]
    assert event["event_type"] == "Attack" and event["country_iso3"] == "MLI" and event["fatalities"] == 160
    assert event["event_id"].startswith("gen-")
    # The same row read again gets the same id (so it is recognised as a duplicate).
    assert read_events(path, mapping=mapping).events.iloc[0]["event_id"] == event["event_id"]
    assert ColumnMapping.from_dict(__import__("tomllib").loads(mapping.to_toml())) == mapping


def test_generic_mapping_errors(write):
    path = write("g.csv", "Date,Lat,Lon\n2019-03-23,14.25,-3.63\n")
    with pytest.raises(InputError, match="does not have"):
        read_events(path, mapping=ColumnMapping.from_pairs(["event_date=Datum", "latitude=Lat", "longitude=Lon"]))
    with pytest.raises(InputError, match="must name a column for longitude"):
        read_events(path, mapping=ColumnMapping.from_pairs(["event_date=Date", "latitude=Lat"]))
    with pytest.raises(InputError, match="not a mappable column"):
        ColumnMapping.from_pairs(["when=Date"])
