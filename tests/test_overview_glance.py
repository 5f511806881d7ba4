"""At a glance: each headline indicator is said once, in the list that fits it (hand-built readings)."""
from streamlit.testing.v1 import AppTest


def draw_glance():
    from types import SimpleNamespace

    from torbay_dash import indicators
    from torbay_dash.settings import Target
    from torbay_dash.ui.overview import at_a_glance

    def reading(indicator_id, value, variation, assurance=None, target=None):
        return SimpleNamespace(indicator=indicators.get(indicator_id), value=value, variation=variation,
                               assurance=assurance, target=Target(target) if target else None,
                               unavailable=None, benchmark=None)

    at_a_glance({
        # improving for real, but the target sits outside the limits: one sentence, under improvement only
        "contacts_completed_1wd_pct": reading("contacts_completed_1wd_pct", 94.8, "improvement_high",
                                              "consistent_fail", 95),
        # improving and no target trouble: listed plainly under improvement
        "assessments_45wd_pct": reading("assessments_45wd_pct", 82.3, "improvement_high", "inconsistent", 85),
        # no real change and the target consistently missed: needs attention
        "rereferrals_12m_pct": reading("rereferrals_12m_pct", 24.5, "common_cause", "consistent_fail", 20),
        # special-cause concern: needs attention
        "care_leavers_in_touch_pct": reading("care_leavers_in_touch_pct", 91.6, "concern_low"),
        # nothing to say: in neither list
        "referrals": reading("referrals", 191, "common_cause"),
    })


def test_an_indicator_improving_but_missing_its_target_is_said_once_in_one_sentence():
    at = AppTest.from_function(draw_glance).run()
    assert not at.exception, [e.value for e in at.exception]
    text = "\n".join(m.value for m in at.markdown)
    improved = text.split("**Improved for real**")[1].split("**Needs attention**")[0]
    attention = text.split("**Needs attention**")[1].split("**Against England**")[0]
    assert ("MASH contacts completed within the local standard: 94.8%, improving for real but not yet reliably "
            "meeting its target of 95%") in improved
    assert "MASH contacts" not in attention
    assert "Assessments completed within 45 working days: 82.3%" in improved
    assert "not yet reliably" not in improved.split("Assessments completed")[1].split("\n")[0]
    assert "Re-referrals within 12 months: 24.5% (target not met consistently)" in attention
    assert "Care leavers in touch: 91.6% (concern)" in attention
    assert "Referrals" not in improved and "Referrals" not in attention
