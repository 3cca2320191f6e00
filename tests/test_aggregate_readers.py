"""Reading ACLED's public aggregates: the HDX workbook layout and HDX HAPI's conflict_event rows, the indicator of a
table, its as-of date, and every row accounted for (kept, or rejected with its line and reason).

The real tables are read from ../shared at test time; the small files here are built from their rows, never stored."""

from __future__ import annotations

import pandas as pd
import pytest
from helpers import HAPI_REAL, HDX_BFA_REAL, needs_aggregate_data

from geo.errors import AtlasError, InputError
from geo.indicators import indicator_from_file_name
from geo.readers import read_events, read_file
from geo.readers.hdx import aggregate_layout, as_of_from_file_name

HDX_HEADER = "Country,Admin1,Admin2,ISO3,Admin2 Pcode,Admin1 Pcode,Month,Year,Events,Fatalities"
HAPI_HEADER = (
    "location_code,has_hrp,in_gho,provider_admin1_name,provider_admin2_name,admin1_code,admin1_name,admin2_code,admin2_name,"
    "admin_level,event_type,events,fatalities,reference_period_start,reference_period_end,dataset_hdx_id,resource_hdx_id,warning,error"
)


def hdx(*rows: str, header: str = HDX_HEADER) -> str:
    return header + "\n" + "\n".join(rows) + "\n"


@needs_aggregate_data
def test_the_real_burkina_faso_table_reads_whole_with_its_indicator_and_as_of_date():
    result = read_file(HDX_BFA_REAL)
    assert result.format == "acled-hdx"
    assert (result.rows_read, len(result.rows), result.rejected) == (15_255, 15_255, [])
    assert set(result.rows["indicator"]) == {"political-violence"}
    assert result.as_of == "2025-04-03"
    assert result.rows["month"].min() == "1997-01" and result.rows["month"].max() == "2025-03"
    assert result.rows["unit_id"].nunique() == 45
    assert (int(result.rows["events"].sum()), int(result.rows["fatalities"].sum())) == (8_158, 29_503)
    year_2023 = result.rows[result.rows["month"].str.startswith("2023")]
    assert (int(year_2023["events"].sum()), int(year_2023["fatalities"].sum())) == (1_706, 8_498)
    kadiogo = result.rows[result.rows["admin2_name"] == "Kadiogo"].iloc[0]
    assert (kadiogo["admin2_pcode"], kadiogo["admin1_pcode"], kadiogo["admin_level"]) == ("BF1300", "BF13", 2)


@needs_aggregate_data
def test_the_real_hapi_rows_read_with_each_rows_event_type_and_unknown_demonstration_fatalities():
    result = read_file(HAPI_REAL)
    assert result.format == "hdx-hapi"
    assert (result.rows_read, len(result.rows), result.rejected) == (990, 990, [])
    counts = result.rows.groupby(["country_iso3", "indicator"]).size()
    assert counts[("BFA", "civilian-targeting")] == 90 and counts[("MLI", "political-violence")] == 106
    assert counts[("NER", "demonstrations")] == 134
    demonstrations = result.rows[result.rows["indicator"] == "demonstrations"]
    assert demonstrations["fatalities"].isna().all()  # unknown, not zero
    assert result.rows.loc[result.rows["indicator"] != "demonstrations", "fatalities"].notna().all()
    assert set(result.rows["month"]) == {"1997-01", "2025-01"}
    niger = result.rows[result.rows["country_iso3"] == "NER"]
    assert niger["admin2_pcode"].str.startswith("NE0").all()  # HDX's repaired codes
    assert any("repaired by HDX" in note for note in result.notes)
    assert result.as_of == "2025-01"  # no as-of date in its name: its last month


def test_the_indicator_comes_from_the_flag_else_the_file_name_else_it_is_refused(write):
    rows = hdx("Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,January,2024,3,10")
    assert read_file(write("bfa_civilian_targeting.csv", rows)).rows["indicator"].tolist() == ["civilian-targeting"]
    assert read_file(write("x_demonstrations_y.csv", hdx("Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,May,2024,2,",
                                                           header=HDX_HEADER.replace(",Fatalities", "") ).replace(",\n", "\n"))
                     ).rows["indicator"].tolist() == ["demonstrations"]
    forced = read_file(write("bfa_civilian_targeting.csv", rows), indicator="political-violence")
    assert forced.rows["indicator"].tolist() == ["political-violence"] and forced.indicator_from == "--indicator"
    with pytest.raises(InputError, match="--indicator political-violence|civilian-targeting|demonstrations"):
        read_file(write("bfa_table.csv", rows))
    with pytest.raises(AtlasError, match="unknown indicator 'violence'"):
        read_file(write("bfa_table.csv", rows), indicator="violence")
    assert indicator_from_file_name("acled_political_violence_events_and_fatalities_by_month-year.xlsx") == "political-violence"
    assert indicator_from_file_name("nothing.csv") is None


def test_the_demonstrations_table_has_no_fatalities_column_and_its_fatalities_are_unknown(write):
    header = HDX_HEADER.replace(",Fatalities", "")
    result = read_file(write("bfa_demonstrations.csv", hdx("Burkina Faso,Centre,Kadiogo,BFA,BF1300,BF13,March,2025,4", header=header)))
    assert result.rows["fatalities"].isna().all() and int(result.rows["events"].iloc[0]) == 4
    # a table read as political violence must have them
    with pytest.raises(InputError, match="no Fatalities column.*--indicator demonstrations"):
        read_file(write("bfa_political_violence.csv", hdx("Burkina Faso,Centre,Kadiogo,BFA,BF1300,BF13,March,2025,4", header=header)))


