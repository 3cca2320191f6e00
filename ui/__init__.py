"""The Streamlit side of the atlas: the shared shell (sidebar, URL state, banner, presentation mode), what each page
shows (`views`, `borders_view`, `data_page`: plain functions without Streamlit) and the database reads they make
(`reading`, cached per data version by `data`).

Pages in `pages/` only lay out what the view models return; figures are built by `geo.figures`.
"""
