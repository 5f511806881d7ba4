"""Words, not codes: the description behind every coded value a person sees.

The code lists are data in codelists/: one `<list>.csv` per list (code,description),
their sources in codelists/sources.toml, and which columns use which list in
codelists/columns.csv. A column is found by table and column (contract names) or by its
bare name as it reaches a screen after the SQL (`category`, `placement_type`, `team`...).

- describe(list, code): one code in words; an unknown code stays visible with a marker,
  a missing one reads "not recorded".
- for_display(frame): coded columns in words, and no null text cell shows as None/nan.
- for_csv(frame): each coded column kept, with a "<column> description" column after it.
- RAW_CODES: codes distinctive enough that seeing one in a page's text means a code
  slipped through untranslated (match them case-sensitively, as whole words).

No streamlit here: screens, downloads and tests all use the same functions.
"""
from __future__ import annotations

import csv
import json
import math
import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pandas as pd

CODELISTS_DIR = Path(__file__).parent / "codelists"
NOT_RECORDED = "not recorded"
UNRECOGNISED = "code not recognised"
DESCRIPTION_SUFFIX = " description"

CODE, JSON_LIST = "code", "json_list"  # formats of a coded column: one code, or a JSON array of codes
MARK, KEEP = "mark", "keep"            # unknown values: marked as not recognised, or kept as they are
                                       # (open lists, e.g. team ids beside the UNALLOCATED stand-in)
_NULL_TEXT = frozenset({"", "none", "nan", "nat", "<na>", "null"})  # text that means no value


@dataclass(frozen=True)
class CodeList:
    name: str
    title: str
    kind: str          # "published" or "local"
    source: str
    codes: dict        # code -> description, in file order

    def __len__(self) -> int:
        return len(self.codes)


@dataclass(frozen=True)
class ColumnRule:
    table: str | None  # None: a bare column name, as it reaches the screen after SQL
    column: str
    list: str
    format: str = CODE
    unknown: str = MARK


