-- ASSESSMENT_NO_REFERRAL: assessments naming a referral (cina_referral_id) that
-- ssd_cin_episodes' file does not hold (a referral row validation left out, and reports, is
-- held). Not judged: assessments with no referral id, and those
-- starting before the extract's first referral (their referral is older than the extract).
WITH referrals_begin AS (
    SELECT min(cine_referral_date) AS first_referral FROM ssd_cin_episodes
)
SELECT
    'ssd_cin_assessments'           AS table_name,
    a.cina_assessment_id            AS record_id,
    a.cina_person_id                AS person_id,
    a.cina_assessment_start_date    AS start_date,
    a.cina_referral_id              AS referral_id
FROM ssd_cin_assessments AS a
CROSS JOIN referrals_begin AS b
WHERE a.cina_referral_id IS NOT NULL
  AND a.cina_referral_id NOT IN {referral_ids_in_file}
  AND coalesce(a.cina_assessment_start_date >= b.first_referral, true)
