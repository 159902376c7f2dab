"""Forms: applying (online or at a counter), taking a step, filtering the inbox.

The application form is built from the service standard's form definition
(pendopo.catalog.application_form) with three additions: the applicant block (name, email, NIK
and phone unless the service's own form asks them under the keys `nik` and `phone`), one upload
per requirement the standard marks as a document, and, for walk-ins, the service point. Every
file is checked by content (uploads.check_upload), replacing the catalogue's check by name.

HTML pages and the JSON API validate through the same class, so a bad input gets the same
per-field errors everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from pendopo.applications import kept
from pendopo.applications.models import Document, RequirementCheck
from pendopo.applications.uploads import CheckedFile, accept_attribute, check_upload, max_upload_kb
from pendopo.catalog.application_form import NikField, PhoneField, build_application_form, build_form_class, form_data_to_json

if TYPE_CHECKING:
    from pendopo.applications.models import Application
    from pendopo.catalog.models import ServiceStandard
    from pendopo.regions.models import ServicePoint, User

APPLICANT_PREFIX = "applicant-"
DOCUMENT_PREFIX = "doc-"
PLACE_FIELD = "applicant-place"
KEPT_PREFIX = "kept-"
# Keys of the service form whose answers are taken as the applicant's own NIK and phone.
APPLICANT_NIK_KEY = "nik"
APPLICANT_PHONE_KEY = "phone"
NOTIFY_CHOICES = [("whatsapp", _("WhatsApp")), ("sms", _("SMS")), ("", _("Email only"))]


@dataclass(frozen=True)
class Applicant:
    name: str
    email: str
    nik: str
    phone: str
    notify_by: str


@dataclass(frozen=True)
class Upload:
    kind: str
    slot: str
    label: str
    file: CheckedFile


@dataclass
class ApplicationInput:
    """What a valid application form holds, ready for actions.submit_application."""

    applicant: Applicant
    form_data: dict[str, Any]
    protected: dict[str, str] = field(default_factory=dict)
    uploads: list[Upload] = field(default_factory=list)
    service_point_id: int | None = None


def requirement_slots(standard: ServiceStandard) -> list[tuple[str, dict[str, Any]]]:
    """(form field name, requirement) for each requirement that is a document upload."""
    return [
        (f"{DOCUMENT_PREFIX}{number}", item)
        for number, item in enumerate(standard.requirements or [], start=1)
        if item.get("is_document_upload")
    ]


class _ApplicationFormMixin(forms.Form):
    standard: ServiceStandard
    field_types: dict[str, str]
    file_rules: dict[str, dict[str, Any]]
    # One-of groups of the requirements: {group: field names}, for the groups one of which is needed.
    one_of: dict[str, list[str]]

    def __init__(self, *args: Any, user: User | None = None, keeper: User | None = None, **kwargs: Any) -> None:
        """`user`: the citizen applying (their profile fills the form); `keeper`: who sends it, whose kept files it may reopen."""
        super().__init__(*args, **kwargs)
        sender = keeper or user
        self.user_id = sender.pk if sender is not None and sender.is_authenticated else None
        # Files kept from an earlier POST of this form that had errors (applications/kept.py).
        self.kept: dict[str, tuple[Any, str]] = {}
        if self.is_bound:
            for name in self.file_rules:
                token = self.data.get(f"{KEPT_PREFIX}{name}", "")
                found = kept.reopen(token, field=name, user_id=self.user_id) if token else None
                if found is not None:
                    self.kept[name] = found
                    self.fields[name].required = False  # the kept file answers it unless a new one comes
                    self.fields[name].kept = (token, found[0].name)  # type: ignore[attr-defined]  # the kept file rides on its field for the widget
        if user is not None and user.is_authenticated and not self.is_bound:
            # The citizen's profile (pendopo/accounts) fills in who is applying.
            profile = user.prefill()
            for name, value in (
                (f"{APPLICANT_PREFIX}name", profile["name"]),
                (f"{APPLICANT_PREFIX}email", profile["email"]),
                (f"{APPLICANT_PREFIX}phone", profile["phone"]),
                (f"{APPLICANT_PREFIX}nik", profile["nik"]),
                (APPLICANT_PHONE_KEY, profile["phone"] if self.field_types.get(APPLICANT_PHONE_KEY) == "phone" else ""),
                (APPLICANT_NIK_KEY, profile["nik"] if self.field_types.get(APPLICANT_NIK_KEY) == "nik" else ""),
            ):
                if value and name in self.fields:
                    self.fields[name].initial = value
        for name, rules in self.file_rules.items():
            upload = self.fields[name]
            upload.validators = []  # the content check in clean() replaces the catalogue's check by name
            upload.widget.attrs["accept"] = accept_attribute(rules.get("extensions"))
        self.checked: dict[str, CheckedFile] = {}

    @property
    def upload_limit_kb(self) -> int:
        """One size limit for every file of the form, shown before uploading: the smallest the
        catalogue sets for any of its files, and never more than PENDOPO_UPLOAD_MAX_KB."""
        limits = [int(rules["max_size_kb"]) for rules in self.file_rules.values() if rules.get("max_size_kb")]
        return min([*limits, max_upload_kb()])

    @property
    def upload_limit_text(self) -> str:
        return limit_text(self.upload_limit_kb)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, rules in self.file_rules.items():
            upload = cleaned.get(name)
            if not upload and name in self.kept:
                upload = self.kept[name][0]
            if not upload:
                continue
            try:
                self.checked[name] = check_upload(upload, extensions=rules.get("extensions"), max_kb=self.upload_limit_kb)
            except ValidationError as exc:
                self.add_error(name, exc)
        for names in self.one_of.values():
            if not any(name in self.checked or name in self.errors for name in names):
                labels = [str(self.fields[name].label) for name in names]
                self.add_error(
                    names[0],
                    _("Upload one of these: %(documents)s.") % {"documents": str(_(" or ")).join(labels)},
                )
        email = cleaned.get(f"{APPLICANT_PREFIX}email")
        phone = self.applicant_phone(cleaned)
        if not email and not phone and f"{APPLICANT_PREFIX}email" not in self.errors:
            self.add_error(
                f"{APPLICANT_PREFIX}email", _("Give an email address or a phone number so we can tell you about the application.")
            )
        if cleaned.get(f"{APPLICANT_PREFIX}notify") and not phone:
            cleaned[f"{APPLICANT_PREFIX}notify"] = ""
        return cleaned

    def keep_uploads(self) -> None:
        """The form has errors: keep each file that passed its check, so that it need not be chosen again."""
        for name, checked in self.checked.items():
            if name in self.kept:
                if self.kept[name][0] is checked.upload:
                    continue  # already kept: the same token is shown again
                kept.discard([self.kept[name][1]])  # a new file replaced the kept one
            token = kept.keep(checked, field=name, user_id=self.user_id)
            self.fields[name].required = False
            self.fields[name].kept = (token, checked.original_name)  # type: ignore[attr-defined]  # the kept file rides on its field for the widget

    def discard_kept(self) -> None:
        """After the application is written: its documents have their own copies."""
        kept.discard([name for _upload, name in self.kept.values()])

    def applicant_phone(self, cleaned: dict[str, Any]) -> str:
        if self.field_types.get(APPLICANT_PHONE_KEY) == "phone":
            return cleaned.get(APPLICANT_PHONE_KEY) or ""
        return cleaned.get(f"{APPLICANT_PREFIX}phone") or ""

    def applicant_nik(self, cleaned: dict[str, Any]) -> str:
        if self.field_types.get(APPLICANT_NIK_KEY) == "nik":
            return cleaned.get(APPLICANT_NIK_KEY) or ""
        return cleaned.get(f"{APPLICANT_PREFIX}nik") or ""

    def to_input(self) -> ApplicationInput:
        """The valid form as an ApplicationInput (call after is_valid())."""
        cleaned = self.cleaned_data
        service_keys = set(self.field_types)
        answers = form_data_to_json(self)
        form_data: dict[str, Any] = {}
        protected: dict[str, str] = {}
        for key, value in answers.items():
            if key not in service_keys:
                continue
            kind = self.field_types[key]
            if kind in ("nik", "phone"):
                if key not in (APPLICANT_NIK_KEY, APPLICANT_PHONE_KEY) and value:
                    protected[key] = value
                continue
            form_data[key] = value
        applicant = Applicant(
            name=" ".join(str(cleaned.get(f"{APPLICANT_PREFIX}name", "")).split()),
            email=cleaned.get(f"{APPLICANT_PREFIX}email") or "",
            nik=self.applicant_nik(cleaned),
            phone=self.applicant_phone(cleaned),
            notify_by=cleaned.get(f"{APPLICANT_PREFIX}notify") or "",
        )
        uploads = []
        for name, checked in self.checked.items():
            if name.startswith(DOCUMENT_PREFIX):
                uploads.append(
                    Upload(
                        Document.Kind.REQUIREMENT, name.replace(DOCUMENT_PREFIX, "req-"), str(self.fields[name].label), checked
                    )
                )
            else:
                uploads.append(Upload(Document.Kind.FORM_FIELD, name, str(self.fields[name].label), checked))
        place = cleaned.get(PLACE_FIELD)
        return ApplicationInput(applicant, form_data, protected, uploads, int(place) if place else None)

    # Groups for the template: the applicant block, the service's questions, the documents.
    def applicant_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(APPLICANT_PREFIX)]

    def service_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name in self.field_types]

    def document_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith(DOCUMENT_PREFIX)]


def application_form_class(standard: ServiceStandard, *, places: list[ServicePoint] | None = None) -> type[_ApplicationFormMixin]:
    """The form class for applying under `standard`; `places` (walk-ins) adds the service point to choose."""
    base = build_application_form(standard)
    field_types: dict[str, str] = dict(base.field_types)  # type: ignore[attr-defined]  # an attribute of the class built by type()
    extra: dict[str, forms.Field] = {
        f"{APPLICANT_PREFIX}name": forms.CharField(label=_("Applicant's full name"), max_length=150),
        f"{APPLICANT_PREFIX}email": forms.EmailField(
            label=_("Email"), required=False, help_text=_("We send the receipt and every step to this address.")
        ),
    }
    if field_types.get(APPLICANT_NIK_KEY) != "nik":
        extra[f"{APPLICANT_PREFIX}nik"] = NikField(label=_("Applicant's NIK"), help_text=_("16 digits, as on the KTP."))
    if field_types.get(APPLICANT_PHONE_KEY) != "phone":
        extra[f"{APPLICANT_PREFIX}phone"] = PhoneField(label=_("Mobile number"), required=False)
    extra[f"{APPLICANT_PREFIX}notify"] = forms.ChoiceField(
        label=_("Also tell me by"), choices=NOTIFY_CHOICES, required=False, initial="whatsapp"
    )
    if places is not None:
        extra[PLACE_FIELD] = forms.TypedChoiceField(
            label=_("Registered at"), choices=[(str(p.pk), p.name) for p in places], coerce=int
        )
    file_rules: dict[str, dict[str, Any]] = {}
    for spec in standard.form.get("fields", []) if standard.form else []:
        if spec.get("type") == "file":
            file_rules[spec["key"]] = spec.get("validation", {}) or {}
    slots = requirement_slots(standard)
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for name, item in slots:
        if item.get("group"):
            groups.setdefault(item["group"], []).append((name, item))
    one_of: dict[str, list[str]] = {}
    for group, members in groups.items():
        if any(item.get("required", True) for _name, item in members):
            one_of[group] = [name for name, _item in members]
    for name, item in slots:
        members = groups.get(item.get("group") or "", [])
        if members:
            others = [str(other["text"]) for other_name, other in members if other_name != name]
            extra[name] = forms.FileField(
                label=item["text"],
                required=False,  # one of its group is needed, checked in clean()
                help_text=_("One of: this or %(others)s.") % {"others": str(_(" or ")).join(others)},
            )
        else:
            extra[name] = forms.FileField(label=item["text"], required=bool(item.get("required", True)))
        file_rules[name] = {}
    attrs: dict[str, Any] = {
        **extra,
        "standard": standard,
        "field_types": field_types,
        "file_rules": file_rules,
        "one_of": one_of,
        "field_order": [name for name in extra if name.startswith(APPLICANT_PREFIX)] + list(field_types),
    }
    return type("ApplicationForm", (_ApplicationFormMixin, base), attrs)


# --- taking a step ---------------------------------------------------------------------------------


class ActionForm(forms.Form):
    """One step on an application: the action (among those the user may take), a note, a document."""

    action = forms.ChoiceField(label=_("Action"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    document = forms.FileField(label=_("Document"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, actions: list[Any] = (), **kwargs: Any) -> None:  # type: ignore[assignment]  # an empty tuple as the default of a read-only list
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["action"]).choices = [(a.key, a.label) for a in actions]
        self.fields["document"].widget.attrs["accept"] = accept_attribute()
        self.checked: CheckedFile | None = None

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload:
            self.checked = check_upload(upload)
        return upload


# --- checking requirements, replacing a document --------------------------------------------------


def upload_limit_kb(standard: ServiceStandard) -> int:
    """The one size limit for every file of the standard's form (as the apply form shows it)."""
    limits = [
        int(spec["validation"]["max_size_kb"])
        for spec in (standard.form or {}).get("fields", [])
        if spec.get("type") == "file" and (spec.get("validation") or {}).get("max_size_kb")
    ]
    return min([*limits, max_upload_kb()])


