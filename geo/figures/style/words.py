"""Words: the English catalogue of every phrase a figure shows (:data:`WORDS`, with :mod:`geo.figures.english` for the app's pages), its translations (:data:`TRANSLATIONS`, :mod:`geo.figures.french`), :func:`word` to fill one in, in the current language, and the names of metrics, levels, places, countries, categories, perpetrators, presets and sources."""

from __future__ import annotations

import logging
import math
import os
from collections.abc import Sequence
from functools import lru_cache
from typing import Final

import pandas as pd

from ...aggregate import METRICS
from ...countries import CORE_COUNTRIES, COUNTRY_NAMES
from ...perpetrators import PERPETRATORS
from ..english import ENGLISH
from ..french import FRENCH
from ..language import current_language

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


#: Set (to anything but "" or "0") by the tests: a phrase missing from a catalogue raises :class:`MissingWord` there,
#: so that no page, figure or file is ever tested with a gap.
STRICT_ENV = "ATLAS_STRICT_WORDS"


class MissingWord(KeyError):
    """A phrase that the current language's catalogue (or the English one) lacks, asked for under the tests."""


def strict_words() -> bool:
    """Whether a missing phrase raises (under the tests, :data:`STRICT_ENV`) rather than falling back.

    Returns
    -------
    bool
        Whether a missing phrase raises (under the tests, :data:`STRICT_ENV`) rather than falling back.
    """
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def word(key: str, **values: object) -> str:
    """
    The phrase `key` in the current language, with its placeholders filled.

    Parameters
    ----------
    key
        The phrase's key in :data:`WORDS` (English) and :data:`TRANSLATIONS` (other languages).
    **values
        The phrase's placeholders ("{n}", "{years}", ...).

    Returns
    -------
    str
        The phrase in the current language (:func:`geo.figures.language.current_language`); in production a phrase
        the language lacks is said in English, and one that English lacks too is left out ("", with a warning in the
        log): a key is never shown to a reader.

    Raises
    ------
    MissingWord
        Under the tests (:data:`STRICT_ENV`), when the current language's catalogue or the English one lacks `key`.
    """
    language = current_language()
    text = TRANSLATIONS.get(language, {}).get(key) if language != "en" else None
    if not text:
        english = WORDS.get(key)
        if strict_words() and (english is None or language != "en"):
            raise MissingWord(f"no phrase {key!r} in the {language!r} catalogue" + ("" if english is None or language == "en"
                                                                                    else " (English has it)"))
        if english is None:
            _log_missing(key)
            return ""
        text = english
    return text.format(**values) if values else text


@lru_cache(maxsize=256)
def _log_missing(key: str) -> None:
    """Say once per key, in the log, that a phrase is missing from every catalogue."""
    logging.getLogger("geo.figures").warning("no phrase %r in the catalogues: left out", key)


def has_word(key: str) -> bool:
    """Whether the catalogue has a phrase `key`.

    Parameters
    ----------
    key
        The phrase's key.

    Returns
    -------
    bool
        Whether the catalogue has a phrase `key`.
    """
    return key in WORDS


def word_or(key: str, fallback: str) -> str:
    """The phrase `key` in the current language, or `fallback` (text from the data or the settings) without one.

    Parameters
    ----------
    key
        The phrase's key.
    fallback
        What is said without the phrase.

    Returns
    -------
    str
        The phrase `key` in the current language, or `fallback` (text from the data or the settings) without one.
    """
    return word(key) if key in WORDS else fallback


def metric_label(metric: str) -> str:
    """A metric's name for readers ("Events targeting civilians"), else its label in `geo.aggregate.METRICS`.

    Parameters
    ----------
    metric
        The metric: "events", "fatalities", "civilian_events", "civilian_fatalities" or "events_per_10k_km2".

    Returns
    -------
    str
        A metric's name for readers ("Events targeting civilians"), else its label in `geo.aggregate.METRICS`.
    """
    return word(f"metric.{metric}") if f"metric.{metric}" in WORDS else METRICS.get(metric, metric)


def country_name(iso3: object) -> str:
    """A country's name in the current language ("Mauritanie"); the code itself when unknown ("" when missing).

    Parameters
    ----------
    iso3
        An ISO3 code.

    Returns
    -------
    str
        A country's name in the current language ("Mauritanie"); the code itself when unknown ("" when missing).
    """
    if iso3 is None or (isinstance(iso3, float) and math.isnan(iso3)):
        return ""
    code = str(iso3)
    return word(f"country.{code}") if f"country.{code}" in WORDS else COUNTRY_NAMES.get(code, code)


