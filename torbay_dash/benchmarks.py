"""Published comparators for our indicators, from the DfE's LAIT data: England, the region,
the authority's own published figure and the mean of its statistical neighbours.

The source is the whole DfE Local Authority Interactive Tool (LAIT) dataset shipped in
data/lait/ (every English authority and region, by year), so any authority works: the
authority is `[authority] code` in data/local_authority.toml unless a caller names one,
and its statistical neighbours come from the DfE model named by `[benchmarks]
neighbour_model` ("2025" unless set; "2021" is the older model).

The DfE publishes annual figures; our indicators are computed for any period. A
comparator is shown with its year and period so a leader compares like with like, and
where the DfE's definition differs from ours `COMPARABLE[...].note` says how. Indicators
with no honest published match are listed in `NOT_COMPARABLE` with the reason.

Values in LAIT are text: numbers, or a symbol instead of a number ('-' in this vintage;
GSS symbols such as c, x, z, u in others). A symbol becomes a missing value and is kept
beside it, so the UI can say "suppressed" rather than show a gap. No Streamlit here.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import duckdb
import pandas as pd

LAIT_DIR = Path(__file__).resolve().parents[1] / "data" / "lait"
LAIT_FILE = LAIT_DIR / "bds_long_0.parquet"
DICTIONARY_FILE = LAIT_DIR / "lait_data_dictionary.csv"
NEIGHBOUR_FILES = {"2025": LAIT_DIR / "sn_may_2025.xlsx", "2021": LAIT_DIR / "sn_april_2021.xlsx"}
NEIGHBOUR_MODEL_NAMES = {"2025": "DfE children's services statistical neighbours, May 2025",
                         "2021": "DfE children's services statistical neighbours, April 2021"}
DEFAULT_MODEL = "2025"
SOURCE = ("DfE Local Authority Interactive Tool (LAIT) data, github.com/dfe-analytical-services/"
          "local-authority-interactive-tool @ 2e30e395 (01_data/02_prod/): figures to the year ending "
          "31 March 2025 and the workforce census at 30 September 2025; Open Government Licence")

ENGLAND = 970          # LAIT's 'LA Number' for England; regions are 980-990
FIRST_AREA_CODE = 970  # codes from here on are England and the regions, not authorities
# An authority's region as LAIT's `Region` column names it -> the region's own row.
REGION_ROW_NAMES = {"inner london": "London (Inner)", "outer london": "London (Outer)"}

# Symbols LAIT (and the GSS conventions it follows) put where a number would be.
SYMBOLS = {
    "-": "not published",  # LAIT's own mark: suppressed or not available, it does not say which
    "c": "suppressed",     # confidential: small numbers withheld
    "x": "not available",
    "z": "not applicable",
    "u": "low reliability",
    "low": "rounds to zero",
    "k": "rounds to zero",
    ":": "not available",
    "..": "not available",
    "": "not published",
}

# Dates a published year refers to: the end of the year ending 31 March, or 30 September.
YEAR_ENDING_MARCH = "year ending 31 March"
AT_MARCH = "at 31 March"
AT_SEPTEMBER = "at 30 September"
YEAR_TO_SEPTEMBER = "year to 30 September"
NOT_LIKE_FOR_LIKE = "Not like for like"


@dataclass(frozen=True)
class Comparable:
    """The published measure an indicator can be compared with."""
    measure: str                 # LAIT `Short Desc` (= the data dictionary's Measure_short)
    note: str = ""               # how the DfE's definition and period differ from ours, in plain words
    period: str = YEAR_ENDING_MARCH   # what a published year means
    unit: str = "percent"        # the published unit, in the registry's vocabulary (percent, rate_per_10k, mean)
    like_for_like: bool = True   # False: a different question or population; the note starts NOT_LIKE_FOR_LIKE


def _rate(what: str) -> str:
    return (f"DfE: {what} per 10,000 children aged under 18, at 31 March, on ONS's revised mid-year "
            "estimates (so a few differ from the first publication); ours uses the population in "
            "local_authority.toml at the period end.")


def _workforce(what: str) -> str:
    return (f"DfE children's social work workforce census: {what}. Compare with ours at 30 September.")


# Our indicator id -> the LAIT measure it can honestly be compared with.
COMPARABLE: dict[str, Comparable] = {
    # Safeguarding (CIN census, year ending 31 March unless said)
    "rereferrals_12m_pct": Comparable(
        "ReReferral", "DfE: referrals in the year ending 31 March that were within 12 months of a previous "
        "referral of the same child. Compare with our 12 months to 31 March."),
    "assessments_45wd_pct": Comparable(
        "Continue_Assess_Comp", "DfE: assessments completed in the year ending 31 March within 45 working "
        "days. Compare with our 12 months to 31 March."),
    "icpc_15wd_pct": Comparable(
        "CP_conf_15days", "DfE: initial child protection conferences in the year ending 31 March held within "
        "15 working days of the strategy discussion that began the section 47 enquiry; ours counts from the "
        "recorded S47 start and leaves out transfer-in conferences. Compare with our 12 months to 31 March."),
    "cp_second_subsequent_pct": Comparable(
        "PrevRegCPR", "DfE: children starting a plan in the year ending 31 March who had had a plan before, "
        "however long ago. Ours can only see earlier plans in our own records. Compare with our 12 months "
        "to 31 March."),
    "cin_rate_per_10k": Comparable(
        "CIN", _rate("children in need (including those on plans and looked after, unborn children and "
                     "young people 18 and over still supported)"), AT_MARCH, "rate_per_10k"),
    "cp_rate_per_10k": Comparable(
        "CPP_rate", _rate("children subject of a child protection plan"), AT_MARCH, "rate_per_10k"),
    "cp_plans_2yrs_plus_pct": Comparable(
        "CPPlans2yrsActive", "DfE: of children on a child protection plan at 31 March, those on it "
        "continuously for two years or more (children, where ours counts open plans). Compare with ours at "
        "31 March.", AT_MARCH),
    "cp_reviews_on_time_pct": Comparable(
        "RevCP", f"{NOT_LIKE_FOR_LIKE}: the DfE counts children on a plan at 31 March for 3 months or more "
        "whose reviews were all held within the required timescales; ours counts reviews held in the period "
        "that were held by their due date.", YEAR_ENDING_MARCH, like_for_like=False),
    # Cared-for children (SSDA903)
    "cla_rate_per_10k": Comparable(
        "LAC", _rate("children looked after (short breaks excluded, as in ours)"), AT_MARCH, "rate_per_10k"),
    "cla_3plus_placements_pct": Comparable(
        "LACStable_2016on", "DfE: children looked after at 31 March who had 3 or more placements in the year "
        "ending 31 March; a child then placed for adoption with their foster carers is not counted as moving. "
        "Compare with ours at 31 March.", AT_MARCH),
    "cla_long_term_stability_pct": Comparable(
        "LAC_LongStable%", "DfE: children looked after at 31 March aged under 16, looked after for 2.5 years "
        "or more, living in the same placement for 2 years or more, or placed for adoption where that "
        "placement and the one before it add up to 2 years (ours does not join an adoptive placement to the "
        "one before). Compare with ours at 31 March.", AT_MARCH),
    "cla_placed_20mi_pct": Comparable(
        "LACDistance",
        f"{NOT_LIKE_FOR_LIKE}: the DfE counts children placed more than 20 miles from home AND outside the "
        "authority's boundary, out of all children looked after at 31 March; ours counts all placed more than "
        "20 miles from home, out of those whose placement distance is known.", AT_MARCH, like_for_like=False),
    "cla_health_assessment_pct": Comparable(
        "LACHealth%", "DfE: children looked after at 31 March, continuously for 12 months or more, whose "
        "health assessments in the year were up to date (two a year for under-5s, where ours asks for one "
        "completed assessment). Compare with ours at 31 March."),
    "cla_dental_check_pct": Comparable(
        "LACDental%", "DfE: children looked after at 31 March, continuously for 12 months or more, who had "
        "their teeth checked by a dentist in the year (COVID-19 closed dental services in 2020-21). Compare "
        "with ours at 31 March."),
    "cla_missing_pct": Comparable(
        "Children_missing", "DfE: children looked after at any time in the year ending 31 March who went "
        "missing at least once (counting those already missing on 1 April; some authorities record every "
        "'away without authorisation' as missing). Compare with our 12 months to 31 March."),
    "care_leavers_suitable_accom_pct": Comparable(
        "CareLeaverAcc", f"{NOT_LIKE_FOR_LIKE}: the DfE counts care leavers aged 19 to 21, by their "
        "accommodation around their birthday in the year ending 31 March; ours counts everyone aged 17 to "
        "21 on our care-leaver list, by their latest contact.", YEAR_ENDING_MARCH, like_for_like=False),
    "care_leavers_eet_pct": Comparable(
        "CareLeaverEET", f"{NOT_LIKE_FOR_LIKE}: the DfE counts care leavers aged 19 to 21, by their activity "
        "around their birthday in the year ending 31 March; ours counts everyone aged 17 to 21 on our "
        "care-leaver list, by their latest contact.", YEAR_ENDING_MARCH, like_for_like=False),
    # Workforce (census at 30 September)
    "sw_agency_rate_pct": Comparable(
        "Work_Force_Agecy_Rate", _workforce("agency children and family social worker FTE / (agency + employed) "
                                            "FTE at 30 September"), AT_SEPTEMBER),
    "sw_vacancy_rate_pct": Comparable(
        "Work_Force_Vac_Rate", _workforce("FTE vacancies / (FTE vacancies + employed FTE) at 30 September, a "
                                          "post covered by an agency worker counting as vacant (as in ours)"),
        AT_SEPTEMBER),
    "sw_turnover_rate_pct": Comparable(
        "Work_Force_TO_Rate", _workforce("FTE leavers in the year to 30 September / employed FTE at 30 "
                                         "September; moves between social work posts in the authority are "
                                         "not leavers (ours: no new spell within 7 days)"), YEAR_TO_SEPTEMBER),
    "sw_avg_caseload": Comparable(
        "Work_Force_AvgNumCase_SW", _workforce("cases held / FTE of children and family social workers "
                                               "(agency included) holding one case or more, at 30 September"),
        AT_SEPTEMBER, "mean"),
    "sw_absence_rate_pct": Comparable(
        "Work_Force_SWAbsence", f"{NOT_LIKE_FOR_LIKE}: the DfE counts days lost to sickness only, over the year "
        "to 30 September, / (employed FTE at 30 September x 253 working days); ours counts every absence in "
        "the HR absence records over the period.", YEAR_TO_SEPTEMBER, like_for_like=False),
    "cla_3plus_social_workers_pct": Comparable(
        "Stability_SocialWorker", "DfE (experimental stability measures, published for 2023-24 only): children "
        "looked after who had 3 or more social workers in the year ending 31 March, counting social workers "
        "from before they were looked after too. Compare with ours at 31 March."),
}

# Indicators with no honest LAIT match, and why: the UI can say so instead of showing nothing.
_COUNT = ("Ours is a count, for any period or date; LAIT publishes {what}, so neither England's nor the neighbours' "
          "figure compares with it as a value")
NOT_COMPARABLE: dict[str, str] = {
    "contacts": "LAIT publishes no contact figures.",
    "contacts_completed_1wd_pct": "Local standard (MASH decision within 1 working day): not published nationally.",
    "referrals": _COUNT.format(what="referrals as a count and a rate per 10,000 (CPP_Total_Rateper10,000)")
                 + "; a referral rate indicator would compare.",
    "s47_enquiries": _COUNT.format(what="section 47 enquiries as a rate per 10,000 (Section_47)")
                     + "; an S47 rate indicator would compare.",
    "cp_plans_open": _COUNT.format(what="a count at 31 March (CPP_Num)") + "; compare cp_rate_per_10k instead.",
    "cp_visits_in_timescale_pct": "Local standard: not published nationally.",
    "cse_identified": "LAIT publishes no assessment-factor figures.",
    "pre_proceedings_16wk_pct": "Not published nationally.",
    "cla_count": _COUNT.format(what="a count at 31 March (LACnum)") + "; compare cla_rate_per_10k instead.",
    "cla_starts": _COUNT.format(what="starts as a count and a rate per 10,000 (LACnum_Start, LAC_Start_Rate)") + ".",
    "cla_ceased": _COUNT.format(what="a count for the year ending 31 March (LACceased)") + ".",
    "cla_in_house_foster_pct": "LAIT publishes the % of children looked after in any foster care "
                               "(LAC_Foster_Placements: agency and family-and-friends carers included), "
                               "not in the authority's own foster care.",
    "cla_residential_count": "Ours is a count; LAIT publishes the % in secure and children's homes "
                             "(LAC_SecHome_And_ChildHome), a different set of placement types.",
    "cla_visits_in_timescale_pct": "Statutory visits are not published nationally.",
    "cla_reviews_on_time_pct": "Reviews of children looked after are not in LAIT.",
    "cla_camhs_direct": "Not published nationally.",
    "care_leavers_in_touch_pct": "LAIT publishes the % the authority is NOT in touch with "
                                 "(CareLeavers_LA_NotInTouch); it is not 100 minus ours, because those who refuse "
                                 "contact or no longer need services are in neither.",
    "adoption_entry_to_placement_days": "Adoption timeliness (scorecard A1) is in the DfE adoption scorecards, "
                                        "not in LAIT.",
    "sw_fte": _COUNT.format(what="FTE as a count at 30 September (Work_Force_NoSW)") + ".",
    "sw_starters": _COUNT.format(what="FTE starters in the year to 30 September (Social_Work_Starters)") + ".",
    "sw_leavers": _COUNT.format(what="FTE leavers in the year to 30 September (Social_Work_Leavers)") + ".",
    "sw_supervision_in_timescale_pct": "Supervision is not published nationally.",
    "audits_completed": "Quality assurance is local: not published nationally.",
    "audits_good_or_better_pct": "Quality assurance is local: not published nationally.",
    "audit_moderation_agreement_pct": "Quality assurance is local: not published nationally.",
    "audit_actions_on_time_pct": "Quality assurance is local: not published nationally.",
}

PUBLISHED_COLUMNS = ["year", "period", "england", "region", "region_name", "authority", "authority_symbol",
                     "neighbours", "neighbours_n", "note", "measure"]
NEIGHBOUR_COLUMNS = ["rank", "la_code", "la_name", "closeness"]
VALUE_COLUMNS = ["la_code", "la_name", "value", "symbol", "status", "is_authority", "rank",
                 "england", "neighbours_mean"]

_NUMBER = re.compile(r"^\s*(-?\d[\d,]*\.?\d*(?:[eE][-+]?\d+)?|-?\.\d+(?:[eE][-+]?\d+)?)\s*(?:\[?([a-z]+)\]?)?\s*$")


def parse_value(text) -> tuple[float, str]:
    """A LAIT value -> (number or NaN, symbol). '12.5' -> (12.5, ''); 'c' or '[c]' -> (NaN, 'c');
    '-' -> (NaN, '-'); '12.5 [e]' (a GSS flag on a number) -> (12.5, 'e')."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return math.nan, ""
    if isinstance(text, (int, float)):
        return float(text), ""
    found = _NUMBER.match(str(text))
    if found:
        return float(found.group(1).replace(",", "")), found.group(2) or ""
    return math.nan, str(text).strip().strip("[]").strip().lower()


