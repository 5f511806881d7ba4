-- cla_visits_in_timescale_pct: one row per child looked after at the period end. In time when
-- the open episode's placement started within the last 7 days (to - start < 7: started in
-- (to - 7 days, to]), or the child's latest seen visit (clav_cla_visit_seen = 'Y', matched on
-- clav_person_id, dated on or before `to`) has to - visit <= the interval: 91 days when the
-- placement started more than 365 days before `to` (to - start > 365) and is U1 or U4,
-- otherwise 42. Only the latest seen visit matters: to - visit only grows as a visit gets older.
WITH cohort AS (
    SELECT
        c.*,
        CASE WHEN c.placement_type IN ('U1', 'U4') AND c.period_to - c.placement_start_date > 365
             THEN 91 ELSE 42 END AS interval_days,
        coalesce(c.period_to - c.placement_start_date < 7, false) AS new_placement
    FROM cla_placement_at_period_end AS c
),
last_seen AS (
    SELECT c.period_from, c.period_to, c.person_id, max(v.clav_cla_visit_date) AS last_seen_visit_date
    FROM cohort AS c
    JOIN ssd_cla_visits AS v
      ON v.clav_person_id = c.person_id
     AND v.clav_cla_visit_seen = 'Y'
     AND v.clav_cla_visit_date <= c.period_to
    GROUP BY ALL
),
judged AS (
    SELECT
        c.*,
        l.last_seen_visit_date,
        c.period_to - l.last_seen_visit_date AS days_since_seen,
        c.new_placement OR coalesce(c.period_to - l.last_seen_visit_date <= c.interval_days, false) AS in_timescale
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
    CASE WHEN in_timescale THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    placement_id,
    placement_start_date,
    placement_type,
    placement_provider,
    new_placement,
    interval_days,
    last_seen_visit_date,
    days_since_seen,
    CAST(last_seen_visit_date + interval_days AS DATE) AS next_visit_due,
    CASE WHEN in_timescale THEN 0
         WHEN last_seen_visit_date IS NULL THEN NULL
         ELSE days_since_seen - interval_days END AS days_overdue,
    in_timescale
FROM judged