def _read_list(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if reader.fieldnames != ["code", "description"]:
            raise ValueError(f"{path.name}: columns must be code,description, not {reader.fieldnames}")
        codes: dict[str, str] = {}
        for row in reader:
            code, description = row["code"].strip(), row["description"].strip()
            if not code or not description:
                raise ValueError(f"{path.name}: empty code or description in {row}")
            if code.casefold() in {c.casefold() for c in codes}:
                raise ValueError(f"{path.name}: code {code!r} listed twice")
            codes[code] = description
    return codes


@lru_cache(maxsize=1)
def code_lists() -> dict[str, CodeList]:
    """Every code list, read once: name -> CodeList (each list file must have a source)."""
    sources = tomllib.loads((CODELISTS_DIR / "sources.toml").read_text(encoding="utf-8"))
    lists = {}
    for path in sorted(CODELISTS_DIR.glob("*.csv")):
        if path.name == "columns.csv":
            continue
        info = sources.get(path.stem)
        if not info or not str(info.get("source", "")).strip():
            raise ValueError(f"code list {path.name} has no source in sources.toml")
        lists[path.stem] = CodeList(path.stem, info.get("title", path.stem), info.get("kind", ""),
                                    info["source"], _read_list(path))
    unused = set(sources) - set(lists)
    if unused:
        raise ValueError(f"sources.toml names lists with no file: {', '.join(sorted(unused))}")
    return lists


@cache
def _lookup_for(name: str) -> dict[str, str]:
    """Case-insensitive lookup: code -> description, and description -> itself (a source that
    already holds the words, as some SSD extracts do, reads unchanged)."""
    codes = code_list(name).codes
    lookup = {d.casefold(): d for d in codes.values()}
    lookup.update({c.casefold(): d for c, d in codes.items()})
    return lookup


def code_list(name: str) -> CodeList:
    try:
        return code_lists()[name]
    except KeyError:
        raise KeyError(f"no code list {name!r}; known: {', '.join(sorted(code_lists()))}") from None


@lru_cache(maxsize=1)
def column_rules() -> tuple[ColumnRule, ...]:
    """codelists/columns.csv as rules, checked against the lists."""
    rules = []
    with (CODELISTS_DIR / "columns.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            rule = ColumnRule(row["table"].strip() or None, row["column"].strip(), row["list"].strip(),
                              row.get("format", "").strip() or CODE, row.get("unknown", "").strip() or MARK)
            code_list(rule.list)
            if rule.format not in (CODE, JSON_LIST) or rule.unknown not in (MARK, KEEP):
                raise ValueError(f"columns.csv: bad format or unknown policy in {row}")
            if any((r.table, r.column) == (rule.table, rule.column) for r in rules):
                raise ValueError(f"columns.csv: {rule.table or ''}.{rule.column} listed twice")
            rules.append(rule)
    return tuple(rules)


@lru_cache(maxsize=1)
def _rules_by_name() -> tuple[dict, dict]:
    qualified = {(r.table, r.column): r for r in column_rules() if r.table}
    bare = {r.column: r for r in column_rules() if not r.table}
    for r in column_rules():  # a contract column name that no bare rule claims is found by name too
        if r.table and r.column not in bare:
            other = next((o for o in column_rules() if o.table and o.column == r.column and o != r), None)
            if other is None or (other.list, other.format, other.unknown) == (r.list, r.format, r.unknown):
                bare[r.column] = r
    return qualified, bare


def rule_for(column: str, table: str | None = None) -> ColumnRule | None:
    """The code list rule of a column: by table and column when the table is given, else by name."""
    qualified, bare = _rules_by_name()
    if table is not None and (table, column) in qualified:
        return qualified[(table, column)]
    return bare.get(column)


def _is_missing(value) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip().casefold() in _NULL_TEXT


def _as_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a referral source read as the number 4.0 is code "4"
    return str(value).strip()


def _describe_code(name: str, value, unknown: str = MARK) -> str:
    if _is_missing(value):
        return NOT_RECORDED
    text = _as_text(value)
    found = _lookup_for(name).get(text.casefold())
    if found is not None:
        return found
    return text if unknown == KEEP else f"{text} ({UNRECOGNISED})"


def describe(list_name: str, code) -> str:
    """One code in words: 'NEG' -> 'Neglect'; unknown 'U9' -> 'U9 (code not recognised)';
    None, NaN or empty -> 'not recorded'. Matching ignores case and surrounding spaces."""
    code_list(list_name)
    return _describe_code(list_name, code)


def _describe_json_list(name: str, value, unknown: str = MARK) -> str:
    """A JSON array of codes ('["early_help","nfa"]') in words, joined with '; '."""
    if _is_missing(value):
        return NOT_RECORDED
    try:
        parsed = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        return _describe_code(name, value, unknown)  # a bare code rather than an array
    if isinstance(parsed, dict):  # the SSD's planned {"1A": "Yes", ...} form
        parsed = [k for k, v in parsed.items() if str(v).strip().casefold() in ("yes", "y", "true", "1")]
    if not isinstance(parsed, (list, tuple)):
        parsed = [parsed]
    words = [_describe_code(name, item, unknown) for item in parsed if not _is_missing(item)]
    return "; ".join(words) if words else NOT_RECORDED


def describe_value(rule: ColumnRule, value) -> str:
    """A cell of a coded column in words, following its rule (format and unknown policy)."""
    if rule.format == JSON_LIST:
        return _describe_json_list(rule.list, value, rule.unknown)
    return _describe_code(rule.list, value, rule.unknown)


def _describe_series(series: pd.Series, rule: ColumnRule) -> pd.Series:
    values = series.astype(object)
    missing = values.map(_is_missing).astype(bool)
    words = {v: describe_value(rule, v) for v in pd.unique(values[~missing])}
    out = values.map(lambda v: NOT_RECORDED if _is_missing(v) else words[v])
    return out.astype(object)


def _is_text(series: pd.Series) -> bool:
    """A column of words: text dtypes, or objects whose present values are all text (not numbers or dates
    held as objects, which would turn into a mixed column no table can draw)."""
    if isinstance(series.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(series.dtype) \
            and series.dtype != object:
        return True
    if series.dtype != object:
        return False
    present = series[~series.map(_is_missing).astype(bool)]
    return bool(present.map(lambda v: isinstance(v, str)).all())


def _fill_text(series: pd.Series) -> pd.Series:
    values = series.astype(object)
    return values.mask(values.map(_is_missing).astype(bool), NOT_RECORDED)


def for_display(frame: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
    """A copy for the screen: every coded column in words, every missing text cell 'not recorded'.

    Numeric and date columns are left as they are (a chart or number format handles them).
    """
    parts = []
    for i, name in enumerate(frame.columns):
        series = frame.iloc[:, i]
        rule = rule_for(str(name), table)
        if rule is not None:
            series = _describe_series(series, rule)
        elif _is_text(series):
            series = _fill_text(series)
        parts.append(series)
    return _assemble(frame, parts, list(frame.columns))


def for_csv(frame: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
    """A copy for download: each coded column kept as it is, with '<column> description' after it."""
    parts, names = [], []
    for i, name in enumerate(frame.columns):
        series = frame.iloc[:, i]
        parts.append(series)
        names.append(name)
        rule = rule_for(str(name), table)
        label = f"{name}{DESCRIPTION_SUFFIX}"
        if rule is not None and label not in frame.columns:
            parts.append(_describe_series(series, rule))
            names.append(label)
    return _assemble(frame, parts, names)


def _assemble(frame: pd.DataFrame, parts: list[pd.Series], names: list) -> pd.DataFrame:
    """Columns side by side under `names`, on the frame's own index (duplicates and all)."""
    if not parts:
        return frame.copy()
    out = pd.concat([p.reset_index(drop=True) for p in parts], axis=1, ignore_index=True)
    out.columns = names
    out.index = frame.index
    return out


# Codes that are also everyday words or abbreviations people write in prose: seeing them
# on a page proves nothing, so they are not part of RAW_CODES.
_NOT_DISTINCTIVE = frozenset({"YES", "NO", "BOTH", "MOTH", "DIED", "CHILD", "CLOSE", "STAND", "PLACE",
                              "OTHER", "CASELOAD", "CIN", "CP", "CLA", "A3", "A4"})


def _distinctive(code: str) -> bool:
    if code in _NOT_DISTINCTIVE:
        return False
    if "_" in code:                                    # requires_improvement, dip_sample, UNALLOCATED...
        return True
    if re.fullmatch(r"[A-Z0-9]{2,6}", code) and re.search(r"[A-Z]", code) and re.search(r"\d", code):
        return True                                    # U3, PR1, E4A, RC8, 1A...
    return bool(re.fullmatch(r"[A-Z]{3,}", code))      # EMO, NEG, CARPL, WBRI, UNKNOWN...


def _raw_codes() -> frozenset[str]:
    return frozenset(code for lst in code_lists().values() for code in lst.codes if _distinctive(code))


RAW_CODES: frozenset[str] = _raw_codes()
