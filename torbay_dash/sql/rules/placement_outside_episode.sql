-- PLACEMENT_OUTSIDE_EPISODE: placements not inside the period of care they belong to.
-- A period of care (clae_cla_id) runs from its entry to care (the earliest of its episodes'
-- starts and clae_entered_care_date, since an extract may hold only its later episodes) to the
-- latest ceased date of its episodes, or stays open while any episode is open. Its episodes
-- follow one another without gaps, and one placement may span several (a change of legal
-- status starts a new episode), so the honest test is against the whole period, not each
-- episode: the placement must start on or after entry to care and, if the period has ceased,
-- end on or before that (a placement still open in a ceased period fails). A placement whose
-- clap_cla_id names no period with episodes is tested against every period of its child and
-- fails when none holds it, or the child has none.
WITH periods AS (
    SELECT
        clae_cla_id                                                          AS cla_id,
        clae_person_id                                                       AS person_id,
        least(min(clae_cla_episode_start_date), min(clae_entered_care_date)) AS care_start,
        CASE WHEN bool_and(clae_cla_episode_ceased_date IS NOT NULL)
             THEN max(clae_cla_episode_ceased_date) END                      AS care_end
    FROM ssd_cla_episodes
    WHERE clae_cla_id IS NOT NULL AND clae_cla_episode_start_date IS NOT NULL
    GROUP BY clae_cla_id, clae_person_id
),
placements AS (
    SELECT
        pl.clap_cla_placement_id                                             AS record_id,
        pl.clap_person_id                                                    AS person_id,
        pl.clap_cla_id                                                       AS cla_id,
        pl.clap_cla_placement_start_date                                     AS start_date,
        pl.clap_cla_placement_end_date                                       AS end_date,
        EXISTS (SELECT 1 FROM periods AS pe WHERE pe.cla_id = pl.clap_cla_id) AS cla_id_known
    FROM ssd_cla_placement AS pl
    WHERE pl.clap_cla_placement_start_date IS NOT NULL
),
candidates AS (
    SELECT p.*, pe.cla_id AS care_cla_id, pe.care_start, pe.care_end
    FROM placements AS p
    JOIN periods AS pe ON pe.cla_id = p.cla_id
    UNION ALL
    SELECT p.*, pe.cla_id AS care_cla_id, pe.care_start, pe.care_end
    FROM placements AS p
    LEFT JOIN periods AS pe ON pe.person_id = p.person_id
    WHERE NOT p.cla_id_known
),
judged AS (
    SELECT *,
        coalesce(start_date >= care_start
                 AND (care_end IS NULL OR coalesce(end_date <= care_end, false)), false) AS inside
    FROM candidates
)
SELECT
    'ssd_cla_placement'     AS table_name,
    record_id,
    person_id,
    start_date,
    end_date,
    cla_id,
    care_cla_id             AS period_of_care_id,
    care_start              AS period_of_care_start,
    care_end                AS period_of_care_end
FROM judged
QUALIFY NOT bool_or(inside) OVER (PARTITION BY record_id)
    AND row_number() OVER (PARTITION BY record_id ORDER BY care_start DESC NULLS LAST, care_cla_id) = 1
