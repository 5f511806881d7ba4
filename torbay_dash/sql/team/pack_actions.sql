-- Audit actions open at the as-at date (raised by then, not completed by then), and of those the ones past
-- their due date, and past it by more than 30 days: counts for a Practice Week pack, by the audit's team.
SELECT
    count(*)                                                                     AS open_actions,
    count(*) FILTER (WHERE x.due_date < $as_at)                                  AS overdue_actions,
    count(*) FILTER (WHERE x.due_date < CAST($as_at AS DATE) - INTERVAL 30 DAY)  AS overdue_30_days
FROM qa_actions AS x
LEFT JOIN qa_audits AS a USING (audit_id)
WHERE x.raised_date <= $as_at
  AND (x.completed_date IS NULL OR x.completed_date > $as_at)
  AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), a.team_id), false))
