"""streamlit-folium served offline: its component gets the local asset links of `geo.figures.offline`.

Here rather than in `geo.figures.offline` because `geo` never imports Streamlit or streamlit-folium.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit_folium

from geo.figures.offline import DEFAULT_BASE_URL, st_folium_component_kwargs

_ORIGINAL_ATTR = "_ui_offline_original"


def patch_st_folium(base_url: str = DEFAULT_BASE_URL) -> None:
    """
    Wrap ``streamlit_folium._component_func`` so that its links and script use local assets.

    Process-wide and idempotent: calling it again (with another ``base_url``) wraps the original again.
    """
    current = streamlit_folium._component_func
    original: Callable[..., Any] = getattr(current, _ORIGINAL_ATTR, current)

    def component_func(*args: Any, **kwargs: Any) -> Any:
        return original(*args, **st_folium_component_kwargs(kwargs, base_url))

    setattr(component_func, _ORIGINAL_ATTR, original)
    streamlit_folium._component_func = component_func
