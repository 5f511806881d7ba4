-- rereferrals_12m_pct: one row per referral dated in the period (NFA included). A
-- re-referral when the same child has another referral dated in
-- [referral date - 12 months, referral date); the latest such referral is shown.
WITH in_period AS (
    SELECT p.period_from, p.period_to, r.*
    FROM periods AS p
    JOIN ssd_cin_episodes AS r
      ON r.cine_referral_date BETWEEN p.period_from AND p.period_to
),
previous AS (
    SELECT
        i.period_from,
        i.period_to,
        i.cine_referral_id,
        o.cine_referral_id   AS previous_referral_id,
        o.cine_referral_date AS previous_referral_date
    FROM in_period AS i
    JOIN ssd_cin_episodes AS o
      ON o.cine_person_id = i.cine_person_id
     AND o.cine_referral_id <> i.cine_referral_id
     AND o.cine_referral_date >= CAST(i.cine_referral_date - INTERVAL 12 MONTH AS DATE)
     AND o.cine_referral_date < i.cine_referral_date
    QUALIFY row_number() OVER (
        PARTITION BY i.period_from, i.period_to, i.cine_referral_id
        ORDER BY o.cine_referral_date DESC, o.cine_referral_id DESC) = 1
)
SELECT
    i.period_from,
    i.period_to,
    i.cine_referral_id                  AS unit_id,
    i.cine_person_id                    AS person_id,
    i.cine_referral_team                AS team,
    i.cine_referral_worker_id           AS worker_id,
    CASE WHEN pr.previous_referral_id IS NULL THEN 0 ELSE 1 END AS numerator,
    1                                   AS denominator,
    i.cine_referral_date                AS referral_date,
    pr.previous_referral_date,
    pr.previous_referral_id,
    i.cine_referral_nfa                 AS nfa
FROM in_period AS i
LEFT JOIN previous AS pr
  ON pr.period_from = i.period_from AND pr.period_to = i.period_to
 AND pr.cine_referral_id = i.cine_referral_id
