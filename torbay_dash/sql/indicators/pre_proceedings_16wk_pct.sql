-- pre_proceedings_16wk_pct: one row per pre-proceedings whose outcome is dated in the period;
-- within 16 weeks when outcome date - initial meeting date <= 112 days. Rows with no meeting
-- date, or an outcome before the meeting (an end before its start), are left out.
SELECT
    p.period_from,
    p.period_to,
    x.prep_table_id                     AS unit_id,
    x.prep_person_id                    AS person_id,
    x.prep_agree_stepdown_issue_date    AS team_date,
    CASE WHEN x.prep_agree_stepdown_issue_date - x.prep_initial_pre_pro_meeting_date <= 112
         THEN 1 ELSE 0 END              AS numerator,
    1                                   AS denominator,
    x.prep_pre_pro_decision_date        AS decision_date,
    x.prep_initial_pre_pro_meeting_date AS meeting_date,
    x.prep_pre_pro_outcome              AS outcome,
    x.prep_agree_stepdown_issue_date    AS outcome_date,
    x.prep_agree_stepdown_issue_date - x.prep_initial_pre_pro_meeting_date AS days_taken,
    x.prep_agree_stepdown_issue_date - x.prep_initial_pre_pro_meeting_date <= 112 AS in_timescale
FROM periods AS p
JOIN ssd_pre_proceedings AS x
  ON x.prep_agree_stepdown_issue_date BETWEEN p.period_from AND p.period_to
WHERE x.prep_initial_pre_pro_meeting_date IS NOT NULL
  AND x.prep_agree_stepdown_issue_date >= x.prep_initial_pre_pro_meeting_date
