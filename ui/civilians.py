"""What the Civilians page shows: the Civilians view of :mod:`geo.figures.civilians_view` (its tables and figures, which
``python -m geo export civilians-*`` writes too) read through the page's cached context, with the page's headline
tiles, tables and captions in the reader's words. Plain functions, no widgets: tested without Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import pandas as pd

from geo.figures import civilians as civilian_figures
from geo.figures import style
from geo.figures.civilians_view import MIN_BASE, CiviliansView, civilian_indicator, civilians_view
from geo.figures.state import INT_RANGES, PERPETRATOR_VIEWS, ViewState, choice_label
from geo.figures.views import subject, with_range_text
from geo.indicators import AGGREGATE_SOURCE
from geo.perpetrators import OTHER_GROUP, PERPETRATORS

if TYPE_CHECKING:  # the context is built by the shell (Streamlit); only its type is needed here
    from .shell import Context

word = style.word

#: The mass-casualty threshold the page offers (the URL's ``mass_min`` range).
MASS_MIN_RANGE: tuple[int, int] = INT_RANGES["mass_min"]
#: Perpetrators by kind of actor or by named group (atlas.toml [actor_groups]).
BY_CHOICES: tuple[str, ...] = PERPETRATOR_VIEWS


def by_label(value: str) -> str:
    """A choice of "perpetrators by" in words ("kind of actor", "named group")."""
    return choice_label("civ_by", value)


@dataclass(frozen=True)
class Tile:
    """A headline figure."""

    label: str
    value: str
    help: str | None = None


@dataclass
class CiviliansPage:
    """Everything the Civilians page lays out."""

    shown: CiviliansView  # the figures (map, stacked chart, state share) and the tables they come from
    tiles: list[Tile]
    empty: str  # said when no civilian was killed under the filters
    ucdp_note: str  # UCDP GED types no perpetrator kind: said on its data
    unit_title: str
    unit_table: pd.DataFrame  # per unit, the state share in percent (and the ranges of civilian fatalities and events)
    perpetrator_columns: dict[str, str]  # perpetrator kind -> its name (the unit table's columns)
    rising_title: str
    rising_caption: str
    rising: pd.DataFrame
    mass_title: str
    mass_caption: str
    mass_table: pd.DataFrame  # the mass-casualty events listed, dates in words
    mass_file_name: str
    groups_caption: str
    groups: pd.DataFrame  # named groups, "Other" in words
    top_actors: pd.DataFrame  # first actors, their kind in words
    chart_file_name: str  # the stacked chart's downloads
    no_events: str = ""  # ACLED's aggregates: said instead of the mass-casualty list
    no_perpetrators: str = ""  # ... instead of the state share and the named groups
    no_actors: str = ""  # ... instead of the first actors
    single_controls: bool = True  # whether the mass-casualty and perpetrator settings apply (not to aggregates)
    ranges_note: str = ""  # what the ranges in brackets mean

    def unit_table_shown(self) -> pd.DataFrame:
        """The units table for readers: civilian fatalities and events with their ranges in brackets ("769 (667–906)")."""
        return with_range_text(self.unit_table, ("civilian_fatalities", "civilian_events"))

    @property
    def figure_table(self) -> pd.DataFrame:
        """The stacked chart's table (its CSV and XLSX)."""
        return self.shown.data.series


