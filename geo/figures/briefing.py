"""The briefing pack: a few PDF pages on an area and a range of years, for a weekly briefing (plain Python).

``python -m geo briefing`` and the Trends page's button make the same pack with :func:`briefing_pdf`:

1. the choropleth per year as small multiples (:func:`geo.figures.views.years_view`, fixed on the focus area as presentation
   mode fixes the map);
2. the trend chart (:func:`geo.figures.views.trends_view` for the three countries; on an area, its units' trend);
3. the border-band shares (the Borders page's chart, :func:`geo.figures.borders_view.borders_view`, of the area's country);
4. the units with the largest change between the first and the last year (:func:`geo.figures.tables.ranked_changes`,
   as the Trends page ranks them), those of the area;
5. method and sources.

Every page carries its title, filter line, source line (with the data's vintage) and, on the sample, the
watermark. Words come from :func:`geo.figures.style.word` (the current language). Figures are read from the database
through the view models, like the pages: never every event.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from geo.figures import charts, pdf, render, style, tables
from geo.figures.focus import DEFAULT_FOCUS, focus_area, focus_unit_codes
from geo.figures.geometry import display_units
from geo.indicators import AGGREGATE_SOURCE
from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE

from .borders_view import BordersView, borders_view
from .exports import parse_years
from .reading import group_units
from .state import ViewState
from .views import (
    YEARS_BEFORE,
    Inputs,
    YearsView,
    change_table,
    change_table_shown,
    partial_note,
    ranges_note,
    subject,
    trends_view,
    years_view,
)

#: Units listed on the page of the largest changes.
RANKED_ROWS = 15
#: Height of the trend chart on its page (the page is A4 landscape: 1,200 × 760 px fills it).
TREND_HEIGHT = 760


@dataclass(frozen=True)
class BriefingPack:
    """The PDF and what it holds."""

    data: bytes
    pages: int
    titles: tuple[str, ...]
    name: str


def briefing_years(inputs: Inputs, view: ViewState, years: str | None) -> tuple[int, int]:
    """The years of the pack: `years` ("2016-2020"), else the view's range, else the view's year and the four before.

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).
    years
        The years asked for ("2016-2020", "2019"); None for the view's.

    Returns
    -------
    tuple[int, int]
        The years of the pack: `years` ("2016-2020"), else the view's range, else the view's year and the four before.
    """
    if years:
        return parse_years(years)
    if view.is_range:
        return view.year_from, view.year_to
    return max(inputs.years[0], view.year_to - YEARS_BEFORE), view.year_to


def _in_focus(rows: pd.DataFrame, codes: set[str]) -> pd.DataFrame:
    return rows[rows["unit_code"].astype(str).isin(codes)]


def briefing_pdf(inputs: Inputs, view: ViewState, *, focus: str = DEFAULT_FOCUS, years: str | None = None,
                 today: date | None = None) -> BriefingPack:
    """
    The briefing pack as one PDF.

    Parameters
    ----------
    inputs
        What the view models read through.
    view
        The view state whose filters, source, metric and boundary set the pack keeps (its years are replaced by the
        pack's, its focus by `focus`).
    focus
        "mopti", "burkina-sahel", "tillaberi-tahoua" or "all".
    years
        "2016-2020"; default: the view's range, or its year and the four before.
    today
        The day the pack says it was made (tests).

    Returns
    -------
    BriefingPack
        Five A4 landscape pages, each with the footer "briefing on <area>, <years> · page n of 5".
    """
    area = focus_area(focus)
    first, last = briefing_years(inputs, view, years)
    level = view.level
    if area.units and view.level == "admin1" and "admin2" in inputs.boundary_set.levels:
        level = "admin2"  # an area is one to three regions: its cercles, provinces or départements say more
    # The pack's map: fixed on the area, as presentation mode fixes it; its other figures: the area's country.
    map_state = replace(view, year_from=first, year_to=last, level=level, present=True, focus=focus, view="multiples")
    other_state = replace(map_state, present=False, focus=DEFAULT_FOCUS,
                          countries=area.countries if area.units and not view.countries else view.countries)
    metric = view.metric if view.metric != "events_per_10k_km2" else "events"
    subj = subject(inputs, map_state)
    place, years_text = subj.where, style.years_label(first, last)
    codes = focus_unit_codes(focus, display_units(inputs.boundary_set, level))
    pages: list[bytes] = []
    titles: list[str] = []

    # 1. the maps, year by year
    multiples = years_view(inputs, map_state)
    pages.append(render.svg_file(multiples.multiples(), "pdf"))
    titles.append(multiples.text.title)

    # 2. the trend: the three countries per country, or the area's units
    if area.units:
        rows = inputs.reader.aggregated(level=level, period="year", filters=other_state.filters())
        rows = _in_focus(rows[rows["source"] == view.source], codes)
        unit_word = subj.units[0]
        trend_subj = replace(subject(inputs, map_state, metric=metric), years=(first, last))
        text = style.figure_text(trend_subj, style.trend_title(trend_subj, group=unit_word, period=style.word("chart.year").lower()))
        table, by = group_units(rows, "unit"), "unit_name"
    else:
        trend = trends_view(inputs, replace(other_state, trend_by="country", period="year"))
        table, by, text = trend.table, trend.group_column, trend.text
    # The chart of the Trends page, drawn taller for a page (its table and text are the view's).
    periods = sorted(table["period"].astype(str).unique())
    figure = charts.trend_chart(table, by=by, metric=metric, text=text, height=TREND_HEIGHT,
                                partial=style.partial_periods(periods, inputs.vintage(view.source)),
                                bounds=tables.range_columns(metric))
    pages.append(render.plotly_file(figure, "pdf"))
    titles.append(text.title)

    # 3. the border-band shares
    borders = borders_view(inputs, other_state)
    if borders.error or borders.band_chart is None:
        border_text = style.figure_text(subject(inputs, other_state), borders.title)
        # (ACLED's aggregates: the one sentence saying they have no single events to place near the borders)
        said = borders.none or style.word("briefing.no_borders", error=borders.error)
        pages.append(pdf.text_page(border_text, sections=[pdf.Section(style.word("briefing.method.borders"), [said])]))
        titles.append(borders.title)
    else:
        pages.append(render.plotly_file(borders.band_chart, "pdf"))
        titles.append(((borders.band_chart.layout.meta or {}).get("figure_text") or {}).get("title", borders.title))

    # 4. the units with the largest change
    unit_rows = inputs.reader.aggregated(level=level, period="year", filters=other_state.filters_without_years())
    unit_rows = unit_rows[(unit_rows["source"] == view.source) & ~unit_rows["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])]
    unit_rows = _in_focus(unit_rows, codes)
    earlier = first if first != last else max(inputs.years[0], last - 1)
    ranked = tables.ranked_changes(unit_rows, metric=metric, period_from=str(earlier), period_to=str(last), ranges=True) \
        if len(unit_rows) else \
        pd.DataFrame(columns=["rank", "unit_name", "country", "value_from", "value_to", "change", "pct_change", "note"])
    ranked = change_table_shown(change_table(ranked.drop(columns=["unit_code", "country_iso3"], errors="ignore")))
    rank_subj = replace(subj, metric=metric, years=(earlier, last))
    rank_title = style.word("briefing.ranked.title", units=subj.units[1].capitalize(), place=place, earlier=earlier,
                            later=style.years_text(last, last, inputs.vintage(view.source)))
    rank_text = style.figure_text(rank_subj, rank_title)
    note = style.word("briefing.ranked.note", metric=style.metric_label(metric), earlier=earlier, later=last)
    if len(ranked) > RANKED_ROWS:
        note += " " + style.word("briefing.ranked.more", n=len(ranked) - RANKED_ROWS)
    if ranked.empty:
        note = style.word("briefing.ranked.none")
    elif view.source != AGGREGATE_SOURCE:
        note += " " + ranges_note(inputs.settings)
    columns = {"rank": "#", "rank_mark": style.word("col.rank_span"), "unit_name": style.word("briefing.column.name"), "country": style.word("briefing.column.country"),
               "value_from": str(earlier), "value_to": str(last), "change": style.word("briefing.column.change"),
               "pct_change": style.word("briefing.column.pct_change"), "note": style.word("briefing.column.note")}
    pages.append(pdf.text_page(rank_text, table=ranked.head(RANKED_ROWS), columns={k: v for k, v in columns.items() if k in ranked},
                               note=note))
    titles.append(rank_title)

    # 5. method and sources
    method_text = style.figure_text(subj, style.word("briefing.method.title"))
    pages.append(pdf.text_page(method_text, sections=_method(inputs, map_state, multiples, borders, metric, earlier, last,
                                                             today), font_size=9.5))
    titles.append(method_text.title)

    made = pdf.generated_on(today)
    footer = style.word("briefing.footer", atlas=style.word("cite.atlas"), place=place, years=years_text, made=made)
    title = style.word("briefing.title", place=place, years=years_text)
    data = pdf.document(pages, title=title, footer=footer)
    name = f"atlas_briefing_{focus}_{first}-{last}_{'SAMPLE' if inputs.is_sample else view.source}.pdf"
    return BriefingPack(data=data, pages=len(pages), titles=tuple(titles), name=name)


def _method(inputs: Inputs, view: ViewState, multiples: YearsView, borders: BordersView, metric: str, earlier: int, later: int,
            today: date | None) -> list[pdf.Section]:
    """The method page: what is counted, how maps, trend, borders and the ranking are made, and the sources."""
    subj = subject(inputs, view)
    word = style.word
    counted = [word("briefing.method.counted.text", source=style.source_name(view.source),
                    filters=style.filter_line(subj, metric=False), boundaries=inputs.boundary_set.name)]
    partial = partial_note(inputs, view, (view.year_from, view.year_to))
    if partial:
        counted.append(partial)
    bands = borders.method.get("bands") if borders.method else None
    sections = [
        pdf.Section(word("briefing.method.counted"), counted),
        pdf.Section(word("briefing.method.maps"), [word("briefing.method.maps.text",
                                                        classes=multiples.classification.describe(multiples.units_words[1]),
                                                        place=subj.where)]),
        pdf.Section(word("briefing.method.trend"), [word("briefing.method.trend.text", metric=style.metric_label(metric),
                                                         group=subj.units[0])]),
    ]
    if bands:
        sections.append(pdf.Section(word("briefing.method.borders"), [word("briefing.method.borders.text",
                                                                           bands=", ".join(f"{b:g}" for b in bands))]))
    sections.append(pdf.Section(word("briefing.method.ranked"), [word("briefing.method.ranked.text",
                                                                      metric=style.metric_label(metric).lower(), earlier=earlier,
                                                                      later=later)]))
    if view.source != AGGREGATE_SOURCE:  # (ACLED's aggregates carry no location precision: no range)
        sections.append(pdf.Section(word("briefing.method.ranges"), [ranges_note(inputs.settings)]))
    source = getattr(inputs.reader, "src", None)
    version = source.store.data_version() if source is not None else "?"  # a number: never the store's URL
    sources = [style.source_line(subj)]
    if subj.sample:
        sources.insert(0, word("sample_watermark"))
    sources.append(word("briefing.method.made", atlas=word("cite.atlas"), date=style.format_date(today or date.today()),
                        version=version))
    sections.append(pdf.Section(word("briefing.method.sources"), sources))
    return sections
