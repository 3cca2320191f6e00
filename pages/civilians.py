"""Civilians: how many civilians were killed, by whom and where — per unit and year, civilian fatalities by
perpetrator (map and stacked chart), the share attributed to state forces, the mass-casualty events and the
units where civilian fatalities rose most."""

from datetime import date

import streamlit as st
from streamlit_folium import st_folium

from geo.countries import COUNTRY_NAMES
from geo.export import to_safe_csv
from geo.figures import choropleth, style
from geo.figures import civilians as civilian_figures
from geo.figures.geometry import display_area_of_interest, display_countries, display_units
from geo.perpetrators import PERPETRATORS, group_labels
from ui import civilians as model
from ui import downloads, shell, views
from ui.state import INT_RANGES, PERPETRATOR_VIEWS

ctx, view = shell.current("civilians")
source_label = ctx.source_label(view.source)
inputs = ctx.inputs()
level_label = views.subject(inputs, view).units[0]
groups = ctx.settings.actor_groups

st.title(f"Civilians killed, {view.year_label()} — {source_label}")
st.caption("Fatalities of events whose primary target was civilians (ACLED civilian targeting; UCDP one-sided "
           "violence), by the kind of the first actor. The sidebar's filters apply; the metric chosen there does not.")

options = st.columns([1, 1, 1, 1])
low, high = INT_RANGES["mass_min"]
mass_min = int(options[0].number_input(
    "Mass-casualty threshold (killed)", low, high, value=view.mass_min, step=1, key="w_mass_min",
    help="Events with at least this many fatalities are listed and marked on the map (default 10).",
))
mass_civilian = options[1].checkbox("Only events targeting civilians", value=view.mass_civilian, key="w_mass_civilian",
                                    help="Which mass-casualty events are listed and marked: those whose primary target was "
                                         "civilians, or every event (battles too).")
civ_by = options[2].radio("Perpetrators by", list(PERPETRATOR_VIEWS), format_func=PERPETRATOR_VIEWS.get, horizontal=True,
                          index=list(PERPETRATOR_VIEWS).index(view.civ_by), key="w_civ_by",
                          help="Named groups are set in atlas.toml under [actor_groups].")
if (mass_min, mass_civilian, civ_by) != (view.mass_min, view.mass_civilian, view.civ_by):
    view = shell.update(mass_min=mass_min, mass_civilian=mass_civilian, civ_by=civ_by)
mass_kind = "events targeting civilians" if view.mass_civilian else "events"

units = display_units(ctx.boundary_set, view.level)
if view.countries:
    units = units[units["country_iso3"].isin(view.countries)]
unit_code = view.unit if view.unit in set(units["unit_code"]) else ""
unit_name = units.set_index("unit_code")["unit_name"].get(unit_code, "") if unit_code else ""

civ = model.civilians_view(
    ctx.source, source=view.source, level=view.level, filters=view.filters_without_years(), year_from=view.year_from,
    year_to=view.year_to, min_fatalities=view.mass_min, civilian_only=view.mass_civilian, by=view.civ_by, groups=groups,
    unit_code=unit_code or None,
)
# Every figure's filter and source lines, made as the other pages' are (geo.figures.style).
text = style.figure_text(views.subject(inputs, view, metric="civilian_fatalities"), "")
caption = f"{text.filter_line} · {text.source_line}"
series_years = f"{civ.periods[0]}–{civ.periods[-1]}" if len(civ.periods) > 1 else civ.periods[0]
series_text = style.figure_text(
    views.subject(inputs, view, metric="civilian_fatalities", years=(int(civ.periods[0]), int(civ.periods[-1]))), "")
series_caption = f"{series_text.filter_line} · {series_text.source_line}"
highlight = str(view.year_from) if view.year_from == view.year_to else None
where = f" in {unit_name}" if unit_code else ""

# ------------------------------------------------------------------ headline figures
totals = civ.totals


def percent(value: float) -> str:
    return "–" if value != value else f"{value * 100:.0f} %"


tiles = st.columns(4)
tiles[0].metric(f"Civilian fatalities{where}", f"{totals['civilian_fatalities']:,.0f}",
                help=f"Fatalities of the {totals['civilian_events']:,.0f} events targeting civilians, {view.year_label()}.")
tiles[1].metric("Attributed to state forces", percent(totals["state_share"]),
                help=f"{totals['state_forces']:,.0f} civilian fatalities in events whose first actor is a state force of the "
                     f"country; external forces (foreign armies, UN and other forces): {totals['external_forces']:,.0f} "
                     f"({percent(totals['external_share'])}).")
tiles[2].metric(f"Mass-casualty events (≥ {view.mass_min} killed)", f"{civ.mass_total:,}",
                help=f"{mass_kind.capitalize()} with at least {view.mass_min} fatalities, {view.year_label()}.")
