"""Indonesia's reference areas — provinces, regencies and cities, districts, villages — loaded from the shipped data.

The data is the `idn-area-data` package (see `data/SOURCE.md`), which follows the Minister of Home
Affairs' decree on area codes (Kepmendagri). Each level is one CSV file, gzipped, in `data/`.

`load_areas()` checks all four files completely before it writes anything, then brings the
tables in line with them in one transaction: missing areas are created, areas whose name, parent
or kind changed are updated, and an area the data no longer lists is left in place (regions and
service points may refer to it; removing one is a decision for a person, not a loader).
Running it again on loaded data writes nothing.
"""

from __future__ import annotations

import csv
import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, cast

from django.db import models, transaction
from django.utils.translation import gettext as _

from pendopo.regions.models import District, Province, Regency, Village

DATA_DIR = Path(__file__).resolve().parent / "data"
BATCH_SIZE = 2000
UPDATE_BATCH_SIZE = 500


class AreaDataError(Exception):
    """The area data is missing or malformed; the message names the file and the line."""


@dataclass(frozen=True)
class Level:
    name: str
    model: type[models.Model]
    header: tuple[str, ...]
    code_pattern: re.Pattern[str]
    code_example: str
    # Model fields besides the code, in the order of the parsed values.
    fields: tuple[str, ...]
    kind_of: Callable[[str, str], str | None] | None = None


def _regency_kind(code: str, name: str) -> str | None:
    # Kemendagri names every regency "Kabupaten …" and every city "Kota …"
    # (including Jakarta's "Kabupaten/Kota Administrasi …").
    if name.startswith("Kabupaten "):
        return Regency.Kind.REGENCY
    if name.startswith("Kota "):
        return Regency.Kind.CITY
    return None


def _village_kind(code: str, name: str) -> str | None:
    # The first digit of a village's own four digits: 1 kelurahan, 2 desa (Kepmendagri on area codes);
    # 3 is a desa adat (customary village, UU 6/2014 art. 6), a kind of desa.
    return {"1": Village.Kind.URBAN, "2": Village.Kind.RURAL, "3": Village.Kind.RURAL}.get(code[-4])


LEVELS: tuple[Level, ...] = (
    Level("provinces", Province, ("code", "name"), re.compile(r"[0-9]{2}"), "35", ("name",)),
    Level(
        "regencies",
        Regency,
        ("code", "province_code", "name"),
        re.compile(r"[0-9]{2}\.[0-9]{2}"),
        "35.10",
        ("province", "name", "kind"),
        _regency_kind,
    ),
    Level(
        "districts",
        District,
        ("code", "regency_code", "name"),
        re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}"),
        "35.10.01",
        ("regency", "name"),
    ),
    Level(
        "villages",
        Village,
        ("code", "district_code", "name"),
        re.compile(r"[0-9]{2}\.[0-9]{2}\.[0-9]{2}\.[0-9]{4}"),
        "35.10.01.2001",
        ("district", "name", "kind"),
        _village_kind,
    ),
)

# code -> the values of Level.fields
Rows = dict[str, tuple[str, ...]]


def load_areas(stdout: Any = None, *, data_dir: Path | str | None = None) -> dict[str, int]:
    """Load (or bring up to date) all reference areas; return the number of areas per level in the data.

    `stdout`, if given, receives one line per level saying what changed. `data_dir` replaces the
    shipped data (a directory holding provinces, regencies, districts and villages as `.csv.gz` or
    `.csv`). Raises AreaDataError, naming the file and line, if the data is malformed; then nothing
    is written.
    """
    directory = Path(data_dir) if data_dir is not None else DATA_DIR
    parsed: list[tuple[Level, Rows]] = []
    parents: Rows | None = None
    parent_file = ""
    for level in LEVELS:
        path = _find_file(directory, level)
        rows = read_level(level, path, parents, parent_file)
        parsed.append((level, rows))
        parents, parent_file = rows, path.name

    counts: dict[str, int] = {}
    with transaction.atomic():
        for level, rows in parsed:
            created, updated, extra = _sync(level, rows)
            counts[level.name] = len(rows)
            if stdout is not None:
                line = _("%(level)s: %(count)d (%(created)d new, %(updated)d changed)") % {
                    "level": level.name,
                    "count": len(rows),
                    "created": created,
                    "updated": updated,
                }
                if extra:
                    line += " " + _("— %(extra)d not in the data, left in place") % {"extra": extra}
                stdout.write(line + "\n")
    return counts


def read_level(level: Level, path: Path, parents: Rows | None = None, parent_file: str = "") -> Rows:
    """Parse and check one level's file; `parents` are the rows of the level above (None for provinces)."""
    try:
        with _open_text(path) as handle:
            rows = _parse(level, path.name, csv.reader(handle, strict=True), parents, parent_file)
    except UnicodeDecodeError as exc:
        raise AreaDataError(_("%(file)s is not UTF-8 text.") % {"file": path.name}) from exc
    except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError; EOFError: a truncated gzip file
        raise AreaDataError(_("%(file)s cannot be read (%(error)s).") % {"file": path.name, "error": exc}) from exc
    if not rows:
        raise AreaDataError(_("%(file)s has no areas.") % {"file": path.name})
    return rows


