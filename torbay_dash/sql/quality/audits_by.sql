-- Audits dated in the period, counted by team and by auditor, with graded case audits and those
-- whose final grade (the moderated grade where there is one) is good or outstanding.
WITH audits AS (
    SELECT
        coalesce(a.team_id, 'UNKNOWN')                          AS team,
        coalesce(a.auditor_id, 'UNKNOWN')                       AS auditor_id,
        a.audit_type,
        coalesce(a.moderated_grade, a.grade)                    AS final_grade
    FROM qa_audits AS a
    WHERE a.audit_date BETWEEN $from AND $to
      AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), a.team_id), false))
)
SELECT
    CASE WHEN $by = 'team' THEN team ELSE auditor_id END                        AS who,
    count(*) FILTER (WHERE audit_type = 'case')                                 AS case_audits,
    count(*) FILTER (WHERE audit_type = 'thematic')                             AS thematic_audits,
    count(*) FILTER (WHERE audit_type = 'dip_sample')                           AS dip_samples,
    count(final_grade) FILTER (WHERE audit_type = 'case')                       AS graded,
    count(*) FILTER (WHERE audit_type = 'case' AND final_grade IN ('good', 'outstanding')) AS good_or_better
FROM audits
GROUP BY ALL
ORDER BY case_audits DESC, who
