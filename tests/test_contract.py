"""The contract in code matches spec/DATA_CONTRACT.md; registered ids are the handbook's ids."""
import re

import pytest

from conftest import SHARED
from torbay_dash import contract
from torbay_dash.indicators import REGISTRY

SPEC = SHARED / "spec"
needs_spec = pytest.mark.skipif(not SPEC.is_dir(), reason="../shared/spec is not beside this checkout")


def _spec_tables() -> dict[str, list[str]]:
    tables = {}
    for line in (SPEC / "DATA_CONTRACT.md").read_text().splitlines():
        match = re.match(r"\|\s*`(\w+)`\s*\|(.*)\|\s*$", line)
        if not match:
            continue
        text = match.group(2).replace("*ext*", "")
        while re.search(r"\([^()]*\)", text):
            text = re.sub(r"\([^()]*\)", "", text)
        tables[match.group(1)] = [c.strip().split()[0] for c in text.split(",") if c.strip()]
    return tables


@needs_spec
def test_every_contract_table_and_column_is_declared():
    spec = _spec_tables()
    assert len(spec) == 30
    assert set(spec) == set(contract.TABLES)
    for name, columns in spec.items():
        assert contract.TABLES[name].column_names == columns, name


@needs_spec
def test_registered_ids_are_the_handbooks():
    text = (SPEC / "INDICATORS.md").read_text()
    handbook_ids = set(re.findall(r"^\|\s*`(\w+)`", text, flags=re.M))
    handbook_ids |= set(re.findall(r"`(sw_starters)`, `(sw_leavers)`", text)[0])
    assert set(REGISTRY) <= handbook_ids


def test_every_key_is_a_column_and_every_type_is_known():
    for table in contract.TABLES.values():
        assert table.key in table.column_names
        assert table.key == table.column_names[0]
        for col in table.columns:
            assert col.type in contract.DUCKDB_TYPE, (table.name, col.name)


def test_indicator_tables_exist_in_the_contract():
    for indicator in REGISTRY.values():
        assert set(indicator.tables) <= set(contract.TABLES), indicator.id
