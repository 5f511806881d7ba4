-- Children with an allocated social worker at the as-at date, one row each: the latest open
-- ALLOCATED_SW involvement decides the team (as team_allocated.sql), chosen before the scope is
-- applied so a child with two open allocations belongs to the newer team only.
SELECT person_id, team, worker_id, start_date AS allocated_since
FROM allocations
WHERE start_date <= $as_at AND (end_date IS NULL OR end_date > $as_at)
QUALIFY row_number() OVER (PARTITION BY person_id
                           ORDER BY start_date DESC, involvement_number DESC NULLS LAST,
                                    involvement_id DESC) = 1
   AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), team), false))
ORDER BY team, person_id
