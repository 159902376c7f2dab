"""Staff: the region administrator invites by email or phone with a role, the invitee sets a
password through a one-time link, a switched-off user loses access at once; each role lands on its work."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from pendopo.accounts.models import AccountEvent, Invitation
from pendopo.accounts.selectors import landing_url
from pendopo.accounts.tests.helpers import last_message
from pendopo.regions import personal
from pendopo.regions.models import Membership, Role, User

pytestmark = pytest.mark.django_db


def invite(client, world, **overrides):
    data = {
        "full_name": "Bagus Santoso",
        "email": "bagus@banyuwangikab.go.id",
        "phone": "",
        "channel": "email",
        "role": Role.OFFICER,
        "agency": world.agency_a1.pk,
        "service_point": "",
        "title": "Verifikator",
    }
    data.update(overrides)
    return client.post(reverse("accounts:invite", args=[world.region_a.slug]), data)


def link_in(message) -> str:
    found = re.search(r"https?://\S+/akun/undangan/[\w-]+/", message.body_text)
    assert found, message.body_text
    return urlsplit(found.group(0)).path


def test_invited_officer_sets_a_password_and_lands_on_the_inbox(client, world, frozen):
    client.force_login(world.admin_a)
    response = invite(client, world)
    assert response.status_code == 302 and response["Location"] == reverse("accounts:staff", args=[world.region_a.slug])
    message = last_message("accounts:invitation:")
    assert message.to_email == "bagus@banyuwangikab.go.id" and message.region == world.region_a
    assert "Petugas" in message.body_text or "petugas" in message.body_text
    invitation = Invitation.objects.get()
    path = link_in(message)
    assert path.rstrip("/").rsplit("/", 1)[1] not in invitation.token_hash  # only the digest is stored

    invitee = client.__class__()
    page = invitee.get(path)
    assert page.status_code == 200 and "Bagus Santoso" in page.content.decode()
    response = invitee.post(path, {"full_name": "Bagus Santoso", "password1": "kopi-tubruk-77", "password2": "kopi-tubruk-77"})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:start")
    user = User.objects.get(email="bagus@banyuwangikab.go.id")
    assert user.check_password("kopi-tubruk-77") and user.email_verified_at is not None
    membership = Membership.objects.get(user=user)
    assert (membership.region, membership.role, membership.agency, membership.title) == (
        world.region_a,
        Role.OFFICER,
        world.agency_a1,
        "Verifikator",
    )
    assert invitee.get(reverse("accounts:start"))["Location"] == reverse("applications:inbox", args=[world.region_a.slug])
    assert AccountEvent.objects.filter(kind="joined", user=user, region=world.region_a).exists()


def test_invitation_by_whatsapp_to_a_phone(client, world, frozen):
    client.force_login(world.admin_a)
    response = invite(client, world, email="", phone="+62 813 2222 3333", channel="whatsapp", role=Role.HEAD)
    assert response.status_code == 302
    message = last_message("accounts:invitation:")
    assert message.channel == "whatsapp" and message.recipient() == "081322223333"
    invitee = client.__class__()
    invitee.post(link_in(message), {"full_name": "Dewi", "password1": "kopi-tubruk-77", "password2": "kopi-tubruk-77"})
    user = User.objects.get(phone_hash=personal.lookup_hash("081322223333"))
    assert user.phone_verified_at is not None and user.memberships.get().role == Role.HEAD


def test_invitation_of_an_existing_citizen_adds_the_role_to_their_account(client, world, frozen):
    client.force_login(world.admin_a)
    invite(client, world, email=world.citizen.email)
    client.__class__().post(
        link_in(last_message("accounts:invitation:")),
        {"full_name": "Warga Baru Petugas", "password1": "kopi-tubruk-77", "password2": "kopi-tubruk-77"},
    )
    assert User.objects.filter(email=world.citizen.email).count() == 1
    assert world.citizen.memberships.get().agency == world.agency_a1


def test_invitation_link_works_once(client, world, frozen):
    client.force_login(world.admin_a)
    invite(client, world)
    path = link_in(last_message("accounts:invitation:"))
    data = {"full_name": "Bagus", "password1": "kopi-tubruk-77", "password2": "kopi-tubruk-77"}
    assert client.__class__().post(path, data).status_code == 302
    again = client.__class__().post(path, {**data, "password1": "lain-sandi-99", "password2": "lain-sandi-99"})
    assert again.status_code == 410 and "sudah dipakai" in again.content.decode()
    assert User.objects.get(email="bagus@banyuwangikab.go.id").check_password("kopi-tubruk-77")
    assert client.__class__().get(path).status_code == 410


def test_invitation_link_expires(client, world, frozen):
    client.force_login(world.admin_a)
    invite(client, world)
    path = link_in(last_message("accounts:invitation:"))
    frozen.shift(dt.timedelta(days=7, seconds=1))
    response = client.__class__().post(path, {"full_name": "B", "password1": "kopi-tubruk-77", "password2": "kopi-tubruk-77"})
    assert response.status_code == 410 and "kedaluwarsa" in response.content.decode()
    assert not User.objects.filter(email="bagus@banyuwangikab.go.id").exists()


def test_unknown_invitation_link(client):
    response = client.get(reverse("accounts:accept", args=["bukan-token"]))
    assert response.status_code == 410 and "tidak berlaku" in response.content.decode()


def test_weak_password_on_the_invitation_saves_nothing(client, world, frozen):
    client.force_login(world.admin_a)
    invite(client, world)
    path = link_in(last_message("accounts:invitation:"))
    response = client.__class__().post(path, {"full_name": "B", "password1": "123", "password2": "123"})
    assert response.status_code == 400
    assert Invitation.objects.get().accepted_at is None and not User.objects.filter(email__startswith="bagus").exists()


def test_invite_form_refuses_bad_input(client, world):
    client.force_login(world.admin_a)
    assert invite(client, world, agency="", service_point="").status_code == 400  # officer needs an agency
    assert invite(client, world, agency=world.agency_b1.pk).status_code == 400  # another region's agency
    assert invite(client, world, email="", phone="+1 415 555 0100", channel="sms").status_code == 400
    response = invite(client, world, email="bukan-email", channel="email")
    assert response.status_code == 400 and "alamat email yang benar" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("persona", ["admin_b", "officer_a1", "head_a1", "citizen"])
def test_only_the_regions_administrator_manages_its_staff(client, world, persona):
    client.force_login(getattr(world, persona))
    slug = world.region_a.slug
    assert client.get(reverse("accounts:staff", args=[slug])).status_code == 404
    assert client.get(reverse("accounts:invite", args=[slug])).status_code == 404
    assert invite(client, world).status_code == 404
    response = client.post(reverse("accounts:deactivate", args=[slug, world.officer_a2.pk]))
    assert response.status_code == 404
    assert not Invitation.objects.exists() and User.objects.get(pk=world.officer_a2.pk).is_active


def test_staff_pages_need_a_login(client, world):
    response = client.get(reverse("accounts:staff", args=[world.region_a.slug]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_staff_list_shows_the_regions_people_in_few_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.admin_a)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("accounts:staff", args=[world.region_a.slug])).content.decode()
    assert str(world.officer_a1) in page and str(world.counter_officer_a) in page
    assert str(world.officer_b1) not in page and str(world.citizen) not in page


def test_switched_off_officer_loses_access_on_the_next_request(client, world):
    officer = client.__class__()
    officer.force_login(world.officer_a1)
    inbox = reverse("applications:inbox", args=[world.region_a.slug])
    assert officer.get(inbox).status_code == 200
    client.force_login(world.admin_a)
    response = client.post(reverse("accounts:deactivate", args=[world.region_a.slug, world.officer_a1.pk]))
    assert response.status_code == 302
    world.officer_a1.refresh_from_db()
    assert not world.officer_a1.is_active
    assert not Membership.objects.filter(user=world.officer_a1, is_active=True).exists()
    after = officer.get(inbox)
    assert after.status_code == 302 and after["Location"].startswith(reverse("login"))
    assert AccountEvent.objects.filter(kind="deactivated", user=world.officer_a1, actor=world.admin_a).exists()


def test_administrator_cannot_switch_off_others_staff_or_themselves(client, world):
    client.force_login(world.admin_a)
    slug = world.region_a.slug
    for target in (world.officer_b1, world.admin_a, world.citizen, world.platform_admin):
        assert client.post(reverse("accounts:deactivate", args=[slug, target.pk])).status_code == 404
        target.refresh_from_db()
        assert target.is_active


def test_deactivate_is_a_post(client, world):
    client.force_login(world.admin_a)
    assert client.get(reverse("accounts:deactivate", args=[world.region_a.slug, world.officer_a1.pk])).status_code == 405


# --- after login, each role lands on its work --------------------------------------------------------


def test_each_role_lands_on_its_work(world):
    slug = world.region_a.slug
    assert landing_url(world.officer_a1) == reverse("applications:inbox", args=[slug])
    assert landing_url(world.counter_officer_a) == reverse("applications:inbox", args=[slug])
    assert landing_url(world.head_a1) == reverse("performance:head_dashboard", args=[slug])
    assert landing_url(world.admin_a) == reverse("setup:home", args=[slug])  # the region's settings
    assert landing_url(world.citizen) == reverse("applications:mine")
    assert landing_url(world.platform_admin) == reverse("admin:index")


def test_password_login_sends_the_head_to_the_head_dashboard(client, world):
    response = client.post(reverse("login"), {"username": world.head_a1.username, "password": "password"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("performance:head_dashboard", args=[world.region_a.slug])
    assert response.status_code == 200
    assert world.head_a1.active_memberships[0].agency.name in response.content.decode()


def test_password_login_sends_the_officer_to_the_inbox(client, world):
    response = client.post(reverse("login"), {"username": "petugas_a1", "password": "password"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("applications:inbox", args=[world.region_a.slug])


def test_login_keeps_an_explicit_next(client, world):
    response = client.post(
        reverse("login") + "?next=/r/banyuwangi/", {"username": "warga", "password": "password", "next": "/r/banyuwangi/"}
    )
    assert response["Location"] == "/r/banyuwangi/"
