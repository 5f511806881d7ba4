"""The Data quality screen's own sections, for analysts: what each snapshot holds and what is wrong with it,
extracts held or rejected (and confirming a held one), cross-table rules, what a snapshot says differently
from the one before it, and loading a new extract."""
from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from .. import codes, contract, ingest, rules
from ..charts import lines_chart
from ..ingest.summary import left_out
from ..reconcile import Reconciliation, previous_of, reconcile
from ..store import DataError, Snapshot, Store, data_root
from ..validation import FOLDER
from .data import refusals, snapshot_list
from .frame import Filters, refusal_list
from . import door
from .widgets import chart_or_table, download_csv, guarded, table, url_choice

# What the last confirmation or load did, shown (once) after the rerun that serves what it published.
CONFIRMED_KEY, LOADED_KEY = "_dq_confirmed", "_dq_loaded"
SIDEBAR_SNAPSHOT_KEY = "as_at"  # the sidebar's snapshot choice (frame.sidebar)
SHOWN_LIMIT = 2000           # rows of a reconciliation list drawn on screen; the download has them all
NOUNS = {  # what a table's rows are, in words, for the reconciliation's sentences
    "ssd_person": "person records", "ssd_department": "teams", "ssd_professionals": "professionals",
    "ssd_involvements": "worker allocations", "ssd_contacts": "contacts", "ssd_cin_episodes": "referrals",
    "ssd_cin_assessments": "assessments", "ssd_assessment_factors": "assessment factors",
    "ssd_s47_enquiry": "section 47 enquiries", "ssd_initial_cp_conference": "initial conferences",
    "ssd_cp_plans": "CP plans", "ssd_cp_reviews": "CP reviews", "ssd_cp_visits": "CP visits",
    "ssd_pre_proceedings": "pre-proceedings records", "ssd_cla_episodes": "care episodes",
    "ssd_cla_placement": "placements", "ssd_legal_status": "legal statuses", "ssd_cla_reviews": "CLA reviews",
    "ssd_cla_visits": "CLA visits", "ssd_cla_health": "health checks", "ssd_missing": "missing episodes",
    "ssd_care_leavers": "care leaver contacts", "ssd_permanence": "permanence records",
    "local_camhs": "CAMHS records", "hr_posts": "posts", "hr_staff": "staff records",
    "hr_absence": "absence spells", "hr_supervision": "supervision records", "qa_audits": "audits",
    "qa_actions": "audit actions"}
FORMATS = {"detect": "Detect from the files", ingest.SSD: "Standard Safeguarding Dataset (SSD)",
           ingest.SSDA903: "SSDA903 return (children looked after)"}


def _date(day: dt.date) -> str:
    return f"{day:%d %B %Y}"


def _root() -> str:
    return str(data_root())


def _forget_snapshots(serve_newest: bool = False) -> None:
    """After a confirmation or a load: every cache that lists snapshots is dropped, so the new one is served.

    Figures are cached on each snapshot's content key, so they cannot be served stale. With `serve_newest`
    (something was published), the sidebar's snapshot choice is forgotten too, so it falls back to its
    default, the newest usable snapshot (a choice kept in the URL still wins)."""
    if serve_newest:
        st.session_state.pop(SIDEBAR_SNAPSHOT_KEY, None)
    snapshot_list.clear()
    refusals.clear()
    _reconciliation.clear()
    _rule_failures.clear()


# ---------------------------------------------------------------- 1. snapshots and their problems

def snapshot_picker(filters: Filters | None) -> Snapshot | None:
    """Choose any snapshot of the data root (usable or not); by default the one the sidebar serves."""
    snapshots = list(reversed(snapshot_list(_root())))
    if not snapshots:
        st.info("There are no snapshots in this data root yet: load an extract below.")
        return None
    by_id = {s.id: s for s in snapshots}
    served = filters.snapshot.id if filters is not None and filters.snapshot.id in by_id else snapshots[0].id

    def label(snapshot_id: str) -> str:
        snapshot = by_id[snapshot_id]
        note = "served" if snapshot_id == served else "usable" if snapshot.usable else "not usable"
        return f"{snapshot_id} ({note})"

    chosen = url_choice("Snapshot to inspect", list(by_id), key="dq_snapshot", default=served, format_func=label,
                        help="Every snapshot in the data root, newest first, including those that are not used. "
                             "By default the one the sidebar serves.")
    return by_id[chosen]


