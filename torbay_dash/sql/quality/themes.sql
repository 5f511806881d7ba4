-- Audit themes per period by type, with case audits graded requires improvement or inadequate
-- and those where the child's voice was not evident: the themes that keep coming back.
SELECT
    p.period_from, p.period_to,
    a.audit_type,
    coalesce(a.theme, 'Not recorded')                                              AS theme,
    count(*)                                                                       AS audits,
    count(*) FILTER (WHERE coalesce(a.moderated_grade, a.grade) IN ('requires_improvement', 'inadequate')) AS graded_below_good,
    count(*) FILTER (WHERE a.child_voice_evident = 'N')                            AS child_voice_not_evident
FROM periods AS p
JOIN qa_audits AS a ON a.audit_date BETWEEN p.period_from AND p.period_to
WHERE ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), a.team_id), false))
GROUP BY ALL
ORDER BY p.period_from, a.audit_type, audits DESC, theme
