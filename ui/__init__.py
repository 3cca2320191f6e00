"""The Streamlit side of the atlas: shared shell (sidebar, URL state, banner) and cached data access.

Pages in `pages/` lay out widgets and call `geo/` through these helpers; no figures are computed here.
"""
