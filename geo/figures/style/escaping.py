"""Escaping: text for plotly and HTML (:func:`plain`, :func:`esc`) and data inside ``<script>`` (:func:`script_json`)."""

from __future__ import annotations

import html
import json


def plain(text: object) -> str:
    """Text for plotly labels and HTML: plotly reads a few HTML tags, so data and user text are escaped.

    Parameters
    ----------
    text
        Any value, shown as text.

    Returns
    -------
    str
        Text for plotly labels and HTML: plotly reads a few HTML tags, so data and user text are escaped.
    """
    return html.escape(str(text), quote=False)


def esc(text: object) -> str:
    """Text for HTML and SVG attributes and content (quotes escaped too).

    Parameters
    ----------
    text
        Any value, shown as text.

    Returns
    -------
    str
        Text for HTML and SVG attributes and content (quotes escaped too).
    """
    return html.escape(str(text))


def script_json(value: object) -> str:
    """JSON for inside a ``<script>``: ``<`` and ``>`` escaped, so text can never close the script.

    Parameters
    ----------
    value
        A JSON-serialisable value.

    Returns
    -------
    str
        The JSON text.
    """
    return json.dumps(value, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")
