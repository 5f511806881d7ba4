"""Children: pseudonymous ids, dates of birth, sex and ethnicity (Torbay is about 95% White British)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .context import SynthContext, from_days

# CIN census ethnicity codes with shares (synthetic; Torbay's children are about 95% White British)
ETHNICITY = {"WBRI": 0.945, "WOTH": 0.02, "WIRI": 0.003, "WROM": 0.002, "MWBC": 0.012, "MWBA": 0.006,
             "MWAS": 0.006, "MOTH": 0.01, "AOTH": 0.004, "APKN": 0.002, "BAFR": 0.004, "BOTH": 0.002,
             "CHNE": 0.002, "OOTH": 0.004, "NOBT": 0.008}


class PersonRegistry:
    """Every child the simulation creates; ssd_person is built from it at the end."""

    def __init__(self, ctx: SynthContext):
        self.ctx = ctx
        self._frames: list[pd.DataFrame] = []
        self._rng = ctx.rng("people")

    def add(self, first_seen_days, age_years) -> np.ndarray:
        """New children first recorded on `first_seen_days` (int days), aged `age_years` (completed years) then."""
        first_seen_days = np.asarray(first_seen_days, dtype=np.int64)
        ages = np.asarray(age_years, dtype=float)
        n = len(first_seen_days)
        ids = self.ctx.ids.new("C", n)
        dob_days = first_seen_days - np.round(ages * 365.25).astype(np.int64) - self._rng.integers(0, 365, n)
        dob_days = np.minimum(dob_days, first_seen_days)  # unborn children are recorded from birth here
        sex = np.where(self._rng.random(n) < 0.51, "M", "F")
        codes = list(ETHNICITY)
        probs = np.array(list(ETHNICITY.values()))
        ethnicity = np.array(codes)[self._rng.choice(len(codes), n, p=probs / probs.sum())]
        self._frames.append(pd.DataFrame({"pers_person_id": ids, "pers_sex": sex, "pers_ethnicity": ethnicity,
                                          "_dob_day": dob_days, "_anchor_day": first_seen_days}))
        return ids

    def dob_days(self, person_ids) -> np.ndarray:
        """Date of birth (int days) of existing children."""
        frame = self.frame().set_index("pers_person_id")
        return frame.loc[np.asarray(person_ids), "_dob_day"].to_numpy()

    def frame(self) -> pd.DataFrame:
        return pd.concat(self._frames, ignore_index=True) if self._frames else pd.DataFrame(
            columns=["pers_person_id", "pers_sex", "pers_ethnicity", "_dob_day", "_anchor_day"])

    def table(self) -> pd.DataFrame:
        """Truth rows of ssd_person."""
        frame = self.frame()
        return pd.DataFrame({
            "pers_person_id": frame["pers_person_id"], "pers_sex": frame["pers_sex"],
            "pers_ethnicity": frame["pers_ethnicity"], "pers_dob": from_days(frame["_dob_day"]),
            "pers_death_date": pd.NaT, "_anchor": from_days(frame["_anchor_day"]), "_lag": 0})
