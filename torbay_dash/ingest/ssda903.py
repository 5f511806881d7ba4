"""Read a DfE SSDA903 (children looked after) return into the data contract's tables.

How every contract column is derived is data, in ssda903_mapping.csv (shown on the
Definitions page), so an analyst can check the mapping without reading this code.

Values stay text as they appear in the return (codes as given, dates DD/MM/YYYY): the
project's validator reads them and reports an unreadable value by row. Tables that map one
to one from a 903 file (episodes, legal status, reviews, missing) keep that file's rows in
order, so the validator's row numbers are the CSV's data rows. Identifying columns (UPN,
the child's home postcode, the mother's details, repeated dates of birth) are read, dropped
and reported, never passed on.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from .. import contract
from ..codes import code_list
from ..validation import FOLDER, Problem

MAPPING_CSV = Path(__file__).with_name("ssda903_mapping.csv")
MAPPING_COLUMNS = ["target_table", "target_column", "source_file", "source_column", "rule", "note"]
ROW_EXAMPLES = 5

# The 903 files this reader knows, by lower-case file stem, and the contract table each feeds
# (None: read for checks only, or listed as ignored with the reason).
FILE_TABLES = {
    "header": "ssd_person",
    "episodes": "ssd_cla_episodes",
    "reviews": "ssd_cla_reviews",
    "missing": "ssd_missing",
    "oc2": "ssd_cla_health",
    "oc3": "ssd_care_leavers",
    "ad1": "ssd_permanence",
    "placed_for_adoption": "ssd_permanence",
    "sw_episodes": "ssd_involvements",
    "uasc": None,
    "previous_permanence": None,
}
NOT_MAPPED = {
    "uasc": "unaccompanied asylum-seeking status: no contract table holds it",
    "previous_permanence": "permanence before entering care: no contract column holds it",
}
# Columns that identify a child (or their mother): read, dropped, reported. DOB is kept only
# from header.csv (ssd_person.pers_dob); the copies in other files are dropped.
IDENTIFYING = ("UPN", "HOME_POST", "MOTHER", "MC_DOB", "DOB")
KEPT_IDENTIFYING = {"header": {"DOB"}}

# 903 columns each file needs; an absent one is reported and read as empty.
NEEDED = {
    "header": ("CHILD", "SEX", "DOB", "ETHNIC"),
    "episodes": ("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC",
                 "REASON_PLACE_CHANGE", "PL_POST", "URN"),
    "reviews": ("CHILD", "REVIEW"),
    "missing": ("CHILD", "MISSING", "MIS_START", "MIS_END"),
    "oc2": ("CHILD", "HEALTH_ASSESSMENT", "TEETH_CHECK"),
    "oc3": ("CHILD", "IN_TOUCH", "ACTIV", "ACCOM"),
    "ad1": ("CHILD", "DATE_INT", "DATE_MATCH"),
    "placed_for_adoption": ("CHILD", "DATE_PLACED", "DATE_PLACED_CEASED"),
    "sw_episodes": ("CHILD", "SW_ID", "SW_DECOM", "SW_DEC"),
}

# 903 codes checked against the project's code lists (torbay_dash/codelists, the 903 code sets).
CODE_CHECKS = {
    "header": {"ETHNIC": "ethnicity"},
    "episodes": {"RNE": "episode_start_reason", "LS": "legal_status", "CIN": "cin_primary_need",
                 "PLACE": "placement_type", "PLACE_PROVIDER": "placement_provider",
                 "REC": "episode_ceased_reason", "REASON_PLACE_CHANGE": "placement_change_reason"},
    "missing": {"MISSING": "missing_type"},
    "oc3": {"IN_TOUCH": "care_leaver_in_touch", "ACTIV": "care_leaver_activity"},
}
SEX_CODES = {"1": "M", "2": "F"}            # 903 SEX: 1 male, 2 female
PLACEMENT_KEEPING_RNE = {"L"}               # RNE L: legal status changed only, same placement
PLACEMENT_DETAILS = ("PLACE", "PLACE_PROVIDER", "URN", "PL_POST")
ADOPTION_RECS = {"E11", "E12"}
PERMANENCE_ORDER_TYPES = {
    "E11": "Adoption", "E12": "Adoption",
    "E43": "Special Guardianship Order", "E44": "Special Guardianship Order",
    "E45": "Special Guardianship Order", "E46": "Special Guardianship Order",
    "E47": "Special Guardianship Order", "E48": "Special Guardianship Order",
    "E41": "Child Arrangements Order",
}
PLACED_FOR_ADOPTION_TYPES = {"A3", "A4", "A5", "A6"}
PLACEMENT_ORDER_LS = "E1"
HEALTH_CHECKS = (("HEALTH_ASSESSMENT", "Health Assessment", "HA"), ("TEETH_CHECK", "Dental Check", "DC"))
HEALTH_STATUS = {"1": "Completed", "0": "Not Completed"}   # OC2: 1 up to date in the year, 0 not
ACCOM_SUITABLE = {"1": "Y", "2": "N"}                      # OC3 ACCOM second character
NULL_TEXT = {"", "NULL"}

UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")

Row = dict[str, "str | None"]


@dataclass
class Read903:
    tables: dict[str, pd.DataFrame]   # contract table -> every contract column, in contract order (text)
    problems: list[Problem]           # problems of the return itself
    dropped: dict[str, list[str]]     # source file -> identifying columns read and dropped
    ignored: list[str]                # files present but not mapped, with why, and unknown files


def looks_like_ssda903(folder: Path) -> bool:
    """A folder holding header.csv and episodes.csv (any case): the two files every 903 return has."""
    folder = Path(folder)
    if not folder.is_dir():
        return False
    names = {p.name.lower() for p in folder.iterdir() if p.is_file()}
    return {"header.csv", "episodes.csv"} <= names


def mapping_frame() -> pd.DataFrame:
    """The mapping of every contract column from the 903, as shipped in ssda903_mapping.csv."""
    with MAPPING_CSV.open(encoding="utf-8", newline="") as handle:
        frame = pd.DataFrame(list(csv.DictReader(handle)), columns=MAPPING_COLUMNS)
    return frame.fillna("")


def unfilled_tables() -> list[str]:
    """Contract tables an SSDA903 return cannot fill: their indicators read as unavailable."""
    filled = set(mapping_frame()["target_table"])
    return [name for name in contract.TABLES if name not in filled]


# ---------------------------------------------------------------- reading

def _decode(raw: bytes) -> str:
    """UTF-8 (with or without a byte-order mark), else Windows-1252 as spreadsheets save it."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _clean(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return None if text.upper() in NULL_TEXT else text


