"""Classes: :func:`classify` (mapclassify Quantiles, FisherJenks, EqualInterval) gives a :class:`Classification` that colours any value, with zero and no data in their own styles, and describes itself in words."""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import mapclassify
import numpy as np

from .colours import MAX_CLASSES, NO_DATA, PALETTE, ZERO_COLOR, NoDataStyle
from .formats import as_float, format_number, significant_decimals, to_float_array
from .words import WORDS, word

#: Scheme name -> mapclassify classifier.
SCHEMES: Final[dict[str, type]] = {
    "quantiles": mapclassify.Quantiles,
    "natural_breaks": mapclassify.FisherJenks,
    "equal_interval": mapclassify.EqualInterval,
}
#: FisherJenks is O(k·n²) in pure Python (about 1.5 s for 1,000 values without numba): larger inputs are
#: classified on this many evenly spaced quantiles of the data, which keeps the result deterministic.
_JENKS_MAX_VALUES: Final = 400


def scheme_words(scheme: str, units: str = "units") -> str:
    """A class scheme in plain words ("about as many regions in each (quantiles)").

    Parameters
    ----------
    scheme
        The mapclassify scheme ("quantiles", "natural_breaks", "equal_interval").
    units
        What is classified, plural ("regions").

    Returns
    -------
    str
        A class scheme in plain words ("about as many regions in each (quantiles)").
    """
    return word(f"scheme.{scheme}", units=units) if f"scheme.{scheme}" in WORDS else scheme


@dataclass(frozen=True)
class Classification:
    """
    Class breaks of a metric: zero, ``k`` classes of positive values, and no data.

    A value ``v > 0`` falls in the first class whose upper bound is ``>= v``; values above the last
    bound (possible when the classification is reused for other data) go in the last class.

    Attributes
    ----------
    bounds
        Upper bounds of the positive classes, ascending, in the metric's units (already rounded the
        way the labels show them).
    labels
        One label per class, e.g. ``"1–3"``, ``"4–12"`` (counts) or ``"0.12–3.4"`` (densities).
    colors
        One hex colour per class (ColorBrewer YlOrRd without its palest colour).
    scheme
        The mapclassify scheme used ("quantiles", "natural_breaks" or "equal_interval").
    log
        Whether the breaks were computed on log10 of the values.
    integer
        Whether all classified values were whole numbers.
    minimum
        Smallest positive value classified (``None`` when there was none).
    zero_color
        Fill of zero.
    no_data
        Style of missing values.
    """

    bounds: tuple[float, ...]
    labels: tuple[str, ...]
    colors: tuple[str, ...]
    scheme: str = "quantiles"
    log: bool = False
    integer: bool = True
    minimum: float | None = None
    zero_color: str = ZERO_COLOR
    no_data: NoDataStyle = field(default=NO_DATA)

    def __post_init__(self) -> None:
        """Refuse classes whose bounds, labels and colours do not match one to one, or bounds that do not increase."""
        if not (len(self.bounds) == len(self.labels) == len(self.colors)):
            raise ValueError("bounds, labels and colors must have one entry per class")
        if any(b >= c for b, c in zip(self.bounds, self.bounds[1:])):
            raise ValueError(f"class bounds must increase: {self.bounds}")

    @property
    def k(self) -> int:
        """Number of classes of positive values."""
        return len(self.bounds)

    def class_index(self, value: object) -> int | None:
        """The class of a value.

        Parameters
        ----------
        value
            A value (None, NaN or negative: no data).

        Returns
        -------
        int or None
            ``None`` for no data (missing, non-finite or negative), ``-1`` for zero, else ``0 .. k-1``.
            A positive value when there are no classes (all-zero classification) gets ``0``.
        """
        v = as_float(value)
        if v is None or v < 0:
            return None
        if v == 0:
            return -1
        if not self.bounds:
            return 0
        return min(int(np.searchsorted(self.bounds, v, side="left")), self.k - 1)

    def color_for(self, value: object) -> str:
        """Fill colour of a value: a class colour, :data:`ZERO_COLOR` or the no-data fill.

        Parameters
        ----------
        value
            A value (None, NaN or negative: no data).

        Returns
        -------
        str
            The fill colour.
        """
        index = self.class_index(value)
        if index is None:
            return self.no_data.fill
        if index == -1:
            return self.zero_color
        return self.colors[index] if self.colors else PALETTE[1][0]

    def label_for(self, value: object) -> str:
        """Legend label of the class of a value ("0", "No data" or a class label).

        Parameters
        ----------
        value
            A value (None, NaN or negative: no data).

        Returns
        -------
        str
            Legend label of the class of a value ("0", "No data" or a class label).
        """
        index = self.class_index(value)
        if index is None:
            return word("legend.no_data")
        if index == -1:
            return word("legend.zero")
        return self.labels[index] if self.labels else format_number(as_float(value) or 0, integer=self.integer)

    def style_for(self, value: object) -> dict[str, Any]:
        """Leaflet path style of a unit with this value (no data: hatched fill, dashed outline).

        Parameters
        ----------
        value
            A value (None, NaN or negative: no data).

        Returns
        -------
        dict[str, Any]
            fillColor, fillOpacity, color, weight, opacity (and dashArray for no data).
        """
        if self.class_index(value) is None:
            return {
                "fillColor": self.no_data.svg_fill,
                "fillOpacity": self.no_data.fill_opacity,
                "color": self.no_data.color,
                "weight": self.no_data.weight,
                "dashArray": self.no_data.dash_array,
                "opacity": 1,
            }
        return {"fillColor": self.color_for(value), "fillOpacity": 0.9, "color": "#ffffff", "weight": 0.8, "opacity": 1}

    def describe(self, units: str = "units") -> str:
        """How the classes were made, in plain words ("5 classes, about as many regions in each (quantiles)").

        Parameters
        ----------
        units
            What is classified, plural ("regions").

        Returns
        -------
        str
            How the classes were made, in plain words ("5 classes, about as many regions in each (quantiles)").
        """
        if not self.k:
            return word("classes.none")
        if self.k == 1:
            text = word("classes.one")
        else:
            text = word("classes.count", k=self.k, scheme=scheme_words(self.scheme, units))
        return text + (word("classes.log") if self.log else "")


