-- adoption_entry_to_placement_days: one row per adoption order (perm_permanence_order_type =
-- 'Adoption') dated in the 3 years ending the period end, (to - 36 months, to]; the value is
-- perm_placed_for_adoption_date - the entered-care date of the period of care perm_cla_id
-- (periods_of_care: its episodes' earliest clae_entered_care_date), in days. Rows missing
-- either date, or placed before entering care (an end before its start), are left out.
-- The team is the child's allocated team on the order date.
SELECT
    p.period_from,
    p.period_to,
    m.perm_table_id                     AS unit_id,
    m.perm_person_id                    AS person_id,
    m.perm_permanence_order_date        AS team_date,
    m.perm_placed_for_adoption_date - c.entered_care_date AS numerator,
    1                                   AS denominator,
    m.perm_cla_id                       AS cla_id,
    c.entered_care_date,
    m.perm_placement_order_date         AS placement_order_date,
    m.perm_matched_date                 AS matched_date,
    m.perm_placed_for_adoption_date     AS placed_for_adoption_date,
    m.perm_permanence_order_date        AS adoption_order_date,
    m.perm_placed_for_adoption_date - c.entered_care_date AS days_entry_to_placement
FROM periods AS p
JOIN ssd_permanence AS m
  ON m.perm_permanence_order_date > CAST(p.period_to - INTERVAL 36 MONTH AS DATE)
 AND m.perm_permanence_order_date <= p.period_to
JOIN periods_of_care AS c
  ON c.cla_id = m.perm_cla_id
WHERE m.perm_permanence_order_type = 'Adoption'
  AND m.perm_placed_for_adoption_date IS NOT NULL
  AND c.entered_care_date IS NOT NULL
  AND m.perm_placed_for_adoption_date >= c.entered_care_date
