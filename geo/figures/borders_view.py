"""What the Borders page shows, as one plain function (no Streamlit): :func:`borders_view`.

The shares of events and fatalities near the shared borders, the cross-border pairs, the map of the borders and
the charts per year, with their text (:mod:`geo.figures.borders`). One year chosen: the series show every year with
that year marked, and the headline figures are of that year; a range limits everything to it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from geo.borders import BORDERS, DEFAULT_BANDS_KM, PAIR_COLUMNS, located_from_places, parse_bands, share_within
from geo.errors import AtlasError
from geo.figures import borders as figures
from geo.figures import style
from geo.figures.borders import km_text
from geo.figures.geometry import display_countries

from .reading import MAX_PAIR_CANDIDATES
from .state import ViewState
from .views import Inputs, ViewReader, is_aggregate, look, no_single_events, partial_note, subject

HEADLINE_KM = 50.0  # the distance of the SWAC figure the page reports


def percent(value: float) -> str:
    """A share for readers ("46 %"; "–" when there is nothing to divide by).

    Parameters
    ----------
    value
        A share (0.46).

    Returns
    -------
    str
        A share for readers ("46 %"; "–" when there is nothing to divide by).
    """
    return style.format_percent(value)


word = style.word


@dataclass
class Tile:
    """A headline figure."""

    label: str
    value: str
    help: str


@dataclass
class BordersView:
    """The Borders page: headline tiles, the map, the charts, the actor footprint's choices and the table."""

    title: str
    error: str
    empty: str
    partial: str
    tiles: list[Tile]
    notes: list[str]
    map_figure: go.Figure | None
    map_caption: str
    share_chart: go.Figure | None
    pairs_chart: go.Figure | None
    pairs_message: str
    band_chart: go.Figure | None
    segment_chart: go.Figure | None
    band_table: pd.DataFrame
    actor_options: list[str]
    series_years: str
    method: dict[str, Any]
    footprint_text: style.FigureText | None = None
    only_source: Any = None
    periods: list[str] | None = None
    highlight: str | None = None
    none: str = ""  # a source without single events (ACLED's aggregates): the one sentence the page shows instead

    def footprint_chart(self, reader: ViewReader, actor: str) -> go.Figure:
        """The chosen actor's events per country and year.

        Parameters
        ----------
        reader
            What the view reads through (its `actor_footprint`).
        actor
            The actor chosen.

        Returns
        -------
        go.Figure
            The chosen actor's events per country and year.
        """
        footprint = reader.actor_footprint(filters=self.only_source, actor=actor, periods=self.periods)
        text = self.footprint_text.retitled(word("borders.footprint_title", actor=actor))
        return figures.actor_footprint_chart(footprint, actor=actor, text=text, highlight=self.highlight)


