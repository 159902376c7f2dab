"""Anonymous means no link anywhere, and a complainant's own replies are not public.

Found by the probe: a complaint filed anonymously while logged in put `complaint_access` (its
tracking code) into the session row of the account, kept 14 days; and every visitor saw the
complainant's replies. The key now lives in a signed cookie of the browser (the keyring), and a
reply is shown to the complainant and the handling staff only.
"""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from pendopo.complaints import actions
from pendopo.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def _file(client, world, setup, privacy="anonymous"):  # type: ignore[no-untyped-def]
    response = client.post(
        reverse("complaints:file", args=[world.region_a.slug]),
        {
            "kategori": setup.road_a.code,
            "classification": "complaint",
            "description": "Jalan berlubang di depan pasar.",
            "privacy": privacy,
            "attr_KERUSAKAN": "berat",
        },
    )
    assert response.status_code == 302, response.content
    return Complaint.objects.get()


def _every_session_text() -> str:
    return "\n".join(str(session.get_decoded()) for session in Session.objects.all())


def test_an_anonymous_complaint_filed_while_logged_in_leaves_nothing_in_the_session(client, world, setup):
    client.force_login(world.citizen)
    complaint = _file(client, world, setup)
    page = client.get(complaint.get_absolute_url())
    assert page.status_code == 200 and page.context["access"].is_complainant
    secret = page.context["secret"]
    assert secret  # shown once
    assert complaint.code not in _every_session_text() and secret not in _every_session_text()
    # The browser holds the key: with a new session (the old one gone) it still acts as the complainant.
    Session.objects.all().delete()
    del client.cookies["sessionid"]
    client.force_login(world.citizen)
    assert client.get(complaint.get_absolute_url()).context["access"].is_complainant
    assert complaint.code not in _every_session_text()
    # The key is shown once only.
    assert client.get(complaint.get_absolute_url()).context["secret"] == ""


def test_a_forged_keyring_cookie_grants_nothing(world, setup):
    complaint = actions.file_complaint(world.region_a, actions.Filing(category=setup.lamp_a, privacy="anonymous")).complaint
    visitor = Client()
    visitor.cookies["pendopo_aduan"] = f'[["{complaint.code}", "tebakan"]]'
    page = visitor.get(complaint.get_absolute_url())
    assert page.status_code in (200, 404)
    assert page.status_code == 404 or not page.context["access"].is_complainant


def test_the_key_typed_later_is_kept_by_the_browser_not_the_session(world, setup):
    filed = actions.file_complaint(world.region_a, actions.Filing(category=setup.lamp_a, privacy="anonymous"))
    visitor = Client()
    url = reverse("complaints:access", args=[world.region_a.slug, filed.complaint.code])
    assert visitor.post(url, {"secret": filed.secret}).status_code == 302
    assert visitor.get(filed.complaint.get_absolute_url()).context["access"].is_complainant
    assert filed.complaint.code not in _every_session_text()


def test_a_complainants_reply_is_seen_by_them_and_the_staff_only(client, world, setup):
    complaint = _file(client, world, setup, privacy="anonymous")
    actions.take_action(complaint, "verify", world.admin_a)
    actions.take_action(complaint, "respond", world.officer_a1, "Akan kami perbaiki minggu ini.")
    reply_url = reverse("complaints:message", args=[world.region_a.slug, complaint.code])
    assert client.post(reply_url, {"kind": "reply", "body": "Rumah saya nomor 12, belakang masjid."}).status_code == 302
    reply = "Rumah saya nomor 12"

    public = Client().get(complaint.get_absolute_url())
    assert public.status_code == 200
    assert "Akan kami perbaiki" in public.content.decode() and reply not in public.content.decode()
    assert reply in client.get(complaint.get_absolute_url()).content.decode()  # the complainant
    staff = Client()
    staff.force_login(world.officer_a1)
    assert reply in staff.get(complaint.get_absolute_url()).content.decode()
