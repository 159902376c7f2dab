"""The shape of a standard's requirements and application form (data, not code), and their validation.

A form definition is a JSON document:

    {"fields": [
        {"key": "nik", "type": "nik", "label_id": "NIK pemohon", "label_en": "Applicant's NIK",
         "required": true, "help_id": "", "help_en": "",
         "validation": {"min": 1, "max": 10, "length": 16, "min_length": 3, "max_length": 100,
                        "regex": "^[A-Z]+$", "choices": [{"value": "a", "label_id": "…", "label_en": "…"}],
                        "extensions": ["pdf", "jpg"], "max_size_kb": 2048}}
    ]}

Requirements are an ordered list: `[{"text": "…", "required": true, "is_document_upload": true}]`.

Validation is hand-written (rather than pydantic's) so that every message is translated and
names the field by its position and key, e.g. "Field 3 (birth_date): …".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from pendopo.catalog.models import ServiceStandard

FIELD_TYPES = ("text", "number", "date", "choice", "nik", "phone", "email", "village", "file")
FIELD_KEYS = {"key", "type", "label_id", "label_en", "required", "help_id", "help_en", "validation"}
VALIDATION_KEYS = {"min", "max", "length", "min_length", "max_length", "regex", "choices", "extensions", "max_size_kb"}
# Which validation keys make sense for which field type.
ALLOWED_VALIDATION: dict[str, set[str]] = {
    "text": {"length", "min_length", "max_length", "regex"},
    "number": {"min", "max"},
    "date": set(),
    "choice": {"choices"},
    "nik": set(),
    "phone": set(),
    "email": {"max_length"},
    "village": set(),
    "file": {"extensions", "max_size_kb"},
}
KEY_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
EXTENSION_RE = re.compile(r"^[a-z0-9]{1,10}$")
MAX_FIELDS = 60
MAX_CHOICES = 200
MAX_REQUIREMENTS = 50
MAX_LABEL = 200
MAX_REGEX = 200
MAX_TEXT_LENGTH = 2000
MAX_FILE_KB = 20 * 1024


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _text(value: Any, limit: int = MAX_LABEL) -> bool:
    return isinstance(value, str) and 0 < len(value.strip()) <= limit


def requirement_errors(items: Any) -> list[str]:
    """Messages for everything wrong with a requirements list (empty when it is valid)."""
    if not isinstance(items, list):
        return [_("Requirements must be a list of items.")]
    if len(items) > MAX_REQUIREMENTS:
        return [_("At most %(n)d requirements.") % {"n": MAX_REQUIREMENTS}]
    errors: list[str] = []
    for number, item in enumerate(items, start=1):
        where = _("Requirement %(n)d") % {"n": number}
        if not isinstance(item, dict):
            errors.append(_("%(where)s: must be an item with text, required and is_document_upload.") % {"where": where})
            continue
        unknown = set(item) - {"text", "required", "is_document_upload", "group"}
        if unknown:
            errors.append(_("%(where)s: unknown keys %(keys)s.") % {"where": where, "keys": ", ".join(sorted(unknown))})
        if not _text(item.get("text"), 500):
            errors.append(_("%(where)s: the text is required (up to 500 characters).") % {"where": where})
        errors.extend(
            _("%(where)s: %(flag)s must be true or false.") % {"where": where, "flag": flag}
            for flag in ("required", "is_document_upload")
            if flag in item and not isinstance(item[flag], bool)
        )
        if "group" in item and not (isinstance(item["group"], str) and len(item["group"]) <= 50):
            errors.append(_("%(where)s: the one-of group is a short name (up to 50 characters).") % {"where": where})
    groups: dict[str, list[Any]] = {}
    for item in items:
        if isinstance(item, dict) and isinstance(item.get("group"), str) and item["group"].strip():
            groups.setdefault(" ".join(item["group"].split()).lower(), []).append(item)
    for name, members in groups.items():
        if len(members) < 2:
            errors.append(_("One-of group “%(group)s” needs at least two requirements.") % {"group": name})
        elif len({bool(m.get("is_document_upload")) for m in members}) > 1:
            errors.append(_("One-of group “%(group)s”: its requirements are all uploads or none.") % {"group": name})
    return errors


def normalise_requirements(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The canonical form stored: every key present, text trimmed."""
    out = []
    for item in items:
        row = {
            "text": " ".join(str(item.get("text", "")).split()),
            "required": bool(item.get("required", True)),
            "is_document_upload": bool(item.get("is_document_upload", False)),
        }
        group = " ".join(str(item.get("group") or "").split()).lower()
        if group:  # alternatives ("surat keterangan lahir atau SPTJM"): one of the group is needed
            row["group"] = group
        out.append(row)
    return out


@dataclass(frozen=True)
class FormIssue:
    """One problem of a form definition: which field (0-based index, or None for the whole form), which attribute."""

    index: int | None
    attribute: str | None
    message: str


class _Issues:
    def __init__(self) -> None:
        self.items: list[FormIssue] = []

    def add(self, index: int | None, attribute: str | None, message: str) -> None:
        self.items.append(FormIssue(index, attribute, message))


