-- cla_reviews_on_time_pct: one row per CLA review held in the period (clar_cla_review_date)
-- that is not cancelled (clar_cla_review_cancelled other than 'Y'; not recorded counts as not
-- cancelled) and has a due date; on time when held on or before it. The child is reached
-- through the period of care (clar_cla_id = clae_cla_id; the child of its earliest episode);
-- the team is the child's allocated team on the review date.
SELECT
    p.period_from,
    p.period_to,
    r.clar_cla_review_id                AS unit_id,
    c.person_id,
    r.clar_cla_review_date              AS team_date,
    CASE WHEN r.clar_cla_review_date <= r.clar_cla_review_due_date THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    r.clar_cla_id                       AS cla_id,
    r.clar_cla_review_due_date          AS due_date,
    r.clar_cla_review_date              AS review_date,
    greatest(r.clar_cla_review_date - r.clar_cla_review_due_date, 0) AS days_late,
    r.clar_cla_review_date <= r.clar_cla_review_due_date AS in_timescale
FROM periods AS p
JOIN ssd_cla_reviews AS r
  ON r.clar_cla_review_date BETWEEN p.period_from AND p.period_to
LEFT JOIN periods_of_care AS c
  ON c.cla_id = r.clar_cla_id
WHERE coalesce(r.clar_cla_review_cancelled, '') <> 'Y'
  AND r.clar_cla_review_due_date IS NOT NULL
