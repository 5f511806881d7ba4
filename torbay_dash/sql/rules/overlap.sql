-- Overlapping spells of one child in {table} (CLA episodes, CP plans): two spells overlap when
-- each starts before the other ends (an open spell never ends). One ending on the day the
-- next starts only touches. The spell that starts later (then the larger id) fails, shown
-- with the latest-starting earlier spell it overlaps.
SELECT
    '{name}'                 AS table_name,
    later.{id}               AS record_id,
    later.{person}           AS person_id,
    later.{start}            AS start_date,
    later.{end}              AS end_date,
    earlier.{id}             AS overlaps_record_id,
    earlier.{start}          AS overlaps_start_date,
    earlier.{end}            AS overlaps_end_date
FROM {table} AS earlier
JOIN {table} AS later
  ON later.{person} = earlier.{person}
 AND (later.{start} > earlier.{start} OR (later.{start} = earlier.{start} AND later.{id} > earlier.{id}))
WHERE later.{start} < coalesce(earlier.{end}, DATE '9999-12-31')
  AND earlier.{start} < coalesce(later.{end}, DATE '9999-12-31')
QUALIFY row_number() OVER (PARTITION BY later.{id} ORDER BY earlier.{start} DESC, earlier.{id} DESC) = 1
