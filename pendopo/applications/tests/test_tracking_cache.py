"""The tracking page: conditional GET (304) and a per-case fragment in Django's cache, never stale
after a step or a sweep, never shared across languages or users (applications/caching.py)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pendopo.applications import actions, caching
from pendopo.applications.tests.conftest import wib
from pendopo.regions.models import Region
from pendopo.workflow.sweep import sweep_overdue

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
ID = {"accept-language": "id"}


def page(client, application, headers=EN):
    response = client.get(f"/lacak/{application.code}/", headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def timeline(html):
    return re.search(r'<ol class="timeline" id="timeline">(.*?)</ol>', html, re.S).group(1)


def test_a_step_shows_on_the_next_read_of_a_cached_page(client, world, apply):
    application = apply()
    page(client, application)
    before = page(client, application)  # from the cache
    assert "Receive for verification" not in timeline(before)

    actions.take_action(application, "receive", world.officer_a1)

    after = page(client, application)
    assert "Receive for verification" in timeline(after)
    assert '<dd id="current-step"><strong>Document verification</strong>' in after


def test_a_repeated_read_asks_the_database_one_question(client, apply):
    application = apply()
    page(client, application)
    with CaptureQueriesContext(connection) as captured:
        page(client, application)
    assert len(captured) == 1, [q["sql"] for q in captured]


def test_a_conditional_repeat_read_is_a_304_until_the_case_moves(client, world, apply):
    application = apply()
    path = f"/lacak/{application.code}/"
    first = client.get(path, headers=EN)
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    conditional = {**EN, "if-none-match": first["ETag"]}

    with CaptureQueriesContext(connection) as captured:
        again = client.get(path, headers=conditional)
    assert again.status_code == 304 and again.content == b"" and len(captured) == 1

    actions.take_action(application, "receive", world.officer_a1)

    moved = client.get(path, headers=conditional)
    assert moved.status_code == 200 and moved["ETag"] != first["ETag"]
    assert "Receive for verification" in timeline(moved.content.decode())
    # Each language has its own ETag: a page read in Indonesian is not "not modified" in English.
    indonesian = client.get(path, headers=ID)
    assert indonesian["ETag"] != moved["ETag"]
    assert client.get(path, headers={**EN, "if-none-match": indonesian["ETag"]}).status_code == 200


def test_the_action_clears_the_cached_fragment_when_it_commits(client, world, apply, django_capture_on_commit_callbacks):
    application = apply()
    page(client, application, EN)
    page(client, application, ID)
    keys = [caching._key(application.code, language) for language in ("en", "id")]
    assert all(cache.get(key) is not None for key in keys)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        actions.take_action(application, "receive", world.officer_a1)
    assert all(cache.get(key) is not None for key in keys)  # not before the commit
    for callback in callbacks:
        callback()
    assert all(cache.get(key) is None for key in keys)


def test_a_step_taken_by_another_process_shows_at_once(client, world, apply):
    """Another process's cache is not cleared by this one's action: the version read with each page
    (one query) tells the copy is old."""
    from pendopo.workflow import engine

    application = apply()
    page(client, application)
    engine.apply_action(application.case_id, "receive", world.officer_a1)  # no on_commit clearing here
    assert cache.get(caching._key(application.code, "en")) is not None

    after = page(client, application)
    assert "Receive for verification" in timeline(after)


def test_the_sweep_marking_it_overdue_shows_at_once(client, apply, frozen):
    application = apply()  # the first step is due Tuesday 3 February 15:30
    frozen(wib(2026, 2, 4, 10, 0))
    assert "Past its deadline" not in page(client, application)  # late, but the sweep has not run yet

    sweep_overdue()

    assert "Past its deadline" in page(client, application)


def test_a_region_switched_off_hides_its_pages_at_once(client, world, apply):
    application = apply()
    page(client, application)
    Region.objects.filter(pk=world.region_a.pk).update(is_active=False)

    assert client.get(f"/lacak/{application.code}/").status_code == 404


def test_each_language_gets_its_own_page(client, world, apply):
    application = apply()
    actions.take_action(application, "receive", world.officer_a1)
    first = {"en": page(client, application, EN), "id": page(client, application, ID)}
    # Both are cached now: read them again, the other language first.
    again = {"id": page(client, application, ID), "en": page(client, application, EN)}

    for html in (first["en"], again["en"]):
        assert '<html lang="en">' in html and "Receive for verification" in html and "Current step" in html
    for html in (first["id"], again["id"]):
        assert '<html lang="id">' in html and "Receive for verification" not in html and "Current step" not in html
    assert again["en"] == first["en"]


def test_the_shared_page_carries_no_token_sets_no_cookie_and_its_language_switch_works(apply):
    """The page is the same bytes for every visitor without a session (a proxy could keep it); the
    language switch on it is exempt from CSRF (pendopo/urls.py), and every other form is not."""
    application = apply()
    alice, bob = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first = alice.get(f"/lacak/{application.code}/", headers=EN)
    second = bob.get(f"/lacak/{application.code}/", headers=EN)  # the fragment from the cache

    assert first.content == second.content
    for response in (first, second):
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert "X-CSRFToken" not in response.content.decode()
        assert "csrftoken" not in response.cookies and "Set-Cookie" not in str(response.headers)
    switched = bob.post("/i18n/setlang/", {"language": "en", "next": f"/lacak/{application.code}/"})
    assert switched.status_code == 302 and bob.cookies["django_language"].value == "en"
    # Other forms still need the token.
    assert bob.post("/keluar/").status_code == 403


def test_a_logged_in_visitor_gets_their_own_page_and_never_anyone_elses(client, world, apply):
    application = apply()
    anonymous = page(Client(), application)
    assert "Log in" in anonymous

    client.force_login(world.citizen)
    mine = page(client, application)
    assert str(world.citizen) in mine and "Log out" in mine

    later = page(Client(), application)
    assert str(world.citizen) not in later and "Log out" not in later and "Log in" in later


def test_every_kind_of_event_reaches_a_cached_page_at_once(client, world, apply, frozen):
    """Each way the engine and the sweep add to the timeline changes the page's version (caching.version)."""
    from pendopo.workflow.engine import reroute_case

    application = apply()
    actions.take_action(application, "receive", world.officer_a1)
    page(client, application)

    actions.assign(application, world.officer_a1, world.officer_a1)
    assert "Assigned" in timeline(page(client, application))

    reroute_case(application.case, world.admin_a, agency=world.agency_a2)
    assert "Handed to another agency" in timeline(page(client, application))

    # The step "verification" (1 working day) was due Tuesday 15:30; the sweep marks it, then escalates it.
    frozen(wib(2026, 2, 4, 10, 0))
    sweep_overdue()
    assert timeline(page(client, application)).count("Past its deadline") == 1
    frozen(wib(2026, 2, 6, 10, 0))
    sweep_overdue()
    assert "Escalated" in timeline(page(client, application))