def category(value: object) -> str:
    """A category of the data for readers.

    ACLED event types and sub-types, UCDP violence types, ACLED actor types, in the current language (ACLED's own
    French terms); any other value (a UCDP conflict name) as it is.

    Parameters
    ----------
    value
        A category as the data hold it ("Battles").

    Returns
    -------
    str
        A category of the data for readers: ACLED event types and sub-types, UCDP violence types, ACLED actor types,
        in the current language (ACLED's own French terms); any other value (a UCDP conflict name) as it is.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return word(f"category.{text}") if f"category.{text}" in WORDS else text


def perpetrator_name(code: object) -> str:
    """A perpetrator code's name ("state_forces" -> "State forces" / "Forces étatiques"), see `geo.perpetrators`.

    Parameters
    ----------
    code
        A perpetrator code (`geo.perpetrators.PERPETRATORS`).

    Returns
    -------
    str
        A perpetrator code's name ("state_forces" -> "State forces" / "Forces étatiques"), see `geo.perpetrators`.
    """
    key = f"perpetrator.{code}"
    return word(key) if key in WORDS else PERPETRATORS.get(str(code), str(code))


def preset_label(name: str, label: str = "", *, short: bool = False) -> str:
    """An event-type preset's name ("Political violence (excludes Protests and Strategic developments)").

    `short`: without what it leaves out. A preset the catalogue does not know keeps the label of `atlas.toml`.

    Parameters
    ----------
    name
        The preset's name.
    label
        Its label in `atlas.toml`.
    short
        Whether to leave out what it excludes.

    Returns
    -------
    str
        An event-type preset's name ("Political violence (excludes Protests and Strategic developments)"); `short`:
        without what it leaves out. A preset the catalogue does not know keeps the label of `atlas.toml`.
    """
    key = f"preset.{name}" + (".short" if short else "")
    if key in WORDS:
        return word(key)
    text = label or name
    return text.split(" (")[0] if short else text


def unit_words(level: str, countries: Sequence[str] = ()) -> tuple[str, str]:
    """What the units of a level are called, singular and plural: regions at admin 1; at admin 2 cercles (Mali), provinces (Burkina Faso) and départements (Niger), or all three names when several countries are shown.

    Parameters
    ----------
    level
        The unit level: "admin1" or "admin2".
    countries
        ISO3 codes of the countries.

    Returns
    -------
    tuple[str, str]
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
    """`text` with its first letter upper-case, the rest as it is ("cercles" -> "Cercles"; "événement" -> "Événement").

    Parameters
    ----------
    text
        The text.

    Returns
    -------
    str
        `text` with its first letter upper-case, the rest as it is ("cercles" -> "Cercles"; "événement" ->
        "Événement").
    """
    return text[:1].upper() + text[1:]


def join_words(items: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c" (in the current language).

    Parameters
    ----------
    items
        The words, in order.

    Returns
    -------
    str
        "a", "a and b", "a, b and c" (in the current language).
    """
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return word("place.and", first=", ".join(items[:-1]), last=items[-1])


def place_text(countries: Sequence[str] = ()) -> str:
    """The countries in words: "Burkina Faso", "Mali and Niger", "Mali, Burkina Faso and Niger" (all by default).

    Parameters
    ----------
    countries
        ISO3 codes of the countries.

    Returns
    -------
    str
        The countries in words: "Burkina Faso", "Mali and Niger", "Mali, Burkina Faso and Niger" (all by default).
    """
    return join_words([country_name(c) for c in (countries or CORE_COUNTRIES)])


#: Licence terms of the boundary sets' recorded credits (`BoundarySet.attribution`, their `meta`) said in words.
_LICENCE_WORDS: Final = {"public domain": "licence.public_domain"}


def credit(text: str) -> str:
    """A recorded credit or licence ("Natural Earth (public domain)") with its licence terms in the current language.

    Parameters
    ----------
    text
        A recorded credit (English).

    Returns
    -------
    str
        A recorded credit or licence ("Natural Earth (public domain)") with its licence terms in the current language.
    """
    for phrase, key in _LICENCE_WORDS.items():
        text = text.replace(phrase, word(key))
    return text


def source_name(source: str) -> str:
    """A source dataset's name for readers ("ACLED", "UCDP GED", "synthetic sample").

    Parameters
    ----------
    source
        The source dataset ("acled", "ucdp", "generic", "sample").

    Returns
    -------
    str
        A source dataset's name for readers ("ACLED", "UCDP GED", "synthetic sample").
    """
    return word(f"source.{source}") if f"source.{source}" in WORDS else source
