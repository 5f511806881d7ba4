-- REVIEW_BEFORE_EPISODE (CP part): CP reviews dated before the start of the plan they review
-- (cppr_cp_plan_id). Reviews of a plan not found, or with no date, are not judged.
SELECT
    'ssd_cp_reviews'            AS table_name,
    r.cppr_cp_review_id         AS record_id,
    r.cppr_person_id            AS person_id,
    r.cppr_cp_review_date       AS review_date,
    r.cppr_cp_plan_id           AS parent_id,
    p.cppl_cp_plan_start_date   AS parent_start_date
FROM ssd_cp_reviews AS r
JOIN ssd_cp_plans AS p ON p.cppl_cp_plan_id = r.cppr_cp_plan_id
WHERE r.cppr_cp_review_date < p.cppl_cp_plan_start_date
