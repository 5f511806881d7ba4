-- contacts_completed_1wd_pct: one row per contact dated in the period. In time when a
-- decision is recorded and wd(contact, completed) <= the local standard; a contact with
-- no completed date (or one outside the calendar) is not in time.
WITH dated AS (
    SELECT
        p.period_from,
        p.period_to,
        c.*,
        wd(c.cont_contact_date, c.cont_contact_completed_date) AS working_days
    FROM periods AS p
    JOIN ssd_contacts AS c
      ON c.cont_contact_date BETWEEN p.period_from AND p.period_to
),
judged AS (
    SELECT *, coalesce(working_days <= $contact_decision_working_days, false) AS in_timescale
    FROM dated
)
SELECT
    period_from,
    period_to,
    cont_contact_id                     AS unit_id,
    cont_person_id                      AS person_id,
    cont_contact_team                   AS team,
    CASE WHEN in_timescale THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    cont_contact_date                   AS contact_date,
    cont_contact_completed_date         AS completed_date,
    working_days,
    in_timescale,
    cont_contact_source_code            AS contact_source
FROM judged
