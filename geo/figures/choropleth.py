"""The interactive choropleth of one period: a folium (Leaflet) map the reader hovers, zooms and clicks.

Why folium here, when the other maps are plotly or SVG: this map is the one readers explore. A click on a
unit must reach the page (``st_folium`` returns the clicked feature, which opens the unit's trend, actors
and latest events), tooltips list every metric of the unit, event points cluster as one zooms in, and the
map works offline with Leaflet served by the app (:mod:`geo.figures.offline`). plotly's maps cannot hand a
click on a polygon back to Streamlit, and an SVG cannot be zoomed or clustered.

* :func:`choropleth_map` draws the units coloured by a :class:`~geo.figures.style.Classification` (made of the
  values of the period shown), country borders and the area of interest on top (not clickable, so clicks
  reach the units), optionally the events as clustered points or density cells, and the sample's
  watermark. The legend is not drawn on the map, where it would cover units: the page shows
  :func:`geo.figures.style.legend_html` beside it (``legend="inside"`` puts it on the map, for a standalone
  page).
* :func:`map_values` and :func:`unplaced_counts` shape aggregate rows for it.

Everything from the data (unit names, actor names, notes, titles) is HTML-escaped before it reaches the
page: folium inserts popup and tooltip text as HTML, and notes come from uploaded files. No tiles are loaded
unless asked for. No Streamlit here.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Final

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import MacroElement
from folium.template import Template

from ..join import OUTSIDE_CODE, UNALLOCATED_CODE
from .geometry import polygonal
from .style import (
    AOI_COLOR,
    BORDER_COLOR,
    COUNT_METRICS,
    FOCUS_COLOR,
    MAP_BACKGROUND,
    NEIGHBOUR_FILL,
    POINT_FILL,
    WATERMARK_COLOUR,
    WATERMARK_HALO,
    Classification,
    FigureText,
    as_float,
    category,
    country_name,
    format_count,
    format_date,
    format_metric,
    format_number,
    format_range,
    has_word,
    legend_html,
    metric_label,
    plural,
    script_json,
    word,
)

__all__ = ["choropleth_map", "cache_folium_templates", "map_values", "unplaced_counts"]

#: Columns of the ``values`` frame that become feature properties.
VALUE_COLUMNS: Final = (
    "events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities",
    "events_per_10k_km2", "snapped_events",
    # the ranges within the events' uncertainty areas (`geo.query.RANGES`)
    "events_min", "events_max", "fatalities_min", "fatalities_max", "civilian_events_min", "civilian_events_max",
    "civilian_fatalities_min", "civilian_fatalities_max",
)
#: The metrics a unit's tooltip lists (the chosen one first).
TOOLTIP_METRICS: Final = ("events", "fatalities", "civilian_events", "civilian_fatalities", "events_per_10k_km2")
_SPECIAL_CODES: Final = (OUTSIDE_CODE, UNALLOCATED_CODE)

def map_values(rows: pd.DataFrame) -> pd.DataFrame:
    """
    The ``values`` frame for :func:`choropleth_map` from :func:`geo.aggregate.aggregate` rows.

    Parameters
    ----------
    rows : DataFrame
        Aggregate rows of **one** source and **one** period.

    Returns
    -------
    DataFrame
        Indexed by unit_code, with the metric columns; the ``_OUTSIDE`` / ``_UNALLOCATED`` rows dropped.

    Raises
    ------
    ValueError
        If a unit appears twice (rows of several sources or periods).
    """
    units = rows.loc[~rows["unit_code"].isin(_SPECIAL_CODES)]
    if units["unit_code"].duplicated().any():
        raise ValueError("rows hold a unit more than once: select one source and one period first")
    columns = [c for c in VALUE_COLUMNS if c in units.columns]
    return units.set_index("unit_code")[columns]


def unplaced_counts(rows: pd.DataFrame) -> dict[str, int]:
    """
    Events per country that could not be placed in a unit (``_UNALLOCATED`` and ``_OUTSIDE`` rows).

    Parameters
    ----------
    rows : DataFrame
        Aggregate rows of one source and one period.

    Returns
    -------
    dict
        country_iso3 -> number of events (countries with none are left out).
    """
    special = rows.loc[rows["unit_code"].isin(_SPECIAL_CODES) & (rows["events"] > 0)]
    counts = special.groupby(special["country_iso3"].fillna(""))["events"].sum()
    return {str(iso3): int(n) for iso3, n in counts.items()}



# ---------------------------------------------------------------------------------------------- frame


class _MapFrame(MacroElement):
    """The map's background, the no-data hatch, the first view and (on the sample) the watermark; optionally the legend.

    Built in the map script (not the page's HTML) so that ``st_folium``, which runs the script in its own
    frame, shows it too. The view is fitted to `bounds` (the units, or a focus area) once the frame has a
    size; with the legend inside, beside it (top left) or above it (bottom left), whichever leaves the
    larger map.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var container = map.getContainer();
            container.style.background = {{ this.background_json }};
            // The hatch no-data units are filled with: defined once in the map's document.
            var defs = document.createElement("div");
            defs.innerHTML = {{ this.defs_json }};
            container.appendChild(defs.firstChild);
            {%- if this.watermark_json %}
            var mark = document.createElement("div");
            mark.className = "atlas-watermark";
            mark.textContent = {{ this.watermark_json }};
            mark.setAttribute("style", {{ this.watermark_style_json }});
            container.appendChild(mark);
            {%- endif %}
            var legend = null;
            {%- if this.legend_json %}
            legend = L.control({position: "topleft"});
            legend.onAdd = function () {
                var div = L.DomUtil.create("div", "atlas-legend-control");
                div.innerHTML = {{ this.legend_json }};
                div.style.background = "rgba(255,255,255,0.94)";
                div.style.padding = "6px 9px";
                div.style.borderRadius = "4px";
                div.style.boxShadow = "0 1px 5px rgba(0,0,0,0.35)";
                L.DomEvent.disableClickPropagation(div);
                L.DomEvent.disableScrollPropagation(div);
                return div;
            };
            legend.addTo(map);
            {%- endif %}
            // st_folium runs this before its frame has a height, and before leaflet.css has loaded: wait for a size.
            function fit() {
                map.invalidateSize(false);
                var size = map.getSize();
                if (size.x < 10 || size.y < 10) { return false; }
                {%- if this.bounds_json %}
                var bounds = L.latLngBounds({{ this.bounds_json }});
                if (!legend) {
                    map.fitBounds(bounds, {padding: [8, 8], animate: false});
                    return true;
                }
                var box = legend.getContainer();
                var beside = Math.min(box.offsetWidth + 30, 0.45 * size.x);
                var above = Math.min(box.offsetHeight + 70, 0.6 * size.y);
                var zoomBeside = map.getBoundsZoom(bounds, false, L.point(beside + 10, 20));
                var zoomAbove = map.getBoundsZoom(bounds, false, L.point(20, above + 10));
                if (zoomAbove > zoomBeside) {
                    legend.setPosition("bottomleft");
                    map.fitBounds(bounds, {paddingTopLeft: [10, 10], paddingBottomRight: [10, above], animate: false});
                } else {
                    map.fitBounds(bounds, {paddingTopLeft: [beside, 10], paddingBottomRight: [10, 10], animate: false});
                }
                {%- endif %}
                return true;
            }
            if (!fit()) {
                var tries = 0;
                var timer = setInterval(function () { if (fit() || ++tries > 100) { clearInterval(timer); } }, 50);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        background: str,
        defs: str,
        *,
        bounds: Sequence[Sequence[float]] | None = None,
        legend: str = "",
        watermark: str = "",
    ) -> None:
        super().__init__()
        self._name = "AtlasMapFrame"
        self.bounds_json = script_json([[float(v) for v in corner] for corner in bounds]) if bounds else ""
        self.background_json = script_json(background)
        self.defs_json = script_json(defs)
        self.legend_json = script_json(legend) if legend else ""
        self.watermark_json = script_json(watermark) if watermark else ""
        # Over the units (Leaflet's overlay pane is at z-index 400), under event points (600) and tooltips (650).
        # At most 34px, smaller on a narrow map so that the whole text fits across it (the map's frame is its own
        # viewport: 1vw is a hundredth of the map's width; a bold Arial letter is about 0.6em wide).
        fit_vw = round(100 * 0.85 / (0.6 * max(len(watermark), 1)), 2)
        self.watermark_style_json = script_json(
            "position:absolute;left:50%;top:50%;transform:translate(-50%,-50%) rotate(-18deg);z-index:450;"
            f"pointer-events:none;white-space:nowrap;font:700 min(34px,{fit_vw}vw)/1 Arial,sans-serif;color:{WATERMARK_COLOUR};"
            f"text-shadow:0 0 4px {WATERMARK_HALO},0 0 8px {WATERMARK_HALO};"
        )

# ---------------------------------------------------------------------------------------------- points


_POPUP_NOTES_CHARS: Final = 300  # a popup shows the start of the notes; the full text is in the event list


# Clusters in the points' dark blue rather than markercluster's default green/yellow/orange, which would
# read as classes of the YlOrRd choropleth underneath. The count is a number, never text from the data.
_CLUSTER_ICON: Final = f"""function (cluster) {{
    var n = cluster.getChildCount();
    var size = n < 10 ? 24 : n < 100 ? 30 : n < 1000 ? 36 : 42;
    return L.divIcon({{
        html: '<div style="width:' + size + 'px;height:' + size + 'px;display:flex;align-items:center;'
            + 'justify-content:center;border-radius:50%;background:{POINT_FILL};opacity:0.88;border:2px solid #fff;'
            + 'color:#fff;font:700 11px Arial,sans-serif;box-sizing:border-box">' + n + '</div>',
        className: 'atlas-cluster',
        iconSize: L.point(size, size)
    }});
}}"""


class _EventPoints(folium.plugins.MarkerCluster):
    """A MarkerCluster of CircleMarkers built in the browser from one escaped data array.

    One folium ``CircleMarker`` + ``Popup`` per event would emit about 1 kB of JavaScript each;
    here each event is ``[lat, lon, radius, popup_html]`` and the popup HTML is escaped in Python.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.markerClusterGroup({{ this.options|tojavascript }});
        {%- if this.icon_create_function is not none %}
        {{ this.get_name() }}.options.iconCreateFunction = {{ this.icon_create_function.strip() }};
        {%- endif %}
        (function() {
            var rows = {{ this.rows_json }};
            var style = {{ this.style_json }};
            var markers = [];
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                var marker = L.circleMarker([r[0], r[1]], Object.assign({}, style, {radius: r[2]}));
                marker.bindPopup(r[3], {maxWidth: 340});
                markers.push(marker);
            }
            {{ this.get_name() }}.addLayers(markers);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, rows: list[list[Any]], *, name: str) -> None:
        super().__init__(
            name=name,
            overlay=True,
            control=True,
            icon_create_function=_CLUSTER_ICON,
            options={"showCoverageOnHover": False, "maxClusterRadius": 40},
        )
        self.rows_json = script_json(rows)
        self.style_json = script_json(
            {"color": "#ffffff", "weight": 1, "fillColor": POINT_FILL, "fillOpacity": 0.85}
        )


class _DensityCells(folium.FeatureGroup):
    """Events per grid cell as circles sized by their count, built in the browser from one data array.

    Used instead of single events when the filters keep more than a page can send: the cells are
    computed in the database, so the layer's size does not grow with the store. Popups hold numbers only.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.featureGroup();
        (function() {
            var rows = {{ this.rows_json }};
            var style = {{ this.style_json }};
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                L.circleMarker([r[0], r[1]], Object.assign({}, style, {radius: r[2]}))
                    .bindPopup(r[3], {maxWidth: 260}).addTo({{ this.get_name() }});
            }
        })();
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, cells: pd.DataFrame, *, cell_deg: float, name: str) -> None:
        super().__init__(name=name, overlay=True, control=True)
        counts = cells["events"].to_numpy(dtype=float)
        radius = np.round(3.5 + 9.0 * np.sqrt(counts / max(counts.max(), 1.0)), 1) if len(cells) else np.array([])
        rows = [
            [round(float(lat), 4), round(float(lon), 4), float(r),
             f'<div style="font-size:12px">{html.escape(word("points.cell_popup", events=format_count(n), fatalities=format_count(f), cell=format_number(cell_deg, significant=6)))}</div>']
            for lat, lon, r, n, f in zip(cells["latitude"], cells["longitude"], radius, cells["events"], cells["fatalities"])
        ]
        self.rows_json = script_json(rows)
        self.style_json = script_json({"color": "#ffffff", "weight": 1, "fillColor": POINT_FILL, "fillOpacity": 0.7})


