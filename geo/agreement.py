"""Do the sources agree? ACLED's events, counted with ACLED's definition of an indicator, beside ACLED's own aggregates of that indicator (HDX), for the units and periods both cover.

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
