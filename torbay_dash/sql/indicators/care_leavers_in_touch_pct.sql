-- care_leavers_in_touch_pct: one row per young person of the care-leaver cohort at the period end
-- (care_leavers_at_period_end); in the numerator when their row says in touch (clea_care_leaver_in_touch = 'YES').
-- The team is the row's clea_care_leaver_allocated_team.
SELECT
    period_from,
    period_to,
    person_id                           AS unit_id,
    person_id,
    team,
    worker_id,
    CASE WHEN coalesce(in_touch = 'YES', false) THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    age,
    latest_contact,
    in_touch,
    accom_suitable,
    accommodation,
    activity,
    eligibility
FROM care_leavers_at_period_end
