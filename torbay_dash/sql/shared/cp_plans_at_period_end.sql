-- cp_plans_at_period_end: child protection plans open at each period end, one row per plan.
-- Open at D: start <= D and (end is null or end > D). Plans with no child id are left out.
SELECT
    p.period_from,
    p.period_to,
    c.cppl_cp_plan_id                   AS plan_id,
    c.cppl_person_id                    AS person_id,
    c.cppl_cp_plan_start_date           AS plan_start_date,
    c.cppl_cp_plan_end_date             AS plan_end_date,
    c.cppl_cp_plan_initial_category     AS initial_category,
    c.cppl_cp_plan_latest_category      AS latest_category
FROM periods AS p
JOIN ssd_cp_plans AS c
  ON c.cppl_cp_plan_start_date <= p.period_to
 AND (c.cppl_cp_plan_end_date IS NULL OR c.cppl_cp_plan_end_date > p.period_to)
WHERE c.cppl_person_id IS NOT NULL
