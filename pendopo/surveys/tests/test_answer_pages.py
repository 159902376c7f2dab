"""Answering the survey from a QR code, a completed application's link, and a kiosk."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pendopo.surveys import links
from pendopo.surveys.choices import Channel
from pendopo.surveys.models import SurveyResponse, application_key
from pendopo.surveys.tests.conftest import form_data


def qr_url(region, **query):
    from urllib.parse import urlencode

    return reverse("surveys:answer", args=[region.slug]) + ("?" + urlencode(query) if query else "")


def test_the_form_shows_the_nine_elements_with_the_regulations_answers(client, world, services):
    response = client.get(qr_url(world.region_a, layanan="KTP-EL", tempat="MPP-01"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    for n in range(1, 10):
        assert f'name="u{n}"' in html
    assert html.count('type="radio"') >= 9 * 4
    assert "Very polite and friendly" in html and "Free of charge" in html
    assert "Penerbitan KTP Elektronik" in html
    assert 'name="service"' not in html  # the QR names the service


def test_qr_answer_is_saved(client, world, services):
    response = client.post(
        qr_url(world.region_a, layanan="KTP-EL", tempat="MPP-01"), form_data([4, 3, 4, 3, 4, 3, 4, 3, 2], suggestion="Cepat")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:thanks", args=[world.region_a.slug])
    saved = SurveyResponse.objects.get()
    assert (saved.service, saved.service_point, saved.channel) == (services.ktp, world.counter_a, Channel.QR)
    assert saved.scores == (4, 3, 4, 3, 4, 3, 4, 3, 2)
    assert (saved.sex, saved.age, saved.suggestion, saved.application_key) == ("female", "30-39", "Cepat", None)


def test_without_a_service_in_the_link_the_respondent_chooses_it(client, world, services):
    response = client.get(qr_url(world.region_a))
    assert 'name="service"' in response.content.decode()
    assert "AKTA-LAHIR" in response.content.decode()
    assert client.post(qr_url(world.region_a), form_data(service="VAKSIN")).status_code == 302
    assert SurveyResponse.objects.get().agency == world.agency_a2


def test_a_missing_answer_is_named_and_nothing_saved(client, world, services):
    data = form_data()
    del data["u3"]
    response = client.post(qr_url(world.region_a, layanan="KTP-EL"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert 'id="q-u3" aria-invalid="true"' in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_error_summary_links_to_each_unanswered_question(client, world, services):
    """On a phone the nine questions are five screens long: the summary says which ones, and jumps there."""
    data = form_data()
    for name in ("u3", "u7", "age"):
        del data[name]
    html = client.post(qr_url(world.region_a, layanan="KTP-EL"), data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    summary = html[html.index('id="skm-missing"') : html.index("</div>", html.index('id="skm-missing"'))]
    assert re.findall(r'href="#([\w-]+)"', summary) == ["q-u3", "q-u7", "q-age"]
    assert 'id="q-age" aria-invalid="true"' in html


@pytest.mark.parametrize("value", ["5", "0", "x"])
def test_a_score_outside_one_to_four_is_refused(client, world, services, value):
    response = client.post(qr_url(world.region_a, layanan="KTP-EL"), form_data(u5=value))
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_another_regions_service_or_point_is_not_found(client, world, services):
    services.ktp_b.code = "KTP-B"
    services.ktp_b.save()
    assert client.get(qr_url(world.region_a, layanan="KTP-B")).status_code == 404
    assert client.get(reverse("surveys:poster", args=[world.region_a.slug]) + "?layanan=KTP-B").status_code == 404
    assert client.get(qr_url(world.region_b, tempat="MPP-01")).status_code == 404
    assert client.get(reverse("surveys:kiosk", args=[world.region_b.slug, "MPP-01"])).status_code == 404


def test_application_link_one_response_per_application(client, world, services):
    url = links.application_survey_url(world.region_a, "BWI-7K3M-9QX2", services.akta, world.counter_a)
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "Akta Kelahiran" in page.content.decode()
    assert client.post(url, form_data(3)).status_code == 302
    saved = SurveyResponse.objects.get()
    assert (saved.application_key, saved.service, saved.channel) == (
        application_key("BWI-7K3M-9QX2"),
        services.akta,
        Channel.ONLINE,
    )

    again = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert "already been rated" in again.content.decode()
    second = client.post(url, form_data(1), HTTP_ACCEPT_LANGUAGE="en")
    assert "already been rated" in second.content.decode()
    assert SurveyResponse.objects.count() == 1 and SurveyResponse.objects.get().u1 == 3


def test_forged_or_foreign_links_are_not_found(client, world, services):
    url = links.application_survey_url(world.region_a, "BWI-7K3M-9QX2", services.akta)
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert client.get(reverse("surveys:answer_application", args=[world.region_a.slug, token + "x"])).status_code == 404
    assert client.get(reverse("surveys:answer_application", args=[world.region_b.slug, token])).status_code == 404
    assert not SurveyResponse.objects.exists()


def test_kiosk_starts_empty_after_each_respondent(client, world, services, settings):
    settings.PENDOPO_KIOSK_IDLE_SECONDS = 42
    url = reverse("surveys:kiosk", args=[world.region_a.slug, "MPP-01"])
    page = client.get(url)
    assert page.status_code == 200
    assert "no-store" in page["Cache-Control"]
    assert 'http-equiv="refresh" content="42;' in page.content.decode()
    assert 'data-idle-seconds="42"' in page.content.decode()
    posted = client.post(url, form_data(suggestion="Ruang tunggu panas", service="KTP-EL"))
    assert posted.status_code == 302 and posted["Location"] == url + "?selesai=1"
    after = client.get(posted["Location"], HTTP_ACCEPT_LANGUAGE="en")
    html = after.content.decode()
    assert "The next respondent can start now" in html
    assert "checked" not in html and "Ruang tunggu panas" not in html
    assert not client.session.keys()
    assert SurveyResponse.objects.get().channel == Channel.KIOSK


def test_too_many_answers_from_one_device(client, world, services, settings):
    settings.PENDOPO_SURVEY_RATES = {"form": "2/h"}
    url = qr_url(world.region_a, layanan="KTP-EL")
    assert client.post(url, form_data()).status_code == 302
    assert client.post(url, form_data()).status_code == 302
    assert client.post(url, form_data()).status_code == 429
    assert SurveyResponse.with_held.count() == 2  # (the second, the same answers again, is held for review)


def test_poster_has_an_inline_qr_code(client, world, services):
    response = client.get(reverse("surveys:poster", args=[world.region_a.slug]) + "?tempat=MPP-01&layanan=KTP-EL")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and "/r/banyuwangi/skm/isi/?layanan=KTP-EL&amp;tempat=MPP-01" in html
    choose = client.get(reverse("surveys:poster", args=[world.region_a.slug]))
    assert "?tempat=MPP-01" in choose.content.decode()
    # One service at one point, chosen together.
    assert 'name="tempat"' in choose.content.decode() and 'name="layanan"' in choose.content.decode()


def test_poster_qr_code_carries_the_sites_public_address(client, world, services, settings):
    """Printed from the office network (here: testserver), the poster still sends citizens to the public site."""
    settings.PENDOPO_BASE_URL = "https://layanan.banyuwangikab.go.id/"
    html = client.get(reverse("surveys:poster", args=[world.region_a.slug]) + "?layanan=KTP-EL").content.decode()
    assert "https://layanan.banyuwangikab.go.id/r/banyuwangi/skm/isi/?layanan=KTP-EL" in html
    assert "testserver" not in html


def test_the_form_speaks_indonesian_by_default(client, world, services):
    html = client.get(qr_url(world.region_a, layanan="KTP-EL")).content.decode()
    for wording in ("Sangat sesuai", "Gratis", "Sangat sopan dan ramah", "Ada tetapi tidak berfungsi", "Dikelola dengan baik"):
        assert wording in html
