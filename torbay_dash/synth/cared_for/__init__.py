"""Cared-for children: journeys through care, simulated month by month, calibrated by construction.

The journeys (``journeys._Journeys``) walk the months from ``ctx.start`` to ``ctx.end``:

1. **Scheduled events** of each child in care: legal status changes (police protection or
   an EPO turning into an interim care order, ICO into a full care order, a placement
   order), planned moves (placed for adoption, home on a care order, semi-independent
   living at 16+), and the end of care (home, special guardianship, child arrangements,
   18th birthday, remand ended). Adoption orders are granted by a court "quota" per
   financial year from the children placed for adoption at least ten weeks, so the
   published adoptions (11, 26, 17) come out while the pipeline stays natural.
2. **Unplanned moves**: placement breakdowns with a per-child propensity, so a few
   children move a lot; many entrants have an emergency placement first.
3. **Entries**: as many children start to be looked after as bring the stock to the month's
   target (entries = target - stock + exits). The month's exits are first matched to a
   target number of starts: planned exits slip a few weeks when there are too many, or
   come forward (and, from April 2020, settled children leave care on an order) when
   there are too few. Children with a referral open that day are preferred
   (``clae_referral_id``), a few return to care, the rest are new to the system.
4. **Placement mix**: every placement that starts in the month gets its category
   (in-house foster, agency foster, residential, other) so that the residential count and
   the in-house share at the month end equal their targets; when the month's new
   placements cannot do it, a few children are moved (step-downs from residential care,
   moves to the authority's own carers) -- the way Torbay's sufficiency strategy did it.

Then passes over the finished journeys add distances (the share placed over 20 miles is
exact at each month end), statutory visits (the compliance at each month end is exact),
reviews, health and dental checks, missing episodes, care-leaver contacts, CAMHS
provision (direct provision for an exact number of children in care at each month end)
and allocations. Short-break children (V3/V4, children with disabilities team) have
episodes and placements but never count as looked after.

Every random draw comes from a ``cared_for/...`` stream of ``ctx.rng``.

The modules:

- ``calibration``: the targets, rates and code tables the simulation is tuned by.
- ``helpers``: days as ints, target curves and weighted draws, shared by all modules.
- ``journey_state``: a period of care, and the state and primitives the journeys change.
- ``care_plans``, ``initial_stock``, ``monthly_flow``, ``entries``, ``placement_mix``,
  ``short_breaks``: the parts of the journey simulation, put together in ``journeys``.
- ``distances``, ``statutory_checks`` (visits, reviews, health), ``missing``,
  ``care_leavers``, ``camhs``, ``involvements``: the passes over the finished journeys.
- ``tables``: ``simulate``, which runs it all and builds the contract tables.
"""
from __future__ import annotations

from .tables import simulate

__all__ = ["simulate"]
