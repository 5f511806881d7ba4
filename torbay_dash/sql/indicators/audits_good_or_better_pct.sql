-- audits_good_or_better_pct: one row per case audit dated in the period with a final grade (the
-- moderated grade when there is one, else the auditor's); in the numerator when it is good or
-- outstanding. Audits with no grade at all, or an unrecognised grade, are left out.
SELECT
    p.period_from,
    p.period_to,
    a.audit_id                  AS unit_id,
    a.person_id,
    a.team_id                   AS team,
    a.worker_id,
    CASE WHEN a.final_grade IN ('good', 'outstanding') THEN 1 ELSE 0 END AS numerator,
    1                           AS denominator,
    a.audit_date,
    a.auditor_id,
    a.theme,
    a.grade,
    a.moderated_grade,
    a.final_grade
FROM periods AS p
JOIN audit_case_audits AS a
  ON a.audit_date BETWEEN p.period_from AND p.period_to
WHERE a.final_grade IS NOT NULL
  AND a.grades_recognised
