-- cla_at_period_end: children looked after at each period end, one row per child.
-- Open at D: start <= D and (ceased is null or ceased > D). Children whose legal status
-- open at D (the latest-starting one) is a short break, V3 or V4, are left out.
WITH open_episodes AS (
    SELECT
        p.period_from, p.period_to,
        e.clae_person_id, e.clae_cla_id, e.clae_cla_episode_id,
        e.clae_cla_episode_start_date, e.clae_entered_care_date, e.clae_cla_placement_id
    FROM periods AS p
    JOIN ssd_cla_episodes AS e
      ON e.clae_cla_episode_start_date <= p.period_to
     AND (e.clae_cla_episode_ceased_date IS NULL OR e.clae_cla_episode_ceased_date > p.period_to)
    WHERE e.clae_person_id IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY p.period_from, p.period_to, e.clae_person_id
        ORDER BY e.clae_cla_episode_start_date DESC, e.clae_cla_episode_id DESC) = 1
),
legal_status_at_end AS (
    SELECT p.period_from, p.period_to, l.lega_person_id, l.lega_legal_status
    FROM periods AS p
    JOIN ssd_legal_status AS l
      ON l.lega_legal_status_start_date <= p.period_to
     AND (l.lega_legal_status_end_date IS NULL OR l.lega_legal_status_end_date > p.period_to)
    QUALIFY row_number() OVER (
        PARTITION BY p.period_from, p.period_to, l.lega_person_id
        ORDER BY l.lega_legal_status_start_date DESC, l.lega_legal_status_id DESC) = 1
)
SELECT
    o.period_from,
    o.period_to,
    o.clae_person_id              AS person_id,
    o.clae_cla_id                 AS cla_id,
    o.clae_cla_episode_id         AS episode_id,
    o.clae_cla_placement_id       AS placement_id,
    o.clae_entered_care_date      AS entered_care_date,
    o.clae_cla_episode_start_date AS episode_start_date,
    ls.lega_legal_status          AS legal_status
FROM open_episodes AS o
LEFT JOIN legal_status_at_end AS ls
  ON ls.period_from = o.period_from AND ls.period_to = o.period_to AND ls.lega_person_id = o.clae_person_id
WHERE coalesce(ls.lega_legal_status, '') NOT IN ('V3', 'V4')
