"""The tables behind the figures: changes between periods (with a low-baseline guard), units ranked by change, the actors of most events, the latest events, and the period labels every chart runs along.

Plain pandas, no plotting and no Streamlit: the charts of :mod:`geo.figures.charts` draw these tables, the pages
show them, and an export of a figure's table writes them. Figures of ACLED and UCDP are never added together:
functions that sum over rows refuse a table that mixes sources (unless the sources are the groups compared).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from ..join import OUTSIDE_CODE, UNALLOCATED_CODE
from .style import category, country_name, join_words, word

SPECIAL_CODES = (OUTSIDE_CODE, UNALLOCATED_CODE)
#: Metrics that are ratios: recomputed from summed events and areas, never summed themselves.
RATIO_METRICS = {"events_per_10k_km2": ("events", "area_km2", 10_000)}
_PERIOD_PATTERNS = {"Y": r"\d{4}", "Q": r"\d{4}-Q[1-4]", "M": r"\d{4}-(0[1-9]|1[0-2])"}
_CIVILIANS = re.compile(r"^civilians\b", re.IGNORECASE)


# ------------------------------------------------------------------------------------------- periods


def period_kind(periods: Iterable[object]) -> str:
    """"Y", "Q" or "M" for labels like "2019", "2019-Q1", "2019-03"; ValueError when mixed or unknown.

    Parameters
    ----------
    periods
        Period labels.

    Returns
    -------
    str
        "Y", "Q" or "M" for labels like "2019", "2019-Q1", "2019-03"; ValueError when mixed or unknown.
    """
    kinds = set()
    for label in pd.unique(pd.Series(list(periods), dtype=object).dropna().astype(str)):
        kind = next((k for k, pattern in _PERIOD_PATTERNS.items() if re.fullmatch(pattern, label)), None)
        if kind is None:
            raise ValueError(f"unknown period label {label!r}; expected 2019, 2019-Q1 or 2019-03")
        kinds.add(kind)
    if len(kinds) > 1:
        raise ValueError(f"periods mix years, quarters and months: {sorted(kinds)}")
    return kinds.pop() if kinds else "Y"


def continuous_periods(periods: Iterable[object]) -> list[str]:
    """All period labels from the first to the last of `periods`, none skipped, in order.

    Parameters
    ----------
    periods
        Period labels (any order, gaps allowed).

    Returns
    -------
    list[str]
        All period labels from the first to the last of `periods`, none skipped, in order.
    """
    labels = sorted(pd.unique(pd.Series(list(periods), dtype=object).dropna().astype(str)))
    if not labels:
        return []
    kind = period_kind(labels)
    span = pd.period_range(pd.Period(labels[0], freq=kind), pd.Period(labels[-1], freq=kind), freq=kind)
    if kind == "Y":
        return [str(p.year) for p in span]
    if kind == "Q":
        return [f"{p.year}-Q{p.quarter}" for p in span]
    return [p.strftime("%Y-%m") for p in span]


# ------------------------------------------------------------------------------------------- helpers


def without_special(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of units: `_OUTSIDE` and `_UNALLOCATED` rows left out (tables without unit codes unchanged).

    Parameters
    ----------
    table
        Aggregate rows.

    Returns
    -------
    pd.DataFrame
        The rows of units: `_OUTSIDE` and `_UNALLOCATED` rows left out (tables without unit codes unchanged).
    """
    if "unit_code" not in table:
        return table
    return table.loc[~table["unit_code"].isin(SPECIAL_CODES)]


def check_one_source(table: pd.DataFrame, by: str | None = None) -> None:
    """ACLED and UCDP figures are never added together.

    Parameters
    ----------
    table
        Aggregate or grouped rows.
    by
        The column rows are grouped by (its name in the message); None for none.
    """
    column = "source" if "source" in table else "source_dataset" if "source_dataset" in table else None
    if column is None or by == column:
        return
    sources = sorted(pd.unique(table[column].dropna()))
    if len(sources) > 1:
        raise ValueError(f"the table mixes sources {sources}; pass one source's rows (figures of different "
                         "datasets are never added together)")


