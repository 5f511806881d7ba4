"""Reconciliation of two snapshots on hand-built rows, each commented with the outcome it should have."""
import datetime as dt

import pandas as pd
import pytest

from torbay_dash.frames import contract_frame
from torbay_dash.reconcile import (ERASED, FILLED, FILLED_PAST, HIDDEN, REWRITTEN, key_date, person_column,
                                   previous_of, reconcile)
from torbay_dash.store import Store

BEFORE, AFTER = dt.date(2021, 5, 31), dt.date(2021, 6, 30)

PEOPLE = [{"pers_person_id": f"P{i}", "pers_sex": "F"} for i in range(1, 5)]

EPISODES_BEFORE = [
    # E1: a closed episode, the same in both                             -> unchanged
    {"clae_cla_episode_id": "E1", "clae_person_id": "P1", "clae_cla_episode_start_date": "2020-01-10",
     "clae_cla_episode_ceased_date": "2020-06-01", "clae_cla_episode_ceased_reason": "E4A"},
    # E2: open on 31 May, ends 15 June (after the previous as-at)          -> updated since, NOT history
    {"clae_cla_episode_id": "E2", "clae_person_id": "P2", "clae_cla_episode_start_date": "2021-03-01"},
    # E3: open on 31 May, but the June extract says it ended 20 May        -> history: ended before 31 May
    {"clae_cla_episode_id": "E3", "clae_person_id": "P3", "clae_cla_episode_start_date": "2021-02-01"},
    # E4: its start moves from 1 September to 1 October 2020              -> history: rewritten
    {"clae_cla_episode_id": "E4", "clae_person_id": "P4", "clae_cla_episode_start_date": "2020-09-01",
     "clae_cla_episode_ceased_date": "2021-01-31"},
    # E5: missing from the June extract                                    -> vanished (child P1)
    {"clae_cla_episode_id": "E5", "clae_person_id": "P1", "clae_cla_episode_start_date": "2019-05-01",
     "clae_cla_episode_ceased_date": "2019-12-31"},
]
EPISODES_AFTER = [
    EPISODES_BEFORE[0],
    {**EPISODES_BEFORE[1], "clae_cla_episode_ceased_date": "2021-06-15", "clae_cla_episode_ceased_reason": "E4A"},
    {**EPISODES_BEFORE[2], "clae_cla_episode_ceased_date": "2021-05-20", "clae_cla_episode_ceased_reason": "E13"},
    {**EPISODES_BEFORE[3], "clae_cla_episode_start_date": "2020-10-01"},
    # E6: a child who came into care on 10 June                            -> new, dated since
    {"clae_cla_episode_id": "E6", "clae_person_id": "P5", "clae_cla_episode_start_date": "2021-06-10"},
    # E7: an episode from April, recorded only now (or migrated again)     -> new, dated in the past
    {"clae_cla_episode_id": "E7", "clae_person_id": "P4", "clae_cla_episode_start_date": "2021-04-01"},
]
PLACEMENTS_BEFORE = [
    # CP1: the postcode is rewritten                                        -> history, its values never shown
    {"clap_cla_placement_id": "CP1", "clap_person_id": "P1", "clap_cla_placement_start_date": "2020-01-10",
     "clap_cla_placement_postcode": "TQ1 1AA", "clap_cla_placement_type": "U1"},
    # CP2: its placement type code is erased                               -> history: erased
    {"clap_cla_placement_id": "CP2", "clap_person_id": "P2", "clap_cla_placement_start_date": "2021-03-01",
     "clap_cla_placement_type": "U3"},
]
PLACEMENTS_AFTER = [{**PLACEMENTS_BEFORE[0], "clap_cla_placement_postcode": "TQ2 2BB"},
                    {**PLACEMENTS_BEFORE[1], "clap_cla_placement_type": None}]
REVIEWS_BEFORE = [
    # R1: due 20 June (after 31 May), held 18 June                         -> updated since
    {"clar_cla_review_id": "R1", "clar_cla_id": "C2", "clar_cla_review_due_date": "2021-06-20"},
    # R2: due 10 May, its date of 12 May recorded only in June             -> history: filled in, dated in the past
    {"clar_cla_review_id": "R2", "clar_cla_id": "C3", "clar_cla_review_due_date": "2021-05-10"},
]
REVIEWS_AFTER = [{**REVIEWS_BEFORE[0], "clar_cla_review_date": "2021-06-18"},
                 {**REVIEWS_BEFORE[1], "clar_cla_review_date": "2021-05-12"}]


