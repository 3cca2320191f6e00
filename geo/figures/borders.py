"""Figures and map layers of the Borders page: the shared borders of Mali, Burkina Faso and Niger, the distance bands, the tri-border zone and the cross-border event pairs of :mod:`geo.borders`.

* :func:`border_map` draws them as a plotly map (MapLibre, ``white-bg`` style: no tiles, works offline)
  with one animation frame per year: events coloured by band and the pair lines change, the borders,
  bands and tri-border zone stay. plotly's map rather than folium or SVG because this map is zoomed into
  (a border crossing is a few kilometres) while its frames play, over up to a thousand events and pair lines
  per frame; it draws no text (MapLibre would fetch glyphs from a font server): the legend and hover name things.
* :func:`share_chart`, :func:`band_share_chart`, :func:`segment_share_chart`, :func:`pairs_chart` and
  :func:`actor_footprint_chart` are the charts beside it; :func:`share_summary` and
  :func:`actor_footprint` the figures they show.
* :func:`border_overlay_layers` gives the borders, bands and zone as folium layers for the Map page's
  choropleth (``extra_layers=`` of :func:`geo.figures.choropleth.choropleth_map`).

Every figure carries its title, filter line and source line inside it (:class:`geo.figures.style.FigureText`);
text from the data is escaped (plotly reads a few HTML tags, folium inserts tooltips as HTML). No Streamlit here.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from branca.element import MacroElement
from folium.template import Template
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from ..borders import BORDERS, BorderGeometry, band_labels, share_within
from ..countries import CORE_COUNTRIES, COUNTRY_NAMES
from ..crs import GEOGRAPHIC_CRS
from .plot import add_play_controls, apply_text, category_ticks, finish, fit_view, no_data_annotation
from .style import (
    GROUP_COLOURS,
    FigureText,
    category,
    country_name,
    format_count,
    format_dates,
    format_number,
    format_percent,
    plain,
    plural,
    script_json,
    word,
)

__all__ = [
    "BORDER_COLOUR",
    "BORDER_NAMES",
    "PAIR_COLOUR",
    "TRI_COLOUR",
    "actor_footprint",
    "actor_footprint_chart",
    "actor_options",
    "band_colours",
    "band_share_chart",
    "border_map",
    "border_overlay_layers",
    "pairs_chart",
    "segment_share_chart",
    "share_chart",
    "share_summary",
]

#: Readers' names of the three shared borders (the same in English and French: see `border_name`).
BORDER_NAMES: Final[dict[str, str]] = {
    code: f"{COUNTRY_NAMES[a]} – {COUNTRY_NAMES[b]}" for code, (a, b) in BORDERS.items()
}


def border_name(code: str) -> str:
    """A shared border's name in the current language ("Mali – Burkina Faso").

    Parameters
    ----------
    code
        A shared border's code ("ML-BF").

    Returns
    -------
    str
        A shared border's name in the current language ("Mali – Burkina Faso").
    """
    if code not in BORDERS:
        return code
    a, b = BORDERS[code]
    return f"{country_name(a)} – {country_name(b)}"


def km_text(km: float) -> str:
    """A distance in km for readers: "50", "2.5" ("2,5" in French).

    Parameters
    ----------
    km
        A distance in km.

    Returns
    -------
    str
        A distance in km for readers: "50", "2.5" ("2,5" in French).
    """
    return format_number(float(km), significant=6)
BORDER_COLOUR: Final = "#1a1a1a"
PAIR_COLOUR: Final = "#6a3d9a"  # purple: apart from the reds of the bands and the blue of the zone
TRI_COLOUR: Final = "#1f78b4"
OUTER_BAND_COLOUR: Final = "#8f8f8f"  # events beyond the last band edge: grey, context
#: Colours of the three borders in charts (one per segment, as in the legend of `segment_share_chart`).
SEGMENT_COLOURS: Final[dict[str, str]] = dict(zip(BORDERS, GROUP_COLOURS[:3]))
#: Paul Tol's high-contrast scheme (colour-blind safe), one colour per country in the actor footprint.
COUNTRY_COLOURS: Final[dict[str, str]] = dict(zip(CORE_COUNTRIES, ("#004488", "#BB5566", "#DDAA33")))
_OVERLAY_BAND_COLOUR: Final = "#54278f"
_CASING: Final = "#ffffff"
_PERCENT_AXIS: Final = {"range": [0, 100], "ticksuffix": " %", "dtick": 20, "fixedrange": True}


# ---------------------------------------------------------------------------------------------- colours


#: Cross-border pair lines drawn at most, over all the frames of the map together (shared out per frame):
#: what a browser is sent stays bounded whatever the store holds.
MAX_PAIR_LINES = 1_200


def pair_lines_per_view(years: int) -> int:
    """Pair lines drawn at most in one view of a map with `years` yearly frames (and its first view).

    Parameters
    ----------
    years
        The yearly frames of the map.

    Returns
    -------
    int
        Pair lines drawn at most in one view of a map with `years` yearly frames (and its first view).
    """
    return max(30, MAX_PAIR_LINES // (years + 1))


def band_colours(bands: Sequence[float]) -> dict[str, str]:
    """
    Colour of each distance band: dark red nearest the border, lighter outwards, grey beyond the last edge.

    Parameters
    ----------
    bands
        Band edges in km, e.g. (10, 50, 100).

    Returns
    -------
    dict
        Band label ("0-10", "10-50", "50-100", "100+") -> hex or rgb colour.
    """
    labels = band_labels(tuple(float(b) for b in bands))
    inner = labels[:-1]
    positions = np.linspace(0.95, 0.45, len(inner)) if len(inner) > 1 else [0.9]
    colours = sample_colorscale("OrRd", list(positions))
    return {**dict(zip(inner, colours)), labels[-1]: OUTER_BAND_COLOUR}


def _band_text(label: str) -> str:
    """'10-50' -> '10–50 km', '100+' -> 'over 100 km'."""
    try:
        if label.endswith("+"):
            return word("border.band_over", km=km_text(float(label[:-1])))
        low, high = label.split("-")
        return word("border.band", km=f"{km_text(float(low))}–{km_text(float(high))}")
    except ValueError:  # not a band label ("n/a")
        return label


# ---------------------------------------------------------------------------------------------- figures


def share_summary(table: pd.DataFrame, km: float, bands: Sequence[float]) -> dict[str, float]:
    """
    The share of events and fatalities within `km` of a shared border over all the table's periods.

    Parameters
    ----------
    table
        :func:`geo.borders.border_table` rows of one source (any periods: they are summed).
    km
        A band edge.
    bands
        The table's band edges.

    Returns
    -------
    dict
        events, events_near, share_events, fatalities, fatalities_near, share_fatalities, and the same of
        civilian_fatalities (NaN shares when there is nothing to divide by) and not_counted (events outside the three countries or too imprecise).
    """
    counted = table["border"].isin(list(BORDERS)) if len(table) else pd.Series(dtype=bool)
    out = {"events": 0.0, "events_near": 0.0, "share_events": np.nan, "fatalities": 0.0, "fatalities_near": 0.0,
           "share_fatalities": np.nan, "civilian_fatalities": 0.0, "civilian_fatalities_near": 0.0,
           "share_civilian_fatalities": np.nan,
           "not_counted": float(table.loc[~counted, "events"].sum()) if len(table) else 0.0}
    if not len(table) or not counted.any():
        return out
    one = share_within(table.assign(period="all", source="all"), float(km), tuple(float(b) for b in bands)).iloc[0]
    for key in out:
        if key in one:
            out[key] = float(one[key])
    return out


def _finish(fig: go.Figure, top: int, height: int, source_h: int, *, bottom: int = 125, legend_title: str = "") -> go.Figure:
    """Common look; the legend goes under the x axis (horizontal), below its title, above the source line."""
    return finish(
        fig, height=height, top=top, bottom=bottom + source_h, hovermode="x unified",
        legend={"title": {"text": plain(legend_title), "side": "top left"}, "orientation": "h", "x": 0, "xanchor": "left",
                "y": (source_h + 2) / height, "yref": "container", "yanchor": "bottom"},
    )


def _highlight(fig: go.Figure, periods: list[str], highlight: str | None, **where: Any) -> None:
    """A light band behind the selected period (category axes: positions are indices)."""
    if highlight in periods:
        i = periods.index(highlight)
        fig.add_vrect(x0=i - 0.45, x1=i + 0.45, fillcolor="#e8e8e8", opacity=0.6, layer="below", line_width=0, **where)


def _category_axis(periods: list[str]) -> dict[str, Any]:
    return {"type": "category", "categoryorder": "array", "categoryarray": periods, "range": [-0.5, len(periods) - 0.5],
            "title": {"text": word("chart.year"), "standoff": 4}, "fixedrange": True, **category_ticks(periods)[0]}


def share_chart(
    shares: pd.DataFrame,
    *,
    km: float,
    periods: Sequence[str],
    text: FigureText,
    highlight: str | None = None,
    height: int = 480,
) -> go.Figure:
    """
    Per year, the share (%) of events and of fatalities within `km` of a shared border.

    Parameters
    ----------
    shares
        :func:`geo.borders.share_within` rows of one source (period, events, events_near, share_events,
        fatalities, fatalities_near, share_fatalities).
    km
        The distance the shares are for (used in labels).
    periods
        Years to show on the x axis, in order (years without events get no point).
    text
        Title, filter line, source line and watermark, drawn inside the figure.
    highlight
        A year to mark (the one selected in the sidebar).
    height
        Figure height in pixels.

    Returns
    -------
    Two lines on a fixed 0–100 % axis.
    """
    periods = [str(p) for p in periods]
    fig = go.Figure()
    top, source_h = apply_text(fig, text, height=height, width=80)
    data = shares.assign(period=shares["period"].astype(str)).set_index("period").reindex(periods) if len(shares) else None
    if data is None or data["events"].fillna(0).sum() == 0:
        no_data_annotation(fig, word("border.no_events"))
    else:
        for column, label, colour, dash in (("events", word("metric.events"), GROUP_COLOURS[0], "solid"),
                                            ("fatalities", word("metric.fatalities"), GROUP_COLOURS[1], "dash")):
            near = data[f"{column}_near"]
            total = data[column]
            share = (data[f"share_{column}"] * 100).round(1)
            text = [
                "" if pd.isna(s) else word("border.share_of", share=format_percent(s / 100), part=format_count(n),
                                           total=format_count(t)) for s, n, t in zip(share, near, total)
            ]
            fig.add_trace(go.Scatter(
                x=periods, y=share.tolist(), name=word("border.within", what=label, km=km_text(km)), mode="lines+markers",
                line={"color": colour, "width": 2.5, "dash": dash}, marker={"size": 7}, customdata=text,
                hovertemplate=f"{label}: %{{customdata}}<extra></extra>",
            ))
    _highlight(fig, periods, highlight)
    fig.update_layout(xaxis=_category_axis(periods),
                      yaxis={**_PERCENT_AXIS, "title": {"text": word("border.share_axis", km=km_text(km))}})
    return _finish(fig, top, height, source_h)


def _counted(table: pd.DataFrame) -> pd.DataFrame:
    return table.loc[table["border"].isin(list(BORDERS))].assign(period=lambda t: t["period"].astype(str))


def band_share_chart(
    table: pd.DataFrame,
    *,
    bands: Sequence[float],
    periods: Sequence[str],
    text: FigureText,
    highlight: str | None = None,
    height: int = 480,
) -> go.Figure:
    """
    Per year, the share (%) of events (left) and of fatalities (right) in each distance band.

    Parameters
    ----------
    table
        :func:`geo.borders.border_table` rows of one source, period "year".
    bands
        The table's band edges.
    periods, text, highlight, height
        As in :func:`share_chart`.

    Returns
    -------
    Stacked bars (nearest band at the bottom) on fixed 0–100 % axes, one bar trace per band and panel.
    """
    periods = [str(p) for p in periods]
    labels = band_labels(tuple(float(b) for b in bands))
    colours = band_colours(bands)
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05,
                        subplot_titles=(word("metric.events"), word("metric.fatalities")))
    top, source_h = apply_text(fig, text, height=height, width=80)
    counted = _counted(table)
    if counted.empty:
        no_data_annotation(fig, word("border.no_events"))
    for col, column in ((1, "events"), (2, "fatalities")):
        grid = counted.pivot_table(index="period", columns="band", values=column, aggfunc="sum", fill_value=0)
        grid = grid.reindex(index=periods, columns=labels).fillna(0)
        totals = grid.sum(axis=1).replace(0, np.nan)
        for label in labels:
            share = (grid[label] / totals * 100).round(1)
            fig.add_trace(go.Bar(
                x=periods, y=share.tolist(), name=_band_text(label), legendgroup=label, showlegend=col == 1,
                marker={"color": colours[label]}, customdata=grid[label].astype(int).tolist(),
                hovertemplate=f"{plain(_band_text(label))}: %{{y:.0f}} % (%{{customdata:,}} {plain(word('border.' + column))})<extra></extra>",
            ), row=1, col=col)
        _highlight(fig, periods, highlight, row=1, col=col)
    fig.update_layout(barmode="stack")
    fig.update_xaxes(_category_axis(periods))
    fig.update_yaxes(_PERCENT_AXIS)
    fig.update_yaxes(title={"text": word("border.year_share_axis")}, row=1, col=1)
    return _finish(fig, top + 10, height, source_h, legend_title=word("border.band_legend"))


def segment_share_chart(
    table: pd.DataFrame,
    *,
    km: float,
    bands: Sequence[float],
    periods: Sequence[str],
    text: FigureText,
    highlight: str | None = None,
    height: int = 480,
) -> go.Figure:
    """Per year and border segment (ML–BF, ML–NE, BF–NE), the share (%) of all events (left) and fatalities (right) of the three countries that lie within `km` of that segment; the three add up to the total of :func:`share_chart`.

    Parameters
    ----------
    table
        :func:`geo.borders.border_table` rows of one source, period "year".
    km
        A band edge of `bands`.
    bands, periods, text, highlight, height
        As in :func:`band_share_chart`.

    Returns
    -------
    go.Figure
        Per year and border segment (ML–BF, ML–NE, BF–NE), the share (%) of all events (left) and fatalities (right)
        of the three countries that lie within `km` of that segment; the three add up to the total of
        :func:`share_chart`.
    """
    periods = [str(p) for p in periods]
    labels = band_labels(tuple(float(b) for b in bands))
    inner = labels[: list(float(b) for b in bands).index(float(km)) + 1]
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.05,
                        subplot_titles=(word("metric.events"), word("metric.fatalities")))
    top, source_h = apply_text(fig, text, height=height, width=80)
    counted = _counted(table)
    if counted.empty:
        no_data_annotation(fig, word("border.no_events"))
    top_value = 0.0
    for col, column in ((1, "events"), (2, "fatalities")):
        totals = counted.groupby("period")[column].sum().reindex(periods).replace(0, np.nan)
        near = counted.loc[counted["band"].isin(inner)].pivot_table(
            index="period", columns="border", values=column, aggfunc="sum", fill_value=0,
        ).reindex(index=periods, columns=list(BORDERS)).fillna(0)
        for border in BORDERS:
            share = (near[border] / totals * 100).round(1)
            top_value = max(top_value, float(share.max()) if share.notna().any() else 0.0)
            fig.add_trace(go.Scatter(
                x=periods, y=share.tolist(), name=f"{border} ({border_name(border)})", legendgroup=border,
                showlegend=col == 1, mode="lines+markers", line={"color": SEGMENT_COLOURS[border], "width": 2.5},
                marker={"size": 6}, customdata=near[border].astype(int).tolist(),
                hovertemplate=f"{border}: %{{y:.0f}} % (%{{customdata:,}} {plain(word('border.' + column))})<extra></extra>",
            ), row=1, col=col)
        _highlight(fig, periods, highlight, row=1, col=col)
    fig.update_xaxes(_category_axis(periods))
    # Fixed axis: a multiple of 10 % above the largest share (never the 0-100 of the totals: too flat to read).
    ceiling = float(min(100, max(20, 10 * np.ceil(top_value / 10 + 0.5))))
    fig.update_yaxes(range=[0, ceiling], ticksuffix=" %", fixedrange=True)
    fig.update_yaxes(title={"text": word("border.segment_axis", km=km_text(km))}, row=1, col=1)
    return _finish(fig, top + 10, height, source_h, legend_title=word("border.segment_legend"))


def pairs_chart(
    pairs: pd.DataFrame,
    *,
    periods: Sequence[str],
    text: FigureText,
    max_km: float,
    max_days: int,
    highlight: str | None = None,
    height: int = 480,
) -> go.Figure:
    """Cross-border pairs per year (year of the earlier event), stacked by whether both events share an actor.

    Parameters
    ----------
    pairs
        :func:`geo.borders.cross_border_pairs` rows.
    periods
        Years on the x axis (years without pairs show 0).
    max_km, max_days
        The pair thresholds (in labels).
    text, highlight, height
        As in :func:`share_chart`.

    Returns
    -------
    go.Figure
        Cross-border pairs per year (year of the earlier event), stacked by whether both events share an actor.
    """
    periods = [str(p) for p in periods]
    fig = go.Figure()
    top, source_h = apply_text(fig, text, height=height, width=80)
    year = pd.to_datetime(pairs["date_a"]).dt.year.astype(str) if len(pairs) else pd.Series(dtype=str)
    shared = pairs["shared_actor"].astype(str) != "" if len(pairs) else pd.Series(dtype=bool)
    for mask, name, colour in ((shared, word("border.same_actor"), PAIR_COLOUR),
                               (~shared, word("border.no_common_actor"), "#bcaed6")):
        counts = year[mask].value_counts().reindex(periods, fill_value=0) if len(pairs) else pd.Series(0, index=periods)
        fig.add_trace(go.Bar(x=periods, y=counts.astype(int).tolist(), name=name, marker={"color": colour},
                             hovertemplate=f"{plain(name)}: %{{y:,}} {plain(word('border.pairs'))}<extra></extra>"))
    if not len(pairs):
        no_data_annotation(fig, word("border.no_pairs"))
    _highlight(fig, periods, highlight)
    fig.update_layout(
        barmode="stack", xaxis=_category_axis(periods),
        yaxis={"title": {"text": word("border.pairs_axis", km=km_text(max_km), days=max_days)}, "rangemode": "tozero",
               "tickformat": ",", "fixedrange": True},
    )
    return _finish(fig, top, height, source_h)


def actor_options(actors: pd.DataFrame) -> list[str]:
    """Actors of :func:`geo.borders.cross_border_actors` (one source), most events first.

    Parameters
    ----------
    actors
        Cross-border actors of one source.

    Returns
    -------
    list[str]
        The actors' names, most events first.
    """
    if actors.empty:
        return []
    totals = actors.groupby("actor")["events"].sum()
    return sorted(totals.index, key=lambda a: (-int(totals[a]), str(a)))


def actor_footprint(events: pd.DataFrame, placements: pd.DataFrame, actor: str, *, periods: Sequence[str]) -> pd.DataFrame:
    """
    Events of one actor (as actor1 or actor2, counted once) per year in Mali, Burkina Faso and Niger.

    Parameters
    ----------
    events, placements
        Filtered events of one source and their placements (the country is the spatial one, as in
        :func:`geo.borders.cross_border_actors`).
    actor
        Exact actor name.
    periods
        Years of the rows (years without events are 0).

    Returns
    -------
    DataFrame indexed by period (str) with columns MLI, BFA, NER (ints).
    """
    periods = [str(p) for p in periods]
    involved = (events["actor1"] == actor) | (events["actor2"] == actor)
    country = placements.loc[involved, "unit_country_iso3"]
    year = events.loc[involved, "event_date"].dt.year.astype(str)
    counts = pd.crosstab(year, country) if involved.any() else pd.DataFrame()
    return counts.reindex(index=periods, columns=list(CORE_COUNTRIES)).fillna(0).astype(int).rename_axis(index="period", columns=None)


def actor_footprint_chart(
    footprint: pd.DataFrame,
    *,
    actor: str,
    text: FigureText,
    highlight: str | None = None,
    height: int = 480,
) -> go.Figure:
    """An actor's events per country and year, as grouped bars (one colour per country).

    Parameters
    ----------
    footprint
        :func:`actor_footprint`.
    actor
        The actor's name (in the hover text; escaped).
    text, highlight, height
        As in :func:`share_chart`.

    Returns
    -------
    go.Figure
        An actor's events per country and year, as grouped bars (one colour per country).
    """
    periods = [str(p) for p in footprint.index]
    fig = go.Figure()
    top, source_h = apply_text(fig, text, height=height, width=80)
    name = plain(actor)
    for iso in CORE_COUNTRIES:
        values = footprint[iso].astype(int).tolist() if iso in footprint else [0] * len(periods)
        country = plain(country_name(iso))
        fig.add_trace(go.Bar(x=periods, y=values, name=country, marker={"color": COUNTRY_COLOURS[iso]},
                             hovertemplate=f"{country}: %{{y:,}} {plain(word('border.events'))}<extra>{name}</extra>"))
    if not footprint.to_numpy().sum():
        no_data_annotation(fig, word("border.no_actor_events"))
    _highlight(fig, periods, highlight)
    fig.update_layout(
        barmode="group", xaxis=_category_axis(periods),
        yaxis={"title": {"text": word("border.actor_axis")}, "rangemode": "tozero", "tickformat": ",", "fixedrange": True},
    )
    return _finish(fig, top, height, source_h, legend_title=word("group.country"))


# ---------------------------------------------------------------------------------------------- map


def _rounded(geometry: shapely.Geometry) -> shapely.Geometry:
    """Coordinates rounded to 4 decimals (about 11 m) to keep what goes to the browser small."""
    return shapely.transform(geometry, lambda xy: np.round(xy, 4))


def _line_coordinates(geometries: Sequence[shapely.Geometry]) -> tuple[list[float | None], list[float | None]]:
    """Longitudes and latitudes of lines (and polygon outlines) with None between parts, for plotly."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for geometry in geometries:
        if geometry is None or geometry.is_empty:
            continue
        if geometry.geom_type in ("Polygon", "MultiPolygon"):
            geometry = geometry.boundary
        for part in shapely.get_parts(shapely.line_merge(geometry) if geometry.geom_type == "MultiLineString" else geometry):
            coords = np.round(shapely.get_coordinates(part), 4)
            lons += [*coords[:, 0].tolist(), None]
            lats += [*coords[:, 1].tolist(), None]
    return lons, lats


