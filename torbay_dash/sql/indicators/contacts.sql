-- contacts: one row per contact dated in the period, whatever its outcome.
SELECT
    p.period_from,
    p.period_to,
    c.cont_contact_id                   AS unit_id,
    c.cont_person_id                    AS person_id,
    c.cont_contact_team                 AS team,
    1                                   AS numerator,
    CAST(NULL AS INTEGER)               AS denominator,
    c.cont_contact_date                 AS contact_date,
    c.cont_contact_completed_date       AS completed_date,
    wd(c.cont_contact_date, c.cont_contact_completed_date) AS working_days,
    c.cont_contact_source_code          AS contact_source
FROM periods AS p
JOIN ssd_contacts AS c
  ON c.cont_contact_date BETWEEN p.period_from AND p.period_to
