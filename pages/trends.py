"""Trends: the chosen metric over years, quarters or months per country, region or event type, and two tables
comparing the years chosen (per group, and the units ranked by change), with a low-baseline guard. Layout only:
what is shown comes from `ui.views.trends_view`."""

import streamlit as st

from geo.figures.style import word
from ui import downloads, shell, tables, views

ctx, view = shell.current("trends")
show = st.radio(word("trends.show"), ["trends", "changes", "compare"], horizontal=True, key="w_trends_show",
                label_visibility="collapsed", format_func=lambda v: word(f"trends.show.{v}"))
if show == "changes":
    from ui.changes_section import render as render_changes

    render_changes(ctx, view, page="trends")
    st.stop()
if show == "compare":  # two sources side by side, never summed
    others = views.compare_choices(ctx, view)
    if others:
        chosen = st.selectbox(word("compare.with"), others, format_func=ctx.source_label, key="w_compare",
                              index=others.index(view.compare) if view.compare in others else None,
                              placeholder=ctx.source_label(views.compare_default(ctx, view)))
        if chosen and chosen != view.compare:
            view = shell.update(compare=chosen)
    shown = views.compare_view(ctx, view)
    st.title(shown.title)
    st.caption(shown.intro)
    if shown.note:
        st.caption(shown.note)
    if shown.none:
        st.info(shown.none)
        st.stop()
    st.markdown(shown.summary)
    st.plotly_chart(shown.figure, width="stretch", config={"displaylogo": False}, key="compare_chart")
    st.subheader(word("compare.table_title"))
    first, second = (ctx.source_label(s) for s in shown.sources)
    tables.dataframe(
        shown.table, hide_index=True, width="stretch", height=420,
        column_config={
            "unit_name": st.column_config.TextColumn(word("col.unit"), width="medium"),
            "country": st.column_config.TextColumn(word("col.country"), width="small"),
            "period": st.column_config.TextColumn(word("agree.col.period"), width="small"),
            "first": st.column_config.TextColumn(first, help=word("col.range.help")),
            "second": st.column_config.TextColumn(second, help=word("col.range.help")),
            "difference": st.column_config.NumberColumn(word("compare.col.difference", first=first, second=second),
                                                        format="%+d", width="small"),
            "overlap": st.column_config.TextColumn(word("compare.col.overlap"), width="small", help=word("compare.col.overlap.help")),
        },
    )
    st.caption(word("compare.table_caption", n=len(shown.table)))
    st.caption(views.ranges_note(ctx))
    st.caption(shown.caption)
    downloads.csv_button(word("compare.download"), shown.download, file_name="atlas_compare.csv", key="dl_compare")
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
numbers = {  # the values with their ranges in brackets ("1,234 (1,180–1,310)")
    "value_from": st.column_config.TextColumn(str(earlier), help=word("col.range.help")),
    "value_to": st.column_config.TextColumn(str(later), help=word("col.range.help")),
    "change": st.column_config.NumberColumn(word("col.change"), format="%+d", width="small"),
    "pct_change": st.column_config.TextColumn(word("col.change_pct"), width="small"),
    "note": st.column_config.TextColumn(word("col.note"), width="medium"),
}
# One under the other, full width: every column fits.
st.subheader(trends.changes_title)
st.caption(trends.changes_caption)
tables.dataframe(
    trends.changes_shown(), hide_index=True, width="stretch",
    column_config={trends.group_column: st.column_config.TextColumn(trends.group_title, width="medium"), **numbers},
)
st.subheader(trends.ranked_title)
st.caption(trends.ranked_caption)
tables.dataframe(
    trends.ranked_shown(), hide_index=True, width="stretch", height=420,
    column_config={
        "rank": st.column_config.NumberColumn(word("col.rank"), format="%d", width="small"),
        "rank_mark": st.column_config.TextColumn(word("col.rank_span"), width="small", help=word("col.rank_mark.help")),
        "unit_name": st.column_config.TextColumn(word("col.name"), width="medium"),
        "country": st.column_config.TextColumn(word("col.country"), width="medium"),
        **numbers,
    },
)
if trends.special_note:
    st.caption(trends.special_note)
if trends.ranges_note:
    st.caption(trends.ranges_note)
st.caption(trends.text.source_line)
