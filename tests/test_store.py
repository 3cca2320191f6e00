"""The store: row accounting, upserts and revisions, idempotence, exact rollback, atomicity,
concurrent commits from two processes, a process killed mid-commit, deletions, PostgreSQL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pandas as pd
import pytest
from helpers import REPO, acled_csv, acled_row

from geo.errors import InputError, StoreError
from geo.ingest import apply_deletions, commit_batch, ingest_files, prepare_batch, preview, rollback_batch
from geo.store import Store


def _identity(report) -> bool:
    c = report.counts
    return c.rows_read == c.new + c.updated + c.duplicates + c.rejected + c.outside_area


def test_row_accounting_identity_with_every_bucket(store, write):
    rows = [
        acled_row(event_id="N1"),
        acled_row(event_id="N2", fatalities="-1"),  # rejected
        acled_row(event_id="N3"),
        acled_row(event_id="N3"),  # identical repeat: duplicate
        acled_row(event_id="N4", lat="30.0", lon="10.0", country="Libya"),  # outside the area (stored)
        acled_row(event_id="N5", lat="-3.63", lon="14.249"),  # swapped: rejected
        acled_row(event_id="N1", fatalities="9"),  # same id, other content: rejected
    ]
    report = ingest_files([write("a.csv", acled_csv(*rows) + "MLI9,2019-01-01\n")], store)
    c = report.counts
    assert (c.rows_read, c.new, c.updated, c.duplicates, c.rejected, c.outside_area) == (8, 2, 0, 1, 4, 1)
    assert _identity(report)
    reasons = {r.line: r.reason for r in report.rejected}
    assert "negative" in reasons[3]
    assert "look swapped" in reasons[7] and "Mopti" in reasons[7]
    assert "already appears with different content on line 2" in reasons[8]
    assert "fields" in reasons[9]
    assert store.count_events() == 3  # N1, N3 and the outside event N4
    stored = store.rejections(report.batch_id)
    assert stored["line"].tolist() == [3, 7, 8, 9]
    batch = store.batch(report.batch_id)
    assert (batch["rows_read"], batch["new"], batch["rejected"], batch["outside_area"]) == (8, 2, 4, 1)
    assert batch["sha256"] == report.files[0].sha256 and batch["user"] == "tester" and batch["format"] == "acled"


def test_same_file_again_changes_nothing(store, write):
    path = write("a.csv", acled_csv(acled_row(event_id="X1"), acled_row(event_id="X2")))
    ingest_files([path], store)
    before = store.snapshot()
    again = ingest_files([path], store)
    assert (again.counts.new, again.counts.updated, again.counts.duplicates) == (0, 0, 2)
    assert again.previously_ingested == 1
    after = store.snapshot()
    pd.testing.assert_frame_equal(before["events"], after["events"])
    pd.testing.assert_frame_equal(before["event_versions"], after["event_versions"])


def test_newer_acled_timestamp_replaces_and_older_is_kept(store, write):
    first = ingest_files([write("v1.csv", acled_csv(acled_row(event_id="R1", fatalities="10", timestamp="100")))], store)
    second = ingest_files([write("v2.csv", acled_csv(acled_row(event_id="R1", fatalities="12", timestamp="200")))], store)
    assert (second.counts.updated, second.counts.new) == (1, 0)
    assert store.load_events().loc[0, "fatalities"] == 12
    versions = store.snapshot()["event_versions"]
    assert versions["fatalities"].tolist() == [10] and versions["superseded_by"].tolist() == [second.batch_id]
    # An older revision arriving later does not overwrite the newer one.
    stale = ingest_files([write("v0.csv", acled_csv(acled_row(event_id="R1", fatalities="8", timestamp="50")))], store)
    assert (stale.counts.updated, stale.counts.duplicates) == (0, 1)
    assert any("are older revisions than the stored ones" in n for n in stale.notes)
    assert store.load_events().loc[0, "fatalities"] == 12
    assert first.batch_id == 1


def test_rollback_restores_the_previous_state_exactly(store, write):
    ingest_files([write("v1.csv", acled_csv(acled_row(event_id="R1", fatalities="10", timestamp="100"), acled_row(event_id="R2")))], store)
    before = store.snapshot()
    second = ingest_files([write("v2.csv", acled_csv(
        acled_row(event_id="R1", fatalities="12", timestamp="200"), acled_row(event_id="R3")))], store)
    assert store.count_events() == 3
    result = rollback_batch(store, second.batch_id)
    assert result == {"batch_id": second.batch_id, "removed": 2, "restored": 1}
    after = store.snapshot()
    pd.testing.assert_frame_equal(before["events"], after["events"])
    pd.testing.assert_frame_equal(before["event_versions"], after["event_versions"])
    assert store.batch(second.batch_id)["status"] == "rolled_back"
    with pytest.raises(StoreError, match="already rolled back"):
        rollback_batch(store, second.batch_id)
    with pytest.raises(StoreError, match="no batch 99"):
        rollback_batch(store, 99)
    assert "rollback" in set(store.audit_log()["action"])


def test_rollback_of_an_earlier_batch_is_blocked_by_a_later_revision(store, write):
    first = ingest_files([write("v1.csv", acled_csv(acled_row(event_id="R1", timestamp="100")))], store)
    second = ingest_files([write("v2.csv", acled_csv(acled_row(event_id="R1", fatalities="5", timestamp="200")))], store)
    with pytest.raises(StoreError, match=f"roll back batch {second.batch_id} first"):
        rollback_batch(store, first.batch_id)
    rollback_batch(store, second.batch_id)
    rollback_batch(store, first.batch_id)
    assert store.count_events() == 0 and store.snapshot()["event_versions"].empty


def test_a_failing_commit_leaves_nothing(store, write, monkeypatch):
    ingest_files([write("v1.csv", acled_csv(acled_row(event_id="K1", timestamp="100")))], store)
    before = store.snapshot()
    batches_before = store.batches()
    prepared = prepare_batch([write("v2.csv", acled_csv(acled_row(event_id="K1", fatalities="7", timestamp="200"), acled_row(event_id="K2")))])

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "insert_events", explode)
    with pytest.raises(RuntimeError):
        commit_batch(prepared, store)
    after = store.snapshot()
    pd.testing.assert_frame_equal(before["events"], after["events"])
    pd.testing.assert_frame_equal(before["event_versions"], after["event_versions"])
    pd.testing.assert_frame_equal(batches_before, store.batches())


def test_a_bad_file_in_a_batch_stores_nothing(store, write):
    good = write("good.csv", acled_csv(acled_row(event_id="G1")))
    bad = write("bad.csv", b"")
    with pytest.raises(InputError, match="bad.csv is empty"):
        ingest_files([good, bad], store)
    assert store.count_events() == 0 and store.batches().empty


def test_preview_stores_nothing(store, write):
    prepared = prepare_batch([write("a.csv", acled_csv(acled_row(event_id="P1")))])
    report = preview(prepared, store)
    assert report.counts.new == 1 and not report.committed and report.batch_id is None
    assert store.count_events() == 0 and store.batches().empty


def test_the_synthetic_sample_is_never_ingested(store):
    with pytest.raises(InputError, match="synthetic sample"):
        ingest_files([REPO / "data" / "events.csv"], store)
    assert store.count_events() == 0


def test_deletions_are_a_batch_and_roll_back(store, write):
    ingest_files([write("a.csv", acled_csv(acled_row(event_id="D1"), acled_row(event_id="D2"), acled_row(event_id="D3")))], store)
    before = store.snapshot()
    report = apply_deletions(write("del.csv", "event_id_cnty\nD1\nD3\nNOPE\n\n"), store)
    assert (report.counts.deleted, report.counts.duplicates, report.counts.rows_read) == (2, 1, 3)
    assert sorted(store.load_events()["event_id"]) == ["D2"]
    rollback_batch(store, report.batch_id)
    pd.testing.assert_frame_equal(before["events"], store.snapshot()["events"])


def test_data_version_changes_with_commits_and_rollbacks(store, write):
    v0 = store.data_version()
    report = ingest_files([write("a.csv", acled_csv(acled_row(event_id="V1")))], store)
    v1 = store.data_version()
    rollback_batch(store, report.batch_id)
    assert v0 < v1 < store.data_version()


_COMMIT_SCRIPT = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {repo!r})
    from geo.ingest import prepare_batch, commit_batch
    from geo.store import Store
    store = Store({url!r})
    prepared = prepare_batch([{path!r}])
    while time.time() < {start}:
        time.sleep(0.001)
    report = commit_batch(prepared, store, user={user!r})
    print(report.batch_id, report.counts.new)
    """
)