def tables_frame(snapshot: Snapshot) -> pd.DataFrame:
    """Every contract table: rows read, and whether it is served, quarantined (with why) or absent."""
    quarantined = snapshot.quarantined
    rows = []
    for name, spec in contract.TABLES.items():
        n = snapshot.report.tables.get(name)
        status = "quarantined" if name in quarantined else "served" if n is not None else "absent"
        if status == "served" and not snapshot.usable:
            status = "not served (the snapshot is not usable)"
        reason = quarantined.get(name) or ("not in the extract" if status == "absent" else "—")
        rows.append({"table": name, "area": spec.area, "rows": n, "status": status, "reason": reason})
    frame = pd.DataFrame(rows)
    frame["rows"] = frame["rows"].astype("Int64")
    return frame


def problems_frame(snapshot: Snapshot) -> pd.DataFrame:
    """Every problem found in a snapshot: errors first, then warnings, each with its file, column and rows."""
    rows = [{"severity": p.severity, "file": p.file, "table": "whole snapshot" if p.table == FOLDER else p.table,
             "column": p.column or "", "message": p.message,
             "rows affected": p.n_rows or None, "example rows": ", ".join(map(str, p.rows))}
            for p in snapshot.problems]
    frame = pd.DataFrame(rows, columns=["severity", "file", "table", "column", "message", "rows affected",
                                        "example rows"])
    frame["rows affected"] = frame["rows affected"].astype("Int64")
    order = frame["severity"].map({"error": 0}).fillna(1)
    return frame.assign(_order=order).sort_values(["_order", "table"], kind="stable").drop(columns="_order")


def snapshot_contents(snapshot: Snapshot) -> None:
    """What a snapshot holds: each table's rows and status, then every problem found in it."""
    with guarded("The snapshot's tables"):
        tables = tables_frame(snapshot)
        present = tables[tables["status"] != "absent"]
        errors, warnings = len(snapshot.errors), len(snapshot.problems) - len(snapshot.errors)
        source = snapshot.manifest.get("source")
        st.markdown(
            f"**Snapshot as at {_date(snapshot.as_at)}**"
            + (" (synthetic demo data)" if snapshot.synthetic else "")
            + (f", from {source}" if source else "") + ": "
            + f"{len(present)} of {len(contract.TABLES)} contract tables present, "
            + f"{int((tables['status'] == 'served').sum())} served, {len(snapshot.quarantined)} quarantined; "
            + f"{int(present['rows'].sum()):,} rows in all; {errors + warnings:,} problem(s) found: "
            + f"{errors:,} error(s), {warnings:,} warning(s).")
        if not snapshot.usable:
            st.error("This snapshot is not used: " + "; ".join(snapshot.reasons), icon=":material/block:")
        for name, reason in snapshot.quarantined.items():
            st.warning(f"Quarantined: **{name}**: {reason}", icon=":material/block:")
        st.subheader("Tables")
        st.caption("Rows are those in each file; rows a problem leaves out of the figures are counted below.")
        table(tables, f"tables_{snapshot.id}.csv", "dq_tables", name=f"tables of snapshot {snapshot.id}")
    with guarded("The snapshot's problems"):
        st.subheader("Problems")
        problems = problems_frame(snapshot)
        if problems.empty:
            st.success(f"No problems found in snapshot {snapshot.id}.", icon=":material/check_circle:")
            return
        st.caption("Errors quarantine their table (or, for the whole snapshot, refuse it); warnings are rows "
                   "left out of the figures, within the allowance. Row numbers count from 1 in each file.")
        table(problems, f"problems_{snapshot.id}.csv", "dq_problems", name=f"problems found in snapshot {snapshot.id}")


