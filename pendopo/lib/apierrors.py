"""The API's error body: {"detail": "...", "errors": [{"field", "code", "message"}]} with a 4xx code."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from pendopo.lib.text import HostileInput, clean_text, load_json

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse
    from ninja.openapi.schema import OpenAPISchema

logger = logging.getLogger("pendopo.api")

# Every error status the API answers with, declared on every operation of the OpenAPI document
# (each with the one error body), so that clients and schemathesis know them all.
ERROR_STATUSES = {
    "400": "The request cannot be read (a NUL character, JSON nested too deep, a malformed body).",
    "401": "Log in first (no session, or no valid key).",
    "403": "Not allowed for this account (or the CSRF check failed).",
    "404": "Not found, or not visible to this account.",
    "409": "Conflict: the record changed meanwhile (send the current version), or it is in a state that forbids this.",
    "422": "The request is not valid: each problem in `errors`, with its field.",
    "429": "Too many requests: slow down and try again later.",
    "500": "A fault on the server; the body has the same shape.",
}
ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["detail", "errors"],
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in the user's language."},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {
                        "type": "string",
                        "description": "The field at fault, dotted (`scores.U1`); empty for the whole request.",
                    },
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
            },
        },
    },
}


class PendopoAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares every error response with the one error body."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
        reference = {"$ref": "#/components/schemas/Error"}
        for methods in schema.get("paths", {}).values():
            for operation in methods.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                for status, description in ERROR_STATUSES.items():
                    declared = responses.get(status) or responses.get(int(status))
                    if declared is None:
                        responses[status] = {"description": description, "content": {"application/json": {"schema": reference}}}
        return schema


class ApiError(Exception):
    """Raise from a handler to answer with a given status and body."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, str]] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors or []


_LOCATIONS = ("body", "query", "path", "form", "file", "header", "cookie", "payload")


def _loc_to_field(loc: list[Any] | tuple[Any, ...]) -> str:
    """("body", "payload", "standard", "form", "fields", 0) -> "standard.form.fields.0": only the leading location goes."""
    parts = [str(p) for p in loc]
    while parts and parts[0] in _LOCATIONS:
        parts.pop(0)
    return ".".join(parts)


# pydantic's error types (stable identifiers) worded in the user's language; its own messages are English.
# Each message with the error types it words and the `ctx` key that fills its %(n)s or %(choices)s.
# A type not listed keeps pydantic's message.
_WORDS: list[tuple[tuple[str, ...], Promise, str]] = [
    (("missing",), gettext_lazy("This field is required."), ""),
    (("extra_forbidden",), gettext_lazy("This field is not expected here."), ""),
    (("string_type",), gettext_lazy("Send text here."), ""),
    (("string_too_short",), gettext_lazy("Send at least %(n)s characters."), "min_length"),
    (("string_too_long",), gettext_lazy("Send at most %(n)s characters."), "max_length"),
    (("string_pattern_mismatch",), gettext_lazy("This value does not have the expected form."), ""),
    (("int_type", "int_parsing", "int_from_float"), gettext_lazy("Send a whole number."), ""),
    (("float_type", "float_parsing", "decimal_type", "decimal_parsing"), gettext_lazy("Send a number."), ""),
    (("bool_type", "bool_parsing"), gettext_lazy("Send true or false."), ""),
    (("greater_than",), gettext_lazy("Send a number greater than %(n)s."), "gt"),
    (("greater_than_equal",), gettext_lazy("Send a number of at least %(n)s."), "ge"),
    (("less_than",), gettext_lazy("Send a number less than %(n)s."), "lt"),
    (("less_than_equal",), gettext_lazy("Send a number of at most %(n)s."), "le"),
    (("date_type", "date_parsing", "date_from_datetime_parsing"), gettext_lazy("Send a date as YYYY-MM-DD."), ""),
    (
        ("datetime_type", "datetime_parsing", "datetime_from_date_parsing"),
        gettext_lazy("Send a date and time as YYYY-MM-DDTHH:MM:SS with its time zone."),
        "",
    ),
    (("literal_error", "enum"), gettext_lazy("Send one of: %(choices)s."), "expected"),
    (("list_type",), gettext_lazy("Send a list here."), ""),
    (("dict_type", "model_type", "model_attributes_type"), gettext_lazy("Send an object here."), ""),
    (("too_short",), gettext_lazy("Send at least %(n)s items."), "min_length"),
    (("too_long",), gettext_lazy("Send at most %(n)s items."), "max_length"),
    (("json_invalid",), gettext_lazy("The body is not valid JSON."), ""),
    (("uuid_type", "uuid_parsing"), gettext_lazy("Send a UUID."), ""),
]
_SCHEMA_MESSAGES = {kind: (message, bound) for kinds, message, bound in _WORDS for kind in kinds}


