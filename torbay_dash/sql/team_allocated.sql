-- teamed: each unit row with the child's allocated team at team_date: the ALLOCATED_SW
-- involvement open then (latest start wins; ties go to the larger involvement id).
-- No open allocation gives UNALLOCATED.
SELECT
    u.*,
    coalesce(a.team, 'UNALLOCATED') AS team,
    a.worker_id                     AS worker_id
FROM units AS u
LEFT JOIN allocations AS a
  ON a.person_id = u.person_id
 AND a.start_date <= u.team_date
 AND (a.end_date IS NULL OR a.end_date > u.team_date)
QUALIFY row_number() OVER (
    PARTITION BY u.period_from, u.period_to, u.unit_id
    ORDER BY a.start_date DESC NULLS LAST, a.involvement_number DESC NULLS LAST,
             a.involvement_id DESC NULLS LAST) = 1
