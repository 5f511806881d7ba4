-- sw_turnover_rate_pct: one row per employed social-worker spell that ended with its holder
-- leaving the authority (sw_leaving_spells) on a day in (to - 12 months, to], whatever the
-- period's start: numerator its FTE, denominator 0; and one row per employed social-worker
-- spell in post at `to`: numerator 0, denominator its FTE.
WITH leavers AS (
    SELECT
        p.period_from,
        p.period_to,
        'left ' || l.staff_id   AS unit_id,
        l.team_id               AS team,
        l.fte                   AS numerator,
        0.0                     AS denominator,
        l.staff_id, l.professional_id, l.role, l.employment_type, l.start_date, l.end_date, l.leaving_reason
    FROM periods AS p
    JOIN sw_leaving_spells AS l
      ON l.end_date > CAST(p.period_to - INTERVAL 12 MONTH AS DATE)
     AND l.end_date <= p.period_to
),
in_post AS (
    SELECT
        period_from,
        period_to,
        'in post ' || staff_id  AS unit_id,
        team_id                 AS team,
        0.0                     AS numerator,
        fte                     AS denominator,
        staff_id, professional_id, role, employment_type, start_date, end_date, leaving_reason
    FROM sw_in_post_at_period_end
    WHERE employed
)
SELECT period_from, period_to, unit_id, CAST(NULL AS VARCHAR) AS person_id, team, numerator, denominator,
       staff_id, professional_id, role, employment_type, start_date, end_date, leaving_reason
FROM leavers
UNION ALL
SELECT period_from, period_to, unit_id, CAST(NULL AS VARCHAR) AS person_id, team, numerator, denominator,
       staff_id, professional_id, role, employment_type, start_date, end_date, leaving_reason
FROM in_post
