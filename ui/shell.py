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
from geo.dataset import ViewData
from geo.errors import AtlasError
from geo.figures.choropleth import cache_folium_templates
from geo.figures.language import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, set_language
from geo.figures.offline import install_static_assets, patch_for_offline
from geo.figures.state import ALL_TYPES, FOCUS_CHOICES, SCHEMES, TREND_GROUPS, VIEWS, ViewState, choice_label
from geo.figures.style import capitalized, category, country_name, metric_label, preset_label, script_json, word, word_or
from geo.figures.views import Inputs, complete_view, metric_choices
from geo.indicators import AGGREGATE_SOURCE, DEFAULT_INDICATOR, INDICATORS
from geo.store import Store, default_url

from . import data as datalib
from .offline import patch_st_folium

#: The shipped boundary sets by their sources' names; a set an analyst registered is shown by its own name.
BOUNDARY_SET_LABELS = {"ocha-geoboundaries": "OCHA and geoBoundaries", "natural-earth": "Natural Earth"}


def boundary_set_label(name: str) -> str:
    """A boundary set's name for the sidebar: the shipped ones by their sources, in the current language."""
    return word_or(f"boundaries.{name}", BOUNDARY_SET_LABELS.get(name, name))


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
        return word_or(f"choice.source.{source}", source)

    def inputs(self) -> Inputs:
        """What the view models of `geo.figures.views` read through (cached per data version) and know of the data."""
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


