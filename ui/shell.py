"""The Streamlit shell shared by every page: start-up, the sidebar filters, URL state and the banner.

`app.py` calls `start()` then `sidebar(page)`; pages call `current()` to get the context and view state.
The canonical view state lives in `st.session_state["view"]`; widgets are only its editors, so a page
that does not show a widget does not lose its value, and the URL is rewritten from it on every run.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace
from pathlib import Path

import streamlit as st

from geo.boundaries import BoundarySet, list_boundary_sets
from geo.config import Settings, get_settings
from geo.countries import COUNTRY_NAMES
from geo.dataset import ViewData
from geo.errors import AtlasError
from geo.figures.choropleth import cache_folium_templates
from geo.figures.offline import install_static_assets, patch_for_offline
from geo.figures.style import metric_label
from geo.store import Store, default_url

from . import data as datalib
from .offline import patch_st_folium
from .state import ALL_TYPES, FOCUS_CHOICES, SCHEMES, TREND_GROUPS, VIEWS, ViewState
from .views import Inputs, complete_view

SOURCE_LABELS = {"acled": "ACLED", "ucdp": "UCDP GED", "generic": "Generic CSV", "sample": "Synthetic sample"}
LEVEL_LABELS = {"admin1": "Regions", "admin2": "Districts"}
#: The shipped boundary sets by their sources' names; a set an analyst registered is shown by its own name.
BOUNDARY_SET_LABELS = {"ocha-geoboundaries": "OCHA and geoBoundaries", "natural-earth": "Natural Earth"}


def boundary_set_label(name: str) -> str:
    return BOUNDARY_SET_LABELS.get(name, name)
APP_DIR = Path(__file__).resolve().parent.parent


@dataclass
class Context:
    """Everything a page needs besides the view state."""

    settings: Settings
    store: Store  # the store of uploaded events (empty: the sample is shown)
    data: ViewData  # what is shown: the store's events or the sample's
    boundary_set: BoundarySet
    source: datalib.Source  # where the figures come from: the shown data placed in the boundary set
    choices: datalib.Choices

    @property
    def tolerance_m(self) -> float:
        return self.settings.tolerance_m

    def source_label(self, source: str) -> str:
        return SOURCE_LABELS.get(source, source)

    def inputs(self) -> Inputs:
        """What the view models of `ui.views` read through (cached per data version) and know of the data."""
        return Inputs(reader=datalib.reader(self.source), settings=self.settings, is_sample=self.data.is_sample,
                      years=self.choices.years, vintages=self.choices.vintages)


@st.cache_resource(show_spinner=False)
def _prepare_offline() -> str:
    """Serve the map libraries from this server (no CDN), once per process."""
    install_static_assets(APP_DIR / "static")
    patch_for_offline()
    patch_st_folium()
    cache_folium_templates()
    return "ok"


def start() -> Context:
    """Offline assets, settings, the store and the current data (cached by data version)."""
    _prepare_offline()
    settings = get_settings()
    store = datalib.get_store(default_url(settings))
    data = datalib.view_data(store, settings)
    view = st.session_state.get("view")
    names = [s.name for s in list_boundary_sets(settings)]
    wanted = view.boundaries if view is not None else _query_dict().get("boundaries", [settings.default_boundaries])[-1]
    try:
        boundary_set = datalib.boundary_set(wanted if wanted in names else settings.default_boundaries, settings)
    except AtlasError:
        boundary_set = datalib.boundary_set(settings.default_boundaries, settings)
    source = _placed(data, boundary_set, settings)
    choices = datalib.choices(source, settings)
    if view is None:
        view, problems = ViewState.from_query(_query_dict(), choices=choices.as_mapping())
        if problems:
            st.session_state["url_problems"] = problems
    st.session_state["view"] = complete_view(view, choices)
    context = Context(settings=settings, store=store, data=data, boundary_set=boundary_set, source=source, choices=choices)
    st.session_state["context"] = context
    return context


def _placed(data: ViewData, boundary_set: BoundarySet, settings: Settings) -> datalib.Source:
    """The data placed in the boundary set; the first use of a set places every stored event (with a progress bar)."""
    bar = None

    def progress(fraction: float, message: str) -> None:
        nonlocal bar
        if bar is None:
            bar = st.progress(0.0, text=f"Placing the stored events in {boundary_set.name} (once per boundary set)…")
        bar.progress(min(max(fraction, 0.0), 1.0), text=message)

    source = datalib.source(data, boundary_set, settings.tolerance_m, progress=progress)
    if bar is not None:
        bar.empty()
    return source


def _query_dict() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def leave_legacy_pages_mode() -> None:
    """
    Rerun at once if Streamlit runs this script in its legacy `pages/`-folder mode.

    On the first run of a server process Streamlit sees the `pages/` folder and runs the script through
    its old multipage path (its own navigation, pages run without `app.py`); only a call to
    `st.navigation` switches it off, for the rest of the process. Switching it off here and rerunning
    gives the first visitor the real app too. Relies on a Streamlit internal (pinned version).
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def current(page: str) -> tuple[Context, ViewState]:
    """
    The context and view state for a page.

    `app.py` normally prepares them. Streamlit still runs a file of a `pages/` folder directly on the very
    first run of a server process when that run is for a sub-page URL (its legacy multipage mode, before
    `st.navigation` has been called once); the page then prepares them itself.
    """
    leave_legacy_pages_mode()
    if "context" not in st.session_state or "view" not in st.session_state:
        context = start()
        sidebar(page)
        banner(context)
    return st.session_state["context"], st.session_state["view"]


