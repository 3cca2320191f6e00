"""Dates as sources write them: 2019-03-23, 23/03/2019, 23 March 2019, 23-March-2019, 30-Sept-24, 23 mars 2019.

Parsed once per distinct value (a file has far fewer distinct dates than rows).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import numpy as np
import pandas as pd

_FRENCH_MONTHS = {
    "janvier": "January", "fevrier": "February", "février": "February", "mars": "March", "avril": "April",
    "mai": "May", "juin": "June", "juillet": "July", "aout": "August", "août": "August",
    "septembre": "September", "octobre": "October", "novembre": "November", "decembre": "December",
    "décembre": "December",
}
_FRENCH = re.compile(r"(?i)\b(" + "|".join(_FRENCH_MONTHS) + r")\b")
_SEPT = re.compile(r"(?i)\bsept\b")

# Day-first forms (ACLED's old exports write dd/mm/yyyy); ISO 8601 is tried before all of them.
DAY_FIRST_FORMATS = [
    "%d/%m/%Y", "%d %B %Y", "%d-%B-%Y", "%d %b %Y", "%d-%b-%Y", "%d-%b-%y", "%d %b %y", "%d/%m/%y",
    "%d.%m.%Y", "%d-%m-%Y", "%B %d, %Y", "%b %d, %Y", "%Y/%m/%d",
]
MONTH_FIRST_FORMATS = ["%m/%d/%Y", "%m/%d/%y", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d-%B-%Y", "%d-%b-%y", "%Y/%m/%d"]
_NUMERIC_DATE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
# A time zone after a time of day (2019-01-01T12:00:00Z, ...+01:00): the day is the one written, so the
# zone is dropped rather than converted (which could move the event to the day before or after).
_TIME_ZONE = re.compile(r"(?i)^(.*[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*(?:Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)$")


def _normalise(value: str) -> str:
    text = " ".join(value.strip().split())
    text = _TIME_ZONE.sub(r"\1", _SEPT.sub("Sep", text))
    return _FRENCH.sub(lambda m: _FRENCH_MONTHS[m.group(1).lower()], text)


def _to_datetime(values: pd.Series, fmt: str) -> pd.Series:
    """Values in one format as naive datetime64[s], NaT where they are not: never an error for the whole column."""
    try:
        out = pd.to_datetime(values, format=fmt, errors="coerce")
        if isinstance(out.dtype, pd.DatetimeTZDtype):
            out = out.dt.tz_localize(None)
        return out.astype("datetime64[s]")
    except (ValueError, TypeError, OverflowError):  # mixed time zones, a date beyond datetime64[s], ...
        if len(values) == 1:
            return pd.Series(pd.NaT, index=values.index, dtype="datetime64[s]")
        return pd.concat([_to_datetime(values.iloc[i : i + 1], fmt) for i in range(len(values))])


def parse_dates(
    values: pd.Series, *, day_first: bool = True, date_format: str | None = None
) -> tuple[pd.Series, pd.Series]:
    """
    Parse date strings.

    Parameters
    ----------
    values
        Text dates.
    day_first
        Read 03/04/2019 as 3 April (ACLED) rather than 4 March.
    date_format
        A strftime format to use instead of guessing (generic files).

    Returns
    -------
    (dates as datetime64[s] with NaT where unparsed, reason text where unparsed else "")
    """
    codes, unique_values = pd.factorize(values.astype(str), use_na_sentinel=False)
    uniques = pd.Series(np.asarray(unique_values, dtype=object))
    normalised = uniques.map(_normalise)
    parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[s]")
    if date_format:
        formats = [date_format]
    else:
        formats = ["ISO8601", *(DAY_FIRST_FORMATS if day_first else MONTH_FIRST_FORMATS)]
    for fmt in formats:
        todo = parsed.isna() & (normalised != "")
        if not todo.any():
            break
        parsed[todo] = _to_datetime(normalised[todo], fmt)
    reasons = pd.Series("", index=uniques.index, dtype=object)
    missing = normalised == ""
    reasons[missing] = "date missing"
    failed = parsed.isna() & ~missing
    numeric = normalised.str.match(_NUMERIC_DATE)
    reasons[failed & numeric] = "date '" + uniques[failed & numeric] + "' is not a valid calendar date"
    reasons[failed & ~numeric] = (
        "date '" + uniques[failed & ~numeric] + "' is in no recognised format (write it as YYYY-MM-DD)"
    )
    today = np.datetime64(datetime.now(UTC).date(), "s")
    future = parsed > today
    reasons[future] = "date " + parsed[future].dt.strftime("%Y-%m-%d") + " lies in the future"
    ancient = parsed < np.datetime64(date(1900, 1, 1), "s")
    reasons[ancient] = "date " + parsed[ancient].dt.strftime("%Y-%m-%d") + " is before 1900; check the format"
    parsed[future | ancient] = pd.NaT
    # Back to one value per row by the factorised codes (an array take, not a hash lookup per row).
    return (
        pd.Series(parsed.to_numpy()[codes], index=values.index).astype("datetime64[s]"),
        pd.Series(reasons.to_numpy(dtype=object)[codes], index=values.index),
    )