def group_values(table: pd.DataFrame, keys: list[str], metric: str) -> pd.DataFrame:
    """Sum `metric` per `keys` (NaN when every value is missing); ratio metrics are recomputed from sums.

    Parameters
    ----------
    table
        Aggregate rows.
    keys
        The columns the sums are per.
    metric
        The metric: "events", "fatalities", "civilian_events", "civilian_fatalities" or "events_per_10k_km2".

    Returns
    -------
    pd.DataFrame
        Sum `metric` per `keys` (NaN when every value is missing); ratio metrics are recomputed from sums.
    """
    if metric in RATIO_METRICS and {RATIO_METRICS[metric][0], RATIO_METRICS[metric][1]} <= set(table.columns):
        numerator, denominator, scale = RATIO_METRICS[metric]
        rows = table.loc[table[denominator].notna()]  # special rows have no area: their events would inflate it
        sums = rows.groupby(keys, sort=False, dropna=False)[[numerator, denominator]].sum()
        values = (sums[numerator] / sums[denominator] * scale).astype("float64")
    else:
        if metric not in table:
            raise ValueError(f"the table has no column {metric!r}")
        numbers = pd.to_numeric(table[metric], errors="coerce").astype("float64")
        values = numbers.groupby([table[k] for k in keys], sort=False, dropna=False).sum(min_count=1)
    return values.rename("value").reset_index()


def complete(values: pd.Series, index: pd.Index) -> pd.Series:
    """`values` on `index`: 0 where a row is missing (no events), NaN kept where a value is missing (no data).

    Parameters
    ----------
    values
        Values per row of some of `index`.
    index
        Every row wanted.

    Returns
    -------
    pd.Series
        `values` on `index`: 0 where a row is missing (no events), NaN kept where a value is missing (no data).
    """
    out = values.reindex(index)
    return out.where(index.isin(values.index), 0.0)


def is_integer_metric(table: pd.DataFrame, metric: str) -> bool:
    """Whether `metric` holds whole numbers in `table` (a count, not a ratio).

    Parameters
    ----------
    table
        The rows holding `metric`.
    metric
        The metric: "events", "fatalities", "civilian_events", "civilian_fatalities" or "events_per_10k_km2".

    Returns
    -------
    bool
        Whether `metric` holds whole numbers in `table` (a count, not a ratio).
    """
    return metric in table and metric not in RATIO_METRICS and pd.api.types.is_integer_dtype(table[metric])


def as_int_if(series: pd.Series, integer: bool) -> pd.Series:
    """The series as nullable integers when `integer`, else unchanged.

    Parameters
    ----------
    series
        Values.
    integer
        Whether the values are whole numbers (no decimals are shown).

    Returns
    -------
    pd.Series
        The series as nullable integers when `integer`, else unchanged.
    """
    return series.round().astype("Int64") if integer else series


#: Group columns whose values are categories of the data, named in the reader's language.
CATEGORY_COLUMNS = ("event_type", "sub_event_type", "actor1_type", "disorder_type")


def group_labels(table: pd.DataFrame, by: str) -> pd.Series:
    """Each row's group as text for a legend.

    "(none)" for a missing one, country names for ISO3 codes, event types in the reader's language.

    Parameters
    ----------
    table
        Grouped rows.
    by
        The group column.

    Returns
    -------
    pd.Series
        Each row's group as text for a legend: "(none)" for a missing one, country names for ISO3 codes, event types
        in the reader's language.
    """
    none = word("table.none")
    labels = table[by].astype(object).where(table[by].notna(), none).astype(str)
    if by == "country_iso3":  # readers know country names, not codes
        labels = labels.map(lambda c: country_name(c) if c and c != none else none)
    elif by in CATEGORY_COLUMNS:
        names = {value: category(value) or none for value in pd.unique(labels)}
        labels = labels.map(names)
    return labels


# ------------------------------------------------------------------------------------------- changes


def _percent_change(value: pd.Series, previous: pd.Series, min_base: float) -> tuple[pd.Series, pd.Series]:
    """Percent change, NaN (with a note) where the base is missing, zero or below `min_base`."""
    change = value - previous
    low = previous < min_base
    zero = previous == 0
    usable = previous.notna() & ~low & ~zero
    percent = (change / previous.where(usable) * 100).where(usable)
    note = pd.Series("", index=value.index, dtype=object)
    note[previous.isna()] = word("table.no_earlier")
    note[zero & ~low] = word("table.no_base")
    note[low] = word("table.low_base", base=f"{min_base:g}")
    return percent.astype("float64"), note


