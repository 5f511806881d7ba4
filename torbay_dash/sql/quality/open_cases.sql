-- Children with an open case at the as-at date, once each at their highest level: in care (an
-- episode open), on a child protection plan (a plan open), else in need (a referral open, not NFA).
-- With the allocated team and worker then, the team's service, and the last case audit of the child
-- on or before the as-at date: the population a QA lead samples from.
WITH cases AS (
    SELECT clae_person_id AS person_id, 'CLA' AS case_type, 1 AS level
    FROM ssd_cla_episodes
    WHERE clae_cla_episode_start_date <= $as_at
      AND (clae_cla_episode_ceased_date IS NULL OR clae_cla_episode_ceased_date > $as_at)
    UNION ALL
    SELECT cppl_person_id, 'CP', 2
    FROM ssd_cp_plans
    WHERE cppl_cp_plan_start_date <= $as_at
      AND (cppl_cp_plan_end_date IS NULL OR cppl_cp_plan_end_date > $as_at)
    UNION ALL
    SELECT cine_person_id, 'CIN', 3
    FROM ssd_cin_episodes
    WHERE cine_referral_date <= $as_at
      AND (cine_close_date IS NULL OR cine_close_date > $as_at)
      AND coalesce(cine_referral_nfa, '') <> 'Y'
),
children AS (
    SELECT person_id, case_type
    FROM cases
    WHERE person_id IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY person_id ORDER BY level) = 1
),
teamed AS (
    SELECT c.*, coalesce(a.team, 'UNALLOCATED') AS team, a.worker_id
    FROM children AS c
    LEFT JOIN allocations AS a
      ON a.person_id = c.person_id AND a.start_date <= $as_at AND (a.end_date IS NULL OR a.end_date > $as_at)
    QUALIFY row_number() OVER (PARTITION BY c.person_id
                               ORDER BY a.start_date DESC NULLS LAST, a.involvement_number DESC NULLS LAST,
                                        a.involvement_id DESC NULLS LAST) = 1
),
last_audit AS (
    SELECT person_id, max(audit_date) AS last_case_audit
    FROM qa_audits
    WHERE audit_type = 'case' AND audit_date <= $as_at
    GROUP BY person_id
),
services AS (
    SELECT dept_team_id AS team, any_value(coalesce(dept_team_parent_id, 'NO_SERVICE')) AS service_id
    FROM ssd_department
    GROUP BY 1
)
SELECT
    t.person_id, t.case_type, t.team, s.service_id, t.worker_id, l.last_case_audit
FROM teamed AS t
LEFT JOIN last_audit AS l USING (person_id)
LEFT JOIN services AS s USING (team)
WHERE ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), t.team), false))
ORDER BY t.person_id
