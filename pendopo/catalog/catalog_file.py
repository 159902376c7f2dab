"""A whole catalogue as one document (YAML or JSON): export, and import that round-trips exactly.

Exporting a region's catalogue, importing the file into a region and exporting again gives the
same file. The document lists each service with its published standard and, for staff exports,
its draft; version numbers and publication stamps are not part of it (the receiving region keeps
its own history). Importing merges: services in the file are created or updated, a published
standard that differs from the region's becomes a new published version, a draft replaces the
draft; services and drafts not in the file are left alone.

Hostile files are refused before anything is built: more than MAX_BYTES, anchors or aliases (the
"billion laughs" alias bomb), nesting deeper than MAX_DEPTH, tags outside YAML's safe set.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pendopo.catalog import actions
from pendopo.catalog.forms_schema import validate_for_publication
from pendopo.catalog.models import (
    CHANNEL_FIELDS,
    Category,
    Service,
    ServiceEvent,
    ServiceStandard,
    StandardStatus,
    TimeUnit,
)
from pendopo.lib import dates
from pendopo.regions.models import Agency, Region
from pendopo.regions.permissions import Action

if TYPE_CHECKING:
    from pendopo.regions.models import User

FORMAT = "pendopo-catalog/1"
MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 20
MAX_SERVICES = 5000

TEXT_FIELDS = (
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
)
STANDARD_KEYS = (
    "effective_from",
    "decree_number",
    "decree_date",
    "requirements",
    "procedure",
    "time_limit",
    "fee",
    "fee_basis",
    "product",
    "complaint_handling",
    "legal_basis",
    "facilities",
    "officer_competence",
    "internal_supervision",
    "officer_count",
    "service_guarantee",
    "security_guarantee",
    "performance_evaluation",
    "form",
)
SERVICE_KEYS = ("code", "agency", "name", "category", "summary", "keywords", "channels", "active", "source", "published", "draft")


class CatalogFileError(ValidationError):
    """A catalogue file that cannot be read or imported; messages name the line."""


# --- export ---------------------------------------------------------------------------------------


def standard_document(standard: ServiceStandard, *, with_effective_date: bool) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if with_effective_date:
        doc["effective_from"] = standard.effective_from
    doc |= {
        "decree_number": standard.decree_number,
        "decree_date": standard.decree_date,
        "requirements": [dict(item) for item in standard.requirements],
        "procedure": standard.procedure,
        "time_limit": {"value": standard.time_limit_value, "unit": standard.time_limit_unit},
        "fee": standard.fee,
        "fee_basis": standard.fee_basis,
        "product": standard.product,
        "complaint_handling": standard.complaint_handling,
        "legal_basis": standard.legal_basis,
        "facilities": standard.facilities,
        "officer_competence": standard.officer_competence,
        "internal_supervision": standard.internal_supervision,
        "officer_count": standard.officer_count,
        "service_guarantee": standard.service_guarantee,
        "security_guarantee": standard.security_guarantee,
        "performance_evaluation": standard.performance_evaluation,
        "form": standard.form or {"fields": []},
    }
    return doc


def service_document(service: Service, draft: ServiceStandard | None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "code": service.code,
        "agency": service.agency.code,
        "name": service.name,
        "category": service.category,
        "summary": service.summary,
        "keywords": service.keywords,
        "channels": service.channels,
        "active": service.is_active,
    }
    if service.is_copy:
        source: dict[str, Any] = {}
        if service.source_region is not None:
            source["region"] = service.source_region.regency_id
        source["service"] = service.source_service_code
        if service.source_version is not None:
            source["version"] = service.source_version
        doc["source"] = source
    if service.published_standard is not None:
        doc["published"] = standard_document(service.published_standard, with_effective_date=True)
    if draft is not None:
        doc["draft"] = standard_document(draft, with_effective_date=False)
    return doc


def catalog_document(region: Region, services: Any, *, include_drafts: bool) -> dict[str, Any]:
    """The document of `services` (a queryset already scoped by the caller) of one region."""
    rows = list(services.filter(region=region).select_related("agency", "published_standard", "source_region").order_by("code"))
    drafts: dict[int, ServiceStandard] = {}
    if include_drafts:
        drafts = {s.service_id: s for s in ServiceStandard.objects.filter(service__in=rows, status=StandardStatus.DRAFT)}
    else:
        rows = [s for s in rows if s.published_standard is not None]
    return {
        "format": FORMAT,
        "region": {"code": region.regency_id, "name": region.name},
        "services": [service_document(s, drafts.get(s.pk)) for s in rows],
    }


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        # The loader refuses anchors and aliases, so the dumper never writes them.
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Multi-line texts (procedures, legal bases) as literal blocks: what a person would write.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def to_yaml(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=110)


def _json_default(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def to_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, default=_json_default) + "\n"


# --- reading a file safely ------------------------------------------------------------------------


def _line(node_or_mark: Any) -> int:
    mark = getattr(node_or_mark, "start_mark", node_or_mark)
    return (mark.line + 1) if mark is not None else 0


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that also refuses anchors, aliases, deep nesting and a key given twice in one mapping.

    Dates stay text (no implicit timestamps): `2026-13-45` used to reach the date constructor and
    end in a server error; now the import reports it, with its line, like any other bad date.
    """

    yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise CatalogFileError(
                _("Line %(line)d: aliases (*%(name)s) are not allowed in a catalogue file.")
                % {"line": _line(event), "name": event.anchor}
            )
        if getattr(event, "anchor", None) is not None:
            raise CatalogFileError(
                _("Line %(line)d: anchors (&%(name)s) are not allowed in a catalogue file.")
                % {"line": _line(event), "name": event.anchor}
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise CatalogFileError(_("Line %(line)d: the file is nested too deeply.") % {"line": _line(event)})
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: set[Any] = set()
            for key_node, _value in node.value:
                key = self.construct_object(key_node, deep=deep)
                try:
                    duplicate = key in seen
                    seen.add(key)
                except TypeError:  # a list or mapping as a key: the constructor below refuses it with its line
                    continue
                if duplicate:
                    raise CatalogFileError(
                        _("Line %(line)d: the key %(key)s is given twice.") % {"line": _line(key_node), "key": str(key)[:60]}
                    )
        return super().construct_mapping(node, deep=deep)


def load_document(content: str | bytes) -> tuple[Any, Any]:
    """(data, root node) of a YAML or JSON catalogue file, or CatalogFileError naming the line."""
    if len(content) > MAX_BYTES:
        raise CatalogFileError(_("The file is larger than %(mb)d MB.") % {"mb": MAX_BYTES // (1024 * 1024)})
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CatalogFileError(_("The file is not UTF-8 text (byte %(pos)d).") % {"pos": exc.start}) from None
    loader = _StrictLoader(content)
    try:
        node = loader.get_single_node()
        if node is None:
            raise CatalogFileError(_("The file is empty."))
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or ""
        raise CatalogFileError(
            _("Line %(line)d: the file is not valid YAML (%(problem)s).") % {"line": _line(mark), "problem": problem}
        ) from None
    except yaml.YAMLError as exc:
        raise CatalogFileError(_("The file is not valid YAML (%(problem)s).") % {"problem": exc}) from None
    finally:
        loader.dispose()
    return data, node


def _child(node: Any, key: str | int) -> Any:
    """The child node of a mapping (by key) or a sequence (by index), for line numbers."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return node


# --- import ---------------------------------------------------------------------------------------


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        raise ValueError
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return dt.date.fromisoformat(value)
    raise ValueError


class _Errors:
    def __init__(self) -> None:
        self.items: dict[str, list[str]] = {}

    def add(self, path: str, node: Any, message: str) -> None:
        self.items.setdefault(path, []).append(_("Line %(line)d: %(message)s") % {"line": _line(node), "message": message})


def _standard_from(doc: Any, node: Any, path: str, errors: _Errors, *, published: bool) -> ServiceStandard | None:
    if not isinstance(doc, dict):
        errors.add(path, node, _("a standard must be a mapping."))
        return None
    unknown = set(doc) - set(STANDARD_KEYS)
    if unknown:
        errors.add(path, node, _("unknown keys %(keys)s.") % {"keys": ", ".join(sorted(map(str, unknown)))})
    standard = ServiceStandard()
    ok = True
    for key in (*TEXT_FIELDS, "decree_number", "fee_basis"):
        value = doc.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            errors.add(f"{path}.{key}", _child(node, key), _("must be text."))
            ok = False
        setattr(standard, key, value)
    for key in ("decree_date", "effective_from"):
        try:
            setattr(standard, key, _date(doc.get(key)))
        except ValueError:
            errors.add(f"{path}.{key}", _child(node, key), _("must be a date like 2026-01-31."))
            ok = False
    if "effective_from" in doc and not published:
        errors.add(f"{path}.effective_from", _child(node, "effective_from"), _("a draft has no effective date yet."))
        ok = False
    limit = doc.get("time_limit")
    if not isinstance(limit, dict) or set(limit) != {"value", "unit"}:
        errors.add(f"{path}.time_limit", _child(node, "time_limit"), _("time_limit needs value and unit."))
        ok = False
    else:
        standard.time_limit_value = limit["value"]
        if limit["unit"] not in TimeUnit.values:
            errors.add(
                f"{path}.time_limit.unit",
                _child(_child(node, "time_limit"), "unit"),
                _("unit must be one of %(units)s.") % {"units": ", ".join(TimeUnit.values)},
            )
            ok = False
        standard.time_limit_unit = limit["unit"]
    standard.fee = doc.get("fee", 0)
    standard.officer_count = doc.get("officer_count")
    standard.requirements = doc.get("requirements", [])
    standard.form = doc.get("form") or {"fields": []}
    if not ok:
        return None
    try:
        actions.clean_standard(standard)
        if published:
            validate_for_publication(standard)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            file_key = "time_limit" if key == "time_limit_value" else key
            for message in messages:
                errors.add(f"{path}.{file_key}", _child(node, file_key), str(message))
        return None
    return standard


def _same_content(a: ServiceStandard, b: ServiceStandard, *, with_effective_date: bool) -> bool:
    return standard_document(a, with_effective_date=with_effective_date) == standard_document(
        b, with_effective_date=with_effective_date
    )


def import_catalog(actor: User | None, region: Region, content: str | bytes) -> dict[str, int]:
    """Import a catalogue file into `region`; returns counts. All or nothing."""
    from pendopo.regions.permissions import can

    if not can(actor, Action.MANAGE, region):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the region administrator may import a catalogue."))
    data, root = load_document(content)
    errors = _Errors()
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise CatalogFileError(
            _("Line %(line)d: not a Pendopo catalogue (expected format: %(format)s).")
            % {"line": _line(_child(root, "format")), "format": FORMAT}
        )
    entries = data.get("services")
    services_node = _child(root, "services")
    if not isinstance(entries, list):
        raise CatalogFileError(_("Line %(line)d: services must be a list.") % {"line": _line(services_node)})
    if len(entries) > MAX_SERVICES:
        raise CatalogFileError(_("A catalogue file holds at most %(n)d services.") % {"n": MAX_SERVICES})
    agencies = {a.code: a for a in Agency.objects.filter(region=region)}
    regions_by_code = {r.regency_id: r for r in Region.objects.all()}
    plans = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        node = _child(services_node, index)
        path = f"services[{index}]"
        if not isinstance(entry, dict):
            errors.add(path, node, _("each service must be a mapping."))
            continue
        code = entry.get("code")
        if isinstance(code, str):
            path = f"services[{index}] {code}"
        unknown = set(entry) - set(SERVICE_KEYS)
        if unknown:
            errors.add(path, node, _("unknown keys %(keys)s.") % {"keys": ", ".join(sorted(map(str, unknown)))})
        if not isinstance(code, str) or not code:
            errors.add(f"{path}.code", _child(node, "code"), _("the service code is required."))
            continue
        if code in seen:
            errors.add(f"{path}.code", _child(node, "code"), _("the code %(code)s appears twice.") % {"code": code})
        seen.add(code)
        agency_code = entry.get("agency")
        agency = agencies.get(agency_code) if isinstance(agency_code, str) else None  # [X, Y] is no agency code
        if agency is None:
            errors.add(
                f"{path}.agency",
                _child(node, "agency"),
                _("unknown agency %(agency)s in %(region)s.") % {"agency": str(agency_code)[:60], "region": region.name},
            )
        category = entry.get("category", Category.OTHER)
        if not isinstance(category, str) or category not in Category.values:
            errors.add(f"{path}.category", _child(node, "category"), _("unknown category %(c)s.") % {"c": category})
        channels = entry.get("channels", [])
        if not isinstance(channels, list) or not all(isinstance(c, str) and c in CHANNEL_FIELDS for c in channels):
            errors.add(
                f"{path}.channels",
                _child(node, "channels"),
                _("channels must be a list of %(names)s.") % {"names": ", ".join(CHANNEL_FIELDS)},
            )
        for key in ("name", "summary", "keywords"):
            if not isinstance(entry.get(key, ""), str):
                errors.add(f"{path}.{key}", _child(node, key), _("must be text."))
        if not isinstance(entry.get("active", True), bool):
            errors.add(f"{path}.active", _child(node, "active"), _("must be true or false."))
        source = entry.get("source")
        if source is not None and not (
            isinstance(source, dict)
            and isinstance(source.get("service"), str)
            and set(source) <= {"region", "service", "version"}
        ):
            errors.add(f"{path}.source", _child(node, "source"), _("source needs region, service and version."))
            source = None
        published = draft = None
        if "published" in entry:
            published = _standard_from(entry["published"], _child(node, "published"), f"{path}.published", errors, published=True)
        if "draft" in entry:
            draft = _standard_from(entry["draft"], _child(node, "draft"), f"{path}.draft", errors, published=False)
        if agency is not None:  # else its error is recorded and nothing is imported
            plans.append((entry, agency, source, published, draft, path, node))
    if errors.items:
        raise CatalogFileError(errors.items)

    counts = {"created": 0, "updated": 0, "published": 0, "drafts": 0, "unchanged": 0}
    with transaction.atomic():
        for entry, agency, source, published, draft, path, node in plans:
            try:
                _import_one(actor, region, entry, agency, source, published, draft, regions_by_code, counts)
            except ValidationError as exc:
                messages = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
                raise CatalogFileError(
                    {
                        f"{path}.{key}" if key and key != "__all__" else path: [
                            _("Line %(line)d: %(message)s") % {"line": _line(node), "message": m} for m in ms
                        ]
                        for key, ms in messages.items()
                    }
                ) from None
    return counts


def _import_one(
    actor: User | None,
    region: Region,
    entry: dict[str, Any],
    agency: Agency,
    source: dict[str, Any] | None,
    published: ServiceStandard | None,
    draft: ServiceStandard | None,
    regions_by_code: dict[str, Region],
    counts: dict[str, int],
) -> None:
    fields = {
        "agency": agency,
        "name": entry.get("name", ""),
        "category": entry.get("category", Category.OTHER),
        "summary": entry.get("summary", ""),
        "keywords": entry.get("keywords", ""),
        "is_active": entry.get("active", True),
    }
    channels = entry.get("channels", [])
    service = Service.objects.select_for_update().filter(region=region, code=entry["code"]).first()
    changed = False
    if service is None:
        service = actions.create_service(actor, region, code=entry["code"], channels=channels, **fields)
        # create_service starts an empty draft; the file decides what the drafts hold.
        service.standards.filter(status=StandardStatus.DRAFT).delete()
        counts["created"] += 1
        fresh = True
    else:
        fresh = False
        before = actions_service_snapshot(service)
        actions.update_service(actor, service, channels=channels, **fields)
        service.refresh_from_db()
        changed = before != actions_service_snapshot(service)
    wanted_source = (
        (
            regions_by_code.get(str(source.get("region"))) if source.get("region") else None,
            source["service"],
            source.get("version"),
        )
        if source
        else (None, "", None)
    )
    if (service.source_region, service.source_service_code, service.source_version) != wanted_source:
        service.source_region, service.source_service_code, service.source_version = wanted_source
        service.copied_at = dates.now() if source else None
        service.save(update_fields=["source_region", "source_service_code", "source_version", "copied_at"])
        changed = True
    current = service.published_standard
    if published is not None and (current is None or not _same_content(current, published, with_effective_date=True)):
        # One draft at a time: set the region's draft aside, publish the file's version, put the draft back.
        existing = actions.current_draft(service)
        kept = _content(existing) if existing is not None else None
        if existing is not None:
            existing.delete()
        target = actions.start_draft(actor, service)
        actions.update_draft(actor, target, _content(published))
        actions.publish_standard(actor, target, effective_from=published.effective_from or None, check_permission=False)
        if kept is not None:
            actions.update_draft(actor, actions.start_draft(actor, service), kept)
        counts["published"] += 1
        changed = True
    existing = actions.current_draft(service)
    if draft is not None and (existing is None or not _same_content(existing, draft, with_effective_date=False)):
        target = existing or actions.start_draft(actor, service)
        actions.update_draft(actor, target, _content(draft))
        counts["drafts"] += 1
        changed = True
    if fresh and published is None and draft is None:
        # A service needs a version to edit; give it an empty draft again.
        actions.start_draft(actor, service)
    if fresh or changed:
        ServiceEvent.objects.create(region=region, service=service, kind=ServiceEvent.Kind.IMPORTED, actor=actor)
        if not fresh:
            counts["updated"] += 1
    else:
        counts["unchanged"] += 1


def actions_service_snapshot(service: Service) -> tuple[Any, ...]:
    return (
        service.agency_id,
        service.name,
        service.category,
        service.summary,
        service.keywords,
        service.is_active,
        tuple(service.channels),
    )


def _content(standard: ServiceStandard) -> dict[str, Any]:
    return {name: getattr(standard, name) for name in actions.STANDARD_FIELDS if name != "change_note"}
