"""LKE worksheet templates, one YAML file per regulation version, checked when loaded."""

from __future__ import annotations

from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from pendopo.performance import scoring

HERE = Path(__file__).parent


@cache
def load(name: str) -> dict[str, Any]:
    """A template by file name; its weights are checked to add up to 100 (ScoringError otherwise)."""
    path = HERE / f"{name}.yaml"
    if path.parent != HERE or not path.is_file():
        raise LookupError(f"No LKE worksheet template {name!r}.")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    lines = [
        scoring.Line(sub["code"], Fraction(str(sub["weight"])), Fraction(0))
        for component in data["components"]
        for sub in component["subcomponents"]
    ]
    scoring.score(lines)  # raises if the weights do not add up to 100 or a code is wrong
    return data
