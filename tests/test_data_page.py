"""The Data page's view models (ui/data_page.py): the history table, the batch offered first (and after a rollback),
local times, the words for a file of unknown layout, the pipeline's sentences in the page's language, why Commit is
disabled."""

from __future__ import annotations

import pandas as pd
from helpers import HDX_BFA_REAL, needs_aggregate_data

from ui.data_page import (
    HISTORY_COLUMNS,
    batch_label,
    batch_to_show,
    default_batch,
    history_table,
    in_page_language,
    local_times,
    nothing_to_commit,
    timezone,
    unknown_layout_text,
)


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


# ------------------------------------------------------------------------------------ issue 18 §5


NNBSP = "\u202f"  # French thousands separator


def test_the_pipelines_sentences_are_said_in_the_pages_language_with_its_numbers():
    from geo.figures.language import use_language

    reason = "latitude missing; fatalities 1e19 is above 1,000,000, the most one event may count; check the value"
    note = "web.csv: UCDP GED layout: web download (estimates in best_est, low_est, high_est)"
    trailing = ("has 48 fields where the header has 47: its last field holds '432', where every other row leaves it "
                "empty (a comma after low_est); check the delimiters and quotes on this line")
    warning = ("2,345 row(s) of a.csv are events a later vintage left out: batch 1 (x.csv); batch 2 (y.csv) covered "
               "their country and dates with data published after these rows, without them (ACLED had probably deleted "
               "them). Committing brings them back as new events.")
    for english in (reason, note, trailing, warning, "hand edit (same timestamp)"):
        assert in_page_language(english) == english  # the English page shows the pipeline's own words
    with use_language("fr"):
        assert in_page_language(reason) == (
            f"latitude : valeur manquante ; fatalities 1e19 dépasse 1{NNBSP}000{NNBSP}000, le maximum qu'un événement "
            "peut compter ; vérifiez la valeur")
        assert in_page_language(note) == (
            "web.csv : disposition UCDP GED : téléchargement du site web (estimations dans best_est, low_est, high_est)")
        assert in_page_language(trailing).startswith(
            "compte 48 champs alors que l'en-tête en a 47 : son dernier champ contient '432', que toutes les autres "
            "lignes laissent vide (séparateur virgule après low_est) ; vérifiez")
        assert in_page_language(warning).startswith(f"2{NNBSP}345 ligne(s) de a.csv sont des événements")
        assert "lot 1 (x.csv) ; lot 2 (y.csv) couvrait" in in_page_language(warning)
        assert in_page_language("hand edit (same timestamp)") == "modification à la main (même timestamp)"
        assert in_page_language("something the atlas never says") == "something the atlas never says"


def _counts(**values) -> object:
    from geo.store import BatchCounts

    return BatchCounts(**values)


def test_commit_is_refused_with_the_reason_when_nothing_would_be_written():
    from geo.figures.language import use_language

    assert nothing_to_commit(_counts(rows_read=3, new=1, duplicates=2)) is None
    assert nothing_to_commit(_counts(rows_read=3, outside_area=1, rejected=2)) is None
    assert nothing_to_commit(_counts(rows_read=1504, rejected=1504)) == (
        "Nothing to commit: every one of the 1,504 rows read was rejected (the reasons are listed below).")
    assert nothing_to_commit(_counts(rows_read=12, duplicates=12)) == (
        "Nothing to commit: the store already holds every one of the 12 rows read (duplicates).")
    mixed = nothing_to_commit(_counts(rows_read=1504, duplicates=1503, rejected=1, older_vintage=52))
    assert mixed == ("Nothing to commit: of the 1,504 rows read, already in the store (duplicates): 1,503; rejected: 1. "
                     "52 of the duplicates are older revisions of stored events: the stored versions are kept.")
    with use_language("fr"):
        assert nothing_to_commit(_counts(rows_read=1504, duplicates=1504)) == (
            f"Rien à enregistrer : la base contient déjà chacune des 1{NNBSP}504 lignes lues (doublons).")


def test_after_a_rollback_the_selector_stays_on_the_batch_rolled_back():
    batches = _batches(["committed", "committed", "rolled_back"])
    assert batch_to_show(batches) == 2  # after a commit (or at first): the newest committed batch
    assert batch_to_show(batches, rolled_back=3) == 3  # after rolling back batch 3: batch 3 (nothing to confirm)
    assert batch_to_show(batches, rolled_back=9) == 2  # a batch no longer listed


