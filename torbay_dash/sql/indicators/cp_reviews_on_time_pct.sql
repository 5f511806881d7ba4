-- cp_reviews_on_time_pct: one row per CP review held in the period with a due date; on
-- time when held on or before it. The team is the child's allocated team on the review date.
SELECT
    p.period_from,
    p.period_to,
    r.cppr_cp_review_id                 AS unit_id,
    r.cppr_person_id                    AS person_id,
    r.cppr_cp_review_date               AS team_date,
    CASE WHEN r.cppr_cp_review_date <= r.cppr_cp_review_due THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    r.cppr_cp_plan_id                   AS plan_id,
    r.cppr_cp_review_due                AS due_date,
    r.cppr_cp_review_date               AS review_date,
    greatest(r.cppr_cp_review_date - r.cppr_cp_review_due, 0) AS days_late,
    r.cppr_cp_review_date <= r.cppr_cp_review_due AS in_timescale
FROM periods AS p
JOIN ssd_cp_reviews AS r
  ON r.cppr_cp_review_date BETWEEN p.period_from AND p.period_to
WHERE r.cppr_cp_review_due IS NOT NULL
