-- sw_leavers: one row per employed social-worker spell that ended in the period with its
-- holder leaving the authority (sw_leaving_spells).
SELECT
    p.period_from,
    p.period_to,
    l.staff_id              AS unit_id,
    CAST(NULL AS VARCHAR)   AS person_id,
    l.team_id               AS team,
    1                       AS numerator,
    CAST(NULL AS INTEGER)   AS denominator,
    l.professional_id,
    l.role,
    l.employment_type,
    l.fte,
    l.start_date,
    l.end_date,
    l.leaving_reason
FROM periods AS p
JOIN sw_leaving_spells AS l
  ON l.end_date BETWEEN p.period_from AND p.period_to
