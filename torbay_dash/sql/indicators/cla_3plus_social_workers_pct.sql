-- cla_3plus_social_workers_pct: one row per child looked after at the period end; in the
-- numerator with 3 or more distinct allocated social workers (invo_professional_id of
-- ALLOCATED_SW involvements of the child, invo_person_id) open on any day of
-- [to - 12 months + 1 day, to]. Open on day d: start <= d and (end null or end > d), so an
-- allocation ending on the window's first day does not count; one with no professional id
-- is not a known worker.
WITH windowed AS (
    SELECT c.*, CAST(c.period_to - INTERVAL 12 MONTH AS DATE) + 1 AS window_start
    FROM cla_at_period_end AS c
),
counted AS (
    SELECT w.period_from, w.period_to, w.person_id, count(DISTINCT i.invo_professional_id) AS workers
    FROM windowed AS w
    JOIN ssd_involvements AS i
      ON i.invo_person_id = w.person_id
     AND i.invo_professional_role_id = 'ALLOCATED_SW'
     AND i.invo_professional_id IS NOT NULL
     AND i.invo_involvement_start_date <= w.period_to
     AND (i.invo_involvement_end_date IS NULL
          OR i.invo_involvement_end_date > greatest(i.invo_involvement_start_date, w.window_start))
    GROUP BY ALL
)
SELECT
    w.period_from,
    w.period_to,
    w.person_id                         AS unit_id,
    w.person_id,
    w.period_to                         AS team_date,
    CASE WHEN coalesce(n.workers, 0) >= 3 THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    w.window_start,
    coalesce(n.workers, 0)              AS social_workers_in_12_months,
    w.entered_care_date
FROM windowed AS w
LEFT JOIN counted AS n
  ON n.period_from = w.period_from AND n.period_to = w.period_to AND n.person_id = w.person_id
