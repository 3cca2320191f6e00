"""The Changes view (Map and Trends pages): what changed between two points of the store's history, per unit,
and why — new events, backfill, revisions or deletions.

View model only: the report comes from `geo.changes.compute_changes` (the table of `python -m geo changes`),
cached with `st.cache_data` keyed by the data version like `ui.data`; the functions that shape it for the
page are plain (no Streamlit server needed), which is how they are tested. The page's figures use the rows'
figures *as they stood at each point* (`events_start_figure` → `events_after`): a unit's change is split into
new events, backfill (late reports of older events), revisions (events a revision moved in or out, or
fatalities revised) and deletions, which add up to it exactly.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.changes import BatchExtents, ChangeReport, batch_extents, committed_batches, compute_changes
from geo.countries import COUNTRY_NAMES
from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE

from .data import Source

_ENTRIES = 32
_TTL = 6 * 3600
#: Revised events listed with their fields before → after (largest change in fatalities first).
REVISED_LIMIT = 200
METRIC_LABELS = {"events": "Events", "fatalities": "Fatalities"}
#: The kinds a unit's change is split into, in this order, with their names for readers.
KINDS = {"new": "New events", "backfilled": "Backfill", "revisions": "Revisions", "deleted": "Deletions"}
#: Columns of `unit_changes` (and of the page's table), besides the unit's code, name and country.
UNIT_COLUMNS = ["before", "after", "change", "new", "backfilled", "revisions", "deleted", "revised_events", "relocated",
                "why", "label"]


# ---------------------------------------------------------------------------------------------- cached data


@st.cache_data(show_spinner=False, max_entries=8, ttl=_TTL)
def _extents(key: str, _src: Source, source: str) -> BatchExtents:
    return batch_extents(_src.store, source)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _report(key: str, _src: Source, source: str, level: str, period: str, since: str, until: str, unit: str) -> ChangeReport:
    # The one scan of the events a comparison needs is kept per data version: other points reuse it.
    return compute_changes(
        _src.store, _src.boundary_set, source=source, level=level, period=period, since=since or None, until=until or None,
        tolerance_m=_src.tolerance_m, revised_limit=REVISED_LIMIT, revised_unit=unit or None,
        extents=_extents(key, _src, source),
    )


def report(src: Source, *, source: str, level: str, period: str, since: str = "", until: str = "", unit: str = "") -> ChangeReport:
    """`geo.changes.compute_changes` (the table of `python -m geo changes`), cached by data version."""
    return _report(src.key, src, source, level, period, since, until, unit)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _points(key: str, _src: Source) -> tuple[list[str], list[str], dict[str, str]]:
    batches = committed_batches(_src.store)
    return point_choices(batches)


def points(src: Source) -> tuple[list[str], list[str], dict[str, str]]:
    """(start options, end options, label of each option) for the page's selectors, cached by data version."""
    return _points(src.key, src)


# ---------------------------------------------------------------------------------------------- plain functions


def point_choices(batches: pd.DataFrame) -> tuple[list[str], list[str], dict[str, str]]:
    """
    The points the page offers: "" (the default: just before the latest batch / now), "0" (the empty
    store) and every committed batch, newest first.
    """
    committed = batches.loc[batches["status"] == "committed"].sort_values("batch_id", ascending=False)
    labels = {"": "Just before the latest batch", "0": "Before the first batch (empty store)"}
    for row in committed.itertuples(index=False):
        when = str(row.created_at)[:16].replace("T", " ")
        labels[str(int(row.batch_id))] = f"After batch {int(row.batch_id)} · {row.file_names} · {when} UTC"
    ids = [str(int(b)) for b in committed["batch_id"]]
    return ["", *ids, "0"], ["", *ids], labels


def _years(period: pd.Series) -> pd.Series:
    return period.astype(str).str[:4].astype(int)