tiles[3].metric("Civilian-targeting events", f"{totals['civilian_events']:,.0f}")
if totals["civilian_fatalities"] == 0:
    st.info(f"No {source_label} civilian fatalities match these filters ({view.filters().describe(ctx.settings)}). "
            "Choose other years or widen the filters in the sidebar.")
if view.source == "ucdp":
    st.caption("UCDP names but does not type non-state actors: events of organisations (JNIM, IS …) are under "
               "“Not typed”; governments are state forces at home and external forces abroad. See the named groups below.")

# ------------------------------------------------------------------ map and series
left, right = st.columns([3, 2], gap="medium")
with left:
    classification = style.classify(civ.classification_basis, scheme=view.scheme, log=view.log)
    mass_layer = civilian_figures.MassCasualtyLayer(
        civ.mass, name=f"{mass_kind.capitalize()} with ≥ {view.mass_min} killed ({len(civ.mass):,}"
                       + (f" largest of {civ.mass_total:,})" if civ.mass_total > len(civ.mass) else ")"))
    legend = civilian_figures.PerpetratorLegend(civ.mass["perpetrator"].unique(), title=f"≥ {view.mass_min} killed, by")
    map_title = f"Civilian fatalities per {level_label}, {view.year_label()} — {source_label}"
    figure = choropleth.choropleth_map(
        units, civ.map_values, metric="civilian_fatalities", text=text.retitled(map_title), classification=classification,
        countries=display_countries(ctx.boundary_set), aoi=display_area_of_interest(ctx.boundary_set),
        online_tiles=view.tiles, extra_layers=[mass_layer, legend], legend="inside", units_label=level_label,
        scope=view.year_label(),
    )
    returned = st_folium(figure, height=600, use_container_width=True, returned_objects=["last_active_drawing"], key="civ_map")
    clicked = ((returned or {}).get("last_active_drawing") or {}).get("properties", {}).get("unit_code")
    if clicked and clicked != view.unit and clicked in set(units["unit_code"]):
        view = shell.update(unit=clicked)
        st.rerun()
    st.caption(f"Circles: {mass_kind} with at least {view.mass_min} fatalities (click one for its description). "
               "Click a unit for its own figures. " + caption)
    if civ.unplaced:
        st.caption(f"{civ.unplaced:,} civilian fatalities of these years are in events outside every unit or located too "
                   f"vaguely for an {level_label}: in the totals, not on the map.")
with right:
    if unit_code:
        st.subheader(unit_name)
        if st.button("Back to all units", key="civ_clear_unit"):
            shell.update(unit="")
            st.rerun()
    by_group = view.civ_by == "group"
    stack_title = f"Civilian fatalities by {'named group' if by_group else 'perpetrator'}{where}"
    stacked = civilian_figures.stacked_chart(
        civ.series, key="group" if by_group else "perpetrator", legend_title="Named group" if by_group else "Perpetrator",
        title=stack_title, caption=series_caption, periods=civ.periods, highlight=highlight, caption_width=75,
        order=list(group_labels(groups)) if by_group else None,
    )
    st.plotly_chart(stacked, width="stretch", config={"displaylogo": False}, key="civ_stack")
    downloads.chart_downloads(stacked, civ.series, series_text.retitled(stack_title), data_key=ctx.source.key, view=view,
                              name=f"atlas_civilians_{view.year_label().replace('–', '-')}_{view.source}", key="dl_civilians")
    st.plotly_chart(
        civilian_figures.state_share_chart(
            civ.perpetrators, title=f"Share attributed to state forces{where}", caption=series_caption, periods=civ.periods,
            highlight=highlight, caption_width=75,
        ),
        width="stretch", config={"displaylogo": False}, key="civ_share",
    )

# ------------------------------------------------------------------ tables
left, right = st.columns(2, gap="medium")
with left:
    st.subheader(f"Per {level_label}, {view.year_label()}")
    table = civ.units.copy()
    if len(table):
        # The totals first, then the split by perpetrator.
        table.insert(1, "country", table["country_iso3"].map(lambda c: COUNTRY_NAMES.get(c, c)))
        table["state_share"] = table["state_share"] * 100
        kinds = [c for c in PERPETRATORS if c in table]
        table = table[["unit_name", "country", "civilian_fatalities", "state_share", "civilian_events", *kinds]]
    st.dataframe(
        table, hide_index=True, width="stretch", height=380,
        column_config={
            "unit_name": st.column_config.TextColumn("Unit"),
            "country": st.column_config.TextColumn("Country"),
            **{code: st.column_config.NumberColumn(label, format="%d") for code, label in PERPETRATORS.items()},
            "civilian_fatalities": st.column_config.NumberColumn("Civilian fatalities", format="%d"),
            "civilian_events": st.column_config.NumberColumn("Events", format="%d"),
            "state_share": st.column_config.NumberColumn("State forces %", format="%.0f %%"),
        },
    )
