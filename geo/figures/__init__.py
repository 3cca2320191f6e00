"""The figure layer: every map, chart and table a page shows (and an export or a briefing will write), built from data the pipeline computed and a :class:`~geo.figures.style.FigureText` (title, filter line, source line, sample watermark).

Builders return plotly figures, folium maps or SVG / HTML strings; they read no store and import no Streamlit. The
pipeline (schema, readers, boundaries, join, aggregate, store, ingest, borders, places, query, filters, dataset) never
imports this package.

Modules:

* :mod:`~geo.figures.style` — the one style: words (:data:`~geo.figures.style.WORDS`), palette, class breaks
  (mapclassify), no-data and zero styles, number and date formatting, partial periods, legends, escaping,
  and the text every figure carries.
* :mod:`~geo.figures.choropleth` — the interactive map of one period (folium).
* :mod:`~geo.figures.svgmap` — the small multiples and the animation (SVG).
* :mod:`~geo.figures.charts` — trends, a unit's history, event locations (plotly).
* :mod:`~geo.figures.borders` — the Borders page's map, charts and the map overlay (plotly, folium).
* :mod:`~geo.figures.tables` — the tables behind the figures (changes, rankings, actors, latest events).
* :mod:`~geo.figures.plot` — what plotly figures share (text placement, empty figures, map views, Play).
* :mod:`~geo.figures.geometry` — simplified display geometry; :mod:`~geo.figures.focus` — the focus areas.
* :mod:`~geo.figures.offline` — Leaflet and its plugins served by the app (no CDN).

Map technologies, and why each is kept:

* **folium (Leaflet)** for the one map readers explore: a click on a unit reaches the page (its detail opens),
  tooltips, zoom, clustered event points; plotly's maps cannot return a click on a polygon to Streamlit.
* **SVG** for the small multiples and the animation: the same drawing with the same classes, geometry sent
  once, country and region names written on the map (plotly's offline maps cannot draw text: MapLibre fetches
  glyphs from a font server), and one light image that is the same on screen, in a PNG or in a PDF.
* **plotly** for the charts and for the Borders map, which is zoomed into while its yearly frames play over up
  to a thousand points and pair lines; and for the upload preview's points. The animated choropleth that
  plotly drew before (its own colour scale, no classes, no names) is gone: the SVG animation replaced it.
"""