def status(symbol: str | None, value: float | None = None) -> str:
    """Words for a symbol: 'published', 'suppressed', 'not applicable', ..."""
    has_value = value is not None and not (isinstance(value, float) and math.isnan(value))
    if has_value:
        return "published" if not symbol else f"published ({symbol})"
    return SYMBOLS.get(symbol or "", f"not published ({symbol})")


def _year(label: str) -> tuple[int | None, int]:
    """'2024' -> (2024, 1); '2024 (Rev)' / '(Final)' -> (2024, 2); '2025 (prov)' -> (2025, 0).

    Ranges such as '2019-20' or '2014-16' are ambiguous (a financial year or three calendar
    years) and none of the measures we map uses them: they give (None, 0).
    """
    found = re.fullmatch(r"\s*(\d{4})\s*(?:\((\w+)\))?\s*", str(label))
    if not found:
        return None, 0
    flag = (found.group(2) or "").lower()
    return int(found.group(1)), {"rev": 2, "final": 2, "prov": 0}.get(flag, 1)


def _connect() -> duckdb.DuckDBPyConnection:
    return duckdb.connect()  # a fresh in-memory connection per read: DuckDB connections are not thread-safe


@lru_cache(maxsize=1)
def _comparable_rows() -> pd.DataFrame:
    """The rows of every measure the indicators are compared with, read in one pass once per process:
    the Overview's tiles then cost no file read each (LAIT holds 600,000 rows of some 430 measures)."""
    return _parsed_rows(sorted({c.measure for c in COMPARABLE.values()}))


