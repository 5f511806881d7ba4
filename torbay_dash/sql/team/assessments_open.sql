-- Assessments started on or before the as-at date and not authorised by it, open for at least
-- $nearing working days (start day not counted, as in assessments_45wd_pct): the ones a team must
-- finish before they pass the 45-working-day standard, and those already past it. The team is the
-- assessment's own team, as in assessments_45wd_pct.
SELECT
    cina_person_id                                            AS person_id,
    coalesce(cina_assessment_team, 'UNALLOCATED')             AS team,
    cina_assessment_worker_id                                 AS worker_id,
    cina_assessment_id                                        AS assessment_id,
    cina_assessment_start_date                                AS start_date,
    wd(cina_assessment_start_date, CAST($as_at AS DATE))      AS working_days_open
FROM ssd_cin_assessments
WHERE cina_assessment_start_date <= $as_at
  AND (cina_assessment_auth_date IS NULL OR cina_assessment_auth_date > $as_at)
  AND cina_assessment_start_date > CAST($as_at AS DATE) - INTERVAL 12 MONTH  -- long-lost records are data quality
  AND wd(cina_assessment_start_date, CAST($as_at AS DATE)) >= $nearing
  AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), cina_assessment_team), false))
ORDER BY working_days_open DESC, person_id