def _escaped(values: pd.Series, empty: str = "") -> np.ndarray:
    """Escaped text of a column as an object array (each distinct value escaped once: names repeat a lot)."""
    text = values.astype(object).where(values.notna(), "").astype(str)
    unique = pd.unique(text)
    return text.map(dict(zip(unique, (plain(v) if v else empty for v in unique)))).to_numpy(dtype=object)


def _event_hover(events: pd.DataFrame, located: pd.DataFrame) -> np.ndarray:
    """Hover text of each event (escaped), built column-wise."""
    if not len(events):
        return np.array([], dtype=object)
    date = format_dates(events["event_date"]).replace("", word("popup.date_unknown")).map(plain).to_numpy(dtype=object)
    kind = _escaped(events["event_type"].map(category, na_action="ignore"), word("popup.event"))
    a1, a2 = _escaped(events["actor1"]), _escaped(events["actor2"])
    unknown_actors = plain(word("border.actors_unknown"))
    actors = np.where((a1 != "") & (a2 != ""), a1 + plain(word("popup.vs")) + a2, np.where(a1 != "", a1, np.where(a2 != "", a2, unknown_actors)))
    fatalities = pd.to_numeric(events["fatalities"], errors="coerce")
    deaths = np.where(fatalities.isna(), word("border.unknown"), fatalities.fillna(0).round().astype("int64").astype(str)).astype(object)
    place = _escaped(events["location"], word("border.place_unknown"))
    km = located["distance_km"].fillna(0).round().astype("int64").astype(str).to_numpy(dtype=object)
    border = _escaped(located["border"])
    bands = located["band"].astype(str)
    band = bands.map({b: plain(_band_text(b)) for b in pd.unique(bands)}).to_numpy(dtype=object)
    fatalities_word = plain(word("popup.fatalities"))
    return ("<b>" + date + "</b> · " + kind + "<br>" + actors + "<br>" + fatalities_word + ": " + deaths + " · " + place
            + "<br>" + km + plain(word("border.km_from")) + border + plain(word("border.border_band")) + band + ")")


