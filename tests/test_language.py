"""French and English: one catalogue per language with the same keys and placeholders, numbers and dates in each
language's own way (babel), caches keyed by language, figures built in French, and every page of the app run
under Streamlit's AppTest in French showing no English from the English catalogue.

How "no English" is checked: every phrase of the English catalogue that differs from its French counterpart is cut
into its literal pieces (between placeholders, at sentence and clause marks); the pieces that also occur, as whole
words, in the French catalogue are proper nouns, citations or code (ACLED, "Journal of Peace Research",
`python -m geo`) and are allowed; a phrase the French catalogue leaves in English is caught by
`test_no_phrase_is_left_in_english` (only the names and codes of `SAME_IN_BOTH` may read the same). Any other piece found, as whole words, in what a French page shows — titles, captions, markdown, labels,
help texts, widget options and placeholders, table headers, metrics, and the texts of its figures (plotly layouts
and traces, the folium map's script, the SVG and HTML of legends and animations) — is an untranslated string.
"""

from __future__ import annotations

import html
import json
import re
import string
import xml.etree.ElementTree as ET
from datetime import date
from functools import lru_cache

import pandas as pd
import pytest
from helpers import REPO, acled_csv, acled_row, needs_real_data

from geo.figures import style
from geo.figures.french import FRENCH
from geo.figures.language import LANGUAGES, current_language, use_language

# ---------------------------------------------------------------------------------------------- (a) the catalogues


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_every_key_has_both_languages_with_the_same_placeholders():
    english, french = style.WORDS, style.TRANSLATIONS["fr"]
    missing_in_french = sorted(set(english) - set(french))
    missing_in_english = sorted(set(french) - set(english))
    assert not missing_in_french, f"keys without French: {missing_in_french}"
    assert not missing_in_english, f"French keys unknown in English: {missing_in_english}"
    different = {key: (_placeholders(english[key]), _placeholders(french[key])) for key in english
                 if _placeholders(english[key]) != _placeholders(french[key])}
    assert not different, f"placeholders differ: {different}"
    assert all(value.strip() for value in french.values()), "empty French phrases"
    assert set(style.TRANSLATIONS) | {"en"} == set(LANGUAGES)


#: Keys whose French is the English: names, codes, numbers and words French shares ("Source", "Date", "Total").
SAME_IN_BOTH = {
    "level.admin2.MLI", "level.admin2.MLI.plural", "level.admin2.BFA", "level.admin2.BFA.plural", "level.admin2.NER",
    "level.admin2.NER.plural", "source.acled", "source.ucdp", "filter.types", "legend.zero", "classes.count", "popup.source",
    "chart.pause", "group.source", "border.band", "format.quarter", "format.datetime", "country.MLI", "country.BFA",
    "country.NER", "country.CIV", "country.GHA", "country.TGO", "country.NGA", "changes.net", "focus.mopti",
    "focus.tillaberi-tahoua", "choice.view.animation", "choice.level.admin2", "choice.source.acled", "choice.source.ucdp",
    "boundaries.natural-earth", "views.table_title", "borders.column.source", "col.date", "col.notes", "civ.col.total",
    "data.format", "data.format.auto", "data.format.acled", "data.format.ucdp", "data.format.hdx-hapi", "data.col.format",
    "data.col.sha256", "data.col.latitude", "data.col.longitude",
    "about.vintage.version", "category.Grenade", "export.about.source", "briefing.method.sources",
    "download.png", "download.svg", "download.pdf", "download.csv", "download.xlsx",  # format names
    "boundaries.ocha-geoboundaries.BFA.citation",  # a paper's title
}


def test_no_phrase_is_left_in_english():
    """A phrase copied into the French catalogue untranslated is an untranslated string too."""
    same = {key for key, english in style.WORDS.items() if style.TRANSLATIONS["fr"][key] == english}
    assert same <= SAME_IN_BOTH, f"French equal to the English: {sorted(same - SAME_IN_BOTH)}"


