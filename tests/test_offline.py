"""Tests for geo.offline: vendored assets and CDN-free folium / branca / streamlit-folium output."""

from __future__ import annotations

import re
import warnings
from pathlib import Path
from typing import Any

import branca.colormap as bcm
import folium
import folium.plugins
import pandas as pd
import pytest

from geo.figures import offline

BASE = offline.DEFAULT_BASE_URL  # "/app/static/vendor": served from <static_dir>/vendor

# Files the atlas' maps need; paths relative to the vendor folder.
EXPECTED_FILES = (
    "leaflet/leaflet.js",
    "leaflet/leaflet.css",
    "leaflet/images/marker-icon.png",
    "leaflet/images/layers.png",
    "jquery/jquery.min.js",
    "bootstrap/js/bootstrap.bundle.min.js",
    "bootstrap/css/bootstrap.min.css",
    "fontawesome/css/all.min.css",
    "fontawesome/webfonts/fa-solid-900.woff2",
    "d3/d3.js",
    "leaflet.markercluster/leaflet.markercluster.js",
    "leaflet.markercluster/MarkerCluster.css",
    "leaflet.markercluster/MarkerCluster.Default.css",
)

SRC_HREF_RE = re.compile(r"""\b(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def static_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A throwaway ``static/`` folder with the vendored assets installed."""
    static = tmp_path_factory.mktemp("static")
    offline.install_static_assets(static)
    return static


@pytest.fixture
def patched() -> None:
    """Apply the offline patch (process-wide and idempotent) with the default base URL."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # version / leftover-URL warnings must not occur here
        offline.patch_for_offline()


def _polygons() -> dict[str, Any]:
    boxes = {"ML": (-5, 12, -1, 17), "BF": (-1, 10, 2, 14), "NE": (2, 12, 7, 17)}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": code,
                "properties": {"code": code, "events": i * 4},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
                },
            }
            for i, (code, (x0, y0, x1, y1)) in enumerate(boxes.items())
        ],
    }


def _atlas_like_map() -> folium.Map:
    """A map using every feature the atlas relies on, with no tile layer."""
    gj = _polygons()
    linear = bcm.LinearColormap(["#ffffb2", "#bd0026"], vmin=0, vmax=10, caption="Events")
    step = bcm.StepColormap(
        ["#fee5d9", "#fb6a4a", "#cb181d"], index=[0, 3, 6, 10], vmin=0, vmax=10, caption="Fatalities"
    )
    # maxZoom: MarkerCluster needs it and, without tiles, no layer provides one.
    m = folium.Map(location=[14, 0], zoom_start=5, tiles=None, maxZoom=18)
    folium.GeoJson(
        gj,
        style_function=lambda f: {"fillColor": linear(f["properties"]["events"]), "weight": 1},
        tooltip=folium.GeoJsonTooltip(fields=["code", "events"]),
    ).add_to(m)
    folium.Choropleth(
        geo_data=gj,
        data=pd.Series({"ML": 1, "BF": 5, "NE": 9}),
        key_on="feature.id",
        fill_color="YlOrRd",
    ).add_to(m)
    linear.add_to(m)
    step.add_to(m)
    cluster = folium.plugins.MarkerCluster().add_to(m)
    for i in range(10):
        folium.CircleMarker(
            [12 + i * 0.3, -3 + i * 0.5], radius=5, popup=folium.Popup(f"event {i}")
        ).add_to(cluster)
    folium.Marker([15, 3], popup="plain Leaflet marker").add_to(m)
    return m


def _vendor_file(url: str, static_dir: Path) -> Path:
    """Map a local asset URL (``/app/static/...``) back to the file Streamlit would serve."""
    prefix = "/app/static/"
    assert url.startswith(prefix), url
    return static_dir / url.removeprefix(prefix)


# --- install_static_assets ---------------------------------------------------------------------


def test_install_static_assets_creates_files_and_is_idempotent(tmp_path: Path) -> None:
    vendor = offline.install_static_assets(tmp_path / "static")
    assert vendor == tmp_path / "static" / "vendor"
    for rel in EXPECTED_FILES:
        assert (vendor / rel).is_file(), rel

    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in vendor.rglob("*") if p.is_file()}
    assert offline.install_static_assets(tmp_path / "static") == vendor
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in vendor.rglob("*") if p.is_file()}
    assert after == before  # identical files are not rewritten (same inode, same mtime)
    assert not [p for p in vendor.rglob("*.tmp")]  # no temporary leftovers


def test_install_static_assets_repairs_changed_file(tmp_path: Path) -> None:
    vendor = offline.install_static_assets(tmp_path)
    leaflet = vendor / "leaflet" / "leaflet.js"
    good = leaflet.read_bytes()
    leaflet.write_bytes(b"corrupt")
    offline.install_static_assets(tmp_path)
    assert leaflet.read_bytes() == good


def test_vendored_css_references_resolve(static_dir: Path) -> None:
    # Font Awesome loads ../webfonts/*, Leaflet's CSS images/*: the layout must keep them valid.
    css_files = list((static_dir / "vendor").rglob("*.css"))
    assert css_files
    for css in css_files:
        for ref in re.findall(r"""url\(\s*["']?([^"')]+)""", css.read_text(encoding="utf-8")):
            if ref.startswith(("data:", "#")):
                continue
            assert not offline.external_urls(f'"{ref}"'), (css, ref)
            target = (css.parent / ref.split("?")[0].split("#")[0]).resolve()
            assert target.is_file(), (css, ref)


# --- patch_for_offline --------------------------------------------------------------------------


@pytest.mark.usefixtures("patched")
def test_patched_map_html_is_cdn_free_and_complete(static_dir: Path) -> None:
    html = _atlas_like_map().get_root().render()

    assert offline.external_urls(html) == []
    local = SRC_HREF_RE.findall(html)
    for url in local:
        assert _vendor_file(url, static_dir).is_file(), url
    referenced = {url.removeprefix(f"{BASE}/") for url in local}
    assert {
        "leaflet/leaflet.js",
        "leaflet/leaflet.css",
        "jquery/jquery.min.js",
        "d3/d3.js",
        "leaflet.markercluster/leaflet.markercluster.js",
        "leaflet.markercluster/MarkerCluster.Default.css",
    } <= referenced


@pytest.mark.usefixtures("patched")
def test_unused_assets_are_dropped_from_map_defaults() -> None:
    pairs = folium.Map.default_js + folium.Map.default_css
    names = {name for name, _ in pairs}
    dropped = {"awesome_markers", "glyphicons_css", "awesome_markers_css", "awesome_rotate_css"}
    assert not names & dropped
    assert {"leaflet", "jquery", "bootstrap", "leaflet_css", "awesome_markers_font_css"} <= names
    urls = [url for _, url in pairs]
    assert all(u.startswith(f"{BASE}/") for u in urls)
    # folium.folium._default_js is the very list Map uses; it must be rewritten too.
    assert folium.folium._default_js is folium.Map.default_js


def test_patch_is_idempotent_and_can_rebase() -> None:
    offline.patch_for_offline()
    first = (list(folium.Map.default_js), list(folium.plugins.MarkerCluster.default_css))
    offline.patch_for_offline()
    assert (folium.Map.default_js, folium.plugins.MarkerCluster.default_css) == first
    assert len({u for _, u in folium.Map.default_js}) == len(folium.Map.default_js)

    try:
        offline.patch_for_offline("/atlas/app/static/vendor/")
        assert all(u.startswith("/atlas/app/static/vendor/") for _, u in folium.Map.default_js)
        m = folium.Map(tiles=None)
        bcm.LinearColormap(["white", "red"]).add_to(m)
        html = m.get_root().render()
        assert '"/atlas/app/static/vendor/d3/d3.js"' in html
        assert offline.external_urls(html) == []
    finally:
        offline.patch_for_offline()
    assert (folium.Map.default_js, folium.plugins.MarkerCluster.default_css) == first


# --- streamlit-folium ---------------------------------------------------------------------------


def test_st_folium_component_receives_local_links(static_dir: Path, st_folium_calls: list[dict]) -> None:
    import streamlit_folium

    streamlit_folium.st_folium(_atlas_like_map(), key="offline-test", returned_objects=[])

    (kwargs,) = st_folium_calls
    links = kwargs["js_links"] + kwargs["css_links"]
    # st_folium hard-codes d3 3.5.5 and d3 v4 for every colormap: v3 is mapped, v4 dropped.
    assert f"{BASE}/d3/d3.js" in kwargs["js_links"]
    assert offline.external_urls(" ".join(f'"{u}"' for u in links)) == []
    for url in links:
        assert _vendor_file(url, static_dir).is_file(), url
    for key in ("script", "header", "html"):
        assert offline.external_urls(kwargs[key]) == [], key
    image_dir = kwargs["script"].split(";", 1)[0]
    assert image_dir == f'L.Icon.Default.imagePath = "{BASE}/leaflet/images/"'
    assert (static_dir / "vendor" / "leaflet" / "images" / "marker-icon.png").is_file()


def test_st_folium_frontend_loads_nothing_remote(tmp_path: Path) -> None:
    """The installed component's built frontend is checked (a missing build cannot pass), and the check finds a CDN."""
    assert offline.frontend_external_urls() == []
    planted = tmp_path / "build"
    (planted / "static" / "js").mkdir(parents=True)
    (planted / "index.html").write_text('<script src="./static/js/main.js"></script>')
    (planted / "static" / "js" / "main.js").write_text('load("https://cdn.jsdelivr.net/npm/d3@7/dist/d3.min.js")')
    assert offline.frontend_external_urls(planted) == ["https://cdn.jsdelivr.net/npm/d3@7/dist/d3.min.js"]
    (planted / "static" / "js" / "main.js").unlink()
    with pytest.raises(FileNotFoundError, match="nothing was checked"):
        offline.frontend_external_urls(planted)
    with pytest.raises(FileNotFoundError, match="nothing was checked"):
        offline.frontend_external_urls(tmp_path / "missing")


# --- external_urls / check_versions -------------------------------------------------------------


def test_external_urls_detects_cdn_urls() -> None:
    snippet = """
    <head>
      <script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>
      <link rel="stylesheet" href='https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css'/>
      <script src=//d3js.org/d3.v4.min.js></script>
      <script src="http://127.0.0.1:8501/app/static/vendor/d3/d3.js"></script>
      <script src="/app/static/vendor/leaflet/leaflet.js"></script>
      <style>@import url(https://fonts.googleapis.com/css?family=Roboto);
             .x { background: url("data:image/png;base64,AAAA"); }</style>
    </head>
    <body><p>Data: https://acleddata.com (credited in text only)</p>
      <svg xmlns="http://www.w3.org/2000/svg"></svg></body>
    <script>
      L.tileLayer("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png", {}).addTo(map);
      var popup = $(`<div><img src=\\"https://example.org/a.png\\"></div>`)[0];
      fetch('http://localhost:8501/_stcore/health');
      var attribution = "Imagery from ESA";
    </script>
    """
    assert offline.external_urls(snippet) == [
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
        "https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png",
        "https://example.org/a.png",
        "//d3js.org/d3.v4.min.js",
        "https://fonts.googleapis.com/css?family=Roboto",
    ]


def test_check_versions_matches_installed() -> None:
    assert offline.check_versions() == []
