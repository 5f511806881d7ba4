-- One row per period for indicators that count distinct children whose unit rows are
-- (child, team) pairs: a child counted in two teams is one child overall.
SELECT
    p.period_from,
    p.period_to,
    NULL                                                          AS team,
    count(DISTINCT s.person_id) FILTER (WHERE s.numerator > 0)    AS numerator,
    CAST(NULL AS INTEGER)                                         AS denominator
FROM periods AS p
LEFT JOIN scoped AS s USING (period_from, period_to)
GROUP BY ALL
ORDER BY ALL
