-- cla_3plus_placements_pct: one row per child looked after at the period end; in the
-- numerator with 3 or more distinct placements (ssd_cla_placement, matched on the child,
-- clap_person_id) open on any day of [to - 12 months + 1 day, to]. Open on day d: start <= d
-- and (end null or end > d), so a placement ending on the window's first day is not counted.
WITH windowed AS (
    SELECT c.*, CAST(c.period_to - INTERVAL 12 MONTH AS DATE) + 1 AS window_start
    FROM cla_at_period_end AS c
),
counted AS (
    SELECT w.period_from, w.period_to, w.person_id, count(DISTINCT pl.clap_cla_placement_id) AS placements
    FROM windowed AS w
    JOIN ssd_cla_placement AS pl
      ON pl.clap_person_id = w.person_id
     AND pl.clap_cla_placement_start_date <= w.period_to
     AND (pl.clap_cla_placement_end_date IS NULL
          OR pl.clap_cla_placement_end_date > greatest(pl.clap_cla_placement_start_date, w.window_start))
    GROUP BY ALL
)
SELECT
    w.period_from,
    w.period_to,
    w.person_id                         AS unit_id,
    w.person_id,
    w.period_to                         AS team_date,
    CASE WHEN coalesce(n.placements, 0) >= 3 THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    w.window_start,
    coalesce(n.placements, 0)           AS placements_in_12_months,
    w.placement_id,
    w.entered_care_date
FROM windowed AS w
LEFT JOIN counted AS n
  ON n.period_from = w.period_from AND n.period_to = w.period_to AND n.person_id = w.person_id
