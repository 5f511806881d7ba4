"""Workforce indicators: the social-work establishment, who fills it, turnover, caseloads, supervision.

FTE-based, as the DfE children's social work workforce census defines them. Unit rows carry
FTEs: compute.py sums numerators and denominators, so a rate is the sum of FTEs over the sum
of FTEs.
"""
from . import ALLOCATED_TEAM, ALLOCATED_TEAM_RULE, COUNT, FTE, MEAN, PERCENT, Indicator

SW_NOTE = ("A social worker is an hr_staff spell with is_qualified_sw = 'Y' (one row is one spell in one "
           "post; a move makes a new row). In post at a date: start on or before it and no end or an end "
           "after it (a spell ending on the period end is not in post then). Employed means employment_type "
           "permanent or fixed_term; agency means 'agency'. Spells with no start date, no FTE or another "
           "employment type are left out.")
PERSON_NOTE = ("The same person is the same professional_id; a spell with no professional_id is matched "
               "only to itself (its staff_id).")
LEFT_NOTE = ("A spell's holder left the authority when no other employed spell of the same person (any "
             "role, social worker or not) starts on or before 7 days after its end and runs past that end "
             "(no end, or an end after it): a team move, a renewal or a return within 7 days is not "
             "leaving, a return 8 days after the end is. A social worker who carries on as agency has "
             "left. " + PERSON_NOTE)
JOINED_NOTE = ("An employed spell joins the authority when no other employed spell of the same person (any "
               "role) started before it (on the same day: a smaller staff_id) and had not ended more than "
               "7 days before its start (no end, or an end on or after start - 7 days): a team move, a "
               "renewal or a return within 7 days is not joining. An agency worker taking an employed post "
               "is a starter (the agency spell was not employed). " + PERSON_NOTE)
TEAM_RULE = "The team of the staff spell (hr_staff.team_id)."
MONTHS_NOTE = "Months are calendar months: 12 months before 2020-02-29 is 2019-02-28."
WORKFORCE_TABLES = ("hr_staff",)
IN_POST = ("sw_spells", "sw_in_post_at_period_end")


