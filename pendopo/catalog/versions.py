"""A canonical text of each component of a standard, and the differences between two versions."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pendopo.catalog.models import DELIVERY_COMPONENTS, MANAGEMENT_COMPONENTS, ServiceStandard, TimeUnit
from pendopo.lib.money import rupiah


def _lines(text: str) -> list[str]:
    return [line.rstrip() for line in (text or "").strip().splitlines()]


def _requirements(items: list[dict[str, Any]]) -> list[str]:
    out = []
    for number, item in enumerate(items, start=1):
        flags = [_("required") if item.get("required", True) else _("optional")]
        if item.get("is_document_upload"):
            flags.append(_("document upload"))
        out.append(f"{number}. {item.get('text', '')} ({', '.join(flags)})")
    return out


def time_limit_text(standard: ServiceStandard) -> str:
    n = standard.time_limit_value
    if standard.time_limit_unit == TimeUnit.MINUTES:
        return ngettext("%(n)d minute", "%(n)d minutes", n) % {"n": n}
    return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}


def fee_text(standard: ServiceStandard) -> str:
    return _("Free of charge") if standard.fee == 0 else rupiah(standard.fee)


def _form(definition: dict[str, Any]) -> list[str]:
    out = []
    for field in (definition or {}).get("fields", []):
        flags = _("required") if field.get("required", True) else _("optional")
        line = f"{field['key']}: {field['type']} — {field['label_id']} / {field['label_en']} ({flags})"
        rules = field.get("validation")
        if rules:
            line += " " + ", ".join(f"{k}={v}" for k, v in sorted(rules.items()) if k != "choices")
            for choice in rules.get("choices", []):
                line += f"\n    - {choice['value']}: {choice['label_id']} / {choice['label_en']}"
        out.extend(line.strip().splitlines())
    return out


def component_texts(standard: ServiceStandard) -> list[tuple[str, str, list[str]]]:
    """(key, label, lines) for the decree, the 14 components and the form, in the regulation's order."""
    decree = []
    if standard.decree_number:
        decree.append(standard.decree_number)
    if standard.decree_date:
        decree.append(date_format(standard.decree_date, "j F Y"))
    out: list[tuple[str, str, list[str]]] = [("decree", _("Decree (SK)"), decree)]
    for key, label, _fields in DELIVERY_COMPONENTS + MANAGEMENT_COMPONENTS:
        if key == "requirements":
            lines = _requirements(standard.requirements)
        elif key == "time_limit":
            lines = [time_limit_text(standard)]
        elif key == "fee":
            lines = [fee_text(standard), *_lines(standard.fee_basis)]
        elif key == "officer_count":
            n = standard.officer_count
            # The same words as the service page ("12 orang pelaksana"), not a bare number.
            lines = [ngettext("%(counter)s officer", "%(counter)s officers", n) % {"counter": n}] if n is not None else []
        else:
            lines = _lines(getattr(standard, key))
        out.append((key, str(label), lines))
    out.append(("form", _("Application form"), _form(standard.form)))
    return out


def canonical_text(standard: ServiceStandard) -> str:
    parts = []
    for _key, label, lines in component_texts(standard):
        parts.append(f"## {label}")
        parts.extend(lines or ["—"])
    return "\n".join(parts) + "\n"


@dataclass(frozen=True)
class ComponentDiff:
    key: str
    label: str
    lines: list[tuple[str, str]]  # (kind: "add" | "del" | "same", text)


def diff_standards(old: ServiceStandard, new: ServiceStandard) -> list[ComponentDiff]:
    """The components that differ between two versions, each with a line diff."""
    result = []
    for (key, label, old_lines), (_k, _l, new_lines) in zip(component_texts(old), component_texts(new), strict=True):
        if old_lines == new_lines:
            continue
        lines: list[tuple[str, str]] = []
        for line in difflib.ndiff(old_lines, new_lines):
            tag, text = line[:2], line[2:]
            if tag == "+ ":
                lines.append(("add", text))
            elif tag == "- ":
                lines.append(("del", text))
            elif tag == "  ":
                lines.append(("same", text))
        result.append(ComponentDiff(key, label, lines))
    return result


def unified_diff(old: ServiceStandard, new: ServiceStandard) -> str:
    return "".join(
        difflib.unified_diff(
            canonical_text(old).splitlines(keepends=True),
            canonical_text(new).splitlines(keepends=True),
            fromfile=f"v{old.version}",
            tofile=f"v{new.version}",
        )
    )