def classify(values: Iterable[object], *, scheme: str = "quantiles", k: int = 5, log: bool = False) -> Classification:
    """
    Class breaks for a metric with mapclassify; zero and missing values are kept out of the breaks.

    Parameters
    ----------
    values : iterable of numbers
        The values to classify: those of the period shown (one map), or of every period shown together (an
        animation, small multiples) so that one colour means the same in each. NaN, ``None``, ``pd.NA`` and
        infinities mean no data.
    scheme : {"quantiles", "natural_breaks", "equal_interval"}
        mapclassify ``Quantiles``, ``FisherJenks`` or ``EqualInterval``.
    k : int, default 5
        Number of classes of positive values, 1 to 8. Fewer are made when there are fewer distinct
        positive values (each then gets its own class) or when breaks coincide.
    log : bool, default False
        Compute the breaks on log10 of the positive values (useful for skewed counts with equal
        intervals or natural breaks); bounds and labels stay in the original units.

    Returns
    -------
    Classification
        With no classes when there is no positive value (all zero or all missing).

    Raises
    ------
    ValueError
        Unknown scheme, ``k`` outside 1..8, or negative values.
    """
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; use one of {', '.join(SCHEMES)}")
    if not 1 <= k <= MAX_CLASSES:
        raise ValueError(f"k must be between 1 and {MAX_CLASSES}, not {k}")
    array = to_float_array(values)
    finite = array[np.isfinite(array)]
    if (finite < 0).any():
        raise ValueError("cannot classify negative values")
    positive = np.sort(finite[finite > 0])
    integer = bool(np.all(positive == np.round(positive)))
    if positive.size == 0:
        return Classification((), (), (), scheme=scheme, log=log, integer=integer)

    distinct = np.unique(positive)
    if distinct.size <= k:
        raw = distinct  # too few values to break: one class per value
    else:
        raw = _breaks(positive, scheme=scheme, k=k, log=log)
    # The top class always ends exactly at the maximum (10**log10(x) need not give x back).
    top = float(positive[-1])
    raw = np.append(raw[raw < top * (1 - 1e-9)], top)
    bounds = _round_bounds(raw, integer=integer)
    labels = _class_labels(bounds, float(positive[0]), integer=integer)
    return Classification(
        bounds=tuple(bounds),
        labels=tuple(labels),
        colors=PALETTE[len(bounds)],
        scheme=scheme,
        log=log,
        integer=integer,
        minimum=float(positive[0]),
    )


def _breaks(positive: np.ndarray, *, scheme: str, k: int, log: bool) -> np.ndarray:
    """Upper class bounds from mapclassify, in the original units."""
    y = np.log10(positive) if log else positive
    if scheme == "natural_breaks" and y.size > _JENKS_MAX_VALUES:
        y = np.quantile(y, np.linspace(0, 1, _JENKS_MAX_VALUES))
    with warnings.catch_warnings():
        # "Numba not installed" and "not enough unique values ... setting k" are expected here.
        warnings.simplefilter("ignore", UserWarning)
        bins = np.asarray(SCHEMES[scheme](y, k=k).bins, dtype=float)
    bins = np.unique(bins)
    return 10.0**bins if log else bins


def _round_bounds(raw: np.ndarray, *, integer: bool) -> list[float]:
    """Round bounds the way labels show them (so labels are exact) and drop coinciding ones."""
    top = float(raw[-1])
    if integer:
        # Whole-number data: v <= 12.5 means v <= 12, so flooring changes no class membership.
        bounds = [float(math.floor(b + 1e-9)) for b in raw[:-1]] + [top]
    else:
        decimals = [significant_decimals(b, 2) for b in raw]
        for extra in range(6):  # add digits until neighbouring bounds stay apart
            bounds = [round(float(b), d + extra) for b, d in zip(raw[:-1], decimals)]
            d_top = decimals[-1] + extra
            bounds.append(math.ceil(top * 10**d_top - 1e-9) / 10**d_top)  # rounded up: still covers the maximum
            if all(a < b for a, b in zip(bounds, bounds[1:])):
                break
    out: list[float] = []
    for b in bounds:
        if not out or b > out[-1]:
            out.append(b)
    return out


def _class_labels(bounds: Sequence[float], minimum: float, *, integer: bool) -> list[str]:
    """Labels of the classes: "1–3", "4–12", … for counts; "0.12–3.4", "3.4–11", … for continuous values."""
    labels = []
    for i, upper in enumerate(bounds):
        if integer:
            lower = minimum if i == 0 else bounds[i - 1] + 1
        else:
            lower = minimum if i == 0 else bounds[i - 1]
        low_text, high_text = format_number(lower, integer=integer), format_number(upper, integer=integer)
        labels.append(high_text if low_text == high_text else f"{low_text}–{high_text}")
    return labels
