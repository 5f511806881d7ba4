-- Records of the team's allocated children (at the as-at date; the latest open allocation decides the
-- team) that a figure may be wrong about: what the team can put right in the case record.
-- Each row: person_id, team, worker_id, problem. Registered frame: `allocated` (surgery.allocated_children).
WITH open_case AS (
    SELECT cine_person_id AS person_id FROM ssd_cin_episodes
    WHERE cine_referral_date <= $as_at AND (cine_close_date IS NULL OR cine_close_date > $as_at)
    UNION
    SELECT cppl_person_id FROM ssd_cp_plans
    WHERE cppl_cp_plan_start_date <= $as_at AND (cppl_cp_plan_end_date IS NULL OR cppl_cp_plan_end_date > $as_at)
    UNION
    SELECT clae_person_id FROM ssd_cla_episodes
    WHERE clae_cla_episode_start_date <= $as_at
      AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > $as_at)
    UNION
    -- a care leaver is an open case of the leaving care service without any episode open
    SELECT clea_person_id FROM ssd_care_leavers
),
in_care AS (
    SELECT DISTINCT clae_person_id AS person_id FROM ssd_cla_episodes
    WHERE clae_cla_episode_start_date <= $as_at
      AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > $as_at)
),
placed AS (
    SELECT DISTINCT clap_person_id AS person_id FROM ssd_cla_placement
    WHERE clap_cla_placement_start_date <= $as_at
      AND (clap_cla_placement_end_date IS NULL OR clap_cla_placement_end_date > $as_at)
)
SELECT a.person_id, a.team, a.worker_id, 'allocated, but no CIN, CP or care episode open, nor a care leaver' AS problem
FROM allocated AS a WHERE a.person_id NOT IN (SELECT person_id FROM open_case)
UNION ALL
SELECT a.person_id, a.team, a.worker_id, 'not in ssd_person (no date of birth, sex or ethnicity)'
FROM allocated AS a WHERE a.person_id NOT IN (SELECT pers_person_id FROM ssd_person WHERE pers_person_id IS NOT NULL)
UNION ALL
SELECT a.person_id, a.team, a.worker_id, 'in care, but no placement open'
FROM allocated AS a
WHERE a.person_id IN (SELECT person_id FROM in_care) AND a.person_id NOT IN (SELECT person_id FROM placed)
ORDER BY problem, person_id
