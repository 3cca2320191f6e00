"""Successive vintages of the same dataset: exact new / updated / duplicate accounting, versions written only
for changed rows, and a batch whose accounting does not balance refused whole.

The vintages are built at test time, in tmp_path, from the real ACLED export in ../shared (ACLED rows never
enter the repository): a first vintage of 3,000 rows, then a second one with 1,000 of them unchanged, 500
changed (fatalities or notes edited, with a newer `timestamp`) and 500 events from before the dates the first
covered; once
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
from vintage_scenario import ACTOR_2019, ACTOR_2024, PULL_LACKS, build_niger_pulls

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
    # New rows: events from before the dates the first vintage covered (the second one covers a longer period).
    later_rows = rows.iloc[FIRST:]
    covered_from = first.groupby("iso3")["event_date"].min()
    earlier = later_rows["event_date"] < later_rows["iso3"].map(covered_from).fillna("9999")
    new = later_rows[earlier].iloc[:NEW]
    assert len(new) == NEW
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
    if with_timestamp:
        assert report["warnings"] == []  # a newer vintage with events of earlier dates: nothing to warn about
    else:
        # Without timestamps, both files' newest events fall on the same day: which is newer cannot be told.
        (warning,) = report["warnings"]
        assert warning["kind"] == "vintage_unknown" and warning["count"] == CHANGED
        assert set(warning["event_ids"]) <= changed_ids and len(warning["event_ids"]) == 100
    changes = pd.DataFrame(report["changes"])
    assert set(changes["event_id"]) == changed_ids
    expected_fields = {"fatalities", "notes", "revision_timestamp"} if with_timestamp else {"fatalities", "notes"}
    assert set(changes["field"]) == expected_fields
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

        def losing_a_row(*args):  # a classification that forgets one row
            classes, rejected, notes = classify(*args)
            classes.iloc[0, classes.columns.get_loc("bucket")] = "lost"
            return classes, rejected, notes

        geo.ingest.classify_rows = losing_a_row
        sys.exit(main(["ingest", {str(first)!r}, "--db", {str(db)!r}, "--json"]))
    """))
    proc = subprocess.run([sys.executable, "-O", str(driver)], cwd=REPO, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "ATLAS_HOME": str(tmp_path / "home"),
                               "PYTHONDONTWRITEBYTECODE": "1"})  # (nothing written into the working tree)
    assert proc.returncode == 1, proc.stderr
    assert "row accounting does not balance" in proc.stderr and "nothing was stored" in proc.stderr
    assert "Traceback" not in proc.stderr
    store = Store(f"sqlite:///{db}")
    assert store.batches().empty and store.count_events() == 0
    store.dispose()


# ---------------------------------------------------------------------------------------------- warnings


def _write(frame: pd.DataFrame, path) -> str:
    frame.to_csv(path, index=False)
    return str(path)


def warnings_of(report: dict) -> dict:
    return {w["kind"]: w for w in report["warnings"]}


def test_an_older_vintage_is_warned_before_the_commit_with_its_counts(tmp_path, capsys):
    rows = _real_rows().iloc[:FIRST]
    db = tmp_path / "store.sqlite"
    left_out = rows.iloc[100:200]
    later = rows.drop(index=left_out.index)  # the later vintage: ACLED deleted 100 events meanwhile
    ingest_json(capsys, _write(later, tmp_path / "later.csv"), "--db", db)
    older = rows.assign(timestamp=(rows["timestamp"].astype(int) - 30 * 86_400).astype(str))  # a month earlier
    path = _write(older, tmp_path / "older.csv")

    report = ingest_json(capsys, path, "--db", db, "--dry-run")
    assert counts(report) == (FIRST, 100, 0, FIRST - 100, 0, 0)
    found = warnings_of(report)
    assert set(found) == {"older_vintage", "restores_dropped"}
    assert found["older_vintage"]["counts"] == {"rows": FIRST, "older_revisions": FIRST - 100, "new": 100, "updated": 0}
    assert "2020-07-04" in found["older_vintage"]["message"] and "2020-08-03" in found["older_vintage"]["message"]
    dropped = found["restores_dropped"]
    assert dropped["count"] == 100 and dropped["batches"] == [1]
    assert sorted(dropped["event_ids"]) == sorted(left_out["event_id_cnty"])
    # The text output says it too, before anything is stored.
    assert main(["ingest", path, "--db", str(db), "--dry-run"]) == 0
    text = capsys.readouterr().out
    assert "WARNING: older.csv is older than what the store holds" in text and "100 row(s) of older.csv" in text


