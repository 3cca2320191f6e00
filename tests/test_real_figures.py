"""The figures of the policy brief the atlas starts from, through the product's own ingest and aggregate
(`python -m geo`), on the real ACLED export of August 2020 (../shared/data/real, never copied here).

Brief: more than 4,000 killed in the three countries in 2019 against 770 in 2016, nearly half of them in
Burkina Faso, over 600 in Mopti in the first half of 2019. Measured on both shipped boundary sets:

| set | level | 2019 | 2016 | Burkina Faso 2019 (brief 2,219) | Mopti H1 2019 (brief 836) |
|---|---|---|---|---|---|
| ocha-geoboundaries (default) | admin1, admin2 | 4,825 | 768 | 2,218 | 822 |
| natural-earth | admin1 | 4,825 | 768 | 2,203 | 849 |

Totals are exact over all rows (units, `_OUTSIDE`, `_UNALLOCATED`). Country and region figures differ from
the brief's (which trust ACLED's declared admin1) where coordinates fall across a boundary.
"""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from helpers import ACLED_REAL, UCDP_REAL, needs_real_data
from test_cli import run

pytestmark = needs_real_data

#: Mopti's admin-1 code in each shipped set.
MOPTI = {"ocha-geoboundaries": "ML05", "natural-earth": "ML-5"}
SETS = pytest.mark.parametrize("boundaries", ["ocha-geoboundaries", "natural-earth"])


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'real.sqlite'}"
    report = json.loads(run("ingest", str(ACLED_REAL), "--db", url, "--json").stdout)
    assert (report["rows_read"], report["new"], report["rejected"], report["outside_area"]) == (8069, 8069, 0, 0)
    # UCDP in the same store must not change any ACLED figure.
    run("ingest", str(UCDP_REAL), "--db", url, "--json")
    return url


def aggregate(db: str, *args: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(run("aggregate", "--db", db, "--source", "acled", *args).stdout), keep_default_na=False, dtype={"period": str})


@SETS
def test_2019_total_is_exact_at_both_levels(db, boundaries):
    for level in ("admin1", "admin2"):
        table = aggregate(db, "--boundaries", boundaries, "--level", level, "--from", "2019-01-01", "--to", "2019-12-31")
        assert table["fatalities"].sum() == 4825, level


@SETS
def test_2016_total_is_exact(db, boundaries):
    table = aggregate(db, "--boundaries", boundaries, "--period", "year")
    assert table.loc[table["period"] == "2016", "fatalities"].sum() == 768
    assert table.loc[table["period"] == "2019", "fatalities"].sum() == 4825


@SETS
def test_burkina_faso_2019(db, boundaries):
    table = aggregate(db, "--boundaries", boundaries, "--from", "2019-01-01", "--to", "2019-12-31", "--country", "BFA")
    assert table["fatalities"].sum() == pytest.approx(2219, rel=0.01)


@SETS
def test_mopti_first_half_of_2019(db, boundaries):
    table = aggregate(db, "--boundaries", boundaries, "--from", "2019-01-01", "--to", "2019-06-30")
    mopti = table.loc[table["unit_code"] == MOPTI[boundaries], "fatalities"].sum()
    assert mopti == pytest.approx(836, rel=0.05)


def test_the_default_set_holds_the_figures_at_admin2_too(db):
    """Admin 2 of the default set: Mali's and Niger's units are filled, Mopti's cercles add up to Mopti."""
    admin1 = aggregate(db, "--level", "admin1", "--from", "2019-01-01", "--to", "2019-06-30")
    admin2 = aggregate(db, "--level", "admin2", "--from", "2019-01-01", "--to", "2019-06-30")
    assert set(admin2["boundaries"]) == {"ocha-geoboundaries"}
    cercles = admin2[admin2["parent_code"] == "ML05"]
    assert len(cercles) == 8 and cercles["fatalities"].sum() > 600  # "over 600 in Mopti in H1 2019"
    mopti = admin1.loc[admin1["unit_code"] == "ML05", "fatalities"].sum()
    unallocated = admin2[admin2["unit_code"] == "_UNALLOCATED"]
    assert cercles["fatalities"].sum() <= mopti <= cercles["fatalities"].sum() + unallocated["fatalities"].sum()
    # Events too vaguely located for a cercle are the only ones without an admin-2 unit.
    assert unallocated["events"].sum() < 0.02 * admin2["events"].sum()
    placed = admin2[~admin2["unit_code"].str.startswith("_")].groupby("country_iso3")["events"].sum()
    assert placed["MLI"] > 300 and placed["NER"] > 100


def test_the_three_countries_share_of_2019(db):
    table = aggregate(db, "--from", "2019-01-01", "--to", "2019-12-31")
    by_country = table.groupby("country_iso3")["fatalities"].sum()
    assert by_country.sum() == 4825
    assert by_country["BFA"] / 4825 == pytest.approx(0.46, abs=0.02)  # "nearly half in Burkina Faso"