def _cell_hover(bins: pd.DataFrame, cell_deg: float | None) -> np.ndarray:
    """Hover text of each density cell: its events and fatalities, year and band (numbers only: nothing to escape)."""
    if not len(bins):
        return np.array([], dtype=object)
    size = plain(word("border.cell", cell=km_text(cell_deg)) if cell_deg else word("border.a_cell"))
    events = bins["events"].astype(int).map(format_count).to_numpy(dtype=object)
    deaths = bins["fatalities"].astype(int).map(format_count).to_numpy(dtype=object)
    band = bins["band"].astype(str).map(lambda b: plain(_band_text(b))).to_numpy(dtype=object)
    year = bins["year"].astype(int).astype(str).to_numpy(dtype=object)
    return ("<b>" + events + plain(word("border.events_word")) + "</b>, " + deaths + plain(word("border.fatalities_word"))
            + "<br>" + year + ", " + size + ", " + band)


def _pair_hover(pairs: pd.DataFrame) -> list[str]:
    out = []
    days_a, days_b = format_dates(pairs["date_a"]).tolist(), format_dates(pairs["date_b"]).tolist()
    for row, day_a, day_b in zip(pairs.itertuples(index=False), days_a, days_b):
        actor = f"<br>{plain(word('border.shared_actor', actor=row.shared_actor))}" if row.shared_actor else ""
        apart = plural("border.apart", row.days, km=format_number(row.distance_km, significant=3), days=row.days)
        out.append(
            f"<b>{plain(word('border.pair'))}</b><br>{plain(country_name(row.country_a))} "
            f"{plain(day_a)} ↔ {plain(country_name(row.country_b))} "
            f"{plain(day_b)}<br>{plain(apart)}"
            + actor
        )
    return out


