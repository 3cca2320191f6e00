"""Trends: the chosen metric over years, quarters or months per country, region or event type, and two tables
comparing the years chosen (per group, and the units ranked by change), with a low-baseline guard. Layout only:
what is shown comes from `ui.views.trends_view`."""

import streamlit as st

from geo.figures.style import word
from ui import downloads, shell, tables, views

ctx, view = shell.current("trends")
if st.radio(word("trends.show"), ["trends", "changes"], horizontal=True, key="w_trends_show", label_visibility="collapsed",
            format_func=lambda v: word(f"trends.show.{v}")) == "changes":
    from ui.changes_section import render as render_changes

    render_changes(ctx, view, page="trends")
    st.stop()
trends = views.trends_view(ctx, view)

# ------------------------------------------------------------------ the chart
st.title(trends.text.title)
st.caption(trends.text.filter_line)
for note in trends.notes:
    st.caption(note)
if trends.partial:
    st.warning(trends.partial, icon=":material/schedule:")
if trends.empty:
    st.info(trends.empty)
    st.stop()
st.plotly_chart(trends.figure, width="stretch", config={"displaylogo": False}, key="trend")
if view.present:
    st.stop()
inputs = ctx.inputs()
downloads.figure_downloads("trends", trends, view, data_key=ctx.source.key, inputs=inputs)
downloads.briefing_download(inputs, view, source=ctx.source, data_key=ctx.source.key)

# ------------------------------------------------------------------ the years chosen, compared
earlier, later = trends.compared
numbers = {
    "value_from": st.column_config.NumberColumn(str(earlier), format="localized", width="small"),
    "value_to": st.column_config.NumberColumn(str(later), format="localized", width="small"),
    "change": st.column_config.NumberColumn(word("col.change"), format="%+d", width="small"),
    "pct_change": st.column_config.TextColumn(word("col.change_pct"), width="small"),
    "note": st.column_config.TextColumn(word("col.note"), width="medium"),
}
# One under the other, full width: every column fits.
st.subheader(trends.changes_title)
st.caption(trends.changes_caption)
tables.dataframe(
    trends.changes, hide_index=True, width="stretch",
    column_config={trends.group_column: st.column_config.TextColumn(trends.group_title, width="medium"), **numbers},
)
st.subheader(trends.ranked_title)
st.caption(trends.ranked_caption)
tables.dataframe(
    trends.ranked, hide_index=True, width="stretch", height=420,
    column_config={
        "rank": st.column_config.NumberColumn(word("col.rank"), format="%d", width="small"),
        "unit_name": st.column_config.TextColumn(word("col.name"), width="medium"),
        "country": st.column_config.TextColumn(word("col.country"), width="medium"),
        **numbers,
    },
)
if trends.special_note:
    st.caption(trends.special_note)
st.caption(trends.text.source_line)
