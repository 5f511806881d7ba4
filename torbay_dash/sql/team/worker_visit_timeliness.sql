-- worker_visit_timeliness: from the unit rows of the visit indicators at the period end, in scope
-- (registered as `units`: indicator, worker_id, numerator, denominator; the worker is the one of the
-- child's allocated team at the period end, as compute's team lookup gives it), the sums for the
-- worker's children and for the whole scope: one row per indicator (`indicators`) and who, zeros
-- when there are no rows. No worker ($worker_id null): the scope's rows only.
WITH who AS (
    SELECT 'worker' AS who, 0 AS who_order WHERE $worker_id IS NOT NULL
    UNION ALL
    SELECT 'team', 1
),
sums AS (
    SELECT i.indicator, i.indicator_order, w.who, w.who_order,
           coalesce(sum(u.numerator), 0)   AS numerator,
           coalesce(sum(u.denominator), 0) AS denominator
    FROM indicators AS i
    CROSS JOIN who AS w
    LEFT JOIN units AS u
      ON u.indicator = i.indicator AND (w.who = 'team' OR u.worker_id = $worker_id)
    GROUP BY ALL
)
SELECT
    indicator,
    who,
    CAST(numerator AS BIGINT)                              AS numerator,
    CAST(denominator AS BIGINT)                            AS denominator,
    100.0 * numerator / nullif(denominator, 0)             AS value
FROM sums
ORDER BY indicator_order, who_order