@dataclass
class _BorderMapData:
    """The data step's result: plain values, before any figure.

    The static layers as plotly trace dicts, the map's extent, every point and pair with its year, and the context
    outline.
    """

    labels: list[str]  # band labels, nearest first
    colours: dict[str, str]
    static: list[dict[str, Any]]  # band shading, tri-border zone, border casing and lines
    view: np.ndarray  # west, south, east, north of the view
    point_year: np.ndarray
    point_band: np.ndarray
    point_lon: np.ndarray
    point_lat: np.ndarray
    hover: np.ndarray
    sizes: np.ndarray
    point_weight: np.ndarray
    points: int  # points drawn in all
    pair_year: np.ndarray
    pair_coords: np.ndarray
    pair_km: np.ndarray
    context: dict[str, Any] | None  # the countries' outlines as a MapLibre line layer


def _check_border_map(events: pd.DataFrame, located: pd.DataFrame, pairs: pd.DataFrame, *, selected: tuple[int, int],
                      bins: pd.DataFrame | None) -> None:
    """The check step: every problem of the arguments at once, as one ValueError."""
    problems = []
    if bins is not None:
        missing = [c for c in ("year", "band", "longitude", "latitude", "events") if c not in bins.columns]
        if missing:
            problems.append(f"bins has no column {', '.join(missing)}")
    else:
        if "band" not in located.columns:
            problems.append("located has no column band (geo.borders.event_borders)")
        if len(located) != len(events):
            problems.append(f"located has {len(located)} rows for {len(events)} events (one row per event)")
    if len(pairs):
        missing = [c for c in ("date_a", "lon_a", "lat_a", "lon_b", "lat_b", "distance_km") if c not in pairs.columns]
        if missing:
            problems.append(f"pairs has no column {', '.join(missing)}")
    if int(selected[0]) > int(selected[1]):
        problems.append(f"selected years {selected[0]}–{selected[1]} end before they start")
    if problems:
        raise ValueError("; ".join(problems))


