"""What every plotly figure of the atlas shares: its text (title, filter line, source line, sample watermark), its look, the message of an empty figure, the view of a map and the Play / Pause controls of an animation.

Words and colours come from :mod:`geo.figures.style`; this module only places them in a plotly layout.
No Streamlit here.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any, Final

import geopandas as gpd
import plotly.graph_objects as go
import shapely

from .geometry import COORDINATE_DECIMALS
from .style import (
    FONT,
    MUTED_COLOUR,
    TEXT_COLOUR,
    WATERMARK_COLOUR,
    WATERMARK_HALO,
    FigureText,
    period_label,
    plain,
    plotly_separators,
    word,
)

#: Characters per line of the filter and source lines: fits 1,200 px at 12 px; narrower figures pass less.
LINE_CHARS: Final = 120


def wrap(text: str, width: int) -> str:
    """Escaped text broken into lines of at most `width` characters, preferably at the " · " separators.

    Parameters
    ----------
    text
        The text (a filter or source line).
    width
        The figure's width in pixels.

    Returns
    -------
    str
        The escaped lines joined by `<br>`.
    """
    lines: list[str] = []
    for part in text.split(" · "):
        chunks = textwrap.wrap(part, width) or [""]
        for i, chunk in enumerate(chunks):
            if i == 0 and lines and len(lines[-1]) + 3 + len(chunk) <= width:
                lines[-1] = f"{lines[-1]} · {chunk}"
            else:
                lines.append(chunk)
    return "<br>".join(plain(line) for line in lines)


def apply_text(fig: go.Figure, text: FigureText, *, height: int, width: int = LINE_CHARS, scale: float = 1.0,
               source: bool = True) -> tuple[int, int]:
    """Put a figure's text into its layout: the title (bold) with the filter line under it, the source line at the foot, and the sample's watermark across the plot.

    Parameters
    ----------
    fig
        The figure.
    text
        Its :class:`~geo.figures.style.FigureText`.
    height
        The figure's height in pixels (places the source line under the plot).
    width
        Characters per line of the filter and source lines.
    scale
        Font scale (presentation mode enlarges every text).
    source
        Whether to write the source line (a small chart beside a map may leave it to the page).

    Returns
    -------
    (top, bottom) margins in pixels that the text needs.
    """
    filters = wrap(text.filter_line, width) if text.filter_line else ""
    filter_lines = filters.count("<br>") + 1 if filters else 0
    fig.update_layout(
        title={
            "text": f"<b>{plain(text.title)}</b>", "x": 0.01, "xanchor": "left", "y": 0.985, "yanchor": "top",
            "yref": "container", "font": {"size": round(18 * scale), "color": TEXT_COLOUR},
            "subtitle": {"text": filters, "font": {"size": round(12.5 * scale), "color": MUTED_COLOUR}},
        },
    )
    top = round((44 + 17 * filter_lines) * scale)
    bottom = 0
    if source and text.source_line:
        lines = wrap(text.source_line, width)
        n = lines.count("<br>") + 1
        bottom = round((8 + 14 * n) * scale)
        fig.add_annotation(
            text=f"<span style='color:{MUTED_COLOUR}'>{lines}</span>", xref="paper", yref="paper", x=0, xanchor="left",
            y=0, yanchor="top", yshift=-10_000, showarrow=False, align="left", font={"size": round(10.5 * scale)},
            name="source-line",
        )
    add_watermark(fig, text.watermark, scale=scale)
    fig.layout.meta = {**(fig.layout.meta or {}), "figure_text": {
        "title": text.title, "filter_line": text.filter_line, "source_line": text.source_line, "watermark": text.watermark}}
    return top, bottom


def add_watermark(fig: go.Figure, watermark: str, *, scale: float = 1.0) -> None:
    """
    Draw the sample's watermark across the plot (nothing when `watermark` is empty).

    Parameters
    ----------
    fig
        The figure.
    watermark
        The text (:attr:`~geo.figures.style.FigureText.watermark`: set on the synthetic sample only).
    scale
        Font scale (presentation mode enlarges every text).
    """
    if watermark:
        fig.add_annotation(
            text=plain(watermark), xref="paper", yref="paper", x=0.5, y=0.5, showarrow=False, textangle=-18,
            font={"size": round(34 * scale), "color": WATERMARK_COLOUR}, bgcolor=WATERMARK_HALO, name="watermark",
        )


def place_source_line(fig: go.Figure, *, height: int, top: int, bottom: int) -> None:
    """Move the source line (written by :func:`apply_text`) to the figure's foot, once the margins are known.

    Parameters
    ----------
    fig
        The plotly figure.
    height
        The figure's height in pixels.
    top
        Top margin in pixels.
    bottom
        Bottom margin in pixels.
    """
    plot_height = max(height - top - bottom, 1)
    for annotation in fig.layout.annotations:
        if annotation.name == "source-line":
            annotation.update(y=-(bottom - 4) / plot_height, yanchor="bottom", yshift=0)


def finish(fig: go.Figure, *, height: int, top: int, bottom: int, left: int = 60, right: int = 20,
           scale: float = 1.0, **layout: Any) -> go.Figure:
    """The atlas's look (white template, fonts, the current language's decimal and thousands separators) with margins for the text; the source line set at the foot.

    Parameters
    ----------
    fig
        The plotly figure.
    height
        The figure's height in pixels.
    top
        Top margin in pixels.
    bottom
        Bottom margin in pixels.
    left
        Left margin in pixels.
    right
        Right margin in pixels.
    scale
        Font scale (presentation mode enlarges every text).
    **layout
        More layout settings, passed to plotly.

    Returns
    -------
    go.Figure
        The atlas's look (white template, fonts, the current language's decimal and thousands separators) with margins
        for the text; the source line set at the foot.
    """
    fig.update_layout(template="plotly_white", font={"family": FONT, "size": round(12 * scale)}, height=height,
                      margin={"l": left, "r": right, "t": top, "b": bottom}, separators=plotly_separators(), **layout)
    # Margins stay as set (no automatic growth for long tick labels), so the source line lands at the foot.
    fig.update_xaxes(automargin=False)
    place_source_line(fig, height=height, top=top, bottom=bottom)
    return fig


def category_ticks(periods: list[str]) -> tuple[dict[str, Any], int]:
    """Tick settings of a category axis of periods, and the margin its labels need (slanted when many).

    Parameters
    ----------
    periods
        The axis's period labels.

    Returns
    -------
    tuple[dict[str, Any], int]
        (the axis's tick settings, the bottom margin its labels need).
    """
    if len(periods) > 12 or (len(periods) > 6 and max((len(p) for p in periods), default=0) > 4):
        return {"tickangle": -45}, 62
    return {"tickangle": 0}, 36


def period_ticks(ticks: Sequence[str]) -> dict[str, Any]:
    """Tick texts of a category axis of periods in the reader's words.

    "mars 2019" for "2019-03", "T2 2019" for "2019-Q2" (the categories stay the period codes, with "*" on a
    partial one); years need none. With many periods every n-th is labelled, so that labels never overlap.

    Parameters
    ----------
    ticks
        Period labels of the axis.

    Returns
    -------
    dict[str, Any]
        The axis's tickvals and ticktext.
    """
    if not ticks or all(len(str(t).rstrip("*")) == 4 for t in ticks):
        return {}
    step = max(1, math.ceil(len(ticks) / 24))
    shown = list(ticks)[::step]
    texts = [period_label(str(t).rstrip("*")) + ("*" if str(t).endswith("*") else "") for t in shown]
    return {"tickmode": "array", "tickvals": shown, "ticktext": texts}


def no_data_annotation(fig: go.Figure, text: str) -> None:
    """A message in the middle of an empty figure.

    Parameters
    ----------
    fig
        The plotly figure.
    text
        The message.
    """
    fig.add_annotation(text=plain(text), x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False,
                       font={"size": 16, "color": MUTED_COLOUR}, bgcolor="rgba(255,255,255,0.85)")


def layout_texts(fig: go.Figure) -> str:
    """Every text a screenshot of the figure shows outside the plot (title, subtitle, annotations), tags removed.

    Parameters
    ----------
    fig
        The plotly figure.

    Returns
    -------
    str
        Every text a screenshot of the figure shows outside the plot (title, subtitle, annotations), tags removed.
    """
    import re

    layout = fig.layout
    parts = [layout.title.text or "", layout.title.subtitle.text or ""]
    parts += [a.text or "" for a in layout.annotations]
    text = " ".join(parts).replace("<br>", " ")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text))


# ---------------------------------------------------------------------------------------------- maps


def fit_view(bounds: Sequence[float], width_px: float, height_px: float) -> tuple[dict, float]:
    """Centre and zoom (web mercator, 512-px tiles) showing `bounds` in a map of about this size.

    Parameters
    ----------
    bounds
        (west, south, east, north) in degrees.
    width_px
        The map's width in pixels.
    height_px
        The map's height in pixels.

    Returns
    -------
    tuple[dict, float]
        (centre as {"lon", "lat"}, zoom).
    """
    west, south, east, north = (float(b) for b in bounds)

    def merc(lat: float) -> float:
        lat = max(min(lat, 85.0), -85.0)
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    zoom_x = math.log2(width_px * 360 / (512 * max(east - west, 1e-6)))
    zoom_y = math.log2(height_px * 2 * math.pi / (512 * max(merc(north) - merc(south), 1e-9)))
    centre_y = (merc(north) + merc(south)) / 2
    centre_lat = math.degrees(2 * math.atan(math.exp(centre_y)) - math.pi / 2)
    return {"lon": (west + east) / 2, "lat": centre_lat}, round(min(zoom_x, zoom_y) - 0.15, 2)


def country_outlines(units: gpd.GeoDataFrame) -> dict | None:
    """Country borders dissolved from the units: readers find their way by country shapes.

    Parameters
    ----------
    units
        The units drawn (:func:`geo.figures.geometry.display_units`).

    Returns
    -------
    dict | None
        Country borders dissolved from the units: readers find their way by country shapes.
    """
    if "country_iso3" not in units or units.empty:
        return None
    lines = []
    for _, group in units.groupby("country_iso3"):
        outline = shapely.union_all(shapely.make_valid(group.geometry.values), grid_size=10.0**-COORDINATE_DECIMALS)
        lines.append(outline.boundary)
    return shapely.geometry.mapping(shapely.MultiLineString(
        [part for line in lines for part in getattr(line, "geoms", [line]) if not part.is_empty]
    ))


def add_play_controls(
    fig: go.Figure,
    names: list[str],
    *,
    prefix: str,
    frame_ms: int,
    play_names: list[str] | None = None,
    from_current: bool = True,
    active: int = 0,
) -> None:
    """Play / Pause buttons and a slider over the figure's frames `names` (map figures: frames are redrawn).

    Parameters
    ----------
    play_names
        Frames Play runs through (default: from the current frame to the end).
    from_current
        Whether Play starts from the frame shown.
    active
        Slider position shown first.
    fig
        The plotly figure.
    names
        The frames, in order.
    prefix
        The slider's label before the frame name.
    frame_ms
        Milliseconds per frame when playing.
    """
    play = {"frame": {"duration": frame_ms, "redraw": True}, "fromcurrent": from_current, "transition": {"duration": 0}}
    if play_names is not None:
        play["mode"] = "immediate"
    step = {"frame": {"duration": 0, "redraw": True}, "mode": "immediate", "transition": {"duration": 0}}
    fig.update_layout(
        updatemenus=[{
            "type": "buttons", "direction": "left", "x": 0.0, "xanchor": "left", "y": 0, "yanchor": "top",
            "pad": {"t": 34, "r": 10}, "showactive": False,
            "buttons": [
                {"label": word("chart.play"), "method": "animate", "args": [play_names, play]},
                {"label": word("chart.pause"), "method": "animate",
                 "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}]},
            ],
        }],
        sliders=[{
            "active": active, "x": 0.16, "len": 0.84, "y": 0, "yanchor": "top", "pad": {"t": 20, "b": 0},
            "currentvalue": {"prefix": prefix, "font": {"size": 14}},
            "steps": [{"label": plain(name), "method": "animate", "args": [[name], step]} for name in names],
        }],
    )

