"""Choropleth maps of the atlas: class breaks, an interactive Leaflet map and small multiples in SVG.

* :func:`classify` turns a metric into classes with :mod:`mapclassify`. Zero has its own class and
  missing values mean "no data", so a unit with no recorded event never looks like a unit the data
  does not cover. A :class:`Classification` computed over all periods can colour any single period,
  which keeps the colours of different years comparable.
* :func:`choropleth_map` draws one period as a :class:`folium.Map`: units coloured by class with a
  tooltip, bold country borders and the area of interest on top (not clickable, so clicks reach the
  units), a legend, and optionally the events themselves as clustered points.
* :func:`small_multiples_svg` draws one small map per period as a single standalone SVG.

Everything from the data (unit names, actor names, notes, titles) is HTML-escaped before it reaches
the page: folium inserts popup and tooltip text as HTML, and notes come from uploaded files.
No tiles are loaded unless asked for, so with :func:`geo.offline.patch_for_offline` the maps make
no request to another host. No Streamlit here.
"""

from __future__ import annotations

import html
import json
import math
import textwrap
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

import folium
import folium.plugins
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.template import Template

from .aggregate import METRICS
from .countries import COUNTRY_NAMES
from .display import simplify_coverage
from .join import OUTSIDE_CODE, UNALLOCATED_CODE

__all__ = [
    "METRIC_LABELS",
    "NO_DATA",
    "PALETTE",
    "SCHEMES",
    "ZERO_COLOR",
    "Classification",
    "NoDataStyle",
    "choropleth_map",
    "classify",
    "legend_html",
    "long_values",
    "map_values",
    "small_multiples_svg",
    "unplaced_counts",
]

#: Metric column -> label with its unit, as shown in legends and tooltips: "Events", "Fatalities",
#: "Civilian-targeting events", "Events per 10,000 km²" (the labels of :data:`geo.aggregate.METRICS`,
#: so the map and the tables name a metric alike).
METRIC_LABELS: Final[dict[str, str]] = dict(METRICS)
#: Metrics that are whole numbers (labels without decimals, breaks on integers).
_COUNT_METRICS: Final = frozenset(
    {"events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities", "snapped_events"}
)
#: Columns of the ``values`` frame that become feature properties.
_VALUE_COLUMNS: Final = (
    "events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities", "events_per_10k_km2",
    "snapped_events",
)
_SPECIAL_CODES: Final = (OUTSIDE_CODE, UNALLOCATED_CODE)

#: Scheme name -> mapclassify classifier.
SCHEMES: Final[dict[str, type]] = {
    "quantiles": mapclassify.Quantiles,
    "natural_breaks": mapclassify.FisherJenks,
    "equal_interval": mapclassify.EqualInterval,
}
_SCHEME_NAMES: Final = {"quantiles": "quantiles", "natural_breaks": "natural breaks (Fisher–Jenks)", "equal_interval": "equal intervals"}
#: FisherJenks is O(k·n²) in pure Python (about 1.5 s for 1,000 values without numba): larger inputs are
#: classified on this many evenly spaced quantiles of the data, which keeps the result deterministic.
_JENKS_MAX_VALUES: Final = 400
_MAX_CLASSES: Final = 8

# ColorBrewer YlOrRd (sequential, colour-blind safe), n = 3..9. The palette for k classes is the
# (k+1)-colour scheme without its palest yellow, so the lowest class stays clearly apart from zero.
_YLORRD: Final[dict[int, tuple[str, ...]]] = {
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    9: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"),
}
#: Colours of the positive classes for k = 1..8.
PALETTE: Final[dict[int, tuple[str, ...]]] = {1: ("#fd8d3c",), **{k: _YLORRD[k + 1][1:] for k in range(2, _MAX_CLASSES + 1)}}

#: Fill of units with zero: a very light neutral grey, not a colour of the scale.
ZERO_COLOR: Final = "#ececec"


@dataclass(frozen=True)
class NoDataStyle:
    """
    How units without data are drawn: white, hatched with grey lines, with a dashed grey outline.

    Attributes
    ----------
    fill
        Fill colour (also the fallback where the hatch pattern is unavailable).
    fill_opacity
        Opacity of the fill.
    color
        Outline colour.
    weight
        Outline width in pixels.
    dash_array
        SVG dash pattern of the outline.
    hatch_color
        Colour of the diagonal hatch lines.
    pattern_id
        Id of the SVG hatch pattern (defined by the legend on maps, in ``<defs>`` in small multiples).
    """

    fill: str = "#ffffff"
    fill_opacity: float = 0.9
    color: str = "#8c8c8c"
    weight: float = 1.0
    dash_array: str = "4 3"
    hatch_color: str = "#b4b4b4"
    pattern_id: str = "atlas-no-data-hatch"

    @property
    def svg_fill(self) -> str:
        """SVG ``fill`` value: the hatch pattern with the plain fill as fallback."""
        return f"url(#{self.pattern_id}) {self.fill}"

    def pattern_svg(self, size: int = 6) -> str:
        """The ``<pattern>`` element (for an SVG ``<defs>``) drawing the hatch."""
        return (
            f'<pattern id="{self.pattern_id}" patternUnits="userSpaceOnUse" width="{size}" height="{size}" '
            f'patternTransform="rotate(45)"><rect width="{size}" height="{size}" fill="{self.fill}"/>'
            f'<line x1="0" y1="0" x2="0" y2="{size}" stroke="{self.hatch_color}" stroke-width="1.5"/></pattern>'
        )


#: The no-data style; deliberately unlike zero (hatched and dashed, not flat grey).
NO_DATA: Final = NoDataStyle()


# ---------------------------------------------------------------------------------------------- classes


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
        if not (len(self.bounds) == len(self.labels) == len(self.colors)):
            raise ValueError("bounds, labels and colors must have one entry per class")
        if any(b >= c for b, c in zip(self.bounds, self.bounds[1:])):
            raise ValueError(f"class bounds must increase: {self.bounds}")

    @property
    def k(self) -> int:
        """Number of classes of positive values."""
        return len(self.bounds)

    def class_index(self, value: object) -> int | None:
        """
        The class of a value.

        Returns
        -------
        int or None
            ``None`` for no data (missing, non-finite or negative), ``-1`` for zero, else ``0 .. k-1``.
            A positive value when there are no classes (all-zero classification) gets ``0``.
        """
        v = _as_float(value)
        if v is None or v < 0:
            return None
        if v == 0:
            return -1
        if not self.bounds:
            return 0
        return min(int(np.searchsorted(self.bounds, v, side="left")), self.k - 1)

    def color_for(self, value: object) -> str:
        """Fill colour of a value: a class colour, :data:`ZERO_COLOR` or the no-data fill."""
        index = self.class_index(value)
        if index is None:
            return self.no_data.fill
        if index == -1:
            return self.zero_color
        return self.colors[index] if self.colors else PALETTE[1][0]

    def label_for(self, value: object) -> str:
        """Legend label of the class of a value ("0", "No data" or a class label)."""
        index = self.class_index(value)
        if index is None:
            return "No data"
        if index == -1:
            return "0"
        return self.labels[index] if self.labels else _format_number(_as_float(value) or 0, integer=self.integer)

    def style_for(self, value: object) -> dict[str, Any]:
        """Leaflet path style of a unit with this value (no data: hatched fill, dashed outline)."""
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

    def describe(self) -> str:
        """Short text saying how the classes were made, e.g. "5 classes, quantiles, log scale"."""
        if not self.k:
            return "no positive values"
        text = f"{self.k} class{'es' if self.k > 1 else ''}, {_SCHEME_NAMES.get(self.scheme, self.scheme)}"
        return text + (", log scale" if self.log else "")