def update(**changes) -> ViewState:
    """Change the view state (from a page's own widgets) and the URL with it."""
    view = replace(st.session_state["view"], **changes)
    st.session_state["view"] = view
    write_url(view)
    return view


def write_url(view: ViewState) -> None:
    wanted = view.to_query()
    if _query_dict() != {k: (v if isinstance(v, list) else [v]) for k, v in wanted.items()}:
        st.query_params.from_dict(wanted)


def _widget(key: str, value):
    """Seed a widget from the canonical state when it is not on screen yet."""
    if key not in st.session_state:
        st.session_state[key] = value
    return key


def sidebar(page: str) -> ViewState:
    """
    The shared filters (and the current page's options) in the sidebar; returns the new view state.

    Parameters
    ----------
    page
        The current page's url path ("map", "trends", ...), to show its own options.
    """
    ctx: Context = st.session_state["context"]
    view: ViewState = st.session_state["view"]
    c = ctx.choices
    sb = st.sidebar
    sb.markdown("### Filters")
    source = sb.selectbox(
        "Source dataset", c.sources, format_func=ctx.source_label, key=_widget("w_source", view.source),
        help="ACLED and UCDP count events differently: their figures are never added together.",
    )
    boundaries = sb.selectbox(
        "Boundaries", c.boundaries, key=_widget("w_boundaries", view.boundaries), format_func=boundary_set_label,
        help="The regions and districts events are counted in. The default comes from OCHA and geoBoundaries "
             "(current regions, with Ménaka); Natural Earth has the older regions.",
    )
    levels = c.levels.get(boundaries, ["admin1"])
    if st.session_state.get("w_level") not in levels:
        st.session_state["w_level"] = view.level if view.level in levels else levels[0]
    level = sb.radio("Units", levels, horizontal=True, key="w_level", format_func=LEVEL_LABELS.get,
                     help="Regions (admin 1), or the districts within them (admin 2): Mali's cercles, Burkina Faso's "
                          "provinces and Niger's départements.")
    from geo.aggregate import METRICS

    metric = sb.selectbox("Metric", list(METRICS), format_func=metric_label, key=_widget("w_metric", view.metric))
    years = _year_control(sb, view, c.years)
    countries = sb.multiselect("Countries", c.countries, format_func=lambda c_: COUNTRY_NAMES.get(c_, c_),
                               key=_widget("w_countries", list(view.countries)), placeholder="All three countries")
    preset_options = [ALL_TYPES, *c.presets]
    preset = sb.radio("Event types", preset_options, key=_widget("w_preset", view.preset if view.preset in preset_options else ALL_TYPES),
                      format_func=lambda p: "All event types" if p == ALL_TYPES else c.presets.get(p, p))
    with sb.expander("More filters", expanded=bool(view.types or view.subtypes or view.actor or view.precision)):
        types = st.multiselect("Only these event types", c.types, key=_widget("w_types", list(view.types)), placeholder="Any")
        subtypes = st.multiselect("Only these sub-types", c.subtypes, key=_widget("w_subtypes", list(view.subtypes)), placeholder="Any")
        actor = st.text_input("Actor contains", key=_widget("w_actor", view.actor), placeholder="e.g. JNIM")
        precision = st.selectbox(
            "Location precision", [0, 1, 2, 3], key=_widget("w_precision", view.precision),
            format_func=lambda p: "Any" if p == 0 else f"Geo precision ≤ {p}",
            help="ACLED: 1 town known, 2 near a town, 3 only the region. UCDP where_prec uses 1–7.",
        )
    changes = dict(
        source=source, boundaries=boundaries, level=level, metric=metric, year_from=int(years[0]), year_to=int(years[1]),
        countries=tuple(countries), preset=preset, types=tuple(types), subtypes=tuple(subtypes), actor=actor.strip(),
        precision=int(precision),
    )
    if page == "map":
        sb.markdown("### Map")
        changes["view"] = sb.radio("View", list(VIEWS), format_func=VIEWS.get, horizontal=True, key=_widget("w_view", view.view))
        changes["scheme"] = sb.selectbox(
            "Colour classes", list(SCHEMES), format_func=SCHEMES.get, key=_widget("w_scheme", view.scheme),
            help="How the values of the years shown are cut into five colours. Quantiles put about as many units in "
                 "each colour; natural breaks cut where the values jump; equal ranges cut the values into equal steps.",
        )
        changes["log"] = sb.checkbox("Log scale", key=_widget("w_log", view.log),
                                     help="Cut the classes on the logarithm of the values (for very uneven counts).")
        changes["points"] = sb.checkbox("Show events as points", key=_widget("w_points", view.points))
        changes["border_overlay"] = sb.checkbox(
            "Shared borders and distance bands", key=_widget("w_border_overlay", view.border_overlay),
            help="Draw the Mali–Burkina Faso–Niger borders, the distance bands and the tri-border zone over the map",
        )
        changes["tiles"] = sb.checkbox("Online basemap (needs internet)", key=_widget("w_tiles", view.tiles),
                                       help="Off by default: the atlas works offline without it.")
    elif page == "trends":
        from geo.aggregate import PERIODS

        sb.markdown("### Trends")
        changes["period"] = sb.radio("Period", list(PERIODS), horizontal=True, key=_widget("w_period", view.period))
        changes["trend_by"] = sb.radio("Per", list(TREND_GROUPS), format_func=TREND_GROUPS.get, horizontal=True,
                                       key=_widget("w_trend_by", view.trend_by))
        changes["chart"] = sb.radio("Chart", ["line", "bar"], horizontal=True, key=_widget("w_chart", view.chart))
    elif page == "borders":
        from geo.borders import parse_bands

        from .state import BORDER_INT_RANGES

        sb.markdown("### Borders")
        bands_text = sb.text_input(
            "Distance bands (km)", key=_widget("w_bands", view.bands),
            help="Edges of the bands of distance to the nearest shared border, increasing, e.g. 10,50,100 "
                 "(SWAC uses 50,100,150,200).",
        ).strip()
        try:
            parse_bands(bands_text)
            changes["bands"] = bands_text
        except AtlasError as exc:
            sb.error(f"{exc}; showing {view.bands}.")
        low, high = BORDER_INT_RANGES["tri_km"]
        changes["tri_km"] = int(sb.number_input("Tri-border zone radius (km)", low, high, step=10, key=_widget("w_tri_km", view.tri_km)))
        sb.markdown("**Cross-border pairs**", help="Two events in different countries within this distance and time of each other.")
        low, high = BORDER_INT_RANGES["pair_km"]
        changes["pair_km"] = int(sb.number_input("Within (km)", low, high, step=5, key=_widget("w_pair_km", view.pair_km)))
        low, high = BORDER_INT_RANGES["pair_days"]
        changes["pair_days"] = int(sb.number_input("Within (days)", low, high, step=1, key=_widget("w_pair_days", view.pair_days)))
        changes["same_actor"] = sb.checkbox("Same actor in both events", key=_widget("w_same_actor", view.same_actor))
    if page in ("map", "trends", "borders"):
        sb.markdown("### Share and present")
        copy_link_button("sidebar")
        changes["present"] = sb.toggle(
            "Presentation mode", key=_widget("w_present", view.present),
            help="Hides this sidebar and the app's menus, enlarges the figure and its text and fixes the map on the area "
                 "below: a screenshot of the screen is a 16:9 slide. The link keeps it (present=1).",
        )
        changes["focus"] = sb.selectbox("Map focus when presenting", list(FOCUS_CHOICES), format_func=FOCUS_CHOICES.get,
                                        key=_widget("w_focus", view.focus))
    new = replace(view, **changes)
    if new.boundaries != view.boundaries or new.level != view.level:
        new = replace(new, unit="")
    st.session_state["view"] = new
    if new.boundaries != ctx.boundary_set.name:
        ctx.boundary_set = datalib.boundary_set(new.boundaries, ctx.settings)
        ctx.source = _placed(ctx.data, ctx.boundary_set, ctx.settings)
    write_url(new)
    return new