def legal_status(ids) -> pd.DataFrame:
    """Legal statuses whose ids arrive as numbers in one extract and as text in the other."""
    frame = contract_frame("ssd_legal_status", [
        {"lega_legal_status_id": "0", "lega_person_id": "P1", "lega_legal_status": "C2",
         "lega_legal_status_start_date": "2020-01-10"}])
    frame["lega_legal_status_id"] = ids
    return frame


@pytest.fixture
def two_snapshots(tmp_path):
    store = Store(tmp_path)
    visits = contract_frame("ssd_cla_visits", [
        {"clav_cla_visit_id": "V1", "clav_cla_id": "C1", "clav_person_id": "P1", "clav_cla_visit_date": "2021-05-01"}])
    plans = contract_frame("ssd_cp_plans", [{"cppl_cp_plan_id": "CPP1", "cppl_person_id": "P2",
                                             "cppl_cp_plan_start_date": "2021-01-05"}])
    previous = store.publish(BEFORE, {
        "ssd_person": contract_frame("ssd_person", PEOPLE),
        "ssd_cla_episodes": contract_frame("ssd_cla_episodes", EPISODES_BEFORE),
        "ssd_cla_placement": contract_frame("ssd_cla_placement", PLACEMENTS_BEFORE),
        "ssd_cla_reviews": contract_frame("ssd_cla_reviews", REVIEWS_BEFORE),
        "ssd_legal_status": legal_status([101.0]),        # 101.0 from a spreadsheet is the id '101'
        "ssd_cla_visits": visits,                          # absent from the June extract -> table removed
        "ssd_cp_plans": plans,
    }, {"source": "test"})
    current = store.publish(AFTER, {
        "ssd_person": contract_frame("ssd_person", PEOPLE + [{"pers_person_id": "P5"}]),  # P5: new, no key date
        "ssd_cla_episodes": contract_frame("ssd_cla_episodes", EPISODES_AFTER),
        "ssd_cla_placement": contract_frame("ssd_cla_placement", PLACEMENTS_AFTER),
        "ssd_cla_reviews": contract_frame("ssd_cla_reviews", REVIEWS_AFTER),
        "ssd_legal_status": legal_status(["101"]),         # the same id as text -> unchanged
        "ssd_missing": contract_frame("ssd_missing", [     # new in June -> table added
            {"miss_table_id": "M1", "miss_person_id": "P2", "miss_missing_episode_start_date": "2021-06-02"}]),
        "ssd_cp_plans": plans.drop(columns=["cppl_cp_plan_end_date"]),  # a column lost -> quarantined
    }, {"source": "test"})
    assert previous.usable and current.usable, current.problems
    return previous, current


def by_table(rec, name):
    return rec.summary.set_index("table").loc[name]


def test_episodes_vanished_changed_and_new(two_snapshots):
    rec = reconcile(*two_snapshots)
    episodes = by_table(rec, "ssd_cla_episodes")
    assert (episodes["rows_before"], episodes["rows_after"]) == (5, 6)
    assert episodes["vanished"] == 1                       # E5
    assert episodes["changed_history"] == 2                # E3, E4; not E2, which ended after 31 May
    assert episodes["updated_since"] == 1                  # E2
    assert (episodes["new"], episodes["new_dated_in_past"]) == (2, 1)   # E6 since, E7 in the past
    assert episodes["children_affected"] == 3              # P1 (E5), P3 (E3), P4 (E4, E7)
    assert rec.children_affected("ssd_cla_episodes") == 3

    vanished = rec.vanished[rec.vanished["table"] == "ssd_cla_episodes"]
    assert vanished[["record_id", "person_id"]].values.tolist() == [["E5", "P1"]]
    assert vanished["key_date"].tolist() == [dt.date(2019, 5, 1)]

    changed = rec.changed[rec.changed["table"] == "ssd_cla_episodes"]
    assert changed[["record_id", "person_id", "column", "before", "after", "change"]].values.tolist() == [
        ["E3", "P3", "clae_cla_episode_ceased_date", None, "2021-05-20", FILLED_PAST],
        ["E3", "P3", "clae_cla_episode_ceased_reason", None, "E13", FILLED],
        ["E4", "P4", "clae_cla_episode_start_date", "2020-09-01", "2020-10-01", REWRITTEN],
    ]
    new = rec.new[rec.new["table"] == "ssd_cla_episodes"]
    assert new[["record_id", "person_id", "dated"]].values.tolist() == [["E6", "P5", "since"],
                                                                         ["E7", "P4", "in the past"]]


