-- cla_starts: one row per period of care whose entered-care date is in the period. Left
-- out: short breaks (the child's legal status in force on the entered-care date, the
-- latest-starting one, is V3 or V4). The team is the child's allocated team on that date.
WITH started AS (
    SELECT p.period_from, p.period_to, c.*
    FROM periods AS p
    JOIN periods_of_care AS c
      ON c.entered_care_date BETWEEN p.period_from AND p.period_to
),
status AS (
    SELECT s.period_from, s.period_to, s.cla_id, l.lega_legal_status
    FROM started AS s
    JOIN ssd_legal_status AS l
      ON l.lega_person_id = s.person_id
     AND l.lega_legal_status_start_date <= s.entered_care_date
     AND (l.lega_legal_status_end_date IS NULL OR l.lega_legal_status_end_date > s.entered_care_date)
    QUALIFY row_number() OVER (
        PARTITION BY s.period_from, s.period_to, s.cla_id
        ORDER BY l.lega_legal_status_start_date DESC, l.lega_legal_status_id DESC) = 1
)
SELECT
    s.period_from,
    s.period_to,
    s.cla_id                    AS unit_id,
    s.person_id,
    s.entered_care_date         AS team_date,
    1                           AS numerator,
    CAST(NULL AS INTEGER)       AS denominator,
    s.cla_id,
    s.entered_care_date,
    st.lega_legal_status        AS legal_status,
    s.ceased_date,
    s.episodes
FROM started AS s
LEFT JOIN status AS st
  ON st.period_from = s.period_from AND st.period_to = s.period_to AND st.cla_id = s.cla_id
WHERE coalesce(st.lega_legal_status, '') NOT IN ('V3', 'V4')
