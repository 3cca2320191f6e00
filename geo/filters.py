"""Which events a figure covers (`Filters`) and which periods it is cut into, for events in memory (`filter_mask`, `period_labels`) and in the store (`sql_conditions`, `period_sql`).

The same filters give the same events on both paths: tests compare them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
import sqlalchemy as sa

from .config import Settings, get_settings
from .countries import COUNTRY_NAMES
from .errors import AtlasError
from .indicators import INDICATORS, check_indicator, event_mask, indicator_sql, needs_sub_types

PERIODS = ("year", "quarter", "month")


@dataclass(frozen=True)
class Filters:
    """
    Which events a figure covers. Empty selections mean "all".

    Attributes
    ----------
    date_from, date_to
        Inclusive date range.
    countries
        ISO3 codes; an event's country is that of its admin1 unit, else the declared one.
    event_types, sub_event_types
        Keep only these (exact names).
    preset
        A named selection from `atlas.toml` ("political-violence").
    actor
        Case-insensitive text searched in both actors and their associates.
    sources
        Source datasets ("acled", "ucdp", "generic", "sample").
    max_geo_precision
        Keep events whose geo precision code is at most this (ACLED 1–3, UCDP 1–7).
    indicator
        One of ACLED's indicators (`geo.indicators`): events by ACLED's definition of it, aggregate rows
        (`acled-hdx`) of it. Without one, aggregate rows count for the default indicator only (political
        violence), never several indicators added together.
    """

    date_from: date | None = None
    date_to: date | None = None
    countries: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_event_types: tuple[str, ...] = ()
    preset: str | None = None
    actor: str | None = None
    sources: tuple[str, ...] = ()
    max_geo_precision: int | None = None
    indicator: str | None = None
    exclude_event_types: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        """Refuse an unknown indicator when the filters are made."""
        check_indicator(self.indicator)  # an unknown indicator is refused when the filters are made

    def resolved(self, settings: Settings | None = None) -> Filters:
        """The filters with the preset expanded into event types to exclude or include.

        Parameters
        ----------
        settings
            The settings (`atlas.toml` and the environment); default: the current ones.

        Returns
        -------
        Filters
            The filters with the preset expanded into event types to exclude or include.
        """
        if not self.preset:
            return self
        settings = settings or get_settings()
        if self.preset not in settings.presets:
            raise AtlasError(f"unknown preset {self.preset!r}; known: {', '.join(settings.presets) or 'none'}")
        preset = settings.presets[self.preset]
        return replace(
            self,
            exclude_event_types=tuple(dict.fromkeys(self.exclude_event_types + preset.exclude_event_types)),
            event_types=self.event_types or preset.include_event_types,
        )

    def describe(self, settings: Settings | None = None) -> str:
        """One line saying what the filters keep, for captions of figures.

        Parameters
        ----------
        settings
            The settings (`atlas.toml` and the environment); default: the current ones.

        Returns
        -------
        str
            One line saying what the filters keep, for captions of figures.
        """
        parts = []
        if self.date_from or self.date_to:
            parts.append(f"{self.date_from or '…'} to {self.date_to or '…'}")
        if self.countries:
            parts.append(", ".join(COUNTRY_NAMES.get(c, c) for c in self.countries))
        if self.preset:
            settings = settings or get_settings()
            parts.append(settings.presets[self.preset].label if self.preset in settings.presets else self.preset)
        if self.event_types:
            parts.append("types: " + ", ".join(self.event_types))
        if self.sub_event_types:
            parts.append("sub-types: " + ", ".join(self.sub_event_types))
        if self.actor:
            parts.append(f"actor contains “{self.actor}”")
        if self.max_geo_precision:
            parts.append(f"geo precision ≤ {self.max_geo_precision}")
        if self.indicator:
            parts.append(INDICATORS[self.indicator].label.lower())
        if not (self.preset or self.event_types or self.sub_event_types or self.indicator):
            parts.append("all event types")
        return "; ".join(parts)


def filter_mask(events: pd.DataFrame, filters: Filters, placements: pd.DataFrame | None = None) -> np.ndarray:
    """Boolean mask of the events the filters keep.

    Parameters
    ----------
    events
        Canonical events.
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    placements
        Each event's places (:func:`geo.join.place_events` or stored `event_places` rows).

    Returns
    -------
    np.ndarray
        One boolean per event.
    """
    f = filters.resolved()
    keep = np.ones(len(events), dtype=bool)
    if f.date_from:
        keep &= (events["event_date"] >= pd.Timestamp(f.date_from)).to_numpy()
    if f.date_to:
        keep &= (events["event_date"] <= pd.Timestamp(f.date_to)).to_numpy()
    if f.sources:
        keep &= events["source_dataset"].isin(f.sources).to_numpy()
    if f.event_types:
        keep &= events["event_type"].isin(f.event_types).to_numpy()
    if f.exclude_event_types:
        keep &= ~events["event_type"].isin(f.exclude_event_types).to_numpy()
    if f.sub_event_types:
        keep &= events["sub_event_type"].isin(f.sub_event_types).to_numpy()
    if f.actor:
        needle = f.actor.strip().lower()
        hit = np.zeros(len(events), dtype=bool)
        for column in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2"):
            hit |= events[column].str.lower().str.contains(needle, regex=False).to_numpy()
        keep &= hit
    if f.max_geo_precision is not None:
        keep &= (events["geo_precision"].fillna(1) <= f.max_geo_precision).to_numpy()
    if f.indicator:
        keep &= event_mask(events, f.indicator)
    if f.countries:
        country = placements["unit_country_iso3"] if placements is not None else events["country_iso3"]
        keep &= country.isin(f.countries).to_numpy()
    return keep


def period_bounds(label: str) -> tuple[date, date]:
    """First and last day of a period label ("2019", "2019-Q2", "2019-03").

    Parameters
    ----------
    label
        A period label ("2019", "2019-Q2", "2019-03").

    Returns
    -------
    tuple[date, date]
        First and last day of a period label ("2019", "2019-Q2", "2019-03").
    """
    if "-Q" in label:
        span = pd.Period(label.replace("-Q", "Q"), freq="Q")
    elif len(label) == 7:
        span = pd.Period(label, freq="M")
    else:
        span = pd.Period(label, freq="Y")
    return span.start_time.date(), span.end_time.date()


def period_labels(dates: pd.Series, period: str) -> pd.Series:
    """'2019', '2019-Q1' or '2019-03' for each date.

    Parameters
    ----------
    dates
        Event dates.
    period
        The period of the rows: "year", "quarter" or "month".

    Returns
    -------
    pd.Series
        '2019', '2019-Q1' or '2019-03' for each date.
    """
    if period == "year":
        return dates.dt.year.astype(str)
    if period == "quarter":
        return dates.dt.year.astype(str) + "-Q" + dates.dt.quarter.astype(str)
    if period == "month":
        return dates.dt.strftime("%Y-%m")
    raise AtlasError(f"unknown period {period!r}; use year, quarter or month")




# ---------------------------------------------------------------------------------------------- in SQL


def summary_covers(filters: Filters, *, sub_event_types: bool = True) -> bool:
    """Whether the store's summary tables answer these filters exactly: they hold whole months and no actor names, so a date range must run from a month's first day to a month's last, and no actor be asked.

    With `sub_event_types` False (the border and actor summaries hold no sub-types), no sub-type either.

    Parameters
    ----------
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).
    sub_event_types
        Whether the question needs sub-event types (the border and actor summaries lack them).

    Returns
    -------
    bool
        Whether the store's summary tables answer these filters exactly: they hold whole months and no actor names, so
        a date range must run from a month's first day to a month's last, and no actor be asked. With
        `sub_event_types` False (the border and actor summaries hold no sub-types), no sub-type either.
    """
    f = filters.resolved()
    if f.actor:
        return False
    if (f.sub_event_types or needs_sub_types(f.indicator)) and not sub_event_types:
        return False
    if f.date_from and f.date_from.day != 1:
        return False
    if f.date_to and (f.date_to + timedelta(days=1)).day != 1:
        return False
    return True


def like_pattern(text: str) -> str:
    r"""A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped (escape character `\`).

    Parameters
    ----------
    text
        The text searched for.

    Returns
    -------
    str
        A LIKE pattern matching `text` anywhere, with LIKE's wildcards escaped (escape character `\\`).
    """
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def sql_conditions(
    filters: Filters,
    *,
    events: sa.Table | None = None,
    places: sa.Table | None = None,
    summary: sa.Table | None = None,
    lower: Callable[[sa.ColumnElement[str]], sa.ColumnElement[str]] = sa.func.lower,
) -> list:
    """The filters as SQL conditions, on the store's events joined to their places, or on its summary.

    Aggregate rows (source `acled-hdx`, in the summary only) are kept for one indicator: the filters' or the
    default one (`geo.indicators.indicator_sql`).

    Parameters
    ----------
    events, places
        The `events` and `event_places` tables (or aliases), for conditions on single events.
    summary
        The `unit_summary` table, instead of both (the filters must be `summary_covers`-able).
    lower
        The SQL function that lower-cases text for the actor search (Unicode-aware on every backend).
    filters
        The event filters (dates, sources, countries, event types, preset, actor, geo precision).

    Returns
    -------
    list
        The filters as SQL conditions, on the store's events joined to their places, or on its summary.
    """
    f = filters.resolved()
    if summary is not None:
        if not summary_covers(f):
            raise AtlasError("these filters need single events (an actor, or dates inside a month)")
        c = summary.c
        source, etype, country = c.source_dataset, c.event_type, c.country_iso3
        subtype = c.sub_event_type if "sub_event_type" in c else None
        civilian = c.civilian_targeting
        precision = c.geo_precision
        day_from = f.date_from.strftime("%Y-%m") if f.date_from else None
        day_to = f.date_to.strftime("%Y-%m") if f.date_to else None
        when = c.month
    else:
        c = events.c
        source, etype, subtype = c.source_dataset, sa.func.coalesce(c.event_type, ""), sa.func.coalesce(c.sub_event_type, "")
        country = places.c.country_iso3 if places is not None else c.country_iso3
        civilian = sa.func.coalesce(c.civilian_targeting, sa.false())
        precision = sa.func.coalesce(c.geo_precision, 1)
        day_from = f.date_from.isoformat() if f.date_from else None
        day_to = f.date_to.isoformat() if f.date_to else None
        when = c.event_date
    out = []
    if day_from:
        out.append(when >= day_from)
    if day_to:
        out.append(when <= day_to)
    if f.sources:
        out.append(source.in_(f.sources))
    if f.event_types:
        out.append(etype.in_(f.event_types))
    if f.exclude_event_types:
        out.append(etype.not_in(f.exclude_event_types))
    if f.sub_event_types:
        if subtype is None:
            raise AtlasError("this summary holds no sub-event types; filter the events themselves")
        out.append(subtype.in_(f.sub_event_types))
    if f.actor:
        pattern = like_pattern(f.actor.strip().lower())
        out.append(sa.or_(*[
            lower(sa.func.coalesce(c[column], "")).like(pattern, escape="\\")
            for column in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
        ]))
    if f.max_geo_precision is not None:
        out.append(precision <= f.max_geo_precision)
    if f.indicator and needs_sub_types(f.indicator) and subtype is None:
        raise AtlasError("this summary holds no sub-event types; filter the events themselves")
    out.append(indicator_sql(f.indicator, source=source, event_type=etype, sub_event_type=subtype, civilian=civilian))
    if f.countries:
        out.append(country.in_(f.countries))
    return out


def period_sql(text: sa.ColumnElement[str], period: str) -> sa.ColumnElement[str]:
    """The period label ('2019', '2019-Q1', '2019-03') of an ISO date or month text column, in SQL.

    Parameters
    ----------
    text
        An SQL column or expression of ISO dates (YYYY-MM-DD) or months (YYYY-MM).
    period
        The period of the rows: "year", "quarter" or "month".

    Returns
    -------
    sa.ColumnElement[str]
        The SQL expression of the period label.
    """
    year = sa.func.substr(text, 1, 4)
    if period == "year":
        return year
    if period == "month":
        return sa.func.substr(text, 1, 7)
    if period == "quarter":
        month = sa.cast(sa.func.substr(text, 6, 2), sa.Integer)
        quarter = sa.case((month <= 3, "1"), (month <= 6, "2"), (month <= 9, "3"), else_="4")
        return year + sa.literal("-Q") + quarter
    raise AtlasError(f"unknown period {period!r}; use year, quarter or month")