def schema_message(error: dict[str, Any]) -> str:
    """One pydantic error (`type`, `msg`, `ctx`) as a message in the active language."""
    word = _SCHEMA_MESSAGES.get(str(error.get("type", "")))
    if word is None:
        return str(error.get("msg", ""))
    message, bound = word
    if not bound:
        return str(message)
    value = str((error.get("ctx") or {}).get(bound, "")).replace(" or ", ", ")  # literal_error: "'a' or 'b'"
    return str(message) % {"n": value, "choices": value}


def django_errors(exc: ValidationError) -> list[dict[str, str]]:
    out = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                message = error.message % error.params if error.params else error.message
                out.append(
                    {"field": "" if field == "__all__" else field, "code": error.code or "invalid", "message": str(message)}
                )
    else:
        for error in exc.error_list:
            message = error.message % error.params if error.params else error.message
            out.append({"field": "", "code": error.code or "invalid", "message": str(message)})
    return out


class CleanParser(Parser):
    """JSON bodies through `pendopo.lib.text.load_json`: bounded depth, no NUL, no control characters.

    (Query strings and form bodies are cleaned before, by `pendopo.lib.middleware`.)
    """

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return load_json(request.body)


def install_error_handlers(api: NinjaAPI) -> None:
    def body(request: HttpRequest, status: int, detail: str, errors: list[dict[str, str]] | None = None) -> HttpResponse:
        # Messages may quote what was sent: never echo a control character back.
        errors = [{key: clean_text(value) for key, value in error.items()} for error in errors or []]
        return api.create_response(request, {"detail": clean_text(detail), "errors": errors}, status=status)

    @api.exception_handler(ApiError)
    def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return body(request, exc.status, exc.detail, exc.errors)

    @api.exception_handler(NinjaValidationError)
    def on_schema_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {
                "field": _loc_to_field(err.get("loc", ())),
                "code": str(err.get("type", "invalid")),
                "message": schema_message(err),
            }
            for err in exc.errors
        ]
        return body(request, 422, _("The request is not valid."), errors)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return body(request, 422, _("The request is not valid."), django_errors(exc))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return body(request, 404, _("Not found."))

    @api.exception_handler(PermissionDenied)
    def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return body(request, 403, str(exc) or _("You may not do this."))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return body(request, 401, _("Log in first."))

    @api.exception_handler(Exception)
    def on_fault(request: HttpRequest, exc: Exception) -> HttpResponse:
        # Django's own 500 page is HTML; the API keeps its JSON shape. The fault is logged as Django logs one.
        logger.exception("API fault on %s %s", request.method, request.path)
        return body(request, 500, _("Something went wrong on our side"))

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 403 and str(exc).startswith("CSRF"):
            # django-ninja's own words are English; say in the user's language what to send.
            detail = _("The CSRF check failed: send the value of the csrftoken cookie in the X-CSRFToken header.")
            return body(request, 403, detail, [{"field": "", "code": "csrf", "message": detail}])
        if isinstance(exc.__cause__, HostileInput):  # raised by CleanParser, wrapped by django-ninja
            hostile = exc.__cause__
            return body(request, 400, hostile.message, [{"field": "", "code": hostile.code, "message": hostile.message}])
        return body(request, exc.status_code, str(exc))
