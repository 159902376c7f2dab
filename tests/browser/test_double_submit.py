"""A double click on a create form's button (two clicks within 40 ms) creates one application and shows it,
with the page's script (the button is disabled while sending) and without it (the form's token)."""

from __future__ import annotations

import re

import pytest

from pendopo.applications.models import Application
from pendopo.applications.tests.conftest import pdf_bytes, service_standard
from pendopo.catalog.tests.factories import make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill(page, service) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"/r/banyuwangi/ajukan/{service.code}/")
    page.locator("#id_applicant-name").fill("Siti Rahayu")
    page.locator("#id_nik").fill("3510015203900001")
    page.locator("#id_phone").fill("0812 3456 7890")
    page.locator("#id_reason").select_option("new")
    page.locator("#id_doc-1").set_input_files(files=[{"name": "kk.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])


def _wait_for_application_page(page) -> None:  # type: ignore[no-untyped-def]
    """Without the script the browser sends the form twice and aborts the first navigation for the second;
    the wait sees that abort (net::ERR_ABORTED) and then waits for the second one, whose answer is the page."""
    from playwright.sync_api import Error as PlaywrightError

    target = re.compile(r"/permohonan/BWI-[0-9A-Z]{4}-[0-9A-Z]{4}/$")
    for _ in range(3):
        try:
            page.wait_for_url(target)
            return
        except PlaywrightError as error:
            if "ERR_ABORTED" not in str(error) and "frame was detached" not in str(error):
                raise
    page.wait_for_url(target)


@pytest.mark.parametrize("script", [True, False], ids=["with-script", "without-script"])
def test_a_double_click_creates_one_application_and_shows_it(
    browser, live_server, world, settings, tmp_path, script, accessibility
):
    settings.MEDIA_ROOT = tmp_path / "media"
    service = make_service(world.head_a1, world.agency_a1, standard=service_standard(), channels=["online"], effective_from=None)
    context = browser.new_context(base_url=live_server.url, locale="id-ID", java_script_enabled=script)
    context.set_default_timeout(10_000)
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(live_server.url) else route.abort())
    page = context.new_page()
    if script:
        accessibility.watch(page)  # axe runs in the page: not without JavaScript (the same pages are checked with it)
    try:
        page.goto("/masuk/")
        page.locator("#id_username").fill("warga")
        page.locator("#id_password").fill("password")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/masuk/" not in url)
        _fill(page, service)

        page.locator("#apply-form button[type=submit]").dblclick(delay=20)  # the second click 20 ms after the first

        _wait_for_application_page(page)
        application = Application.objects.get()
        assert application.code in page.locator("h1").inner_text()
        if script:
            accessibility.check(page)
            assert accessibility.violations == [], accessibility.report()
    finally:
        context.close()
