"""The one style of every figure of the atlas: words, colours, classes, numbers, dates, legends, escaping, and
the three lines of text every figure carries.

Every builder of :mod:`geo.figures` takes its look and its words from here, so that the interactive map, the
animation, the small multiples and the charts colour, classify, format and caption alike, and so that a
second language or an export format is added in one place:

* **Words** — :data:`WORDS`, the English catalogue of every phrase a figure shows (legends, tooltips, axis
  titles, controls, notes; with :mod:`geo.figures.english`, every phrase of the app's pages too), its French
  twin :mod:`geo.figures.french` (:data:`TRANSLATIONS`), and :func:`word` to fill one in, in the current
  language (:mod:`geo.figures.language`). Metric, level, place, country and category names come from
  :func:`metric_label`, :func:`unit_words`, :func:`place_text`, :func:`country_name` and :func:`category`.
* **Colours** — :data:`PALETTE` (ColorBrewer YlOrRd per number of classes), :data:`ZERO_COLOR` and
  :data:`NO_DATA` (hatched, dashed: never confused with zero), the qualitative :data:`GROUP_COLOURS`, the
  fixed colours of borders, the area of interest and event points, fonts.
* **Classes** — :func:`classify` (mapclassify ``Quantiles``, ``FisherJenks``, ``EqualInterval``) giving a
  :class:`Classification` that colours any value: zero and no data have their own styles.
* **Numbers and dates** — :func:`format_number`, :func:`format_count`, :func:`format_percent`,
  :func:`format_metric`, :func:`format_date`, :func:`period_label`, :func:`years_label` (babel, in the current
  language's locale: "1,234.5" and "23 Mar 2019", or "1 234,5" and "23 mars 2019"), :func:`plotly_separators`,
  and :func:`period_note` for periods the data cover only in part.
* **Legends** — :func:`legend_entries` (what every legend lists) and :func:`legend_html`.
* **Escaping** — :func:`plain` (text for plotly and HTML), :func:`script_json` (data inside ``<script>``).
* **Figure text** — :class:`Subject` (what a figure shows) and :class:`FigureText` (title, filter line,
  source line, sample watermark), built by :func:`figure_text`, :func:`filter_line` and :func:`source_line`.

No Streamlit here, and nothing that reads data: builders get their values passed in.
"""

from __future__ import annotations

import html
import json
import math
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Final

import mapclassify
import numpy as np
import pandas as pd
from babel import Locale
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol

from ..aggregate import METRICS
from ..countries import CORE_COUNTRIES, COUNTRY_NAMES
from ..filters import period_bounds
from ..perpetrators import PERPETRATORS
from ..query import SourceVintage
from .english import ENGLISH
from .french import FRENCH
from .language import current_language, current_locale

# ---------------------------------------------------------------------------------------------- words