def test_the_check_table_names_the_layout_when_a_file_has_one_in_the_pages_words():
    from geo.figures.language import use_language
    from geo.ingest import FileSummary
    from geo.store import BatchCounts
    from ui.data_page import files_summary

    def summary(layout: str) -> FileSummary:
        return FileSummary(file="ged.csv", sha256="ab", size=10, format="ucdp", encoding="utf-8", delimiter="comma",
                           rows_read=3, layout=layout, counts=BatchCounts(rows_read=3, new=2, rejected=1))

    with use_language("fr"):
        table = files_summary([summary("web download")])
    assert table.loc[0, ["format", "layout", "delimiter", "rows_read", "new", "rejected"]].tolist() == [
        "UCDP", "téléchargement du site web", "virgule", 3, 2, 1]
    assert "layout" not in files_summary([summary("")]).columns  # an ACLED file has none

# ---------------------------------------------------------------------------------------------- the upload flow


class _Upload:
    """What Streamlit's uploader gives the page: a name, a size and the bytes."""

    def __init__(self, name: str, content: str | bytes):
        self.name = name
        self.data = content.encode("utf-8") if isinstance(content, str) else content
        self.size = len(self.data)

    def getbuffer(self) -> memoryview:
        return memoryview(self.data)


def test_the_upload_flow_checks_then_commits_one_batch_and_says_so(store, tmp_path):
    from helpers import acled_csv, acled_row

    from geo.boundaries import load_boundary_set
    from geo.config import get_settings
    from ui.data_page import Outcome, UploadCheck, check_batch, check_uploads, commit

    good = _Upload("week.csv", acled_csv(acled_row("MLI1"), acled_row("MLI2", fatalities="x"), acled_row("MLI3", lat="40.0")))
    unknown = _Upload("mine.csv", "Datum,Lat,Lon\n2019-01-01,14,-3\n")
    result = check_uploads([good, unknown], tmp_path, fmt="auto", mappings={}, settings=get_settings())
    assert list(result.prepared) == ["week.csv"]
    assert [(r.file, r.kind) for r in result.refusals] == [("mine.csv", "unknown_format")]
    check = check_batch(result, store, load_boundary_set())
    assert isinstance(check, UploadCheck)
    assert check.summary[["file", "rows_read", "new", "rejected", "outside_area"]].values.tolist() == [["week.csv", 3, 1, 1, 1]]
    assert check.accounting.startswith("**3 rows read** = 1 new") and check.writes == 2 and check.files == 1
    assert check.rejected[["line", "event_id"]].values.tolist() == [[3, "MLI2"]]
    assert check.points_map is not None and list(check.first_rows) == ["week.csv"]
    assert not store.has_events()  # a check writes nothing
    done = commit(check, store, user="ana")
    assert done == Outcome(True, done.text) and "Batch 1 stored" in done.text
    assert store.count_events() == 2 and store.batches()["user"].tolist() == ["ana"]
    # Nothing accepted: nothing to check; files that cannot go together: said in words, no traceback.
    assert check_batch(check_uploads([unknown], tmp_path, fmt="auto", mappings={}, settings=get_settings()), store,
                       load_boundary_set()) is None


def test_an_upload_over_the_size_limit_is_refused_by_name(tmp_path):
    from ui.data_page import save_uploads

    files, refusals = save_uploads([_Upload("big.csv", "x" * 3000), _Upload("small.csv", "a,b\n")], tmp_path, max_bytes=2000)
    assert [f.name for f in files] == ["small.csv"] and files[0].path.read_text() == "a,b\n"
    assert [r.file for r in refusals] == ["big.csv"] and "big.csv" in refusals[0].message


def test_the_mapping_editor_starts_from_the_header_and_saves_what_is_chosen(tmp_path):
    from ui.data_page import NO_COLUMN, Outcome, load_mapping, make_mapping, mapping_file_name, mapping_form, saved_mappings

    form = mapping_form(["Datum", "Lat", "Lon", "Killed"], None)
    assert form.chosen["latitude"] == "Lat" and form.chosen["event_date"] == NO_COLUMN and "event_date" in form.required
    bad = make_mapping("mine.csv", {"victims": "Killed"}, date_format="", country="", folder=tmp_path)
    assert isinstance(bad, Outcome) and not bad.ok and "mine.csv: unknown canonical column(s) victims" in bad.text
    chosen = {**form.chosen, "event_date": "Datum"}
    mapping = make_mapping("mine.csv", chosen, date_format="%d/%m/%Y", country="MLI", folder=tmp_path, save_as="my map!")
    assert mapping.columns["event_date"] == "Datum" and mapping.date_format == "%d/%m/%Y"
    assert saved_mappings(tmp_path) == ["mymap"] and load_mapping(tmp_path, "mymap").columns == mapping.columns
    assert mapping_form(["Datum", "Lat", "Lon", "Killed"], mapping).chosen["event_date"] == "Datum"
    (tmp_path / "broken.toml").write_text("columns = [")
    assert isinstance(load_mapping(tmp_path, "broken"), Outcome)
    assert mapping_file_name("events.2020.csv") == "events.2020_mapping.toml"