def _check_choices(issues: _Issues, index: int, where: str, choices: Any) -> None:
    if not isinstance(choices, list) or not choices:
        issues.add(index, "choices", _("%(where)s: a choice field needs a list of choices.") % {"where": where})
        return
    if len(choices) > MAX_CHOICES:
        issues.add(index, "choices", _("%(where)s: at most %(n)d choices.") % {"where": where, "n": MAX_CHOICES})
        return
    seen: set[str] = set()
    for number, choice in enumerate(choices, start=1):
        if (
            not isinstance(choice, dict)
            or set(choice) - {"value", "label_id", "label_en"}
            or not _text(choice.get("value"), 100)
            or not _text(choice.get("label_id"))
            or not _text(choice.get("label_en"))
        ):
            issues.add(
                index, "choices", _("%(where)s: choice %(n)d needs value, label_id and label_en.") % {"where": where, "n": number}
            )
        elif choice["value"] in seen:
            issues.add(
                index,
                "choices",
                _("%(where)s: choice value %(value)s appears twice.") % {"where": where, "value": choice["value"]},
            )
        else:
            seen.add(choice["value"])


def _check_validation(issues: _Issues, index: int, where: str, field_type: str, rules: Any) -> None:
    if not isinstance(rules, dict):
        issues.add(index, "validation", _("%(where)s: validation must be a mapping.") % {"where": where})
        return
    unknown = set(rules) - VALIDATION_KEYS
    if unknown:
        issues.add(
            index,
            "validation",
            _("%(where)s: unknown validation %(keys)s.") % {"where": where, "keys": ", ".join(sorted(map(str, unknown)))},
        )
    for name in sorted((set(rules) & VALIDATION_KEYS) - ALLOWED_VALIDATION.get(field_type, set())):
        issues.add(
            index,
            name,
            _("%(where)s: %(key)s does not apply to a %(type)s field.") % {"where": where, "key": name, "type": field_type},
        )
    for name in ("length", "min_length", "max_length"):
        if name in rules and not (_is_int(rules[name]) and 0 < rules[name] <= MAX_TEXT_LENGTH):
            issues.add(
                index,
                name,
                _("%(where)s: %(name)s must be a whole number from 1 to %(max)d.")
                % {"where": where, "name": name, "max": MAX_TEXT_LENGTH},
            )
    if _is_int(rules.get("min_length")) and _is_int(rules.get("max_length")) and rules["min_length"] > rules["max_length"]:
        issues.add(index, "min_length", _("%(where)s: min_length is greater than max_length.") % {"where": where})
    for name in ("min", "max"):
        if name in rules and not _is_number(rules[name]):
            issues.add(index, name, _("%(where)s: %(name)s must be a number.") % {"where": where, "name": name})
    if _is_number(rules.get("min")) and _is_number(rules.get("max")) and rules["min"] > rules["max"]:
        issues.add(index, "min", _("%(where)s: min is greater than max.") % {"where": where})
    if "regex" in rules:
        pattern = rules["regex"]
        if not (isinstance(pattern, str) and 0 < len(pattern) <= MAX_REGEX):
            issues.add(
                index,
                "regex",
                _("%(where)s: regex must be text of 1 to %(max)d characters.") % {"where": where, "max": MAX_REGEX},
            )
        else:
            try:
                re.compile(pattern)
            except re.error as exc:
                issues.add(index, "regex", _("%(where)s: regex is not valid (%(error)s).") % {"where": where, "error": exc})
    if field_type == "choice":
        _check_choices(issues, index, where, rules.get("choices"))
    if "extensions" in rules:
        extensions = rules["extensions"]
        if not (
            isinstance(extensions, list) and extensions and all(isinstance(e, str) and EXTENSION_RE.match(e) for e in extensions)
        ):
            issues.add(index, "extensions", _("%(where)s: extensions must be a list like [pdf, jpg].") % {"where": where})
    if "max_size_kb" in rules and not (_is_int(rules["max_size_kb"]) and 0 < rules["max_size_kb"] <= MAX_FILE_KB):
        issues.add(
            index, "max_size_kb", _("%(where)s: max_size_kb must be from 1 to %(max)d.") % {"where": where, "max": MAX_FILE_KB}
        )


