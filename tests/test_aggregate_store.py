"""ACLED's aggregates (acled-hdx) in the store: batches with exact accounting in unit-months, a later table replacing
the months it covers, rollback, changes per unit and month, figures through the same aggregate code as events (yearly
sums equal to the file's), never summed with events, and one indicator vocabulary for events too.

On SQLite and PostgreSQL (the `store` fixture); the real tables are read from ../shared at test time."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from helpers import ACLED_REAL, HAPI_REAL, HDX_BFA_REAL, needs_aggregate_data, needs_real_data
from test_cli import run

from geo.aggregate import Filters, aggregate_store
from geo.boundaries import load_boundary_set
from geo.changes import CHANGE_COLUMNS, compute_changes
from geo.errors import StoreError
from geo.indicators import event_mask
from geo.ingest import commit_batch, ingest_files, prepare_batch, preview, rollback_batch
from geo.join import UNALLOCATED_CODE

pytestmark = needs_aggregate_data


def file_table() -> pd.DataFrame:
    """The real Burkina Faso table read with pandas alone: what every figure must add up to."""
    table = pd.read_csv(HDX_BFA_REAL, dtype={"Year": str})
    table["year"] = table["Year"]
    return table


def revised_copy(tmp_path, name: str = "bfa_political_violence_admin2_asof_2025-05-02.csv") -> tuple:
    """A later table of the same country and indicator: Jan–Mar 2025 again (two unit-months revised), April 2025 new,
    and the province of Yagha left out (a new frame of units): built from the real rows at test time."""
    table = pd.read_csv(HDX_BFA_REAL, dtype=str, keep_default_na=False)
    later = table[(table["Year"] == "2025")].copy()
    soum = (later["Admin2"] == "Soum") & (later["Month"] == "January")
    seno = (later["Admin2"] == "Seno") & (later["Month"] == "March")
    later.loc[soum, "Events"] = (later.loc[soum, "Events"].astype(int) + 2).astype(str)
    later.loc[seno, "Fatalities"] = (later.loc[seno, "Fatalities"].astype(int) + 5).astype(str)
    april = later[later["Month"] == "March"].assign(Month="April", Events="1", Fatalities="0")
    later = pd.concat([later, april])
    yagha = later["Admin2"] == "Yagha"
    left_out = table[(table["Year"] == "2025") & (table["Admin2"] == "Yagha")]
    later = later[~yagha]
    path = tmp_path / name
    later.to_csv(path, index=False)
    return path, later, left_out


def test_the_real_table_is_stored_with_45_of_45_provinces_matched_and_sums_equal_to_the_file(store, tmp_path):
    report = ingest_files([HDX_BFA_REAL], store)
    data = report.as_json()
    assert (data["format"], data["rows_read"], data["new"], data["updated"], data["duplicates"], data["rejected"]) == (
        "acled-hdx", 15_255, 15_255, 0, 0, 0)
    assert (data["units_matched"], data["units_unmatched"], data["units_rolled_up"]) == (45, 0, 0)
    assert all(u["matched_by"] == "code" for u in data["unit_matches"]) and len(data["unit_matches"]) == 45
    table = file_table()
    default = load_boundary_set("ocha-geoboundaries")
    for level in ("admin1", "admin2"):
        figures = aggregate_store(store, default, level=level, period="year",
                                  filters=Filters(sources=("acled-hdx",), indicator="political-violence"))
        assert set(figures["source"]) == {"acled-hdx"} and set(figures["country_iso3"]) == {"BFA"}
        yearly = figures.groupby("period")[["events", "fatalities"]].sum()
        expected = table.groupby("year")[["Events", "Fatalities"]].sum()
        assert yearly["events"].tolist() == expected["Events"].tolist()
        assert yearly["fatalities"].tolist() == expected["Fatalities"].tolist()
        assert list(yearly.index) == list(expected.index)  # 1997 (all zeros) included: the table covers it
        assert len(figures) == figures["unit_code"].nunique() * 29  # every unit, every covered year
    # the province of a row is the unit of the same p-code, its region the p-code's region
    by_unit = aggregate_store(store, default, level="admin2", period="month", filters=Filters(sources=("acled-hdx",)))
    kossi = by_unit[(by_unit["unit_code"] == "BF-KOS") & (by_unit["period"] == "2024-06")].iloc[0]
    source = table[(table["Admin2"] == "Kossi") & (table["Year"] == "2024") & (table["Month"] == "June")].iloc[0]
    assert (kossi["events"], kossi["fatalities"]) == (source["Events"], source["Fatalities"])
    # what an aggregate does not have is empty, not zero
    assert by_unit["civilian_events"].isna().all() and by_unit["snapped_events"].isna().all()
    assert by_unit["fatalities_low"].isna().all()


def test_a_later_table_replaces_the_months_it_covers_with_exact_accounting_and_rolls_back_exactly(store, tmp_path):
    first = ingest_files([HDX_BFA_REAL], store)
    before = store.snapshot(derived=True)
    path, later, left_out = revised_copy(tmp_path)
    report = ingest_files([path], store)
    data = report.as_json()
    # 3 months × 44 provinces again (2 revised), 44 new April rows; Yagha's 3 months leave
    assert data["rows_read"] == len(later) == 44 * 4
    assert (data["new"], data["revised"], data["unchanged"], data["rejected"], data["removed"]) == (44, 2, 130, 0, 3)
    assert data["rows_read"] == data["new"] + data["updated"] + data["duplicates"] + data["rejected"]
    changed = {(c["event_id"], c["field"]): (c["before"], c["after"]) for c in data["changes"]}
    assert set(changed) == {("BF5603 2025-01", "events"), ("BF5602 2025-03", "fatalities")}
    default = load_boundary_set("ocha-geoboundaries")
    figures = aggregate_store(store, default, level="admin2", period="month", filters=Filters(sources=("acled-hdx",)))
    assert figures["period"].max() == "2025-04"
    yagha = figures[figures["unit_code"] == "BF-YAG"]
    assert not yagha["period"].isin(["2025-01", "2025-02", "2025-03"]).any()  # no longer covered: no data, not zero
    # the same file again changes nothing
    again = ingest_files([path], store).as_json()
    assert (again["new"], again["revised"], again["unchanged"], again["removed"]) == (0, 0, 176, 0)
    # changes per unit and month between the first table and the later one
    changes = compute_changes(store, default, source="acled-hdx", level="admin2", period="month",
                              since=str(first.batch_id), until=str(report.batch_id), events=True, revised_limit=10)
    rows = changes.rows
    assert list(rows.columns[: len(CHANGE_COLUMNS)]) == CHANGE_COLUMNS
    assert (rows["events_after"] - rows["events_before"] == rows["new"] + rows["backfilled"] - rows["deleted"]
            + rows["events_revised_delta"]).all()
    assert (rows["fatalities_after"] - rows["fatalities_before"] == rows["fatalities_new"] + rows["fatalities_backfilled"]
            - rows["fatalities_deleted"] + rows["fatalities_revised_delta"]).all()
    soum = rows[(rows["unit_code"] == "BF-SOM") & (rows["period"] == "2025-01")].iloc[0]
    assert (soum["revised"], soum["events_revised_delta"]) == (1, 2)
    assert changes.totals["new"] == 44 and changes.totals["revised"] == 2
    assert changes.totals["deleted"] == int(left_out["Events"].astype(int).sum())
    assert set(changes.revised_events["field"]) == {"events", "fatalities"}
    assert set(changes.events["change"]) == {"new", "revised", "deleted"} | ({"backfilled"} if changes.totals["backfilled"] else set())
    # rollback: later batches first, then exactly the earlier state (rows, versions, summary)
    with pytest.raises(StoreError, match=f"roll back batch {report.batch_id} first"):
        rollback_batch(store, first.batch_id)  # the later table revised and removed unit-months it wrote
    rollback_batch(store, report.batch_id + 1)
    result = rollback_batch(store, report.batch_id)
    assert (result["unit_months_removed"], result["unit_months_restored"]) == (46, 5)
    after = store.snapshot(derived=True)
    for name in ("aggregate_rows", "aggregate_versions", "unit_summary", "events"):
        pd.testing.assert_frame_equal(after[name], before[name], check_dtype=False)


def test_hapi_rows_with_an_indicator_asked_reject_the_others_and_demonstrations_have_no_fatalities(store):
    civilian = ingest_files([HAPI_REAL], store, indicator="civilian-targeting").as_json()
    assert (civilian["format"], civilian["rows_read"], civilian["new"], civilian["rejected"]) == ("hdx-hapi", 990, 330, 660)
    assert (civilian["units_matched"], civilian["units_unmatched"]) == (165, 0)
    assert all("is not the indicator asked (civilian-targeting)" in r["reason"] for r in civilian["rejections"])
    everything = ingest_files([HAPI_REAL], store).as_json()
    assert (everything["new"], everything["duplicates"], everything["rejected"]) == (660, 330, 0)
    default = load_boundary_set("ocha-geoboundaries")
    hapi = pd.read_csv(HAPI_REAL, encoding="utf-8-sig")
    for indicator, hapi_type in (("civilian-targeting", "civilian_targeting"), ("demonstrations", "demonstration"),
                                 ("political-violence", "political_violence")):
        figures = aggregate_store(store, default, level="admin1", period="month",
                                  filters=Filters(sources=("acled-hdx",), indicator=indicator))
        rows = hapi[hapi["event_type"] == hapi_type]
        assert int(figures["events"].sum()) == int(rows["events"].sum())
        assert set(figures["period"]) == {"1997-01", "2025-01"}  # only the months the rows cover: the rest is no data
        if indicator == "demonstrations":
            assert figures["fatalities"].isna().all()  # unknown, never zero
        else:
            assert int(figures["fatalities"].sum()) == int(rows["fatalities"].sum())
        if indicator == "civilian-targeting":  # its events are the civilian-targeting events
            assert (figures["civilian_fatalities"] == figures["fatalities"]).all()


def test_in_natural_earth_admin_2_of_the_aggregates_is_not_available_and_nothing_is_spread_by_area(store):
    ingest_files([HAPI_REAL], store)
    ne = load_boundary_set("natural-earth")
    admin2 = aggregate_store(store, ne, level="admin2", period="year", filters=Filters(sources=("acled-hdx",)))
    admin1 = aggregate_store(store, ne, level="admin1", period="year", filters=Filters(sources=("acled-hdx",)))
    total = int(pd.read_csv(HAPI_REAL, encoding="utf-8-sig").query("event_type == 'political_violence'")["events"].sum())
    assert int(admin2["events"].sum()) == int(admin1["events"].sum()) == total  # sums stay whole
    unallocated = admin2[admin2["unit_code"] == UNALLOCATED_CODE]
    assert set(unallocated["country_iso3"]) >= {"MLI", "NER"}  # admin 2 of Mali and Niger: not available in this set
    assert (admin2.loc[admin2["unit_code"] != UNALLOCATED_CODE, "country_iso3"] == "BFA").all()
    # Mali's Ménaka cercles have no region in Natural Earth: unallocated at admin 1 too, not given to Gao
    menaka = pd.read_csv(HAPI_REAL, encoding="utf-8-sig").query("event_type == 'political_violence' and admin1_code == 'ML10'")
    assert int(admin1.loc[admin1["unit_code"] == UNALLOCATED_CODE, "events"].sum()) == int(menaka["events"].sum())


@needs_real_data
def test_events_and_aggregates_answer_to_one_indicator_and_are_never_added_together(store):
    ingest_files([ACLED_REAL], store)
    ingest_files([HDX_BFA_REAL], store)
    default = load_boundary_set("ocha-geoboundaries")
    both = aggregate_store(store, default, level="admin1", period="year", filters=Filters(indicator="political-violence"))
    assert set(both["source"]) == {"acled", "acled-hdx"}  # one row per source: never summed
    events = both[both["source"] == "acled"].groupby(["country_iso3", "period"])[["events", "fatalities"]].sum()
    from geo.readers import read_events

    real = read_events(ACLED_REAL).events
    kept = real[event_mask(real, "political-violence")]
    # ACLED's definition on Mali 2018, by the country ACLED declares: 586 events, 1,734 fatalities (ACLED's own
    # aggregate of 2026: 585 / 1,734); placed by coordinates in the default set, one more event lies in Mali
    mali_2018 = kept[(kept["country_iso3"] == "MLI") & (kept["year"] == 2018)]
    assert (len(mali_2018), int(mali_2018["fatalities"].sum())) == (586, 1_734)
    assert tuple(events.loc[("MLI", "2018")]) == (587, 1_735)
    # the same definition in memory and in the database
    from geo.aggregate import aggregate

    in_memory = aggregate(real, default, level="admin1", period="year", filters=Filters(indicator="political-violence"))
    stored = both[both["source"] == "acled"].reset_index(drop=True)
    pd.testing.assert_frame_equal(stored, in_memory, check_dtype=False)
    demonstrations = aggregate_store(store, default, level="admin1", period="year",
                                     filters=Filters(sources=("acled",), indicator="demonstrations"))
    assert int(demonstrations["events"].sum()) == int(event_mask(real, "demonstrations").sum())
    assert int(demonstrations["events"].sum()) == int((real["event_type"] == "Protests").sum()
                                                      + ((real["event_type"] == "Riots") & (real["sub_event_type"] != "Mob violence")).sum())


def test_the_command_line_reads_the_real_tables_with_the_contract_keys(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    out = json.loads(run("ingest", str(HDX_BFA_REAL), "--db", db, "--json").stdout)
    for key in ("batch_id", "format", "rows_read", "new", "updated", "duplicates", "rejected", "outside_area", "warnings",
                "changes", "units_matched", "units_unmatched"):
        assert key in out
    assert (out["format"], out["rows_read"], out["units_matched"], out["units_unmatched"], out["rejected"]) == (
        "acled-hdx", 15_255, 45, 0, 0)
    hapi = json.loads(run("ingest", str(HAPI_REAL), "--db", db, "--json", "--indicator", "demonstrations").stdout)
    assert (hapi["format"], hapi["new"], hapi["units_matched"]) == ("hdx-hapi", 330, 165)
    table = pd.read_csv(io.StringIO(run("aggregate", "--db", db, "--source", "acled-hdx", "--indicator", "political-violence",
                                        "--level", "admin2", "--period", "quarter").stdout), keep_default_na=False)
    assert int(pd.to_numeric(table["events"]).sum()) == 8_158  # political violence: the Burkina Faso table only
    demo = pd.read_csv(io.StringIO(run("aggregate", "--db", db, "--source", "acled-hdx", "--indicator", "demonstrations").stdout),
                       keep_default_na=False)
    assert (demo["fatalities"] == "").all() and (demo["civilian_events"] == "").all()
    refused = run("borders", "--db", db, "--source", "acled-hdx", check=False)
    assert refused.returncode == 1 and "no single events" in refused.stderr and refused.stderr.count("\n") == 1
    changes = json.loads(run("changes", "--db", db, "--source", "acled-hdx", "--json").stdout)
    assert changes["source"] == "acled-hdx" and changes["indicator"] == "political-violence"


def test_a_table_and_an_event_file_are_not_one_batch_and_a_preview_stores_nothing(store, write):
    from helpers import acled_csv, acled_row

    from geo.errors import InputError

    events = write("events.csv", acled_csv(acled_row()))
    with pytest.raises(InputError, match="separate batches"):
        prepare_batch([HDX_BFA_REAL, events])
    prepared = prepare_batch([HDX_BFA_REAL])
    report = preview(prepared, store)
    assert (report.committed, report.counts.new) == (False, 15_255) and store.batches().empty
    assert commit_batch(prepared, store).counts.new == 15_255


def test_uploads_of_several_tables_are_one_batch_and_are_not_mixed_with_events(store, tmp_path, write):
    """The Data page's path: each file read on its own, then one batch of the accepted ones."""
    from helpers import acled_csv, acled_row

    from geo.errors import InputError
    from geo.uploads import InputFile, merge, prepare_each

    later, _, _ = revised_copy(tmp_path, "bfa_political_violence_later.csv")
    result = prepare_each([InputFile(HDX_BFA_REAL, HDX_BFA_REAL.name), InputFile(later, later.name)])
    assert not result.refusals and len(result.prepared) == 2
    batch = merge(list(result.prepared.values()))
    report = commit_batch(batch, store)
    # one batch: the two tables' rows, the later file's unit-months of 2025 repeated with other figures are rejected
    assert report.counts.rows_read == 15_255 + 176 and report.counts.balanced()
    assert report.counts.rejected == 2 and all("already appears with other figures" in r.reason for r in report.rejected)
    events = write("events.csv", acled_csv(acled_row()))
    mixed = prepare_each([InputFile(HDX_BFA_REAL, HDX_BFA_REAL.name), InputFile(events, "events.csv")])
    with pytest.raises(InputError, match="separate batches"):
        merge(list(mixed.prepared.values()))
