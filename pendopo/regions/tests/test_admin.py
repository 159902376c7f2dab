"""The admin site as a region administrator uses it: logging in, adding an agency, changing the calendar.

Region administrators are not Django "staff" (`is_staff`): the admin lets them in by their
membership, on its own login page too.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.http import HttpRequest

from pendopo.regions.models import Agency, CalendarOverride, OfficeHours, Weekday

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"


def deadline(start: str, days: int) -> str:
    out = io.StringIO()
    call_command("deadline", start, str(days), region="35.10", json=True, stdout=out)
    return json.loads(out.getvalue())["deadline"]


def test_the_admin_login_page_opens_for_a_visitor_in_indonesian(client, world):
    response = client.get(f"{LOGIN}?next=/admin/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Administrasi Pendopo" in page and 'name="username"' in page


def test_a_region_administrator_logs_in_on_the_admin_s_own_page(client, world):
    response = client.post(LOGIN, {"username": "admin_a", "password": "password", "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    page = client.get("/admin/").content.decode()
    assert "Administrasi pemerintah daerah" in page


@pytest.mark.parametrize("username", ["petugas_a1", "kepala_a1", "warga"])
def test_other_roles_are_refused_with_the_same_message_as_a_wrong_password(client, world, username):
    refused = client.post(LOGIN, {"username": username, "password": "password"}).content.decode()
    wrong = client.post(LOGIN, {"username": "admin_a", "password": "wrong"}).content.decode()
    message = "Masukkan nama pengguna dan sandi admin pemda atau admin platform."
    assert message in refused and message in wrong
    assert "_auth_user_id" not in client.session


def test_the_region_is_chosen_for_a_region_administrator(client, world):
    client.force_login(world.admin_a)
    for path in ("agency", "calendaroverride", "officehours", "servicepoint"):
        page = client.get(f"/admin/regions/{path}/add/").content.decode()
        select = re.search(r'<select name="region".*?</select>', page, re.S).group(0)
        assert f'<option value="{world.region_a.pk}" selected>' in select, path
        assert "Mamuju Tengah" not in select
    client.force_login(world.platform_admin)  # several regions: no guess
    page = client.get("/admin/regions/agency/add/").content.decode()
    assert "selected>Kabupaten" not in page


def test_a_region_administrator_adds_an_agency_to_their_region_only(client, world):
    client.force_login(world.admin_a)
    data = {"code": "DISPAR", "name": "Dinas Kebudayaan dan Pariwisata", "short_name": "Disbudpar", "is_active": "on"}
    response = client.post("/admin/regions/agency/add/", {**data, "region": world.region_b.pk})
    assert response.status_code == 200  # the form again, with the error
    assert "Masukkan pilihan yang valid" in response.content.decode()
    assert not Agency.objects.filter(code="DISPAR").exists()
    response = client.post("/admin/regions/agency/add/", {**data, "region": world.region_a.pk})
    assert response.status_code == 302
    assert Agency.objects.get(code="DISPAR").region == world.region_a
    assert "Dinas Kebudayaan dan Pariwisata" in client.get("/r/banyuwangi/opd/").content.decode()


def test_a_regional_day_off_and_shorter_hours_with_a_break_move_the_deadline(client, world):
    """What the administrator sets in the admin is what `pendopo deadline` (and every case) counts with."""
    assert deadline("2026-03-17 10:00", 5) == "2026-03-31T15:30:00+07:00"
    client.force_login(world.admin_a)

    response = client.post(
        "/admin/regions/calendaroverride/add/",
        {"region": world.region_a.pk, "date": "30/03/2026", "kind": "holiday", "name": "Hari libur daerah"},
    )
    assert response.status_code == 302, response.content.decode()
    assert CalendarOverride.objects.get().date.isoformat() == "2026-03-30"
    assert deadline("2026-03-17 10:00", 5) == "2026-04-01T15:30:00+07:00"

    tuesday = OfficeHours.objects.get(region=world.region_a, service_point=None, weekday=Weekday.TUESDAY)
    response = client.post(
        f"/admin/regions/officehours/{tuesday.pk}/change/",
        {
            "region": world.region_a.pk,
            "service_point": "",
            "weekday": Weekday.TUESDAY,
            "opens": "07:30",
            "closes": "15:00",
            "break_starts": "12:00",
            "break_ends": "13:00",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert deadline("2026-03-17 10:00", 4) == "2026-03-31T15:00:00+07:00"  # a Tuesday: the new closing time
    # The break is not working time: 2 working hours from 11:00 end at 14:00, not 13:00.
    calendar = world.region_a.calendar()
    start = dt.datetime(2026, 3, 31, 11, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    assert calendar.add_working_minutes(start, 120) == start.replace(hour=14)


def test_the_admin_forms_label_every_field_in_indonesian(client, world):
    client.force_login(world.admin_a)
    for path in ("officehours", "calendaroverride"):
        page = client.get(f"/admin/regions/{path}/add/").content.decode()
        assert re.search(r'<label[^>]*for="id_region">Pemerintah daerah:</label>', page), path


# --- accounts of the region's staff ----------------------------------------------------------------


def new_officer(world, **overrides):
    data = {
        "username": "petugas_baru",
        "full_name": "Petugas Baru",
        "email": "baru@example.org",
        "usable_password": "true",
        "password1": "Sandi-yang-kuat-2026",
        "password2": "Sandi-yang-kuat-2026",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "1",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-region": world.region_a.pk,
        "memberships-0-role": "officer",
        "memberships-0-agency": world.agency_a1.pk,
        "memberships-0-service_point": "",
        "memberships-0-title": "Operator SIAK",
        "memberships-0-is_active": "on",
    }
    return {**data, **overrides}


def test_a_region_administrator_sees_the_accounts_of_their_staff_only(client, world):
    client.force_login(world.admin_a)
    assert "/admin/regions/user/" in client.get("/admin/").content.decode()
    page = client.get("/admin/regions/user/").content.decode()
    for name in ("petugas_a1", "petugas_a2", "kepala_a1", "admin_a", "petugas_loket_a"):
        assert f">{name}</a>" in page, name
    for name in ("petugas_b1", "admin_b", "warga", "admin_platform"):
        assert f">{name}<" not in page, name
        user = getattr(world, {"petugas_b1": "officer_b1", "admin_b": "admin_b", "warga": "citizen"}.get(name, "platform_admin"))
        assert client.get(f"/admin/regions/user/{user.pk}/change/").status_code in (302, 404)
        assert client.get(f"/admin/regions/user/{user.pk}/password/").status_code in (302, 403, 404)


def test_a_region_administrator_creates_an_officer_account_with_its_role(client, world):
    from pendopo.regions.models import Membership, User

    client.force_login(world.admin_a)
    page = client.get("/admin/regions/user/add/").content.decode()
    assert "is_superuser" not in page and "is_staff" not in page
    response = client.post("/admin/regions/user/add/", new_officer(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="petugas_baru")
    assert user.full_name == "Petugas Baru" and not user.is_staff and not user.is_superuser
    membership = Membership.objects.get(user=user)
    assert (membership.region, membership.role, membership.agency) == (world.region_a, "officer", world.agency_a1)
    assert client.get(response.url).status_code == 200  # the new account stays within reach
    client.logout()
    # django-axes counts every authentication against its request, so the test client hands it one.
    assert client.login(request=HttpRequest(), username="petugas_baru", password="Sandi-yang-kuat-2026")


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"memberships-TOTAL_FORMS": "0"}, "no role"),
        ({"memberships-0-region": "REGION_B"}, "another region"),
        ({"memberships-0-agency": "AGENCY_B1"}, "another region's agency"),
    ],
)
def test_an_account_without_a_role_in_the_region_is_refused_and_nothing_saved(client, world, overrides, reason):
    from pendopo.regions.models import User

    swap = {"REGION_B": world.region_b.pk, "AGENCY_B1": world.agency_b1.pk}
    client.force_login(world.admin_a)
    response = client.post("/admin/regions/user/add/", new_officer(world, **{k: swap.get(v, v) for k, v in overrides.items()}))
    assert response.status_code == 200, reason
    assert not User.objects.filter(username="petugas_baru").exists(), reason


def test_a_region_administrator_cannot_grant_the_platform_s_powers(client, world):
    client.force_login(world.admin_a)
    officer = world.officer_a1
    page = client.get(f"/admin/regions/user/{officer.pk}/change/").content.decode()
    assert "is_superuser" not in page and "user_permissions" not in page
    data = {
        "username": officer.username,
        "full_name": "Petugas Satu",
        "email": "satu@example.org",
        "is_active": "on",
        "is_superuser": "on",
        "is_staff": "on",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "1",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
        "memberships-0-id": officer.memberships.get().pk,
        "memberships-0-user": officer.pk,
        "memberships-0-region": world.region_a.pk,
        "memberships-0-role": "officer",
        "memberships-0-agency": world.agency_a1.pk,
        "memberships-0-service_point": "",
        "memberships-0-title": "",
        "memberships-0-is_active": "on",
    }
    response = client.post(f"/admin/regions/user/{officer.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    officer.refresh_from_db()
    assert officer.full_name == "Petugas Satu"
    assert not officer.is_superuser and not officer.is_staff
    assert client.get(f"/admin/regions/user/{officer.pk}/delete/").status_code == 403  # switched off, not deleted


def test_an_account_in_two_regions_is_out_of_each_region_administrator_s_reach(client, world):
    from pendopo.regions.tests.factories import member

    member(world.officer_a1, world.region_b, "officer", agency=world.agency_b1)
    for admin in (world.admin_a, world.admin_b):
        client.force_login(admin)
        assert client.get(f"/admin/regions/user/{world.officer_a1.pk}/change/").status_code in (302, 404)
    client.force_login(world.platform_admin)
    assert client.get(f"/admin/regions/user/{world.officer_a1.pk}/change/").status_code == 200


def test_a_membership_cannot_capture_a_citizen_s_account(client, world):
    """Binding an outside account to the region would hand its password to the region's administrator."""
    from pendopo.regions.models import Membership

    client.force_login(world.admin_a)
    data = {
        "user": world.citizen.pk,
        "region": world.region_a.pk,
        "role": "officer",
        "agency": world.agency_a1.pk,
        "is_active": "on",
    }
    response = client.post("/admin/regions/membership/add/", data)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=world.citizen).exists()
    response = client.post("/admin/regions/membership/add/", {**data, "user": world.officer_a2.pk})
    assert response.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", response.content.decode())  # own staff