#: Every phrase the figures show, by key (English). `word(key, **values)` fills the {placeholders}. The phrases of
#: the app's pages, the category names and the number and date patterns are added from `geo.figures.english`.
WORDS: Final[dict[str, str]] = {
    # metrics (plain words; the sidebar shows the same)
    "metric.events": "Events",
    "metric.fatalities": "Fatalities",
    "metric.civilian_events": "Events targeting civilians",
    "metric.events_per_10k_km2": "Events per 10,000 km²",
    "metric.civilian_fatalities": "Civilian fatalities",
    # units of each level
    "level.admin1": "region",
    "level.admin1.plural": "regions",
    "level.admin2.MLI": "cercle",
    "level.admin2.MLI.plural": "cercles",
    "level.admin2.BFA": "province",
    "level.admin2.BFA.plural": "provinces",
    "level.admin2.NER": "département",
    "level.admin2.NER.plural": "départements",
    "level.admin2": "cercle, province or département",
    "level.admin2.plural": "cercles, provinces and départements",
    # places and sources
    "place.and": "{first} and {last}",
    "source.acled": "ACLED",
    "source.ucdp": "UCDP GED",
    "source.generic": "uploaded event file",
    "source.sample": "synthetic sample",
    "cite.acled": "Source: ACLED, acleddata.com, accessed {date}; filters: {filters}",
    "cite.acled.no_date": "Source: ACLED, acleddata.com, events to {last}; filters: {filters}",
    "cite.ucdp": "Source: UCDP GED version {version} (CC BY 4.0; Sundberg & Melander 2013; Davies et al. 2023)",
    "cite.ucdp.no_version": "Source: UCDP GED, version not recorded, events to {last} (CC BY 4.0; Sundberg & Melander 2013; "
                            "Davies et al. 2023)",
    "cite.generic": "Source: uploaded event file, events to {last}",
    "cite.sample": "Source: synthetic sample made by the atlas (scripts/make_sample.py): invented events, not real data",
    "cite.boundaries": "Boundaries: {credit}",
    "cite.atlas": "Central Sahel violence atlas",
    "sample_watermark": "SAMPLE DATA — not real events",
    # filter line
    "filter.all_types": "all event types",
    "filter.types": "{types}",
    "filter.sub_types": "only {types}",
    "filter.actor": "involving “{actor}”",
    "filter.precision": "located at precision {level} or better",
    "filter.partial": "{period} to {day}",
    "years.partial": "{years} ({period} to {day})",
    "years.partial_one": "{year} (to {day})",
    # titles
    "title.map": "{metric} per {unit} in {place}, {years}",
    "title.map_years": "{metric} per {unit} in {place}, year by year, {years}",
    "title.map_focus": "{metric} per {unit}, {place}, {years}",
    "title.map_focus_years": "{metric} per {unit}, {place}, year by year, {years}",
    "title.trend": "{metric} in {place} per {group}, by {period}, {years}",
    "title.unit_trend": "{metric} in {unit} ({country}), per year",
    "title.preview": "The batch's {n} accepted events",
    "preview.filter": "Uploaded, not yet stored: {files}",
    # legend and tooltips
    "legend.no_data": "No data",
    "legend.zero": "0",
    "legend.country_border": "Country border",
    "legend.aoi": "Area of interest",
    "legend.classes": "Classes: {how}",
    "legend.one_scale": "one colour scale for every year shown",
    "legend.not_placed": "Events not placed at this level: {parts}",
    "legend.in_country": "{n} in {country}",
    "classes.none": "no values above zero",
    "classes.count": "{k} classes, {scheme}",
    "classes.one": "1 class",
    "classes.log": ", on a log scale",
    "scheme.quantiles": "about as many {units} in each (quantiles)",
    "scheme.natural_breaks": "breaks where values jump (natural breaks)",
    "scheme.equal_interval": "equal ranges of values",
    "tooltip.no_data": "No data for this period",
    "tooltip.snapped.one": "incl. {n} event just outside the boundary, placed in this unit",
    "tooltip.snapped.other": "incl. {n} events just outside the boundary, placed in this unit",
    "tooltip.unplaced.one": "{n} event in {country} could not be placed at this level",
    "tooltip.unplaced.other": "{n} events in {country} could not be placed at this level",
    "tooltip.ucdp_range": " (UCDP low–high {low}–{high})",
    "points.newest": "Event locations ({shown} newest of {total})",
    "points.all": "Event locations ({shown})",
    "points.cells": "Events per {cell}° cell ({total} events)",
    "points.cell_popup": "{events} events, {fatalities} fatalities in this {cell}° cell",
    "popup.date_unknown": "date unknown",
    "popup.event": "event",
    "popup.actors": "Actors",
    "popup.fatalities": "Fatalities",
    "popup.location": "Location",
    "popup.source": "Source",
    "layer.neighbours": "Neighbouring countries",
    "layer.units": "{metric} by unit",
    "layer.borders": "Country borders",
    "layer.aoi": "Area of interest",
    "layer.country_names": "Country names",
    # charts
    "chart.other": "Other",
    "chart.year": "Year",
    "chart.quarter": "Quarter",
    "chart.month": "Month",
    "chart.no_figures": "No figures for these filters",
    "chart.no_unit_figures": "No figures for this unit",
    "chart.no_values": "No values of “{metric}” in these figures",
    "chart.partial": "{period}: to {day}",
    "chart.partial_note": "* {periods}: the data end on {day}",
    "chart.play": "▶ Play",
    "chart.pause": "❚❚ Pause",
    "chart.first": "First {n} of {total}",
    "group.country": "Country",
    "group.unit_name": "Unit",
    "group.event_type": "Event type",
    "group.sub_event_type": "Sub-event type",
    "group.source": "Source",
    "table.no_earlier": "no earlier value",
    "table.no_base": "no base (0)",
    "table.low_base": "low base (<{base})",
    "table.no_data_for": "no data for {periods}",
    # the borders page
    "border.band": "{km} km",
    "border.band_over": "over {km} km",
    "border.no_events": "No events in the three countries for these filters",
    "border.no_pairs": "No cross-border pairs for these filters",
    "border.no_actor_events": "No events of this actor for these filters",
    "border.share_axis": "Share within {km} km (%)",
    "border.year_share_axis": "Share of the year (%)",
    "border.segment_axis": "Share within {km} km of the segment (%)",
    "border.band_legend": "Distance to the nearest shared border",
    "border.segment_legend": "Border segment",
    "border.same_actor": "Same actor in both events",
    "border.no_common_actor": "No actor in common (or unknown)",
    "border.pairs_axis": "Pairs (≤ {km} km, ≤ {days} days apart)",
    "border.actor_axis": "Events involving the actor",
    "border.actors_unknown": "actors unknown",
    "border.unknown": "unknown",
    "border.place_unknown": "place unknown",
    "border.km_from": " km from the ",
    "border.border_band": " border (",
    "border.cell": "{cell}° cell",
    "border.a_cell": "cell",
    "border.events_word": " events",
    "border.fatalities_word": " fatalities",
    "border.shared_actor": "Shared actor: {actor}",
    "border.pair": "Cross-border pair",
    "border.apart.one": "{km} km, {days} day apart",
    "border.apart.other": "{km} km, {days} days apart",
    "border.tri_zone": "Tri-border zone ({km} km)",
    "border.shared": "Shared border",
    "border.named": "{name} border",
    "border.length": "{km} km as drawn",
    "border.events_in_band": "Events {band} ({n})",
    "border.layer_bands": "Distance to shared borders (km)",
    "border.layer_borders": "Shared borders",
    "border.legend_border": "Shared border (ML–BF, ML–NE, BF–NE)",
    "border.legend_bands": "Band edges: {edges} km from a shared border",
    # exports: files of a figure and of its table
    "export.sheet.table": "Table",
    "export.sheet.about": "About",
    "export.sheet.events": "Events",
    "export.about.field": "Field",
    "export.about.value": "Value",
    "export.about.title": "Title",
    "export.about.filters": "Filters",
    "export.about.source": "Source",
    "export.about.watermark": "Note",
    "export.about.made": "Made",
    "export.about.rows": "Rows",
    "export.rows_limited": "The {shown} newest of the {total} events the filters keep: narrow the filters (years, countries, "
                           "types) to export the others.",
    "export.analyst_only": "Raw event rows are for the analyst role only: log in as analyst on the Data page.",
    "export.terms.acled": "ACLED data: raw event rows for your own analysis, under ACLED's Terms of Use "
                          "(acleddata.com/terms-of-use).",
    "export.terms.acled.share": "Do not share or publish these rows, nor give others access to them; publish only figures "
                                "made from them, citing ACLED with the access date and the filters used (below).",
    "export.terms.ucdp": "UCDP GED data, licensed CC BY 4.0: cite UCDP (below) wherever these rows or figures made from them "
                         "are used.",
    "export.terms.generic": "Events of an uploaded file: use them under the terms of their source.",
    "export.terms.sample": "Invented events of the atlas's synthetic sample: not real data, never to be quoted.",
    "export.terms.filters": "Filters: {filters}",
    "download.label": "Download",
    "download.png": "PNG",
    "download.svg": "SVG",
    "download.pdf": "PDF",
    "download.csv": "CSV",
    "download.xlsx": "XLSX",
    "download.table_help": "The table behind the figure (one row per unit and period), with its title, filters and source "
                           "above it.",
    "download.events_csv": "Event rows (CSV)",
    "download.events_xlsx": "Event rows (XLSX)",
    "download.events_help": "The events behind the figure, one row each, with ACLED's terms of use at the top (analysts only).",
    "download.figure_help": "The figure as shown, with its title, filters and source: images are drawn when you click.",
    "download.briefing": "Briefing pack (PDF)",
    "download.briefing_help": "A few pages for a briefing: the maps year by year, the trend, the border shares, the units that "
                              "changed most, and the method and sources.",
    "download.briefing_focus": "Briefing on",
    # PDF pages
    "pdf.page": "page {n} of {total}",
    "pdf.made": "Made on {date}",
    # briefing packs
    "briefing.title": "Briefing: {place}, {years}",
    "briefing.footer": "{atlas} · briefing on {place}, {years} · {made}",
    "briefing.ranked.title": "{units} with the largest change, {place}, {earlier} to {later}",
    "briefing.ranked.note": "{metric} in {later} against {earlier}; largest increase first. Percent changes are left out when "
                            "the earlier value is below 10, so that 1 → 4 events never reads as +300 %.",
    "briefing.ranked.more": "{n} more not shown (the table of the Trends page lists them all).",
    "briefing.ranked.none": "No unit has figures in both years.",
    "briefing.column.name": "Name",
    "briefing.column.country": "Country",
    "briefing.column.change": "Change",
    "briefing.column.pct_change": "Change %",
    "briefing.column.note": "Note",
    "briefing.method.title": "Method and sources",
    "briefing.method.counted": "What is counted",
    "briefing.method.counted.text": "Each event of the {source} data that the filters keep ({filters}) is counted once, in the unit of "
                                    "the boundary set “{boundaries}” its coordinates fall in (not the region the source "
                                    "names). Fatalities are the figures the source reports (ACLED: the lowest reported "
                                    "figure). Sources are never added together.",
    "briefing.method.maps": "Maps",
    "briefing.method.maps.text": "One colour scale for every year shown: {classes}. Units with no event are light grey; "
                                 "hatched units have no data. The map is fixed on {place}.",
    "briefing.method.trend": "Trend",
    "briefing.method.trend.text": "{metric} per year and {group}; the largest groups are drawn, the rest summed as “Other”.",
    "briefing.method.borders": "Borders",
    "briefing.method.borders.text": "Each event's distance is geodesic, to the nearest of the three shared borders (Mali–Burkina "
                                    "Faso, Mali–Niger, Burkina Faso–Niger); bands of {bands} km. Events outside the three "
                                    "countries or located too vaguely for a distance are left out of the shares.",
    "briefing.method.ranked": "Units ranked",
    "briefing.method.ranked.text": "The change of {metric} per unit between {earlier} and {later}.",
    "briefing.method.sources": "Sources",
    "briefing.method.made": "Made by the {atlas} on {date} from the data version {version}.",
    "briefing.no_borders": "The shared borders cannot be drawn with this boundary set: {error}",
}


