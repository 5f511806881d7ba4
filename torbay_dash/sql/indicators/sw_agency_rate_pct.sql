-- sw_agency_rate_pct: one row per social-worker spell (agency or employed) in post at the
-- period end: its FTE in the denominator, and in the numerator when it is agency.
SELECT
    period_from,
    period_to,
    staff_id                AS unit_id,
    CAST(NULL AS VARCHAR)   AS person_id,
    team_id                 AS team,
    CASE WHEN employment_type = 'agency' THEN fte ELSE 0 END AS numerator,
    fte                     AS denominator,
    professional_id,
    post_id,
    role,
    employment_type,
    start_date
FROM sw_in_post_at_period_end
