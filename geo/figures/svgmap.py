"""Maps drawn as SVG: the small multiples (one small map per year) and the animation (one map, a frame per year).

Why SVG for these two, when the explorable map is folium: both show every year of a range with one colour
scale, so their geometry is drawn once and only the fills change; SVG text names the countries and regions
on the map itself (plotly's offline maps cannot draw text: MapLibre fetches its glyphs from a font server);
the result is one light image that renders the same in the page, in a PNG or in a PDF; and the animation and
the small multiples cannot differ, being the same drawing. The classes are the ones the reader chose
(:func:`geo.figures.style.classify` over the years shown), with zero and no data in their own styles.

* :func:`small_multiples_svg` — a standalone ``<svg>``: title, filter line, a panel per period, one legend,
  the source line and (on the sample) a watermark.
* :func:`animated_map_html` — the same map once, with Play / Pause and a year slider (a few lines of script
  swapping the fills); without script it shows its first frame.
* :func:`map_svg` — one large map with its legend beside it: the export of the interactive map (SVG, and PNG or
  PDF of it), drawn with the classes, legend and text the page shows.
* :func:`long_values` shapes aggregate rows for both.

Text outside ASCII is written as character references, so the strings can be embedded in any page.
No Streamlit here.
"""

from __future__ import annotations

import hashlib
import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..join import OUTSIDE_CODE, UNALLOCATED_CODE
from .geometry import polygonal, simplify_coverage
from .style import (
    AOI_COLOR,
    BORDER_COLOR,
    FOCUS_COLOR,
    MUTED_COLOUR,
    SVG_FONT,
    TEXT_COLOUR,
    Classification,
    FigureText,
    as_float,
    country_name,
    esc,
    format_metric,
    format_number,
    legend_entries,
    metric_label,
    script_json,
    word,
)

__all__ = ["AnimatedMap", "animated_map_html", "long_values", "map_svg", "small_multiples_svg"]

_SPECIAL_CODES: Final = (OUTSIDE_CODE, UNALLOCATED_CODE)
_WATERMARK_FILL: Final = ('fill="rgb(190,30,45)" fill-opacity="0.5" paint-order="stroke" stroke="#ffffff" stroke-opacity="0.6" '
                          'stroke-width="5" stroke-linejoin="round"')
_HALO: Final = 'paint-order="stroke" stroke="#ffffff" stroke-width="2.6" stroke-linejoin="round"'


def long_values(rows: pd.DataFrame, metric: str) -> pd.DataFrame:
    """The long-form ``values`` (unit_code, period, value) of the SVG maps from aggregate rows.

    Parameters
    ----------
    rows : DataFrame
        Aggregate rows of one source, any number of periods.
    metric : str
        Column to map.

    Returns
    -------
    pd.DataFrame
        The long-form ``values`` (unit_code, period, value) of the SVG maps from aggregate rows.
    """
    units = rows.loc[~rows["unit_code"].isin(_SPECIAL_CODES), ["unit_code", "period", metric]]
    return units.rename(columns={metric: "value"}).astype({"period": str}).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- drawing


class _Projection:
    """Equirectangular projection scaled by cos(mid latitude), fitted to a width in pixels."""

    def __init__(self, bounds: Sequence[float], width: float) -> None:
        west, south, east, north = (float(b) for b in bounds)
        self.west, self.north = west, north
        self.kx = math.cos(math.radians((south + north) / 2))
        span_x = max((east - west) * self.kx, 1e-9)
        self.scale = width / span_x
        self.width = width
        self.height = (north - south) * self.scale

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return (lon - self.west) * self.kx * self.scale, (self.north - lat) * self.scale

    def path(self, geometry: shapely.Geometry) -> str:
        """SVG path data of a (multi)polygon or (multi)line, 1-decimal pixel coordinates."""
        parts = []
        for part in shapely.get_parts(geometry):
            if part.geom_type == "Polygon":
                rings = [part.exterior, *part.interiors]
                parts += [self._ring(np.asarray(r.coords), close=True) for r in rings]
            elif part.geom_type in ("LineString", "LinearRing"):
                parts.append(self._ring(np.asarray(part.coords), close=False))
            elif part.geom_type in ("MultiLineString", "MultiPolygon", "GeometryCollection"):
                parts.append(self.path(part))
        return "".join(parts)

    def _ring(self, coords: np.ndarray, *, close: bool) -> str:
        if len(coords) < 2:
            return ""
        x = (coords[:, 0] - self.west) * self.kx * self.scale
        y = (self.north - coords[:, 1]) * self.scale
        xy = np.round(np.column_stack([x, y]), 1)
        # Drop repeated points after rounding: they add bytes and nothing visible.
        keep = np.ones(len(xy), dtype=bool)
        keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
        xy = xy[keep]
        if close and len(xy) < 3:
            return ""
        body = " ".join(f"{_num(a)},{_num(b)}" for a, b in xy)
        return f"M{body}{'Z' if close else ''}"