def _border_map_data(
    geometry: BorderGeometry, band_shapes: gpd.GeoDataFrame, tri_zone: shapely.Geometry, events: pd.DataFrame,
    located: pd.DataFrame, pairs: pd.DataFrame, *, bands: Sequence[float], countries: gpd.GeoDataFrame | None,
    tri_radius_km: float, bins: pd.DataFrame | None, cell_deg: float | None,
) -> _BorderMapData:
    """The data step: static layers, the extent, each point's year, band, place, hover text and size, each pair's."""
    labels = band_labels(tuple(float(b) for b in bands))
    colours = band_colours(bands)
    # Traces are plain dicts, and the figure is built without plotly's validation: validating the frames' tens of
    # thousands of points took over a second on every rerun.
    static: list[dict[str, Any]] = []
    shapes = band_shapes.to_crs(GEOGRAPHIC_CRS) if band_shapes.crs is not None else band_shapes
    for row in shapes.itertuples(index=False):
        if row.geometry is None or row.geometry.is_empty:
            continue
        colour = colours.get(row.band, OUTER_BAND_COLOUR)
        feature = {"type": "Feature", "id": row.band, "properties": {},
                   "geometry": shapely.geometry.mapping(_rounded(row.geometry))}
        static.append({
            "type": "choroplethmap", "geojson": {"type": "FeatureCollection", "features": [feature]},
            "locations": [row.band], "z": [1], "colorscale": [[0, colour], [1, colour]], "showscale": False,
            "marker": {"opacity": 0.22, "line": {"width": 0}}, "hoverinfo": "skip",
            "name": word("border.within_band", band=_band_text(row.band)), "showlegend": False, "meta": f"band:{row.band}",
        })
    zone_lon, zone_lat = _line_coordinates([tri_zone])
    static.append({
        "type": "scattermap", "lon": zone_lon, "lat": zone_lat, "mode": "lines", "line": {"color": TRI_COLOUR, "width": 2.5},
        "name": word("border.tri_zone", km=km_text(tri_radius_km)), "hoverinfo": "skip", "meta": "tri-zone",
    })
    lines = geometry.lines.to_crs(GEOGRAPHIC_CRS)
    casing_lon, casing_lat = _line_coordinates(list(lines.geometry))
    static.append({"type": "scattermap", "lon": casing_lon, "lat": casing_lat, "mode": "lines",
                   "line": {"color": _CASING, "width": 9}, "hoverinfo": "skip", "showlegend": False, "meta": "border-casing"})
    lengths = geometry.lines.to_crs(geometry.crs).length.to_numpy() / 1000
    for i, (row, length) in enumerate(zip(lines.itertuples(index=False), lengths)):
        lon, lat = _line_coordinates([row.geometry])
        static.append({
            "type": "scattermap", "lon": lon, "lat": lat, "mode": "lines", "line": {"color": BORDER_COLOUR, "width": 5},
            "name": word("border.shared"), "legendgroup": "border", "showlegend": i == 0, "meta": f"border:{row.border}",
            "hovertemplate": f"<b>{plain(word('border.named', name=border_name(row.border)))}</b> "
                             f"({plain(row.border)})<br>{plain(word('border.length', km=format_count(length)))}<extra></extra>",
        })
    # No text labels on the map: MapLibre draws text with glyphs fetched from a font server (not offline).
    # The legend and the borders' hover text name them; the view is the bands' extent plus a margin.
    view = shapes.total_bounds if len(shapes) else lines.total_bounds
    view = np.array([view[0] - 1.0, view[1] - 1.0, view[2] + 1.0, view[3] + 1.0])

    if bins is not None:
        points = bins.loc[bins["band"].isin(labels)]
        point_year = points["year"].to_numpy(int)
        point_band = points["band"].to_numpy(dtype=object)
        point_lon = points["longitude"].to_numpy(float).round(4)
        point_lat = points["latitude"].to_numpy(float).round(4)
        counts = points["events"].to_numpy(int)
        hover = _cell_hover(points, cell_deg).astype(str)
        sizes = np.round(5 + np.minimum(16, 2.2 * np.sqrt(counts)), 1)
        point_weight = counts
    else:
        shown = located["band"].isin(labels).to_numpy()
        points = events.loc[shown]
        where = located.loc[shown]
        point_year = points["event_date"].dt.year.to_numpy()
        point_band = where["band"].to_numpy()
        point_lon = points["longitude"].to_numpy(float).round(4)
        point_lat = points["latitude"].to_numpy(float).round(4)
        hover = _event_hover(points, where).astype(str)
        sizes = np.round(5 + np.minimum(7, np.sqrt(points["fatalities"].fillna(0).clip(lower=0).to_numpy(float))), 1)
        point_weight = np.ones(len(points), dtype=int)
    context = None
    if countries is not None and len(countries):
        outline = shapely.union_all([g.boundary for g in countries.geometry if g is not None and not g.is_empty])
        # Thin context lines, simplified to ~2 km and rounded to ~100 m.
        outline = shapely.simplify(shapely.line_merge(outline), 0.02)  # merged first: a 2-point piece cannot be simplified
        outline = shapely.transform(outline, lambda xy: np.round(xy, 3))
        context = {"sourcetype": "geojson", "source": shapely.geometry.mapping(outline),
                   "type": "line", "color": "#7a7a7a", "line": {"width": 1.0}, "below": "traces"}
    return _BorderMapData(
        labels=labels, colours=colours, static=static, view=view, point_year=point_year, point_band=point_band,
        point_lon=point_lon, point_lat=point_lat, hover=hover, sizes=sizes, point_weight=point_weight, points=len(points),
        pair_year=pd.to_datetime(pairs["date_a"]).dt.year.to_numpy() if len(pairs) else np.array([], dtype=int),
        pair_coords=pairs[["lon_a", "lat_a", "lon_b", "lat_b"]].to_numpy(float).round(4) if len(pairs) else np.empty((0, 4)),
        pair_km=pairs["distance_km"].to_numpy(float) if len(pairs) else np.empty(0), context=context,
    )


