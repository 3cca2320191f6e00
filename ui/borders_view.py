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
from geo.figures.geometry import display_countries

from .reading import MAX_PAIR_CANDIDATES
from .state import ViewState
from .views import Inputs, look, partial_note, subject

HEADLINE_KM = 50.0  # the distance of the SWAC figure the page reports


def percent(value: float) -> str:
    return "–" if pd.isna(value) else f"{value * 100:.0f} %"


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

    def footprint_chart(self, reader: Any, actor: str) -> go.Figure:
        """The chosen actor's events per country and year."""
        footprint = reader.actor_footprint(filters=self.only_source, actor=actor, periods=self.periods)
        text = self.footprint_text.retitled(f"Events involving {actor} per country, per year")
        return figures.actor_footprint_chart(footprint, actor=actor, text=text, highlight=self.highlight)


def borders_view(inputs: Inputs, view: ViewState) -> BordersView:
    """Everything the Borders page shows for the view state (see the module's docstring)."""
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
    title = f"Violence near the shared borders, {chosen_years} — {style.source_name(view.source)}"
    reader = inputs.reader
    empty_view = BordersView(
        title=title, error="", empty="", partial=partial_note(inputs, view), tiles=[], notes=[], map_figure=None, map_caption="",
        share_chart=None, pairs_chart=None, pairs_message="", band_chart=None, segment_chart=None, band_table=pd.DataFrame(),
        actor_options=[], series_years=series_years, method={},
    )
    try:
        geometry = reader.border_geometry()
    except AtlasError as exc:
        empty_view.error = (f"The shared borders cannot be drawn with the boundary set “{inputs.boundary_set.name}”: {exc}. "
                            "Choose another boundary set in the sidebar.")
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
    pair_rule = f"≤ {view.pair_km} km and ≤ {view.pair_days} day{'s' if view.pair_days != 1 else ''} apart" + (
        ", same actor" if view.same_actor else "")

    empty = ""
    if summary["events"] == 0:
        empty = (f"No {style.source_name(view.source)} events in Mali, Burkina Faso or Niger match these filters "
                 f"({style.filter_line(subj, metric=False)}). Choose other years or widen the filters in the sidebar.")
    tiles = [
        Tile(f"Events within {HEADLINE_KM:g} km", percent(summary["share_events"]),
             f"Share of the events in the three countries within {HEADLINE_KM:g} km of a shared border: "
             f"{summary['events_near']:,.0f} of {summary['events']:,.0f}, {chosen_years}. "
             "Distances are geodesic, to the nearest of the ML–BF, ML–NE and BF–NE borders."),
        Tile(f"Fatalities within {HEADLINE_KM:g} km", percent(summary["share_fatalities"]),
             f"Share of the reported fatalities in the three countries within {HEADLINE_KM:g} km of a shared border: "
             f"{summary['fatalities_near']:,.0f} of {summary['fatalities']:,.0f}, {chosen_years}."),
        Tile("Cross-border pairs", f"{pairs_now:,}" if pairs is not None else "–",
             f"Pairs of events in two different countries {pair_rule}, {chosen_years} "
             "(a pair counts in the year of its earlier event)." if pairs is not None else
             f"Not searched: about {pair_candidates:,} events lie within {view.pair_km} km of a shared border in "
             f"{chosen_years}: too many events, or pairs of them, to search at once (the search reads at most "
             f"{MAX_PAIR_CANDIDATES:,} events). Narrow the filters or the distance."),
        Tile("Events in the tri-border zone", percent(tri_share),
             f"Share of the events in the three countries within {view.tri_km} km of the point where the three borders meet "
             "(Liptako-Gourma)."),
        Tile(f"Civilian fatalities within {HEADLINE_KM:g} km", percent(summary["share_civilian_fatalities"]),
             f"Share of the fatalities of events targeting civilians in the three countries within {HEADLINE_KM:g} km of a "
             f"shared border: {summary['civilian_fatalities_near']:,.0f} of {summary['civilian_fatalities']:,.0f}, "
             f"{chosen_years}."),
    ]
    notes = []
    if len(view.countries) == 1:
        notes.append("Only one country is chosen in the sidebar: no pair of events can cross a border, and no actor can be "
                     "seen in two countries. Choose two countries, or all three, for those figures.")
    if not view.preset.startswith("political"):
        notes.append("Comparing with published figures (SWAC, ACLED)? Choose “Political violence” under Event types in the "
                     "sidebar: they leave out protests and strategic developments.")

    # ------------------------------------------------------------------ map
    map_text = style.figure_text(subj, f"Events by distance to the nearest shared border, {chosen_years} — "
                                       f"{style.source_name(view.source)}")
    if map_points.binned:
        map_events, map_located = None, None
    else:
        map_events = map_points.events
        map_located = located_from_places(map_events, bands)
    map_figure = figures.border_map(
        geometry, band_shapes, tri_zone, map_events, map_located, pairs if pairs is not None else pd.DataFrame(columns=PAIR_COLUMNS),
        bands=bands, years=years, selected=(view.year_from, view.year_to), text=map_text,
        countries=display_countries(inputs.boundary_set), tri_radius_km=float(view.tri_km),
        pair_label=f"Cross-border pair, {pair_rule}", bins=map_points.bins if map_points.binned else None,
        cell_deg=map_points.cell_deg, height=int(760 * (1.05 if lk.present else 1.0)),
    )
    now_all = band_table[band_table["period"].isin(selected_periods)]
    not_mapped = int(now_all.loc[~now_all["border"].isin(list(BORDERS)), "events"].sum())
    map_caption = (
        "Press ▶ to play the years (the slider under the map picks one). Events are coloured by their distance to the "
        "nearest shared border; the shaded areas are the distance bands inside the three countries; purple lines join "
        f"the two events of a cross-border pair ({pair_rule})."
        + (f" There are {map_points.total:,} events near the borders: too many to draw one by one, so each circle is a "
           f"{map_points.cell_deg:g}° cell sized by its events." if map_points.binned else "")
        + (f" {not_mapped:,} events outside the three countries or located too vaguely for a distance are not on the map."
           if not_mapped else "")
        + ("" if pairs is not None and pairs_scope == 0 else
           " Cross-border pairs are shown for the selected years only (the events near the borders over all years are too "
           "many to search at once)." if pairs is not None else
           " Cross-border pairs are not searched: too many events near the borders for these filters.")
    )

    # ------------------------------------------------------------------ charts
    series_text = style.figure_text(series_subj, "")
    shares = share_within(table, HEADLINE_KM, share_bands) if len(table) else pd.DataFrame(columns=["period", "events"])
    share_chart = figures.share_chart(shares, km=HEADLINE_KM, periods=periods, highlight=highlight,
                                      text=series_text.retitled(f"Share within {HEADLINE_KM:g} km of a shared border, {series_years}"))
    pairs_chart, pairs_message = None, ""
    if pairs is None:
        pairs_message = (f"Cross-border pairs are not searched: about {pair_candidates:,} events lie within {view.pair_km} km "
                         f"of a shared border in {chosen_years}, too many events (the search reads at most "
                         f"{MAX_PAIR_CANDIDATES:,}) or pairs of them to search at once. Choose fewer years, narrower filters "
                         "or a shorter distance in the sidebar.")
    else:
        # Pairs of the selected years only when all the years were too many to search (see the map's caption).
        pair_periods = periods if pairs_scope == 0 else selected_periods
        pair_text = (series_text if pairs_scope == 0 else style.figure_text(subj, "")).retitled(
            f"Cross-border pairs of events, {style.years_label(int(pair_periods[0]), int(pair_periods[-1]))}")
        pairs_chart = figures.pairs_chart(pairs, periods=pair_periods, text=pair_text, max_km=view.pair_km,
                                          max_days=view.pair_days, highlight=highlight if pairs_scope == 0 else None)
    band_chart = figures.band_share_chart(
        band_table, bands=bands, periods=periods, highlight=highlight,
        text=series_text.retitled(f"Events and fatalities per band of distance to the nearest shared border, {series_years}"))
    segment_chart = figures.segment_share_chart(
        table, km=HEADLINE_KM, bands=share_bands, periods=periods, highlight=highlight,
        text=series_text.retitled(f"Events and fatalities within {HEADLINE_KM:g} km of each border segment, {series_years}"))
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
