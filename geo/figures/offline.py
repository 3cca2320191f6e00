"""Serve every folium / branca / streamlit-folium asset from the Streamlit server itself.

The atlas runs on machines without internet access and must make no request to any host other
than the one serving the app. Out of the box a folium map pulls Leaflet, jQuery, Bootstrap,
Font Awesome, awesome-markers and (for branca colormap legends) d3 from public CDNs, so offline it
is blank ("L is not defined"). This module is the single place that knows where those URLs live
inside the libraries and how to replace them:

* :func:`install_static_assets` copies local copies of the assets from the ``xstatic-*`` PyPI
  packages into ``static/vendor/`` next to the main script.
* :func:`patch_for_offline` rewrites every CDN URL the libraries emit to ``base_url/...``.
* :func:`external_urls` finds remaining non-localhost URLs in rendered HTML (used by tests).
* :func:`check_versions` warns when the installed libraries differ from the versions this module
  was written for (:data:`PINNED_VERSIONS`); the URL table below is only valid for those.

Where the URLs live (folium 0.20.0, branca 0.8.2, streamlit-folium 0.27.4)
--------------------------------------------------------------------------
* ``folium.folium._default_js`` / ``_default_css``, which *are* ``folium.Map.default_js`` /
  ``default_css`` (the same list objects), and the ``default_js`` / ``default_css`` class
  attributes of plugins such as ``folium.plugins.MarkerCluster``. They are rewritten in place for
  every ``folium.elements.JSCSSMixin`` subclass, so a URL shared by several classes is covered.
* ``branca.colormap.ColorMap.render`` builds ``JavascriptLink("https://cdnjs.../d3/3.5.5/d3.min.js")``
  at render time. All ``branca.element.Link`` objects (``JavascriptLink`` / ``CssLink``) have their
  URL mapped when constructed, which covers that one and any link a folium element adds.
  ``branca.element.Figure`` itself only emits a ``<meta http-equiv>`` tag: nothing to patch.
* ``streamlit_folium.st_folium`` does not use the rendered ``<script src>`` / ``<link>`` tags (it
  strips them from the header). It collects ``default_js`` / ``default_css`` of the elements and,
  for every ``ColorMap``, prepends two hard-coded URLs (d3 3.5.5 and ``https://d3js.org/d3.v4.min.js``),
  then passes them as ``js_links`` / ``css_links`` to its component. :func:`st_folium_component_kwargs`
  maps those lists, and sets ``L.Icon.Default.imagePath`` at the start of the map script (the
  component does not wait for leaflet.css, so Leaflet's image-folder detection races and guesses a
  wrong path); ``ui.offline.patch_st_folium`` wraps the component function with it, since ``geo``
  never imports Streamlit or streamlit-folium. Its built frontend (``frontend/build``) loads nothing
  remote itself; see :func:`frontend_external_urls`.

Assets without a local copy
---------------------------
Dropped from ``folium.Map``'s defaults because no xstatic package provides them and the atlas does
not use them: awesome-markers JS/CSS (only needed by ``folium.Icon`` / ``Marker(icon=...)``, which
therefore must not be used; plain ``Marker`` and ``CircleMarker`` work), Bootstrap 3 glyphicons
and folium's ``leaflet.awesome.rotate`` CSS. Dropped from ``st_folium``'s list: d3 v4. It is
loaded *before* d3 3.5.5, which then overwrites the global ``d3``, so branca's legend (d3 v3 API)
never used it. Plugins whose assets are not vendored (Fullscreen, TimeSliderChoropleth's d3 v4 +
moment, ...) keep their CDN URLs; :func:`external_urls` in the tests flags them if used.

Version differences with the CDN URLs (API compatible for what folium and branca use): Bootstrap
4.5.3 instead of 5.2.2 (folium uses no Bootstrap 5 API; the 4.x JS bundle needs jQuery, which is
listed before it), Font Awesome 6.2.1 instead of 6.2.0, Leaflet.markercluster 1.4.1 instead of
1.1.0, d3 3.5.16 (xstatic-d3 3.5.17.1 ships a ``d3.js`` reporting 3.5.16) instead of 3.5.5.

Map code consequences: no ``folium.Icon`` (awesome-markers); with ``tiles=None`` pass
``maxZoom=...`` to ``folium.Map`` when using ``MarkerCluster`` (no tile layer supplies one and
Leaflet.markercluster throws "Map has no maxZoom specified").

Content type and URL form (checked with Streamlit 1.67.0 and Chromium)
----------------------------------------------------------------------
Streamlit 1.67 (Starlette server) serves ``static/`` files at ``/app/static/...`` with
``mimetypes.guess_type`` content types (``application/javascript``, ``text/css; charset=utf-8``,
``font/woff2``, ``image/png``) plus ``X-Content-Type-Options: nosniff``. Streamlit historically
(Tornado server) sent non-media static files as ``text/plain``, which nosniff would block as
scripts and styles; 1.67 does not, so plain ``<script src>`` / ``<link>`` tags work and no
inlining or data: URIs are needed. Because the type comes from :mod:`mimetypes` (which on Windows
can be overridden by the registry), the ``.js`` / ``.css`` types are registered explicitly by
:func:`patch_for_offline`; the server runs in the app's process, so that reaches it.

``st_folium`` renders inside a component iframe served from ``/component/streamlit_folium.st_folium/``,
so a relative ``app/static/vendor/...`` URL resolves under the component path and 404s. The URL
must be absolute from the server root: ``/app/static/vendor``. The same form also works for
``st.components.v1.html(m.get_root().render())`` (an ``about:srcdoc`` iframe resolves against the
app page). Under ``server.baseUrlPath`` pass ``base_url="/<base>/app/static/vendor"``.
"""

