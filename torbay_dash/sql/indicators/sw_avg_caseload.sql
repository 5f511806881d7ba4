-- sw_avg_caseload: one row per professional with a social-worker spell in post at the period
-- end (agency included) who holds at least one ALLOCATED_SW involvement open then (start <=
-- to, end null or > to), matched on hr_staff.professional_id = invo_professional_id:
-- numerator the involvements, denominator the FTE of their spells in post. The team is that
-- of their latest-starting spell in post (ties: the larger staff_id). Spells with no
-- professional_id cannot be matched and hold no cases.
WITH workers AS (
    SELECT
        period_from,
        period_to,
        professional_id,
        sum(fte)                                                  AS fte,
        arg_max(team_id, (start_date, staff_id))                  AS team_id,
        arg_max(staff_id, (start_date, staff_id))                 AS staff_id,
        arg_max(employment_type, (start_date, staff_id))          AS employment_type,
        arg_max(role, (start_date, staff_id))                     AS role
    FROM sw_in_post_at_period_end
    WHERE professional_id IS NOT NULL
    GROUP BY ALL
),
cases AS (
    SELECT w.period_from, w.period_to, w.professional_id, count(*) AS cases
    FROM workers AS w
    JOIN ssd_involvements AS i
      ON i.invo_professional_id = w.professional_id
     AND i.invo_professional_role_id = 'ALLOCATED_SW'
     AND i.invo_involvement_start_date <= w.period_to
     AND (i.invo_involvement_end_date IS NULL OR i.invo_involvement_end_date > w.period_to)
    GROUP BY ALL
)
SELECT
    w.period_from,
    w.period_to,
    w.professional_id           AS unit_id,
    CAST(NULL AS VARCHAR)       AS person_id,
    w.team_id                   AS team,
    c.cases                     AS numerator,
    w.fte                       AS denominator,
    w.professional_id,
    w.staff_id,
    w.role,
    w.employment_type,
    CASE WHEN w.fte > 0 THEN c.cases / w.fte END AS cases_per_fte
FROM workers AS w
JOIN cases AS c
  ON c.period_from = w.period_from AND c.period_to = w.period_to AND c.professional_id = w.professional_id
