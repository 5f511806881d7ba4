-- One row per period: the sums over the unit rows in scope. A period with no units has
-- numerator 0 and denominator 0 (a percentage of nothing is null, not 0%).
SELECT
    p.period_from,
    p.period_to,
    NULL                                AS team,
    coalesce(sum(s.numerator), 0)       AS numerator,
    CASE WHEN count(s.unit_id) = 0 THEN 0 ELSE sum(s.denominator) END AS denominator
FROM periods AS p
LEFT JOIN scoped AS s USING (period_from, period_to)
GROUP BY ALL
ORDER BY ALL
