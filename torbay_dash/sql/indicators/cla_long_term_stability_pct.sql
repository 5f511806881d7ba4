-- cla_long_term_stability_pct: one row per child looked after at the period end, aged under
-- 16 then (completed years from ssd_person.pers_dob; no date of birth: left out), whose
-- period of care began (the open episode's entered-care date) on or before to - 30 months;
-- in the numerator when the open episode's placement started on or before to - 24 months.
WITH aged AS (
    SELECT
        c.*,
        pr.pers_dob AS dob,
        date_diff('year', pr.pers_dob, c.period_to)
          - CASE WHEN strftime(c.period_to, '%m%d') < strftime(pr.pers_dob, '%m%d') THEN 1 ELSE 0 END AS age
    FROM cla_placement_at_period_end AS c
    JOIN ssd_person AS pr ON pr.pers_person_id = c.person_id
    WHERE pr.pers_dob IS NOT NULL
)
SELECT
    period_from,
    period_to,
    person_id                           AS unit_id,
    person_id,
    period_to                           AS team_date,
    CASE WHEN placement_start_date <= CAST(period_to - INTERVAL 24 MONTH AS DATE) THEN 1 ELSE 0 END AS numerator,
    1                                   AS denominator,
    age,
    entered_care_date,
    placement_id,
    placement_start_date,
    placement_type,
    placement_provider,
    period_to - placement_start_date    AS days_in_placement
FROM aged
WHERE age < 16
  AND entered_care_date <= CAST(period_to - INTERVAL 30 MONTH AS DATE)
