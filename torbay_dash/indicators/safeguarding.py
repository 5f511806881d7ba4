"""Safeguarding indicators: the front door to child protection."""
from . import COUNT, PERCENT, Indicator

INDICATORS = [
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
]
