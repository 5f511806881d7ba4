-- cse_identified: one row per (child, team) with an assessment authorised in the period whose
-- factors include 6A (child sexual exploitation): a child assessed by two teams counts in
-- each; the entry's distinct_people counts each child once overall. Factors are matched as
-- the quoted code "6A" in the JSON text, so malformed JSON never fails and 16A never matches.
-- The first such assessment in the period is shown.
WITH flagged AS (
    SELECT
        p.period_from,
        p.period_to,
        a.*,
        coalesce(a.cina_assessment_team, 'UNALLOCATED') AS team_key
    FROM periods AS p
    JOIN ssd_cin_assessments AS a
      ON a.cina_assessment_auth_date BETWEEN p.period_from AND p.period_to
    WHERE a.cina_person_id IS NOT NULL
      AND EXISTS (
          SELECT 1
          FROM ssd_assessment_factors AS f
          WHERE f.cinf_assessment_id = a.cina_assessment_id
            AND contains(f.cinf_assessment_factors_json, '"6A"'))
)
SELECT
    period_from,
    period_to,
    cina_person_id || '|' || team_key   AS unit_id,
    cina_person_id                      AS person_id,
    cina_assessment_team                AS team,
    cina_assessment_worker_id           AS worker_id,
    1                                   AS numerator,
    CAST(NULL AS INTEGER)               AS denominator,
    cina_assessment_id                  AS assessment_id,
    cina_assessment_auth_date           AS authorised_date,
    count(*) OVER (PARTITION BY period_from, period_to, cina_person_id, team_key) AS cse_assessments
FROM flagged
QUALIFY row_number() OVER (
    PARTITION BY period_from, period_to, cina_person_id, team_key
    ORDER BY cina_assessment_auth_date, cina_assessment_id) = 1