def _draw_border_map(data: _BorderMapData, pairs: pd.DataFrame, *, years: Sequence[int], selected: tuple[int, int],
                     text: FigureText, pair_label: str, height: int) -> go.Figure:
    """The drawing step: the animated traces per year (events by band, then the pairs), the frames and the layout."""
    years = [int(y) for y in years]
    year_from, year_to = (int(selected[0]), int(selected[1]))
    labels, colours = data.labels, data.colours
    lines_per_view = pair_lines_per_view(len(years))
    traces_before = list(data.static)
    first_dynamic = len(traces_before)

    def dynamic(low: int, high: int) -> list[dict[str, Any]]:
        traces = []
        pick_year = (data.point_year >= low) & (data.point_year <= high)
        for label in labels:
            pick = pick_year & (data.point_band == label)
            traces.append({
                # numpy arrays: plotly copies them whole (lists are checked item by item) and sends numbers packed
                "type": "scattermap", "lon": data.point_lon[pick], "lat": data.point_lat[pick],
                "hovertext": data.hover[pick], "marker": {"size": data.sizes[pick]},
                "name": word("border.events_in_band", band=_band_text(label), n=format_count(data.point_weight[pick].sum())),
            })
        pick = (data.pair_year >= low) & (data.pair_year <= high)
        lon: list[float | None] = []
        lat: list[float | None] = []
        hovertext: list[str | None] = []
        # A share of MAX_PAIR_LINES per view (the shortest pairs first): the legend keeps the full count.
        drawn = np.flatnonzero(pick)
        if len(drawn) > lines_per_view:
            drawn = drawn[np.argsort(data.pair_km[drawn], kind="stable")[:lines_per_view]]
        # Hover texts of the pairs drawn only (there may be many more pairs than lines).
        for (lon_a, lat_a, lon_b, lat_b), label in zip(data.pair_coords[drawn].tolist(), _pair_hover(pairs.iloc[drawn])):
            lon += [lon_a, lon_b, None]
            lat += [lat_a, lat_b, None]
            hovertext += [label, label, None]
        traces.append({"type": "scattermap", "lon": lon, "lat": lat, "hovertext": hovertext,
                       "name": f"{plain(pair_label or word('border.pair'))} ({format_count(pick.sum())})"})
        return traces

    range_label = f"{year_from}–{year_to}" if year_from != year_to else str(year_from)
    initial = dynamic(year_from, year_to)
    traces = traces_before
    for label, trace in zip(labels, initial[:-1]):
        traces.append({**trace, "mode": "markers", "hoverinfo": "text", "meta": f"events:{label}",
                       "marker": {**trace["marker"], "color": colours[label], "opacity": 0.85}})
    traces.append({**initial[-1], "mode": "lines+markers", "line": {"color": PAIR_COLOUR, "width": 2.2},
                   "marker": {"size": 4, "color": PAIR_COLOUR}, "hoverinfo": "text", "meta": "pairs"})
    animated = list(range(first_dynamic, len(traces)))
    frame_names = [str(y) for y in years]
    frames = [{"name": str(y), "data": dynamic(y, y), "traces": animated} for y in years]
    if range_label not in frame_names:  # a range of years: its own first frame, so the slider can come back to it
        frames.insert(0, {"name": range_label, "data": initial, "traces": animated})
    fig = go.Figure(data=traces, frames=frames, _validate=False)

    top, source_h = apply_text(fig, text, height=height)
    bottom = (90 if len(frames) > 1 else 16) + source_h
    top += 58  # the legend, in two rows between the filter line and the map: it covers no part of the map
    # Fitted for a map about 1,000 px wide (the page beside the sidebar on a laptop); wider screens show more around it.
    centre, zoom = fit_view(data.view, 1000, height - top - bottom)
    finish(fig, height=height, top=top, bottom=bottom, left=10, right=10)
    fig.update_layout(
        map={"style": "white-bg", "center": centre, "zoom": zoom, "layers": [data.context] if data.context else []},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom", "font": {"size": 12},
                "entrywidth": 0, "tracegroupgap": 0, "itemwidth": 30},
        showlegend=True,
    )
    if not data.points:
        no_data_annotation(fig, word("border.no_events"))
    if len(frames) > 1:
        names = [f["name"] for f in frames]
        active = names.index(range_label) if range_label in names else 0
        add_play_controls(fig, names, prefix=f"{word('chart.year')}: ", frame_ms=1400, play_names=frame_names,
                          from_current=False, active=active)
    return fig