def test_rows_that_bring_back_deleted_events_are_warned(tmp_path, capsys):
    rows = _real_rows().iloc[:500]
    db = tmp_path / "store.sqlite"
    vintage = _write(rows, tmp_path / "v.csv")
    ingest_json(capsys, vintage, "--db", db)
    gone = rows["event_id_cnty"].iloc[10:30]
    _write(pd.DataFrame({"event_id_cnty": gone}), tmp_path / "deleted.csv")
    assert main(["deletions", str(tmp_path / "deleted.csv"), "--db", str(db)]) == 0
    report = ingest_json(capsys, vintage, "--db", db, "--dry-run")
    assert (report["new"], report["duplicates"]) == (20, 480)
    found = warnings_of(report)
    assert set(found) == {"restores_deleted"}  # not counted again as left out by a later vintage
    assert found["restores_deleted"]["count"] == 20 and found["restores_deleted"]["batches"] == [2]
    assert sorted(found["restores_deleted"]["event_ids"]) == sorted(gone)


@pytest.mark.parametrize("with_timestamp", [True, False], ids=["hdx-export", "api-pull-without-timestamp"])
def test_updated_rows_list_their_changed_fields_and_hand_edits_are_flagged(tmp_path, capsys, with_timestamp):
    rows = _real_rows().iloc[:200]
    db = tmp_path / "store.sqlite"
    first = rows if with_timestamp else rows.drop(columns=["timestamp"])
    ingest_json(capsys, _write(first, tmp_path / "v1.csv"), "--db", db)
    revised = rows.iloc[:10].copy()  # ACLED revisions: more fatalities, a newer timestamp
    revised["fatalities"] = (revised["fatalities"].astype(int) + 3).astype(str)
    revised["timestamp"] = (revised["timestamp"].astype(int) + 86_400).astype(str)
    edited = rows.iloc[10:15].copy()  # edited by hand: the notes, timestamp unchanged
    edited["notes"] = "edited by hand"
    second = pd.concat([revised, edited])
    if not with_timestamp:
        second = second.drop(columns=["timestamp"])
    report = ingest_json(capsys, _write(second, tmp_path / "v2.csv"), "--db", db, "--dry-run")
    assert (report["updated"], report["duplicates"]) == (15, 0)
    changes = pd.DataFrame(report["changes"])
    fatalities = changes[changes["field"] == "fatalities"].set_index("event_id")
    assert sorted(fatalities.index) == sorted(revised["event_id_cnty"])
    one = revised.iloc[0]
    assert fatalities.loc[one["event_id_cnty"], "before"] == str(int(one["fatalities"]) - 3)
    assert fatalities.loc[one["event_id_cnty"], "after"] == one["fatalities"]
    notes = changes[changes["field"] == "notes"].set_index("event_id")
    assert sorted(notes.index) == sorted(edited["event_id_cnty"]) and set(notes["after"]) == {"edited by hand"}
    assert notes.loc[edited["event_id_cnty"].iloc[0], "before"] == rows["notes"].iloc[10]
    kinds = changes.drop_duplicates("event_id").set_index("event_id")["kind"]
    if with_timestamp:
        assert set(kinds[revised["event_id_cnty"]]) == {"ACLED revision (newer timestamp)"}
        assert set(kinds[edited["event_id_cnty"]]) == {"hand edit (same timestamp)"}
        assert warnings_of(report)["hand_edits"]["count"] == 5
        assert sorted(warnings_of(report)["hand_edits"]["event_ids"]) == sorted(edited["event_id_cnty"])
        stamps = changes[changes["field"] == "revision_timestamp"]
        assert len(stamps) == 10 and stamps["after"].str.contains("UTC").all()
    else:
        assert set(kinds) == {"no timestamp to tell"}
        # Both files' newest events fall on the same day: which version is newer cannot be told, and is said.
        assert [(w["kind"], w["count"]) for w in report["warnings"]] == [("vintage_unknown", 15)]