WORDS.update(ENGLISH)

#: The catalogue of each language other than English, by the same keys as :data:`WORDS`
#: (`tests/test_language.py` fails when a key is missing on either side or their placeholders differ).
TRANSLATIONS: Final[dict[str, dict[str, str]]] = {"fr": FRENCH}


def word(key: str, **values: object) -> str:
    """
    The phrase `key` in the current language (:func:`geo.figures.language.current_language`) with its
    placeholders filled: English from :data:`WORDS`, other languages from :data:`TRANSLATIONS` (the key
    itself when unknown).
    """
    text = TRANSLATIONS.get(current_language(), {}).get(key) or WORDS.get(key, key)
    return text.format(**values) if values else text


def has_word(key: str) -> bool:
    """Whether the catalogue has a phrase `key`."""
    return key in WORDS


def word_or(key: str, fallback: str) -> str:
    """The phrase `key` in the current language, or `fallback` (text from the data or the settings) without one."""
    return word(key) if key in WORDS else fallback


def plural_form(n: float) -> str:
    """ "one" or "other": the form a count takes in the current language (French: 0 and 1 are singular)."""
    form = Locale.parse(current_locale()).plural_form(abs(n))
    return "one" if form == "one" else "other"


def plural(key: str, n: float, **values: object) -> str:
    """The phrase `key` for a count `n`: its ".one" or ".other" form (the count is passed as `n`, formatted)."""
    return word(f"{key}.{plural_form(n)}", n=values.pop("shown", format_count(n)), **values)


