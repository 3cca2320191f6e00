"""Real-browser fixtures: the app under `streamlit run` on localhost, driven by Playwright in Debian's
Chromium (/usr/bin/chromium, never a downloaded browser). Every request the page makes is recorded so
that tests can assert none leaves localhost. Screenshots go to tests/browser/screenshots/ (git-ignored):
look at them."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browserlib import Recorder

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(home: Path, extra_env: dict | None = None) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "ATLAS_HOME": str(home), "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("ATLAS_DB_URL", None)  # the store is the home's own, unless the caller names one
    env.update(extra_env or {})
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                return proc, url
        except OSError:
            time.sleep(0.3)
        if proc.poll() is not None:
            break
    proc.kill()
    raise RuntimeError(f"streamlit did not start: {proc.stdout.read() if proc.stdout else ''}")


def stop_app(proc: subprocess.Popen) -> None:
    """Stop an app started by `start_app` (killed if it does not stop within 10 s)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (./run.sh test installs it with apt-get)")
    proc, url = start_app(tmp_path_factory.mktemp("browser-home"))
    yield url
    stop_app(proc)


@pytest.fixture(scope="session")
def browser(chromium_browser):
    return chromium_browser


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    pg = context.new_page()
    pg.recorder = Recorder(pg)
    yield pg
    context.close()


