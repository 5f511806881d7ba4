-- teams: every team of the snapshot with its service, for the sidebar filters.
SELECT
    dept_team_id                                   AS team_id,
    coalesce(dept_team_name, dept_team_id)         AS team_name,
    coalesce(dept_team_parent_id, 'NO_SERVICE')    AS service_id,
    coalesce(dept_team_parent_name, 'No service')  AS service_name
FROM ssd_department
WHERE dept_team_id IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY dept_team_id ORDER BY dept_team_name) = 1
ORDER BY service_name, team_name
