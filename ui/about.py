"""What the About page shows: where the data come from (the store's batches and each source's vintage), how events
are placed, the boundary sets with their recorded provenance, licences and citations. Plain functions, no widgets:
tested without Streamlit."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from geo.boundaries import BoundarySet, list_boundary_sets
from geo.figures.language import current_language
from geo.figures.style import (
    as_of_text,
    country_name,
    credit,
    format_count,
    format_date,
    has_word,
    period_label,
    source_name,
    word,
)

if TYPE_CHECKING:  # the context is built by the shell (Streamlit); only its type is needed here
    from .shell import Context

#: The committed batches' columns the page lists.
BATCH_COLUMNS = ["batch_id", "created_at", "user", "file_names", "format", "rows_read", "new", "updated", "rejected"]


@dataclass
class AboutPage:
    """The parts of the About page that depend on the data and the boundary sets."""

    store_holds: str  # what the store holds, in words ("" on the sample)
    batches: pd.DataFrame  # the committed batches (empty on the sample)
    vintages: str  # each source's vintage as a list ("" on the sample)
    boundary_sets: list[str]  # one paragraph per registered set: levels, source, licence, credit, per-country provenance


def recorded(key: str, text: object) -> str:
    """A boundary set's recorded provenance (its `meta`, in English), said in the reader's language when the catalogue
    has it (the shipped sets: words "boundaries.<set>.<field>"); else as recorded."""
    return word(key) if current_language() != "en" and has_word(key) else credit(str(text))


def boundary_set_text(boundary_set: BoundarySet) -> str:
    """One boundary set in words: its levels and units, source, licence and credit, then each country's provenance."""
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
    return "\n".join(lines)


def about_page(ctx: Context) -> AboutPage:
    """The About page's data-dependent parts, from the page's context."""
    store_holds, vintages = "", ""
    batches = pd.DataFrame(columns=BATCH_COLUMNS)
    if not ctx.data.is_sample:
        all_batches = ctx.store.batches()
        batches = all_batches.loc[all_batches["status"] == "committed", BATCH_COLUMNS]
        held = ", ".join(f"{format_count(n)} {ctx.source_label(s)}" for s, n in sorted(ctx.choices.events.items()))
        store_holds = word("about.store_holds", n=format_count(sum(ctx.choices.events.values())), held=held, batches=len(batches))
        if ctx.choices.vintages:
            lines = []
            for source, vintage in sorted(ctx.choices.vintages.items()):
                if vintage.as_of:  # ACLED's aggregates: months, not events, and their table's as-of date
                    indicators = ", ".join(word(f"indicator.{i}").lower() for i in ctx.choices.indicators)
                    lines.append(f"- **{source_name(source)}**: " + word(
                        "about.vintage.aggregates", indicators=indicators, first=period_label(vintage.first_month),
                        last=period_label(vintage.last_month), as_of=as_of_text(vintage.as_of)))
                    continue
                parts = [word("about.vintage.events", first=vintage.first_month[:4], last=format_date(vintage.last_date))]
                if vintage.published:
                    parts.append(word("about.vintage.published", day=format_date(vintage.published)))
                if vintage.version:
                    parts.append(word("about.vintage.version", version=vintage.version))
                lines.append(f"- **{source_name(source)}**: " + "; ".join(parts) + ".")
            vintages = word("about.vintage") + "\n" + "\n".join(lines)
    return AboutPage(store_holds=store_holds, batches=batches, vintages=vintages,
                     boundary_sets=[boundary_set_text(s) for s in list_boundary_sets(ctx.settings)])