def limit_text(kb: int) -> str:
    return f"{kb // 1024} MB" if kb % 1024 == 0 else f"{kb} KB"


class RequirementCheckForm(forms.Form):
    """An officer's check of one requirement: received, valid or invalid, with a note (needed when invalid)."""

    status = forms.ChoiceField(
        label=_("Check"), choices=RequirementCheck.Status.choices, widget=forms.RadioSelect, initial="received"
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("status") == RequirementCheck.Status.INVALID and not (cleaned.get("note") or "").strip():
            self.add_error("note", _("Say what is wrong, so the applicant knows what to fix."))
        return cleaned


class ReplaceDocumentForm(forms.Form):
    """The applicant's new file for a document marked invalid, checked by content like every upload."""

    document = forms.FileField(label=_("New file"))

    def __init__(self, *args: Any, standard: ServiceStandard, slot: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_kb = upload_limit_kb(standard)
        # A form's file field keeps its own types (e.g. photos only) for the new file too.
        self.extensions = file_field_extensions(standard, slot)
        self.fields["document"].widget.attrs["accept"] = accept_attribute(self.extensions)
        self.checked: CheckedFile | None = None

    @property
    def limit_text(self) -> str:
        return limit_text(self.limit_kb)

    def clean_document(self) -> Any:
        upload = self.cleaned_data.get("document")
        if upload:
            self.checked = check_upload(upload, extensions=self.extensions, max_kb=self.limit_kb)
        return upload


CORRECT_PREFIX = "correct"


def correction_form(application: Application, keys: list[str], data: Any = None) -> forms.Form:
    """The revision's form of the answers the officer reopened (the catalogue's own fields, as when
    applying), filled with the answers given."""
    standard = application.standard
    specs = [spec for spec in (standard.form or {}).get("fields", []) if spec.get("key") in keys]
    form_class = build_form_class({"fields": specs}, standard.region)
    initial = {key: (application.form_data or {}).get(key, "") for key in keys}
    return form_class(data=data, initial=initial, prefix=CORRECT_PREFIX)


def file_field_extensions(standard: ServiceStandard, slot: str) -> list[str] | None:
    """The types the service form's file field `slot` accepts (None: any Pendopo accepts, as for requirements)."""
    for spec in (standard.form or {}).get("fields", []):
        if spec.get("type") == "file" and spec.get("key") == slot:
            return (spec.get("validation") or {}).get("extensions") or None
    return None


# --- the inbox --------------------------------------------------------------------------------------


class InboxFilterForm(forms.Form):
    """The inbox's filters, read from the query string.

    A value that is not one of its choices (a stale or edited link) is left out rather than
    refused, so the inbox still opens with the filters that make sense: `filters()` reads only
    the fields that validated.
    """

    SORTS = [
        ("deadline", _("Step deadline, earliest first")),
        ("due", _("Overall deadline, earliest first")),
        ("-received", _("Newest first")),
        ("received", _("Oldest first")),
    ]
    DUE = [("", _("Any deadline")), ("today", _("Due today")), ("overdue", _("Overdue"))]

    place = forms.ChoiceField(label=_("Inbox of"), required=False)
    state = forms.ChoiceField(label=_("Step"), required=False)
    service = forms.ChoiceField(label=_("Service"), required=False)
    due = forms.ChoiceField(label=_("Deadline"), required=False, choices=DUE)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)
    closed = forms.BooleanField(label=_("Include finished"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=999_999, widget=forms.HiddenInput)
    q = forms.CharField(required=False, max_length=100, widget=forms.HiddenInput)
    nik = forms.RegexField(regex=r"^[0-9a-f]{64}$", required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        data: Mapping[str, str] | None = None,
        *,
        places: Sequence[tuple[str, str]] = (),
        states: Sequence[tuple[str, str]] = (),
        services: Sequence[tuple[str, str]] = (),
    ) -> None:
        # Always bound: an empty query string is a valid set of filters (all defaults).
        super().__init__(data or {}, auto_id="inbox-%s", label_suffix="")
        self.places = list(places)
        self._choice("place").choices = self.places
        self._choice("state").choices = [("", _("Any open step")), *states]
        self._choice("service").choices = [("", _("All services")), *services]
        if len(places) < 2:
            self.fields["place"].widget = forms.HiddenInput()

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 -- declared above
        return field

    def filters(self) -> dict[str, Any]:
        """The filters that validated, with defaults for the rest."""
        self.is_valid()
        data = self.cleaned_data
        places = self.places
        return {
            "place": data.get("place") or (places[0][0] if places else ""),
            "state": data.get("state") or "",
            "service": data.get("service") or "",
            "due": data.get("due") or "",
            "mine": bool(data.get("mine")),
            "closed": bool(data.get("closed")),
            "sort": data.get("sort") or "deadline",
            "page": data.get("page") or 1,
            "q": (data.get("q") or "").strip(),
            "nik": data.get("nik") or "",
        }
