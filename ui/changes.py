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
from geo.figures.language import current_language
from geo.figures.style import country_name, format_count, format_date, format_signed, plural, word
from geo.indicators import AGGREGATE_SOURCE
from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE

from .data import Source

_ENTRIES = 32
_TTL = 6 * 3600
#: Revised events listed with their fields before → after (largest change in fatalities first).
REVISED_LIMIT = 200
#: The figures the view compares (named by `geo.figures.style.metric_label`).
METRICS = ("events", "fatalities")
#: The kinds a unit's change is split into, in this order (named by `kind_label`).
KINDS = ("new", "backfilled", "revisions", "deleted")


def kind_label(kind: str) -> str:
    """A kind of change's short name for readers ("New events", "Backfill")."""
    return word(f"chg.kind.{kind}")
#: Columns of `unit_changes` (and of the page's table), besides the unit's code, name and country.
UNIT_COLUMNS = ["before", "after", "change", "new", "backfilled", "revisions", "deleted", "revised_events", "relocated",
                "why", "label"]


# ---------------------------------------------------------------------------------------------- cached data


@st.cache_data(show_spinner=False, max_entries=8, ttl=_TTL)
def _extents(key: str, _src: Source, source: str) -> BatchExtents:
    return batch_extents(_src.store, source)


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _report(key: str, _src: Source, source: str, level: str, period: str, since: str, until: str, unit: str,
            indicator: str) -> ChangeReport:
    # The one scan of the events a comparison needs is kept per data version: other points reuse it.
    return compute_changes(
        _src.store, _src.boundary_set, source=source, level=level, period=period, since=since or None, until=until or None,
        tolerance_m=_src.tolerance_m, revised_limit=REVISED_LIMIT, revised_unit=unit or None,
        extents=_extents(key, _src, source) if source != AGGREGATE_SOURCE else None, indicator=indicator or None,
    )


def report(src: Source, *, source: str, level: str, period: str, since: str = "", until: str = "", unit: str = "",
           indicator: str = "") -> ChangeReport:
    """
    `geo.changes.compute_changes` (the table of `python -m geo changes`), cached by data version. ACLED's aggregates:
    the unit-months of `indicator` compared.
    """
    return _report(src.key, src, source, level, period, since, until, unit, indicator if source == AGGREGATE_SOURCE else "")


@st.cache_data(show_spinner=False, max_entries=_ENTRIES, ttl=_TTL)
def _points(key: str, _src: Source, lang: str) -> tuple[list[str], list[str], dict[str, str]]:
    batches = committed_batches(_src.store)
    return point_choices(batches)


def points(src: Source) -> tuple[list[str], list[str], dict[str, str]]:
    """
    (start options, end options, label of each option) for the page's selectors, cached by data version and
    language (the labels are words).
    """
    return _points(src.key, src, current_language())


# ---------------------------------------------------------------------------------------------- plain functions


def point_choices(batches: pd.DataFrame) -> tuple[list[str], list[str], dict[str, str]]:
    """
    The points the page offers: "" (the default: just before the latest batch / now), "0" (the empty
    store) and every committed batch, newest first.
    """
    committed = batches.loc[batches["status"] == "committed"].sort_values("batch_id", ascending=False)
    labels = {"": word("chg.point.latest"), "0": word("chg.point.empty")}
    for row in committed.itertuples(index=False):
        when = str(row.created_at)[:16].replace("T", " ")
        labels[str(int(row.batch_id))] = word("chg.point.after", batch=int(row.batch_id), files=row.file_names, when=when)
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
        # (ACLED's aggregates: a revised unit-month changes its count of events, `events_revised_delta`)
        revisions = rows["moved_in"] - rows["moved_out"] + rows["events_revised_delta"]
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
    counted = bool(len(rows)) and bool((rows["source"] == AGGREGATE_SOURCE).all())  # revisions change counts, move nothing
    table["why"] = [why_text(r, metric, counts_revised=counted) for r in table.itertuples(index=False)]
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


def _n(value: int, metric: str) -> str:
    """ "3 events", "1 fatality" (in the current language)."""
    return plural(f"chg.n.{metric}", value)