def test_every_phrase_can_be_filled_in_both_languages():
    """Every phrase fills in both languages: each placeholder's value lands in the text, and no brace is left over."""
    filled = 0
    for lang in LANGUAGES:
        with use_language(lang):
            for key, text in style.WORDS.items():
                values = {name: f"⟨{name}⟩" for name in _placeholders(text)}
                phrase = style.word(key, **values)
                assert "{" not in phrase and "}" not in phrase, (lang, key, phrase)
                assert all(value in phrase for value in values.values()), (lang, key, phrase)
                filled += bool(values)
    assert filled > 200  # the phrases with placeholders, in both languages


def test_the_language_is_a_context_and_unknown_languages_are_refused():
    assert current_language() == "en"
    with use_language("fr"):
        assert style.word("legend.no_data") == "Pas de données"
        with use_language("en"):
            assert style.word("legend.no_data") == "No data"
        assert style.metric_label("fatalities") == "Décès"
    assert style.word("legend.no_data") == "No data"
    with pytest.raises(ValueError, match="unknown language 'de'"), use_language("de"):
        pass


def test_categories_and_places():
    with use_language("fr"):
        assert style.category("Violence against civilians") == "Violence contre les civils"
        assert style.category("Explosions/Remote violence") == "Explosions/Violence à distance"
        assert style.category("Remote explosive/landmine/IED") == "Explosif à distance/mine terrestre/EEI"
        assert style.category("One-sided violence") == "Violence unilatérale"
        assert style.category("Mali: Government") == "Mali: Government"  # a UCDP conflict name: data, kept
        assert style.perpetrator_name("state_forces") == "Forces étatiques"
        assert style.country_name("MRT") == "Mauritanie" and style.country_name("CIV") == "Côte d'Ivoire"
        assert style.place_text(("MLI", "BFA", "NER")) == "Mali, Burkina Faso et Niger"
        assert style.unit_words("admin2", ("NER",)) == ("département", "départements")
        from geo.figures.focus import focus_area

        assert focus_area("tillaberi-tahoua").place == "Tillabéri et Tahoua"  # official spelling kept
        assert focus_area("mopti").place == "région de Mopti"
    assert style.country_name("MRT") == "Mauritania"


# ---------------------------------------------------------------------------------------------- (d) numbers and dates

NNBSP, NBSP = "\u202f", "\u00a0"  # CLDR's French thousands separator, and the space before "%"


def test_numbers_and_dates_follow_the_language():
    with use_language("fr"):
        assert style.format_number(1234.5, significant=5) == f"1{NNBSP}234,5"
        assert style.format_number(1234.5, significant=5).replace(NNBSP, " ") == "1 234,5"
        assert style.format_count(1234567) == f"1{NNBSP}234{NNBSP}567"
        assert style.format_date(date(2019, 3, 23)) == "23 mars 2019"
        assert style.format_date(date(2020, 8, 3), year=False) == "3 août"
        assert style.format_percent(0.123, decimals=1) == f"12,3{NBSP}%"
        assert style.format_percent(0.06, signed=True) == f"+6{NBSP}%"
        assert style.format_signed(-1234) == f"−1{NNBSP}234"
        assert style.format_value(0.125) in ("0,12", "0,13")
        assert style.period_label("2019-03") == "mars 2019" and style.period_label("2019-Q2") == "T2 2019"
        assert style.plotly_separators() == f",{NNBSP}"
        assert style.plural("chg.n.events", 0) == "0 événement"  # French: 0 and 1 are singular
        assert style.plural("chg.n.events", 2) == "2 événements"
        assert style.years_label(2016, 2019) == "2016–2019"
        classes = style.classify([0.5, 1.25, 2.75, 8.5, 12.5, 30.25], k=3)
        assert all("." not in label for label in classes.labels) and any("," in label for label in classes.labels)
    assert style.format_number(1234.5, significant=5) == "1,234.5"
    assert style.format_date(date(2019, 3, 23)) == "23 Mar 2019"
    assert style.format_percent(0.123, decimals=1) == "12.3 %"
    assert style.period_label("2019-03") == "Mar 2019"
    assert style.plotly_separators() == ".,"
    assert style.plural("chg.n.events", 0) == "0 events"


