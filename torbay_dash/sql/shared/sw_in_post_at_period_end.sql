-- sw_in_post_at_period_end: social-worker spells (sw_spells) in post at each period end,
-- one row per period and spell. In post at D: start <= D and (end null or end > D); a spell
-- ending on D is not in post at D.
SELECT p.period_from, p.period_to, s.*
FROM periods AS p
JOIN sw_spells AS s
  ON s.start_date <= p.period_to
 AND (s.end_date IS NULL OR s.end_date > p.period_to)
