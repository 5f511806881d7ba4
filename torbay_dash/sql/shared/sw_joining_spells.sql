-- sw_joining_spells: employed social-worker spells (sw_spells) with which the person joined
-- the authority: no other employed spell of the same person (employed_spells, any role) that
-- started earlier (on the same day: a smaller staff_id) and had not ended more than 7 days
-- before this start (no end, or an end on or after start - 7 days). A team move, a renewal or
-- a return within 7 days is not joining; an agency worker taking a permanent post is (the
-- earlier spell was not employed).
SELECT s.*
FROM sw_spells AS s
WHERE s.employed
  AND NOT EXISTS (
      SELECT 1 FROM employed_spells AS o
      WHERE o.person_key = s.person_key
        AND o.staff_id <> s.staff_id
        AND (o.start_date < s.start_date OR (o.start_date = s.start_date AND o.staff_id < s.staff_id))
        AND (o.end_date IS NULL OR o.end_date >= s.start_date - 7))
