"""Helpers of the browser tests (imported as `browserlib`)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from urllib.parse import urlparse

#: Where screenshots go: outside the working tree (tests never write into it); ATLAS_SCREENSHOTS chooses the folder.
SHOTS = Path(os.environ.get("ATLAS_SCREENSHOTS") or Path(tempfile.gettempdir()) / "atlas-browser-screenshots")


class Recorder:
    """Requests and console errors of one page."""

    def __init__(self, page):
        self.requests: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.failed: list[str] = []
        page.on("response", lambda r: self.failed.append(r.url) if r.status >= 400 else None)
        page.on("requestfailed", lambda r: self.failed.append(r.url))
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.console_errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))

    def external(self) -> list[str]:
        out = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about"):
                continue
            if parsed.hostname not in ("127.0.0.1", "localhost"):
                out.append(url)
        return out


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout)
    page.wait_for_function(
        """() => { const s = document.querySelector('[data-testid="stStatusWidget"]'); return !s || !s.innerText.includes('Running'); }""",
        timeout=timeout,
    )
    page.wait_for_selector("h1", timeout=timeout)
    page.wait_for_timeout(800)


def shot(page, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path
