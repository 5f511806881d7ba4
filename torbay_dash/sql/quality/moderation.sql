-- Case audits dated in the period that a moderator regraded: the auditor's grade against the
-- moderated grade, and whether the moderator agreed, graded up or graded down.
WITH ranked AS (
    SELECT
        a.grade, a.moderated_grade,
        list_position(['inadequate', 'requires_improvement', 'good', 'outstanding'], a.grade)           AS grade_rank,
        list_position(['inadequate', 'requires_improvement', 'good', 'outstanding'], a.moderated_grade) AS moderated_rank
    FROM qa_audits AS a
    WHERE a.audit_type = 'case'
      AND a.audit_date BETWEEN $from AND $to
      AND a.grade IS NOT NULL AND a.moderated_grade IS NOT NULL
      AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), a.team_id), false))
)
SELECT
    grade, moderated_grade,
    CASE WHEN grade = moderated_grade THEN 'agreed'
         WHEN moderated_rank > grade_rank THEN 'graded up'
         WHEN moderated_rank < grade_rank THEN 'graded down'
         ELSE 'changed (unrecognised grade)' END AS outcome,
    count(*) AS audits
FROM ranked
GROUP BY ALL
ORDER BY outcome, grade, moderated_grade