def test_tables_write_their_numbers_in_the_language_of_the_page():
    """st.dataframe's printf formats ("%.2f") and "localized" (the browser's locale) cannot write French: in French
    the number columns are written by babel into a Styler's display values, the values underneath stay numbers."""
    import pandas as pd
    import streamlit as st

    from ui.tables import in_language

    table = pd.DataFrame({"n": [1234567, 5], "rate": [400.853, None], "change": [5, -3000], "pct": [22.4, -3.0],
                          "total": [2500, 7], "name": ["Mopti", "Sahel"]})
    config = {"n": st.column_config.NumberColumn("N", format="%d"), "rate": st.column_config.NumberColumn("R", format="%.2f"),
              "change": st.column_config.NumberColumn("C", format="%+d"),
              "pct": st.column_config.NumberColumn("P", format="%+.0f %%"),
              "total": st.column_config.NumberColumn("T", format="localized"), "name": "Unité"}
    data, english_config = in_language(table, config)
    assert data is table and english_config == config  # English: as before
    with use_language("fr"):
        styler, french_config = in_language(table, config)
        shown = styler.hide(axis="index").to_string(delimiter="\t")
    cells = [line.split("\t") for line in shown.splitlines()[1:]]
    assert cells == [[f"1{NNBSP}234{NNBSP}567", "400,85", "+5", f"+22{NBSP}%", f"2{NNBSP}500", "Mopti"],
                     ["5", "", f"−3{NNBSP}000", f"−3{NBSP}%", "7", "Sahel"]]
    assert styler.data["n"].tolist() == [1234567, 5]  # still numbers: the column sorts as numbers
    assert all("format" not in french_config[c]["type_config"] for c in ("n", "rate", "change", "pct", "total"))
    assert french_config["n"]["label"] == "N" and french_config["name"] == "Unité"


def test_charts_use_the_languages_separators_and_month_names():
    import pandas as pd

    from geo.figures import charts

    table = pd.DataFrame({"period": ["2019-01", "2019-02", "2019-03"], "country_iso3": "MLI", "events": [1200, 5, 7],
                          "source": "acled"})
    text = style.FigureText("t")
    with use_language("fr"):
        fig = charts.trend_chart(table, by="country_iso3", metric="events", text=text)
    assert fig.layout.separators == f",{NNBSP}"
    assert list(fig.layout.xaxis.ticktext) == ["janvier 2019", "février 2019", "mars 2019"]
    assert fig.layout.xaxis.title.text == "Mois" and fig.layout.yaxis.title.text == "Événements"
    assert list(fig.data[0].x) == ["2019-01", "2019-02", "2019-03"]  # the categories stay the period codes
    english = charts.trend_chart(table, by="country_iso3", metric="events", text=text)
    assert english.layout.separators == ".," and list(english.layout.xaxis.ticktext)[0] == "Jan 2019"


# ---------------------------------------------------------------------------------------------- finding English


def _pieces(text: str) -> list[str]:
    out = []
    for literal, _field, _spec, _conv in string.Formatter().parse(text):
        for piece in re.split(r"[.;:!?()\[\]“”«»\"*`\n<>=]|, | — | · | – | → |\s-\s", literal):
            piece = piece.strip(" \u00a0\u202f-–,/'’")
            words = re.findall(r"[A-Za-z]+", piece)
            # A lone word counts when it is a word of its own ("Year", "Trends"), not a lower-case fragment of code ("none").
            if len(words) >= 2 or (len(words) == 1 and len(piece) >= 4 and piece == words[0] and piece[0].isupper()):
                out.append(piece)
    return out