def _num(value: float) -> str:
    """Shortest text of a 1-decimal number ("12", "12.5", "-0.3")."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _text_width(text: str, size: float) -> float:
    """Rough width of text in pixels (no font metrics in an SVG string)."""
    return len(text) * size * 0.56


def _ascii(svg: str) -> str:
    """ASCII with character references: renders the same whether or not the page declares UTF-8."""
    return svg.encode("ascii", "xmlcharrefreplace").decode("ascii")


@dataclass
class _Sheet:
    """One map drawn at a size: what every panel or frame of it shares."""

    width: float
    height: float
    codes: list[str]
    names: list[str]
    paths: list[str]
    borders: str = ""
    aoi: str = ""
    labels: list[str] = field(default_factory=list)  # <text> elements
    clip: bool = False
    outline: str = ""  # a focus area's outline


def _sheet(
    units: gpd.GeoDataFrame,
    *,
    width: float,
    view_bounds: Sequence[float] | None,
    aoi: shapely.Geometry | None,
    country_borders: bool,
    labels: bool,
    label_size: float,
    outline: shapely.Geometry | None = None,
) -> _Sheet:
    """Project, simplify (to half a pixel, shared edges kept shared) and label the units for maps `width` wide.

    The outline of a focus area, when given, is drawn over them.
    """
    units = units.loc[~units.geometry.is_empty & units.geometry.notna()]
    extent = tuple(view_bounds) if view_bounds is not None else (tuple(units.total_bounds) if len(units) else (0, 0, 1, 1))
    projection = _Projection(extent, width)
    tolerance = 0.5 / (projection.scale * projection.kx)
    shapes = np.array([polygonal(g) for g in units.geometry.values], dtype=object)
    geometries = simplify_coverage(shapes, tolerance_deg=tolerance) if len(units) else np.array([])
    box = shapely.box(*extent)
    inside = np.array([bool(g is not None and not g.is_empty and g.intersects(box)) for g in geometries], dtype=bool) \
        if len(units) else np.zeros(0, dtype=bool)
    kept = units.loc[inside]
    geometries = geometries[inside] if len(units) else geometries
    sheet = _Sheet(
        width=width, height=projection.height, codes=[str(c) for c in kept["unit_code"]],
        names=[str(n) for n in kept["unit_name"]], paths=[projection.path(polygonal(g)) for g in geometries],
        clip=view_bounds is not None,
    )
    if country_borders and len(kept) and "country_iso3" in kept:
        outlines = []
        for iso3 in kept["country_iso3"].dropna().unique():
            part = shapely.union_all(list(geometries[(kept["country_iso3"] == iso3).to_numpy()]))
            outlines.append(part.boundary)
        sheet.borders = "".join(projection.path(o) for o in outlines)
    if aoi is not None and not aoi.is_empty and len(kept):
        # Only the outline's stretch over the mapped extent: the area of interest can reach far beyond it.
        sheet.aoi = projection.path(shapely.intersection(aoi.boundary, shapely.box(*extent)))
    if outline is not None and not outline.is_empty:
        sheet.outline = projection.path(shapely.intersection(outline.boundary, box))
    if labels and len(kept):
        sheet.labels = _labels(kept, geometries, projection, box, label_size)
    return sheet


def _labels(units: gpd.GeoDataFrame, geometries: np.ndarray, projection: _Projection, box: shapely.Geometry,
            size: float) -> list[str]:
    """Names on the map.

    Each region whose shape (in view) holds its name, then the countries (in capitals) where they do not cover a
    region's name.
    """
    out = []
    taken: list[tuple[float, float, float, float]] = []

    def free(rect: tuple[float, float, float, float]) -> bool:
        return all(rect[2] < a or rect[0] > c or rect[3] < b or rect[1] > d for a, b, c, d in taken)

    names = [str(n) for n in units["unit_name"]]
    for i in np.argsort([-g.area for g in geometries]):  # large units first
        shape = polygonal(geometries[i].intersection(box))
        if shape is None or shape.is_empty:
            continue
        west, south, east, north = shape.bounds
        (left, top), (right, bottom) = projection.xy(west, north), projection.xy(east, south)
        w = _text_width(names[i], size)
        if w > 0.95 * (right - left) or size * 1.5 > bottom - top:
            continue  # the name would spill over its neighbours: hover names it
        point = shape.representative_point()
        x, y = projection.xy(point.x, point.y)
        rect = (x - w / 2, y - size * 0.8, x + w / 2, y + size * 0.3)
        if not free(rect):
            continue
        taken.append(rect)
        out.append(f'<text x="{x:.1f}" y="{y + size * 0.3:.1f}" text-anchor="middle" font-size="{size:.1f}" '
                   f'fill="{TEXT_COLOUR}" class="unit-label" {_HALO}>{esc(names[i])}</text>')
    country_size = size * 1.25
    if "country_iso3" not in units:
        return out
    for iso3 in units["country_iso3"].dropna().unique():
        part = shapely.union_all(list(geometries[(units["country_iso3"] == iso3).to_numpy()])).intersection(box)
        if part.is_empty:
            continue
        name = country_name(iso3).upper()
        point = polygonal(part).representative_point()
        x, y = projection.xy(point.x, point.y)
        w = _text_width(name, country_size) + 0.12 * country_size * len(name)
        for shift in (0.0, 1.6, -1.6, 3.2, -3.2):  # just above or below the point when a region's name is there
            rect = _clamp(x - w / 2, y - country_size + shift * country_size, x + w / 2, y + 0.3 * country_size + shift * country_size,
                          projection)
            if free(rect):
                taken.append(rect)
                out.append(f'<text x="{(rect[0] + rect[2]) / 2:.1f}" y="{rect[3] - 0.3 * country_size:.1f}" text-anchor="middle" '
                           f'font-size="{country_size:.1f}" font-weight="700" letter-spacing="{0.12 * country_size:.1f}" '
                           f'fill="#1a1a1a" fill-opacity="0.6" class="country-label" {_HALO}>{esc(name)}</text>')
                break
    return out


def _clamp(x0: float, y0: float, x1: float, y1: float, projection: _Projection) -> tuple[float, float, float, float]:
    """A label box moved inside the map."""
    dx = max(0.0, 2 - x0) - max(0.0, x1 - projection.width + 2)
    dy = max(0.0, 2 - y0) - max(0.0, y1 - projection.height + 2)
    return x0 + dx, y0 + dy, x1 + dx, y1 + dy


def _wrapped(text: str, width: float, size: float) -> list[str]:
    chars = max(20, int(width / (size * 0.56)))
    return [line for part in text.splitlines() for line in (textwrap.wrap(part, chars) or [""])]


def _text_lines(lines: list[str], x: float, y: float, size: float, **attrs: str) -> tuple[list[str], float]:
    """`<text>` elements of lines from baseline `y`; the height they take."""
    extra = " ".join(f'{k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    step = size * 1.3
    out = [f'<text x="{x:.0f}" y="{y + i * step:.1f}" font-size="{size:.1f}" {extra}>{esc(line)}</text>' for i, line in enumerate(lines)]
    return out, len(lines) * step


def _legend(classification: Classification, *, metric: str, scope: str, units_label: str, x: float, y: float,
            width: float, size: float, borders: bool, aoi: bool, vertical: bool = False, focus: str | None = None,
            notes: Sequence[str] = ()) -> tuple[list[str], float]:
    """The legend (metric, what the colours are of, the classes, no data, lines), and its height.

    Laid out in rows (one entry per row when `vertical`, beside a map); `notes` are written under the note on how the
    classes were made.
    """
    out = [f'<g class="legend" font-size="{size:.1f}" fill="{TEXT_COLOUR}">']
    if vertical:  # beside a map: the metric, then what the colours are of, each wrapped to the legend's width
        heading_lines = _wrapped(metric_label(metric), width, size * 1.1)
        heading, heading_h = _text_lines(heading_lines, x, y + size * 1.1, size * 1.1, font_weight="700")
        out += heading
        if scope:
            sub, sub_h = _text_lines(_wrapped(scope, width, size), x, y + heading_h + size, size, fill=MUTED_COLOUR)
            out += sub
            heading_h += sub_h
        cy = y + heading_h + size * 0.6
    else:
        heading = metric_label(metric) + (f" — {scope}" if scope else "")
        out.append(f'<text x="{x:.0f}" y="{y + size:.1f}" font-weight="700" font-size="{size * 1.1:.1f}">{esc(heading)}</text>')
        cy = y + size * 1.9
    cx = x
    swatch_w, swatch_h = 1.6 * size, 1.1 * size
    for entry in legend_entries(classification, borders=borders, aoi=aoi, focus=focus):
        item_w = swatch_w + 5 + _text_width(entry.label, size) + 1.2 * size
        if (vertical or cx + item_w > x + width) and cx > x:
            cx, cy = x, cy + 1.6 * size
        if entry.kind in ("border", "aoi", "focus"):
            dash = ' stroke-dasharray="3 2"' if entry.kind == "aoi" else ""
            stroke = 2.4 if entry.kind == "focus" else 1.6
            out.append(f'<line x1="{cx:.0f}" y1="{cy + swatch_h / 2:.1f}" x2="{cx + swatch_w:.0f}" y2="{cy + swatch_h / 2:.1f}" '
                       f'stroke="{entry.colour}" stroke-width="{stroke}"{dash}/>')
        else:
            if entry.kind == "zero":
                fill, extra = entry.colour, ' stroke="#c8c8c8" stroke-width="0.8"'
            elif entry.kind == "no_data":
                nd = classification.no_data
                fill, extra = nd.svg_fill, f' stroke="{nd.color}" stroke-width="0.8" stroke-dasharray="{nd.dash_array}"'
            else:
                fill, extra = entry.colour, ' stroke="#000" stroke-opacity="0.15" stroke-width="0.8"'
            out.append(f'<rect x="{cx:.0f}" y="{cy:.1f}" width="{swatch_w:.1f}" height="{swatch_h:.1f}" fill="{fill}"{extra}/>')
        out.append(f'<text x="{cx + swatch_w + 5:.0f}" y="{cy + swatch_h - 1:.1f}">{esc(entry.label)}</text>')
        cx += item_w
    note_lines = _wrapped(word("legend.classes", how=classification.describe(units_label)), width, size * 0.92)
    note_lines += [line for note in notes if note for line in _wrapped(note, width, size * 0.92)]
    note_text, note_h = _text_lines(note_lines, x, cy + swatch_h + 1.5 * size, size * 0.92, fill=MUTED_COLOUR)
    out += note_text
    out.append("</g>")
    return out, cy + swatch_h + 0.6 * size + note_h - y


def _header(text: FigureText, *, width: float, pad: float, scale: float) -> tuple[list[str], float]:
    """Title (bold) and filter line (muted) at the top of an SVG figure; their height."""
    title_size, filter_size = 16 * scale, 12 * scale
    title, title_h = _text_lines(_wrapped(text.title, width - 2 * pad, title_size), pad, pad + title_size,
                                 title_size, font_weight="700", fill=TEXT_COLOUR)
    out = ['<g class="title">', *title, "</g>"]
    height = title_h
    if text.filter_line:
        lines, filter_h = _text_lines(_wrapped(text.filter_line, width - 2 * pad, filter_size), pad,
                                      pad + title_h + filter_size + 2, filter_size, fill=MUTED_COLOUR)
        out += ['<g class="filter-line">', *lines, "</g>"]
        height += filter_h + 2
    return out, height + 8 * scale


def _footer(text: FigureText, *, y: float, width: float, pad: float, scale: float, notes: Sequence[str] = ()) -> tuple[list[str], float]:
    """Notes and the source line at the foot of an SVG figure; their height."""
    size = 10.5 * scale
    out, height = [], 0.0
    for note in notes:
        lines, h = _text_lines(_wrapped(note, width - 2 * pad, size), pad, y + height + size, size, fill=MUTED_COLOUR)
        out += lines
        height += h
    if text.source_line:
        lines, h = _text_lines(_wrapped(text.source_line, width - 2 * pad, size), pad, y + height + size, size, fill=MUTED_COLOUR)
        out += ['<g class="source-line">', *lines, "</g>"]
        height += h
    return out, height


def _watermark(text: FigureText, *, x: float, y: float, width: float, scale: float) -> list[str]:
    if not text.watermark:
        return []
    size = min(36 * scale, width / max(len(text.watermark), 1) * 1.7)
    return [f'<text class="watermark" x="{x:.0f}" y="{y:.0f}" text-anchor="middle" font-size="{size:.0f}" font-weight="700" '
            f'{_WATERMARK_FILL} transform="rotate(-18 {x:.0f} {y:.0f})" pointer-events="none">{esc(text.watermark)}</text>']


def _unit_style(value: object, classification: Classification, *, metric: str, name: str) -> tuple[str, str]:
    """The fill and outline attributes of a unit with this value, and its hover text ("Mopti: 1,278")."""
    klass = classification.class_index(value)
    if klass is None:
        nd = classification.no_data
        attrs = f'fill="{nd.svg_fill}" stroke="{nd.color}" stroke-width="0.6" stroke-dasharray="2 1.5"'
        shown = word("tooltip.no_data").lower()
    else:
        attrs = f'fill="{classification.color_for(value)}" stroke="#ffffff" stroke-width="0.5"'
        shown = format_metric(metric, value) if metric else format_number(as_float(value) or 0.0)
    return attrs, word("format.label_value", label=name, value=shown)


def _svg_open(size: str, *, full: float, height: float, text: FigureText, classification: Classification, clip_id: str,
              map_width: float, sheet: _Sheet, header: list[str], pad: float, map_top: float) -> list[str]:
    """The opening of a map's SVG up to its open ``<g class="map">``.

    Size attributes `size`, title, hatching and clip path, white background, the header lines.
    """
    clip = f' clip-path="url(#{clip_id})"' if sheet.clip else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full:.0f} {height:.0f}" {size} '
        f'font-family="{esc(SVG_FONT)}" role="img" aria-label="{esc(text.title)}">',
        f"<title>{esc(text.title)}</title>",
        f'<defs>{classification.no_data.pattern_svg(5)}'
        f'<clipPath id="{clip_id}"><rect width="{map_width}" height="{sheet.height:.1f}"/></clipPath></defs>',
        f'<rect width="{full:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        *header,
        f'<g class="map" transform="translate({pad:.1f},{map_top:.1f})" stroke-linejoin="round"{clip}>',
    ]


def _unit_path(d: str, value: object, classification: Classification, *, metric: str, name: str, index: int) -> str:
    attrs, hover = _unit_style(value, classification, metric=metric, name=name)
    return f'<path d="{d}" {attrs} fill-rule="evenodd" data-u="{index}"><title>{esc(hover)}</title></path>'


def _check_values(values: pd.DataFrame) -> dict[tuple[str, str], Any]:
    missing = {"unit_code", "period", "value"} - set(values.columns)
    if missing:
        raise ValueError(f"values needs the columns unit_code, period, value (missing: {', '.join(sorted(missing))})")
    if values.duplicated(["unit_code", "period"]).any():
        raise ValueError("values has several rows for one unit and period")
    return {(str(u), str(p)): v for u, p, v in zip(values["unit_code"], values["period"], values["value"])}


def _period_title(period: str, partial: Mapping[str, str] | None) -> str:
    note = (partial or {}).get(str(period))
    return word("chart.partial", period=period, day=note) if note else str(period)


# ---------------------------------------------------------------------------------------------- small multiples


def small_multiples_svg(
    units: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    classification: Classification,
    periods: Sequence[str],
    text: FigureText,
    metric: str = "",
    columns: int = 4,
    panel_width: int = 220,
    country_borders: bool = True,
    aoi: shapely.Geometry | None = None,
    view_bounds: Sequence[float] | None = None,
    partial: Mapping[str, str] | None = None,
    scope: str = "",
    units_label: str = "units",
    labels: bool = True,
    scale: float = 1.0,
) -> str:
    """
    One small map per period, with one shared legend, as a single standalone SVG.

    Parameters
    ----------
    units : GeoDataFrame
        :func:`geo.figures.geometry.display_units` (EPSG:4326).
    values : DataFrame
        Long form: columns unit_code, period, value (e.g. :func:`long_values`). A unit without a row
        for a period, or with NaN, is "no data" in that panel.
    classification : Classification
        Shared by all panels (:func:`geo.figures.style.classify` of the values of every period shown).
    periods : sequence of str
        Panels, in order; each is titled with its period.
    text : FigureText
        Title, filter line, source line and watermark.
    metric : str
        Metric column; names the legend and formats the hover values.
    columns : int, default 4
        Panels per row.
    panel_width : int, default 220
        Width of each map in pixels.
    country_borders : bool, default True
        Draw the borders between the countries of the units.
    aoi : shapely geometry, optional
        Outline the area of interest (thin dashed blue).
    view_bounds : (west, south, east, north), optional
        The part of the map each panel shows (a focus area); the units' extent by default.
    partial : mapping, optional
        Period -> the day its data stop, for periods the data cover only in part ("2020" -> "1 Aug"): the
        panel's title says so.
    scope, units_label : str
        What the colours are of, and the units classified (plural), for the legend.
    labels : bool
        Write country names and the names of regions large enough to hold them.
    scale : float
        Font scale.

    Returns
    -------
    str
        ``<svg xmlns="http://www.w3.org/2000/svg" ...>``: each unit's shape once (``<path id="u…">`` in ``<defs>``),
        and a ``<g class="panel">`` per period that uses it (``<use href="#u…">``) with the unit's fill and a
        ``<title>`` (name and value) browsers show on hover. About 100 kB for the admin-1 units of the three
        countries, and 4 kB more per panel. ASCII only.

    Raises
    ------
    ValueError
        If ``values`` lacks a column or has several rows for one unit and period.
    """
    lookup = _check_values(values)
    if columns < 1 or panel_width < 40:
        raise ValueError("columns must be >= 1 and panel_width >= 40")
    pad, gap = 16 * scale, 14 * scale
    sheet = _sheet(units, width=panel_width, view_bounds=view_bounds, aoi=aoi, country_borders=country_borders,
                   labels=labels, label_size=7.5 * scale)
    n_rows = max(1, math.ceil(len(periods) / columns))
    n_cols = max(1, min(columns, len(periods)))
    panel_title_h = 20 * scale
    panel_h = panel_title_h + sheet.height
    width = max(pad * 2 + n_cols * panel_width + (n_cols - 1) * gap, 460 * scale)

    header, header_h = _header(text, width=width, pad=pad, scale=scale)
    maps_top = pad + header_h
    maps_h = n_rows * panel_h + (n_rows - 1) * gap
    legend, legend_h = _legend(classification, metric=metric, scope=scope, units_label=units_label, x=pad,
                               y=maps_top + maps_h + 14 * scale, width=width - 2 * pad, size=11 * scale,
                               borders=bool(sheet.borders), aoi=bool(sheet.aoi))
    foot_top = maps_top + maps_h + 14 * scale + legend_h + 8 * scale
    notes = [word("chart.partial_note", periods=", ".join(partial), day=next(iter(partial.values())))] if partial else []
    footer, footer_h = _footer(text, y=foot_top, width=width, pad=pad, scale=scale, notes=notes)
    height = foot_top + footer_h + pad

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{esc(SVG_FONT)}" role="img" aria-label="{esc(text.title)}">',
        f"<title>{esc(text.title)}</title>",
        f'<defs>{classification.no_data.pattern_svg(5)}'
        f'<clipPath id="panel-clip"><rect width="{panel_width}" height="{sheet.height:.1f}"/></clipPath>',
        # Each unit's shape once; every panel uses it with its own fill (24 panels cost little more than one).
        *[f'<path id="u{index}" d="{d}" fill-rule="evenodd"/>' for index, d in enumerate(sheet.paths) if d],
        # The borders, the area of interest and the names over the units: once too.
        '<g id="overlay">',
        *([f'<path d="{sheet.borders}" fill="none" stroke="#333333" stroke-width="0.9"/>'] if sheet.borders else []),
        *([f'<path d="{sheet.aoi}" fill="none" stroke="{AOI_COLOR}" stroke-width="1.1" stroke-dasharray="3 2"/>']
          if sheet.aoi else []),
        *sheet.labels,
        "</g>",
        "</defs>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        *header,
    ]
    clip = ' clip-path="url(#panel-clip)"' if sheet.clip else ""
    for i, period in enumerate(periods):
        row, col = divmod(i, columns)
        px = pad + col * (panel_width + gap)
        py = maps_top + row * (panel_h + gap)
        out.append(f'<g class="panel" data-period="{esc(str(period))}" transform="translate({px:.1f},{py:.1f})">')
        out.append(f'<text x="0" y="{14 * scale:.1f}" font-size="{13 * scale:.1f}" font-weight="700" fill="{TEXT_COLOUR}">'
                   f'{esc(_period_title(str(period), partial))}</text>')
        out.append(f'<g transform="translate(0,{panel_title_h:.1f})" stroke-linejoin="round"{clip}>')
        for index, (code, name, d) in enumerate(zip(sheet.codes, sheet.names, sheet.paths)):
            if d:
                attrs, hover = _unit_style(lookup.get((code, str(period))), classification, metric=metric, name=name)
                out.append(f'<use href="#u{index}" {attrs} data-u="{index}"><title>{esc(hover)}</title></use>')
        out.append('<use href="#overlay"/>')
        out.append("</g></g>")
    out += legend
    out += footer
    out += _watermark(text, x=width / 2, y=maps_top + maps_h / 2, width=width, scale=scale)
    out.append("</svg>")
    return _ascii("\n".join(out))


# ---------------------------------------------------------------------------------------------- one map


def map_svg(
    units: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    classification: Classification,
    text: FigureText,
    metric: str,
    width: int = 1000,
    legend_width: int = 250,
    country_borders: bool = True,
    aoi: shapely.Geometry | None = None,
    view_bounds: Sequence[float] | None = None,
    focus_outline: shapely.Geometry | None = None,
    focus_name: str | None = None,
    scope: str = "",
    units_label: str = "units",
    notes: Sequence[str] = (),
    labels: bool = True,
    scale: float = 1.0,
) -> str:
    """One large map with its legend beside it, as a standalone SVG: the static twin of the interactive map (its export as SVG, PNG or PDF), drawn with the classes, legend, title, filter line and source line the page shows.

    Parameters
    ----------
    units : GeoDataFrame
        :func:`geo.figures.geometry.display_units` (EPSG:4326).
    values : DataFrame
        Columns unit_code and value: the figure of each unit (a unit without a row, or with NaN, is "no data").
    classification, text, metric, country_borders, aoi, view_bounds, scope, units_label, labels, scale
        As in :func:`small_multiples_svg`.
    width : int
        Width of the map in pixels; the legend takes `legend_width` more on its right.
    focus_outline, focus_name : optional
        A focus area's outline, drawn in black, and its name in the legend.
    notes : sequence of str
        Lines under the legend (events not placed at this level, a year the data cover in part).
    legend_width
        The legend's width in pixels (right of the map).

    Returns
    -------
    str
        ``<svg xmlns="http://www.w3.org/2000/svg" ...>`` with ``<g class="map">`` (a ``<path>`` per unit with its fill
        and a ``<title>``), ``<g class="legend">``, the title, filter and source lines and (on the sample) the
        watermark; ASCII only.
    """
    missing = {"unit_code", "value"} - set(values.columns)
    if missing:
        raise ValueError(f"values needs the columns unit_code, value (missing: {', '.join(sorted(missing))})")
    if values["unit_code"].duplicated().any():
        raise ValueError("values has several rows for one unit")
    lookup = {str(u): v for u, v in zip(values["unit_code"], values["value"])}
    pad, gap = 16 * scale, 24 * scale
    sheet = _sheet(units, width=width, view_bounds=view_bounds, aoi=aoi, country_borders=country_borders, labels=labels,
                   label_size=10.5 * scale, outline=focus_outline)
    full = pad * 2 + width + gap + legend_width
    header, header_h = _header(text, width=full, pad=pad, scale=scale)
    map_top = pad + header_h
    legend, legend_h = _legend(classification, metric=metric, scope=scope, units_label=units_label, x=pad + width + gap,
                               y=map_top, width=legend_width, size=12 * scale, borders=bool(sheet.borders), aoi=bool(sheet.aoi),
                               vertical=True, focus=focus_name if sheet.outline else None, notes=notes)
    foot_top = map_top + max(sheet.height, legend_h) + 12 * scale
    footer, footer_h = _footer(text, y=foot_top, width=full, pad=pad, scale=scale)
    height = foot_top + footer_h + pad
    clip_id = "atlas-map-clip"
    out = _svg_open(f'width="{full:.0f}" height="{height:.0f}"', full=full, height=height, text=text,
                    classification=classification, clip_id=clip_id, map_width=width, sheet=sheet, header=header, pad=pad,
                    map_top=map_top)
    for index, (code, name, d) in enumerate(zip(sheet.codes, sheet.names, sheet.paths)):
        if d:
            out.append(_unit_path(d, lookup.get(code), classification, metric=metric, name=name, index=index))
    if sheet.borders:
        out.append(f'<path d="{sheet.borders}" fill="none" stroke="{BORDER_COLOR}" stroke-width="1.5"/>')
    if sheet.aoi:
        out.append(f'<path d="{sheet.aoi}" fill="none" stroke="{AOI_COLOR}" stroke-width="1.6" stroke-dasharray="5 3"/>')
    if sheet.outline:
        out.append(f'<path class="focus" d="{sheet.outline}" fill="none" stroke="{FOCUS_COLOR}" stroke-width="3"/>')
    out += sheet.labels
    out.append("</g>")
    out += legend
    out += footer
    out += _watermark(text, x=pad + width / 2, y=map_top + sheet.height / 2, width=width, scale=scale)
    out.append("</svg>")
    return _ascii("\n".join(out))


# ---------------------------------------------------------------------------------------------- animation

_ANIMATION_SCRIPT: Final = """
(function () {
  var root = document.getElementById(%(id)s);
  if (!root || root.dataset.ready) { return; }
  root.dataset.ready = "1";
  var data = JSON.parse(root.querySelector("script.atlas-frames").textContent);
  var paths = root.querySelectorAll("path[data-u]");
  var slider = root.querySelector("input[type=range]");
  var play = root.querySelector("button.play");
  var shown = root.querySelectorAll(".frame-label");
  var timer = null;
  function show(i) {
    var fills = data.fills[i], texts = data.texts[i];
    for (var k = 0; k < paths.length; k++) {
      var u = +paths[k].getAttribute("data-u");
      var f = fills[u];
      if (f === null) {
        paths[k].setAttribute("fill", data.noData.fill);
        paths[k].setAttribute("stroke", data.noData.stroke);
        paths[k].setAttribute("stroke-dasharray", "2 1.5");
      } else {
        paths[k].setAttribute("fill", f);
        paths[k].setAttribute("stroke", "#ffffff");
        paths[k].removeAttribute("stroke-dasharray");
      }
      paths[k].firstChild.textContent = texts[u];
    }
    for (var j = 0; j < shown.length; j++) { shown[j].textContent = data.titles[i]; }
    slider.value = i;
    root.setAttribute("data-frame", data.periods[i]);
  }
  function stop() { if (timer) { clearInterval(timer); timer = null; } play.textContent = data.words.play; }
  play.addEventListener("click", function () {
    if (timer) { stop(); return; }
    var i = +slider.value;
    if (i >= data.periods.length - 1) { i = -1; }
    play.textContent = data.words.pause;
    timer = setInterval(function () {
      i += 1;
      if (i >= data.periods.length) { stop(); return; }
      show(i);
    }, data.ms);
    show(Math.max(i, 0));
    if (i < 0) { i = 0; }
  });
  slider.addEventListener("input", function () { stop(); show(+slider.value); });
})();
"""


@dataclass(frozen=True)
class AnimatedMap:
    """An animated map: the HTML fragment to show, its natural size in pixels, and its frames' data."""

    html: str
    width: int
    height: int  # of the drawing; the controls below it take about 50 px more
    frames: dict[str, Any]


