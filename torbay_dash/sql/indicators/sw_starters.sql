-- sw_starters: one row per employed social-worker spell with which its holder joined the
-- authority (sw_joining_spells) starting in the period.
SELECT
    p.period_from,
    p.period_to,
    j.staff_id              AS unit_id,
    CAST(NULL AS VARCHAR)   AS person_id,
    j.team_id               AS team,
    1                       AS numerator,
    CAST(NULL AS INTEGER)   AS denominator,
    j.professional_id,
    j.role,
    j.employment_type,
    j.fte,
    j.start_date
FROM periods AS p
JOIN sw_joining_spells AS j
  ON j.start_date BETWEEN p.period_from AND p.period_to
