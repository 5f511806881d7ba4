-- DOB_AFTER_EVENT, one part per (event table, date column): events dated before the child's
-- date of birth. {pre_birth} is empty for events that cannot come before birth (care, placement,
-- legal status, health, missing...), and for pre-birth work (contacts, referrals, assessments,
-- S47, conferences, CP plans...) keeps only events too early even for an unborn child.
SELECT
    '{name}'            AS table_name,
    t.{record}          AS record_id,
    t.{person}          AS person_id,
    '{column_name}'     AS event,
    t.{column}          AS event_date,
    p.pers_dob          AS dob
FROM {table} AS t
JOIN ssd_person AS p ON p.pers_person_id = t.{person}
WHERE t.{column} < p.pers_dob {pre_birth}
