-- cla_residential_count: one row per child looked after at the period end whose open
-- episode's placement is of type K1, K2, R1 or S1.
SELECT
    period_from,
    period_to,
    person_id                           AS unit_id,
    person_id,
    period_to                           AS team_date,
    1                                   AS numerator,
    CAST(NULL AS INTEGER)               AS denominator,
    placement_id,
    placement_start_date,
    placement_type,
    placement_provider,
    placement_distance
FROM cla_placement_at_period_end
WHERE placement_type IN ('K1', 'K2', 'R1', 'S1')
