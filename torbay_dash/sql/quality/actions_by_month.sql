-- Audit actions per period: raised, due, and of those due, completed on time, late, or still open
-- at the snapshot date. An action's team is its audit's team.
WITH actions AS (
    SELECT x.*, a.team_id
    FROM qa_actions AS x
    LEFT JOIN qa_audits AS a USING (audit_id)
    WHERE ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), a.team_id), false))
)
SELECT
    p.period_from, p.period_to,
    (SELECT count(*) FROM actions WHERE raised_date BETWEEN p.period_from AND p.period_to)   AS raised,
    count(x.action_id)                                                                       AS due,
    count(x.action_id) FILTER (WHERE x.completed_date <= x.due_date)                         AS completed_on_time,
    count(x.action_id) FILTER (WHERE x.completed_date > x.due_date)                          AS completed_late,
    count(x.action_id) FILTER (WHERE x.completed_date IS NULL)                               AS not_completed
FROM periods AS p
LEFT JOIN actions AS x ON x.due_date BETWEEN p.period_from AND p.period_to
GROUP BY ALL
ORDER BY p.period_from