# ---------------------------------------------------------------- 2. held and rejected extracts

def show_outcome(key: str) -> None:
    """The outcome of the last confirmation or load, once, after the rerun that serves what it published."""
    outcome = st.session_state.pop(key, None)
    if outcome is None:
        return
    kind, text, details = outcome
    {"success": st.success, "warning": st.warning, "error": st.error}[kind](text)
    if details:
        st.markdown(details)


def _status_of(snapshot: Snapshot) -> str:
    parent = snapshot.path.parent.name
    return {"snapshots": "published", "held": "held"}.get(parent, "rejected")


def confirm(name: str) -> None:
    """Swap in a held extract, forget the cached snapshots and say what happened (after a rerun)."""
    try:
        snapshot = Store(_root()).confirm(name)
    except DataError as exc:
        st.session_state[CONFIRMED_KEY] = ("error", f"The held extract {name} could not be confirmed: {exc}", "")
    except Exception as exc:  # said in one sentence, never a traceback
        st.session_state[CONFIRMED_KEY] = ("error", f"The held extract {name} could not be confirmed: "
                                                  f"{type(exc).__name__}: {exc}", "")
    else:
        status = _status_of(snapshot)
        if status == "published":
            rows = sum(snapshot.report.tables.values())
            st.session_state[CONFIRMED_KEY] = (
                "success", f"Confirmed: the extract {name} is now snapshot {snapshot.id}, served with "
                           f"{len(snapshot.tables)} table(s) and {rows:,} rows.", "")
        else:
            st.session_state[CONFIRMED_KEY] = (
                "error", f"The extract {name} was not swapped in: it is {status}.",
                "\n".join(f"- {r}" for r in snapshot.reasons or snapshot.held_because))
    _forget_snapshots(serve_newest=True)


def held_and_rejected() -> None:
    """Extracts held for an analyst's confirmation (each with a button), then everything else not served."""
    root = _root()
    show_outcome(CONFIRMED_KEY)
    with guarded("Held extracts"):
        held = Store(root).held()
        served = {s.id: s for s in snapshot_list(root)}
        st.subheader("Held for confirmation")
        if not held:
            st.write("No extract is waiting for confirmation.")
        for snapshot in held:
            name = snapshot.path.name
            with st.container(border=True):
                st.markdown(f"**Extract for {_date(snapshot.as_at)}** (held/{name}), received "
                            f"{snapshot.manifest.get('created_at', 'at an unknown time')}"
                            + (f" from {snapshot.manifest['source']}" if snapshot.manifest.get("source") else "")
                            + ". It would replace the snapshot of that date, but:")
                st.markdown("\n".join(f"- {reason}" for reason in snapshot.held_because))
                now = served.get(snapshot.id)
                names = sorted(set(snapshot.report.tables) | set(now.report.tables if now else {}))
                compare = pd.DataFrame({
                    "table": names,
                    "rows served now": [now.report.tables.get(t) if now else None for t in names],
                    "rows in the held extract": [snapshot.report.tables.get(t) for t in names]})
                for column in ("rows served now", "rows in the held extract"):
                    compare[column] = compare[column].astype("Int64")
                table(compare, f"held_{name}.csv", f"held_{name}", name=f"rows of the held extract {name}")
                if st.button("Confirm this extract", key=f"confirm_{name}", icon=":material/check:",
                             help=f"Replace the snapshot of {_date(snapshot.as_at)} with the held extract {name}; "
                                  "the one served now is retired."):
                    confirm(name)
                    st.rerun()
    with guarded("Rejected extracts"):
        st.subheader("Rejected, and other entries not used")
        others = [r for r in refusals(root) if "held for confirmation" not in r.what]
        if not others:
            st.write("Nothing has been rejected or refused.")
            return
        st.markdown(refusal_list(others))
        rows = [{"what": r.what, "as at": r.as_at, "reason": reason}
                for r in others for reason in (r.reasons or ["no reason was recorded"])]
        table(pd.DataFrame(rows), "not_used.csv", "dq_not_used", name="extracts and entries not used, with reasons")


