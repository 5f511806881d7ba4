-- sw_leaving_spells: employed social-worker spells (sw_spells) that ended with the person
-- leaving the authority: no other employed spell of the same person (employed_spells, any
-- role) that starts on or before end + 7 days and runs past the end (no end, or an end after
-- it). A team move, a renewal or a return within 7 days is not leaving; a return 8 days
-- later is. An employed social worker who goes on as agency has left.
SELECT s.*
FROM sw_spells AS s
WHERE s.employed
  AND s.end_date IS NOT NULL
  AND NOT EXISTS (
      SELECT 1 FROM employed_spells AS o
      WHERE o.person_key = s.person_key
        AND o.staff_id <> s.staff_id
        AND o.start_date <= s.end_date + 7
        AND (o.end_date IS NULL OR o.end_date > s.end_date))