def why_text(row, metric: str, *, counts_revised: bool = False) -> str:
    """
    What moved a unit's figure, in words: "+30 backfill, +4 new, −1 deleted, +2 moved in by revisions". With
    `counts_revised` (ACLED's aggregates, whose revisions change a unit-month's count), revisions are "from revisions".
    """
    parts = []
    if row.new:
        parts.append(word("chg.why.new", n=format_signed(row.new)))
    if row.backfilled:
        parts.append(word("chg.why.backfill", n=format_signed(row.backfilled)))
    if row.revisions:
        if metric == "events" and not counts_revised:
            what = word("chg.why.moved_here") if row.revisions > 0 else word("chg.why.moved_away")
        else:
            what = word("chg.why.from_revisions")
        parts.append(f"{format_signed(row.revisions)} {what}")
    if row.deleted:
        parts.append(word("chg.why.deleted", n=format_signed(-abs(row.deleted))))
    if row.revised_events and metric == "events" and not row.revisions:
        parts.append(word("chg.why.in_place", n=format_count(row.revised_events)))
    return ", ".join(parts) or word("chg.why.none")


def change_label(row, metric: str, *, cutoff: str | None = None) -> str:
    """
    What a rise or a fall is made of, in words. A rise is "mostly backfill" (or revisions) when late reports of
    older events (or revisions) make more than half of what was added; "mostly new" when new events do.
    """
    change = int(row.change)
    if change == 0:
        return word("chg.label.no_net") if (row.new or row.backfilled or row.revisions or row.deleted) else ""
    if change > 0:
        new, late, revised = int(row.new), int(row.backfilled), max(int(row.revisions), 0)
        added = new + late + revised
        head = word("chg.label.rise", n=_n(change, metric))
        if late > added / 2:
            when = word("chg.label.dated", day=format_date(cutoff)) if cutoff else ""
            return word("chg.label.mostly_backfill", head=head, late=_n(late, metric), when=when)
        if revised > added / 2:
            return word("chg.label.mostly_revisions_up", head=head, what=word(f"chg.label.revised_up.{metric}"))
        if late + revised > added / 2:
            return word("chg.label.backfill_and_revisions", head=head, late=_n(late, metric), revised=_n(revised, metric))
        if new == added:
            return word("chg.label.all_new", head=head)
        return word("chg.label.mostly_new", head=head, new=format_count(new), added=format_count(added))
    gone, revised = -int(row.deleted), max(-int(row.revisions), 0)
    head = word("chg.label.fall", n=_n(-change, metric))
    if gone > (gone + revised) / 2:
        return word("chg.label.mostly_deletions", head=head)
    return word("chg.label.mostly_revisions_down", head=head, what=word(f"chg.label.revised_down.{metric}"))


def headline(rep: ChangeReport) -> str:
    """One sentence with the report's totals (all units and periods)."""
    t = {k: format_count(v) for k, v in rep.totals.items()}
    late = word("chg.headline.late", day=format_date(rep.last_date_before)) if rep.last_date_before else ""
    kinds = ""
    if rep.totals["revised"]:
        kinds = word("chg.headline.kinds", fatalities=t["revised_fatalities"], delta=format_signed(rep.totals["fatalities_revised_delta"]),
                     date=t["revised_date"], type=t["revised_type"], relocated=t["relocated"],
                     other_unit=t["relocated_other_unit"])
    return word("chg.headline", new=t["new"], backfilled=t["backfilled"], late=late, revised=t["revised"], kinds=kinds,
                deleted=t["deleted"], events_before=t["events_before"], events_after=t["events_after"],
                fatalities_before=t["fatalities_before"], fatalities_after=t["fatalities_after"])


def place_name(row) -> str:
    """A unit's name for readers, with its country; the special rows in words."""
    country = country_name(row.country_iso3) if row.country_iso3 else ""
    if row.unit_code == OUTSIDE_CODE:
        return word("chg.place.outside_in", country=country) if country else word("chg.place.outside")
    if row.unit_code == UNALLOCATED_CODE:
        return word("chg.place.unplaced_in", country=country) if country else word("chg.place.unplaced")
    return row.unit_name
