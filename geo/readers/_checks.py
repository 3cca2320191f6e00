"""Row-level checks shared by the readers: every problem of every row is collected, none is fatal to the file.

A row with at least one problem is rejected with all its reasons and its line number.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_COMMA_DECIMAL = re.compile(r"^\s*-?\d+,\d+\s*$")

#: The largest number of fatalities one event may count. No event of ACLED or UCDP GED comes near it; a
#: larger value is a typo or an overflow (1e19 would wrap around in a 64-bit integer) and rejects its row.
MAX_FATALITIES = 1_000_000


class RowProblems:
    """Collects (mask, message) pairs over the rows of one file."""

    def __init__(self, index: pd.Index) -> None:
        self.index = index
        self._items: list[tuple[np.ndarray, pd.Series | str]] = []

    def add(self, mask: np.ndarray | pd.Series, message: pd.Series | str | Callable[[np.ndarray], object]) -> None:
        """Record `message` for the rows where `mask` is true.

        `message` is a text, a per-row Series, or a function of the mask giving the texts of those rows
        only (so that messages are built for the few bad rows, not for a million good ones).

        Parameters
        ----------
        mask
            One boolean per row: the rows with the problem.
        message
            The message: one text for all, a series of texts (one per row) or a function of the rows' positions.
        """
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            self._items.append((mask, message))

    def rejected(self) -> np.ndarray:
        """Which rows have a problem.

        Returns
        -------
        np.ndarray
            One boolean per row.
        """
        out = np.zeros(len(self.index), dtype=bool)
        for mask, _ in self._items:
            out |= mask
        return out

    def reasons(self) -> pd.Series:
        """"; "-joined reasons of each rejected row (indexed like the rows).

        Returns
        -------
        pd.Series
            The reasons, indexed like the rows.
        """
        rejected = self.rejected()
        out = pd.Series("", index=self.index[rejected], dtype=object)
        for mask, message in self._items:
            rows = self.index[mask]
            if callable(message):
                text = np.asarray(message(mask), dtype=object)
            elif isinstance(message, pd.Series):
                text = message.to_numpy(dtype=object)[mask]
            else:
                text = np.full(len(rows), message, dtype=object)
            current = out.loc[rows]
            out.loc[rows] = current.where(current == "", current + "; ") + pd.Series(text, index=rows, dtype=object)
        return out


def _text(values: pd.Series, mask: np.ndarray) -> pd.Series:
    return values[mask].astype(str)


def parse_number(values: pd.Series, *, comma_decimal: bool = False) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Text to float.

    Parameters
    ----------
    values
        Numbers as text.
    comma_decimal
        Whether the file writes decimals with a comma.

    Returns
    -------
    (numbers with NaN where missing or invalid, missing mask, invalid mask)
    """
    text = values.astype(str).str.strip()
    if comma_decimal:
        commas = text.str.match(_COMMA_DECIMAL)
        if commas.any():
            text = text.where(~commas, text.str.replace(",", ".", regex=False))
    missing = (text == "").to_numpy()
    numbers = _fast_floats(text, missing)
    if numbers is None:  # some value is not a number: the slower parse that tells which
        numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    invalid = (numbers.isna().to_numpy() | ~np.isfinite(numbers.fillna(0).to_numpy())) & ~missing
    numbers = numbers.where(~invalid)
    return numbers, missing, invalid


def to_floats(text: pd.Series) -> pd.Series:
    """Text to float, NaN where blank or not a number (fast when every value parses).

    Parameters
    ----------
    text
        Numbers as text.

    Returns
    -------
    pd.Series
        Text to float, NaN where blank or not a number (fast when every value parses).
    """
    text = text.astype(str).str.strip()
    fast = _fast_floats(text, (text == "").to_numpy())
    return fast if fast is not None else pd.to_numeric(text, errors="coerce").astype("float64")


def _fast_floats(text: pd.Series, missing: np.ndarray) -> pd.Series | None:
    """Arrow's cast of the whole column (blank → NaN); None when any value does not parse."""
    try:
        array = pa.array(text, type=pa.string(), from_pandas=True)
        array = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), array)
        parsed = pc.cast(array, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        return None
    return pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index, dtype="float64")


