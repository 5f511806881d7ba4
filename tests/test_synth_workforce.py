"""The demo generator's workforce and quality-assurance truth tables.

Calibration lines are computed here with small, deliberately plain pandas code that
follows INDICATORS.md ("Workforce", "Quality assurance") on the truth tables.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from torbay_dash.contract import ALLOCATED_SW, TABLES
from torbay_dash.synth import org, quality, workforce
from torbay_dash.synth.context import SynthConfig, SynthContext, day
from torbay_dash.synth.people import PersonRegistry

WORKFORCE_TABLES = ["hr_posts", "hr_staff", "hr_absence", "hr_supervision", "ssd_professionals"]
QA_TABLES = ["qa_audits", "qa_actions"]
META = ["_anchor", "_lag"]
CASEHOLDING = ["Social worker", "Senior social worker", "Advanced practitioner", "Practice manager"]


def make_context(seed: int = 42, scale: float = 1.0) -> SynthContext:
    """A context as simulate.py builds it: teams, a person registry, no case tables yet."""
    ctx = SynthContext(SynthConfig(seed=seed), 0, scale)
    org.build_teams(ctx)
    ctx.people = PersonRegistry(ctx)
    ctx.tables = {}
    # a few children known to the service, so QA can fall back on them when no case module has run
    days = np.arange(ctx.start_day, ctx.end_day, 3)
    ctx.people.add(days, np.random.default_rng(seed).integers(0, 17, len(days)))
    return ctx


def run(seed: int = 42, scale: float = 1.0, involvements=None) -> tuple[SynthContext, dict[str, pd.DataFrame]]:
    ctx = make_context(seed, scale)
    tables = dict(workforce.simulate(ctx))
    ctx.tables.update(tables)
    if involvements is not None:
        ctx.tables["ssd_involvements"] = involvements(ctx)
    tables.update(quality.simulate(ctx))
    return ctx, tables


@pytest.fixture(scope="module")
def torbay():
    return run(42)


# -- plain indicator code (INDICATORS.md) --------------------------------------------------------
def in_post(staff: pd.DataFrame, d: str) -> pd.DataFrame:
    d = pd.Timestamp(d)
    return staff[(staff["start_date"] <= d) & (staff["end_date"].isna() | (staff["end_date"] > d))]


def social_workers(staff):
    return staff[staff["is_qualified_sw"] == "Y"]


def employed(staff):
    return staff[staff["employment_type"].isin(["permanent", "fixed_term"])]


def agency_rate(staff, d):
    sw = in_post(social_workers(staff), d)
    agency = sw.loc[sw["employment_type"] == "agency", "fte"].sum()
    emp = employed(sw)["fte"].sum()
    return 100 * agency / (agency + emp)


def turnover_rate(staff, d):
    d = pd.Timestamp(d)
    emp = employed(social_workers(staff))
    ended = emp[(emp["end_date"] > d - pd.DateOffset(months=12)) & (emp["end_date"] <= d)]
    left_fte = 0.0
    for row in ended.itertuples():
        later = emp[(emp["professional_id"] == row.professional_id) & (emp["start_date"] >= row.end_date)
                    & (emp["start_date"] <= row.end_date + pd.Timedelta(days=7))]
        if later.empty:
            left_fte += row.fte
    return 100 * left_fte / in_post(emp, d)["fte"].sum()


def vacancy_rate(staff, posts, d):
    d = pd.Timestamp(d)
    open_posts = posts[(posts["is_social_worker_post"] == "Y") & (posts["start_date"] <= d)
                       & (posts["end_date"].isna() | (posts["end_date"] > d))]
    emp = in_post(employed(social_workers(staff)), d)
    vacancy = 0.0
    for post in open_posts.itertuples():
        held = emp.loc[emp["post_id"] == post.post_id, "fte"].sum()
        vacancy += max(0.0, post.fte - held)
    return 100 * vacancy / (vacancy + emp["fte"].sum())


# -- shape ---------------------------------------------------------------------------------------
def test_tables_have_exactly_the_contract_columns(torbay):
    _, tables = torbay
    assert set(tables) == set(WORKFORCE_TABLES + QA_TABLES)
    for name, frame in tables.items():
        assert list(frame.columns) == TABLES[name].column_names + META, name
        assert len(frame) > 0, name
        assert (frame["_lag"] == 0).all()
        for col in TABLES[name].columns:
            if col.type == "date":
                assert pd.api.types.is_datetime64_any_dtype(frame[col.name]), (name, col.name)
            if col.type == "flag":
                assert frame[col.name].dropna().isin(["Y", "N"]).all(), (name, col.name)
        assert pd.api.types.is_datetime64_any_dtype(frame["_anchor"])


def test_keys_unique_and_no_end_before_start(torbay):
    _, tables = torbay
    for name, frame in tables.items():
        key = TABLES[name].key
        assert frame[key].notna().all() and frame[key].is_unique, name
    for name in ["hr_posts", "hr_staff", "hr_absence"]:
        frame = tables[name]
        assert not (frame["end_date"] < frame["start_date"]).any(), name
        assert frame["start_date"].notna().all()
    staff = tables["hr_staff"]
    assert not (staff["end_date"] == staff["start_date"]).any()
    actions = tables["qa_actions"]
    assert (actions["due_date"] > actions["raised_date"]).all()
    assert not (actions["completed_date"] < actions["raised_date"]).any()


def test_anchors_are_the_dates_rows_come_into_existence(torbay):
    _, tables = torbay
    assert (tables["hr_staff"]["_anchor"] == tables["hr_staff"]["start_date"]).all()
    assert (tables["hr_posts"]["_anchor"] == tables["hr_posts"]["start_date"]).all()
    assert (tables["hr_supervision"]["_anchor"] == tables["hr_supervision"]["supervision_date"]).all()
    assert (tables["qa_audits"]["_anchor"] == tables["qa_audits"]["audit_date"]).all()
    assert (tables["qa_actions"]["_anchor"] == tables["qa_actions"]["raised_date"]).all()


def test_references_hold(torbay):
    ctx, tables = torbay
    staff, posts, profs = tables["hr_staff"], tables["hr_posts"], tables["ssd_professionals"]
    teams = set(ctx.teams["dept_team_id"])
    assert staff["post_id"].dropna().isin(posts["post_id"]).all()
    assert staff["team_id"].isin(teams).all() and posts["team_id"].isin(teams).all()
    assert staff["professional_id"].dropna().isin(profs["prof_professional_id"]).all()
    assert profs["prof_staff_id"].isin(staff["staff_id"]).all()
    assert profs["prof_professional_department"].isin(teams).all()
    assert tables["hr_absence"]["staff_id"].isin(staff["staff_id"]).all()
    assert tables["hr_supervision"]["staff_id"].isin(staff["staff_id"]).all()
    assert tables["qa_actions"]["audit_id"].isin(tables["qa_audits"]["audit_id"]).all()
    # every social worker has a professional id; business support has none
    assert staff.loc[staff["is_qualified_sw"] == "Y", "professional_id"].notna().all()
    assert staff.loc[staff["role"] == "Business support officer", "professional_id"].isna().all()
    # a professional is described by their latest spell
    latest = staff.dropna(subset=["professional_id"]).sort_values("start_date").groupby("professional_id").last()
    merged = profs.drop(columns=META).set_index("prof_professional_id").join(latest.drop(columns=META))
    assert (merged["prof_staff_id"] == merged["staff_id"]).all()
    assert (merged["prof_agency_worker_flag"] == np.where(merged["employment_type"] == "agency", "Y", "N")).all()


def test_one_holder_per_post_at_a_time(torbay):
    _, tables = torbay
    emp = employed(tables["hr_staff"]).dropna(subset=["post_id"])
    for d in ["2016-01-31", "2019-09-30", "2020-09-30", "2021-06-30"]:
        assert in_post(emp, d)["post_id"].is_unique, d


# -- the worker pool -----------------------------------------------------------------------------
def test_worker_pool_picks_caseholders_in_post(torbay):
    ctx, tables = torbay
    staff = tables["hr_staff"]
    rng = np.random.default_rng(0)
    teams = ctx.teams
    caseholding_teams = teams.loc[teams["role"] != "iro", "dept_team_id"].to_numpy()
    days = rng.integers(ctx.start_day, ctx.end_day + 1, 400)
    team_ids = caseholding_teams[rng.integers(0, len(caseholding_teams), 400)]
    picked = ctx.workers.pick(team_ids, days, np.random.default_rng(1))
    assert pd.notna(picked).mean() > 0.99
    spells = staff.assign(_s=(staff["start_date"] - pd.Timestamp("1970-01-01")).dt.days,
                          _e=(staff["end_date"] - pd.Timestamp("1970-01-01")).dt.days)
    for worker, team, d in zip(picked, team_ids, days):
        if worker is None:
            continue
        own = spells[(spells["professional_id"] == worker) & (spells["team_id"] == team)]
        ok = own[(own["_s"] <= d) & (own["_e"].isna() | (own["_e"] > d))]
        assert len(ok) == 1 and ok["role"].iloc[0] in CASEHOLDING and ok["is_qualified_sw"].iloc[0] == "Y"
    iro = teams.loc[teams["role"] == "iro", "dept_team_id"].iloc[0]
    assert ctx.workers.pick([iro], [ctx.end_day], rng)[0] is None


# -- the story -----------------------------------------------------------------------------------
def test_workforce_tells_the_reviews_story(torbay):
    _, tables = torbay
    staff, posts = tables["hr_staff"], tables["hr_posts"]
    asye = staff[staff["is_asye"] == "Y"]
    for year in (2019, 2020, 2021):
        assert (asye["start_date"].dt.year == year).sum() == 16, year
    intl = staff[staff["is_international_recruit"] == "Y"]
    assert len(intl) == 12 and (intl["start_date"].dt.year == 2021).all()
    assert set(staff["employment_type"]) == {"permanent", "fixed_term", "agency"}
    assert staff["fte"].between(0.5, 1.0).all() and (staff["fte"] < 1).mean() > 0.05
    assert {"Family support worker", "Business support officer", "Team manager"} <= set(staff["role"])
    assert (staff.loc[staff["role"] == "Family support worker", "is_qualified_sw"] == "N").all()
    # agency workers converting to permanent: their agency spell ends the day before
    converted = staff[staff["converted_from_agency"] == "Y"]
    assert len(converted) >= 10
    for row in converted.itertuples():
        before = staff[(staff["professional_id"] == row.professional_id) & (staff["employment_type"] == "agency")
                       & (staff["end_date"] == row.start_date - pd.Timedelta(days=1))]
        assert len(before) == 1
    # leavers have reasons; open spells have none
    assert staff.loc[staff["end_date"].notna(), "leaving_reason"].notna().all()
    assert staff.loc[staff["end_date"].isna(), "leaving_reason"].isna().all()
    # agency staff without a post, and agency staff covering vacant posts
    agency = staff[staff["employment_type"] == "agency"]
    assert agency["post_id"].isna().any() and agency["post_id"].notna().any()
    # 67 posts added in 2020-21; the establishment grew
    opened = posts[(posts["start_date"] >= "2020-04-01") & (posts["start_date"] <= "2021-03-31")]
    assert len(opened) == 67

    def open_posts(d):
        return ((posts["start_date"] <= d) & (posts["end_date"].isna() | (posts["end_date"] > d))).sum()
    assert open_posts("2021-03-31") > open_posts("2020-03-31") + 20


def test_supervision_and_absence_look_real(torbay):
    ctx, tables = torbay
    staff, sup, absence = tables["hr_staff"], tables["hr_supervision"], tables["hr_absence"]
    d = pd.Timestamp("2021-06-30")
    sw = in_post(social_workers(staff), d)
    sw = sw[sw["start_date"] < d - pd.Timedelta(days=30)]
    recent = sup[(sup["supervision_date"] > d - pd.Timedelta(days=30)) & (sup["supervision_date"] <= d)]
    supervised = sw["staff_id"].isin(recent["staff_id"])
    assert 0.6 < supervised.mean() < 0.97
    senior = sw["role"].isin(["Team manager", "Independent reviewing officer", "Principal social worker",
                              "Practice manager"])
    assert supervised[senior].mean() < supervised[~senior].mean()
    assert sup["supervision_date"].dt.day_of_week.lt(5).all()
    assert sup["supervision_date"].max() <= pd.Timestamp(ctx.end)
    # absence: employed staff only, working days lost within the episode, a few percent of time
    assert absence["staff_id"].isin(employed(staff)["staff_id"]).all()
    span = (absence["end_date"] - absence["start_date"]).dt.days + 1
    assert (absence["working_days_lost"] > 0).all() and (absence["working_days_lost"] <= span).all()
    fy = absence[(absence["start_date"] >= "2020-04-01") & (absence["start_date"] <= "2021-03-31")]
    emp_sw = fy[fy["staff_id"].isin(social_workers(employed(staff))["staff_id"])]
    fte = employed(in_post(social_workers(staff), "2021-03-31"))["fte"].sum()
    rate = 100 * emp_sw["working_days_lost"].sum() / (fte * 253)
    assert 1.5 < rate < 6.5


def test_determinism():
    _, a = run(5, scale=0.5)
    _, b = run(5, scale=0.5)
    _, c = run(6, scale=0.5)
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert any(not a[name].equals(c[name]) for name in a)


# -- calibration ---------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=[42, 7])
def calibrated(request):
    return run(request.param)


def test_agency_rate(calibrated):
    _, tables = calibrated
    staff = tables["hr_staff"]
    assert agency_rate(staff, "2021-06-30") == pytest.approx(34.4, abs=2)
    # published at 30 September: 42.8, 43.8, 31.2, falling through 2021
    assert agency_rate(staff, "2019-09-30") == pytest.approx(42.8, abs=2)
    assert agency_rate(staff, "2020-09-30") == pytest.approx(43.8, abs=2)
    assert agency_rate(staff, "2021-09-30") == pytest.approx(31.2, abs=2)


def test_turnover_rate(calibrated):
    _, tables = calibrated
    staff = tables["hr_staff"]
    assert turnover_rate(staff, "2020-06-30") == pytest.approx(37.8, abs=2)
    assert turnover_rate(staff, "2021-06-30") == pytest.approx(27.0, abs=2)


def test_vacancy_rate_near_published(calibrated):
    _, tables = calibrated
    staff, posts = tables["hr_staff"], tables["hr_posts"]
    for d in ["2019-09-30", "2020-09-30"]:                  # published 33.9, 38.7
        assert 27 <= vacancy_rate(staff, posts, d) <= 43, d
    for d in ["2021-07-31", "2021-09-30"]:                  # published 21.7 at 2021-09-30
        assert 15 <= vacancy_rate(staff, posts, d) <= 29, d


def test_caseholding_capacity_gives_published_caseloads(calibrated):
    """About 1,300 CIN cases, 300 children in care and 200 care leavers make 17-21 cases an FTE.

    (Published: 17.9, 20.8, 16.6.) The caseload indicator itself needs the case modules' involvements.
    """
    _, tables = calibrated
    staff = tables["hr_staff"]
    for d in ["2019-09-30", "2020-09-30", "2021-06-30"]:
        holders = in_post(social_workers(staff), d)
        fte = holders.loc[holders["role"].isin(CASEHOLDING), "fte"].sum()
        assert 16 <= 1800 / fte <= 21.5, d


def test_case_audits_a_month(calibrated):
    _, tables = calibrated
    audits = tables["qa_audits"]
    case = audits[audits["audit_type"] == "case"]
    month = case["audit_date"].dt.strftime("%Y-%m")
    window = case[(case["audit_date"] >= "2021-02-01") & (case["audit_date"] <= "2021-07-31")]
    assert len(window) / 6 == pytest.approx(15, abs=2)
    before = month[(month >= "2019-04") & (month <= "2020-03")].value_counts()
    assert 8 <= before.mean() <= 12


def test_grades_moderation_and_actions(calibrated):
    _, tables = calibrated
    audits, actions = tables["qa_audits"], tables["qa_actions"]
    assert set(audits["audit_type"]) == {"case", "thematic", "dip_sample"}
    assert audits["theme"].notna().all()
    case = audits[audits["audit_type"] == "case"]
    assert case["grade"].isin(["outstanding", "good", "requires_improvement", "inadequate"]).all()
    final = case["moderated_grade"].fillna(case["grade"])
    good = final.isin(["good", "outstanding"])
    assert 0.40 <= good.mean() <= 0.60
    year = case["audit_date"].dt.year
    assert good[year == 2021].mean() > good[year <= 2019].mean()
    moderated = case[case["moderated_grade"].notna()]
    assert 0.25 <= len(moderated) / len(case) <= 0.42
    assert 0.62 <= (moderated["moderated_grade"] == moderated["grade"]).mean() <= 0.88
    per_audit = actions.groupby("audit_id").size()
    assert per_audit.between(1, 3).all() and len(per_audit) == len(audits)
    lead = (actions["due_date"] - actions["raised_date"]).dt.days
    assert lead.between(28, 56).all()
    on_time = actions["completed_date"].notna() & (actions["completed_date"] <= actions["due_date"])
    late = actions["completed_date"] > actions["due_date"]
    assert on_time.mean() > 0.5 and late.mean() > 0.1 and actions["completed_date"].isna().mean() > 0.02


def test_auditors_are_managers_in_post(torbay):
    _, tables = torbay
    staff, audits = tables["hr_staff"], tables["qa_audits"]
    managers = staff[staff["role"].isin(["Team manager", "Principal social worker"])]
    assert audits["auditor_id"].notna().all()
    for row in audits.sample(60, random_state=0).itertuples():
        own = in_post(managers[managers["professional_id"] == row.auditor_id], row.audit_date)
        assert len(own) == 1


# -- QA audits real cases ------------------------------------------------------------------------
def test_audits_pick_open_allocated_cases_when_there_are_some():
    def involvements(ctx):
        rng = np.random.default_rng(3)
        n = 400
        start = rng.integers(day(pd.Timestamp("2017-01-01").date()), ctx.end_day, n)
        end = start + rng.integers(100, 900, n)
        teams = ctx.teams.loc[ctx.teams["role"] != "iro", "dept_team_id"].to_numpy()
        team = teams[rng.integers(0, len(teams), n)]
        return pd.DataFrame({
            "invo_involvements_id": [f"I{i}" for i in range(n)],
            "invo_professional_id": ctx.workers.pick(team, start, rng),
            "invo_professional_role_id": ALLOCATED_SW, "invo_professional_team": team,
            "invo_person_id": [f"C{i % 300}" for i in range(n)], "invo_referral_id": None,
            "invo_involvement_start_date": pd.to_datetime(start, unit="D"),
            "invo_involvement_end_date": pd.to_datetime(end, unit="D").where(end <= ctx.end_day),
            "invo_worker_change_reason": None})

    ctx, tables = run(11, involvements=involvements)
    invo = ctx.tables["ssd_involvements"]
    audits = tables["qa_audits"]
    assert audits["person_id"].notna().all()
    for row in audits.itertuples():
        match = invo[(invo["invo_person_id"] == row.person_id) & (invo["invo_professional_team"] == row.team_id)
                     & (invo["invo_professional_id"] == row.worker_id)
                     & (invo["invo_involvement_start_date"] <= row.audit_date)
                     & (invo["invo_involvement_end_date"].isna()
                        | (invo["invo_involvement_end_date"] > row.audit_date))]
        assert len(match) >= 1, row


def test_audits_fall_back_on_known_children(torbay):
    ctx, tables = torbay
    audits = tables["qa_audits"]
    known = set(ctx.people.frame()["pers_person_id"])
    assert audits["person_id"].isin(known).all()
    assert audits["team_id"].isin(ctx.teams["dept_team_id"]).all()
    assert audits["worker_id"].notna().mean() > 0.98


def test_small_scale_runs():
    ctx, tables = run(3, scale=0.05)
    assert len(tables["hr_staff"]) > 0 and len(tables["qa_audits"]) > 0
    assert tables["hr_staff"]["staff_id"].is_unique
    assert ctx.workers.pick([ctx.teams["dept_team_id"].iloc[0]], [ctx.end_day], np.random.default_rng(0))[0] is not None
