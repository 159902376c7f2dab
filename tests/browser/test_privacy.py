"""A citizen opens their data page from the profile and asks for their data to be erased."""

from __future__ import annotations

import pytest

from pendopo.privacy.models import ErasureRequest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_asks_for_erasure(page, log_in, world):
    log_in("warga")
    page.goto("/akun/")
    page.get_by_role("link", name="Data saya: salinan, atau hapus").click()
    page.wait_for_url("**/akun/data-saya/")
    assert page.get_by_role("link", name="Unduh data saya (JSON)").is_visible()
    page.get_by_label("Saya ingin data saya dihapus. Ini tidak dapat dibatalkan.").check()
    page.get_by_role("button", name="Minta penghapusan").click()
    page.wait_for_url("**/akun/data-saya/")
    assert "Permintaan Anda telah diterima" in page.locator("main").inner_text()
    assert "petugas sedang menanganinya" in page.locator("main").inner_text()
    assert ErasureRequest.objects.get().user == world.citizen
