"""The app's page logic under Streamlit's AppTest (no browser): pages, filters, URL state, banner,
empty results. What is drawn is checked in the real browser (tests/browser/)."""

from __future__ import annotations

import pytest
from helpers import REPO, acled_csv, acled_row
from streamlit.testing.v1 import AppTest

PAGES = ["pages/map.py", "pages/trends.py", "pages/about.py"]


@pytest.fixture(autouse=True)
def _navigation_only(navigation_only):
    yield


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def param(at: AppTest, key: str) -> list[str]:
    value = at.query_params[key]
    return list(value) if isinstance(value, list) else [value]


def texts(at: AppTest) -> str:
    parts = [e.value for e in at.title] + [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.warning]
    return "\n".join(str(p) for p in parts)


def test_every_page_runs_on_the_sample_with_the_banner():
    at = app()
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title, page
        assert any("Synthetic sample" in w.value for w in at.warning), page
    assert "About the atlas" in at.title[0].value


def test_sidebar_filters_drive_the_page_and_the_url():
    at = app()
    assert at.title[0].value == "Events per region in Mali, Burkina Faso and Niger, 2022"
    at.selectbox(key="w_metric").set_value("fatalities").run()
    at.slider(key="w_year").set_value(2019).run()
    at.multiselect(key="w_countries").set_value(["BFA"]).run()
    assert not at.exception
    assert at.title[0].value == "Fatalities per region in Burkina Faso, 2019"
    assert param(at, "metric") == ["fatalities"]
    assert param(at, "countries") == ["BFA"]
    assert param(at, "year_from") == ["2019"] and param(at, "year_to") == ["2019"]
    at.radio(key="w_level").set_value("admin2").run()
    assert at.title[0].value == "Fatalities per province in Burkina Faso, 2019"
    assert param(at, "level") == ["admin2"]


def test_one_year_by_default_and_a_range_when_asked():
    at = app()
    assert at.toggle(key="w_several").value is False and at.slider(key="w_year").value == 2022
    at.slider(key="w_year").set_value(2020).run()
    at.toggle(key="w_several").set_value(True).run()
    assert not at.exception
    # The range opens with its handles apart (the five years up to the year shown), so dragging one moves it.
    assert at.slider(key="w_years").value == (2016, 2020)
    assert param(at, "year_from") == ["2016"] and param(at, "year_to") == ["2020"]
    assert at.title[0].value.endswith(", 2016–2020")
    at.toggle(key="w_several").set_value(False).run()
    assert at.slider(key="w_year").value == 2020 and param(at, "year_from") == ["2020"]


def test_a_copied_url_restores_the_view_on_another_page():
    at = app({"metric": "fatalities", "year_from": "2018", "year_to": "2020", "countries": ["BFA", "NER"],
              "preset": "political-violence", "trend_by": "event_type", "period": "quarter"})
    at.switch_page("pages/trends.py").run()
    assert not at.exception
    assert at.title[0].value == "Fatalities in Burkina Faso and Niger per event type, by quarter, 2018–2020"
    assert at.selectbox(key="w_metric").value == "fatalities"
    assert at.toggle(key="w_several").value is True and at.slider(key="w_years").value == (2018, 2020)
    assert at.multiselect(key="w_countries").value == ["BFA", "NER"]
    assert at.radio(key="w_preset").value == "political-violence"
    assert param(at, "trend_by") == ["event_type"]


def test_unusable_url_values_are_reported_not_fatal():
    at = app({"level": "admin9", "year_from": "abc", "metric": "fatalities"})
    assert not at.exception
    assert "could not be used" in texts(at)
    assert at.title[0].value.startswith("Fatalities per region")


def test_empty_results_say_so():
    at = app()
    at.text_input(key="w_actor").set_value("no such actor anywhere").run()
    assert not at.exception
    assert "No synthetic sample events match" in texts(at)
    at.switch_page("pages/trends.py").run()
    assert not at.exception and "No synthetic sample events match" in texts(at)


