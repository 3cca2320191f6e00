"""Central Sahel violence atlas — Streamlit entry point: navigation, shared sidebar filters, URL state."""

import streamlit as st

from ui import shell

shell.leave_legacy_pages_mode()
st.set_page_config(page_title="Central Sahel violence atlas", page_icon=str(shell.APP_DIR / "assets" / "favicon.png"), layout="wide")

context = shell.start()
navigation = st.navigation(
    [
        st.Page("pages/map.py", title="Map", icon=":material/map:", url_path="map", default=True),
        st.Page("pages/trends.py", title="Trends", icon=":material/show_chart:", url_path="trends"),
        st.Page("pages/borders.py", title="Borders", icon=":material/border_outer:", url_path="borders"),
        st.Page("pages/civilians.py", title="Civilians", icon=":material/groups:", url_path="civilians"),
        st.Page("pages/data.py", title="Data", icon=":material/upload_file:", url_path="data"),
        st.Page("pages/about.py", title="About / method", icon=":material/info:", url_path="about"),
    ]
)
view = shell.sidebar(navigation.url_path or "map")
shell.chrome(view)
shell.banner(context)
navigation.run()
shell.presentation_bar()
