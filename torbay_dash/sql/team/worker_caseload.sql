-- worker_caseload: one row per child with an ALLOCATED_SW involvement of $worker_id open at $as_at
-- (the involvements sw_avg_caseload counts for that worker; a child held twice by the worker is one
-- row, allocated since the earlier start). The child's team is their allocated team at $as_at (the
-- latest-starting open allocation of any worker, as every stock indicator has it), so a child whose
-- newer allocation is to another team's worker shows, and is scoped, under that team.
-- Status is the highest that applies at $as_at, from the unit rows of the indicators, given as CTEs:
--   cla_visits  cla_visits_in_timescale_pct (one row per child looked after, short breaks left out),
--   cp_visits   cp_visits_in_timescale_pct (children on a plan longer than the standard),
--   in_need     cin_rate_per_10k (a referral open then that is not NFA);
-- and cp_plans_at_period_end for every open plan. None of them: status null (e.g. a care leaver).
-- Visits follow the indicator of the status: in care, the last seen CLA visit, due on the
-- indicator's next_visit_due (last seen visit + the interval), or for a child never seen in a
-- placement under 7 days old on its 7th day (the last day the new-placement rule keeps it in time);
-- overdue when the indicator does not count it in time. On a plan, the last seen CP visit, due on
-- the standard's working day after the later of that visit and the earliest open plan's start (a
-- plan newer than the standard is not judged yet); overdue when the indicator counts it out of time.
-- A child in need has no statutory visit here: nulls and not overdue.
WITH open_allocations AS (
    SELECT *
    FROM allocations
    WHERE start_date <= $as_at AND (end_date IS NULL OR end_date > $as_at) AND person_id IS NOT NULL
),
mine AS (
    SELECT person_id, min(start_date) AS allocated_since
    FROM open_allocations
    WHERE worker_id = $worker_id
    GROUP BY person_id
),
teamed AS (
    SELECT m.*, coalesce(a.team, 'UNALLOCATED') AS team
    FROM mine AS m
    JOIN open_allocations AS a ON a.person_id = m.person_id
    QUALIFY row_number() OVER (
        PARTITION BY m.person_id
        ORDER BY a.start_date DESC, a.involvement_number DESC NULLS LAST, a.involvement_id DESC NULLS LAST) = 1
),
plans AS (
    SELECT person_id, min(plan_start_date) AS first_open_plan_start
    FROM cp_plans_at_period_end
    GROUP BY person_id
),
cp_seen AS (
    SELECT cppv_person_id AS person_id, max(cppv_cp_visit_date) AS last_seen_visit_date
    FROM ssd_cp_visits
    WHERE cppv_cp_visit_seen = 'Y' AND cppv_cp_visit_date <= $as_at
    GROUP BY 1
),
judged AS (
    SELECT
        t.person_id,
        t.team,
        CASE WHEN cl.person_id IS NOT NULL THEN 'in care'
             WHEN pl.person_id IS NOT NULL THEN 'child protection plan'
             WHEN n.person_id IS NOT NULL THEN 'child in need' END                 AS status,
        t.allocated_since,
        cl.last_seen_visit_date                                                    AS cla_last_visit,
        coalesce(cl.next_visit_due,
                 CASE WHEN cl.new_placement THEN CAST(cl.placement_start_date + 6 AS DATE) END) AS cla_due,
        NOT cl.in_timescale                                                        AS cla_overdue,
        s.last_seen_visit_date                                                     AS cp_last_visit,
        greatest(s.last_seen_visit_date, pl.first_open_plan_start)                 AS cp_due_from,
        coalesce(cv.numerator = 0, false)                                          AS cp_overdue
    FROM teamed AS t
    LEFT JOIN cla_visits AS cl ON cl.person_id = t.person_id
    LEFT JOIN plans AS pl ON pl.person_id = t.person_id
    LEFT JOIN cp_visits AS cv ON cv.person_id = t.person_id
    LEFT JOIN cp_seen AS s ON s.person_id = t.person_id
    LEFT JOIN in_need AS n ON n.person_id = t.person_id
    WHERE ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), t.team), false))
)
SELECT
    person_id,
    team,
    status,
    allocated_since,
    CASE status WHEN 'in care' THEN cla_last_visit
                WHEN 'child protection plan' THEN cp_last_visit END               AS last_visit,
    CASE status WHEN 'in care' THEN cla_due
                WHEN 'child protection plan' THEN (
                    SELECT min(c.d) FROM calendar AS c
                    WHERE c.wd_index = (SELECT f.wd_index FROM calendar AS f WHERE f.d = cp_due_from)
                                       + CAST($cp_visit_working_days AS INTEGER)) END AS next_visit_due,
    CASE status WHEN 'in care' THEN cla_overdue
                WHEN 'child protection plan' THEN cp_overdue
                ELSE false END                                                     AS visit_overdue
FROM judged
ORDER BY visit_overdue DESC, next_visit_due NULLS LAST, person_id
