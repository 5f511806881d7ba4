-- cp_plans_2yrs_plus_pct: one row per CP plan open at the period end; in the numerator when
-- it started on or before the period end - 24 months.
SELECT
    period_from,
    period_to,
    plan_id                             AS unit_id,
    person_id,
    period_to                           AS team_date,
    CASE WHEN plan_start_date <= CAST(period_to - INTERVAL 24 MONTH AS DATE) THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    plan_id,
    plan_start_date,
    period_to - plan_start_date         AS days_on_plan,
    latest_category
FROM cp_plans_at_period_end
