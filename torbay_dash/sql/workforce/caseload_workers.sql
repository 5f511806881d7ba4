-- From the unit rows of sw_avg_caseload (registered as `rows`: one per social worker in
-- post holding cases): cases per FTE for each worker. Names come from ssd_professionals
-- only when $named (a team's own view); otherwise the worker's id.
SELECT
    CASE WHEN $named THEN coalesce(p.prof_professional_name, r.professional_id) ELSE r.professional_id END AS worker,
    r.team,
    r.numerator                                   AS cases,
    r.denominator                                 AS fte,
    round(r.numerator / nullif(r.denominator, 0), 1) AS cases_per_fte,
    CASE WHEN r.numerator / nullif(r.denominator, 0) > $threshold THEN 'above threshold'
         ELSE 'within threshold' END              AS above
FROM rows AS r
LEFT JOIN ssd_professionals AS p ON p.prof_professional_id = r.professional_id
ORDER BY cases_per_fte DESC