# ---------------------------------------------------------------- 3. cross-table rules

@st.cache_data(show_spinner=False, max_entries=200)
def _rule_failures(root: str, snapshot_id: str, key: str, rule_ids: tuple[str, ...],
                   _snapshot: Snapshot) -> list[rules.RuleFailure]:
    return rules.check(_snapshot)


def failures_of(snapshot: Snapshot) -> list[rules.RuleFailure]:
    return _rule_failures(_root(), snapshot.id, snapshot.key, tuple(sorted(rules.RULES)), snapshot)


def _safe_example(example: dict) -> dict:
    """An example row with only what may be shown: nothing identifying, no free text (names)."""
    def shown(column: str) -> bool:
        if contract.is_identifying(column):
            return False
        found = [t.column(column) for t in contract.TABLES.values() if column in t.column_names]
        return not any(c.type == contract.TEXT for c in found) and "name" not in column.lower()
    return {k: v for k, v in example.items() if shown(str(k))}


def failures_frame(failures: list[rules.RuleFailure], snapshot: Snapshot) -> pd.DataFrame:
    rows = []
    for f in failures:
        rule = rules.RULES.get(f.rule)
        rows.append({"rule": f.rule, "what it checks": rule.message if rule else "",
                     "severity": rule.severity if rule else "", "table": f.table, "rows failing": f.n_rows,
                     "rows in the table": snapshot.report.tables.get(f.table)})
    frame = pd.DataFrame(rows, columns=["rule", "what it checks", "severity", "table", "rows failing",
                                        "rows in the table"])
    frame["rows in the table"] = frame["rows in the table"].astype("Int64")
    return frame


def examples_frame(failures: list[rules.RuleFailure]) -> pd.DataFrame:
    rows = [{"rule": f.rule, "table": f.table, **_safe_example(example)} for f in failures for example in f.examples]
    return pd.DataFrame(rows)


def rule_failures(snapshot: Snapshot) -> None:
    """Each rule's failures on the chosen snapshot, with a few example rows (pseudonymous ids only)."""
    with guarded("Cross-table rules"):
        failures = [f for f in failures_of(snapshot) if f.n_rows]
        n_rules = len(rules.RULES)
        if not failures:
            st.success(f"No rule failures in snapshot {snapshot.id} ({n_rules} rule(s) checked).",
                       icon=":material/check_circle:")
            return
        frame = failures_frame(failures, snapshot)
        st.markdown(f"In snapshot {snapshot.id}, **{frame['rule'].nunique()}** of {n_rules} rule(s) fail, "
                    f"on **{int(frame['rows failing'].sum()):,}** rows in all.")
        table(frame, f"rule_failures_{snapshot.id}.csv", "dq_rules", name=f"rule failures in snapshot {snapshot.id}")
        examples = examples_frame(failures)
        if not examples.empty:
            st.markdown("**Example rows** (pseudonymous ids only), for each rule and table:")
            for n, failure in enumerate(f for f in failures if f.examples):
                # each rule's examples with its own columns: a column of another rule would read "not recorded"
                own = examples_frame([failure]).dropna(axis="columns", how="all")
                with st.expander(f"{failure.rule} in {failure.table}: {failure.n_rows:,} row(s), "
                                 f"{len(own)} shown"):
                    what = f"example rows failing {failure.rule} in {failure.table}, snapshot {snapshot.id}"
                    logged = {"what": what, "filters": {"snapshot": snapshot.id}, "rows": len(own),
                              "page": "data_quality"}
                    door.log_event("viewed", once_per_session=True, **logged)
                    table(own, f"rule_examples_{snapshot.id}_{failure.rule}_{failure.table}.csv",
                          f"dq_rule_examples_{n}", name=what, logged=logged)


