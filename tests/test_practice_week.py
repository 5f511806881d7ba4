"""The Practice Week pack: both audiences as PDF and HTML on the demo data, for a team and for a service.

The leaders' version carries no child id, no worker id and no count of 1 to 5 among its figures; the
managers' version lists only the scope's children. staff.py and team_children.py are written in other
sessions: here they are stood in for by small modules (the children's rows come from the demo's own CP
plans and care reviews, for every team, so the pack must keep to its scope by itself)."""
import contextlib
import datetime as dt
import html
import importlib.util
import io
import re
import sys
import types
from dataclasses import dataclass

import pandas as pd
import pytest

from torbay_dash import practice_week as pw
from torbay_dash import queries
from torbay_dash.compute import EVERYTHING, Scope
from torbay_dash.db import SnapshotDB, read_sql
from torbay_dash.headlines import Headline
from torbay_dash.indicators import REGISTRY
from torbay_dash.report import suppress_small
from torbay_dash.settings import load_settings
from torbay_dash.store import Store

pypdf = pytest.importorskip("pypdf")

AS_AT = dt.date(2021, 7, 31)
SEED = 424242
CHILD_LISTS = {"cp_visit": "child protection visit overdue",
               "cla_review": "care review overdue or due within 10 working days"}
# Columns of words, not figures: a team named "... 2" is not a count.
WORD_COLUMNS = {"Team", "Period", "Kind of case", "Compared with the authority"}


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# ---------------------------------------------------------------- stand-ins for the modules of other sessions
def fake_children_now(db, as_at, settings, scope):
    """Every team's overdue CP visits and care reviews due (scope ignored on purpose)."""
    plans = queries.cp_children_now(db, as_at, int(settings.standards["cp_visit_working_days"]), EVERYTHING)
    late = plans[plans["visit_overdue"].fillna(False).astype(bool)]
    reviews = queries.cla_reviews_due(db, as_at, 10, EVERYTHING)
    frames = [
        pd.DataFrame({"list": "cp_visit", "list_words": CHILD_LISTS["cp_visit"], "person_id": late["person_id"],
                      "team": late["team"], "worker_id": late["worker_id"], "status": "overdue",
                      "due_date": None, "detail": "not seen"}),
        pd.DataFrame({"list": "cla_review", "list_words": CHILD_LISTS["cla_review"],
                      "person_id": reviews["person_id"], "team": reviews["team"], "worker_id": reviews["worker_id"],
                      "status": reviews["status"].replace({"due": "due soon"}),
                      "due_date": pd.to_datetime(reviews["due_date"]).dt.date, "detail": "care review"})]
    return pd.concat(frames, ignore_index=True)


FAKE_WORKERS = ("W990001", "W990002", "W990003")


def fake_team_staff(db, as_at, settings, scope):
    """Three staff per team of the scope, one above 20 cases per FTE and overdue supervision; and a stray
    member of staff of another team, whom the pack must leave out."""
    rows = []
    for n, team in enumerate(scope.teams or ("T01",)):
        for worker, (fte, cases, agency, overdue) in zip(FAKE_WORKERS, [(1.0, 25, False, True), (0.8, 12, False, False),
                                                                        (0.5, 4, True, False)]):
            rows.append({"staff_id": f"HS99{n:02d}{worker[-1]}", "worker_id": f"{worker[:-2]}{n}{worker[-1]}",
                         "team": team, "role": "Social worker",
                         "employment_type": "agency" if agency else "permanent", "agency": agency, "fte": fte,
                         "cases": cases, "cases_per_fte": cases / fte, "above_threshold": cases / fte > 20,
                         "last_supervision": as_at - dt.timedelta(days=45 if overdue else 10),
                         "supervision_overdue": overdue})
    rows.append({**rows[0], "staff_id": "HS999999", "worker_id": "W999999", "team": "ELSEWHERE"})
    return pd.DataFrame(rows)


def fake_team_establishment(db, as_at, scope):
    teams = scope.teams or tuple(db.query(read_sql("teams"))["team_id"])
    return pd.DataFrame({"team": list(teams), "funded_fte": 10.0, "filled_fte": 8.5, "agency_fte": 2.0,
                         "vacancy_fte": 1.5, "agency_pct": 100 * 2.0 / 8.5, "vacancy_pct": 15.0})


@contextlib.contextmanager
def stand_ins():
    """The stand-in modules, in place only while packs are built (the real ones, once merged, are left alone)."""
    staff = types.ModuleType("torbay_dash.staff")
    staff.team_staff, staff.team_establishment = fake_team_staff, fake_team_establishment
    children = types.ModuleType("torbay_dash.team_children")
    children.children_now = fake_children_now
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "torbay_dash.staff", staff)
        patch.setitem(sys.modules, "torbay_dash.team_children", children)
        yield


