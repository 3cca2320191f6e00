"""Do the sources agree? ACLED's events (ACLED's definition of an indicator) beside ACLED's aggregates of it (HDX), for
the units and periods both cover. Layout only: what is shown comes from `ui.agreement.agreement_view`."""

import streamlit as st

from geo.figures.style import word
from ui import downloads, shell, tables, views

ctx, view = shell.current("agreement")
shown = views.agreement_view(ctx, view)

st.title(shown.title)
st.caption(shown.intro)
if shown.none:
    st.info(shown.none)
    st.stop()
st.markdown(shown.summary)
st.plotly_chart(shown.figure, width="stretch", config={"displaylogo": False}, key="agreement_chart")
st.subheader(word("agree.table_title"))
st.caption(word("agree.table_caption", n=len(shown.table)))
tables.dataframe(
    shown.table, hide_index=True, width="stretch", height=420,
    column_config={
        "unit_name": st.column_config.TextColumn(word("col.unit")),
        "country": st.column_config.TextColumn(word("col.country")),
        "period": st.column_config.TextColumn(word("agree.col.period")),
        "events_events": st.column_config.NumberColumn(word("agree.col.events_events"), format="%d"),
        "events_aggregates": st.column_config.NumberColumn(word("agree.col.events_aggregates"), format="%d"),
        "events_difference": st.column_config.NumberColumn(word("agree.col.events_difference"), format="%+d"),
        "fatalities_events": st.column_config.NumberColumn(word("agree.col.fatalities_events"), format="%d"),
        "fatalities_aggregates": st.column_config.NumberColumn(word("agree.col.fatalities_aggregates"), format="%d"),
        "fatalities_difference": st.column_config.NumberColumn(word("agree.col.fatalities_difference"), format="%+d"),
    },
)
st.caption(shown.caption)
downloads.csv_button(word("agree.download"), shown.download, file_name="atlas_agreement.csv", key="dl_agreement")
with st.expander(word("page.about_figures"), expanded=False):
    st.markdown(word("agree.about"))
