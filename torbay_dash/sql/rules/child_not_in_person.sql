-- CHILD_NOT_IN_PERSON, one part per child table ({table}, key {record}, child {person}):
-- rows naming a child that ssd_person does not hold. Rows with no child id are not judged
-- here (a missing value, not a broken link). Children are looked up among every id in
-- ssd_person's file, so a person row validation left out (and reports) fails nothing here.
SELECT
    '{name}'        AS table_name,
    t.{record}      AS record_id,
    t.{person}      AS person_id
FROM {table} AS t
WHERE t.{person} IS NOT NULL
  AND t.{person} NOT IN {person_ids_in_file}
