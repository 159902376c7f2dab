"""The officer inbox: filters, sorting, paging, and the same number of queries at any size."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pendopo.applications import actions
from pendopo.applications.selectors import InboxFilters, inbox
from pendopo.applications.tests.conftest import form_data, service_standard, valid_form, wib
from pendopo.catalog.tests.factories import make_service

pytestmark = pytest.mark.django_db


def codes(page):
    return [row.code for row in page.rows]


@pytest.fixture
def spread(world, service, frozen):
    """Four applications received Monday to Thursday of the first week of February."""
    made = []
    for day in (2, 3, 4, 5):
        frozen(wib(2026, 2, day, 9, 0))
        made.append(actions.submit_application(world.citizen, service, valid_form(service).to_input()))
    return made


def test_sorted_by_step_deadline_and_filtered_by_state(world, spread, frozen):
    frozen(wib(2026, 2, 5, 10, 0))
    actions.take_action(spread[3], "receive", world.officer_a1)

    page = inbox(world.officer_a1, world.region_a, InboxFilters())
    assert codes(page) == [a.code for a in spread]  # step deadlines Tue, Wed, Thu, Fri (receive: Thu + 1 = Fri)
    submitted = inbox(world.officer_a1, world.region_a, InboxFilters(state="submitted"))
    assert codes(submitted) == [a.code for a in spread[:3]]
    newest = inbox(world.officer_a1, world.region_a, InboxFilters(sort="-received"))
    assert codes(newest) == [a.code for a in reversed(spread)]


def test_due_today_overdue_and_assigned_to_me(world, spread, frozen):
    frozen(wib(2026, 2, 4, 10, 0))  # Wednesday
    actions.assign(spread[2], world.officer_a1, world.officer_a1)

    assert codes(inbox(world.officer_a1, world.region_a, InboxFilters(due="today"))) == [spread[1].code]  # Tue's, due Wed
    assert codes(inbox(world.officer_a1, world.region_a, InboxFilters(due="overdue"))) == [spread[0].code]  # Mon's, due Tue
    assert codes(inbox(world.officer_a1, world.region_a, InboxFilters(mine=True))) == [spread[2].code]


def test_filter_by_service(world, spread, frozen):
    frozen(wib(2026, 1, 5, 9, 0))
    other = make_service(world.head_a1, world.agency_a1, code="AKTA-LAHIR", name="Akta kelahiran", standard=service_standard())
    frozen(wib(2026, 2, 6, 9, 0))
    birth = actions.submit_application(world.citizen, other, valid_form(other).to_input())
    assert codes(inbox(world.officer_a1, world.region_a, InboxFilters(service="AKTA-LAHIR"))) == [birth.code]
    assert inbox(world.officer_a1, world.region_a, InboxFilters(service="KTP-EL")).total == 4


def test_paging_by_fifty(world, service, monkeypatch):
    from pendopo.applications import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 3)
    made = [actions.submit_application(world.citizen, service, valid_form(service).to_input()) for _ in range(7)]
    pages = [inbox(world.officer_a1, world.region_a, InboxFilters(page=n)) for n in (1, 2, 3, 9)]
    assert [len(p.rows) for p in pages] == [3, 3, 1, 1]
    assert pages[0].pages == 3 and pages[3].page == 3
    assert sorted(c for p in pages[:3] for c in codes(p)) == sorted(a.code for a in made)


def test_other_agencies_and_regions_have_empty_or_no_inboxes(world, spread):
    assert inbox(world.officer_a2, world.region_a, InboxFilters()).total == 0
    assert inbox(world.officer_b1, world.region_a, InboxFilters()).total == 0
    assert inbox(world.admin_a, world.region_a, InboxFilters()).total == 4
    # An officer cannot open another agency's inbox by naming it.
    place = f"agency:{world.agency_a1.pk}"
    assert inbox(world.officer_a2, world.region_a, InboxFilters(place=place)).total == 0


def count_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_the_inbox_page_runs_the_same_number_of_queries_at_any_size(client, world, service):
    client.force_login(world.officer_a1)
    actions.submit_application(world.citizen, service, valid_form(service).to_input())
    url = "/r/banyuwangi/kotak-masuk/?sort=deadline&due=&state=submitted"
    count_queries(client, url)  # the filters' choices are cached for a minute after the first request
    small, page = count_queries(client, url)
    assert len(re.findall(r'href="/permohonan/BWI-', page)) == 1
    for _ in range(12):
        actions.submit_application(world.citizen, service, valid_form(service).to_input())
    large, page = count_queries(client, url)
    assert len(re.findall(r'href="/permohonan/BWI-', page)) == 13
    assert small == large
    # Session and user (Django's session engine), the memberships (with the region), then the
    # count and the rows (the permission inside them).
    assert large == 5, large


def test_the_htmx_filter_returns_only_the_results(client, world, spread):
    client.force_login(world.officer_a1)
    response = client.get(
        "/r/banyuwangi/kotak-masuk/?state=submitted", headers={"HX-Request": "true", "HX-Target": "inbox-results"}
    )
    html = response.content.decode()
    assert html.startswith('<div id="inbox-results"') and "<html" not in html
    assert "3510********0001" in html and "3510015203900001" not in html  # masked in lists


def test_rows_on_an_older_workflow_version_keep_its_labels(client, world, service):
    from pendopo.workflow.actions import DEFAULT_SERVICE_CODE, create_definition
    from pendopo.workflow.definition import default_service_workflow

    old = actions.submit_application(world.citizen, service, valid_form(service).to_input())
    client.force_login(world.officer_a1)
    client.get("/r/banyuwangi/kotak-masuk/")  # the filters' choices are cached with version 1 active
    renamed = default_service_workflow()
    for state in renamed["states"]:
        if state["key"] == "submitted":
            state["label_en"] = "Waiting at the counter"
    create_definition(world.region_a, DEFAULT_SERVICE_CODE, "Alur layanan standar", renamed)
    new = actions.submit_application(world.citizen, service, valid_form(service).to_input())

    html = client.get("/r/banyuwangi/kotak-masuk/?state=submitted", headers={"accept-language": "en"}).content.decode()

    rows = dict(re.findall(r'<a href="/permohonan/([^/]+)/">.*?</td><td>.*?</td><td>([^<]+)</td>', html))
    assert rows == {old.code: "Submitted", new.code: "Waiting at the counter"}


def test_the_filters_speak_the_language_of_each_request(client, world, spread):
    client.force_login(world.officer_a1)
    indonesian = client.get("/r/banyuwangi/kotak-masuk/", headers={"accept-language": "id"}).content.decode()
    english = client.get("/r/banyuwangi/kotak-masuk/", headers={"accept-language": "en"}).content.decode()
    assert '<option value="verification">Verifikasi berkas</option>' in indonesian
    assert '<option value="verification">Document verification</option>' in english


def test_the_page_escapes_names_and_marks_the_chosen_filters(client, world, spread, frozen):
    """Names are escaped in the rows and the selects, and the visitor's choices stay selected."""
    frozen(wib(2026, 1, 5, 9, 0))
    other = make_service(
        world.head_a1, world.agency_a1, code="AKTA-LAHIR", name='Akta <b>lahir</b> & "anak"', standard=service_standard()
    )
    frozen(wib(2026, 2, 6, 9, 0))
    form = valid_form(other, data=form_data(**{"applicant-name": "Budi <script>x</script>"}))
    actions.submit_application(world.citizen, other, form.to_input())
    client.force_login(world.officer_a1)

    html = client.get("/r/banyuwangi/kotak-masuk/", {"service": "AKTA-LAHIR", "sort": "-received"}).content.decode()

    assert "<b>lahir</b>" not in html and "<script>x" not in html
    assert "Akta &lt;b&gt;lahir&lt;/b&gt; &amp; &quot;anak&quot;" in html
    assert "Budi &lt;script&gt;x&lt;/script&gt;" in html
    assert re.search(r'<option value="AKTA-LAHIR" selected>Akta &lt;b&gt;', html)
    assert re.search(r'<option value="-received" selected>', html)
    assert not re.search(r'<option value="KTP-EL" selected>', html)
    assert len(re.findall(r'href="/permohonan/BWI-', html)) == 1