def event_popup(event: Mapping[str, Any]) -> str:
    """Popup HTML of one event; every value escaped (notes come from uploaded files).

    Parameters
    ----------
    event
        One event's canonical values.

    Returns
    -------
    str
        The popup's HTML.
    """
    esc = html.escape

    def text(key: str) -> str:
        value = event.get(key)
        return "" if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) else str(value)

    date = event.get("event_date")
    date_text = format_date(date) if date is not None and not pd.isna(date) else word("popup.date_unknown")
    kind = " — ".join(category(t) for t in (text("event_type"), text("sub_event_type")) if t)
    actors = word("popup.vs").join(t for t in (text("actor1"), text("actor2")) if t)
    fatalities = format_metric("fatalities", event.get("fatalities"))
    low, high = as_float(event.get("fatalities_low")), as_float(event.get("fatalities_high"))
    if low is not None and high is not None:
        fatalities += word("tooltip.ucdp_range", low=format_count(low), high=format_count(high))
    notes = text("notes")
    if len(notes) > _POPUP_NOTES_CHARS:
        notes = notes[: _POPUP_NOTES_CHARS - 1].rstrip() + "…"
    lines = [f"<b>{esc(date_text)}</b> · {esc(kind or word('popup.event'))}"]
    for key, value in (("popup.actors", actors), ("popup.fatalities", fatalities), ("popup.location", text("location")),
                       ("popup.source", text("source_dataset"))):
        if value:
            lines.append(f"<b>{esc(word('format.label', label=word(key)))}</b> {esc(value)}")
    if notes:
        lines.append(f'<span style="color:#333">{esc(notes)}</span>')
    return '<div style="font-size:12px;line-height:1.35">' + "<br>".join(lines) + "</div>"