def border_map(
    geometry: BorderGeometry,
    band_shapes: gpd.GeoDataFrame,
    tri_zone: shapely.Geometry,
    events: pd.DataFrame,
    located: pd.DataFrame,
    pairs: pd.DataFrame,
    *,
    bands: Sequence[float],
    years: Sequence[int],
    selected: tuple[int, int],
    text: FigureText,
    countries: gpd.GeoDataFrame | None = None,
    tri_radius_km: float = 100.0,
    pair_label: str = "",
    height: int = 760,
    bins: pd.DataFrame | None = None,
    cell_deg: float | None = None,
) -> go.Figure:
    """The borders map: shared borders in bold, distance bands shaded, the tri-border zone outlined, events coloured by band and cross-border pairs as lines, with one animation frame per year.

    Parameters
    ----------
    geometry
        :func:`geo.borders.shared_borders`.
    band_shapes
        :func:`geo.borders.band_polygons` (band, geometry in EPSG:4326).
    tri_zone
        :func:`geo.borders.tri_border_zone`.
    events
        Filtered events of one source over every year of `years` (canonical columns).
    located
        :func:`geo.borders.event_borders` rows of those events (same index). Events outside the three
        countries or too imprecise for a distance (band "n/a") are not drawn.
    pairs
        :func:`geo.borders.cross_border_pairs` of those events; a pair belongs to the year of its earlier event.
    bins
        Instead of `events` (too many to send to a browser): events and fatalities per grid cell, year and
        band (`geo.query.binned_events` with `by_year` and `bands`), drawn as one marker per cell sized by
        its events. `events` and `located` are then ignored.
    cell_deg
        Side of the cells of `bins`, in degrees (for the hover text).
    bands
        Band edges (km).
    years
        The years of the animation frames, in order.
    selected
        (year_from, year_to) shown first. One year of `years` starts on its frame; a range adds a first
        frame named like "2018–2020" with all its years together.
    text
        Title, filter line, source line and watermark, drawn inside the figure.
    countries
        :func:`geo.figures.geometry.display_countries`, drawn as thin outlines (context).
    tri_radius_km
        Radius of the zone (in its label).
    pair_label
        Legend label of the pair lines (say the thresholds).
    height
        Figure height in pixels.

    Returns
    -------
    A figure whose static traces (band shading, tri-border zone, border casing and lines, labels) come
    first, then one marker trace per band and the pair-line trace; frames carry only those last traces,
    the map view and the legend stay fixed. Trace names: "band:<label>", "tri-zone", "border:<code>",
    "events:<label>", "pairs" (in `meta`, for tests and the page).
    """
    _check_border_map(events, located, pairs, selected=selected, bins=bins)
    data = _border_map_data(geometry, band_shapes, tri_zone, events, located, pairs, bands=bands, countries=countries,
                            tri_radius_km=tri_radius_km, bins=bins, cell_deg=cell_deg)
    return _draw_border_map(data, pairs, years=years, selected=selected, text=text, pair_label=pair_label, height=height)


# ---------------------------------------------------------------------------------------------- folium