def rules_trend_frame(snapshots: list[Snapshot], progress=None) -> pd.DataFrame:
    """Rule x snapshot -> rows failing (0 where a rule passed), for every usable snapshot.

    The first visit checks every snapshot not checked before (about a second each at Torbay's
    size), so `progress(done, total)` is told as it goes; later visits read each one's cache."""
    rows = []
    for done, snapshot in enumerate(snapshots):
        if progress:
            progress(done, len(snapshots))
        failing: dict[str, int] = {}
        for f in failures_of(snapshot):
            failing[f.rule] = failing.get(f.rule, 0) + int(f.n_rows)
        for rule_id in sorted(set(rules.RULES) | set(failing)):
            rows.append({"snapshot": snapshot.as_at, "rule": rule_id, "rows failing": failing.get(rule_id, 0)})
    return pd.DataFrame(rows, columns=["snapshot", "rule", "rows failing"])


def rule_trend() -> None:
    """How many rows fail each rule in every usable snapshot: a line per rule, or the table."""
    with guarded("Rules across snapshots"):
        snapshots = [s for s in snapshot_list(_root()) if s.usable]
        bar = st.empty()

        def checking(done: int, total: int) -> None:
            bar.progress(done / max(total, 1), text=f"Checking the rules on snapshot {done + 1} of {total}…")

        trend = rules_trend_frame(snapshots, checking)
        bar.empty()
        if trend.empty or not trend["rows failing"].any():
            st.write(f"No rule failures in any of the {len(snapshots)} usable snapshot(s) "
                     f"({len(rules.RULES)} rule(s) checked).")
            return
        failing = trend.groupby("rule")["rows failing"].transform("sum") > 0
        trend = trend[failing]
        wide = trend.pivot_table(index="snapshot", columns="rule", values="rows failing", aggfunc="sum") \
            .reset_index().rename_axis(columns=None)
        wide["snapshot"] = wide["snapshot"].astype(str)
        first, last = snapshots[0].as_at, snapshots[-1].as_at
        st.caption(f"Rows failing each rule in each of {len(snapshots)} usable snapshot(s), "
                   f"{_date(first)} to {_date(last)}; rules that never fail are left out.")
        long = trend.rename(columns={"snapshot": "month", "rule": "series", "rows failing": "value"})
        chart_or_table(lines_chart(long, "rows failing", sorted(long["series"].unique())), wide,
                       "rows failing each rule by snapshot", "rule_failures_by_snapshot.csv", "dq_rule_trend")


# ---------------------------------------------------------------- 4. reconciliation

@st.cache_data(show_spinner=False, max_entries=20)
def _reconciliation(root: str, previous_key: str, current_key: str, previous_id: str, current_id: str,
                    _previous: Snapshot, _current: Snapshot) -> Reconciliation:
    return reconcile(_previous, _current)


def past_sentence(rec: Reconciliation, table_name: str) -> str | None:
    """One plain sentence: how many children's past rows of a table changed between the two snapshots."""
    row = rec.summary.set_index("table").loc[table_name]
    if pd.isna(row["vanished"]):
        return None
    vanished, changed, backdated = int(row["vanished"]), int(row["changed_history"]), int(row["new_dated_in_past"])
    if not (vanished or changed or backdated):
        return None
    noun = NOUNS.get(table_name, f"{table_name} rows")
    then, now = _date(rec.previous.as_at), _date(rec.current.as_at)
    rows = (f"{vanished + changed + backdated:,} {noun} ({vanished:,} vanished, {changed:,} rewritten, "
            f"{backdated:,} new but dated on or before {then}; of {int(row['rows_before']):,} then and "
            f"{int(row['rows_after']):,} now)")
    if pd.notna(row["children_affected"]):
        children = int(row["children_affected"])
        who = "child's" if children == 1 else "children's"
        return f"**{children:,}** {who} past {noun} changed between {then} and {now}: {rows}."
    return f"Past {noun} changed between {then} and {now}: {rows}."


