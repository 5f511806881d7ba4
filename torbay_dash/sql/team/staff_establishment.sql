-- staff_establishment: one row per team from the unit rows of two indicators at the as-at date,
-- given as CTEs, so each team's percentages are the indicators' own by-team figures:
--   vacancy  sw_vacancy_rate_pct: a row per open social-worker post (post_fte, employed_fte holding
--            it, numerator its vacancy FTE) and per employed social worker holding no open post
--            (post_fte null, denominator their FTE);
--   agency   sw_agency_rate_pct: a row per social-worker spell in post (numerator its FTE if agency).
-- funded_fte is the posts' FTE, filled_fte the part of it held by employed social workers (each post
-- at most its own FTE), so funded_fte = filled_fte + vacancy_fte. A row with no team is UNALLOCATED,
-- as in the indicators.
WITH posts AS (
    SELECT
        coalesce(team, 'UNALLOCATED')                                               AS team,
        sum(post_fte)                                                               AS funded_fte,
        sum(CASE WHEN post_fte IS NOT NULL THEN least(post_fte, employed_fte) END) AS filled_fte,
        sum(numerator)                                                              AS vacancy_fte,
        sum(denominator)                                                            AS vacancy_denominator
    FROM vacancy
    GROUP BY ALL
),
staff AS (
    SELECT
        coalesce(team, 'UNALLOCATED')                                               AS team,
        sum(denominator - numerator)                                                AS employed_fte,
        sum(numerator)                                                              AS agency_fte,
        sum(denominator)                                                            AS agency_denominator
    FROM agency
    GROUP BY ALL
)
SELECT
    team,
    coalesce(p.funded_fte, 0.0)                                     AS funded_fte,
    coalesce(p.filled_fte, 0.0)                                     AS filled_fte,
    coalesce(s.employed_fte, 0.0)                                   AS employed_fte,
    coalesce(s.agency_fte, 0.0)                                     AS agency_fte,
    coalesce(p.vacancy_fte, 0.0)                                    AS vacancy_fte,
    100.0 * s.agency_fte / nullif(s.agency_denominator, 0)          AS agency_pct,
    100.0 * p.vacancy_fte / nullif(p.vacancy_denominator, 0)        AS vacancy_pct
FROM posts AS p
FULL JOIN staff AS s USING (team)
WHERE ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), team), false))
ORDER BY team
