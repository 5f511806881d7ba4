-- staff_team: one row per social-worker spell in post at the as-at date (sw_in_post_at_period_end
-- over one period ending then), in scope by the spell's team (hr_staff.team_id; none: UNALLOCATED,
-- as the workforce indicators do). Reads the unit rows of two indicators, given as CTEs:
--   caseload     sw_avg_caseload: one row per professional holding cases, counted once against the FTE
--                of all their spells in post and put on their latest-starting spell (its staff_id);
--   supervision  sw_supervision_in_timescale_pct: one row per spell in post longer than the standard,
--                numerator 0 when not supervised within it.
-- So `cases` summed over spells is the indicator's numerator, a professional's other spells show 0
-- cases but the same cases_per_fte, and supervision_overdue is exactly the indicator's numerator 0.
-- A spell with no professional_id holds no cases (it cannot be matched to involvements).
WITH last_supervision AS (
    SELECT s.staff_id, max(v.supervision_date) AS last_supervision
    FROM sw_in_post_at_period_end AS s
    JOIN hr_supervision AS v
      ON v.staff_id = s.staff_id AND v.supervision_date <= s.period_to
    GROUP BY ALL
),
staff AS (
    SELECT s.*, coalesce(s.team_id, 'UNALLOCATED') AS team, coalesce(h.is_asye = 'Y', false) AS is_asye
    FROM sw_in_post_at_period_end AS s
    JOIN hr_staff AS h ON h.staff_id = s.staff_id
)
SELECT
    s.staff_id,
    s.professional_id                                          AS worker_id,
    s.team,
    s.role,
    s.employment_type,
    s.employment_type = 'agency'                               AS agency,
    s.fte,
    s.is_asye,
    s.start_date                                               AS started,
    CAST(CASE WHEN c.staff_id = s.staff_id THEN c.numerator ELSE 0 END AS BIGINT) AS cases,
    CASE WHEN c.professional_id IS NOT NULL THEN c.cases_per_fte
         WHEN s.fte > 0 THEN 0.0 END                           AS cases_per_fte,
    coalesce(c.cases_per_fte > $caseload_threshold, false)     AS above_threshold,
    l.last_supervision,
    coalesce(v.numerator = 0, false)                           AS supervision_overdue
FROM staff AS s
LEFT JOIN caseload AS c ON c.professional_id = s.professional_id
LEFT JOIN supervision AS v ON v.unit_id = s.staff_id
LEFT JOIN last_supervision AS l ON l.staff_id = s.staff_id
WHERE ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), s.team), false))
ORDER BY s.team, s.staff_id
