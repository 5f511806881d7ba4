"""Access log, for analysts: who viewed or took lists of children, exported a report or loaded an extract."""
from torbay_dash.store import data_root
from torbay_dash.ui import door, frame
from torbay_dash.ui.access_log import access_log_page

frame.page("Access log", "access_log", needs_data=False)
access_log_page(str(data_root()), retention_months=door.policy().log_retention_months)
