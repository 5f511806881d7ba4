-- Growing our own: newly qualified (ASYE) starters and international recruits by the month
-- they started, agency workers converted to permanent posts, and how many of each are
-- still employed at the as-at date. One person may have several spells: a person is
-- counted once per group, by their first spell in it.
WITH spells AS (
    SELECT
        coalesce(professional_id, staff_id) AS person,
        staff_id, team_id, employment_type, start_date, end_date,
        is_asye, is_international_recruit, converted_from_agency
    FROM hr_staff
    WHERE ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), team_id), false))
),
groups AS (
    SELECT 'Newly qualified (ASYE)' AS route, person, min(start_date) AS started
    FROM spells WHERE is_asye = 'Y' GROUP BY ALL
    UNION ALL
    SELECT 'International recruits', person, min(start_date)
    FROM spells WHERE is_international_recruit = 'Y' GROUP BY ALL
    UNION ALL
    SELECT 'Converted from agency', person, min(start_date)
    FROM spells WHERE converted_from_agency = 'Y' AND employment_type IN ('permanent', 'fixed_term') GROUP BY ALL
),
employed_now AS (
    SELECT DISTINCT person FROM spells
    WHERE employment_type IN ('permanent', 'fixed_term')
      AND start_date <= $as_at AND (end_date IS NULL OR end_date > $as_at)
)
SELECT
    g.route,
    CAST(date_trunc('month', g.started) AS DATE)      AS month_started,
    count(*)                                          AS people,
    count(e.person)                                   AS still_employed
FROM groups AS g
LEFT JOIN employed_now AS e USING (person)
WHERE g.started <= $as_at AND g.started >= $since
GROUP BY ALL
ORDER BY ALL
