"""Do the sources agree? ACLED's events beside ACLED's own aggregates of an indicator (HDX); any two sources side by side.

ACLED's events, counted with ACLED's definition of an indicator, are set beside ACLED's own aggregates of that indicator
(HDX) for the units and periods both cover (`compare_sources`); and any two sources — ACLED beside UCDP GED — per unit
and period with their ranges (`side_by_side`, `python -m geo compare`).

Both figures come from `geo.aggregate.aggregate_store` (the same query code as every view); they are set side by side,
never added together. A unit-period counts as covered

- by the aggregates when a table has its rows (zero months included) and its period is complete in them (not the
  partial last month of a table);
- by the events when the events source's data cover the whole period (from its first month to the day it is complete
  through) and hold events of the unit's country (in any period).

Only the unit-periods both cover are compared: elsewhere one side would read as zero where it has no data. ACLED revises
its events after publishing them and its aggregates are made from the current data, so the gaps are those revisions (and
events placed by their coordinates in another unit than ACLED declares).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from .aggregate import aggregate_store
from .boundaries import BoundarySet
from .config import Settings, get_settings
from .errors import AtlasError
from .filters import Filters, period_bounds
from .indicators import AGGREGATE_SOURCE, DEFAULT_INDICATOR, check_indicator, has_fatalities
from .join import OUTSIDE_CODE, UNALLOCATED_CODE
from .query import SourceVintage, source_countries, source_vintages
from .store import Store

#: Columns of `Agreement.rows`.
AGREEMENT_COLUMNS = [
    "country_iso3", "unit_code", "unit_name", "period", "events_events", "events_aggregates", "events_difference",
    "fatalities_events", "fatalities_aggregates", "fatalities_difference",
]


@dataclass
class Agreement:
    """
    The two sources side by side.

    Attributes
    ----------
    rows
        Per unit and period both cover (`AGREEMENT_COLUMNS`): the events' figures, the aggregates' and their difference
        (events − aggregates); fatalities empty for demonstrations (the aggregates have none).
    periods
        Per period: the same summed over the units compared.
    events_source, indicator
        What was compared ("acled"; "political-violence").
    """

    rows: pd.DataFrame
    periods: pd.DataFrame
    events_source: str
    indicator: str

    @property
    def empty(self) -> bool:
        """Whether no unit-period is covered by both sources."""
        return self.rows.empty

    def totals(self) -> dict[str, float | int | None]:
        """Sums over every unit-period compared, the difference and its share of the aggregates' figure.

        Returns
        -------
        dict[str, float | int | None]
            Sums over every unit-period compared: the events' and the aggregates' figures, the difference and its share of the aggregates'.
        """
        rows = self.rows
        out: dict[str, float | int | None] = {"unit_periods": int(len(rows))}
        for figure in ("events", "fatalities"):
            a, b = rows[f"{figure}_events"], rows[f"{figure}_aggregates"]
            if b.isna().all():
                out.update({f"{figure}_events": None, f"{figure}_aggregates": None, f"{figure}_difference": None,
                            f"{figure}_share": None})
                continue
            a_sum, b_sum = int(a.sum()), int(b.sum())
            out.update({f"{figure}_events": a_sum, f"{figure}_aggregates": b_sum, f"{figure}_difference": a_sum - b_sum,
                        f"{figure}_share": (a_sum - b_sum) / b_sum if b_sum else None})
        return out

    def largest_gap(self) -> pd.Series | None:
        """The unit-period whose event counts differ most (None when they agree everywhere).

        Returns
        -------
        pd.Series | None
            The unit-period whose event counts differ most (None when they agree everywhere).
        """
        if self.rows.empty:
            return None
        size = self.rows["events_difference"].abs()
        if not size.max():
            return None
        return self.rows.loc[size.idxmax()]


def compare_sources(
    store: Store,
    boundary_set: BoundarySet,
    *,
    level: str = "admin1",
    period: str = "year",
    indicator: str | None = None,
    filters: Filters | None = None,
    events_source: str = "acled",
    tolerance_m: float | None = None,
    settings: Settings | None = None,
) -> Agreement:
    """ACLED's events with ACLED's definition of `indicator` beside ACLED's aggregates of it, per unit and period both cover.

    Parameters
    ----------
    filters
        Dates and countries to compare in (other filters are those of single events and do not apply).
    events_source
        The event source compared ("acled").
    store
        The event store.
    boundary_set
        The boundary set.
    level
        The unit level: "admin1" or "admin2".
    period
        The period of the rows: "year", "quarter" or "month".
    indicator
        One of ACLED's three indicators ("political-violence", "civilian-targeting", "demonstrations").
    tolerance_m
        The snapping tolerance in metres: an event outside every unit but within it of one goes to the nearest unit.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    Agreement
        The unit-periods both cover, each with the two figures and their difference, and the totals.
    """
    settings = settings or get_settings()
    indicator = check_indicator(indicator) or DEFAULT_INDICATOR
    filters = filters or Filters()
    base = Filters(date_from=filters.date_from, date_to=filters.date_to, countries=filters.countries, indicator=indicator)
    tables = {}
    for name, source in (("events", events_source), ("aggregates", AGGREGATE_SOURCE)):
        table = aggregate_store(store, boundary_set, level=level, period=period, filters=replace(base, sources=(source,)),
                                tolerance_m=tolerance_m, settings=settings)
        tables[name] = table[(table["source"] == source) & ~table["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])]
    set_id = _set_id(store, boundary_set, tolerance_m, settings)
    vintages = source_vintages(store, set_id)
    complete = {name: _complete_periods(tables[name]["period"], vintages.get(source))
                for name, source in (("events", events_source), ("aggregates", AGGREGATE_SOURCE))}
    events = tables["events"]
    countries_with_events = source_countries(store, set_id, events_source)  # (in any period: the export covers them)
    events = events[events["period"].isin(complete["events"]) & events["country_iso3"].isin(countries_with_events)]
    aggregates = tables["aggregates"][tables["aggregates"]["period"].isin(complete["aggregates"])]
    key = ["country_iso3", "unit_code", "unit_name", "period"]
    both = events[[*key, "events", "fatalities"]].merge(aggregates[[*key, "events", "fatalities"]], on=key, how="inner",
                                                       suffixes=("_events", "_aggregates"))
    both["events_difference"] = both["events_events"] - both["events_aggregates"]
    if has_fatalities(indicator):
        both["fatalities_difference"] = both["fatalities_events"] - both["fatalities_aggregates"]
    else:
        for column in ("fatalities_events", "fatalities_aggregates", "fatalities_difference"):
            both[column] = pd.array([pd.NA] * len(both), dtype="Int64")
    both = both.sort_values(["period", "country_iso3", "unit_code"], ignore_index=True)[AGREEMENT_COLUMNS]
    figures = [c for c in AGREEMENT_COLUMNS if c.startswith(("events_", "fatalities_"))]
    periods = both.groupby("period", as_index=False)[figures].sum(min_count=1) if len(both) else pd.DataFrame(columns=["period", *figures])
    return Agreement(rows=both, periods=periods, events_source=events_source, indicator=indicator)


def _set_id(store: Store, boundary_set: BoundarySet, tolerance_m: float | None, settings: Settings) -> int:
    from .places import ensure_placement

    return ensure_placement(store, boundary_set, tolerance_m=settings.tolerance_m if tolerance_m is None else tolerance_m)


def _complete_periods(periods: pd.Series, vintage: SourceVintage | None) -> set[str]:
    """The periods a source's data cover whole: from its first month to the day they are complete through."""
    if vintage is None:
        return set()
    first = pd.Timestamp(vintage.first_month + "-01").date()
    out = set()
    for label in periods.astype(str).unique():
        start, end = period_bounds(label)
        if start >= first and end <= vintage.complete_through:
            out.add(label)
    return out


