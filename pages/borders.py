"""Borders: violence near the shared borders of Mali, Burkina Faso and Niger — a map of the borders, distance
bands, tri-border zone, events by band and cross-border pairs (one frame per year), the share of events and
fatalities near the borders per year, band and border segment, cross-border pairs over time and the
footprint of an actor across the three countries. Layout only: what is shown comes from
`ui.views.borders_view`."""

import streamlit as st

from geo.figures.style import has_word, word
from ui import downloads, shell, tables, views

#: Whole numbers of the band table.
COUNT_COLUMNS = ("events", "fatalities", "civilian_events", "civilian_fatalities")

ctx, view = shell.current("borders")
inputs = ctx.inputs()
shown = views.borders_view(ctx, view)

st.title(shown.title)
if shown.none:  # ACLED's aggregates: no single events to place by their distance to the borders
    st.info(shown.none)
    st.stop()
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
if view.present:
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
st.subheader(word("borders.footprint"))
options = shown.actor_options
if not options:
    st.caption(word("borders.no_actor"))
else:
    index = options.index(view.focus_actor) if view.focus_actor in options else 0
    actor = st.selectbox(word("borders.actor"), options, index=index, key=f"focus_actor_{shown.series_years}",
                         help=word("borders.actor.help"))
    if actor != options[index]:  # only a choice of the reader goes into the state and the URL
        view = shell.update(focus_actor=actor)
    st.plotly_chart(shown.footprint_chart(inputs.reader, actor), width="stretch", config={"displaylogo": False},
                    key="actor_chart")

# ------------------------------------------------------------------ table and method
with st.expander(word("borders.table")):
    st.caption(word("borders.table.caption"))
    table, shares = views.band_table(shown)
    tables.dataframe(
        table, hide_index=True, width="stretch",
        column_config={column: st.column_config.NumberColumn(
                           word(f"borders.column.{column}"),
                           format="%.1f %%" if column in shares else "%d" if column in COUNT_COLUMNS else None)
                       if column in shares or column in COUNT_COLUMNS else word(f"borders.column.{column}")
                       for column in table.columns if has_word(f"borders.column.{column}")})
    downloads.csv_button(word("borders.download"), shown.band_table, file_name="atlas_borders.csv")

with st.expander(word("page.about_figures"), expanded=False):
    st.markdown(views.borders_method(shown))
st.caption(shown.footprint_text.source_line if shown.footprint_text else "")
