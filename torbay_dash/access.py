"""Who may see what: the roles, and `access.toml` in the data root, read on every run, deny by default.

A person is let in only when the file names their (signed-in) email. Their role says what they may
see; their teams or services say whose rows. `User.scope` turns that into the `compute.Scope` every
query of child or worker rows takes, so a list is cut where the data is read, not where it is drawn.
No Streamlit here: the frame (ui/frame.py) asks these questions and draws the answers.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .compute import Scope

ACCESS_FILE = "access.toml"
OIDC, DEMO = "oidc", "demo"
DEFAULT_RETENTION_MONTHS = 24
DEFAULT_CONTACT = "the dashboard's administrator (the analyst who looks after the data)"


@dataclass(frozen=True)
class Role:
    id: str
    short: str                 # a few words, for the demo's switcher (kept in the URL)
    title: str
    sees: str                  # what the role may see, in words (the README's roles table says the same)
    every_team: bool           # all teams, or only the user's teams/services
    child_rows: bool           # lists of children and events, on every page
    audit_rows: bool = False   # lists of children for audit only (the quality assurance page)
    worker_ids: bool = False   # social workers' ids beside their caseloads and children
    aggregates_only: bool = False  # authority-wide figures only, counts of 1 to 5 suppressed
    data_quality: bool = False  # the data-quality page, uploads and the access log

    def lists_children_on(self, page: str) -> bool:
        """May this role see child-level rows on `page` (a page id, as in PAGE_IDS)?"""
        return self.child_rows or (self.audit_rows and page == "quality")


ROLES: dict[str, Role] = {r.id: r for r in [
    Role("leadership", "Leadership", "Leadership (Director, Chief Executive, heads of service)",
         "every team; the children and workers behind every figure", every_team=True, child_rows=True,
         worker_ids=True),
    Role("service_manager", "Service manager", "Service manager",
         "the teams of their services; their children and workers", every_team=False, child_rows=True, worker_ids=True),
    Role("team_manager", "Team manager", "Team manager", "their teams; their children and their workers",
         every_team=False, child_rows=True, worker_ids=True),
    Role("qa_lead", "QA lead", "Quality assurance lead",
         "every team's figures and audits; child-level lists for audit (the quality assurance page and its "
         "case sampler)", every_team=True, child_rows=False, audit_rows=True, worker_ids=True),
    Role("analyst", "Analyst", "Analyst", "everything, with the data-quality page, uploads and the access log",
         every_team=True, child_rows=True, worker_ids=True, data_quality=True),
    Role("member", "Member", "Elected member, board or scrutiny",
         "the authority's figures only: no team breakdown, no child or worker, counts of 1 to 5 shown as 'c'",
         every_team=True, child_rows=False, aggregates_only=True),
]}
USER_KEYS = {"email", "role", "teams", "services", "name"}
ACCESS_KEYS = {"sign_in", "contact", "log_retention_months"}


class AccessError(ValueError):
    """access.toml cannot be read or says something invalid: nobody is let in until it is corrected."""


@dataclass(frozen=True)
class User:
    email: str
    role: Role
    teams: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    name: str = ""

    def scope(self, teams: pd.DataFrame) -> Scope:
        """The teams whose rows this user may see (`teams`: team_id, service_id), as a query scope."""
        if self.role.every_team:
            return Scope()
        in_services = teams.loc[teams["service_id"].isin(self.services), "team_id"].tolist() if self.services else []
        return Scope(tuple(sorted(set(self.teams) | set(in_services))))

    @property
    def label(self) -> str:
        """Who, in words, for headers and the access log."""
        where = ""
        if self.teams:
            where = f" ({', '.join(self.teams)})"
        elif self.services:
            where = f" (services {', '.join(self.services)})"
        return f"{self.name or self.email}, {self.role.title.lower()}{where}"


@dataclass(frozen=True)
class AccessPolicy:
    sign_in: str                       # OIDC or DEMO
    users: dict[str, User] = field(default_factory=dict)   # by lower-case email
    contact: str = DEFAULT_CONTACT
    log_retention_months: int = DEFAULT_RETENTION_MONTHS
    source: Path | None = None         # None: no access.toml (a root of synthetic data only may run as the demo)

    def user(self, email: str | None) -> User | None:
        """The user this email names, or None: deny by default."""
        if not email:
            return None
        return self.users.get(str(email).strip().lower())


def no_file_policy() -> AccessPolicy:
    """A data root without access.toml: demo mode, which the frame refuses unless every snapshot is synthetic."""
    return AccessPolicy(sign_in=DEMO, source=None)


def load(root: str | Path) -> AccessPolicy:
    """The data root's access.toml, checked entry by entry; AccessError names the file, the entry and why."""
    path = Path(root) / ACCESS_FILE
    if not path.exists():
        return no_file_policy()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AccessError(f"{path} cannot be read: {exc}") from None
    section = raw.get("access", {})
    _only_known(f"{path}: [access]", section, ACCESS_KEYS, "setting")
    sign_in = section.get("sign_in", OIDC)
    if sign_in not in (OIDC, DEMO):
        raise AccessError(f"{path}: [access] sign_in is {sign_in!r}; it must be 'oidc' or 'demo'")
    retention = section.get("log_retention_months", DEFAULT_RETENTION_MONTHS)
    if not isinstance(retention, int) or isinstance(retention, bool) or retention < 1:
        raise AccessError(f"{path}: [access] log_retention_months must be a whole number of months, 1 or more")
    contact = section.get("contact", DEFAULT_CONTACT)
    if not isinstance(contact, str) or not contact.strip():
        raise AccessError(f"{path}: [access] contact must be words saying whom to ask for access")
    extra = set(raw) - {"access", "users"}
    if extra:
        raise AccessError(f"{path}: unknown section(s) {', '.join(sorted(extra))}")
    entries = raw.get("users", [])
    if not isinstance(entries, list):
        raise AccessError(f"{path}: users must be written as [[users]] entries")
    users: dict[str, User] = {}
    for number, entry in enumerate(entries, start=1):
        user = _user(path, number, entry)
        if user.email in users:
            raise AccessError(f"{path}: [[users]] entry {number} repeats {user.email}; each person is named once")
        users[user.email] = user
    return AccessPolicy(sign_in, users, contact.strip(), retention, path)


