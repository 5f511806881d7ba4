-- periods_of_care: one row per period of care (clae_cla_id), built from its episodes.
-- Episodes with no period-of-care id or no start date are left out. The child is the one of
-- the earliest episode (earliest start, then the smaller episode id); the entered-care date
-- is the earliest clae_entered_care_date of its episodes. The period of care has ceased when
-- every episode has a ceased date; it ceased on the latest of them, and `last_episode_*`
-- describe the episode that ceased last (latest ceased date, then latest start, then the
-- larger episode id).
WITH episodes AS (
    SELECT *
    FROM ssd_cla_episodes
    WHERE clae_cla_id IS NOT NULL AND clae_cla_episode_start_date IS NOT NULL
),
summary AS (
    SELECT
        clae_cla_id                                         AS cla_id,
        min(clae_entered_care_date)                         AS entered_care_date,
        count(*)                                            AS episodes,
        bool_and(clae_cla_episode_ceased_date IS NOT NULL)  AS has_ceased,
        max(clae_cla_episode_ceased_date)                   AS latest_ceased_date
    FROM episodes
    GROUP BY clae_cla_id
),
first_episode AS (
    SELECT clae_cla_id, clae_person_id
    FROM episodes
    QUALIFY row_number() OVER (
        PARTITION BY clae_cla_id
        ORDER BY clae_cla_episode_start_date, clae_cla_episode_id) = 1
),
last_episode AS (
    SELECT clae_cla_id, clae_cla_episode_id, clae_cla_episode_start_date, clae_cla_episode_ceased_reason
    FROM episodes
    QUALIFY row_number() OVER (
        PARTITION BY clae_cla_id
        ORDER BY clae_cla_episode_ceased_date DESC NULLS FIRST, clae_cla_episode_start_date DESC,
                 clae_cla_episode_id DESC) = 1
)
SELECT
    s.cla_id,
    f.clae_person_id                                        AS person_id,
    s.entered_care_date,
    s.episodes,
    CASE WHEN s.has_ceased THEN s.latest_ceased_date END    AS ceased_date,
    l.clae_cla_episode_id                                   AS last_episode_id,
    l.clae_cla_episode_start_date                           AS last_episode_start_date,
    CASE WHEN s.has_ceased THEN l.clae_cla_episode_ceased_reason END AS ceased_reason
FROM summary AS s
JOIN first_episode AS f ON f.clae_cla_id = s.cla_id
JOIN last_episode AS l ON l.clae_cla_id = s.cla_id
