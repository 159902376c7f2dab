"""Wrong passwords and codes are limited by account and by address (django-axes).

Found by the probe: 50 wrong passwords at /masuk/ and /admin/login/, then the right one, were all
accepted. Now, after AXES_FAILURE_LIMIT failures, the account is locked from any address and the
address for any account, with a page in Indonesian saying until when (429); a wrong one-time code
counts the same as a wrong password.
"""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from pendopo.accounts.tests.helpers import code_in, last_message, other_code

pytestmark = pytest.mark.django_db
PHONE = "081234567890"


@pytest.fixture(autouse=True)
def _limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.senders.LocmemSender"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def _login(client, url, username, password):  # type: ignore[no-untyped-def]
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=client.address)


def _client(address: str) -> Client:
    client = Client()
    client.address = address  # type: ignore[attr-defined]
    return client


@pytest.mark.parametrize("url", ["/masuk/", "/admin/login/"])
def test_the_right_password_after_too_many_wrong_ones_is_refused_with_the_unlock_time(world, url):
    world.admin_a.is_staff = True
    world.admin_a.save()
    attacker = _client("203.0.113.7")
    for _ in range(3):
        assert _login(attacker, url, "admin_a", "salah-terus").status_code in (200, 429)
    response = _login(attacker, url, "admin_a", "password")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Terlalu banyak percobaan yang salah" in page and "<time datetime=" in page
    assert re.search(r"<time datetime=\"[^\"]+\">[^<]+ WIB</time>", page)  # the unlock time names its zone
    assert "_auth_user_id" not in attacker.session
    # The account is locked from any other address too.
    assert _login(_client("198.51.100.9"), url, "admin_a", "password").status_code == 429


def test_the_address_is_locked_for_every_account(world):
    attacker = _client("203.0.113.8")
    for name in ("warga", "admin_a", "tidak-ada"):
        _login(attacker, "/masuk/", name, "salah-terus")
    assert _login(attacker, "/masuk/", "petugas_a1", "password").status_code == 429
    # Someone else, from another address, logs in as usual.
    assert _login(_client("198.51.100.10"), "/masuk/", "petugas_a1", "password").status_code == 302


def test_a_typed_phone_number_is_not_stored_in_clear(world):
    attacker = _client("203.0.113.9")
    _login(attacker, "/masuk/", "0813 5555 1234", "salah")
    assert not AccessAttempt.objects.filter(username__contains="5555").exists()
    assert AccessAttempt.objects.get().username.startswith("?")


def test_wrong_one_time_codes_count_and_lock_the_code_login_too(world):
    world.citizen.set_phone(PHONE)
    world.citizen.save()
    visitor = _client("203.0.113.10")
    assert visitor.post(reverse("accounts:login_code"), {"identifier": PHONE, "channel": "sms"}).status_code == 302
    code = code_in(last_message())
    for _ in range(3):
        response = visitor.post(reverse("accounts:code"), {"code": other_code(code)}, REMOTE_ADDR=visitor.address)
        assert response.status_code in (400, 429)
    response = visitor.post(reverse("accounts:code"), {"code": code}, REMOTE_ADDR=visitor.address)
    assert response.status_code == 429 and "_auth_user_id" not in visitor.session
    # And the account's password login from elsewhere is locked with it.
    assert _login(_client("198.51.100.11"), "/masuk/", "warga", "password").status_code == 429


def test_a_right_code_logs_in_and_clears_the_count(world):
    world.citizen.set_phone(PHONE)
    world.citizen.save()
    visitor = _client("203.0.113.11")
    _login(visitor, "/masuk/", "warga", "salah")
    visitor.post(reverse("accounts:login_code"), {"identifier": PHONE, "channel": "sms"})
    response = visitor.post(reverse("accounts:code"), {"code": code_in(last_message())}, REMOTE_ADDR=visitor.address)
    assert response.status_code == 302
    assert int(visitor.session["_auth_user_id"]) == world.citizen.pk
    assert visitor.get("/akun/").status_code == 200  # logged in on the next page too (a backend that loads users)


def test_a_request_without_an_address_is_no_fault(rf):
    from pendopo.lib.clients import client_address

    request = rf.get("/")
    request.META.pop("REMOTE_ADDR", None)
    assert client_address(request) is None
    request.META["REMOTE_ADDR"] = "bukan-alamat"
    assert client_address(request) is None
    request.META["REMOTE_ADDR"] = "203.0.113.5"
    assert client_address(request) == "203.0.113.5"