def _parse(level: Level, file_name: str, reader: Any, parents: Rows | None, parent_file: str) -> Rows:
    def fail(problem: str) -> AreaDataError:
        return AreaDataError(
            _("%(file)s, line %(line)d: %(problem)s") % {"file": file_name, "line": reader.line_num, "problem": problem}
        )

    rows: Rows = {}
    first_line: dict[str, int] = {}
    try:
        header = next(reader, None)
        if header is None:
            raise AreaDataError(_("%(file)s is empty.") % {"file": file_name})
        if [column.strip() for column in header] != list(level.header):
            raise fail(
                _("the header is “%(found)s”, expected “%(expected)s”.")
                % {"found": ",".join(header), "expected": ",".join(level.header)}
            )
        for record in reader:
            if not record:
                continue  # a blank line
            code, values = _check_record(level, record, parents, parent_file, fail)
            if code in rows:
                raise fail(
                    _("the code %(code)s appears twice (also on line %(line)d).") % {"code": code, "line": first_line[code]}
                )
            rows[code] = values
            first_line[code] = reader.line_num
    except csv.Error as exc:
        raise fail(_("this is not valid CSV (%(error)s).") % {"error": exc}) from exc
    return rows


def _check_record(
    level: Level, record: list[str], parents: Rows | None, parent_file: str, fail: Callable[[str], AreaDataError]
) -> tuple[str, tuple[str, ...]]:
    if len(record) != len(level.header):
        raise fail(_("expected %(expected)d columns, found %(found)d.") % {"expected": len(level.header), "found": len(record)})
    code, name = record[0], record[-1].strip()
    if not level.code_pattern.fullmatch(code):
        raise fail(_("the code “%(code)s” is not in the form %(example)s.") % {"code": code, "example": level.code_example})
    values: list[str] = []
    if parents is not None:
        parent = record[1]
        if parent != code.rsplit(".", 1)[0]:
            raise fail(_("the code %(code)s does not lie in %(parent)s.") % {"code": code, "parent": parent})
        if parent not in parents:
            raise fail(
                _("%(column)s %(parent)s is not in %(file)s.")
                % {"column": level.header[1], "parent": parent, "file": parent_file}
            )
        values.append(parent)
    max_length = cast("models.Field[Any, Any]", level.model._meta.get_field("name")).max_length or 0
    if not name:
        raise fail(_("the name is empty."))
    if not name.isprintable():
        raise fail(_("the name contains a line break or another control character."))
    if len(name) > max_length:
        raise fail(_("the name is longer than %(max)d characters.") % {"max": max_length})
    values.append(name)
    if level.kind_of is not None:
        kind = level.kind_of(code, name)
        if kind is None:
            raise fail(_("cannot tell the kind of %(code)s %(name)s.") % {"code": code, "name": name})
        values.append(str(kind))
    return code, tuple(values)


def _find_file(directory: Path, level: Level) -> Path:
    for suffix in (".csv.gz", ".csv"):
        path = directory / f"{level.name}{suffix}"
        if path.is_file():
            return path
    raise AreaDataError(_("%(dir)s has no %(file)s.csv.gz or %(file)s.csv.") % {"dir": directory, "file": level.name})


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return gzip.open(path, "rt", encoding="utf-8-sig", newline="")
    return path.open(encoding="utf-8-sig", newline="")


def _sync(level: Level, rows: Rows) -> tuple[int, int, int]:
    """Create the missing areas and update the changed ones; return (created, updated, in the table but not the data)."""
    model = level.model
    attnames = [cast("models.Field[Any, Any]", model._meta.get_field(field)).attname for field in level.fields]
    existing = {code: tuple(values) for code, *values in model._default_manager.values_list("code", *level.fields).iterator(5000)}

    def build(code: str, values: tuple[str, ...]) -> models.Model:
        return model(code=code, **dict(zip(attnames, values, strict=True)))

    missing = [build(code, values) for code, values in rows.items() if code not in existing]
    changed = [build(code, values) for code, values in rows.items() if code in existing and existing[code] != values]
    if missing:
        # A code can only conflict here if another load_areas committed it since our read
        # (e.g. two `pendopo demo` at once on PostgreSQL); the row is then already there.
        model._default_manager.bulk_create(missing, batch_size=BATCH_SIZE, ignore_conflicts=True)
    if changed:
        model._default_manager.bulk_update(changed, list(level.fields), batch_size=UPDATE_BATCH_SIZE)
    return len(missing), len(changed), len(existing.keys() - rows.keys())
