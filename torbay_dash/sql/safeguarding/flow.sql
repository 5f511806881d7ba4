-- The front door to child protection for one period: how many at each stage, in scope.
-- Stages count events dated in the period; CP plans take the child's allocated team at
-- the plan's start, the other stages the team on the event row.
WITH plan_teams AS (
    SELECT pl.cppl_cp_plan_id, coalesce(a.team, 'UNALLOCATED') AS team
    FROM ssd_cp_plans AS pl
    LEFT JOIN allocations AS a
      ON a.person_id = pl.cppl_person_id
     AND a.start_date <= pl.cppl_cp_plan_start_date
     AND (a.end_date IS NULL OR a.end_date > pl.cppl_cp_plan_start_date)
    WHERE pl.cppl_cp_plan_start_date BETWEEN $from AND $to
    QUALIFY row_number() OVER (PARTITION BY pl.cppl_cp_plan_id
                               ORDER BY a.start_date DESC NULLS LAST, a.involvement_number DESC NULLS LAST) = 1
),
stages AS (
    SELECT 1 AS step, 'Contacts' AS stage, coalesce(cont_contact_team, 'UNALLOCATED') AS team
    FROM ssd_contacts WHERE cont_contact_date BETWEEN $from AND $to
    UNION ALL
    SELECT 2, 'Referrals', coalesce(cine_referral_team, 'UNALLOCATED')
    FROM ssd_cin_episodes WHERE cine_referral_date BETWEEN $from AND $to
    UNION ALL
    SELECT 3, 'Assessments completed', coalesce(cina_assessment_team, 'UNALLOCATED')
    FROM ssd_cin_assessments WHERE cina_assessment_auth_date BETWEEN $from AND $to
    UNION ALL
    SELECT 4, 'S47 enquiries', coalesce(s47e_s47_completed_by_team, 'UNALLOCATED')
    FROM ssd_s47_enquiry WHERE s47e_s47_start_date BETWEEN $from AND $to
    UNION ALL
    SELECT 5, 'Initial CP conferences', coalesce(icpc_icpc_team, 'UNALLOCATED')
    FROM ssd_initial_cp_conference WHERE icpc_icpc_date BETWEEN $from AND $to
    UNION ALL
    SELECT 6, 'CP plans started', team FROM plan_teams
)
SELECT steps.step, steps.stage, count(s.team) AS n
FROM (VALUES (1, 'Contacts'), (2, 'Referrals'), (3, 'Assessments completed'), (4, 'S47 enquiries'),
             (5, 'Initial CP conferences'), (6, 'CP plans started')) AS steps(step, stage)
LEFT JOIN stages AS s
  ON s.step = steps.step AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), s.team), false))
GROUP BY ALL
ORDER BY steps.step
