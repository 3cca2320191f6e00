"""Shared fixtures. Tests never write into the working tree: every store, data home and file they
make lives in pytest's temporary folders."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from helpers import ACLED_REAL, BACKENDS, REPO, new_store_url

_STARTED = pytest.StashKey[float]()

# A phrase missing from a catalogue raises under the tests (production says it in English, never shows its key);
# set before anything runs, so that the command lines and app servers the tests start inherit it.
os.environ["ATLAS_STRICT_WORDS"] = "1"


@pytest.fixture(scope="session")
def ne():
    """The shipped Natural Earth boundary set."""
    from geo.boundaries import load_boundary_set

    return load_boundary_set("natural-earth")


@pytest.fixture(scope="session")
def geometry(ne):
    """Shared borders of the shipped set."""
    from geo.borders import shared_borders

    return shared_borders(ne)


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory) -> Path:
    """Where the sample's store is built, once for the whole test session (it is only ever read)."""
    return tmp_path_factory.mktemp("atlas-sample")


@pytest.fixture(scope="session", autouse=True)
def session_home(tmp_path_factory, sample_dir):
    """A data home for the session, set before any module- or session-scoped fixture runs.

    The per-test ``atlas_home`` comes too late for fixtures of a wider scope (a module's sample store was
    built under the working tree's ``var/``); this one is instantiated first.
    """
    patch = pytest.MonkeyPatch()
    patch.setenv("ATLAS_HOME", str(tmp_path_factory.mktemp("atlas-session-home")))
    patch.setenv("ATLAS_SAMPLE_DIR", str(sample_dir))
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def atlas_home(tmp_path_factory, monkeypatch, sample_dir) -> Path:
    """A fresh data home per test, so registered boundary sets and default stores stay out of the repo."""
    home = tmp_path_factory.mktemp("atlas-home")
    monkeypatch.setenv("ATLAS_HOME", str(home))
    monkeypatch.setenv("ATLAS_SAMPLE_DIR", str(sample_dir))
    monkeypatch.delenv("ATLAS_DB_URL", raising=False)
    monkeypatch.delenv("ATLAS_CONFIG", raising=False)
    monkeypatch.setenv("ATLAS_USER", "tester")
    return home


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    """An empty store on SQLite and on PostgreSQL (each test using it runs on both)."""
    from geo.store import Store

    url, drop = new_store_url(request.param, tmp_path)
    s = Store(url)
    yield s
    s.dispose()
    drop()


@pytest.fixture
def write(tmp_path):
    """Write a test file (text or bytes) into the test's temporary folder and return its path."""

    def _write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    return _write


@pytest.fixture(scope="session")
def real_acled_events():
    if not ACLED_REAL.exists():
        pytest.skip(f"real data not available: {ACLED_REAL} is missing")
    from geo.readers import read_events

    return read_events(ACLED_REAL)


@pytest.fixture
def navigation_only(monkeypatch):
    """Run AppTest like a running server: once app.py has called st.navigation, Streamlit stops treating
    `pages/` as a legacy multipage folder, but AppTest resets that flag before every run."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    from ui import data

    data.clear()
    yield
    data.clear()


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


@pytest.fixture
def st_folium_calls(monkeypatch) -> list[dict]:
    """What `streamlit_folium.st_folium` hands its frontend component, once made offline by
    `ui.offline.patch_st_folium`: the component is replaced by one that records its arguments (restored after)."""
    streamlit_folium = pytest.importorskip("streamlit_folium")
    from geo.figures import offline
    from ui.offline import patch_st_folium

    calls: list[dict] = []

    def fake_component(**kwargs):
        calls.append(kwargs)
        return kwargs["default"]

    monkeypatch.setattr(streamlit_folium, "_component_func", fake_component)
    offline.patch_for_offline()
    patch_st_folium()  # wraps whatever _component_func currently is
    return calls


@pytest.fixture(scope="session")
def chromium_browser():
    """Debian's Chromium driven by Playwright (one per test session; never a downloaded browser)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (./run.sh test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
# Hypothesis keeps a cache of constants (and would keep examples) in .hypothesis/: not in the working tree.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "atlas-hypothesis"))


# Folders a test run may touch without writing data: interpreter and tool caches, the environment itself, and
# `static/` (gitignored), where the app copies its vendored JS/CSS at start because Streamlit serves files only
# from beside its main script.
_NOT_DATA = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "node_modules", "static"}


def _files_written_since(root: Path, since: float) -> list[str]:
    written = []
    for folder, subfolders, files in os.walk(root):
        subfolders[:] = [d for d in subfolders if d not in _NOT_DATA]
        for name in files:
            path = Path(folder) / name
            try:
                if path.stat().st_mtime >= since:
                    written.append(str(path.relative_to(root)))
            except OSError:
                continue
    return sorted(written)


def pytest_sessionstart(session):
    session.config.stash[_STARTED] = time.time()


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a test wrote into the working tree (stores, data homes, exports belong in tmp)."""
    started = session.config.stash.get(_STARTED, None)
    if started is None or os.environ.get("PYTEST_XDIST_WORKER"):
        return
    written = _files_written_since(REPO, started)
    if written:
        listing = "\n  ".join(written[:20])
        print(f"\nerror: the tests wrote into the working tree ({len(written)} files):\n  {listing}\n"
              "Write into tmp_path / tmp_path_factory instead.")
        session.exitstatus = 1
