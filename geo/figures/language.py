"""The language figures are written in: English (``"en"``) or French (``"fr"``).

The language is a context, not an argument threaded through every builder: a page or an export sets it once
with :func:`use_language` and every word, number and date built inside follows it. A
:class:`contextvars.ContextVar` keeps it per thread and per task, so two Streamlit sessions (each its own
script thread) or two exports never see each other's language.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

#: The languages the atlas speaks, the first being the default.
LANGUAGES: Final[tuple[str, ...]] = ("en", "fr")
DEFAULT_LANGUAGE: Final[str] = LANGUAGES[0]

_current: ContextVar[str] = ContextVar("atlas_language", default=DEFAULT_LANGUAGE)


def check_language(lang: str) -> str:
    """`lang` if the atlas speaks it; ValueError naming the languages it speaks otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def current_language() -> str:
    """The language figures are being written in now."""
    return _current.get()


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Write every figure built inside the ``with`` block in `lang` (restored afterwards)."""
    token = _current.set(check_language(lang))
    try:
        yield lang
    finally:
        _current.reset(token)
