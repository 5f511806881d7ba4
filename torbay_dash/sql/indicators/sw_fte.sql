-- sw_fte: one row per employed (permanent or fixed-term) social-worker spell in post at the
-- period end; its FTE is the numerator.
SELECT
    period_from,
    period_to,
    staff_id                AS unit_id,
    CAST(NULL AS VARCHAR)   AS person_id,
    team_id                 AS team,
    fte                     AS numerator,
    CAST(NULL AS DOUBLE)    AS denominator,
    professional_id,
    post_id,
    role,
    employment_type,
    start_date
FROM sw_in_post_at_period_end
WHERE employed