def test_bad_rows_are_rejected_with_their_line_and_reason_and_the_rest_is_kept(write):
    text = hdx(
        "Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,January,2024,3,10",
        "Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,Janvier,2024,3,10",
        "Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,February,24,3,10",
        "Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,March,2024,-1,10",
        "Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,April,2024,2.5,x",
        "Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,May,2024,0,4",
        "Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,June,2999,1,1",
        "Atlantis,Sahel,Soum,ATL,BF5603,BF56,July,2024,1,1",
        "Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,August,2024,1",
    )
    result = read_file(write("bfa_political_violence.csv", text))
    assert result.rows_read == 9 and len(result.rows) == 1
    reasons = {r.line: r.reason for r in result.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 10]
    assert "'Janvier' is not a month name" in reasons[3]
    assert "year '24' is not a 4-digit year" in reasons[4]
    assert "Events -1 is negative" in reasons[5]
    assert "Events 2.5 is not a whole number" in reasons[6] and "Fatalities 'x' is not a number" in reasons[6]
    assert "fatalities without events" in reasons[7]
    assert "month 2999-06 lies in the future" in reasons[8]
    assert "country 'ATL' is not one the atlas knows" in reasons[9]
    assert "fields where the header has 10" in reasons[10]
    # listings name a rejected row by its unit and month
    assert {r.line: r.event_id for r in result.rejected}[5] == "BF5603 2024-03"


def test_hapi_rows_of_another_indicator_than_the_one_asked_are_rejected_not_dropped(write):
    rows = [
        "BFA,Y,Y,Sahel,Soum,BF56,Sahel,BF5603,Soum,2,civilian_targeting,2,7,2024-01-01,2024-01-31,a,b,,",
        "BFA,Y,Y,Sahel,Soum,BF56,Sahel,BF5603,Soum,2,political_violence,5,9,2024-01-01,2024-01-31,a,b,,",
        "BFA,Y,Y,Sahel,Soum,BF56,Sahel,BF5603,Soum,2,demonstration,1,,2024-01-01,2024-01-31,a,b,,",
        "BFA,Y,Y,Sahel,Soum,BF56,Sahel,BF5603,Soum,2,political_violence,5,,2024-02-01,2024-02-29,a,b,,",
        "BFA,Y,Y,Sahel,Soum,BF56,Sahel,BF5603,Soum,2,political_violence,5,1,2024-02-01,2024-03-31,a,b,,",
        "BFA,Y,Y,,,,,,,0,political_violence,5,1,2024-02-01,2024-02-29,a,b,,",
        "BFA,Y,Y,Sahel,Soum,BF56,Sahel,BF5603,Soum,2,political_violence,5,1,2024-04-01,2024-04-30,a,b,,bad code",
    ]
    path = write("conflict_event.csv", ("\ufeff" + HAPI_HEADER + "\r\n" + "\r\n".join(rows) + "\r\n"))
    everything = read_file(path)
    assert everything.format == "hdx-hapi" and everything.rows_read == 7
    assert sorted(everything.rows["indicator"]) == ["civilian-targeting", "demonstrations", "political-violence"]
    reasons = {r.line: r.reason for r in everything.rejected}
    assert "fatalities missing (only demonstrations have none)" in reasons[5]
    assert "2024-02-01 to 2024-03-31 is not one whole month" in reasons[6]
    assert "admin_level 0" in reasons[7]
    assert "HDX marked this row with an error: bad code" in reasons[8]
    civilian = read_file(path, indicator="civilian-targeting")
    assert civilian.rows["indicator"].tolist() == ["civilian-targeting"]
    assert "is not the indicator asked (civilian-targeting)" in {r.line: r.reason for r in civilian.rejected}[3]
    assert len(civilian.rows) + len(civilian.rejected) == civilian.rows_read


def test_layouts_and_as_of_dates_are_recognised_by_name():
    assert aggregate_layout(HDX_HEADER.split(",")) == "acled-hdx"
    assert aggregate_layout(("\ufeff" + HAPI_HEADER).split(",")) == "hdx-hapi"
    assert aggregate_layout(["event_id_cnty", "event_date", "event_type"]) is None
    assert as_of_from_file_name("acled_hdx_bfa_political_violence_admin2_month_1997-01_to_2025-03_asof_2025-04-03.csv") == "2025-04-03"
    assert as_of_from_file_name("table_as-of_20260501.csv") == "2026-05-01"
    assert as_of_from_file_name("table.csv") == ""


def test_an_aggregate_table_is_not_read_as_events_and_an_event_file_takes_no_indicator(write):
    path = write("bfa_political_violence.csv", hdx("Burkina Faso,Sahel,Soum,BFA,BF5603,BF56,January,2024,3,10"))
    with pytest.raises(InputError, match="not events"):
        read_events(path)
    from helpers import acled_csv, acled_row

    with pytest.raises(InputError, match="--indicator is for ACLED's aggregate tables"):
        read_file(write("events.csv", acled_csv(acled_row())), indicator="political-violence")


@needs_aggregate_data
def test_a_table_built_from_real_rows_keeps_the_lines_of_its_rejected_rows(write):
    real = HDX_BFA_REAL.read_text(encoding="utf-8").splitlines()
    damaged = real[:6] + [real[6].replace(",January,", ",Janury,")] + real[7:12]
    result = read_file(write("bfa_political_violence_admin2.csv", "\n".join(damaged) + "\n"))
    assert result.rows_read == 11 and len(result.rows) == 10
    assert [(r.line, r.reason) for r in result.rejected] == [(7, "month 'Janury' is not a month name (January … December)")]
    assert pd.Series(result.rows["_line"]).tolist() == [2, 3, 4, 5, 6, 8, 9, 10, 11, 12]