def civilians_page(ctx: Context, view: ViewState, *, analyst: bool = False) -> CiviliansPage:
    """
    The Civilians page of the view state, read through the page's cached reads.

    Parameters
    ----------
    ctx
        The page's context (:meth:`ui.shell.Context.inputs`: the reads cached per data version).
    view
        The view state.
    analyst
        Whether the reader has the analyst role (the mass-casualty caption then names the command that lists them all).

    Returns
    -------
    CiviliansPage
        What the page lays out.
    """
    inputs = ctx.inputs()
    shown = civilians_view(inputs, view)
    data, totals = shown.data, shown.data.totals
    years = view.year_label()
    count, percent = style.format_count, style.format_percent
    tiles = [
        Tile(word("civ.tile.fatalities", where=shown.where), count(totals["civilian_fatalities"]),
             word("civ.tile.fatalities.help", n=count(totals["civilian_events"]), years=years)),
        Tile(word("civ.tile.state"), percent(totals["state_share"]),
             word("civ.tile.state.help", state=count(totals["state_forces"]), external=count(totals["external_forces"]),
                  share=percent(totals["external_share"]))),
        Tile(word("civ.tile.mass", n=view.mass_min), count(data.mass_total),
             word("civ.tile.mass.help", kind=style.capitalized(shown.mass_kind), n=view.mass_min, years=years)),
        Tile(word("civ.tile.events"), count(totals["civilian_events"])),
    ]
    if data.no_events:  # ACLED's aggregates: no perpetrators, no single events (said under the map and the lists)
        tiles = [tiles[0], tiles[3]]
    empty = ""
    if totals["civilian_fatalities"] == 0 and not data.no_events:
        empty = word("civ.empty", source=shown.source_label, filters=style.filter_line(subject(inputs, view), metric=False))
    unit_table = shown.unit_table()
    if len(unit_table) and "state_share" in unit_table:
        unit_table = unit_table.assign(state_share=unit_table["state_share"] * 100)

    first, last = data.rising_years
    listed = civilian_figures.mass_casualty_table(data.mass)
    mass_caption = ((word("civ.mass_caption.largest", n=count(len(listed)), total=count(data.mass_total))
                     if data.mass_total > len(listed) else word("civ.mass_caption.all", n=count(len(listed))))
                    + " " + word("civ.mass_caption.order")
                    + (" " + word("civ.mass_caption.cli") if analyst else ""))  # commands only for those who run them
    groups = data.groups.assign(label=[style.perpetrator_name(g) if g == OTHER_GROUP else label
                                       for g, label in zip(data.groups["group"], data.groups["label"])])
    top = data.top_actors.assign(actor1_type=[style.category(t) if t else word("civ.not_typed")
                                              for t in data.top_actors["actor1_type"].fillna("")])
    return CiviliansPage(
        shown=shown, tiles=tiles, empty=empty,
        ucdp_note=word("civ.ucdp_note", not_typed=style.perpetrator_name("unknown")) if view.source == "ucdp" else "",
        unit_title=word("civ.per_unit", unit=shown.level_words[0], years=years), unit_table=unit_table,
        ranges_note=shown.ranges_note,
        perpetrator_columns={code: style.perpetrator_name(code) for code in PERPETRATORS},
        rising_title=word("civ.rising", first=first, last=last),
        rising_caption=word("civ.rising.caption", first=first, last=last, base=MIN_BASE),
        rising=data.rising.drop(columns=["unit_code", "country_iso3"], errors="ignore"),
        mass_title=word("civ.mass_title", kind=shown.mass_kind, where=shown.where, n=view.mass_min, years=years),
        mass_caption=mass_caption, mass_table=listed.assign(date=style.format_dates(listed["date"])),
        mass_file_name=f"atlas_mass_casualty_{date.today()}.csv",
        groups_caption=word("civ.groups.caption", other=style.perpetrator_name(OTHER_GROUP)),
        groups=groups.drop(columns="group"), top_actors=top,
        chart_file_name=f"atlas_civilians_{years.replace('–', '-')}_{view.source}",
        no_events=data.no_events, no_perpetrators=data.no_perpetrators,
        no_actors=word("views.no_single_events", source=style.source_name(view.source), what=word("views.single.actors"))
        if data.no_events else "",
        single_controls=not data.no_events,
    )


def no_civilian_table(ctx: Context, view: ViewState) -> str:
    """The sentence said instead of the page when ACLED's aggregates are shown and none is of civilian targeting, else ""."""
    return civilian_indicator(view, ctx.choices.indicators)[1]


def single_event_settings(view: ViewState) -> bool:
    """Whether the page's mass-casualty and perpetrator settings apply (ACLED's aggregates have no single events)."""
    return view.source != AGGREGATE_SOURCE


def clicked_unit(returned: dict[str, Any] | None, page: CiviliansPage, view: ViewState) -> str | None:
    """The unit a reader has just clicked on the map (what ``st_folium`` returned), or None (nothing new, not a unit)."""
    clicked = ((returned or {}).get("last_active_drawing") or {}).get("properties", {}).get("unit_code")
    if not clicked or clicked == view.unit or clicked not in set(page.shown.units["unit_code"]):
        return None
    return str(clicked)
