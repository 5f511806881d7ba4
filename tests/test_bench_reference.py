"""The pandas reference of the benchmark (torbay_dash/bench_reference.py): the engine's figures, and hand counts.

On the demo data the pandas figures must equal the engine's, numerator and denominator, for
three periods; on small hand-built snapshots they must equal what the comments count. Working
days exclude weekends and England and Wales bank holidays (2021: Good Friday 2 April, Easter
Monday 5 April); the start day is day 0. No timings are asserted anywhere.
"""
import datetime as dt

import pandas as pd
import pytest

from snapshots import write_tables
from torbay_dash.bench_reference import (REFERENCE_IDS, engine_figures, pandas_figures, read_contract_rows,
                                         run_reference, twelve_months_to)
from torbay_dash.frames import contract_frame
from torbay_dash.indicators import COUNT, PERCENT, REGISTRY
from torbay_dash.periods import Period
from torbay_dash.settings import load_settings
from torbay_dash.store import Store, load_snapshot

AS_AT = "2021-07-31"
APRIL_2021 = Period(dt.date(2021, 4, 1), dt.date(2021, 4, 30))
MARCH_2021 = Period(dt.date(2021, 3, 1), dt.date(2021, 3, 31))


def test_one_count_one_working_day_percentage_one_stock():
    units = [(REGISTRY[i].unit, REGISTRY[i].kind) for i in REFERENCE_IDS]
    assert units == [(COUNT, "flow"), (PERCENT, "flow"), (COUNT, "stock")]
    assert "working days" in REGISTRY[REFERENCE_IDS[1]].definition


# --- the demo data: pandas equals the engine ----------------------------------------------

@pytest.fixture(scope="module")
def demo(demo_root):
    """The demo's snapshots by as-at date, and its settings."""
    return {s.id: s for s in Store(demo_root).list()}, load_settings(demo_root)


DEMO_CASES = {
    "12 months to the as-at date": (AS_AT, None),
    "December 2020 (Boxing Day on Monday 28th)": (AS_AT, Period(dt.date(2020, 12, 1), dt.date(2020, 12, 31))),
    "12 months to 29 February 2020": (AS_AT, Period(dt.date(2019, 3, 1), dt.date(2020, 2, 29))),
    "the 29 February 2020 snapshot, 12 months to its as-at date": ("2020-02-29", None),
}


@pytest.mark.parametrize("case", DEMO_CASES)
def test_pandas_equals_the_engine_on_the_demo(demo, case):
    snapshots, settings = demo
    as_at, period = DEMO_CASES[case]
    snapshot = snapshots[as_at]
    period = period or twelve_months_to(snapshot.as_at)
    by_pandas = pandas_figures(snapshot, period, settings)
    by_engine = engine_figures(snapshot, period, settings)
    assert by_pandas == by_engine
    assert all(numerator > 0 for numerator, _ in by_pandas.values())  # something was counted


def test_the_demo_has_the_bad_rows_the_reference_leaves_out(demo):
    snapshots, _ = demo
    snapshot = snapshots[AS_AT]
    for table in ("ssd_contacts", "ssd_cin_assessments", "ssd_cla_episodes", "ssd_legal_status"):
        warned = [p for p in snapshot.problems if p.table == table and p.n_rows]
        assert warned, f"the demo's {table} has no bad rows: the comparison would not test leaving them out"
        rows = read_contract_rows(snapshot, table, [])
        assert len(rows) < snapshot.report.tables[table]


def test_run_reference_prints_a_markdown_table(demo, capsys):
    snapshots, settings = demo
    rows = run_reference(snapshots[AS_AT], settings, repeats=1)
    assert [r["id"] for r in rows] == [*REFERENCE_IDS, "all three"]
    assert all(r["equal"] for r in rows)
    printed = capsys.readouterr().out
    table = [line for line in printed.splitlines() if line.startswith("|")]
    assert len(table) == 2 + len(rows)
    assert table[0].count("|") == table[2].count("|")
    assert all(indicator_id in printed for indicator_id in REFERENCE_IDS)


# --- hand-built snapshots: pandas equals the hand count -------------------------------------