def _parsed_rows(measures: list[str]) -> pd.DataFrame:
    """measure, la_code, year, value, symbol: the best row per measure, authority and year."""
    with _connect() as con:
        raw = con.execute(
            'SELECT "Short Desc" AS measure, "Years" AS label, CAST("LA Number" AS INTEGER) AS la_code, '
            '"Values" AS text FROM read_parquet(?) WHERE list_contains(?, "Short Desc")',
            [str(LAIT_FILE), measures]).df()
    years = raw["label"].map(_year)
    parsed = raw["text"].map(parse_value)
    rows = pd.DataFrame({"measure": raw["measure"], "la_code": raw["la_code"].astype(int),
                         "year": years.map(lambda y: y[0]), "preference": years.map(lambda y: y[1]),
                         "value": parsed.map(lambda p: p[0]).astype("float64"),
                         "symbol": parsed.map(lambda p: p[1]).astype(object)})
    rows = rows.dropna(subset=["year"]).astype({"year": int})
    # a revised figure beats the first one, which beats a provisional one
    rows = rows.sort_values(["measure", "la_code", "year", "preference"]).drop_duplicates(
        ["measure", "la_code", "year"], keep="last")
    return rows.drop(columns="preference").reset_index(drop=True)


@lru_cache(maxsize=None)
def _measure_rows(measure: str) -> pd.DataFrame:
    """Every row of one LAIT measure: la_code, year, value, symbol (the best row per authority and year)."""
    comparable = _comparable_rows()
    rows = comparable[comparable["measure"] == measure] if measure in set(comparable["measure"]) \
        else _parsed_rows([measure])
    return rows.drop(columns="measure").reset_index(drop=True)