# ---------------------------------------------------------------- the demo and its packs
@dataclass
class Demo:
    db: SnapshotDB
    settings: object
    teams: pd.DataFrame
    scopes: dict          # label -> Scope: a team, and a service


@pytest.fixture(scope="module")
def demo(demo_root):
    db = SnapshotDB(Store(demo_root).latest_usable())
    assert db.snapshot.as_at == AS_AT
    teams = db.query(read_sql("teams"))
    open_now = queries.open_cases(db, AS_AT, EVERYTHING)
    by_service = teams.groupby("service_id")["team_id"].apply(tuple)
    service_id = max(by_service.index, key=lambda s: (len(by_service[s]), s))
    service_teams = by_service[service_id]
    busiest = open_now[open_now["team"].isin(service_teams)]["team"].value_counts().index[0]
    names = dict(zip(teams["team_id"], teams["team_name"]))
    service_name = teams.loc[teams["service_id"] == service_id, "service_name"].iloc[0]
    return Demo(db, load_settings(demo_root), teams,
                {names[busiest]: Scope((busiest,)), service_name: Scope(service_teams)})


def _pdf_words(pdf: bytes) -> str:
    return _words(" ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture(scope="module")
def packs(demo, tmp_path_factory):
    """label, audience -> (pack, html text, pdf text), built with the stand-in modules."""
    folder = tmp_path_factory.mktemp("practice_week")
    built = {}
    for label, scope in demo.scopes.items():
        for audience in (pw.LEADERS, pw.MANAGERS):
            with stand_ins():
                pack = pw.build(demo.db, demo.settings, AS_AT, scope, label, audience, SEED, demo.teams)
            raw = pw.to_html(pack)
            pdf = pw.to_pdf(pack)
            name = f"{audience}_{len(scope.teams)}"
            (folder / f"{name}.html").write_text(raw, encoding="utf-8")
            (folder / f"{name}.pdf").write_bytes(pdf)
            built[label, audience] = (pack, raw, _pdf_words(pdf))
    return built


@pytest.fixture(scope="module")
def person_ids(demo):
    """Every child id in the snapshot: each column of each table that holds person ids."""
    found = set()
    for table in demo.db.tables:
        columns = demo.db.query(f"SELECT * FROM {table} LIMIT 0").columns
        for column in columns:
            if column == "person_id" or column.endswith("_person_id"):
                found |= set(demo.db.query(f"SELECT DISTINCT CAST({column} AS VARCHAR) AS id FROM {table} "
                                           f"WHERE {column} IS NOT NULL")["id"])
    assert len(found) > 1000
    return found


@pytest.fixture(scope="module")
def worker_ids(demo):
    """Every worker and staff id: allocations, audits, HR, and the stand-in staff lists."""
    db = demo.db
    found = set(db.query("SELECT DISTINCT worker_id AS id FROM allocations WHERE worker_id IS NOT NULL")["id"])
    found |= set(db.query("SELECT DISTINCT worker_id AS id FROM qa_audits WHERE worker_id IS NOT NULL "
                          "UNION SELECT DISTINCT auditor_id FROM qa_audits WHERE auditor_id IS NOT NULL")["id"])
    found |= set(db.query("SELECT DISTINCT professional_id AS id FROM hr_staff WHERE professional_id IS NOT NULL "
                          "UNION SELECT DISTINCT staff_id FROM hr_staff")["id"])
    staff = fake_team_staff(db, AS_AT, None, Scope(tuple(demo.teams["team_id"])))
    found |= set(staff["worker_id"]) | set(staff["staff_id"])
    assert len(found) > 100
    return found


def _tokens(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z0-9_]+", text))


def _html_words(raw: str) -> str:
    return _words(html.unescape(re.sub(r"<[^>]+>", " ", raw)))


# ---------------------------------------------------------------- both audiences
def test_every_pack_opens_as_pdf_and_html_with_its_seed_and_name(packs):
    assert len(packs) == 4
    for (label, audience), (pack, raw, pdf_text) in packs.items():
        html_text = _html_words(raw)
        for text in (pdf_text, html_text):
            assert f"Practice Week pack: {label}" in text, (label, audience)
            assert f"Sample seed: {SEED}" in text and f"seed {SEED}" in text
            for section in pack.sections:
                assert section.title in text
        assert [s.title[:2] for s in pack.sections] == [f"{n}." for n in range(1, 8)]
        assert "<script" not in raw and "<link" not in raw and "<img" not in raw     # no chart: no alt text to leak
        printed = [t for t in pw.tables(pack) if not t.frame.empty]
        assert raw.count("<table") == raw.count("<caption>") == len(printed) > 3
        assert "<h1>" in raw and raw.count("<h2>") >= 8                                # contents + 7 sections
        assert pack.questions and all(q in html.unescape(raw) for q in pack.questions)


def test_both_versions_name_the_same_sample(packs, demo):
    for label, scope in demo.scopes.items():
        leaders, managers = packs[label, pw.LEADERS][0], packs[label, pw.MANAGERS][0]
        assert 0 < len(managers.sample) <= pw.SAMPLE_SIZE
        assert leaders.sample[["case", "kind", "team"]].equals(managers.sample[["case", "kind", "team"]])
        assert set(managers.sample["team"]) <= set(scope.teams)
        assert managers.sample["last_case_audit"].isna().all() or (
            pd.to_datetime(managers.sample["last_case_audit"]).dropna() <= pd.Timestamp("2021-01-31")).all()
        assert list(leaders.sample.columns) == ["case", "kind", "team"]


def test_the_glance_compares_with_service_and_authority(packs, demo):
    team_label, service_label = list(demo.scopes)
    team_glance = pw.tables(packs[team_label, pw.MANAGERS][0])[0].frame
    assert {team_label, "n", service_label, "Authority", "Period"} <= set(team_glance.columns)
    service_glance = pw.tables(packs[service_label, pw.MANAGERS][0])[0].frame
    assert service_label in service_glance.columns and "Authority" in service_glance.columns
    areas = {REGISTRY[i].id.split("_")[0] for i in pw.AT_A_GLANCE
             if REGISTRY[i].title in set(team_glance["Indicator"])}
    assert {"sw", "audits"} <= areas and areas & {"cp", "cla", "assessments"}
    assert all(team_glance["Compared with the authority"].str.len() > 0)


# ---------------------------------------------------------------- the leaders' version
def assert_names_no_one(pack, raw: str, pdf_text: str, person_ids: set, worker_ids: set):
    for text in (pdf_text, raw, _html_words(raw)):
        tokens = _tokens(text)
        assert not tokens & person_ids, (pack.label, sorted(tokens & person_ids)[:5])
        assert not tokens & worker_ids, (pack.label, sorted(tokens & worker_ids)[:5])
    assert pack.children is None
    for table in pw.tables(pack):
        for column in table.frame.columns:
            assert not _tokens(" ".join(map(str, table.frame[column]))) & (person_ids | worker_ids)


def test_leaders_pack_names_no_child_and_no_worker(packs, demo, person_ids, worker_ids):
    for label in demo.scopes:
        assert_names_no_one(*packs[label, pw.LEADERS], person_ids, worker_ids)
    managers_text = packs[list(demo.scopes)[0], pw.MANAGERS][2]
    assert _tokens(managers_text) & person_ids and _tokens(managers_text) & worker_ids   # the check can fail


SMALL = re.compile(r"(?<![\w.,/:])[1-5](?![\w.,/:%])")


def assert_no_small_count(pack, list_words) -> bool:
    """No count of 1 to 5 among the figures the pack's tables print, its questions or its trends; True if
    some figure was hidden as 'c'."""
    hidden_seen = False
    for table in pw.tables(pack):
        for column in list(table.frame.columns)[1:]:
            if column in WORD_COLUMNS:
                continue
            cells = [str(c) for c in table.frame[column]]
            assert not any(SMALL.search(c) for c in cells), (table.caption, column, cells)
            hidden_seen |= "c" in cells or any(c.startswith("c of") or "(c of" in c for c in cells)
    for question in pack.questions:
        plain = question
        for words in list_words:
            plain = re.sub(re.escape(words), "", plain, flags=re.IGNORECASE)
        assert not SMALL.search(plain), question
    for block in pack.sections[1].blocks:
        if isinstance(block, pw.Bullets):
            assert not any(re.search(r"n = [1-5]\)", sentence) for sentence in block.items)
    return hidden_seen


def test_leaders_pack_prints_no_count_of_one_to_five(packs, demo):
    hidden_seen = False
    for label in demo.scopes:
        hidden_seen |= assert_no_small_count(packs[label, pw.LEADERS][0], CHILD_LISTS.values())
    assert hidden_seen, "the demo has small counts to hide"
    team_pack = packs[list(demo.scopes)[0], pw.LEADERS][0]
    caseloads = next(t for t in pw.tables(team_pack) if t.caption.startswith("Caseloads by team")).frame
    assert caseloads["Staff"].tolist() == ["c"] and caseloads["Above 20 per FTE"].tolist() == ["c"]


# ---------------------------------------------------------------- the managers' version
def test_managers_pack_lists_the_scopes_overdue_children_only(packs, demo):
    everyone = fake_children_now(demo.db, AS_AT, demo.settings, EVERYTHING)
    for label, scope in demo.scopes.items():
        pack, _, pdf_text = packs[label, pw.MANAGERS]
        mine = everyone[everyone["team"].isin(scope.teams)]
        expected = set(mine.loc[mine["status"] == "overdue", "person_id"])
        assert expected, f"{label} has overdue children in the demo"
        listed = pack.children
        assert set(listed.loc[listed["status"] == "overdue", "person_id"]) == expected
        assert set(listed["person_id"]) == set(mine["person_id"]) and set(listed["team"]) <= set(scope.teams)
        tokens = _tokens(pdf_text)
        assert expected <= tokens
        scope_children = (set(mine["person_id"]) | set(queries.open_cases(demo.db, AS_AT, scope)["person_id"])
                          | set(queries.actions_overdue(demo.db, AS_AT, scope)["person_id"].dropna()))
        elsewhere = set(everyone.loc[~everyone["team"].isin(scope.teams), "person_id"]) - scope_children
        assert elsewhere and not tokens & elsewhere, sorted(tokens & elsewhere)[:5]
        overdue_tables = [t for t in pw.tables(pack) if t.caption == f"Children: {CHILD_LISTS['cp_visit']}"]
        assert set(overdue_tables[0].frame["Child (pseudonymous id)"]) == set(
            mine.loc[mine["list"] == "cp_visit", "person_id"])


def test_managers_pack_lists_the_scopes_staff_only(packs, demo):
    label, scope = next(iter(demo.scopes.items()))
    pack, _, pdf_text = packs[label, pw.MANAGERS]
    staff = next(t for t in pw.tables(pack) if t.caption.startswith("Staff of")).frame
    assert len(staff) == 3 * len(scope.teams) and "W999999" not in set(staff["Worker"])
    assert "W999999" not in pdf_text
    assert set(staff["Worker"]) <= _tokens(pdf_text)
    assert pack.figures.staff_above_threshold == len(scope.teams)
    assert any(q.startswith(f"{len(scope.teams)} of {3 * len(scope.teams)} staff carry more than 20")
               for q in pack.questions)


def test_audience_is_checked(demo):
    with pytest.raises(ValueError, match="'managers' or 'leaders'"):
        pw.build(demo.db, demo.settings, AS_AT, Scope(("T01",)), "x", "members", 1, demo.teams)


# ---------------------------------------------------------------- the questions' rules, on hand-made figures
def test_questions_follow_the_rules():
    quiet = pw.Figures(staff=8, staff_above_threshold=0, supervision_overdue=0, agency_pct=18.0,
                       authority_agency_pct=15.0, agency_target=20.0, overdue_by_list={"visit overdue": 0},
                       good_or_better_pct=60.0, authority_good_or_better_pct=55.0, audits_compared=pw.NO_CLEAR,
                       actions_overdue=0)
    assert pw.questions(quiet) == [pw.questions(pw.Figures())[0]]
    assert pw.questions(quiet)[0].startswith("The figures raise no particular question")

    busy = pw.Figures(caseload_threshold=20, staff=8, staff_above_threshold=2, supervision_overdue=1,
                      agency_pct=36.0, authority_agency_pct=22.0, agency_target=20.0,
                      overdue_by_list={"statutory visit overdue (in care)": 3, "care review overdue": 0},
                      good_or_better_pct=40.0, authority_good_or_better_pct=60.0, audits_compared=pw.WORSE,
                      actions_overdue=7, worse_than_authority=("Child protection visits within the local standard",
                                                               REGISTRY[pw.GOOD_OR_BETTER].title),
                      special_cause_concern=("Agency social workers",))
    asked = pw.questions(busy)
    assert asked[0].startswith("2 of 8 staff carry more than 20 cases per FTE")
    assert asked[1].startswith("Agency staff are 36.0% of social work FTE (the authority 22.0%; target 20%)")
    assert asked[2].startswith("1 member of staff is overdue supervision")
    assert asked[3].startswith("Statutory visit overdue (in care): 3 children overdue.")
    assert not any("care review overdue" in q for q in asked)
    assert asked[4].startswith("Case audits graded good or better: 40.0% here against 60.0%")
    assert asked[5].startswith("7 audit actions are past due")
    assert asked[6].startswith("Child protection visits within the local standard: clearly worse")
    assert sum(REGISTRY[pw.GOOD_OR_BETTER].title in q for q in asked) == 1   # asked once, as an audit question
    assert asked[7].startswith("Agency social workers: the trend shows special-cause concern")
    assert len(asked) == 8

    leaders = pw.questions(busy, suppress_small)
    assert leaders[0].startswith("c of 8 staff") and leaders[3].startswith("Statutory visit overdue (in care): c ")
    assert leaders[5].startswith("7 audit actions")

    # Agency share: a question above the target, or 10 points above the authority; not below both.
    assert any("Agency staff" in q for q in pw.questions(pw.Figures(agency_pct=21.0, agency_target=20.0)))
    assert any("Agency staff" in q for q in pw.questions(pw.Figures(agency_pct=30.0, authority_agency_pct=19.0)))
    assert not any("Agency staff" in q for q in pw.questions(pw.Figures(agency_pct=25.0, authority_agency_pct=19.0)))


def _headline(indicator_id, numerator, denominator):
    indicator = REGISTRY[indicator_id]
    value = None if not denominator else (100.0 * numerator / denominator if indicator.unit == "percent"
                                          else numerator / denominator)
    return Headline(indicator, "stock", None, value, numerator, denominator, None, None, None, None)


def test_comparison_with_the_authority():
    visits = "cp_visits_in_timescale_pct"
    # 30 of 100 against the rest's 270 of 300 (90%): intervals far apart, and higher is better.
    assert pw.compare_with_authority(_headline(visits, 30, 100), _headline(visits, 300, 400)) == pw.WORSE
    assert pw.compare_with_authority(_headline(visits, 99, 100), _headline(visits, 399, 500)) == pw.BETTER
    assert pw.compare_with_authority(_headline(visits, 45, 50), _headline(visits, 900, 1000)) == pw.NO_CLEAR
    caseload = "sw_avg_caseload"
    verdict = pw.compare_with_authority(_headline(caseload, 330, 10.0), _headline(caseload, 1800, 96.0))
    assert verdict == pw.HIGHER
    words = pw.comparison_words(REGISTRY[caseload], verdict)
    assert words == "higher than the authority (worse; not tested for chance)"
    assert pw.compare_with_authority(_headline(visits, 0, 0), _headline(visits, 300, 400)) == ""


# ---------------------------------------------------------------- with the real modules, once merged
def test_the_pack_with_the_real_staff_and_children_modules(demo, person_ids, worker_ids):
    """Once staff.py and team_children.py are merged, the same rules hold with their rows."""
    if not all(importlib.util.find_spec(f"torbay_dash.{m}") for m in ("staff", "team_children")):
        pytest.skip("staff.py and team_children.py are not merged yet")
    from torbay_dash import team_children
    label, scope = next(iter(demo.scopes.items()))
    leaders = pw.build(demo.db, demo.settings, AS_AT, scope, label, pw.LEADERS, SEED, demo.teams)
    assert_names_no_one(leaders, pw.to_html(leaders), _pdf_words(pw.to_pdf(leaders)), person_ids, worker_ids)
    assert_no_small_count(leaders, getattr(team_children, "LISTS", {}).values())
    assert any(t.caption.startswith("Caseloads by team") for t in pw.tables(leaders))
    managers = pw.build(demo.db, demo.settings, AS_AT, scope, label, pw.MANAGERS, SEED, demo.teams)
    expected = team_children.children_now(demo.db, AS_AT, demo.settings, scope)
    assert set(managers.children["person_id"]) == set(expected["person_id"]) and len(expected)
    assert set(managers.children["team"]) <= set(scope.teams)


def test_secondary_suppression_of_team_rows():
    rows = [{"graded": 30, "good": 17}, {"graded": 24, "good": 0}, {"graded": 21, "good": 12},
            {"graded": 4, "good": 2}]
    # graded: 4 is hidden, so the next smallest (21) is too; good: 2 is hidden, 12 too (0 gives nothing away).
    assert pw.secondary_hidden(rows, ("graded", "good")) == [set(), set(), {"graded", "good"}, set()]
    # two small counts already hide each other; none, nothing to add
    assert pw.secondary_hidden([{"n": 3}, {"n": 4}, {"n": 40}], ("n",)) == [set(), set(), set()]
    assert pw.secondary_hidden([{"n": 30}, {"n": 40}], ("n",)) == [set(), set()]
    row = {"case_audits": 21, "graded": 21, "good_or_better": 12}
    shown = pw._grade_row("Team", row, True, {"graded"})
    assert shown["Graded"] == "c" and shown["Good or better (%)"] == "c" and shown["Case audits"] == "21"