def classify(values: Iterable[object], *, scheme: str = "quantiles", k: int = 5, log: bool = False) -> Classification:
    """
    Class breaks for a metric with mapclassify; zero and missing values are kept out of the breaks.

    Parameters
    ----------
    values : iterable of numbers
        The values to classify, e.g. a metric over all units and **all periods**, so that the result
        colours every period alike. NaN, ``None``, ``pd.NA`` and infinities mean no data.
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
    if not 1 <= k <= _MAX_CLASSES:
        raise ValueError(f"k must be between 1 and {_MAX_CLASSES}, not {k}")
    array = _to_float_array(values)
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
        decimals = [_significant_decimals(b, 2) for b in raw]
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
    """ "1–3", "4–12", … for counts; "0.12–3.4", "3.4–11", … for continuous values."""
    labels = []
    for i, upper in enumerate(bounds):
        if integer:
            lower = minimum if i == 0 else bounds[i - 1] + 1
        else:
            lower = minimum if i == 0 else bounds[i - 1]
        low_text, high_text = _format_number(lower, integer=integer), _format_number(upper, integer=integer)
        labels.append(high_text if low_text == high_text else f"{low_text}–{high_text}")
    return labels


# ---------------------------------------------------------------------------------------------- numbers


def _as_float(value: object) -> float | None:
    """A finite float, or ``None`` for missing / non-numeric / infinite values."""
    if value is None or value is pd.NA:
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def _to_float_array(values: Iterable[object]) -> np.ndarray:
    """Any iterable of numbers (with None / pd.NA) as a float array with NaN for missing."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def _significant_decimals(value: float, significant: int) -> int:
    """Decimals that show ``significant`` significant digits (none for values of 10**significant or more)."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, significant - 1 - math.floor(math.log10(abs(value))))


def _format_number(value: float, *, integer: bool = False, significant: int = 2) -> str:
    """Thousands separators; whole numbers without decimals, others with ``significant`` digits."""
    if integer:
        return f"{round(value):,}"
    decimals = _significant_decimals(value, significant)
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text  # "0.70" -> "0.7", "5.0" -> "5"


def _format_metric(metric: str, value: object) -> str:
    """A metric value for tooltips ("–" when missing)."""
    v = _as_float(value)
    if v is None:
        return "–"
    if metric in _COUNT_METRICS or v == 0:
        return _format_number(v, integer=True)
    return _format_number(v, significant=3)


# ---------------------------------------------------------------------------------------------- inputs


def map_values(rows: pd.DataFrame) -> pd.DataFrame:
    """
    The ``values`` frame for :func:`choropleth_map` from :func:`geo.aggregate.aggregate` rows.

    Parameters
    ----------
    rows : DataFrame
        Aggregate rows of **one** source and **one** period.

    Returns
    -------
    DataFrame
        Indexed by unit_code, with the metric columns; the ``_OUTSIDE`` / ``_UNALLOCATED`` rows dropped.

    Raises
    ------
    ValueError
        If a unit appears twice (rows of several sources or periods).
    """
    units = rows.loc[~rows["unit_code"].isin(_SPECIAL_CODES)]
    if units["unit_code"].duplicated().any():
        raise ValueError("rows hold a unit more than once: select one source and one period first")
    columns = [c for c in _VALUE_COLUMNS if c in units.columns]
    return units.set_index("unit_code")[columns]


def unplaced_counts(rows: pd.DataFrame) -> dict[str, int]:
    """
    Events per country that could not be placed in a unit (``_UNALLOCATED`` and ``_OUTSIDE`` rows).

    Parameters
    ----------
    rows : DataFrame
        Aggregate rows of one source and one period.

    Returns
    -------
    dict
        country_iso3 -> number of events (countries with none are left out).
    """
    special = rows.loc[rows["unit_code"].isin(_SPECIAL_CODES) & (rows["events"] > 0)]
    counts = special.groupby(special["country_iso3"].fillna(""))["events"].sum()
    return {str(iso3): int(n) for iso3, n in counts.items()}


def long_values(rows: pd.DataFrame, metric: str) -> pd.DataFrame:
    """
    The long-form ``values`` (unit_code, period, value) of :func:`small_multiples_svg` from aggregate rows.

    Parameters
    ----------
    rows : DataFrame
        Aggregate rows of one source, any number of periods.
    metric : str
        Column to map.
    """
    units = rows.loc[~rows["unit_code"].isin(_SPECIAL_CODES), ["unit_code", "period", metric]]
    return units.rename(columns={metric: "value"}).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- legend


def _swatch(style: str) -> str:
    return f'<span style="display:inline-block;width:22px;height:13px;vertical-align:-2px;margin-right:6px;{style}"></span>'


def _line_swatch(color: str, width: float, dash: str | None = None) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="22" height="13" style="vertical-align:-2px;margin-right:6px" aria-hidden="true">'
        f'<line x1="1" y1="6.5" x2="21" y2="6.5" stroke="{color}" stroke-width="{width}"{dash_attr}/></svg>'
    )


def _no_data_swatch(no_data: NoDataStyle) -> str:
    # References the hatch pattern that legend_html defines once for the swatch and the map's units.
    return (
        f'<svg width="22" height="13" style="vertical-align:-2px;margin-right:6px" aria-hidden="true">'
        f'<rect x="0.5" y="0.5" width="21" height="12" fill="{no_data.svg_fill}" stroke="{no_data.color}" '
        f'stroke-dasharray="{no_data.dash_array}"/></svg>'
    )


def legend_html(
    classification: Classification,
    *,
    metric: str,
    title: str = "",
    unplaced: Mapping[str, int] | None = None,
    borders: bool = False,
    aoi: bool = False,
    points: str | None = None,
) -> str:
    """
    The map legend as an HTML fragment (all text escaped).

    Parameters
    ----------
    classification : Classification
        Classes to list, lowest first, after "0" and before "No data".
    metric : str
        Metric column; its label (with unit) heads the legend.
    title : str
        Period, source and filters, shown under the metric; lines after the first (e.g. a caption)
        in smaller type.
    unplaced : mapping, optional
        country_iso3 -> events that could not be placed at this level (a footnote).
    borders, aoi : bool
        Add line entries for country borders and the area of interest.
    points : str, optional
        Label of the event points entry, when they are drawn.

    Returns
    -------
    str
        A ``<div class="atlas-legend">`` holding an open ``<details>`` (click the metric to fold it),
        which also defines the no-data hatch pattern the map's no-data units are filled with.
    """
    esc = html.escape
    rows = []
    # The first line of the title (period, source) reads as a subtitle; further lines (a caption with
    # filters and dates) are set smaller.
    lines = [line.strip() for line in title.splitlines() if line.strip()]
    if lines:
        rows.append(f'<div class="atlas-legend-sub">{esc(lines[0])}</div>')
        rows += [f'<div class="atlas-legend-caption">{esc(line)}</div>' for line in lines[1:]]
    entries = [(_swatch(f"background:{classification.zero_color};border:1px solid #c8c8c8"), "0")]
    entries += [
        (_swatch(f"background:{color};border:1px solid rgba(0,0,0,0.15)"), label)
        for color, label in zip(classification.colors, classification.labels)
    ]
    entries.append((_no_data_swatch(classification.no_data), "No data"))
    rows += [f'<div class="atlas-legend-row">{swatch}{esc(label)}</div>' for swatch, label in entries]
    extras = []
    if borders:
        extras.append((_line_swatch("#262626", 2.4), "Country border"))
    if aoi:
        extras.append((_line_swatch(_AOI_COLOR, 2.4, "5 3"), "Area of interest"))
    if points:
        extras.append((
            '<svg width="22" height="13" style="vertical-align:-2px;margin-right:6px" aria-hidden="true">'
            f'<circle cx="11" cy="6.5" r="4" fill="{_POINT_FILL}" stroke="#ffffff" stroke-width="1"/></svg>',
            points,
        ))
    if extras:
        rows.append('<div class="atlas-legend-sep"></div>')
        rows += [f'<div class="atlas-legend-row">{swatch}{esc(label)}</div>' for swatch, label in extras]
    notes = [f"Classes: {classification.describe()}"]
    if unplaced:
        parts = [
            f"{n:,} in {COUNTRY_NAMES.get(iso3, iso3 or 'unknown country')}"
            for iso3, n in sorted(unplaced.items(), key=lambda item: -item[1])
            if n > 0
        ]
        if parts:
            notes.append("Events not placed at this level: " + ", ".join(parts))
    rows += [f'<div class="atlas-legend-note">{esc(note)}</div>' for note in notes]
    # <details>: readers can fold the legend away where it covers units (small maps), no script needed.
    summary = f'<summary class="atlas-legend-title">{esc(METRIC_LABELS.get(metric, metric))}</summary>'
    # The hatch pattern lives outside <details>: a pattern inside a folded (not rendered) element
    # cannot be referenced, and the map's no-data units would lose their hatching.
    pattern = (
        '<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
        f"<defs>{classification.no_data.pattern_svg()}</defs></svg>"
    )
    return f'<div class="atlas-legend">{pattern}{_LEGEND_CSS}<details open>{summary}{"".join(rows)}</details></div>'


_LEGEND_CSS: Final = (
    "<style>"
    ".atlas-legend{background:rgba(255,255,255,0.94);padding:8px 10px 7px;border-radius:4px;"
    "box-shadow:0 1px 5px rgba(0,0,0,0.35);font:12px/1.4 'Helvetica Neue',Arial,'DejaVu Sans',sans-serif;"
    "color:#222;max-width:235px}"
    ".atlas-legend-title{font-weight:700;font-size:13px;cursor:pointer}"
    ".atlas-legend-sub{color:#444;margin-bottom:5px;line-height:1.3}"
    ".atlas-legend-row{white-space:nowrap}"
    ".atlas-legend-caption{color:#555;font-size:10.5px;line-height:1.25;margin:-2px 0 5px}"
    ".atlas-legend-sep{border-top:1px solid #ddd;margin:4px 0}"
    ".atlas-legend-note{color:#555;font-size:11px;margin-top:4px;line-height:1.3}"
    "</style>"
)


class _Legend(MacroElement):
    """A legend in a Leaflet control, the map's background colour and the initial view.

    Built in the map script (not the page's HTML) so that ``st_folium``, which runs the script in its
    own frame, shows it too. Top left under the zoom buttons, or bottom left: the map is fitted to the
    units beside or above the legend, whichever leaves the larger map, when it is at least
    ``pad_min_width`` pixels wide; narrower maps use the whole area and start with the legend folded.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            map.getContainer().style.background = {{ this.background_json }};
            var legend = L.control({position: {{ this.position_json }}});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "atlas-legend-control");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
            // Fit the units where the legend does not cover them: beside it (legend top left) or above
            // it (legend moved bottom left), whichever gives the larger map. Below pad_min_width pixels
            // the legend starts folded (a click on the metric opens it) and the units take the whole map.
            // st_folium runs this before its frame has a height, and before leaflet.css has loaded, so:
            // wait for a size, and measure the legend's own box (its styles are inline).
            function fit() {
                map.invalidateSize(false);
                var size = map.getSize();
                if (size.x < 10 || size.y < 10) { return false; }
                var box = legend.getContainer().querySelector(".atlas-legend") || legend.getContainer();
                {%- if this.bounds_json %}
                var bounds = L.latLngBounds({{ this.bounds_json }});
                {%- endif %}
                if (size.x < {{ this.pad_min_width }}) {
                    var details = box.querySelector("details");
                    if (details) { details.open = false; }
                    {%- if this.bounds_json %}
                    map.fitBounds(bounds, {padding: [10, 10], animate: false});
                    {%- endif %}
                    return true;
                }
                {%- if this.bounds_json %}
                var beside = Math.min(box.offsetWidth + 30, 0.45 * size.x);
                var above = Math.min(box.offsetHeight + 70, 0.6 * size.y);  // + margins and the scale bar
                var zoomBeside = map.getBoundsZoom(bounds, false, L.point(beside + 10, 20));
                var zoomAbove = map.getBoundsZoom(bounds, false, L.point(20, above + 10));
                if (zoomAbove > zoomBeside) {
                    legend.setPosition("bottomleft");
                    map.fitBounds(bounds, {paddingTopLeft: [10, 10], paddingBottomRight: [10, above], animate: false});
                } else {
                    map.fitBounds(bounds, {paddingTopLeft: [beside, 10], paddingBottomRight: [10, 10], animate: false});
                }
                {%- endif %}
                return true;
            }
            if (!fit()) {
                var tries = 0;
                var timer = setInterval(function () { if (fit() || ++tries > 100) { clearInterval(timer); } }, 50);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        legend: str,
        background: str,
        *,
        bounds: Sequence[Sequence[float]] | None = None,
        position: str = "topleft",
        pad_min_width: int = 600,
    ) -> None:
        super().__init__()
        self._name = "AtlasLegend"
        self.bounds_json = _script_json([[float(v) for v in corner] for corner in bounds]) if bounds else ""
        self.pad_min_width = int(pad_min_width)
        self.html_json = _script_json(legend)
        self.background_json = _script_json(background)
        self.position_json = _script_json(position)