def preload() -> None:
    """Read the published figures the screens compare with (a server calls this once, at start)."""
    places()
    for measure in sorted({c.measure for c in COMPARABLE.values()}):
        _measure_rows(measure)


def measure_values(measure: str) -> pd.DataFrame:
    """One LAIT measure for every authority, region and year: la_code, la_name, year, value, symbol, status."""
    rows = _measure_rows(measure).merge(places()[["la_code", "la_name"]], on="la_code", how="left")
    return rows.assign(status=[status(s, v) for s, v in zip(rows["symbol"], rows["value"])])


@lru_cache(maxsize=1)
def places() -> pd.DataFrame:
    """Every authority, region and England in LAIT: la_code, la_name, region_code, region_name, is_authority."""
    with _connect() as con:
        raw = con.execute(
            'SELECT DISTINCT CAST("LA Number" AS INTEGER) AS la_code, "LA and Regions" AS la_name, '
            '"Region" AS region FROM read_parquet(?) ORDER BY 1', [str(LAIT_FILE)]).df()
    areas = raw[raw["la_code"] >= FIRST_AREA_CODE]
    by_name = {str(n).lower(): int(c) for c, n in zip(areas["la_code"], areas["la_name"])}

    def region_code(region) -> int | None:
        key = str(region).strip().lower()
        return by_name.get(REGION_ROW_NAMES.get(key, key).lower())

    frame = pd.DataFrame({"la_code": raw["la_code"].astype(int), "la_name": raw["la_name"].astype(str)})
    frame["is_authority"] = frame["la_code"] < FIRST_AREA_CODE
    frame["region_code"] = [region_code(r) if a else None for r, a in zip(raw["region"], frame["is_authority"])]
    names = dict(zip(frame["la_code"], frame["la_name"]))
    frame["region_name"] = frame["region_code"].map(lambda c: names.get(c) if c is not None else None)
    return frame.astype({"region_code": "Int64"}).reset_index(drop=True)


