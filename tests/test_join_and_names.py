"""Placing events in units (tolerance, precision rules, shared edges) and matching declared names."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from helpers import needs_real_data

from geo.boundaries import load_boundary_set
from geo.join import OUTSIDE, SNAPPED, admin1_mismatches, assign_units, bucket_codes, place_events
from geo.names import NameMatcher, normalize_name
from geo.schema import coerce_events


def _events(rows: list[dict]) -> pd.DataFrame:
    base = {"source_dataset": "acled", "event_date": "2019-01-01", "max_admin_level": 2, "country_iso3": "MLI"}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame["event_id"] = [f"E{i}" for i in range(len(frame))]
    return coerce_events(frame)


def _squares() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"unit_code": ["A", "B"], "unit_name": ["A", "B"], "country_iso3": ["MLI", "BFA"]},
        geometry=[shapely.box(0, 14, 1, 15), shapely.box(1, 14, 2, 15)],
        crs="EPSG:4326",
    )


def test_inside_snapped_outside_and_shared_edge():
    units = _squares()
    lon = np.array([0.5, 1.0, 2.03, 2.2, np.nan])
    lat = np.array([14.5, 14.5, 14.5, 14.5, 14.5])
    position, placement, distance = assign_units(lon, lat, units, tolerance_m=5_000)
    assert position[0] == 0 and placement[0] == "inside"
    assert position[1] in (0, 1) and placement[1] == "inside"  # on the shared edge: one unit only
    assert position[2] == 1 and placement[2] == SNAPPED and 3_000 < distance[2] < 3_500  # 0.03° ≈ 3.2 km
    assert position[3] == -1 and placement[3] == OUTSIDE  # 0.2° ≈ 21 km: beyond the tolerance
    assert placement[4] == OUTSIDE
    position, placement, _ = assign_units(lon, lat, units, tolerance_m=25_000)
    assert placement[3] == SNAPPED


def test_precision_rules_give_admin1_but_not_admin2():
    ne = load_boundary_set("natural-earth")
    # Djibo, Soum province, Sahel region (Burkina Faso).
    events = _events([
        {"latitude": 14.10, "longitude": -1.63, "max_admin_level": 2, "country_iso3": "BFA"},
        {"latitude": 14.10, "longitude": -1.63, "max_admin_level": 1, "country_iso3": "BFA"},
        {"latitude": 14.10, "longitude": -1.63, "max_admin_level": 0, "country_iso3": "BFA"},
        {"latitude": 14.5, "longitude": -4.2, "max_admin_level": 2, "country_iso3": "MLI"},  # Mopti: no admin2 units
        {"latitude": 30.0, "longitude": 10.0, "max_admin_level": 2, "country_iso3": "LBY"},
    ])
    placed = place_events(events, ne, tolerance_m=5_000)
    assert placed["admin1_code"].tolist() == ["BF-12", "BF-12", "", "ML-5", ""]
    assert placed["admin2_code"].tolist() == ["BF-SOM", "", "", "", ""]
    assert bucket_codes(placed, "admin2").tolist() == ["BF-SOM", "_UNALLOCATED", "_UNALLOCATED", "_UNALLOCATED", "_OUTSIDE"]
    assert bucket_codes(placed, "admin1").tolist() == ["BF-12", "BF-12", "_UNALLOCATED", "ML-5", "_OUTSIDE"]
    assert placed["unit_country_iso3"].tolist() == ["BFA", "BFA", "BFA", "MLI", "LBY"]
    assert placed["coverage"].tolist()[-1] == OUTSIDE


def test_names_match_across_accents_suffixes_and_aliases():
    assert normalize_name("Tillabéri") == normalize_name("Tillaberi") == normalize_name("TILLABERI region")
    assert normalize_name("Mou Houn") == normalize_name("Mouhoun")
    assert normalize_name("Province du Soum") == "soum"
    matcher = NameMatcher({"ML-6": ["Tombouctou"], "NE-X": ["Ayerou"]}, {"Tombouctou": ["Timbuktu"], "Ayerou": ["Ayorou"]})
    assert matcher.matches("Timbuktu", "ML-6") and matcher.matches("Tombouctou region", "ML-6")
    assert matcher.matches("Ayorou", "NE-X")
    assert not matcher.matches("Gao", "ML-6")
    assert matcher.find("timbuktu") == ["ML-6"]


def test_declared_names_of_acled_match_the_shipped_units():
    ne = load_boundary_set("natural-earth")
    matcher = ne.name_matcher("admin1")
    for declared, code in [("Tillaberi", "NE-6"), ("Segou", "ML-4"), ("Tombouctou", "ML-6"), ("Timbuktu", "ML-6"),
                           ("Centre-Nord", "BF-05"), ("Boucle du Mouhoun", "BF-01"), ("Niamey", "NE-8")]:
        assert matcher.matches(declared, code), declared


@needs_real_data
def test_mismatches_on_real_acled(real_acled_events):
    ne = load_boundary_set("natural-earth")
    events = real_acled_events.events
    placed = place_events(events, ne, tolerance_m=5_000)
    mismatches = admin1_mismatches(events, placed, ne)
    # Almost every declared region agrees with the polygon; the rest are near borders or newer regions.
    assert 0 < len(mismatches) < 0.02 * len(events)
    menaka = mismatches[mismatches["admin1_declared"] == "Menaka"]
    assert len(menaka) and not menaka["declared_known"].any()  # Ménaka is not a region in Natural Earth
    assert (placed["coverage"] != OUTSIDE).all()
    assert ((placed["coverage"] == "snapped") == (placed["snap_distance_m"] > 0)).all()
    assert placed["snap_distance_m"].max() <= 5_000
