-- sw_supervision_in_timescale_pct: one row per social-worker spell (agency included) in post
-- at the period end that started more than the standard before it (start < to - standard
-- days); in the numerator when hr_supervision has a supervision of that spell (staff_id)
-- dated in (to - standard days, to].
WITH cohort AS (
    SELECT *, CAST(period_to - CAST($supervision_days AS INTEGER) AS DATE) AS window_start
    FROM sw_in_post_at_period_end
    WHERE start_date < period_to - CAST($supervision_days AS INTEGER)
),
latest AS (
    SELECT c.period_from, c.period_to, c.staff_id, max(v.supervision_date) AS last_supervision
    FROM cohort AS c
    JOIN hr_supervision AS v
      ON v.staff_id = c.staff_id AND v.supervision_date <= c.period_to
    GROUP BY ALL
)
SELECT
    c.period_from,
    c.period_to,
    c.staff_id              AS unit_id,
    CAST(NULL AS VARCHAR)   AS person_id,
    c.team_id               AS team,
    CASE WHEN l.last_supervision > c.window_start THEN 1 ELSE 0 END AS numerator,
    1                       AS denominator,
    c.professional_id,
    c.role,
    c.employment_type,
    c.start_date,
    l.last_supervision
FROM cohort AS c
LEFT JOIN latest AS l
  ON l.period_from = c.period_from AND l.period_to = c.period_to AND l.staff_id = c.staff_id
