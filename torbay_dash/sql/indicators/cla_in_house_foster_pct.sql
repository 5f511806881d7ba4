-- cla_in_house_foster_pct: one row per child looked after at the period end; in the numerator
-- when the placement their open episode names is foster care (U1-U6) with the authority's own
-- provision (PR1). No known placement: in the denominator, not in-house foster care.
SELECT
    period_from,
    period_to,
    person_id                           AS unit_id,
    person_id,
    period_to                           AS team_date,
    CASE WHEN placement_type IN ('U1', 'U2', 'U3', 'U4', 'U5', 'U6') AND placement_provider = 'PR1'
         THEN 1 ELSE 0 END              AS numerator,
    1                                   AS denominator,
    placement_id,
    placement_start_date,
    placement_type,
    placement_provider,
    placement_distance
FROM cla_placement_at_period_end
