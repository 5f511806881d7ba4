-- cp_rate_per_10k: one row per child with a CP plan open at the period end (the latest-starting plan shown).
SELECT
    period_from,
    period_to,
    person_id                           AS unit_id,
    person_id,
    period_to                           AS team_date,
    1                                   AS numerator,
    CAST(NULL AS INTEGER)               AS denominator,
    plan_id,
    plan_start_date,
    period_to - plan_start_date         AS days_on_plan,
    latest_category
FROM cp_children_at_period_end
