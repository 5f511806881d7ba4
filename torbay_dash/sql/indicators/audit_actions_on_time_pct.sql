-- audit_actions_on_time_pct: one row per audit action due in the period (due_date), from audits of
-- any type; on time when completed on or before its due date. An action never completed stays in
-- the denominator. An action completed before it was raised is a bad row, left out. qa_actions has
-- no team: the action takes its audit's team, and the audited child and worker for the drill-down.
SELECT
    p.period_from,
    p.period_to,
    x.action_id                 AS unit_id,
    a.person_id,
    a.team_id                   AS team,
    a.worker_id,
    CASE WHEN x.completed_date <= x.due_date THEN 1 ELSE 0 END AS numerator,
    1                           AS denominator,
    x.audit_id,
    a.audit_type,
    a.theme,
    a.audit_date,
    x.raised_date,
    x.due_date,
    x.completed_date,
    greatest(x.completed_date - x.due_date, 0) AS days_late,
    CASE WHEN x.completed_date IS NULL THEN 'not completed'
         WHEN x.completed_date <= x.due_date THEN 'completed on time'
         ELSE 'completed late' END AS outcome
FROM periods AS p
JOIN qa_actions AS x
  ON x.due_date BETWEEN p.period_from AND p.period_to
LEFT JOIN qa_audits AS a
  ON a.audit_id = x.audit_id
WHERE NOT coalesce(x.completed_date < x.raised_date, false)