def check_coordinates(problems: RowProblems, lat_text: pd.Series, lon_text: pd.Series, *,
                      comma_decimal: bool) -> tuple[pd.Series, pd.Series]:
    """Parse and check latitude/longitude; returns the two float series.

    Parameters
    ----------
    problems
        Where each row's problems are collected (one message per row and column).
    lat_text
        Latitudes as text.
    lon_text
        Longitudes as text.
    comma_decimal
        Whether the file writes decimals with a comma.

    Returns
    -------
    tuple[pd.Series, pd.Series]
        (latitude, longitude) as floats (NaN where rejected).
    """
    lat, lat_missing, lat_invalid = parse_number(lat_text, comma_decimal=comma_decimal)
    lon, lon_missing, lon_invalid = parse_number(lon_text, comma_decimal=comma_decimal)
    problems.add(lat_missing, "latitude missing")
    problems.add(lon_missing, "longitude missing")
    problems.add(lat_invalid, lambda m: "latitude '" + _text(lat_text, m) + "' is not a number")
    problems.add(lon_invalid, lambda m: "longitude '" + _text(lon_text, m) + "' is not a number")
    lat_out = (lat.abs() > 90).to_numpy()
    lon_out = (lon.abs() > 180).to_numpy()
    swapped = lat_out & (lon.abs() <= 90).to_numpy()
    problems.add(
        swapped,
        lambda m: "latitude " + _text(lat, m) + " is out of range (−90 to 90) while longitude " + _text(lon, m)
        + " would be a valid latitude: latitude and longitude look swapped",
    )
    problems.add(lat_out & ~swapped, lambda m: "latitude " + _text(lat, m) + " is out of range (−90 to 90)")
    problems.add(lon_out, lambda m: "longitude " + _text(lon, m) + " is out of range (−180 to 180)")
    problems.add(((lat == 0) & (lon == 0)).to_numpy(), "coordinates are 0, 0 (a missing location written as zeros)")
    return lat, lon


def check_count(
    problems: RowProblems, text: pd.Series, label: str, *, required: bool = True, default: float | None = None
) -> pd.Series:
    """Parse a non-negative whole count (fatalities); missing is a problem unless `required` is False.

    Parameters
    ----------
    problems
        Where each row's problems are collected (one message per row and column).
    text
        The counts as text.
    label
        The column's name (in messages).
    required
        Whether a value is required (an empty one is a problem).
    default
        The value of a blank when it is allowed; None for missing.

    Returns
    -------
    pd.Series
        The counts as floats (NaN where missing or rejected).
    """
    numbers, missing, invalid = parse_number(text)
    if required:
        problems.add(missing, f"{label} missing")
    elif default is not None:
        numbers = numbers.where(~missing, default)
    problems.add(invalid, lambda m: label + " '" + _text(text, m) + "' is not a number")
    negative = (numbers < 0).to_numpy()
    problems.add(negative, lambda m: label + " " + _text(text, m).str.strip() + " is negative")
    fractional = ((numbers % 1) != 0).to_numpy() & ~np.isnan(numbers.to_numpy())
    problems.add(fractional & ~negative, lambda m: label + " " + _text(text, m).str.strip() + " is not a whole number")
    too_many = (numbers > MAX_FATALITIES).to_numpy()
    problems.add(
        too_many,
        lambda m: label + " " + _text(text, m).str.strip() + f" is above {MAX_FATALITIES:,}, the most one event may "
        "count; check the value",
    )
    # Rejected values become missing, so that no later integer cast sees them.
    return numbers.where(~(negative | fractional | too_many))


def check_code(
    problems: RowProblems, text: pd.Series, label: str, allowed: set[int], *, required: bool = False
) -> pd.Series:
    """Parse a small integer code that must be one of `allowed` (blank allowed unless required).

    Parameters
    ----------
    problems
        Where each row's problems are collected (one message per row and column).
    text
        The codes as text.
    label
        The column's name (in messages).
    allowed
        The codes allowed.
    required
        Whether a value is required (an empty one is a problem).

    Returns
    -------
    pd.Series
        The codes (NaN where blank or rejected).
    """
    numbers, missing, invalid = parse_number(text)
    if required:
        problems.add(missing, f"{label} missing")
    bad = invalid | (~missing & ~numbers.isin(list(allowed)).to_numpy())
    allowed_text = ", ".join(str(a) for a in sorted(allowed))
    problems.add(bad, lambda m: label + " '" + _text(text, m) + f"' is not one of {allowed_text}")
    return numbers.where(~bad).astype("Float64").round().astype("Int64")


def check_required_text(problems: RowProblems, text: pd.Series, label: str) -> pd.Series:
    """Text that must not be blank (a problem where it is).

    Parameters
    ----------
    problems
        Where each row's problems are collected (one message per row and column).
    text
        The values.
    label
        The column's name (in messages).

    Returns
    -------
    pd.Series
        The values, stripped.
    """
    cleaned = text.astype(str).str.strip()
    problems.add((cleaned == "").to_numpy(), f"{label} missing")
    return cleaned
