-- cla_placement_at_period_end: children looked after at each period end (cla_at_period_end),
-- one row per child, with the placement their open episode names (clae_cla_placement_id).
-- A child whose episode names no placement, or one absent from ssd_cla_placement, has null
-- placement columns.
SELECT
    c.*,
    pl.clap_cla_placement_start_date    AS placement_start_date,
    pl.clap_cla_placement_type          AS placement_type,
    pl.clap_cla_placement_provider      AS placement_provider,
    pl.clap_cla_placement_distance      AS placement_distance
FROM cla_at_period_end AS c
LEFT JOIN ssd_cla_placement AS pl
  ON pl.clap_cla_placement_id = c.placement_id