def authorities() -> pd.DataFrame:
    """The English authorities LAIT covers (current and pre-reorganisation): la_code, la_name, region_name."""
    frame = places()
    return frame[frame["is_authority"]][["la_code", "la_name", "region_name"]].sort_values("la_name") \
        .reset_index(drop=True)


def _place(code: int) -> pd.Series:
    frame = places()
    found = frame[frame["la_code"] == int(code)]
    if found.empty or not bool(found["is_authority"].iloc[0]):
        from .store import DataError
        raise DataError(f"{code} is not an English local authority in the LAIT data; set [authority] code in "
                        "local_authority.toml to a DfE LA number (e.g. Torbay 880)")
    return found.iloc[0]


def _settings():
    from .settings import load_settings
    return load_settings()


def _authority_code(authority_code: int | None) -> int:
    return int(authority_code) if authority_code is not None else int(_settings().code)


def _model(model: str | None) -> str:
    if model is None:
        model = str(getattr(_settings(), "neighbour_model", DEFAULT_MODEL) or DEFAULT_MODEL)
    model = str(model)
    if model not in NEIGHBOUR_FILES:
        raise ValueError(f"no statistical neighbour model {model!r}; known: {', '.join(NEIGHBOUR_FILES)}")
    return model


@lru_cache(maxsize=None)
def _neighbour_model(model: str) -> pd.DataFrame:
    """The DfE statistical neighbour workbook, long: la_code, rank, neighbour, closeness, la_name, superseded.

    The sheet has a header row ('LA num', 'LA Name', 'LA number', 'GOInd', 'GOReg', then SN1,
    SNP, ... SN10, SNP); rows below an 'Old SNs:' line are authorities since reorganised.
    """
    sheet = pd.read_excel(NEIGHBOUR_FILES[model], header=None, engine="openpyxl")
    header_at = next(i for i, v in enumerate(sheet[0]) if str(v).strip().lower() == "la num")
    header = [str(v).strip() for v in sheet.iloc[header_at]]
    sn_columns = [i for i, h in enumerate(header) if re.fullmatch(r"SN\d+", h)]
    rows, superseded = [], False
    for _, row in sheet.iloc[header_at + 1:].iterrows():
        if str(row[1]).strip().lower().startswith("old sn"):
            superseded = True
        try:
            code = int(row[0])
        except (TypeError, ValueError):
            continue
        for column in sn_columns:
            try:
                neighbour = int(row[column])
            except (TypeError, ValueError):
                continue  # '-': no neighbours in this model (e.g. an authority created after it)
            closeness = row[column + 1] if column + 1 < len(row) else None
            rows.append({"la_code": code, "la_name": str(row[1]).strip(), "rank": int(header[column][2:]),
                         "neighbour": neighbour, "closeness": "" if pd.isna(closeness) else str(closeness),
                         "superseded": superseded})
    return pd.DataFrame(rows, columns=["la_code", "la_name", "rank", "neighbour", "closeness", "superseded"])


