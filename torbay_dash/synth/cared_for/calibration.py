"""What the cared-for simulation is tuned by: calibration targets, rates and code tables.

The targets are (date, value) points at Torbay scale, linear in between and flat outside;
the journeys and the passes over them steer their month ends to these. Kept in one place
so that retuning the demo data never means hunting through the simulation code.
"""
from __future__ import annotations

import datetime as dt
import math

from ..context import day

# Review (2021): 352 -> 307 cared-for children, visits 50% -> 78%, in-house foster 55.7% -> 63%,
# residential 42 -> 22, over 20 miles 26.2%, 5 with direct CAMHS provision.
CLA_STOCK = [("2013-04-30", 285), ("2014-03-31", 290), ("2015-03-31", 297), ("2016-03-31", 302),
             ("2017-03-31", 318), ("2018-03-31", 342), ("2019-03-31", 360), ("2019-09-30", 362),
             ("2020-03-31", 352), ("2021-03-31", 321), ("2021-07-31", 307)]
RESIDENTIAL_COUNT = [("2013-04-30", 28), ("2016-03-31", 33), ("2018-03-31", 40), ("2019-06-30", 45),
                     ("2020-03-31", 42), ("2021-03-31", 27), ("2021-07-31", 22)]
IN_HOUSE_FOSTER_PCT = [("2013-04-30", 52.0), ("2016-03-31", 54.0), ("2018-03-31", 55.5), ("2019-03-31", 56.5),
                       ("2020-03-31", 55.7), ("2021-03-31", 61.0), ("2021-07-31", 63.0)]
OVER_20_MILES_PCT = [("2013-04-30", 30.0), ("2018-03-31", 32.0), ("2019-03-31", 33.0), ("2020-03-31", 30.5),
                     ("2021-03-31", 27.5), ("2021-07-31", 26.2)]
VISITS_PCT = [("2013-04-30", 64.0), ("2016-03-31", 61.0), ("2018-03-31", 56.0), ("2019-03-31", 53.0),
              ("2020-02-29", 52.0), ("2020-03-31", 50.0), ("2021-07-31", 78.0)]
EXACT_DATES = ("2019-03-31", "2020-03-31", "2021-03-31", "2021-07-31")
# Children starting to be looked after, a year (Torbay: about 120-150).
CARE_STARTS = [("2013-04-30", 125), ("2016-03-31", 132), ("2018-03-31", 140), ("2019-03-31", 138),
               ("2020-03-31", 132), ("2020-06-30", 112), ("2021-03-31", 116), ("2021-07-31", 122)]
CAMHS_DIRECT = [("2013-04-30", 14), ("2018-03-31", 12), ("2019-03-31", 10), ("2020-03-31", 8), ("2021-07-31", 5)]
# First-week visits after a move, and reviews held late, drift with the visiting culture.
FIRST_WEEK_VISIT = [("2013-04-30", 0.7), ("2019-03-31", 0.6), ("2020-03-31", 0.6), ("2021-07-31", 0.9)]
REVIEW_LATE = [("2013-04-30", 0.13), ("2019-03-31", 0.15), ("2020-03-31", 0.16), ("2021-03-31", 0.07)]
# Adoption orders by financial year (year ending 31 March): published 11, 26, 17.
ADOPTIONS = {2014: 14, 2015: 17, 2016: 18, 2017: 15, 2018: 14, 2019: 11, 2020: 26, 2021: 17, 2022: 16}
SHORT_BREAK_AGREEMENTS = 18          # V4 agreements open at any time
SHORT_BREAK_V3_CHILDREN = 6          # children a year with individually recorded short stays (V3)
DENTAL_CLOSED = (day(dt.date(2020, 3, 23)), day(dt.date(2021, 5, 31)))   # COVID: dentists closed

# Ages (completed years) of children starting to be looked after, and of the stock at the start.
ENTRY_AGES = [((0, 0), 0.20), ((1, 4), 0.15), ((5, 9), 0.16), ((10, 15), 0.36), ((16, 17), 0.13)]
STOCK_AGES = [((0, 0), 0.05), ((1, 4), 0.14), ((5, 9), 0.20), ((10, 15), 0.39), ((16, 17), 0.22)]
# Pathways (the plan for a child's care) by age band: (under this age, chances), in draw order;
# for children starting to be looked after, and for the stock at the start of the history.
ENTRY_PATHWAYS = [(1, {"adopt": 0.55, "home": 0.18, "sgo": 0.18, "cao": 0.04, "remain": 0.05}),
                  (5, {"adopt": 0.33, "home": 0.29, "sgo": 0.19, "cao": 0.05, "remain": 0.14}),
                  (10, {"home": 0.5, "sgo": 0.15, "cao": 0.05, "remain": 0.3}),
                  (14, {"home": 0.55, "sgo": 0.04, "cao": 0.03, "remain": 0.3, "short": 0.08}),
                  (16, {"home": 0.55, "remain": 0.27, "short": 0.18}),
                  (math.inf, {"home": 0.4, "remain": 0.35, "short": 0.25})]
