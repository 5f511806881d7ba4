-- allocations: the allocated social worker spells of each child (role ALLOCATED_SW).
-- Stock indicators take a child's team from the spell open at the date that matters.
CREATE VIEW allocations AS
SELECT
    invo_involvements_id                AS involvement_id,
    TRY_CAST(invo_involvements_id AS BIGINT) AS involvement_number,
    invo_person_id                      AS person_id,
    invo_professional_id                AS worker_id,
    invo_professional_team              AS team,
    invo_involvement_start_date         AS start_date,
    invo_involvement_end_date           AS end_date
FROM ssd_involvements
WHERE invo_professional_role_id = 'ALLOCATED_SW'
  AND invo_involvement_start_date IS NOT NULL;