def metric_label(metric: str) -> str:
    """A metric's name for readers ("Events targeting civilians"), else its label in `geo.aggregate.METRICS`."""
    return word(f"metric.{metric}") if f"metric.{metric}" in WORDS else METRICS.get(metric, metric)


def country_name(iso3: object) -> str:
    """A country's name in the current language ("Mauritanie"); the code itself when unknown ("" when missing)."""
    if iso3 is None or (isinstance(iso3, float) and math.isnan(iso3)):
        return ""
    code = str(iso3)
    return word(f"country.{code}") if f"country.{code}" in WORDS else COUNTRY_NAMES.get(code, code)


def category(value: object) -> str:
    """
    A category of the data for readers: ACLED event types and sub-types, UCDP violence types, ACLED actor types,
    in the current language (ACLED's own French terms); any other value (a UCDP conflict name) as it is.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return word(f"category.{text}") if f"category.{text}" in WORDS else text


def perpetrator_name(code: object) -> str:
    """A perpetrator code's name ("state_forces" -> "State forces" / "Forces étatiques"), see `geo.perpetrators`."""
    key = f"perpetrator.{code}"
    return word(key) if key in WORDS else PERPETRATORS.get(str(code), str(code))


def preset_label(name: str, label: str = "", *, short: bool = False) -> str:
    """
    An event-type preset's name ("Political violence (excludes Protests and Strategic developments)"); `short`: without
    what it leaves out. A preset the catalogue does not know keeps the label of `atlas.toml`.
    """
    key = f"preset.{name}" + (".short" if short else "")
    if key in WORDS:
        return word(key)
    text = label or name
    return text.split(" (")[0] if short else text


def unit_words(level: str, countries: Sequence[str] = ()) -> tuple[str, str]:
    """
    What the units of a level are called, singular and plural: regions at admin 1; at admin 2 cercles (Mali),
    provinces (Burkina Faso) and départements (Niger), or all three names when several countries are shown.
    """
    shown = [c for c in (countries or CORE_COUNTRIES) if c in CORE_COUNTRIES]
    if level == "admin2" and len(shown) == 1:
        return word(f"level.admin2.{shown[0]}"), word(f"level.admin2.{shown[0]}.plural")
    if level in ("admin1", "admin2"):
        return word(f"level.{level}"), word(f"level.{level}.plural")
    return level, level


def capitalized(text: str) -> str:
    """`text` with its first letter upper-case, the rest as it is ("cercles" -> "Cercles"; "événement" -> "Événement")."""
    return text[:1].upper() + text[1:]


def join_words(items: Sequence[str]) -> str:
    """ "a", "a and b", "a, b and c" (in the current language)."""
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return word("place.and", first=", ".join(items[:-1]), last=items[-1])


def place_text(countries: Sequence[str] = ()) -> str:
    """The countries in words: "Burkina Faso", "Mali and Niger", "Mali, Burkina Faso and Niger" (all by default)."""
    return join_words([country_name(c) for c in (countries or CORE_COUNTRIES)])


#: Licence terms of the boundary sets' recorded credits (`BoundarySet.attribution`, their `meta`) said in words.
_LICENCE_WORDS: Final = {"public domain": "licence.public_domain"}


def credit(text: str) -> str:
    """A recorded credit or licence ("Natural Earth (public domain)") with its licence terms in the current language."""
    for phrase, key in _LICENCE_WORDS.items():
        text = text.replace(phrase, word(key))
    return text


def source_name(source: str) -> str:
    """A source dataset's name for readers ("ACLED", "UCDP GED", "synthetic sample")."""
    return word(f"source.{source}") if f"source.{source}" in WORDS else source


# ---------------------------------------------------------------------------------------------- colours

