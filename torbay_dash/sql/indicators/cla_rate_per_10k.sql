-- cla_rate_per_10k: one row per child looked after at the period end (as cla_count);
-- compute.py divides by the child population of the year containing the period end.
SELECT
    c.period_from,
    c.period_to,
    c.person_id                 AS unit_id,
    c.person_id,
    c.period_to                 AS team_date,
    1                           AS numerator,
    CAST(NULL AS INTEGER)       AS denominator,
    c.entered_care_date,
    c.episode_start_date,
    c.legal_status
FROM cla_at_period_end AS c
