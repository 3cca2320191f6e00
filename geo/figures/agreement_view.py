"""The "Do the sources agree?" view, and the Trends page's "Compare sources" view.

ACLED's events counted with ACLED's definition of an indicator, beside ACLED's own aggregates of it (HDX), for the
units and periods both cover (`geo.agreement.compare_sources`); and "Compare sources": any two sources per period and
per unit with their ranges (`geo.agreement.side_by_side`, what `python -m geo compare` writes). Plain functions, no
Streamlit: the pages (`pages/agreement.py`, `pages/trends.py`) lay out what `agreement_view` and `compare_view` give,
read through `ui.views`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from geo.agreement import Agreement, figure_prefix
from geo.figures import charts, style
from geo.filters import Filters
from geo.indicators import AGGREGATE_SOURCE, DEFAULT_INDICATOR, has_fatalities

from .state import ALL_TYPES, ViewState
from .views import SPECIAL, Inputs, look, readable, subject

word = style.word
#: The event source compared with ACLED's aggregates.
EVENTS_SOURCE = "acled"
#: Unit-periods listed at most, largest gap first.
MAX_ROWS = 500


@dataclass
class AgreementView:
    """What the page shows."""

    title: str
    intro: str
    none: str = ""  # the store lacks one of the two sources: the sentence shown instead
    summary: str = ""
    figure: go.Figure | None = None
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # per unit-period, largest gap first (for readers)
    download: pd.DataFrame = field(default_factory=pd.DataFrame)  # the same, every row, plain numbers (CSV)
    caption: str = ""
    metric: str = "events"


def _years(inputs: Inputs, view: ViewState) -> tuple[int, int]:
    """The years compared: the range chosen, else the chosen year and the four before it."""
    if view.is_range:
        return view.year_from, view.year_to
    return max(inputs.years[0], view.year_to - 4), view.year_to


def agreement_view(inputs: Inputs, view: ViewState, *, sources: list[str]) -> AgreementView:
    """The comparison for the sidebar's countries, level, years (a range; one year chosen: it and the four before) and indicator (political violence when "All events" is chosen), by the view's period.

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    sources
        Source datasets ("acled", "ucdp", "generic", "sample").

    Returns
    -------
    AgreementView
        The comparison for the sidebar's countries, level, years (a range; one year chosen: it and the four before)
        and indicator (political violence when "All events" is chosen), by the view's period.
    """
    indicator = view.indicator or DEFAULT_INDICATOR
    first, last = _years(inputs, view)
    units = style.unit_words(view.level, view.countries)
    indicator_name = word(f"indicator.{indicator}")
    title = word("agree.title", indicator=indicator_name, unit=units[0], years=style.years_label(first, last))
    intro = word("agree.intro", events=style.source_name(EVENTS_SOURCE), aggregates=style.source_name(AGGREGATE_SOURCE))
    missing = [s for s in (EVENTS_SOURCE, AGGREGATE_SOURCE) if s not in sources]
    if missing:
        return AgreementView(title=title, intro=intro, none=word("agree.needs_both", missing=", ".join(
            style.source_name(s) for s in missing)))
    compared = replace(view, year_from=first, year_to=last, indicator=indicator)
    result: Agreement = inputs.reader.agreement(level=view.level, period=view.period, indicator=indicator,
                                                filters=replace(compared, source=EVENTS_SOURCE).filters())
    metric = "fatalities" if view.metric in ("fatalities", "civilian_fatalities") and indicator != "demonstrations" else "events"
    captions = [style.figure_text(subject(inputs, replace(compared, source=source), metric=metric, on_map=False), "").source_line
                for source in (EVENTS_SOURCE, AGGREGATE_SOURCE)]
    caption = " · ".join(dict.fromkeys(part for line in captions for part in line.split(" · ")))
    if result.empty:
        return AgreementView(title=title, intro=intro, none=word("agree.nothing_in_common", indicator=indicator_name.lower()),
                             caption=caption)
    totals = result.totals()
    summary = word(
        "agree.summary", n=style.format_count(totals["unit_periods"]), unit=units[0], years=style.years_label(first, last),
        events=style.format_count(totals["events_events"]), aggregates=style.format_count(totals["events_aggregates"]),
        difference=style.format_signed(totals["events_difference"]),
        share=style.format_percent(totals["events_share"], decimals=1, signed=True) if totals["events_share"] is not None else "–",
    )
    if totals["fatalities_aggregates"] is not None:
        summary += " " + word("agree.summary.fatalities", events=style.format_count(totals["fatalities_events"]),
                              aggregates=style.format_count(totals["fatalities_aggregates"]),
                              difference=style.format_signed(totals["fatalities_difference"]))
    gap = result.largest_gap()
    summary += " " + (word("agree.largest", unit=gap["unit_name"], country=style.country_name(gap["country_iso3"]),
                           period=style.period_label(gap["period"]), events=style.format_count(gap["events_events"]),
                           aggregates=style.format_count(gap["events_aggregates"]))
                      if gap is not None else word("agree.same"))
    long = pd.concat([
        result.periods[["period", f"{metric}_events"]].rename(columns={f"{metric}_events": metric})
        .assign(source=word("agree.series.events", source=style.source_name(EVENTS_SOURCE))),
        result.periods[["period", f"{metric}_aggregates"]].rename(columns={f"{metric}_aggregates": metric})
        .assign(source=style.source_name(AGGREGATE_SOURCE)),
    ], ignore_index=True)
    subj = subject(inputs, replace(compared, source=AGGREGATE_SOURCE), metric=metric, on_map=False)
    text = style.FigureText(title=title, filter_line=style.filter_line(replace(subj, source=AGGREGATE_SOURCE)), source_line=caption)
    figure = charts.trend_chart(long, by="source", metric=metric, text=text, kind="grouped", height=look(view).chart_height,
                                scale=look(view).scale)
    rows = result.rows.assign(country=result.rows["country_iso3"].map(style.country_name),
                              _size=result.rows["events_difference"].abs())
    rows = rows.sort_values(["_size", "period", "unit_name"], ascending=[False, True, True]).drop(columns="_size")
    shown = rows.head(MAX_ROWS).assign(period=lambda t: t["period"].map(style.period_label))
    columns = ["unit_name", "country", "period", "events_events", "events_aggregates", "events_difference",
               "fatalities_events", "fatalities_aggregates", "fatalities_difference"]
    return AgreementView(title=title, intro=intro, summary=summary, figure=figure, table=readable(shown[columns]),
                         download=result.rows, caption=caption, metric=metric)


# ---------------------------------------------------------------------------------------------- Compare sources (Trends)

#: The figures the Compare sources view sets side by side (a civilian metric or a density compares events).
COMPARED_METRICS = ("events", "fatalities")


def compare_choices(view: ViewState, sources: list[str]) -> list[str]:
    """The sources the view's source can be compared with: every other source the store holds (never the sample).

    Parameters
    ----------
    view
        The view state (its source).
    sources
        The sources the store holds.

    Returns
    -------
    list[str]
        The other sources.
    """
    return [s for s in sources if s != view.source and s != "sample"]


def default_other(view: ViewState, sources: list[str]) -> str:
    """The source compared with the view's by default: UCDP beside ACLED, ACLED beside anything else, else the first.

    Parameters
    ----------
    view
        The view state (its source).
    sources
        The sources the store holds.

    Returns
    -------
    str
        The source compared by default ("" when there is none).
    """
    choices = compare_choices(view, sources)
    for preferred in (("ucdp", "acled-hdx") if view.source == "acled" else ("acled", "ucdp")):
        if preferred in choices:
            return preferred
    return choices[0] if choices else ""


@dataclass
class CompareView:
    """The Trends page's "Compare sources" view: two sources per period (with their bands) and per unit, never summed."""

    title: str
    intro: str
    none: str = ""  # nothing to compare: the sentence shown instead
    summary: str = ""
    figure: go.Figure | None = None
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # per unit and period, largest gap first (for readers)
    download: pd.DataFrame = field(default_factory=pd.DataFrame)  # `python -m geo compare`'s rows (CSV)
    caption: str = ""
    metric: str = "events"
    sources: tuple[str, str] = ("", "")
    note: str = ""  # ACLED's events beside its aggregates: where the page "Do the sources agree?" compares them


