-- Missing and away-without-authorisation episodes starting in each period, with return
-- interviews offered and accepted, for children in care at the episode's start, in scope.
WITH episodes AS (
    SELECT p.period_from, p.period_to, m.*
    FROM periods AS p
    JOIN ssd_missing AS m ON m.miss_missing_episode_start_date BETWEEN p.period_from AND p.period_to
    WHERE EXISTS (
        SELECT 1 FROM ssd_cla_episodes AS e
        WHERE e.clae_person_id = m.miss_person_id
          AND e.clae_cla_episode_start_date <= m.miss_missing_episode_start_date
          AND (e.clae_cla_episode_ceased_date IS NULL
               OR e.clae_cla_episode_ceased_date > m.miss_missing_episode_start_date))
),
teamed AS (
    SELECT x.*, coalesce(a.team, 'UNALLOCATED') AS team
    FROM episodes AS x
    LEFT JOIN allocations AS a
      ON a.person_id = x.miss_person_id AND a.start_date <= x.miss_missing_episode_start_date
     AND (a.end_date IS NULL OR a.end_date > x.miss_missing_episode_start_date)
    QUALIFY row_number() OVER (PARTITION BY x.period_from, x.miss_table_id
                               ORDER BY a.start_date DESC NULLS LAST, a.involvement_number DESC NULLS LAST) = 1
)
SELECT
    p.period_from, p.period_to,
    count(t.miss_table_id) FILTER (WHERE t.miss_missing_episode_type = 'M')        AS missing_episodes,
    count(t.miss_table_id) FILTER (WHERE t.miss_missing_episode_type = 'A')        AS away_episodes,
    count(DISTINCT t.miss_person_id)                                               AS children,
    count(t.miss_table_id) FILTER (WHERE t.miss_missing_rhi_offered = 'Y')         AS return_interviews_offered,
    count(t.miss_table_id) FILTER (WHERE t.miss_missing_rhi_accepted = 'Y')        AS return_interviews_accepted
FROM periods AS p
LEFT JOIN teamed AS t
  ON t.period_from = p.period_from AND ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), t.team), false))
GROUP BY ALL
ORDER BY ALL
