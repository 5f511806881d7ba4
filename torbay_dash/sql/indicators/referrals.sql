-- referrals: one row per referral dated in the period (NFA included).
SELECT
    p.period_from,
    p.period_to,
    r.cine_referral_id          AS unit_id,
    r.cine_person_id            AS person_id,
    r.cine_referral_team        AS team,
    r.cine_referral_worker_id   AS worker_id,
    1                           AS numerator,
    CAST(NULL AS INTEGER)       AS denominator,
    r.cine_referral_date        AS referral_date,
    r.cine_referral_source_code AS referral_source,
    r.cine_referral_nfa         AS nfa
FROM periods AS p
JOIN ssd_cin_episodes AS r
  ON r.cine_referral_date BETWEEN p.period_from AND p.period_to
