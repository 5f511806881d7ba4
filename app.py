"""Torbay children's services performance dashboard: the frame around every page."""
import streamlit as st

from torbay_dash.ui import frame

# Each screen sets its own browser title (frame.page); this sets what they share.
st.set_page_config(page_icon=":material/monitoring:", layout="wide")

# The screens live in views/, not pages/: Streamlit 1.67 still runs a folder named pages/ as a
# legacy multipage app on each session's first run, so a shared link such as /safeguarding
# would open the bare page file, without this frame, and lose its filters.
pages = st.navigation([
    st.Page("views/overview.py", title="Overview", icon=":material/dashboard:", default=True),
    st.Page("views/safeguarding.py", url_path="safeguarding", title="Safeguarding", icon=":material/shield:"),
    st.Page("views/cared_for.py", url_path="cared-for-children", title="Cared-for children", icon=":material/home:"),
    st.Page("views/workforce.py", url_path="workforce", title="Workforce", icon=":material/groups:"),
    st.Page("views/quality.py", url_path="quality-assurance", title="Quality assurance", icon=":material/fact_check:"),
    st.Page("views/data_quality.py", url_path="data-quality", title="Data quality", icon=":material/rule:"),
    st.Page("views/definitions.py", url_path="definitions", title="Definitions", icon=":material/menu_book:"),
])

# The last guard: whatever breaks the frame is said in one plain sentence and the page still runs (with no
# filters, so its empty state, if the sidebar did not finish). Only the frame is guarded: a page's own
# errors must still be seen, by its own error boxes and by the tests.
try:
    frame.styles()
    frame.first_run()
    frame.header(frame.sidebar())
except Exception as exc:  # shown to the reader, not swallowed
    st.error(f"The filters and header could not be drawn ({type(exc).__name__}: {exc}); "
             "the page below may show less than usual.", icon=":material/error:")
pages.run()
