"""Login sessions through Django's own engine (`db`; `cached_db` with REDIS_URL): the checks a user relies on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from pendopo.regions.models import User

pytestmark = pytest.mark.django_db


def logged_in(client, username="petugas_a1"):
    response = client.post(reverse("login"), {"username": username, "password": "password"})
    assert response.status_code == 302, response
    return client


LOGGED_IN = 'action="/keluar/"'  # the log-out form
ANONYMOUS = 'href="/masuk/'  # the log-in link


def test_the_session_engine_is_djangos(settings):
    assert settings.SESSION_ENGINE in ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")
    assert "django.contrib.auth.backends.ModelBackend" in settings.AUTHENTICATION_BACKENDS


def test_logging_in_keeps_the_user_on_the_next_request(client, world):
    logged_in(client)
    session = Session.objects.get(session_key=client.cookies["sessionid"].value)
    assert session.get_decoded()["_auth_user_id"] == str(world.officer_a1.pk)
    assert LOGGED_IN in client.get("/").content.decode()


def test_a_deactivated_user_is_logged_out_on_the_next_request(client, world):
    logged_in(client)
    User.objects.filter(pk=world.officer_a1.pk).update(is_active=False)
    assert ANONYMOUS in client.get("/").content.decode()


def test_a_changed_password_ends_the_session(client, world):
    logged_in(client)
    officer = User.objects.get(pk=world.officer_a1.pk)
    officer.set_password("another-password-entirely")
    officer.save()
    assert ANONYMOUS in client.get("/").content.decode()


def test_logging_out_deletes_the_session(client, world):
    logged_in(client)
    key = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert ANONYMOUS in client.get("/").content.decode()


def test_a_made_up_session_is_no_login(client, world):
    client.cookies["sessionid"] = "x" * 32
    assert ANONYMOUS in client.get("/").content.decode()


def test_an_expired_session_is_no_login(client, world):
    logged_in(client)
    key = client.cookies["sessionid"].value
    Session.objects.filter(session_key=key).update(expire_date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert ANONYMOUS in client.get("/").content.decode()
