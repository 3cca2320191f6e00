"""ACLED's aggregates (acled-hdx) through the view models every page uses (no Streamlit): the Map opens on the last
complete year with Burkina Faso's provinces coloured, the Trends run to March 2025 with the partial month marked, the
source line says ACLED via HDX with the table's as-of date and ACLED's terms, views of single events say in one sentence
that the source has none, the Civilians view works on a civilian-targeting table, and the sources' agreement."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from helpers import ACLED_REAL, HAPI_REAL, HDX_BFA_REAL, needs_aggregate_data, needs_real_data

from geo.figures import style
from geo.figures.language import use_language
from geo.figures.reading import read_choices
from geo.figures.state import ViewState
from geo.figures.views import complete_view, map_view, metric_choices, trends_view, unit_view
from geo.ingest import ingest_files
from geo.store import Store

pytestmark = needs_aggregate_data


def inputs_and_choices(store: Store):
    from test_views import _inputs

    inputs = _inputs(store)
    choices = read_choices(inputs.reader.src, inputs.settings)
    return inputs, choices


@pytest.fixture(scope="module")
def burkina(tmp_path_factory):
    """A store holding ACLED's Burkina Faso table (political violence, as of 3 Apr 2025)."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('bfa') / 'bfa.sqlite'}")
    ingest_files([HDX_BFA_REAL], store)
    yield store
    store.dispose()