def test_an_end_date_filled_in_after_the_previous_as_at_is_not_history(two_snapshots):
    rec = reconcile(*two_snapshots)
    assert "E2" not in set(rec.changed["record_id"])
    assert "E2" not in set(rec.past_rows("ssd_cla_episodes")["record_id"])
    # the same for a review due and held after 31 May; but one held on 12 May and recorded late is history
    reviews = rec.changed[rec.changed["table"] == "ssd_cla_reviews"]
    assert reviews[["record_id", "column", "after", "change"]].values.tolist() == [
        ["R2", "clar_cla_review_date", "2021-05-12", FILLED_PAST]]
    assert by_table(rec, "ssd_cla_reviews")["updated_since"] == 1          # R1
    assert pd.isna(by_table(rec, "ssd_cla_reviews")["children_affected"])  # no child id in the table


def test_text_is_never_shown_and_an_erased_code_is_history(two_snapshots):
    rec = reconcile(*two_snapshots)
    placements = rec.changed[rec.changed["table"] == "ssd_cla_placement"]
    assert placements[["record_id", "column", "before", "after", "change"]].values.tolist() == [
        ["CP1", "clap_cla_placement_postcode", HIDDEN, HIDDEN, REWRITTEN],   # postcodes never shown
        ["CP2", "clap_cla_placement_type", "U3", None, ERASED],
    ]
    assert not rec.changed.isin(["TQ1 1AA", "TQ2 2BB"]).any().any()


def test_ids_compare_as_text_and_tables_added_removed_quarantined(two_snapshots):
    rec = reconcile(*two_snapshots)
    legal = by_table(rec, "ssd_legal_status")
    assert (legal["vanished"], legal["changed_history"], legal["new"]) == (0, 0, 0)   # 101.0 is '101'
    person = by_table(rec, "ssd_person")
    assert (person["new"], person["new_dated_in_past"], person["vanished"]) == (1, 0, 0)  # P5: no key date
    assert rec.tables_added == ["ssd_missing"]
    assert rec.tables_removed == ["ssd_cla_visits"]
    assert rec.tables_quarantined == ["ssd_cp_plans"]
    assert by_table(rec, "ssd_cp_plans")[["before", "after"]].tolist() == ["served", "quarantined"]
    assert "cppl_cp_plan_end_date" in rec.not_compared["ssd_cp_plans"]
    assert pd.isna(by_table(rec, "ssd_cp_plans")["vanished"])
    assert by_table(rec, "ssd_missing")[["before", "after", "rows_after"]].tolist() == ["absent", "served", 1]
    # the unchanged tables and those absent from both are not listed as changed
    assert set(rec.changed["table"]) == {"ssd_cla_episodes", "ssd_cla_placement", "ssd_cla_reviews"}
    assert "ssd_contacts" not in set(rec.summary["table"])


def test_previous_of_is_the_usable_snapshot_just_before(two_snapshots):
    previous, current = two_snapshots
    assert previous_of([previous, current], current) is previous
    assert previous_of([previous, current], previous) is None


def test_key_dates_and_child_columns():
    assert key_date("ssd_cla_episodes") == "clae_cla_episode_start_date"
    assert key_date("hr_posts") == "start_date"
    assert key_date("ssd_cla_reviews") == "clar_cla_review_due_date"
    assert key_date("ssd_person") is None
    assert person_column("ssd_involvements") == "invo_person_id"
    assert person_column("local_camhs") == "person_id"
    assert person_column("ssd_professionals") is None


def test_demo_june_2021_migration_shows_as_children_whose_past_episodes_changed(demo_root):
    """The 30 June 2021 snapshot holds a batch of children in care twice, under new ids, with copies of
    their past episodes: far more children's past care episodes change than in an ordinary month."""
    snapshots = {s.id: s for s in Store(demo_root).list()}
    june = reconcile(snapshots["2021-05-31"], snapshots["2021-06-30"])
    may = reconcile(snapshots["2021-04-30"], snapshots["2021-05-31"])
    migrated = snapshots["2021-06-30"].manifest["migration_defect"]["children_migrated_twice"]
    copies = june.new[(june.new["table"] == "ssd_cla_episodes") & (june.new["dated"] == "in the past")]
    assert copies["person_id"].str.startswith("CM").sum() > 0
    assert copies.loc[copies["person_id"].str.startswith("CM"), "person_id"].nunique() == migrated
    assert june.children_affected("ssd_cla_episodes") >= migrated > 3 * may.children_affected("ssd_cla_episodes")
    # the placements lost in the migration vanish
    assert by_table(june, "ssd_cla_placement")["vanished"] > 0
