-- Audit actions past their due date and not completed by the as-at date: the manager's chase list.
-- Pseudonymous child ids only; the audit says which case and theme the action came from.
SELECT
    x.action_id,
    x.audit_id,
    a.person_id,
    coalesce(a.team_id, 'UNKNOWN')                    AS team,
    a.worker_id,
    a.audit_type,
    a.theme,
    x.raised_date,
    x.due_date,
    date_diff('day', x.due_date, CAST($as_at AS DATE)) AS days_overdue
FROM qa_actions AS x
LEFT JOIN qa_audits AS a USING (audit_id)
WHERE x.due_date < $as_at
  AND (x.completed_date IS NULL OR x.completed_date > $as_at)
  AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), a.team_id), false))
ORDER BY days_overdue DESC, x.action_id
