"""The "Do the sources agree?" view.

ACLED's events counted with ACLED's definition of an indicator, beside ACLED's own aggregates of it (HDX), for the
units and periods both cover (`geo.agreement.compare_sources`). Plain functions, no Streamlit: the page
(`pages/agreement.py`) lays out what `agreement_view` gives, read through `ui.views`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd
import plotly.graph_objects as go

from geo.agreement import Agreement
from geo.figures import charts, style
from geo.indicators import AGGREGATE_SOURCE, DEFAULT_INDICATOR

from .state import ViewState
from .views import Inputs, look, readable, subject

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