#: Fonts of plotly figures and of SVG figures (both fall back to what the system has).
FONT: Final = "Open Sans, Liberation Sans, DejaVu Sans, Arial, sans-serif"
SVG_FONT: Final = "'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"
TEXT_COLOUR: Final = "#222222"
MUTED_COLOUR: Final = "#555555"
#: Watermark of the synthetic sample: red with a white halo, seen over every fill, light enough to read the figure through.
WATERMARK_COLOUR: Final = "rgba(190, 30, 45, 0.5)"
WATERMARK_HALO: Final = "rgba(255, 255, 255, 0.6)"

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
#: Outlines and labels on maps.
BORDER_COLOR: Final = "#262626"
FOCUS_COLOR: Final = "#000000"  # the outline of a focus area (presentation mode)
AOI_COLOR: Final = "#1b6ca8"  # blue, apart from every YlOrRd colour
POINT_FILL: Final = "#1f3b73"  # dark blue: readable on every YlOrRd class and on the zero grey
MAP_BACKGROUND: Final = "#f3f5f7"
NEIGHBOUR_FILL: Final = "#ffffff"
#: Paul Tol's "muted" colours (plotly "Safe"), dark ones first so that few lines stay legible on white; its
#: grey is kept for "Other".
GROUP_COLOURS: Final = ["#332288", "#88CCEE", "#117733", "#DDCC77", "#CC6677", "#AA4499", "#44AA99", "#999933",
                        "#882255", "#661100"]
OTHER_COLOUR: Final = "#888888"
SINGLE_COLOUR: Final = "rgb(51, 34, 136)"
#: A period the data cover only in part is drawn lighter (bars) or with an open marker (lines).
PARTIAL_OPACITY: Final = 0.45


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
        Id of the SVG hatch pattern (defined once in each map document and SVG figure).
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
    """A class scheme in plain words ("about as many regions in each (quantiles)")."""
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
        v = as_float(value)
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
            return word("legend.no_data")
        if index == -1:
            return word("legend.zero")
        return self.labels[index] if self.labels else format_number(as_float(value) or 0, integer=self.integer)

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

    def describe(self, units: str = "units") -> str:
        """How the classes were made, in plain words ("5 classes, about as many regions in each (quantiles)")."""
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
    if not 1 <= k <= _MAX_CLASSES:
        raise ValueError(f"k must be between 1 and {_MAX_CLASSES}, not {k}")
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
        low_text, high_text = format_number(lower, integer=integer), format_number(upper, integer=integer)
        labels.append(high_text if low_text == high_text else f"{low_text}–{high_text}")
    return labels


# ---------------------------------------------------------------------------------------------- numbers and dates

#: Metrics that are whole numbers (labels without decimals, breaks on integers).
COUNT_METRICS: Final = frozenset({
    "events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities", "snapped_events",
})


def as_float(value: object) -> float | None:
    """A finite float, or ``None`` for missing / non-numeric / infinite values."""
    if value is None or value is pd.NA:
        return None
    try:
        v = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def to_float_array(values: Iterable[object]) -> np.ndarray:
    """Any iterable of numbers (with None / pd.NA) as a float array with NaN for missing."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    return pd.to_numeric(series, errors="coerce").astype("float64").to_numpy()


def _significant_decimals(value: float, significant: int) -> int:
    """Decimals that show ``significant`` significant digits (none for values of 10**significant or more)."""
    if value == 0 or not math.isfinite(value):
        return 0
    return max(0, significant - 1 - math.floor(math.log10(abs(value))))


def format_number(value: float, *, integer: bool = False, significant: int = 2) -> str:
    """
    A number for readers in the current language (babel): thousands separators, whole numbers without decimals,
    others with ``significant`` digits and no trailing zeros ("1,234.5", "0.7"; in French "1 234,5", "0,7").
    """
    if integer:
        return format_decimal(round(value), format="#,##0", locale=current_locale())
    decimals = _significant_decimals(value, significant)
    pattern = "#,##0" + ("." + "#" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=current_locale())


def format_count(value: object) -> str:
    """A whole number with thousands separators ("1,234" / "1 234"); "–" when missing."""
    v = as_float(value)
    return "–" if v is None else format_number(v, integer=True)


def format_signed(value: object) -> str:
    """A whole number with its sign ("+1,234", "−5", "0"); "–" when missing."""
    v = as_float(value)
    if v is None:
        return "–"
    n = round(v)
    text = format_number(abs(n), integer=True)
    return f"+{text}" if n > 0 else f"−{text}" if n < 0 else text


def format_fixed(value: object, decimals: int = 1) -> str:
    """A number with exactly `decimals` decimals ("12.5" / "12,5"); "–" when missing."""
    v = as_float(value)
    if v is None:
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(v, format=pattern, locale=current_locale())


def format_percent(share: object, *, decimals: int = 0, signed: bool = False) -> str:
    """A share (0.123) as a percentage for readers: "12 %" ("12,3 %" with one decimal in French); "–" when missing."""
    v = as_float(share)
    if v is None:
        return "–"
    text = format_fixed(abs(v * 100) if signed else v * 100, decimals)
    if signed:
        text = ("+" if v > 0 else "−" if v < 0 else "") + text
    return word("format.percent", value=text)


def format_metric(metric: str, value: object) -> str:
    """A metric value for tooltips and tables ("–" when missing)."""
    v = as_float(value)
    if v is None:
        return "–"
    if metric in COUNT_METRICS or v == 0:
        return format_number(v, integer=True)
    return format_number(v, significant=3)


def format_value(value: object) -> str:
    """A value for hover texts and bar labels: whole numbers without decimals, others with one or two."""
    v = as_float(value)
    if v is None:
        return word("value.no_data")
    if float(v).is_integer():
        return format_number(v, integer=True)
    return format_fixed(v, 1 if abs(v) >= 10 else 2)


def format_date(day: date | pd.Timestamp | None, *, year: bool = True) -> str:
    """A day for readers: "3 Aug 2020" (or "3 Aug" without the year), "3 août 2020" in French; "" when missing."""
    if day is None or pd.isna(day):
        return ""
    day = pd.Timestamp(day).date()
    return babel_date(day, format=word("format.date" if year else "format.day"), locale=current_locale())


def format_dates(days: Iterable[object]) -> pd.Series:
    """:func:`format_date` of many days at once (each distinct day formatted once); "" where missing."""
    values = pd.Series(pd.to_datetime(pd.Series(list(days) if not isinstance(days, pd.Series) else days), errors="coerce"))
    distinct = pd.DatetimeIndex(values.dropna().unique())
    lookup = pd.Series([format_date(d) for d in distinct], index=distinct, dtype=object)
    return values.map(lookup).fillna("").astype(object)


def period_label(period: object) -> str:
    """
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
    """plotly's ``layout.separators`` in the current language: decimal mark then thousands separator (".," / ",\u202f")."""
    return get_decimal_symbol(current_locale()) + get_group_symbol(current_locale())


