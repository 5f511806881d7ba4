"""The service structure: about a dozen teams in five services, as Torbay's restructure left them."""
from __future__ import annotations

import pandas as pd

from .context import SynthContext

# (role, team name, service name)
TEAMS = [
    ("mash", "MASH", "Front door"),
    ("assessment", "Assessment team 1", "Front door"),
    ("assessment", "Assessment team 2", "Front door"),
    ("safeguarding", "Safeguarding and family support 1", "Safeguarding"),
    ("safeguarding", "Safeguarding and family support 2", "Safeguarding"),
    ("safeguarding", "Safeguarding and family support 3", "Safeguarding"),
    ("disabled", "Children with disabilities", "Safeguarding"),
    ("cared_for", "Cared-for children 1", "Cared-for children"),
    ("cared_for", "Cared-for children 2", "Cared-for children"),
    ("cared_for", "Permanence", "Cared-for children"),
    ("care_leavers", "Care leavers (16+)", "Care leavers"),
    ("iro", "Independent reviewing and CP chairs", "Quality and safeguarding"),
]
SERVICE_IDS = {"Front door": "S1", "Safeguarding": "S2", "Cared-for children": "S3", "Care leavers": "S4",
               "Quality and safeguarding": "S5"}


def build_teams(ctx: SynthContext) -> pd.DataFrame:
    """ssd_department rows plus a `role` column the simulation uses to route cases."""
    prefix = f"{ctx.chunk:02d}" if ctx.chunk else ""
    rows = []
    for i, (role, name, service) in enumerate(TEAMS, start=1):
        rows.append({"dept_team_id": f"T{prefix}{i:02d}", "dept_team_name": name + (f" ({prefix})" if prefix else ""),
                     "dept_team_parent_id": SERVICE_IDS[service] + prefix,
                     "dept_team_parent_name": service + (f" ({prefix})" if prefix else ""), "role": role})
    teams = pd.DataFrame(rows)
    ctx.teams = teams
    return teams