# ---------------------------------------------------------------------------------------------- any two sources, with ranges

#: Per source, the figures `side_by_side` gives (each prefixed with the source's name).
SOURCE_FIGURES = ["events", "events_min", "events_max", "fatalities", "fatalities_min", "fatalities_max"]
#: The unit columns of `side_by_side` (before each source's figures).
UNIT_COLUMNS = ["boundaries", "level", "country_iso3", "unit_code", "unit_name", "parent_code", "period"]
#: The columns after the sources' figures.
DIFFERENCE_COLUMNS = ["events_difference", "fatalities_difference", "events_ranges_overlap", "fatalities_ranges_overlap"]


def figure_prefix(source: str) -> str:
    """A source's prefix in the columns of `side_by_side` ("acled-hdx" -> "acled_hdx").

    Parameters
    ----------
    source
        A source (`source_dataset`).

    Returns
    -------
    str
        Its prefix.
    """
    return source.replace("-", "_")


@dataclass
class SideBySide:
    """Two sources' figures per unit and period, never added together (`side_by_side`).

    Attributes
    ----------
    rows
        `UNIT_COLUMNS`, then per source (prefixed, `figure_prefix`) `SOURCE_FIGURES`, then `DIFFERENCE_COLUMNS`: the
        first source's figure minus the second's, and whether their ranges overlap (the sources may agree within
        their uncertainty). A unit-period a source has no data for (outside its extent) is empty for it, not zero.
    sources
        The two sources, in the order compared.
    indicator
        The indicator both were counted with.
    """

    rows: pd.DataFrame
    sources: tuple[str, str]
    indicator: str

    def columns(self, source: str) -> list[str]:
        """The columns of one source's figures in `rows`.

        Parameters
        ----------
        source
            One of `sources`.

        Returns
        -------
        list[str]
            Its `SOURCE_FIGURES`, prefixed (`figure_prefix`).
        """
        return [f"{figure_prefix(source)}_{figure}" for figure in SOURCE_FIGURES]

    def totals(self) -> dict[str, dict[str, int | None]]:
        """Per source, its events and fatalities summed over every row: what `aggregate` gives for it.

        The rows hold every event once. Ranges are not summed: an event whose area reaches two units is in the maximum
        of both.

        Returns
        -------
        dict[str, dict[str, int | None]]
            Per source, `events` and `fatalities` (None when it has no row with data).
        """
        out = {}
        for source in self.sources:
            out[source] = {}
            for figure in ("events", "fatalities"):
                values = pd.to_numeric(self.rows[f"{figure_prefix(source)}_{figure}"], errors="coerce")
                out[source][figure] = int(values.sum()) if values.notna().any() else None
        return out


