"""Cared-for children (children looked after) indicators."""
from . import ALLOCATED_TEAM, ALLOCATED_TEAM_RULE, COUNT, MEAN, PERCENT, RATE_PER_10K, Indicator

SHORT_BREAKS_NOTE = ("Children on short breaks (legal status V3 or V4 open at the date) are never "
                     "counted as looked after; where a child has more than one legal status open at the "
                     "date (a recording error), the latest-starting one decides.")
CLA_NOTE = ("Children looked after at the period end: a CLA episode open then (start on or before it, and "
            "no end or an end after it; an episode ending on the date is not open), one row per child. "
            + SHORT_BREAKS_NOTE)
PLACEMENT_NOTE = ("The open placement is the one the child's open episode names (clae_cla_placement_id, "
                  "the latest-starting open episode when there are two); a child whose episode names no "
                  "placement, or one missing from ssd_cla_placement, has no known placement.")
POPULATION_NOTE = ("Per 10,000 children aged 0-17: the population of the year containing the period end "
                   "(data/local_authority.toml).")
MONTHS_NOTE = ("Months are calendar months: 12 months before 2020-02-29 is 2019-02-28.")
AGE_NOTE = ("Age is in completed years from the date of birth in ssd_person (a 29 February birthday is "
            "reached on 1 March in other years); a child with no date of birth there is left out.")
PERIOD_OF_CARE_NOTE = ("A period of care is the episodes sharing a clae_cla_id (episodes with no "
                       "clae_cla_id or no start date are left out); it entered care on the earliest "
                       "clae_entered_care_date of its episodes and belongs to the child of its earliest "
                       "episode.")
CARE_LEAVER_COHORT = ("Care leavers at the period end: young people in ssd_care_leavers aged 17 to 21 "
                      "then, one row per person: the one with the latest clea_care_leaver_latest_contact on "
                      "or before the period end (a row dated later is not yet known then; a row with no "
                      "contact date loses to any dated row; ties go to the larger clea_table_id, compared "
                      "as numbers when both are numbers). " + AGE_NOTE)
CARE_LEAVER_TEAM = "The care leaver's team on the chosen row (clea_care_leaver_allocated_team)."


def _allocated_team_at(when: str) -> str:
    """The team rule of a stock-team indicator whose date is not the period end."""
    return (f"The child's allocated team on {when}: the team of the ALLOCATED_SW involvement open then "
            "(the latest start wins; on a tie, the larger involvement id, compared as numbers when both "
            "are numbers); none open gives UNALLOCATED.")


def _health(check: str, id_: str, title: str, label: str) -> Indicator:
    return Indicator(
        id=id_,
        title=title,
        area="cared_for", unit=PERCENT, direction="higher", kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status", "ssd_cla_health"),
        definition=f"Of children looked after at the period end continuously for 12 months (the open "
                   f"episode's entered-care date on or before the period end - 12 months; none recorded: "
                   f"left out), the share with a '{check}' check (clah_health_check_type, matched "
                   f"ignoring case) with status 'Completed' dated in (period end - 12 months, period end]: "
                   f"a check on exactly the day 12 months before does not count, one on the period end "
                   f"does. Checks are matched to the child (clah_person_id). " + MONTHS_NOTE + " " + CLA_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="SSDA903 (OC2)",
        uses=("cla_at_period_end",),
        numerator_label=label, denominator_label="children looked after 12 months",
    )


