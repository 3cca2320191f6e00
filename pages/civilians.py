"""Civilians: how many civilians were killed, by whom and where — per unit and year, civilian fatalities by
perpetrator (map and stacked chart), the share attributed to state forces, the mass-casualty events and the
units where civilian fatalities rose most. Layout only: what is shown comes from `ui.civilians.civilians_page`."""

import streamlit as st
from streamlit_folium import st_folium

from geo.figures.style import word
from ui import civilians as model
from ui import downloads, shell, tables
from ui.auth import current_analyst

ctx, view = shell.current("civilians")
st.title(word("civ.title", years=view.year_label(), source=ctx.source_label(view.source)))
st.caption(word("civ.intro"))

no_table = model.no_civilian_table(ctx, view)  # ACLED's aggregates without a civilian-targeting table: said, and no more
if no_table:
    st.info(no_table)
    st.stop()
if model.single_event_settings(view):  # (not for ACLED's aggregates: no single events, no perpetrators)
    options = st.columns([2, 3, 2, 1])  # the checkbox's label is the longest (in French above all): room for it
    low, high = model.MASS_MIN_RANGE
    mass_min = int(options[0].number_input(
        word("civ.threshold"), low, high, value=view.mass_min, step=1, key="w_mass_min", help=word("civ.threshold.help"),
    ))
    mass_civilian = options[1].checkbox(word("civ.only_civilian"), value=view.mass_civilian, key="w_mass_civilian",
                                        help=word("civ.only_civilian.help"))
    if "w_civ_by" not in st.session_state:  # seeded from the view, not given as index=: a language switch can set it again
        st.session_state["w_civ_by"] = view.civ_by
    civ_by = options[2].radio(word("civ.by"), list(model.BY_CHOICES), format_func=model.by_label, horizontal=True,
                              key="w_civ_by", help=word("civ.by.help"))
    if (mass_min, mass_civilian, civ_by) != (view.mass_min, view.mass_civilian, view.civ_by):
        view = shell.update(mass_min=mass_min, mass_civilian=mass_civilian, civ_by=civ_by)

page = model.civilians_page(ctx, view, analyst=bool(current_analyst()))
shown = page.shown

# ------------------------------------------------------------------ headline figures
tiles = st.columns(len(page.tiles))
for column, tile in zip(tiles, page.tiles):
    column.metric(tile.label, tile.value, help=tile.help)
if page.empty:
    st.info(page.empty)
if page.ucdp_note:
    st.caption(page.ucdp_note)

# ------------------------------------------------------------------ map and series
left, right = st.columns([3, 2], gap="medium")
with left:
    returned = st_folium(shown.figure(), height=600, use_container_width=True, returned_objects=["last_active_drawing"], key="civ_map")
    clicked = model.clicked_unit(returned, page, view)
    if clicked:
        view = shell.update(unit=clicked)
        st.rerun()
    st.caption(shown.map_caption)
    if shown.unplaced_note:
        st.caption(shown.unplaced_note)
with right:
    if shown.unit_code:
        st.subheader(shown.unit_name)
        if st.button(word("map.back"), key="civ_clear_unit"):
            shell.update(unit="")
            st.rerun()
    st.plotly_chart(shown.stacked, width="stretch", config={"displaylogo": False}, key="civ_stack")
    downloads.chart_downloads(shown.stacked, page.figure_table, shown.stacked_text, data_key=ctx.source.key, view=view,
                              name=page.chart_file_name, key="dl_civilians", width=3)  # the chart's column is narrow
    if page.no_perpetrators:
        st.info(page.no_perpetrators)
    else:
        st.plotly_chart(shown.share, width="stretch", config={"displaylogo": False}, key="civ_share")

# ------------------------------------------------------------------ tables
left, right = st.columns(2, gap="medium")
with left:
    st.subheader(page.unit_title)
    tables.dataframe(
        page.unit_table_shown(), hide_index=True, width="stretch", height=380,
        column_config={
            "unit_name": st.column_config.TextColumn(word("col.unit")),
            "country": st.column_config.TextColumn(word("col.country")),
            **{code: st.column_config.NumberColumn(name, format="%d") for code, name in page.perpetrator_columns.items()},
            "civilian_fatalities": st.column_config.TextColumn(word("metric.civilian_fatalities"), help=word("col.range.help")),
            "civilian_events": st.column_config.TextColumn(word("col.events"), help=word("col.range.help")),
            "state_share": st.column_config.NumberColumn(word("civ.col.state_share"), format="%.0f %%"),
        },
    )
    if page.ranges_note:
        st.caption(page.ranges_note)
with right:
    first, last = shown.data.rising_years
    st.subheader(page.rising_title)
    st.caption(page.rising_caption)
    tables.dataframe(
        page.rising, hide_index=True, width="stretch",
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

st.subheader(page.mass_title)
if page.no_events:  # ACLED's aggregates: one sentence instead of the list, the named groups and the first actors
    st.info(page.no_events)
    left, right = st.columns(2, gap="medium")
    left.subheader(word("civ.groups"))
    left.info(page.no_perpetrators)
    right.subheader(word("civ.top_actors"))
    right.info(page.no_actors)
    with st.expander(word("page.about_figures"), expanded=False):
        st.markdown(word("civ.about"))
    st.stop()
st.caption(page.mass_caption)
tables.dataframe(
    page.mass_table, hide_index=True, width="stretch", height=420,
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
downloads.csv_button(word("civ.download"), shown.data.mass, file_name=page.mass_file_name)

left, right = st.columns(2, gap="medium")
with left:
    st.subheader(word("civ.groups"))
    st.caption(page.groups_caption)
    tables.dataframe(page.groups, hide_index=True, width="stretch",
                     column_config={"label": st.column_config.TextColumn(word("civ.col.group")),
                                    "total": st.column_config.NumberColumn(word("civ.col.total"), format="%d")})
with right:
    st.subheader(word("civ.top_actors"))
    tables.dataframe(page.top_actors, hide_index=True, width="stretch",
                     column_config={"actor": st.column_config.TextColumn(word("col.actor")),
                                    "actor1_type": st.column_config.TextColumn(word("civ.col.kind")),
                                    "events": st.column_config.NumberColumn(word("col.events"), format="%d"),
                                    "civilian_fatalities": st.column_config.NumberColumn(word("metric.civilian_fatalities"), format="%d")})

with st.expander(word("page.about_figures"), expanded=False):
    st.markdown(word("civ.about"))
