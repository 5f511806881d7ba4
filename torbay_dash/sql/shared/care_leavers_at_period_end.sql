-- care_leavers_at_period_end: the care-leaver cohort at each period end, one row per young
-- person aged 17-21 then (completed years from ssd_person.pers_dob; no date of birth: left
-- out). Each person's row is the one with the latest clea_care_leaver_latest_contact on or
-- before the period end (rows dated later are not yet known then; a row with no contact date
-- loses to any dated row); ties go to the larger clea_table_id (as numbers when numbers).
WITH latest AS (
    SELECT p.period_from, p.period_to, l.*
    FROM periods AS p
    JOIN ssd_care_leavers AS l
      ON l.clea_care_leaver_latest_contact IS NULL OR l.clea_care_leaver_latest_contact <= p.period_to
    WHERE l.clea_person_id IS NOT NULL
    QUALIFY row_number() OVER (
        PARTITION BY p.period_from, p.period_to, l.clea_person_id
        ORDER BY l.clea_care_leaver_latest_contact DESC NULLS LAST,
                 TRY_CAST(l.clea_table_id AS BIGINT) DESC NULLS LAST, l.clea_table_id DESC) = 1
)
SELECT
    l.period_from,
    l.period_to,
    l.clea_table_id                     AS row_id,
    l.clea_person_id                    AS person_id,
    date_diff('year', pr.pers_dob, l.period_to)
      - CASE WHEN strftime(l.period_to, '%m%d') < strftime(pr.pers_dob, '%m%d') THEN 1 ELSE 0 END AS age,
    l.clea_care_leaver_eligibility      AS eligibility,
    l.clea_care_leaver_in_touch         AS in_touch,
    l.clea_care_leaver_latest_contact   AS latest_contact,
    l.clea_care_leaver_accommodation    AS accommodation,
    l.clea_care_leaver_accom_suitable   AS accom_suitable,
    l.clea_care_leaver_activity         AS activity,
    l.clea_care_leaver_allocated_team   AS team,
    l.clea_care_leaver_worker_id        AS worker_id
FROM latest AS l
JOIN ssd_person AS pr ON pr.pers_person_id = l.clea_person_id
WHERE pr.pers_dob IS NOT NULL
  AND date_diff('year', pr.pers_dob, l.period_to)
      - CASE WHEN strftime(l.period_to, '%m%d') < strftime(pr.pers_dob, '%m%d') THEN 1 ELSE 0 END BETWEEN 17 AND 21
