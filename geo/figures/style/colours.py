"""Colours and fonts: the sequential palette of the classes (ColorBrewer YlOrRd), zero and no data (hatched, dashed: never confused with zero), the qualitative colours of groups, outlines, labels and the sample's watermark."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from plotly.colors import convert_colors_to_same_type, unlabel_rgb

#: Fonts of plotly figures and of SVG figures (both fall back to what the system has).
FONT: Final = "Open Sans, Liberation Sans, DejaVu Sans, Arial, sans-serif"
SVG_FONT: Final = "'Helvetica Neue', Arial, 'DejaVu Sans', sans-serif"
TEXT_COLOUR: Final = "#222222"
MUTED_COLOUR: Final = "#555555"
#: Watermark of the synthetic sample: red with a white halo, seen over every fill, light enough to read the figure through.
WATERMARK_COLOUR: Final = "rgba(190, 30, 45, 0.5)"
WATERMARK_HALO: Final = "rgba(255, 255, 255, 0.6)"

#: The most classes a map has.
MAX_CLASSES: Final = 8
# ColorBrewer YlOrRd (sequential, colour-blind safe), n = 3..9. The palette for k classes is the
# (k+1)-colour scheme without its palest yellow, so the lowest class stays clearly apart from zero.
_YLORRD: Final[dict[int, tuple[str, ...]]] = {
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    9: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"),
}
#: Colours of the positive classes for k = 1..8.
PALETTE: Final[dict[int, tuple[str, ...]]] = {1: ("#fd8d3c",), **{k: _YLORRD[k + 1][1:] for k in range(2, MAX_CLASSES + 1)}}
#: Fill of units with zero: a very light neutral grey, not a colour of the scale.
ZERO_COLOR: Final = "#ececec"
#: Outlines and labels on maps.
BORDER_COLOR: Final = "#262626"
FOCUS_COLOR: Final = "#000000"  # the outline of a focus area (presentation mode)
AOI_COLOR: Final = "#1b6ca8"  # blue, apart from every YlOrRd colour
POINT_FILL: Final = "#1f3b73"  # dark blue: readable on every YlOrRd class and on the zero grey
MAP_BACKGROUND: Final = "#f3f5f7"
NEIGHBOUR_FILL: Final = "#ffffff"
#: Paul Tol's "muted" colours (plotly "Safe"), dark ones first so that few lines stay legible on white; its
#: grey is kept for "Other".
GROUP_COLOURS: Final = ["#332288", "#88CCEE", "#117733", "#DDCC77", "#CC6677", "#AA4499", "#44AA99", "#999933",
                        "#882255", "#661100"]
OTHER_COLOUR: Final = "#888888"
SINGLE_COLOUR: Final = "rgb(51, 34, 136)"
#: A period the data cover only in part is drawn lighter (bars) or with an open marker (lines).
PARTIAL_OPACITY: Final = 0.45


@dataclass(frozen=True)
class NoDataStyle:
    """
    How units without data are drawn: white, hatched with grey lines, with a dashed grey outline.

    Attributes
    ----------
    fill
        Fill colour (also the fallback where the hatch pattern is unavailable).
    fill_opacity
        Opacity of the fill.
    color
        Outline colour.
    weight
        Outline width in pixels.
    dash_array
        SVG dash pattern of the outline.
    hatch_color
        Colour of the diagonal hatch lines.
    pattern_id
        Id of the SVG hatch pattern (defined once in each map document and SVG figure).
    """

    fill: str = "#ffffff"
    fill_opacity: float = 0.9
    color: str = "#8c8c8c"
    weight: float = 1.0
    dash_array: str = "4 3"
    hatch_color: str = "#b4b4b4"
    pattern_id: str = "atlas-no-data-hatch"

    @property
    def svg_fill(self) -> str:
        """SVG ``fill`` value: the hatch pattern with the plain fill as fallback."""
        return f"url(#{self.pattern_id}) {self.fill}"

    def pattern_svg(self, size: int = 6) -> str:
        """The ``<pattern>`` element (for an SVG ``<defs>``) drawing the hatch.

        Parameters
        ----------
        size
            The hatch's spacing in pixels.

        Returns
        -------
        str
            The ``<pattern>`` element (for an SVG ``<defs>``) drawing the hatch.
        """
        return (
            f'<pattern id="{self.pattern_id}" patternUnits="userSpaceOnUse" width="{size}" height="{size}" '
            f'patternTransform="rotate(45)"><rect width="{size}" height="{size}" fill="{self.fill}"/>'
            f'<line x1="0" y1="0" x2="0" y2="{size}" stroke="{self.hatch_color}" stroke-width="1.5"/></pattern>'
        )


#: The no-data style; deliberately unlike zero (hatched and dashed, not flat grey).
NO_DATA: Final = NoDataStyle()


def rgb_tuple(colour: str) -> tuple[int, int, int]:
    """
    A colour as (red, green, blue), 0–255, parsed by plotly's colour helpers.

    Parameters
    ----------
    colour
        "#rrggbb" or "rgb(r, g, b)" (what this module's colours and plotly's colour scales are).

    Returns
    -------
    tuple
        The three channels as integers.
    """
    (rgb,), _ = convert_colors_to_same_type(colour, colortype="rgb")
    red, green, blue = (int(round(float(v))) for v in unlabel_rgb(rgb))
    return red, green, blue
