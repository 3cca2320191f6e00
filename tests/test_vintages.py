"""Successive vintages of the same dataset: exact new / updated / duplicate accounting, versions written only
for changed rows, and a batch whose accounting does not balance refused whole.

The vintages are built at test time, in tmp_path, from the real ACLED export in ../shared (ACLED rows never
enter the repository): a first vintage of 3,000 rows, then a second one with 1,000 of them unchanged, 500
changed (fatalities or notes edited, with a newer `timestamp`) and 500 rows the first did not have; once
with ACLED's `timestamp` column and once without it (an ACLED API pull).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from helpers import ACLED_REAL, REPO, needs_real_data

from geo.cli import main

pytestmark = needs_real_data

FIRST, UNCHANGED, CHANGED, NEW = 3000, 1000, 500, 500


def _real_rows() -> pd.DataFrame:
    return pd.read_csv(ACLED_REAL, dtype=str, keep_default_na=False, skiprows=[1])  # line 2: HXL hashtags


def build_vintages(tmp_path, *, with_timestamp: bool) -> tuple:
    """Write two vintages; return their paths and the ids of the changed rows."""
    rows = _real_rows()
    rng = np.random.default_rng(8)
    first = rows.iloc[:FIRST]
    picked = rng.permutation(FIRST)
    unchanged = first.iloc[np.sort(picked[:UNCHANGED])]
    changed = first.iloc[np.sort(picked[UNCHANGED:UNCHANGED + CHANGED])].copy()
    half = len(changed) // 2
    fatalities = changed["fatalities"].astype(int)
    changed.iloc[:half, changed.columns.get_loc("fatalities")] = (fatalities.iloc[:half] + 2).astype(str)
    changed.iloc[half:, changed.columns.get_loc("notes")] = changed["notes"].iloc[half:] + " [revised]"
    changed["timestamp"] = (changed["timestamp"].astype(int) + 86_400).astype(str)
    new = rows.iloc[FIRST:FIRST + NEW]
    second = pd.concat([new, changed, unchanged]).sample(frac=1.0, random_state=3)  # any order
    paths = []
    for name, frame in (("vintage1.csv", first), ("vintage2.csv", second)):
        if not with_timestamp:
            frame = frame.drop(columns=["timestamp"])
        frame.to_csv(tmp_path / name, index=False)
        paths.append(tmp_path / name)
    return paths[0], paths[1], set(changed["event_id_cnty"])


def ingest_json(capsys, *args: str) -> dict:
    capsys.readouterr()
    code = main(["ingest", *map(str, args), "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


def counts(report: dict) -> tuple:
    return tuple(report[k] for k in ("rows_read", "new", "updated", "duplicates", "rejected", "outside_area"))


@pytest.mark.parametrize("with_timestamp", [True, False], ids=["hdx-export", "api-pull-without-timestamp"])
def test_second_vintage_counts_unchanged_changed_and_new_rows_exactly(tmp_path, capsys, with_timestamp):
    from geo.store import Store

    first, second, changed_ids = build_vintages(tmp_path, with_timestamp=with_timestamp)
    db = tmp_path / "store.sqlite"
    report = ingest_json(capsys, first, "--db", db)
    assert counts(report) == (FIRST, FIRST, 0, 0, 0, 0)

    report = ingest_json(capsys, second, "--db", db)
    assert counts(report) == (UNCHANGED + CHANGED + NEW, NEW, CHANGED, UNCHANGED, 0, 0)
    store = Store(f"sqlite:///{db}")
    versions = store.snapshot()["event_versions"]
    # A version is kept for exactly the changed rows: none for the 1,000 unchanged ones.
    assert sorted(versions["event_id"]) == sorted(changed_ids)
    assert set(versions["change"]) == {"updated"} and set(versions["superseded_by"]) == {report["batch_id"]}
    assert store.count_events() == FIRST + NEW

    # The same second file again: every row an unchanged duplicate, nothing written.
    again = ingest_json(capsys, second, "--db", db)
    assert counts(again) == (UNCHANGED + CHANGED + NEW, 0, 0, UNCHANGED + CHANGED + NEW, 0, 0)
    assert len(store.snapshot()["event_versions"]) == CHANGED
    store.dispose()


def test_a_batch_whose_accounting_does_not_balance_is_refused_even_under_python_O(tmp_path):
    """The check is not an `assert` (which `python -O` strips): the batch is refused and nothing stored."""
    from geo.store import Store

    first, _, _ = build_vintages(tmp_path, with_timestamp=True)
    db = tmp_path / "store.sqlite"
    driver = tmp_path / "driver.py"
    driver.write_text(textwrap.dedent(f"""
        import sys
        import geo.ingest
        from geo.cli import main

        classify = geo.ingest.classify_rows

        def losing_a_row(prepared, existing):  # a classification that forgets one row
            classes, rejected, notes = classify(prepared, existing)
            classes.iloc[0, classes.columns.get_loc("bucket")] = "lost"
            return classes, rejected, notes

        geo.ingest.classify_rows = losing_a_row
        sys.exit(main(["ingest", {str(first)!r}, "--db", {str(db)!r}, "--json"]))
    """))
    proc = subprocess.run([sys.executable, "-O", str(driver)], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "ATLAS_HOME": str(tmp_path / "home")})
    assert proc.returncode == 1, proc.stderr
    assert "row accounting does not balance" in proc.stderr and "nothing was stored" in proc.stderr
    assert "Traceback" not in proc.stderr
    store = Store(f"sqlite:///{db}")
    assert store.batches().empty and store.count_events() == 0
    store.dispose()
