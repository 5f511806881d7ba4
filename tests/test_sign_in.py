"""Sign-in, the access list, demo mode and the access log, through the app (AppTest) and directly.

Deny by default: not signed in, not on the list, a list that cannot be read, sign-in not configured, demo mode
beside real data: each sees one page saying why, and no data. Someone on the list sees their scope only, and a
link naming another team is refused in words and logged.
"""
import dataclasses
import shutil
from pathlib import Path

import pandas as pd
import pytest
from signing import access_file, signed_in
from snapshots import publish, small_service
from streamlit.testing.v1 import AppTest

from torbay_dash import access, access_log, report
from torbay_dash.access import AccessError
from torbay_dash.headlines import Headline
from torbay_dash.indicators import REGISTRY

APP = str(Path(__file__).resolve().parents[1] / "app.py")
MANAGER = "manager@council.example"


@pytest.fixture
def root(service_root, tmp_path) -> Path:
    """A copy of the small synthetic service (teams T_MASH, T_ASSESS, T_CFC), for one test to change."""
    copy = tmp_path / "data"
    shutil.copytree(service_root, copy, ignore=shutil.ignore_patterns("derived", "access_log"))
    access_file(copy, [{"email": MANAGER, "role": "team_manager", "teams": ["T_ASSESS"]},
                       {"email": "member@council.example", "role": "member"}],
                contact="the performance team (performance@council.example)")
    return copy


def texts(at: AppTest) -> str:
    return " ".join(str(e.value) for kind in ("title", "markdown", "caption", "error", "warning", "info")
                    for e in getattr(at, kind))


def shows_data(at: AppTest) -> bool:
    return bool(len(at.dataframe) or len(at.metric) or len(at.selectbox) or len(at.get("vega_lite_chart")))


def app(root: Path, use_data_root, email: str | None, page: str | None = None, **query) -> AppTest:
    use_data_root(root)
    at = signed_in(AppTest.from_file(APP, default_timeout=120), email)
    at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    return at


def test_not_signed_in_sees_the_sign_in_page_only(root, use_data_root):
    at = app(root, use_data_root, None)
    assert not at.exception
    assert at.title[0].value == "Sign in" and at.button(key="sign_in").label == "Sign in"
    assert not shows_data(at)
    at.switch_page("views/cared_for.py").run()  # a page asked for by name: still the door, still no data
    assert at.title[0].value == "Sign in" and not shows_data(at)


def test_signed_in_but_not_on_the_list_is_told_whom_to_ask(root, use_data_root):
    at = app(root, use_data_root, "stranger@council.example")
    assert at.title[0].value == "No access yet"
    assert "You are signed in as stranger@council.example" in texts(at)
    assert "performance@council.example" in texts(at)
    assert not shows_data(at)


def test_the_list_matches_emails_without_regard_to_case(root, use_data_root):
    at = app(root, use_data_root, "Manager@Council.Example", "views/cared_for.py")
    assert not at.exception and at.title[0].value == "Cared-for children"


@pytest.mark.parametrize("indicator_id", ["referrals", "assessments_45wd_pct"])
def test_a_team_manager_sees_only_their_team(root, use_data_root, indicator_id):
    """Referrals are mostly MASH's (6 of 8 in the fixture): the manager of the assessment team sees the other 2."""
    at = app(root, use_data_root, MANAGER, "views/safeguarding.py", indicator=indicator_id)
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="team").options == ["All your teams", "Assessment team"]
    assert at.selectbox(key="service").options == ["All your services", "Front door"]
    lists = [f.value for f in at.dataframe if "child (pseudonymous id)" in f.value.columns]
    assert lists and len(lists[0]), "no list of children was drawn: the check below would prove nothing"
    assert set(lists[0]["team"]) == {"Assessment team"}
    if indicator_id == "referrals":
        assert sorted(lists[0]["child (pseudonymous id)"]) == ["P3", "P6"]
    logged = access_log.read(root)
    viewed = logged[logged["action"] == "viewed"]
    assert len(viewed) and set(viewed["user"]) == {MANAGER} and set(viewed["role"]) == {"team_manager"}
    assert (viewed["rows"] > 0).all() and viewed["filters"].str.contains("T_ASSESS").all()