def neighbours(authority_code: int | None = None, model: str | None = None) -> pd.DataFrame:
    """The authority's statistical neighbours in a DfE model, closest first: rank, la_code, la_name, closeness.

    Empty when the model gives it none (e.g. Cumberland in the 2021 model, made before it existed).
    """
    code = _authority_code(authority_code)
    _place(code)
    table = _neighbour_model(_model(model))
    found = table[table["la_code"] == code].sort_values("rank")
    names = dict(zip(places()["la_code"], places()["la_name"]))
    return pd.DataFrame({"rank": found["rank"].astype(int).to_numpy(),
                         "la_code": found["neighbour"].astype(int).to_numpy(),
                         "la_name": [names.get(c, "") for c in found["neighbour"]],
                         "closeness": found["closeness"].to_numpy()}, columns=NEIGHBOUR_COLUMNS)


@lru_cache(maxsize=1)
def dictionary() -> pd.DataFrame:
    """The LAIT data dictionary: one row per measure (the first where a measure is listed under two topics)."""
    frame = pd.read_csv(DICTIONARY_FILE)
    frame["Measure_short"] = frame["Measure_short"].astype(str).str.strip()
    return frame.drop_duplicates("Measure_short").set_index("Measure_short", drop=False)


def lait_measures() -> set[str]:
    """Every measure (`Short Desc`) in the LAIT data."""
    with _connect() as con:
        return {r[0] for r in con.execute('SELECT DISTINCT "Short Desc" FROM read_parquet(?)',
                                          [str(LAIT_FILE)]).fetchall()}