@lru_cache(maxsize=1)
def english_pieces() -> re.Pattern:
    """A pattern matching, as whole words, every piece of English the French catalogue does not also use."""
    french_text = "\n".join(FRENCH.values())

    def in_french(piece: str) -> bool:  # as whole words: "Unit" is not in "Unité"
        return re.search(r"(?<!\w)" + re.escape(piece) + r"(?!\w)", french_text) is not None

    pieces = set()
    for key, english in style.WORDS.items():
        if english == FRENCH[key] or key.startswith("format."):
            continue
        pieces.update(p for p in _pieces(english) if not in_french(p))
    ordered = sorted(pieces, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in ordered) + r")(?!\w)")


@lru_cache(maxsize=1)
def allowed_names() -> re.Pattern:
    """The pieces of English the French catalogue uses too (names, citations, commands), as whole words."""
    french_text = "\n".join(FRENCH.values())
    pieces = {p for english in style.WORDS.values() for p in _pieces(english)}
    kept = sorted((p for p in pieces if re.search(r"(?<!\w)" + re.escape(p) + r"(?!\w)", french_text)), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(p) for p in kept) + r")(?!\w)")


#: Words that are English and not French: a sentence the catalogue does not know (written into the code) shows them.
ENGLISH_WORDS = re.compile(r"(?<!\w)(?:the|of|and|with|within|per|from|which|are|is|into|than|not|only|where|each|their|"
                           r"its|this|these|events|fatalities|killed)(?!\w)")
#: Names of the synthetic sample's actors and places, the sample's source column, file names and `code` (data and
#: commands, not the atlas's words).
SAMPLE_NAMES = re.compile(r"[A-Z][\w .'-]*\(synthetic\)|Sample place [\w-]+|SYNTHETIC SAMPLE — not real events|"
                          r"`[^`]*`|[\w.-]+\.(?:csv|zip|txt|tsv|toml|json|geojson|gpkg)\b")


def english_words_in(texts) -> list[tuple[str, str]]:
    """English words in texts the atlas writes itself (not data), once names and citations are taken out."""
    found = []
    for text in texts:
        text = allowed_names().sub(" ", SAMPLE_NAMES.sub(" ", DATA_TEXTS.sub(" ", text)))
        for match in ENGLISH_WORDS.finditer(text):
            found.append((match.group(0), text[max(0, match.start() - 60): match.end() + 60]))
    return found


def english_in(texts) -> list[tuple[str, str]]:
    """(piece of English, the text it was found in) for every piece of the English catalogue found in `texts`."""
    pattern = english_pieces()
    found = []
    for text in texts:
        text = DATA_TEXTS.sub(" ", text)
        for match in pattern.finditer(text):
            found.append((match.group(0), text[max(0, match.start() - 60): match.end() + 60]))
    return found


_SCRIPT_STRING = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_CODE = re.compile(r"<(script|style)\b[^>]*>.*?</\1>", re.DOTALL | re.IGNORECASE)


def _shown(markup: str) -> str:
    """The text HTML shows: scripts and style sheets out, tags out, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", " ", _CODE.sub(" ", markup)))


def script_texts(script: str) -> list[str]:
    """The strings a script puts on the page (tooltips, popups, legends, layer names): its string literals, shown."""
    out = []
    for literal in _SCRIPT_STRING.findall(script):
        try:
            decoded = json.loads(f'"{literal}"')
        except ValueError:
            continue
        if decoded.strip():
            out.append(_shown(decoded))
    return out


def markup_texts(markup: str) -> list[str]:
    """What HTML or SVG shows: its text, and the strings its scripts put on the page."""
    return [*script_texts(markup), _shown(markup)]


#: Texts of the data that read like the catalogue's words: ACLED's actor names for civilians, protesters and rioters
#: ("Civilians (Mali)") are the source's names, shown as the source wrote them.
DATA_TEXTS = re.compile(r"\b(?:Civilians|Protesters|Rioters) \([^)]*\)")


def figure_texts(spec: dict) -> list[str]:
    """Every string of a plotly figure's JSON (layout, traces, frames), geometry left out, tags removed."""
    out: list[str] = []

    def walk(value, key=""):
        if key in ("geojson", "source", "lon", "lat", "coordinates"):
            return
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and value.strip():
            out.append(html.unescape(re.sub(r"<[^>]+>", " ", value)))

    walk(spec)
    return out


