"""`python -m geo`: the contract (commands, flags, JSON keys, CSV columns) and its error behaviour."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pandas as pd
import pytest
from helpers import REPO, acled_csv, acled_row

CONTRACT_COLUMNS = [
    "source", "boundaries", "level", "country_iso3", "unit_code", "unit_name", "period", "events", "fatalities",
    "civilian_events", "events_per_10k_km2",
]


def run(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run([sys.executable, "-m", "geo", *args], cwd=REPO, capture_output=True, text=True, env=env, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}: {proc.stderr}")
    return proc


def test_ingest_json_contract_and_batches_and_rollback(tmp_path, write):
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    path = write("a.csv", acled_csv(acled_row(event_id="C1"), acled_row(event_id="C2", fatalities="x")))
    out = json.loads(run("ingest", str(path), "--db", db, "--json").stdout)
    for key in ("batch_id", "format", "rows_read", "new", "updated", "duplicates", "rejected", "outside_area"):
        assert key in out
    assert (out["batch_id"], out["format"], out["rows_read"], out["new"], out["rejected"]) == (1, "acled", 2, 1, 1)
    assert out["rejections"][0]["line"] == 3
    text = run("ingest", str(path), "--db", db).stdout
    assert "duplicates" in text and "line 3" in text
    batches = json.loads(run("batches", "--db", db, "--json").stdout)
    assert [b["batch_id"] for b in batches] == [1, 2] and batches[0]["sha256"]
    assert "acled" in run("batches", "--db", db).stdout
    rejected = pd.read_csv(io.StringIO(run("rejected", "1", "--db", db).stdout))
    assert rejected["line"].tolist() == [3]
    assert "rolled back" in run("rollback", "2", "--db", db).stdout


def test_aggregate_csv_contract(tmp_path, write):
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    run("ingest", str(write("a.csv", acled_csv(acled_row(event_id="C1"), acled_row(event_id="C2", lat="30", lon="10")))), "--db", db)
    out = tmp_path / "agg.csv"
    run("aggregate", "--db", db, "--level", "admin1", "--period", "quarter", "--from", "2019-01-01", "--to", "2019-12-31",
        "--source", "acled", "--event-type", "Violence against civilians", "--out", str(out))
    table = pd.read_csv(out, keep_default_na=False)
    assert CONTRACT_COLUMNS == [c for c in table.columns if c in CONTRACT_COLUMNS]
    assert set(table["period"]) == {"2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4"}
    assert table["events"].sum() == 2
    assert table.loc[table["unit_code"] == "_OUTSIDE", "events"].sum() == 1
    admin2 = pd.read_csv(io.StringIO(run("aggregate", "--db", db, "--level", "admin2", "--no-empty").stdout), keep_default_na=False)
    assert list(admin2.columns[:3]) == ["source", "boundaries", "level"]
    first = admin2.iloc[0]  # the default set has Mali's cercles: the Mopti event is in one of them
    assert (first["boundaries"], first["parent_code"], first["events"]) == ("ocha-geoboundaries", "ML05", 1)
    assert first["unit_code"].startswith("ML05") and len(first["unit_code"]) == 6
    stdout = run("aggregate", "--db", db, "--boundaries", "natural-earth", "--level", "admin2", "--no-empty").stdout
    assert "_UNALLOCATED" in stdout  # a Mopti event has no admin2 unit in the Natural Earth set


def test_aggregate_of_an_empty_store_uses_the_sample_and_says_so(tmp_path):
    proc = run("aggregate", "--db", f"sqlite:///{tmp_path / 'empty.sqlite'}", "--no-empty")
    assert "SYNTHETIC SAMPLE" in proc.stderr
    assert set(pd.read_csv(io.StringIO(proc.stdout))["source"]) == {"sample"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["ingest", "/no/such/file.csv"], "no such file"),
        (["aggregate", "--level", "admin3"], "invalid choice"),
        (["aggregate", "--from", "2019-13-01"], "not a date"),
        (["aggregate", "--boundaries", "nope"], "no boundary set named 'nope'"),
        (["aggregate", "--preset", "nope"], "unknown preset"),
        (["rollback", "42"], "no batch 42"),
        (["rollback", "abc"], "invalid int"),
        (["boundaries", "add", "/no/file.shp", "--name", "x"], "does not exist"),
        (["ingest", "--format", "generic", "PLACEHOLDER"], "match no known format"),
    ],
)
def test_user_errors_exit_non_zero_with_one_clear_line(tmp_path, write, args, message):
    if "PLACEHOLDER" in args:
        args = [a if a != "PLACEHOLDER" else str(write("g.csv", "Date,Lat,Lon\n2019-01-01,14,-3\n")) for a in args]
    proc = run(*args, "--db", str(tmp_path / "x.sqlite"), check=False) if args[0] in ("ingest", "aggregate", "rollback") else run(*args, check=False)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert message in lines[0]


def test_generic_ingest_with_map_flags(tmp_path, write):
    path = write("g.csv", "Date,Lat,Lon,Dead\n2019-03-23,14.25,-3.63,5\n")
    out = json.loads(run("ingest", str(path), "--db", str(tmp_path / "g.sqlite"), "--map", "event_date=Date", "--map", "latitude=Lat",
                         "--map", "longitude=Lon", "--map", "fatalities=Dead", "--json").stdout)
    assert (out["format"], out["new"]) == ("generic", 1)


def test_boundaries_list_json():
    sets = json.loads(run("boundaries", "list", "--json").stdout)
    ne = next(s for s in sets if s["name"] == "natural-earth")
    assert ne["shipped"] and ne["levels"]["admin1"]["units"] == 30 and ne["levels"]["admin2"]["units"] == 45
    cod = next(s for s in sets if s["name"] == "ocha-geoboundaries")
    assert cod["shipped"] and cod["levels"]["admin1"]["units"] == 31 and cod["levels"]["admin2"]["units"] == 165
    assert cod["attribution"] == "OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)"
    assert [(g["method"], g["units"], g["countries"]) for g in cod["parents"]] == [("field", 120, ["MLI", "NER"]), ("overlap", 45, ["BFA"])]
    assert len(cod["parent_links"]) == 165
    text = run("boundaries", "list").stdout
    assert "attribution: OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)" in text
    assert "admin2 parents: 120 (MLI, NER) from field ADM1_PCODE; 45 (BFA) by largest overlap with ocha-geoboundaries admin1" in text


def test_ingest_a_zip_and_refuse_an_unsafe_one(tmp_path, write):
    import zipfile

    good = tmp_path / "week.zip"
    with zipfile.ZipFile(good, "w") as z:
        z.writestr("a.csv", acled_csv(acled_row(event_id="Z1")))
        z.writestr("b.csv", acled_csv(acled_row(event_id="Z2")))
    out = json.loads(run("ingest", str(good), "--db", str(tmp_path / "z.sqlite"), "--json").stdout)
    assert out["new"] == 2 and [f["file"] for f in out["files"]] == ["week.zip/a.csv", "week.zip/b.csv"]
    bad = tmp_path / "evil.zip"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("../../evil.csv", "a,b\n1,2\n")
    proc = run("ingest", str(bad), "--db", str(tmp_path / "z.sqlite"), check=False)
    assert proc.returncode == 1 and "outside the archive" in proc.stderr and "Traceback" not in proc.stderr


def test_hash_password_round_trip():
    from geo.auth import verify_password

    proc = subprocess.run([sys.executable, "-m", "geo", "hash-password", "--password-stdin"], cwd=REPO, input="pa55\n",
                          capture_output=True, text=True)
    stored = proc.stdout.strip()
    assert stored.startswith("scrypt$") and "pa55" not in stored
    assert verify_password("pa55", stored) and not verify_password("other", stored) and not verify_password("pa55", "garbage")


def test_ingest_has_no_size_limit_unless_asked_for(tmp_path, write, monkeypatch):
    # The upload page's limit ([ingest] max_file_mb) does not bind the analyst's own command line.
    import re

    settings = (REPO / "atlas.toml").read_text()
    settings = re.sub(r"(?m)^max_file_mb = .*$", "max_file_mb = 0.001", settings)
    settings = re.sub(r'(?m)^(\w+) = "(data/[^"]*)"$', lambda m: f'{m[1]} = "{REPO / m[2]}"', settings)
    monkeypatch.setenv("ATLAS_CONFIG", str(write("atlas.toml", settings)))
    from geo.config import get_settings

    assert get_settings().max_file_mb == 0.001
    big = write("big.csv", acled_csv(*[acled_row(event_id=f"B{i}") for i in range(50)]))
    assert big.stat().st_size > 1.5 * 1024
    db = str(tmp_path / "s.sqlite")
    assert json.loads(run("ingest", str(big), "--db", db, "--json", "--dry-run").stdout)["new"] == 50
    assert json.loads(run("ingest", str(big), "--db", db, "--json", "--dry-run", "--no-size-limit").stdout)["new"] == 50
    proc = run("ingest", str(big), "--db", db, "--max-file-mb", "0.001", check=False)
    assert proc.returncode == 1 and "over the limit" in proc.stderr
    archive = tmp_path / "big.zip"
    import zipfile

    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(big, "big.csv")
    assert json.loads(run("ingest", str(archive), "--db", db, "--json", "--dry-run").stdout)["new"] == 50
    proc = run("ingest", str(archive), "--db", db, "--max-file-mb", "0.001", check=False)
    assert proc.returncode == 1 and "big.zip" in proc.stderr and "limit" in proc.stderr
