-- assessments_45wd_pct: one row per assessment authorised in the period.
-- Working days from the calendar index: wd(start, auth) = index(auth) - index(start).
SELECT
    p.period_from,
    p.period_to,
    a.cina_assessment_id                  AS unit_id,
    a.cina_person_id                      AS person_id,
    a.cina_assessment_team                AS team,
    a.cina_assessment_worker_id           AS worker_id,
    CASE WHEN auth.wd_index - start.wd_index <= 45 THEN 1 ELSE 0 END AS numerator,
    1                                     AS denominator,
    a.cina_assessment_start_date          AS start_date,
    a.cina_assessment_auth_date           AS authorised_date,
    auth.wd_index - start.wd_index        AS working_days
FROM periods AS p
JOIN ssd_cin_assessments AS a
  ON a.cina_assessment_auth_date BETWEEN p.period_from AND p.period_to
JOIN calendar AS start ON start.d = a.cina_assessment_start_date
JOIN calendar AS auth  ON auth.d  = a.cina_assessment_auth_date