def _event_rows(events: pd.DataFrame, max_points: int) -> tuple[list[list[Any]], int, int]:
    """Newest ``max_points`` located events as ``[lat, lon, radius, popup]``; also how many were shown / located."""
    located = events.loc[events["latitude"].notna() & events["longitude"].notna()]
    if "event_date" in located:
        located = located.sort_values("event_date", ascending=False, kind="stable")
    shown = located.head(max_points)
    rows = []
    for event in shown.to_dict("records"):
        deaths = as_float(event.get("fatalities")) or 0.0
        radius = round(4.5 + min(4.5, math.sqrt(deaths)), 1)  # a little larger with fatalities, capped
        rows.append([round(float(event["latitude"]), 5), round(float(event["longitude"]), 5), radius, event_popup(event)])
    return rows, len(shown), len(located)


# ---------------------------------------------------------------------------------------------- map


class _LayerOrder(MacroElement):
    """Keeps context layers at the back and borders / points at the front when layers are toggled.

    Leaflet draws the paths of one pane in the order they were added, so a layer switched off and on in
    the layer control would otherwise come back on top of the borders.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var back = [{% for layer in this.back %}{{ layer.get_name() }}{{ "," if not loop.last }}{% endfor %}];
            var front = [{% for layer in this.front %}{{ layer.get_name() }}{{ "," if not loop.last }}{% endfor %}];
            function bring(layer, where) {
                if (!map.hasLayer(layer)) { return; }
                if (L.MarkerClusterGroup && layer instanceof L.MarkerClusterGroup) {
                    // only the markers not merged into a cluster are on the map
                    layer.eachLayer(function (child) { if (child._map && typeof child[where] === "function") { child[where](); } });
                } else if (typeof layer[where] === "function") {
                    layer[where]();
                }
            }
            map.on("overlayadd", function () {
                back.slice().reverse().forEach(function (layer) { bring(layer, "bringToBack"); });
                front.forEach(function (layer) { bring(layer, "bringToFront"); });
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, back: Sequence[Any], front: Sequence[Any]) -> None:
        super().__init__()
        self._name = "AtlasLayerOrder"
        self.back = list(back)
        self.front = list(front)


def _with_range(column: str, values: Mapping[str, Any]) -> str:
    """A unit's figure for a tooltip: with its range in brackets when it has one ("434 (339–491)")."""
    low, high = values.get(f"{column}_min"), values.get(f"{column}_max")
    if as_float(low) is not None and as_float(high) is not None:
        return format_range(values.get(column), low, high)
    return format_metric(column, values.get(column))


