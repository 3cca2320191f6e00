"""Map: a choropleth of the chosen metric per unit for the chosen year(s), an animation across years with
a fixed colour scale, small multiples, optional event points, and a unit's detail on click."""

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

from geo import charts, maps
from geo.aggregate import METRICS
from geo.border_views import border_overlay_layers
from geo.borders import parse_bands
from geo.countries import COUNTRY_NAMES
from geo.display import display_area_of_interest, display_countries, display_units
from geo.errors import AtlasError
from geo.join import OUTSIDE_CODE, UNALLOCATED_CODE
from ui import data as datalib
from ui import shell

ctx, view = shell.current("map")
if view.view == "changes":  # what changed between two points of the store's history (ui/changes_section.py)
    from ui.changes_section import render as render_changes

    render_changes(ctx, view, page="map")
    st.stop()
metric_label = METRICS[view.metric]
source_label = ctx.source_label(view.source)
level_label = {"admin1": "admin-1 unit", "admin2": "admin-2 unit"}[view.level]
caption = shell.caption_text(ctx, view)

units = display_units(ctx.boundary_set, view.level)
if view.countries:
    units = units[units["country_iso3"].isin(view.countries)]

# Per-year table over every year: colours stay comparable when the year changes.
all_years = datalib.aggregated(ctx.source, level=view.level, period="year", filters=view.filters_without_years())
all_years = all_years[all_years["source"] == view.source]
selected = all_years[all_years["period"].astype(int).between(view.year_from, view.year_to)]
placed_rows = selected[~selected["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])]
columns = ["events", "fatalities", "fatalities_low", "fatalities_high", "civilian_events", "civilian_fatalities", "snapped_events"]
values = placed_rows.groupby("unit_code")[columns].sum(min_count=1)
values["events_per_10k_km2"] = (values["events"] / units.set_index("unit_code")["area_km2"].reindex(values.index) * 10_000).round(3)
unallocated = selected[selected["unit_code"] == UNALLOCATED_CODE].groupby("country_iso3")["events"].sum()
outside = int(selected.loc[selected["unit_code"] == OUTSIDE_CODE, "events"].sum())

title = (
    f"{metric_label} per {level_label}, {view.year_label()} — {source_label}" if view.view == "map"
    else f"{metric_label} per {level_label} by year — {source_label}"
)
st.title(title)

if selected["events"].sum() == 0:
    st.info(f"No {source_label} events match these filters ({view.filters().describe(ctx.settings)}). "
            "Choose other years or widen the filters in the sidebar.")

if view.view == "map":
    if view.year_from == view.year_to:
        pool = all_years[~all_years["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])]
        basis = pool[view.metric]
    else:
        basis = values[view.metric]
    classification = maps.classify(basis, scheme=view.scheme, log=view.log)
    points = None
    if view.points:
        # Up to a few thousand newest events; beyond, a density grid computed in the database.
        points = datalib.points(ctx.source, filters=replace(view.filters(), sources=(view.source,)))
    overlay = None
    if view.border_overlay:
        try:
            bands = parse_bands(view.bands)
            geometry = datalib.border_geometry(ctx.boundary_set)
            band_shapes, tri_zone = datalib.border_shapes(ctx.boundary_set, bands=bands, tri_radius_km=float(view.tri_km))
            overlay = border_overlay_layers(geometry, band_shapes, tri_zone, tri_radius_km=float(view.tri_km))
        except AtlasError as exc:
            st.warning(f"The border overlay cannot be drawn: {exc}")
    figure = maps.choropleth_map(
        units, values, metric=view.metric, title=f"{title}\n{caption}", classification=classification,
        countries=display_countries(ctx.boundary_set), aoi=display_area_of_interest(ctx.boundary_set),
        unallocated=unallocated.to_dict(), events=points.events if points is not None and not points.binned else None,
        events_total=points.total if points is not None else None,
        density=points.bins if points is not None and points.binned else None,
        density_cell_deg=(points.cell_deg or 0.25) if points is not None else 0.25,
        online_tiles=view.tiles, extra_layers=overlay,
    )
    left, right = st.columns([3, 2], gap="medium")
    with left:
        returned = st_folium(figure, height=620, use_container_width=True, returned_objects=["last_active_drawing"], key="choropleth")
        clicked = ((returned or {}).get("last_active_drawing") or {}).get("properties", {}).get("unit_code")
        if clicked and clicked != view.unit and clicked in set(units["unit_code"]):
            view = shell.update(unit=clicked)
        st.caption(caption)
        notes = []
        if len(unallocated) and unallocated.sum():
            notes.append("not placeable at this level: " + ", ".join(
                f"{int(n):,} in {COUNTRY_NAMES.get(c, c)}" for c, n in unallocated.items() if n))
        if outside:
            notes.append(f"{outside:,} outside every unit")
        if notes:
            st.caption("Events not on the map — " + "; ".join(notes) + ".")
    with right:
        unit_code = view.unit if view.unit in set(units["unit_code"]) else ""
        if not unit_code:
            st.subheader("Units")
            st.caption("Click a unit on the map to see its trend, top actors and latest events.")
            ranking = units[["unit_code", "unit_name", "country_iso3"]].merge(values, left_on="unit_code", right_index=True, how="left")
            ranking = ranking.sort_values(view.metric, ascending=False)[
                ["unit_name", "country_iso3", "events", "fatalities", "civilian_events", "civilian_fatalities", "events_per_10k_km2"]]
            st.dataframe(
                ranking, hide_index=True, width="stretch", height=560,
                column_config={
                    "unit_name": st.column_config.TextColumn("Unit"),
                    "country_iso3": st.column_config.TextColumn("Country"),
                    "events": st.column_config.NumberColumn("Events", format="%d"),
                    "fatalities": st.column_config.NumberColumn("Fatalities", format="%d"),
                    "civilian_events": st.column_config.NumberColumn("Civilian-targeting", format="%d"),
                    "civilian_fatalities": st.column_config.NumberColumn("Civilian fatalities", format="%d"),
                    "events_per_10k_km2": st.column_config.NumberColumn("Events / 10,000 km²", format="%.2f"),
                },
            )
        else:
            unit = units.set_index("unit_code").loc[unit_code]
            st.subheader(f"{unit['unit_name']} ({COUNTRY_NAMES.get(unit['country_iso3'], unit['country_iso3'])})")
            if st.button("Back to all units", key="clear_unit"):
                view = shell.update(unit="")
                st.rerun()
            history = all_years[all_years["unit_code"] == unit_code]
            st.plotly_chart(
                charts.unit_trend(history, metric=view.metric, metric_label=metric_label,
                                  title=f"{metric_label} in {unit['unit_name']} per year — {source_label}",
                                  caption=shell.caption_text(ctx, view, years="all years")),
                width="stretch", config={"displaylogo": False}, key="unit_trend",
            )
            actors, latest = datalib.unit_detail(ctx.source, level=view.level, unit_code=unit_code,
                                                 filters=replace(view.filters(), sources=(view.source,)))
            st.markdown(f"**Top actors, {view.year_label()}**")
            st.dataframe(actors, hide_index=True, width="stretch")
            st.markdown(f"**Latest events, {view.year_label()}**")
            st.dataframe(charts.latest_events(latest), hide_index=True, width="stretch")

elif view.view == "animation":
    frames = all_years[~all_years["unit_code"].isin([OUTSIDE_CODE, UNALLOCATED_CODE])]
    anim_caption = shell.caption_text(ctx, view, years="all years")
    figure = charts.animated_choropleth(units, frames, metric=view.metric, metric_label=metric_label,
                                        title=f"{metric_label} per {level_label} by year — {source_label}",
                                        caption=anim_caption, log=view.log)
    st.plotly_chart(figure, width="stretch", config={"displaylogo": False}, key="animation")
    st.caption("Press ▶ to play the years; the colour scale is the same in every frame. " + anim_caption)

else:
    periods = sorted(all_years["period"].unique())
    long = maps.long_values(all_years, view.metric)
    classification = maps.classify(long["value"], scheme=view.scheme, log=view.log)
    svg = maps.small_multiples_svg(
        units, long, classification=classification, periods=periods, metric=view.metric,
        aoi=display_area_of_interest(ctx.boundary_set),
        title=f"{metric_label} per {level_label} by year — {source_label}",
    )
    st.image(svg, width="stretch")
    st.caption(shell.caption_text(ctx, view, years="all years"))
