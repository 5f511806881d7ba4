"""Torbay children's services performance dashboard: the door, then the frame around every page."""
import streamlit as st

from torbay_dash.ui import door, frame

# Each screen sets its own browser title (frame.page); this sets what they share.
st.set_page_config(page_icon=":material/monitoring:", layout="wide")

# The screens live in views/, not pages/: Streamlit 1.67 still runs a folder named pages/ as a
# legacy multipage app on each session's first run, so a shared link such as /safeguarding
# would open the bare page file, without this frame, and lose its filters.
PAGES = [  # (page id, file, url path, title, icon)
    ("overview", "views/overview.py", None, "Overview", ":material/dashboard:"),
    ("safeguarding", "views/safeguarding.py", "safeguarding", "Safeguarding", ":material/shield:"),
    ("cared_for", "views/cared_for.py", "cared-for-children", "Cared-for children", ":material/home:"),
    ("workforce", "views/workforce.py", "workforce", "Workforce", ":material/groups:"),
    ("quality", "views/quality.py", "quality-assurance", "Quality assurance", ":material/fact_check:"),
    ("team", "views/team.py", "team", "Team", ":material/groups_2:"),
    ("data_quality", "views/data_quality.py", "data-quality", "Data quality", ":material/rule:"),
    ("access_log", "views/access_log.py", "access-log", "Access log", ":material/history:"),
    ("definitions", "views/definitions.py", "definitions", "Definitions", ":material/menu_book:"),
]

frame.styles()
# Nobody sees a figure before the door has said who they are: the sign-in page, "no access yet", an invalid
# access list and demo mode beside real data each stop the run here, with no navigation and no data.
frame.first_run()
try:
    viewer = door.who_is_here()
except Exception as exc:  # fail closed: a door that breaks lets nobody in
    door.closed("The dashboard could not check who you are",
                f"{type(exc).__name__}: {exc}. No data is shown until this is put right.")
# A page the role may not open is left out of the menu but still known, so a link to it says why (frame.page)
# rather than landing on the Overview unexplained.
pages = st.navigation([
    st.Page(path, title=title, icon=icon, default=page_id == "overview",
            visibility="visible" if door.may_open(viewer, page_id) else "hidden",
            **({"url_path": url} if url else {}))
    for page_id, path, url, title, icon in PAGES])

# The last guard: whatever breaks the frame is said in one plain sentence and the page still runs (with no
# filters, so its empty state, if the sidebar did not finish). Only the frame is guarded: a page's own
# errors must still be seen, by its own error boxes and by the tests.
try:
    frame.header(frame.sidebar(viewer))
except Exception as exc:  # shown to the reader, not swallowed
    st.error(f"The filters and header could not be drawn ({type(exc).__name__}: {exc}); "
             "the page below may show less than usual.", icon=":material/error:")
pages.run()
