"""The access log page's body, for analysts: who viewed or took lists of children, exported reports or uploaded
extracts, with filters and a CSV; the role gate and the page itself are the view's."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import access_log
from . import widgets

FILTER_COLUMNS = {"user": "Users", "role": "Roles", "action": "Actions", "page": "Pages"}


def access_log_page(root: str, retention_months: int) -> None:
    """What is logged and for how long, the log filtered by date, user, role, action and page, and its CSV."""
    with widgets.guarded("The access log"):
        access_log.prune(root, retention_months, dt.datetime.now(dt.UTC).date())  # a few file names: cheap
        _log(root, retention_months)


def _log(root: str, retention_months: int) -> None:
    st.write("Every view or download of a list of children, every report export and every upload is recorded "
             "here: when, by whom, in which role, on which page, with which filters and how many rows were shown "
             "(never the rows themselves). Requests refused because they were outside a user's teams are recorded "
             f"too. Entries older than {_months(retention_months)} are removed, a month at a time. "
             "Times are in UTC.")
    log = access_log.read(root)
    damaged = log.attrs.get("damaged_lines", 0)
    if damaged:
        st.warning(f"{_count(damaged, 'line')} of the log could not be read (damaged or cut short) and "
                   f"{'was' if damaged == 1 else 'were'} skipped; every other entry is shown.",
                   icon=":material/warning:")
    if log.empty:
        st.info("Nothing has been logged yet: entries appear here once someone views or downloads a list of "
                "children, exports a report or uploads an extract.", icon=":material/info:")
        return
    shown = _filtered(log)
    if shown.empty:
        st.write(f"No entries match these filters ({_count(len(log), 'entry', 'entries')} in the log).")
        return
    st.write(_summary(shown, log))
    widgets.table(_for_table(shown), "access_log.csv", "log_table", name="access log")


def _filtered(log: pd.DataFrame) -> pd.DataFrame:
    """The log narrowed by the analyst's choices (date range, user, role, action, page); no choice means all."""
    days = log["time"].dt.date
    left, right = st.columns(2)
    since = left.date_input("From", days.min(), key="log_from")
    until = right.date_input("To", max(days.max(), dt.datetime.now(dt.UTC).date()), key="log_to")
    if since > until:
        since, until = until, since  # the range the analyst meant, whichever way round it was entered
    keep = (days >= since) & (days <= until)
    columns = st.columns(len(FILTER_COLUMNS))
    for place, (column, label) in zip(columns, FILTER_COLUMNS.items()):
        present = set(log[column])
        options = [a for a in access_log.ACTIONS if a in present] if column == "action" else []
        options += sorted(present - set(options))
        chosen = place.multiselect(label, options, key=f"log_{column}", placeholder=f"all {label.lower()}")
        if chosen:
            keep &= log[column].isin(chosen)
    return log[keep]


def _summary(shown: pd.DataFrame, log: pd.DataFrame) -> str:
    """'12 entries, 3 users' (and out of how many, when the filters leave some out)."""
    words = f"{_count(len(shown), 'entry', 'entries')}, {_count(shown['user'].nunique(), 'user')}"
    return words + (f" (of {_count(len(log), 'entry', 'entries')} in the log)." if len(shown) < len(log) else ".")


def _for_table(shown: pd.DataFrame) -> pd.DataFrame:
    """Time to the second as text (a date column would lose the time of day), rows as a count."""
    return shown.assign(time=shown["time"].dt.strftime("%Y-%m-%d %H:%M:%S")).rename(
        columns={"time": "time (UTC)", "what": "what was seen or taken", "rows": "rows shown"})


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else many or one + 's'}"


def _months(n: int) -> str:
    return _count(n, "month")
