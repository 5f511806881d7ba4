-- Children with a child protection plan open at the as-at date, with what a manager needs:
-- category, length, allocated team and worker, and their last seen visit.
WITH open_plans AS (
    SELECT
        pl.cppl_person_id                                           AS person_id,
        pl.cppl_cp_plan_id                                          AS plan_id,
        pl.cppl_cp_plan_start_date                                  AS plan_start,
        coalesce(pl.cppl_cp_plan_latest_category, pl.cppl_cp_plan_initial_category, 'Not recorded') AS category,
        date_diff('day', pl.cppl_cp_plan_start_date, CAST($as_at AS DATE)) AS days_on_plan,
        wd(pl.cppl_cp_plan_start_date, CAST($as_at AS DATE))        AS working_days_on_plan
    FROM ssd_cp_plans AS pl
    WHERE pl.cppl_cp_plan_start_date <= $as_at
      AND (pl.cppl_cp_plan_end_date IS NULL OR pl.cppl_cp_plan_end_date > $as_at)
    QUALIFY row_number() OVER (PARTITION BY pl.cppl_person_id
                               ORDER BY pl.cppl_cp_plan_start_date DESC, pl.cppl_cp_plan_id DESC) = 1
),
teamed AS (
    SELECT o.*, coalesce(a.team, 'UNALLOCATED') AS team, a.worker_id
    FROM open_plans AS o
    LEFT JOIN allocations AS a
      ON a.person_id = o.person_id AND a.start_date <= $as_at AND (a.end_date IS NULL OR a.end_date > $as_at)
    QUALIFY row_number() OVER (PARTITION BY o.person_id
                               ORDER BY a.start_date DESC NULLS LAST, a.involvement_number DESC NULLS LAST,
                                        a.involvement_id DESC NULLS LAST) = 1
),
last_seen AS (
    SELECT cppv_person_id AS person_id, max(cppv_cp_visit_date) AS last_seen_visit
    FROM ssd_cp_visits
    WHERE cppv_cp_visit_seen = 'Y' AND cppv_cp_visit_date <= $as_at
    GROUP BY 1
)
SELECT
    t.*,
    CASE WHEN days_on_plan < 91 THEN 'under 3 months'
         WHEN days_on_plan < 183 THEN '3 to 6 months'
         WHEN days_on_plan < 365 THEN '6 to 12 months'
         WHEN plan_start > CAST($as_at AS DATE) - INTERVAL 24 MONTH THEN '1 to 2 years'
         ELSE '2 years or more' END                                 AS length_band,
    v.last_seen_visit,
    wd(v.last_seen_visit, CAST($as_at AS DATE))                     AS working_days_since_seen,
    -- the cp_visits_in_timescale_pct rule: on the plan longer than the standard, and not seen within it
    working_days_on_plan > $standard
        AND coalesce(wd(v.last_seen_visit, CAST($as_at AS DATE)) > $standard, true) AS visit_overdue
FROM teamed AS t
LEFT JOIN last_seen AS v USING (person_id)
WHERE ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), t.team), false))
ORDER BY team, person_id
