-- cla_health_assessment_pct: one row per child looked after at the period end whose period of care began
-- (the open episode's entered-care date) on or before to - 12 months; in the numerator with a
-- check of type 'health assessment' (case-insensitive), status 'Completed', dated in (to - 12 months, to].
WITH cohort AS (
    SELECT c.*, CAST(c.period_to - INTERVAL 12 MONTH AS DATE) AS year_before
    FROM cla_at_period_end AS c
    WHERE c.entered_care_date <= CAST(c.period_to - INTERVAL 12 MONTH AS DATE)
),
checks AS (
    SELECT c.period_from, c.period_to, c.person_id, max(h.clah_health_check_date) AS last_check_date
    FROM cohort AS c
    JOIN ssd_cla_health AS h
      ON h.clah_person_id = c.person_id
     AND lower(h.clah_health_check_type) = 'health assessment'
     AND h.clah_health_check_status = 'Completed'
     AND h.clah_health_check_date > c.year_before
     AND h.clah_health_check_date <= c.period_to
    GROUP BY ALL
)
SELECT
    c.period_from,
    c.period_to,
    c.person_id                         AS unit_id,
    c.person_id,
    c.period_to                         AS team_date,
    CASE WHEN k.last_check_date IS NULL THEN 0 ELSE 1 END AS numerator,
    1                                   AS denominator,
    c.entered_care_date,
    k.last_check_date,
    k.last_check_date IS NOT NULL       AS in_timescale
FROM cohort AS c
LEFT JOIN checks AS k
  ON k.period_from = c.period_from AND k.period_to = c.period_to AND k.person_id = c.person_id