def changed_for_screen(changed: pd.DataFrame) -> pd.DataFrame:
    """Codes in words on screen (the download keeps the code and its words side by side)."""
    def words(row: pd.Series, value):
        rule = codes.rule_for(row["column"], row["table"])
        return codes.describe_value(rule, value) if rule is not None else value
    out = changed.copy()
    for column in ("before", "after"):
        out[column] = [codes.NOT_RECORDED if r[column] is None else words(r, r[column]) for _, r in changed.iterrows()]
    return out


def changed_for_csv(changed: pd.DataFrame) -> pd.DataFrame:
    described = changed_for_screen(changed)
    coded = [codes.rule_for(c, t) is not None for c, t in zip(changed["column"], changed["table"])]
    return changed.assign(**{"before in words": described["before"].where(coded, ""),
                             "after in words": described["after"].where(coded, "")})


def _list(frame: pd.DataFrame, what: str, filename: str, key: str, csv_frame: pd.DataFrame | None = None) -> None:
    if frame.empty:
        st.write(f"None: no {what}.")
        return
    shown = frame.head(SHOWN_LIMIT)
    if len(frame) > SHOWN_LIMIT:
        st.caption(f"The first {SHOWN_LIMIT:,} of {len(frame):,} rows are shown; the download has them all.")
    st.dataframe(shown.rename(columns=lambda c: str(c).replace("_", " ")), hide_index=True, width="stretch",
                 alt=f"Table: {what}, {len(shown):,} row(s)")
    # records of children, for analysts: their viewing and download go to the access log
    logged = {"what": what, "filters": {"list": filename}, "rows": len(shown), "page": "data_quality"}
    door.log_event("viewed", once_per_session=True, **logged)
    download_csv((csv_frame if csv_frame is not None else frame).rename(columns=lambda c: str(c).replace("_", " ")),
                 filename, key, {**logged, "rows": len(frame)})


