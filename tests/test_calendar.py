"""Working days: Monday to Friday less England and Wales bank holidays; wd(S, E) counts S < d <= E."""
import datetime as dt
import random

import pytest

from torbay_dash.calendar import is_working_day, working_days_between
from torbay_dash.db import SnapshotDB
from torbay_dash.store import load_snapshot

D = dt.date


def test_worked_example_across_christmas():
    # Sat 21, Sun 22 out; Mon 23, Tue 24 in; 25, 26 bank holidays; Fri 27, Mon 30, Tue 31 in;
    # 1 Jan bank holiday; Thu 2 in -> 6
    assert working_days_between(D(2024, 12, 20), D(2025, 1, 2)) == 6


@pytest.mark.parametrize("day", [D(2022, 9, 19),   # the Queen's funeral, a one-off bank holiday
                                 D(2023, 5, 8),    # the coronation, a one-off bank holiday
                                 D(2020, 5, 8),    # VE day: the early May bank holiday moved to a Friday
                                 D(2021, 12, 27),  # Christmas Day fell on a Saturday: substitute day
                                 D(2024, 3, 29)])  # Good Friday
def test_bank_holidays_are_not_working_days(day):
    assert not is_working_day(day)


def test_ordinary_days():
    assert is_working_day(D(2022, 9, 20))
    assert not is_working_day(D(2022, 9, 17))  # a Saturday
    assert is_working_day(D(2020, 5, 4))  # the usual early May Monday was moved in 2020


def test_same_day_is_zero_and_the_start_day_is_day_zero():
    assert working_days_between(D(2021, 3, 3), D(2021, 3, 3)) == 0
    assert working_days_between(D(2021, 3, 5), D(2021, 3, 8)) == 1  # Fri -> Mon
    assert working_days_between(D(2021, 3, 6), D(2021, 3, 7)) == 0  # Sat -> Sun
    assert working_days_between(D(2024, 2, 28), D(2024, 3, 1)) == 2  # leap day counts


def test_reversed_dates_are_negative():
    assert working_days_between(D(2025, 1, 2), D(2024, 12, 20)) == -6


def _naive_wd(start, end):
    """Deliberately simple: walk the days."""
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and is_working_day(day):
            n += 1
    return n


def test_sql_macro_agrees_with_walking_the_days(service_root):
    rng = random.Random(7)
    pairs = []
    for _ in range(300):
        start = D(2018, 1, 1) + dt.timedelta(days=rng.randrange(2600))
        pairs.append((start, start + dt.timedelta(days=rng.randrange(120))))
    db = SnapshotDB(load_snapshot(service_root / "snapshots" / "2021-07-31"))
    import pandas as pd
    frame = pd.DataFrame(pairs, columns=["s", "e"])
    got = db.query("SELECT wd(s, e) AS n FROM pairs", frames={"pairs": frame})["n"].tolist()
    assert got == [_naive_wd(s, e) for s, e in pairs]
