"""Shared borders, geodesic distances, bands, the tri-border zone, cross-border pairs and actors,
and `python -m geo borders`."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pyproj
import pytest
import shapely
from helpers import ACLED_REAL, needs_real_data
from test_cli import run

from geo.aggregate import Filters
from geo.borders import (
    BORDERS,
    band_labels,
    band_of,
    border_table,
    cross_border_actors,
    cross_border_pairs,
    distance_to_borders,
    parse_bands,
    share_within,
    tri_border_zone,
)
from geo.errors import AtlasError
from geo.join import place_events
from geo.schema import coerce_events

GEOD = pyproj.Geod(ellps="WGS84")


def test_three_shared_borders_and_the_tri_border_point(geometry, ne):
    assert list(geometry.lines["border"]) == list(BORDERS)
    lengths = dict(zip(geometry.lines["border"], geometry.lines.to_crs(geometry.crs).length / 1000))
    # Mali–Burkina ~1,000 km, Mali–Niger ~820 km, Burkina–Niger ~620 km (Natural Earth generalises them).
    assert 850 < lengths["ML-BF"] < 1300 and 650 < lengths["ML-NE"] < 1000 and 500 < lengths["BF-NE"] < 800
    tri = geometry.tri_point
    _, _, metres = GEOD.inv(tri.x, tri.y, 0.235, 14.99)
    assert metres < 20_000  # the Mali–Burkina Faso–Niger tripoint
    zone = tri_border_zone(geometry, 100)
    assert zone.contains(tri) and 30_000 < shapely.area(gpd_area(zone)) / 1e6 < 32_000


def gpd_area(geom):
    import geopandas as gpd

    return gpd.GeoSeries([geom], crs="EPSG:4326").to_crs("+proj=laea +lat_0=15 +lon_0=0").iloc[0]


def _reference_km(lon: float, lat: float, line) -> float:
    """Hand computation: densify the border (≈200 m steps) and take the smallest geodesic distance."""
    dense = shapely.segmentize(line, 0.002)
    coords = shapely.get_coordinates(dense)
    _, _, metres = GEOD.inv(np.full(len(coords), lon), np.full(len(coords), lat), coords[:, 0], coords[:, 1])
    return float(np.min(metres)) / 1000


@pytest.mark.parametrize(
    ("place", "lon", "lat"),
    [("Djibo", -1.63, 14.10), ("Mopti", -4.19, 14.49), ("Niamey", 2.11, 13.51), ("Ouahigouya", -2.42, 13.58),
     ("Ménaka", 2.40, 15.92), ("Ouagadougou", -1.52, 12.37), ("Tillabéri", 1.45, 14.21)],
)
def test_distances_match_geodesic_hand_computation_within_one_percent(geometry, place, lon, lat):
    distance, border = distance_to_borders(np.array([lon]), np.array([lat]), geometry)
    lines = dict(zip(geometry.lines["border"], geometry.lines.geometry))
    reference = {name: _reference_km(lon, lat, line) for name, line in lines.items()}
    nearest = min(reference, key=reference.get)
    assert border[0] == nearest, place
    assert distance[0] == pytest.approx(reference[nearest], rel=0.01), place


def test_bands():
    assert parse_bands(None) == (10, 50, 100)
    assert band_labels((10, 50, 100)) == ["0-10", "10-50", "50-100", "100+"]
    assert band_labels((50, 100, 150, 200)) == ["0-50", "50-100", "100-150", "150-200", "200+"]
    assert band_of(np.array([0, 9.99, 10, 49, 50, 150, np.nan]), (10, 50, 100)).tolist() == [
        "0-10", "0-10", "10-50", "10-50", "50-100", "100+", ""]
    for bad in ("50,10", "a,b", "-5,10", ""):
        if bad:
            with pytest.raises(AtlasError):
                parse_bands(bad)


def _events(rows):
    frame = pd.DataFrame(rows, columns=["event_id", "event_date", "longitude", "latitude", "actor1", "fatalities"])
    frame["source_dataset"] = "acled"
    frame["max_admin_level"] = 2
    frame["country_iso3"] = ""
    frame["event_type"] = "Battles"
    return coerce_events(frame)


def test_pairs_across_a_border_within_distance_and_days(ne, geometry):
    # Either side of the Mali–Burkina border near Djibo/Boulkessi (about 14.5° N, −1.6° E).
    events = _events([
        ("A", "2019-10-01", -1.60, 14.40, "Group X", 10),   # Burkina Faso
        ("B", "2019-10-03", -1.60, 14.60, "Group X", 20),   # Mali, ~22 km, 2 days: a pair (same actor)
        ("C", "2019-10-30", -1.60, 14.62, "Group Y", 1),    # Mali, 29 days later: not a pair with A
        ("D", "2019-10-02", -1.55, 14.42, "Group Z", 1),    # Burkina Faso again: same country as A
        ("E", "2019-10-02", -1.60, 15.40, "Group X", 1),    # Mali but ~110 km away
    ])
    placements = place_events(events, ne)
    assert placements["unit_country_iso3"].tolist() == ["BFA", "MLI", "MLI", "BFA", "MLI"]
    pairs = cross_border_pairs(events, placements, geometry, max_km=50, max_days=7)
    found = {tuple(sorted((a, b))) for a, b in zip(pairs["event_id_a"], pairs["event_id_b"])}
    assert found == {("A", "B"), ("B", "D")}
    ab = pairs[(pairs["event_id_a"].isin(["A", "B"])) & (pairs["event_id_b"].isin(["A", "B"]))].iloc[0]
    assert ab["shared_actor"] == "Group X" and ab["days"] == 2 and 20 < ab["distance_km"] < 25
    same = cross_border_pairs(events, placements, geometry, same_actor=True)
    assert len(same) == 1
    wider = cross_border_pairs(events, placements, geometry, max_km=50, max_days=30)
    assert ("A", "C") in {tuple(sorted((a, b))) for a, b in zip(wider["event_id_a"], wider["event_id_b"])}


def test_pairs_scale_to_100k_events(ne, geometry):
    rng = np.random.default_rng(1)
    n = 100_000
    events = _events([(f"E{i}", None, 0, 0, "", 0) for i in range(1)])
    events = pd.concat([events] * n, ignore_index=True)
    events["event_id"] = [f"E{i}" for i in range(n)]
    events["longitude"] = rng.uniform(-4, 3, n)
    events["latitude"] = rng.uniform(12, 16, n)
    events["event_date"] = pd.Timestamp("2015-01-01") + pd.to_timedelta(rng.integers(0, 8 * 365, n), unit="D")
    placements = place_events(events, ne)
    pairs = cross_border_pairs(events, placements, geometry)
    assert len(pairs) > 0 and (pairs["country_a"] != pairs["country_b"]).all()
    assert (pairs["distance_km"] <= 50).all() and (pairs["days"] <= 7).all()


def test_border_table_counts_every_event_once(ne, geometry):
    events = _events([
        ("A", "2019-10-01", -1.60, 14.40, "X", 10), ("B", "2019-10-03", -1.60, 14.60, "X", 20),
        ("C", "2019-10-30", 2.11, 13.51, "Y", 1), ("D", "2018-01-01", 10.0, 30.0, "Y", 5),
    ])
    placements = place_events(events, ne)
    table = border_table(events, placements, geometry)
    assert table["events"].sum() == 4 and table["fatalities"].sum() == 36
    assert set(table.loc[table["period"] == "2018", "border"]) == {"_OUTSIDE"}
    y2019 = table[(table["period"] == "2019") & table["border"].isin(BORDERS)]
    assert y2019["share_events"].sum() == pytest.approx(1.0, abs=1e-3)  # shares are rounded to 4 decimals
    share = share_within(table, 50, (10, 50, 100))
    assert share.set_index("period").loc["2019", "share_events"] == pytest.approx(2 / 3, abs=1e-3)
    actors = cross_border_actors(events, placements)
    assert actors.set_index(["period", "actor"]).loc[("2019", "X"), ["MLI", "BFA", "countries"]].tolist() == [1, 1, 2]


def test_borders_cli_contract(tmp_path):
    proc = run("borders", "--db", str(tmp_path / "x.sqlite"), "--source", "sample", "--bands", "50,100,150,200",
               "--preset", "political-violence", "--share-within", "50")
    table = pd.read_csv(io.StringIO(proc.stdout), dtype={"period": str})
    assert {"period", "border", "band", "events", "fatalities"} <= set(table.columns)
    assert set(table["border"]) <= {"ML-BF", "ML-NE", "BF-NE", "_OUTSIDE", "_IMPRECISE"}
    assert set(table["band"]) <= {"0-50", "50-100", "100-150", "150-200", "200+", "n/a"}
    assert "within 50 km of a shared border" in proc.stderr
    bad = run("borders", "--bands", "ten", check=False)
    assert bad.returncode == 1 and bad.stderr.startswith("error:")
    both = run("borders", "--preset", "political-violence", "--event-type", "Battles", check=False)
    assert both.returncode == 2 and "not allowed with" in both.stderr


@needs_real_data
def test_real_2019_political_violence_share_within_50_km(tmp_path):
    db = str(tmp_path / "real.sqlite")
    run("ingest", str(ACLED_REAL), "--db", db)
    proc = run("borders", "--db", db, "--from", "2019-01-01", "--to", "2019-12-31", "--preset", "political-violence",
               "--share-within", "50")
    table = pd.read_csv(io.StringIO(proc.stdout), dtype={"period": str})
    share = share_within(table, 50, (10, 50, 100)).iloc[0]
    # 33 % of events, 41 % of fatalities; SWAC's 46 % counts any international border (49 % here).
    assert share["share_events"] == pytest.approx(0.33, abs=0.02)
    assert share["share_fatalities"] == pytest.approx(0.41, abs=0.02)
    assert table["events"].sum() == share["events"] + table.loc[~table["border"].isin(BORDERS), "events"].sum()
    assert Filters(preset="political-violence").resolved().exclude_event_types


def test_a_pair_search_with_too_many_close_pairs_stops_and_says_so(geometry):
    """Events stacked at one place and day (duplicated rows) must not make millions of pairs in memory."""
    from geo.borders import TooManyPairs, pairs_among

    n = 400  # half in Mali, half in Burkina Faso, all at one spot on the border, on one day
    candidates = pd.DataFrame({
        "source_dataset": "acled", "event_id": [f"D{i}" for i in range(n)], "event_date": pd.Timestamp("2019-05-01"),
        "longitude": -1.6, "latitude": 13.9, "country_iso3": ["MLI", "BFA"] * (n // 2),
        "actor1": "", "actor2": "", "assoc_actor_1": "", "assoc_actor_2": "",
    })
    with pytest.raises(TooManyPairs) as caught:
        pairs_among(candidates, geometry, max_pairs=10_000)
    assert caught.value.found == n * (n - 1) // 2
    assert len(pairs_among(candidates, geometry, max_pairs=100_000)) == (n // 2) ** 2  # across the border only