def _script_json(value: object) -> str:
    """JSON for inside a ``<script>``: ``<`` and ``>`` escaped, so text can never close the script."""
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")


# ---------------------------------------------------------------------------------------------- points


_POINT_FILL: Final = "#1f3b73"  # dark blue: readable on every YlOrRd class and on the zero grey
_POPUP_NOTES_CHARS: Final = 300  # a popup shows the start of the notes; the full text is in the event list


# Clusters in the points' dark blue rather than markercluster's default green/yellow/orange, which would
# read as classes of the YlOrRd choropleth underneath. The count is a number, never text from the data.
_CLUSTER_ICON: Final = f"""function (cluster) {{
    var n = cluster.getChildCount();
    var size = n < 10 ? 24 : n < 100 ? 30 : n < 1000 ? 36 : 42;
    return L.divIcon({{
        html: '<div style="width:' + size + 'px;height:' + size + 'px;display:flex;align-items:center;'
            + 'justify-content:center;border-radius:50%;background:{_POINT_FILL};opacity:0.88;border:2px solid #fff;'
            + 'color:#fff;font:700 11px Arial,sans-serif;box-sizing:border-box">' + n + '</div>',
        className: 'atlas-cluster',
        iconSize: L.point(size, size)
    }});
}}"""


class _EventPoints(folium.plugins.MarkerCluster):
    """A MarkerCluster of CircleMarkers built in the browser from one escaped data array.

    One folium ``CircleMarker`` + ``Popup`` per event would emit about 1 kB of JavaScript each;
    here each event is ``[lat, lon, radius, popup_html]`` and the popup HTML is escaped in Python.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.markerClusterGroup({{ this.options|tojavascript }});
        {%- if this.icon_create_function is not none %}
        {{ this.get_name() }}.options.iconCreateFunction = {{ this.icon_create_function.strip() }};
        {%- endif %}
        (function() {
            var rows = {{ this.rows_json }};
            var style = {{ this.style_json }};
            var markers = [];
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                var marker = L.circleMarker([r[0], r[1]], Object.assign({}, style, {radius: r[2]}));
                marker.bindPopup(r[3], {maxWidth: 340});
                markers.push(marker);
            }
            {{ this.get_name() }}.addLayers(markers);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, rows: list[list[Any]], *, name: str) -> None:
        super().__init__(
            name=name,
            overlay=True,
            control=True,
            icon_create_function=_CLUSTER_ICON,
            options={"showCoverageOnHover": False, "maxClusterRadius": 40},
        )
        self.rows_json = _script_json(rows)
        self.style_json = _script_json(
            {"color": "#ffffff", "weight": 1, "fillColor": _POINT_FILL, "fillOpacity": 0.85}
        )


class _DensityCells(folium.FeatureGroup):
    """Events per grid cell as circles sized by their count, built in the browser from one data array.

    Used instead of single events when the filters keep more than a page can send: the cells are
    computed in the database, so the layer's size does not grow with the store. Popups hold numbers only.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function() {
            var rows = {{ this.rows_json }};
            var style = {{ this.style_json }};
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                L.circleMarker([r[0], r[1]], Object.assign({}, style, {radius: r[2]}))
                    .bindPopup(r[3], {maxWidth: 260}).addTo({{ this.get_name() }});
            }
        })();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, cells: pd.DataFrame, *, cell_deg: float, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True)
        counts = cells["events"].to_numpy(dtype=float)
        radius = np.round(3.5 + 9.0 * np.sqrt(counts / max(counts.max(), 1.0)), 1) if len(cells) else np.array([])
        rows = [
            [round(float(lat), 4), round(float(lon), 4), float(r),
             f'<div style="font-size:12px"><b>{int(n):,} events</b>, {int(f):,} fatalities<br>in this {cell_deg:g}° cell</div>']
            for lat, lon, r, n, f in zip(cells["latitude"], cells["longitude"], radius, cells["events"], cells["fatalities"])
        ]
        self.rows_json = _script_json(rows)
        self.style_json = _script_json({"color": "#ffffff", "weight": 1, "fillColor": _POINT_FILL, "fillOpacity": 0.7})