class _OverlayLegend(MacroElement):
    """A small legend (bottom right) of the border overlay; its HTML is escaped in Python."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: "bottomright"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "atlas-border-legend");
                div.innerHTML = {{ this.html_json }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, legend: str) -> None:
        super().__init__()
        self._name = "AtlasBorderLegend"
        self.html_json = script_json(legend)


def _line_swatch(colour: str, width: float, dash: str | None = None) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (f'<svg width="22" height="12" style="vertical-align:-2px;margin-right:6px" aria-hidden="true">'
            f'<line x1="1" y1="6" x2="21" y2="6" stroke="{colour}" stroke-width="{width}"{dash_attr}/></svg>')


def border_overlay_layers(
    geometry: BorderGeometry,
    bands_gdf: gpd.GeoDataFrame,
    tri_zone: shapely.Geometry,
    *,
    tri_radius_km: float = 100.0,
    legend: bool = True,
) -> list[Any]:
    """
    The shared borders, distance bands and tri-border zone as folium layers over a choropleth.

    Pass the result as ``extra_layers=`` to :func:`geo.figures.choropleth.choropleth_map`. Bands are drawn as dotted
    purple outlines with a faint fill (a coloured fill would change the choropleth's classes); they and the
    zone do not react to the mouse, so the units beneath keep their tooltips and clicks. The borders have
    an (escaped) tooltip with their name and length.

    Parameters
    ----------
    geometry
        :func:`geo.borders.shared_borders`.
    bands_gdf
        :func:`geo.borders.band_polygons`.
    tri_zone
        :func:`geo.borders.tri_border_zone`.
    tri_radius_km
        Radius of the zone (in its name).
    legend
        Add a small legend control (bottom right) for the three layers.

    Returns
    -------
    list
        Three :class:`folium.FeatureGroup` (distance bands, tri-border zone, shared borders; SVG paths of
        class ``atlas-border-band``, ``atlas-tri-zone`` and ``atlas-shared-border``), then the legend
        element when asked for.
    """
    esc = html.escape
    shapes = bands_gdf.to_crs(GEOGRAPHIC_CRS) if bands_gdf.crs is not None else bands_gdf
    edges = [label.split("-")[-1] for label in shapes["band"]]
    n = max(len(shapes), 1)
    band_group = folium.FeatureGroup(name=word("border.layer_bands"), overlay=True, control=True)
    features = []
    for i, row in enumerate(shapes.itertuples(index=False)):
        if row.geometry is None or row.geometry.is_empty:
            continue
        features.append({
            "type": "Feature", "id": f"band-{i}",
            "properties": {"band": str(row.band), "weight": round(2.2 - 1.0 * i / n, 2),
                           "fill_opacity": round(0.12 * (1 - i / n) + 0.02, 3)},
            "geometry": shapely.geometry.mapping(_rounded(row.geometry)),
        })
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features}, name="Distance bands",
        style_function=lambda f: {"color": _OVERLAY_BAND_COLOUR, "weight": f["properties"]["weight"], "dashArray": "2 5",
                                  "fillColor": _OVERLAY_BAND_COLOUR, "fillOpacity": f["properties"]["fill_opacity"],
                                  "opacity": 0.9},
        interactive=False, class_name="atlas-border-band", control=False,
    ).add_to(band_group)

    zone_group = folium.FeatureGroup(name=word("border.tri_zone", km=km_text(tri_radius_km)), overlay=True, control=True)
    folium.GeoJson(
        {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(_rounded(tri_zone))},
        name="Tri-border zone",
        style_function=lambda _f: {"fill": False, "color": TRI_COLOUR, "weight": 2.4, "dashArray": "9 6", "opacity": 1},
        interactive=False, class_name="atlas-tri-zone", control=False,
    ).add_to(zone_group)

    border_group = folium.FeatureGroup(name=word("border.layer_borders"), overlay=True, control=True)
    lines = geometry.lines.to_crs(GEOGRAPHIC_CRS)
    lengths = geometry.lines.to_crs(geometry.crs).length.to_numpy() / 1000
    border_features = []
    for i, (row, length) in enumerate(zip(lines.itertuples(index=False), lengths)):
        name = border_name(str(row.border))
        border_features.append({
            "type": "Feature", "id": f"border-{i}",  # no text from the data outside the escaped tooltip
            "properties": {"tooltip": f"<b>{esc(word('border.named', name=name))}</b> ({esc(str(row.border))})<br>"
                                      f"{esc(word('border.length', km=format_count(length)))}"},
            "geometry": shapely.geometry.mapping(_rounded(row.geometry)),
        })
    collection = {"type": "FeatureCollection", "features": border_features}
    folium.GeoJson(collection, name="Shared border casing", interactive=False, class_name="atlas-shared-border-casing",
                   style_function=lambda _f: {"color": _CASING, "weight": 8, "opacity": 0.9}, control=False).add_to(border_group)
    folium.GeoJson(
        collection, name="Shared border lines", class_name="atlas-shared-border", control=False,
        style_function=lambda _f: {"color": BORDER_COLOUR, "weight": 4.5, "opacity": 1},
        highlight_function=lambda _f: {"weight": 6.5},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
    ).add_to(border_group)

    layers: list[Any] = [band_group, zone_group, border_group]
    if legend:
        rows = [
            (_line_swatch(BORDER_COLOUR, 4.5), word("border.legend_border")),
            (_line_swatch(_OVERLAY_BAND_COLOUR, 2, "2 3"), word("border.legend_bands", edges=", ".join(edges))),
            (_line_swatch(TRI_COLOUR, 2.4, "6 4"), word("border.tri_zone", km=km_text(tri_radius_km))),
        ]
        body = "".join(f'<div style="white-space:nowrap">{swatch}{esc(text)}</div>' for swatch, text in rows)
        layers.append(_OverlayLegend(
            '<div style="background:rgba(255,255,255,0.94);padding:6px 9px;border-radius:4px;'
            'box-shadow:0 1px 5px rgba(0,0,0,0.35);font:12px/1.5 Arial,sans-serif;color:#222">'
            f'<div style="font-weight:700">{esc(word("border.layer_borders"))}</div>{body}</div>'
        ))
    return layers