@pytest.fixture(scope="module")
def hapi(tmp_path_factory):
    """A store holding HDX HAPI's rows (three indicators, Jan 1997 and Jan 2025)."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('hapi') / 'hapi.sqlite'}")
    ingest_files([HAPI_REAL], store)
    yield store
    store.dispose()


def test_the_map_opens_on_2024_with_the_provinces_coloured_and_the_source_line_of_acled_via_hdx(burkina):
    inputs, choices = inputs_and_choices(burkina)
    assert choices.sources == ["acled-hdx"] and choices.indicators == ["political-violence"]
    assert "political-violence" not in choices.types and choices.events == {}  # never counted as events
    view = complete_view(ViewState(level="admin2"), choices)
    assert (view.source, view.indicator, view.year_from, view.year_to) == ("acled-hdx", "political-violence", 2024, 2024)
    shown = map_view(inputs, view)
    burkina_units = shown.units[shown.units["country_iso3"] == "BFA"]["unit_code"]
    values = shown.values["events"].reindex(burkina_units)
    assert values.notna().all() and int(values.sum()) == 1_314  # ACLED's 2024 figure for Burkina Faso
    others = shown.values["events"].reindex(shown.units[shown.units["country_iso3"] != "BFA"]["unit_code"])
    assert others.isna().all()  # no table for Mali and Niger: no data, never zero
    assert shown.text.source_line.startswith("Source: ACLED via HDX") and "as of 3 Apr 2025" in shown.text.source_line
    assert "ACLED's terms of use" in shown.text.source_line
    assert shown.text.filter_line.startswith("Events, Political violence")
    assert shown.totals.loc[0, "civilian_events"] is None  # a figure the table does not have
    assert shown.table["civilian_events"].isna().all() and not shown.partial
    with use_language("fr"):
        french = map_view(inputs, view)
        assert "ACLED via HDX" in french.text.source_line and "à jour au 3 avril 2025" in french.text.source_line


def test_trends_run_to_march_2025_with_the_partial_month_marked(burkina):
    inputs, choices = inputs_and_choices(burkina)
    view = complete_view(ViewState(period="month", year_from=2024, year_to=2025), choices)
    shown = trends_view(inputs, view)
    periods = sorted(shown.table["period"].astype(str).unique())
    assert periods[-1] == "2025-03" and periods[0] == "2024-01"
    assert shown.figure.data[0].x[-1] == "2025-03*" and shown.figure.data[0].x[-2] == "2025-02"  # only March is marked
    notes = [a.text for a in shown.figure.layout.annotations if "in part" in a.text]
    assert notes == ["* Mar 2025: in part only (ACLED's table as of 3 Apr 2025)"]
    assert shown.partial.startswith("2025 is not complete: ACLED's table (HDX) is as of 3 Apr 2025")
    yearly = trends_view(inputs, replace(view, period="year", year_from=2024, year_to=2024))
    assert yearly.table.groupby("period")["events"].sum().loc["2024"] == 1_314


def test_views_of_single_events_say_in_one_sentence_that_the_aggregates_have_none(burkina):
    inputs, choices = inputs_and_choices(burkina)
    view = complete_view(ViewState(level="admin2", points=True, unit="BF-SOM"), choices)
    shown = map_view(inputs, view)
    assert shown.points is None
    assert any("they have no single events, so no event locations can be drawn on the map" in n for n in shown.notes)
    detail = unit_view(inputs, view, shown, "BF-SOM")
    assert detail.actors.empty and detail.latest.empty
    assert detail.none.endswith("no actors or latest events can be listed for this unit.")
    from geo.figures.borders_view import borders_view

    borders = borders_view(inputs, view)
    assert borders.none.endswith("no event can be placed by its distance to the shared borders.")


def test_metrics_and_filters_of_an_aggregate_are_those_of_its_indicator(burkina):
    _, choices = inputs_and_choices(burkina)
    view = complete_view(ViewState(metric="civilian_fatalities", preset="political-violence", actor="JNIM"), choices)
    assert view.metric == "events"  # political violence has no civilian figures
    assert metric_choices(view) == ["events", "fatalities", "events_per_10k_km2"]
    assert metric_choices(replace(view, indicator="demonstrations")) == ["events", "events_per_10k_km2"]
    assert "civilian_fatalities" in metric_choices(replace(view, indicator="civilian-targeting"))
    filters = view.filters()  # event types, actors and precision select single events: not aggregates
    assert (filters.actor, filters.preset, filters.event_types, filters.indicator) == (None, None, (), "political-violence")


def test_the_civilians_view_works_on_a_civilian_targeting_table(hapi):
    from geo.figures.civilians_view import civilian_indicator, civilians_data, civilians_view

    inputs, choices = inputs_and_choices(hapi)
    assert choices.indicators == ["political-violence", "civilian-targeting", "demonstrations"]
    view = complete_view(ViewState(indicator="political-violence", year_from=2025, year_to=2025), choices)
    civilian_view, none = civilian_indicator(view, choices.indicators)
    assert none == "" and civilian_view.indicator == "civilian-targeting"
    civ = civilians_data(inputs.reader, source="acled-hdx", level="admin1", filters=civilian_view.filters_without_years(),
                         year_from=2025, year_to=2025)
    rows = pd.read_csv(HAPI_REAL, encoding="utf-8-sig")
    january = rows[(rows["event_type"] == "civilian_targeting") & (rows["reference_period_start"] == "2025-01-01")]
    assert int(civ.totals["civilian_fatalities"]) == int(january["fatalities"].sum()) > 0
    assert int(civ.map_values["civilian_fatalities"].sum()) == int(january["fatalities"].sum())
    assert civ.mass.empty and civ.no_events.endswith("no mass-casualty events can be listed.")
    assert "by perpetrator" in civ.no_perpetrators
    # the whole view (what the page and `export civilians-*` draw) reads the civilian-targeting table by itself
    shown = civilians_view(inputs, view)
    assert shown.data.totals["civilian_fatalities"] == civ.totals["civilian_fatalities"]
    assert shown.stacked_text.title == "Civilian fatalities per year" and "Civilian targeting" in shown.caption
    assert "Circles" not in shown.map_caption and "civilian_fatalities" in shown.unit_table().columns
    held_none, sentence = civilian_indicator(view, ["political-violence"])
    assert held_none is None and "holds none" in sentence


@needs_real_data
def test_the_sources_agree_closely_on_burkina_faso_2016_2019(tmp_path):
    from datetime import date

    from geo.aggregate import Filters
    from geo.agreement import compare_sources
    from geo.boundaries import load_boundary_set

    store = Store(f"sqlite:///{tmp_path / 'both.sqlite'}")
    ingest_files([ACLED_REAL], store)
    ingest_files([HDX_BFA_REAL], store)
    result = compare_sources(store, load_boundary_set("ocha-geoboundaries"), level="admin1", period="year",
                             indicator="political-violence", filters=Filters(date_from=date(2016, 1, 1), date_to=date(2019, 12, 31)))
    assert set(result.rows["country_iso3"]) == {"BFA"}  # the only country both cover
    assert sorted(result.rows["period"].unique()) == ["2016", "2017", "2018", "2019"]
    totals = result.totals()
    assert totals["unit_periods"] == 52  # 13 regions × 4 years
    assert abs(totals["events_share"]) < 0.02 and abs(totals["fatalities_difference"]) <= 10
    per_year = result.periods.set_index("period")
    assert (per_year["events_events"] - per_year["events_aggregates"]).abs().max() <= 5
    # 2020 is not compared: the event export stops in August (a partial year)
    later = compare_sources(store, load_boundary_set("ocha-geoboundaries"), level="admin1", period="year",
                            indicator="political-violence", filters=Filters(date_from=date(2020, 1, 1), date_to=date(2020, 12, 31)))
    assert later.empty
    with use_language("en"):
        from test_views import _inputs

        from geo.figures.agreement_view import agreement_view

        inputs = _inputs(store)
        shown = agreement_view(inputs, ViewState(year_from=2016, year_to=2019, countries=("BFA",)), sources=["acled", "acled-hdx"])
        assert shown.summary.startswith("Where both sources cover a region and a period (52 of them, 2016–2019)")
        assert shown.figure is not None and len(shown.figure.data) == 2
        missing = agreement_view(inputs, ViewState(year_from=2016, year_to=2019), sources=["acled"])
        assert "it lacks: ACLED aggregates (HDX)" in missing.none
    store.dispose()
    assert style.source_name("acled-hdx") == "ACLED aggregates (HDX)"


def test_the_last_month_of_a_table_is_partial_by_its_as_of_date():
    from datetime import date

    from geo.unit_months import TableVintage

    asof = TableVintage("1997-01", "2025-03", "2025-04-03")  # a week's lag before the as-of day: March is open
    assert asof.complete_through == date(2025, 3, 27)
    assert TableVintage("1997-01", "2025-03", "2025-05-20").complete_through == date(2025, 3, 31)  # long after: complete
    assert TableVintage("1997-01", "2025-04", "2025-04-03").complete_through == date(2025, 4, 1)  # April has rows: open
    assert TableVintage("1997-01", "2025-01", "2025-01").complete_through == date(2025, 1, 1)  # as-of only a month: open


@needs_real_data
def test_hdx_hapi_january_1997_agrees_with_the_event_export_in_all_165_districts(tmp_path):
    """The only month HDX HAPI's rows here share with the August 2020 export: Mali, Burkina Faso and Niger, every admin-2
    unit, the three indicators by ACLED's definitions."""
    from datetime import date

    from geo.aggregate import Filters
    from geo.agreement import compare_sources
    from geo.boundaries import load_boundary_set

    store = Store(f"sqlite:///{tmp_path / 'hapi_and_events.sqlite'}")
    ingest_files([ACLED_REAL], store)
    ingest_files([HAPI_REAL], store)
    default = load_boundary_set("ocha-geoboundaries")
    expected = {"political-violence": (3, 15), "civilian-targeting": (1, 1), "demonstrations": (5, None)}
    for indicator, (events, fatalities) in expected.items():
        result = compare_sources(store, default, level="admin2", period="month", indicator=indicator,
                                 filters=Filters(date_from=date(1997, 1, 1), date_to=date(1997, 12, 31)))
        assert result.rows.groupby("country_iso3").size().to_dict() == {"BFA": 45, "MLI": 53, "NER": 67}
        assert set(result.rows["period"]) == {"1997-01"}  # 2025-01: the export does not reach it
        totals = result.totals()
        assert (totals["events_events"], totals["events_aggregates"], totals["events_difference"]) == (events, events, 0)
        assert totals["fatalities_events"] == fatalities and (result.rows["events_difference"] == 0).all()
    store.dispose()