def banner(ctx: Context) -> None:
    """Say on every page when the built-in synthetic sample is shown, and report unusable URL values.

    In presentation mode the sample is said by the watermark every figure carries, not by a banner.
    """
    view: ViewState = st.session_state["view"]
    if ctx.data.is_sample and not view.present:
        st.warning(
            "**Synthetic sample — not real events.** The event store is empty, so the atlas shows a generated "
            "sample for demonstration. Figures, places and actors are invented. Analysts can upload ACLED or UCDP "
            "exports on the Data page to see real data.",
            icon="⚠️",
        )
    problems = st.session_state.pop("url_problems", None)
    if problems:
        st.info("Some settings in the link could not be used: " + "; ".join(problems))


def _year_control(sb, view: ViewState, years: tuple[int, int]) -> tuple[int, int]:
    """
    One year by default; a range when "Compare or sum several years" is ticked (then a slider with two handles,
    set apart when it opens, so that dragging one moves it).
    """
    low, high = years
    if low >= high:
        sb.caption(f"Year: {low}")
        return low, high
    state = st.session_state
    several = sb.toggle(
        "Compare or sum several years", key=_widget("w_several", view.is_range),
        help="Off: one year. On: a range of years — the map sums them, the trends and the tables compare the first "
             "with the last.",
    )
    was = state.get("_several_before", view.is_range)
    state["_several_before"] = several
    if several:
        if not was or "w_years" not in state:
            if view.is_range:  # from the link
                state["w_years"] = (view.year_from, view.year_to)
            else:  # just switched on: open on the five years up to the year shown, handles apart
                last = view.year_to or high
                first = max(low, last - 4) if last > low else low
                state["w_years"] = (first, last if last > first else min(high, first + 4))
        chosen = sb.slider("Years", low, high, key="w_years",
                           help="From the first to the last year: the map sums them, the trends compare the first with the last.")
        return int(chosen[0]), int(chosen[1])
    if was or "w_year" not in state:  # just switched off (or first run): the last year of the range
        state["w_year"] = view.year_to or high
    year = sb.slider("Year", low, high, key="w_year")
    return int(year), int(year)


