"""What the Map, Trends and Borders pages show, read through the app's caches (plain functions, no widgets).

The figures are built by the figure layer (:mod:`geo.figures.views`, :mod:`geo.figures.borders_view`), which
``python -m geo export`` and the briefing pack call too: a file is the figure the page shows. A page gets them here,
read through its context (:meth:`ui.shell.Context.inputs`: the reads cached per data version), with what only a page
has: the unit a reader clicked on the map, and the Borders page's method text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from geo.figures import agreement_view as agreement_views
from geo.figures import borders_view as border_views
from geo.figures import views as figure_views
from geo.figures.borders import km_text
from geo.figures.state import ViewState
from geo.figures.style import word

if TYPE_CHECKING:  # the context is built by the shell (Streamlit); only its type is needed here
    from .shell import Context


def map_view(ctx: Context, view: ViewState) -> figure_views.MapView:
    """The Map page's map of the years chosen, with its legend, totals and units table."""
    return figure_views.map_view(ctx.inputs(), view)


def years_view(ctx: Context, view: ViewState) -> figure_views.YearsView:
    """The Map page's animation and small multiples of the years chosen."""
    return figure_views.years_view(ctx.inputs(), view)


def clicked_unit(returned: dict[str, Any] | None, shown: figure_views.MapView, view: ViewState) -> str | None:
    """
    The unit a reader has just clicked on the map (what ``st_folium`` returned), or None.

    None when nothing was clicked, when the click is on the unit already shown, on something that is not a unit of the
    map (an event point, the tri-border zone) or in presentation mode, where the map is a slide.
    """
    clicked = ((returned or {}).get("last_active_drawing") or {}).get("properties", {}).get("unit_code")
    if not clicked or clicked == view.unit or view.present or clicked not in set(shown.units["unit_code"]):
        return None
    return str(clicked)


def unit_view(ctx: Context, view: ViewState, shown: figure_views.MapView) -> figure_views.UnitView | None:
    """The detail of the unit the view has (a click on the map), or None when there is none or the map does not show it."""
    if not view.unit:
        return None
    return figure_views.unit_view(ctx.inputs(), view, shown, view.unit)


def trends_view(ctx: Context, view: ViewState) -> figure_views.TrendsView:
    """The Trends page's chart and the two tables comparing the years chosen."""
    return figure_views.trends_view(ctx.inputs(), view)


def compare_choices(ctx: Context, view: ViewState) -> list[str]:
    """The sources the Trends page's "Compare sources" can set beside the view's (every other one the store holds)."""
    return agreement_views.compare_choices(view, ctx.choices.sources)


def compare_default(ctx: Context, view: ViewState) -> str:
    """The source set beside the view's when none is chosen."""
    return agreement_views.default_other(view, ctx.choices.sources)


def ranges_note(ctx: Context) -> str:
    """The one sentence on what the ranges in brackets mean (with the uncertainty areas of the settings)."""
    return figure_views.ranges_note(ctx.settings)


def compare_view(ctx: Context, view: ViewState) -> agreement_views.CompareView:
    """The Trends page's "Compare sources": the view's source beside another, per period and per unit, never summed."""
    return agreement_views.compare_view(ctx.inputs(), view, sources=ctx.choices.sources, other=view.compare)


def agreement_view(ctx: Context, view: ViewState) -> agreement_views.AgreementView:
    """The "Do the sources agree?" page: ACLED's events beside ACLED's aggregates of the view's indicator."""
    return agreement_views.agreement_view(ctx.inputs(), view, sources=ctx.choices.sources)


def borders_view(ctx: Context, view: ViewState) -> border_views.BordersView:
    """Everything the Borders page shows for the view."""
    return border_views.borders_view(ctx.inputs(), view)


def band_table(shown: border_views.BordersView) -> tuple[pd.DataFrame, list[str]]:
    """The Borders page's table per year, border segment and band, with its shares as percentages (the CSV keeps
    fractions), and the names of the share columns."""
    table = shown.band_table
    shares = [c for c in table.columns if c.startswith("share_")]
    return table.assign(**{c: table[c] * 100 for c in shares}), shares


def borders_method(shown: border_views.BordersView) -> str:
    """The Borders page's "about these figures" text: boundary set, bands, tri-border zone, pair rule, headline shares."""
    method = shown.method
    summary = method["summary"]
    return word(
        "borders.about", boundary_set=method["boundary_set"], bands=", ".join(km_text(b) for b in method["bands"]),
        tri_km=method["tri_km"], pair_rule=method["pair_rule"], filters=method["filters"],
        share_events=border_views.percent(summary["share_events"]),
        share_fatalities=border_views.percent(summary["share_fatalities"]),
        km=km_text(border_views.HEADLINE_KM), swac=border_views.percent(0.46),
    )