def _per_period(inputs: Inputs, view: ViewState, source: str, indicator: str, filters: Filters) -> pd.DataFrame:
    """One source's figures and ranges per period over the view's countries (the countries' own ranges, summed)."""
    own = replace(filters, sources=(source,), indicator=indicator)
    table = inputs.reader.grouped(by="country", level=view.level, period=view.period, filters=own)
    table = table[table["source"] == source]
    figures = [c for c in ("events", "fatalities", "events_min", "events_max", "fatalities_min", "fatalities_max") if c in table]
    return table.groupby(["source", "period"], as_index=False)[figures].sum(min_count=1)


def compare_view(inputs: Inputs, view: ViewState, *, sources: list[str], other: str = "") -> CompareView:
    """The view's source beside `other`, per period and per unit, with their ranges and their difference.

    For the sidebar's countries, level, period and indicator (political violence when "All events" is chosen: what both
    datasets count): per period each source's figure with its range (a band), and per unit and period both figures
    with their ranges and their difference, largest first, from `geo.agreement.side_by_side` (what `python -m geo
    compare` writes). One year chosen: the chart shows every year, the table that year; a range: both show the range.

    Parameters
    ----------
    inputs
        What the view reads (its reader of the store, the boundary set, the sources' coverage).
    view
        The view state (what the reader has chosen: source, years, filters, level).
    sources
        The sources the store holds.
    other
        The source compared with the view's (default `default_other`).

    Returns
    -------
    CompareView
        The chart, the table and their words (or why there is nothing to compare).
    """
    metric = view.metric if view.metric in COMPARED_METRICS else "events"
    first = view.source
    second = other if other in compare_choices(view, sources) else default_other(view, sources)
    indicator = view.indicator or DEFAULT_INDICATOR
    if second == AGGREGATE_SOURCE or first == AGGREGATE_SOURCE:
        metric = metric if has_fatalities(indicator) else "events"
    units = style.unit_words(view.level, view.countries)
    names = (style.source_name(first), style.source_name(second) if second else "")
    years = style.years_label(view.year_from, view.year_to)
    title = word("compare.title", first=names[0], second=names[1] or "…", metric=style.metric_label(metric).lower(),
                 unit=units[0], years=years)
    intro = word("compare.intro", indicator=word(f"indicator.{indicator}").lower())
    if not second:
        return CompareView(title=title, intro=intro, none=word("compare.needs_two", source=names[0]))
    note = word("compare.agreement_page") if {first, second} == {"acled", AGGREGATE_SOURCE} else ""
    filters = view.filters() if view.is_range else view.filters_without_years()
    base = replace(filters, event_types=(), sub_event_types=(), preset=None, actor=None, max_geo_precision=None)
    series = pd.concat([_per_period(inputs, view, s, indicator, base) for s in (first, second)], ignore_index=True)
    compared = inputs.reader.side_by_side(sources=(first, second), level=view.level, period=view.period, indicator=indicator,
                                          filters=view.filters_for_years(view.year_from, view.year_to))
    # (the filter line says what both are counted with: the indicator, dates and countries; nothing of single events)
    counted = replace(view, indicator=indicator, types=(), subtypes=(), preset=ALL_TYPES, actor="", precision=0)
    texts = [style.figure_text(subject(inputs, replace(counted, source=s), metric=metric, all_years=not view.is_range,
                                       on_map=False), "") for s in (first, second)]
    caption = " · ".join(dict.fromkeys(part for t in texts for part in t.source_line.split(" · ")))
    if series.empty or not series[metric].fillna(0).sum():
        return CompareView(title=title, intro=intro, none=word("compare.nothing", first=names[0], second=names[1]),
                           caption=caption, note=note, sources=(first, second), metric=metric)
    text = style.FigureText(title=title, filter_line=texts[0].filter_line, source_line=caption, watermark=texts[0].watermark)
    chart = series.assign(source=series["source"].map(style.source_name))
    bounds = (f"{metric}_min", f"{metric}_max") if chart[[f"{metric}_min", f"{metric}_max"]].notna().any().any() else None
    figure = charts.trend_chart(chart, by="source", metric=metric, text=text, kind="line", height=look(view).chart_height,
                                scale=look(view).scale, bounds=bounds)
    rows = compared.rows
    a, b = (figure_prefix(s) for s in (first, second))
    units_only = rows[~rows["unit_code"].isin(SPECIAL) & rows[f"{a}_{metric}"].notna() & rows[f"{b}_{metric}"].notna()]
    summary = _compare_summary(series, units_only, metric, names, units[1], years)
    shown = units_only.assign(_size=units_only[f"{metric}_difference"].abs()).sort_values(
        ["_size", "period", "unit_name"], ascending=[False, True, True]).head(MAX_ROWS)
    table = pd.DataFrame({
        "unit_name": shown["unit_name"], "country": shown["country_iso3"].map(style.country_name),
        "period": shown["period"].map(style.period_label),
        "first": [style.format_range(v, lo, hi) for v, lo, hi in
                  zip(shown[f"{a}_{metric}"], shown[f"{a}_{metric}_min"], shown[f"{a}_{metric}_max"])],
        "second": [style.format_range(v, lo, hi) for v, lo, hi in
                   zip(shown[f"{b}_{metric}"], shown[f"{b}_{metric}_min"], shown[f"{b}_{metric}_max"])],
        "difference": shown[f"{metric}_difference"].astype("Int64"),
        "overlap": [word("compare.overlap.yes") if v is True else word("compare.overlap.no") if v is False else ""
                    for v in shown[f"{metric}_ranges_overlap"].astype(object)],
    })
    return CompareView(title=title, intro=intro, summary=summary, figure=figure, table=readable(table), download=rows,
                       caption=caption, metric=metric, sources=(first, second), note=note)


def _compare_summary(series: pd.DataFrame, rows: pd.DataFrame, metric: str, names: tuple[str, str], units: str,
                     years: str) -> str:
    """The sentence above the chart: each source's total (with its range) and in how many unit-periods they agree."""
    parts = []
    for source, name in zip(dict.fromkeys(series["source"]), names):
        source_rows = series[series["source"] == source]
        total = source_rows[metric].sum()
        low, high = source_rows.get(f"{metric}_min"), source_rows.get(f"{metric}_max")
        has_range = low is not None and low.notna().any()
        parts.append(word("compare.total", source=name, value=style.format_range(
            total, low.sum() if has_range else None, high.sum() if has_range else None)))
    overlap = rows[f"{metric}_ranges_overlap"].astype("boolean")
    text = word("compare.summary", totals=word("format.semicolon").join(parts), metric=style.capitalized(style.metric_label(metric)))
    if len(rows):
        text += " " + word("compare.summary.overlap", agree=style.format_count(int(overlap.fillna(False).sum())),
                           n=style.format_count(len(rows)), units=units, years=years)
    return text