def _expected_per_year(at: AppTest, metric: str, years: range) -> dict[str, dict[str, float]]:
    """The metric per year and region name, aggregated here from the sample with the page's filters."""
    from geo.aggregate import aggregate
    from geo.boundaries import load_boundary_set
    from geo.dataset import load_sample

    view = at.session_state["view"]
    table = aggregate(load_sample(), load_boundary_set(view.boundaries), level="admin1", period="year",
                      filters=view.filters_without_years())
    table = table[~table["unit_code"].str.startswith("_") & table["period"].isin([str(y) for y in years])]
    assert not table.duplicated(["period", "unit_name"]).any()  # names identify the units here
    return {period: dict(zip(rows["unit_name"], rows[metric].astype(float))) for period, rows in table.groupby("period")}


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_animation_plays_the_years_chosen_with_each_units_value_and_one_classification():
    import json
    import re

    from geo.figures.style import classify

    at = app({"year_from": "2017", "year_to": "2020"})
    at.selectbox(key="w_metric").set_value("fatalities").run()
    at.radio(key="w_view").set_value("animation").run()
    assert not at.exception, [e.value for e in at.exception]
    (frame,) = at.get("iframe")
    html = frame.proto.srcdoc
    data = json.loads(re.search(r'<script type="application/json" class="atlas-frames">(.*?)</script>', html, re.S)[1])
    expected = _expected_per_year(at, "fatalities", range(2017, 2021))
    assert data["periods"] == sorted(expected) == ["2017", "2018", "2019", "2020"]  # the years chosen, not every year
    names = {}
    for i, period in enumerate(data["periods"]):
        shown = {}
        for text in data["texts"][i]:
            name, value = text.rsplit(": ", 1)
            shown[name] = _number(value)
            names[name] = True
        assert shown == expected[period], period
    # One classification over the four years: a value has the same colour whatever its year.
    classes = classify([v for year in expected.values() for v in year.values()])
    for i in range(len(data["periods"])):
        assert data["fills"][i] == [classes.color_for(v) for v in data["values"][i]]
    assert "MALI" in html and "Tombouctou" in html  # countries and regions are named on the map
    assert "SAMPLE DATA" in html and at.title[0].value.endswith("year by year, 2017–2020")


def test_the_small_multiples_show_a_panel_per_year_chosen_with_each_units_value():
    import base64
    import xml.etree.ElementTree as ET

    at = app()
    at.selectbox(key="w_metric").set_value("fatalities").run()
    at.radio(key="w_view").set_value("multiples").run()
    assert not at.exception, [e.value for e in at.exception]
    (image,) = at.get("image")
    url = image.proto.imgs[0].url
    assert url.startswith("data:image/svg+xml;base64,")
    svg = ET.fromstring(base64.b64decode(url.split(",", 1)[1]))
    ns = "{http://www.w3.org/2000/svg}"
    panels = [g for g in svg.iter(f"{ns}g") if g.get("class") == "panel"]
    # One year chosen (2022): the five years up to it, said on the page.
    expected = _expected_per_year(at, "fatalities", range(2018, 2023))
    assert [p.get("data-period") for p in panels] == sorted(expected) == ["2018", "2019", "2020", "2021", "2022"]
    assert "One year is chosen" in texts(at)
    assert svg.find(f"{ns}title").text == "Fatalities per region in Mali, Burkina Faso and Niger, year by year, 2018–2022"
    for panel in panels:
        shown = {}
        for path in panel.iter(f"{ns}use"):
            title = path.find(f"{ns}title")
            if title is not None:
                name, value = title.text.rsplit(": ", 1)
                shown[name] = _number(value)
        assert shown == expected[panel.get("data-period")], panel.get("data-period")


def test_map_options_run():
    at = app()
    at.radio(key="w_view").set_value("map").run()
    assert not at.exception, [e.value for e in at.exception]
    at.checkbox(key="w_points").check().run()
    at.checkbox(key="w_log").check().run()
    at.selectbox(key="w_scheme").set_value("natural_breaks").run()
    assert not at.exception
    assert param(at, "scheme") == ["natural_breaks"]


def test_real_store_data_replace_the_sample_and_the_banner(write):
    from geo.ingest import ingest_files
    from geo.store import Store

    store = Store()
    ingest_files([write("a.csv", acled_csv(acled_row(event_id="A1"), acled_row(event_id="A2", date="2020-01-05")))], store)
    at = app()
    assert not at.exception
    assert not any("Synthetic sample" in w.value for w in at.warning)
    # 2020 runs only to 5 January (published 13 September 2020): the atlas opens on 2019, the last whole year.
    assert at.title[0].value == "Events per region in Mali, Burkina Faso and Niger, 2019"
    assert any(c.value.startswith("Source: ACLED, acleddata.com, accessed 13 Sep 2020;") for c in at.caption)
    at.slider(key="w_year").set_value(2020).run()
    assert any(w.value.startswith("2020 is not complete: the ACLED data end on 5 Jan 2020") for w in at.warning)
    assert any(c.value.endswith("2020 (to 5 Jan)") for c in at.caption)
    at.switch_page("pages/about.py").run()
    assert "2 events" in texts(at)


