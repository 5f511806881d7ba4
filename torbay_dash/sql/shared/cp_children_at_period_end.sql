-- cp_children_at_period_end: children with a CP plan open at each period end, one row per
-- child, with the latest-starting open plan (ties: the larger plan id). Reads cp_plans_at_period_end.
SELECT *
FROM cp_plans_at_period_end
QUALIFY row_number() OVER (
    PARTITION BY period_from, period_to, person_id
    ORDER BY plan_start_date DESC, plan_id DESC) = 1