def measure_title(measure: str) -> str:
    """The DfE's name for a LAIT measure, from the data dictionary."""
    found = dictionary()
    return str(found.loc[measure, "Measure"]) if measure in found.index else measure


def _mean(values: pd.Series) -> tuple[float, int]:
    known = [float(v) for v in values.dropna()]
    # not rounded: the mean of figures published to 1 decimal place can need 2 (e.g. 79.45)
    return (math.fsum(known) / len(known) if known else math.nan), len(known)


@lru_cache(maxsize=512)
def _published(indicator_id: str, code: int, model: str) -> pd.DataFrame:
    comparable = COMPARABLE.get(indicator_id)
    if comparable is None:
        return pd.DataFrame(columns=PUBLISHED_COLUMNS)
    place = _place(code)
    rows = _measure_rows(comparable.measure)
    wide = rows.pivot(index="year", columns="la_code", values="value")
    symbols = rows[rows["la_code"] == code].set_index("year")["symbol"]
    region = place["region_code"]
    nearby = [c for c in neighbours(code, model)["la_code"] if c in wide.columns]

    def column(c) -> pd.Series:
        return wide[c] if c is not None and not pd.isna(c) and c in wide.columns \
            else pd.Series(math.nan, index=wide.index)

    means = [_mean(wide.loc[year, nearby]) if nearby else (math.nan, 0) for year in wide.index]
    frame = pd.DataFrame({
        "year": wide.index.astype(int), "period": comparable.period,
        "england": column(ENGLAND).to_numpy(), "region": column(region).to_numpy(),
        "region_name": place["region_name"], "authority": column(code).to_numpy(),
        "authority_symbol": symbols.reindex(wide.index).fillna("").to_numpy(),
        "neighbours": [m for m, _ in means], "neighbours_n": [n for _, n in means],
        "note": comparable.note, "measure": comparable.measure})
    published_any = frame[["england", "region", "authority", "neighbours"]].notna().any(axis=1)
    return frame[published_any].sort_values("year").reset_index(drop=True)[PUBLISHED_COLUMNS]


def published(indicator_id: str, authority_code: int | None = None, model: str | None = None) -> pd.DataFrame:
    """Every published year for one indicator: year, period, england, region, region_name, authority,
    authority_symbol ('' or the symbol LAIT gives instead of the authority's figure), neighbours (the
    simple mean of the statistical neighbours' published figures that year, suppressed ones left out),
    neighbours_n (how many it rests on), note, measure.

    `authority_code` None -> the configured authority. Empty when no comparable measure is published.
    """
    return _published(indicator_id, _authority_code(authority_code), _model(model)).copy()


def reference_date(year: int, period: str) -> dt.date:
    """The date a published year refers to: 30 September for the workforce census, else 31 March."""
    return dt.date(int(year), 9, 30) if "September" in period else dt.date(int(year), 3, 31)


def latest_before(indicator_id: str, day: dt.date, authority_code: int | None = None,
                  model: str | None = None) -> pd.Series | None:
    """The latest published year whose reference date (31 March, or 30 September) is on or before `day`."""
    years = published(indicator_id, authority_code, model)
    if years.empty:
        return None
    eligible = years[[reference_date(y, p) <= day for y, p in zip(years["year"], years["period"])]]
    return eligible.iloc[-1] if len(eligible) else None