def years_label(first: int | None, last: int | None) -> str:
    """ "2016–2019", or "2019" for one year."""
    if first is None and last is None:
        return ""
    first, last = first or last, last or first
    return str(first) if first == last else f"{first}–{last}"


def period_note(label: str, vintage: SourceVintage | None) -> str:
    """
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
    """A table's as-of date for readers: "3 Apr 2025" ("3 avr. 2025"), or "Jan 2025" when known only as a month."""
    if len(as_of) == 7:
        return period_label(as_of)
    return format_date(date.fromisoformat(as_of))


def partial_key(vintage: SourceVintage | None) -> str:
    """The key of the note under a chart whose periods the data cover in part (ACLED's aggregates have their own)."""
    return "chart.partial_note_as_of" if vintage is not None and vintage.as_of else "chart.partial_note"


class PartialPeriods(dict):
    """Period label -> the day its data stop; `note_key` is the phrase of the note under a chart that says so."""

    note_key: str = "chart.partial_note"


def partial_periods(labels: Iterable[str], vintage: SourceVintage | None) -> dict[str, str]:
    """Period label -> the day its data stop, for the periods of `labels` the data cover only in part."""
    out = PartialPeriods()
    out.note_key = partial_key(vintage)
    for label in labels:
        note = period_note(str(label), vintage)
        if note:
            out[str(label)] = note
    return out


def years_text(first: int | None, last: int | None, vintage: SourceVintage | None = None) -> str:
    """The years of a figure, saying where the last stops short: "2019–2020 (2020 to 1 Aug)"."""
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


# ---------------------------------------------------------------------------------------------- escaping


def plain(text: object) -> str:
    """Text for plotly labels and HTML: plotly reads a few HTML tags, so data and user text are escaped."""
    return html.escape(str(text), quote=False)


def esc(text: object) -> str:
    """Text for HTML and SVG attributes and content (quotes escaped too)."""
    return html.escape(str(text))


def script_json(value: object) -> str:
    """JSON for inside a ``<script>``: ``<`` and ``>`` escaped, so text can never close the script."""
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")


