"""Borders: violence near the shared borders of Mali, Burkina Faso and Niger — a map of the borders, distance
bands, tri-border zone, events by band and cross-border pairs (one frame per year), the share of events and
fatalities near the borders per year, band and border segment, cross-border pairs over time and the
footprint of an actor across the three countries. Layout only: what is shown comes from
`ui.borders_view.borders_view`."""

import streamlit as st

from geo.export import to_safe_csv
from ui import downloads, shell, views
from ui.borders_view import HEADLINE_KM, borders_view, percent

ctx, view = shell.current("borders")
inputs = ctx.inputs()
look = views.look(view)
shown = borders_view(inputs, view)

st.title(shown.title)
if shown.error:
    st.error(shown.error)
    st.stop()
if shown.partial:
    st.warning(shown.partial, icon=":material/schedule:")
if shown.empty:
    st.info(shown.empty)

tiles = st.columns(len(shown.tiles))
for column, tile in zip(tiles, shown.tiles):
    column.metric(tile.label, tile.value, help=tile.help)
for note in shown.notes:
    st.caption(note)

# ------------------------------------------------------------------ map
st.plotly_chart(shown.map_figure, width="stretch", config={"displaylogo": False, "scrollZoom": True}, key="border_map")
st.caption(shown.map_caption)
if look.present:
    st.stop()

# ------------------------------------------------------------------ charts
left, right = st.columns(2, gap="medium")
with left:
    st.plotly_chart(shown.share_chart, width="stretch", config={"displaylogo": False}, key="share_chart")
with right:
    if shown.pairs_chart is None:
        st.info(shown.pairs_message)
    else:
        st.plotly_chart(shown.pairs_chart, width="stretch", config={"displaylogo": False}, key="pairs_chart")
st.plotly_chart(shown.band_chart, width="stretch", config={"displaylogo": False}, key="band_chart")
downloads.figure_downloads("borders", shown, view, data_key=ctx.source.key, inputs=inputs)
st.plotly_chart(shown.segment_chart, width="stretch", config={"displaylogo": False}, key="segment_chart")

# ------------------------------------------------------------------ actor footprint
st.subheader("Footprint of a cross-border actor")
options = shown.actor_options
if not options:
    st.caption("No actor has events in two or more of the three countries for these filters.")
else:
    index = options.index(view.focus_actor) if view.focus_actor in options else 0
    actor = st.selectbox(
        "Actor", options, index=index, key=f"focus_actor_{shown.series_years}",
        help="Actors with events in two or more of the three countries in a year (civilians, protesters and "
             "rioters are left out), most events first.",
    )
    if actor != options[index]:  # only a choice of the reader goes into the state and the URL
        view = shell.update(focus_actor=actor)
    st.plotly_chart(shown.footprint_chart(inputs.reader, actor), width="stretch", config={"displaylogo": False},
                    key="actor_chart")

# ------------------------------------------------------------------ table and method
method = shown.method
with st.expander("Table: events and fatalities per year, border segment and distance band"):
    st.caption("Shares are of the year's events (fatalities) in the three countries; `_OUTSIDE` are events outside "
               "them, `_IMPRECISE` events located too vaguely for a distance (UCDP where_prec 5–7). The About page says how "
               "analysts make the same table from the command line.")
    st.dataframe(shown.band_table, hide_index=True, width="stretch")
    st.download_button("Download the table (CSV)", to_safe_csv(shown.band_table), file_name="atlas_borders.csv", mime="text/csv")

with st.expander("About these figures", expanded=False):
    summary = method["summary"]
    st.markdown(
        f"""
**Shared borders** are the common edges of the country outlines of the boundary set
(“{method["boundary_set"]}”): Mali–Burkina Faso (ML–BF), Mali–Niger (ML–NE) and Burkina Faso–Niger (BF–NE).
Each event's **distance** is geodesic (WGS84 ellipsoid) to the nearest point of the nearest of these three
borders. Events outside the three countries, and events located too vaguely for any region (UCDP
where_prec 5–7), get no distance: they are left out of the shares and of the map.

**Bands** are distance intervals from the border ({", ".join(f"{b:g}" for b in method["bands"])} km edges; change them in
the sidebar). The **tri-border zone** is the disc of {method["tri_km"]} km around the point where the three borders meet.
A **cross-border pair** is two events in different countries, {method["pair_rule"]}; it shows where violence on one side
of a border is followed by violence on the other.

**Comparing with SWAC.** With the data shown ({method["filters"]}),
{percent(summary["share_events"])} of the events and {percent(summary["share_fatalities"])} of the fatalities in the
three countries are within {HEADLINE_KM:g} km of one of the three *shared* borders. The Sahel and West Africa Club
(SWAC/OECD) reports 46 % of the events within 50 km of a border: it counts the distance to *any* international
border of the three countries, including those with Algeria, Mauritania, Senegal, Guinea, Côte d'Ivoire, Ghana,
Togo, Benin, Nigeria, Chad and Libya, so its share is larger. The atlas measures to the shared borders only,
because they are the borders the three states and their armed opponents cross between one another.
"""
    )
st.caption(shown.footprint_text.source_line if shown.footprint_text else "")
