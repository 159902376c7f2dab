"""Login sessions that know their user (pendopo.regions.sessions): one query for session and user, same checks."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pendopo.regions import sessions
from pendopo.regions.models import User
from pendopo.regions.sessions import SessionUserBackend, UserSession

pytestmark = pytest.mark.django_db


def logged_in(client, username="petugas_a1"):
    response = client.post(reverse("login"), {"username": username, "password": "password"})
    assert response.status_code == 302, response
    return client


LOGGED_IN = 'action="/keluar/"'  # the log-out form
ANONYMOUS = 'href="/masuk/'  # the log-in link


def reads(captured, table):
    return [q["sql"] for q in captured if f'FROM "{table}"' in q["sql"]]


def test_logging_in_records_the_user_on_the_session_row(client, world):
    logged_in(client)
    row = UserSession.objects.get(session_key=client.cookies["sessionid"].value)
    assert row.user == world.officer_a1
    assert row.get_decoded()["_auth_user_id"] == str(world.officer_a1.pk)


def test_a_logged_in_request_reads_session_and_user_in_one_query(client, world):
    logged_in(client)
    client.get("/")  # whatever the first page caches
    with CaptureQueriesContext(connection) as captured:
        page = client.get("/").content.decode()
    assert LOGGED_IN in page
    assert len(reads(captured, "regions_usersession")) == 1
    assert 'JOIN "regions_user"' in reads(captured, "regions_usersession")[0]
    assert reads(captured, "regions_user") == [], "the user was read again"


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


def test_logging_out_deletes_the_row(client, world):
    logged_in(client)
    assert UserSession.objects.filter(user=world.officer_a1).count() == 1
    client.post(reverse("logout"))
    assert UserSession.objects.filter(user=world.officer_a1).count() == 0


def test_the_user_read_with_one_session_is_never_given_for_another_id(client, world):
    logged_in(client)
    client.get("/")  # reads the session with officer A1 in this thread
    backend = SessionUserBackend()
    with CaptureQueriesContext(connection) as captured:
        other = backend.get_user(world.officer_a2.pk)
    assert other == world.officer_a2 and len(captured) == 1  # read from the database, not taken

    # A session that cannot be read forgets the user read before it.
    bogus = Client()
    bogus.cookies["sessionid"] = "x" * 32
    assert ANONYMOUS in bogus.get("/").content.decode()
    assert sessions._read_with_session.get() is None
    with CaptureQueriesContext(connection) as captured:
        assert backend.get_user(world.officer_a1.pk) == world.officer_a1
    assert len(captured) == 1


def test_an_anonymous_session_has_no_user(client, world):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    session = client.session
    session["seen"] = True
    session.save()
    assert UserSession.objects.get(session_key=session.session_key).user is None


def test_an_expired_session_is_no_login(client, world, settings):
    import datetime as dt

    logged_in(client)
    UserSession.objects.filter(user=world.officer_a1).update(expire_date=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    assert ANONYMOUS in client.get("/").content.decode()


def test_the_session_reads_the_user_as_the_orm_would(client, world):
    """Every field of the user row comes back with the ORM's types (converters applied)."""
    logged_in(client)
    client.get("/")
    _key, user = sessions._read_with_session.get()
    fresh = User.objects.get(pk=world.officer_a1.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(fresh, field.attname), field.name
        assert type(getattr(user, field.attname)) is type(getattr(fresh, field.attname)), field.name
