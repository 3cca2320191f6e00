"""The figures of the policy brief the atlas starts from, through the product's own ingest and aggregate
(`python -m geo`), on the real ACLED export of August 2020 (../shared/data/real, never copied here)."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from helpers import ACLED_REAL, UCDP_REAL, needs_real_data
from test_cli import run

pytestmark = needs_real_data


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('real') / 'real.sqlite'}"
    report = json.loads(run("ingest", str(ACLED_REAL), "--db", url, "--json").stdout)
    assert (report["rows_read"], report["new"], report["rejected"]) == (8069, 8069, 0)
    # UCDP in the same store must not change any ACLED figure.
    run("ingest", str(UCDP_REAL), "--db", url, "--json")
    return url


def aggregate(db: str, *args: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(run("aggregate", "--db", db, "--source", "acled", *args).stdout), keep_default_na=False, dtype={"period": str})


def test_2019_total_is_exact_at_both_levels(db):
    for level in ("admin1", "admin2"):
        table = aggregate(db, "--level", level, "--from", "2019-01-01", "--to", "2019-12-31")
        assert table["fatalities"].sum() == 4825, level


def test_2016_total_is_exact(db):
    table = aggregate(db, "--period", "year")
    assert table.loc[table["period"] == "2016", "fatalities"].sum() == 768
    assert table.loc[table["period"] == "2019", "fatalities"].sum() == 4825


def test_burkina_faso_2019(db):
    table = aggregate(db, "--from", "2019-01-01", "--to", "2019-12-31", "--country", "BFA")
    assert table["fatalities"].sum() == pytest.approx(2219, rel=0.01)


def test_mopti_first_half_of_2019(db):
    table = aggregate(db, "--from", "2019-01-01", "--to", "2019-06-30")
    mopti = table.loc[table["unit_code"] == "ML-5", "fatalities"].sum()
    assert mopti == pytest.approx(836, rel=0.05)


def test_the_three_countries_share_of_2019(db):
    table = aggregate(db, "--from", "2019-01-01", "--to", "2019-12-31")
    by_country = table.groupby("country_iso3")["fatalities"].sum()
    assert by_country.sum() == 4825
    assert by_country["BFA"] / 4825 == pytest.approx(0.46, abs=0.02)  # "nearly half in Burkina Faso"
