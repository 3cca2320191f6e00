"""The view state's round trip through the URL (plain Python)."""

from __future__ import annotations

from datetime import date

from geo.figures.state import ViewState

CHOICES = {"boundaries": ["natural-earth"], "sources": ["acled", "ucdp"], "years": (2015, 2022), "countries": ["MLI", "BFA", "NER"],
           "types": ["Battles", "Protests"], "subtypes": ["Armed clash"], "presets": ["political-violence"]}


def test_defaults_make_an_empty_query():
    assert ViewState().to_query() == {}


def test_round_trip():
    state = ViewState(level="admin2", metric="fatalities", year_from=2018, year_to=2019, countries=("BFA", "NER"),
                      preset="political-violence", types=("Battles",), actor="JNIM", source="ucdp", log=True, view="animation",
                      period="quarter", unit="BF-12")
    query = state.to_query()
    assert query["countries"] == ["BFA", "NER"] and query["log"] == "1" and query["year_from"] == "2018"
    restored, problems = ViewState.from_query(query, choices=CHOICES)
    assert restored == state and problems == []


def test_invalid_values_are_dropped_and_reported():
    query = {"level": "admin7", "year_from": "abc", "year_to": "1850", "countries": ["BFA", "XXX"], "metric": "fatalities", "source": "nope"}
    state, problems = ViewState.from_query(query, choices=CHOICES)
    assert state.level == "admin1" and state.metric == "fatalities" and state.countries == ("BFA",)
    assert state.year_from is None and state.year_to is None and state.source == ""
    text = " ".join(problems)
    assert "level" in text and "year_from" in text and "XXX" in text and "source" in text


def test_filters_from_the_state():
    filters = ViewState(year_from=2019, year_to=2019, preset="political-violence", countries=("BFA",), precision=2).filters()
    assert filters.date_from == date(2019, 1, 1) and filters.date_to == date(2019, 12, 31)
    assert filters.preset == "political-violence" and filters.countries == ("BFA",) and filters.max_geo_precision == 2
    assert ViewState(year_from=2019, year_to=2019).filters_without_years().date_from is None
    assert ViewState(year_from=2018, year_to=2020).year_label() == "2018–2020"
