"""The Changes view, drawn with Streamlit: what changed between two points of the store's history and why.

`render(ctx, view, page=...)` is the whole view; the Map page calls it for its "Changes" view, the Trends page
for its "Changes" section. Figures come from `ui.changes` (cached by data version) and are drawn by
`geo.figures.changes`.
"""

from __future__ import annotations

import streamlit as st

from geo.countries import CORE_COUNTRIES, COUNTRY_NAMES
from geo.errors import AtlasError
from geo.export import to_safe_csv
from geo.figures.changes import change_bars, change_map, outline_geojson
from geo.figures.geometry import display_countries, display_units

from . import changes
from . import shell as shell_module
from .shell import Context
from .state import ViewState

LEVEL_WORDS = {"admin1": "admin-1 unit", "admin2": "admin-2 unit"}
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
        st.info("A point in the link is not a committed batch of this store (rolled back, or another store): "
                "showing the latest batch's changes instead.")
    left, middle, right, far = st.columns([4, 4, 2, 2])
    since = left.selectbox("From", starts, format_func=labels.get, key=_seed(f"chg_{page}_since", wanted_since),
                           help="The state of the store right after this batch (rolled-back batches are not part of it).")
    until = middle.selectbox("To", ends, format_func=lambda v: "Now" if v == "" else labels[v],
                             key=_seed(f"chg_{page}_until", wanted_until))
    metric = right.radio("Figure", list(changes.METRIC_LABELS), format_func=changes.METRIC_LABELS.get, horizontal=True,
                         key=_seed(f"chg_{page}_metric", view.metric if view.metric in changes.METRIC_LABELS else "events"))
    single = view.year_from == view.year_to
    chosen = f"{view.year_from}" if single else f"{view.year_from}–{view.year_to}"
    scope = far.radio("Years", ["chosen", "all"], horizontal=True, key=_seed(f"chg_{page}_years", "chosen" if page == "map" else "all"),
                      format_func=lambda v: chosen if v == "chosen" else "All years")
    if (since, until) != (view.since, view.until):
        view = shell_module.update(since=since, until=until)
    period = "year" if page == "map" else view.period
    source_label = ctx.source_label(view.source)
    metric_label = changes.METRIC_LABELS[metric]
    try:
        with st.spinner("Comparing the two points of the store's history…"):
            report = changes.report(ctx.source, source=view.source, level=view.level, period=period, since=since, until=until)
    except AtlasError as exc:
        st.error(str(exc))
        return
    years = (view.year_from, view.year_to) if scope == "chosen" and view.year_from else None
    years_text = chosen if years else "all years"
    rows = changes.selected_rows(report, years=years, countries=view.countries)
    units = changes.unit_changes(rows, metric, cutoff=report.last_date_before)
    where = ", ".join(COUNTRY_NAMES.get(c, c) for c in view.countries) or "the three countries"
    per = LEVEL_WORDS[view.level] if page == "map" else view.period
    heading.title(f"What changed: {metric_label.lower()} per {per}, {years_text} — {source_label}")
    st.caption(f"From **{report.since.label}** to **{report.until.label}**. All event types: the sidebar's type, actor "
               "and precision filters do not apply to changes.")
    st.markdown("**In the whole store:** " + changes.headline(report))
    totals = units[["before", "after", "change", "new", "backfilled", "revisions", "deleted"]].sum()
    cells = st.columns(6)
    cells[0].metric(f"{metric_label}, {years_text}", f"{int(totals['after']):,}", f"{int(totals['change']):+,}", delta_color="off",
                    help=f"{int(totals['before']):,} at the start point, in {where}")
    for cell, kind in zip(cells[1:5], changes.KINDS):
        cell.metric(changes.KINDS[kind], f"{int(totals[kind]):+,}")
    cells[5].metric("Revised events", f"{int(units['revised_events'].sum()):,}")
    caption = _caption(ctx, view, report, years_text, where)
    title = (f"Change in {metric_label.lower()} per {LEVEL_WORDS[view.level]}, {years_text} — {source_label}"
             if page == "map" else f"Change in {metric_label.lower()} per {view.period}, {where} — {source_label}")
    if page == "map":
        shown = display_units(ctx.boundary_set, view.level)
        small = display_units(ctx.boundary_set, view.level, tolerance_deg=SMALL_MAP_TOLERANCE[view.level])
        if view.countries:
            shown = shown[shown["country_iso3"].isin(view.countries)]
            small = small[small["country_iso3"].isin(view.countries)]
        figure = change_map(shown, small, units, metric_label=metric_label, title=title, caption=caption,
                            outlines=outline_geojson(_core(display_countries(ctx.boundary_set))))
    else:
        figure = change_bars(changes.period_changes(rows, metric), metric_label=metric_label, title=title, caption=caption)
    st.plotly_chart(figure, width="stretch", config={"displaylogo": False, "scrollZoom": False}, key=f"chg_{page}_figure")

    top = changes.movers(units, n=15)
    st.subheader("Units whose figures moved most, and why")
    labelled = [r for r in top.itertuples(index=False) if r.label and r.change][:5]
    if labelled:
        st.markdown("\n".join(f"- **{changes.place_name(r)}**: {r.label}." for r in labelled))
    if top.empty:
        st.info(f"Nothing changed in {where}, {years_text}, between these points.")
    else:
        table = top.assign(unit=[changes.place_name(r) for r in top.itertuples(index=False)],
                           country=top["country_iso3"].map(COUNTRY_NAMES).fillna(top["country_iso3"]))
        st.dataframe(
            table[["unit", "country", "before", "after", "change", "new", "backfilled", "revisions", "deleted", "revised_events", "why"]],
            hide_index=True, width="stretch", key=f"chg_{page}_units",
            column_config={
                "unit": st.column_config.TextColumn("Unit"), "country": st.column_config.TextColumn("Country"),
                "before": st.column_config.NumberColumn("Before", format="%d"),
                "after": st.column_config.NumberColumn("After", format="%d"),
                "change": st.column_config.NumberColumn("Change", format="%+d"),
                "new": st.column_config.NumberColumn("New", format="%+d"),
                "backfilled": st.column_config.NumberColumn("Backfill", format="%+d"),
                "revisions": st.column_config.NumberColumn("Revisions", format="%+d"),
                "deleted": st.column_config.NumberColumn("Deletions", format="%+d"),
                "revised_events": st.column_config.NumberColumn("Revised events", format="%d"),
                "why": st.column_config.TextColumn("What moved it"),
            },
        )
    _revised_list(ctx, view, report, since, until, period, units, page)
    st.download_button(
        "Download the change table (CSV)", to_safe_csv(report.rows), mime="text/csv", key=f"chg_{page}_download",
        file_name=f"atlas_changes_{report.source}_{report.level}_{period}_{report.since.batch_id}-{report.until.batch_id}.csv",
    )
    st.caption(caption)


