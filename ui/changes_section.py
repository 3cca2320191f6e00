"""The Changes view, drawn with Streamlit: what changed between two points of the store's history and why.

`render(ctx, view, page=...)` is the whole view; the Map page calls it for its "Changes" view, the Trends page
for its "Changes" section. Figures come from `ui.changes` (cached by data version) and are drawn by
`geo.figures.changes`.
"""

from __future__ import annotations

import streamlit as st

from geo.countries import CORE_COUNTRIES
from geo.errors import AtlasError
from geo.export import to_safe_csv
from geo.figures.changes import change_bars, change_map, outline_geojson
from geo.figures.geometry import display_countries, display_units
from geo.figures.state import ViewState, choice_label
from geo.figures.style import country_name, format_count, format_signed, join_words, metric_label, unit_words, word
from geo.indicators import AGGREGATE_SOURCE

from . import changes, tables
from . import shell as shell_module
from .shell import Context

#: Simplification of the small maps' units (degrees): the browser gets their geometry once per map.
SMALL_MAP_TOLERANCE = {"admin1": 0.03, "admin2": 0.05}


def _seed(key: str, value) -> str:
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def render(ctx: Context, view: ViewState, *, page: str) -> None:
    """The Changes view of the Map page (`page="map"`: maps per unit) or of the Trends page (bars per period)."""
    heading = st.empty()  # the title, once the choices below are known
    starts, ends, labels = changes.points(ctx.source)
    wanted_since = view.since if view.since in starts else ""
    wanted_until = view.until if view.until in ends else ""
    if (view.since and view.since not in starts) or (view.until and view.until not in ends):
        st.info(word("chg.bad_point"))
    left, middle, right, far = st.columns([4, 4, 2, 2])
    since = left.selectbox(word("chg.from"), starts, format_func=labels.get, key=_seed(f"chg_{page}_since", wanted_since),
                           help=word("chg.from.help"))
    until = middle.selectbox(word("chg.to"), ends, format_func=lambda v: word("chg.point.now") if v == "" else labels[v],
                             key=_seed(f"chg_{page}_until", wanted_until))
    metric = right.radio(word("chg.figure"), list(changes.METRICS), format_func=metric_label, horizontal=True,
                         key=_seed(f"chg_{page}_metric", view.metric if view.metric in changes.METRICS else "events"))
    single = view.year_from == view.year_to
    chosen = f"{view.year_from}" if single else f"{view.year_from}–{view.year_to}"
    scope = far.radio(word("sidebar.years"), ["chosen", "all"], horizontal=True,
                      key=_seed(f"chg_{page}_years", "chosen" if page == "map" else "all"),
                      format_func=lambda v: chosen if v == "chosen" else word("chg.all_years"))
    if (since, until) != (view.since, view.until):
        view = shell_module.update(since=since, until=until)
    period = "year" if page == "map" else view.period
    source_label = ctx.source_label(view.source)
    metric_name = metric_label(metric)
    since_label = labels.get(since, since)
    until_label = word("chg.point.now") if until == "" else labels.get(until, until)
    try:
        with st.spinner(word("chg.comparing")):
            report = changes.report(ctx.source, source=view.source, level=view.level, period=period, since=since, until=until, indicator=view.indicator)
    except AtlasError as exc:
        st.error(str(exc))
        return
    years = (view.year_from, view.year_to) if scope == "chosen" and view.year_from else None
    years_text = chosen if years else word("years.all")
    rows = changes.selected_rows(report, years=years, countries=view.countries)
    units = changes.unit_changes(rows, metric, cutoff=report.last_date_before)
    where = join_words([country_name(c) for c in view.countries]) or word("chg.three_countries")
    unit_word = unit_words(view.level, view.countries)[0]
    per = unit_word if page == "map" else choice_label("period", view.period)
    heading.title(word("chg.title", metric=metric_name.lower(), per=per, years=years_text, source=source_label))
    st.caption(word(_own("chg.caption", view), since=since_label, until=until_label))
    st.markdown(word("chg.whole_store", headline=changes.headline(report)))
    totals = units[["before", "after", "change", "new", "backfilled", "revisions", "deleted"]].sum()
    cells = st.columns(6)
    cells[0].metric(f"{metric_name}, {years_text}", format_count(totals["after"]), format_signed(totals["change"]), delta_color="off",
                    help=word("chg.at_start", n=format_count(totals["before"]), where=where))
    for cell, kind in zip(cells[1:5], changes.KINDS):
        cell.metric(changes.kind_label(kind), format_signed(totals[kind]))
    cells[5].metric(word(_own("chg.revised_events", view)), format_count(units["revised_events"].sum()))
    caption = _caption(ctx, view, since_label, until_label, years_text, where)
    title = (word("chg.figure_title.map", metric=metric_name.lower(), unit=unit_word, years=years_text, source=source_label)
             if page == "map" else
             word("chg.figure_title.trends", metric=metric_name.lower(), period=choice_label("period", view.period), where=where,
                  source=source_label))
    if page == "map":
        shown = display_units(ctx.boundary_set, view.level)
        small = display_units(ctx.boundary_set, view.level, tolerance_deg=SMALL_MAP_TOLERANCE[view.level])
        if view.countries:
            shown = shown[shown["country_iso3"].isin(view.countries)]
            small = small[small["country_iso3"].isin(view.countries)]
        figure = change_map(shown, small, units, metric_label=metric_name, title=title, caption=caption,
                            outlines=outline_geojson(_core(display_countries(ctx.boundary_set))))
    else:
        figure = change_bars(changes.period_changes(rows, metric), metric_label=metric_name, title=title, caption=caption)
    st.plotly_chart(figure, width="stretch", config={"displaylogo": False, "scrollZoom": False}, key=f"chg_{page}_figure")

    top = changes.movers(units, n=15)
    st.subheader(word("chg.movers"))
    labelled = [r for r in top.itertuples(index=False) if r.label and r.change][:5]
    if labelled:
        st.markdown("\n".join(f"- **{changes.place_name(r)}**: {r.label}." for r in labelled))
    if top.empty:
        st.info(word("chg.nothing", where=where, years=years_text))
    else:
        table = top.assign(unit=[changes.place_name(r) for r in top.itertuples(index=False)],
                           country=top["country_iso3"].map(country_name))
        tables.dataframe(
            table[["unit", "country", "before", "after", "change", "new", "backfilled", "revisions", "deleted", "revised_events", "why"]],
            hide_index=True, width="stretch", key=f"chg_{page}_units",
            column_config={
                "unit": st.column_config.TextColumn(word("col.unit")), "country": st.column_config.TextColumn(word("col.country")),
                "before": st.column_config.NumberColumn(word("chg.col.before"), format="%d"),
                "after": st.column_config.NumberColumn(word("chg.col.after"), format="%d"),
                "change": st.column_config.NumberColumn(word("col.change"), format="%+d"),
                "new": st.column_config.NumberColumn(word("chg.col.new"), format="%+d"),
                "backfilled": st.column_config.NumberColumn(word("chg.kind.backfilled"), format="%+d"),
                "revisions": st.column_config.NumberColumn(word("chg.kind.revisions"), format="%+d"),
                "deleted": st.column_config.NumberColumn(word("chg.kind.deleted"), format="%+d"),
                "revised_events": st.column_config.NumberColumn(word(_own("chg.revised_events", view)), format="%d"),
                "why": st.column_config.TextColumn(word("chg.col.why")),
            },
        )
    _revised_list(ctx, view, report, since, until, period, units, page)
    st.download_button(
        word("chg.download"), to_safe_csv(report.rows), mime="text/csv", key=f"chg_{page}_download",
        file_name=f"atlas_changes_{report.source}_{report.level}_{period}_{report.since.batch_id}-{report.until.batch_id}.csv",
    )
    st.caption(caption)


