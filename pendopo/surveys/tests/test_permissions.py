"""Who sees what: an agency sees its own raw responses; the public only the indices."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from pendopo.surveys import selectors
from pendopo.surveys.tests.conftest import answer

# persona → which of the four responses (A1 service, A2 service, A1 at the counter, B1 service) they may read raw
EXPECTED = {
    "anonymous": set(),
    "citizen": set(),
    "officer_a1": {"a1", "a1_counter"},
    "head_a1": {"a1", "a1_counter"},
    "officer_a2": {"a2"},
    "counter_officer_a": {"a1_counter"},
    "admin_a": {"a1", "a2", "a1_counter"},
    "officer_b1": {"b1"},
    "admin_b": {"b1"},
    "platform_admin": {"a1", "a2", "a1_counter", "b1"},
}


@pytest.fixture
def responses(world, services):
    return {
        "a1": answer(services.ktp, suggestion="rahasia-a1"),
        "a2": answer(services.vaksin, suggestion="rahasia-a2"),
        "a1_counter": answer(services.akta, service_point=world.counter_a, suggestion="rahasia-loket"),
        "b1": answer(services.ktp_b, suggestion="rahasia-b1"),
    }


def persona(world, name):
    return AnonymousUser() if name == "anonymous" else getattr(world, name)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_raw_responses_matrix(world, responses, name):
    user = persona(world, name)
    seen = set()
    for region in (world.region_a, world.region_b):
        ids = set(selectors.responses_visible_to(user, region).values_list("pk", flat=True))
        seen |= {key for key, response in responses.items() if response.pk in ids}
    assert seen == EXPECTED[name]


REPORTS = {
    # unit query → (personas allowed to see the raw parts: suggestions, PDF, XLSX, CSV; the suggestions it shows them)
    "opd=DISDUKCAPIL": ({"officer_a1", "head_a1", "admin_a", "platform_admin"}, {"rahasia-a1", "rahasia-loket"}),
    "opd=DINKES": ({"officer_a2", "admin_a", "platform_admin"}, {"rahasia-a2"}),
    "layanan=KTP-EL": ({"officer_a1", "head_a1", "admin_a", "platform_admin"}, {"rahasia-a1"}),
    "tempat=MPP-01": ({"counter_officer_a", "admin_a", "platform_admin"}, {"rahasia-loket"}),
    "": ({"admin_a", "platform_admin"}, {"rahasia-a1", "rahasia-a2", "rahasia-loket"}),
}

SECRETS = ("rahasia-a1", "rahasia-a2", "rahasia-loket", "rahasia-b1")


@pytest.mark.parametrize("query", sorted(REPORTS))
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_report_exports_only_for_the_units_staff(client, world, responses, query, name):
    if name != "anonymous":
        client.force_login(getattr(world, name))
    staff, suggestions = REPORTS[query]
    allowed = name in staff
    for view in ("surveys:report_xlsx", "surveys:report_csv", "surveys:report_pdf"):
        response = client.get(reverse(view, args=[world.region_a.slug]) + "?" + query + "&periode=2026")
        assert response.status_code == (200 if allowed else 404), (view, name, query)
        if allowed and view == "surveys:report_csv":
            # The CSV lists exactly the unit's raw responses the page shows its staff.
            content = b"".join(response.streaming_content).decode("utf-8-sig")
            assert {word for word in SECRETS if word in content} == suggestions, query
    page = client.get(reverse("surveys:report", args=[world.region_a.slug]) + "?" + query)
    assert page.status_code == 200  # the figures are public
    shown = {word for word in SECRETS if word in page.content.decode()}
    assert shown == (suggestions if allowed else set())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_public_page_shows_indices_and_never_raw_answers(client, world, responses, name):
    if name != "anonymous":
        client.force_login(getattr(world, name))
    page = client.get(reverse("surveys:public", args=[world.region_a.slug]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "rahasia" not in html
    assert "100.00" in html


def test_other_regions_suggestions_never_appear(client, world, responses):
    client.force_login(world.admin_b)
    page = client.get(reverse("surveys:report", args=[world.region_a.slug]) + "?opd=DISDUKCAPIL")
    assert "rahasia" not in page.content.decode()
    client.force_login(world.admin_a)
    page = client.get(reverse("surveys:report", args=[world.region_a.slug]))
    html = page.content.decode()
    assert "rahasia-a1" in html and "rahasia-a2" in html and "rahasia-b1" not in html
