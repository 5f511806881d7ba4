"""The door: who is here, before any figure is drawn. Sign-in (OpenID Connect, `st.login`), the access list,
demo mode's "view as" switcher, and the pages a role may open.

`who_is_here` either returns the user or draws the one page they may see (sign in, no access yet, the
access list is invalid, demo mode refused) and stops the run, so no page below it draws anything.
"""
from __future__ import annotations

import streamlit as st

from .. import access
from ..access import DEMO, ROLES, AccessError, AccessPolicy, User
from ..store import data_root
from .data import fingerprint_of, snapshot_list, team_table

VIEWER_KEY = "_torbay_viewer"
POLICY_KEY = "_torbay_access_policy"
# Pages by role: (page id, shown to the role?). The data-quality tools and the access log are the analysts';
# members read the authority's figures on the Overview and the board's report, and the definitions.
MEMBER_PAGES = {"overview", "definitions"}
ANALYST_PAGES = {"data_quality", "access_log"}


def viewer() -> User | None:
    """Who this run is for; None until the door let them in on this run (a failed door shows no data)."""
    return st.session_state.get(VIEWER_KEY)


def policy() -> AccessPolicy | None:
    return st.session_state.get(POLICY_KEY)


def may_open(user: User, page_id: str) -> bool:
    """Whether the role may open a page at all (the navigation offers only these; each page checks again)."""
    if page_id in ANALYST_PAGES:
        return user.role.data_quality
    if user.role.aggregates_only:
        return page_id in MEMBER_PAGES
    return True


def who_is_here() -> User:
    """The signed-in (or demo) user this run is for; otherwise draw why not, and stop the run."""
    st.session_state[VIEWER_KEY] = None
    st.session_state[POLICY_KEY] = None
    root = data_root()
    try:
        rules = access.load(root)
    except AccessError as exc:
        closed("The access list is invalid",
               f"{exc}. Nobody sees any data until it is corrected: deny by default. "
               f"Ask {access.DEFAULT_CONTACT} to correct it.")
    st.session_state[POLICY_KEY] = rules
    if rules.sign_in == DEMO:
        user = demo_visitor(str(root), rules)
    else:
        user = signed_in_user(rules)
    st.session_state[VIEWER_KEY] = user
    return user


def closed(title: str, words: str) -> None:
    """A page with no data: why, in words. Stops the run."""
    st.title(title)
    st.error(words, icon=":material/lock:")
    st.stop()


def signed_in_user(rules: AccessPolicy) -> User:
    """OpenID Connect: the sign-in page for a visitor; 'no access yet' for someone the list does not name."""
    if not auth_configured():
        closed("Sign-in is not configured",
               "This dashboard is set to sign people in (sign_in = \"oidc\" in access.toml), but "
               ".streamlit/secrets.toml has no [auth] section, so nobody can sign in. The README's "
               f"'Sign-in and roles' says how to set it up. Ask {rules.contact}.")
    if not st.user.get("is_logged_in"):
        st.title("Sign in")
        st.write("This dashboard shows information about children and staff. Sign in with your council "
                 "account to see what your role allows.")
        if st.button("Sign in", type="primary", icon=":material/login:", key="sign_in"):
            st.login()
        st.stop()
    # Entra ID gives some accounts no email claim: their sign-in name (UPN) is then the address they use
    email = st.user.get("email") or st.user.get("preferred_username")
    user = rules.user(email)
    if user is None:
        st.title("No access yet")
        st.write(f"You are signed in as {email or 'an account with no email address'}, but this dashboard has not "
                 f"been opened to you, so it shows no data. To ask for access, contact {rules.contact}, saying "
                 "your role and your team.")
        if st.button("Sign out", icon=":material/logout:", key="sign_out"):
            st.logout()
        st.stop()
    with st.sidebar:
        st.caption(f"Signed in as {user.label}.")
        if st.button("Sign out", icon=":material/logout:", key="sign_out"):
            st.logout()
    return user