INDICATORS = [
    Indicator(
        id="cla_count",
        title="Children looked after",
        area="cared_for", unit=COUNT, direction=None, kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status"),
        definition="Distinct children with a CLA episode open at the period end (start on or before "
                   "it, and no end or an end after it; an episode ending on the date is not open). "
                   + SHORT_BREAKS_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="SSDA903",
        uses=("cla_at_period_end",),
        numerator_label="children looked after",
    ),
    Indicator(
        id="cla_rate_per_10k",
        title="Children looked after per 10,000",
        area="cared_for", unit=RATE_PER_10K, direction=None, kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status"),
        definition="Children looked after at the period end (cla_count: distinct children with a CLA "
                   "episode open then, short breaks left out) per 10,000 children. " + POPULATION_NOTE
                   + " " + SHORT_BREAKS_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="SSDA903",
        uses=("cla_at_period_end",),
        numerator_label="children looked after",
    ),
    Indicator(
        id="cla_starts",
        title="Children starting to be looked after",
        area="cared_for", unit=COUNT, direction=None, kind="flow",
        tables=("ssd_cla_episodes", "ssd_legal_status"),
        definition="Periods of care (clae_cla_id) whose entered-care date (clae_entered_care_date) is in "
                   "the period: a child who starts twice in the period counts twice. " + PERIOD_OF_CARE_NOTE
                   + " Short breaks are left out: a period of care whose child's legal status in force on "
                   "the entered-care date (the latest-starting one) is V3 or V4.",
        team_rule=_allocated_team_at("the entered-care date"),
        team_source=ALLOCATED_TEAM,
        source="SSDA903",
        uses=("periods_of_care",),
        numerator_label="periods of care started",
    ),
    Indicator(
        id="cla_ceased",
        title="Children ceasing to be looked after",
        area="cared_for", unit=COUNT, direction=None, kind="flow",
        tables=("ssd_cla_episodes", "ssd_legal_status"),
        definition="Periods of care (clae_cla_id) whose last episode ceased in the period with no later "
                   "episode in the same period of care: every episode of the period of care has a ceased "
                   "date (clae_cla_episode_ceased_date) and the latest of them is in the period. A period "
                   "of care with an episode still open, or one ceasing after the period (a later episode "
                   "after a move), has not ceased. " + PERIOD_OF_CARE_NOTE + " Short breaks are left out: "
                   "a period of care whose child's legal status in force on the start date of the episode "
                   "that ceased last (the latest-starting status) is V3 or V4.",
        team_rule=_allocated_team_at("the ceased date (an allocation ending that day is not open then)"),
        team_source=ALLOCATED_TEAM,
        source="SSDA903",
        uses=("periods_of_care",),
        numerator_label="periods of care ceased",
    ),
    Indicator(
        id="cla_in_house_foster_pct",
        title="Children looked after in the authority's own foster care",
        area="cared_for", unit=PERCENT, direction="higher", kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status", "ssd_cla_placement"),
        definition="Of children looked after at the period end, the share whose open placement is foster "
                   "care (clap_cla_placement_type U1 to U6) provided by the authority itself "
                   "(clap_cla_placement_provider PR1). A child with no known placement stays in the "
                   "denominator and is not in in-house foster care. " + PLACEMENT_NOTE + " " + CLA_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="SSDA903 (PLACE, PLACE_PROVIDER)",
        uses=("cla_at_period_end", "cla_placement_at_period_end"),
        numerator_label="in in-house foster care", denominator_label="children looked after",
    ),
    Indicator(
        id="cla_residential_count",
        title="Children looked after in residential settings",
        area="cared_for", unit=COUNT, direction="lower", kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status", "ssd_cla_placement"),
        definition="Children looked after at the period end whose open placement type is K1, K2, R1 or S1 "
                   "(secure units and children's homes, residential care homes, residential schools). A "
                   "child with no known placement is not counted. " + PLACEMENT_NOTE + " " + CLA_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="SSDA903 (PLACE)",
        uses=("cla_at_period_end", "cla_placement_at_period_end"),
        numerator_label="children in residential settings",
    ),
    Indicator(
        id="cla_placed_20mi_pct",
        title="Children looked after placed more than 20 miles from home",
        area="cared_for", unit=PERCENT, direction="lower", kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status", "ssd_cla_placement"),
        definition="Of children looked after at the period end whose open placement has a known distance "
                   "(clap_cla_placement_distance not empty), the share placed more than 20 miles from home "
                   "(exactly 20 miles is not more). Children with no known placement or distance are left "
                   "out. " + PLACEMENT_NOTE + " " + CLA_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="SSDA903 (PL_DISTANCE)",
        uses=("cla_at_period_end", "cla_placement_at_period_end"),
        numerator_label="placed over 20 miles", denominator_label="children with a known distance",
    ),
    Indicator(
        id="cla_3plus_placements_pct",
        title="Children looked after with 3 or more placements in 12 months",
        area="cared_for", unit=PERCENT, direction="lower", kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status", "ssd_cla_placement"),
        definition="Of children looked after at the period end, the share with 3 or more distinct "
                   "placements (clap_cla_placement_id in ssd_cla_placement, matched to the child by "
                   "clap_person_id, whatever period of care they belong to) overlapping the 12 months "
                   "ending the period end: open on any day in [period end - 12 months + 1 day, period end], "
                   "where open on day D means start on or before D and no end or an end after D (so a "
                   "placement ending on the window's first day, or starting and ending on the same day, "
                   "does not count). " + MONTHS_NOTE + " " + CLA_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="SSDA903 (placement stability, short term)",
        uses=("cla_at_period_end",),
        numerator_label="3 or more placements", denominator_label="children looked after",
    ),
    Indicator(
        id="cla_long_term_stability_pct",
        title="Long-term placement stability",
        area="cared_for", unit=PERCENT, direction="higher", kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status", "ssd_cla_placement", "ssd_person"),
        definition="Of children looked after at the period end who are aged under 16 then (a child turning "
                   "16 on the date is 16) and whose period of care began (the open episode's "
                   "clae_entered_care_date) on or before the period end - 30 months, the share whose open "
                   "placement started on or before the period end - 24 months (exactly 24 months counts). "
                   "A child with no entered-care date is left out; one with no known placement stays in "
                   "the denominator and is not stable. " + AGE_NOTE + " " + MONTHS_NOTE + " "
                   + PLACEMENT_NOTE + " " + CLA_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="SSDA903 (placement stability, long term)",
        uses=("cla_at_period_end", "cla_placement_at_period_end"),
        numerator_label="in the same placement 2 years or more",
        denominator_label="children under 16 looked after 2.5 years or more",
    ),
    Indicator(
        id="cla_visits_in_timescale_pct",
        title="Statutory visits to children looked after within timescale",
        area="cared_for", unit=PERCENT, direction="higher", kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status", "ssd_cla_placement", "ssd_cla_visits"),
        definition="Statutory visiting compliance: of children looked after at the period end, the share "
                   "for whom the open placement started within the last 7 days (period end - placement "
                   "start < 7 days: started on one of the 7 days ending the period end, so a placement "
                   "that started exactly 7 days before is not new), or who were seen on a visit "
                   "(clav_cla_visit_seen = 'Y', matched to the child by clav_person_id) dated on or before "
                   "the period end within the allowed interval: period end - visit date <= interval. The "
                   "interval is 91 days when the open placement started more than 365 days before the "
                   "period end (exactly 365 days is not more) and is long-term fostering (U1 or U4); "
                   "otherwise 42 days (6 weeks), including for a child with no known placement. Visits "
                   "where the child was not seen, or seen not recorded, do not count. " + PLACEMENT_NOTE
                   + " " + CLA_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="Care Planning, Placement and Case Review (England) Regulations 2010, reg. 28",
        uses=("cla_at_period_end", "cla_placement_at_period_end"),
        numerator_label="visited within timescale", denominator_label="children looked after",
    ),
    Indicator(
        id="cla_reviews_on_time_pct",
        title="Reviews of children looked after on time",
        area="cared_for", unit=PERCENT, direction="higher", kind="flow",
        tables=("ssd_cla_reviews", "ssd_cla_episodes"),
        definition="Of CLA reviews held in the period (clar_cla_review_date) that were not cancelled "
                   "(clar_cla_review_cancelled other than 'Y'; not recorded counts as not cancelled), the "
                   "share held on or before their due date (clar_cla_review_due_date): held on the due "
                   "date is on time, the day after is late. Reviews with no due date are left out. The "
                   "child is found through the period of care (clar_cla_id = clae_cla_id, the child of its "
                   "earliest episode); a review whose period of care is not in ssd_cla_episodes is still "
                   "counted, with no team.",
        team_rule=_allocated_team_at("the review date"),
        team_source=ALLOCATED_TEAM,
        source="Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33",
        uses=("periods_of_care",),
        numerator_label="reviews on time", denominator_label="reviews held",
    ),
    _health("Health Assessment", "cla_health_assessment_pct", "Health assessments of children looked after",
            "with a health assessment"),
    _health("Dental Check", "cla_dental_check_pct", "Dental checks of children looked after",
            "with a dental check"),
    Indicator(
        id="cla_missing_pct",
        title="Children looked after who went missing",
        area="cared_for", unit=PERCENT, direction="lower", kind="flow",
        tables=("ssd_cla_episodes", "ssd_legal_status", "ssd_missing"),
        definition="Of children looked after at any time in the period (a CLA episode open on some day of "
                   "it: start on or before the period end and no ceased date or one after both its start "
                   "and the period start, so an episode ceasing on the first day does not count), the "
                   "share with a missing episode of type 'M' (miss_missing_episode_type; 'A', away without "
                   "authorisation, does not count) starting in the period, matched to the child "
                   "(miss_person_id), whether or not it began while they were looked after. Short breaks "
                   "are left out: a child whose legal status in force on their date (the period end if "
                   "looked after then, else their last day in care, the day before their latest ceased "
                   "date) is V3 or V4 (the latest-starting status decides).",
        team_rule=("The child's allocated team at the period end if looked after then, else on their last day "
                   "in care (the day before the latest ceased date of their episodes in the period): the team "
                   "of the ALLOCATED_SW involvement open then (the latest start wins; on a tie, the larger "
                   "involvement id, compared as numbers when both are numbers); none open gives UNALLOCATED."),
        team_source=ALLOCATED_TEAM,
        source="SSDA903 (missing episodes)",
        numerator_label="children who went missing", denominator_label="children looked after in the period",
    ),
    Indicator(
        id="cla_camhs_direct",
        title="Children looked after receiving direct CAMHS provision",
        area="cared_for", unit=COUNT, direction=None, kind="stock",
        tables=("ssd_cla_episodes", "ssd_legal_status", "local_camhs"),
        definition="Children looked after at the period end with a local_camhs row of provision_type "
                   "'direct' open then (start_date on or before the period end, and no end_date or one "
                   "after it), matched to the child by person_id; consultation does not count. A child "
                   "with two such rows counts once. " + CLA_NOTE,
        team_rule=ALLOCATED_TEAM_RULE,
        team_source=ALLOCATED_TEAM,
        source="Local (CAMHS provision)",
        uses=("cla_at_period_end",),
        numerator_label="children with direct CAMHS provision",
    ),
    Indicator(
        id="care_leavers_in_touch_pct",
        title="Care leavers in touch",
        area="cared_for", unit=PERCENT, direction="higher", kind="stock",
        tables=("ssd_care_leavers", "ssd_person"),
        definition="Of care leavers at the period end, the share whose row has clea_care_leaver_in_touch = "
                   "'YES'; any other value or none is not in touch. " + CARE_LEAVER_COHORT,
        team_rule=CARE_LEAVER_TEAM,
        source="SSDA903 (care leavers, IN_TOUCH)",
        uses=("care_leavers_at_period_end",),
        numerator_label="in touch", denominator_label="care leavers aged 17-21",
    ),
    Indicator(
        id="care_leavers_suitable_accom_pct",
        title="Care leavers in suitable accommodation",
        area="cared_for", unit=PERCENT, direction="higher", kind="stock",
        tables=("ssd_care_leavers", "ssd_person"),
        definition="Of care leavers at the period end, the share whose row has "
                   "clea_care_leaver_accom_suitable = 'Y'; 'N' or not recorded (as for those not in touch) "
                   "is not suitable. " + CARE_LEAVER_COHORT,
        team_rule=CARE_LEAVER_TEAM,
        source="SSDA903 (care leavers, ACCOM suitability)",
        uses=("care_leavers_at_period_end",),
        numerator_label="in suitable accommodation", denominator_label="care leavers aged 17-21",
    ),
    Indicator(
        id="care_leavers_eet_pct",
        title="Care leavers in education, employment or training",
        area="cared_for", unit=PERCENT, direction="higher", kind="stock",
        tables=("ssd_care_leavers", "ssd_person"),
        definition="Of care leavers at the period end, the share in education, employment or training: "
                   "clea_care_leaver_activity beginning with 'F' or 'P' (capital letters, as the 903 ACTIV "
                   "codes are written); other codes or none are not. " + CARE_LEAVER_COHORT,
        team_rule=CARE_LEAVER_TEAM,
        source="SSDA903 (care leavers, ACTIV)",
        uses=("care_leavers_at_period_end",),
        numerator_label="in education, employment or training", denominator_label="care leavers aged 17-21",
    ),
    Indicator(
        id="adoption_entry_to_placement_days",
        title="Average days from entering care to placement for adoption",
        area="cared_for", unit=MEAN, direction="lower", kind="stock",
        tables=("ssd_permanence", "ssd_cla_episodes"),
        definition="Scorecard A1 style: for adoption orders (perm_permanence_order_type = 'Adoption') dated "
                   "(perm_permanence_order_date) in the 3 years ending the period end, (period end - 36 "
                   "months, period end] (an order exactly 3 years before does not count), the mean number "
                   "of days from entering care to being placed for adoption: perm_placed_for_adoption_date - "
                   "the entered-care date of the period of care perm_cla_id. " + PERIOD_OF_CARE_NOTE + " "
                   "Orders with no placed-for-adoption date, whose period of care is not in "
                   "ssd_cla_episodes or has no entered-care date, or placed before entering care (an end "
                   "before its start), are left out. " + MONTHS_NOTE,
        team_rule=_allocated_team_at("the adoption order date"),
        team_source=ALLOCATED_TEAM,
        source="Adoption scorecard (A1)",
        uses=("periods_of_care",),
        numerator_label="days from entering care to placement for adoption (sum)",
        denominator_label="adoptions",
    ),
]