def borders_view(inputs: Inputs, view: ViewState) -> BordersView:
    """Everything the Borders page shows for the view state (see the module's docstring).

    Parameters
    ----------
    inputs
        What the view reads through (a reader of the store), the settings and what the data hold.
    view
        The view state (what the reader has chosen: source, years, filters, level, settings of the page).

    Returns
    -------
    BordersView
        The tiles, map, charts, table and method of the Borders page (an `error` when the set has no shared borders).
    """
    lk = look(view)
    try:
        bands = parse_bands(view.bands)
    except AtlasError:
        bands = DEFAULT_BANDS_KM
    # The headline share needs 50 km as a band edge; the band chart keeps the bands as chosen.
    share_bands = tuple(sorted({*bands, HEADLINE_KM}))
    single_year = not view.is_range
    low, high = inputs.years
    years = list(range(low, high + 1)) if single_year else list(range(view.year_from, view.year_to + 1))
    periods = [str(y) for y in years]
    selected_periods = [str(y) for y in range(view.year_from, view.year_to + 1)]
    highlight = str(view.year_from) if single_year else None
    series_filters = view.filters_without_years() if single_year else view.filters()
    vintage = inputs.vintage(view.source)
    chosen_years = style.years_text(view.year_from, view.year_to, vintage)
    series_years = style.years_label(years[0], years[-1])
    subj = subject(inputs, view, on_map=False)  # a focus fixes the Map page's map, not these figures
    series_subj = subject(inputs, view, years=(years[0], years[-1]), on_map=False)
    title = word("borders.title", years=chosen_years, source=style.source_name(view.source))
    reader = inputs.reader
    empty_view = BordersView(
        title=title, error="", empty="", partial=partial_note(inputs, view), tiles=[], notes=[], map_figure=None, map_caption="",
        share_chart=None, pairs_chart=None, pairs_message="", band_chart=None, segment_chart=None, band_table=pd.DataFrame(),
        actor_options=[], series_years=series_years, method={},
    )
    if is_aggregate(view):  # distances to the borders are those of single events
        return replace(empty_view, none=no_single_events(view, "borders"))
    try:
        geometry = reader.border_geometry()
    except AtlasError as exc:
        empty_view.error = word("borders.no_geometry", name=inputs.boundary_set.name, error=exc)
        return empty_view

    only_source = replace(series_filters, sources=(view.source,))
    table = reader.border_table(filters=only_source, period="year", bands=share_bands)
    band_table = table if share_bands == bands else reader.border_table(filters=only_source, period="year", bands=bands)
    band_shapes, tri_zone = reader.border_shapes(bands=bands, tri_radius_km=float(view.tri_km))
    selected_filters = replace(view.filters(), sources=(view.source,))
    tri_in, tri_counted = reader.tri_share(filters=selected_filters, radius_km=float(view.tri_km))
    tri_share = tri_in / tri_counted if tri_counted else float("nan")
    # Pairs of the years the series show when the events near the borders are few enough, else of the selected years.
    pairs, pairs_scope, pair_candidates = reader.border_pairs_within(
        filters=[only_source, selected_filters], max_km=float(view.pair_km), max_days=view.pair_days, same_actor=view.same_actor,
    )
    map_points = reader.border_points(filters=only_source, bands=bands)

    now = table[table["period"].isin(selected_periods)]
    summary = figures.share_summary(now, HEADLINE_KM, share_bands)
    pair_years = pd.to_datetime(pairs["date_a"]).dt.year if pairs is not None and len(pairs) else pd.Series(dtype=int)
    pairs_now = int(pair_years.between(view.year_from, view.year_to).sum()) if len(pair_years) else 0
    pair_rule = style.plural("borders.pair_rule", view.pair_days, km=view.pair_km, days=view.pair_days) + (
        word("borders.same_actor") if view.same_actor else "")
    km = km_text(HEADLINE_KM)
    count = style.format_count

    empty = ""
    if summary["events"] == 0:
        empty = word("borders.empty", source=style.source_name(view.source), filters=style.filter_line(subj, metric=False))
    tiles = [
        Tile(word("borders.tile.events", km=km), percent(summary["share_events"]),
             word("borders.tile.events.help", km=km, near=count(summary["events_near"]), total=count(summary["events"]),
                  years=chosen_years)),
        Tile(word("borders.tile.fatalities", km=km), percent(summary["share_fatalities"]),
             word("borders.tile.fatalities.help", km=km, near=count(summary["fatalities_near"]),
                  total=count(summary["fatalities"]), years=chosen_years)),
        Tile(word("borders.tile.pairs"), count(pairs_now) if pairs is not None else "–",
             word("borders.tile.pairs.help", rule=pair_rule, years=chosen_years) if pairs is not None else
             word("borders.tile.pairs.not_searched", n=count(pair_candidates), km=view.pair_km, years=chosen_years,
                  limit=count(MAX_PAIR_CANDIDATES))),
        Tile(word("borders.tile.tri"), percent(tri_share), word("borders.tile.tri.help", km=view.tri_km)),
        Tile(word("borders.tile.civilians", km=km), percent(summary["share_civilian_fatalities"]),
             word("borders.tile.civilians.help", km=km, near=count(summary["civilian_fatalities_near"]),
                  total=count(summary["civilian_fatalities"]), years=chosen_years)),
    ]
    notes = []
    if len(view.countries) == 1:
        notes.append(word("borders.one_country"))
    if not view.preset.startswith("political"):
        notes.append(word("borders.compare_published", preset=style.preset_label("political-violence", short=True),
                          field=word("sidebar.event_types")))

    # ------------------------------------------------------------------ map
    map_text = style.figure_text(subj, word("borders.map_title", years=chosen_years, source=style.source_name(view.source)))
    if map_points.binned:
        map_events, map_located = None, None
    else:
        map_events = map_points.events
        map_located = located_from_places(map_events, bands)
    map_figure = figures.border_map(
        geometry, band_shapes, tri_zone, map_events, map_located, pairs if pairs is not None else pd.DataFrame(columns=PAIR_COLUMNS),
        bands=bands, years=years, selected=(view.year_from, view.year_to), text=map_text,
        countries=display_countries(inputs.boundary_set), tri_radius_km=float(view.tri_km),
        pair_label=word("borders.pair_label", rule=pair_rule), bins=map_points.bins if map_points.binned else None,
        cell_deg=map_points.cell_deg, height=int(760 * (1.05 if lk.present else 1.0)),
    )
    now_all = band_table[band_table["period"].isin(selected_periods)]
    not_mapped = int(now_all.loc[~now_all["border"].isin(list(BORDERS)), "events"].sum())
    map_caption = (
        word("borders.map_caption", rule=pair_rule)
        + (" " + word("borders.map_caption.binned", n=count(map_points.total), cell=km_text(map_points.cell_deg or 0))
           if map_points.binned else "")
        + (" " + word("borders.map_caption.not_mapped", n=count(not_mapped)) if not_mapped else "")
        + ("" if pairs is not None and pairs_scope == 0 else
           " " + word("borders.map_caption.selected_years") if pairs is not None else
           " " + word("borders.map_caption.no_pairs"))
    )

    # ------------------------------------------------------------------ charts
    series_text = style.figure_text(series_subj, "")
    shares = share_within(table, HEADLINE_KM, share_bands) if len(table) else pd.DataFrame(columns=["period", "events"])
    share_chart = figures.share_chart(shares, km=HEADLINE_KM, periods=periods, highlight=highlight,
                                      text=series_text.retitled(word("borders.share_title", km=km, years=series_years)))
    pairs_chart, pairs_message = None, ""
    if pairs is None:
        pairs_message = word("borders.pairs_message", n=count(pair_candidates), km=view.pair_km, years=chosen_years,
                             limit=count(MAX_PAIR_CANDIDATES))
    else:
        # Pairs of the selected years only when all the years were too many to search (see the map's caption).
        pair_periods = periods if pairs_scope == 0 else selected_periods
        pair_text = (series_text if pairs_scope == 0 else style.figure_text(subj, "")).retitled(
            word("borders.pairs_title", years=style.years_label(int(pair_periods[0]), int(pair_periods[-1]))))
        pairs_chart = figures.pairs_chart(pairs, periods=pair_periods, text=pair_text, max_km=view.pair_km,
                                          max_days=view.pair_days, highlight=highlight if pairs_scope == 0 else None)
    band_chart = figures.band_share_chart(
        band_table, bands=bands, periods=periods, highlight=highlight,
        text=series_text.retitled(word("borders.band_title", years=series_years)))
    segment_chart = figures.segment_share_chart(
        table, km=HEADLINE_KM, bands=share_bands, periods=periods, highlight=highlight,
        text=series_text.retitled(word("borders.segment_title", km=km, years=series_years)))
    actors = reader.border_actors(filters=only_source, period="year")
    options = figures.actor_options(actors[actors["source"] == view.source])
    method = {"bands": bands, "pair_rule": pair_rule, "summary": summary, "filters": style.filter_line(subj, metric=False),
              "boundary_set": inputs.boundary_set.name, "tri_km": view.tri_km}
    return BordersView(
        title=title, error="", empty=empty, partial=partial_note(inputs, view, (years[0], years[-1])), tiles=tiles, notes=notes,
        map_figure=map_figure, map_caption=map_caption, share_chart=share_chart, pairs_chart=pairs_chart,
        pairs_message=pairs_message, band_chart=band_chart, segment_chart=segment_chart, band_table=band_table,
        actor_options=options, series_years=series_years, method=method, footprint_text=series_text,
        only_source=only_source, periods=periods, highlight=highlight,
    )