def reconciliation(snapshot: Snapshot) -> None:
    """The chosen snapshot against the usable one before it: a summary, a sentence per table whose past
    changed, and the lists of vanished, rewritten and new rows."""
    with guarded("The reconciliation"):
        previous = previous_of(snapshot_list(_root()), snapshot)
        if previous is None:
            st.write(f"There is no usable snapshot before {_date(snapshot.as_at)} to compare with.")
            return
        rec = _reconciliation(_root(), previous.key, snapshot.key, previous.id, snapshot.id, previous, snapshot)
        then, now = _date(previous.as_at), _date(snapshot.as_at)
        st.markdown(f"Snapshot **{now}** against **{then}**, the usable snapshot before it. Rows are matched on "
                    "each table's id. *Vanished*: in the earlier snapshot only. *Rewritten*: the same id, describing "
                    f"a time on or before {then}, told differently. *New*: in the later snapshot only, whether dated "
                    f"since {then} or on or before it (the past, told late). An episode open on {then} that has "
                    "ended since is an update, not a change of history.")
        sentences = [s for s in (past_sentence(rec, t) for t in
                                 ["ssd_cla_episodes", *[t for t in rec.summary["table"] if t != "ssd_cla_episodes"]]
                                 if t in set(rec.summary["table"])) if s]
        if sentences:
            st.markdown(sentences[0])
            if len(sentences) > 1:
                with st.expander(f"The other {len(sentences) - 1} table(s) whose past changed"):
                    st.markdown("\n".join(f"- {s}" for s in sentences[1:]))
        else:
            st.success(f"No past rows vanished or changed between {then} and {now}.", icon=":material/check_circle:")
        for label, names in (("Tables added", rec.tables_added), ("Tables removed", rec.tables_removed),
                             ("Tables newly quarantined", rec.tables_quarantined)):
            if names:
                st.warning(f"{label} in {now}: {', '.join(names)}.")
        for name, why in rec.not_compared.items():
            st.caption(f"{name}: rows not compared ({why}).")
        st.subheader("Summary by table")
        summary = rec.summary.rename(columns={
            "before": f"status {previous.id}", "after": f"status {snapshot.id}", "rows_before": f"rows {previous.id}",
            "rows_after": f"rows {snapshot.id}", "changed_history": "past rows rewritten",
            "updated_since": "rows updated since (not history)", "new": "new rows",
            "new_dated_in_past": "new rows dated in the past", "children_affected": "children whose past changed"})
        table(summary, f"reconciliation_{previous.id}_{snapshot.id}.csv", "dq_rec_summary",
              name=f"reconciliation of {snapshot.id} against {previous.id} by table")

        listed = sorted(set(rec.vanished["table"]) | set(rec.changed["table"]) | set(rec.new["table"]))
        which = url_choice("Table to list", ["all", *listed], key="dq_rec_table", default="all",
                           format_func=lambda t: "every table" if t == "all" else t)

        def only(frame: pd.DataFrame) -> pd.DataFrame:
            return frame if which == "all" else frame[frame["table"] == which]

        span = f"{previous.id}_{snapshot.id}"
        st.subheader("Rows that vanished")
        _list(only(rec.vanished).rename(columns={"person_id": "child (pseudonymous id)"}),
              f"rows in {previous.id} not in {snapshot.id}", f"vanished_{span}.csv", "dq_rec_vanished")
        st.subheader("History that changed")
        changed = only(rec.changed).rename(columns={"person_id": "child (pseudonymous id)"})
        _list(changed_for_screen(changed) if not changed.empty else changed,
              f"past rows rewritten between {previous.id} and {snapshot.id}", f"history_changed_{span}.csv",
              "dq_rec_changed", csv_frame=changed_for_csv(changed) if not changed.empty else changed)
        st.subheader("New rows")
        new = only(rec.new).sort_values(["dated", "table", "record_id"], key=lambda c: c.map(
            {"in the past": 0, "since": 1}) if c.name == "dated" else c, kind="stable")
        st.caption(f"New rows dated on or before {then} (the past, told late) come first.")
        _list(new.rename(columns={"person_id": "child (pseudonymous id)"}),
              f"rows in {snapshot.id} not in {previous.id}", f"new_{span}.csv", "dq_rec_new")


# ---------------------------------------------------------------- 5. loading an extract

def _last_month_end(today: dt.date) -> dt.date:
    return today.replace(day=1) - dt.timedelta(days=1)


def save_upload(files: list, folder: Path) -> Path:
    """The uploaded files written under `folder`: a lone .zip as it is, anything else into one extract folder."""
    names = [Path(f.name).name for f in files]
    if any(n.lower().endswith(".zip") for n in names):
        if len(files) > 1:
            raise DataError("upload a .zip on its own, or the extract's files without a .zip")
        path = folder / names[0]
        path.write_bytes(files[0].getvalue())
        return path
    extract = folder / "extract"
    extract.mkdir()
    for upload, name in zip(files, names):
        (extract / name).write_bytes(upload.getvalue())
    return extract


def _result_details(result: ingest.IngestResult) -> str:
    lines = []
    if result.tables:
        lines.append(f"- **Tables read** ({len(result.tables)}, {sum(result.tables.values()):,} rows): "
                     + ", ".join(f"{t} ({n:,})" for t, n in sorted(result.tables.items())))
    lines += [f"- **{what[0].upper()}{what[1:]}**: {which}" for what, which in left_out(result)]
    for note in result.notes:
        lines.append(f"- Note: {note}")
    quarantined = result.snapshot.quarantined
    for table_name, reason in quarantined.items():
        lines.append(f"- **Quarantined**: {table_name}: {reason}")
    return "\n".join(lines)