def side_by_side(
    store: Store,
    boundary_set: BoundarySet,
    *,
    sources: tuple[str, str] = ("acled", "ucdp"),
    level: str = "admin1",
    period: str = "year",
    indicator: str | None = None,
    filters: Filters | None = None,
    tolerance_m: float | None = None,
    settings: Settings | None = None,
) -> SideBySide:
    """Two sources' events and fatalities, with their ranges, per unit and period, and their difference; never summed.

    ACLED beside UCDP GED, or ACLED's events beside ACLED's aggregates (`acled-hdx`, which have no ranges); the ranges
    are those of `geo.aggregate.aggregate_store(..., ranges=True)`. Each source's figures are exactly its own
    `aggregate` table (the `_OUTSIDE` and `_UNALLOCATED` rows included), so its column sums are what `python -m geo
    aggregate --source SOURCE` gives with the same indicator, dates and countries.

    Parameters
    ----------
    store
        The event store.
    boundary_set
        The boundary set.
    sources
        Two different sources.
    level
        The unit level: "admin1" or "admin2".
    period
        The period of the rows: "year", "quarter" or "month".
    indicator
        ACLED's indicator both are counted with (default political violence: what both datasets count).
    filters
        Dates and countries (other filters select single events, which ACLED's aggregates do not have).
    tolerance_m
        The snapping tolerance in metres; default: the settings'.
    settings
        The settings (`atlas.toml` and the environment); default: the current ones.

    Returns
    -------
    SideBySide
        The two sources' rows side by side.
    """
    settings = settings or get_settings()
    if len(sources) != 2 or sources[0] == sources[1]:
        raise AtlasError(f"compare takes two different sources (e.g. acled,ucdp), not {','.join(sources) or 'none'}")
    indicator = check_indicator(indicator) or DEFAULT_INDICATOR
    filters = filters or Filters()
    base = Filters(date_from=filters.date_from, date_to=filters.date_to, countries=filters.countries, indicator=indicator)
    key = ["country_iso3", "unit_code", "period"]
    merged = None
    for source in sources:
        table = aggregate_store(store, boundary_set, level=level, period=period, filters=replace(base, sources=(source,)),
                                tolerance_m=tolerance_m, settings=settings, ranges=True)
        table = table[table["source"] == source]
        named = table[[*UNIT_COLUMNS, *SOURCE_FIGURES]].rename(
            columns={figure: f"{figure_prefix(source)}_{figure}" for figure in SOURCE_FIGURES})
        if merged is None:
            merged = named
        else:
            merged = merged.merge(named, on=key, how="outer", suffixes=("", "_other"))
            for column in ("boundaries", "level", "unit_name", "parent_code"):
                merged[column] = merged[column].fillna(merged.pop(f"{column}_other"))
    first, second = (figure_prefix(s) for s in sources)
    for figure in SOURCE_FIGURES:
        for prefix in (first, second):
            merged[f"{prefix}_{figure}"] = pd.to_numeric(merged[f"{prefix}_{figure}"], errors="coerce").astype("Int64")
    for figure in ("events", "fatalities"):
        merged[f"{figure}_difference"] = merged[f"{first}_{figure}"] - merged[f"{second}_{figure}"]
        low = [merged[f"{p}_{figure}_min"].fillna(merged[f"{p}_{figure}"]) for p in (first, second)]
        high = [merged[f"{p}_{figure}_max"].fillna(merged[f"{p}_{figure}"]) for p in (first, second)]
        overlap = (low[0] <= high[1]) & (low[1] <= high[0])
        merged[f"{figure}_ranges_overlap"] = overlap.astype("boolean")
    special = merged["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE]).astype(int)
    merged = merged.assign(_special=special).sort_values(["period", "_special", "country_iso3", "unit_code"], ignore_index=True)
    columns = [*UNIT_COLUMNS, *[f"{p}_{f}" for p in (first, second) for f in SOURCE_FIGURES], *DIFFERENCE_COLUMNS]
    return SideBySide(rows=merged[columns], sources=(sources[0], sources[1]), indicator=indicator)
