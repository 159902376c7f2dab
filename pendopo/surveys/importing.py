"""Reading paper-survey spreadsheets (XLSX or CSV): one row per respondent, U1..U9 scored 1–4.

The first row holds the column names: U1..U9 (required) and optionally the profile columns
(sex, age, education, occupation — Indonesian names such as `jenis_kelamin`, `umur`,
`pendidikan`, `pekerjaan` are accepted), a suggestion (`saran`), a survey date (`tanggal`) and
a running number (`no`), which is ignored. Every other column is refused, so a misspelt column
is never silently dropped.

Rows are numbered as the spreadsheet shows them: the header is row 1, the first respondent row 2.
Each problem names its row and column. Spreadsheet formulas are refused (the value a formula
shows is not what the respondent ticked, and a formula can run code when the file is opened
again), as are CSV cells starting with =, +, - or @ that are not plain numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from pendopo.lib.tables import BLANK_MARKS, Formula, ImportFileError, read_table
from pendopo.surveys.choices import PROFILE_WORDS, AgeBand
from pendopo.surveys.ikm import ELEMENTS, MAX_SCORE, MIN_SCORE

MAX_ROWS = 500_000
MAX_PROBLEMS = 1_000  # stop listing after this many; the count of bad rows stays exact
PROGRESS_EVERY = 2_000  # rows read between two progress reports
SUGGESTION_MAX_LENGTH = 2_000

# Accepted column names (normalised: lower case, spaces for underscores) → field.
COLUMN_ALIASES: dict[str, str] = {
    **{code.lower(): code for code in ELEMENTS},
    **dict.fromkeys(["sex", "gender", "jenis kelamin", "jk", "kelamin"], "sex"),
    **dict.fromkeys(["age", "umur", "usia"], "age"),
    **dict.fromkeys(["education", "pendidikan", "pendidikan terakhir"], "education"),
    **dict.fromkeys(["occupation", "pekerjaan", "pekerjaan utama"], "occupation"),
    **dict.fromkeys(["suggestion", "saran", "saran dan masukan", "masukan"], "suggestion"),
    **dict.fromkeys(["date", "tanggal", "tanggal survei"], "date"),
    **dict.fromkeys(["no", "no.", "nomor", "number", "responden", "respondent"], "number"),
}
PROFILE_FIELDS = ("sex", "age", "education", "occupation")


@dataclass(frozen=True)
class Problem:
    """One reason a row (or the whole file, when `row` is None) cannot be imported."""

    row: int | None
    column: str | None
    code: str
    message: str

    def __str__(self) -> str:
        if self.row is None and self.column is None:
            return self.message
        if self.row is None:
            return _("Column %(column)s: %(message)s") % {"column": self.column, "message": self.message}
        if self.column is None:
            return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}
        return _("Row %(row)d, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "message": self.message}


@dataclass(slots=True)
class ParsedRow:
    row: int
    scores: tuple[int, ...]
    sex: str = ""
    age: str = ""
    education: str = ""
    occupation: str = ""
    suggestion: str = ""
    date: dt.date | None = None


@dataclass
class ParseResult:
    rows: list[ParsedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    bad_rows: int = 0
    problem_count: int = 0
    problem_limit: int | None = MAX_PROBLEMS  # None: keep every problem (the downloadable report)

    @property
    def total(self) -> int:
        return len(self.rows) + self.bad_rows

    @property
    def file_error(self) -> bool:
        """A problem with the file itself (nothing at all can be imported)."""
        return any(problem.row is None for problem in self.problems)

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    def add(self, problem: Problem) -> None:
        self.problem_count += 1
        if self.problem_limit is None or len(self.problems) < self.problem_limit or problem.row is None:
            self.problems.append(problem)


def parse(source: IO[bytes] | bytes, filename: str = "") -> ParseResult:
    """Read a CSV or XLSX file of responses; every problem is reported, nothing is raised for bad data."""
    parsing = Parsing(source if isinstance(source, bytes) else source.read(), filename)
    for _count in parsing:
        pass
    return parsing.result


class Parsing:
    """Reading a file step by step: iterate it for the number of rows read so far (0 at the start,
    then every `PROGRESS_EVERY` rows, and once at the end); `result` holds the outcome afterwards
    and `total`, as soon as the file is open, about how many respondent rows it has.

    The import page streams these counts to the browser, so that a file of 100,000 rows shows
    its progress instead of a page that seems to hang.
    """

    def __init__(self, data: bytes, filename: str = "", *, problem_limit: int | None = MAX_PROBLEMS) -> None:
        self.data = data
        self.filename = filename
        self.result = ParseResult(problem_limit=problem_limit)
        self.total: int | None = None

    def _set_total(self, total: int | None) -> None:
        self.total = total

    def __iter__(self) -> Iterator[int]:
        yield 0
        try:
            table = read_table(self.data, self.filename, self._set_total)
            yield from _parse_table(table, self.result)
        except ImportFileError as exc:
            self.result.add(Problem(None, None, "unreadable", str(exc)))
        yield self.result.total


# --- rows ---------------------------------------------------------------------------------------


def _normalise_header(value: Any) -> str:
    return re.sub(r"[\s_]+", " ", str(value if value is not None else "")).strip().lower()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in BLANK_MARKS)


def _parse_table(table: Iterator[tuple[int, list[Any]]], result: ParseResult) -> Iterator[int]:
    header: Header | None = None
    for number, values in table:
        if all(_is_blank(value) for value in values):
            continue
        if header is None:
            header = _parse_header(number, values, result)
            if header is None:
                return
            continue
        if result.total >= MAX_ROWS:
            result.add(
                Problem(None, None, "too_many_rows", _("The file has more than %(max)d rows; split it.") % {"max": MAX_ROWS})
            )
            return
        _parse_row(number, values, header, result)
        if result.total % PROGRESS_EVERY == 0:
            yield result.total
    if header is None:
        result.add(Problem(None, None, "empty", _("The file is empty.")))
    elif result.total == 0:
        result.add(Problem(None, None, "empty", _("The file has column names but no responses.")))


Header = list[tuple[str, str] | None]  # per column: (field, the name the file gives it), or None to skip


def _parse_header(number: int, values: list[Any], result: ParseResult) -> Header | None:
    header: Header = []
    seen: dict[str, str] = {}
    ok = True
    for value in values:
        label = str(value).strip() if value is not None else ""
        if isinstance(value, Formula):
            result.add(Problem(number, label, "formula", _("a column name must not be a formula.")))
            ok = False
            header.append(None)
            continue
        if not label:
            header.append(None)
            continue
        target = COLUMN_ALIASES.get(_normalise_header(label))
        if target is None:
            result.add(
                Problem(
                    None,
                    label,
                    "unknown_column",
                    _("unknown column. Use U1 to U9 and, if you have them, %(optional)s.")
                    % {"optional": "jenis_kelamin, umur, pendidikan, pekerjaan, saran, tanggal"},
                )
            )
            ok = False
            header.append(None)
            continue
        if target in seen and target != "number":
            result.add(Problem(None, label, "duplicate_column", _("the same column appears twice (also as %s).") % seen[target]))
            ok = False
        seen[target] = label
        header.append((target, label))
    missing = [code for code in ELEMENTS if code not in seen]
    if missing:
        result.add(
            Problem(
                None,
                ", ".join(missing),
                "missing_column",
                _("missing column(s); the file needs the nine elements U1 to U9."),
            )
        )
        ok = False
    return header if ok else None


def _parse_row(number: int, values: list[Any], header: Header, result: ParseResult) -> None:
    cells: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for position, column in enumerate(header):
        if column is not None and column[0] != "number":
            cells[column[0]] = values[position] if position < len(values) else None
            labels[column[0]] = column[1]
    errors: list[Problem] = []

    for target, value in cells.items():
        if isinstance(value, Formula):
            errors.append(
                Problem(
                    number,
                    labels[target],
                    "formula",
                    _("formulas are not accepted; type the value itself (a leading =, +, - or @ counts as a formula)."),
                )
            )
    bad = {target for target in cells if isinstance(cells[target], Formula)}

    scores: list[int] = []
    for code in ELEMENTS:
        if code in bad:
            continue
        score = _score(cells.get(code))
        if score is None:
            errors.append(Problem(number, labels[code], "missing_score", _("the score is missing.")))
        elif score is False:
            errors.append(
                Problem(
                    number,
                    labels[code],
                    "score_out_of_range",
                    _("%(value)s is not a score; give a whole number from %(min)d to %(max)d.")
                    % {"value": cells.get(code), "min": MIN_SCORE, "max": MAX_SCORE},
                )
            )
        else:
            scores.append(score)

    row = ParsedRow(number, ())
    for target in PROFILE_FIELDS:
        if target in bad or _is_blank(cells.get(target)):
            continue
        value = _profile(target, cells[target])
        if value is None:
            errors.append(
                Problem(
                    number,
                    labels[target],
                    "unknown_value",
                    _("%(value)s is not one of the accepted answers.") % {"value": cells[target]},
                )
            )
        else:
            setattr(row, target, value)
    if "suggestion" not in bad and not _is_blank(cells.get("suggestion")):
        text = str(cells["suggestion"]).strip()
        if len(text) > SUGGESTION_MAX_LENGTH:
            errors.append(
                Problem(
                    number,
                    labels["suggestion"],
                    "too_long",
                    _("the suggestion is longer than %(max)d characters.") % {"max": SUGGESTION_MAX_LENGTH},
                )
            )
        row.suggestion = text
    if "date" not in bad and not _is_blank(cells.get("date")):
        day = _date(cells["date"])
        if day is None:
            errors.append(
                Problem(
                    number, labels["date"], "bad_date", _("%(value)s is not a date (use YYYY-MM-DD).") % {"value": cells["date"]}
                )
            )
        row.date = day

    if errors:
        result.bad_rows += 1
        for problem in errors:
            result.add(problem)
        return
    row.scores = tuple(scores)
    result.rows.append(row)


# The usual cell values, looked up before any parsing (100,000 rows have 900,000 scores).
_COMMON_SCORES: dict[Any, int] = {
    **{n: n for n in range(MIN_SCORE, MAX_SCORE + 1)},
    **{str(n): n for n in range(MIN_SCORE, MAX_SCORE + 1)},
}


def _score(value: Any) -> int | bool | None:
    """The score in a cell; None when empty, False when it is not a score of 1–4."""
    if type(value) in (int, str, float):  # not bool: True == 1 would find a score
        found = _COMMON_SCORES.get(value)
        if found is not None:
            return found
    if _is_blank(value):
        return None
    if isinstance(value, bool):
        return False
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip().replace(",", ".")
        if re.fullmatch(r"\+?\d+(?:\.0+)?", text):
            value = int(text.lstrip("+").split(".")[0])
    if isinstance(value, int) and MIN_SCORE <= value <= MAX_SCORE:
        return value
    return False


def _profile(target: str, value: Any) -> str | None:
    if target == "age":
        number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
        if isinstance(value, str) and value.strip().isdigit():
            number = int(value.strip())
        if number is not None:
            return AgeBand.of_age(int(number)) if 10 <= number <= 120 else None
    text = re.sub(r"\s+", " ", str(value).strip().lower())
    return PROFILE_WORDS[target].get(text)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()  # noqa: DTZ007 -- a calendar date, no time zone involved
        except ValueError:
            continue
    return None
