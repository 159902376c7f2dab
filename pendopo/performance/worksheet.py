"""Reading an LKE worksheet file (CSV or XLSX): columns `subcomponent`, `weight`, `value`.

One row per sub-component (`1.a`, weight 6, value 0–100). Rows are numbered as the spreadsheet
shows them (the header is row 1); each problem names its row. The table reader (encodings,
semicolons, formula refusal) is the survey importer's, so both files are read the same way.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from pendopo.lib.tables import Formula, ImportFileError, read_table
from pendopo.performance.achievement import AchievementError, to_fraction
from pendopo.performance.scoring import Line, ScoringError

COLUMNS = ("subcomponent", "weight", "value")
ALIASES = {
    "subcomponent": "subcomponent",
    "sub component": "subcomponent",
    "sub-component": "subcomponent",
    "subkomponen": "subcomponent",
    "sub komponen": "subcomponent",
    "weight": "weight",
    "bobot": "weight",
    "value": "value",
    "nilai": "value",
}
MAX_ROWS = 500


def _header(value: Any) -> str:
    return re.sub(r"[\s_]+", " ", str(value if value is not None else "")).strip().lower()


def _number(value: Any) -> Fraction:
    if isinstance(value, Formula):
        raise AchievementError(_("a formula is not accepted"))
    if isinstance(value, float):
        value = repr(value)
    if value is None or value == "":
        raise AchievementError(_("no number given"))
    return to_fraction(value)


def read(data: bytes, filename: str = "") -> list[Line]:
    """The sub-component lines of a worksheet file, or ScoringError listing every problem."""
    try:
        table = list(read_table(data, filename))
    except ImportFileError as exc:
        raise ScoringError([str(exc)]) from None
    except UnicodeDecodeError:
        raise ScoringError([_("This is not a worksheet (CSV or XLSX).")]) from None
    rows = [(number, values) for number, values in table if any(v not in (None, "") for v in values)]
    if not rows:
        raise ScoringError([_("The file is empty.")])
    header = rows[0][1]
    names = [ALIASES.get(_header(value), "") for value in header]
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        raise ScoringError(
            [
                _("This is not a worksheet: its first row must name subcomponent, weight and value (missing: %(columns)s).")
                % {"columns": ", ".join(missing)}
            ]
        )
    if len(rows) - 1 > MAX_ROWS:
        raise ScoringError([_("A worksheet has at most %(count)s rows.") % {"count": MAX_ROWS}])
    index = {name: names.index(name) for name in COLUMNS}
    lines: list[Line] = []
    problems: list[str] = []
    for number, values in rows[1:]:
        cells = {name: values[position] if position < len(values) else None for name, position in index.items()}
        code = str(cells["subcomponent"] or "").strip().lower()
        parsed: dict[str, Fraction] = {}
        for name in ("weight", "value"):
            try:
                parsed[name] = _number(cells[name])
            except AchievementError as exc:
                problems.append(
                    _("Row %(row)s, column %(column)s: %(problem)s.")
                    % {"row": number, "column": name, "problem": str(exc).rstrip(".")}
                )
        if len(parsed) == 2:
            lines.append(Line(code, parsed["weight"], parsed["value"]))
    if problems:
        raise ScoringError(problems)
    return lines
