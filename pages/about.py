"""About / method: where the data come from, how events are placed, licences and citations. Layout only: what depends
on the data comes from `ui.about.about_page`."""

from datetime import date

import streamlit as st

from geo.figures.style import format_date, format_number, word
from ui import shell, views
from ui.about import BATCH_COLUMNS, about_page

ctx, view = shell.current("about")
today = format_date(date.today())
page = about_page(ctx)

st.title(word("about.title"))
st.markdown(word("about.intro"))

st.header(word("about.sources"))
if ctx.data.is_sample:
    st.markdown(word("about.sample"))
else:
    st.markdown(page.store_holds)
    st.dataframe(page.batches, hide_index=True, width="stretch",
                 column_config={c: word(f"data.col.{'created' if c == 'created_at' else c}") for c in BATCH_COLUMNS})
if page.vintages:
    st.markdown(page.vintages)
st.markdown(word("about.sources.list"))

st.header(word("about.placing"))
st.markdown(word("about.placing.steps", km=format_number(ctx.settings.tolerance_km, significant=6), ranges=views.ranges_note(ctx)))

st.header(word("about.boundaries"))
st.markdown(word("about.boundaries.default", default=ctx.settings.default_boundaries, shown=ctx.boundary_set.name))
for text in page.boundary_sets:
    st.markdown(text)
st.markdown(word("about.boundaries.shipped"))

st.header(word("about.cli"))
st.markdown(word("about.cli.body"))

st.header(word("about.licences"))
st.markdown(word("about.licences.body"))
st.caption(word("about.footer", day=today))