def animated_map_html(
    units: gpd.GeoDataFrame,
    values: pd.DataFrame,
    *,
    classification: Classification,
    periods: Sequence[str],
    text: FigureText,
    metric: str,
    width: int = 900,
    country_borders: bool = True,
    aoi: shapely.Geometry | None = None,
    view_bounds: Sequence[float] | None = None,
    partial: Mapping[str, str] | None = None,
    scope: str = "",
    units_label: str = "units",
    start: str | None = None,
    frame_ms: int = 1200,
    labels: bool = True,
    scale: float = 1.0,
) -> AnimatedMap:
    """
    A map with a frame per period, Play / Pause and a period slider, as an HTML fragment (SVG and a short script).

    Parameters
    ----------
    units, values, classification, text, metric, country_borders, aoi, view_bounds, partial, scope, units_label, labels, scale
        As in :func:`small_multiples_svg`; the classification is shared by every frame.
    periods : sequence of str
        The frames, in order.
    width : int
        Width of the map in pixels (the SVG scales down to narrower containers).
    start : str, optional
        The frame shown first (the first by default).
    frame_ms : int
        Time each frame stays on screen while playing.

    Returns
    -------
    AnimatedMap
        ``html``: ``<div class="atlas-animation" id=… data-frame=…>`` holding the ``<svg>`` (drawn at the first
        frame, each unit path with ``data-u`` and a ``<title>``), the controls, the frames as JSON in
        ``<script class="atlas-frames" type="application/json">`` (``periods``, ``titles``, per frame ``fills``
        and hover ``texts`` per unit, ``values``, the unit ``codes``) and the script that plays them; ASCII only.
        A page shows it in a frame of its own (sanitisers of page HTML drop inline SVG).
    """
    lookup = _check_values(values)
    periods = [str(p) for p in periods]
    pad = 16 * scale
    sheet = _sheet(units, width=width, view_bounds=view_bounds, aoi=aoi, country_borders=country_borders,
                   labels=labels, label_size=10.5 * scale)
    first = periods.index(str(start)) if start is not None and str(start) in periods else 0
    full = width + 2 * pad
    header, header_h = _header(text, width=full, pad=pad, scale=scale)
    map_top = pad + header_h
    legend, legend_h = _legend(classification, metric=metric, scope=scope, units_label=units_label, x=pad,
                               y=map_top + sheet.height + 12 * scale, width=width, size=11.5 * scale,
                               borders=bool(sheet.borders), aoi=bool(sheet.aoi))
    foot_top = map_top + sheet.height + 12 * scale + legend_h + 8 * scale
    notes = [word("chart.partial_note", periods=", ".join(partial), day=next(iter(partial.values())))] if partial else []
    footer, footer_h = _footer(text, y=foot_top, width=full, pad=pad, scale=scale, notes=notes)
    height = foot_top + footer_h + pad

    frames_fills, frames_texts, frames_values = [], [], []
    for period in periods:
        fills, texts, numbers = [], [], []
        for code, name in zip(sheet.codes, sheet.names):
            value = lookup.get((code, period))
            klass = classification.class_index(value)
            fills.append(None if klass is None else classification.color_for(value))
            shown = word("tooltip.no_data").lower() if klass is None else format_metric(metric, value)
            texts.append(word("format.label_value", label=name, value=shown))
            numbers.append(as_float(value))
        frames_fills.append(fills)
        frames_texts.append(texts)
        frames_values.append(numbers)
    titles = [_period_title(p, partial) for p in periods]
    dom_id = "atlas-anim-" + hashlib.sha1("|".join([text.title, *periods, str(width)]).encode()).hexdigest()[:10]

    svg = _svg_open(f'width="{full:.0f}" style="max-width:100%;height:auto"', full=full, height=height, text=text,
                    classification=classification, clip_id=f"{dom_id}-clip", map_width=width, sheet=sheet, header=header,
                    pad=pad, map_top=map_top)
    for index, (code, name, d) in enumerate(zip(sheet.codes, sheet.names, sheet.paths)):
        if d:
            svg.append(_unit_path(d, lookup.get((code, periods[first])) if periods else None, classification, metric=metric,
                                  name=name, index=index))
    if sheet.borders:
        svg.append(f'<path d="{sheet.borders}" fill="none" stroke="{BORDER_COLOR}" stroke-width="1.5"/>')
    if sheet.aoi:
        svg.append(f'<path d="{sheet.aoi}" fill="none" stroke="{AOI_COLOR}" stroke-width="1.6" stroke-dasharray="5 3"/>')
    svg += sheet.labels
    big = 30 * scale
    svg.append(f'<text class="frame-label" x="{width - 8:.0f}" y="{big + 4:.0f}" text-anchor="end" font-size="{big:.0f}" '
               f'font-weight="700" fill="{TEXT_COLOUR}" {_HALO}>{esc(titles[first] if titles else "")}</text>')
    svg.append("</g>")
    svg += legend
    svg += footer
    svg += _watermark(text, x=full / 2, y=map_top + sheet.height / 2, width=full, scale=scale)
    svg.append("</svg>")

    data = {
        "periods": periods, "titles": titles, "fills": frames_fills, "texts": frames_texts, "values": frames_values,
        "codes": sheet.codes, "ms": int(frame_ms),
        "noData": {"fill": classification.no_data.svg_fill, "stroke": classification.no_data.color},
        "words": {"play": word("chart.play"), "pause": word("chart.pause")},
    }
    button = ("font:600 14px/1 sans-serif;padding:6px 12px;border:1px solid #bbb;border-radius:4px;background:#fff;"
              "cursor:pointer;min-width:88px")
    controls = (
        f'<div class="atlas-animation-controls" style="display:flex;align-items:center;gap:12px;margin:6px 0 0 {pad:.0f}px;'
        f'max-width:{width}px">'
        f'<button type="button" class="play" style="{button}">{esc(word("chart.play"))}</button>'
        f'<input type="range" min="0" max="{max(len(periods) - 1, 0)}" step="1" value="{first}" style="flex:1" '
        f'aria-label="{esc(word("chart.year"))}">'
        f'<span class="frame-label" style="font:700 15px/1 sans-serif;min-width:5em">{esc(titles[first] if titles else "")}</span>'
        "</div>"
    )
    html = (
        f'<div class="atlas-animation" id="{dom_id}" data-frame="{esc(periods[first] if periods else "")}">'
        + "\n".join(svg) + controls
        + f'<script type="application/json" class="atlas-frames">{script_json(data)}</script>'
        + "<script>" + _ANIMATION_SCRIPT.replace("%(id)s", script_json(dom_id)) + "</script></div>"
    )
    return AnimatedMap(html=_ascii(html), width=int(round(full)), height=int(round(height)), frames=data)