def test_a_link_naming_another_team_is_refused_in_words_and_logged(root, use_data_root):
    at = app(root, use_data_root, MANAGER, None, team="MASH")
    assert not at.exception
    refusal = " ".join(e.value for e in at.error)
    assert "'MASH' named in this link is outside what you may see" in refusal
    assert not len(at.dataframe) and not len(at.metric)
    logged = access_log.read(root)
    assert logged.iloc[0][["user", "action"]].tolist() == [MANAGER, "refused"]
    assert "team=MASH" in logged.iloc[0]["filters"]
    at.button(key="clear_refused").click().run()  # the way back: what the manager may see
    assert not at.error and at.selectbox(key="team").value == "__all__"


def test_a_download_of_a_list_of_children_is_logged_with_who_and_what(root, use_data_root):
    at = app(root, use_data_root, MANAGER, "views/safeguarding.py", indicator="referrals")
    downloads = [b for b in at.get("download_button") if "csv_children_" in b.proto.id]
    assert downloads, [b.proto.id for b in at.get("download_button")]
    downloads[0].click().run()
    logged = access_log.read(root)
    downloaded = logged[logged["action"] == "downloaded"]
    assert len(downloaded) == 1
    row = downloaded.iloc[0]
    assert (row["user"], row["role"], row["page"]) == (MANAGER, "team_manager", "safeguarding")
    assert row["what"].startswith("records behind") and row["rows"] > 0
    # who and what, never the rows: no child id in the log
    text = "".join(p.read_text() for p in (root / "access_log").glob("*.jsonl"))
    assert not any(f'"P{i}"' in text or f"P{i}," in text for i in range(1, 9))


def test_a_member_sees_the_authority_only_with_no_list_of_children(root, use_data_root):
    at = app(root, use_data_root, "member@council.example")
    assert not at.exception, [e.value for e in at.exception]
    assert not at.get("selectbox") or all(s.key not in ("team", "service") for s in at.selectbox)
    for page in ("views/cared_for.py", "views/safeguarding.py", "views/data_quality.py", "views/access_log.py"):
        at.switch_page(page).run()  # out of the menu; a link to it says why, and shows nothing
        assert "This page is not open to your role (elected member" in at.error[0].value
        assert not len(at.dataframe) and not len(at.metric)
    at.switch_page("views/overview.py").run()
    for metric in at.metric:
        assert str(metric.value).strip() not in {"1", "2", "3", "4", "5"}, (metric.label, metric.value)


def test_an_invalid_access_list_lets_nobody_in_and_names_the_entry(root, use_data_root):
    (root / "access.toml").write_text('[access]\nsign_in = "oidc"\n[[users]]\nemail = "a@b.example"\n'
                                      'role = "director"\n')
    at = app(root, use_data_root, "a@b.example")
    assert at.title[0].value == "The access list is invalid"
    assert "entry 1 (a@b.example): role 'director' is not one of" in at.error[0].value
    assert not shows_data(at)


def test_sign_in_without_an_auth_section_says_so(root, use_data_root):
    use_data_root(root)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert at.title[0].value == "Sign-in is not configured" and "[auth]" in at.error[0].value
    assert not shows_data(at)


@pytest.mark.parametrize("with_file", [True, False], ids=["demo_in_access_toml", "no_access_toml"])
def test_demo_mode_is_refused_beside_a_snapshot_that_is_not_synthetic(tmp_root, use_data_root, with_file):
    publish(tmp_root, "2021-06-30", small_service(), synthetic=True)
    publish(tmp_root, "2021-07-31", small_service())  # a real extract, as ingest publishes it
    shutil.copy(Path(APP).parent / "data" / "local_authority.toml", tmp_root)
    if with_file:
        access.write_demo_file(tmp_root)
    use_data_root(tmp_root)
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert at.title[0].value == "Demo mode is refused"
    assert "not synthetic (31 July 2021)" in at.error[0].value
    assert not shows_data(at)


def test_demo_mode_shows_its_banner_and_the_view_as_switcher(service_root, use_data_root):
    use_data_root(service_root)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"view_as": "Team manager", "view_team": "MASH"})
    at.run()
    assert "Demo mode: nobody signs in" in " ".join(w.value for w in at.warning)
    assert at.selectbox(key="team").options == ["All your teams", "MASH"]