def test_deletions_and_rollback_say_what_they_did(store, tmp_path, write):
    from helpers import acled_csv, acled_row

    from geo.ingest import ingest_files
    from ui.data_page import apply_deletion_list, check_deletions, rollback

    ingest_files([write("a.csv", acled_csv(acled_row("MLI1"), acled_row("MLI2")))], store)
    no_column = check_deletions(_Upload("d.csv", "code\nMLI1\n"), tmp_path, store, max_bytes=None)
    assert "d.csv" in no_column.error and "code" in no_column.error
    check = check_deletions(_Upload("d.csv", "event_id_cnty\nMLI1\nMLI9\n\n"), tmp_path, store, max_bytes=None)
    assert (check.listed, check.stored, check.error) == (2, 1, "") and "2" in check.counts
    done = apply_deletion_list(check, store, user="ana")
    assert done.ok and store.count_events() == 1
    undone = rollback(store, 2, user="ana", files="d.csv")
    assert undone.ok and "d.csv" in undone.text and store.count_events() == 2
    again = rollback(store, 2, user="ana", files="d.csv")
    assert not again.ok and again.text  # already rolled back: said, nothing changed
    assert store.count_events() == 2


def test_the_history_tab_reads_the_batches_and_offers_a_rollback_only_for_a_committed_batch(store, write):
    from helpers import acled_csv, acled_row

    from geo.ingest import ingest_files, rollback_batch
    from ui.data_page import RollbackChoice, batch_rejections, batches, rollback_choice

    ingest_files([write("a.csv", acled_csv(acled_row("MLI1"), acled_row("MLI2", fatalities="x")))], store)
    ingest_files([write("b.csv", acled_csv(acled_row("MLI3")))], store)
    rollback_batch(store, 2)
    history = batches(store)
    assert history["batch_id"].tolist() == [1, 2] and history["status"].tolist() == ["committed", "rolled_back"]
    assert rollback_choice(history, 1) == RollbackChoice(1, "a.csv", True)
    assert rollback_choice(history, 2) == RollbackChoice(2, "b.csv", False)  # rolled back: not again
    assert batch_rejections(store, 1)["event_id"].tolist() == ["MLI2"] and batch_rejections(store, 2).empty


@needs_aggregate_data
def test_an_aggregate_table_is_checked_and_stored_through_the_same_upload_flow(store, tmp_path):
    """ACLED's public aggregates on the Data page: their indicator from the file's name or the page's choice, their units
    matched in words, their first unit-months previewed, no points map, then one batch."""
    from geo.boundaries import load_boundary_set
    from geo.config import get_settings
    from ui.data_page import TABLE_PREVIEW_COLUMNS, UploadCheck, check_batch, check_uploads, commit, indicator_label

    table = _Upload(HDX_BFA_REAL.name, HDX_BFA_REAL.read_bytes())
    result = check_uploads([table], tmp_path, fmt="auto", mappings={}, settings=get_settings())
    check = check_batch(result, store, load_boundary_set())
    assert isinstance(check, UploadCheck) and check.points_map is None
    assert check.summary[["format", "rows_read", "new", "rejected"]].values.tolist() == [["ACLED-HDX", 15_255, 15_255, 0]]
    assert check.units.startswith("Units of the tables: **45** matched to the boundaries by code or name, 0 only at admin 1")
    assert list(check.first_rows[HDX_BFA_REAL.name].columns) == TABLE_PREVIEW_COLUMNS
    assert "Batch 1 stored" in commit(check, store, user="ana").text
    renamed = _Upload("bfa_table.csv", HDX_BFA_REAL.read_bytes())  # a name that does not say the indicator
    for folder in ("again", "chosen"):
        (tmp_path / folder).mkdir()
    refused = check_uploads([renamed], tmp_path / "again", fmt="auto", mappings={}, settings=get_settings())
    assert "--indicator" in refused.refusals[0].message
    chosen = check_uploads([renamed], tmp_path / "chosen", fmt="acled-hdx", mappings={}, settings=get_settings(),
                           indicator="civilian-targeting")
    assert list(chosen.prepared) == ["bfa_table.csv"]
    assert indicator_label("") == "from the file's name" and indicator_label("demonstrations") == "Demonstrations"
