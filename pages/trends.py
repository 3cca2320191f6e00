"""Trends: the chosen metric over years, quarters or months per country, unit or event type;
year-on-year change with a low-baseline guard and a ranked table of units."""

import streamlit as st

from geo import charts
from geo.aggregate import METRICS
from geo.export import to_safe_csv
from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE
from ui import data as datalib
from ui import shell

ctx, view = shell.current("trends")
if st.radio("Show", ["trends", "changes"], horizontal=True, key="w_trends_show", label_visibility="collapsed",
            format_func={"trends": "Trends", "changes": "Changes since a batch"}.get) == "changes":
    from ui.changes_section import render as render_changes

    render_changes(ctx, view, page="trends")
    st.stop()
metric = view.metric if view.metric != "events_per_10k_km2" else "events"
metric_label = METRICS[metric]
group_column = {"country": "country", "unit": "unit_name", "event_type": "event_type"}[view.trend_by]
group_label = {"country": "country", "unit": f"{view.level} unit", "event_type": "event type"}[view.trend_by]
source_label = ctx.source_label(view.source)

# A range of years limits the trends to it; a single year shows every year, with that year compared.
single_year = view.year_from == view.year_to
filters = view.filters_without_years() if single_year else view.filters()
years_text = "all years" if single_year else view.year_label()
title = f"{metric_label} per {group_label}, by {view.period} — {source_label}"
caption = shell.caption_text(ctx, view, years=years_text)

st.title(title)
if view.metric == "events_per_10k_km2":
    st.caption("Densities are not summed across units: the trends show event counts.")

table = datalib.grouped(ctx.source, by=view.trend_by, level=view.level, period=view.period, filters=filters)
table = table[table["source"] == view.source]
if table.empty or table[metric].sum() == 0:
    st.info(f"No {source_label} events match these filters ({caption.split(' · ')[1]}). Widen the filters in the sidebar.")
    st.stop()

figure = charts.trend_chart(table, by=group_column, metric=metric, metric_label=metric_label, kind=view.chart,
                            title=title, caption=caption)
st.plotly_chart(figure, width="stretch", config={"displaylogo": False}, key="trend")

left, right = st.columns(2)
with left:
    st.subheader("Change from one period to the next")
    changes = charts.year_on_year(table, by=group_column, metric=metric, min_base=10)
    last_periods = sorted(changes["period"].unique())[-1:]
    latest = changes[changes["period"].isin(last_periods)].sort_values("change", ascending=False)
    st.caption(
        f"{metric_label}, {last_periods[0] if last_periods else ''} against the period before. Percent changes are "
        "left out when the earlier value is below 10, so that 1 → 4 events never reads as +300 %."
    )
    st.dataframe(
        latest, hide_index=True, width="stretch",
        column_config={
            group_column: st.column_config.TextColumn(group_label.capitalize()),
            "value": st.column_config.NumberColumn(metric_label, format="%d"),
            "previous": st.column_config.NumberColumn("Period before", format="%d"),
            "change": st.column_config.NumberColumn("Change", format="%+d"),
            "pct_change": st.column_config.NumberColumn("Change %", format="%+.0f %%"),
            "note": st.column_config.TextColumn("Note"),
        },
    )
with right:
    st.subheader("Units ranked by change")
    units = datalib.aggregated(ctx.source, level=view.level, period="year", filters=view.filters_without_years())
    units = units[units["source"] == view.source]
    year_to = view.year_to
    year_from = view.year_from - 1 if single_year else view.year_from
    ranked = charts.ranked_changes(units, metric=metric, period_from=str(year_from), period_to=str(year_to), min_base=10)
    st.caption(f"{metric_label} per {view.level} unit, {year_from} against {year_to}; largest increase first.")
    st.dataframe(
        ranked.drop(columns=["unit_code", "country_iso3"], errors="ignore"), hide_index=True, width="stretch",
        column_config={
            "rank": st.column_config.NumberColumn("Rank", format="%d"),
            "unit_name": st.column_config.TextColumn("Unit"),
            "country": st.column_config.TextColumn("Country"),
            "value_from": st.column_config.NumberColumn(str(year_from), format="%d"),
            "value_to": st.column_config.NumberColumn(str(year_to), format="%d"),
            "change": st.column_config.NumberColumn("Change", format="%+d"),
            "pct_change": st.column_config.NumberColumn("Change %", format="%+.0f %%"),
            "note": st.column_config.TextColumn("Note"),
        },
    )
    special = units[units["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE]) & units["period"].isin([str(year_from), str(year_to)])]
    if special[metric].sum():
        st.caption(
            f"Not in any unit ({view.level}): " + "; ".join(
                f"{row.period}: {int(getattr(row, metric)):,} {row.unit_name.lower()} ({row.country_iso3})"
                for row in special.itertuples() if getattr(row, metric)
            )
        )
st.download_button(
    "Download the trend table (CSV)", to_safe_csv(table), file_name=f"atlas_trends_{view.trend_by}_{view.period}.csv",
    mime="text/csv",
)
st.caption(caption)