# ---------------------------------------------------------------- the access list, directly
@pytest.mark.parametrize("text, says", [
    ('[access]\nsign_in = "open"\n', "must be 'oidc' or 'demo'"),
    ('[access]\nsign_in = "oidc"\nlog_retention = 3\n', "unknown setting(s) log_retention"),
    ('[access]\nlog_retention_months = 0\n', "1 or more"),
    ('[[users]]\nemail = "a@b.example"\nrole = "team_manager"\n', "a team manager needs teams"),
    ('[[users]]\nemail = "a@b.example"\nrole = "service_manager"\n', "a service manager needs services"),
    ('[[users]]\nemail = "a@b.example"\nrole = "leadership"\nteams = ["T1"]\n', "sees every team"),
    ('[[users]]\nemail = "a@b.example"\nrole = "member"\nteam = ["T1"]\n', "unknown key(s) team"),
    ('[[users]]\nemail = "a@b.example"\nrole = "member"\n[[users]]\nemail = "A@b.example"\nrole = "analyst"\n',
     "repeats a@b.example"),
    ('[[users]]\nemail = "nobody"\nrole = "member"\n', "needs an email address"),
    ('[[users]]\nemail = "a@b.example"\nrole = "team_manager"\nteams = "T1"\n', "must be a list of ids"),
    ("[access\n", "cannot be read"),
])
def test_an_invalid_access_list_is_refused_with_the_reason(tmp_path, text, says):
    (tmp_path / "access.toml").write_text(text)
    with pytest.raises(AccessError, match=None) as raised:
        access.load(tmp_path)
    assert says in str(raised.value) and str(tmp_path / "access.toml") in str(raised.value)


def test_each_role_scopes_to_its_teams_and_nobody_unnamed_gets_in(tmp_path):
    access_file(tmp_path, [{"email": "tm@x.example", "role": "team_manager", "teams": ["T2", "T3"]},
                           {"email": "sm@x.example", "role": "service_manager", "services": ["S1"]},
                           {"email": "dir@x.example", "role": "leadership"}])
    rules = access.load(tmp_path)
    teams = pd.DataFrame({"team_id": ["T1", "T2", "T3", "T4"], "service_id": ["S1", "S1", "S2", "S2"]})
    assert rules.user("TM@x.example").scope(teams).teams == ("T2", "T3")
    assert rules.user("sm@x.example").scope(teams).teams == ("T1", "T2")
    assert rules.user("dir@x.example").scope(teams).teams is None
    assert rules.user("someone@x.example") is None and rules.user("") is None and rules.user(None) is None
    assert access.load(tmp_path / "nowhere").sign_in == access.DEMO  # no file: demo, refused beside real data


def test_roles_say_who_lists_children_where():
    lists = {role.id: [page for page in ("overview", "cared_for", "quality") if role.lists_children_on(page)]
             for role in access.ROLES.values()}
    assert lists == {"leadership": ["overview", "cared_for", "quality"], "service_manager": ["overview", "cared_for",
                     "quality"], "team_manager": ["overview", "cared_for", "quality"], "qa_lead": ["quality"],
                     "analyst": ["overview", "cared_for", "quality"], "member": []}


def test_suppression_for_a_wider_audience_removes_small_counts_and_what_rests_on_them():
    indicator = REGISTRY["cla_visits_in_timescale_pct"]
    series = pd.DataFrame({"from": pd.to_datetime(["2021-05-01", "2021-06-01"]),
                           "to": pd.to_datetime(["2021-05-31", "2021-06-30"]),
                           "numerator": [3, 40], "denominator": [50, 44], "value": [6.0, 90.9]})
    h = Headline(indicator, "month", None, 3 / 4 * 100, 3, 4, None, 90.0, 45, 50, series=series)
    shown = report.suppressed(h)
    assert shown.suppressed == ("value",) and shown.value is None and shown.numerator is None
    assert shown.previous_value == 90.0  # 45 of 50 rests on no small count
    assert shown.series["value"].isna().tolist() == [True, False]  # 3 of 50: the share rests on 3
    assert report.suppressed(dataclasses.replace(h, numerator=0, denominator=40, value=0.0)).suppressed == ()


def test_an_account_with_no_email_claim_is_known_by_its_sign_in_name(root, use_data_root):
    """Entra ID gives some accounts only preferred_username (their UPN)."""
    use_data_root(root)
    at = signed_in(AppTest.from_file(APP, default_timeout=120), None)
    at.user = {"is_logged_in": True, "preferred_username": MANAGER}
    at.run()
    assert not at.exception and at.title[0].value == "Overview"
    assert at.selectbox(key="team").options == ["All your teams", "Assessment team"]


def test_a_page_not_open_to_the_role_is_refused_and_logged(root, use_data_root):
    at = app(root, use_data_root, MANAGER, "views/data_quality.py")
    assert "This page is not open to your role (team manager" in at.error[0].value
    assert not len(at.dataframe) and not at.get("file_uploader")
    logged = access_log.read(root)
    assert logged.iloc[0][["user", "action", "what", "page"]].tolist() == [
        MANAGER, "refused", "the Data quality page", "data_quality"]
