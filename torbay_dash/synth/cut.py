"""Cut snapshots from truth tables, the way real extracts see the past.

A snapshot taken on day S holds the rows recorded by S: a row appears once its
``_anchor`` date plus its recording lag has passed, and each date in it shows only
once it has happened and been recorded (an episode still open has a null end). Columns
that are only known when an event completes (a close reason, an ICPC outcome) vanish
with its date. Planned dates (a review's due date) are known in advance and kept.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from .. import contract
from .context import EPOCH, SynthContext

META = ("_anchor", "_lag")
DEFECT = "_defect"  # which injected defect a truth row carries, if any

# Dates planned ahead: present in a snapshot even when later than its as-at date.
PLANNED_DATES = {
    "ssd_initial_cp_conference": {"icpc_icpc_target_date"},
    "ssd_cp_reviews": {"cppr_cp_review_due"},
    "ssd_cla_reviews": {"clar_cla_review_due_date"},
    "qa_actions": {"due_date"},
    "ssd_person": {"pers_dob"},
}

# Columns recorded together with a date: unknown until that date is recorded.
RECORDED_WITH = {
    "ssd_contacts": {"cont_contact_completed_date": ["cont_contact_outcome_json"]},
    "ssd_cin_episodes": {"cine_close_date": ["cine_close_reason"]},
    "ssd_cin_assessments": {"cina_assessment_auth_date": ["cina_assessment_outcome_nfa"]},
    "ssd_s47_enquiry": {"s47e_s47_end_date": ["s47e_s47_nfa"]},
    "ssd_initial_cp_conference": {"icpc_icpc_date": ["icpc_icpc_outcome_cp_flag", "icpc_cp_plan_id"]},
    "ssd_cla_episodes": {"clae_cla_episode_ceased_date": ["clae_cla_episode_ceased_reason"]},
    "ssd_cla_placement": {"clap_cla_placement_end_date": ["clap_cla_placement_change_reason"]},
    "ssd_pre_proceedings": {"prep_agree_stepdown_issue_date": ["prep_pre_pro_outcome"]},
    "ssd_missing": {"miss_missing_episode_end_date": ["miss_missing_rhi_offered", "miss_missing_rhi_accepted"]},
    "ssd_involvements": {"invo_involvement_end_date": ["invo_worker_change_reason"]},
    "hr_staff": {"end_date": ["leaving_reason"]},
    "ssd_permanence": {"perm_permanence_order_date": ["perm_permanence_order_type"]},
}

# Tables whose team column a real extract sometimes leaves empty.
TEAM_COLUMNS = {
    "ssd_contacts": "cont_contact_team", "ssd_cin_episodes": "cine_referral_team",
    "ssd_cin_assessments": "cina_assessment_team", "ssd_s47_enquiry": "s47e_s47_completed_by_team",
    "ssd_initial_cp_conference": "icpc_icpc_team", "ssd_involvements": "invo_professional_team",
}

REFERENCE_TABLES = {"ssd_department"}
MAX_DUPLICATE_SHARE = 0.003  # duplicated pairs per row present at the first snapshot


def arrow_schema(table_name: str) -> pa.Schema:
    types = {contract.DATE: pa.date32(), contract.NUMBER: pa.float64(), contract.INTEGER: pa.int64()}
    return pa.schema([(c.name, types.get(c.type, pa.string())) for c in contract.TABLES[table_name].columns])


def _days(series: pd.Series) -> np.ndarray:
    """Dates as float days since 1970 (NaN for null), for fast comparisons."""
    values = series.to_numpy(dtype="datetime64[D]")
    out = (values - EPOCH).astype("timedelta64[D]").astype(np.float64)
    out[np.isnat(values)] = np.nan
    return out


def date_columns(table_name: str) -> list[str]:
    return [c.name for c in contract.TABLES[table_name].columns if c.type == contract.DATE]


def add_recording_lags(ctx: SynthContext, tables: dict[str, pd.DataFrame]) -> None:
    """Make a share of rows recorded late (days to weeks), as real case recording is."""
    for name, frame in tables.items():
        if name in REFERENCE_TABLES or name == "ssd_person" or frame.empty:
            continue
        rng = ctx.rng(f"cut/lag/{name}")
        late = rng.random(len(frame)) < ctx.config.late_share
        lags = np.where(late, np.minimum(rng.geometric(1 / 12, len(frame)) + 2, 90), 0)
        frame["_lag"] = np.maximum(frame["_lag"].fillna(0).to_numpy(dtype=np.int64), lags)


def inject_defects(ctx: SynthContext, tables: dict[str, pd.DataFrame]) -> dict[str, dict[str, int]]:
    """Give a small share of rows the defects real extracts have; the same rows in every snapshot.

    Returns what was injected, by table and kind, for the manifest (so tests and the
    data-quality page know what there is to find).
    """
    share = ctx.config.defect_share
    first_snapshot = pd.Timestamp(ctx.config.first_snapshot)
    injected: dict[str, dict[str, int]] = {}
    for name, frame in list(tables.items()):
        frame[DEFECT] = None
        if name in REFERENCE_TABLES or name == "ssd_person" or len(frame) < 500 or share <= 0:
            continue
        rng = ctx.rng(f"cut/defects/{name}")
        k = int(len(frame) * share)
        if k == 0:
            continue
        kinds: dict[str, int] = {}
        for check in (c for c in contract.DATE_ORDER_CHECKS if c.table == name):
            has_end = np.flatnonzero(frame[check.end].notna().to_numpy() & frame[check.start].notna().to_numpy())
            rows = rng.choice(has_end, size=min(k, len(has_end)), replace=False) if len(has_end) else []
            if len(rows):
                index = frame.index[rows]
                starts = frame.loc[index, check.start].copy()
                frame.loc[index, check.start] = frame.loc[index, check.end].to_numpy()
                frame.loc[index, check.end] = starts.to_numpy()
                frame.loc[index, "_anchor"] = frame.loc[index, [check.start, "_anchor"]].min(axis=1)
                frame.loc[index, DEFECT] = "end_before_start"
                kinds["end_before_start"] = len(rows)
        if name in TEAM_COLUMNS:
            rows = rng.choice(len(frame), size=k, replace=False)
            frame.loc[frame.index[rows], TEAM_COLUMNS[name]] = None
            frame.loc[frame.index[rows], DEFECT] = frame.loc[frame.index[rows], DEFECT].fillna("missing_team")
            kinds["missing_team"] = k
        # Duplicate ids among rows already there at the first snapshot, few enough that no
        # snapshot passes the validator's allowance (both rows of a pair count against it).
        key = contract.TABLES[name].key
        early = np.flatnonzero(((frame["_anchor"].isna() | (frame["_anchor"] <= first_snapshot))
                                & frame[DEFECT].isna()).to_numpy())  # one defect per row, so counts add up
        n_dup = min(k // 2, int(len(early) * MAX_DUPLICATE_SHARE))
        if n_dup:
            rows = rng.choice(early, size=n_dup, replace=False)
            tables[name] = pd.concat([frame, frame.iloc[rows].assign(**{DEFECT: f"duplicated_{key}"})],
                                     ignore_index=True)
            kinds[f"duplicated_{key}"] = n_dup
        if kinds:
            injected[name] = kinds
    return injected


def cut_table(name: str, truth: pd.DataFrame, as_at_day: int) -> pd.DataFrame:
    """The rows and values of one table as a snapshot taken on `as_at_day` sees them."""
    lag = truth["_lag"].fillna(0).to_numpy(dtype=np.float64) if "_lag" in truth else np.zeros(len(truth))
    anchor = _days(truth["_anchor"]) if "_anchor" in truth else np.full(len(truth), np.nan)
    visible = np.isnan(anchor) | (anchor + lag <= as_at_day)
    frame = truth.loc[visible]
    lag = lag[visible]
    columns = {}
    planned = PLANNED_DATES.get(name, set())
    hidden_dates = {}
    for col in contract.TABLES[name].column_names:
        values = frame[col] if col in frame else pd.Series([None] * len(frame), index=frame.index)
        if col in planned or col not in date_columns(name):
            columns[col] = values
            continue
        days = _days(values)
        hide = ~np.isnan(days) & (days + lag > as_at_day)
        hidden_dates[col] = hide
        columns[col] = values.where(~hide) if hide.any() else values
    for date_col, dependents in RECORDED_WITH.get(name, {}).items():
        hide = hidden_dates.get(date_col)
        if hide is not None and hide.any():
            for col in dependents:
                columns[col] = columns[col].where(~hide)
    if DEFECT in frame:
        columns[DEFECT] = frame[DEFECT]
    return pd.DataFrame(columns, index=frame.index).reset_index(drop=True)


def defects_seen(name: str, frame: pd.DataFrame) -> dict[str, int]:
    """Injected defects as this cut shows them (a swapped pair shows only once both dates are recorded)."""
    if DEFECT not in frame or frame[DEFECT].isna().all():
        return {}
    marked = frame[DEFECT]
    visible = marked.notna()
    for check in (c for c in contract.DATE_ORDER_CHECKS if c.table == name):
        swapped = marked.eq("end_before_start")
        visible &= ~swapped | (frame[check.end] < frame[check.start]).fillna(False)
    counts = marked[visible].value_counts()
    return {str(kind): int(n) for kind, n in counts.items()}


def normalise(name: str, truth: pd.DataFrame) -> pd.DataFrame:
    """Contract columns in fixed dtypes (text as Arrow strings, dates as datetime64), plus the meta columns.

    Done once per truth table, so cutting many snapshots is only filtering.
    """
    out = {}
    for col in contract.TABLES[name].columns:
        values = truth[col.name] if col.name in truth else pd.Series([None] * len(truth), index=truth.index)
        if col.type == contract.DATE:
            out[col.name] = pd.to_datetime(values)
        elif col.type in (contract.NUMBER, contract.INTEGER):
            out[col.name] = pd.to_numeric(values).astype("float64")
        else:
            text = values.astype("object")
            text = text.where(text.notna(), None)
            if pd.api.types.infer_dtype(text, skipna=True) not in ("string", "empty"):
                text = text.map(lambda v: v if v is None or isinstance(v, str) else str(v))
            out[col.name] = text.astype("string[pyarrow]")
    out["_anchor"] = pd.to_datetime(truth["_anchor"]) if "_anchor" in truth else pd.NaT
    out["_lag"] = truth["_lag"].fillna(0).astype(np.int64) if "_lag" in truth else 0
    return pd.DataFrame(out, index=truth.index).reset_index(drop=True)


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """A cut (normalised) table in the contract's Parquet types, without the generator's markers."""
    return pa.Table.from_pandas(frame.drop(columns=[DEFECT], errors="ignore"), schema=arrow_schema(name),
                                preserve_index=False)
