-- One row per period and team that has unit rows in it.
SELECT
    period_from,
    period_to,
    team,
    sum(numerator)   AS numerator,
    sum(denominator) AS denominator
FROM scoped
GROUP BY ALL
ORDER BY ALL