# ------------------------------------------------------------------------- issue 18: pulls and vintages


def _events(db) -> pd.DataFrame:
    from geo.store import Store

    store = Store(f"sqlite:///{db}")
    try:
        return store.load_events(sources=["acled"]).set_index("event_id")
    finally:
        store.dispose()


def test_a_pull_that_lacks_columns_does_not_erase_them(tmp_path, capsys):
    """Issue 18 §2: the April 2024 API pull (28 columns, no assoc_actor_*, no timestamp) over the August 2020 export."""
    s = build_niger_pulls(ACLED_REAL, tmp_path)
    header = s.april.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert len(header) == 28 and not set(PULL_LACKS) & set(header) and "disorder_type" in header
    db = tmp_path / "store.sqlite"
    ingest_json(capsys, ACLED_REAL, "--db", db)
    stored_before = _events(db)

    report = ingest_json(capsys, s.april, "--db", db, "--dry-run")
    changed = s.renamed | s.revised
    unchanged = s.pull_rows - len(s.later) - len(changed)
    assert counts(report) == (s.pull_rows, len(s.later), len(changed), unchanged, 0, 0)
    assert report["older_vintage"] == 0 and report["warnings"] == []
    changes = pd.DataFrame(report["changes"])
    # Only what the pull really changes: never a column it lacks, nor one the August 2020 export lacked.
    assert set(changes["field"]) == {"actor1", "actor2", "fatalities"}
    assert set(changes["event_id"]) == changed
    assert set(changes.loc[changes["field"] == "fatalities", "event_id"]) == s.revised
    assert set(changes.loc[changes["field"] != "fatalities", "after"]) == {ACTOR_2024}
    (summary,) = report["files"]
    assert summary["missing_columns"] == ["assoc_actor_1", "assoc_actor_2", "timestamp"]
    lacking = [n for n in report["notes"] if "lacks the column(s)" in n]
    assert len(lacking) == 1 and "assoc_actor_1, assoc_actor_2, timestamp" in lacking[0]
    assert f"{s.pull_rows - len(s.later):,} event(s)" in lacking[0]

    ingest_json(capsys, s.april, "--db", db)
    after = _events(db)
    # The columns the pull lacks keep their stored values, also in the new versions of the changed events.
    for column in ("assoc_actor_1", "assoc_actor_2"):
        pd.testing.assert_series_equal(after.loc[sorted(changed), column], stored_before.loc[sorted(changed), column])
    assert (stored_before.loc[sorted(changed), "assoc_actor_2"] != "").sum() > 10
    same = sorted(set(stored_before.index) & set(after.index) - changed)
    pd.testing.assert_frame_equal(after.loc[same].drop(columns="batch_id"), stored_before.loc[same].drop(columns="batch_id"))
    assert (after.loc[sorted(s.revised), "fatalities"] == stored_before.loc[sorted(s.revised), "fatalities"] + 1).all()


def test_an_older_vintage_does_not_overwrite_pulls_without_timestamps(tmp_path, capsys):
    """Issue 18 §3: after the April and May 2024 pulls (no timestamp), the July 2019 HDX vintage."""
    s = build_niger_pulls(ACLED_REAL, tmp_path)
    db = tmp_path / "store.sqlite"
    assert counts(ingest_json(capsys, s.april, "--db", db))[1] == s.pull_rows
    may = ingest_json(capsys, s.may, "--db", db)
    assert (may["new"], may["updated"], may["warnings"]) == (len(s.later_may), len(s.revised_may), [])

    report = ingest_json(capsys, s.july_2019, "--db", db, "--dry-run")
    new = s.july_rows - len(s.july_held)
    assert counts(report) == (s.july_rows, new, 0, len(s.july_held), 0, 0)
    assert report["older_vintage"] == len(s.july_differ) and report["changes"] == []
    assert report["files"][0]["older_vintage"] == len(s.july_differ)
    found = warnings_of(report)
    older = found["older_vintage"]
    assert older["counts"] == {"rows": s.july_rows, "older_revisions": len(s.july_differ), "new": new, "updated": 0}
    assert f"{len(s.july_differ):,} older revision(s) of stored events" in older["message"]
    assert "2019-07-08 12:00 UTC" in older["message"] and "2024-05-24" in older["message"]
    # The events ACLED deleted before the pulls come back with it: said too.
    assert sorted(found["restores_dropped"]["event_ids"]) == sorted(s.deleted)

    ingest_json(capsys, s.july_2019, "--db", db)
    after = _events(db)
    renamed = sorted(s.july_differ & s.renamed)
    assert len(renamed) > 10 and set(after.loc[renamed, ["actor1", "actor2"]].stack()) >= {ACTOR_2024}
    assert ACTOR_2019 not in set(after.loc[sorted(s.july_held), ["actor1", "actor2"]].stack())


