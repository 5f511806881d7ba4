-- assessments_45wd_pct: one row per assessment authorised in the period.
-- Assessments without a start date (no working days to count) are left out.
WITH authorised AS (
    SELECT
        p.period_from,
        p.period_to,
        a.*,
        wd(a.cina_assessment_start_date, a.cina_assessment_auth_date) AS working_days
    FROM periods AS p
    JOIN ssd_cin_assessments AS a
      ON a.cina_assessment_auth_date BETWEEN p.period_from AND p.period_to
)
SELECT
    period_from,
    period_to,
    cina_assessment_id                    AS unit_id,
    cina_person_id                        AS person_id,
    cina_assessment_team                  AS team,
    cina_assessment_worker_id             AS worker_id,
    CASE WHEN working_days <= 45 THEN 1 ELSE 0 END AS numerator,
    1                                     AS denominator,
    cina_assessment_start_date            AS start_date,
    cina_assessment_auth_date             AS authorised_date,
    working_days
FROM authorised
WHERE working_days IS NOT NULL
