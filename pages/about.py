"""About / method: where the data come from, how events are placed, licences and citations."""

from datetime import date

import streamlit as st

from geo.boundaries import list_boundary_sets
from geo.figures.language import current_language
from geo.figures.style import (
    as_of_text,
    country_name,
    credit,
    format_count,
    format_date,
    format_number,
    has_word,
    period_label,
    source_name,
    word,
)
from ui import shell

ctx, view = shell.current("about")
today = format_date(date.today())

st.title(word("about.title"))
st.markdown(word("about.intro"))

st.header(word("about.sources"))
if ctx.data.is_sample:
    st.markdown(word("about.sample"))
else:
    batches = ctx.store.batches()
    committed = batches[batches["status"] == "committed"]
    held = ", ".join(f"{format_count(n)} {ctx.source_label(s)}" for s, n in sorted(ctx.choices.events.items()))
    st.markdown(word("about.store_holds", n=format_count(sum(ctx.choices.events.values())), held=held, batches=len(committed)))
    columns = ["batch_id", "created_at", "user", "file_names", "format", "rows_read", "new", "updated", "rejected"]
    st.dataframe(committed[columns], hide_index=True, width="stretch",
                 column_config={c: word(f"data.col.{'created' if c == 'created_at' else c}") for c in columns})
vintages = ctx.choices.vintages
if vintages and not ctx.data.is_sample:
    lines = []
    for source, vintage in sorted(vintages.items()):
        if vintage.as_of:  # ACLED's aggregates: months, not events, and their table's as-of date
            indicators = ", ".join(word(f"indicator.{i}").lower() for i in ctx.choices.indicators)
            lines.append(f"- **{source_name(source)}**: " + word("about.vintage.aggregates", indicators=indicators,
                         first=period_label(vintage.first_month), last=period_label(vintage.last_month),
                         as_of=as_of_text(vintage.as_of)))
            continue
        parts = [word("about.vintage.events", first=vintage.first_month[:4], last=format_date(vintage.last_date))]
        if vintage.published:
            parts.append(word("about.vintage.published", day=format_date(vintage.published)))
        if vintage.version:
            parts.append(word("about.vintage.version", version=vintage.version))
        lines.append(f"- **{source_name(source)}**: " + "; ".join(parts) + ".")
    st.markdown(word("about.vintage") + "\n" + "\n".join(lines))
st.markdown(word("about.sources.list"))

st.header(word("about.placing"))
st.markdown(word("about.placing.steps", km=format_number(ctx.settings.tolerance_km, significant=6)))

st.header(word("about.boundaries"))
st.markdown(word("about.boundaries.default", default=ctx.settings.default_boundaries, shown=ctx.boundary_set.name))


def recorded(key: str, text: object) -> str:
    """A boundary set's recorded provenance (its `meta`, in English), said in the reader's language when the catalogue
    has it (the shipped sets: words "boundaries.<set>.<field>"); else as recorded."""
    return word(key) if current_language() != "en" and has_word(key) else credit(str(text))


for boundary_set in list_boundary_sets(ctx.settings):
    meta = boundary_set.meta
    name = boundary_set.name
    levels = ", ".join(word("about.boundaries.level", level=lvl, n=len(boundary_set.units(lvl))) for lvl in boundary_set.levels)
    not_recorded = word("about.not_recorded")
    lines = [
        word("about.boundaries.set", name=boundary_set.name, shipped=word("about.shipped") if boundary_set.shipped else "",
             levels=levels, source=recorded(f"boundaries.{name}.source", meta.get("source", not_recorded)),
             licence=recorded(f"boundaries.{name}.licence", meta.get("licence", not_recorded)), credit=credit(boundary_set.attribution))
    ]
    # Per-country provenance, for sets built from several sources (the sources' own words, as recorded).
    lines += [
        word("about.boundaries.country", country=country_name(iso3), source=recorded(f"boundaries.{name}.{iso3}.source", info.get("source", "")),
             licence=recorded(f"boundaries.{name}.{iso3}.licence", info.get("licence", "")), version=info.get("version", ""),
             units=recorded(f"boundaries.{name}.{iso3}.units", info.get("units", "")),
             citation=recorded(f"boundaries.{name}.{iso3}.citation", info.get("citation", "")))
        for iso3, info in (meta.get("countries") or {}).items()
    ]
    st.markdown("\n".join(lines))
st.markdown(word("about.boundaries.shipped"))

st.header(word("about.cli"))
st.markdown(word("about.cli.body"))

st.header(word("about.licences"))
st.markdown(word("about.licences.body"))
st.caption(word("about.footer", day=today))