def snapshot_of(tmp_path, tables, as_at=AS_AT):
    """A hand-built snapshot dated `as_at`, its bad rows let through as warnings.

    A few repeated ids or missing ids in a small table are more than validation allows a real
    extract before it quarantines the table; here they are the point, as in
    tests/snapshots.py's generated_snapshot.
    """
    snapshot = load_snapshot(write_tables(tmp_path / as_at, tables), cache=False)
    for problem in snapshot.report.problems:
        if problem.severity == "error" and 0 < problem.n_rows:
            problem.severity = "warning"
    assert snapshot.usable, snapshot.report.problems
    return snapshot


def contact(cid, date, completed=None, team="T1"):
    return {"cont_contact_id": cid, "cont_person_id": f"P{cid}", "cont_contact_date": date,
            "cont_contact_completed_date": completed, "cont_contact_team": team}


CONTACTS = {"ssd_contacts": [
    contact("C1", "2021-03-31"),                          # the day before the period: out
    contact("C2", "2021-04-01"),                          # the first day: in
    contact("C3", "2021-04-30"),                          # the last day: in
    contact("C4", "2021-05-01"),                          # the day after: out
    contact("C5", None),                                  # no contact date: out
    contact("C6", "2021-04-10", team=None),               # no team: in
    contact("C7", "2021-04-12", "2021-04-09"),            # completed before it was made: bad row, out
    contact("C8", "2021-04-14"),                          # in; its repeat below is ignored
    contact("C8", "2021-03-01"),                          # repeats C8: the first row counts, this one not
    contact("C9", "2021-03-02"),                          # out (March), and it is the C9 that counts:
    contact("C9", "2021-04-15"),                          #   this repeat in April is ignored
    contact("C10", "2021-04-20", "2021-08-05"),           # completed after the as-at date: a date that
                                                          #   cannot be right, bad row, out
    contact("C11", "2021-04-21", "2021-07-31"),           # completed on the as-at date itself: in
    contact(None, "2021-04-22"),                          # no contact id: still a contact, in
]}


def test_contacts_by_hand(tmp_path):
    snapshot = snapshot_of(tmp_path, CONTACTS)
    # C2, C3, C6, C8, C11 and the contact with no id
    assert pandas_figures(snapshot, APRIL_2021, ids=("contacts",)) == {"contacts": (6.0, None)}
    assert engine_figures(snapshot, APRIL_2021, load_settings(), ("contacts",)) == {"contacts": (6.0, None)}


def assessment(aid, start, authorised, team="T_ASSESS"):
    return {"cina_assessment_id": aid, "cina_person_id": f"P{aid}", "cina_assessment_start_date": start,
            "cina_assessment_auth_date": authorised, "cina_assessment_team": team}


ASSESSMENTS = {"ssd_cin_assessments": [
    assessment("A1", "2021-02-08", "2021-04-14"),  # Mon -> Wed: 47 weekdays less Easter's two: 45, in time
    assessment("A2", "2021-02-05", "2021-04-14"),  # Fri -> Wed: 46 working days, late
    assessment("A3", "2021-02-06", "2021-04-14"),  # Sat -> Wed: 46 (the Saturday is day 0), late
    assessment("A4", "2021-04-30", "2021-04-30"),  # the same day: 0, in time
    assessment("A5", None, "2021-04-20"),          # no start date: no working days to count, left out of both
    assessment("A6", "2021-04-20", "2021-04-19"),  # authorised before it started: bad row, left out of both
    assessment("A7", "2021-03-01", "2021-03-31"),  # authorised before the period: out
    assessment("A8", "2021-04-01", "2021-05-01"),  # authorised after it: out
    assessment("A9", "2021-04-01", "2021-04-01"),  # 0, in time; its repeat below is ignored
    assessment("A9", "2020-01-01", "2021-04-02"),  # repeats A9 (it would be late): the first row counts
    assessment("A11", "2021-02-09", "2021-04-14", team=None),  # 44, in time; no team does not matter
    assessment("A12", "1899-12-31", "2021-04-21"),  # a start before 1900 cannot be right: bad row, out
]}


