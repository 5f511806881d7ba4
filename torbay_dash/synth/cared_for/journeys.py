"""The journeys through care, put together, and their arrays for the passes that follow.

``_Journeys`` walks the months from ``ctx.start`` to ``ctx.end``: the children in care at
the start (``initial_stock``), each month's scheduled events, exits, adoption orders and
unplanned moves (``monthly_flow``, ``care_plans``), entries (``entries``) and the
placement mix (``placement_mix``); short breaks are added afterwards (``short_breaks``).
Every draw comes from the ``cared_for/journeys`` stream in one fixed order, so the mixins
only split the code: the simulation is one object with one state (``journey_state``).

``_Arrays`` is the finished journeys as numpy arrays, which the passes over them (visits,
reviews, distances, ...) read.
"""
from __future__ import annotations

import numpy as np

from .care_plans import _CarePlans
from .entries import _Entries
from .helpers import NO_DAY
from .initial_stock import _InitialStock
from .monthly_flow import _MonthlyFlow
from .placement_mix import _PlacementMix
from .short_breaks import _ShortBreaks


class _Journeys(_MonthlyFlow, _Entries, _CarePlans, _InitialStock, _PlacementMix, _ShortBreaks):
    """Every period of care and placement in the history; ``run()`` then ``short_breaks()``."""


class _Arrays:
    """The journeys as arrays: periods and placements."""

    def __init__(self, sim: _Journeys):
        ps = sim.periods
        self.n = len(ps)
        self.entry = np.array([p.entry for p in ps], dtype=np.int64)
        self.exit = np.array([p.exit_day if p.exit_day is not None else NO_DAY for p in ps], dtype=np.int64)
        self.open = self.exit == NO_DAY
        self.end = np.where(self.open, 10 ** 9, self.exit)     # exclusive end, "never" when open
        self.dob = np.array([p.dob for p in ps], dtype=np.int64)
        self.sb = np.array([p.short_break for p in ps], dtype=bool)
        self.initial = np.array([p.initial for p in ps], dtype=bool)
        self.person = np.array([p.person for p in ps], dtype=object)
        self.pl_period = np.array(sim.pl_period, dtype=np.int64)
        self.pl_start = np.array(sim.pl_start, dtype=np.int64)
        self.pl_end = np.array([NO_DAY if e is None else e for e in sim.pl_end], dtype=np.int64)
        self.pl_type = np.array(sim.pl_type, dtype=object)
        self.pl_cat = np.array(sim.pl_cat, dtype=np.int64)
        self.pl_prov = np.array(sim.pl_prov, dtype=object)
        self.pl_copy = np.array(sim.pl_copy, dtype=np.int64)
