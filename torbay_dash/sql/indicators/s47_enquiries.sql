-- s47_enquiries: one row per S47 enquiry whose start (the strategy discussion) is in the period.
SELECT
    p.period_from,
    p.period_to,
    s.s47e_s47_enquiry_id               AS unit_id,
    s.s47e_person_id                    AS person_id,
    s.s47e_s47_completed_by_team        AS team,
    s.s47e_s47_completed_by_worker_id   AS worker_id,
    1                                   AS numerator,
    CAST(NULL AS INTEGER)               AS denominator,
    s.s47e_s47_start_date               AS start_date,
    s.s47e_s47_end_date                 AS end_date,
    wd(s.s47e_s47_start_date, s.s47e_s47_end_date) AS working_days,
    s.s47e_s47_nfa                      AS nfa,
    s.s47e_referral_id                  AS referral_id
FROM periods AS p
JOIN ssd_s47_enquiry AS s
  ON s.s47e_s47_start_date BETWEEN p.period_from AND p.period_to
