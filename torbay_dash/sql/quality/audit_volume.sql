-- Audits dated in each period by type (case, thematic, dip sample), for audits of teams in scope.
-- Every period and type appears, with 0 when none were done, so a month with no audits shows.
WITH types AS (
    SELECT unnest(['case', 'thematic', 'dip_sample']) AS audit_type
)
SELECT
    p.period_from, p.period_to, t.audit_type,
    count(a.audit_id) AS audits
FROM periods AS p
CROSS JOIN types AS t
LEFT JOIN qa_audits AS a
  ON a.audit_date BETWEEN p.period_from AND p.period_to
 AND a.audit_type = t.audit_type
 AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), a.team_id), false))
GROUP BY ALL
ORDER BY p.period_from, t.audit_type
