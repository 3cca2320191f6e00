"""The language figures are written in: English (``"en"``) or French (``"fr"``).

The language is a context, not an argument threaded through every builder: a page or an export sets it once
with :func:`use_language` and every word, number and date built inside follows it. A
:class:`contextvars.ContextVar` keeps it per thread and per task, so two Streamlit sessions (each its own
script thread) or two exports never see each other's language.

The words themselves are in :mod:`geo.figures.style` (:data:`~geo.figures.style.WORDS`, English) and
:mod:`geo.figures.french` (French); numbers and dates are formatted with babel in the language's locale
(:data:`LOCALES`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

#: The languages the atlas speaks, the first being the default.
LANGUAGES: Final[tuple[str, ...]] = ("en", "fr")
DEFAULT_LANGUAGE: Final[str] = LANGUAGES[0]
#: Each language's name in itself (what a language switch shows: never translated).
LANGUAGE_NAMES: Final[dict[str, str]] = {"en": "English", "fr": "Français"}
#: The babel (CLDR) locale numbers, dates and plural forms follow in each language.
LOCALES: Final[dict[str, str]] = {"en": "en", "fr": "fr"}

_current: ContextVar[str] = ContextVar("atlas_language", default=DEFAULT_LANGUAGE)


def check_language(lang: str) -> str:
    """`lang` if the atlas speaks it; ValueError naming the languages it speaks otherwise.

    Parameters
    ----------
    lang
        A language code ("en", "fr").

    Returns
    -------
    str
        `lang` if the atlas speaks it; ValueError naming the languages it speaks otherwise.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def current_language() -> str:
    """The language figures are being written in now.

    Returns
    -------
    str
        The language figures are being written in now.
    """
    return _current.get()


def current_locale() -> str:
    """The babel locale of the current language ("en", "fr").

    Returns
    -------
    str
        The babel locale of the current language ("en", "fr").
    """
    return LOCALES[_current.get()]


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Write every figure built inside the ``with`` block in `lang` (restored afterwards).

    Parameters
    ----------
    lang
        A language code ("en", "fr").

    Returns
    -------
    Iterator[str]
        The language in force inside the block.
    """
    token = _current.set(check_language(lang))
    try:
        yield lang
    finally:
        _current.reset(token)


def set_language(lang: str) -> None:
    """Write in `lang` from now on in this context, for code that cannot wrap itself in :func:`use_language`: a Streamlit page run directly (its script runs in its session's own thread, and sets the language again at the top of every run).

    Prefer :func:`use_language` everywhere else.

    Parameters
    ----------
    lang
        A language code ("en", "fr").
    """
    _current.set(check_language(lang))