def neighbour_values(indicator_id: str, year: int, authority_code: int | None = None,
                     model: str | None = None) -> pd.DataFrame:
    """The authority (rank 0) and its statistical neighbours (rank 1-10) for one published year, for the chart:
    la_code, la_name, value, symbol, status, is_authority, rank, and England's figure and the neighbours'
    mean that year (the same on every row). Empty when the indicator has no comparable measure."""
    comparable = COMPARABLE.get(indicator_id)
    if comparable is None:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    code, model = _authority_code(authority_code), _model(model)
    place = _place(code)
    group = pd.concat([pd.DataFrame({"rank": [0], "la_code": [code], "la_name": [place["la_name"]]}),
                       neighbours(code, model)[["rank", "la_code", "la_name"]]], ignore_index=True)
    rows = _measure_rows(comparable.measure)
    rows = rows[rows["year"] == int(year)]
    frame = group.merge(rows[["la_code", "value", "symbol"]], on="la_code", how="left")
    frame["symbol"] = frame["symbol"].fillna("")
    frame["status"] = [status(s, v) for s, v in zip(frame["symbol"], frame["value"])]
    frame["is_authority"] = frame["rank"] == 0
    year_row = published(indicator_id, code, model)
    year_row = year_row[year_row["year"] == int(year)]
    frame["england"] = year_row["england"].iloc[0] if len(year_row) else math.nan
    frame["neighbours_mean"] = year_row["neighbours"].iloc[0] if len(year_row) else math.nan
    return frame[VALUE_COLUMNS].astype({"value": "float64", "rank": int, "la_code": int})


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def comparison(indicator_id: str, local_value: float | None, as_at: dt.date, authority_code: int | None = None,
               model: str | None = None) -> dict:
    """What the overview shows beside one indicator: our latest local value, the published comparators for
    the latest year on or before `as_at`, and the authority's own last published figure.

    Keys: indicator_id, measure, measure_title, note, like_for_like, source, local, authority_code,
    authority_name, neighbour_model, year, period (None when nothing is published by then), england,
    region, region_name, neighbours, neighbours_n, authority (the authority's figure that same year, or
    None), authority_status ('published', 'not published', 'suppressed', ...), authority_last and
    authority_last_year (its latest figure that is a number, which may be older). Missing figures are None.
    """
    code, model = _authority_code(authority_code), _model(model)
    place = _place(code)
    comparable = COMPARABLE.get(indicator_id)
    found = {"indicator_id": indicator_id, "measure": None, "measure_title": None,
             "note": NOT_COMPARABLE.get(indicator_id, "No comparable published measure."), "like_for_like": None,
             "source": SOURCE, "local": _number(local_value), "authority_code": code,
             "authority_name": place["la_name"], "neighbour_model": NEIGHBOUR_MODEL_NAMES[model],
             "year": None, "period": None, "england": None, "region": None, "region_name": place["region_name"],
             "neighbours": None, "neighbours_n": 0, "authority": None, "authority_status": None,
             "authority_last": None, "authority_last_year": None}
    if comparable is None:
        return found
    found.update(measure=comparable.measure, measure_title=measure_title(comparable.measure),
                 note=comparable.note, like_for_like=comparable.like_for_like, period=comparable.period)
    row = latest_before(indicator_id, as_at, code, model)
    if row is None:
        return found
    years = published(indicator_id, code, model)
    known = years[(years["year"] <= row["year"]) & years["authority"].notna()]
    found.update(year=int(row["year"]), england=_number(row["england"]), region=_number(row["region"]),
                 neighbours=_number(row["neighbours"]), neighbours_n=int(row["neighbours_n"]),
                 authority=_number(row["authority"]),
                 authority_status=status(row["authority_symbol"], row["authority"]))
    if len(known):
        found.update(authority_last=_number(known["authority"].iloc[-1]),
                     authority_last_year=int(known["year"].iloc[-1]))
    return found
