-- icpc_15wd_pct: one row per initial conference held in the period that is not a
-- transfer-in (a null flag is not a transfer-in) and whose linked S47 enquiry exists and
-- started on or before it. Conferences whose working days cannot be counted are left out.
WITH conferences AS (
    SELECT
        p.period_from,
        p.period_to,
        i.*,
        s.s47e_s47_start_date AS s47_start_date,
        wd(s.s47e_s47_start_date, i.icpc_icpc_date) AS working_days
    FROM periods AS p
    JOIN ssd_initial_cp_conference AS i
      ON i.icpc_icpc_date BETWEEN p.period_from AND p.period_to
    JOIN ssd_s47_enquiry AS s
      ON s.s47e_s47_enquiry_id = i.icpc_s47_enquiry_id
    WHERE coalesce(i.icpc_icpc_transfer_in, '') <> 'Y'
      AND s.s47e_s47_start_date <= i.icpc_icpc_date
)
SELECT
    period_from,
    period_to,
    icpc_icpc_id                        AS unit_id,
    icpc_person_id                      AS person_id,
    icpc_icpc_team                      AS team,
    icpc_icpc_worker_id                 AS worker_id,
    CASE WHEN working_days <= 15 THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    icpc_s47_enquiry_id                 AS s47_enquiry_id,
    s47_start_date,
    icpc_icpc_date                      AS icpc_date,
    working_days,
    working_days <= 15                  AS in_timescale,
    icpc_icpc_target_date               AS target_date,
    icpc_icpc_outcome_cp_flag           AS outcome_cp_plan
FROM conferences
WHERE working_days IS NOT NULL
