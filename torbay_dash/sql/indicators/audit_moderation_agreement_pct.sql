-- audit_moderation_agreement_pct: one row per case audit dated in the period that was moderated
-- and has the auditor's grade to compare with; in the numerator when the moderated grade equals it.
-- Audits with an unrecognised grade are left out.
SELECT
    p.period_from,
    p.period_to,
    a.audit_id                  AS unit_id,
    a.person_id,
    a.team_id                   AS team,
    a.worker_id,
    CASE WHEN a.moderated_grade = a.grade THEN 1 ELSE 0 END AS numerator,
    1                           AS denominator,
    a.audit_date,
    a.auditor_id,
    a.theme,
    a.grade,
    a.moderated_grade,
    CASE WHEN a.moderated_rank = a.grade_rank THEN 'agreed'
         WHEN a.moderated_rank > a.grade_rank THEN 'graded up'
         ELSE 'graded down' END AS moderation_outcome
FROM periods AS p
JOIN audit_case_audits AS a
  ON a.audit_date BETWEEN p.period_from AND p.period_to
WHERE a.grade IS NOT NULL
  AND a.moderated_grade IS NOT NULL
  AND a.grades_recognised