def wanted_language() -> str:
    """The language of this run: the view's (a language switch's callback has set it), else the link's, else English."""
    view = st.session_state.get("view")
    if view is not None:
        return view.lang
    asked = _query_dict().get("lang", [DEFAULT_LANGUAGE])[-1]
    return asked if asked in LANGUAGES else DEFAULT_LANGUAGE


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
            bar = st.progress(0.0, text=word("shell.placing", name=boundary_set.name))
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
    set_language(wanted_language())  # the language of the page's run (app.py also wraps the run in it)
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
    language_switch(sb, "w_lang")
    sb.markdown(f"### {word('sidebar.filters')}")
    source = sb.selectbox(
        word("sidebar.source"), c.sources, format_func=ctx.source_label, key=_widget("w_source", view.source),
        help=word("sidebar.source.help"),
    )
    # One of ACLED's indicators: for events, ACLED's definition of it (or all events); ACLED's aggregates are always of
    # one indicator, among those the store holds.
    aggregate = source == AGGREGATE_SOURCE
    indicators = list(c.indicators or [DEFAULT_INDICATOR]) if aggregate else ["", *INDICATORS]
    if st.session_state.get("w_indicator") not in indicators:
        st.session_state["w_indicator"] = view.indicator if view.indicator in indicators else indicators[0]
    indicator = sb.selectbox(
        word("sidebar.indicator"), indicators, key="w_indicator", help=word("sidebar.indicator.help"),
        format_func=lambda v: word(f"indicator.{v}") if v else word("sidebar.indicator.all"),
    )
    boundaries = sb.selectbox(
        word("sidebar.boundaries"), c.boundaries, key=_widget("w_boundaries", view.boundaries), format_func=boundary_set_label,
        help=word("sidebar.boundaries.help"),
    )
    levels = c.levels.get(boundaries, ["admin1"])
    if st.session_state.get("w_level") not in levels:
        st.session_state["w_level"] = view.level if view.level in levels else levels[0]
    level = sb.radio(word("sidebar.units"), levels, horizontal=True, key="w_level",
                     format_func=lambda v: choice_label("level", v), help=word("sidebar.units.help"))

    metrics = metric_choices(replace(view, source=source, indicator=indicator))
    if st.session_state.get("w_metric", view.metric) not in metrics:  # a figure this source does not have
        st.session_state["w_metric"] = "events"
    metric = sb.selectbox(word("sidebar.metric"), metrics, format_func=metric_label, key=_widget("w_metric", view.metric))
    years = _year_control(sb, view, c.years)
    countries = sb.multiselect(word("sidebar.countries"), c.countries, format_func=country_name,
                               key=_widget("w_countries", list(view.countries)), placeholder=word("sidebar.countries.all"))
    if aggregate:  # counts per unit and month of one indicator: no event types, actors or locations to filter
        sb.caption(word("sidebar.aggregate_filters"))
        preset, types, subtypes, actor, precision = view.preset, view.types, view.subtypes, view.actor, view.precision
    else:
        preset_options = [ALL_TYPES, *c.presets]
        preset = sb.radio(word("sidebar.event_types"), preset_options,
                          key=_widget("w_preset", view.preset if view.preset in preset_options else ALL_TYPES),
                          format_func=lambda p: capitalized(word("filter.all_types")) if p == ALL_TYPES else preset_label(p, c.presets.get(p, p)))
        # "Precise events only": the precision filter at 1 (the town or the exact place known), as a switch in sight.
        st.session_state["w_precise"] = st.session_state.get("w_precision", view.precision) == 1
        sb.toggle(word("sidebar.precise"), key="w_precise", on_change=_precise_chosen, help=word("sidebar.precise.help"))
        with sb.expander(word("sidebar.more"), expanded=bool(view.types or view.subtypes or view.actor or view.precision > 1)):
            types = st.multiselect(word("sidebar.types"), c.types, key=_widget("w_types", list(view.types)), format_func=category,
                                   placeholder=word("sidebar.any"))
            subtypes = st.multiselect(word("sidebar.subtypes"), c.subtypes, key=_widget("w_subtypes", list(view.subtypes)),
                                      format_func=category, placeholder=word("sidebar.any"))
            actor = st.text_input(word("sidebar.actor"), key=_widget("w_actor", view.actor), placeholder=word("sidebar.actor.placeholder"))
            precision = st.selectbox(
                word("sidebar.precision"), [0, 1, 2, 3], key=_widget("w_precision", view.precision),
                format_func=lambda p: word("sidebar.any") if p == 0 else word("sidebar.precision.at_most", level=p),
                help=word("sidebar.precision.help"),
            )
    changes = dict(
        source=source, boundaries=boundaries, level=level, metric=metric, year_from=int(years[0]), year_to=int(years[1]),
        countries=tuple(countries), preset=preset, types=tuple(types), subtypes=tuple(subtypes), actor=actor.strip(),
        precision=int(precision), indicator=indicator,
    )
    if page == "map":
        sb.markdown(f"### {word('sidebar.map')}")
        changes["view"] = sb.radio(word("sidebar.view"), list(VIEWS), format_func=lambda v: choice_label("view", v), horizontal=True,
                                   key=_widget("w_view", view.view))
        changes["scheme"] = sb.selectbox(
            word("sidebar.scheme"), list(SCHEMES), format_func=lambda v: choice_label("scheme", v),
            key=_widget("w_scheme", view.scheme), help=word("sidebar.scheme.help"),
        )
        changes["log"] = sb.checkbox(word("sidebar.log"), key=_widget("w_log", view.log), help=word("sidebar.log.help"))
        changes["points"] = sb.checkbox(word("sidebar.points"), key=_widget("w_points", view.points))
        changes["border_overlay"] = sb.checkbox(
            word("sidebar.border_overlay"), key=_widget("w_border_overlay", view.border_overlay),
            help=word("sidebar.border_overlay.help"),
        )
        changes["tiles"] = sb.checkbox(word("sidebar.tiles"), key=_widget("w_tiles", view.tiles), help=word("sidebar.tiles.help"))
    elif page == "agreement":
        from geo.aggregate import PERIODS

        changes["period"] = sb.radio(word("sidebar.period"), list(PERIODS), horizontal=True, key=_widget("w_period", view.period),
                                     format_func=lambda v: choice_label("period", v))
    elif page == "trends":
        from geo.aggregate import PERIODS

        sb.markdown(f"### {word('sidebar.trends')}")
        changes["period"] = sb.radio(word("sidebar.period"), list(PERIODS), horizontal=True, key=_widget("w_period", view.period),
                                     format_func=lambda v: choice_label("period", v))
        changes["trend_by"] = sb.radio(word("sidebar.per"), list(TREND_GROUPS), format_func=lambda v: choice_label("trend_by", v),
                                       horizontal=True, key=_widget("w_trend_by", view.trend_by))
        changes["chart"] = sb.radio(word("sidebar.chart"), ["line", "bar"], horizontal=True, key=_widget("w_chart", view.chart),
                                    format_func=lambda v: choice_label("chart", v))
    elif page == "borders":
        from geo.borders import parse_bands
        from geo.figures.state import BORDER_INT_RANGES

        sb.markdown(f"### {word('sidebar.borders')}")
        bands_text = sb.text_input(word("sidebar.bands"), key=_widget("w_bands", view.bands), help=word("sidebar.bands.help")).strip()
        try:
            parse_bands(bands_text)
            changes["bands"] = bands_text
        except AtlasError as exc:
            sb.error(word("sidebar.bands.error", error=exc, bands=view.bands))
        low, high = BORDER_INT_RANGES["tri_km"]
        changes["tri_km"] = int(sb.number_input(word("sidebar.tri_km"), low, high, step=10, key=_widget("w_tri_km", view.tri_km)))
        sb.markdown(f"**{word('sidebar.pairs')}**", help=word("sidebar.pairs.help"))
        low, high = BORDER_INT_RANGES["pair_km"]
        changes["pair_km"] = int(sb.number_input(word("sidebar.pair_km"), low, high, step=5, key=_widget("w_pair_km", view.pair_km)))
        low, high = BORDER_INT_RANGES["pair_days"]
        changes["pair_days"] = int(sb.number_input(word("sidebar.pair_days"), low, high, step=1,
                                                   key=_widget("w_pair_days", view.pair_days)))
        changes["same_actor"] = sb.checkbox(word("sidebar.same_actor"), key=_widget("w_same_actor", view.same_actor))
    if page in ("map", "trends", "borders"):
        sb.markdown(f"### {word('sidebar.share')}")
        copy_link_button("sidebar")
        changes["present"] = sb.toggle(word("sidebar.present"), key=_widget("w_present", view.present), help=word("sidebar.present.help"))
        changes["focus"] = sb.selectbox(word("sidebar.focus"), list(FOCUS_CHOICES), format_func=lambda v: choice_label("focus", v),
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


def _precise_chosen() -> None:
    """The "precise events only" switch sets the precision filter (its selectbox shows the same)."""
    st.session_state["w_precision"] = 1 if st.session_state["w_precise"] else 0


def banner(ctx: Context) -> None:
    """Say on every page when the built-in synthetic sample is shown, and report unusable URL values.

    In presentation mode the sample is said by the watermark every figure carries, not by a banner.
    """
    view: ViewState = st.session_state["view"]
    if ctx.data.is_sample and not view.present:
        st.warning(word("banner.sample"), icon="⚠️")
    problems = st.session_state.pop("url_problems", None)
    if problems:
        st.info(word("banner.url_problems", problems="; ".join(problems)))


def _year_control(sb, view: ViewState, years: tuple[int, int]) -> tuple[int, int]:
    """
    One year by default; a range when "Compare or sum several years" is ticked (then a slider with two handles,
    set apart when it opens, so that dragging one moves it).
    """
    low, high = years
    if low >= high:
        sb.caption(word("sidebar.year.only", year=low))
        return low, high
    state = st.session_state
    several = sb.toggle(word("sidebar.several"), key=_widget("w_several", view.is_range), help=word("sidebar.several.help"))
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
        chosen = sb.slider(word("sidebar.years"), low, high, key="w_years", help=word("sidebar.years.help"))
        return int(chosen[0]), int(chosen[1])
    if was or "w_year" not in state:  # just switched off (or first run): the last year of the range
        state["w_year"] = view.year_to or high
    year = sb.slider(word("sidebar.year"), low, high, key="w_year")
    return int(year), int(year)


_COPY_SCRIPT = """
<div class="atlas-copy-link" id="%(id)s" style="margin:0 0 0.6rem 0">
  <button type="button" style="font:500 14px/1.2 sans-serif;padding:6px 12px;border:1px solid rgba(49,51,63,0.25);
    border-radius:8px;background:#fff;cursor:pointer">%(label)s</button>
  <span class="atlas-copy-status" style="font:13px sans-serif;color:#555;margin-left:8px"></span>
</div>
<script>
(function () {
  var root = document.getElementById(%(id_json)s);
  if (!root) { return; }
  var button = root.querySelector("button"), status = root.querySelector(".atlas-copy-status");
  function done(ok) { status.textContent = ok ? %(copied_json)s : %(copy_this_json)s + window.location.href; }
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
    body = _COPY_SCRIPT % {"id": html.escape(dom_id), "id_json": f'"{dom_id}"', "label": html.escape(word("shell.copy_link")),
                           "copied_json": script_json(word("shell.link_copied")), "copy_this_json": script_json(word("shell.copy_this"))}
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


#: Widgets whose options are shown in words (a `format_func` in the current language), by key or key prefix.
WORDED_CHOICES = (
    "w_source", "w_boundaries", "w_level", "w_metric", "w_countries", "w_preset", "w_types", "w_subtypes", "w_precision",
    "w_view", "w_scheme", "w_period", "w_trend_by", "w_chart", "w_focus", "p_focus", "w_trends_show", "w_civ_by",
    "upload_format", "history_batch", "chg_",
)


def _language_chosen(key: str) -> None:
    """
    A language switch was used: the whole next run (and the link) speaks the language chosen.

    The browser sends back each choice widget's value as the label it showed (in the old language), which the next
    run, in the new language, would not recognise (the widget would fall back to its first option). So every worded
    choice's value is set again here, as a value rather than a label: Streamlit then keeps it.
    """
    from streamlit.errors import StreamlitAPIException

    lang = st.session_state[key]
    for name in list(st.session_state.keys()):
        if isinstance(name, str) and name.startswith(WORDED_CHOICES) and name not in ("w_lang", "p_lang"):
            try:
                st.session_state[name] = st.session_state[name]
            except StreamlitAPIException:  # not a value one can set (a chart's selection, a button)
                pass
    st.session_state["view"] = replace(st.session_state["view"], lang=lang)
    for other in ("w_lang", "p_lang"):
        st.session_state[other] = lang


def language_switch(where, key: str) -> None:
    """The FR / EN switch (in the sidebar, and under the figure in presentation mode); the URL keeps it (lang=fr)."""
    st.session_state[key] = st.session_state["view"].lang
    where.radio(word("shell.language"), LANGUAGES, format_func=LANGUAGE_NAMES.get, horizontal=True, key=key,
                on_change=_language_chosen, args=(key,))


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
    left, language, middle, right = st.columns([2, 1, 1, 1])
    st.session_state["p_focus"] = view.focus
    left.selectbox(word("shell.focus"), list(FOCUS_CHOICES), format_func=lambda v: choice_label("focus", v), key="p_focus",
                   on_change=_focus_chosen)
    language_switch(language, "p_lang")
    with middle:
        copy_link_button("present")
    right.button(word("shell.leave_present"), key="leave_present", on_click=_leave_presentation)