def own_figure_texts(spec: dict) -> list[str]:
    """The texts a plotly figure's code writes (not its data): layout texts, trace names and hover templates."""
    out = figure_texts(spec.get("layout", {}))
    for trace in [*spec.get("data", []), *(t for f in spec.get("frames", []) for t in f.get("data", []))]:
        out += [html.unescape(re.sub(r"<[^>]+>", " ", str(trace.get(k)))) for k in ("name", "hovertemplate") if trace.get(k)]
    return out


def page_texts(at, *, own: bool = False) -> list[str]:
    """Everything an AppTest page shows as text: each element's strings (labels, help, options, bodies, placeholders,
    table headers) and the texts of its figures and components. `own`: only what the atlas writes itself (no data:
    the map's popups, the figures' hover texts)."""
    from google.protobuf.message import Message

    skip = {"id", "url", "icon", "tag", "theme", "config", "form_id", "component_name", "query_param_key", "type", "format",
            "width", "height", "default", "raw_value", "value", "deltaColor", "color"}
    texts: list[str] = []

    def strings(message):
        for field, value in message.ListFields():
            items = value if not isinstance(value, (str, bytes, Message)) and hasattr(value, "__len__") else [value]
            for item in items:
                if isinstance(item, Message):
                    strings(item)
                elif isinstance(item, str) and field.name not in skip and item.strip():
                    if field.name == "spec":
                        texts.extend((own_figure_texts if own else figure_texts)(json.loads(item)))
                    elif field.name == "columns" and item.startswith("{"):
                        texts.extend(str(c.get("label", "")) for c in json.loads(item).values() if isinstance(c, dict))
                    elif field.name == "json_args" and own:  # the map's data (popups): checked by the test of map_view
                        continue
                    elif field.name == "json_args":  # a component's arguments (st_folium: the map's script)
                        texts.extend(t for v in json.loads(item).values() if isinstance(v, str) for t in script_texts(v))
                    elif field.name in ("body", "srcdoc", "markup"):
                        texts.extend(markup_texts(item))
                    else:
                        texts.append(item)

    def walk(node):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            strings(proto)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                walk(child)

    walk(at._tree)
    return texts


# ---------------------------------------------------------------------------------------------- (b) pages in French


@pytest.fixture
def navigation(navigation_only):
    yield