def test_a_reloaded_inbox_shows_the_rows_of_the_moment_with_the_same_queries(world, service, frozen):
    frozen(wib(2026, 2, 2, 9, 0))
    first = actions.submit_application(world.citizen, service, valid_form(service).to_input())
    with CaptureQueriesContext(connection) as before:
        page = inbox(world.officer_a1, world.region_a, InboxFilters())
    assert codes(page) == [first.code]

    second = actions.submit_application(world.citizen, service, valid_form(service).to_input())
    with CaptureQueriesContext(connection) as again:
        page = inbox(world.officer_a1, world.region_a, InboxFilters())

    assert codes(page) == [first.code, second.code] and page.total == 2

    def on_cases(captured):
        return [q["sql"] for q in captured if 'FROM "workflow_case"' in q["sql"]]

    assert len(on_cases(before)) == 2 and on_cases(again) == on_cases(before)  # the count and the rows


def test_a_changed_membership_changes_the_inbox_at_once(world, service, frozen):
    from pendopo.regions.models import Membership, User

    frozen(wib(2026, 2, 2, 9, 0))
    application = actions.submit_application(world.citizen, service, valid_form(service).to_input())  # agency A1
    place = f"agency:{world.agency_a1.pk}"
    assert codes(inbox(world.officer_a1, world.region_a, InboxFilters(place=place))) == [application.code]

    membership = Membership.objects.get(user=world.officer_a1, agency=world.agency_a1)
    membership.agency = world.agency_a2
    membership.save()
    officer = User.objects.get(pk=world.officer_a1.pk)  # as the next request loads it

    assert codes(inbox(officer, world.region_a, InboxFilters(place=place))) == []


