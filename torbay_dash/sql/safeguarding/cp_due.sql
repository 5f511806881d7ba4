-- Reminders gathered for a manager: CP reviews and initial conferences not yet held that
-- are due within the next $window working days of the as-at date, or already overdue.
WITH due AS (
    SELECT 'CP review' AS meeting, r.cppr_person_id AS person_id, r.cppr_cp_plan_id AS plan_or_enquiry_id,
           r.cppr_cp_review_due AS due_date
    FROM ssd_cp_reviews AS r
    JOIN ssd_cp_plans AS pl ON pl.cppl_cp_plan_id = r.cppr_cp_plan_id
    WHERE (r.cppr_cp_review_date IS NULL OR r.cppr_cp_review_date > $as_at)
      AND (pl.cppl_cp_plan_end_date IS NULL OR pl.cppl_cp_plan_end_date > $as_at)
      AND r.cppr_cp_review_due IS NOT NULL
    UNION ALL
    SELECT 'Initial CP conference', i.icpc_person_id, i.icpc_s47_enquiry_id, i.icpc_icpc_target_date
    FROM ssd_initial_cp_conference AS i
    WHERE (i.icpc_icpc_date IS NULL OR i.icpc_icpc_date > $as_at)
      AND i.icpc_icpc_target_date IS NOT NULL
),
windowed AS (
    SELECT d.*, wd(CAST($as_at AS DATE), d.due_date) AS working_days_until_due
    FROM due AS d
    WHERE wd(CAST($as_at AS DATE), d.due_date) <= $window
      AND d.due_date > CAST($as_at AS DATE) - INTERVAL 6 MONTH  -- long-lost records are data quality, not reminders
),
-- the child's team is their latest open allocation, chosen before the scope is applied: a scope that
-- filtered first would hand a child with two open allocations to the older team as well
latest AS (
    SELECT w.*, coalesce(a.team, 'UNALLOCATED') AS team, a.worker_id
    FROM windowed AS w
    LEFT JOIN allocations AS a
      ON a.person_id = w.person_id AND a.start_date <= $as_at AND (a.end_date IS NULL OR a.end_date > $as_at)
    QUALIFY row_number() OVER (PARTITION BY w.meeting, w.person_id, w.plan_or_enquiry_id, w.due_date
                               ORDER BY a.start_date DESC NULLS LAST, a.involvement_number DESC NULLS LAST) = 1
)
SELECT
    meeting, person_id, plan_or_enquiry_id, due_date, working_days_until_due,
    CASE WHEN due_date < CAST($as_at AS DATE) THEN 'overdue' ELSE 'due' END AS status,
    team, worker_id
FROM latest
WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), team))
ORDER BY due_date, person_id