def _app(lang: str, query: dict | None = None, *, analyst: bool = False):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=180)
    at.query_params["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    if analyst:
        at.session_state["analyst"] = "tester"
    # AppTest formats widget values in the test's thread: in the page's language, as the browser shows them.
    with use_language(lang):
        return at.run()


VIEWS_IN_FRENCH = [
    ("pages/map.py", {}),
    ("pages/map.py", {"points": "1", "border_overlay": "1", "unit": "ML05"}),
    ("pages/map.py", {"view": "animation"}),
    ("pages/map.py", {"view": "multiples", "year_from": "2016", "year_to": "2019", "level": "admin2"}),
    ("pages/map.py", {"view": "changes"}),
    ("pages/map.py", {"present": "1", "focus": "mopti"}),
    ("pages/trends.py", {"trend_by": "event_type", "period": "quarter", "year_from": "2018", "year_to": "2020"}),
    ("pages/trends.py", {"metric": "fatalities", "trend_by": "unit", "chart": "bar"}),
    ("pages/borders.py", {}),
    ("pages/civilians.py", {"civ_by": "group"}),
    ("pages/civilians.py", {}),
    ("pages/data.py", {}),
    ("pages/about.py", {}),
]


@pytest.mark.parametrize(("page", "query"), VIEWS_IN_FRENCH, ids=[f"{p[6:-3]}-{'-'.join(q) or 'default'}" for p, q in VIEWS_IN_FRENCH])
def test_a_page_in_french_shows_no_english(navigation, page, query):
    at = _app("fr", query)
    with use_language("fr"):
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = page_texts(at)
    assert len(texts) > 20
    found = english_in(texts)
    assert not found, "untranslated:\n" + "\n".join(f"{piece!r} in …{context}…" for piece, context in found[:25])
    written = english_words_in(page_texts(at, own=True))
    assert not written, "English words:\n" + "\n".join(f"{w!r} in …{context}…" for w, context in written[:25])
    # and the French is there: the page's title and the sidebar
    assert any("Filtres" in t for t in texts) or page == "pages/map.py" and query.get("present")


def test_the_data_page_of_an_analyst_in_french(navigation):
    at = _app("fr", analyst=True)
    with use_language("fr"):
        at.switch_page("pages/data.py").run()
    assert not at.exception
    texts = page_texts(at)
    assert [t.label for t in at.tabs] == ["Importer", "Suppressions ACLED", "Historique des lots"]
    assert not english_in(texts), english_in(texts)[:10]


def test_the_detector_finds_the_english_of_the_english_pages(navigation):
    """The check above can fail: run in English, the same pages are full of the English catalogue's phrases."""
    at = _app("en")
    for page in ("pages/map.py", "pages/borders.py", "pages/about.py"):
        at.switch_page(page).run()
        found = {piece for piece, _ in english_in(page_texts(at))}
        assert len(found) > 15, (page, found)
        assert len(english_words_in(page_texts(at, own=True))) > 15, page


def test_the_language_is_kept_in_the_link_and_switching_keeps_every_setting(navigation):
    at = _app("en", {"metric": "fatalities", "countries": ["BFA"], "preset": "political-violence", "types": ["Battles"]})
    at.switch_page("pages/trends.py").run()
    assert at.title[0].value.startswith("Fatalities in Burkina Faso")
    assert "lang" not in at.query_params  # the default language is not written into the link
    # The browser sends back every choice as the English label it shows; the switch must keep each value.
    at.radio(key="w_lang").set_value("fr").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.query_params["lang"] in ("fr", ["fr"])
    view = at.session_state["view"]
    assert (view.lang, view.metric, view.countries, view.preset, view.types) == (
        "fr", "fatalities", ("BFA",), "political-violence", ("Battles",))
    assert at.title[0].value.startswith("Décès — Burkina Faso")
    assert [o for o in at.multiselect(key="w_types").value] == ["Battles"]
    assert at.sidebar.radio(key="w_lang").value == "fr"
    assert not english_in(page_texts(at))
    # A copied link opens in French on another page.
    copied = {k: v for k, v in at.query_params.items()}
    fresh = _app("fr", {k: v for k, v in copied.items() if k != "lang"})
    with use_language("fr"):
        fresh.switch_page("pages/trends.py").run()
    assert fresh.session_state["view"] == view
    assert fresh.title[0].value == at.title[0].value


def test_presentation_mode_has_its_own_language_switch(navigation):
    at = _app("en", {"present": "1"})
    assert at.radio(key="p_lang").value == "en"
    at.radio(key="p_lang").set_value("fr").run()
    assert not at.exception
    assert at.session_state["view"].lang == "fr" and at.session_state["view"].present
    assert at.title[0].value.startswith("Événements par région")


# ---------------------------------------------------------------------------------------------- figures in French

PUBLISHED = 1596481842  # an ACLED export of 3 August 2020
ROWS = [
    acled_row(event_id="A1", date="2018-05-02", fatalities="4", timestamp="1590000000"),
    acled_row(event_id="A2", date="2019-03-23", fatalities="1600", timestamp="1590000000"),
    acled_row(event_id="A3", date="2019-11-20", fatalities="7", admin1="Sahel", country="Burkina Faso", iso="854",
              lat="14.0", lon="-0.5", location="Djibo", timestamp="1590000000"),
    acled_row(event_id="A4", date="2020-07-25", fatalities="12", timestamp=str(PUBLISHED)),
]


@pytest.fixture
def acled_inputs(tmp_path, write):
    from geo.boundaries import load_boundary_set
    from geo.config import get_settings
    from geo.dataset import ViewData
    from geo.figures.reading import Reader, Source
    from geo.figures.views import Inputs
    from geo.ingest import ingest_files
    from geo.places import ensure_placement
    from geo.store import Store

    store = Store(f"sqlite:///{tmp_path / 'acled.sqlite'}")
    ingest_files([write("acled_2020-08-03.csv", acled_csv(*ROWS))], store)
    settings = get_settings()
    boundary_set = load_boundary_set()
    set_id = ensure_placement(store, boundary_set, tolerance_m=settings.tolerance_m)
    source = Source(ViewData(store, False, f"test:{store.data_version()}", ""), boundary_set, set_id, settings.tolerance_m)
    reader = Reader(source)
    yield Inputs(reader=reader, settings=settings, is_sample=False, years=(2018, 2020), vintages=reader.vintages()), source
    store.dispose()


def svg_texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return [" ".join(e.itertext()).strip() for e in root.iter() if e.tag.split("}")[-1] in ("text", "title")]


def test_the_french_svg_map_is_french_and_names_its_source(acled_inputs):
    """(c) The small multiples (geo.figures.svgmap) built under use_language("fr"): every text French, the ACLED citation."""
    from geo.figures.state import ViewState
    from geo.figures.views import years_view

    inputs, _ = acled_inputs
    view = ViewState(source="acled", year_from=2018, year_to=2020, metric="fatalities", lang="fr")
    with use_language("fr"):
        svg = years_view(inputs, view).multiples()
    texts = svg_texts(svg)
    joined = "\n".join(texts)
    assert "Décès par région — Mali, Burkina Faso et Niger, année par année, 2018–2020" in joined
    assert "Source : ACLED, acleddata.com, consulté le 3 août 2020 ; filtres : tous les types d'événements" in " ".join(texts)
    assert "Limites : OCHA COD-AB" in joined and "Atlas des violences au Sahel central" in joined
    assert "Pas de données" in joined and "Classes :" in joined
    assert "2020 : jusqu'au 25 juillet" in joined  # the partial year, in French
    assert "MALI" in joined and "BURKINA FASO" in joined
    assert f"1{NNBSP}600" in joined  # Mopti's 1,600 fatalities of 2019 in a hover title, written the French way
    assert not english_in(texts), english_in(texts)
    # The same figure in English says it in English (the check can fail).
    english = svg_texts(years_view(inputs, view).multiples())
    assert "Source: ACLED, acleddata.com, accessed 3 Aug 2020" in " ".join(english)
    assert english_in(english)


def test_the_folium_map_and_its_legend_in_french(acled_inputs):
    from geo.figures.state import ViewState
    from geo.figures.views import map_view

    inputs, _ = acled_inputs
    view = ViewState(source="acled", year_from=2019, year_to=2019, metric="fatalities", points=True, border_overlay=True,
                     lang="fr")
    with use_language("fr"):
        shown = map_view(inputs, view)
        rendered = shown.figure().get_root().render()
        legend = shown.legend()
    texts = markup_texts(rendered) + markup_texts(legend)
    joined = "\n".join(texts)
    assert f"Décès : 1{NNBSP}600" in joined  # Mopti's tooltip
    assert "23 mars 2019" in joined  # an event's popup
    assert "Pas de données" in legend and "Frontière nationale" in legend and "Décès" in legend
    assert not english_in(texts), english_in(texts)[:10]
    assert english_in(markup_texts(map_view(inputs, replace_lang(view)).figure().get_root().render()))


def replace_lang(view):
    from dataclasses import replace

    return replace(view, lang="en")


# ---------------------------------------------------------------------------------------------- (4) caches


def test_cached_text_is_kept_per_language(acled_inputs):
    """ui.changes.points returns labels (words) from st.cache_data: a French call after an English one gets French."""
    from ui import changes, data

    _, source = acled_inputs
    data.clear()
    starts, _ends, labels = changes.points(source)
    assert labels[starts[1]].startswith("After batch 1 ·")
    with use_language("fr"):
        _, _, french = changes.points(source)
    assert french[starts[1]].startswith("Après le lot 1 ·") and french[""] == "Juste avant le dernier lot"
    assert changes.points(source)[2][""] == "Just before the latest batch"
    data.clear()


@needs_real_data
def test_the_data_page_says_the_pipelines_words_in_french(navigation, tmp_path):
    """Issue 18 §5: notes, warnings and rejection reasons in French, with French numbers; Commit disabled, with the
    reason, when the file holds nothing to write."""
    from helpers import ucdp_web_download

    path = ucdp_web_download(1504, tmp_path / "ged241-csv-burkina.csv", extra={700: "432"})
    upload = [(path.name, path.read_bytes(), "text/csv")]
    at = _app("fr", analyst=True)
    with use_language("fr"):
        at.switch_page("pages/data.py").run()
        at.file_uploader[0].set_value(upload).run()
    assert not at.exception, [e.value for e in at.exception]
    texts = _upload_tab_texts(at)
    found = english_in(texts)
    assert not found, "untranslated:\n" + "\n".join(f"{piece!r} in …{context}…" for piece, context in found[:25])
    shown = " ".join(texts)
    assert f"1{NNBSP}504 lignes lues" in shown
    assert "disposition UCDP GED : téléchargement du site web (estimations dans best_est, low_est, high_est)" in shown
    assert "chaque ligne de données se termine par un séparateur virgule après la dernière colonne (low_est)" in shown
    (rejected,) = [d.value for d in at.dataframe if "reason" in d.value.columns]
    assert rejected["reason"].iloc[0].startswith("compte 48 champs alors que l'en-tête en a 47 : son dernier champ contient '432'")
    assert not at.button(key="commit").disabled
    with use_language("fr"):
        at.button(key="commit").click().run()
        at.file_uploader[0].set_value(upload).run()  # the same file again: every row already stored, or rejected
    assert not at.exception, [e.value for e in at.exception]
    assert at.button(key="commit").disabled
    reason = f"Rien à enregistrer : sur les 1{NNBSP}504 lignes lues, déjà dans la base (doublons) : 1{NNBSP}503 ; rejetées : 1."
    assert reason in [i.value for i in at.info]
    assert not english_in(_upload_tab_texts(at))


def _upload_tab_texts(at) -> list[str]:
    """What the Data page's Upload tab shows (the sidebar's lists of the store's actors and conflicts are data)."""
    from types import SimpleNamespace

    (tab,) = [t for t in at.tabs if t.label == "Importer"]
    return page_texts(SimpleNamespace(_tree=tab), own=True)


def test_a_missing_phrase_raises_under_the_tests_and_is_never_its_key_in_production(monkeypatch, caplog):
    from geo.figures.style import WORDS, MissingWord, word

    with pytest.raises(MissingWord, match="no phrase 'no.such.phrase' in the 'en' catalogue"):
        word("no.such.phrase")
    monkeypatch.setitem(WORDS, "probe.english_only", "Only {n} in English")
    with use_language("fr"), pytest.raises(MissingWord, match="'fr' catalogue .English has it."):
        word("probe.english_only", n=2)
    monkeypatch.setenv("ATLAS_STRICT_WORDS", "0")  # production
    with use_language("fr"):
        assert word("probe.english_only", n=2) == "Only 2 in English"  # French lacks it: English
        assert word("no.such.phrase") == ""  # no catalogue has it: left out, never the key
    assert "no.such.phrase" in caplog.text  # ... and said in the log
    assert word("metric.events") == "Events"


def test_the_display_geometry_is_kept_in_bounded_caches(ne):
    from geo.figures.geometry import CACHE_ENTRIES, display_units

    first = display_units(ne, "admin1", tolerance_deg=0.001)
    assert display_units(ne, "admin1", tolerance_deg=0.001) is first  # kept
    for i in range(CACHE_ENTRIES + 1):
        display_units(ne, "admin1", tolerance_deg=0.002 + i / 10_000)
    again = display_units(ne, "admin1", tolerance_deg=0.001)
    assert again is not first  # pushed out by newer entries: the cache does not grow without bound
    pd.testing.assert_frame_equal(again, first)
