"""The complainant's keyring: the tracking codes and keys this browser holds, in a signed cookie.

Anonymous means no link anywhere. Access to a complaint by its key is therefore never written
to the session (whose row names the logged-in account and is kept for two weeks), to the
database or to a log: the browser keeps the code and key itself, in a cookie signed with
SECRET_KEY (Django's `set_signed_cookie`, so it cannot be forged or edited) and HttpOnly. Each
request checks the key against the complaint's stored digest again, so a key that no longer
matches grants nothing. The key shown once after filing travels the same way, in a second
signed cookie deleted when the page has shown it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

COOKIE = "pendopo_aduan"
NEW_COOKIE = "pendopo_aduan_baru"
SALT = "pendopo.complaints.keyring"
MAX_KEYS = 20
MAX_AGE = 60 * 60 * 24 * 365  # a year: the complainant may come back to a long-running complaint
NEW_MAX_AGE = 60 * 10


def _read(request: HttpRequest, name: str, max_age: int) -> Any:
    try:
        return json.loads(request.get_signed_cookie(name, default="null", salt=SALT, max_age=max_age) or "null")
    except ValueError:
        return None


def keys(request: HttpRequest) -> dict[str, str]:
    """{tracking code: key} this browser holds (the pending changes of this request included)."""
    pending = getattr(request, "_pendopo_keyring", None)
    if pending is not None:
        return dict(pending)
    stored = _read(request, COOKIE, MAX_AGE)
    if not isinstance(stored, list):
        return {}
    return {str(pair[0]): str(pair[1]) for pair in stored if isinstance(pair, list) and len(pair) == 2}


def add(request: HttpRequest, code: str, secret: str) -> None:
    held = keys(request)
    held.pop(code, None)
    held[code] = secret
    request._pendopo_keyring = dict(list(held.items())[-MAX_KEYS:])  # type: ignore[attr-defined]  # the request carries the keyring to the response middleware


def show_once(request: HttpRequest, code: str, secret: str) -> None:
    """Let the next page show this key once."""
    request._pendopo_keyring_new = [code, secret]  # type: ignore[attr-defined]  # the request carries the keyring to the response middleware


def take_new(request: HttpRequest, code: str) -> str:
    """The key to show once on this complaint's page ("" if none); the cookie is deleted by `save`."""
    new = _read(request, NEW_COOKIE, NEW_MAX_AGE)
    if isinstance(new, list) and len(new) == 2 and new[0] == code:
        request._pendopo_keyring_shown = True  # type: ignore[attr-defined]  # the request carries the keyring to the response middleware
        return str(new[1])
    return ""


def save(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Write this request's changes to the browser's cookies."""
    secure = not settings.DEBUG and getattr(settings, "SESSION_COOKIE_SECURE", False)
    options: dict[str, Any] = {"salt": SALT, "httponly": True, "samesite": "Lax", "secure": secure}
    pending = getattr(request, "_pendopo_keyring", None)
    if pending is not None:
        value = json.dumps([[code, secret] for code, secret in pending.items()])
        response.set_signed_cookie(COOKIE, value, max_age=MAX_AGE, **options)
    new = getattr(request, "_pendopo_keyring_new", None)
    if new is not None:
        response.set_signed_cookie(NEW_COOKIE, json.dumps(new), max_age=NEW_MAX_AGE, **options)
    elif getattr(request, "_pendopo_keyring_shown", False):
        response.delete_cookie(NEW_COOKIE, samesite="Lax")
    return response
