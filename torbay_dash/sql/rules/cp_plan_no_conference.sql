-- CP_PLAN_NO_CONFERENCE: CP plans with no initial conference: no ssd_initial_cp_conference row
-- names the plan (icpc_cp_plan_id), and the plan's own cppl_icpc_id is empty or not found.
-- Not judged: a plan that came with the child from another authority, visible as a transfer-in
-- conference of the same child on the same referral or on the plan's start date; and a plan
-- starting before the extract's first conference (its conference is older than the extract).
WITH conferences_begin AS (
    SELECT min(icpc_icpc_date) AS first_conference FROM ssd_initial_cp_conference
)
SELECT
    'ssd_cp_plans'              AS table_name,
    p.cppl_cp_plan_id           AS record_id,
    p.cppl_person_id            AS person_id,
    p.cppl_cp_plan_start_date   AS start_date,
    p.cppl_icpc_id              AS icpc_id
FROM ssd_cp_plans AS p
CROSS JOIN conferences_begin AS b
WHERE NOT EXISTS (SELECT 1 FROM ssd_initial_cp_conference AS c WHERE c.icpc_cp_plan_id = p.cppl_cp_plan_id)
  AND NOT EXISTS (SELECT 1 FROM ssd_initial_cp_conference AS c WHERE c.icpc_icpc_id = p.cppl_icpc_id)
  AND NOT EXISTS (SELECT 1 FROM ssd_initial_cp_conference AS c
                  WHERE c.icpc_icpc_transfer_in = 'Y' AND c.icpc_person_id = p.cppl_person_id
                    AND (c.icpc_referral_id = p.cppl_referral_id OR c.icpc_icpc_date = p.cppl_cp_plan_start_date))
  AND coalesce(p.cppl_cp_plan_start_date >= b.first_conference, true)
