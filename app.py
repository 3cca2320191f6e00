"""Central Sahel violence atlas — Streamlit entry point: navigation, shared sidebar filters, URL state.

Every run speaks one language (the view's `lang`, kept in the URL): everything below is built inside
`use_language`, so the sidebar, the banner, the page and its figures all follow it."""

import streamlit as st

from geo.figures.language import use_language
from geo.figures.style import word
from ui import shell

shell.leave_legacy_pages_mode()
with use_language(shell.wanted_language()):
    st.set_page_config(page_title=word("app.title"), page_icon=str(shell.APP_DIR / "assets" / "favicon.png"), layout="wide")
    context = shell.start()
    navigation = st.navigation(
        [
            st.Page("pages/map.py", title=word("page.map"), icon=":material/map:", url_path="map", default=True),
            st.Page("pages/trends.py", title=word("page.trends"), icon=":material/show_chart:", url_path="trends"),
            st.Page("pages/borders.py", title=word("page.borders"), icon=":material/border_outer:", url_path="borders"),
            st.Page("pages/civilians.py", title=word("page.civilians"), icon=":material/groups:", url_path="civilians"),
            st.Page("pages/agreement.py", title=word("page.agreement"), icon=":material/compare_arrows:", url_path="agreement"),
            st.Page("pages/data.py", title=word("page.data"), icon=":material/upload_file:", url_path="data"),
            st.Page("pages/about.py", title=word("page.about"), icon=":material/info:", url_path="about"),
        ]
    )
    view = shell.sidebar(navigation.url_path or "map")
    shell.chrome(view)
    shell.banner(context)
    navigation.run()
    shell.presentation_bar()
