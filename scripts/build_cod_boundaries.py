"""Build the shipped boundary set `data/shapefiles/ocha-geoboundaries.gpkg`: admin 1 and admin 2 of Mali,
Burkina Faso and Niger from open-licence files.

Sources (in `../shared/data/real` beside the checkout, or the folder given with `--source`):
- Mali: OCHA COD-AB, regions and cercles, 2021-12-20 (`mli_admbnda_adm1/adm2_1m_gov_20211220`), CC BY-IGO;
- Niger: OCHA COD-AB, regions and départements, 2023-07-20 (`NER_admbnda_adm1/adm2_IGNN_20230720`), CC BY-IGO;
- Burkina Faso: geoBoundaries gbOpen BFA ADM1 / ADM2, boundary year 2017, CC BY 4.0 (Runfola et al. 2020), with
  the OCHA p-codes of its provinces and regions from the attribute table of OCHA's COD-AB for Burkina Faso
  (`adm2_bfa_ocha_codab_20200323_attributes_only.csv`, IGB 2020-03-23, CC BY-IGO);
- neighbours' outlines: the admin0 layer of the shipped Natural Earth set (`natural-earth.gpkg`, public domain).

What the script does, in order (rerun it to rebuild; never edit the GeoPackage by hand):
1. reads the six files with the same reader as `python -m geo boundaries add` (fields detected, geometries
   checked, reprojected to EPSG:4326);
2. codes: OCHA p-codes as they are (ML0501, NE006013; regions ML05, NE006). geoBoundaries has no p-codes at
   admin 2 (only `shapeID`, which changes between geoBoundaries releases), so Burkina Faso's provinces get
   their ISO 3166-2:BF codes (BF-SOM, BF-OUD …), found by matching each province name to the Natural Earth
   province of the same name (spellings through `[names.aliases]` of `atlas.toml`, e.g. geoBoundaries'
   typo "Komonjdjari"); regions keep geoBoundaries' ISO codes BF-01 … BF-13. The same codes as the Natural
   Earth set, so links to a Burkina unit keep working. Their OCHA p-codes (BF4603 for a province, BF46 for a
   region: the codes of ACLED's and HDX's aggregate tables) become each unit's `other_codes`, matched by name
   (OCHA's `ADM2_FR` / `ADM2_REF`, `ADM1_FR`); every province's OCHA region must be its parent by overlap;
3. parents: OCHA's `ADM1_PCODE`; for Burkina Faso (no parent field) the region of largest overlap in
   geoBoundaries ADM1, by the rule of `geo.boundaries.link_parents`; every link is recorded in `meta`;
4. one polygonal coverage of the 165 admin-2 units (`reconcile_borders`): the three sources disagree along
   the international borders (overlaps of about 620 km² Mali/Burkina Faso, 1,340 km² Mali/Niger and 170 km²
   Burkina Faso/Niger; 132 enclosed gaps, 1,575 km² in all, the largest 830 km² on the Burkina Faso–Niger
   border). A fourth, independent source decides: the Natural Earth outline of the three countries (the
   outline the atlas's figures were first checked on). An overlap goes to the country Natural Earth puts it
   in; a gap joins, within the country Natural Earth puts it in, the unit it shares the longest edge with;
   what remains is settled by `shapely.coverage_clean` (longest common edge);
5. simplifies the coverage with `shapely.coverage_simplify` (shared edges simplified once: no gaps or
   overlaps open); then checks that every polygon is valid, the coverage is valid and has no hole;
6. admin 1 = the union of each region's admin-2 units; the three countries' outlines = the union of their
   admin-1 units (so shared borders are common edges); neighbours = the Natural Earth outlines minus the
   three countries.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from geo.boundaries import (
    OPTIONAL_UNIT_COLUMNS,
    UNIT_COLUMNS,
    link_parents,
    load_boundary_set,
    read_units_file,
    units_area_km2,
    write_boundary_set,
)
from geo.config import get_settings
from geo.countries import CORE_COUNTRIES
from geo.crs import EQUAL_AREA_CRS, GEOGRAPHIC_CRS
from geo.names import NameMatcher

REPO = Path(__file__).resolve().parent.parent
NAME = "ocha-geoboundaries"
OUT = REPO / "data" / "shapefiles" / f"{NAME}.gpkg"
DEFAULT_SOURCE = REPO.parent / "shared" / "data" / "real"
NATURAL_EARTH = REPO / "data" / "shapefiles" / "natural-earth.gpkg"

FILES = {
    "MLI": ("adm1_mli_ocha_codab_20211220.geojson", "adm2_mli_ocha_codab_20211220.geojson"),
    "NER": ("adm1_ner_ocha_codab_20230720.geojson", "adm2_ner_ocha_codab_20230720.geojson"),
    "BFA": ("adm1_bfa_geoboundaries_gbopen_2017.geojson", "adm2_bfa_geoboundaries_gbopen_2017.geojson"),
}

#: The attribute table of OCHA's COD-AB for Burkina Faso (no geometry): the OCHA p-codes of its provinces and regions.
BFA_PCODES = "adm2_bfa_ocha_codab_20200323_attributes_only.csv"

#: Provenance per country, stored in the set's `meta` and shown on the About page.
SOURCES = {
    "MLI": {
        "source": "OCHA COD-AB Mali, administrative boundaries levels 1-2 (mli_admbnda_adm1_1m_gov_20211220, "
        "mli_admbnda_adm2_1m_gov_20211220), Government of Mali, 1:1M, via the Humanitarian Data Exchange",
        "licence": "CC BY-IGO (as listed on HDX)",
        "version": "2021-12-20",
        "citation": "OCHA, Mali - Subnational Administrative Boundaries (COD-AB), Humanitarian Data Exchange "
        "(data.humdata.org/dataset/cod-ab-mli), boundaries of 2021-12-20",
        "units": "admin1: 8 regions, Ménaka and the Bamako district (10); admin2: 53 cercles",
    },
    "NER": {
        "source": "OCHA COD-AB Niger, administrative boundaries levels 1-2 (NER_admbnda_adm1_IGNN_20230720, "
        "NER_admbnda_adm2_IGNN_20230720), Institut Géographique National du Niger, via the Humanitarian Data Exchange",
        "licence": "CC BY-IGO (as listed on HDX)",
        "version": "2023-07-20",
        "citation": "OCHA, Niger - Subnational Administrative Boundaries (COD-AB), Humanitarian Data Exchange "
        "(data.humdata.org/dataset/cod-ab-ner), boundaries of 2023-07-20 (IGNN)",
        "units": "admin1: 7 regions and Niamey (8); admin2: 67 départements",
    },
    "BFA": {
        "source": "geoBoundaries gbOpen BFA ADM1 and ADM2 (boundary year 2017, source World Bank; "
        "BFA-ADM2-67063806, build of 2023-12-12)",
        "licence": "CC BY 4.0",
        "version": "2017 (geoBoundaries build 2023-12-12)",
        "citation": "Runfola, D. et al. (2020) geoBoundaries: A global database of political administrative "
        "boundaries. PLoS ONE 15(4): e0231866",
        "units": "admin1: 13 regions (ISO 3166-2 BF-01 … BF-13); admin2: 45 provinces (ISO 3166-2 BF-BAL …)",
        "other_codes": "OCHA p-codes of the provinces (BF4601 …) and regions (BF46 …), from the attribute table of OCHA "
        "COD-AB Burkina Faso (bfa_admbnda_adm2_igb_20200323, source IGB, 2020-03-23; CC BY-IGO as listed on HDX)",
    },
}
ATTRIBUTION = "OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)"

#: Local spellings where a source writes the name without its accent (the source spelling stays an alias).
NAME_OVERRIDES = {"ML10": "Ménaka"}

#: Gaps narrower than this (diameter of the largest circle inside them, degrees) are given to a neighbour:
#: wide enough for every gap between the three sources (the widest, on the Burkina Faso–Niger border, is
#: about 13 km across).
GAP_WIDTH_DEG = 0.2
#: coverage_simplify tolerance (degrees; about the square root of the area of the triangles removed).
TOLERANCE_DEG = 0.005


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read(path: Path, level: str) -> gpd.GeoDataFrame:
    units, _, repaired = read_units_file(path, level=level)
    if repaired:
        print(f"{path.name}: repaired {repaired}")
    return units


def burkina_province_codes(provinces: gpd.GeoDataFrame) -> pd.DataFrame:
    """ISO 3166-2:BF code, local name and aliases of each geoBoundaries province, by its Natural Earth namesake."""
    ne = load_boundary_set("natural-earth").units("admin2")
    ne = ne[ne["country_iso3"] == "BFA"].set_index("unit_code")
    matcher = NameMatcher({code: [name] for code, name in ne["unit_name"].items()}, get_settings().name_aliases)
    rows = []
    for name, aliases in zip(provinces["unit_name"], provinces["aliases"]):
        found = matcher.find(name)
        if len(found) != 1:
            raise SystemExit(f"geoBoundaries province {name!r} matches {found or 'no'} Natural Earth province(s)")
        code = found[0]
        local = ne.loc[code, "unit_name"]
        others = [a for a in [name, *str(aliases).split("|")] if a and a != local]
        rows.append({"unit_code": code, "unit_name": local, "aliases": "|".join(dict.fromkeys(others))})
    out = pd.DataFrame(rows, index=provinces.index)
    if not out["unit_code"].is_unique:
        raise SystemExit(f"two provinces got the same code: {out['unit_code'][out['unit_code'].duplicated()].tolist()}")
    return out


def burkina_pcodes(source: Path, admin1: gpd.GeoDataFrame, admin2: gpd.GeoDataFrame) -> tuple[pd.Series, pd.Series]:
    """
    The OCHA p-code of each Burkina Faso region and province (indexed like `admin1` / `admin2`), matched by name
    from OCHA's attribute table; refused unless every unit gets exactly one and each province's OCHA region is its
    parent.
    """
    table = pd.read_csv(source / BFA_PCODES, dtype=str, keep_default_na=False)
    aliases = get_settings().name_aliases
    out = {}
    for level, units, code_field, name_fields in (
        ("admin2", admin2, "ADM2_PCODE", ("ADM2_FR", "ADM2_REF", "ADM2ALT1FR", "ADM2ALT2FR")),
        ("admin1", admin1, "ADM1_PCODE", ("ADM1_FR",)),
    ):
        burkina = units[units["country_iso3"] == "BFA"]
        matcher = NameMatcher({code: [name, *str(alias).split("|")] for code, name, alias in
                               zip(burkina["unit_code"], burkina["unit_name"], burkina["aliases"])}, aliases)
        codes: dict[str, str] = {}
        for row in table.drop_duplicates(code_field).to_dict("records"):
            found = {c for field in name_fields if row[field] for c in matcher.find(row[field])}
            if len(found) != 1:
                raise SystemExit(f"OCHA {level} {row[name_fields[0]]!r} ({row[code_field]}) matches {sorted(found) or 'no'} unit(s)")
            unit = found.pop()
            if unit in codes:
                raise SystemExit(f"{unit} gets two OCHA p-codes: {codes[unit]} and {row[code_field]}")
            codes[unit] = row[code_field]
        missing = sorted(set(burkina["unit_code"]) - set(codes))
        if missing:
            raise SystemExit(f"Burkina Faso {level} units without an OCHA p-code: {missing}")
        out[level] = units["unit_code"].map(codes).fillna("")
    region_of = dict(zip(table["ADM2_PCODE"], table["ADM1_PCODE"]))
    pcode_of_region = dict(zip(admin1["unit_code"], out["admin1"]))
    for code, pcode, parent in zip(admin2["unit_code"], out["admin2"], admin2["parent_code"]):
        if pcode and region_of[pcode] != pcode_of_region.get(parent):
            raise SystemExit(f"{code} ({pcode}): OCHA puts it in {region_of[pcode]}, its parent {parent} is "
                             f"{pcode_of_region.get(parent)}")
    return out["admin1"], out["admin2"]


def holes(geoms) -> list[shapely.Polygon]:
    union = shapely.coverage_union_all(geoms)
    return [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]


def check_coverage(geoms, label: str) -> None:
    """Refuse a coverage with an invalid or empty polygon, overlaps, unmatched edges or holes."""
    geoms = np.asarray(geoms, dtype=object)
    problems = []
    if not shapely.is_valid(geoms).all():
        problems.append("invalid polygons")
    if shapely.is_empty(geoms).any() or not all(g.geom_type in ("Polygon", "MultiPolygon") for g in geoms):
        problems.append("empty or non-polygonal units")
    if not shapely.coverage_is_valid(geoms):
        problems.append("overlaps or unmatched shared edges")
    gaps = holes(geoms)
    if gaps:
        problems.append(f"{len(gaps)} gap(s) inside the coverage")
    if problems:
        raise SystemExit(f"{label}: {', '.join(problems)}")


def reconcile_borders(
    geoms: np.ndarray, countries: np.ndarray, referee: gpd.GeoSeries, gap_width_deg: float
) -> tuple[np.ndarray, dict]:
    """
    Make the admin-2 units of three sources one coverage, deciding disputed strips by a fourth source.

    Where two countries' sources overlap, the part that the Natural Earth outline (`referee`) gives to one of
    them is cut from the other's units; where they leave an enclosed gap, the parts of the gap inside a
    country's Natural Earth outline join that country's neighbouring unit with the longest common edge.
    Whatever Natural Earth leaves undecided (a strip it gives to neither country) goes, by
    `shapely.coverage_clean`, to the neighbouring unit with the longest common edge.

    Returns
    -------
    (the units' polygons, a report of the areas decided)
    """
    geoms = np.asarray(geoms, dtype=object)
    union = {c: shapely.union_all(geoms[countries == c]) for c in CORE_COUNTRIES}
    report: dict = {"overlaps_between_sources_km2": {}}
    decided = []
    cut = geoms.copy()
    for a, b in (("MLI", "BFA"), ("MLI", "NER"), ("BFA", "NER")):
        overlap = shapely.intersection(union[a], union[b])
        report["overlaps_between_sources_km2"][f"{a}-{b}"] = round(area_km2(overlap), 1)
        for mine, theirs in ((a, b), (b, a)):
            theirs_by_ne = shapely.intersection(overlap, referee[theirs])
            decided.append(theirs_by_ne)
            rows = countries == mine
            cut[rows] = shapely.difference(cut[rows], theirs_by_ne)
    gaps = [shapely.Polygon(ring) for part in shapely.get_parts(shapely.union_all(geoms)) for ring in part.interiors]
    report["gaps_between_sources"] = {
        "count": len(gaps), "total_km2": round(sum(area_km2(g) for g in gaps), 1),
        "largest_km2": round(max((area_km2(g) for g in gaps), default=0.0), 1),
    }
    pieces, piece_country = [], []
    for c in CORE_COUNTRIES:
        for part in shapely.get_parts(shapely.intersection(shapely.union_all(gaps), referee[c])):
            if part.geom_type == "Polygon" and part.area > 0:
                pieces.append(part)
                piece_country.append(c)
    report["gap_decided_by_natural_earth_km2"] = round(sum(area_km2(p) for p in pieces), 1)
    report["overlap_decided_by_natural_earth_km2"] = round(sum(area_km2(g) for g in decided), 1)
    cut = np.array([_polygonal(g) for g in cut], dtype=object)
    everything = np.concatenate([cut, np.array(pieces, dtype=object)])
    cleaned = shapely.coverage_clean(everything, gap_width=gap_width_deg)
    units, extra = list(cleaned[: len(cut)]), list(cleaned[len(cut):])
    # Each piece of gap joins the unit of its country with which it shares the longest edge.
    pending = [(piece, c) for piece, c in zip(extra, piece_country) if not piece.is_empty]
    while pending:
        left = []
        for piece, c in pending:
            edge = np.array([
                shapely.intersection(piece.boundary, u.boundary).length if countries[i] == c else 0.0
                for i, u in enumerate(units)
            ])
            if edge.max() <= 0:
                left.append((piece, c))
                continue
            i = int(edge.argmax())
            units[i] = shapely.coverage_union_all([units[i], piece])
        if len(left) == len(pending):  # touching no unit of its country: the longest edge of any country
            for piece, _ in left:
                edge = np.array([shapely.intersection(piece.boundary, u.boundary).length for u in units])
                i = int(edge.argmax())
                units[i] = shapely.coverage_union_all([units[i], piece])
            left = []
        pending = left
    return np.array(units, dtype=object), report


def _polygonal(geom):
    geom = shapely.make_valid(geom)
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area > 0]
    if not parts:
        raise SystemExit("a unit lies entirely in another country's Natural Earth outline; check the source files")
    return shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]


def area_km2(geom) -> float:
    return float(gpd.GeoSeries([geom], crs=GEOGRAPHIC_CRS).to_crs(EQUAL_AREA_CRS).area.iloc[0] / 1e6)


def build(source: Path, *, tolerance_deg: float = TOLERANCE_DEG, gap_width_deg: float = GAP_WIDTH_DEG) -> tuple[dict, dict]:
    """The layers (admin0, admin1, admin2 with `UNIT_COLUMNS`) and the `meta` of the set."""
    admin1_parts, admin2_parts = [], []
    for country, (adm1_file, adm2_file) in FILES.items():
        admin1 = read(source / adm1_file, "admin1")
        admin2 = read(source / adm2_file, "admin2")
        if country == "BFA":
            admin2[["unit_code", "unit_name", "aliases"]] = burkina_province_codes(admin2)
        for units in (admin1, admin2):
            if set(units["country_iso3"]) != {country}:
                raise SystemExit(f"{country}: units of other countries in the files: {set(units['country_iso3'])}")
        admin1_parts.append(admin1)
        admin2_parts.append(admin2)
    admin1 = gpd.GeoDataFrame(pd.concat(admin1_parts, ignore_index=True), crs=GEOGRAPHIC_CRS)
    admin2 = gpd.GeoDataFrame(pd.concat(admin2_parts, ignore_index=True), crs=GEOGRAPHIC_CRS)
    for code, local in NAME_OVERRIDES.items():
        row = admin1["unit_code"] == code
        old = admin1.loc[row, "unit_name"].iloc[0]
        admin1.loc[row, "aliases"] = "|".join(a for a in [old, *admin1.loc[row, "aliases"].iloc[0].split("|")] if a)
        admin1.loc[row, "unit_name"] = local

    # Parents, on the source geometries: OCHA's field, Burkina Faso's region of largest overlap.
    links = {
        code: ({"method": "field", "field": "ADM1_PCODE"} if country != "BFA" else {"method": "overlap"})
        for code, country in zip(admin2["unit_code"], admin2["country_iso3"])
    }
    admin2, links, notes = link_parents(admin2, admin1, links, set_name=NAME)
    for note in notes:
        print(f"parents: {note}")
    unknown = set(admin2["parent_code"]) - set(admin1["unit_code"])
    childless = set(admin1["unit_code"]) - set(admin2["parent_code"])
    if unknown or childless:
        raise SystemExit(f"parents unknown {unknown}, regions without units {childless}")
    # OCHA p-codes of Burkina Faso's units (Mali's and Niger's unit codes are their p-codes already).
    admin1["other_codes"], admin2["other_codes"] = burkina_pcodes(source, admin1, admin2)

    # One clean coverage (the sources disagree along international borders), then simplified with shared
    # edges kept shared.
    raw = np.asarray(admin2.geometry.values, dtype=object)
    ne_outlines = gpd.read_file(NATURAL_EARTH, layer="admin0").set_index("country_iso3").geometry
    cleaned, border_report = reconcile_borders(raw, admin2["country_iso3"].to_numpy(), ne_outlines, gap_width_deg)
    check_coverage(cleaned, "cleaned coverage")
    simplified = shapely.coverage_simplify(cleaned, tolerance_deg)
    check_coverage(simplified, "simplified coverage")
    admin2 = admin2.set_geometry(gpd.GeoSeries(simplified, index=admin2.index, crs=GEOGRAPHIC_CRS))
    projected = {k: gpd.GeoSeries(v, crs=GEOGRAPHIC_CRS).to_crs(EQUAL_AREA_CRS) for k, v in
                 (("cleaned", cleaned), ("simplified", simplified))}
    moved_by_simplifying = projected["cleaned"].symmetric_difference(projected["simplified"]).area.sum() / 2e6
    shift_by_simplifying = projected["cleaned"].hausdorff_distance(projected["simplified"]).max()

    # Admin 1 from the admin-2 units, so both levels and the country outlines share their edges.
    regions = []
    for code, group in admin2.groupby("parent_code", sort=True):
        row = admin1.loc[admin1["unit_code"] == code].iloc[0]
        regions.append({
            "unit_code": code, "unit_name": row["unit_name"], "aliases": row["aliases"], "other_codes": row["other_codes"],
            "country_iso3": row["country_iso3"], "parent_code": "", "parent_name": "",
            "geometry": shapely.coverage_union_all(np.asarray(group.geometry.values, dtype=object)),
        })
    source_regions = admin1.set_index("unit_code").geometry
    admin1 = gpd.GeoDataFrame(regions, geometry="geometry", crs=GEOGRAPHIC_CRS)
    check_coverage(admin1.geometry.values, "admin1 coverage")
    region_change = {
        code: round(area_km2(geom.symmetric_difference(source_regions[code])) / area_km2(source_regions[code]), 4)
        for code, geom in zip(admin1["unit_code"], admin1.geometry)
    }

    # Admin 0: the three countries from their regions; neighbours from Natural Earth, cut where they overlap them.
    core = {c: shapely.coverage_union_all(admin1.loc[admin1["country_iso3"] == c].geometry.values) for c in CORE_COUNTRIES}
    three = shapely.union_all(list(core.values()))
    ne = gpd.read_file(NATURAL_EARTH, layer="admin0")
    rows = []
    for _, country in ne.sort_values("unit_code").iterrows():
        iso3 = country["country_iso3"]
        if iso3 in core:
            geom = core[iso3]
        else:
            geom = shapely.make_valid(country.geometry.difference(three))
            parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and area_km2(p) > 1.0]
            geom = shapely.MultiPolygon(parts) if len(parts) > 1 else parts[0]
        rows.append({"unit_code": iso3, "unit_name": country["unit_name"], "aliases": "", "other_codes": "", "country_iso3": iso3,
                     "parent_code": "", "parent_name": "", "geometry": geom})
    admin0 = gpd.GeoDataFrame(rows, geometry="geometry", crs=GEOGRAPHIC_CRS)

    layers = {"admin0": admin0, "admin1": admin1, "admin2": admin2}
    for level, gdf in layers.items():
        gdf["area_km2"] = units_area_km2(gdf)
        assert gdf.geometry.is_valid.all(), level
        assert gdf["unit_code"].is_unique, level
        layers[level] = gdf.sort_values("unit_code", ignore_index=True)[[*UNIT_COLUMNS, *OPTIONAL_UNIT_COLUMNS]]
    layers["admin2"]["parent_name"] = layers["admin2"]["parent_code"].map(dict(zip(admin1["unit_code"], admin1["unit_name"])))

    meta = {
        "name": NAME,
        "attribution": ATTRIBUTION,
        "source": "Mali: OCHA COD-AB 2021-12-20; Niger: OCHA COD-AB 2023-07-20; Burkina Faso: geoBoundaries "
        "gbOpen 2017; neighbours' outlines: Natural Earth (via the natural-earth set)",
        "licence": "CC BY-IGO (OCHA COD-AB, Mali and Niger); CC BY 4.0 (geoBoundaries, Burkina Faso); "
        "public domain (Natural Earth outlines)",
        "version": "MLI 2021-12-20; NER 2023-07-20; BFA 2017",
        "built_by": "scripts/build_cod_boundaries.py",
        "countries": SOURCES,
        "neighbours": {
            "source": "Natural Earth 10 m admin-1, dissolved (admin0 layer of natural-earth.gpkg), minus the three "
            "countries", "licence": "Public domain",
        },
        "files": [
            {"file": name, "sha256": sha256(source / name), "country": country}
            for country, names in FILES.items() for name in names
        ] + [{"file": BFA_PCODES, "sha256": sha256(source / BFA_PCODES), "country": "BFA", "use": "OCHA p-codes (other_codes)"}],
        "levels": {
            "admin1": "Mali 10 (OCHA ML01 … ML10), Burkina Faso 13 (ISO 3166-2 BF-01 … BF-13), Niger 8 (OCHA NE001 … NE008); "
            "each the union of its admin-2 units",
            "admin2": "Mali 53 cercles (ML0101 …), Burkina Faso 45 provinces (ISO 3166-2 BF-BAL …), "
            "Niger 67 départements (NE001001 …)",
            "other_codes": "Burkina Faso's regions and provinces also answer to their OCHA p-codes (BF46, BF4603 …), "
            "the codes of ACLED's aggregate tables on HDX",
            "admin0": "the three countries (union of their admin-1 units) and their neighbours (Natural Earth)",
        },
        "parents": links,
        "processing": {
            "coverage_clean_gap_width_deg": gap_width_deg,
            "coverage_simplify_tolerance_deg": tolerance_deg,
            **border_report,
            "area_moved_by_simplifying_km2": round(float(moved_by_simplifying), 1),
            "largest_edge_shift_by_simplifying_m": round(float(shift_by_simplifying), 1),
            "largest_region_change_share": max(region_change.values()),
        },
        "caveats": "Mali's 2021 frame: Ménaka is a region (ML10) and Taoudénit is still inside Tombouctou; the 2023 "
        "Bandiagara and Douentza regions are Mopti's cercles. Burkina Faso: the 13 regions of 2017, not the 2025 "
        "re-division. International borders: where the sources disagree, each overlap and gap went to the "
        "neighbouring unit with the longest common border.",
    }
    return layers, meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help=f"folder of the six files (default {DEFAULT_SOURCE})")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--tolerance-deg", type=float, default=TOLERANCE_DEG)
    parser.add_argument("--gap-width-deg", type=float, default=GAP_WIDTH_DEG)
    args = parser.parse_args()
    missing = [name for names in [*FILES.values(), [BFA_PCODES]] for name in names if not (args.source / name).exists()]
    if missing:
        raise SystemExit(f"missing in {args.source}: {', '.join(missing)}")
    layers, meta = build(args.source, tolerance_deg=args.tolerance_deg, gap_width_deg=args.gap_width_deg)
    write_boundary_set(args.out, layers, meta)
    for level, gdf in layers.items():
        counts = gdf.groupby("country_iso3").size().to_dict()
        print(f"{level}: {len(gdf)} units {counts}, {shapely.get_num_coordinates(gdf.geometry.values).sum():,} vertices")
    for key, value in meta["processing"].items():
        print(f"{key}: {value}")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
