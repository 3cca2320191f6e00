"""Figure files: PNG, SVG and PDF of the atlas's figures, drawn by the Chromium that kaleido drives.

* plotly figures (charts, the Borders map) go through kaleido 1.5 as they are: PNG at twice their size, SVG and PDF
  in vectors (:func:`plotly_file`).
* SVG figures (the map of :func:`geo.figures.svgmap.map_svg`, the small multiples) are their own SVG; their PNG and
  PDF are drawn by the same Chromium, the SVG placed as the one image of an empty plotly figure of its size
  (:func:`svg_file`). Chromium keeps it in vectors in the PDF (its text stays text) and draws it at twice the
  resolution in the PNG. Why not a second SVG renderer (CairoSVG, measured in bench/bench_exports.py): the page shows
  these SVGs in Chromium, so the same engine draws their files — the same fonts, hatching, halos and paint order —
  and no other native library is needed.

One kaleido server (a Chromium and its tab) is started on first use and kept alive for the process
(``kaleido.start_sync_server``: about 0.3 s per image once warm against 2–3 s when each call starts its own
Chromium). Its calls are not safe from two threads at once (two Streamlit sessions exporting together), so they are
taken one at a time under a lock. MathJax is off (kaleido would fetch it from a CDN). The atlas draws no plotly
``geo`` figure (its maps are SVG, folium or MapLibre), so no topojson is ever wanted: a geo trace is refused rather
than left to fetch its base map from plotly's CDN.

No Streamlit here; nothing reads data.
"""

from __future__ import annotations

import base64
import os
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import plotly.graph_objects as go
import plotly.io as pio

from ..errors import AtlasError

#: What each export format is, by its file suffix.
FIGURE_FORMATS: Final[dict[str, str]] = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
#: PNGs are drawn at twice the figure's size (sharp on slides and high-density screens).
PNG_SCALE: Final = 2
#: Width of an exported plotly figure in pixels (the page stretches its charts; a file needs a size). The figures'
#: filter and source lines are wrapped for 1,200 px.
EXPORT_WIDTH: Final = 1200
#: Seconds kaleido may take for one image before giving up.
TIMEOUT_S: Final = 60
#: Debian's Chromium (``apt-get install chromium``), or the browser named by ATLAS_CHROMIUM.
CHROMIUM_ENV: Final = "ATLAS_CHROMIUM"
DEFAULT_CHROMIUM: Final = "/usr/bin/chromium"
#: plotly trace types that would need topojson base maps.
_GEO_TRACES: Final = frozenset({"scattergeo", "choropleth"})

_lock = threading.Lock()
_started = False


@dataclass(frozen=True)
class RenderTime:
    """How long the last image took (for benchmarks): seconds, and whether the kaleido server had to start."""

    seconds: float
    cold: bool


last_render: RenderTime | None = None


def chromium_path() -> str | None:
    """The Chromium kaleido drives: ATLAS_CHROMIUM, else Debian's /usr/bin/chromium, else None (kaleido looks).

    Returns
    -------
    str | None
        The Chromium kaleido drives: ATLAS_CHROMIUM, else Debian's /usr/bin/chromium, else None (kaleido looks).
    """
    path = os.environ.get(CHROMIUM_ENV) or DEFAULT_CHROMIUM
    return path if Path(path).is_file() else None


def _start() -> bool:
    """Start the one kaleido server of this process, once; True when it was started now."""
    global _started
    if _started:
        return False
    import kaleido

    options: dict[str, Any] = {"mathjax": False, "timeout": TIMEOUT_S}
    path = chromium_path()
    if path:
        options["path"] = path
    kaleido.start_sync_server(silence_warnings=True, **options)
    _started = True
    return True


def stop() -> None:
    """Stop the kaleido server (tests, benchmarks of a cold start); the next image starts it again."""
    global _started
    import kaleido

    with _lock:
        if _started:
            kaleido.stop_sync_server(silence_warnings=True)
            _started = False


def _calc(figure: Mapping[str, Any], opts: Mapping[str, Any]) -> bytes:
    """One image from the kaleido server (started if needed); a failed server is restarted once."""
    global last_render, _started
    import kaleido

    with _lock:
        start = time.perf_counter()
        cold = _start()
        try:
            try:
                data = kaleido.calc_fig_sync(dict(figure), opts=dict(opts))
            except Exception:
                # A Chromium that died (out of memory, killed) leaves a server that cannot draw: start a new one.
                kaleido.stop_sync_server(silence_warnings=True)
                _started = False
                cold = _start()
                data = kaleido.calc_fig_sync(dict(figure), opts=dict(opts))
        except Exception as exc:
            raise AtlasError(
                f"the figure could not be drawn as an image ({type(exc).__name__}: {exc}); image exports need Chromium "
                f"(apt-get install chromium, or set {CHROMIUM_ENV} to a Chromium executable)"
            ) from exc
        last_render = RenderTime(time.perf_counter() - start, cold)
    return data


def check_format(fmt: str) -> str:
    """`fmt` if it is an image format (png, svg, pdf), else ValueError naming them.

    Parameters
    ----------
    fmt
        The format asked for.

    Returns
    -------
    str
        `fmt` if it is an image format (png, svg, pdf), else ValueError naming them.
    """
    if fmt not in FIGURE_FORMATS:
        raise ValueError(f"unknown image format {fmt!r}; use one of {', '.join(FIGURE_FORMATS)}")
    return fmt