def test_which_of_two_pulls_is_newer_cannot_always_be_told_and_is_said(tmp_path, capsys):
    """Issue 18 §3: the May pull edited and uploaded again: the same newest event day, no timestamps."""
    s = build_niger_pulls(ACLED_REAL, tmp_path)
    db = tmp_path / "store.sqlite"
    ingest_json(capsys, s.may, "--db", db)
    again = pd.read_csv(s.may, dtype=str, keep_default_na=False)
    edited = again["event_id_cnty"].iloc[[10, 20]]
    again.loc[edited.index, "fatalities"] = (again.loc[edited.index, "fatalities"].astype(int) + 5).astype(str)
    report = ingest_json(capsys, _write(again, tmp_path / "may_again.csv"), "--db", db, "--dry-run")
    assert (report["updated"], report["older_vintage"]) == (2, 0)
    (warning,) = report["warnings"]
    assert warning["kind"] == "vintage_unknown" and warning["count"] == 2 and sorted(warning["event_ids"]) == sorted(edited)
    assert warning["message"].startswith("2 row(s) of may_again.csv change stored events")


def test_a_store_of_schema_6_records_the_vintages_of_its_batches_when_opened(tmp_path, capsys):
    """The schema change of issue 18 (batch_vintages, Alembic revision 0007) on a store made before it: the vintage and
    absent columns of each batch are recorded from what it kept; its summaries and places stay as they are (no new
    placement). (The fixtures of tests/test_migrations.py hold no event without a timestamp: this store does.)"""
    import sqlite3

    from geo.store import SCHEMA_VERSION, Store
    from geo.store.migrate import HEAD

    s = build_niger_pulls(ACLED_REAL, tmp_path)
    db = tmp_path / "store.sqlite"
    ingest_json(capsys, s.april, "--db", db)
    ingest_json(capsys, s.may, "--db", db)
    expected = ingest_json(capsys, s.july_2019, "--db", db, "--dry-run")
    store = Store(f"sqlite:///{db}")
    before = store.snapshot(derived=True)
    with store.engine.connect() as conn:
        recorded = store.batch_vintages(conn, ["acled"]).sort_values("batch_id")
    store.dispose()
    con = sqlite3.connect(db)  # the store as schema 6 left it (before Alembic): no batch_vintages
    con.executescript("DROP TABLE batch_vintages; DROP TABLE alembic_version; "
                      "UPDATE meta SET value = '6' WHERE key = 'schema_version';")
    con.commit()
    con.close()

    store = Store(f"sqlite:///{db}")
    assert store.upgraded == ("0006", HEAD)  # (0007 and any later revision)
    with store.engine.connect() as conn:
        migrated = store.batch_vintages(conn, ["acled"]).sort_values("batch_id")
        version = conn.exec_driver_sql("SELECT value FROM meta WHERE key = 'schema_version'").scalar()
    assert version == str(SCHEMA_VERSION)
    assert migrated[["batch_id", "vintage", "vintage_from"]].values.tolist() == recorded[["batch_id", "vintage", "vintage_from"]].values.tolist()
    assert migrated["vintage_from"].tolist() == ["event_date", "event_date"]
    for absent in migrated["absent_columns"]:  # what none of the batch's events has a value in
        assert {"assoc_actor_1", "assoc_actor_2", "revision_timestamp"} <= set(absent.split(","))
    assert (store.place_sets()["status"] == "ready").all()
    after = store.snapshot(derived=True)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(frame, after[name], check_dtype=False)
    store.dispose()
    again = ingest_json(capsys, s.july_2019, "--db", db, "--dry-run")
    assert counts(again) == counts(expected) and again["older_vintage"] == expected["older_vintage"] == len(s.july_differ)
