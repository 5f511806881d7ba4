-- audits_completed: one row per case audit dated in the period (audit_date). Thematic audits and
-- dip samples are not counted; an audit with no date is in no period. Grades do not matter here.
SELECT
    p.period_from,
    p.period_to,
    a.audit_id                  AS unit_id,
    a.person_id,
    a.team_id                   AS team,
    a.worker_id,
    1                           AS numerator,
    CAST(NULL AS INTEGER)       AS denominator,
    a.audit_date,
    a.auditor_id,
    a.theme,
    a.grade,
    a.moderated_grade,
    a.final_grade
FROM periods AS p
JOIN audit_case_audits AS a
  ON a.audit_date BETWEEN p.period_from AND p.period_to
