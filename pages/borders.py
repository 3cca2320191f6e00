"""Borders: violence near the shared borders of Mali, Burkina Faso and Niger — a map of the borders, distance
bands, tri-border zone, events by band and cross-border pairs (one frame per year), the share of events and
fatalities near the borders per year, band and border segment, cross-border pairs over time and the
footprint of an actor across the three countries."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from geo import border_views
from geo.borders import BORDERS, DEFAULT_BANDS_KM, PAIR_COLUMNS, located_from_places, parse_bands, share_within
from geo.display import display_countries
from geo.errors import AtlasError
from geo.export import to_safe_csv
from ui import data as datalib
from ui import shell

HEADLINE_KM = 50.0  # the distance of the SWAC figure the page reports

ctx, view = shell.current("borders")
source_label = ctx.source_label(view.source)
try:
    bands = parse_bands(view.bands)
except AtlasError:
    bands = DEFAULT_BANDS_KM
# The headline share needs 50 km as a band edge; the band chart keeps the bands as chosen.
share_bands = tuple(sorted({*bands, HEADLINE_KM}))

# One year selected: the series show every year, with that year marked; a range limits them to it (as on Trends).
single_year = view.year_from == view.year_to
low, high = ctx.choices.years
years = list(range(low, high + 1)) if single_year else list(range(view.year_from, view.year_to + 1))
periods = [str(y) for y in years]
selected_periods = [str(y) for y in range(view.year_from, view.year_to + 1)]
highlight = str(view.year_from) if single_year else None
series_filters = view.filters_without_years() if single_year else view.filters()
caption = shell.caption_text(ctx, view)
series_years = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
series_caption = shell.caption_text(ctx, view, years=series_years)

st.title(f"Violence near the shared borders, {view.year_label()} — {source_label}")

try:
    geometry = datalib.border_geometry(ctx.boundary_set)
except AtlasError as exc:
    st.error(f"The shared borders cannot be drawn with the boundary set “{ctx.boundary_set.name}”: {exc}. "
             "Choose another boundary set in the sidebar.")
    st.stop()

src = ctx.source
only_source = replace(series_filters, sources=(view.source,))
table = datalib.border_table(src, filters=only_source, period="year", bands=share_bands)
band_table = table if share_bands == bands else datalib.border_table(src, filters=only_source, period="year", bands=bands)
band_shapes, tri_zone = datalib.border_shapes(ctx.boundary_set, bands=bands, tri_radius_km=float(view.tri_km))
# The selected years (a range, or the one year), for the tiles, the pairs and the map's first frame.
selected_filters = replace(view.filters(), sources=(view.source,))
tri_in, tri_counted = datalib.tri_share(src, filters=selected_filters, radius_km=float(view.tri_km))
tri_share = tri_in / tri_counted if tri_counted else float("nan")
# Pairs of the years the series show when the events near the borders are few enough, else of the selected years.
pairs, pairs_scope, pair_candidates = datalib.border_pairs_within(
    src, filters=[only_source, selected_filters], max_km=float(view.pair_km), max_days=view.pair_days,
    same_actor=view.same_actor,
)
map_points = datalib.border_points(src, filters=only_source, bands=bands)

# ------------------------------------------------------------------ the figures of the selected years
now = table[table["period"].isin(selected_periods)]
summary = border_views.share_summary(now, HEADLINE_KM, share_bands)
pair_years = pd.to_datetime(pairs["date_a"]).dt.year if pairs is not None and len(pairs) else pd.Series(dtype=int)
pairs_now = int(pair_years.between(view.year_from, view.year_to).sum()) if len(pair_years) else 0
pair_rule = f"≤ {view.pair_km} km and ≤ {view.pair_days} day{'s' if view.pair_days != 1 else ''} apart" + (
    ", same actor" if view.same_actor else "")


def percent(value: float) -> str:
    return "–" if pd.isna(value) else f"{value * 100:.0f} %"


if summary["events"] == 0:
    st.info(f"No {source_label} events in Mali, Burkina Faso or Niger match these filters "
            f"({view.filters().describe(ctx.settings)}). Choose other years or widen the filters in the sidebar.")

tiles = st.columns(5)
tiles[0].metric(
    f"Events within {HEADLINE_KM:g} km", percent(summary["share_events"]),
    help=f"Share of the events in the three countries within {HEADLINE_KM:g} km of a shared border: "
         f"{summary['events_near']:,.0f} of {summary['events']:,.0f}, {view.year_label()}. "
         "Distances are geodesic, to the nearest of the ML–BF, ML–NE and BF–NE borders.",
)
tiles[1].metric(
    f"Fatalities within {HEADLINE_KM:g} km", percent(summary["share_fatalities"]),
    help=f"Share of the reported fatalities in the three countries within {HEADLINE_KM:g} km of a shared border: "
         f"{summary['fatalities_near']:,.0f} of {summary['fatalities']:,.0f}, {view.year_label()}.",
)
tiles[2].metric("Cross-border pairs", f"{pairs_now:,}" if pairs is not None else "–",
                help=f"Pairs of events in two different countries {pair_rule}, {view.year_label()} "
                     "(a pair counts in the year of its earlier event)." if pairs is not None else
                     f"Not searched: about {pair_candidates:,} events lie within {view.pair_km} km of a shared border in "
                     f"{view.year_label()}: too many events, or pairs of them, to search at once (the search reads at most "
                     f"{datalib.MAX_PAIR_CANDIDATES:,} events). Narrow the filters or the distance.")
tiles[3].metric("Events in the tri-border zone", percent(tri_share),
                help=f"Share of the events in the three countries within {view.tri_km} km of the point where the "
                     "three borders meet (Liptako-Gourma).")
tiles[4].metric(
    f"Civilian fatalities within {HEADLINE_KM:g} km", percent(summary["share_civilian_fatalities"]),
    help=f"Share of the fatalities of events targeting civilians in the three countries within {HEADLINE_KM:g} km of "
         f"a shared border: {summary['civilian_fatalities_near']:,.0f} of {summary['civilian_fatalities']:,.0f}, "
         f"{view.year_label()}.",
)
if len(view.countries) == 1:
    st.caption("Only one country is chosen in the sidebar: no pair of events can cross a border, and no actor can be "
               "seen in two countries. Choose two countries, or all three, for those figures.")
if not view.preset.startswith("political"):
    st.caption("Comparing with published figures (SWAC, ACLED)? Choose “Political violence” under Event types in the "
               "sidebar: they leave out protests and strategic developments.")

# ------------------------------------------------------------------ map
map_title = f"Events by distance to the nearest shared border, {view.year_label()} — {source_label}"
if map_points.binned:
    map_events, map_located = None, None
else:
    map_events = map_points.events
    map_located = located_from_places(map_events, bands)
empty_pairs = pd.DataFrame(columns=PAIR_COLUMNS)
figure = border_views.border_map(
    geometry, band_shapes, tri_zone, map_events, map_located, pairs if pairs is not None else empty_pairs, bands=bands,
    years=years, selected=(view.year_from, view.year_to), title=map_title, caption=caption,
    countries=display_countries(ctx.boundary_set), tri_radius_km=float(view.tri_km),
    pair_label=f"Cross-border pair, {pair_rule}", bins=map_points.bins if map_points.binned else None,
    cell_deg=map_points.cell_deg,
)
st.plotly_chart(figure, width="stretch", config={"displaylogo": False, "scrollZoom": True}, key="border_map")
now_all = band_table[band_table["period"].isin(selected_periods)]
not_mapped = int(now_all.loc[~now_all["border"].isin(list(BORDERS)), "events"].sum())
st.caption(
    "Press ▶ to play the years (the slider under the map picks one). Events are coloured by their distance to the "
    "nearest shared border; the shaded areas are the distance bands inside the three countries; purple lines join "
    f"the two events of a cross-border pair ({pair_rule})."
    + (f" There are {map_points.total:,} events near the borders: too many to draw one by one, so each circle is a "
       f"{map_points.cell_deg:g}° cell sized by its events." if map_points.binned else "")
    + (f" {not_mapped:,} events outside the three countries or located too vaguely for a distance are not on the map."
       if not_mapped else "")
    + ("" if pairs is not None and pairs_scope == 0 else
       " Cross-border pairs are shown for the selected years only (the events near the borders over all years are too "
       "many to search at once)." if pairs is not None else
       " Cross-border pairs are not searched: too many events near the borders for these filters.")
)

# ------------------------------------------------------------------ charts
left, right = st.columns(2, gap="medium")
with left:
    shares = share_within(table, HEADLINE_KM, share_bands) if len(table) else pd.DataFrame(columns=["period", "events"])
    st.plotly_chart(
        border_views.share_chart(
            shares, km=HEADLINE_KM, periods=periods, title=f"Share within {HEADLINE_KM:g} km of a shared border",
            caption=series_caption, highlight=highlight,
        ),
        width="stretch", config={"displaylogo": False}, key="share_chart",
    )
with right:
    if pairs is None:
        st.info(f"Cross-border pairs are not searched: about {pair_candidates:,} events lie within {view.pair_km} km of "
                f"a shared border in {view.year_label()}, too many events (the search reads at most "
                f"{datalib.MAX_PAIR_CANDIDATES:,}) or pairs of them to search at once. Choose fewer years, narrower "
                "filters or a shorter distance in the sidebar.")
    else:
        # Pairs of the selected years only when all the years were too many to search (see the map's caption).
        pair_periods = periods if pairs_scope == 0 else selected_periods
        st.plotly_chart(
            border_views.pairs_chart(
                pairs, periods=pair_periods, title="Cross-border pairs of events",
                caption=series_caption if pairs_scope == 0 else caption,
                max_km=view.pair_km, max_days=view.pair_days, highlight=highlight if pairs_scope == 0 else None,
            ),
            width="stretch", config={"displaylogo": False}, key="pairs_chart",
        )
st.plotly_chart(
    border_views.band_share_chart(
        band_table, bands=bands, periods=periods, title="Events and fatalities per band of distance to the nearest shared border",
        caption=series_caption, highlight=highlight,
    ),
    width="stretch", config={"displaylogo": False}, key="band_chart",
)
st.plotly_chart(
    border_views.segment_share_chart(
        table, km=HEADLINE_KM, bands=share_bands, periods=periods,
        title=f"Events and fatalities within {HEADLINE_KM:g} km of each border segment", caption=series_caption,
        highlight=highlight,
    ),
    width="stretch", config={"displaylogo": False}, key="segment_chart",
)

# ------------------------------------------------------------------ actor footprint
st.subheader("Footprint of a cross-border actor")
actors = datalib.border_actors(src, filters=only_source, period="year")
options = border_views.actor_options(actors[actors["source"] == view.source])
if not options:
    st.caption("No actor has events in two or more of the three countries for these filters.")
else:
    index = options.index(view.focus_actor) if view.focus_actor in options else 0
    actor = st.selectbox(
        "Actor", options, index=index, key=f"focus_actor_{series_years}",
        help="Actors with events in two or more of the three countries in a year (civilians, protesters and "
             "rioters are left out), most events first.",
    )
    if actor != options[index]:  # only a choice of the reader goes into the state and the URL
        view = shell.update(focus_actor=actor)
    footprint = datalib.actor_footprint(src, filters=only_source, actor=actor, periods=periods)
    st.plotly_chart(
        border_views.actor_footprint_chart(
            footprint, actor=actor, title=f"Events involving {actor} per country, per year", caption=series_caption,
            highlight=highlight,
        ),
        width="stretch", config={"displaylogo": False}, key="actor_chart",
    )

# ------------------------------------------------------------------ table and method
with st.expander("Table: events and fatalities per year, border segment and distance band"):
    st.caption("The table of `python -m geo borders` for these filters. Shares are of the year's events (fatalities) "
               "in the three countries; `_OUTSIDE` are events outside them, `_IMPRECISE` events located too vaguely for a "
               "distance (UCDP where_prec 5–7).")
    st.dataframe(band_table, hide_index=True, width="stretch")
    st.download_button("Download the table (CSV)", to_safe_csv(band_table), file_name="atlas_borders.csv", mime="text/csv")

with st.expander("About these figures", expanded=False):
    st.markdown(
        f"""
