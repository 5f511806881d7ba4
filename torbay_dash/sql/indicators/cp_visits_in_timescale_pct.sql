-- cp_visits_in_timescale_pct: one row per child with a CP plan open at the period end that
-- started more than the local standard before it (wd(start, to) > standard); the latest
-- such plan is shown. In time when the child's latest seen visit on or before `to` has
-- wd(visit, to) <= standard (wd only grows as a visit gets older, so the latest decides).
WITH cohort AS (
    SELECT *
    FROM cp_plans_at_period_end
    WHERE wd(plan_start_date, period_to) > $cp_visit_working_days
    QUALIFY row_number() OVER (
        PARTITION BY period_from, period_to, person_id
        ORDER BY plan_start_date DESC, plan_id DESC) = 1
),
last_seen AS (
    SELECT c.period_from, c.period_to, c.person_id, max(v.cppv_cp_visit_date) AS last_seen_visit_date
    FROM cohort AS c
    JOIN ssd_cp_visits AS v
      ON v.cppv_person_id = c.person_id
     AND v.cppv_cp_visit_seen = 'Y'
     AND v.cppv_cp_visit_date <= c.period_to
    GROUP BY ALL
),
judged AS (
    SELECT
        c.*,
        l.last_seen_visit_date,
        wd(l.last_seen_visit_date, c.period_to) AS working_days_since_seen
    FROM cohort AS c
    LEFT JOIN last_seen AS l
      ON l.period_from = c.period_from AND l.period_to = c.period_to AND l.person_id = c.person_id
)
SELECT
    period_from,
    period_to,
    person_id                           AS unit_id,
    person_id,
    period_to                           AS team_date,
    CASE WHEN working_days_since_seen <= $cp_visit_working_days THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    plan_id,
    plan_start_date,
    last_seen_visit_date,
    working_days_since_seen,
    coalesce(working_days_since_seen <= $cp_visit_working_days, false) AS in_timescale
FROM judged
