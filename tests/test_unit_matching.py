"""Units of ACLED's aggregate tables matched to a boundary set by code, then by name; what matches nothing is said,
and admin-2 units a set lacks roll up to admin 1 by their parent (never spread by area)."""

from __future__ import annotations

import pandas as pd
from helpers import BFA_PCODES_REAL, HAPI_REAL, HDX_BFA_REAL, needs_aggregate_data

from geo.boundaries import load_boundary_set
from geo.join import UNALLOCATED_CODE
from geo.readers import read_file
from geo.unit_matching import TABLE_UNIT_COLUMNS, match_units


def units(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=TABLE_UNIT_COLUMNS)


def test_the_default_set_knows_burkina_fasos_ocha_pcodes_beside_its_iso_codes():
    default = load_boundary_set("ocha-geoboundaries")
    provinces = default.code_index("admin2")
    regions = default.code_index("admin1")
    assert provinces["BF4603"] == "BF-KOS" and provinces["BF1300"] == "BF-KAD" and provinces["BF-KOS"] == "BF-KOS"
    assert regions["BF46"] == "BF-01" and regions["BF56"] == "BF-12" and regions["BF13"] == "BF-03"
    burkina = default.units("admin2")
    burkina = burkina[burkina["country_iso3"] == "BFA"]
    assert burkina["other_codes"].str.fullmatch(r"BF\d{4}").all() and burkina["other_codes"].is_unique
    # every province's OCHA region is its parent (checked by the boundary script, kept by the file)
    region_pcode = dict(zip(default.units("admin1")["unit_code"], default.units("admin1")["other_codes"]))
    assert all(code[:4] == region_pcode[parent] for code, parent in zip(burkina["other_codes"], burkina["parent_code"]))
    assert default.meta["countries"]["BFA"]["other_codes"].startswith("OCHA p-codes")


@needs_aggregate_data
def test_the_pcodes_built_in_are_those_of_ochas_table():
    table = pd.read_csv(BFA_PCODES_REAL, dtype=str, keep_default_na=False)
    default = load_boundary_set("ocha-geoboundaries")
    built = set(default.units("admin2")["other_codes"]) - {""}
    assert built == set(table["ADM2_PCODE"])


@needs_aggregate_data
def test_every_unit_of_the_real_tables_matches_the_default_set_by_code():
    for path, expected in ((HDX_BFA_REAL, {"BFA": 45}), (HAPI_REAL, {"BFA": 45, "MLI": 53, "NER": 67})):
        rows = read_file(path).rows
        matched = match_units(rows[TABLE_UNIT_COLUMNS].drop_duplicates(), load_boundary_set("ocha-geoboundaries"))
        assert (matched["matched_by"] == "code").all(), matched[matched["matched_by"] != "code"]
        assert matched.groupby("country_iso3").size().to_dict() == expected
        assert matched["admin2_code"].is_unique
    komandjari = matched[matched["admin2_name"] == "Komandjari"].iloc[0]
    assert (komandjari["admin2_code"], komandjari["admin1_code"]) == ("BF-KMD", "BF-08")


@needs_aggregate_data
def test_in_natural_earth_admin_2_rows_roll_up_to_their_region_and_the_rest_is_said():
    rows = read_file(HAPI_REAL).rows
    matched = match_units(rows[TABLE_UNIT_COLUMNS].drop_duplicates(), load_boundary_set("natural-earth"))
    by = matched.groupby(["country_iso3", "matched_by"]).size().to_dict()
    # Burkina Faso's provinces by name (ACLED's Komandjari through the aliases); Mali's and Niger's at admin 1 only;
    # Mali's Ménaka cercles (a region Natural Earth does not have) match nothing
    assert by == {("BFA", "name"): 45, ("MLI", "admin1"): 49, ("MLI", "none"): 4, ("NER", "admin1"): 67}
    rolled = matched[matched["matched_by"] == "admin1"]
    assert (rolled["admin2_code"] == UNALLOCATED_CODE).all()
    assert "no admin-2 unit of this set has the code or name of NE" in rolled[rolled["country_iso3"] == "NER"]["reason"].iloc[0]
    mopti = matched[matched["admin2_pcode"] == "ML0502"].iloc[0]
    assert mopti["admin1_code"] == "ML-5"  # Bankass counts in Mopti, by its parent's name
    menaka = matched[matched["matched_by"] == "none"]
    assert set(menaka["admin1_pcode"]) == {"ML10"}
    assert (menaka["admin1_code"] == UNALLOCATED_CODE).all()
    assert "nor an admin-1 unit that of its region ML10 (Menaka)" in menaka["reason"].iloc[0]


def test_a_code_of_another_country_or_an_unknown_name_matches_nothing_and_names_settle_by_parent():
    default = load_boundary_set("ocha-geoboundaries")
    matched = match_units(units(
        ("BFA", 2, "BF56", "Sahel", "ML0502", "Bankass"),  # a Malian code in a Burkina table: not taken
        ("BFA", 2, "", "Sahel", "", "Soum"),  # no codes: by name
        ("BFA", 2, "", "Sahel", "", "Nowhere"),  # rolls up to its region
        ("BFA", 2, "", "Atlantis", "", "Nowhere"),  # nothing
        ("MLI", 1, "ML05", "Mopti", "", ""),  # an admin-1 row
    ), default)
    assert matched["matched_by"].tolist() == ["admin1", "name", "admin1", "none", "code"]
    assert matched["admin2_code"].tolist() == [UNALLOCATED_CODE, "BF-SOM", UNALLOCATED_CODE, UNALLOCATED_CODE, UNALLOCATED_CODE]
    assert matched["admin1_code"].tolist() == ["BF-12", "BF-12", "BF-12", UNALLOCATED_CODE, "ML05"]
    assert matched["reason"].iloc[1] == "" and "no admin-2 unit of this set has the code or name of ML0502 (Bankass)" in matched["reason"].iloc[0]