def _big_csv(prefix: str, n: int) -> str:
    return acled_csv(*[acled_row(event_id=f"{prefix}{i}", lat=f"{14 + (i % 100) / 200:.3f}") for i in range(n)])


def test_two_processes_committing_at_once_both_land(tmp_path, write):
    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    Store(url).dispose()
    start = time.time() + 4
    procs = []
    for name in ("alice", "bob"):
        path = write(f"{name}.csv", _big_csv(name.upper(), 3000))
        script = _COMMIT_SCRIPT.format(repo=str(REPO), url=url, path=str(path), start=start, user=name)
        procs.append(subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    store = Store(url)
    assert store.count_events() == 6000
    batches = store.batches()
    assert sorted(batches["user"]) == ["alice", "bob"] and (batches["new"] == 3000).all()


def test_a_process_killed_mid_commit_leaves_the_batch_wholly_absent(tmp_path, write):
    url = f"sqlite:///{tmp_path / 'crash.sqlite'}"
    first = Store(url)
    ingest_files([write("base.csv", acled_csv(acled_row(event_id="BASE1")))], first)
    first.dispose()
    path = write("big.csv", _big_csv("CRASH", 60_000))
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(REPO)!r})
        from geo.ingest import prepare_batch, commit_batch
        from geo.store import Store
        store = Store({url!r})
        prepared = prepare_batch([{str(path)!r}])
        original = store.insert_events
        def slow_insert(conn, events):
            original(conn, events.iloc[: len(events) // 2])
            print("inside", flush=True)
            time.sleep(60)
        store.insert_events = slow_insert
        commit_batch(prepared, store)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "inside"  # half the events written, transaction open
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    store = Store(url)
    assert store.count_events() == 1
    assert store.batches()["batch_id"].tolist() == [1]
    report = ingest_files([path], store)  # the store works normally afterwards
    assert report.counts.new == 60_000


def test_text_survives_the_bulk_path_exactly(store, write):
    """Tabs, newlines, backslashes and a literal \\N in text come back as written (PostgreSQL's COPY escapes them)."""
    notes = 'tab\there, line\nbreak, back\\slash, literal \\N, quote " and é'
    ingest_files([write("t.csv", acled_csv(acled_row(event_id="T1", notes=notes), acled_row(event_id="T2", notes="")))], store)
    stored = store.load_events().set_index("event_id")
    assert stored.loc["T1", "notes"] == notes and stored.loc["T2", "notes"] == ""
    assert pd.isna(stored.loc["T1", "fatalities_low"])  # missing numbers stay missing


def test_which_listed_ids_the_store_holds(store, write):
    ingest_files([write("i.csv", acled_csv(acled_row(event_id="H1"), acled_row(event_id="H2")))], store)
    assert store.stored_ids("acled", ["H2", "H9", "H1"]) == {"H1", "H2"}
    assert store.stored_ids("ucdp", ["H1"]) == set() and store.stored_ids("acled", []) == set()
