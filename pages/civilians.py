"""Civilians: how many civilians were killed, by whom and where — per unit and year, civilian fatalities by
perpetrator (map and stacked chart), the share attributed to state forces, the mass-casualty events and the
units where civilian fatalities rose most."""

from datetime import date

import streamlit as st
from streamlit_folium import st_folium

from geo.export import to_safe_csv
from geo.figures import choropleth, style
from geo.figures import civilians as civilian_figures
from geo.figures.geometry import display_area_of_interest, display_countries, display_units
from geo.figures.style import format_count, format_dates, format_percent, word
from geo.perpetrators import OTHER_GROUP, PERPETRATORS, group_labels
from ui import civilians as model
from ui import downloads, shell, tables, views
from ui.auth import current_analyst
from ui.state import INT_RANGES, PERPETRATOR_VIEWS, choice_label

ctx, view = shell.current("civilians")
source_label = ctx.source_label(view.source)
inputs = ctx.inputs()
level_label, levels_label = views.subject(inputs, view).units  # "region", "regions"
groups = ctx.settings.actor_groups

st.title(word("civ.title", years=view.year_label(), source=source_label))
st.caption(word("civ.intro"))

if views.is_aggregate(view):  # counts per unit and month: no single events to list, no perpetrators to split by
    mass_min, mass_civilian, civ_by = view.mass_min, view.mass_civilian, view.civ_by
else:
    options = st.columns([2, 3, 2, 1])  # the checkbox's label is the longest (in French above all): room for it
    low, high = INT_RANGES["mass_min"]
    mass_min = int(options[0].number_input(
        word("civ.threshold"), low, high, value=view.mass_min, step=1, key="w_mass_min", help=word("civ.threshold.help"),
    ))
    mass_civilian = options[1].checkbox(word("civ.only_civilian"), value=view.mass_civilian, key="w_mass_civilian",
                                        help=word("civ.only_civilian.help"))
    if "w_civ_by" not in st.session_state:  # seeded from the view, not given as index=: a language switch can set it again
        st.session_state["w_civ_by"] = view.civ_by
    civ_by = options[2].radio(word("civ.by"), list(PERPETRATOR_VIEWS), format_func=lambda v: choice_label("civ_by", v),
                              horizontal=True, key="w_civ_by", help=word("civ.by.help"))
if (mass_min, mass_civilian, civ_by) != (view.mass_min, view.mass_civilian, view.civ_by):
    view = shell.update(mass_min=mass_min, mass_civilian=mass_civilian, civ_by=civ_by)
# ACLED's aggregates: their civilian-targeting table, whatever the sidebar's indicator (or a sentence when none is held).
view, no_table = model.civilian_indicator(view, ctx.choices.indicators)
if view is None:
    st.info(no_table)
    st.stop()
mass_kind = word("civ.kind.civilian") if view.mass_civilian else word("civ.kind.all")

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
where = word("civ.in_unit", unit=unit_name) if unit_code else ""

# ------------------------------------------------------------------ headline figures
totals = civ.totals


percent = format_percent

tiles = st.columns(4)
tiles[0].metric(word("civ.tile.fatalities", where=where), format_count(totals["civilian_fatalities"]),
                help=word("civ.tile.fatalities.help", n=format_count(totals["civilian_events"]), years=view.year_label()))
if civ.no_perpetrators:  # ACLED's aggregates: no actors, no single events (said under the map and the lists)
    tiles = [tiles[0], None, None, tiles[1]]  # the events tile beside the fatalities
else:
    tiles[1].metric(word("civ.tile.state"), percent(totals["state_share"]),
                    help=word("civ.tile.state.help", state=format_count(totals["state_forces"]),
                              external=format_count(totals["external_forces"]), share=percent(totals["external_share"])))
    tiles[2].metric(word("civ.tile.mass", n=view.mass_min), format_count(civ.mass_total),
                    help=word("civ.tile.mass.help", kind=style.capitalized(mass_kind), n=view.mass_min, years=view.year_label()))
tiles[3].metric(word("civ.tile.events"), format_count(totals["civilian_events"]))
if totals["civilian_fatalities"] == 0:
    st.info(word("civ.empty", source=source_label, filters=style.filter_line(views.subject(inputs, view), metric=False)))
if view.source == "ucdp":
    st.caption(word("civ.ucdp_note", not_typed=style.perpetrator_name("unknown")))