def _revised_list(ctx: Context, view: ViewState, report, since: str, until: str, period: str, units, page: str) -> None:
    st.subheader(word(_own("chg.revised_title", view)))
    revised = units[units["revised_events"] > 0].sort_values("revised_events", ascending=False)
    options = [""] + revised["unit_code"].tolist()
    names = {r.unit_code: changes.place_name(r) for r in revised.itertuples(index=False)}
    unit = st.selectbox(word("chg.in"), options, format_func=lambda c: word("chg.every_unit") if c == "" else names.get(c, c),
                        key=f"chg_{page}_unit")
    listed = report.revised_events
    if unit:
        listed = changes.report(ctx.source, source=view.source, level=view.level, period=period, since=since, until=until, indicator=view.indicator,
                                unit=unit).revised_events
    events = listed["event_id"].nunique()
    if not events:
        st.caption(word(_own("chg.no_revised", view)))
        return
    st.caption(word(_own("chg.revised_caption", view), n=format_count(events),
                    limit=word("chg.revised_limit", n=changes.REVISED_LIMIT) if events >= changes.REVISED_LIMIT else ""))
    tables.dataframe(
        listed, hide_index=True, width="stretch", key=f"chg_{page}_revised",
        column_config={
            "event_id": st.column_config.TextColumn(word(_own("chg.col.event", view))), "event_date": st.column_config.TextColumn(word("chg.col.date_now")),
            "unit_before": st.column_config.TextColumn(word("chg.col.unit_before")),
            "unit_after": st.column_config.TextColumn(word("chg.col.unit_now")),
            "field": st.column_config.TextColumn(word("chg.col.field")), "before": st.column_config.TextColumn(word("chg.col.before")),
            "after": st.column_config.TextColumn(word("chg.col.after")),
        },
    )


def _own(key: str, view: ViewState) -> str:
    """The phrase `key`, or its variant for ACLED's aggregates (unit-months, not events) when the view shows them."""
    return f"{key}.aggregates" if view.source == AGGREGATE_SOURCE else key


def _core(countries):
    """The three countries' outlines (the neighbours' are cut to a box whose edges would be drawn too)."""
    return countries[countries["country_iso3"].isin(CORE_COUNTRIES)]


def _caption(ctx: Context, view: ViewState, since: str, until: str, years_text: str, where: str) -> str:
    """The figures' filter and source lines, made as every page's (`geo.figures.style`), with the two points compared."""
    from geo.figures import style
    from geo.figures.views import subject, type_words

    text = style.figure_text(subject(ctx.inputs(), view, all_years=True), "")
    return word("chg.figure_caption", source=ctx.source_label(view.source), since=since, until=until, years=years_text, where=where,
                types=type_words(view, ctx.settings)[0] or word("filter.all_types"), source_line=text.source_line)
