-- Children in care at each period end by the kind of placement open then, in scope.
-- Uses cla_at_period_end (short breaks left out) and the placement open at the date.
WITH placed AS (
    SELECT
        c.period_to,
        c.person_id,
        pl.clap_cla_placement_type     AS placement_type,
        pl.clap_cla_placement_provider AS provider
    FROM cla_at_period_end AS c
    LEFT JOIN ssd_cla_placement AS pl
      ON pl.clap_person_id = c.person_id
     AND pl.clap_cla_placement_start_date <= c.period_to
     AND (pl.clap_cla_placement_end_date IS NULL OR pl.clap_cla_placement_end_date > c.period_to)
    QUALIFY row_number() OVER (PARTITION BY c.period_to, c.person_id
                               ORDER BY pl.clap_cla_placement_start_date DESC NULLS LAST,
                                        pl.clap_cla_placement_id DESC NULLS LAST) = 1
),
teamed AS (
    SELECT p.*, coalesce(a.team, 'UNALLOCATED') AS team
    FROM placed AS p
    LEFT JOIN allocations AS a
      ON a.person_id = p.person_id AND a.start_date <= p.period_to
     AND (a.end_date IS NULL OR a.end_date > p.period_to)
    QUALIFY row_number() OVER (PARTITION BY p.period_to, p.person_id
                               ORDER BY a.start_date DESC NULLS LAST, a.involvement_number DESC NULLS LAST,
                                        a.involvement_id DESC NULLS LAST) = 1
)
SELECT
    period_to,
    CASE
        WHEN placement_type IN ('U1', 'U2', 'U3') THEN 'Family and friends foster care'
        WHEN placement_type IN ('U4', 'U5', 'U6') AND provider = 'PR1' THEN 'Our own foster carers'
        WHEN placement_type IN ('U4', 'U5', 'U6') THEN 'Independent fostering agencies'
        WHEN placement_type IN ('K1', 'K2', 'R1', 'S1') THEN 'Children''s homes and residential'
        WHEN placement_type = 'P1' THEN 'Placed with parents'
        WHEN placement_type IN ('P2', 'H5') THEN 'Independent and semi-independent living'
        WHEN placement_type LIKE 'A%' THEN 'Placed for adoption'
        WHEN placement_type IS NULL THEN 'No placement recorded'
        ELSE 'Other'
    END AS placement,
    count(*) AS children
FROM teamed
WHERE ($teams IS NULL OR coalesce(list_contains(CAST($teams AS VARCHAR[]), team), false))
GROUP BY ALL
ORDER BY ALL