def _read_rows(path: Path) -> tuple[list[str], list[Row]]:
    """Column names (stripped, upper case) and rows as text, '' and NULL read as missing."""
    text = _decode(path.read_bytes())
    if not text.strip():
        return [], []
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    columns = [str(c).strip().lstrip("\ufeff").strip().upper() for c in frame.columns]
    rows = [{col: _clean(value) for col, value in zip(columns, values)}
            for values in frame.itertuples(index=False, name=None)]
    return columns, rows


def _parse_date(text: str | None) -> dt.date | None:
    """A DD/MM/YYYY (or ISO) date as the 903 writes it; None if absent or unreadable."""
    if not text:
        return None
    match = UK_DATE.match(text)
    try:
        if match:
            day, month, year = map(int, match.groups())
            return dt.date(year, month, day)
        match = ISO_DATE.match(text)
        if match:
            year, month, day = map(int, match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def return_year_end(as_at: dt.date) -> dt.date:
    """The 31 March ending the collection year the return covers: the latest on or before as_at."""
    end = dt.date(as_at.year, 3, 31)
    return end if end <= as_at else dt.date(as_at.year - 1, 3, 31)


def _uk(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _key(child: str | None, day: dt.date | None, row: int, suffix: str = "") -> str:
    """A stable id: <CHILD>-<yyyy-mm-dd>, or the file row where the date cannot be read."""
    base = f"{child}-{day.isoformat()}" if child and day else f"{child or 'unknown'}-row{row}"
    return base + suffix


class _Findings:
    """Problems of the return, collected by (file, table, column, message) with their rows."""

    def __init__(self):
        self._rows: dict[tuple, list[int]] = {}

    def add(self, file: str, table: str, column: str | None, message: str, row: int | None = None):
        rows = self._rows.setdefault((file, table, column, message), [])
        if row is not None:
            rows.append(row)

    def problems(self) -> list[Problem]:
        found = []
        for (file, table, column, message), rows in self._rows.items():
            rows = sorted(set(rows))
            found.append(Problem("warning", file, table, column, message, rows[:ROW_EXAMPLES], len(rows)))
        return found


@dataclass
class _Source:
    file: str          # the file's name as found
    columns: list[str]
    rows: list[Row]


# ---------------------------------------------------------------- episodes: periods and placements

@dataclass
class _Episode:
    row: int                     # 1-based data row in episodes.csv
    values: Row
    start: dt.date | None
    end: dt.date | None
    episode_id: str = ""
    period_id: str | None = None
    entered_care: str | None = None
    placement_id: str | None = None

    @property
    def child(self) -> str | None:
        return self.values.get("CHILD")


@dataclass
class _Period:
    period_id: str
    child: str
    start: dt.date
    end: dt.date | None = None


def _episode_chain(episodes: list[_Episode], findings: _Findings, file: str) -> tuple[list[dict], list[_Period]]:
    """Give each episode its period of care and placement; return the placements and periods.

    A period of care starts at a child's first episode, at RNE 'S', or where the previous
    episode did not end on the day this one starts (a gap, or an open episode followed by
    another). A placement is a run of episodes in one period with the same PLACE,
    PLACE_PROVIDER, URN and PL_POST; any RNE but 'L' (legal status only) starts a new one.
    Episodes with no CHILD or no readable DECOM take no part (the validator leaves them out).
    """
    table = "ssd_cla_episodes"
    chained = sorted((e for e in episodes if e.child and e.start), key=lambda e: (e.child, e.start, e.row))
    placements: list[dict] = []
    periods: list[_Period] = []
    previous: _Episode | None = None
    current: dict | None = None
    for episode in chained:
        values = episode.values
        rne = values.get("RNE")
        same_child = previous is not None and previous.child == episode.child
        if same_child and previous.start == episode.start:
            findings.add(file, table, "DECOM", "two episodes of a child start on the same day", episode.row)
        follows_on = same_child and previous.end is not None and previous.end == episode.start
        if not follows_on or rne == "S":
            if same_child and rne != "S":
                findings.add(file, table, "RNE", "episode does not follow on from the previous one (it ended on "
                             "another day or not at all) but RNE is not 'S': a new period of care is started",
                             episode.row)
            if follows_on and rne == "S":
                findings.add(file, table, "RNE", "RNE 'S' though the previous episode ended the day this one "
                             "starts: a new period of care is started", episode.row)
            periods.append(_Period(_key(episode.child, episode.start, episode.row), episode.child, episode.start))
            current = None
        period = periods[-1]
        period.end = episode.end
        episode.period_id = period.period_id
        episode.entered_care = _uk(period.start)
        details = tuple(values.get(c) for c in PLACEMENT_DETAILS)
        same_details = current is not None and current["_details"] == details
        if current is None or rne not in PLACEMENT_KEEPING_RNE or not same_details:
            if current is not None and rne in PLACEMENT_KEEPING_RNE:
                findings.add(file, table, "RNE", "RNE 'L' (legal status change only) but the placement details "
                             "changed: a new placement is started", episode.row)
            current = {"clap_cla_placement_id": _key(episode.child, episode.start, episode.row),
                       "clap_cla_id": period.period_id, "clap_person_id": episode.child,
                       "clap_cla_placement_start_date": values.get("DECOM"),
                       "clap_cla_placement_type": values.get("PLACE"),
                       "clap_cla_placement_provider": values.get("PLACE_PROVIDER"),
                       "clap_cla_placement_postcode": values.get("PL_POST"),
                       "clap_cla_placement_distance": None, "_details": details}
            placements.append(current)
        current["clap_cla_placement_end_date"] = values.get("DEC")
        current["clap_cla_placement_change_reason"] = values.get("REASON_PLACE_CHANGE")
        episode.placement_id = current["clap_cla_placement_id"]
        previous = episode
    return placements, periods


def _period_open_on(periods: list[_Period], day: dt.date | None) -> str | None:
    """The latest-starting period of care open on a day (start <= day <= end, or no end)."""
    if day is None:
        return None
    open_then = [p for p in periods if p.start <= day and (p.end is None or day <= p.end)]
    return max(open_then, key=lambda p: p.start).period_id if open_then else None


# ---------------------------------------------------------------- the reader

def _frame(table: str, records: list[dict]) -> pd.DataFrame:
    """Every contract column of a table, in contract order, as text (None where empty)."""
    columns = contract.TABLES[table].column_names
    return pd.DataFrame({c: pd.Series([r.get(c) for r in records], dtype="str") for c in columns},
                        columns=columns)


def _find_files(folder: Path, ignored: list[str]) -> dict[str, Path]:
    """Known 903 files by lower-case stem; everything else is listed as ignored."""
    found: dict[str, Path] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        stem = path.stem.strip().lower()
        if path.suffix.lower() != ".csv" or stem not in FILE_TABLES:
            ignored.append(f"{path.name}: not a file of the SSDA903 return")
        elif stem in found:
            ignored.append(f"{path.name}: a second copy of {found[stem].name}")
        else:
            found[stem] = path
    return found


def _load(stem: str, path: Path, findings: _Findings, dropped: dict[str, list[str]]) -> _Source:
    table = FILE_TABLES[stem] or FOLDER
    columns, rows = _read_rows(path)
    if not columns:
        findings.add(path.name, table, None, "file is empty (no header line)")
    for column in NEEDED.get(stem, ()):
        if columns and column not in columns:
            findings.add(path.name, table, column, f"column {column} is missing from the file; read as empty")
    identifying = [c for c in columns if c in IDENTIFYING and c not in KEPT_IDENTIFYING.get(stem, set())]
    if identifying:
        dropped[path.name] = identifying
        for row in rows:
            for column in identifying:
                row.pop(column, None)
    return _Source(path.name, columns, rows)


def _check_codes(source: _Source, stem: str, findings: _Findings):
    table = FILE_TABLES[stem]
    for column, list_name in CODE_CHECKS.get(stem, {}).items():
        allowed = set(code_list(list_name).codes)
        bad = [(n, row[column]) for n, row in enumerate(source.rows, 1)
               if row.get(column) is not None and row[column] not in allowed]
        _report_codes(findings, source.file, table, column, bad)


def _report_codes(findings: _Findings, file: str, table: str, column: str, bad: list[tuple[int, str]]):
    """One problem per column naming up to five of the codes that are not in the 903 list."""
    if not bad:
        return
    codes = sorted({code for _, code in bad})
    shown = ", ".join(f"'{c}'" for c in codes[:ROW_EXAMPLES]) + (", ..." if len(codes) > ROW_EXAMPLES else "")
    message = f"{column} code not in the 903 list ({shown})"
    for row, _ in bad:
        findings.add(file, table, column, message, row)


def _check_children(source: _Source, stem: str, known: set[str] | None, findings: _Findings):
    table = FILE_TABLES[stem] or FOLDER
    for n, row in enumerate(source.rows, 1):
        child = row.get("CHILD")
        if child is None:
            findings.add(source.file, table, "CHILD", "row has no CHILD id", n)
        elif known is not None and child not in known:
            findings.add(source.file, table, "CHILD", "CHILD not in header.csv", n)


def read_ssda903(folder: Path, as_at: dt.date) -> Read903:
    """Read a 903 return folder into contract tables, with the return's own problems."""
    folder = Path(folder)
    findings = _Findings()
    dropped: dict[str, list[str]] = {}
    ignored: list[str] = []
    files = _find_files(folder, ignored)
    sources = {stem: _load(stem, path, findings, dropped) for stem, path in files.items()}
    for stem, why in NOT_MAPPED.items():
        if stem in sources:
            ignored.append(f"{sources[stem].file}: {why}")
    for stem, source in sources.items():
        _check_codes(source, stem, findings)

    tables: dict[str, pd.DataFrame] = {}
    known_children = None
    if "header" in sources:
        tables["ssd_person"] = _frame("ssd_person", _person(sources["header"], findings))
        known_children = {row["CHILD"] for row in sources["header"].rows if row.get("CHILD")}
    for stem, source in sources.items():
        if FILE_TABLES[stem] is not None:
            _check_children(source, stem, known_children, findings)

    periods_by_child: dict[str, list[_Period]] = {}
    episodes: list[_Episode] = []
    if "episodes" in sources:
        source = sources["episodes"]
        episodes = [_Episode(n, row, _parse_date(row.get("DECOM")), _parse_date(row.get("DEC")))
                    for n, row in enumerate(source.rows, 1)]
        for episode in episodes:
            episode.episode_id = _key(episode.child, episode.start, episode.row)
            if episode.values.get("DECOM") is None:
                findings.add(source.file, "ssd_cla_episodes", "DECOM", "episode has no start date (DECOM)",
                             episode.row)
        placements, periods = _episode_chain(episodes, findings, source.file)
        for period in periods:
            periods_by_child.setdefault(period.child, []).append(period)
        tables["ssd_cla_episodes"] = _frame("ssd_cla_episodes", [_episode_record(e) for e in episodes])
        tables["ssd_cla_placement"] = _frame("ssd_cla_placement", placements)
        tables["ssd_legal_status"] = _frame("ssd_legal_status", [
            {"lega_legal_status_id": e.episode_id, "lega_person_id": e.child,
             "lega_legal_status": e.values.get("LS"), "lega_legal_status_start_date": e.values.get("DECOM"),
             "lega_legal_status_end_date": e.values.get("DEC")} for e in episodes])
        tables["ssd_permanence"] = _frame("ssd_permanence", _permanence(episodes, sources, periods_by_child,
                                                                        findings))
    if "reviews" in sources:
        tables["ssd_cla_reviews"] = _frame("ssd_cla_reviews", _reviews(sources["reviews"], periods_by_child,
                                                                       findings))
    if "missing" in sources:
        tables["ssd_missing"] = _frame("ssd_missing", [
            {"miss_table_id": _key(row.get("CHILD"), _parse_date(row.get("MIS_START")), n),
             "miss_person_id": row.get("CHILD"), "miss_missing_episode_start_date": row.get("MIS_START"),
             "miss_missing_episode_end_date": row.get("MIS_END"),
             "miss_missing_episode_type": row.get("MISSING")}
            for n, row in enumerate(sources["missing"].rows, 1)])
    if "oc2" in sources:
        tables["ssd_cla_health"] = _frame("ssd_cla_health", _health(sources["oc2"], as_at, findings))
    if "oc3" in sources:
        tables["ssd_care_leavers"] = _frame("ssd_care_leavers", _care_leavers(sources["oc3"], findings))
    looked_after = {e.child for e in episodes if e.child}
    sw_children = {row.get("CHILD") for row in sources["sw_episodes"].rows} if "sw_episodes" in sources else set()
    if "sw_episodes" in sources and not sw_children & looked_after:
        # Social workers for none of the return's children: a table of allocations that would say every
        # child is unallocated, and that none had 3 or more workers. Absent is honest: unavailable.
        ignored.append(f"{sources['sw_episodes'].file}: holds no child with an episode in this return; "
                       "not used, so allocation figures say unavailable rather than 0")
    elif "sw_episodes" in sources:
        tables["ssd_involvements"] = _frame("ssd_involvements", [
            {"invo_involvements_id": _key(row.get("CHILD"), _parse_date(row.get("SW_DECOM")), n,
                                          f"-{row.get('SW_ID') or 'unknown'}"),
             "invo_professional_id": row.get("SW_ID"), "invo_professional_role_id": contract.ALLOCATED_SW,
             "invo_person_id": row.get("CHILD"), "invo_involvement_start_date": row.get("SW_DECOM"),
             "invo_involvement_end_date": row.get("SW_DEC")}
            for n, row in enumerate(sources["sw_episodes"].rows, 1)])
    tables = {name: tables[name] for name in contract.TABLES if name in tables}
    return Read903(tables, findings.problems(), dropped, ignored)


def _person(source: _Source, findings: _Findings) -> list[dict]:
    records = []
    for n, row in enumerate(source.rows, 1):
        sex = row.get("SEX")
        if sex is not None and sex not in SEX_CODES:
            findings.add(source.file, "ssd_person", "SEX", "SEX code not in the 903 list (1 male, 2 female)", n)
        records.append({"pers_person_id": row.get("CHILD"), "pers_sex": SEX_CODES.get(sex, sex),
                        "pers_ethnicity": row.get("ETHNIC"), "pers_dob": row.get("DOB"), "pers_death_date": None})
    return records


def _episode_record(episode: _Episode) -> dict:
    values = episode.values
    return {"clae_cla_episode_id": episode.episode_id, "clae_person_id": episode.child,
            "clae_cla_id": episode.period_id, "clae_cla_placement_id": episode.placement_id,
            "clae_cla_episode_start_date": values.get("DECOM"), "clae_cla_episode_start_reason": values.get("RNE"),
            "clae_cla_primary_need_code": values.get("CIN"), "clae_cla_episode_ceased_date": values.get("DEC"),
            "clae_cla_episode_ceased_reason": values.get("REC"), "clae_entered_care_date": episode.entered_care,
            "clae_referral_id": None}


def _reviews(source: _Source, periods_by_child: dict[str, list[_Period]], findings: _Findings) -> list[dict]:
    records = []
    for n, row in enumerate(source.rows, 1):
        child, day = row.get("CHILD"), _parse_date(row.get("REVIEW"))
        periods = periods_by_child.get(child, [])
        period_id = _period_open_on(periods, day)
        if child and not periods:
            findings.add(source.file, "ssd_cla_reviews", "CHILD", "review of a child with no episode", n)
        elif child and day and period_id is None:
            findings.add(source.file, "ssd_cla_reviews", "REVIEW",
                         "review date is outside every period of care of the child", n)
        records.append({"clar_cla_review_id": _key(child, day, n), "clar_cla_id": period_id,
                        "clar_cla_review_due_date": None, "clar_cla_review_date": row.get("REVIEW"),
                        "clar_cla_review_cancelled": "N"})
    return records


def _health(source: _Source, as_at: dt.date, findings: _Findings) -> list[dict]:
    dated = _uk(return_year_end(as_at))
    records = []
    for n, row in enumerate(source.rows, 1):
        child = row.get("CHILD")
        for column, check, suffix in HEALTH_CHECKS:
            value = row.get(column)
            if value is None:
                continue
            if value not in HEALTH_STATUS:
                findings.add(source.file, "ssd_cla_health", column, f"{column} is not 1 or 0", n)
                continue
            records.append({"clah_health_check_id": f"{child or f'row{n}'}-{suffix}",
                            "clah_person_id": child, "clah_health_check_type": check,
                            "clah_health_check_date": dated, "clah_health_check_status": HEALTH_STATUS[value]})
    return records


def _care_leavers(source: _Source, findings: _Findings) -> list[dict]:
    letters = set(code_list("care_leaver_accommodation").codes)
    records = []
    for n, row in enumerate(source.rows, 1):
        accom = row.get("ACCOM")
        accommodation, suitable = accom, None
        if accom is not None:
            if len(accom) == 2 and accom[0] in letters and accom[1] in ACCOM_SUITABLE:
                accommodation, suitable = accom[0], ACCOM_SUITABLE[accom[1]]
            else:
                findings.add(source.file, "ssd_care_leavers", "ACCOM", "ACCOM code not in the 903 list (a letter "
                             "for the accommodation, then 1 suitable or 2 not suitable)", n)
        child = row.get("CHILD")
        records.append({"clea_table_id": child or f"row{n}", "clea_person_id": child,
                        "clea_care_leaver_in_touch": row.get("IN_TOUCH"),
                        "clea_care_leaver_accommodation": accommodation, "clea_care_leaver_accom_suitable": suitable,
                        "clea_care_leaver_activity": row.get("ACTIV")})
    return records


def _permanence(episodes: list[_Episode], sources: dict[str, _Source], periods_by_child: dict[str, list[_Period]],
                findings: _Findings) -> list[dict]:
    """Permanence orders from episodes ending in one (REC), with adoption dates from AD1 and the
    should-be-placed decisions still standing; see ssda903_mapping.csv for each column."""
    by_period: dict[str, list[_Episode]] = {}
    for episode in episodes:
        if episode.period_id:
            by_period.setdefault(episode.period_id, []).append(episode)
    records: list[dict] = []
    for episode in episodes:
        order_type = PERMANENCE_ORDER_TYPES.get(episode.values.get("REC") or "")
        if not order_type or not episode.period_id:
            continue
        in_period = sorted(by_period[episode.period_id], key=lambda e: (e.start, e.row))
        record = {"perm_table_id": episode.episode_id, "perm_person_id": episode.child,
                  "perm_cla_id": episode.period_id, "perm_permanence_order_date": episode.values.get("DEC"),
                  "perm_permanence_order_type": order_type}
        if order_type == "Adoption":
            placement_order = next((e for e in in_period if e.values.get("LS") == PLACEMENT_ORDER_LS), None)
            placed = next((e for e in in_period if e.values.get("PLACE") in PLACED_FOR_ADOPTION_TYPES), None)
            record["perm_placement_order_date"] = placement_order.values.get("DECOM") if placement_order else None
            record["perm_placed_for_adoption_date"] = placed.values.get("DECOM") if placed else None
        records.append(record)

    def adoption_record(child: str) -> dict | None:
        """The child's latest adoption row (by order date), where the extra adoption dates belong."""
        adoptions = [r for r in records if r["perm_person_id"] == child and
                     r.get("perm_permanence_order_type", "Adoption") == "Adoption"]
        return max(adoptions, key=lambda r: _parse_date(r.get("perm_permanence_order_date")) or dt.date.min,
                   default=None)

    if "ad1" in sources:
        source = sources["ad1"]
        for n, row in enumerate(source.rows, 1):
            child = row.get("CHILD")
            if not child:
                continue
            record = adoption_record(child)
            if record is None or record.get("perm_permanence_order_type") is None:
                findings.add(source.file, "ssd_permanence", "CHILD",
                             "adoption details (AD1) for a child with no episode ending in adoption (E11 or E12)", n)
                if record is None:
                    decided = _parse_date(row.get("DATE_INT"))
                    record = {"perm_table_id": _key(child, decided, n, "-AD1"), "perm_person_id": child,
                              "perm_cla_id": _period_open_on(periods_by_child.get(child, []), decided)}
                    records.append(record)
            record["perm_adm_decision_date"] = row.get("DATE_INT")
            record["perm_matched_date"] = row.get("DATE_MATCH")
    if "placed_for_adoption" in sources:
        source = sources["placed_for_adoption"]
        for n, row in enumerate(source.rows, 1):
            child = row.get("CHILD")
            if not child or row.get("DATE_PLACED_CEASED") is not None:
                continue  # a decision since reversed: the contract has no column for it
            record = adoption_record(child)
            if record is None:
                decided = _parse_date(row.get("DATE_PLACED"))
                record = {"perm_table_id": _key(child, decided, n, "-PA"), "perm_person_id": child,
                          "perm_cla_id": _period_open_on(periods_by_child.get(child, []), decided)}
                records.append(record)
            if not record.get("perm_adm_decision_date"):
                record["perm_adm_decision_date"] = row.get("DATE_PLACED")
    return records