def _unit_tooltip(
    name: str,
    country: str,
    metric: str,
    values: Mapping[str, Any] | None,
    classification: Classification,
    unplaced_note: str,
) -> str:
    """Tooltip HTML of one unit (escaped): the metric chosen first, every other metric below, each with its range."""
    esc = html.escape
    out = [f'<div style="font-weight:700;font-size:13px">{esc(name)}</div>', f'<div style="color:#555">{esc(country)}</div>']
    if values is None or as_float(values.get(metric)) is None:
        out.append(f'<div style="margin-top:4px"><i>{esc(word("tooltip.no_data"))}</i></div>')
    else:
        value = values.get(metric)
        swatch = (f'<span style="display:inline-block;width:22px;height:13px;vertical-align:-2px;margin-right:6px;'
                  f'background:{classification.color_for(value)};border:1px solid rgba(0,0,0,0.2)"></span>')
        out.append(
            f'<div style="margin-top:4px">{swatch}<b>'
            f"{esc(word('format.label_value', label=metric_label(metric), value=_with_range(metric, values)))}</b></div>"
        )
        rows = []
        for column in TOOLTIP_METRICS:
            if column == metric or column not in values:
                continue
            label = metric_label(column)
            text = _with_range(column, values)
            ranged = as_float(values.get(f"{column}_min")) is not None
            if column == "fatalities" and not ranged:
                low, high = as_float(values.get("fatalities_low")), as_float(values.get("fatalities_high"))
                if low is not None and high is not None:
                    text += word("tooltip.ucdp_range", low=format_count(low), high=format_count(high))
            rows.append(
                f'<tr><td style="padding:0 10px 0 0;color:#444;white-space:nowrap">{esc(label)}</td>'
                f'<td>{esc(text)}</td></tr>'
            )
        out.append(f'<table style="margin-top:2px">{"".join(rows)}</table>')
        snapped = as_float(values.get("snapped_events"))
        if snapped:
            out.append(f'<div style="color:#555;font-size:11px">{esc(plural("tooltip.snapped", snapped))}</div>')
        if any(as_float(values.get(f"{c}_min")) is not None and round(as_float(values.get(f"{c}_min"))) != round(as_float(values.get(f"{c}_max")))
               for c in ("events", "fatalities")):
            out.append(f'<div style="color:#555;font-size:11px">{esc(word("tooltip.ranges"))}</div>')
    if unplaced_note:
        out.append(f'<div style="color:#7a4b00;font-size:11px;margin-top:3px">{esc(unplaced_note)}</div>')
    return '<div style="font-size:12px;line-height:1.35;max-width:min(300px,72vw);white-space:normal">' + "".join(out) + "</div>"


