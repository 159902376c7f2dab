"""A citizen rates a completed application from its link; the agency head sees the index change."""

from __future__ import annotations

import re

import pytest

from pendopo.applications import actions as application_actions
from pendopo.applications.tests.conftest import form_data, service_standard, valid_form
from pendopo.catalog.tests.factories import make_service
from pendopo.surveys.models import SurveyResponse, application_key
from pendopo.surveys.tests.conftest import answer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def completed_application(world):
    service = make_service(
        world.head_a1, world.agency_a1, standard=service_standard(), channels=["online", "service_mall"], effective_from=None
    )
    form = valid_form(service, data=form_data())
    application = application_actions.submit_application(world.citizen, service, form.to_input())
    for step in ("receive", "verify", "submit_for_approval"):
        application_actions.take_action(application, step, world.officer_a1)
    application_actions.take_action(application, "approve", world.head_a1)
    return service, application


def test_citizen_rates_from_the_application_link_and_the_head_sees_the_index_change(page, log_in, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    service, application = completed_application(world)
    answer(service, 2)  # an earlier respondent: all nine "less …" → converted index 50,00, D

    report = f"/r/banyuwangi/skm/laporan/?opd={world.agency_a1.code}&periode={application.case.received_at.year}"
    log_in("kepala_a1")
    page.goto(report)
    figures = page.locator(".skm-figures")
    assert "50,00" in figures.inner_text()  # Indonesian: a decimal comma
    assert "D" in figures.locator(".grade").inner_text()

    # The citizen opens the completed application and follows its survey link.
    page.context.clear_cookies()
    log_in("warga")
    page.goto(f"/permohonan/{application.code}/")
    page.get_by_role("link", name="Nilai layanan ini").click()
    page.wait_for_url(re.compile(r"/r/banyuwangi/skm/isi/a/"))
    assert service.name in page.locator("main").inner_text()
    for n in range(1, 10):
        # The fourth answer of each element: "Sangat sesuai", "Sangat mudah", … "Dikelola dengan baik".
        page.locator(f"#q-u{n} .skm-answer").nth(3).click()
    page.locator("input[name=sex][value=female]").check()
    page.locator("input[name=age][value='30-39']").check()
    page.locator("#id_education").select_option("sma")
    page.locator("#id_occupation").select_option("self_employed")
    page.locator("#id_suggestion").fill("Petugas sangat membantu")
    page.locator("button.skm-submit").click()
    page.wait_for_url("**/skm/terima-kasih/")

    saved = SurveyResponse.objects.get(application_key=application_key(application.code))
    assert saved.scores == (4,) * 9 and saved.channel == "online"

    # The same link cannot be used twice.
    page.go_back()
    page.reload()
    assert "sudah dinilai" in page.locator("main").inner_text().lower()

    # The agency head sees the index move: (2 + 4) / 2 = 3 → 75,00, C; and the suggestion.
    page.context.clear_cookies()
    log_in("kepala_a1")
    page.goto(report)
    figures = page.locator(".skm-figures")
    assert "75,00" in figures.inner_text()
    assert "C" in figures.locator(".grade").inner_text()
    assert "Petugas sangat membantu" in page.locator("#suggestions ~ ul").inner_text()


def test_kiosk_clears_an_abandoned_form_but_never_a_respondent_who_is_still_answering(page, world, settings):
    """A tablet at the counter: quiet for the idle time → empty again; each touch restarts the count;
    the thank-you note goes away without wiping the next respondent's first answers."""
    settings.PENDOPO_KIOSK_IDLE_SECONDS = 3
    service = make_service(world.head_a1, world.agency_a1, standard=service_standard(), channels=["online"], effective_from=None)
    kiosk = f"/r/banyuwangi/skm/kios/{world.counter_a.code}/"
    page.goto(kiosk)
    checked = page.locator("input[type=radio]:checked")

    # A slow respondent: answers spread over more than the idle time are kept.
    for n in range(1, 5):
        page.locator(f"#q-u{n} .skm-answer").nth(2).click()
        page.wait_for_timeout(1_200)
    assert checked.count() == 4
    # … and then walks away: the form empties itself.
    page.wait_for_timeout(3_800)
    assert checked.count() == 0
    assert page.url.endswith(kiosk)

    # A complete answer: the thanks note, and the next respondent starts at once.
    page.locator("#id_service").select_option(service.code)
    for n in range(1, 10):
        page.locator(f"#q-u{n} .skm-answer").nth(3).click()
    page.locator("input[name=sex][value=male]").check()
    page.locator("input[name=age][value='50-59']").check()
    page.locator("#id_education").select_option("sd")
    page.locator("#id_occupation").select_option("farmer_fisher")
    page.locator("button.skm-submit").click()
    page.wait_for_url("**?selesai=1")
    assert page.locator(".skm-done").is_visible()
    assert checked.count() == 0  # nothing of the previous respondent
    page.locator("#q-u1 .skm-answer").nth(1).click()  # the next respondent, within the note's 8 seconds
    page.wait_for_timeout(2_000)
    assert checked.count() == 1  # not wiped by the note going away
    assert page.locator(".skm-done").count() == 0
    assert SurveyResponse.objects.filter(channel="kiosk", service_point=world.counter_a).count() == 1


def test_the_qr_poster_prints_on_one_a4_sheet(page, world):
    service = make_service(world.head_a1, world.agency_a1, standard=service_standard(), channels=["online"], effective_from=None)
    page.goto(f"/r/banyuwangi/skm/poster/?tempat={world.counter_a.code}&layanan={service.code}")
    page.emulate_media(media="print")
    assert page.locator(".site-nav").is_hidden() and page.get_by_role("button", name="Cetak").is_hidden()
    qr_width = page.locator(".poster-qr svg path").bounding_box()["width"]  # the code as drawn, not its box
    assert qr_width > 400  # about 12 cm of a 21 cm sheet: scannable from a counter's distance
    pdf = page.pdf(format="A4", print_background=True)
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one sheet
