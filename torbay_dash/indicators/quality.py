"""Quality assurance indicators: from the local audit log (qa_audits, qa_actions), not the case system.

Case audits are the ones that grade a child's case; thematic audits and dip samples feed the QA
page's volume and theme views but not these figures. Unit rows are audits or actions, so the
drill-down lists the audits (auditor, grades) and actions (due and completed dates) behind a figure.
"""
from . import COUNT, PERCENT, Indicator

CASE_AUDITS = "Case audits are qa_audits rows with audit_type 'case'; thematic audits and dip samples are not counted."
GRADES_NOTE = ("An audit whose grade or moderated_grade holds a value other than outstanding, good, "
               "requires_improvement or inadequate is left out.")
TEAM_RULE = "The team of the audited case (qa_audits.team_id); an audit with none recorded counts as UNALLOCATED."
SOURCE = "Local (QA framework: case audit log)"
AUDIT_TABLES = ("qa_audits",)
CASE_AUDITS_CTE = ("audit_case_audits",)


INDICATORS = [
    Indicator(
        id="audits_completed",
        title="Case audits completed",
        area="quality", unit=COUNT, direction="higher", kind="flow",
        tables=AUDIT_TABLES,
        definition="Case audits dated in the period (audit_date), whatever their grade. " + CASE_AUDITS + " "
                   "An audit with no date is left out. The target is set locally as a number a month "
                   "(Torbay: 25 case audits a month; audits_completed in data/local_authority.toml).",
        team_rule=TEAM_RULE,
        source=SOURCE,
        uses=CASE_AUDITS_CTE,
        numerator_label="case audits",
    ),
    Indicator(
        id="audits_good_or_better_pct",
        title="Case audits graded good or better",
        area="quality", unit=PERCENT, direction="higher", kind="flow",
        tables=AUDIT_TABLES,
        definition="Of case audits dated in the period (audit_date) with a final grade, the share whose "
                   "final grade is good or outstanding. The final grade is the moderated grade "
                   "(moderated_grade) when the audit was moderated, else the auditor's grade (grade); an "
                   "audit with neither is left out. " + GRADES_NOTE + " " + CASE_AUDITS + " The quality "
                   "assurance page shows it with its Wilson 95% interval: with few audits, the true share "
                   "could lie anywhere in that range.",
        team_rule=TEAM_RULE,
        source=SOURCE,
        uses=CASE_AUDITS_CTE,
        numerator_label="good or outstanding", denominator_label="graded case audits",
    ),
    Indicator(
        id="audit_moderation_agreement_pct",
        title="Moderated audits where the moderator agreed",
        area="quality", unit=PERCENT, direction="higher", kind="flow",
        tables=AUDIT_TABLES,
        definition="Of case audits dated in the period (audit_date) with a moderated grade (moderated_grade "
                   "recorded), the share where the moderated grade equals the auditor's grade (grade). An "
                   "audit with a moderated grade but no auditor's grade has nothing to agree with and is "
                   "left out. " + GRADES_NOTE + " " + CASE_AUDITS,
        team_rule=TEAM_RULE,
        source=SOURCE,
        uses=CASE_AUDITS_CTE,
        numerator_label="moderator agreed", denominator_label="moderated case audits",
    ),
    Indicator(
        id="audit_actions_on_time_pct",
        title="Audit actions completed on time",
        area="quality", unit=PERCENT, direction="higher", kind="flow",
        tables=("qa_actions", "qa_audits"),
        definition="Of audit actions (qa_actions) with a due date (due_date) in the period, the share "
                   "completed on or before it (completed_date on or before due_date). An action not "
                   "completed stays in the denominator and is not on time. Actions from audits of every "
                   "type count. An action with no due date, or completed before it was raised "
                   "(completed_date before raised_date), is left out.",
        team_rule="The team of the audit the action came from (qa_audits.team_id, matched on audit_id): "
                  "qa_actions has no team of its own. An action whose audit is not in the log, or has no team, "
                  "counts as UNALLOCATED.",
        source=SOURCE,
        numerator_label="completed on time", denominator_label="actions due",
    ),
]