def _event_popup(event: Mapping[str, Any]) -> str:
    """Popup HTML of one event; every value escaped (notes come from uploaded files)."""
    esc = html.escape

    def text(key: str) -> str:
        value = event.get(key)
        return "" if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else str(value)

    date = event.get("event_date")
    date_text = pd.Timestamp(date).strftime("%Y-%m-%d") if date is not None and not pd.isna(date) else "date unknown"
    kind = " — ".join(t for t in (text("event_type"), text("sub_event_type")) if t)
    actors = " vs ".join(t for t in (text("actor1"), text("actor2")) if t)
    fatalities = _format_metric("fatalities", event.get("fatalities"))
    low, high = _as_float(event.get("fatalities_low")), _as_float(event.get("fatalities_high"))
    if low is not None and high is not None:
        fatalities += f" (low–high {low:,.0f}–{high:,.0f})"
    notes = text("notes")
    if len(notes) > _POPUP_NOTES_CHARS:
        notes = notes[: _POPUP_NOTES_CHARS - 1].rstrip() + "…"
    lines = [f"<b>{esc(date_text)}</b> · {esc(kind or 'event')}"]
    for label, value in (("Actors", actors), ("Fatalities", fatalities), ("Location", text("location")),
                         ("Source", text("source_dataset"))):
        if value:
            lines.append(f"<b>{label}:</b> {esc(value)}")
    if notes:
        lines.append(f'<span style="color:#333">{esc(notes)}</span>')
    return '<div style="font-size:12px;line-height:1.35">' + "<br>".join(lines) + "</div>"


def _event_rows(events: pd.DataFrame, max_points: int) -> tuple[list[list[Any]], int, int]:
    """Newest ``max_points`` located events as ``[lat, lon, radius, popup]``; also how many were shown / located."""
    located = events.loc[events["latitude"].notna() & events["longitude"].notna()]
    if "event_date" in located:
        located = located.sort_values("event_date", ascending=False, kind="stable")
    shown = located.head(max_points)
    rows = []
    for event in shown.to_dict("records"):
        deaths = _as_float(event.get("fatalities")) or 0.0
        radius = round(4.5 + min(4.5, math.sqrt(deaths)), 1)  # a little larger with fatalities, capped
        rows.append([round(float(event["latitude"]), 5), round(float(event["longitude"]), 5), radius, _event_popup(event)])
    return rows, len(shown), len(located)


# ---------------------------------------------------------------------------------------------- map

_AOI_COLOR: Final = "#1b6ca8"  # blue, apart from every YlOrRd colour
_BORDER_COLOR: Final = "#262626"
_BACKGROUND: Final = "#f3f5f7"
_NEIGHBOUR_FILL: Final = "#ffffff"