**Shared borders** are the common edges of the country outlines of the boundary set
(“{ctx.boundary_set.name}”): Mali–Burkina Faso (ML–BF), Mali–Niger (ML–NE) and Burkina Faso–Niger (BF–NE).
Each event's **distance** is geodesic (WGS84 ellipsoid) to the nearest point of the nearest of these three
borders. Events outside the three countries, and events located too vaguely for any admin unit (UCDP
where_prec 5–7), get no distance: they are left out of the shares and of the map.

**Bands** are distance intervals from the border ({", ".join(f"{b:g}" for b in bands)} km edges; change them in
the sidebar). The **tri-border zone** is the disc of {view.tri_km} km around the point where the three borders meet.
A **cross-border pair** is two events in different countries, {pair_rule}; it shows where violence on one side
of a border is followed by violence on the other.

**Comparing with SWAC.** With the data shown ({source_label}, {view.year_label()}, {view.filters().describe(ctx.settings)}),
{percent(summary["share_events"])} of the events and {percent(summary["share_fatalities"])} of the fatalities in the
three countries are within {HEADLINE_KM:g} km of one of the three *shared* borders. The Sahel and West Africa Club
(SWAC/OECD) reports 46 % of the events within 50 km of a border: it counts the distance to *any* international
border of the three countries, including those with Algeria, Mauritania, Senegal, Guinea, Côte d'Ivoire, Ghana,
Togo, Benin, Nigeria, Chad and Libya, so its share is larger. The atlas measures to the shared borders only,
because they are the borders the three states and their armed opponents cross between one another.
"""
    )