def year_on_year(
    table: pd.DataFrame,
    *,
    by: str | None,
    metric: str,
    min_base: float = 10,
    lag: int = 1,
) -> pd.DataFrame:
    """
    Change of `metric` per group from one period to the previous one.

    Parameters
    ----------
    table
        Long form with columns period, `by` and `metric` (rows of one source unless `by` is "source").
    by
        Group column, or None for the table's total.
    metric
        Column to compare.
    min_base
        Below this previous value the percent change is not given: 1 → 4 events is not "+300 %".
    lag
        How many periods back to compare: 1 (the period before), 4 for the same quarter or 12 for the
        same month of the previous year.

    Returns
    -------
    DataFrame with columns `by` (unless None), period, value, previous, change, pct_change and note
    ("low base (<10)", "no base (0)", "no earlier value" or ""), one row per group and period, every
    period from the first to the last (missing periods are 0).
    """
    check_one_source(table, by)
    keys = [by] if by else []
    integer = is_integer_metric(table, metric)
    columns = [*keys, "period", "value", "previous", "change", "pct_change", "note"]
    periods = continuous_periods(table["period"]) if len(table) else []
    if not periods:
        return pd.DataFrame(columns=columns)
    data = table.assign(period=table["period"].astype(str))
    groups = group_values(data.assign(_group=data[by]) if by else data.assign(_group=""), ["_group", "period"], metric)
    grid = pd.MultiIndex.from_product([sorted(pd.unique(groups["_group"])), periods], names=["_group", "period"])
    values = complete(groups.set_index(["_group", "period"])["value"], grid)
    out = values.reset_index()
    out["previous"] = out.groupby("_group", sort=False)["value"].shift(lag)
    out["change"] = out["value"] - out["previous"]
    out["pct_change"], out["note"] = _percent_change(out["value"], out["previous"], min_base)
    if by:
        out = out.rename(columns={"_group": by})
    for column in ("value", "previous", "change"):
        out[column] = as_int_if(out[column], integer)
    return out[columns].reset_index(drop=True)


# ------------------------------------------------------------------------------------------- ranges


def range_columns(metric: str) -> tuple[str, str] | None:
    """The columns of a metric's range in the aggregate tables (`geo.query.RANGES`).

    Parameters
    ----------
    metric
        A metric of the aggregate tables ("events", "fatalities", ...).

    Returns
    -------
    tuple[str, str] | None
        Its low and high columns, or None for a metric without a range.
    """
    if metric in ("events", "fatalities", "civilian_events", "civilian_fatalities"):
        return f"{metric}_min", f"{metric}_max"
    return None


def rank_span(values: Iterable, low: Iterable, high: Iterable) -> pd.DataFrame:
    """Each item's rank by `values` and the best and worst ranks it could take within the ranges [`low`, `high`].

    Ranks are largest first; ties share the best rank. Best = 1 + the items certainly above it (their lowest above its
    highest), worst = 1 + the items that could be above it (their highest above its lowest). Items without a value get
    no rank; an item without a range counts its value as its range.

    Parameters
    ----------
    values
        One value per item.
    low
        The low end of each item's range.
    high
        The high end of each item's range.

    Returns
    -------
    pd.DataFrame
        Per input position: rank, best, worst (nullable integers) and could_change (best ≠ worst).
    """
    v = pd.to_numeric(pd.Series(list(values)), errors="coerce").to_numpy(dtype="float64")
    lo = pd.to_numeric(pd.Series(list(low)), errors="coerce").to_numpy(dtype="float64")
    hi = pd.to_numeric(pd.Series(list(high)), errors="coerce").to_numpy(dtype="float64")
    lo, hi = np.where(np.isnan(lo), v, lo), np.where(np.isnan(hi), v, hi)
    known = ~np.isnan(v)
    kv, klo, khi = v[known], lo[known], hi[known]
    # (items × items: a few hundred units at most)
    rank = np.full(len(v), np.nan)
    best = np.full(len(v), np.nan)
    worst = np.full(len(v), np.nan)
    rank[known] = 1 + (kv[None, :] > kv[:, None]).sum(axis=1)
    best[known] = 1 + (klo[None, :] > khi[:, None]).sum(axis=1)
    # the items that could be above: their highest above its lowest (itself too when its own range is wide: not counted)
    above = khi[None, :] > klo[:, None]
    np.fill_diagonal(above, False)
    worst[known] = np.maximum(1 + above.sum(axis=1), rank[known])
    out = pd.DataFrame({"rank": rank, "best": best, "worst": worst}).astype("Int64")
    out["could_change"] = (out["best"] != out["worst"]).fillna(False).astype(bool)
    return out


