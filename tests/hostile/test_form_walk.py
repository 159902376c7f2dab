"""Every form of the demo, every field, with the hostile catalogue: never a 5xx, NUL refused with nothing saved.

The walk crawls the demo as a visitor, a citizen, an officer and a region administrator (the same
bounded crawl as `test_walk.py`), reads every `<form>` of every page it reached, and sends each form
once per field and per value of the catalogue (NUL, control characters, a 40-digit number, a Unicode
digit, text that is no number, 100,000 characters, 2,000-deep JSON) with the other fields as the page
filled them. Every answer is a page, a redirect or a clear 4xx, never a server error. A value with
a NUL byte is refused with a 400 and nothing is saved; any other value may be accepted, but no text
stored afterwards holds a control character (they are removed on input, issue #18 item 1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import NoReverseMatch

from pendopo.lib.tests.hostile import NUL, VALUES

from .test_walk import SKIP, _crawl, _row_counts, _users

# What would end the visit itself (log out, switch the language): not walked.
SKIP_ACTIONS = (*SKIP, "/keluar/")
CONTROLS = {chr(code) for code in (*range(0, 9), 11, 12, *range(14, 32), 127)}


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # the values the page filled, one per name
    names: list[str] = field(default_factory=list)  # every field a user can type or choose in


class _Forms(HTMLParser):
    """The forms of a page, each with its fields' values as a browser would send them untouched."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            action = urljoin(self.page_url, a.get("action") or self.page_url)
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
            return
        form, name = self._form, a.get("name", "")
        if form is None or not name or "disabled" in a:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "reset", "image", "file"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a or name not in form.fields:
                    form.fields[name] = a.get("value", "on")
            else:
                form.fields[name] = a.get("value", "")
            if kind != "hidden" and name not in form.names:
                form.names.append(name)
        elif tag == "textarea":
            self._textarea = name
            form.fields[name] = ""
            form.names.append(name)
        elif tag == "select":
            self._select = name
            form.names.append(name)
        elif tag == "option" and self._select is not None and ("selected" in a or self._select not in form.fields):
            form.fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def _named(patterns: list, namespace: str = "") -> list[str]:  # type: ignore[type-arg]
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names += _named(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.append(f"{namespace}{pattern.name}")
    return names


def _start_pages(region_slug: str) -> tuple[str, ...]:
    """Every page whose address needs nothing but the region: where the crawl starts, so no form is missed."""
    pages = ["/"]
    for name in _named(get_resolver().url_patterns):
        for kwargs in ({}, {"region_slug": region_slug}):
            try:
                url = reverse(name, kwargs=kwargs)
            except NoReverseMatch:
                continue
            if not url.startswith(SKIP_ACTIONS) and not url.startswith(("/api/", "/open311/")):
                pages.append(url)
    return tuple(dict.fromkeys(pages))


PER_VIEW = 2  # a view's forms with other fields (each service's application form): the first two


def _forms(client: Client, region_slug: str, walked: set[tuple[str, str, tuple[str, ...]]]) -> list[Form]:
    """The forms on the pages the user reaches that no one walked yet: per view, up to PER_VIEW sets of fields."""
    found: dict[tuple[str, str, tuple[str, ...]], Form] = {}

    def read(url: str, response) -> None:  # type: ignore[no-untyped-def]
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return
        parser = _Forms(url)
        parser.feed(response.content.decode())
        for form in parser.forms:
            path = urlsplit(form.action).path
            if not form.names or not path.startswith("/") or path.startswith(SKIP_ACTIONS):
                continue
            try:
                view = resolve(path).view_name
            except Resolver404:
                continue
            key = (form.method, view, tuple(form.names))
            same_view = sum(1 for other in (*found, *walked) if other[:2] == key[:2] and other != key)
            if key not in walked and key not in found and same_view < PER_VIEW:
                found[key] = form
                walked.add(key)

    _crawl(client, limit=400, start=_start_pages(region_slug), on_page=read)
    return list(found.values())


def _send(client: Client, form: Form, name: str, value: str):  # type: ignore[no-untyped-def]
    data = {**form.fields, name: value}
    path = urlsplit(form.action).path
    if form.method == "post":
        return client.post(path, data)
    return client.get(path, data)


def _stored_control_characters() -> list[str]:
    """Text columns of every table that hold a control character other than tab and newline."""
    found = []
    for model in apps.get_models():
        if model._meta.app_label in ("sessions", "axes", "django_cache", "admin"):
            continue
        for column in model._meta.concrete_fields:
            if isinstance(column, (models.CharField, models.TextField)) and not column.choices:
                for value in model.objects.exclude(**{f"{column.name}__in": ("", None)}).values_list(column.name, flat=True):
                    if value and CONTROLS & set(value):
                        found.append(f"{model._meta.label}.{column.name}: {value[:40]!r}")
    return found


def test_every_form_field_survives_the_hostile_catalogue(demo):
    failures: list[tuple[str, str, str, str, int]] = []
    walked, forms_walked = 0, set()  # type: ignore[var-annotated]
    for user in _users():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        who = getattr(user, "username", "-")
        forms = _forms(client, "banyuwangi", forms_walked)
        assert forms, f"no form reached as {who}"
        for form in forms:
            before = _row_counts()
            for name in form.names:  # the NUL byte first: refused, nothing saved
                response = _send(client, form, name, NUL)
                if response.status_code != 400:
                    failures.append((who, form.method, form.action, f"{name}=NUL", response.status_code))
            changed = {label for label, count in _row_counts().items() if count != before[label]}
            assert changed <= {"axes.AccessAttempt"}, (who, form.action, changed)
            for name in form.names:
                for value in VALUES:
                    if value == NUL:
                        continue
                    response = _send(client, form, name, value)
                    walked += 1
                    if response.status_code >= 500:
                        failures.append((who, form.method, form.action, f"{name}={value[:12]!r}", response.status_code))
    assert walked > 500, walked
    assert not failures, "\n".join(map(str, failures))
    assert not _stored_control_characters()
