-- cla_placed_20mi_pct: one row per child looked after at the period end whose open episode's
-- placement has a known distance; in the numerator when it is more than 20 miles from home.
SELECT
    period_from,
    period_to,
    person_id                           AS unit_id,
    person_id,
    period_to                           AS team_date,
    CASE WHEN placement_distance > 20 THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    placement_id,
    placement_start_date,
    placement_type,
    placement_provider,
    placement_distance
FROM cla_placement_at_period_end
WHERE placement_distance IS NOT NULL