def static_figure(fig: go.Figure | Mapping[str, Any]) -> dict[str, Any]:
    """The figure as a plain dict for a file: without animation frames, Play / Pause buttons and slider (a file shows the figure's first state), its template resolved (figures built without validation keep its name only).

    Parameters
    ----------
    fig
        The plotly figure.

    Returns
    -------
    dict[str, Any]
        The figure as a plain dict for a file: without animation frames, Play / Pause buttons and slider (a file shows
        the figure's first state), its template resolved (figures built without validation keep its name only).
    """
    spec = fig.to_dict() if isinstance(fig, go.Figure) else {key: value for key, value in fig.items()}
    spec.pop("frames", None)
    layout = dict(spec.get("layout") or {})
    layout.pop("updatemenus", None)
    layout.pop("sliders", None)
    if isinstance(layout.get("template"), str):
        layout["template"] = pio.templates[layout["template"]].to_plotly_json()
    spec["layout"] = layout
    geo = sorted({t.get("type") for t in spec.get("data", []) if t.get("type") in _GEO_TRACES})
    if geo:
        raise ValueError(f"plotly geo traces ({', '.join(geo)}) are not exported: they would fetch base maps online")
    return spec


def plotly_size(fig: go.Figure | Mapping[str, Any], width: int | None = None) -> tuple[int, int]:
    """(width, height) in pixels of the file of a plotly figure: `width` (default :data:`EXPORT_WIDTH`) and its height.

    Parameters
    ----------
    fig
        The plotly figure.
    width
        The file's width in pixels; default :data:`EXPORT_WIDTH`.

    Returns
    -------
    tuple[int, int]
        (width, height) in pixels of the file of a plotly figure: `width` (default :data:`EXPORT_WIDTH`) and its
        height.
    """
    layout = fig.layout if isinstance(fig, go.Figure) else fig.get("layout", {})
    height = layout.height if isinstance(fig, go.Figure) else layout.get("height")
    given = layout.width if isinstance(fig, go.Figure) else layout.get("width")
    return int(width or given or EXPORT_WIDTH), int(height or 600)


#: Pixels added under a plotly figure in a PDF: Chromium's print of kaleido's page cuts the last few pixels of the
#: figure, where the source line is.
PDF_FOOT_PX: Final = 14


def plotly_file(fig: go.Figure | Mapping[str, Any], fmt: str, *, width: int | None = None) -> bytes:
    """A plotly figure as a PNG (at :data:`PNG_SCALE` times its size), SVG or PDF (one page of its size).

    Parameters
    ----------
    fig
        The figure as the page shows it (its title, filter line, source line and watermark are in its layout).
    fmt
        "png", "svg" or "pdf".
    width
        Width in pixels (default: the figure's own, else :data:`EXPORT_WIDTH`); the height is the figure's.

    Returns
    -------
    bytes
        A plotly figure as a PNG (at :data:`PNG_SCALE` times its size), SVG or PDF (one page of its size).
    """
    check_format(fmt)
    w, h = plotly_size(fig, width)
    spec = static_figure(fig)
    if fmt == "pdf":  # white space under the figure (the plot area and every text keep their place)
        margin = dict(spec["layout"].get("margin") or {})
        margin["b"] = int(margin.get("b") or 0) + PDF_FOOT_PX
        spec["layout"] = {**spec["layout"], "margin": margin, "height": h + PDF_FOOT_PX}
        h += PDF_FOOT_PX
    return _calc(spec, {"format": fmt, "width": w, "height": h, "scale": PNG_SCALE if fmt == "png" else 1})


_SIZE = re.compile(r'<svg\b[^>]*?\bwidth="([\d.]+)"[^>]*?\bheight="([\d.]+)"')


def svg_size(svg: str) -> tuple[int, int]:
    """(width, height) in pixels of a standalone SVG of the atlas (its ``width`` and ``height`` attributes).

    Parameters
    ----------
    svg
        A standalone SVG of the atlas.

    Returns
    -------
    tuple[int, int]
        (width, height) in pixels of a standalone SVG of the atlas (its ``width`` and ``height`` attributes).
    """
    match = _SIZE.search(svg[:2000])
    if not match:
        raise ValueError("the SVG has no width and height attributes")
    return round(float(match.group(1))), round(float(match.group(2)))


def svg_figure(svg: str) -> dict[str, Any]:
    """An empty plotly figure of the SVG's size whose one image is the SVG (how Chromium draws it into a file).

    Parameters
    ----------
    svg
        A standalone SVG of the atlas.

    Returns
    -------
    dict[str, Any]
        An empty plotly figure of the SVG's size whose one image is the SVG (how Chromium draws it into a file).
    """
    width, height = svg_size(svg)
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return {
        "data": [],
        "layout": {
            "width": width, "height": height, "margin": {"l": 0, "r": 0, "t": 0, "b": 0}, "showlegend": False,
            "paper_bgcolor": "#ffffff", "plot_bgcolor": "#ffffff",
            "xaxis": {"visible": False, "range": [0, 1]}, "yaxis": {"visible": False, "range": [0, 1]},
            "images": [{"source": source, "xref": "paper", "yref": "paper", "x": 0, "y": 1, "sizex": 1, "sizey": 1,
                        "xanchor": "left", "yanchor": "top", "sizing": "stretch", "layer": "above"}],
        },
    }


def svg_file(svg: str, fmt: str) -> bytes:
    """An SVG figure as itself (UTF-8), or as a PNG (at :data:`PNG_SCALE` times its size) or PDF drawn by Chromium.

    Parameters
    ----------
    svg
        A standalone SVG of the atlas.
    fmt
        "svg", "png" or "pdf".

    Returns
    -------
    bytes
        An SVG figure as itself (UTF-8), or as a PNG (at :data:`PNG_SCALE` times its size) or PDF drawn by Chromium.
    """
    check_format(fmt)
    if fmt == "svg":
        return svg.encode("utf-8")
    width, height = svg_size(svg)
    return _calc(svg_figure(svg), {"format": fmt, "width": width, "height": height, "scale": PNG_SCALE if fmt == "png" else 1})