def _feature_collection(
    units: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    metric: str,
    classification: Classification,
    unallocated: Mapping[str, int] | None,
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """GeoJSON of the units with their properties, and the Leaflet style of each feature id."""
    features = []
    styles: dict[str, dict[str, Any]] = {}
    for unit in units.itertuples(index=False):
        code = str(unit.unit_code)
        geometry = polygonal(unit.geometry)
        if geometry is None or geometry.is_empty:
            continue
        iso3 = str(getattr(unit, "country_iso3", "") or "")
        country = country_name(iso3)
        row = values.loc[code].to_dict() if code in values.index else None
        value = row.get(metric) if row is not None else None
        properties: dict[str, Any] = {
            "unit_code": code,
            "unit_name": str(unit.unit_name),
            "country_iso3": iso3,
            "country": country,
            "metric": metric,
            "value": as_float(value),
            "class": classification.label_for(value),
        }
        for column in VALUE_COLUMNS:
            number = as_float(row.get(column)) if row is not None else None
            properties[column] = int(number) if number is not None and column in COUNT_METRICS else number
        n_unplaced = int((unallocated or {}).get(iso3, 0) or 0)
        note = plural("tooltip.unplaced", n_unplaced, country=country) if n_unplaced > 0 else ""
        properties["unplaced_in_country"] = n_unplaced
        properties["tooltip"] = _unit_tooltip(str(unit.unit_name), country, metric, row, classification, note)
        features.append({"type": "Feature", "id": code, "properties": properties, "geometry": shapely.geometry.mapping(geometry)})
        styles[code] = classification.style_for(value)
    return {"type": "FeatureCollection", "features": features}, styles


def _check_map(values: pd.DataFrame, *, metric: str, legend: str, view_bounds: Sequence[float] | None) -> None:
    """The check step: every problem of the arguments at once, as one ValueError."""
    problems = []
    if metric not in values.columns:
        problems.append(f"values has no column {metric!r} (columns: {', '.join(map(str, values.columns))})")
    if values.index.duplicated().any():
        problems.append("values must have one row per unit_code (select one source and one period)")
    if legend not in ("beside", "inside"):
        problems.append(f"legend must be 'beside' or 'inside', not {legend!r}")
    if view_bounds is not None and len(view_bounds) != 4:
        problems.append(f"view_bounds must be (west, south, east, north), not {tuple(view_bounds)!r}")
    if problems:
        raise ValueError("; ".join(problems))


@dataclass
class _MapData:
    """The data step's result: everything the map draws, as GeoJSON, styles, rows and text, before any folium object."""

    location: list[float] | None  # first view until the frame fits the map
    units: dict[str, Any]  # the units' feature collection
    styles: dict[str, dict[str, Any]]  # unit code -> Leaflet style
    neighbours: dict[str, Any] | None  # other countries' outlines (context)
    core_outlines: dict[str, Any] | None  # the outlines of the countries whose units are drawn
    aoi: dict[str, Any] | None
    focus: dict[str, Any] | None
    core: set[str]  # countries with units
    points_label: str
    event_rows: list[list[Any]] | None
    density: pd.DataFrame | None
    legend: str  # the legend inside the map ("" when it is beside)
    bounds: list[list[float]] | None  # [[south, west], [north, east]] the frame fits
    defs: str  # the no-data hatch's SVG pattern


def _map_data(
    units: gpd.GeoDataFrame, values: pd.DataFrame, *, metric: str, classification: Classification,
    countries: gpd.GeoDataFrame | None, aoi: shapely.Geometry | None, unallocated: Mapping[str, int] | None,
    events: pd.DataFrame | None, online_tiles: bool, max_points: int, events_total: int | None,
    density: pd.DataFrame | None, density_cell_deg: float, view_bounds: Sequence[float] | None, legend: str, scope: str,
    units_label: str, focus_outline: shapely.Geometry | None, focus_name: str,
) -> _MapData:
    """The data step: the units' features and styles, the outlines, the points or density cells, the legend, the view."""
    location = None
    if len(units):
        west, south, east, north = (float(b) for b in units.total_bounds)
        location = [(south + north) / 2, (west + east) / 2]
    core = set(units["country_iso3"].dropna().astype(str)) if "country_iso3" in units else set()
    with_countries = countries is not None and len(countries)
    neighbours = core_outlines = None
    if with_countries:
        others = countries.loc[~countries["unit_code"].isin(core)]
        neighbours = _outline_geojson(others) if len(others) else None
        own = countries.loc[countries["unit_code"].isin(core)]
        core_outlines = _outline_geojson(own) if len(own) else None
    collection, styles = _feature_collection(units, values, metric=metric, classification=classification, unallocated=unallocated)
    if online_tiles:  # let the basemap show through a little
        styles = {code: {**style, "fillOpacity": min(style["fillOpacity"], 0.7)} for code, style in styles.items()}
    has_aoi = aoi is not None and not aoi.is_empty
    label = points_label(events=events, events_total=events_total, max_points=max_points, density=density,
                         density_cell_deg=density_cell_deg)
    event_rows = _event_rows(events, max_points)[0] if events is not None and len(events) else None
    inside = ""
    if legend == "inside":
        inside = legend_html(
            classification, metric=metric, scope=scope, units=units_label, unplaced=unallocated,
            borders=countries is not None and bool(core), aoi=has_aoi, points=label,
            focus=focus_name if focus_outline is not None else None,
        )
    bounds = None
    extent = view_bounds if view_bounds is not None else (units.total_bounds if len(units) else None)
    if extent is not None:
        west, south, east, north = (float(b) for b in extent)
        bounds = [[south, west], [north, east]]
    defs = ('<svg width="0" height="0" style="position:absolute" aria-hidden="true" focusable="false">'
            f"<defs>{classification.no_data.pattern_svg()}</defs></svg>")
    return _MapData(
        location=location, units=collection, styles=styles, neighbours=neighbours, core_outlines=core_outlines,
        aoi=_feature(aoi) if has_aoi else None,
        focus=_feature(focus_outline) if focus_outline is not None and not focus_outline.is_empty else None,
        core=core, points_label=label, event_rows=event_rows,
        density=density if event_rows is None and density is not None and len(density) else None,
        legend=inside, bounds=bounds, defs=defs,
    )


def _draw_map(
    data: _MapData, *, metric: str, text: FigureText, countries: gpd.GeoDataFrame | None, units: gpd.GeoDataFrame,
    online_tiles: bool, extra_layers: Sequence[Any] | None, height: int | str | None, density_cell_deg: float,
    focus_name: str,
) -> folium.Map:
    """The drawing step: the folium map of the data, its layers in order, the frame that fits it, the layer control."""
    # max_zoom only reaches a tile layer; with tiles=None Leaflet gets maxZoom from the options below
    # (Leaflet.markercluster throws "Map has no maxZoom specified" without it).
    map_kwargs: dict[str, Any] = {
        "tiles": None, "max_zoom": 18, "maxZoom": 18, "minZoom": 3, "control_scale": True, "zoom_snap": 0.1,
    }
    if height is not None:
        map_kwargs["height"] = height
    if data.location is not None:
        # A sensible first view until the legend element fits the map to the units (folium's default
        # is the whole world at zoom 1).
        map_kwargs.update(location=data.location, zoom_start=5)
    m = folium.Map(**map_kwargs)
    # All vector layers share Leaflet's overlayPane, i.e. one SVG, drawn in the order added: context <
    # units < borders < area of interest < points; _LayerOrder restores it when a layer is switched back
    # on. (Separate panes mean one SVG each; with three of them Chromium left parts of the map unpainted
    # after zooming.) Borders are non-interactive, so hovering and clicking reach the units beneath.
    back: list[folium.map.Layer] = []
    front: list[folium.map.Layer] = []
    if online_tiles:
        folium.TileLayer("OpenStreetMap", name="OpenStreetMap", max_zoom=18, control=True).add_to(m)
    if data.neighbours is not None:
        context = folium.GeoJson(
            data.neighbours,
            name=word("layer.neighbours"),
            style_function=lambda _f: {
                "fillColor": NEIGHBOUR_FILL, "fillOpacity": 0.0 if online_tiles else 1.0,
                "color": "#a3a3a3", "weight": 1, "opacity": 1,
            },
            interactive=False,
            control=False,
        ).add_to(m)
        back.append(context)
    styles = data.styles
    folium.GeoJson(
        data.units,
        name=word("layer.units", metric=metric_label(metric)),
        style_function=lambda feature: styles[feature["id"]],
        highlight_function=lambda _f: {"weight": 3, "color": "#000000", "dashArray": ""},
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        smooth_factor=0.5,
    ).add_to(m)
    if data.core_outlines is not None:
        front.append(_outline_layer(m, data.core_outlines, word("layer.borders"),
                                    {"color": BORDER_COLOR, "weight": 2.4, "opacity": 0.95}))
    if data.aoi is not None:
        front.append(_outline_layer(m, data.aoi, word("layer.aoi"),
                                    {"color": AOI_COLOR, "weight": 2.6, "dashArray": "8 5", "opacity": 1}))
    if data.focus is not None:
        front.append(_outline_layer(m, data.focus, focus_name or word("layer.focus"),
                                    {"color": FOCUS_COLOR, "weight": 3.5, "opacity": 1}))
    if countries is not None and len(countries) and len(units):
        _country_labels(countries, data.core, units.total_bounds).add_to(m)
    if data.event_rows is not None:
        front.append(_EventPoints(data.event_rows, name=data.points_label).add_to(m))
    elif data.density is not None:
        front.append(_DensityCells(data.density, cell_deg=density_cell_deg, name=data.points_label).add_to(m))
    for layer in extra_layers or ():
        layer.add_to(m)
        if isinstance(layer, folium.map.Layer):
            front.append(layer)
    _LayerOrder(back, front).add_to(m)
    # The frame element fits the map once it has a size (no FitBounds), and defines the no-data hatch.
    _MapFrame("#ffffff" if online_tiles else MAP_BACKGROUND, data.defs, bounds=data.bounds, legend=data.legend,
              watermark=text.watermark).add_to(m)
    folium.LayerControl(collapsed=True, position="topright").add_to(m)
    return m


def choropleth_map(
    units: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    metric: str,
    classification: Classification,
    text: FigureText,
    countries: gpd.GeoDataFrame | None = None,
    aoi: shapely.Geometry | None = None,
    unallocated: Mapping[str, int] | None = None,
    events: pd.DataFrame | None = None,
    online_tiles: bool = False,
    extra_layers: Sequence[Any] | None = None,
    height: int | str | None = None,
    max_points: int = 5_000,
    events_total: int | None = None,
    density: pd.DataFrame | None = None,
    density_cell_deg: float = 0.25,
    view_bounds: Sequence[float] | None = None,
    legend: str = "beside",
    scope: str = "",
    units_label: str = "units",
    focus_outline: shapely.Geometry | None = None,
    focus_name: str = "",
) -> folium.Map:
    """
    An interactive choropleth of one period.

    Parameters
    ----------
    units : GeoDataFrame
        :func:`geo.figures.geometry.display_units` (unit_code, unit_name, country_iso3, geometry in EPSG:4326).
    values : DataFrame
        Indexed by unit_code, with ``metric`` and the other metric columns (events, fatalities,
        fatalities_low, fatalities_high, civilian_events, events_per_10k_km2, snapped_events), e.g.
        :func:`map_values`. Units missing here, or with NaN, are drawn as "no data".
    metric : str
        Column that colours the units (see :func:`geo.figures.style.metric_label`).
    classification : Classification
        Class breaks (:func:`geo.figures.style.classify` of the values of the period shown).
    text : FigureText
        Title, filter and source lines; on the sample its watermark is drawn across the map.
    countries : GeoDataFrame, optional
        :func:`geo.figures.geometry.display_countries`. Countries with units get bold borders over the units;
        the others are drawn lightly underneath as context.
    aoi : shapely geometry, optional
        The area of interest, outlined with a dashed blue line.
    unallocated : mapping, optional
        country_iso3 -> events of that country that could not be placed at this level
        (:func:`unplaced_counts`); shown in the tooltips of the country's units and in the legend.
    events : DataFrame, optional
        Canonical events to draw as clustered points with popups (newest ``max_points``).
    events_total : int, optional
        How many events the filters keep when ``events`` holds only the newest of them (for the legend).
    density : DataFrame, optional
        Instead of ``events``: events per grid cell (longitude, latitude of the cell centre, events,
        fatalities), drawn as circles sized by their events.
    density_cell_deg : float
        Side of the cells of ``density`` in degrees.
    online_tiles : bool, default False
        Add an OpenStreetMap tile layer (requests to openstreetmap.org: only on the user's request).
    extra_layers : sequence of folium elements, optional
        Added on top, in order.
    height : int or str, optional
        Map height (pixels or CSS length); the full page by default.
    max_points : int, default 5000
        Cap on the number of event points.
    view_bounds : (west, south, east, north), optional
        The part of the map in view at first (a focus area, :func:`geo.figures.focus.focus_bounds`); the units'
        extent by default.
    legend : {"beside", "inside"}
        "beside": the page shows :func:`geo.figures.style.legend_html` next to the map (nothing covers the
        units); "inside": the legend is a control on the map (a standalone page).
    scope, units_label : str
        For the legend inside: what the colours are of ("2019") and the units classified ("regions").
    focus_outline, focus_name : optional
        A focus area outlined in black over the units (presentation mode), and its name for the legend.

    Returns
    -------
    folium.Map
        ``max_zoom=18``, fitted to the units. Each unit feature has the properties unit_code,
        unit_name, country_iso3, country, metric, value, class, the metric columns,
        unplaced_in_country and tooltip (HTML), so ``st_folium``'s ``last_active_drawing`` identifies
        the clicked unit.
    """
    _check_map(values, metric=metric, legend=legend, view_bounds=view_bounds)
    data = _map_data(
        units, values, metric=metric, classification=classification, countries=countries, aoi=aoi, unallocated=unallocated,
        events=events, online_tiles=online_tiles, max_points=max_points, events_total=events_total, density=density,
        density_cell_deg=density_cell_deg, view_bounds=view_bounds, legend=legend, scope=scope, units_label=units_label,
        focus_outline=focus_outline, focus_name=focus_name,
    )
    return _draw_map(data, metric=metric, text=text, countries=countries, units=units, online_tiles=online_tiles,
                     extra_layers=extra_layers, height=height, density_cell_deg=density_cell_deg, focus_name=focus_name)


def points_label(
    *,
    events: pd.DataFrame | None = None,
    events_total: int | None = None,
    max_points: int = 5_000,
    density: pd.DataFrame | None = None,
    density_cell_deg: float = 0.25,
) -> str | None:
    """The legend's (and layer control's) name of the event points or density cells drawn; None without.

    Parameters
    ----------
    events
        The events drawn as points; None when none.
    events_total
        How many events the filters keep (when `events` are the newest of them).
    max_points
        The most events drawn as points.
    density
        Events per grid cell, drawn instead of points; None when none.
    density_cell_deg
        The side of the cells of `density`, in degrees.

    Returns
    -------
    str | None
        The legend's (and layer control's) name of the event points or density cells drawn; None without.
    """
    if events is not None and len(events):
        located = int((events["latitude"].notna() & events["longitude"].notna()).sum())
        shown = min(located, max_points)
        located = max(located, events_total or 0)
        if shown < located:
            return word("points.newest", shown=format_count(shown), total=format_count(located))
        return word("points.all", shown=format_count(shown))
    if density is not None and len(density):
        return word("points.cells", cell=format_number(density_cell_deg, significant=6), total=format_count(density["events"].sum()))
    return None


def _country_labels(countries: gpd.GeoDataFrame, core: set[str], bounds: Sequence[float]) -> folium.FeatureGroup:
    """Country names (not clickable): dark capitals for the mapped countries, grey italics for neighbours.

    A neighbour's label goes at a point of its part inside the mapped extent, so that Algeria or
    Nigeria are named where the reader sees them rather than at their own centre.
    """
    west, south, east, north = (float(b) for b in bounds)
    dx, dy = (east - west) * 0.04, (north - south) * 0.04
    view = shapely.box(west - dx, south - dy, east + dx, north + dy)
    group = folium.FeatureGroup(name=word("layer.country_names"), overlay=True, control=True)
    for row in countries.itertuples(index=False):
        geometry = polygonal(row.geometry)
        if geometry is None or geometry.is_empty:
            continue
        iso3 = str(row.unit_code)
        name = country_name(iso3) if has_word(f"country.{iso3}") else str(getattr(row, "unit_name", iso3))
        if iso3 in core:
            style = ("font:700 12px/1 'Helvetica Neue',Arial,sans-serif;letter-spacing:1px;text-transform:uppercase;"
                     "color:#1a1a1a;text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff")
            point = geometry.representative_point()
        else:
            visible = geometry.intersection(view)
            if visible.is_empty or visible.area < 0.02 * view.area:
                continue  # barely in view: a label would sit on the edge
            style = "font:italic 11px/1 'Helvetica Neue',Arial,sans-serif;color:#7a7a7a;text-shadow:0 0 2px #fff"
            point = polygonal(visible).representative_point()
        width = int(len(name) * 8.5) + 10
        folium.Marker(
            [point.y, point.x],
            icon=folium.DivIcon(
                html=f'<div style="{style};text-align:center;white-space:nowrap">{html.escape(name)}</div>',
                icon_size=(width, 14),
                icon_anchor=(width // 2, 7),
                class_name="atlas-country-label",
            ),
            interactive=False,
            keyboard=False,
        ).add_to(group)
    return group


def _feature(geometry: shapely.Geometry) -> dict:
    """One GeoJSON feature of `geometry`, without properties."""
    return {"type": "Feature", "properties": {}, "geometry": shapely.geometry.mapping(geometry)}


def _outline_layer(m: folium.Map, geojson: dict, name: str, line: dict) -> folium.GeoJson:
    """An outline drawn over the units (no fill, not clickable, so clicks reach the units below), added to `m`."""
    return folium.GeoJson(geojson, name=name, style_function=lambda _f: {"fill": False, **line},
                          interactive=False).add_to(m)


def _outline_geojson(countries: gpd.GeoDataFrame) -> dict[str, Any]:
    """Country polygons as GeoJSON with only code and name (they are never shown in a tooltip)."""
    features = [
        {
            "type": "Feature",
            "properties": {"unit_code": str(row.unit_code)},
            "geometry": shapely.geometry.mapping(polygonal(row.geometry)),
        }
        for row in countries.itertuples(index=False)
        if row.geometry is not None and not row.geometry.is_empty
    ]
    return {"type": "FeatureCollection", "features": features}


# ---------------------------------------------------------------------------------------------- speed

_TEMPLATE_CACHE_SIZE: Final = 512


def cache_folium_templates() -> None:
    """
    Compile each of folium's and branca's template strings once per process, not once per map element.

    Every branca ``Element`` and many folium layers build a ``jinja2.Template`` from a source string when
    they are created, and jinja2 compiles a string template on every construction: a third of the Map
    page's server time went to compiling the same templates again on each rerun. Compiled templates are
    immutable (rendering makes its own context), so one per distinct source is enough. Idempotent.
    """
    import branca.element
    import folium.template
    import jinja2

    if getattr(folium.template.Template, "_atlas_cached", False):
        return

    def cached(cls: type) -> type:
        original = cls.__new__

        @lru_cache(maxsize=_TEMPLATE_CACHE_SIZE)
        def compiled(klass: type, source: str) -> jinja2.Template:
            return original(klass, source)

        def new(klass: type, source: object, *args: object, **kwargs: object) -> jinja2.Template:
            if args or kwargs or not isinstance(source, str):
                return original(klass, source, *args, **kwargs)
            return compiled(klass, source)

        cls.__new__ = staticmethod(new)
        cls._atlas_cached = True
        return cls

    cached(folium.template.Template)
    # branca.element builds plain jinja2 Templates: give it a subclass of its own with the cache.
    branca.element.Template = cached(type("Template", (jinja2.Template,), {}))
