"""AppTest: every page renders on fixture data, filters reach the pages, Definitions is complete."""
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from torbay_dash.codes import describe
from torbay_dash.indicators import REGISTRY

APP = str(Path(__file__).resolve().parents[1] / "app.py")
PAGES = ["views/overview.py", "views/safeguarding.py", "views/cared_for.py", "views/workforce.py",
         "views/quality.py", "views/data_quality.py", "views/definitions.py"]


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_without_exception(service_root, use_data_root, page):
    use_data_root(service_root)
    at = app().switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title, f"{page} drew no title"
    assert any("data as at" in c.value for c in at.caption)


def test_overview_shows_headlines_with_n(service_root, use_data_root):
    use_data_root(service_root)
    at = app()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Referrals"] == "0"                  # the latest month, July 2021: the fixture has none after June
    assert metrics["Children looked after"] == "5"      # at the end of July 2021
    # assessments: a rolling year, with its n
    assert any(c.value.startswith("in the 12 months to July 2021") and " of 8 " in c.value for c in at.caption)


def test_team_filter_changes_the_figures(service_root, use_data_root):
    use_data_root(service_root)
    at = app()
    at.selectbox(key="team").set_value("T_CFC").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Children looked after"] == "3"
    assert any("Cared-for children 1" in c.value for c in at.caption)


def test_header_says_synthetic_and_stale_and_missing(service_root, use_data_root):
    use_data_root(service_root)
    at = app()
    assert any("Synthetic" in i.value for i in at.info)
    warnings = " ".join(w.value for w in at.warning)
    assert "Stale" in warnings
    assert "ssd_contacts" in warnings and "not as zero" in warnings


def test_definitions_page_lists_every_indicator(service_root, use_data_root):
    use_data_root(service_root)
    at = app().switch_page("views/definitions.py").run()
    shown = " ".join(m.value for m in at.markdown)
    missing = [i for i in REGISTRY if f"`{i}`" not in shown]
    assert not missing, f"indicators missing from Definitions: {missing}"
    for indicator in REGISTRY.values():
        assert any(indicator.definition == t.value for t in at.text) or indicator.definition in shown


def test_empty_state_when_no_snapshot(tmp_root, use_data_root):
    use_data_root(tmp_root)
    at = app()
    assert not at.exception
    assert at.title[0].value == "Overview"
    assert any("No data loaded yet" == t.value for t in at.title)
    assert any("load data" in i.value for i in at.info)


def test_definitions_work_without_data(tmp_root, use_data_root):
    use_data_root(tmp_root)
    at = app().switch_page("views/definitions.py").run()
    assert not at.exception
    assert "referrals" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo_data(demo_root, use_data_root, page):
    use_data_root(demo_root)
    at = app().switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not any("Unavailable" in w.value for w in at.warning)


def test_first_run_builds_the_demo_data(tmp_path, monkeypatch):
    import functools

    import torbay_dash.store
    import torbay_dash.synth
    monkeypatch.delenv("TORBAY_DASH_DATA", raising=False)
    monkeypatch.setattr(torbay_dash.store, "REPO_DATA_ROOT", tmp_path)
    small = functools.partial(torbay_dash.synth.generate, scale=0.05, snapshots="latest")
    monkeypatch.setattr(torbay_dash.synth, "generate", small)
    at = app()
    assert not at.exception, [e.value for e in at.exception]
    assert (tmp_path / "snapshots" / "2021-07-31" / "manifest.json").is_file()
    assert (tmp_path / "snapshots" / "2021-07-31" / "derived" / "indicator_store.parquet").is_file()
    assert {m.label for m in at.metric} >= {"Referrals", "Children looked after"}


def test_a_figure_that_cannot_be_computed_says_so_without_a_traceback(service_root, use_data_root, monkeypatch):
    import streamlit as st

    import torbay_dash.ui.data

    def broken(*args, **kwargs):
        raise RuntimeError("the file ssd_cin_episodes.parquet vanished")

    use_data_root(service_root)
    st.cache_data.clear()
    monkeypatch.setattr(torbay_dash.ui.data, "compute", broken)
    at = app().switch_page("views/safeguarding.py").run()
    st.cache_data.clear()
    assert not at.exception
    errors = [e.value for e in at.error]
    assert errors and all("could not be shown" in e for e in errors)
    assert at.title[0].value == "Safeguarding"  # the page goes on


def test_teams_sharing_a_name_get_distinct_labels():
    from torbay_dash.ui.frame import unique_labels
    assert unique_labels(["T1", "T2", "T3"], ["North", "North", "South"]) == {
        "T1": "North (T1)", "T2": "North (T2)", "T3": "South"}