def selected_rows(rep: ChangeReport, *, years: tuple[int, int] | None = None, countries: tuple[str, ...] = ()) -> pd.DataFrame:
    """The report's rows in these years (inclusive; None: all) and countries (empty: all)."""
    rows = rep.rows
    if years is not None and len(rows):
        rows = rows[_years(rows["period"]).between(*years)]
    if countries:
        rows = rows[rows["country_iso3"].isin(countries)]
    return rows


def kind_figures(rows: pd.DataFrame, metric: str) -> pd.DataFrame:
    """
    Per row: the figure at each point and the change split by kind, for "events" or "fatalities".

    Returns
    -------
    The rows' key columns with before, after, change, new, backfilled, revisions, deleted (negative: what
    deletions took away), where change = new + backfilled + revisions + deleted exactly. Revisions are the
    events a revision moved into the row less those it moved out; for fatalities, the fatalities revisions
    added or took away (moves included).
    """
    if metric == "events":
        before, after = rows["events_start_figure"], rows["events_after"]
        new, backfilled, deleted = rows["new"], rows["backfilled"], rows["deleted"]
        revisions = rows["moved_in"] - rows["moved_out"]
    elif metric == "fatalities":
        before, after = rows["fatalities_start_figure"], rows["fatalities_after"]
        new, backfilled, deleted = rows["fatalities_new"], rows["fatalities_backfilled"], rows["fatalities_deleted"]
        revisions = after - before - new - backfilled + deleted
    else:
        raise ValueError(f"unknown metric {metric!r}; use events or fatalities")
    out = rows[["unit_code", "unit_name", "country_iso3", "period"]].copy()
    out["before"], out["after"] = before.to_numpy(), after.to_numpy()
    out["change"] = (after - before).to_numpy()
    out["new"], out["backfilled"], out["revisions"], out["deleted"] = new.to_numpy(), backfilled.to_numpy(), revisions.to_numpy(), (-deleted).to_numpy()
    out["revised_events"] = rows["revised"].to_numpy()
    out["relocated"] = rows["relocated"].to_numpy()
    return out


def unit_changes(rows: pd.DataFrame, metric: str, *, cutoff: str | None = None) -> pd.DataFrame:
    """
    Per unit (and `_OUTSIDE` / `_UNALLOCATED` per country), over the rows given: the figure at both points,
    its change split by kind, and in words why it moved (`why`) and what a rise or fall is made of (`label`).
    """
    figures = kind_figures(rows, metric)
    numbers = ["before", "after", "change", "new", "backfilled", "revisions", "deleted", "revised_events", "relocated"]
    table = figures.groupby(["unit_code", "unit_name", "country_iso3"], as_index=False)[numbers].sum()
    table["why"] = [why_text(r, metric) for r in table.itertuples(index=False)]
    table["label"] = [change_label(r, metric, cutoff=cutoff) for r in table.itertuples(index=False)]
    return table[["unit_code", "unit_name", "country_iso3", *UNIT_COLUMNS]]


def movers(units: pd.DataFrame, n: int = 15) -> pd.DataFrame:
    """The `n` units whose figures moved most (largest change either way, then most revised events)."""
    moved = units[(units[["new", "backfilled", "revisions", "deleted", "revised_events"]] != 0).any(axis=1)]
    moved = moved.assign(_size=moved["change"].abs()).sort_values(["_size", "revised_events", "unit_name"],
                                                                  ascending=[False, False, True])
    return moved.drop(columns="_size").head(n).reset_index(drop=True)