class _LayerOrder(MacroElement):
    """Keeps context layers at the back and borders / points at the front when layers are toggled.

    Leaflet draws the paths of one pane in the order they were added, so a layer switched off and on in
    the layer control would otherwise come back on top of the borders.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var back = [{% for layer in this.back %}{{ layer.get_name() }}{{ "," if not loop.last }}{% endfor %}];
            var front = [{% for layer in this.front %}{{ layer.get_name() }}{{ "," if not loop.last }}{% endfor %}];
            function bring(layer, where) {
                if (!map.hasLayer(layer)) { return; }
                if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
                    // only the markers not merged into a cluster are on the map
                    layer.eachLayer(function (child) { if (child._map && typeof child[where] === "function") { child[where](); } });
                } else if (typeof layer[where] === "function") {
                    layer[where]();
                }
            }
            map.on("overlayadd", function () {
                back.slice().reverse().forEach(function (layer) { bring(layer, "bringToBack"); });
                front.forEach(function (layer) { bring(layer, "bringToFront"); });
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, back: Sequence[Any], front: Sequence[Any]) -> None:
        super().__init__()
        self._name = "AtlasLayerOrder"
        self.back = list(back)
        self.front = list(front)


def _polygonal(geometry: Any) -> Any:
    """Only the polygons of a geometry (make_valid can leave lines in a GeometryCollection)."""
    if geometry is None or geometry.is_empty:
        return geometry
    if geometry.geom_type in ("Polygon", "MultiPolygon"):
        return geometry
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _unit_tooltip(
    name: str,
    country: str,
    metric: str,
    values: Mapping[str, Any] | None,
    classification: Classification,
    unplaced_note: str,
) -> str:
    """Tooltip HTML of one unit (escaped)."""
    esc = html.escape
    out = [f'<div style="font-weight:700;font-size:13px">{esc(name)}</div>', f'<div style="color:#555">{esc(country)}</div>']
    if values is None or _as_float(values.get(metric)) is None:
        out.append('<div style="margin-top:4px"><i>No data for this period</i></div>')
    else:
        value = values.get(metric)
        swatch = _swatch(f"background:{classification.color_for(value)};border:1px solid rgba(0,0,0,0.2)")
        out.append(
            f'<div style="margin-top:4px">{swatch}<b>{esc(METRIC_LABELS.get(metric, metric))}: '
            f"{esc(_format_metric(metric, value))}</b></div>"
        )
        rows = []
        for column, label in METRIC_LABELS.items():
            if column == metric:
                continue
            text = _format_metric(column, values.get(column))
            if column == "fatalities":
                low, high = _as_float(values.get("fatalities_low")), _as_float(values.get("fatalities_high"))
                if low is not None and high is not None:
                    text += f" (UCDP low–high {low:,.0f}–{high:,.0f})"
            rows.append(
                f'<tr><td style="padding:0 10px 0 0;color:#444;white-space:nowrap">{esc(label)}</td>'
                f'<td style="white-space:nowrap">{esc(text)}</td></tr>'
            )
        out.append(f'<table style="margin-top:2px">{"".join(rows)}</table>')
        snapped = _as_float(values.get("snapped_events"))
        if snapped:
            out.append(
                f'<div style="color:#555;font-size:11px">incl. {snapped:,.0f} event{"s" if snapped != 1 else ""} '
                "just outside the boundary, snapped to this unit</div>"
            )
    if unplaced_note:
        out.append(f'<div style="color:#7a4b00;font-size:11px;margin-top:3px">{esc(unplaced_note)}</div>')
    return '<div style="font-size:12px;line-height:1.35;max-width:300px;white-space:normal">' + "".join(out) + "</div>"


def _feature_collection(
    units: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    metric: str,
    classification: Classification,
    unallocated: Mapping[str, int] | None,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """GeoJSON of the units with their properties, and the Leaflet style of each feature id."""
    features = []
    styles: dict[str, dict[str, Any]] = {}
    for unit in units.itertuples(index=False):
        code = str(unit.unit_code)
        geometry = _polygonal(unit.geometry)
        if geometry is None or geometry.is_empty:
            continue
        iso3 = str(getattr(unit, "country_iso3", "") or "")
        country = COUNTRY_NAMES.get(iso3, iso3)
        row = values.loc[code].to_dict() if code in values.index else None
        value = row.get(metric) if row is not None else None
        properties: dict[str, Any] = {
            "unit_code": code,
            "unit_name": str(unit.unit_name),
            "country_iso3": iso3,
            "country": country,
            "metric": metric,
            "value": _as_float(value),
            "class": classification.label_for(value),
        }
        for column in _VALUE_COLUMNS:
            number = _as_float(row.get(column)) if row is not None else None
            properties[column] = int(number) if number is not None and column in _COUNT_METRICS else number
        n_unplaced = int((unallocated or {}).get(iso3, 0) or 0)
        note = (
            f"{n_unplaced:,} event{'s' if n_unplaced != 1 else ''} in {country} could not be placed at this level"
            if n_unplaced > 0 else ""
        )
        properties["unplaced_in_country"] = n_unplaced
        properties["tooltip"] = _unit_tooltip(str(unit.unit_name), country, metric, row, classification, note)
        features.append({"type": "Feature", "id": code, "properties": properties, "geometry": shapely.geometry.mapping(geometry)})
        styles[code] = classification.style_for(value)
    return {"type": "FeatureCollection", "features": features}, styles


def _check_values(values: pd.DataFrame, metric: str) -> pd.DataFrame:
    if metric not in values.columns:
        raise ValueError(f"values has no column {metric!r} (columns: {', '.join(map(str, values.columns))})")
    if values.index.duplicated().any():
        raise ValueError("values must have one row per unit_code (select one source and one period)")
    return values


def choropleth_map(
    units: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    metric: str,
    title: str,
    classification: Classification,
    countries: gpd.GeoDataFrame | None = None,
    aoi: shapely.Geometry | None = None,
    unallocated: Mapping[str, int] | None = None,
    events: pd.DataFrame | None = None,
    online_tiles: bool = False,
    extra_layers: Sequence[Any] | None = None,
    height: int | str | None = None,
    max_points: int = 5_000,
    events_total: int | None = None,
    density: pd.DataFrame | None = None,
    density_cell_deg: float = 0.25,
) -> folium.Map:
    """
    An interactive choropleth of one period.

    Parameters
    ----------
    units : GeoDataFrame
        :func:`geo.display.display_units` (unit_code, unit_name, country_iso3, geometry in EPSG:4326).
    values : DataFrame
        Indexed by unit_code, with ``metric`` and the other metric columns (events, fatalities,
        fatalities_low, fatalities_high, civilian_events, events_per_10k_km2, snapped_events), e.g.
        :func:`map_values`. Units missing here, or with NaN, are drawn as "no data".
    metric : str
        Column that colours the units (a key of :data:`METRIC_LABELS`).
    title : str
        Period, source and filters, shown in the legend under the metric's label; lines after the
        first (a caption) in smaller type.
    classification : Classification
        Class breaks, ideally computed over all periods so that maps of different periods compare.
    countries : GeoDataFrame, optional
        :func:`geo.display.display_countries`. Countries with units get bold borders over the units;
        the others are drawn lightly underneath as context.
    aoi : shapely geometry, optional
        The area of interest, outlined with a dashed blue line.
    unallocated : mapping, optional
        country_iso3 -> events of that country that could not be placed at this level
        (:func:`unplaced_counts`); shown in the tooltips of the country's units and in the legend.
    events : DataFrame, optional
        Canonical events to draw as clustered points with popups (newest ``max_points``).
    events_total : int, optional
        How many events the filters keep when ``events`` holds only the newest of them (for the legend).
    density : DataFrame, optional
        Instead of ``events``: events per grid cell (longitude, latitude of the cell centre, events,
        fatalities), drawn as circles sized by their events.
    density_cell_deg : float
        Side of the cells of ``density`` in degrees.
    online_tiles : bool, default False
        Add an OpenStreetMap tile layer (requests to openstreetmap.org: only on the user's request).
    extra_layers : sequence of folium elements, optional
        Added on top, in order.
    height : int or str, optional
        Map height (pixels or CSS length); the full page by default.
    max_points : int, default 5000
        Cap on the number of event points.

    Returns
    -------
    folium.Map
        ``max_zoom=18``, fitted to the units. Each unit feature has the properties unit_code,
        unit_name, country_iso3, country, metric, value, class, the metric columns,
        unplaced_in_country and tooltip (HTML), so ``st_folium``'s ``last_active_drawing`` identifies
        the clicked unit.
    """
    values = _check_values(values, metric)
    # max_zoom only reaches a tile layer; with tiles=None Leaflet gets maxZoom from the options below
    # (Leaflet.markercluster throws "Map has no maxZoom specified" without it).
    map_kwargs: dict[str, Any] = {
        "tiles": None, "max_zoom": 18, "maxZoom": 18, "minZoom": 3, "control_scale": True, "zoom_snap": 0.1,
    }
    if height is not None:
        map_kwargs["height"] = height
    if len(units):
        # A sensible first view until the legend element fits the map to the units (folium's default
        # is the whole world at zoom 1).
        west, south, east, north = (float(b) for b in units.total_bounds)
        map_kwargs.update(location=[(south + north) / 2, (west + east) / 2], zoom_start=5)
    m = folium.Map(**map_kwargs)
    # All vector layers share Leaflet's overlayPane, i.e. one SVG, drawn in the order added: context <
    # units < borders < area of interest < points; _LayerOrder restores it when a layer is switched back
    # on. (Separate panes mean one SVG each; with three of them Chromium left parts of the map unpainted
    # after zooming.) Borders are non-interactive, so hovering and clicking reach the units beneath.
    back: list[folium.map.Layer] = []
    front: list[folium.map.Layer] = []
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", max_zoom=18, control=True).add_to(m)

    core = set(units["country_iso3"].dropna().astype(str)) if "country_iso3" in units else set()
    if countries is not None and len(countries):
        neighbours = countries.loc[~countries["unit_code"].isin(core)]
        if len(neighbours):
            context = folium.GeoJson(
                _outline_geojson(neighbours),
                name="Neighbouring countries",
                style_function=lambda _f: {
                    "fillColor": _NEIGHBOUR_FILL, "fillOpacity": 0.0 if online_tiles else 1.0,
                    "color": "#a3a3a3", "weight": 1, "opacity": 1,
                },
                interactive=False,
                control=False,
            ).add_to(m)
            back.append(context)

    collection, styles = _feature_collection(units, values, metric=metric, classification=classification, unallocated=unallocated)
    if online_tiles:  # let the basemap show through a little
        styles = {code: {**style, "fillOpacity": min(style["fillOpacity"], 0.7)} for code, style in styles.items()}
    folium.GeoJson(
        collection,
        name=f"{METRIC_LABELS.get(metric, metric)} by unit",
        style_function=lambda feature: styles[feature["id"]],
        highlight_function=lambda _f: {"weight": 3, "color": "#000000", "dashArray": ""},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        smooth_factor=0.5,
    ).add_to(m)

    if countries is not None and len(countries):
        core_countries = countries.loc[countries["unit_code"].isin(core)]
        if len(core_countries):
            borders = folium.GeoJson(
                _outline_geojson(core_countries),
                name="Country borders",
                style_function=lambda _f: {"fill": False, "color": _BORDER_COLOR, "weight": 2.4, "opacity": 0.95},
                interactive=False,
            ).add_to(m)
            front.append(borders)
    if aoi is not None and not aoi.is_empty:
        outline = folium.GeoJson(
            {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(aoi)},
            name="Area of interest",
            style_function=lambda _f: {"fill": False, "color": _AOI_COLOR, "weight": 2.6, "dashArray": "8 5", "opacity": 1},
            interactive=False,
        ).add_to(m)
        front.append(outline)

    if countries is not None and len(countries) and len(units):
        _country_labels(countries, core, units.total_bounds).add_to(m)

    points_label = None
    if events is not None and len(events):
        rows, shown, located = _event_rows(events, max_points)
        located = max(located, events_total or 0)
        points_label = (
            f"Event locations ({shown:,} newest of {located:,})" if shown < located else f"Event locations ({shown:,})"
        )
        front.append(_EventPoints(rows, name=points_label).add_to(m))
    elif density is not None and len(density):
        total = int(density["events"].sum())
        points_label = f"Events per {density_cell_deg:g}° cell ({total:,} events)"
        front.append(_DensityCells(density, cell_deg=density_cell_deg, name=points_label).add_to(m))

    for layer in extra_layers or ():
        layer.add_to(m)
        if isinstance(layer, folium.map.Layer):
            front.append(layer)
    _LayerOrder(back, front).add_to(m)

    legend = legend_html(
        classification,
        metric=metric,
        title=title,
        unplaced=unallocated,
        borders=countries is not None and bool(core),
        aoi=aoi is not None and not aoi.is_empty,
        points=points_label,
    )
    bounds = None
    if len(units):
        west, south, east, north = (float(b) for b in units.total_bounds)
        bounds = [[south, west], [north, east]]
    # The legend element also fits the map to the units (it knows the legend's width); no FitBounds.
    _Legend(legend, "#ffffff" if online_tiles else _BACKGROUND, bounds=bounds).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return m


def _country_labels(countries: gpd.GeoDataFrame, core: set[str], bounds: Sequence[float]) -> folium.FeatureGroup:
    """Country names (not clickable): dark capitals for the mapped countries, grey italics for neighbours.

    A neighbour's label goes at a point of its part inside the mapped extent, so that Algeria or
    Nigeria are named where the reader sees them rather than at their own centre.
    """
    west, south, east, north = (float(b) for b in bounds)
    dx, dy = (east - west) * 0.04, (north - south) * 0.04
    view = shapely.box(west - dx, south - dy, east + dx, north + dy)
    group = folium.FeatureGroup(name="Country names", overlay=True, control=True)
    for row in countries.itertuples(index=False):
        geometry = _polygonal(row.geometry)
        if geometry is None or geometry.is_empty:
            continue
        iso3 = str(row.unit_code)
        name = COUNTRY_NAMES.get(iso3, str(getattr(row, "unit_name", iso3)))
        if iso3 in core:
            style = ("font:700 12px/1 'Helvetica Neue',Arial,sans-serif;letter-spacing:1px;text-transform:uppercase;"
                     "color:#1a1a1a;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff")
            point = geometry.representative_point()
        else:
            visible = geometry.intersection(view)
            if visible.is_empty or visible.area < 0.02 * view.area:
                continue  # barely in view: a label would sit on the edge
            style = "font:italic 11px/1 'Helvetica Neue',Arial,sans-serif;color:#7a7a7a;text-shadow:0 0 2px #fff"
            point = _polygonal(visible).representative_point()
        width = int(len(name) * 8.5) + 10
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div style="{style};text-align:center;white-space:nowrap">{html.escape(name)}</div>',
                icon_size=(width, 14),
                icon_anchor=(width // 2, 7),
                class_name="atlas-country-label",
            ),
            interactive=False,
            keyboard=False,
        ).add_to(group)
    return group


def _outline_geojson(countries: gpd.GeoDataFrame) -> dict[str, Any]:
    """Country polygons as GeoJSON with only code and name (they are never shown in a tooltip)."""
    features = [
        {
            "type": "Feature",
            "properties": {"unit_code": str(row.unit_code)},
            "geometry": shapely.geometry.mapping(_polygonal(row.geometry)),
        }
        for row in countries.itertuples(index=False)
        if row.geometry is not None and not row.geometry.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------------------------------------- SVG

_SVG_FONT: Final = "'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"


class _Projection:
    """Equirectangular projection scaled by cos(mid latitude), fitted to a width in pixels."""

    def __init__(self, bounds: Sequence[float], width: float) -> None:
        west, south, east, north = (float(b) for b in bounds)
        self.west, self.north = west, north
        self.kx = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * self.kx, 1e-9)
        self.scale = width / span_x
        self.width = width
        self.height = (north - south) * self.scale

    def path(self, geometry: Any) -> str:
        """SVG path data of a (multi)polygon or (multi)line, 1-decimal pixel coordinates."""
        parts = []
        for part in shapely.get_parts(geometry):
            if part.geom_type == "Polygon":
                rings = [part.exterior, *part.interiors]
                parts += [self._ring(np.asarray(r.coords), close=True) for r in rings]
            elif part.geom_type in ("LineString", "LinearRing"):
                parts.append(self._ring(np.asarray(part.coords), close=False))
            elif part.geom_type in ("MultiLineString", "MultiPolygon", "GeometryCollection"):
                parts.append(self.path(part))
        return "".join(parts)

    def _ring(self, coords: np.ndarray, *, close: bool) -> str:
        if len(coords) < 2:
            return ""
        x = (coords[:, 0] - self.west) * self.kx * self.scale
        y = (self.north - coords[:, 1]) * self.scale
        xy = np.round(np.column_stack([x, y]), 1)
        # Drop repeated points after rounding: they add bytes and nothing visible.
        keep = np.ones(len(xy), dtype=bool)
        keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
        xy = xy[keep]
        if close and len(xy) < 3:
            return ""
        body = " ".join(f"{_num(a)},{_num(b)}" for a, b in xy)
        return f"M{body}{'Z' if close else ''}"


def _num(value: float) -> str:
    """Shortest text of a 1-decimal number ("12", "12.5", "-0.3")."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float) -> float:
    """Rough width of text in pixels (no font metrics in an SVG string)."""
    return len(text) * size * 0.56


def small_multiples_svg(
    units: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    classification: Classification,
    periods: Sequence[str],
    title: str,
    columns: int = 4,
    panel_width: int = 220,
    country_borders: bool = True,
    aoi: shapely.Geometry | None = None,
    metric: str | None = None,
) -> str:
    """
    One small map per period, with one shared legend, as a single standalone SVG.

    Parameters
    ----------
    units : GeoDataFrame
        :func:`geo.display.display_units` (EPSG:4326).
    values : DataFrame
        Long form: columns unit_code, period, value (e.g. :func:`long_values`). A unit without a row
        for a period, or with NaN, is "no data" in that panel.
    classification : Classification
        Shared by all panels (compute it over all periods).
    periods : sequence of str
        Panels, in order; each is titled with its period.
    title : str
        Overall title (metric, source, filters).
    columns : int, default 4
        Panels per row.
    panel_width : int, default 220
        Width of each map in pixels.
    country_borders : bool, default True
        Draw thin borders between the countries of the units.
    aoi : shapely geometry, optional
        Outline the area of interest (thin dashed blue).
    metric : str, optional
        Metric column; names the legend (its label from :data:`METRIC_LABELS`).

    Returns
    -------
    str
        ``<svg xmlns="http://www.w3.org/2000/svg" ...>`` with a ``<g class="panel">`` per period; each unit
        path has a ``<title>`` (name and value) that browsers show on hover. About 35 kB per panel for
        the admin-1 units of the three countries (280 kB for eight years). Text outside ASCII is
        written as character references, so the string can be embedded in any page.

    Raises
    ------
    ValueError
        If ``values`` lacks a column or has several rows for one unit and period.
    """
    missing = {"unit_code", "period", "value"} - set(values.columns)
    if missing:
        raise ValueError(f"values needs the columns unit_code, period, value (missing: {', '.join(sorted(missing))})")
    if values.duplicated(["unit_code", "period"]).any():
        raise ValueError("values has several rows for one unit and period")
    if columns < 1 or panel_width < 40:
        raise ValueError("columns must be >= 1 and panel_width >= 40")
    esc = html.escape
    units = units.loc[~units.geometry.is_empty & units.geometry.notna()]
    lookup = {(str(u), str(p)): v for u, p, v in zip(values["unit_code"], values["period"], values["value"])}

    pad, gap = 16, 14
    projection = _Projection(units.total_bounds if len(units) else (0, 0, 1, 1), panel_width)
    # Simplify to about half a pixel at this scale; shared edges stay shared (coverage simplification).
    tolerance = 0.5 / (projection.scale * projection.kx)
    geometries = simplify_coverage(units.geometry.values, tolerance_deg=tolerance) if len(units) else np.array([])
    unit_paths = [projection.path(_polygonal(g)) for g in geometries]
    border_path = ""
    if country_borders and len(units) and "country_iso3" in units:
        outlines = [shapely.union_all(list(geometries[(units["country_iso3"] == iso3).to_numpy()])).boundary
                    for iso3 in units["country_iso3"].dropna().unique()]
        border_path = "".join(projection.path(o) for o in outlines)
    aoi_path = ""
    if aoi is not None and not aoi.is_empty and len(units):
        # Only the outline's stretch over the mapped extent: the area of interest can reach far beyond
        # the units (admin-2 of one country) and would spill into neighbouring panels.
        aoi_path = projection.path(shapely.intersection(aoi.boundary, shapely.box(*units.total_bounds)))

    n_rows = max(1, math.ceil(len(periods) / columns))
    n_cols = max(1, min(columns, len(periods)))
    panel_title_h = 20
    panel_h = panel_title_h + projection.height
    width = pad * 2 + n_cols * panel_width + (n_cols - 1) * gap
    width = max(width, 420)

    # Title: each of its lines wrapped to the width, 15 px bold.
    chars = max(20, int((width - 2 * pad) / (15 * 0.56)))
    title_lines = [wrapped for line in title.splitlines() for wrapped in textwrap.wrap(line, chars)] or [""]
    title_h = 8 + len(title_lines) * 19
    maps_top = pad + title_h
    maps_h = n_rows * panel_h + (n_rows - 1) * gap

    # Legend entries: "0", classes, "No data", laid out in rows that fit the width.
    entries: list[tuple[str, str]] = [("zero", "0")]
    entries += [(color, label) for color, label in zip(classification.colors, classification.labels)]
    entries.append(("nodata", "No data"))
    if border_path:
        entries.append(("border", "Country border"))
    if aoi_path:
        entries.append(("aoi", "Area of interest"))
    legend_label = METRIC_LABELS.get(metric, metric) if metric else ""
    legend_top = maps_top + maps_h + 18
    x, y = pad, legend_top + (18 if legend_label else 0)
    legend_items = []
    for kind, label in entries:
        item_w = 18 + 5 + _text_width(label, 11) + 14
        if x + item_w > width - pad and x > pad:
            x, y = pad, y + 18
        if kind in ("border", "aoi"):
            stroke = ('stroke="#333333" stroke-width="1.4"' if kind == "border"
                      else f'stroke="{_AOI_COLOR}" stroke-width="1.4" stroke-dasharray="3 2"')
            legend_items.append(
                f'<line x1="{x:.0f}" y1="{y + 6:.0f}" x2="{x + 18:.0f}" y2="{y + 6:.0f}" {stroke}/>'
                f'<text x="{x + 23:.0f}" y="{y + 10:.0f}">{esc(label)}</text>'
            )
            x += item_w
            continue
        if kind == "zero":
            fill, extra = classification.zero_color, ' stroke="#c8c8c8" stroke-width="0.8"'
        elif kind == "nodata":
            nd = classification.no_data
            fill, extra = nd.svg_fill, f' stroke="{nd.color}" stroke-width="0.8" stroke-dasharray="{nd.dash_array}"'
        else:
            fill, extra = kind, ' stroke="#000" stroke-opacity="0.15" stroke-width="0.8"'
        legend_items.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="18" height="12" fill="{fill}"{extra}/>'
            f'<text x="{x + 23:.0f}" y="{y + 10:.0f}">{esc(label)}</text>'
        )
        x += item_w
    note = f"Classes: {classification.describe()}"
    height = y + 18 + 16 + pad

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{esc(_SVG_FONT)}" role="img" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
        f"<defs>{classification.no_data.pattern_svg(5)}</defs>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        '<g class="title" font-size="15" font-weight="700" fill="#222">',
        *[f'<text x="{pad}" y="{pad + 14 + i * 19}">{esc(line)}</text>' for i, line in enumerate(title_lines)],
        "</g>",
    ]
    names = [str(n) for n in units["unit_name"]]
    codes = [str(c) for c in units["unit_code"]]
    for i, period in enumerate(periods):
        row, col = divmod(i, columns)
        px = pad + col * (panel_width + gap)
        py = maps_top + row * (panel_h + gap)
        out.append(f'<g class="panel" data-period="{esc(str(period))}" transform="translate({px},{py:.1f})">')
        out.append(f'<text x="0" y="14" font-size="13" font-weight="700" fill="#222">{esc(str(period))}</text>')
        out.append(f'<g transform="translate(0,{panel_title_h})" stroke-linejoin="round">')
        for code, name, d in zip(codes, names, unit_paths):
            if not d:
                continue
            value = lookup.get((code, str(period)))
            index = classification.class_index(value)
            if index is None:
                nd = classification.no_data
                attrs = f'fill="{nd.svg_fill}" stroke="{nd.color}" stroke-width="0.6" stroke-dasharray="2 1.5"'
                shown = "no data"
            else:
                attrs = f'fill="{classification.color_for(value)}" stroke="#ffffff" stroke-width="0.5"'
                shown = _format_metric(metric or "", value) if metric else _format_number(_as_float(value) or 0.0)
            out.append(f'<path d="{d}" {attrs} fill-rule="evenodd"><title>{esc(f"{name}: {shown}")}</title></path>')
        if border_path:
            out.append(f'<path d="{border_path}" fill="none" stroke="#333333" stroke-width="0.9"/>')
        if aoi_path:
            out.append(f'<path d="{aoi_path}" fill="none" stroke="{_AOI_COLOR}" stroke-width="1.1" stroke-dasharray="3 2"/>')
        out.append("</g></g>")
    out.append('<g class="legend" font-size="11" fill="#222">')
    if legend_label:
        out.append(f'<text x="{pad}" y="{legend_top + 10:.0f}" font-weight="700" font-size="12">{esc(legend_label)}</text>')
    out += legend_items
    out.append(f'<text x="{pad}" y="{y + 18 + 11:.0f}" fill="#555" font-size="10.5">{esc(note)}</text>')
    out.append("</g></svg>")
    # ASCII with character references: renders the same whether or not the page declares UTF-8.
    return "\n".join(out).encode("ascii", "xmlcharrefreplace").decode("ascii")