_COPY_SCRIPT = """
<div class="atlas-copy-link" id="%(id)s" style="margin:0 0 0.6rem 0">
  <button type="button" style="font:500 14px/1.2 sans-serif;padding:6px 12px;border:1px solid rgba(49,51,63,0.25);
    border-radius:8px;background:#fff;cursor:pointer">Copy link</button>
  <span class="atlas-copy-status" style="font:13px sans-serif;color:#555;margin-left:8px"></span>
</div>
<script>
(function () {
  var root = document.getElementById(%(id_json)s);
  if (!root) { return; }
  var button = root.querySelector("button"), status = root.querySelector(".atlas-copy-status");
  function done(ok) { status.textContent = ok ? "Link copied: it opens this exact view." : "Copy this address: " + window.location.href; }
  button.onclick = function () {
    var link = window.location.href;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(link).then(function () { done(true); }, function () { done(fallback(link)); });
    } else { done(fallback(link)); }
  };
  function fallback(link) {
    var area = document.createElement("textarea");
    area.value = link; area.setAttribute("readonly", ""); area.style.position = "fixed"; area.style.opacity = "0";
    document.body.appendChild(area); area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
})();
</script>
"""


def copy_link_button(where: str) -> None:
    """A "Copy link" button: copies the page's address, which restores this exact view (every setting is in it)."""
    dom_id = f"atlas-copy-{where}"
    body = _COPY_SCRIPT % {"id": html.escape(dom_id), "id_json": f'"{dom_id}"'}
    target = st.sidebar if where == "sidebar" else st
    target.html(body, unsafe_allow_javascript=True)


_PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarCollapseButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stStatusWidget"],
footer { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { max-width: 100% !important; padding: 0.9rem 2rem 1rem 2rem !important; }
[data-testid="stAppViewContainer"] { padding-top: 0 !important; }
h1 { font-size: 2.1rem !important; padding: 0 0 0.2rem 0 !important; }
[data-testid="stCaptionContainer"] { font-size: 1.08rem !important; }
[data-testid="stVerticalBlock"] { gap: 0.55rem !important; }
</style>
"""


def chrome(view: ViewState) -> None:
    """Presentation mode: hide the sidebar and Streamlit's chrome, and widen the page (the figures enlarge their fonts)."""
    if view.present:
        st.html(_PRESENT_CSS)


def _leave_presentation() -> None:
    st.session_state["w_present"] = False


def _focus_chosen() -> None:
    st.session_state["w_focus"] = st.session_state["p_focus"]


def presentation_bar() -> None:
    """Below the figure in presentation mode (out of a 16:9 screenshot): the map focus, Copy link, and the way out."""
    view: ViewState = st.session_state["view"]
    if not view.present:
        return
    st.divider()
    left, middle, right = st.columns([2, 1, 1])
    st.session_state["p_focus"] = view.focus
    left.selectbox("Map focus", list(FOCUS_CHOICES), format_func=FOCUS_CHOICES.get, key="p_focus", on_change=_focus_chosen)
    with middle:
        copy_link_button("present")
    right.button("Leave presentation mode", key="leave_present", on_click=_leave_presentation)