# ------------------------------------------------------------------ map and series
left, right = st.columns([3, 2], gap="medium")
with left:
    classification = style.classify(civ.classification_basis, scheme=view.scheme, log=view.log)
    shown_mass = (word("civ.layer.largest", n=format_count(len(civ.mass)), total=format_count(civ.mass_total))
                  if civ.mass_total > len(civ.mass) else format_count(len(civ.mass)))
    mass_layer = civilian_figures.MassCasualtyLayer(
        civ.mass, name=word("civ.layer", kind=style.capitalized(mass_kind), n=view.mass_min, shown=shown_mass))
    legend = civilian_figures.PerpetratorLegend(civ.mass["perpetrator"].unique(), title=word("civ.legend", n=view.mass_min))
    map_title = word("civ.map_title", unit=level_label, years=view.year_label(), source=source_label)
    figure = choropleth.choropleth_map(
        units, civ.map_values, metric="civilian_fatalities", text=text.retitled(map_title), classification=classification,
        countries=display_countries(ctx.boundary_set), aoi=display_area_of_interest(ctx.boundary_set),
        online_tiles=view.tiles, extra_layers=[] if civ.no_events else [mass_layer, legend], legend="inside", units_label=levels_label,
        scope=view.year_label(),
    )
    returned = st_folium(figure, height=600, use_container_width=True, returned_objects=["last_active_drawing"], key="civ_map")
    clicked = ((returned or {}).get("last_active_drawing") or {}).get("properties", {}).get("unit_code")
    if clicked and clicked != view.unit and clicked in set(units["unit_code"]):
        view = shell.update(unit=clicked)
        st.rerun()
    st.caption((word("civ.map_caption", kind=mass_kind, n=view.mass_min) + " " if not civ.no_events else "") + caption)
    if civ.unplaced:
        st.caption(word("civ.unplaced", n=format_count(civ.unplaced), unit=level_label))
with right:
    if unit_code:
        st.subheader(unit_name)
        if st.button(word("map.back"), key="civ_clear_unit"):
            shell.update(unit="")
            st.rerun()
    by_group = view.civ_by == "group"
    stack_title = word("civ.stack_title.group" if by_group else "civ.stack_title.kind", where=where)
    if civ.no_perpetrators:  # ACLED's aggregates: one series, the civilian fatalities of their table
        stack_title = word("civ.stack_title.total", where=where)
    stacked = civilian_figures.stacked_chart(
        civ.series, key="group" if by_group else "perpetrator",
        legend_title=word("choice.civ_by.group") if by_group else word("civ.perpetrator"),
        title=stack_title, caption=series_caption, periods=civ.periods, highlight=highlight, caption_width=75,
        order=list(group_labels(groups)) if by_group else None,
    )
    st.plotly_chart(stacked, width="stretch", config={"displaylogo": False}, key="civ_stack")
    downloads.chart_downloads(stacked, civ.series, series_text.retitled(stack_title), data_key=ctx.source.key, view=view,
                              name=f"atlas_civilians_{view.year_label().replace('–', '-')}_{view.source}", key="dl_civilians",
                              width=3)  # the chart's column is narrow
    if civ.no_perpetrators:
        st.info(civ.no_perpetrators)
    else:
        st.plotly_chart(
            civilian_figures.state_share_chart(
                civ.perpetrators, title=word("civ.share_title", where=where), caption=series_caption, periods=civ.periods,
                highlight=highlight, caption_width=75,
            ),
            width="stretch", config={"displaylogo": False}, key="civ_share",
        )

# ------------------------------------------------------------------ tables
left, right = st.columns(2, gap="medium")
with left:
    st.subheader(word("civ.per_unit", unit=level_label, years=view.year_label()))
    table = civ.units.copy()
    if len(table):
        # The totals first, then the split by perpetrator (none for ACLED's aggregates).
        table.insert(1, "country", table["country_iso3"].map(style.country_name))
        if "state_share" in table:
            table["state_share"] = table["state_share"] * 100
        kinds = [c for c in PERPETRATORS if c in table]
        table = table[[c for c in ["unit_name", "country", "civilian_fatalities", "state_share", "civilian_events", *kinds]
                       if c in table]]
    tables.dataframe(
        table, hide_index=True, width="stretch", height=380,
        column_config={
            "unit_name": st.column_config.TextColumn(word("col.unit")),
            "country": st.column_config.TextColumn(word("col.country")),
            **{code: st.column_config.NumberColumn(style.perpetrator_name(code), format="%d") for code in PERPETRATORS},
            "civilian_fatalities": st.column_config.NumberColumn(word("metric.civilian_fatalities"), format="%d"),
            "civilian_events": st.column_config.NumberColumn(word("col.events"), format="%d"),
            "state_share": st.column_config.NumberColumn(word("civ.col.state_share"), format="%.0f %%"),
        },
    )