def rank_could_change(values: Iterable, low: Iterable, high: Iterable) -> np.ndarray:
    """Whether each item's rank by `values` could change within the ranges [`low`, `high`] (`rank_span`).

    Parameters
    ----------
    values
        One value per item.
    low
        The low end of each item's range.
    high
        The high end of each item's range.

    Returns
    -------
    np.ndarray
        One boolean per item.
    """
    return rank_span(values, low, high)["could_change"].to_numpy()


def ranked_changes(
    table: pd.DataFrame,
    *,
    key: str = "unit_code",
    label: str = "unit_name",
    metric: str,
    period_from: str,
    period_to: str,
    min_base: float = 10,
    ranges: bool = False,
) -> pd.DataFrame:
    """
    Units ranked by the change of `metric` between two periods, largest increase first.

    Parameters
    ----------
    table
        Aggregate rows of one source; `_OUTSIDE` and `_UNALLOCATED` rows are left out (show them apart).
    key, label
        Unit identifier and name columns.
    metric
        Column to compare.
    period_from, period_to
        Periods to compare. A unit without a row in a period of the table counts 0; a period the table
        does not have at all (before the source's first year) gives NaN values and a "no data for …" note.
    min_base
        Below this value in `period_from` the percent change is not given (see `year_on_year`).
    ranges
        Also the ranges of both values and of the change, from the table's `<metric>_min` / `_max` columns (when it
        has them: `range_columns`), the best and worst ranks a unit's change could take within them and whether they
        differ (`rank_span`: `rank_best`, `rank_worst`, `rank_uncertain`).

    Returns
    -------
    DataFrame with columns rank, `key`, `label`, country_iso3, country, value_from, value_to, change,
    pct_change and note, sorted by change (largest increase first; ties share a rank); with `ranges`, then
    value_from_min, value_from_max, value_to_min, value_to_max, change_min, change_max, rank_best, rank_worst and
    rank_uncertain.
    """
    data = without_special(table)
    check_one_source(data)
    available = set(data["period"].astype(str))
    data = data.assign(period=data["period"].astype(str))
    keys = list(dict.fromkeys([key, label] + (["country_iso3"] if "country_iso3" in data else [])))
    # Names and countries are attributes of the unit: keep one per key, so no row is split by them.
    attributes = data.drop_duplicates(key).set_index(key)[[k for k in keys if k != key]]
    chosen = data.loc[data["period"].isin([str(period_from), str(period_to)])]
    grouped = group_values(chosen, [key, "period"], metric).set_index([key, "period"])["value"]
    out = attributes.reset_index()
    integer = is_integer_metric(data, metric)
    for column, period in (("value_from", str(period_from)), ("value_to", str(period_to))):
        index = pd.MultiIndex.from_arrays([out[key], [period] * len(out)])
        # No row: no events (0). A row whose value is missing (ACLED has no fatality bounds): no data (NaN).
        found = index.isin(grouped.index)
        filler = 0.0 if period in available else np.nan  # a period the source does not cover is no data
        out[column] = np.where(found, grouped.reindex(index).to_numpy(dtype="float64"), filler)
    out["change"] = out["value_to"] - out["value_from"]
    out["pct_change"], out["note"] = _percent_change(out["value_to"], out["value_from"], min_base)
    missing = [str(p) for p in (period_from, period_to) if str(p) not in available]
    if missing:
        out["note"] = word("table.no_data_for", periods=join_words(missing))
    if "country_iso3" in out:
        out["country"] = out["country_iso3"].map(country_name)
    out = out.sort_values(["change", "value_to", label], ascending=[False, False, True], na_position="last")
    out.insert(0, "rank", out["change"].rank(method="min", ascending=False).astype("Int64"))
    for column in ("value_from", "value_to", "change"):
        out[column] = as_int_if(out[column], integer)
    columns = ["rank", *keys, *(["country"] if "country" in out and "country" not in keys else []), "value_from", "value_to", "change", "pct_change", "note"]
    bounds = range_columns(metric)
    if ranges and bounds is not None and set(bounds) <= set(table.columns) and table[list(bounds)].notna().any().any():
        # Both ends of the range summed per unit and period in one pass, as the values are (plain arrays: this runs on every
        # rerun of the Trends page).
        numbers = chosen[[key, "period"]].assign(**{c: pd.to_numeric(chosen[c], errors="coerce").astype("float64") for c in bounds})
        ends = numbers.groupby([key, "period"], sort=False)[list(bounds)].sum(min_count=1).unstack("period")
        at = ends.index.get_indexer(out[key])
        new: dict[str, np.ndarray] = {}
        for side, column in zip(("min", "max"), bounds):
            for name, period in (("value_from", str(period_from)), ("value_to", str(period_to))):
                filler = 0.0 if period in available else np.nan  # (as the values: no row is 0, a period not held no data)
                held = ends[(column, period)].to_numpy(dtype="float64") if (column, period) in ends else np.full(len(ends), np.nan)
                values = np.where(at >= 0, held[np.maximum(at, 0)] if len(held) else np.nan, np.nan)
                new[f"{name}_{side}"] = np.where(np.isnan(values), filler, values)
        new["change_min"] = new["value_to_min"] - new["value_from_max"]
        new["change_max"] = new["value_to_max"] - new["value_from_min"]
        span = rank_span(out["change"], new["change_min"], new["change_max"])
        out = out.assign(**{k: as_int_if(pd.Series(v, index=out.index), integer) for k, v in new.items()},
                         rank_best=span["best"].to_numpy(), rank_worst=span["worst"].to_numpy(),
                         rank_uncertain=span["could_change"].to_numpy())
        columns += ["value_from_min", "value_from_max", "value_to_min", "value_to_max", "change_min", "change_max", "rank_best",
                    "rank_worst", "rank_uncertain"]
    return out[columns].reset_index(drop=True)