def test_assessments_within_45_working_days_by_hand(tmp_path):
    snapshot = snapshot_of(tmp_path, ASSESSMENTS)
    want = {"assessments_45wd_pct": (4.0, 6.0)}  # A1, A4, A9, A11 of A1, A2, A3, A4, A9, A11
    assert pandas_figures(snapshot, APRIL_2021, ids=("assessments_45wd_pct",)) == want
    assert engine_figures(snapshot, APRIL_2021, load_settings(), ("assessments_45wd_pct",)) == want


def episode(eid, person, start, ceased=None):
    return {"clae_cla_episode_id": eid, "clae_person_id": person, "clae_cla_id": f"C{eid}",
            "clae_cla_episode_start_date": start, "clae_cla_episode_ceased_date": ceased,
            "clae_entered_care_date": start}


def status(lid, person, code, start, end=None):
    return {"lega_legal_status_id": lid, "lega_person_id": person, "lega_legal_status": code,
            "lega_legal_status_start_date": start, "lega_legal_status_end_date": end}


LOOKED_AFTER = {
    "ssd_cla_episodes": [
        episode("E1", "P1", "2020-01-01"),                 # open at 31 March: looked after
        episode("E1", "P14", "2020-01-01"),                # repeats E1's id: ignored, P14 not counted
        episode("E2", "P2", "2020-01-01", "2021-03-31"),   # ceases on the date: not open, out
        episode("E3", "P3", "2020-01-01", "2021-04-01"),   # ceases the day after: looked after
        episode("E4", "P4", "2021-04-01"),                 # starts the day after: out
        episode("E5a", "P5", "2020-01-01", "2021-02-01"),  # a move: the old episode has ended,
        episode("E5b", "P5", "2021-02-01"),                #   the new one is open: P5 counted once
        episode("E6", "P6", "2020-01-01"),                 # on a short break (V3) at the date: out
        episode("E7", "P7", "2020-01-01"),                 # was V4, now C2: looked after
        episode("E8", "P8", "2020-01-01"),                 # C2, then V3 starting later, both open: V3 wins, out
        episode("E9", "P9", "2020-01-01"),                 # C2 and V4 start the same day: the larger id (V4), out
        episode("E10", "P10", "2020-01-01"),               # no legal status at all: looked after
        episode("E11", "P11", "2021-01-01", "2020-12-31"),  # ceased before it started: bad row, out
        episode("E12", None, "2020-01-01"),                # no child: out
        episode("E13", "P13", "2020-01-01", "2021-09-01"),  # ceases after the as-at date: a date that cannot
                                                            #   be right, bad row, so not counted
    ],
    "ssd_legal_status": [
        status("L6", "P6", "V3", "2021-03-01"),
        status("L7a", "P7", "V4", "2020-01-01", "2021-03-01"),
        status("L7b", "P7", "C2", "2021-03-01"),
        status("L8a", "P8", "C2", "2020-01-01"),
        status("L8b", "P8", "V3", "2021-01-01"),
        status("L9a", "P9", "C2", "2020-01-01"),
        status("L9b", "P9", "V4", "2020-01-01"),
        status("L1", "P1", "V3", "2019-01-01", "2020-01-01"),  # P1's short breaks ended long before: P1 stays in
    ],
}


def test_children_looked_after_by_hand(tmp_path):
    snapshot = snapshot_of(tmp_path, LOOKED_AFTER)
    want = {"cla_count": (5.0, None)}  # P1, P3, P5, P7, P10
    assert pandas_figures(snapshot, MARCH_2021, ids=("cla_count",)) == want
    assert engine_figures(snapshot, MARCH_2021, load_settings(), ("cla_count",)) == want


# --- text dates, as an extract read from CSV carries them -----------------------------------