def test_filters_keep_what_is_valid_and_leave_out_the_rest():
    from pendopo.applications.forms import InboxFilterForm

    query = {"state": "nope", "service": "KTP-EL", "sort": "-received", "page": "2x", "mine": "on", "closed": "false"}
    form = InboxFilterForm(query, places=[("agency:1", "A")], states=[("submitted", "Submitted")], services=[("KTP-EL", "KTP")])
    assert form.filters() == {
        "place": "agency:1",
        "state": "",
        "service": "KTP-EL",
        "due": "",
        "mine": True,
        "closed": False,
        "sort": "-received",
        "page": 1,
        "q": "",
        "nik": "",
    }
    places = [("agency:1", "A"), ("point:2", "B")]
    chosen = InboxFilterForm({"page": "3", "place": "point:2"}, places=places).filters()
    assert (chosen["place"], chosen["page"]) == ("point:2", 3)
    assert InboxFilterForm({"page": "0", "place": "point:9"}, places=places).filters()["page"] == 1
    assert InboxFilterForm({"place": "point:9"}, places=places).filters()["place"] == "agency:1"


def test_an_inbox_with_no_place_shows_nothing(world, service, frozen):
    """An officer of another region opens no inbox here, however often they ask."""
    from pendopo.regions.models import User

    frozen(wib(2026, 2, 2, 9, 0))
    actions.submit_application(world.citizen, service, valid_form(service).to_input())
    for _ in range(2):
        officer = User.objects.get(pk=world.officer_b1.pk)  # memberships not loaded yet: read inside inbox()
        page = inbox(officer, world.region_a, InboxFilters())
        assert (page.total, page.rows) == (0, [])


def _other_services(world, count):
    """`count` services of the other agency, written at once (their standards play no part in the filter)."""
    from pendopo.catalog.models import Service

    Service.objects.bulk_create(
        Service(
            region=world.region_a,
            agency=world.agency_a2,
            code=f"DINKES-{n:04d}",
            name=f"Layanan kesehatan {n:04d}",
            category="health",
            channel_service_mall=True,
        )
        for n in range(count)
    )


def test_the_inbox_offers_only_the_services_its_officer_handles(client, world, spread):
    from django.core.cache import cache

    client.force_login(world.officer_a1)
    url = "/r/banyuwangi/kotak-masuk/?state=submitted"
    cache.clear()  # the filters' choices are cached for a minute: both pages read them
    queries_before, before = count_queries(client, url)
    _other_services(world, 200)
    cache.clear()
    queries_after, after = count_queries(client, url)
    assert len(after.encode()) == len(before.encode())  # the page does not grow with the region's other services
    assert queries_after == queries_before
    assert '<option value="KTP-EL">' in after and "DINKES-" not in after
    assert len(re.findall(r'href="/permohonan/BWI-', after)) == 4

    # The other agency's officer sees theirs, the counter officer those offered at the counter (of
    # any agency, as an MPP serves them all), the region administrator every one.
    client.force_login(world.officer_a2)
    assert client.get(url).content.decode().count('<option value="DINKES-') == 200
    client.force_login(world.counter_officer_a)
    counter = client.get(url).content.decode()
    assert counter.count('<option value="DINKES-') == 200 and '<option value="KTP-EL">' in counter
    client.force_login(world.admin_a)
    assert client.get(url).content.decode().count('<option value="') > 200


def test_the_inbox_counts_a_bounded_number_of_rows(world, service, monkeypatch):
    from pendopo.applications import selectors

    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    monkeypatch.setattr(selectors, "MAX_PAGES", 2)
    made = [actions.submit_application(world.citizen, service, valid_form(service).to_input()) for _ in range(5)]
    first = inbox(world.officer_a1, world.region_a, InboxFilters())
    last = inbox(world.officer_a1, world.region_a, InboxFilters(page=9))
    assert (first.total, first.more, first.pages) == (4, True, 2)
    assert last.page == 2 and len(last.rows) == 2
    assert set(codes(first) + codes(last)) < {a.code for a in made}
    narrowed = inbox(world.officer_a1, world.region_a, InboxFilters(sort="-received"))
    assert codes(narrowed)[0] == made[-1].code
