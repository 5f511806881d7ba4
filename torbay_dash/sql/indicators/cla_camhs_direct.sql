-- cla_camhs_direct: one row per child looked after at the period end with a local_camhs row of
-- provision_type 'direct' open then (start <= to, end null or > to); the latest-starting such
-- row is shown (ties: the larger camhs_id).
SELECT
    c.period_from,
    c.period_to,
    c.person_id                         AS unit_id,
    c.person_id,
    c.period_to                         AS team_date,
    1                                   AS numerator,
    CAST(NULL AS INTEGER)               AS denominator,
    m.camhs_id,
    m.referral_date                     AS camhs_referral_date,
    m.start_date                        AS camhs_start_date,
    m.end_date                          AS camhs_end_date,
    c.entered_care_date
FROM cla_at_period_end AS c
JOIN local_camhs AS m
  ON m.person_id = c.person_id
 AND m.provision_type = 'direct'
 AND m.start_date <= c.period_to
 AND (m.end_date IS NULL OR m.end_date > c.period_to)
QUALIFY row_number() OVER (
    PARTITION BY c.period_from, c.period_to, c.person_id
    ORDER BY m.start_date DESC, m.camhs_id DESC) = 1