with right:
    first, last = civ.rising_years
    st.subheader(f"Where civilian fatalities rose most, {first} → {last}")
    st.caption(f"Units with more civilian fatalities in {last} than in {first}, largest increase first. Percent changes are "
               f"left out when the earlier value is below {model.MIN_BASE}, so that 1 → 4 never reads as +300 %.")
    rising = civ.rising.drop(columns=["unit_code", "country_iso3"], errors="ignore")
    st.dataframe(
        rising, hide_index=True, width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn("Rank", format="%d"),
            "unit_name": st.column_config.TextColumn("Unit"),
            "country": st.column_config.TextColumn("Country"),
            "value_from": st.column_config.NumberColumn(first, format="%d"),
            "value_to": st.column_config.NumberColumn(last, format="%d"),
            "change": st.column_config.NumberColumn("Change", format="%+d"),
            "pct_change": st.column_config.NumberColumn("Change %", format="%+.0f %%"),
            "note": st.column_config.TextColumn("Note"),
        },
    )

st.subheader(f"Mass-casualty {mass_kind}{where}: at least {view.mass_min} killed, {view.year_label()}")
listed = civilian_figures.mass_casualty_table(civ.mass)
st.caption(
    (f"The {len(listed):,} largest of {civ.mass_total:,} events; " if civ.mass_total > len(listed) else f"{len(listed):,} events; ")
    + "largest first. `python -m geo mass-casualty` lists them all.")
st.dataframe(
    listed, hide_index=True, width="stretch", height=420,
    column_config={
        "date": st.column_config.DateColumn("Date"),
        "unit": st.column_config.TextColumn("Unit"),
        "country": st.column_config.TextColumn("Country"),
        "place": st.column_config.TextColumn("Place"),
        "actor1": st.column_config.TextColumn("Actor 1"),
        "actor2": st.column_config.TextColumn("Actor 2"),
        "perpetrator": st.column_config.TextColumn("Perpetrator"),
        "fatalities": st.column_config.NumberColumn("Killed", format="%d"),
        "low_high": st.column_config.TextColumn("Low–high (UCDP)"),
        "civilians_targeted": st.column_config.CheckboxColumn("Civilians targeted"),
        "description": st.column_config.TextColumn("Source's description", width="large"),
        "event_id": st.column_config.TextColumn("Event id"),
    },
)
st.download_button("Download the list (CSV)", to_safe_csv(civ.mass), file_name=f"atlas_mass_casualty_{date.today()}.csv",
                   mime="text/csv")

left, right = st.columns(2, gap="medium")
with left:
    st.subheader("Named groups")
    st.caption("Civilian fatalities of events whose first actor belongs to a group of atlas.toml [actor_groups] "
               "(joint attributions such as “JNIM … and/or Islamic State …” stay with “Other or unnamed actors” unless a "
               "group lists them).")
    st.dataframe(civ.groups.drop(columns="group"), hide_index=True, width="stretch",
                 column_config={"label": st.column_config.TextColumn("Group"),
                                "total": st.column_config.NumberColumn("Total", format="%d")})
with right:
    st.subheader("First actors with most civilian fatalities")
    top = civ.top_actors.assign(actor1_type=civ.top_actors["actor1_type"].replace("", "(not typed)"))
    st.dataframe(top, hide_index=True, width="stretch",
                 column_config={"actor": st.column_config.TextColumn("Actor"),
                                "actor1_type": st.column_config.TextColumn("Kind"),
                                "events": st.column_config.NumberColumn("Events", format="%d"),
                                "civilian_fatalities": st.column_config.NumberColumn("Civilian fatalities", format="%d")})

with st.expander("About these figures", expanded=False):
    st.markdown(
        """
**Civilian fatalities** are the fatalities of the events whose primary target was civilians: ACLED's
`civilian_targeting` flag (for exports before 2023, which lack it, the atlas derives it as ACLED did:
*Violence against civilians*, plus explosions and riots whose second actor is civilians); in UCDP GED,
one-sided violence (type_of_violence 3), with UCDP's best estimate and its low–high bounds.
They are the fatalities the sources report for these events, not only civilians: ACLED does not split them.

**Perpetrator** is the kind of the event's first actor: ACLED's actor type (State forces, Rebel group,
Political militia, Identity militia, Rioters, Protesters, Civilians, External/Other forces — numeric codes
1–8 before 2023). UCDP does not type actors: side A is the government of the event's country (state
forces), another government (external forces), or an organisation (“Not typed”).

**Mass-casualty events** are the events with at least the threshold's fatalities, of any kind and target
(the list says which targeted civilians). **Rose most** compares the last year with the one before (or the
range's first and last year), per unit, with the Trends page's low-base guard.
"""
    )
