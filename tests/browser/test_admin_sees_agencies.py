"""A region administrator logs in through the login page and sees their own agencies, never another region's."""

from __future__ import annotations

import pytest

from pendopo.regions.tests.factories import AgencyFactory
from tests.browser.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_region_admin_sees_own_agencies_on_the_page_and_in_the_admin(page, log_in, world):
    AgencyFactory(region=world.region_b, code="DINSOS", name="Dinas Sosial", short_name="Dinsos")

    log_in("admin_b")

    # The region's agency list: B's agencies, none of A's.
    page.goto("/r/mamuju-tengah/opd/")
    rows = page.locator("#agency-results tbody tr")
    assert rows.count() == 2
    table = page.locator("#agency-results").inner_text()
    assert "Disdukcapil" in table and "Dinas Sosial" in table
    assert "Dispendukcapil" not in table and "Dinas Kesehatan" not in table

    # The role panel on the region's home leads to the admin.
    page.goto("/r/mamuju-tengah/")
    assert "admin pemda" in page.locator(".panel-role").inner_text()
    page.locator(".panel-role").get_by_role("link", name="Buka administrasi pemerintah daerah").click()
    page.wait_for_url("**/admin/")

    page.goto("/admin/regions/agency/")
    changelist = page.locator("#result_list").inner_text()
    assert "Dinas Kependudukan dan Pencatatan Sipil" in changelist and "Dinas Sosial" in changelist
    assert "Dinas Kesehatan" not in changelist
    assert page.locator("#result_list tbody tr").count() == 2

    # Another region's agency cannot be opened by its address either.
    page.goto(f"/admin/regions/agency/{world.agency_a2.pk}/change/")
    assert "Dinas Kesehatan" not in page.content()


def test_region_admin_logs_in_on_the_admin_page_and_adds_an_agency(page, world):
    """Region administrators are not Django staff: the admin's own login page lets them in by membership."""
    page.goto("/admin/")
    page.wait_for_url("**/admin/login/**")
    page.locator("#id_username").fill("admin_a")
    page.locator("#id_password").fill("password")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")

    page.goto("/admin/regions/agency/add/")
    assert page.locator("#id_region option:checked").inner_text() == "Kabupaten Banyuwangi"  # chosen for them
    page.locator("#id_code").fill("DISPAR")
    page.locator("#id_name").fill("Dinas Kebudayaan dan Pariwisata")
    page.locator("#id_short_name").fill("Disbudpar")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/admin/regions/agency/")
    assert "Dinas Kebudayaan dan Pariwisata" in page.locator("#result_list").inner_text()

    page.goto("/r/banyuwangi/opd/")
    assert "Dinas Kebudayaan dan Pariwisata" in page.locator("#agency-results").inner_text()


def test_the_admin_login_refuses_an_officer_in_indonesian(page, world):
    page.goto("/admin/login/")
    page.locator("#id_username").fill("petugas_a1")
    page.locator("#id_password").fill("password")
    page.locator("input[type=submit]").click()
    assert "Masukkan nama pengguna dan sandi admin pemda atau admin platform." in page.locator(".errornote").inner_text()
    assert "/admin/login/" in page.url


def test_officer_cannot_enter_the_admin(page, log_in, world):
    log_in("petugas_a1")
    page.goto("/admin/")
    assert "/admin/login/" in page.url


def test_agency_search_updates_the_table_in_place_with_htmx(page, world):
    page.goto("/r/banyuwangi/opd/")
    assert page.locator("#agency-results tbody tr").count() == 2
    page.evaluate("window.__marker = 'same page'")  # survives only if the page is not reloaded

    page.locator("#agency-q").fill("kesehatan")
    wait_for(page, "document.querySelectorAll('#agency-results tbody tr').length === 1")

    assert "Dinas Kesehatan" in page.locator("#agency-results").inner_text()
    assert page.evaluate("window.__marker") == "same page"
    assert "q=kesehatan" in page.url  # hx-push-url keeps the search shareable


def test_logout_is_a_post_from_the_header(page, log_in, world):
    log_in("warga")
    page.goto("/")
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()
    assert page.get_by_role("link", name="Masuk").is_visible()


def test_htmx_posts_carry_the_csrf_token_from_the_body(page, world):
    """The live server enforces CSRF (the test client does not): an htmx POST must pass it."""
    page.goto("/r/banyuwangi/")
    with page.expect_response("**/i18n/setlang/") as answer:
        page.evaluate("htmx.ajax('POST', '/i18n/setlang/', {values: {language: 'en', next: '/'}, swap: 'none'})")
    assert answer.value.status in (200, 204, 302)
    page.goto("/r/banyuwangi/")
    assert page.locator("html").get_attribute("lang") == "en"
