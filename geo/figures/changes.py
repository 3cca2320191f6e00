"""Figures of the Changes view: the net change per unit split by kind (maps), and per period (bars).

Plain plotly, no Streamlit; maps are `choroplethmap` (MapLibre) with the "white-bg" style, which needs no tiles
and works offline (as `geo.charts`). Each figure carries its title and caption line inside, so an export
explains itself. The kinds (new events, backfill, revisions, deletions) add up to the net change exactly.
"""

from __future__ import annotations

import html
import math
import textwrap

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.subplots import make_subplots

from ..join import OUTSIDE_CODE, UNALLOCATED_CODE
from .geometry import to_geojson
from .style import country_name, format_count, format_signed, plotly_separators, word

#: The kinds of change, in order; their names are `kind_name` (words "changes.kind.<kind>").
KINDS = ("new", "backfilled", "revisions", "deleted")
#: Their colours (Paul Tol's "bright" scheme: colour-blind safe).
KIND_COLOURS = {"new": "#EE6677", "backfilled": "#CCBB44", "revisions": "#AA3377", "deleted": "#4477AA"}
#: Diverging scale: falls blue, rises red, no change white.
CHANGE_SCALE = "RdBu_r"
_FONT = "Open Sans, Liberation Sans, DejaVu Sans, Arial, sans-serif"


def kind_name(kind: str) -> str:
    """A kind of change for a figure's reader ("New events", "Backfill (late reports)").

    Parameters
    ----------
    kind
        The kind ("new", "backfilled", "revised", "deleted").

    Returns
    -------
    str
        A kind of change for a figure's reader ("New events", "Backfill (late reports)").
    """
    return word(f"changes.kind.{kind}")


def _plain(text: object) -> str:
    return html.escape(str(text), quote=False)


def _header(fig: go.Figure, title: str, caption: str, width: int = 150) -> int:
    lines = textwrap.wrap(caption, width) or [""]
    fig.update_layout(title={
        "text": f"<b>{_plain(title)}</b>", "x": 0.01, "xanchor": "left", "y": 0.98, "yanchor": "top", "yref": "container",
        "font": {"size": 18}, "subtitle": {"text": "<br>".join(_plain(line) for line in lines), "font": {"size": 12, "color": "#444"}},
    })
    return 52 + 16 * len(lines)


def _fit(bounds: np.ndarray, width_px: float, height_px: float) -> tuple[dict, float]:
    """Centre and zoom (web mercator, 512-px tiles) showing `bounds` in a map of about this size."""
    west, south, east, north = (float(b) for b in bounds)

    def merc(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))

    zoom_x = math.log2(width_px * 360 / (512 * max(east - west, 1e-6)))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * max(merc(north) - merc(south), 1e-9)))
    centre_lat = math.degrees(2 * math.atan(math.exp((merc(north) + merc(south)) / 2)) - math.pi / 2)
    return {"lon": (west + east) / 2, "lat": centre_lat}, round(min(zoom_x, zoom_y) - 0.2, 2)


def outline_geojson(countries: gpd.GeoDataFrame) -> dict | None:
    """The borders of countries (display outlines, `geo.figures.geometry.display_countries`) as one GeoJSON geometry.

    Parameters
    ----------
    countries
        ISO3 codes of the countries.

    Returns
    -------
    dict | None
        The borders of countries (display outlines, `geo.figures.geometry.display_countries`) as one GeoJSON geometry.
    """
    if countries is None or countries.empty:
        return None
    lines = shapely.boundary(countries.geometry.values)
    parts = [part for line in lines if line is not None and not line.is_empty for part in getattr(line, "geoms", [line])]
    return shapely.geometry.mapping(shapely.MultiLineString(parts)) if parts else None