def _check_field(issues: _Issues, index: int, field: Any, keys: set[str]) -> None:
    number = index + 1
    if not isinstance(field, dict):
        issues.add(index, None, _("Field %(n)d: must be a mapping.") % {"n": number})
        return
    key = field.get("key")
    where = _("Field %(n)d (%(key)s)") % {"n": number, "key": key} if isinstance(key, str) else _("Field %(n)d") % {"n": number}
    unknown = set(field) - FIELD_KEYS
    if unknown:
        issues.add(
            index, None, _("%(where)s: unknown keys %(keys)s.") % {"where": where, "keys": ", ".join(sorted(map(str, unknown)))}
        )
    if not (isinstance(key, str) and KEY_RE.match(key)):
        issues.add(
            index,
            "key",
            _("%(where)s: the key must start with a small letter and use small letters, digits and _ (up to 40).")
            % {"where": where},
        )
    elif key in keys:
        issues.add(index, "key", _("%(where)s: the key is used twice.") % {"where": where})
    else:
        keys.add(key)
    field_type = field.get("type")
    if field_type not in FIELD_TYPES:
        issues.add(
            index, "type", _("%(where)s: type must be one of %(types)s.") % {"where": where, "types": ", ".join(FIELD_TYPES)}
        )
        return
    for label in ("label_id", "label_en"):
        if not _text(field.get(label)):
            issues.add(
                index,
                label,
                _("%(where)s: %(label)s is required (up to %(max)d characters).")
                % {"where": where, "label": label, "max": MAX_LABEL},
            )
    for help_key in ("help_id", "help_en"):
        if help_key in field and not (isinstance(field[help_key], str) and len(field[help_key]) <= 500):
            issues.add(
                index, help_key, _("%(where)s: %(key)s must be text up to 500 characters.") % {"where": where, "key": help_key}
            )
    if "required" in field and not isinstance(field["required"], bool):
        issues.add(index, "required", _("%(where)s: required must be true or false.") % {"where": where})
    _check_validation(issues, index, where, field_type, field.get("validation", {}))


def form_issues(definition: Any) -> list[FormIssue]:
    """Everything wrong with a form definition, each with the field and attribute it concerns."""
    issues = _Issues()
    if definition in ({}, None):
        return []
    if not isinstance(definition, dict) or set(definition) - {"fields"}:
        issues.add(None, None, _("The form must be a mapping with one key, fields."))
        return issues.items
    fields = definition.get("fields", [])
    if not isinstance(fields, list):
        issues.add(None, None, _("The form's fields must be a list."))
    elif len(fields) > MAX_FIELDS:
        issues.add(None, None, _("A form has at most %(n)d fields.") % {"n": MAX_FIELDS})
    else:
        keys: set[str] = set()
        for index, field in enumerate(fields):
            _check_field(issues, index, field, keys)
    return issues.items


def form_errors(definition: Any) -> list[str]:
    """Messages for everything wrong with a form definition (empty when it is valid)."""
    return [issue.message for issue in form_issues(definition)]


def normalise_form(definition: dict[str, Any] | None) -> dict[str, Any]:
    """The canonical stored form: every key present, empty validation dropped."""
    if not definition:
        return {"fields": []}
    fields = []
    for field in definition.get("fields", []):
        out = {
            "key": field["key"],
            "type": field["type"],
            "label_id": field["label_id"].strip(),
            "label_en": field["label_en"].strip(),
            "required": bool(field.get("required", True)),
        }
        for help_key in ("help_id", "help_en"):
            if field.get(help_key):
                out[help_key] = field[help_key]
        if field.get("validation"):
            out["validation"] = dict(field["validation"])
        fields.append(out)
    return {"fields": fields}


def validate_standard_content(standard: ServiceStandard) -> None:
    """Rules every saved standard meets, draft or not; raises ValidationError keyed by field."""
    errors: dict[str, list[str]] = {}
    messages = requirement_errors(standard.requirements)
    if messages:
        errors["requirements"] = messages
    messages = form_errors(standard.form)
    if messages:
        errors["form"] = messages
    if not _is_int(standard.fee) or standard.fee < 0:
        errors["fee"] = [_("The fee is a whole number of Rupiah, 0 or more (0 means free).")]
    if not _is_int(standard.time_limit_value) or standard.time_limit_value < 1:
        errors["time_limit_value"] = [_("The time limit must be at least 1.")]
    if standard.officer_count is not None and (not _is_int(standard.officer_count) or standard.officer_count < 1):
        errors["officer_count"] = [_("The number of officers must be at least 1.")]
    if _is_int(standard.fee) and standard.fee > 0 and not standard.fee_basis.strip():
        errors["fee_basis"] = [_("A service with a fee must name the regulation that sets it.")]
    if errors:
        raise ValidationError(errors)


# Components that must be filled in before a standard is published (PermenPANRB 15/2014).
REQUIRED_TO_PUBLISH: tuple[str, ...] = (
    "procedure",
    "product",
    "complaint_handling",
    "legal_basis",
    "facilities",
    "officer_competence",
    "internal_supervision",
    "service_guarantee",
    "security_guarantee",
    "performance_evaluation",
    "decree_number",
)


def validate_for_publication(standard: ServiceStandard) -> None:
    """Everything `validate_standard_content` checks, plus completeness of all 14 components and the decree."""
    errors: dict[str, list[str]] = {}
    try:
        validate_standard_content(standard)
    except ValidationError as exc:
        errors.update({k: [str(m) for m in v] for k, v in exc.message_dict.items()})
    for name in REQUIRED_TO_PUBLISH:
        if not str(getattr(standard, name) or "").strip():
            errors.setdefault(name, []).append(_("Required before publishing."))
    if not standard.requirements:
        errors.setdefault("requirements", []).append(_("List at least one requirement before publishing."))
    if standard.officer_count is None:
        errors.setdefault("officer_count", []).append(_("Required before publishing."))
    if standard.decree_date is None:
        errors.setdefault("decree_date", []).append(_("Required before publishing."))
    if errors:
        raise ValidationError(errors)
