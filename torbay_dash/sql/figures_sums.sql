-- The indicator store's sums for one indicator (appended to compute.units_sql, which ends in `scoped`):
-- every period, overall, for each team and for each service, in one pass. `units` counts the unit
-- rows and `people` the distinct children counted, so a lookup gives exactly what the live
-- aggregates (aggregate_overall*.sql, aggregate_by_team.sql) give at any of those scopes.
, served AS (
    SELECT s.*, t.service_id AS service
    FROM scoped AS s
    LEFT JOIN store_teams AS t ON t.team_id = s.team
)
SELECT
    period_from,
    period_to,
    CASE WHEN grouping(team) = 0 THEN 'team' WHEN grouping(service) = 0 THEN 'service' ELSE 'all' END AS level,
    team,
    service,
    sum(numerator)                                              AS numerator,
    sum(denominator)                                            AS denominator,
    count(unit_id)                                              AS units,
    count(DISTINCT person_id) FILTER (WHERE numerator > 0)      AS people
FROM served
GROUP BY GROUPING SETS ((period_from, period_to), (period_from, period_to, team), (period_from, period_to, service))