def change_map(
    units: gpd.GeoDataFrame,
    small_units: gpd.GeoDataFrame,
    table: pd.DataFrame,
    *,
    metric_label: str,
    title: str,
    caption: str,
    outlines: dict | None = None,
    height: int = 640,
) -> go.Figure:
    """The net change per unit (a large map) and its parts by kind (four small maps), on one colour scale.

    Parameters
    ----------
    units, small_units
        Display units (`geo.figures.geometry.display_units`) for the large map, and more simplified ones for the
        small maps (the browser gets the geometry once per map).
    table
        `ui.changes.unit_changes`: unit_code, unit_name, country_iso3, change and the kinds (new,
        backfilled, revisions, deleted — negative for deletions); special rows are left out.
    metric_label
        "Events" or "Fatalities".
    outlines
        Country borders to draw over every map (`outline_geojson`).
    title
        The figure's title.
    caption
        The lines under the title (the points compared, the filters and the source).
    height
        The figure's height in pixels.

    Returns
    -------
    A figure whose colours mean the same in every map: red a rise, blue a fall, white no change. Hover gives
    each unit's figure before → after and the split.
    """
    values = table[~table["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])].set_index("unit_code")
    codes = units["unit_code"].astype(str).tolist()
    columns = ["change", "new", "backfilled", "revisions", "deleted", "before", "after"]
    data = values.reindex(codes)[columns].fillna(0).astype("int64")
    extent = float(data[["change", "new", "backfilled", "revisions", "deleted"]].abs().to_numpy().max()) if len(data) else 0.0
    extent = extent or 1.0
    names = [_plain(n) for n in units["unit_name"]]
    countries = [_plain(country_name(c)) for c in units["country_iso3"]]
    label = _plain(metric_label)
    panels = [("change", word("changes.net_change_in", metric=metric_label.lower()))] + [(k, kind_name(k)) for k in KINDS]
    fig = make_subplots(
        rows=2, cols=4, specs=[[{"type": "map", "rowspan": 2, "colspan": 2}, None, {"type": "map"}, {"type": "map"}],
                               [None, None, {"type": "map"}, {"type": "map"}]],
        subplot_titles=[_plain(name) for _, name in panels], horizontal_spacing=0.01, vertical_spacing=0.07,
    )
    positions = [(1, 1), (1, 3), (1, 4), (2, 3), (2, 4)]
    big = to_geojson(units, ["unit_code"])
    small = to_geojson(small_units, ["unit_code"])
    info = [[names[i], countries[i], *[format_signed(v) for v in data.iloc[i][["change", "new", "backfilled", "revisions", "deleted"]]],
             format_count(data.iloc[i]["before"]), format_count(data.iloc[i]["after"])] for i in range(len(codes))]
    hover = ("<b>%{customdata[0]}</b> (%{customdata[1]})<br>" + label + ": %{customdata[7]} → %{customdata[8]} "
             "(%{customdata[2]})<br>" + _plain(word("changes.hover_split", new="%{customdata[3]}", backfilled="%{customdata[4]}",
                                                   revisions="%{customdata[5]}", deleted="%{customdata[6]}"))
             + "<extra></extra>")
    for (kind, _), (row, col) in zip(panels, positions):
        fig.add_trace(go.Choroplethmap(
            geojson=big if kind == "change" else small, featureidkey="properties.unit_code", locations=codes,
            z=data[kind].tolist(), customdata=info, coloraxis="coloraxis", hovertemplate=hover, name=kind,
            marker={"line": {"color": "#999", "width": 0.4}},
        ), row=row, col=col)
    top = _header(fig, title, caption) + 28  # room for the maps' own titles
    layers = [{"sourcetype": "geojson", "source": outlines, "type": "line", "color": "#444", "line": {"width": 1.0}}] if outlines else []
    bounds = units.total_bounds
    # Sized for a figure about 1,200 px wide: the large map gets about 520 px, the small ones about 245.
    big_view = _fit(bounds, 520, height - top - 30)
    small_view = _fit(bounds, 245, (height - top) / 2 - 45)
    for index in range(1, 6):
        name = "map" if index == 1 else f"map{index}"
        centre, zoom = big_view if index == 1 else small_view
        fig.layout[name].update(style="white-bg", center=centre, zoom=zoom, layers=layers)
    fig.update_layout(
        template="plotly_white", font={"family": _FONT}, height=height, margin={"l": 10, "r": 10, "t": top, "b": 10},
        coloraxis={"cmin": -extent, "cmax": extent, "colorscale": CHANGE_SCALE,
                   "colorbar": {"title": {"text": f"{label}<br>{_plain(word('changes.colorbar'))}", "side": "top"},
                                "thickness": 12, "len": 0.6, "x": 1.0}},
        showlegend=False, separators=plotly_separators(),
    )
    return fig


def change_bars(periods: pd.DataFrame, *, metric_label: str, title: str, caption: str, height: int = 460) -> go.Figure:
    """The change per period split by kind: stacked bars (deletions and revisions that took away below zero) and the net change as markers.

    Parameters
    ----------
    periods
        `ui.changes.period_changes`: period, change, new, backfilled, revisions, deleted.
    metric_label
        The name of the metric for the axis.
    title
        The figure's title.
    caption
        The lines under the title (the points compared, the filters and the source).
    height
        The figure's height in pixels.

    Returns
    -------
    go.Figure
        The change per period split by kind: stacked bars (deletions and revisions that took away below zero) and the
        net change as markers.
    """
    fig = go.Figure()
    x = periods["period"].astype(str).tolist()
    for kind in KINDS:
        fig.add_trace(go.Bar(
            x=x, y=periods[kind].astype(int).tolist(), name=kind_name(kind), marker_color=KIND_COLOURS[kind],
            hovertemplate="%{x}: %{y:+,} " + _plain(kind_name(kind).lower()) + "<extra></extra>",
        ))
    fig.add_trace(go.Scatter(
        x=x, y=periods["change"].astype(int).tolist(), name=word("changes.net_change"), mode="markers",
        marker={"symbol": "diamond", "size": 10, "color": "#222"},
        hovertemplate="%{x}: " + _plain(word("changes.net")) + " %{y:+,}<extra></extra>",
    ))
    top = _header(fig, title, caption, width=120)
    fig.update_layout(
        template="plotly_white", font={"family": _FONT}, height=height, barmode="relative", separators=plotly_separators(),
        margin={"l": 60, "r": 20, "t": top, "b": 70},
        yaxis={"title": {"text": _plain(word("changes.axis", metric=metric_label))}, "zeroline": True, "zerolinecolor": "#444"},
        xaxis={"type": "category"}, legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0},
    )
    if not x:
        fig.add_annotation(text=_plain(word("changes.none_between")), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    return fig
