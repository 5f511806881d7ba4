-- allocations when the snapshot has no ssd_involvements: same columns, no rows.
CREATE VIEW allocations AS
SELECT
    CAST(NULL AS VARCHAR) AS involvement_id,
    CAST(NULL AS BIGINT)  AS involvement_number,
    CAST(NULL AS VARCHAR) AS person_id,
    CAST(NULL AS VARCHAR) AS worker_id,
    CAST(NULL AS VARCHAR) AS team,
    CAST(NULL AS DATE)    AS start_date,
    CAST(NULL AS DATE)    AS end_date
WHERE false;