# ---------------------------------------------------------------------------------------------- speed

_TEMPLATE_CACHE_SIZE: Final = 512


def cache_folium_templates() -> None:
    """
    Compile each of folium's and branca's template strings once per process, not once per map element.

    Every branca ``Element`` and many folium layers build a ``jinja2.Template`` from a source string when
    they are created, and jinja2 compiles a string template on every construction: a third of the Map
    page's server time went to compiling the same templates again on each rerun. Compiled templates are
    immutable (rendering makes its own context), so one per distinct source is enough. Idempotent.
    """
    import branca.element
    import folium.template
    import jinja2

    if getattr(folium.template.Template, "_atlas_cached", False):
        return

    def cached(cls: type) -> type:
        original = cls.__new__

        @lru_cache(maxsize=_TEMPLATE_CACHE_SIZE)
        def compiled(klass: type, source: str) -> jinja2.Template:
            return original(klass, source)

        def new(klass, source, *args, **kwargs):
            if args or kwargs or not isinstance(source, str):
                return original(klass, source, *args, **kwargs)
            return compiled(klass, source)

        cls.__new__ = staticmethod(new)
        cls._atlas_cached = True
        return cls

    cached(folium.template.Template)
    # branca.element builds plain jinja2 Templates: give it a subclass of its own with the cache.
    branca.element.Template = cached(type("Template", (jinja2.Template,), {}))
