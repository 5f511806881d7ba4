-- employed_spells: every employed spell of hr_staff (permanent or fixed_term, any role,
-- qualified social worker or not) with a start date, keyed to its person as in sw_spells.
-- Used to tell whether a social worker joined or left the authority.
SELECT
    s.staff_id,
    CASE WHEN s.professional_id IS NOT NULL THEN 'P:' || s.professional_id
         ELSE 'S:' || s.staff_id END AS person_key,
    s.start_date,
    s.end_date
FROM hr_staff AS s
WHERE s.employment_type IN ('permanent', 'fixed_term')
  AND s.start_date IS NOT NULL
