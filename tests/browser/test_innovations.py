"""An agency submits an innovation with evidence, the team verifies it row by row, the region's index
and category change, Mamuju Tengah replicates it and Banyuwangi's page shows the replication; the
pages are looked at on a phone and a desktop (screenshots in test-results/)."""

from __future__ import annotations

import datetime as dt

import pytest

from pendopo.innovations import actions
from pendopo.innovations.catalogue import SID
from pendopo.innovations.models import Innovation, Replication
from tests.browser.conftest import PHONE, RESULTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DESIGN = " ".join(["Rancang bangun inovasi pelayanan publik yang memudahkan warga."] * 40)  # 320 words
ROWS = {"17": 2, "32": 3, "35": 3}  # filled behind the scenes; row 16 (with a file) and 33 in the browser


def evidence(level: int, **extra) -> actions.Evidence:
    return actions.Evidence(
        level=level,
        url="https://jdih.banyuwangikab.go.id/sk-inovasi.pdf",
        document_number="188/123/KEP/429.011/2024",
        document_date=dt.date(2024, 5, 2),
        **extra,
    )


def look(page, name: str) -> None:
    """Screenshot at phone and desktop size; nothing may scroll sideways on the phone."""
    RESULTS.mkdir(exist_ok=True)
    for label, size in (("phone", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(size)
        page.screenshot(path=str(RESULTS / f"innovations-{name}-{label}.png"), full_page=True)
        if label == "phone":
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{name}: the phone page scrolls sideways by {overflow}px"


def log_in_as(page, log_in, username: str) -> None:
    page.context.clear_cookies()
    log_in(username)


def test_submit_verify_index_replicate(page, log_in, world):
    page.set_viewport_size(DESKTOP)
    page.goto("/r/banyuwangi/inovasi/indeks/2026/")
    assert page.locator("#iid-verified").inner_text() == "0,00"
    assert page.locator("#category-verified").inner_text() == "Tidak Dapat Dinilai"

    # The agency enters its innovation.
    log_in_as(page, log_in, "petugas_a1")
    page.goto("/r/banyuwangi/inovasi/baru/")
    page.locator("#id_name").fill("Lahir Procot Pulang Bawa Akta")
    page.locator("#id_stage").select_option("implementation")
    page.locator("#id_trial_on").fill("2024-03-01")
    page.locator("#id_implemented_on").fill("2024-06-01")
    page.locator("#id_affair").select_option("civil_registry")
    page.locator("#id_design").fill(DESIGN)
    page.locator("#id_goals").fill("Akta kelahiran terbit sebelum ibu dan bayi pulang.")
    page.locator("#id_video_url").fill("bukan tautan")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator("#id_video_url").get_attribute("aria-invalid") == "true"  # the error beside its field
    page.locator("#id_video_url").fill("https://www.youtube.com/watch?v=procot")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/nilai/")
    innovation = Innovation.objects.get(name="Lahir Procot Pulang Bawa Akta")

    # Row 16 with an evidence file, row 33 on one basis; the other mandatory rows behind the scenes.
    row = page.locator("#row16")
    row.locator("#id_row16-level").select_option("3")
    row.locator("#id_row16-file").set_input_files({"name": "sk-bupati.pdf", "mimeType": "application/pdf", "buffer": PDF})
    row.locator("#id_row16-document_number").fill("188/45/KEP/429.011/2024")
    row.locator("#id_row16-document_date").fill("2024-05-02")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    assert "sk-bupati.pdf" in page.locator("#row16").inner_text()
    row = page.locator("#row33")
    row.locator("#id_row33-basis").select_option("a")
    row.locator("#id_row33-value").fill("350")
    row.locator("#id_row33-evidence_url").fill("https://dispendukcapil.banyuwangikab.go.id/laporan-2025.pdf")
    row.locator("#id_row33-document_number").fill("470/12/429.107/2025")
    row.locator("#id_row33-document_date").fill("2025-01-10")
    with page.expect_navigation():
        row.locator("button[type=submit]").click()
    for code, level in ROWS.items():
        actions.save_score(world.officer_a1, innovation, 2026, SID, code, evidence(level))
    page.reload()
    look(page, "rows")
    with page.expect_navigation():
        page.locator("form[action$='/ajukan/'] button").click()
    assert "diajukan" in page.locator("main").inner_text().lower()

    # The team verifies row by row and approves.
    log_in_as(page, log_in, "admin_a")
    page.goto(f"/r/banyuwangi/inovasi/{innovation.code}/verifikasi/")
    look(page, "verify")
    rows = page.locator("button[value=accepted]").count()
    assert rows == 5
    for number in range(rows):
        with page.expect_navigation():
            page.locator("button[value=accepted]").nth(number).click()
    assert page.locator("main").inner_text().lower().count("diterima") >= 5
    page.locator("#id_decision").select_option("approve")
    with page.expect_navigation():
        page.locator("main form.card button[type=submit]").click()
    assert "Verifikasi dicatat" in page.locator("main").inner_text()
    assert "terverifikasi" in page.locator(".lead").inner_text().lower()

    # The region's index and category change: 16 (9) + 17 (4) + 32 (6) + 33 (6) + 35 (12) = 37; 37 / 12 / 250 × 100.
    page.context.clear_cookies()
    page.goto("/r/banyuwangi/inovasi/indeks/2026/")
    assert page.locator("#iid-verified").inner_text() == "1,23"
    assert page.locator("#category-verified").inner_text() == "Kurang Inovatif"
    look(page, "index")

    # Mamuju Tengah replicates it.
    log_in_as(page, log_in, "admin_b")
    page.goto(f"/r/banyuwangi/inovasi/{innovation.code}/")
    with page.expect_navigation():
        page.locator("a[href$='/replikasi/']").click()
    page.locator("#id_agency").select_option(str(world.agency_b1.pk))
    page.locator("#id_inspiration").fill("Kunjungan belajar ke Dispendukcapil Banyuwangi.")
    page.locator("#id_process").fill("Perjanjian kerja sama dan pelatihan petugas rumah sakit.")
    page.locator("#id_difference").fill("Petugas desa menjemput berkas kelahiran di rumah.")
    look(page, "replicate")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/r/mamuju-tengah/inovasi/**/nilai/")
    copy = Replication.objects.get(source=innovation).adopted
    # Mamuju Tengah adds its own evidence and its team verifies the copy (as above, behind the scenes).
    copy.stage, copy.trial_on, copy.implemented_on = "implementation", dt.date(2025, 4, 1), dt.date(2025, 6, 2)
    copy.save()
    for code, level in {"16": 1, "17": 1, "32": 2, "33": 1, "35": 2}.items():
        actions.save_score(world.admin_b, copy, 2026, SID, code, evidence(level, basis="a" if code == "33" else ""))
    actions.submit(world.admin_b, copy)
    for score in copy.scores.all():
        actions.verify_row(world.admin_b, score, "accepted")
    actions.finish_verification(world.admin_b, copy, approve=True)

    # Banyuwangi's page shows the replication, and row 31 counts it.
    page.context.clear_cookies()
    page.goto(f"/r/banyuwangi/inovasi/{innovation.code}/")
    replicated = page.locator("#replications + ul").inner_text()
    assert "Kabupaten Mamuju Tengah" in replicated and "Lahir Procot Pulang Bawa Akta" in replicated
    assert "1 daerah" in page.locator("main").inner_text()
    look(page, "detail")
    page.goto("/r/banyuwangi/inovasi/indeks/2026/")
    assert page.locator("#iid-verified").inner_text() == "1,33"  # row 31 at level 1 adds 3: 40 / 12 / 250 × 100
