"""Data migrations use the historical models (apps.get_model) and no app code, so later changes cannot break them.

(Schema migrations may name a model's callables, such as the default `pendopo.lib.dates.now`: Django
records them so; only the steps that run Python on the data are held to this.)"""

from __future__ import annotations

import ast
import importlib
from decimal import Decimal
from pathlib import Path

import pendopo
from pendopo.lib import crypto

PACKAGE = Path(pendopo.__file__).resolve().parent
# Migrations allowed to import app code: none.
PENDING: set[str] = set()


def _imports_of_app_code(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("pendopo"):
            names.append(node.module or "")
        elif isinstance(node, ast.Import):
            names += [alias.name for alias in node.names if alias.name.startswith("pendopo")]
    return names


def test_no_data_migration_imports_app_code():
    found = {
        str(path.relative_to(PACKAGE)): _imports_of_app_code(path)
        for path in sorted(PACKAGE.glob("*/migrations/0*.py"))
        if str(path.relative_to(PACKAGE)) not in PENDING and "RunPython" in path.read_text(encoding="utf-8")
    }
    assert {name: modules for name, modules in found.items() if modules} == {}


def test_the_surveys_migration_hashes_as_the_app_did():
    migration = importlib.import_module("pendopo.surveys.migrations.0002_responses_keep_a_keyed_hash_of_the_application")
    value = "surveys.application:BWI-2026-0001"
    assert migration._keyed_hash("rahasia", value) == crypto.keyed_hash("rahasia", value)


def test_the_price_flags_migration_reads_the_texts_of_both_languages():
    migration = importlib.import_module("pendopo.prices.migrations.0004_entry_flags_as_facts")
    assert migration.facts_of("+40,0 % against the previous price") == (False, Decimal("40.0"))
    both = "di luar rentang wajar Rp 8.000–30.000; -55,5 % dibanding harga sebelumnya"
    assert migration.facts_of(both) == (True, Decimal("-55.5"))
    assert migration.facts_of("outside the plausible band Rp 8.000–30.000") == (True, None)
    assert migration.facts_of("Demo: +200 % against the previous price") == (False, Decimal("200"))
