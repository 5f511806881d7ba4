-- Reviews of children looked after not yet held that are due within the next $window
-- working days of the as-at date, or overdue (cancelled reviews left out), in scope.
WITH due AS (
    SELECT r.clar_cla_review_id, r.clar_cla_id, r.clar_cla_review_due_date AS due_date,
           e.clae_person_id AS person_id
    FROM ssd_cla_reviews AS r
    JOIN ssd_cla_episodes AS e
      ON e.clae_cla_id = r.clar_cla_id
     AND e.clae_cla_episode_start_date <= $as_at
     AND (e.clae_cla_episode_ceased_date IS NULL OR e.clae_cla_episode_ceased_date > $as_at)
    WHERE (r.clar_cla_review_date IS NULL OR r.clar_cla_review_date > $as_at)
      AND coalesce(r.clar_cla_review_cancelled, 'N') <> 'Y'
      AND r.clar_cla_review_due_date IS NOT NULL
      AND wd(CAST($as_at AS DATE), r.clar_cla_review_due_date) <= $window
      AND r.clar_cla_review_due_date > CAST($as_at AS DATE) - INTERVAL 6 MONTH
    QUALIFY row_number() OVER (PARTITION BY r.clar_cla_review_id ORDER BY e.clae_cla_episode_start_date DESC) = 1
),
-- the child's team is their latest open allocation, chosen before the scope is applied: a scope that
-- filtered first would hand a child with two open allocations to the older team as well
latest AS (
    SELECT d.*, coalesce(a.team, 'UNALLOCATED') AS team, a.worker_id
    FROM due AS d
    LEFT JOIN allocations AS a
      ON a.person_id = d.person_id AND a.start_date <= $as_at AND (a.end_date IS NULL OR a.end_date > $as_at)
    QUALIFY row_number() OVER (PARTITION BY d.clar_cla_review_id
                               ORDER BY a.start_date DESC NULLS LAST, a.involvement_number DESC NULLS LAST) = 1
)
SELECT
    person_id, clar_cla_id AS period_of_care, due_date,
    wd(CAST($as_at AS DATE), due_date) AS working_days_until_due,
    CASE WHEN due_date < CAST($as_at AS DATE) THEN 'overdue' ELSE 'due' END AS status,
    team, worker_id
FROM latest
WHERE ($teams IS NULL OR list_contains(CAST($teams AS VARCHAR[]), team))
ORDER BY due_date, person_id
