"""The snapshot tables of ../shared/spec/DATA_CONTRACT.md as data.

This module is the single place where table and column names are spelled. Validation,
the DuckDB views, the demo generator and ingest all read it, so a renamed column is
changed here once.
"""
from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = 1

# Logical column types and the DuckDB type each is cast to in the snapshot views.
ID, TEXT, CODE, FLAG, DATE, NUMBER, INTEGER = "id", "text", "code", "flag", "date", "number", "integer"
DUCKDB_TYPE = {ID: "VARCHAR", TEXT: "VARCHAR", CODE: "VARCHAR", FLAG: "VARCHAR",
               DATE: "DATE", NUMBER: "DOUBLE", INTEGER: "BIGINT"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    note: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    area: str
    key: str  # the column that must be unique
    columns: tuple[Column, ...]
    note: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def _table(name: str, area: str, key: str, spec: str, note: str = "") -> Table:
    """Build a table from 'column:type' pairs; the key column comes first in spec."""
    cols = []
    for item in spec.split():
        col, _, typ = item.partition(":")
        cols.append(Column(col, typ or ID))
    return Table(name, area, key, tuple(cols), note)


TABLES: dict[str, Table] = {t.name: t for t in [
    # Reference
    _table("ssd_person", "reference", "pers_person_id",
           "pers_person_id:id pers_sex:code pers_ethnicity:code pers_dob:date pers_death_date:date"),
    _table("ssd_department", "reference", "dept_team_id",
           "dept_team_id:id dept_team_name:text dept_team_parent_id:id dept_team_parent_name:text"),
    _table("ssd_professionals", "reference", "prof_professional_id",
           "prof_professional_id:id prof_staff_id:id prof_professional_name:text "
           "prof_professional_job_title:text prof_professional_department:id "
           "prof_agency_worker_flag:flag prof_full_time_equivalency:number"),
    _table("ssd_involvements", "reference", "invo_involvements_id",
           "invo_involvements_id:id invo_professional_id:id invo_professional_role_id:code "
           "invo_professional_team:id invo_person_id:id invo_referral_id:id "
           "invo_involvement_start_date:date invo_involvement_end_date:date "
           "invo_worker_change_reason:code"),
    # Safeguarding
    _table("ssd_contacts", "safeguarding", "cont_contact_id",
           "cont_contact_id:id cont_person_id:id cont_contact_date:date cont_contact_source_code:code "
           "cont_contact_outcome_json:text cont_contact_completed_date:date cont_contact_team:id"),
    _table("ssd_cin_episodes", "safeguarding", "cine_referral_id",
           "cine_referral_id:id cine_person_id:id cine_referral_date:date cine_cin_primary_need_code:code "
           "cine_referral_source_code:code cine_referral_nfa:flag cine_close_date:date "
           "cine_close_reason:code cine_referral_team:id cine_referral_worker_id:id"),
    _table("ssd_cin_assessments", "safeguarding", "cina_assessment_id",
           "cina_assessment_id:id cina_person_id:id cina_referral_id:id cina_assessment_start_date:date "
           "cina_assessment_child_seen:flag cina_assessment_auth_date:date "
           "cina_assessment_outcome_nfa:flag cina_assessment_team:id cina_assessment_worker_id:id"),
    _table("ssd_assessment_factors", "safeguarding", "cinf_table_id",
           "cinf_table_id:id cinf_assessment_id:id cinf_assessment_factors_json:text"),
    _table("ssd_s47_enquiry", "safeguarding", "s47e_s47_enquiry_id",
           "s47e_s47_enquiry_id:id s47e_referral_id:id s47e_person_id:id s47e_s47_start_date:date "
           "s47e_s47_end_date:date s47e_s47_nfa:flag s47e_s47_completed_by_team:id "
           "s47e_s47_completed_by_worker_id:id"),
    _table("ssd_initial_cp_conference", "safeguarding", "icpc_icpc_id",
           "icpc_icpc_id:id icpc_s47_enquiry_id:id icpc_person_id:id icpc_referral_id:id "
           "icpc_cp_plan_id:id icpc_icpc_transfer_in:flag icpc_icpc_target_date:date icpc_icpc_date:date "
           "icpc_icpc_outcome_cp_flag:flag icpc_icpc_team:id icpc_icpc_worker_id:id"),
    _table("ssd_cp_plans", "safeguarding", "cppl_cp_plan_id",
           "cppl_cp_plan_id:id cppl_person_id:id cppl_referral_id:id cppl_icpc_id:id "
           "cppl_cp_plan_start_date:date cppl_cp_plan_end_date:date cppl_cp_plan_initial_category:code "
           "cppl_cp_plan_latest_category:code"),
    _table("ssd_cp_reviews", "safeguarding", "cppr_cp_review_id",
           "cppr_cp_review_id:id cppr_person_id:id cppr_cp_plan_id:id cppr_cp_review_due:date "
           "cppr_cp_review_date:date"),
    _table("ssd_cp_visits", "safeguarding", "cppv_cp_visit_id",
           "cppv_cp_visit_id:id cppv_person_id:id cppv_cp_plan_id:id cppv_cp_visit_date:date "
           "cppv_cp_visit_seen:flag cppv_cp_visit_seen_alone:flag"),
    _table("ssd_pre_proceedings", "safeguarding", "prep_table_id",
           "prep_table_id:id prep_person_id:id prep_pre_pro_decision_date:date "
           "prep_initial_pre_pro_meeting_date:date prep_pre_pro_outcome:code "
           "prep_agree_stepdown_issue_date:date"),
    # Cared-for children
    _table("ssd_cla_episodes", "cared_for", "clae_cla_episode_id",
           "clae_cla_episode_id:id clae_person_id:id clae_cla_id:id clae_cla_placement_id:id "
           "clae_cla_episode_start_date:date clae_cla_episode_start_reason:code "
           "clae_cla_primary_need_code:code clae_cla_episode_ceased_date:date "
           "clae_cla_episode_ceased_reason:code clae_entered_care_date:date clae_referral_id:id"),
    _table("ssd_cla_placement", "cared_for", "clap_cla_placement_id",
           "clap_cla_placement_id:id clap_cla_id:id clap_person_id:id clap_cla_placement_start_date:date "
           "clap_cla_placement_end_date:date clap_cla_placement_type:code clap_cla_placement_provider:code "
           "clap_cla_placement_postcode:text clap_cla_placement_distance:number "
           "clap_cla_placement_change_reason:code"),
    _table("ssd_legal_status", "cared_for", "lega_legal_status_id",
           "lega_legal_status_id:id lega_person_id:id lega_legal_status:code "
           "lega_legal_status_start_date:date lega_legal_status_end_date:date"),
    _table("ssd_cla_reviews", "cared_for", "clar_cla_review_id",
           "clar_cla_review_id:id clar_cla_id:id clar_cla_review_due_date:date clar_cla_review_date:date "
           "clar_cla_review_cancelled:flag"),
    _table("ssd_cla_visits", "cared_for", "clav_cla_visit_id",
           "clav_cla_visit_id:id clav_cla_id:id clav_person_id:id clav_cla_visit_date:date "
           "clav_cla_visit_seen:flag clav_cla_visit_seen_alone:flag"),
    _table("ssd_cla_health", "cared_for", "clah_health_check_id",
           "clah_health_check_id:id clah_person_id:id clah_health_check_type:text "
           "clah_health_check_date:date clah_health_check_status:text"),
    _table("ssd_missing", "cared_for", "miss_table_id",
           "miss_table_id:id miss_person_id:id miss_missing_episode_start_date:date "
           "miss_missing_episode_end_date:date miss_missing_episode_type:code "
           "miss_missing_rhi_offered:flag miss_missing_rhi_accepted:flag"),
    _table("ssd_care_leavers", "cared_for", "clea_table_id",
           "clea_table_id:id clea_person_id:id clea_care_leaver_eligibility:code "
           "clea_care_leaver_in_touch:code clea_care_leaver_latest_contact:date "
           "clea_care_leaver_accommodation:code clea_care_leaver_accom_suitable:flag "
           "clea_care_leaver_activity:code clea_care_leaver_allocated_team:id clea_care_leaver_worker_id:id"),
    _table("ssd_permanence", "cared_for", "perm_table_id",
           "perm_table_id:id perm_person_id:id perm_cla_id:id perm_adm_decision_date:date "
           "perm_placement_order_date:date perm_matched_date:date perm_placed_for_adoption_date:date "
           "perm_permanence_order_date:date perm_permanence_order_type:text"),
    _table("local_camhs", "cared_for", "camhs_id",
           "camhs_id:id person_id:id referral_date:date start_date:date end_date:date provision_type:code"),
    # Workforce (local HR extract)
    _table("hr_posts", "workforce", "post_id",
           "post_id:id team_id:id role:text is_social_worker_post:flag fte:number start_date:date end_date:date"),
    _table("hr_staff", "workforce", "staff_id",
           "staff_id:id professional_id:id post_id:id team_id:id role:text is_qualified_sw:flag "
           "employment_type:code fte:number start_date:date end_date:date leaving_reason:text "
           "is_asye:flag is_international_recruit:flag converted_from_agency:flag"),
    _table("hr_absence", "workforce", "absence_id",
           "absence_id:id staff_id:id start_date:date end_date:date working_days_lost:number"),
    _table("hr_supervision", "workforce", "supervision_id",
           "supervision_id:id staff_id:id supervision_date:date"),
    # Quality assurance (local audit log)
    _table("qa_audits", "quality", "audit_id",
           "audit_id:id audit_type:code theme:text person_id:id team_id:id worker_id:id auditor_id:id "
           "audit_date:date grade:code moderated_grade:code child_voice_evident:flag"),
    _table("qa_actions", "quality", "action_id",
           "action_id:id audit_id:id raised_date:date due_date:date completed_date:date"),
]}

# Columns a source may carry that identify a child; ingest drops them, validation flags them.
IDENTIFYING_COLUMNS = frozenset({"pers_forename", "pers_surname", "pers_upn", "pers_legacy_id",
                                 "pers_common_child_id", "pers_nhs_number", "pers_address"})

# Role code of the allocated social worker in ssd_involvements.
ALLOCATED_SW = "ALLOCATED_SW"
UNALLOCATED = "UNALLOCATED"


@dataclass(frozen=True)
class _Check:
    """Rows that break a rule the contract states (an end before its start)."""
    table: str
    start: str
    end: str


# Date pairs where the end must not precede the start; the data-quality page counts breaches.
DATE_ORDER_CHECKS = [
    _Check("ssd_contacts", "cont_contact_date", "cont_contact_completed_date"),
    _Check("ssd_cin_episodes", "cine_referral_date", "cine_close_date"),
    _Check("ssd_cin_assessments", "cina_assessment_start_date", "cina_assessment_auth_date"),
    _Check("ssd_s47_enquiry", "s47e_s47_start_date", "s47e_s47_end_date"),
    _Check("ssd_pre_proceedings", "prep_initial_pre_pro_meeting_date", "prep_agree_stepdown_issue_date"),
    _Check("ssd_cp_plans", "cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
    _Check("ssd_cla_episodes", "clae_cla_episode_start_date", "clae_cla_episode_ceased_date"),
    _Check("ssd_cla_placement", "clap_cla_placement_start_date", "clap_cla_placement_end_date"),
    _Check("ssd_legal_status", "lega_legal_status_start_date", "lega_legal_status_end_date"),
    _Check("ssd_involvements", "invo_involvement_start_date", "invo_involvement_end_date"),
    _Check("ssd_missing", "miss_missing_episode_start_date", "miss_missing_episode_end_date"),
    _Check("local_camhs", "start_date", "end_date"),
    _Check("hr_posts", "start_date", "end_date"),
    _Check("hr_staff", "start_date", "end_date"),
    _Check("hr_absence", "start_date", "end_date"),
    _Check("qa_actions", "raised_date", "completed_date"),
]


# Dates that may fall after the as-at date: what is due or planned, an unborn child's expected
# birth, and HR dates (a post or a starter from next month, a leaving date already agreed).
# Every other date after the as-at date is an error in the extract, as is any before 1900.
FUTURE_DATES = frozenset({
    ("ssd_person", "pers_dob"),
    ("ssd_initial_cp_conference", "icpc_icpc_target_date"),
    ("ssd_cp_reviews", "cppr_cp_review_due"),
    ("ssd_cla_reviews", "clar_cla_review_due_date"),
    ("hr_posts", "start_date"), ("hr_posts", "end_date"),
    ("hr_staff", "start_date"), ("hr_staff", "end_date"),
    ("hr_absence", "end_date"),
    ("qa_actions", "due_date"),
})
EARLIEST_DATE = "1900-01-01"

# Columns without which a table's rows cannot be counted: empty in every row, the table is
# quarantined (a count of 0 would be a lie); empty in more rows than the allowance, too.
REQUIRED_VALUES: dict[str, tuple[str, ...]] = {
    "ssd_contacts": ("cont_contact_date",),
    "ssd_cin_episodes": ("cine_referral_date",),
    "ssd_cin_assessments": ("cina_assessment_start_date",),
    "ssd_s47_enquiry": ("s47e_s47_start_date",),
    "ssd_cp_plans": ("cppl_cp_plan_start_date",),
    "ssd_cp_visits": ("cppv_cp_visit_date",),
    "ssd_cla_episodes": ("clae_cla_episode_start_date",),
    "ssd_cla_placement": ("clap_cla_placement_start_date",),
    "ssd_legal_status": ("lega_legal_status_start_date",),
    "ssd_cla_visits": ("clav_cla_visit_date",),
    "ssd_missing": ("miss_missing_episode_start_date",),
    "ssd_involvements": ("invo_involvement_start_date",),
    "local_camhs": ("referral_date",),
    "hr_posts": ("team_id", "fte", "start_date"),
    "hr_staff": ("team_id", "employment_type", "fte", "start_date"),
    "hr_absence": ("staff_id", "start_date"),
    "hr_supervision": ("staff_id", "supervision_date"),
    "qa_audits": ("audit_date",),
    "qa_actions": ("audit_id", "raised_date"),
}


# Parts of a column name that mark it as identifying a person when the column is not one the
# contract asks for: names, UPN, NHS number, addresses and home postcodes (a placement's
# postcode, clap_cla_placement_postcode, is the contract's and stays).
IDENTIFYING_PARTS = ("forename", "surname", "firstname", "first_name", "lastname", "last_name", "fullname",
                     "full_name", "upn", "nhs", "address", "postcode", "home_post")
CONTRACT_COLUMNS = frozenset(c.name for t in TABLES.values() for c in t.columns)


def is_identifying(column: str) -> bool:
    """Does a source column identify a person (whatever its case or spacing)?"""
    name = column.strip().lower()
    if name in IDENTIFYING_COLUMNS:
        return True
    return name not in CONTRACT_COLUMNS and any(part in name for part in IDENTIFYING_PARTS)