from __future__ import annotations

import filecmp
import functools
import importlib
import importlib.metadata
import importlib.util
import ipaddress
import json
import mimetypes
import os
import re
import shutil
import tempfile
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

__all__ = [
    "DEFAULT_BASE_URL",
    "PINNED_VERSIONS",
    "check_versions",
    "external_urls",
    "frontend_external_urls",
    "install_static_assets",
    "patch_for_offline",
    "st_folium_component_kwargs",
]

#: Distribution versions the URL table and file layout below were written against.
PINNED_VERSIONS: Final[dict[str, str]] = {
    "folium": "0.20.0",
    "branca": "0.8.2",
    "streamlit-folium": "0.27.4",
    "xstatic-leaflet": "1.9.3.0",
    "xstatic-jquery": "3.7.1.1",
    "xstatic-bootstrap": "4.5.3.1",
    "xstatic-font-awesome": "6.2.1.2",
    "xstatic-d3": "3.5.17.1",
    "xstatic-leaflet-markercluster": "1.4.1.1",
}

#: Absolute from the server root: ``st_folium``'s iframe lives under ``/component/...``.
DEFAULT_BASE_URL: Final = "/app/static/vendor"

# (xstatic.pkg module, glob relative to its BASE_DIR, destination folder relative to vendor/).
# Folder layout keeps the relative references inside the CSS working: leaflet.css finds its
# markers in images/, Font Awesome's all.min.css loads ../webfonts/*.
_VENDOR_FILES: Final[tuple[tuple[str, str, str], ...]] = (
    ("leaflet", "leaflet.js", "leaflet"),
    ("leaflet", "leaflet.css", "leaflet"),
    ("leaflet", "images/*.png", "leaflet/images"),
    ("jquery", "jquery.min.js", "jquery"),
    ("bootstrap", "js/bootstrap.bundle.min.js", "bootstrap/js"),
    ("bootstrap", "css/bootstrap.min.css", "bootstrap/css"),
    ("font_awesome", "css/all.min.css", "fontawesome/css"),
    ("font_awesome", "webfonts/*.woff2", "fontawesome/webfonts"),
    ("font_awesome", "webfonts/*.ttf", "fontawesome/webfonts"),
    ("d3", "d3.js", "d3"),
    ("leaflet_markercluster", "leaflet.markercluster.js", "leaflet.markercluster"),
    ("leaflet_markercluster", "MarkerCluster.css", "leaflet.markercluster"),
    ("leaflet_markercluster", "MarkerCluster.Default.css", "leaflet.markercluster"),
)