def period_changes(rows: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The change split by kind per period where something changed (the Trends page's bars), all units together."""
    figures = kind_figures(rows, metric)
    columns = ["before", "after", "change", "new", "backfilled", "revisions", "deleted", "revised_events"]
    table = figures.groupby("period", as_index=False)[columns].sum().sort_values("period")
    changed = (table[["new", "backfilled", "revisions", "deleted", "revised_events"]] != 0).any(axis=1)
    return table.loc[changed].reset_index(drop=True)  # periods where nothing changed would only be noise


def _n(value: int, metric: str, word: str | None = None) -> str:
    unit = {"events": ("event", "events"), "fatalities": ("fatality", "fatalities")}[metric]
    return f"{value:,} {word or unit[value != 1]}"


def why_text(row, metric: str) -> str:
    """What moved a unit's figure, in words: "+30 backfill, +4 new, −1 deleted, +2 moved in by revisions"."""
    parts = []
    if row.new:
        parts.append(f"+{row.new:,} new")
    if row.backfilled:
        parts.append(f"+{row.backfilled:,} backfill")
    if row.revisions:
        if metric == "events":
            what = "moved here by revisions" if row.revisions > 0 else "moved away by revisions"
        else:
            what = "from revisions"
        parts.append(f"{'+' if row.revisions > 0 else '−'}{abs(row.revisions):,} {what}")
    if row.deleted:
        parts.append(f"−{abs(row.deleted):,} deleted")
    if row.revised_events and metric == "events" and not row.revisions:
        parts.append(f"{row.revised_events:,} revised in place")
    return ", ".join(parts) or "no change"


def change_label(row, metric: str, *, cutoff: str | None = None) -> str:
    """
    What a rise or a fall is made of, in words. A rise is "mostly backfill" (or revisions) when late reports of
    older events (or revisions) make more than half of what was added; "mostly new" when new events do.
    """
    change = int(row.change)
    if change == 0:
        return "no net change" if (row.new or row.backfilled or row.revisions or row.deleted) else ""
    if change > 0:
        new, late, revised = int(row.new), int(row.backfilled), max(int(row.revisions), 0)
        added = new + late + revised
        head = f"Rise of {_n(change, metric)}"
        if late > added / 2:
            when = f" dated on or before {cutoff}" if cutoff else ""
            return f"{head}: mostly backfill — late reports of older events ({_n(late, metric)}{when}), not new violence"
        if revised > added / 2:
            what = ("events already held that revisions moved here (place or date)" if metric == "events"
                    else "fatalities of events already held, revised up")
            return f"{head}: mostly revisions — {what}, not new violence"
        if late + revised > added / 2:
            return f"{head}: mostly backfill and revisions ({_n(late, metric)} late, {_n(revised, metric)} revised), not new violence"
        if new == added:
            return f"{head}: all new events"
        return f"{head}: mostly new events ({new:,} of {added:,} added)"
    gone, revised = -int(row.deleted), max(-int(row.revisions), 0)
    head = f"Fall of {_n(-change, metric)}"
    if gone > (gone + revised) / 2:
        return f"{head}: mostly deletions (events the source withdrew)"
    what = "events that revisions moved away (place or date)" if metric == "events" else "fatalities revised down"
    return f"{head}: mostly revisions — {what}"


def headline(rep: ChangeReport) -> str:
    """One sentence with the report's totals (all units and periods)."""
    t = rep.totals
    late = f" (dated on or before {rep.last_date_before})" if rep.last_date_before else ""
    kinds = []
    if t["revised"]:
        detail = [f"{t['revised_fatalities']:,} fatalities ({t['fatalities_revised_delta']:+,})", f"{t['revised_date']:,} date",
                  f"{t['revised_type']:,} event type", f"{t['relocated']:,} relocated ({t['relocated_other_unit']:,} to another unit)"]
        kinds = [f" — {'; '.join(detail)}"]
    return (f"{t['new']:,} new events, {t['backfilled']:,} backfilled{late}, {t['revised']:,} revised{''.join(kinds)}, "
            f"{t['deleted']:,} deleted: {t['events_before']:,} → {t['events_after']:,} events, "
            f"{t['fatalities_before']:,} → {t['fatalities_after']:,} fatalities.")


def place_name(row) -> str:
    """A unit's name for readers, with its country; the special rows in words."""
    country = COUNTRY_NAMES.get(row.country_iso3, row.country_iso3)
    if row.unit_code == OUTSIDE_CODE:
        return f"Outside every unit ({country})" if country else "Outside every unit"
    if row.unit_code == UNALLOCATED_CODE:
        return f"Not placeable at this level ({country})" if country else "Not placeable at this level"
    return row.unit_name
