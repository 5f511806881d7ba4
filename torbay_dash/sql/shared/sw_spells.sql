-- sw_spells: every social-worker spell of hr_staff (is_qualified_sw = 'Y'), one row per spell,
-- with a person key: the professional_id when present, else the spell's own staff_id (so a
-- spell with no professional_id is never matched to another spell). Spells with no start
-- date, no FTE or an employment type other than permanent, fixed_term or agency are left out.
SELECT
    s.staff_id,
    s.professional_id,
    CASE WHEN s.professional_id IS NOT NULL THEN 'P:' || s.professional_id
         ELSE 'S:' || s.staff_id END                          AS person_key,
    s.post_id,
    s.team_id,
    s.role,
    s.employment_type,
    s.employment_type IN ('permanent', 'fixed_term')          AS employed,
    s.fte,
    s.start_date,
    s.end_date,
    s.leaving_reason
FROM hr_staff AS s
WHERE s.is_qualified_sw = 'Y'
  AND s.start_date IS NOT NULL
  AND s.fte IS NOT NULL
  AND s.employment_type IN ('permanent', 'fixed_term', 'agency')