def text_contacts_snapshot(tmp_path, rows):
    """A snapshot whose ssd_contacts holds (id, contact date, completed date) as text, as a CSV extract does."""
    columns = contract_frame("ssd_contacts", []).columns
    frame = pd.DataFrame({c: pd.Series([None] * len(rows), dtype="string") for c in columns})
    for position, column in enumerate(["cont_contact_id", "cont_contact_date", "cont_contact_completed_date"]):
        frame[column] = pd.Series([r[position] for r in rows], dtype="string")
    folder = tmp_path / AS_AT
    folder.mkdir()
    frame.to_parquet(folder / "ssd_contacts.parquet", index=False)
    snapshot = load_snapshot(folder, cache=False)
    for problem in snapshot.report.problems:  # unreadable rows are the point here
        if problem.severity == "error" and 0 < problem.n_rows:
            problem.severity = "warning"
    return snapshot


TEXT_DATES = [
    ("T1", "2021-04-01", None),                 # ISO: in
    ("T2", "01/04/2021", None),                 # DD/MM/YYYY: in
    ("T3", "30/04/2021 17:45", None),           # DD/MM/YYYY with a time: in
    ("T4", "2021-04-15T09:30:00", None),        # ISO with a time: in
    ("T5", "04/31/2021", None),                 # month first (no 31st month): unreadable, out
    ("T6", "2021-4-5", None),                   # not the contract's form: unreadable, out
    ("T7", " 2021-04-20 ", None),               # spaces around it: in
    ("T8", "15/04/2021", "yesterday"),          # an unreadable completed date makes the row bad: out
    ("T9", "2021-04-31", None),                 # no 31 April: unreadable, out
]


def test_text_dates_are_read_as_the_contract_allows(tmp_path):
    """ISO and DD/MM/YYYY text, with or without a time, trimmed; anything else is unreadable, never guessed."""
    snapshot = text_contacts_snapshot(tmp_path, TEXT_DATES)
    want = {"contacts": (5.0, None)}  # T1, T2, T3, T4, T7
    assert pandas_figures(snapshot, APRIL_2021, ids=("contacts",)) == want
    assert engine_figures(snapshot, APRIL_2021, load_settings(), ("contacts",)) == want


BLANK_DATES = [
    ("B1", "2021-04-01", ""),                   # a blank completed date is no date: in
    ("B2", "2021-04-02", "   "),                # only spaces: no date, in
    ("B3", "2021-04-03", None),                 # null: in
    ("B4", "2021-04-06", "2021-04-07"),         # in
]


def test_a_blank_text_date_is_no_date(tmp_path):
    """Blank text is an empty value, as CSV and workbook ingest write it and validation's 'are empty' reads it."""
    snapshot = text_contacts_snapshot(tmp_path, BLANK_DATES)
    assert pandas_figures(snapshot, APRIL_2021, ids=("contacts",)) == {"contacts": (4.0, None)}


def test_the_engine_reads_a_blank_text_date_as_no_date(tmp_path):
    """Found by this reference: the views once called blank text unreadable and dropped the whole row."""
    snapshot = text_contacts_snapshot(tmp_path, BLANK_DATES)
    assert engine_figures(snapshot, APRIL_2021, load_settings(), ("contacts",)) == {"contacts": (4.0, None)}


def test_timestamps_are_dates_in_englands_local_time(tmp_path):
    """A timestamp with a zone is the date on a clock in England (British Summer Time from 28 March 2021)."""
    rows = [("Z1", "2021-03-31T23:30:00Z"),    # 00:30 on 1 April in England: in
            ("Z2", "2021-04-30T22:59:00Z"),    # 23:59 on 30 April: in
            ("Z3", "2021-04-30T23:00:00Z"),    # midnight, 1 May: out
            ("Z4", "2021-03-31T22:00:00Z")]    # 23:00 on 31 March: out
    frame = contract_frame("ssd_contacts", [{"cont_contact_id": cid} for cid, _ in rows])
    frame["cont_contact_date"] = pd.to_datetime([when for _, when in rows], utc=True)
    folder = tmp_path / AS_AT
    folder.mkdir()
    frame.to_parquet(folder / "ssd_contacts.parquet", index=False)
    snapshot = load_snapshot(folder, cache=False)
    want = {"contacts": (2.0, None)}  # Z1, Z2
    assert pandas_figures(snapshot, APRIL_2021, ids=("contacts",)) == want
    assert engine_figures(snapshot, APRIL_2021, load_settings(), ("contacts",)) == want