def test_safeguarding_page_answers_the_icpc_question_from_the_url(demo_root, use_data_root):
    """Is ICPC timeliness improving, which team is worst, which children were late: all from one link."""
    use_data_root(demo_root)
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update({"team": "Safeguarding and family support 1", "indicator": "icpc_15wd_pct",
                            "indicator_month": "2021-03-01"})
    at.run()
    at.switch_page("views/safeguarding.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="team").value == "T04"
    assert at.selectbox(key="choice_indicator").value == "icpc_15wd_pct"
    assert at.selectbox(key="choice_indicator_month").value == "2021-03-01"
    assert at.metric[0].label == "Initial child protection conferences within 15 working days"
    listed = next(df.value for df in at.dataframe if "child (pseudonymous id)" in df.value.columns)
    assert len(listed) > 0
    assert set(listed["team"]) == {"Safeguarding and family support 1"}
    assert all("2021-03-01" <= str(d) <= "2021-03-31" for d in listed["icpc date"])
    late = listed[listed["within 15 working days"] == "no"]
    assert (late["working days"] > 15).all()
    assert not any("could not be shown" in e.value for e in at.error)


def test_safeguarding_page_renders_all_indicators(demo_root, use_data_root):
    use_data_root(demo_root)
    from torbay_dash.indicators import REGISTRY
    at = app().switch_page("views/safeguarding.py").run()
    summary = next(df.value for df in at.dataframe if "indicator" in df.value.columns and "England" in df.value.columns)
    # indicators by their titles (ids go to the CSV only)
    assert set(summary["indicator"]) == {ind.title for ind in REGISTRY.values() if ind.area == "safeguarding"}
    assert not (summary["value"] == "unavailable").any()


def test_cared_for_page_tells_the_352_to_307_story_and_lists_overdue_visits(demo_root, use_data_root):
    use_data_root(demo_root)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"period": "Custom", "from": "2020-03-01", "to": "2021-07-31",
                            "team": "Cared-for children 1"})
    at.run()
    at.switch_page("views/cared_for.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # the Director's question is answered for the whole service, so look at it without the team filter too
    whole = AppTest.from_file(APP, default_timeout=120)
    whole.query_params.update({"period": "Custom", "from": "2020-03-01", "to": "2021-07-31"})
    whole.run()
    whole.switch_page("views/cared_for.py").run()
    story = " ".join(m.value for m in whole.markdown)
    assert "**352** children in care at 31 Mar 2020" in story and "**307** at 31 Jul 2021" in story
    assert "periods of care began" in story
    # the team manager's list: every child overdue or due belongs to their team
    visits = next(df.value for df in at.dataframe if "interval that applies days" in df.value.columns)
    assert len(visits) > 0
    assert set(visits["team"]) == {"Cared-for children 1"}
    assert set(visits["status"]) <= {"overdue", "due soon"}
    assert (visits.loc[visits["status"] == "overdue", "days overdue"].fillna(1) > 0).all()


def test_workforce_page_names_workers_only_on_a_teams_own_view(demo_root, use_data_root):
    use_data_root(demo_root)
    service = app().switch_page("views/workforce.py").run()
    assert not service.exception and not service.error, [e.value for e in service.error]
    workers = next(df.value for df in service.dataframe if "cases per fte" in df.value.columns)
    assert workers["worker"].str.match(r"^W\d+$").all()  # professional ids, not names, for the whole service
    assert (workers["cases per fte"] > 20).all()          # the list is of workers above the local threshold

    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["team"] = "Safeguarding and family support 1"
    at.run()
    at.switch_page("views/workforce.py").run()
    assert not at.exception and not at.error
    named = next(df.value for df in at.dataframe if "cases per fte" in df.value.columns)
    assert len(named) > 0 and not named["worker"].str.match(r"^W\d+$").any()
    assert set(named["team name"]) == {"Safeguarding and family support 1"}
    labels = [m.label for m in at.metric]
    assert any(label.startswith("Agency social workers") for label in labels)


def quality_page(query: dict) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update(query)
    at.run()
    return at.switch_page("views/quality.py").run()


def sample_of(at: AppTest) -> pd.DataFrame:
    return next(df.value for df in at.dataframe if "child (pseudonymous id)" in df.value.columns
                and "team's sample" in df.value.columns)


def test_quality_page_shows_volume_against_target_and_grades_with_intervals(demo_root, use_data_root):
    use_data_root(demo_root)
    at = quality_page({"period": "Custom", "from": "2021-02-01", "to": "2021-07-31"})
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    text = " ".join(m.value for m in at.markdown)
    # the review: "averaging 15 per month as opposed to the target of 25"
    assert "**15.0 a month** against a target of **25**" in text
    if "audits_good_or_better_pct" in REGISTRY:
        assert re.search(r"\*\*\d+% \(\d+%–\d+%, n = \d+\)\*\* of graded case audits", text)
    assert "moderated case audits" in text and "action(s) past their due date" in text


def test_case_sampler_is_reproducible_from_the_url_and_follows_the_team(demo_root, use_data_root):
    use_data_root(demo_root)
    first = quality_page({"sample_seed": "12345", "sample_n": "20"})
    again = quality_page({"sample_seed": "12345", "sample_n": "20"})
    other = quality_page({"sample_seed": "54321", "sample_n": "20"})
    sample = sample_of(first)
    assert len(sample) == 20 and sample["child (pseudonymous id)"].is_unique
    assert sample["child (pseudonymous id)"].tolist() == sample_of(again)["child (pseudonymous id)"].tolist()
    assert sample["child (pseudonymous id)"].tolist() != sample_of(other)["child (pseudonymous id)"].tolist()
    assert any("seed **12345**" in m.value for m in first.markdown)
    # nobody audited in the 6 months before the snapshot (31 July 2021) is drawn
    last = pd.to_datetime(sample["last case audit"])
    assert (last.isna() | (last <= pd.Timestamp("2021-01-31"))).all()
    # a team manager's sample comes only from their team
    team = quality_page({"team": "Cared-for children 1", "sample_population": "CLA"})
    assert not team.exception
    own = sample_of(team)
    # the case type is shown in words (CLA: a child in care); the download keeps the code beside them
    assert set(own["team name"]) == {"Cared-for children 1"} and set(own["case type"]) == {describe("case_type", "CLA")}


def test_sample_size_calculator_gives_179_for_the_worked_example(demo_root, use_data_root):
    use_data_root(demo_root)
    at = quality_page({})
    at.number_input(key="calc_population").set_value(400)
    at.number_input(key="calc_expected").set_value(70.0)
    at.number_input(key="calc_margin").set_value(5.0).run()
    assert {m.label: m.value for m in at.metric}["Cases to audit"] == "179"


@pytest.mark.parametrize("page, indicator_id", [
    ("views/cared_for.py", "cla_visits_in_timescale_pct"),   # also drawn in Statutory duties: keys must not clash
    ("views/workforce.py", "sw_turnover_rate_pct"),          # also drawn under Turnover
    ("views/quality.py", "audits_good_or_better_pct"),
])
def test_a_link_naming_an_indicator_opens_it_first(demo_root, use_data_root, page, indicator_id):
    use_data_root(demo_root)
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["indicator"] = indicator_id
    at.run()
    at.switch_page(page).run()
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    assert at.header[0].value == f"From the overview: {REGISTRY[indicator_id].title}"
    assert at.selectbox(key="choice_indicator").value == indicator_id


def test_overview_answers_what_improved_what_needs_attention_and_how_we_compare(demo_root, use_data_root):
    use_data_root(demo_root)
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert not at.exception and not at.error, [e.value for e in at.exception] + [e.value for e in at.error]
    labels = [m.label for m in at.metric]
    assert "Initial child protection conferences within 15 working days" in labels
    assert "Children looked after" in labels and "Agency social workers" in labels
    text = " ".join(m.value for m in at.markdown)
    improved = text.split("**Improved for real**")[1].split("**Needs attention**")[0]
    assert "Statutory visits to children looked after within timescale" in improved     # 50% -> 77%, by construction
    assert "Agency social workers" in improved                                          # falling from 2020
    assert "Case audits completed" in improved                                          # 15 -> 18-24 a month
    assert re.search(r"Better than England on \*\*\d+\*\* and worse on \*\*\d+\*\*", text)
    # every SPC reading is a symbol and words, not a colour alone
    badges = [m.value for m in at.markdown if "-badge[" in m.value]
    assert badges and all(re.search(r"badge\[[▲▼●○✓✗~] \w", b) for b in badges)
    # each tile's delta is a change in words on a year earlier, never coloured as good or bad by itself
    assert all(m.delta is None or "on a year earlier" in m.delta for m in at.metric)
    # what changed since the June 2021 snapshot: its migration defect (children in care counted twice) is
    # corrected by July, so the children-looked-after figures for past months are revised
    assert "**Moved by special cause since the snapshot of 30 June 2021**" in text
    revised = next(df.value for df in at.dataframe if "value before" in df.value.columns)
    in_care = revised[revised["indicator"] == "Children looked after"]
    assert len(in_care) and (in_care["value before"] > in_care["value now"]).all()   # the duplicates inflated them