def outcome_of(result: ingest.IngestResult, as_at: dt.date) -> tuple[str, str, str]:
    """(kind, sentence, details) for a finished load."""
    details = _result_details(result)
    snapshot = result.snapshot
    if result.status == "published":
        return ("success", f"Published: the extract ({result.format}) is now snapshot {snapshot.id}, served with "
                           f"{len(snapshot.tables)} table(s) and {sum(snapshot.report.tables.values()):,} rows.",
                details)
    if result.status == "held":
        reasons = "\n".join(f"- {r}" for r in snapshot.held_because)
        return ("warning", f"Held for confirmation: the extract would replace the snapshot of {_date(as_at)} but "
                           "loses tables or rows. Confirm it under 'Extracts held or rejected' if that is right.",
                reasons + ("\n" + details if details else ""))
    reasons = "\n".join(f"- {r}" for r in snapshot.reasons)
    return ("error", f"Rejected: nothing in the extract for {_date(as_at)} could be served.",
            reasons + ("\n" + details if details else ""))


def load(files: list, as_at: dt.date, fmt: str | None) -> tuple[str, str, str]:
    """Save the upload to a temporary folder and ingest it into the data root with a progress bar."""
    bar = st.progress(0.0, text="Saving the upload…")

    def progress(message: str, fraction: float) -> None:
        bar.progress(min(max(float(fraction), 0.0), 1.0), text=str(message))

    door.log_event("uploaded", what=f"an extract of {len(files)} file(s)",
                   filters={"as_at": as_at.isoformat(), "format": fmt or "detect"}, page="data_quality")
    folder = Path(tempfile.mkdtemp(prefix="torbay_upload_"))
    try:
        path = save_upload(files, folder)
        result = ingest.ingest(path, as_at, _root(), fmt, progress=progress)
    except DataError as exc:
        return "error", f"The extract could not be loaded: {exc}", ""
    except Exception as exc:  # one plain sentence, never a traceback
        return "error", f"The extract could not be loaded: {type(exc).__name__}: {str(exc) or 'no reason given'}", ""
    finally:
        bar.empty()
        shutil.rmtree(folder, ignore_errors=True)
    return outcome_of(result, as_at)


# The date field's day, month and year are separate targets, each narrower than 24px as drawn: WCAG 2.2's
# target size (2.5.8) asks for 24 x 24 CSS pixels. (Belongs in accessible.css, for every date field.)
DATE_TARGETS = """<style>
[data-testid="stDateInputField"] [role="spinbutton"] {
  display: inline-flex !important; align-items: center; justify-content: center;
  min-width: 24px !important; min-height: 24px !important;
}
</style>"""


def upload() -> None:
    """Upload an extract (a .zip, or .csv, .xlsx or .parquet files), give its as-at date and format, load it."""
    st.html(DATE_TARGETS)
    show_outcome(LOADED_KEY)
    st.caption("An SSD export (one file per table, named as in the data contract) or an SSDA903 return, as a "
               ".zip or as files. Identifying columns (names, UPNs) are dropped before anything is stored. "
               "A replacement for a date already served that would lose rows is held for confirmation.")
    files = st.file_uploader("Extract: a .zip, or one or more .csv, .xlsx or .parquet files",
                             type=["zip", "csv", "xlsx", "parquet"], accept_multiple_files=True, key="dq_upload")
    left, right = st.columns(2)
    with left:
        as_at = st.date_input("As-at date of the extract", value=_last_month_end(dt.date.today()),
                              max_value=dt.date.today(), format="DD/MM/YYYY", key="dq_as_at",
                              help="The day the extract was taken: its snapshot is named by this date.")
    with right:
        fmt = st.selectbox("Format", list(FORMATS), format_func=FORMATS.get, key="dq_format")
    if st.button("Load extract", icon=":material/upload:", key="dq_load", type="primary"):
        if not files:
            st.warning("Choose the extract's file(s) first.")
            return
        st.session_state[LOADED_KEY] = outcome = load(files, as_at, None if fmt == "detect" else fmt)
        _forget_snapshots(serve_newest=outcome[0] == "success")
        st.rerun()
