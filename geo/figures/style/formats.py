"""Numbers and dates in the current language's locale (babel).

"1,234.5" and "23 Mar 2019", or "1 234,5" and "23 mars 2019"; periods, years and the periods the data cover only in
part.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import Final

import numpy as np
import pandas as pd
from babel import Locale
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from ...filters import period_bounds
from ...query import SourceVintage
from ..language import current_locale
from .words import word

#: Metrics that are whole numbers (labels without decimals, breaks on integers).
COUNT_METRICS: Final = frozenset({
    "events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities", "snapped_events",
})


def as_float(value: object) -> float | None:
    """A finite float, or ``None`` for missing / non-numeric / infinite values.

    Parameters
    ----------
    value
        Any value.

    Returns
    -------
    float | None
        A finite float, or ``None`` for missing / non-numeric / infinite values.
    """
    if value is None or value is pd.NA:
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def to_float_array(values: Iterable[object]) -> np.ndarray:
    """Any iterable of numbers (with None / pd.NA) as a float array with NaN for missing.

    Parameters
    ----------
    values
        Numbers, None or pd.NA.

    Returns
    -------
    np.ndarray
        Any iterable of numbers (with None / pd.NA) as a float array with NaN for missing.
    """
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def significant_decimals(value: float, significant: int) -> int:
    """Decimals that show ``significant`` significant digits (none for values of 10**significant or more).

    Parameters
    ----------
    value
        A number.
    significant
        Significant digits kept.

    Returns
    -------
    int
        The decimals.
    """
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, significant - 1 - math.floor(math.log10(abs(value))))


@lru_cache(maxsize=8192)
def _whole(value: int, locale: str) -> str:
    """A whole number with thousands separators in a locale (kept: tables and tooltips write the same counts often)."""
    return format_decimal(value, format="#,##0", locale=locale)


def format_number(value: float, *, integer: bool = False, significant: int = 2) -> str:
    """A number for readers in the current language (babel): thousands separators, whole numbers without decimals, others with ``significant`` digits and no trailing zeros ("1,234.5", "0.7"; in French "1 234,5", "0,7").

    Parameters
    ----------
    value
        A number.
    integer
        Whether the values are whole numbers (no decimals are shown).
    significant
        Significant digits kept.

    Returns
    -------
    str
        A number for readers in the current language (babel): thousands separators, whole numbers without decimals,
        others with ``significant`` digits and no trailing zeros ("1,234.5", "0.7"; in French "1 234,5", "0,7").
    """
    if integer:
        return _whole(int(round(value)), current_locale())
    decimals = significant_decimals(value, significant)
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=current_locale())


def format_count(value: object) -> str:
    """A whole number with thousands separators ("1,234" / "1 234"); "–" when missing.

    Parameters
    ----------
    value
        A count (None, NaN or pd.NA when missing).

    Returns
    -------
    str
        A whole number with thousands separators ("1,234" / "1 234"); "–" when missing.
    """
    v = as_float(value)
    return "–" if v is None else format_number(v, integer=True)


def format_signed(value: object) -> str:
    """A whole number with its sign ("+1,234", "−5", "0"); "–" when missing.

    Parameters
    ----------
    value
        A whole number (None, NaN or pd.NA when missing).

    Returns
    -------
    str
        A whole number with its sign ("+1,234", "−5", "0"); "–" when missing.
    """
    v = as_float(value)
    if v is None:
        return "–"
    n = round(v)
    text = format_number(abs(n), integer=True)
    return f"+{text}" if n > 0 else f"−{text}" if n < 0 else text


def format_fixed(value: object, decimals: int = 1) -> str:
    """A number with exactly `decimals` decimals ("12.5" / "12,5"); "–" when missing.

    Parameters
    ----------
    value
        A number (None, NaN or pd.NA when missing).
    decimals
        Decimals kept.

    Returns
    -------
    str
        A number with exactly `decimals` decimals ("12.5" / "12,5"); "–" when missing.
    """
    v = as_float(value)
    if v is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(v, format=pattern, locale=current_locale())


def format_percent(share: object, *, decimals: int = 0, signed: bool = False) -> str:
    """A share (0.123) as a percentage for readers: "12 %" ("12,3 %" with one decimal in French); "–" when missing.

    Parameters
    ----------
    share
        A share (0.123; None, NaN or pd.NA when missing).
    decimals
        Decimals kept.
    signed
        Whether a positive share gets its "+".

    Returns
    -------
    str
        A share (0.123) as a percentage for readers: "12 %" ("12,3 %" with one decimal in French); "–" when missing.
    """
    v = as_float(share)
    if v is None:
        return "–"
    text = format_fixed(abs(v * 100) if signed else v * 100, decimals)
    if signed:
        text = ("+" if v > 0 else "−" if v < 0 else "") + text
    return word("format.percent", value=text)


def format_metric(metric: str, value: object) -> str:
    """A metric value for tooltips and tables ("–" when missing).

    Parameters
    ----------
    metric
        The metric: "events", "fatalities", "civilian_events", "civilian_fatalities" or "events_per_10k_km2".
    value
        The metric's value (None, NaN or pd.NA when missing).

    Returns
    -------
    str
        A metric value for tooltips and tables ("–" when missing).
    """
    v = as_float(value)
    if v is None:
        return "–"
    if metric in COUNT_METRICS or v == 0:
        return format_number(v, integer=True)
    return format_number(v, significant=3)


def format_range(value: object, low: object, high: object) -> str:
    """A count with the range it may take within the data's uncertainty: "1,234 (1,180–1,310)" ("1 234 (1 180–1 310)").

    Parameters
    ----------
    value
        The count.
    low
        The lowest it may be (None: unknown).
    high
        The highest it may be (None: unknown).

    Returns
    -------
    str
        The count and its range in the current language's numbers; the count alone when the range is the count itself
        or unknown; "–" when the count is missing.
    """
    v, lo, hi = as_float(value), as_float(low), as_float(high)
    if v is None:
        return "–"
    if lo is None or hi is None or (round(lo) == round(v) == round(hi)):
        return format_count(v)
    return word("format.range", value=format_count(v), low=format_count(lo), high=format_count(hi))


def format_value(value: object) -> str:
    """A value for hover texts and bar labels: whole numbers without decimals, others with one or two.

    Parameters
    ----------
    value
        A number (None, NaN or pd.NA when missing).

    Returns
    -------
    str
        A value for hover texts and bar labels: whole numbers without decimals, others with one or two.
    """
    v = as_float(value)
    if v is None:
        return word("value.no_data")
    if float(v).is_integer():
        return format_number(v, integer=True)
    return format_fixed(v, 1 if abs(v) >= 10 else 2)


def format_date(day: date | pd.Timestamp | None, *, year: bool = True) -> str:
    """A day for readers: "3 Aug 2020" (or "3 Aug" without the year), "3 août 2020" in French; "" when missing.

    Parameters
    ----------
    day
        A day (None or NaT when missing).
    year
        Whether the year is written.

    Returns
    -------
    str
        A day for readers: "3 Aug 2020" (or "3 Aug" without the year), "3 août 2020" in French; "" when missing.
    """
    if day is None or pd.isna(day):
        return ""
    day = pd.Timestamp(day).date()
    return babel_date(day, format=word("format.date" if year else "format.day"), locale=current_locale())


def format_dates(days: Iterable[object]) -> pd.Series:
    """:func:`format_date` of many days at once (each distinct day formatted once); "" where missing.

    Parameters
    ----------
    days
        Days (dates, timestamps, ISO text; None or NaT when missing).

    Returns
    -------
    pd.Series
        The days as text, in order.
    """
    values = pd.Series(pd.to_datetime(pd.Series(list(days) if not isinstance(days, pd.Series) else days), errors="coerce"))
    distinct = pd.DatetimeIndex(values.dropna().unique())
    lookup = pd.Series([format_date(d) for d in distinct], index=distinct, dtype=object)
    return values.map(lookup).fillna("").astype(object)


def period_label(period: object) -> str:
    """A period label for readers: years as they are ("2019"), quarters "Q2 2019" ("T2 2019"), months "Mar 2019" ("mars 2019"); anything else unchanged.

    Parameters
    ----------
    period
        The period of the rows: "year", "quarter" or "month".

    Returns
    -------
    str
        A period label for readers: years as they are ("2019"), quarters "Q2 2019" ("T2 2019"), months "Mar 2019"
        ("mars 2019"); anything else unchanged.
    """
    text = str(period)
    if len(text) == 7 and text[4] == "-" and text[5:].isdigit():
        return babel_date(date(int(text[:4]), int(text[5:]), 1), format=word("format.month"), locale=current_locale())
    if len(text) == 7 and text[4:6] == "-Q" and text[:4].isdigit():
        return babel_date(date(int(text[:4]), 3 * int(text[6]) - 2, 1), format=word("format.quarter"), locale=current_locale())
    return text


def plotly_separators() -> str:
    """Plotly's ``layout.separators`` in the current language: decimal mark then thousands separator (".," / ", ").

    Returns
    -------
    str
        The decimal mark then the thousands separator.
    """
    return get_decimal_symbol(current_locale()) + get_group_symbol(current_locale())


def years_label(first: int | None, last: int | None) -> str:
    """"2016–2019", or "2019" for one year.

    Parameters
    ----------
    first
        The first year (None when unknown).
    last
        The last year (None when unknown).

    Returns
    -------
    str
        "2016–2019", or "2019" for one year.
    """
    if first is None and last is None:
        return ""
    first, last = first or last, last or first
    return str(first) if first == last else f"{first}–{last}"


def period_note(label: str, vintage: SourceVintage | None) -> str:
    """The day a period the data cover only in part stops ("1 Aug"), or "" for a complete period.

    ACLED's aggregates: the as-of date of their table ("3 Apr 2025", or its month "Jan 2025" when only that is
    known).

    Parameters
    ----------
    label
        A period label.
    vintage
        The source's vintage (its last day, newest ACLED timestamp, UCDP version); None when unknown.

    Returns
    -------
    str
        The day a period the data cover only in part stops ("1 Aug"), or "" for a complete period. ACLED's aggregates:
        the as-of date of their table ("3 Apr 2025", or its month "Jan 2025" when only that is known).
    """
    if vintage is None:
        return ""
    start, end = period_bounds(str(label))
    if not vintage.is_partial(start, end):
        return ""
    if vintage.as_of:
        return as_of_text(vintage.as_of)
    return format_date(vintage.last_date, year=False)


def as_of_text(as_of: str) -> str:
    """A table's as-of date for readers: "3 Apr 2025" ("3 avr. 2025"), or "Jan 2025" when known only as a month.

    Parameters
    ----------
    as_of
        The as-of date ("2025-04-03", or "2025-01" when only the month is known).

    Returns
    -------
    str
        A table's as-of date for readers: "3 Apr 2025" ("3 avr. 2025"), or "Jan 2025" when known only as a month.
    """
    if len(as_of) == 7:
        return period_label(as_of)
    return format_date(date.fromisoformat(as_of))


def partial_key(vintage: SourceVintage | None) -> str:
    """The key of the note under a chart whose periods the data cover in part (ACLED's aggregates have their own).

    Parameters
    ----------
    vintage
        The source's vintage (its last day, newest ACLED timestamp, UCDP version); None when unknown.

    Returns
    -------
    str
        The key of the note under a chart whose periods the data cover in part (ACLED's aggregates have their own).
    """
    return "chart.partial_note_as_of" if vintage is not None and vintage.as_of else "chart.partial_note"


class PartialPeriods(dict):
    """Period label -> the day its data stop; `note_key` is the phrase of the note under a chart that says so."""

    note_key: str = "chart.partial_note"


def partial_periods(labels: Iterable[str], vintage: SourceVintage | None) -> dict[str, str]:
    """Period label -> the day its data stop, for the periods of `labels` the data cover only in part.

    Parameters
    ----------
    labels
        Period labels.
    vintage
        The source's vintage (its last day, newest ACLED timestamp, UCDP version); None when unknown.

    Returns
    -------
    dict[str, str]
        Period label -> the day its data stop, for the periods of `labels` the data cover only in part.
    """
    out = PartialPeriods()
    out.note_key = partial_key(vintage)
    for label in labels:
        note = period_note(str(label), vintage)
        if note:
            out[str(label)] = note
    return out


def years_text(first: int | None, last: int | None, vintage: SourceVintage | None = None) -> str:
    """The years of a figure, saying where the last stops short: "2019–2020 (2020 to 1 Aug)".

    Parameters
    ----------
    first
        The first year (None when unknown).
    last
        The last year (None when unknown).
    vintage
        The source's vintage (its last day, newest ACLED timestamp, UCDP version); None when unknown.

    Returns
    -------
    str
        The years of a figure, saying where the last stops short: "2019–2020 (2020 to 1 Aug)".
    """
    text = years_label(first, last)
    if not text or vintage is None:
        return text
    last = last or first
    note = period_note(str(last), vintage)
    if not note:
        return text
    if first == last or first is None:
        return word("years.partial_one", year=last, day=note)
    return word("years.partial", years=text, period=last, day=note)


def plural_form(n: float) -> str:
    """"one" or "other": the form a count takes in the current language (French: 0 and 1 are singular).

    Parameters
    ----------
    n
        A count.

    Returns
    -------
    str
        "one" or "other": the form a count takes in the current language (French: 0 and 1 are singular).
    """
    form = Locale.parse(current_locale()).plural_form(abs(n))
    return "one" if form == "one" else "other"


def plural(key: str, n: float, **values: object) -> str:
    """The phrase `key` for a count `n`: its ".one" or ".other" form (the count is passed as `n`, formatted).

    Parameters
    ----------
    key
        The phrase's key (without its ".one" / ".other").
    n
        The count.
    **values
        The phrase's other placeholders (`shown`: the count as text, when not `n` formatted).

    Returns
    -------
    str
        The phrase `key` for a count `n`: its ".one" or ".other" form (the count is passed as `n`, formatted).
    """
    return word(f"{key}.{plural_form(n)}", n=values.pop("shown", format_count(n)), **values)
