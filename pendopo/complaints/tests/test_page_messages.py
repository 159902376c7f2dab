"""A refused answer keeps the typed text; flash messages name what happened; public vs internal is explicit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.complaints.tests.conftest import file

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_a_refused_answer_keeps_the_typed_text(client, world, setup):
    complaint = file(world.region_a, setup.road_a).complaint
    client.force_login(world.officer_a1)
    typed = "Kami cek besok <script>alert(1)</script> pagi"
    page = client.post(
        reverse("complaints:message", args=[world.region_a.slug, complaint.code]), {"kind": "response", "body": typed}, headers=EN
    )
    assert page.status_code == 400
    assert "Kami cek besok &lt;script&gt;alert(1)&lt;/script&gt; pagi</textarea>" in page.content.decode()


def test_the_flash_messages_name_what_happened(client, world, setup):
    complaint = file(world.region_a, setup.road_a).complaint
    client.force_login(world.officer_a1)
    url = reverse("complaints:message", args=[world.region_a.slug, complaint.code])
    page = client.post(url, {"kind": "response", "body": "Perbaikan dijadwalkan Senin."}, headers=EN, follow=True)
    assert "Response sent: the complainant and the public page show it." in page.content.decode()
    page = client.post(url, {"kind": "note", "body": "Cek anggaran."}, headers=EN, follow=True)
    assert "Internal note saved: only the staff see it." in page.content.decode()
    assert "an internal note is seen only by the staff" in page.content.decode()


def test_a_step_names_itself_and_the_new_state(client, world, setup):
    from pendopo.workflow.engine import available_actions

    complaint = file(world.region_a, setup.road_a).complaint
    client.force_login(world.admin_a)
    step = next(a for a in available_actions(complaint.case, world.admin_a) if not a.requires_note)
    page = client.post(
        reverse("complaints:act", args=[world.region_a.slug, complaint.code]),
        {"action": step.key, "version": complaint.case.lock_version},
        headers=EN,
        follow=True,
    )
    complaint.case.refresh_from_db()
    assert f"“{step.label}” done: the complaint is now “{complaint.case.state_label}”." in page.content.decode()
