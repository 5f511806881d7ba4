-- cin_rate_per_10k: one row per child in need at the period end: a referral open then
-- (referral date <= to, close null or > to) that is not NFA (a null flag is not NFA).
-- The latest such referral is shown. Referrals with no child id are left out.
SELECT
    p.period_from,
    p.period_to,
    r.cine_person_id                    AS unit_id,
    r.cine_person_id                    AS person_id,
    p.period_to                         AS team_date,
    1                                   AS numerator,
    CAST(NULL AS INTEGER)               AS denominator,
    r.cine_referral_id                  AS referral_id,
    r.cine_referral_date                AS referral_date,
    r.cine_cin_primary_need_code        AS primary_need
FROM periods AS p
JOIN ssd_cin_episodes AS r
  ON r.cine_referral_date <= p.period_to
 AND (r.cine_close_date IS NULL OR r.cine_close_date > p.period_to)
WHERE coalesce(r.cine_referral_nfa, '') <> 'Y'
  AND r.cine_person_id IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY p.period_from, p.period_to, r.cine_person_id
    ORDER BY r.cine_referral_date DESC, r.cine_referral_id DESC) = 1
