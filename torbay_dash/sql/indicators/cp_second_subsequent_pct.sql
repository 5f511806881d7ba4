-- cp_second_subsequent_pct: one row per CP plan starting in the period; second or subsequent
-- when the same child has another plan that started earlier (any time; the same day does not
-- count). The latest such earlier plan is shown. The team is the child's allocated team on
-- the plan's start date.
WITH started AS (
    SELECT p.period_from, p.period_to, c.*
    FROM periods AS p
    JOIN ssd_cp_plans AS c
      ON c.cppl_cp_plan_start_date BETWEEN p.period_from AND p.period_to
),
previous AS (
    SELECT
        s.period_from,
        s.period_to,
        s.cppl_cp_plan_id,
        o.cppl_cp_plan_id         AS previous_plan_id,
        o.cppl_cp_plan_start_date AS previous_plan_start_date
    FROM started AS s
    JOIN ssd_cp_plans AS o
      ON o.cppl_person_id = s.cppl_person_id
     AND o.cppl_cp_plan_start_date < s.cppl_cp_plan_start_date
    QUALIFY row_number() OVER (
        PARTITION BY s.period_from, s.period_to, s.cppl_cp_plan_id
        ORDER BY o.cppl_cp_plan_start_date DESC, o.cppl_cp_plan_id DESC) = 1
)
SELECT
    s.period_from,
    s.period_to,
    s.cppl_cp_plan_id                   AS unit_id,
    s.cppl_person_id                    AS person_id,
    s.cppl_cp_plan_start_date           AS team_date,
    CASE WHEN pr.previous_plan_id IS NULL THEN 0 ELSE 1 END AS numerator,
    1                                   AS denominator,
    s.cppl_cp_plan_start_date           AS plan_start_date,
    s.cppl_cp_plan_initial_category     AS initial_category,
    pr.previous_plan_id,
    pr.previous_plan_start_date
FROM started AS s
LEFT JOIN previous AS pr
  ON pr.period_from = s.period_from AND pr.period_to = s.period_to
 AND pr.cppl_cp_plan_id = s.cppl_cp_plan_id
