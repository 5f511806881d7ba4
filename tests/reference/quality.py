"""Quality assurance indicators, the simple way: audits, grades, moderation, actions."""
from __future__ import annotations

from collections import defaultdict


from .common import _bad_order, _pairs, _team



# --- Quality assurance --------------------------------------------------------------------
GRADES = ("inadequate", "requires_improvement", "good", "outstanding")


def _first_of_each_id(rows, key):
    """Rows as the snapshot views keep them: of rows sharing an id, the first; rows with no id all stay."""
    seen, kept = set(), []
    for row in rows:
        if row[key] is not None:
            if row[key] in seen:
                continue
            seen.add(row[key])
        kept.append(row)
    return kept


def _case_audits_dated(tables, start, end):
    return [a for a in _first_of_each_id(tables["qa_audits"], "audit_id")
            if a["audit_type"] == "case" and a["audit_date"] is not None and start <= a["audit_date"] <= end]


def _grades_recognised(audit):
    return all(audit[column] is None or audit[column] in GRADES for column in ("grade", "moderated_grade"))


def audits_completed(tables, start, end):
    out = defaultdict(lambda: [0, None])
    for a in _case_audits_dated(tables, start, end):
        out[_team(a["team_id"])][0] += 1
    return _pairs(out)


def audits_good_or_better_pct(tables, start, end):
    out = defaultdict(lambda: [0, 0])
    for a in _case_audits_dated(tables, start, end):
        final = a["moderated_grade"] if a["moderated_grade"] is not None else a["grade"]
        if final is None or not _grades_recognised(a):
            continue
        out[_team(a["team_id"])][1] += 1
        if final in ("good", "outstanding"):
            out[_team(a["team_id"])][0] += 1
    return _pairs(out)


def audit_moderation_agreement_pct(tables, start, end):
    out = defaultdict(lambda: [0, 0])
    for a in _case_audits_dated(tables, start, end):
        if a["moderated_grade"] is None or a["grade"] is None or not _grades_recognised(a):
            continue
        out[_team(a["team_id"])][1] += 1
        if a["moderated_grade"] == a["grade"]:
            out[_team(a["team_id"])][0] += 1
    return _pairs(out)


def audit_actions_on_time_pct(tables, start, end):
    team_of_audit = {a["audit_id"]: a["team_id"] for a in _first_of_each_id(tables["qa_audits"], "audit_id")
                     if a["audit_id"] is not None}
    out = defaultdict(lambda: [0, 0])
    for x in _first_of_each_id(tables["qa_actions"], "action_id"):
        due, done = x["due_date"], x["completed_date"]
        if due is None or not (start <= due <= end) or _bad_order(x["raised_date"], done):
            continue
        team = _team(team_of_audit.get(x["audit_id"]))
        out[team][1] += 1
        if done is not None and done <= due:
            out[team][0] += 1
    return _pairs(out)
