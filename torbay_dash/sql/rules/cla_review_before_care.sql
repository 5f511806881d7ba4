-- REVIEW_BEFORE_EPISODE (cared-for part): CLA reviews dated before their period of care began.
-- The period (clar_cla_id = clae_cla_id) began at the earliest of its episodes' starts and
-- clae_entered_care_date (an extract may hold only its later episodes). Reviews of a period
-- with no episodes, or with no date, are not judged.
WITH periods AS (
    SELECT
        clae_cla_id                                                          AS cla_id,
        min(clae_person_id)                                                  AS person_id,
        least(min(clae_cla_episode_start_date), min(clae_entered_care_date)) AS care_start
    FROM ssd_cla_episodes
    WHERE clae_cla_id IS NOT NULL
    GROUP BY clae_cla_id
)
SELECT
    'ssd_cla_reviews'           AS table_name,
    r.clar_cla_review_id        AS record_id,
    pe.person_id                AS person_id,
    r.clar_cla_review_date      AS review_date,
    r.clar_cla_id               AS parent_id,
    pe.care_start               AS parent_start_date
FROM ssd_cla_reviews AS r
JOIN periods AS pe ON pe.cla_id = r.clar_cla_id
WHERE r.clar_cla_review_date < pe.care_start
