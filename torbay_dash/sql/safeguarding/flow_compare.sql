-- The flow this period beside the same period a year earlier. Conversion: per 100 at the
-- stage before (contacts -> referrals -> ...), so a change of practice shows as a rate.
SELECT
    n.step,
    n.stage,
    n.n                                                                  AS this_period,
    b.n                                                                  AS year_before,
    CASE WHEN b.n > 0 THEN round(100.0 * (n.n - b.n) / b.n, 1) END       AS change_pct,
    CASE WHEN lag(n.n) OVER w > 0 THEN round(100.0 * n.n / lag(n.n) OVER w, 1) END AS per_100_previous,
    CASE WHEN lag(b.n) OVER w > 0 THEN round(100.0 * b.n / lag(b.n) OVER w, 1) END AS per_100_previous_year_before
FROM now AS n
JOIN before AS b USING (step)
WINDOW w AS (ORDER BY n.step)
ORDER BY n.step
