"""Safeguarding indicators: the front door to child protection."""
from . import ALLOCATED_TEAM, ALLOCATED_TEAM_RULE, COUNT, PERCENT, RATE_PER_10K, Indicator

WORKING_DAYS_NOTE = ("Working days exclude weekends and England and Wales bank holidays, and the "
                     "first day is day 0.")
POPULATION_NOTE = ("Per 10,000 children aged 0-17: the population of the year containing the period end "
                   "(data/local_authority.toml).")


def _allocated_team_at(when: str) -> str:
    """The team rule of a stock-team indicator whose date is not the period end."""
    return (f"The child's allocated team on {when}: the team of the ALLOCATED_SW involvement open then "
            "(the latest start wins; on a tie, the larger involvement id, compared as numbers when both "
            "are numbers); none open gives UNALLOCATED.")


INDICATORS = [
    Indicator(
        id="contacts",
        title="Contacts",
        area="safeguarding", unit=COUNT, direction=None, kind="flow",
        tables=("ssd_contacts",),
        definition="Contacts (ssd_contacts) with cont_contact_date in the period, whatever their outcome.",
        team_rule="The contact's team (cont_contact_team).",
        source="Local (MASH)",
        numerator_label="contacts",
    ),
    Indicator(
        id="contacts_completed_1wd_pct",
        title="MASH contacts completed within the local standard",
        area="safeguarding", unit=PERCENT, direction="higher", kind="flow",
        tables=("ssd_contacts",),
        definition="MASH completed contact rate: of contacts dated in the period (cont_contact_date), the "
                   "share with a decision recorded (cont_contact_completed_date) within the local standard "
                   "(contact_decision_working_days in data/local_authority.toml, 1 working day by default): "
                   "wd(contact date, completed date) <= the standard. " + WORKING_DAYS_NOTE + " A contact "
                   "with no completed date stays in the denominator and is not completed in time.",
        team_rule="The contact's team (cont_contact_team).",
        source="Local standard (MASH)",
        params=("contact_decision_working_days",),
        numerator_label="completed within the standard", denominator_label="contacts",
    ),
    Indicator(
        id="referrals",
        title="Referrals",
        area="safeguarding", unit=COUNT, direction=None, kind="flow",
        tables=("ssd_cin_episodes",),
        definition="Referrals (ssd_cin_episodes) with cine_referral_date in the period, "
                   "including those that led to no further action.",
        team_rule="The referral's team (cine_referral_team).",
        source="CIN census",
        numerator_label="referrals",
    ),
    Indicator(
        id="rereferrals_12m_pct",
        title="Re-referrals within 12 months",
        area="safeguarding", unit=PERCENT, direction="lower", kind="flow",
        tables=("ssd_cin_episodes",),
        definition="Of referrals dated in the period (cine_referral_date; NFA included), the share where the "
                   "same child has another referral dated in [referral date - 12 months, referral date): "
                   "from exactly 12 calendar months before (2020-02-29 looks back to 2019-02-28) up to the "
                   "day before. Another referral on the same day does not count; any earlier referral in the "
                   "window does, NFA included. A referral with no child id stays in the denominator and is "
                   "never a re-referral.",
        team_rule="The referral's team (cine_referral_team).",
        source="CIN census",
        numerator_label="re-referrals", denominator_label="referrals",
    ),
    Indicator(
        id="assessments_45wd_pct",
        title="Assessments completed within 45 working days",
        area="safeguarding", unit=PERCENT, direction="higher", kind="flow",
        tables=("ssd_cin_assessments",),
        definition="Of assessments authorised in the period (cina_assessment_auth_date), the share "
                   "authorised within 45 working days of their start: wd(start, authorised) <= 45, "
                   "where working days exclude weekends and England and Wales bank holidays and the "
                   "start day is day 0. Assessments with no start date are left out.",
        team_rule="The assessment's team (cina_assessment_team).",
        source="CIN census; Working Together to Safeguard Children",
        numerator_label="within 45 working days", denominator_label="assessments authorised",
    ),
    Indicator(
        id="s47_enquiries",
        title="Section 47 enquiries",
        area="safeguarding", unit=COUNT, direction=None, kind="flow",
        tables=("ssd_s47_enquiry",),
        definition="Section 47 enquiries (ssd_s47_enquiry) with s47e_s47_start_date (the strategy "
                   "discussion) in the period.",
        team_rule="The team that completed the enquiry (s47e_s47_completed_by_team).",
        source="CIN census",
        numerator_label="S47 enquiries",
    ),
    Indicator(
        id="icpc_15wd_pct",
        title="Initial child protection conferences within 15 working days",
        area="safeguarding", unit=PERCENT, direction="higher", kind="flow",
        tables=("ssd_initial_cp_conference", "ssd_s47_enquiry"),
        definition="Of initial child protection conferences held in the period (icpc_icpc_date) that are not "
                   "transfer-ins (icpc_icpc_transfer_in other than 'Y'; not recorded counts as not a "
                   "transfer-in) and whose linked S47 enquiry (icpc_s47_enquiry_id) exists and started on or "
                   "before the conference: the share held within 15 working days of the S47 start (the "
                   "strategy discussion), wd(S47 start, ICPC date) <= 15. " + WORKING_DAYS_NOTE + " "
                   "Conferences whose S47 enquiry is missing, has no start date or started after the "
                   "conference are left out.",
        team_rule="The conference's team (icpc_icpc_team).",
        source="CIN census; Working Together to Safeguard Children",
        numerator_label="within 15 working days", denominator_label="initial conferences",
    ),
    Indicator(
        id="cin_rate_per_10k",
        title="Children in need per 10,000",
        area="safeguarding", unit=RATE_PER_10K, direction=None, kind="stock",
        tables=("ssd_cin_episodes",),
        definition="Children in need at the period end: distinct children with a referral open then "
                   "(cine_referral_date on or before it; cine_close_date empty or after it, so a referral "
                   "closing on the date is not open) that is not NFA (cine_referral_nfa other than 'Y'; not "
                   "recorded counts as not NFA). Children on child protection plans or looked after count "
                   "when they have such a referral open. Referrals with no child id are left out. "
                   + POPULATION_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="CIN census",
        numerator_label="children in need",
    ),
    Indicator(
        id="cp_plans_open",
        title="Children on child protection plans",
        area="safeguarding", unit=COUNT, direction=None, kind="stock",
        tables=("ssd_cp_plans",),
        definition="Distinct children with a child protection plan (ssd_cp_plans) open at the period end: "
                   "started on or before it, with no end or an end after it (a plan ending on the date is "
                   "not open). A child with two plans open at once (a recording error) counts once. Plans "
                   "with no child id are left out.",
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="CIN census",
        uses=("cp_plans_at_period_end", "cp_children_at_period_end"),
        numerator_label="children on plans",
    ),
    Indicator(
        id="cp_rate_per_10k",
        title="Children on child protection plans per 10,000",
        area="safeguarding", unit=RATE_PER_10K, direction=None, kind="stock",
        tables=("ssd_cp_plans",),
        definition="Children on child protection plans at the period end (cp_plans_open: distinct children "
                   "with a plan open then) per 10,000 children. " + POPULATION_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="CIN census",
        uses=("cp_plans_at_period_end", "cp_children_at_period_end"),
        numerator_label="children on plans",
    ),
    Indicator(
        id="cp_second_subsequent_pct",
        title="Second or subsequent child protection plans",
        area="safeguarding", unit=PERCENT, direction="lower", kind="flow",
        tables=("ssd_cp_plans",),
        definition="Of child protection plans starting in the period (cppl_cp_plan_start_date), the share "
                   "where the same child has another plan that started earlier, at any time the extract "
                   "holds (another plan starting on the same day does not count). A plan with no child id "
                   "stays in the denominator and is never a second plan.",
        team_rule=_allocated_team_at("the plan's start date"),
        team_source=ALLOCATED_TEAM,
        source="CIN census",
        numerator_label="second or subsequent plans", denominator_label="plans started",
    ),
    Indicator(
        id="cp_plans_2yrs_plus_pct",
        title="Child protection plans open two years or more",
        area="safeguarding", unit=PERCENT, direction="lower", kind="stock",
        tables=("ssd_cp_plans",),
        definition="Of child protection plans open at the period end (started on or before it, no end or an "
                   "end after it), the share that started on or before the period end - 24 months (exactly "
                   "24 calendar months before counts; a period ending 2020-02-29 looks back to 2018-02-28). "
                   "Counted per plan: a child with two plans open at once (a recording error) counts twice "
                   "here but once in cp_plans_open. Plans with no child id are left out.",
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="CIN census",
        uses=("cp_plans_at_period_end",),
        numerator_label="open 2 years or more", denominator_label="plans open",
    ),
    Indicator(
        id="cp_visits_in_timescale_pct",
        title="Child protection visits within the local standard",
        area="safeguarding", unit=PERCENT, direction="higher", kind="stock",
        tables=("ssd_cp_plans", "ssd_cp_visits"),
        definition="Of children with a child protection plan open at the period end that started more than "
                   "the local standard before it (cp_visit_working_days in data/local_authority.toml, 10 "
                   "working days by default: wd(plan start, period end) > the standard), the share seen on a "
                   "CP visit (cppv_cp_visit_seen = 'Y') dated on or before the period end with wd(visit date, "
                   "period end) <= the standard; so a visit on the working day exactly the standard before "
                   "the period end counts. " + WORKING_DAYS_NOTE + " Visits are matched to the child "
                   "(cppv_person_id), whichever plan they are recorded against. A child with several open "
                   "plans counts once, and is in the cohort if any of them started early enough. Plans with "
                   "no child id are left out.",
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="Local standard; Working Together to Safeguard Children",
        params=("cp_visit_working_days",),
        uses=("cp_plans_at_period_end",),
        numerator_label="seen within the standard", denominator_label="children on plans",
    ),
    Indicator(
        id="cp_reviews_on_time_pct",
        title="Child protection reviews on time",
        area="safeguarding", unit=PERCENT, direction="higher", kind="flow",
        tables=("ssd_cp_reviews",),
        definition="Of child protection reviews held in the period (cppr_cp_review_date), the share held on "
                   "or before their due date (cppr_cp_review_due): a review held on its due date is on time, "
                   "one held the day after is late. Reviews with no due date are left out.",
        team_rule=_allocated_team_at("the review date"),
        team_source=ALLOCATED_TEAM,
        source="CIN census; Working Together to Safeguard Children",
        numerator_label="reviews on time", denominator_label="reviews held",
    ),
    Indicator(
        id="cse_identified",
        title="Children identified at risk of sexual exploitation",
        area="safeguarding", unit=COUNT, direction=None, kind="flow",
        tables=("ssd_cin_assessments", "ssd_assessment_factors"),
        definition="Distinct children with an assessment authorised in the period (cina_assessment_auth_date) "
                   "whose assessment factors (ssd_assessment_factors, linked by cinf_assessment_id) include "
                   "6A, child sexual exploitation. A factors list matches when its text holds the quoted code "
                   "\"6A\", so a malformed list still counts and codes such as 16A do not. By team, a child "
                   "assessed by two teams in the period counts in each; the overall figure counts each child "
                   "once. Assessments with no child id are left out.",
        team_rule="The assessment's team (cina_assessment_team).",
        source="CIN census (assessment factor 6A)",
        distinct_people=True,
        numerator_label="children",
    ),
    Indicator(
        id="pre_proceedings_16wk_pct",
        title="Pre-proceedings concluded within 16 weeks",
        area="safeguarding", unit=PERCENT, direction="higher", kind="flow",
        tables=("ssd_pre_proceedings",),
        definition="Of pre-proceedings whose outcome (step down or proceedings issued) is dated in the period "
                   "(prep_agree_stepdown_issue_date), the share whose outcome came within 16 weeks of the "
                   "initial pre-proceedings meeting (prep_initial_pre_pro_meeting_date): outcome date - "
                   "meeting date <= 112 calendar days. The outcome date decides, whatever "
                   "prep_pre_pro_outcome holds. Rows with no meeting date, or an outcome dated before the "
                   "meeting (an end before its start), are left out.",
        team_rule=_allocated_team_at("the outcome date"),
        team_source=ALLOCATED_TEAM,
        source="Public Law Outline (pre-proceedings)",
        numerator_label="within 16 weeks", denominator_label="outcomes",
    ),
]