STOCK_PATHWAYS = [(1, {"home": 0.3, "sgo": 0.25, "cao": 0.05, "remain": 0.1, "adopt": 0.3}),
                  (5, {"home": 0.3, "sgo": 0.25, "cao": 0.05, "remain": 0.25, "adopt": 0.15}),
                  (10, {"home": 0.3, "sgo": 0.15, "cao": 0.05, "remain": 0.5}),
                  (16, {"home": 0.3, "sgo": 0.03, "remain": 0.62, "short": 0.05}),
                  (math.inf, {"home": 0.15, "remain": 0.8, "short": 0.05})]
MOVE_RATE = 0.036                    # unplanned moves a month, before the child's propensity
INSTABILITY_SHAPE = 0.4              # gamma shape of that propensity: a few children move a lot
INSTABILITY_CAP = 6.0
SETTLED_FACTOR = 0.45                # moves of children two years or more in their placement, relatively
EMERGENCY_FIRST_PLACEMENT = 0.4      # entrants whose first placement is an emergency one
FLEXIBLE_EXITS = ("home", "sgo", "cao", "short", "early")   # exits whose timing may move a little
PERMANENCE_DRIVE_FROM = day(dt.date(2020, 4, 1))
PERMANENCE_DRIVE_RATE = 0.06         # a month, for children settled with family or at home on an order
NEED_CODES = {"N1": 0.64, "N2": 0.03, "N3": 0.03, "N4": 0.09, "N5": 0.13, "N6": 0.03, "N7": 0.01, "N8": 0.04}

# Placement categories the mix is steered by.
INH, IFA, RES, OTH = 0, 1, 2, 3
FOSTER_TYPES = ("U1", "U2", "U3", "U4", "U5", "U6")
LONG_TERM_TYPES = ("U1", "U4")
# Chance that a placement starting on a category is more than 20 miles from home.
FAR_WEIGHT = {"U1": 0.08, "U2": 0.1, "U3": 0.08, "U4": 0.15, "U5": 0.15, "U6": 0.15, "K1": 0.8, "K2": 0.6,
              "R1": 0.6, "S1": 0.7, "P1": 0.02, "H5": 0.12, "A5": 0.25, "A6": 0.35, "Z1": 0.2}
IFA_PROVIDER_WEIGHT = 3.0            # agency foster carers are further afield than the authority's own
PLACEMENT_CHANGE_REASONS = {"CREQB": 0.24, "CREQO": 0.14, "CARPL": 0.2, "CHILD": 0.08, "ALLEG": 0.04,
                            "STAND": 0.04, "APPRR": 0.03, "CLOSE": 0.05, "LAREQ": 0.08, "OTHER": 0.1}
WORKER_CHANGE_REASONS = {"WORKER_LEFT": 0.6, "CASELOAD": 0.4}
# Postcode areas (made-up inward codes): near home, within 20 miles, further away.
NEAR_AREAS = ["TQ1", "TQ2", "TQ3", "TQ4", "TQ5"]
MID_AREAS = ["TQ6", "TQ9", "TQ12", "TQ13", "TQ14", "EX7"]
FAR_AREAS = ["EX1", "EX4", "EX16", "EX32", "PL1", "PL6", "PL19", "TA1", "TA6", "BS5", "BS16", "BA2",
             "DT1", "BH8", "GL1", "TR1", "SN2", "B23", "M14", "CF24"]

# Care leavers: 903 IN_TOUCH (when not "YES"), accommodation and activity codes.
NOT_IN_TOUCH = {"NO": 0.5, "REFU": 0.3, "NREQ": 0.15, "RHOM": 0.05}
ACCOMMODATION = {"B": 0.14, "D": 0.2, "E": 0.12, "K": 0.05, "R": 0.12, "S": 0.25, "T": 0.04, "U": 0.02,
                 "V": 0.01, "W": 0.02, "X": 0.03}
ACTIVITY_EET = {"F1": 0.08, "P1": 0.02, "F2": 0.38, "P2": 0.08, "F4": 0.32, "P4": 0.12}
ACTIVITY_NEET = {"G4": 0.2, "G5": 0.65, "G6": 0.15}
