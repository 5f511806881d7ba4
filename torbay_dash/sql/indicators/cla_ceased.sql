-- cla_ceased: one row per period of care that ceased in the period: every episode has a
-- ceased date and the latest of them is in the period (so a later episode of the same
-- period of care, open or ceasing after the period, means it has not ceased). Left out:
-- short breaks (the child's legal status in force on the start date of the episode that
-- ceased last is V3 or V4). The team is the child's allocated team on the ceased date.
WITH ceased AS (
    SELECT p.period_from, p.period_to, c.*
    FROM periods AS p
    JOIN periods_of_care AS c
      ON c.ceased_date BETWEEN p.period_from AND p.period_to
),
status AS (
    SELECT s.period_from, s.period_to, s.cla_id, l.lega_legal_status
    FROM ceased AS s
    JOIN ssd_legal_status AS l
      ON l.lega_person_id = s.person_id
     AND l.lega_legal_status_start_date <= s.last_episode_start_date
     AND (l.lega_legal_status_end_date IS NULL OR l.lega_legal_status_end_date > s.last_episode_start_date)
    QUALIFY row_number() OVER (
        PARTITION BY s.period_from, s.period_to, s.cla_id
        ORDER BY l.lega_legal_status_start_date DESC, l.lega_legal_status_id DESC) = 1
)
SELECT
    s.period_from,
    s.period_to,
    s.cla_id                    AS unit_id,
    s.person_id,
    s.ceased_date               AS team_date,
    1                           AS numerator,
    CAST(NULL AS INTEGER)       AS denominator,
    s.cla_id,
    s.entered_care_date,
    s.ceased_date,
    s.ceased_reason,
    st.lega_legal_status        AS legal_status,
    s.ceased_date - s.entered_care_date AS days_in_care,
    s.episodes
FROM ceased AS s
LEFT JOIN status AS st
  ON st.period_from = s.period_from AND st.period_to = s.period_to AND st.cla_id = s.cla_id
WHERE coalesce(st.lega_legal_status, '') NOT IN ('V3', 'V4')