def _revised_list(ctx: Context, view: ViewState, report, since: str, until: str, period: str, units, page: str) -> None:
    st.subheader("Revised events: before → after")
    revised = units[units["revised_events"] > 0].sort_values("revised_events", ascending=False)
    options = [""] + revised["unit_code"].tolist()
    names = {r.unit_code: changes.place_name(r) for r in revised.itertuples(index=False)}
    unit = st.selectbox("In", options, format_func=lambda c: "every unit" if c == "" else names.get(c, c), key=f"chg_{page}_unit")
    listed = report.revised_events
    if unit:
        listed = changes.report(ctx.source, source=view.source, level=view.level, period=period, since=since, until=until,
                                unit=unit).revised_events
    events = listed["event_id"].nunique()
    if not events:
        st.caption("No revised events between these points.")
        return
    st.caption(f"{events:,} revised event(s) of every year" + (f" (the {changes.REVISED_LIMIT} with the largest change in fatalities)"
                                                               if events >= changes.REVISED_LIMIT else "")
               + ": each changed field, before → after; the unit when a revision moved the event.")
    st.dataframe(
        listed, hide_index=True, width="stretch", key=f"chg_{page}_revised",
        column_config={
            "event_id": st.column_config.TextColumn("Event"), "event_date": st.column_config.TextColumn("Date (now)"),
            "unit_before": st.column_config.TextColumn("Unit before"), "unit_after": st.column_config.TextColumn("Unit now"),
            "field": st.column_config.TextColumn("Field"), "before": st.column_config.TextColumn("Before"),
            "after": st.column_config.TextColumn("After"),
        },
    )


def _core(countries):
    """The three countries' outlines (the neighbours' are cut to a box whose edges would be drawn too)."""
    return countries[countries["country_iso3"].isin(CORE_COUNTRIES)]


def _caption(ctx: Context, view: ViewState, report, years_text: str, where: str) -> str:
    """The figures' filter and source lines, made as every page's (`geo.figures.style`), with the two points compared."""
    from geo.figures import style

    from . import views

    text = style.figure_text(views.subject(ctx.inputs(), view, all_years=True), "")
    return (f"{ctx.source_label(view.source)}: from {report.since.label} to {report.until.label} · {years_text}; {where}; "
            f"all event types · {text.source_line}")