# -------------------------------------------------------------------------------------------- events


def top_actors(events: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The actors involved in most events (as actor1 or actor2), with the fatalities of those events.

    Empty actors and civilians ("Civilians (Mali)") are left out; an event counts once per actor even
    when the actor is on both sides. Events of one source only.

    Parameters
    ----------
    events
        Canonical events.
    n
        The most actors listed.

    Returns
    -------
    DataFrame with columns actor, events, fatalities; most events first (then fatalities, then name).
    """
    check_one_source(events)
    sides = pd.concat(
        [pd.DataFrame({"row": np.arange(len(events)), "actor": events[c].astype(object).to_numpy(),
                       "fatalities": pd.to_numeric(events["fatalities"], errors="coerce").fillna(0).to_numpy()})
         for c in ("actor1", "actor2")],
        ignore_index=True,
    )
    sides["actor"] = sides["actor"].where(sides["actor"].notna(), "").astype(str).str.strip()
    sides = sides.loc[(sides["actor"] != "") & ~sides["actor"].str.match(_CIVILIANS)]
    sides = sides.drop_duplicates(["row", "actor"])
    out = sides.groupby("actor").agg(events=("row", "size"), fatalities=("fatalities", "sum")).reset_index()
    out = out.sort_values(["events", "fatalities", "actor"], ascending=[False, False, True]).head(n)
    return out.astype({"actor": object, "events": "int64", "fatalities": "int64"}).reset_index(drop=True)


def latest_events(events: pd.DataFrame, *, n: int = 10) -> pd.DataFrame:
    """The `n` most recent events as plain text for a table.

    Parameters
    ----------
    events
        Canonical events.
    n
        The most events listed.

    Returns
    -------
    DataFrame with columns date (a `datetime.date`), event_type, actor1, actor2, fatalities, location,
    notes; newest first.
    """
    columns = ["event_type", "actor1", "actor2", "fatalities", "location", "notes"]
    order = [c for c in ("event_date", "source_dataset", "event_id") if c in events]
    latest = events.sort_values(order, ascending=False, kind="stable").head(n)
    out = latest[columns].copy()
    out.insert(0, "date", latest["event_date"].dt.date.to_numpy())
    return out.reset_index(drop=True)
