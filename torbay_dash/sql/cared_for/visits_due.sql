-- From the unit rows of cla_visits_in_timescale_pct at the as-at date (registered as
-- `visits`): children whose statutory visit is overdue, or due within $days_ahead days.
SELECT
    person_id,
    team,
    worker_id,
    CASE WHEN numerator = 0 THEN 'overdue' ELSE 'due soon' END AS status,
    last_seen_visit_date,
    interval_days                                               AS interval_that_applies_days,
    next_visit_due,
    days_overdue,
    placement_type,
    placement_start_date
FROM visits
WHERE numerator = 0
   OR (NOT new_placement AND next_visit_due <= CAST(period_to AS DATE) + CAST($days_ahead AS INTEGER))
ORDER BY numerator, days_overdue DESC NULLS FIRST, next_visit_due
