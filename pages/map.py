"""Map: the chosen metric per region (or district) for the year or years chosen, an animation and small multiples
over those years, optional event points, and a unit's detail on click. Layout only: what is shown comes from
`ui.views` (map_view, years_view, unit_view)."""

import streamlit as st
from streamlit_folium import st_folium

from geo.figures.style import capitalized, format_count, format_dates, word
from ui import downloads, shell, tables, views

ctx, view = shell.current("map")
if view.view == "changes":  # what changed between two points of the store's history (ui/changes_section.py)
    from ui.changes_section import render as render_changes

    render_changes(ctx, view, page="map")
    st.stop()

# ------------------------------------------------------------------ the map of the years chosen
if view.view == "map":
    shown = views.map_view(ctx, view)
    look = shown.look
    st.title(shown.text.title)
    st.caption(shown.text.filter_line)
    if shown.partial:
        st.warning(shown.partial, icon=":material/schedule:")
    if shown.empty:
        st.info(shown.empty)
    if shown.overlay_error:
        st.warning(shown.overlay_error)
    left, right = st.columns([4, 1.25] if look.present else [3, 1.35], gap="medium")
    with left:
        returned = st_folium(shown.figure(), height=look.map_height, use_container_width=True,
                             returned_objects=["last_active_drawing"], key="choropleth")
        clicked = views.clicked_unit(returned, shown, view)
        if clicked:
            view = shell.update(unit=clicked)
    with right:
        st.html(shown.legend())
    st.caption(shown.text.source_line)
    if not look.present:
        downloads.figure_downloads("map", shown, view, data_key=ctx.source.key, inputs=ctx.inputs())
        for note in shown.notes:
            st.caption(note)

        # -------------------------------------------------------------- a unit clicked on the map
        detail = views.unit_view(ctx, view, shown)
        if detail is not None:
            st.subheader(f"{detail.name} ({detail.country})")
            if st.button(word("map.back"), key="clear_unit"):
                view = shell.update(unit="")
                st.rerun()
            trend, lists = st.columns([1, 1], gap="medium")
            with trend:
                st.plotly_chart(detail.figure, width="stretch", config={"displaylogo": False}, key="unit_trend")
            if detail.none:  # ACLED's aggregates: no actors and no single events to list, said in one sentence
                lists.info(detail.none)
            else:
                with lists:
                    st.markdown(f"**{detail.actors_title}**")
                    tables.dataframe(detail.actors, hide_index=True, width="stretch",
                                 column_config={"actor": st.column_config.TextColumn(word("col.actor"), width="large"),
                                                "events": st.column_config.NumberColumn(word("col.events")),
                                                "fatalities": st.column_config.NumberColumn(word("col.fatalities"))})
            if not detail.none:
                st.markdown(f"**{detail.latest_title}**")
                tables.dataframe(
                    detail.latest.assign(date=format_dates(detail.latest["date"])), hide_index=True, width="stretch",
                    column_config={
                        "date": st.column_config.TextColumn(word("col.date"), width="small"),
                        "event_type": st.column_config.TextColumn(word("col.event_type"), width="medium"),
                        "actor1": st.column_config.TextColumn(word("col.actor1"), width="medium"),
                        "actor2": st.column_config.TextColumn(word("col.actor2"), width="medium"),
                        "fatalities": st.column_config.NumberColumn(word("col.fatalities"), format="%d", width="small"),
                        "location": st.column_config.TextColumn(word("col.location"), width="small"),
                        "notes": st.column_config.TextColumn(word("col.notes"), width="large"),
                    },
                )
        else:
            st.caption(word("map.click_hint"))

        # -------------------------------------------------------------- totals, then the units
        st.subheader(shown.table_title)
        tiles = st.columns(len(shown.totals))
        for tile, row in zip(tiles, shown.totals.itertuples(index=False)):
            tile.metric(row.place, format_count(getattr(row, view.metric if view.metric in shown.totals else "events")),
                        help=word("map.totals.help", events=format_count(row.events), fatalities=format_count(row.fatalities),
                                  civilian_events=format_count(row.civilian_events)),
                        border=True)
        words = shown.units_words
        tables.dataframe(
            shown.table_shown(), hide_index=True, width="stretch", height=420,
            column_config={
                "rank_mark": st.column_config.TextColumn(word("col.rank"), width="small", help=word("col.rank_mark.help")),
                "unit_name": st.column_config.TextColumn(capitalized(words[0]), width="medium"),
                "country": st.column_config.TextColumn(word("col.country"), width="small"),
                "events": st.column_config.TextColumn(word("col.events"), help=word("col.range.help")),
                "fatalities": st.column_config.TextColumn(word("col.fatalities"), help=word("col.range.help")),
                "civilian_events": st.column_config.TextColumn(word("col.civilians_targeted"), help=word("col.civilians_targeted.help")),
                "civilian_fatalities": st.column_config.TextColumn(word("col.civilians_killed"), help=word("col.civilians_killed.help")),
                "events_per_10k_km2": st.column_config.NumberColumn(
                    word("col.per_10k_km2"), format="%.2f", width="small", help=word("col.per_10k_km2.help")),
            },
        )
        if shown.ranges_note:
            st.caption(shown.ranges_note)

# ------------------------------------------------------------------ the years chosen, year by year
else:
    years = views.years_view(ctx, view)
    st.title(years.text.title)
    st.caption(years.text.filter_line)
    if years.note:
        st.info(years.note)
    if years.empty:
        st.info(years.empty)
    if view.view == "animation":
        animation = years.animation(start=years.periods[0])
        # In a frame of its own: Streamlit's page HTML drops inline SVG. Every text in it is escaped by the builder.
        # Narrower screens scale the drawing down.
        st.iframe(animation.html, height=animation.height + 60)
        if not years.look.present:
            st.caption(word("map.animation_hint"))
    else:
        st.image(years.multiples(), width="stretch")