# ---------------------------------------------------------------------------------------------- legends


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: `kind` is "zero", "class", "no_data", "border", "aoi" or "points"."""

    kind: str
    label: str
    colour: str = ""


def legend_entries(classification: Classification, *, borders: bool = False, aoi: bool = False,
                   points: str | None = None, focus: str | None = None) -> list[LegendEntry]:
    """What every map legend lists, in order: zero, the classes, no data, then the lines and points drawn."""
    entries = [LegendEntry("zero", word("legend.zero"), classification.zero_color)]
    entries += [LegendEntry("class", label, colour) for colour, label in zip(classification.colors, classification.labels)]
    entries.append(LegendEntry("no_data", word("legend.no_data"), classification.no_data.fill))
    if borders:
        entries.append(LegendEntry("border", word("legend.country_border"), BORDER_COLOR))
    if aoi:
        entries.append(LegendEntry("aoi", word("legend.aoi"), AOI_COLOR))
    if focus:
        entries.append(LegendEntry("focus", capitalized(focus), FOCUS_COLOR))  # an entry starts upper-case ("Région de Mopti")
    if points:
        entries.append(LegendEntry("points", points, POINT_FILL))
    return entries


def unplaced_note(unplaced: Mapping[str, int] | None) -> str:
    """ "Events not placed at this level: 30 in Mali" (empty when none)."""
    parts = [
        word("legend.in_country", n=format_count(n), country=country_name(iso3) if iso3 else word("legend.unknown_country"))
        for iso3, n in sorted((unplaced or {}).items(), key=lambda item: -item[1])
        if n > 0
    ]
    return word("legend.not_placed", parts=", ".join(parts)) if parts else ""


def _swatch(entry: LegendEntry, no_data: NoDataStyle) -> str:
    """A legend swatch in plain HTML and CSS (a legend shown with the page's HTML keeps no inline SVG)."""
    box = "display:inline-block;flex:none;width:22px;height:13px;margin-right:7px;box-sizing:border-box;"
    if entry.kind == "border":
        return f'<span style="{box}height:0;border-top:2.5px solid {entry.colour};margin-top:1px"></span>'
    if entry.kind == "aoi":
        return f'<span style="{box}height:0;border-top:2.5px dashed {entry.colour};margin-top:1px"></span>'
    if entry.kind == "focus":
        return f'<span style="{box}height:0;border-top:3.5px solid {entry.colour};margin-top:1px"></span>'
    if entry.kind == "points":
        return (f'<span style="{box}width:12px;height:12px;margin:0 12px 0 5px;border-radius:50%;background:{entry.colour};'
                'border:1px solid #fff"></span>')
    if entry.kind == "no_data":
        hatch = (f"repeating-linear-gradient(45deg,{no_data.hatch_color} 0 1.5px,{no_data.fill} 1.5px 5px)")
        return f'<span style="{box}background:{hatch};border:1px dashed {no_data.color}"></span>'
    outline = "#c8c8c8" if entry.kind == "zero" else "rgba(0,0,0,0.18)"
    return f'<span style="{box}background:{entry.colour};border:1px solid {outline}"></span>'


def legend_html(
    classification: Classification,
    *,
    metric: str,
    scope: str = "",
    units: str = "units",
    unplaced: Mapping[str, int] | None = None,
    borders: bool = False,
    aoi: bool = False,
    points: str | None = None,
    focus: str | None = None,
    scale: float = 1.0,
) -> str:
    """
    The map legend as an HTML fragment (all text escaped), shown open beside the map.

    Parameters
    ----------
    classification : Classification
        Classes to list, lowest first, after "0" and before "No data".
    metric : str
        Metric column; its name heads the legend.
    scope : str
        What the colours are of, under the metric (e.g. "2019", or "2016–2019, one colour scale for every year").
    units : str
        The units classified, plural ("regions"), for the note on how the classes were made.
    unplaced : mapping, optional
        country_iso3 -> events that could not be placed at this level (a footnote).
    borders, aoi : bool
        Add line entries for country borders and the area of interest.
    points : str, optional
        Label of the event points entry, when they are drawn.
    focus : str, optional
        Name of the focus area outlined on the map.
    scale : float
        Font scale (presentation mode).

    Returns
    -------
    str
        A ``<div class="atlas-legend">``.
    """
    rows = [f'<div class="atlas-legend-title">{esc(metric_label(metric))}</div>']
    if scope:
        rows.append(f'<div class="atlas-legend-sub">{esc(scope)}</div>')
    for entry in legend_entries(classification, borders=borders, aoi=aoi, points=points, focus=focus):
        if entry.kind == "border":
            rows.append('<div class="atlas-legend-sep"></div>')
        rows.append(f'<div class="atlas-legend-row">{_swatch(entry, classification.no_data)}<span>{esc(entry.label)}</span></div>')
    notes = [word("legend.classes", how=classification.describe(units))]
    note = unplaced_note(unplaced)
    if note:
        notes.append(note)
    rows += [f'<div class="atlas-legend-note">{esc(n)}</div>' for n in notes]
    size = 13 * scale
    css = (
        "<style>"
        f".atlas-legend{{font:{size:.1f}px/1.45 {SVG_FONT};color:{TEXT_COLOUR};max-width:{int(260 * scale)}px;"
        "background:#fff;padding:4px 2px}"
        f".atlas-legend-title{{font-weight:700;font-size:{size * 1.1:.1f}px}}"
        f".atlas-legend-sub{{color:{MUTED_COLOUR};margin-bottom:6px;line-height:1.3}}"
        ".atlas-legend-row{display:flex;align-items:center;white-space:nowrap}"
        ".atlas-legend-sep{border-top:1px solid #ddd;margin:5px 0}"
        f".atlas-legend-note{{color:{MUTED_COLOUR};font-size:{size * 0.88:.1f}px;margin-top:6px;line-height:1.3}}"
        "</style>"
    )
    return f'<div class="atlas-legend">{css}{"".join(rows)}</div>'


# ---------------------------------------------------------------------------------------------- figure text


@dataclass(frozen=True)
class Subject:
    """
    What a figure shows, in the terms its text is made of.

    Attributes
    ----------
    metric
        Metric column ("events", "fatalities", ...).
    source
        Source dataset shown ("acled", "ucdp", "generic", "sample").
    years
        (first, last) years shown, or None for all the data's years.
    countries
        ISO3 codes of the countries shown (empty: the three).
    place
        A focus area's name, said instead of the countries ("Mopti region").
    level
        "admin1" or "admin2".
    types
        The event types kept, in words ("Political violence"; empty: all event types).
    sub_types
        Sub-types kept, in words.
    actor
        Text an actor must contain.
    max_geo_precision
        Location precision kept (None: any).
    vintage
        The source's vintage (last day, ACLED timestamp, UCDP version).
    boundaries
        The boundary set's credit line ("OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)").
    sample
        Whether the data are the synthetic sample (every figure then carries a watermark).
    """

    metric: str = "events"
    source: str = "sample"
    years: tuple[int, int] | None = None
    countries: tuple[str, ...] = ()
    place: str = ""
    level: str = "admin1"
    types: str = ""
    sub_types: str = ""
    actor: str = ""
    max_geo_precision: int | None = None
    vintage: SourceVintage | None = None
    boundaries: str = ""
    sample: bool = False

    @property
    def where(self) -> str:
        return self.place or place_text(self.countries)

    @property
    def years_text(self) -> str:
        if self.years is None:
            if self.vintage is None:
                return ""
            return years_text(int(self.vintage.first_month[:4]), self.vintage.last_date.year, self.vintage)
        return years_text(self.years[0], self.years[1], self.vintage)

    @property
    def units(self) -> tuple[str, str]:
        return unit_words(self.level, self.countries)


@dataclass(frozen=True)
class FigureText:
    """
    The text every figure carries, made in one place (:func:`figure_text`).

    Attributes
    ----------
    title
        What and where: "Fatalities per region in Burkina Faso, 2016–2019".
    filter_line
        The filters in plain words: "Fatalities, political violence, Mopti region, 2016–2020".
    source_line
        Dataset, its vintage and the citation it asks for, and the boundaries' credit.
    watermark
        "SAMPLE DATA — not real events" on the synthetic sample, else "".
    """

    title: str
    filter_line: str = ""
    source_line: str = ""
    watermark: str = ""

    def retitled(self, title: str) -> FigureText:
        return replace(self, title=title)


def filter_line(subject: Subject, *, metric: bool = True) -> str:
    """The filters in plain words: "Fatalities, political violence, Mopti region, 2016–2020 (2020 to 1 Aug)"."""
    parts = [metric_label(subject.metric)] if metric else []
    parts.append(subject.types or word("filter.all_types"))
    if subject.sub_types:
        parts.append(word("filter.sub_types", types=subject.sub_types))
    if subject.actor:
        parts.append(word("filter.actor", actor=subject.actor))
    if subject.max_geo_precision:
        parts.append(word("filter.precision", level=subject.max_geo_precision))
    parts.append(subject.where)
    if subject.years_text:
        parts.append(subject.years_text)
    return ", ".join(p for p in parts if p)


def source_line(subject: Subject) -> str:
    """
    The source line: the dataset with its own date and the citation it asks for, then the boundaries' credit.

    ACLED: "ACLED, acleddata.com, accessed <the largest `timestamp` of its rows>; filters …"; ACLED's aggregates:
    "ACLED via HDX", the table's as-of date and ACLED's terms; UCDP GED: its version, CC BY 4.0 and the two papers to
    cite; the synthetic sample says it is invented.
    """
    vintage = subject.vintage
    last = format_date(vintage.last_date) if vintage else "?"
    filters = filter_line(subject, metric=False)
    if subject.sample or subject.source == "sample":
        cite = word("cite.sample")
    elif subject.source == "acled":
        published = vintage.published if vintage else None
        cite = (word("cite.acled", date=format_date(published), filters=filters) if published
                else word("cite.acled.no_date", last=last, filters=filters))
    elif subject.source == "ucdp":
        cite = (word("cite.ucdp", version=vintage.version) if vintage and vintage.version
                else word("cite.ucdp.no_version", last=last))
    elif subject.source == "acled-hdx":
        as_of = as_of_text(vintage.as_of) if vintage and vintage.as_of else "?"
        cite = word("cite.acled-hdx", as_of=as_of, filters=filters)
    else:
        cite = word("cite.generic", last=last)
    parts = [cite]
    if subject.boundaries:
        parts.append(word("cite.boundaries", credit=credit(subject.boundaries)))
    parts.append(word("cite.atlas"))
    return " · ".join(parts)


def figure_text(subject: Subject, title: str) -> FigureText:
    """Title, filter line, source line and (on the sample) watermark of a figure about `subject`."""
    return FigureText(
        title=title,
        filter_line=filter_line(subject),
        source_line=source_line(subject),
        watermark=word("sample_watermark") if subject.sample else "",
    )


def map_title(subject: Subject, *, year_by_year: bool = False) -> str:
    """ "Fatalities per region in Burkina Faso, 2016–2019" (or "…, year by year, 2016–2019"); "…, Mopti region, …" on a focus."""
    key = ("title.map_focus" if subject.place else "title.map") + ("_years" if year_by_year else "")
    return word(key, metric=metric_label(subject.metric),
                unit=subject.units[0], place=subject.where, years=years_label(*(subject.years or (None, None))))


def trend_title(subject: Subject, *, group: str, period: str) -> str:
    """ "Fatalities in Burkina Faso per event type, by quarter, 2018–2020"."""
    years = years_label(*(subject.years or (None, None))) or (
        years_label(int(subject.vintage.first_month[:4]), subject.vintage.last_date.year) if subject.vintage else "")
    return word("title.trend", metric=metric_label(subject.metric), place=subject.where, group=group, period=period,
                years=years).rstrip(", ")


def preview_text(count: int, files: Sequence[str], boundaries: str = "") -> FigureText:
    """The text of the map of an upload's events before they are stored."""
    source = " · ".join([word("cite.boundaries", credit=credit(boundaries)), word("cite.atlas")] if boundaries else [word("cite.atlas")])
    return FigureText(title=word("title.preview", n=format_count(count)), filter_line=word("preview.filter", files=", ".join(files)),
                      source_line=source)