with right:
    first, last = civ.rising_years
    st.subheader(word("civ.rising", first=first, last=last))
    st.caption(word("civ.rising.caption", first=first, last=last, base=model.MIN_BASE))
    rising = civ.rising.drop(columns=["unit_code", "country_iso3"], errors="ignore")
    tables.dataframe(
        rising, hide_index=True, width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn(word("col.rank"), format="%d"),
            "unit_name": st.column_config.TextColumn(word("col.unit")),
            "country": st.column_config.TextColumn(word("col.country")),
            "value_from": st.column_config.NumberColumn(first, format="%d"),
            "value_to": st.column_config.NumberColumn(last, format="%d"),
            "change": st.column_config.NumberColumn(word("col.change"), format="%+d"),
            "pct_change": st.column_config.NumberColumn(word("col.change_pct"), format="%+.0f %%"),
            "note": st.column_config.TextColumn(word("col.note")),
        },
    )

st.subheader(word("civ.mass_title", kind=mass_kind, where=where, n=view.mass_min, years=view.year_label()))
if civ.no_events:  # ACLED's aggregates: one sentence instead of the list, the named groups and the first actors
    st.info(civ.no_events)
    left, right = st.columns(2, gap="medium")
    left.subheader(word("civ.groups"))
    left.info(civ.no_perpetrators)
    right.subheader(word("civ.top_actors"))
    right.info(word("views.no_single_events", source=source_label, what=word("views.single.actors")))
    with st.expander(word("page.about_figures"), expanded=False):
        st.markdown(word("civ.about"))
    st.stop()
listed = civilian_figures.mass_casualty_table(civ.mass)
st.caption(
    (word("civ.mass_caption.largest", n=format_count(len(listed)), total=format_count(civ.mass_total))
     if civ.mass_total > len(listed) else word("civ.mass_caption.all", n=format_count(len(listed))))
    + " " + word("civ.mass_caption.order")
    + (" " + word("civ.mass_caption.cli") if current_analyst() else ""))  # commands only for those who run them
tables.dataframe(
    listed.assign(date=format_dates(listed["date"])), hide_index=True, width="stretch", height=420,
    column_config={
        "date": st.column_config.TextColumn(word("col.date")),
        "unit": st.column_config.TextColumn(word("col.unit")),
        "country": st.column_config.TextColumn(word("col.country")),
        "place": st.column_config.TextColumn(word("civ.place")),
        "actor1": st.column_config.TextColumn(word("col.actor1")),
        "actor2": st.column_config.TextColumn(word("col.actor2")),
        "perpetrator": st.column_config.TextColumn(word("civ.perpetrator")),
        "fatalities": st.column_config.NumberColumn(word("civ.col.killed"), format="%d"),
        "low_high": st.column_config.TextColumn(word("civ.col.low_high")),
        "civilians_targeted": st.column_config.CheckboxColumn(word("col.civilians_targeted")),
        "description": st.column_config.TextColumn(word("civ.col.description"), width="large"),
        "event_id": st.column_config.TextColumn(word("civ.col.event_id")),
    },
)
st.download_button(word("civ.download"), to_safe_csv(civ.mass), file_name=f"atlas_mass_casualty_{date.today()}.csv",
                   mime="text/csv")

left, right = st.columns(2, gap="medium")
with left:
    st.subheader(word("civ.groups"))
    st.caption(word("civ.groups.caption", other=style.perpetrator_name(OTHER_GROUP)))
    named = civ.groups.assign(label=[style.perpetrator_name(g) if g == OTHER_GROUP else label
                                     for g, label in zip(civ.groups["group"], civ.groups["label"])])
    tables.dataframe(named.drop(columns="group"), hide_index=True, width="stretch",
                 column_config={"label": st.column_config.TextColumn(word("civ.col.group")),
                                "total": st.column_config.NumberColumn(word("civ.col.total"), format="%d")})
with right:
    st.subheader(word("civ.top_actors"))
    top = civ.top_actors.assign(actor1_type=[style.category(t) if t else word("civ.not_typed")
                                             for t in civ.top_actors["actor1_type"].fillna("")])
    tables.dataframe(top, hide_index=True, width="stretch",
                 column_config={"actor": st.column_config.TextColumn(word("col.actor")),
                                "actor1_type": st.column_config.TextColumn(word("civ.col.kind")),
                                "events": st.column_config.NumberColumn(word("col.events"), format="%d"),
                                "civilian_fatalities": st.column_config.NumberColumn(word("metric.civilian_fatalities"), format="%d")})

with st.expander(word("page.about_figures"), expanded=False):
    st.markdown(word("civ.about"))
