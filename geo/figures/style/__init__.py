"""The one style of every figure of the atlas: words, colours, classes, numbers, dates, legends, escaping, and the three lines of text every figure carries — one module per room, named here as one public API.

Every builder of :mod:`geo.figures` takes its look and its words from here, so that the interactive map, the
animation, the small multiples and the charts colour, classify, format and caption alike, and so that a
second language or an export format is added in one place:

* **Words** (:mod:`.words`) — :data:`WORDS`, the English catalogue of every phrase a figure shows (legends, tooltips,
  axis titles, controls, notes; with :mod:`geo.figures.english`, every phrase of the app's pages too), its French
  twin :mod:`geo.figures.french` (:data:`TRANSLATIONS`), and :func:`word` to fill one in, in the current
  language (:mod:`geo.figures.language`). Metric, level, place, country and category names come from
  :func:`metric_label`, :func:`unit_words`, :func:`place_text`, :func:`country_name` and :func:`category`.
* **Colours** (:mod:`.colours`) — :data:`PALETTE` (ColorBrewer YlOrRd per number of classes), :data:`ZERO_COLOR` and
  :data:`NO_DATA` (hatched, dashed: never confused with zero), the qualitative :data:`GROUP_COLOURS`, the
  fixed colours of borders, the area of interest and event points, fonts.
* **Classes** (:mod:`.classes`) — :func:`classify` (mapclassify ``Quantiles``, ``FisherJenks``, ``EqualInterval``)
  giving a :class:`Classification` that colours any value: zero and no data have their own styles.
* **Numbers and dates** (:mod:`.formats`) — :func:`format_number`, :func:`format_count`, :func:`format_percent`,
  :func:`format_metric`, :func:`format_date`, :func:`period_label`, :func:`years_label` (babel, in the current
  language's locale: "1,234.5" and "23 Mar 2019", or "1 234,5" and "23 mars 2019"), :func:`plotly_separators`,
  :func:`plural` (CLDR plural forms) and :func:`period_note` for periods the data cover only in part.
* **Escaping** (:mod:`.escaping`) — :func:`plain` (text for plotly and HTML), :func:`script_json` (data inside
  ``<script>``).
* **Legends** (:mod:`.legends`) — :func:`legend_entries` (what every legend lists) and :func:`legend_html`.
* **Figure text** (:mod:`.text`) — :class:`Subject` (what a figure shows) and :class:`FigureText` (title, filter line,
  source line, sample watermark), built by :func:`figure_text`, :func:`filter_line` and :func:`source_line`.

Pages use only the words and the formats (the architecture test holds them to it). No Streamlit here, and nothing
that reads data: builders get their values passed in.
"""

from __future__ import annotations

from .classes import (
    SCHEMES,
    Classification,
    classify,
    scheme_words,
)
from .colours import (
    AOI_COLOR,
    BORDER_COLOR,
    FOCUS_COLOR,
    FONT,
    GROUP_COLOURS,
    MAP_BACKGROUND,
    MAX_CLASSES,
    MUTED_COLOUR,
    NEIGHBOUR_FILL,
    NO_DATA,
    OTHER_COLOUR,
    PALETTE,
    PARTIAL_OPACITY,
    POINT_FILL,
    SINGLE_COLOUR,
    SVG_FONT,
    TEXT_COLOUR,
    WATERMARK_COLOUR,
    WATERMARK_HALO,
    ZERO_COLOR,
    NoDataStyle,
    rgb_tuple,
)
from .escaping import (
    esc,
    plain,
    script_json,
)
from .formats import (
    COUNT_METRICS,
    PartialPeriods,
    as_float,
    as_of_text,
    format_count,
    format_date,
    format_dates,
    format_fixed,
    format_metric,
    format_number,
    format_percent,
    format_range,
    format_signed,
    format_value,
    partial_key,
    partial_periods,
    period_label,
    period_note,
    plotly_separators,
    plural,
    plural_form,
    significant_decimals,
    to_float_array,
    years_label,
    years_text,
)
from .legends import (
    LegendEntry,
    legend_entries,
    legend_html,
    unplaced_note,
)
from .text import (
    FigureText,
    Subject,
    figure_text,
    filter_line,
    map_title,
    preview_text,
    source_line,
    trend_title,
)
from .words import (
    STRICT_ENV,
    TRANSLATIONS,
    WORDS,
    MissingWord,
    capitalized,
    category,
    country_name,
    credit,
    has_word,
    join_words,
    metric_label,
    perpetrator_name,
    place_text,
    preset_label,
    source_name,
    strict_words,
    unit_words,
    word,
    word_or,
)

__all__ = [
    "WORDS", "TRANSLATIONS", "STRICT_ENV", "MissingWord", "strict_words", "word", "has_word", "word_or",
    "metric_label", "country_name", "category", "perpetrator_name", "preset_label", "unit_words", "capitalized",
    "join_words", "place_text", "credit", "source_name", "FONT", "SVG_FONT", "TEXT_COLOUR", "MUTED_COLOUR",
    "WATERMARK_COLOUR", "WATERMARK_HALO", "MAX_CLASSES", "PALETTE", "ZERO_COLOR", "BORDER_COLOR", "FOCUS_COLOR",
    "AOI_COLOR", "POINT_FILL", "MAP_BACKGROUND", "NEIGHBOUR_FILL", "GROUP_COLOURS", "OTHER_COLOUR", "SINGLE_COLOUR",
    "PARTIAL_OPACITY", "NoDataStyle", "NO_DATA", "rgb_tuple", "SCHEMES", "scheme_words", "Classification",
    "classify", "COUNT_METRICS", "as_float", "to_float_array", "significant_decimals", "format_number",
    "format_count", "format_signed", "format_fixed", "format_percent", "format_range", "format_metric", "format_value",
    "format_date", "format_dates", "period_label", "plotly_separators", "years_label", "period_bounds", "period_note", "as_of_text",
    "partial_key", "PartialPeriods", "partial_periods", "years_text", "plural_form", "plural", "plain", "esc",
    "script_json", "LegendEntry", "legend_entries", "unplaced_note", "legend_html", "Subject", "FigureText",
    "filter_line", "source_line", "figure_text", "map_title", "trend_title", "preview_text",
]
