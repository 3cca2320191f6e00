"""The view models of ui/ (what each page shows), the data's vintage and the text every figure carries, tested
without Streamlit: plain function calls on stores built here."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
from helpers import REPO, UCDP_REAL, acled_csv, acled_row

from geo.aggregate import aggregate_store
from geo.boundaries import load_boundary_set
from geo.config import get_settings
from geo.dataset import sample_store
from geo.figures import focus, style
from geo.figures.reading import Reader, Source
from geo.figures.state import ViewState
from geo.figures.views import (
    Inputs,
    change_table,
    compared_years,
    last_complete_year,
    map_view,
    readable,
    totals_table,
    trends_view,
    unit_view,
    years_shown,
    years_view,
)
from geo.ingest import ingest_files
from geo.places import ensure_placement
from geo.query import SourceVintage, source_vintages, ucdp_version
from geo.store import Store

# An ACLED export downloaded on 3 August 2020: its last events are of late July.
PUBLISHED = 1596481842  # 2020-08-03 19:10 UTC
ROWS = [
    acled_row(event_id="A1", date="2018-05-02", fatalities="4", timestamp="1590000000"),
    acled_row(event_id="A2", date="2019-03-23", fatalities="160", timestamp="1590000000"),
    acled_row(event_id="A3", date="2019-11-20", fatalities="7", admin1="Sahel", country="Burkina Faso", iso="854",
              lat="14.0", lon="-0.5", location="Djibo", timestamp="1590000000"),
    acled_row(event_id="A4", date="2020-07-25", fatalities="12", timestamp=str(PUBLISHED)),
]


def _inputs(store: Store, *, sample: bool = False) -> Inputs:
    settings = get_settings()
    boundary_set = load_boundary_set()
    set_id = ensure_placement(store, boundary_set, tolerance_m=settings.tolerance_m)
    from geo.dataset import ViewData

    reader = Reader(Source(ViewData(store, sample, f"test:{store.data_version()}", ""), boundary_set, set_id,
                           settings.tolerance_m))
    vintages = reader.vintages()
    years = (min(int(v.first_month[:4]) for v in vintages.values()), max(v.last_date.year for v in vintages.values()))
    return Inputs(reader=reader, settings=settings, is_sample=sample, years=years, vintages=vintages)


@pytest.fixture
def acled(tmp_path, write):
    store = Store(f"sqlite:///{tmp_path / 'acled.sqlite'}")
    ingest_files([write("acled_2020-08-03.csv", acled_csv(*ROWS))], store)
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def sample():
    return _inputs(sample_store(), sample=True)


def test_view_models_import_no_streamlit():
    for name in ("ui/views.py", "ui/data_page.py", "ui/civilians.py", "ui/about.py"):
        tree = ast.parse((REPO / name).read_text())
        modules = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        modules |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not [m for m in modules if m.startswith("streamlit")], name


# ---------------------------------------------------------------------------------------------- vintage


def test_the_vintage_is_the_datas_own_date_from_the_database(acled):
    set_id = ensure_placement(acled, load_boundary_set(), tolerance_m=5000)
    vintage = source_vintages(acled, set_id)["acled"]
    assert vintage.last_date == date(2020, 7, 25) and vintage.newest_timestamp == PUBLISHED
    assert vintage.published == date(2020, 8, 3)  # the day the export was published, not the day it was uploaded
    assert (vintage.first_month, vintage.last_month) == ("2018-05", "2020-07")
    assert vintage.is_partial(date(2020, 1, 1), date(2020, 12, 31)) and not vintage.is_partial(date(2019, 1, 1), date(2019, 12, 31))
    # Without the coverage the batch recorded (older stores), the events answer the same.
    with acled.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE batches SET details = '{}'")
    assert source_vintages(acled, set_id)["acled"] == vintage


def test_a_year_ending_in_the_last_days_of_a_later_export_is_complete():
    vintage = SourceVintage("acled", "2019-01", "2019-12", date(2019, 12, 28), newest_timestamp=1578000000)  # 2 Jan 2020
    assert not vintage.is_partial(date(2019, 1, 1), date(2019, 12, 31))
    assert last_complete_year((2015, 2019), vintage) == 2019
    partial = replace(vintage, newest_timestamp=None)
    assert partial.is_partial(date(2019, 1, 1), date(2019, 12, 31)) and last_complete_year((2015, 2019), partial) == 2018
    assert last_complete_year((2019, 2019), partial) == 2019  # a single year stays, marked partial


def test_ucdp_version_comes_from_the_file_names(tmp_path):
    assert ucdp_version("GEDEvent_v23_1.csv") == "23.1" and ucdp_version("GEDEvent_v24_0_1.csv") == "24.0.1"
    assert ucdp_version("events.csv") == ""
    if not UCDP_REAL.exists():
        pytest.skip(f"real data not available: {UCDP_REAL} is missing")
    store = Store(f"sqlite:///{tmp_path / 'ucdp.sqlite'}")
    ingest_files([UCDP_REAL], store)
    vintage = source_vintages(store, ensure_placement(store, load_boundary_set(), tolerance_m=5000))["ucdp"]
    assert vintage.version == "23.1"
    subject = style.Subject(source="ucdp", vintage=vintage, boundaries="OCHA COD-AB (CC BY-IGO)")
    assert style.source_line(subject).startswith(
        "Source: UCDP GED version 23.1 (CC BY 4.0; Sundberg & Melander 2013; Davies et al. 2023) · Boundaries: OCHA")


# ---------------------------------------------------------------------------------------------- text


def test_figure_text_names_what_where_the_filters_and_cites_the_source():
    vintage = SourceVintage("acled", "2016-01", "2020-08", date(2020, 8, 1), newest_timestamp=PUBLISHED)
    subject = style.Subject(metric="fatalities", source="acled", years=(2016, 2020), types="Political violence",
                            place="Mopti region", vintage=vintage, boundaries="OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)")
    text = style.figure_text(subject, style.map_title(subject))
    assert text.title == "Fatalities per region, Mopti region, 2016–2020"
    assert text.filter_line == "Fatalities, Political violence, Mopti region, 2016–2020 (2020 to 1 Aug)"
    assert text.source_line == ("Source: ACLED, acleddata.com, accessed 3 Aug 2020; filters: Political violence, Mopti region, "
                                "2016–2020 (2020 to 1 Aug) · Boundaries: OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0) · "
                                "Central Sahel violence atlas")
    assert text.watermark == ""
    burkina = replace(subject, place="", countries=("BFA",), years=(2016, 2019), types="")
    assert style.map_title(burkina) == "Fatalities per region in Burkina Faso, 2016–2019"
    assert style.filter_line(burkina) == "Fatalities, all event types, Burkina Faso, 2016–2019"
    assert style.unit_words("admin2", ("MLI",)) == ("cercle", "cercles")
    assert style.unit_words("admin2", ()) == ("cercle, province or département", "cercles, provinces and départements")
    sample = style.figure_text(replace(subject, source="sample", sample=True), "t")
    assert sample.watermark == "SAMPLE DATA — not real events" and "not real data" in sample.source_line
    assert "admin-1" not in text.title + text.filter_line and "natural-earth" not in text.source_line


# ---------------------------------------------------------------------------------------------- map


def _expected(inputs: Inputs, view: ViewState) -> pd.DataFrame:
    table = aggregate_store(inputs.reader.src.store, inputs.boundary_set, level=view.level, period="year",
                            filters=replace(view.filters(), sources=(view.source,)), tolerance_m=5000)
    return table


def test_the_map_sums_the_years_chosen_and_classifies_the_values_shown(sample):
    view = ViewState(source="sample", metric="fatalities", year_from=2018, year_to=2020, scheme="natural_breaks")
    shown = map_view(sample, view)
    rows = _expected(sample, view)
    units = rows[~rows["unit_code"].str.startswith("_")].groupby("unit_code")["fatalities"].sum()
    assert shown.values["fatalities"].reindex(units.index).tolist() == units.tolist()
    # The classes are those of the values shown (this range), not of every year pooled.
    assert shown.classification == style.classify(shown.values["fatalities"].reindex(shown.units["unit_code"]),
                                                  scheme="natural_breaks")
    assert shown.text.title == "Fatalities per region in Mali, Burkina Faso and Niger, 2018–2020"
    assert shown.scope == "2018–2020, summed" and shown.partial == ""
    assert shown.text.watermark == "SAMPLE DATA — not real events"
    density = shown.values["events"] / shown.units.set_index("unit_code")["area_km2"].reindex(shown.values.index) * 10_000
    assert np.allclose(shown.values["events_per_10k_km2"], density, atol=1e-3)
    # Totals: the three countries together, then each, over every event of the country.
    totals = shown.totals.set_index("place")
    per_country = rows[rows["country_iso3"].isin(["MLI", "BFA", "NER"])].groupby("country_iso3")["fatalities"].sum()
    assert totals.loc["All three countries", "fatalities"] == per_country.sum()
    assert totals.loc["Mali", "fatalities"] == per_country["MLI"] and list(totals.index) == [
        "All three countries", "Mali", "Burkina Faso", "Niger"]
    assert shown.table["fatalities"].is_monotonic_decreasing and shown.table_title.startswith("Regions, 2018–2020")


def test_one_year_is_classified_on_its_own_values(sample):
    view = ViewState(source="sample", metric="events", year_from=2022, year_to=2022)
    shown = map_view(sample, view)
    every_year = sample.reader.aggregated(level="admin1", period="year", filters=view.filters_without_years())
    pooled = style.classify(every_year[~every_year["unit_code"].str.startswith("_")]["events"])
    assert shown.classification.bounds[-1] == shown.values["events"].max()  # the top class ends at this year's maximum
    assert shown.classification != pooled
    assert shown.scope == "2022"


def test_the_map_says_when_the_last_year_is_partial_and_opens_before_it(acled):
    inputs = _inputs(acled)
    assert inputs.years == (2018, 2020)
    assert last_complete_year(inputs.years, inputs.vintage("acled")) == 2019
    view = ViewState(source="acled", metric="fatalities", year_from=2019, year_to=2020)
    shown = map_view(inputs, view)
    assert shown.partial == ("2020 is not complete: the ACLED data end on 25 Jul 2020, so 2020 counts only the events up "
                             "to that day.")
    assert shown.text.filter_line.endswith("2019–2020 (2020 to 25 Jul)")  # never "to 2020-12-31"
    assert "accessed 3 Aug 2020" in shown.text.source_line
    assert map_view(inputs, replace(view, year_from=2019, year_to=2019)).partial == ""


def test_the_unit_detail_follows_the_years_chosen(sample):
    view = ViewState(source="sample", metric="fatalities", year_from=2021, year_to=2021)
    shown = map_view(sample, view)
    detail = unit_view(sample, view, shown, "ML05")
    assert detail.name == "Mopti" and detail.country == "Mali"
    assert detail.latest_title == "Latest events, 2021" and detail.actors_title == "Top actors, 2021"
    assert (pd.to_datetime(detail.latest["date"]).dt.year == 2021).all()
    assert unit_view(sample, view, shown, "nowhere") is None
    assert "None" not in detail.latest.astype(str).to_numpy()


def test_tables_show_no_none_text():
    frame = pd.DataFrame({"a": ["x", None, np.nan], "b": [1, 2, 3]})
    assert readable(frame)["a"].tolist() == ["x", "", ""] and readable(frame)["b"].tolist() == [1, 2, 3]
    changes = pd.DataFrame({"value_from": [10.0, np.nan], "value_to": [15, 3], "change": [5.0, np.nan],
                            "pct_change": [50.0, np.nan], "note": ["", None]})
    shown = change_table(changes)
    assert shown["pct_change"].tolist() == ["+50 %", ""] and shown["value_from"].tolist() == ["10", "no data"]
    assert shown["change"].tolist() == ["+5", "no data"] and shown["value_to"].tolist() == [15, 3]
    assert "None" not in shown.astype(str).to_numpy() and "nan" not in shown.astype(str).to_numpy()


def test_totals_of_one_country_have_no_per_country_rows():
    rows = pd.DataFrame({"country_iso3": ["BFA", "BFA", "MLI"], "events": [1, 2, 5], "fatalities": [0, 1, 2],
                         "civilian_events": [0, 0, 1], "civilian_fatalities": [0, 0, 2]})
    assert totals_table(rows, ("BFA",)).to_dict("records") == [
        {"place": "Burkina Faso", "events": 3, "fatalities": 1, "civilian_events": 0, "civilian_fatalities": 0}]


# ---------------------------------------------------------------------------------------------- years


def test_the_animation_and_multiples_use_the_years_chosen_with_one_classification(sample):
    view = ViewState(source="sample", metric="fatalities", year_from=2017, year_to=2019, view="animation")
    years = years_view(sample, view)
    assert years.periods == ["2017", "2018", "2019"]
    assert set(years.values["period"]) == {"2017", "2018", "2019"}
    assert years.classification == style.classify(years.values["value"])
    assert "one colour scale for every year shown" in years.scope and years.note == ""
    animation = years.animation()
    assert animation.frames["periods"] == years.periods
    one = years_view(sample, replace(view, year_from=2019))
    assert one.periods == ["2015", "2016", "2017", "2018", "2019"] and "One year is chosen" in one.note
    assert years_shown(sample, replace(view, year_from=2016, year_to=2016)) == (2015, 2016)


def test_presentation_fixes_the_map_on_a_focus_area(sample):
    view = ViewState(source="sample", year_from=2022, year_to=2022, present=True, focus="mopti", level="admin2")
    shown = map_view(sample, view)
    assert shown.view_bounds == focus.focus_bounds("mopti") and shown.focus_outline is not None
    assert shown.text.title == "Events per cercle, Mopti region, 2022"
    assert shown.look.present and shown.look.scale > 1
    assert map_view(sample, replace(view, present=False)).view_bounds is None  # the focus applies to presenting only
    years = years_view(sample, replace(view, view="multiples"))
    assert years.view_bounds == focus.focus_bounds("mopti")


def test_the_focus_areas_are_units_of_the_default_boundary_set():
    units = load_boundary_set(focus.FOCUS_BOUNDARIES).units("admin1").set_index("unit_code")["unit_name"]
    assert units["ML05"] == "Mopti" and units["BF-12"] == "Sahel" and units["NE006"] == "Tillabéri" and units["NE005"] == "Tahoua"
    for key, area in focus.FOCUS_AREAS.items():
        assert set(area.units) <= set(units.index), key
        west, south, east, north = focus.focus_bounds(key)
        assert west < east and south < north
    whole = focus.focus_bounds("all")
    mopti = focus.focus_bounds("mopti")
    assert whole[0] < mopti[0] < mopti[2] < whole[2]


# ---------------------------------------------------------------------------------------------- trends


def test_the_trends_tables_compare_the_years_chosen(sample):
    one = ViewState(source="sample", metric="events", year_from=2019, year_to=2019)
    trends = trends_view(sample, one)
    assert compared_years(sample, one) == (2018, 2019) and trends.compared == (2018, 2019)
    assert trends.changes_title == "Change per country, 2018 to 2019"
    assert trends.changes_caption.startswith("Events in 2019 against 2018")
    grouped = sample.reader.grouped(by="country", level="admin1", period="year", filters=one.filters_without_years())
    grouped = grouped.set_index(["country", "period"])["events"]
    for row in trends.changes.itertuples():
        assert row.value_from == grouped[(row.country, "2018")] and row.value_to == grouped[(row.country, "2019")]
    assert trends.ranked_title.startswith("Regions ranked by change, 2018 to 2019")
    # A range: the chart shows it, the tables compare its first year with its last.
    span = trends_view(sample, replace(one, year_from=2016, year_to=2020, trend_by="event_type"))
    assert span.compared == (2016, 2020) and span.changes_title == "Change per event type, 2016 to 2020"
    assert set(span.table["period"]) == {str(y) for y in range(2016, 2021)}
    assert "None" not in span.changes.astype(str).to_numpy() and "None" not in span.ranked.astype(str).to_numpy()


def test_the_trends_say_when_the_later_year_is_partial(acled):
    inputs = _inputs(acled)
    trends = trends_view(inputs, ViewState(source="acled", metric="fatalities", year_from=2020, year_to=2020))
    assert trends.compared == (2019, 2020)
    assert "2020 is counted only to 25 Jul 2020, against the whole of 2019" in trends.changes_caption
    assert trends.changes_title == "Change per country, 2019 to 2020 (to 25 Jul)"
    assert trends.partial.startswith("2020 is not complete")
    assert list(trends.figure.layout.xaxis.categoryarray)[-1] == "2020*"
