-- sw_absence_rate_pct: one row per absence (hr_absence) of an employed social-worker spell
-- with working days in the period: numerator its working_days_lost apportioned by working
-- days, working_days_lost x (working days of the absence inside the period) / (working days
-- of the whole absence); an absence with no end date, or no working days, counts in full in
-- the period containing its start date. Then one row per employed social-worker spell in post
-- at the period end: numerator 0, denominator FTE x working days in the period.
WITH absences AS (
    SELECT
        a.absence_id, a.start_date, a.end_date, a.working_days_lost,
        s.staff_id, s.team_id, s.role,
        CASE WHEN a.end_date IS NOT NULL THEN wd(a.start_date - 1, a.end_date) END AS absence_wd
    FROM hr_absence AS a
    JOIN sw_spells AS s ON s.staff_id = a.staff_id
    WHERE s.employed AND a.start_date IS NOT NULL AND a.working_days_lost IS NOT NULL
),
apportioned AS (
    SELECT
        p.period_from,
        p.period_to,
        a.*,
        CASE WHEN a.end_date IS NULL OR coalesce(a.absence_wd, 0) = 0
             THEN CASE WHEN a.start_date BETWEEN p.period_from AND p.period_to THEN 1.0 ELSE 0.0 END
             ELSE wd(greatest(a.start_date, p.period_from) - 1, least(a.end_date, p.period_to))
                  / a.absence_wd
        END AS share
    FROM periods AS p
    JOIN absences AS a
      ON a.start_date <= p.period_to
     AND (a.end_date IS NULL OR a.end_date >= p.period_from)
)
SELECT
    period_from,
    period_to,
    'absence ' || absence_id    AS unit_id,
    CAST(NULL AS VARCHAR)       AS person_id,
    team_id                     AS team,
    working_days_lost * share   AS numerator,
    0.0                         AS denominator,
    staff_id,
    role,
    start_date,
    end_date,
    working_days_lost,
    CAST(NULL AS DOUBLE)        AS fte
FROM apportioned
WHERE share > 0
UNION ALL
SELECT
    period_from,
    period_to,
    'in post ' || staff_id      AS unit_id,
    CAST(NULL AS VARCHAR)       AS person_id,
    team_id                     AS team,
    0.0                         AS numerator,
    fte * wd(period_from - 1, period_to) AS denominator,
    staff_id,
    role,
    start_date,
    end_date,
    CAST(NULL AS DOUBLE)        AS working_days_lost,
    fte
FROM sw_in_post_at_period_end
WHERE employed
