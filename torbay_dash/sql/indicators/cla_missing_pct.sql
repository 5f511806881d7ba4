-- cla_missing_pct: one row per child looked after at any time in the period: with an episode
-- open on some day of it (start <= to and (ceased null or ceased > the later of its start and
-- `from`)). The child's date is `to` when an episode is open then, else their last day in care
-- (the latest ceased date of those episodes - 1 day). Short breaks are left out: the legal
-- status in force on that date (the latest-starting one) is V3 or V4. In the numerator with a
-- missing episode of type 'M' starting in the period (whether or not it began in care).
-- The team is the child's allocated team on that date.
WITH overlapping AS (
    SELECT p.period_from, p.period_to, e.*
    FROM periods AS p
    JOIN ssd_cla_episodes AS e
      ON e.clae_cla_episode_start_date <= p.period_to
     AND (e.clae_cla_episode_ceased_date IS NULL
          OR e.clae_cla_episode_ceased_date > greatest(e.clae_cla_episode_start_date, p.period_from))
    WHERE e.clae_person_id IS NOT NULL
),
children AS (
    SELECT
        period_from,
        period_to,
        clae_person_id AS person_id,
        CASE WHEN bool_or(clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > period_to)
             THEN period_to
             ELSE CAST(max(clae_cla_episode_ceased_date) - 1 AS DATE) END AS reference_date,
        bool_or(clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > period_to) AS in_care_at_end
    FROM overlapping
    GROUP BY period_from, period_to, clae_person_id
),
status AS (
    SELECT c.period_from, c.period_to, c.person_id, l.lega_legal_status
    FROM children AS c
    JOIN ssd_legal_status AS l
      ON l.lega_person_id = c.person_id
     AND l.lega_legal_status_start_date <= c.reference_date
     AND (l.lega_legal_status_end_date IS NULL OR l.lega_legal_status_end_date > c.reference_date)
    QUALIFY row_number() OVER (
        PARTITION BY c.period_from, c.period_to, c.person_id
        ORDER BY l.lega_legal_status_start_date DESC, l.lega_legal_status_id DESC) = 1
),
missing AS (
    SELECT c.period_from, c.period_to, c.person_id,
           count(*) AS missing_episodes,
           min(m.miss_missing_episode_start_date) AS first_missing_date
    FROM children AS c
    JOIN ssd_missing AS m
      ON m.miss_person_id = c.person_id
     AND m.miss_missing_episode_type = 'M'
     AND m.miss_missing_episode_start_date BETWEEN c.period_from AND c.period_to
    GROUP BY ALL
)
SELECT
    c.period_from,
    c.period_to,
    c.person_id                         AS unit_id,
    c.person_id,
    c.reference_date                    AS team_date,
    CASE WHEN m.missing_episodes IS NULL THEN 0 ELSE 1 END AS numerator,
    1                                   AS denominator,
    c.in_care_at_end,
    c.reference_date,
    coalesce(m.missing_episodes, 0)     AS missing_episodes,
    m.first_missing_date
FROM children AS c
LEFT JOIN status AS s
  ON s.period_from = c.period_from AND s.period_to = c.period_to AND s.person_id = c.person_id
LEFT JOIN missing AS m
  ON m.period_from = c.period_from AND m.period_to = c.period_to AND m.person_id = c.person_id
WHERE coalesce(s.lega_legal_status, '') NOT IN ('V3', 'V4')
