"""Aggregation: every event counted once per source and period, sources never summed, filters, presets."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from geo.aggregate import OUTPUT_COLUMNS, Filters, aggregate, filter_mask, period_labels
from geo.errors import AtlasError
from geo.schema import coerce_events


def _events() -> pd.DataFrame:
    rows = [
        # Mopti (ML-5), Sahel BF (BF-12, Soum), Tillabéri (NE-6), outside (Libya), UCDP where_prec 6.
        ("acled", "A1", "2019-03-23", 14.25, -3.63, 2, 160, "Violence against civilians", True, "MLI", "Dan Na Ambassagou", 1),
        ("acled", "A2", "2019-12-24", 14.23, -0.87, 2, 42, "Battles", False, "BFA", "JNIM", 1),
        ("acled", "A3", "2019-12-10", 15.00, 1.40, 2, 71, "Battles", False, "NER", "Islamic State", 2),
        ("acled", "A4", "2019-07-01", 14.23, -0.87, 1, 0, "Protests", False, "BFA", "Protesters", 1),
        ("acled", "A5", "2018-02-01", 30.00, 10.00, 2, 5, "Battles", False, "LBY", "X", 1),
        ("acled", "A6", "2019-05-01", 14.10, -1.63, 1, 3, "Strategic developments", False, "BFA", "JNIM", 3),
        ("ucdp", "U1", "2019-12-24", 14.23, -0.87, 2, 35, "One-sided violence", True, "BFA", "JNIM", 1),
        ("ucdp", "U2", "2019-06-01", 17.0, 8.0, 0, 10, "State-based conflict", False, "NER", "Govt of Niger", 6),
    ]
    frame = pd.DataFrame(rows, columns=["source_dataset", "event_id", "event_date", "latitude", "longitude", "max_admin_level",
                                        "fatalities", "event_type", "civilian_targeting", "country_iso3", "actor1", "geo_precision"])
    frame["fatalities_low"] = [None] * 6 + [30, 8]
    frame["fatalities_high"] = [None] * 6 + [50, 12]
    return coerce_events(frame)


def test_columns_and_sums_equal_the_input_per_source_and_period(ne):
    events = _events()
    for level in ("admin1", "admin2"):
        table = aggregate(events, ne, level=level)
        assert list(table.columns) == OUTPUT_COLUMNS
        sums = table.groupby(["source", "period"])[["events", "fatalities"]].sum()
        expected = events.assign(period=events["event_date"].dt.year.astype(str)).groupby(["source_dataset", "period"])[["event_id", "fatalities"]].agg({"event_id": "count", "fatalities": "sum"})
        assert sums["events"].to_dict() == {k: v for k, v in expected["event_id"].to_dict().items() if v}
        assert sums["fatalities"].to_dict() == {k: v for k, v in expected["fatalities"].to_dict().items() if k in sums.index}


def test_units_outside_and_unallocated(ne):
    table = aggregate(_events(), ne, level="admin1", include_empty=False).set_index(["source", "period", "unit_code"])
    assert table.loc[("acled", "2019", "ML-5"), "fatalities"] == 160
    assert table.loc[("acled", "2019", "BF-12"), "events"] == 3
    assert table.loc[("acled", "2018", "_OUTSIDE"), "events"] == 1
    assert table.loc[("acled", "2018", "_OUTSIDE"), "country_iso3"] == "LBY"
    assert table.loc[("ucdp", "2019", "_UNALLOCATED"), "fatalities"] == 10  # where_prec 6: no admin unit
    assert table.loc[("ucdp", "2019", "BF-12"), "fatalities_low"] == 30
    assert pd.isna(table.loc[("acled", "2019", "BF-12"), "fatalities_low"])
    admin2 = aggregate(_events(), ne, level="admin2", include_empty=False).set_index(["source", "period", "unit_code"])
    # Arbinda (precise) is in Soum; the imprecise events (max level 1) and Mopti/Tillabéri are unallocated.
    assert admin2.loc[("acled", "2019", "BF-SOM"), "events"] == 1
    unallocated = admin2.xs(("acled", "2019", "_UNALLOCATED"))
    assert set(unallocated["country_iso3"]) == {"MLI", "NER", "BFA"}


def test_sources_are_never_added_together(ne):
    table = aggregate(_events(), ne)
    arbinda = table[(table["unit_code"] == "BF-12") & (table["period"] == "2019")]
    assert sorted(arbinda["source"]) == ["acled", "ucdp"]
    assert arbinda.set_index("source")["fatalities"].to_dict() == {"acled": 45, "ucdp": 35}


def test_empty_units_get_zero_rows_within_each_source_extent(ne):
    table = aggregate(_events(), ne)
    acled_periods = set(table.loc[table["source"] == "acled", "period"])
    ucdp_periods = set(table.loc[table["source"] == "ucdp", "period"])
    assert acled_periods == {"2018", "2019"} and ucdp_periods == {"2019"}
    zero = table[(table["source"] == "acled") & (table["period"] == "2019") & (table["unit_code"] == "ML-1")]
    assert zero["events"].tolist() == [0] and zero["events_per_10k_km2"].tolist() == [0.0]


def test_density_and_area_of_interest(ne):
    table = aggregate(_events(), ne).set_index(["source", "period", "unit_code"])
    row = table.loc[("acled", "2019", "ML-5")]
    assert row["events_per_10k_km2"] == pytest.approx(1 / row["area_km2"] * 10_000, rel=1e-3)
    assert row["in_area_of_interest"]
    assert not table.loc[("acled", "2019", "ML-1"), "in_area_of_interest"]


def test_filters_and_political_violence_preset(ne):
    events = _events()
    pv = aggregate(events, ne, filters=Filters(preset="political-violence"), include_empty=False)
    assert "Protests" not in set(events.loc[filter_mask(events, Filters(preset="political-violence")), "event_type"])
    assert pv["events"].sum() == 6  # all but the protest and the strategic development
    assert aggregate(events, ne, include_empty=False)["events"].sum() == 8  # no type filter: all types
    h1 = Filters(date_from=date(2019, 1, 1), date_to=date(2019, 6, 30))
    assert aggregate(events, ne, filters=h1, include_empty=False)["events"].sum() == 3
    bfa = aggregate(events, ne, filters=Filters(countries=("BFA",)), include_empty=False)
    assert set(bfa["country_iso3"]) == {"BFA"} and bfa["events"].sum() == 4
    jnim = aggregate(events, ne, filters=Filters(actor="jnim"), include_empty=False)
    assert jnim["events"].sum() == 3
    only_ucdp = aggregate(events, ne, filters=Filters(sources=("ucdp",)), include_empty=False)
    assert set(only_ucdp["source"]) == {"ucdp"}
    precise = aggregate(events, ne, filters=Filters(max_geo_precision=1), include_empty=False)
    assert precise["events"].sum() == 5
    assert "Political violence" in Filters(preset="political-violence").describe()
    assert "all event types" in Filters().describe()
    with pytest.raises(AtlasError, match="unknown preset"):
        aggregate(events, ne, filters=Filters(preset="nope"))


def test_periods(ne):
    dates = pd.Series(pd.to_datetime(["2019-03-23", "2019-12-24"]))
    assert period_labels(dates, "year").tolist() == ["2019", "2019"]
    assert period_labels(dates, "quarter").tolist() == ["2019-Q1", "2019-Q4"]
    assert period_labels(dates, "month").tolist() == ["2019-03", "2019-12"]
    monthly = aggregate(_events(), ne, period="month", filters=Filters(sources=("acled",)))
    assert monthly["period"].nunique() == 23  # 2018-02 … 2019-12, continuous
    assert monthly["events"].sum() == 6
