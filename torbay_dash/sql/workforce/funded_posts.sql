-- Funded social worker posts (FTE) open at each period end, in scope.
SELECT
    p.period_from,
    p.period_to,
    coalesce(sum(h.fte), 0) AS funded_fte,
    count(h.post_id)        AS funded_posts
FROM periods AS p
LEFT JOIN hr_posts AS h
  ON h.is_social_worker_post = 'Y'
 AND h.start_date <= p.period_to
 AND (h.end_date IS NULL OR h.end_date > p.period_to)
 AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), h.team_id), false))
GROUP BY ALL
ORDER BY ALL
