"""The Data page's view models (ui/data_page.py): the history table, the batch offered first, local times,
the words for a file of unknown layout."""

from __future__ import annotations

import pandas as pd

from ui.data_page import HISTORY_COLUMNS, batch_label, default_batch, history_table, local_times, timezone, unknown_layout_text


def _batches(statuses: list[str]) -> pd.DataFrame:
    n = len(statuses)
    return pd.DataFrame({
        "batch_id": range(1, n + 1), "kind": "ingest", "status": statuses,
        "created_at": [f"2026-11-2{i}T23:30:00+00:00" for i in range(n)], "user": "a", "file_names": [f"f{i}.csv" for i in range(n)],
        "sha256": "ab" * 32, "format": "acled", "rows_read": 3, "new": 1, "updated": 1, "duplicates": 1, "rejected": 0,
        "outside_area": 0, "deleted": 0,
        "rolled_back_at": [("2026-11-29T08:00:00+00:00" if s == "rolled_back" else None) for s in statuses],
        "rolled_back_by": [("b" if s == "rolled_back" else None) for s in statuses], "details": "{}",
    })


def test_the_newest_committed_batch_is_offered_first():
    assert default_batch(_batches(["committed", "committed", "rolled_back"])) == 2
    assert default_batch(_batches(["rolled_back"])) == 1
    assert default_batch(_batches([]).iloc[:0]) is None


def test_history_table_counts_first_hash_last_local_times():
    table = history_table(_batches(["committed", "rolled_back"]), timezone("Europe/Paris"))
    assert list(table.columns) == HISTORY_COLUMNS and table.columns[-1] == "sha256"
    assert table["batch_id"].tolist() == [2, 1]  # newest first
    assert table["created"].tolist() == ["22 Nov 2026, 00:30", "21 Nov 2026, 00:30"]  # UTC+1 in November
    assert table["rolled_back"].tolist() == ["29 Nov 2026, 09:00", ""]
    assert local_times(pd.Series(["2026-07-01T12:00:00+00:00"]), timezone("Africa/Bamako")).iloc[0] == "01 Jul 2026, 12:00"
    label = batch_label(_batches(["committed", "rolled_back"]), 2, timezone("Africa/Bamako"))
    assert label == "Batch 2 · f1.csv · rolled back, 21 Nov 2026, 23:30"
    assert timezone("Not/AZone") is None


def test_unknown_layout_text_names_what_was_recognised_and_the_editor():
    text = unknown_layout_text("mine.csv", ["Datum", "Lat", "Lon", "Killed"])
    assert "latitude ← “Lat”" in text and "fatalities ← “Killed”" in text
    assert "Still needed: event_date." in text and "mapping editor below" in text and "--map" not in text