# CDN URL -> path under vendor/, or None to drop the asset (see module docstring).
_CDN_TO_VENDOR: Final[dict[str, str | None]] = {
    # folium.folium._default_js (folium.Map.default_js)
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js": "leaflet/leaflet.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery/jquery.min.js",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/js/bootstrap.bundle.min.js": (
        "bootstrap/js/bootstrap.bundle.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.js": None,
    # folium.folium._default_css (folium.Map.default_css)
    "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css": "leaflet/leaflet.css",
    "https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css": (
        "bootstrap/css/bootstrap.min.css"
    ),
    "https://netdna.bootstrapcdn.com/bootstrap/3.0.0/css/bootstrap-glyphicons.css": None,
    "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free@6.2.0/css/all.min.css": (
        "fontawesome/css/all.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/Leaflet.awesome-markers/2.0.2/leaflet.awesome-markers.css": None,
    "https://cdn.jsdelivr.net/gh/python-visualization/folium/folium/templates/leaflet.awesome.rotate.min.css": None,
    # folium.plugins.MarkerCluster
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/leaflet.markercluster.js": (
        "leaflet.markercluster/leaflet.markercluster.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.css": (
        "leaflet.markercluster/MarkerCluster.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/leaflet.markercluster/1.1.0/MarkerCluster.Default.css": (
        "leaflet.markercluster/MarkerCluster.Default.css"
    ),
    # branca.colormap.ColorMap.render and streamlit_folium.st_folium (hard-coded)
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js": "d3/d3.js",
    # Same jQuery build via cdnjs (TimestampedGeoJson & co. list it; harmless to map).
    "https://cdnjs.cloudflare.com/ajax/libs/jquery/3.7.1/jquery.min.js": "jquery/jquery.min.js",
}

# Only dropped from st_folium's component arguments: a plugin (TimeSliderChoropleth) genuinely
# needs d3 v4, and it should stay visible there rather than silently break.
_ST_FOLIUM_DROPPED: Final[frozenset[str]] = frozenset({"https://d3js.org/d3.v4.min.js"})

# URLs in streamlit-folium's built frontend that are never fetched (error-message text, XML
# namespace). Anything else found there by frontend_external_urls() needs a look.
_FRONTEND_TEXT_ONLY_URLS: Final[frozenset[str]] = frozenset(
    {"https://reactjs.org/docs/error-decoder.html?invariant="}
)

# Marker attribute for wrapped callables. Stored on the patched objects rather than in module
# globals so that re-importing this module (Streamlit reloads changed modules) stays idempotent.
_ORIGINAL_ATTR: Final = "_geo_offline_original"
_ORIGINAL_LISTS_ATTR: Final = "_geo_offline_original_lists"

# XML namespace identifiers look like URLs but are never fetched.
_NAMESPACE_PREFIX: Final = re.compile(r"^(?:https?:)?//www\.w3\.org/(?:19|20)\d\d/")

# A quoted literal (optionally with an escaped quote, as in HTML inside a JS/JSON string) that
# *starts* with an absolute or protocol-relative URL: attribute values, JS strings, CSS url("..").
# URLs in the middle of running text are deliberately not matched.
_URL: Final = r"""(?P<url>(?:https?://|//(?=[\w\[{]))[^\s"'`\\<>]+)"""
_QUOTED_URL_RE: Final = re.compile(r"""\\?["'`]""" + _URL, re.IGNORECASE)
_UNQUOTED_ATTR_RE: Final = re.compile(
    r"""\b(?:src|href|srcset|poster|data|action)\s*=\s*""" + _URL, re.IGNORECASE
)
_CSS_URL_RE: Final = re.compile(
    r"""url\(\s*(?P<url>(?:https?://|//(?=[\w\[{]))[^\s"'`\\<>)]+)""", re.IGNORECASE
)


def install_static_assets(static_dir: Path) -> Path:
    """Copy the vendored JS/CSS/font/image files into ``static_dir / "vendor"``.

    Parameters
    ----------
    static_dir : pathlib.Path
        The folder Streamlit serves at ``/app/static/`` (``static/`` next to the main script).
        Created if missing.

    Returns
    -------
    pathlib.Path
        The vendor folder, ``static_dir / "vendor"``.

    Raises
    ------
    ModuleNotFoundError
        If one of the ``xstatic-*`` packages is not installed.
    FileNotFoundError
        If an expected file is missing from an xstatic package (layout changed).

    Notes
    -----
    Idempotent: files whose size and mtime (or, failing that, content) already match are left
    alone, so it is cheap on every Streamlit rerun. Files are written to a temporary name and
    renamed, so a concurrent session never sees a half-written asset.
    """
    vendor = Path(static_dir) / "vendor"
    for package, pattern, dest in _VENDOR_FILES:
        base = Path(importlib.import_module(f"xstatic.pkg.{package}").BASE_DIR)
        sources = sorted(base.glob(pattern))
        if not sources:
            raise FileNotFoundError(f"xstatic.pkg.{package}: no file matches {pattern!r} in {base}")
        target_dir = vendor / dest
        target_dir.mkdir(parents=True, exist_ok=True)
        for src in sources:
            _copy_if_changed(src, target_dir / src.name)
    return vendor


def _copy_if_changed(src: Path, dst: Path) -> None:
    """Copy ``src`` to ``dst`` atomically unless ``dst`` already has the same content."""
    # shallow=True: equal (type, size, mtime) counts as identical, otherwise contents are compared.
    if dst.is_file() and filecmp.cmp(src, dst, shallow=True):
        return
    fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.", suffix=".tmp")
    os.close(fd)
    try:
        shutil.copy2(src, tmp)  # copy2 keeps mtime, so the next shallow compare is a stat call
        os.replace(tmp, dst)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def patch_for_offline(base_url: str = DEFAULT_BASE_URL) -> None:
    """Make folium and branca reference local assets instead of CDNs (streamlit-folium: ``ui.offline``).

    Parameters
    ----------
    base_url : str, default "/app/static/vendor"
        URL prefix under which :func:`install_static_assets`' vendor folder is served. Must be
        absolute from the server root (see module docstring); a trailing slash is ignored.

    Notes
    -----
    Process-wide and idempotent; calling it again with another ``base_url`` re-bases the URLs.
    Call it before building maps: lists copied onto instances earlier are not touched. Emits a
    :class:`UserWarning` if library versions differ from :data:`PINNED_VERSIONS` or if the map
    defaults still contain CDN URLs afterwards (the libraries changed their URLs).
    """
    base = base_url.rstrip("/")
    _register_mimetypes()
    _patch_folium_lists(base)
    _patch_branca_links(base)
    for message in check_versions() + _leftover_external_defaults():
        warnings.warn(message, UserWarning, stacklevel=2)


def _local_url(base: str, url: str) -> str | None:
    """Map a CDN URL to its local URL; unknown URLs pass through, dropped ones give ``None``."""
    if url not in _CDN_TO_VENDOR:
        return url
    rel = _CDN_TO_VENDOR[url]
    return None if rel is None else f"{base}/{rel}"


def _register_mimetypes() -> None:
    """Pin the types of the served assets; nosniff blocks scripts/styles sent as text/plain."""
    # Streamlit's static route uses mimetypes.guess_type; on Windows the registry can map .js to
    # text/plain. The server runs in this process, so registering here fixes what it sends.
    for mime, ext in (
        ("text/javascript", ".js"),
        ("text/css", ".css"),
        ("font/woff2", ".woff2"),
        ("font/ttf", ".ttf"),
    ):
        mimetypes.add_type(mime, ext)


def _patch_folium_lists(base: str) -> None:
    """Rewrite ``default_js`` / ``default_css`` of every folium JSCSSMixin subclass in place."""
    import folium.plugins  # noqa: F401  (defines the plugin subclasses walked below)
    from folium.elements import JSCSSMixin

    classes = _all_subclasses(JSCSSMixin)
    # Originals are kept on each class (own __dict__ only, inherited lists are the parent's) so
    # re-basing starts from the library's URLs. All are recorded before any list is touched, in
    # case two classes share one list object.
    for cls in classes:
        if _ORIGINAL_LISTS_ATTR not in cls.__dict__:
            originals = {
                attr: list(cls.__dict__[attr])
                for attr in ("default_js", "default_css")
                if isinstance(cls.__dict__.get(attr), list)
            }
            setattr(cls, _ORIGINAL_LISTS_ATTR, originals)
    for cls in classes:
        for attr, original in cls.__dict__[_ORIGINAL_LISTS_ATTR].items():
            rewritten = []
            for name, url in original:
                local = _local_url(base, url)
                if local is not None:
                    rewritten.append((name, local))
            # In place: folium.folium._default_js must stay the same object as Map.default_js.
            cls.__dict__[attr][:] = rewritten


def _all_subclasses(cls: type) -> list[type]:
    """Return every (transitive) subclass of ``cls``, each once."""
    seen: dict[type, None] = {}
    stack = list(cls.__subclasses__())
    while stack:
        sub = stack.pop()
        if sub not in seen:
            seen[sub] = None
            stack.extend(sub.__subclasses__())
    return list(seen)


def _patch_branca_links(base: str) -> None:
    """Map the URL of every branca ``Link`` (JavascriptLink/CssLink) when it is constructed."""
    from branca.element import Link

    original = getattr(Link.__init__, _ORIGINAL_ATTR, Link.__init__)

    @functools.wraps(original)
    def __init__(self: Link, url: str, *args: Any, **kwargs: Any) -> None:
        # Dropped assets keep their URL: a Link cannot remove itself, and leaving the CDN URL
        # visible makes external_urls() catch it instead of failing silently.
        local = _local_url(base, url)
        original(self, url if local is None else local, *args, **kwargs)

    setattr(__init__, _ORIGINAL_ATTR, original)
    Link.__init__ = __init__  # type: ignore[method-assign]


def st_folium_component_kwargs(kwargs: dict[str, Any], base_url: str = DEFAULT_BASE_URL) -> dict[str, Any]:
    """The arguments of streamlit-folium's component with local links and Leaflet's image folder set.

    Parameters
    ----------
    kwargs
        What ``st_folium`` passes to ``streamlit_folium._component_func`` (``js_links``, ``css_links``,
        ``script``, ...); not changed.
    base_url
        As for :func:`patch_for_offline`.

    Returns
    -------
    dict[str, Any]
        The arguments of streamlit-folium's component with local links and Leaflet's image folder set.
    """
    base = base_url.rstrip("/")
    out = dict(kwargs)
    for key in ("js_links", "css_links"):
        if out.get(key) is not None:
            out[key] = _rewrite_links(base, out[key])
    if isinstance(out.get("script"), str):
        # The component appends the <link> tags without waiting for them, so when the first default
        # Marker is built leaflet.css is often not applied yet and Leaflet falls back to guessing the
        # image folder from the leaflet.css href (giving ".../leafletmarker-icon.png", a 404). Setting
        # the path explicitly at the start of the map script avoids the race.
        out["script"] = f"L.Icon.Default.imagePath = {json.dumps(f'{base}/leaflet/images/')};\n" + out["script"]
    return out


def _rewrite_links(base: str, links: Iterable[str]) -> list[str]:
    """Map component links to local URLs, drop the unused ones and de-duplicate (order kept)."""
    out: dict[str, None] = {}
    for url in links:
        if url in _ST_FOLIUM_DROPPED:
            continue
        local = _local_url(base, url)
        if local is not None:
            out[local] = None
    return list(out)


def _leftover_external_defaults() -> list[str]:
    """Report CDN URLs still in the defaults of the classes the atlas relies on."""
    import folium
    import folium.plugins

    messages = []
    for cls in (folium.Map, folium.plugins.MarkerCluster):
        for _, url in [*cls.default_js, *cls.default_css]:
            if external_urls(f'"{url}"'):
                messages.append(f"geo.figures.offline: {cls.__name__} still loads {url}; update _CDN_TO_VENDOR")
    return messages


def check_versions() -> list[str]:
    """Compare installed library versions with :data:`PINNED_VERSIONS`.

    Returns
    -------
    list of str
        One human-readable warning per missing or differing distribution; empty when all match.
        A difference means the CDN URL table in this module may be stale.
    """
    messages = []
    for dist, pinned in PINNED_VERSIONS.items():
        try:
            installed = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            messages.append(f"geo.figures.offline: {dist} is not installed (written for {pinned})")
            continue
        if installed != pinned:
            messages.append(
                f"geo.figures.offline: {dist} {installed} is installed but this module was written for "
                f"{pinned}; re-check the CDN URLs it rewrites"
            )
    return messages


def external_urls(html: str) -> list[str]:
    """List the URLs in ``html`` that would load from a host other than localhost.

    Parameters
    ----------
    html : str
        Rendered HTML (or JS/CSS), e.g. ``m.get_root().render()``.

    Returns
    -------
    list of str
        Absolute (``http://``, ``https://``) and protocol-relative (``//host/...``) URLs whose host
        is not ``localhost``, ``*.localhost`` or a loopback address, de-duplicated in order of
        first appearance.

    Notes
    -----
    Pragmatic, not a parser. Reported: quoted values that *start* with a URL (``src`` / ``href``
    attributes, including ``<a href>`` and HTML embedded in JS strings with escaped quotes; JS
    string literals such as script, style and tile URL templates; CSS ``url("...")``), unquoted
    ``src=`` / ``href=`` attributes and CSS ``url(...)``. Ignored: URLs inside running text (not
    at the start of a quoted value), relative and ``data:`` URLs and XML namespace identifiers
    (``http://www.w3.org/2000/svg``).
    """
    found: dict[str, None] = {}
    for regex in (_QUOTED_URL_RE, _UNQUOTED_ATTR_RE, _CSS_URL_RE):
        for match in regex.finditer(html):
            url = match.group("url")
            if not _NAMESPACE_PREFIX.match(url) and not _is_local(url):
                found[url] = None
    return list(found)


def _is_local(url: str) -> bool:
    """Tell whether ``url`` points at this machine."""
    try:
        host = urlsplit(url if not url.startswith("//") else f"http:{url}").hostname
    except ValueError:
        return False  # unparsable: report it rather than hide it
    if host is None:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def frontend_external_urls(build: Path | None = None) -> list[str]:
    """List unexpected external URLs in streamlit-folium's built frontend.

    Parameters
    ----------
    build
        The component's ``frontend/build`` folder; default: the installed streamlit-folium's.

    Returns
    -------
    list of str
        URLs found by :func:`external_urls` in the folder's HTML, JS and CSS files, minus the known text-only ones
        (React's error-decoder link). Empty means the component itself fetches nothing remote; non-empty after an
        upgrade needs a look.

    Raises
    ------
    FileNotFoundError
        When streamlit-folium is not installed, or the folder holds no HTML or JavaScript: nothing was checked.

    Notes
    -----
    Located with :func:`importlib.util.find_spec`, so streamlit is not imported.
    """
    if build is None:
        spec = importlib.util.find_spec("streamlit_folium")
        if spec is None or spec.origin is None:
            raise FileNotFoundError("streamlit-folium is not installed: its frontend cannot be checked")
        build = Path(spec.origin).parent / "frontend" / "build"
    files = [path for path in sorted(build.rglob("*")) if path.suffix in {".html", ".js", ".css"} and path.is_file()]
    if not any(path.suffix == ".html" for path in files) or not any(path.suffix == ".js" for path in files):
        raise FileNotFoundError(f"no built frontend (HTML and JavaScript) in {build}: nothing was checked")
    found: dict[str, None] = {}
    for path in files:
        for url in external_urls(path.read_text(encoding="utf-8", errors="replace")):
            if url not in _FRONTEND_TEXT_ONLY_URLS:
                found[url] = None
    return list(found)