INDICATORS = [
    Indicator(
        id="sw_fte",
        title="Employed social workers (FTE)",
        area="workforce", unit=FTE, direction=None, kind="stock",
        tables=WORKFORCE_TABLES,
        definition="Employed social worker FTE in post at the period end: the sum of hr_staff.fte over "
                   "employed social-worker spells in post then. " + SW_NOTE,
        team_rule=TEAM_RULE,
        source="DfE children's social work workforce census",
        uses=IN_POST,
        numerator_label="employed social worker FTE",
    ),
    Indicator(
        id="sw_agency_rate_pct",
        title="Agency social workers",
        area="workforce", unit=PERCENT, direction="lower", kind="stock",
        tables=WORKFORCE_TABLES,
        definition="Agency social worker FTE / (agency social worker FTE + employed social worker FTE), "
                   "spells in post at the period end. Agency workers count whether or not they cover a "
                   "post. " + SW_NOTE,
        team_rule=TEAM_RULE,
        source="DfE children's social work workforce census",
        uses=IN_POST,
        numerator_label="agency social worker FTE", denominator_label="agency and employed social worker FTE",
    ),
    Indicator(
        id="sw_vacancy_rate_pct",
        title="Social worker vacancy rate",
        area="workforce", unit=PERCENT, direction="lower", kind="stock",
        tables=("hr_staff", "hr_posts"),
        definition="Vacancy FTE / (vacancy FTE + employed social worker FTE) at the period end. Vacancy FTE "
                   "is worked out post by post over the social-worker posts (hr_posts, is_social_worker_post "
                   "= 'Y') open at the period end (start on or before it, no end or an end after it): the "
                   "post's FTE minus the FTE of employed social workers in post holding it (hr_staff.post_id), "
                   "never below 0, so a post covered only by agency is vacant and an over-filled post is not "
                   "negative. Employed social worker FTE is all of it, including workers whose post_id names "
                   "no open social-worker post (none recorded, closed, or not a social-worker post). Posts "
                   "with no FTE or start date are left out. " + SW_NOTE,
        team_rule="A post's vacancy and holders count in the post's team (hr_posts.team_id); an employed "
                  "social worker not holding an open social-worker post counts in their own team "
                  "(hr_staff.team_id).",
        source="DfE children's social work workforce census",
        uses=IN_POST,
        numerator_label="vacancy FTE", denominator_label="vacancy and employed social worker FTE",
    ),
    Indicator(
        id="sw_turnover_rate_pct",
        title="Social worker turnover",
        area="workforce", unit=PERCENT, direction="lower", kind="stock",
        tables=WORKFORCE_TABLES,
        definition="FTE of employed social workers whose spell ended in the 12 months ending the period "
                   "end, (period end - 12 months, period end], and who left the authority / employed social "
                   "worker FTE in post at the period end. The 12 months are counted back from the period "
                   "end whatever the period's start. Each leaving spell counts its own FTE (a 0.5 FTE leaver "
                   "is 0.5). " + LEFT_NOTE + " " + MONTHS_NOTE + " " + SW_NOTE,
        team_rule="Leavers count in the team of the spell they left (hr_staff.team_id); the denominator in "
                  "the team of each spell in post.",
        source="DfE children's social work workforce census",
        uses=IN_POST + ("employed_spells", "sw_leaving_spells"),
        numerator_label="leaver FTE in 12 months", denominator_label="employed social worker FTE",
    ),
    Indicator(
        id="sw_avg_caseload",
        title="Average caseload per social worker FTE",
        area="workforce", unit=MEAN, direction="lower", kind="stock",
        tables=("hr_staff", "ssd_involvements"),
        definition="Open ALLOCATED_SW involvements at the period end (start on or before it, no end or an "
                   "end after it) held by social workers in post then (agency included), matched on "
                   "hr_staff.professional_id = invo_professional_id / the FTE of those who hold at least "
                   "one. A worker with no open cases is left out of the denominator; a spell with no "
                   "professional_id holds no cases. A professional with two spells in post counts their "
                   "cases once against the FTE of both. " + SW_NOTE,
        team_rule="The team of the worker's latest-starting spell in post (hr_staff.team_id; ties: the "
                  "larger staff_id), not the children's teams.",
        source="DfE children's social work workforce census (caseload)",
        uses=IN_POST,
        numerator_label="open cases", denominator_label="FTE of social workers holding cases",
    ),
    Indicator(
        id="sw_starters",
        title="Social workers joining",
        area="workforce", unit=COUNT, direction=None, kind="flow",
        tables=WORKFORCE_TABLES,
        definition="Employed social-worker spells starting in the period with which the person joined the "
                   "authority; a person joining twice counts twice. " + JOINED_NOTE + " " + SW_NOTE,
        team_rule="The team of the spell that started (hr_staff.team_id).",
        source="DfE children's social work workforce census",
        uses=("sw_spells", "employed_spells", "sw_joining_spells"),
        numerator_label="social workers joining",
    ),
    Indicator(
        id="sw_leavers",
        title="Social workers leaving",
        area="workforce", unit=COUNT, direction=None, kind="flow",
        tables=WORKFORCE_TABLES,
        definition="Employed social-worker spells ending in the period whose holder left the authority; a "
                   "person leaving twice counts twice. " + LEFT_NOTE + " " + SW_NOTE,
        team_rule="The team of the spell that ended (hr_staff.team_id).",
        source="DfE children's social work workforce census",
        uses=("sw_spells", "employed_spells", "sw_leaving_spells"),
        numerator_label="social workers leaving",
    ),
    Indicator(
        id="sw_supervision_in_timescale_pct",
        title="Social workers supervised within the standard",
        area="workforce", unit=PERCENT, direction="higher", kind="stock",
        tables=("hr_staff", "hr_supervision"),
        definition="Of social-worker spells in post at the period end (agency included) that started more "
                   "than the local standard before it (supervision_days in data/local_authority.toml, 30 by "
                   "default: start < period end - 30 days), the share with a supervision (hr_supervision, "
                   "matched on staff_id, so a supervision recorded against an earlier spell does not count) "
                   "dated in (period end - 30 days, period end]: a supervision exactly 30 days before does "
                   "not count, one 29 days before or on the period end does. The same standard sets both the "
                   "time in post and the window. " + SW_NOTE,
        team_rule=TEAM_RULE,
        source="Local standard (supervision policy)",
        params=("supervision_days",),
        uses=IN_POST,
        numerator_label="supervised within the standard", denominator_label="social workers in post",
    ),
    Indicator(
        id="sw_absence_rate_pct",
        title="Social worker absence rate",
        area="workforce", unit=PERCENT, direction="lower", kind="flow",
        tables=("hr_staff", "hr_absence"),
        definition="Working days lost in the period / (employed social worker FTE in post at the period end x "
                   "working days in the period). Working days lost are hr_absence.working_days_lost of "
                   "absences of employed social-worker spells (matched on staff_id); an absence running over "
                   "the period's start or end is apportioned by working days: working_days_lost x its working "
                   "days inside the period / its working days in all. An absence with no end date, or with no "
                   "working days, counts in full in the period containing its start date; one with no start "
                   "date or no working_days_lost is left out. Absences of workers who left in the period count "
                   "in the numerator although their FTE is not in the denominator. Working days exclude "
                   "weekends and England and Wales bank holidays. " + SW_NOTE,
        team_rule="Days lost count in the team of the absent worker's spell; the denominator in the team of "
                  "each spell in post (hr_staff.team_id).",
        source="Local (HR sickness absence)",
        uses=IN_POST,
        numerator_label="working days lost", denominator_label="FTE working days available",
    ),
    Indicator(
        id="cla_3plus_social_workers_pct",
        title="Children looked after with 3 or more social workers in 12 months",
        area="workforce", unit=PERCENT, direction="lower", kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status", "ssd_involvements"),
        definition="Of children looked after at the period end, the share with 3 or more distinct "
                   "ALLOCATED_SW professionals (invo_professional_id; involvements with none are left out) "
                   "whose involvement with the child overlaps the 12 months ending the period end: open on "
                   "any day of [period end - 12 months + 1 day, period end] (start on or before the day, no "
                   "end or an end after it). " + MONTHS_NOTE + " Children looked after at the period end: a "
                   "CLA episode open then (an episode ending on the date is not open), one row per child; "
                   "children on short breaks (legal status V3 or V4 open then, the latest-starting one) are "
                   "left out.",
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="Local (stability of social worker)",
        uses=("cla_at_period_end",),
        numerator_label="with 3 or more social workers", denominator_label="children looked after",
    ),
]