def test_default_boundaries_credit_their_sources_on_figures_and_about():
    at = app({"level": "admin2"})
    assert not at.exception
    assert at.selectbox(key="w_boundaries").value == "ocha-geoboundaries"
    assert at.radio(key="w_level").value == "admin2"
    credit = "Boundaries: OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)"
    assert any(credit in c.value for c in at.caption)
    assert "natural-earth" not in texts(at) and "admin-2" not in texts(at) and "admin2" not in texts(at)
    at.selectbox(key="w_boundaries").set_value("natural-earth").run()
    assert any("Boundaries: Natural Earth (public domain)" in c.value for c in at.caption)
    at.switch_page("pages/about.py").run()
    about = texts(at)
    for text in ("Credit: OCHA COD-AB (CC BY-IGO), geoBoundaries (CC BY 4.0)", "CC BY-IGO (as listed on HDX)",
                 "version 2021-12-20", "version 2023-07-20", "Runfola, D. et al. (2020)", "data.humdata.org/dataset/cod-ab-mli"):
        assert text in about, text


def test_data_page_without_the_analyst_role_shows_no_controls(monkeypatch):
    monkeypatch.delenv("ATLAS_ANALYST_PASSWORD_HASH", raising=False)
    at = app()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    assert "not configured on this server" in texts(at)
    assert len(at.file_uploader) == 0
    assert "Batch history" in [s.value for s in at.subheader]


def _analyst_app(monkeypatch) -> AppTest:
    from geo.auth import hash_password

    monkeypatch.setenv("ATLAS_ANALYST_PASSWORD_HASH", hash_password("s3cret"))
    at = app()
    at.switch_page("pages/data.py").run()
    at.text_input(key="login_name").set_value("Aminata")
    at.text_input(key="login_password").set_value("wrong")
    at.button[0].click().run()
    assert "Wrong password" in " ".join(e.value for e in at.error)
    at.text_input(key="login_password").set_value("s3cret")
    at.button[0].click().run()
    assert not at.exception and "Logged in as analyst" in texts(at)
    return at