def _user(path: Path, number: int, entry) -> User:
    where = f"{path}: [[users]] entry {number}"
    _only_known(where, entry, USER_KEYS, "key")
    email = entry.get("email")
    if not isinstance(email, str) or "@" not in email:
        raise AccessError(f"{where} needs an email address")
    where = f"{where} ({email})"
    role = ROLES.get(entry.get("role"))
    if role is None:
        raise AccessError(f"{where}: role {entry.get('role')!r} is not one of {', '.join(ROLES)}")
    teams, services = _ids(where, entry, "teams"), _ids(where, entry, "services")
    if role.id == "team_manager" and not teams:
        raise AccessError(f"{where}: a team manager needs teams = [...] (team ids)")
    if role.id == "service_manager" and not (services or teams):
        raise AccessError(f"{where}: a service manager needs services = [...] (service ids)")
    if role.every_team and (teams or services):
        raise AccessError(f"{where}: the {role.id} role sees every team; teams and services would not narrow it, "
                          "so remove them or choose another role")
    name = entry.get("name", "")
    if not isinstance(name, str):
        raise AccessError(f"{where}: name must be text")
    return User(email.strip().lower(), role, teams, services, name.strip())


def _only_known(where: str, table, known: set[str], what: str) -> None:
    """A table with only the keys this file may hold: a misspelt key (`team` for `teams`) is an error, not
    silently ignored, since ignoring it could widen or narrow what someone sees."""
    if not isinstance(table, dict):
        raise AccessError(f"{where} is not a table")
    unknown = set(table) - known
    if unknown:
        raise AccessError(f"{where} has unknown {what}(s) {', '.join(sorted(unknown))}; known: "
                          f"{', '.join(sorted(known))}")


def _ids(where: str, entry: dict, key: str) -> tuple[str, ...]:
    values = entry.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) and v.strip() for v in values):
        raise AccessError(f"{where}: {key} must be a list of ids, e.g. {key} = [\"T04\"]")
    return tuple(v.strip() for v in values)


def demo_user(role_id: str, teams: tuple[str, ...] = (), services: tuple[str, ...] = ()) -> User:
    """Who a demo visitor views the dashboard as (the 'view as' switcher): never used with real data."""
    role = ROLES[role_id]
    if role.every_team:
        teams, services = (), ()
    return User("demo visitor", role, teams, services, name="Demo visitor")


DEMO_FILE_TEXT = '''# Who may see what on this dashboard. Deny by default: only the people named here see data.
# The demo runs with sign_in = "demo": no sign-in, a banner, and a "view as" switcher to see what each
# role sees. Demo mode is refused when a snapshot is not synthetic. For real data, set sign_in = "oidc",
# configure [auth] in .streamlit/secrets.toml (see the README) and name each user:
#
# [[users]]
# email = "manager@council.example"
# role = "team_manager"   # leadership | service_manager | team_manager | qa_lead | analyst | member
# teams = ["T04"]         # team ids, for a team manager; services = ["S2"] for a service manager

[access]
sign_in = "demo"
contact = "the performance team"
log_retention_months = 24
'''


def write_demo_file(root: str | Path) -> Path:
    """The demo's access.toml, unless the root already has one (never overwrite someone's access list)."""
    path = Path(root) / ACCESS_FILE
    if not path.exists():
        path.write_text(DEMO_FILE_TEXT, encoding="utf-8")
    return path
