"""A citizen registers with a code read from the outbox, logs out, and logs in again by code."""

from __future__ import annotations

import re

import pytest

from pendopo.notifications.models import Message
from pendopo.regions.models import User
from tests.browser.conftest import PHONE, RESULTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code() -> str:
    message = Message.objects.filter(event_key__startswith="accounts:otp:").order_by("-pk").first()
    assert message is not None and message.recipient() == "081234567890"
    found = re.search(r"\b(\d{6})\b", message.body_text)
    assert found, message.body_text
    return found.group(1)


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Kept in test-results/ for a look at the design."""
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"accounts-{name}.png"), full_page=True)


def test_register_with_whatsapp_code_then_log_in_by_code(page, world):
    page.set_viewport_size(PHONE)
    page.goto("/masuk/")
    assert "tidak memerlukan akun" not in page.content()
    page.get_by_role("link", name="Buat akun").click()
    page.locator("#id_full_name").fill("Siti Rahayu")
    page.locator("#id_phone").fill("+62 812-3456-7890")
    page.get_by_label("WhatsApp").check()
    _shot(page, "phone-register")
    page.get_by_role("button", name="Kirimkan kode").click()
    page.wait_for_url("**/akun/kode/")
    assert "0812****7890" in page.content()
    page.locator("#id_code").fill(_code())
    _shot(page, "phone-code")
    page.get_by_role("button", name="Lanjut").click()
    page.wait_for_url("**/permohonan/")
    assert "Selamat datang" in page.content()
    assert User.objects.filter(full_name="Siti Rahayu", phone_verified_at__isnull=False).count() == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    page.get_by_role("button", name="Keluar").click()
    page.goto("/masuk/")
    page.get_by_role("link", name="Masuk dengan kode saja").click()
    page.locator("#id_identifier").fill("0812 3456 7890")
    page.get_by_role("button", name="Kirimkan kode").click()
    page.wait_for_url("**/akun/kode/")
    page.locator("#id_code").fill("000000" if _code() != "000000" else "111111")
    page.get_by_role("button", name="Lanjut").click()
    assert "Kode salah. Sisa percobaan: 4." in page.content()
    page.locator("#id_code").fill(_code())
    page.get_by_role("button", name="Lanjut").click()
    page.wait_for_url("**/permohonan/")
    assert "Siti Rahayu" in page.content()


def test_login_page_at_desktop_size(page, world):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/masuk/")
    _shot(page, "desktop-login")
    page.goto("/akun/daftar/")
    _shot(page, "desktop-register")
    assert page.get_by_role("link", name="Masuk").count() >= 1