def test_analyst_uploads_checks_commits_and_rolls_back(monkeypatch):
    from geo.store import Store

    at = _analyst_app(monkeypatch)
    content = acled_csv(acled_row(event_id="U1"), acled_row(event_id="U2", fatalities="-4"), acled_row(event_id="U3", date="2020-02-02"))
    at.file_uploader[0].set_value([("week.csv", content.encode(), "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    page_text = texts(at)
    assert "3 rows read" in page_text and "2 new" in page_text and "1 rejected" in page_text
    assert Store().count_events() == 0  # nothing stored before Commit
    at.button(key="commit").click().run()
    assert not at.exception
    assert "Batch 1 stored" in " ".join(s.value for s in at.success)
    assert Store().count_events() == 2
    assert Store().batch(1)["user"] == "Aminata"
    # Every page shows the new data at once, without a restart.
    at.switch_page("pages/map.py").run()
    assert not any("Synthetic sample" in w.value for w in at.warning)
    at.switch_page("pages/data.py").run()
    at.checkbox(key="confirm_rollback_1").check().run()
    at.button(key="rollback").click().run()
    assert Store().count_events() == 0 and Store().batch(1)["status"] == "rolled_back"


def test_a_refused_upload_stores_nothing_and_says_which_file(monkeypatch):
    from geo.store import Store

    at = _analyst_app(monkeypatch)
    at.file_uploader[0].set_value([("page.csv", b"<html><body>login</body></html>", "text/csv")]).run()
    assert "page.csv" in " ".join(e.value for e in at.error) and "HTML" in " ".join(e.value for e in at.error)
    assert Store().batches().empty


def test_generic_csv_gets_a_mapping_editor(monkeypatch):
    at = _analyst_app(monkeypatch)
    at.file_uploader[0].set_value([("mine.csv", b"Date,Lat,Lon,Dead,Region\n2019-03-23,14.25,-3.63,5,Mopti\n", "text/csv")]).run()
    errors = " ".join(e.value for e in at.error)
    # The page says what it recognised and points to the editor below; command-line flags are not for it.
    assert "no known format" in errors and "mapping editor below" in errors
    assert "event_date ← “Date”" in errors and "fatalities ← “Dead”" in errors
    assert "--mapping" not in errors and "--map" not in texts(at) + errors
    assert at.selectbox(key="map_mine.csv_event_date").value == "Date"  # suggested from the header
    assert at.selectbox(key="map_mine.csv_fatalities").value == "Dead"
    at.text_input(key="save_mine.csv").set_value("my-format")
    forms = [b for b in at.button if "Use this mapping" in str(b.label)]
    forms[0].click().run()
    assert not at.exception
    assert "1 rows read" in texts(at) and "1 new" in texts(at)


def test_map_page_border_overlay():
    at = app({"border_overlay": "1"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.checkbox(key="w_border_overlay").value
    assert param(at, "border_overlay") == ["1"]


def _tab(at: AppTest, label: str):
    return next(t for t in at.tabs if t.label == label)


def _upload_and_commit(at: AppTest, name: str, content: str) -> None:
    at.file_uploader[0].set_value([(name, content.encode(), "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="commit").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_rollback_selector_shows_the_newest_committed_batch_and_the_result_where_the_button_is(monkeypatch):
    """After a commit the selector offers the newest committed batch; after a rollback it stays on the batch rolled
    back."""
    from geo.store import Store

    at = _analyst_app(monkeypatch)
    _upload_and_commit(at, "first.csv", acled_csv(acled_row(event_id="H1")))
    assert at.selectbox(key="history_batch").value == 1  # the history was seen with batch 1 ...
    _upload_and_commit(at, "second.csv", acled_csv(acled_row(event_id="H2")))
    assert at.selectbox(key="history_batch").value == 2  # ... and after the next commit it offers batch 2
    history = _tab(at, "Batch history")
    assert "Yes, undo batch 2 (second.csv)" in [c.label for c in history.checkbox][0]
    table = history.dataframe[0].value
    assert list(table.columns[:4]) == ["batch_id", "kind", "status", "rows_read"] and table.columns[-1] == "sha256"
    assert table["batch_id"].tolist() == [2, 1]
    assert not table["created"].str.contains("T|\\+00:00").any()  # readable local times, not raw UTC strings
    at.checkbox(key="confirm_rollback_2").check().run()
    at.button(key="rollback").click().run()
    assert not at.exception
    assert Store().batch(2)["status"] == "rolled_back"
    # The result appears in the history tab, where the button was, not on the Upload tab.
    assert any("Batch 2 (second.csv) rolled back" in m.value for m in _tab(at, "Batch history").success)
    assert not any("rolled back" in m.value for m in _tab(at, "Upload").success)
    # The selector stays on the batch just rolled back (issue 18): no other batch's confirmation is ready under the
    # success message; batch 1 is one choice away, its confirmation unticked.
    assert at.selectbox(key="history_batch").value == 2
    assert not [c for c in _tab(at, "Batch history").checkbox if c.key.startswith("confirm_rollback")]
    assert [b for b in _tab(at, "Batch history").button if b.key == "rollback"] == []
    at.selectbox(key="history_batch").set_value(1).run()
    assert not at.checkbox(key="confirm_rollback_1").value
    # A later commit shows the newest committed batch again.
    _upload_and_commit(at, "third.csv", acled_csv(acled_row(event_id="H3")))
    assert at.selectbox(key="history_batch").value == 3


def test_the_check_before_storing_warns_about_an_older_vintage_and_lists_changed_fields(monkeypatch):
    from geo.ingest import ingest_files
    from geo.store import Store

    store = Store()
    stored = acled_csv(acled_row(event_id="V1", fatalities="5", timestamp="1600000000"),
                       acled_row(event_id="V2", fatalities="2", timestamp="1600000000"),
                       acled_row(event_id="V3", timestamp="1650000000"))
    ingest_files([_write_tmp("stored.csv", stored)], store)
    at = _analyst_app(monkeypatch)
    older = acled_csv(acled_row(event_id="V1", fatalities="4", timestamp="1500000000"),  # an older revision
                      acled_row(event_id="V2", fatalities="7", timestamp="1600000000"),  # edited by hand
                      acled_row(event_id="V9", timestamp="1500000000"))  # not in the store
    at.file_uploader[0].set_value([("older.csv", older.encode(), "text/csv")]).run()
    assert not at.exception, [e.value for e in at.exception]
    warnings = " ".join(w.value for w in _tab(at, "Upload").warning)
    assert "older.csv is older than what the store holds" in warnings
    assert "1 older revision(s) of stored events" in warnings and "1 event(s) the store does not hold" in warnings
    assert "1 updated row(s) keep the ACLED timestamp of the stored version: hand edits" in warnings
    # V9 was published before the stored vintage, which covers its country and day, yet is not in it.
    assert "1 row(s) of older.csv are events a later vintage left out: batch 1 (stored.csv)" in warnings
    changes = next(d.value for d in at.dataframe if {"field", "before", "after"} <= set(d.value.columns))
    assert changes[["event_id", "field", "before", "after", "kind"]].values.tolist() == [
        ["V2", "fatalities", "2", "7", "hand edit (same timestamp)"]]
    assert store.batches()["batch_id"].tolist() == [1]  # warned before anything is stored


def _write_tmp(name: str, content: str):
    import os
    from pathlib import Path

    path = Path(os.environ["ATLAS_HOME"]) / name
    path.write_text(content, encoding="utf-8")
    return path


def _html(at: AppTest) -> str:
    return "\n".join(str(h.proto.body) for h in at.get("html"))


def test_the_map_shows_its_legend_beside_it_and_the_totals_above_the_units():
    at = app({"metric": "fatalities"})
    assert not at.exception
    legend = _html(at)
    assert 'class="atlas-legend"' in legend and "Fatalities" in legend and "No data" in legend
    tiles = [m.label for m in at.metric]
    assert tiles == ["All three countries", "Mali", "Burkina Faso", "Niger"]
    (table,) = [d.value for d in at.dataframe]
    assert table.columns.tolist()[:3] == ["unit_name", "country", "rank_mark"] and len(table) == 31
    # Each figure with its range in brackets, "1,261 (1,059–1,298)": the figure first.
    fatalities = table["fatalities"].str.split(" ").str[0].str.replace(",", "").astype(int)
    assert table["fatalities"].str.fullmatch(r"[\d,]+( \([\d,]+–[\d,]+\))?").all()
    assert int(at.metric[0].value.replace(",", "")) >= int(fatalities.sum())  # also events not placed in a unit
    assert "In brackets" in texts(at)  # and what the ranges mean, under the table


def test_viewer_pages_show_no_command_lines():
    at = app()
    for page in ("pages/map.py", "pages/trends.py", "pages/borders.py", "pages/civilians.py"):
        at.switch_page(page).run()
        assert not at.exception
        shown = texts(at) + " ".join(e.value for e in at.error)
        assert "python -m geo" not in shown, page
    at.switch_page("pages/about.py").run()
    assert "python -m geo aggregate" in texts(at)  # where an analyst needs them


def test_presentation_mode_is_kept_in_the_url_and_shows_the_figure_only():
    at = app({"present": "1", "focus": "burkina-sahel", "metric": "fatalities"})
    assert not at.exception, [e.value for e in at.exception]
    assert at.toggle(key="w_present").value is True and at.selectbox(key="w_focus").value == "burkina-sahel"
    assert param(at, "present") == ["1"] and param(at, "focus") == ["burkina-sahel"]
    css = _html(at)
    assert '[data-testid="stSidebar"]' in css and "display: none" in css  # the sidebar and the app's chrome are hidden
    assert at.title[0].value == "Fatalities per region, Burkina Sahel (Sahel, Nord and Centre-Nord), 2022"
    assert not at.warning  # the sample is said by the watermark on the figure, not by a banner
    assert not at.dataframe and not at.metric  # no table: the figure is the slide
    # The focus can be changed below the figure, and presentation mode left.
    at.selectbox(key="p_focus").set_value("mopti").run()
    assert param(at, "focus") == ["mopti"] and "Mopti region" in at.title[0].value
    at.button(key="leave_present").click().run()
    assert not at.exception and "present" not in at.query_params and at.dataframe


def test_a_copy_link_button_is_on_every_figure_page():
    at = app()
    for page in ("pages/map.py", "pages/trends.py", "pages/borders.py"):
        at.switch_page(page).run()
        assert 'id="atlas-copy-sidebar"' in _html(at) and "navigator.clipboard" in _html(at), page