def auth_configured() -> bool:
    """Is there an [auth] section Streamlit can sign people in with?"""
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: Streamlit raises rather than answering no
        return False


def demo_visitor(root: str, rules: AccessPolicy) -> User:
    """Demo mode: no sign-in, a banner, and 'view as' (role and team, in the URL). Refused beside real data."""
    snapshots = [s for s in snapshot_list(root) if s.usable]
    real = [s for s in snapshots if not s.synthetic]
    if real:
        named = ", ".join(f"{s.as_at:%d %B %Y}" for s in real[:3]) + (" and others" if len(real) > 3 else "")
        closed("Demo mode is refused",
               f"This data root holds snapshots that are not synthetic ({named}), so it may hold real children's "
               "records, and demo mode would show them to anyone without sign-in. "
               + ("access.toml sets sign_in = \"demo\": set it to \"oidc\", configure sign-in and name each user "
                  if rules.source else "There is no access.toml: create one with sign_in = \"oidc\" and each user ")
               + f"(see the README, 'Sign-in and roles'). Ask {rules.contact}.")
    teams = None
    if snapshots:
        latest = max(snapshots, key=lambda s: s.as_at)
        teams = team_table(root, latest.id, fingerprint_of(latest))
    with st.sidebar:
        st.header("View as")
        # the demo opens as the analyst, who sees every page; the other roles show what each would be denied
        role_id = st.selectbox("Role", list(ROLES), index=list(ROLES).index("analyst"), key="view_as",
                               bind="query-params", format_func=lambda r: ROLES[r].short,
                               help="Demo mode: see what each role would see. With real data, the role comes "
                                    "from the signed-in person's entry in access.toml.")
        chosen_teams: tuple[str, ...] = ()
        chosen_services: tuple[str, ...] = ()
        if teams is not None and not teams.empty and role_id == "team_manager":
            names = dict(zip(teams["team_id"], teams["team_name"]))
            chosen_teams = (st.selectbox("Their team", list(names), key="view_team", bind="query-params",
                                         format_func=lambda t: names[t]),)
        elif teams is not None and not teams.empty and role_id == "service_manager":
            names = dict(zip(teams["service_id"], teams["service_name"]))
            chosen_services = (st.selectbox("Their service", list(names), key="view_service", bind="query-params",
                                            format_func=lambda s: names[s]),)
    user = access.demo_user(role_id, chosen_teams, chosen_services)
    st.warning(f"Demo mode: nobody signs in, and you are viewing as **{user.role.title.lower()}** "
               f"({user.role.sees}). Change it under 'View as'. Demo mode runs only on synthetic data.",
               icon=":material/theater_comedy:")
    return user


def contact() -> str:
    """Whom to ask for access, from access.toml."""
    rules = policy()
    return rules.contact if rules else access.DEFAULT_CONTACT


LOGGED_KEY = "_torbay_logged_views"


def log_event(action: str, what: str, filters: dict, rows: int | None = None, page: str = "",
              once_per_session: bool = False) -> None:
    """Append who saw or took what to the access log (never the rows themselves).

    `once_per_session`: a list redrawn on every rerun of the same view is logged once, not on every click nearby.
    A log that cannot be written raises: a list of children is not shown when its viewing cannot be recorded.
    """
    from .. import access_log
    user = viewer()
    shown = {k: (v if isinstance(v, (int, float, bool)) or v is None else str(v)) for k, v in filters.items()}
    if once_per_session:
        seen = st.session_state.setdefault(LOGGED_KEY, set())
        key = (user.email if user else None, user.role.id if user else None, action, what, page,
               tuple(sorted(shown.items())), rows)
        if key in seen:
            return
    access_log.record(data_root(), user=user.email if user else "not signed in",
                      role=user.role.id if user else "none", page=page, action=action, what=what,
                      filters=shown, rows=rows)
    if once_per_session:
        seen.add(key)
