-- sw_vacancy_rate_pct: one row per social-worker post (is_social_worker_post = 'Y') open at
-- the period end (start <= to, end null or > to; posts with no FTE or start are left out):
-- numerator its vacancy FTE, the post's FTE minus the FTE of employed social workers in post
-- holding it, never below 0 (agency cover does not fill a post); denominator that vacancy
-- plus the employed FTE holding it. Then one row per employed social worker in post whose
-- post_id names no open social-worker post (none, closed, or not a social-worker post):
-- numerator 0, denominator their FTE. So the denominator is vacancy FTE + all employed SW FTE.
WITH open_posts AS (
    SELECT p.period_from, p.period_to, h.post_id, h.team_id, h.role, h.fte
    FROM periods AS p
    JOIN hr_posts AS h
      ON h.start_date <= p.period_to
     AND (h.end_date IS NULL OR h.end_date > p.period_to)
    WHERE h.is_social_worker_post = 'Y' AND h.fte IS NOT NULL
),
employed AS (
    SELECT * FROM sw_in_post_at_period_end WHERE employed
),
held AS (
    SELECT o.period_from, o.period_to, o.post_id, sum(e.fte) AS held_fte, count(*) AS holders
    FROM open_posts AS o
    JOIN employed AS e
      ON e.period_from = o.period_from AND e.period_to = o.period_to AND e.post_id = o.post_id
    GROUP BY ALL
),
post_rows AS (
    SELECT
        o.period_from,
        o.period_to,
        'post ' || o.post_id                            AS unit_id,
        o.team_id                                       AS team,
        greatest(o.fte - coalesce(h.held_fte, 0), 0)    AS numerator,
        greatest(o.fte - coalesce(h.held_fte, 0), 0) + coalesce(h.held_fte, 0) AS denominator,
        o.post_id,
        CAST(NULL AS VARCHAR)                           AS staff_id,
        o.role,
        o.fte                                           AS post_fte,
        coalesce(h.held_fte, 0)                         AS employed_fte
    FROM open_posts AS o
    LEFT JOIN held AS h
      ON h.period_from = o.period_from AND h.period_to = o.period_to AND h.post_id = o.post_id
),
staff_rows AS (
    SELECT
        e.period_from,
        e.period_to,
        'staff ' || e.staff_id                          AS unit_id,
        e.team_id                                       AS team,
        0.0                                             AS numerator,
        e.fte                                           AS denominator,
        e.post_id,
        e.staff_id,
        e.role,
        CAST(NULL AS DOUBLE)                            AS post_fte,
        e.fte                                           AS employed_fte
    FROM employed AS e
    WHERE NOT EXISTS (
        SELECT 1 FROM open_posts AS o
        WHERE o.period_from = e.period_from AND o.period_to = e.period_to AND o.post_id = e.post_id)
)
SELECT period_from, period_to, unit_id, CAST(NULL AS VARCHAR) AS person_id, team, numerator, denominator,
       post_id, staff_id, role, post_fte, employed_fte
FROM post_rows
UNION ALL
SELECT period_from, period_to, unit_id, CAST(NULL AS VARCHAR) AS person_id, team, numerator, denominator,
       post_id, staff_id, role, post_fte, employed_fte
FROM staff_rows
