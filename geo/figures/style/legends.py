"""Legends: what every legend of a map lists (:func:`legend_entries`) and the HTML legend beside the interactive map (:func:`legend_html`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .classes import Classification
from .colours import AOI_COLOR, BORDER_COLOR, FOCUS_COLOR, MUTED_COLOUR, POINT_FILL, SVG_FONT, TEXT_COLOUR, NoDataStyle
from .escaping import esc
from .formats import format_count
from .words import capitalized, country_name, metric_label, word


@dataclass(frozen=True)
class LegendEntry:
    """One line of a legend: `kind` is "zero", "class", "no_data", "border", "aoi" or "points"."""

    kind: str
    label: str
    colour: str = ""


def legend_entries(classification: Classification, *, borders: bool = False, aoi: bool = False,
                   points: str | None = None, focus: str | None = None) -> list[LegendEntry]:
    """What every map legend lists, in order: zero, the classes, no data, then the lines and points drawn.

    Parameters
    ----------
    classification
        The map's classes.
    borders
        Whether country borders are drawn.
    aoi
        Whether the area of interest is outlined.
    points
        The label of the event points or cells drawn; None without.
    focus
        The name of a focus area outlined; None without.

    Returns
    -------
    list[LegendEntry]
        What every map legend lists, in order: zero, the classes, no data, then the lines and points drawn.
    """
    entries = [LegendEntry("zero", word("legend.zero"), classification.zero_color)]
    entries += [LegendEntry("class", label, colour) for colour, label in zip(classification.colors, classification.labels)]
    entries.append(LegendEntry("no_data", word("legend.no_data"), classification.no_data.fill))
    if borders:
        entries.append(LegendEntry("border", word("legend.country_border"), BORDER_COLOR))
    if aoi:
        entries.append(LegendEntry("aoi", word("legend.aoi"), AOI_COLOR))
    if focus:
        entries.append(LegendEntry("focus", capitalized(focus), FOCUS_COLOR))  # an entry starts upper-case ("Région de Mopti")
    if points:
        entries.append(LegendEntry("points", points, POINT_FILL))
    return entries


def unplaced_note(unplaced: Mapping[str, int] | None) -> str:
    """"Events not placed at this level: 30 in Mali" (empty when none).

    Parameters
    ----------
    unplaced
        Country ISO3 -> events not placed at the level; None when none.

    Returns
    -------
    str
        "Events not placed at this level: 30 in Mali" (empty when none).
    """
    parts = [
        word("legend.in_country", n=format_count(n), country=country_name(iso3) if iso3 else word("legend.unknown_country"))
        for iso3, n in sorted((unplaced or {}).items(), key=lambda item: -item[1])
        if n > 0
    ]
    return word("legend.not_placed", parts=", ".join(parts)) if parts else ""


def _swatch(entry: LegendEntry, no_data: NoDataStyle) -> str:
    """A legend swatch in plain HTML and CSS (a legend shown with the page's HTML keeps no inline SVG)."""
    box = "display:inline-block;flex:none;width:22px;height:13px;margin-right:7px;box-sizing:border-box;"
    if entry.kind == "border":
        return f'<span style="{box}height:0;border-top:2.5px solid {entry.colour};margin-top:1px"></span>'
    if entry.kind == "aoi":
        return f'<span style="{box}height:0;border-top:2.5px dashed {entry.colour};margin-top:1px"></span>'
    if entry.kind == "focus":
        return f'<span style="{box}height:0;border-top:3.5px solid {entry.colour};margin-top:1px"></span>'
    if entry.kind == "points":
        return (f'<span style="{box}width:12px;height:12px;margin:0 12px 0 5px;border-radius:50%;background:{entry.colour};'
                'border:1px solid #fff"></span>')
    if entry.kind == "no_data":
        hatch = (f"repeating-linear-gradient(45deg,{no_data.hatch_color} 0 1.5px,{no_data.fill} 1.5px 5px)")
        return f'<span style="{box}background:{hatch};border:1px dashed {no_data.color}"></span>'
    outline = "#c8c8c8" if entry.kind == "zero" else "rgba(0,0,0,0.18)"
    return f'<span style="{box}background:{entry.colour};border:1px solid {outline}"></span>'


def legend_html(
    classification: Classification,
    *,
    metric: str,
    scope: str = "",
    units: str = "units",
    unplaced: Mapping[str, int] | None = None,
    borders: bool = False,
    aoi: bool = False,
    points: str | None = None,
    focus: str | None = None,
    scale: float = 1.0,
) -> str:
    """
    The map legend as an HTML fragment (all text escaped), shown open beside the map.

    Parameters
    ----------
    classification : Classification
        Classes to list, lowest first, after "0" and before "No data".
    metric : str
        Metric column; its name heads the legend.
    scope : str
        What the colours are of, under the metric (e.g. "2019", or "2016–2019, one colour scale for every year").
    units : str
        The units classified, plural ("regions"), for the note on how the classes were made.
    unplaced : mapping, optional
        country_iso3 -> events that could not be placed at this level (a footnote).
    borders, aoi : bool
        Add line entries for country borders and the area of interest.
    points : str, optional
        Label of the event points entry, when they are drawn.
    focus : str, optional
        Name of the focus area outlined on the map.
    scale : float
        Font scale (presentation mode).

    Returns
    -------
    str
        A ``<div class="atlas-legend">``.
    """
    rows = [f'<div class="atlas-legend-title">{esc(metric_label(metric))}</div>']
    if scope:
        rows.append(f'<div class="atlas-legend-sub">{esc(scope)}</div>')
    for entry in legend_entries(classification, borders=borders, aoi=aoi, points=points, focus=focus):
        if entry.kind == "border":
            rows.append('<div class="atlas-legend-sep"></div>')
        rows.append(f'<div class="atlas-legend-row">{_swatch(entry, classification.no_data)}<span>{esc(entry.label)}</span></div>')
    notes = [word("legend.classes", how=classification.describe(units))]
    note = unplaced_note(unplaced)
    if note:
        notes.append(note)
    rows += [f'<div class="atlas-legend-note">{esc(n)}</div>' for n in notes]
    size = 13 * scale
    css = (
        "<style>"
        f".atlas-legend{{font:{size:.1f}px/1.45 {SVG_FONT};color:{TEXT_COLOUR};max-width:{int(260 * scale)}px;"
        "background:#fff;padding:4px 2px}"
        f".atlas-legend-title{{font-weight:700;font-size:{size * 1.1:.1f}px}}"
        f".atlas-legend-sub{{color:{MUTED_COLOUR};margin-bottom:6px;line-height:1.3}}"
        ".atlas-legend-row{display:flex;align-items:center;white-space:nowrap}"
        ".atlas-legend-sep{border-top:1px solid #ddd;margin:5px 0}"
        f".atlas-legend-note{{color:{MUTED_COLOUR};font-size:{size * 0.88:.1f}px;margin-top:6px;line-height:1.3}}"
        "</style>"
    )
    return f'<div class="atlas-legend">{css}{"".join(rows)}</div>'
