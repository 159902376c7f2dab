"""The public pages of the platform and of each region, the admin's scoping, health and API docs."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.template import Context
from django.template.loader import get_template
from django.urls import reverse

from pendopo.regions.models import CalendarOverride, OfficeHours, ServicePoint
from pendopo.regions.tests.factories import AgencyFactory, RegionFactory, ServicePointFactory, regency

pytestmark = pytest.mark.django_db

# Sunday 29 November 2026, 10:00 WIB.
FROZEN = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)


def html(response) -> str:
    return response.content.decode()


def english(client) -> None:
    client.post(reverse("set_language"), {"language": "en", "next": "/"})


# --- landing -------------------------------------------------------------------------------------


def test_landing_lists_active_regions_with_province_and_time_zone(client, world):
    world.region_b.is_active = False
    world.region_b.save()
    english(client)

    page = html(client.get("/"))

    assert "Kabupaten Banyuwangi" in page
    assert "Province Jawa Timur" in page
    assert "WIB" in page
    assert 'href="/r/banyuwangi/"' in page
    assert "Mamuju Tengah" not in page  # inactive: not shown to the public
    assert "open hall" in page  # the short explanation of Pendopo


def _more_regions(count: int) -> None:
    for n in range(count):
        RegionFactory(regency=regency(f"35.{20 + n}", f"Kabupaten Contoh {n}", "Jawa Timur"))


def test_landing_runs_a_constant_number_of_queries(client, world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert client.get("/").status_code == 200
    _more_regions(6)
    with django_assert_num_queries(1):
        page = html(client.get("/"))
    assert "Kabupaten Contoh 5" in page


def test_landing_for_a_staff_member_adds_only_the_membership_query(client, world, django_assert_num_queries):
    client.force_login(world.officer_a1)
    _more_regions(3)
    # session + user (Django's session engine) + memberships + regions
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200


# --- region home ---------------------------------------------------------------------------------


@time_machine.travel(FROZEN, tick=False)
def test_region_home_shows_hours_breaks_and_upcoming_days_off(client, world):
    region = world.region_a
    OfficeHours.objects.filter(region=region, weekday=0).update(break_starts=dt.time(12, 0), break_ends=dt.time(13, 0))
    CalendarOverride.objects.create(
        region=region, date=dt.date(2026, 12, 18), kind=CalendarOverride.Kind.HOLIDAY, name="Hari Jadi Banyuwangi (contoh)"
    )
    CalendarOverride.objects.create(
        region=region, date=dt.date(2026, 12, 24), kind=CalendarOverride.Kind.WORKING_DAY, name="Masuk"
    )
    english(client)

    page = html(client.get("/r/banyuwangi/"))

    assert "<h1>Kabupaten Banyuwangi</h1>" in page
    assert "Province Jawa Timur" in page
    assert "WIB" in page
    assert "Sunday, 29 November 2026, 10:00 WIB" in page  # local time in the region's zone
    assert "offices closed" in page
    monday = re.search(r"<th scope=\"row\">Monday</th>(.*?)</tr>", page, re.S).group(1)
    assert "07:30" in monday and "15:30" in monday and "12:00–13:00" in monday
    friday = re.search(r"<th scope=\"row\">Friday</th>(.*?)</tr>", page, re.S).group(1)
    assert "14:00" in friday
    saturday = re.search(r"<th scope=\"row\">Saturday</th>(.*?)</tr>", page, re.S).group(1)
    assert "Closed" in saturday
    assert "18 December 2026" in page and "Hari Jadi Banyuwangi (contoh)" in page
    assert "25 December 2026" in page and "Christmas Day" in page  # national days off in the visitor's language
    assert "1 January 2027" in page
    assert "24 December 2026" not in page  # the region works on that joint leave day
    assert 'href="/r/banyuwangi/opd/"' in page and 'href="/r/banyuwangi/tempat-layanan/"' in page


@time_machine.travel(dt.datetime(2026, 8, 1, 3, 0, tzinfo=dt.UTC), tick=False)
def test_region_home_names_national_days_off_in_the_visitors_language(client, world):
    # The region's own day off is named by its administrator and shown as typed, in either language.
    CalendarOverride.objects.create(
        region=world.region_a, date=dt.date(2026, 8, 18), kind=CalendarOverride.Kind.HOLIDAY, name="Cuti Bersama Kemerdekaan"
    )
    english(client)
    page = html(client.get("/r/banyuwangi/"))
    assert "17 August 2026" in page and "Independence Day" in page
    assert "Hari Kemerdekaan Republik Indonesia" not in page
    assert "18 August 2026" in page and "Cuti Bersama Kemerdekaan" in page

    # Right after the English page, in the same process: the names are not shared between languages.
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    page = html(client.get("/r/banyuwangi/"))
    assert "17 Agustus 2026" in page and "Hari Kemerdekaan Republik Indonesia" in page
    assert "Independence Day" not in page
    assert "Cuti Bersama Kemerdekaan" in page


@time_machine.travel(dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC), tick=False)
def test_region_home_shows_time_in_the_regions_own_zone(client, world):
    english(client)
    page = html(client.get("/r/mamuju-tengah/"))  # WITA: 02:00 UTC is 10:00 local
    assert "Monday, 30 November 2026, 10:00 WITA" in page
    assert "offices open" in page  # default hours 07:30–16:00


def test_region_home_shows_the_role_panel_to_staff_of_that_region_only(client, world):
    english(client)
    assert "Your role" not in html(client.get("/r/banyuwangi/"))

    client.force_login(world.officer_a1)
    page = html(client.get("/r/banyuwangi/"))
    assert "Your role" in page
    assert "You are <strong>officer</strong>" in page
    assert "Dinas Kependudukan dan Pencatatan Sipil" in page
    assert "Open the region administration" not in page

    client.force_login(world.admin_a)
    assert "Open the region administration" in html(client.get("/r/banyuwangi/"))

    client.force_login(world.admin_b)
    assert "Your role" not in html(client.get("/r/banyuwangi/"))


def test_region_home_runs_a_constant_number_of_queries(client, world, django_assert_num_queries):
    for day in range(20):
        CalendarOverride.objects.create(
            region=world.region_a, date=dt.date(2026, 12, 1) + dt.timedelta(days=day), kind="holiday", name=f"Libur {day}"
        )
    with django_assert_num_queries(3):  # region, office hours, calendar changes
        assert client.get("/r/banyuwangi/").status_code == 200
    client.force_login(world.admin_a)
    # + session, user (Django's session engine), memberships; the calendar now comes from the cache
    with django_assert_num_queries(4):
        assert client.get("/r/banyuwangi/").status_code == 200


def test_unknown_region_is_404(client, world):
    response = client.get("/r/atlantis/")
    assert response.status_code == 404
    assert "404" in html(response)


def test_inactive_region_is_404_for_the_public_but_open_to_its_staff(client, world):
    world.region_a.is_active = False
    world.region_a.save()
    for url in ["/r/banyuwangi/", "/r/banyuwangi/opd/", "/r/banyuwangi/opd/DINKES/", "/r/banyuwangi/tempat-layanan/"]:
        assert client.get(url).status_code == 404, url
    client.force_login(world.admin_b)
    assert client.get("/r/banyuwangi/").status_code == 404
    client.force_login(world.admin_a)
    assert client.get("/r/banyuwangi/").status_code == 200


# --- agencies ------------------------------------------------------------------------------------


def test_agency_list_shows_the_regions_agencies_only(client, world):
    english(client)
    page = html(client.get("/r/banyuwangi/opd/"))
    assert "Dispendukcapil" in page and "Dinkes" in page
    assert "Disdukcapil" not in page  # region B's agency
    assert "2 agencies." in page
    assert f'href="/r/banyuwangi/opd/{world.agency_a2.code}/"' in page


def test_agency_search_filters_by_name_or_short_name_on_the_server(client, world):
    english(client)
    page = html(client.get("/r/banyuwangi/opd/", {"q": "kesehatan"}))
    assert "Dinas Kesehatan" in page and "Kependudukan" not in page
    assert "1 agency matches “kesehatan”." in page

    page = html(client.get("/r/banyuwangi/opd/", {"q": "dispendukcapil"}))
    assert "Kependudukan" in page and "Dinas Kesehatan" not in page

    page = html(client.get("/r/banyuwangi/opd/", {"q": "no such office"}))
    assert "0 agencies match" in page and "Show all agencies" in page


def test_agency_search_from_htmx_returns_the_results_fragment(client, world):
    response = client.get("/r/banyuwangi/opd/", {"q": "dinkes"}, headers={"HX-Request": "true"})
    page = html(response)
    assert page.lstrip().startswith('<div id="agency-results"')
    assert "<html" not in page
    assert "Dinas Kesehatan" in page and "Kependudukan" not in page


def test_agency_list_runs_a_constant_number_of_queries(client, world, django_assert_num_queries):
    with django_assert_num_queries(2):  # region, agencies
        assert client.get("/r/banyuwangi/opd/").status_code == 200
    AgencyFactory.create_batch(15, region=world.region_a)
    with django_assert_num_queries(2):
        page = html(client.get("/r/banyuwangi/opd/"))
    assert len(re.findall(r'href="/r/banyuwangi/opd/[^"]+/"', page)) == 17


def test_agency_detail_shows_the_agency_and_where_it_serves(client, world):
    agency = world.agency_a1
    agency.head_name, agency.head_title, agency.phone = "Drs. Budi Santoso", "Kepala Dinas", "0333 123456"
    agency.save()
    ServicePointFactory(region=world.region_a, code="DSP-KANTOR", name="Kantor Dispendukcapil", kind="office", agency=agency)
    english(client)

    page = html(client.get(f"/r/banyuwangi/opd/{agency.code}/"))

    assert "<h1>Dinas Kependudukan dan Pencatatan Sipil</h1>" in page
    assert "Drs. Budi Santoso" in page and "Kepala Dinas" in page
    assert 'href="tel:0333 123456"' in page
    assert "Kantor Dispendukcapil" in page


def test_agency_detail_of_another_region_or_an_inactive_agency_is_404(client, world):
    assert client.get(f"/r/mamuju-tengah/opd/{world.agency_a2.code}/").status_code == 404
    assert client.get("/r/banyuwangi/opd/NOPE/").status_code == 404
    world.agency_a2.is_active = False
    world.agency_a2.save()
    assert client.get("/r/banyuwangi/opd/DINKES/").status_code == 404
    client.force_login(world.admin_a)
    assert client.get("/r/banyuwangi/opd/DINKES/").status_code == 200


# --- service points ------------------------------------------------------------------------------


def test_service_points_are_grouped_by_kind(client, world):
    region = world.region_a
    mall = ServicePointFactory(region=region, code="MPP", name="Mal Pelayanan Publik Banyuwangi", kind="mall")
    world.counter_a.parent = mall
    world.counter_a.agency = world.agency_a1
    world.counter_a.save()
    ServicePointFactory(region=region, code="MPP-02", name="Loket 2 MPP Banyuwangi", kind="counter", parent=mall)
    ServicePointFactory(region=region, code="DESA-01", name="Kantor Desa Kemiren", kind="village")
    ServicePointFactory(region=world.region_b, code="MPP", name="Mal Pelayanan Publik Mamuju Tengah", kind="mall")
    english(client)

    page = html(client.get("/r/banyuwangi/tempat-layanan/"))

    mall_section = page[page.index("Public service malls") : page.index("Village offices")]
    assert "Mal Pelayanan Publik Banyuwangi" in mall_section
    assert "2 counters" in mall_section
    assert "Loket 1 MPP Banyuwangi" in mall_section and "Loket 2 MPP Banyuwangi" in mall_section
    assert "Dispendukcapil" in mall_section
    assert "Kantor Desa Kemiren" in page[page.index("Village offices") :]
    assert "Mamuju Tengah" not in page


def test_service_point_list_runs_a_constant_number_of_queries(client, world, django_assert_num_queries):
    mall = ServicePointFactory(region=world.region_a, code="MPP", kind=ServicePoint.Kind.SERVICE_MALL, has_own_hours=True)
    with django_assert_num_queries(3):  # region, service points, their own hours
        client.get("/r/banyuwangi/tempat-layanan/")
    for n in range(8):
        ServicePointFactory(region=world.region_a, parent=mall, agency=world.agency_a2, code=f"L{n}")
    for day in range(6):
        OfficeHours.objects.create(region=world.region_a, service_point=mall, weekday=day, opens="08:00", closes="12:00")
    with django_assert_num_queries(3):
        client.get("/r/banyuwangi/tempat-layanan/")


def test_a_service_mall_shows_its_own_opening_hours(client, world):
    """The demo's MPP opens on Saturdays too: the public must be able to read it."""
    import datetime as dt

    mall = ServicePointFactory(region=world.region_a, code="MPP", kind=ServicePoint.Kind.SERVICE_MALL, has_own_hours=True)
    for day in range(4):
        OfficeHours.objects.create(
            region=world.region_a, service_point=mall, weekday=day, opens=dt.time(7, 30), closes=dt.time(15, 30)
        )
    OfficeHours.objects.create(
        region=world.region_a,
        service_point=mall,
        weekday=4,
        opens=dt.time(7, 30),
        closes=dt.time(14, 0),
        break_starts=dt.time(11, 30),
        break_ends=dt.time(13, 0),
    )
    OfficeHours.objects.create(region=world.region_a, service_point=mall, weekday=5, opens=dt.time(8), closes=dt.time(12))
    english(client)
    text = " ".join(re.sub(r"<[^>]+>", "", html(client.get("/r/banyuwangi/tempat-layanan/"))).split())
    assert "Opening hours: Monday–Thursday 07:30–15:30; Friday 07:30–14:00 (break 11:30–13:00); Saturday 08:00–12:00 WIB" in text


# --- accounts, language, health ------------------------------------------------------------------


def test_login_and_logout(client, world):
    english(client)
    page = html(client.get(reverse("login")))
    assert 'name="username"' in page and 'name="password"' in page

    response = client.post(reverse("login"), {"username": "petugas_a1", "password": "wrong"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in html(response)
    assert "The username or the password is wrong. Both are case-sensitive." in html(response)

    response = client.post(reverse("login"), {"username": "petugas_a1", "password": "password", "next": "/r/banyuwangi/"})
    assert response.status_code == 302 and response.url == "/r/banyuwangi/"
    page = html(client.get("/r/banyuwangi/"))
    assert "Log out" in page and "Your role" in page

    assert client.get(reverse("logout")).status_code == 405  # Django 5: logging out is a POST
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "Log in" in html(client.get("/"))


def test_login_errors_read_well_in_indonesian(client, world):
    """Django's own message repeats the field name in Indonesian ("nama pengguna nama pengguna")."""
    page = html(client.post(reverse("login"), {"username": "petugas_a1", "password": "wrong"}))
    assert "Nama pengguna atau sandi salah. Huruf besar/kecil pada keduanya berpengaruh." in page
    assert "nama pengguna nama pengguna" not in page.lower()
    page = html(client.post(reverse("login"), {"username": "", "password": ""}))
    assert page.count("Bidang ini tidak boleh kosong.") == 2  # beside each field


def test_logout_form_posts_with_a_csrf_token(client, world):
    client.force_login(world.citizen)
    page = html(client.get("/"))
    form = re.search(r'<form action="/keluar/" method="post">(.*?)</form>', page, re.S)
    assert form and "csrfmiddlewaretoken" in form.group(1)


def test_base_sends_the_csrf_token_to_htmx_and_loads_local_assets(client, world):
    page = html(client.get("/"))
    token = re.search(r"hx-headers='\{\"X-CSRFToken\": \"([^\"]+)\"\}'", page)
    assert token and len(token.group(1)) >= 32
    assert "/static/vendor/htmx/htmx.min.js" in page
    assert "/static/pendopo/pendopo.css" in page
    assert not re.search(r"(src|href)=\"https?://", page)
    assert 'href="#main"' in page and 'id="main"' in page  # skip link


def test_language_switch(client, world):
    assert '<html lang="id">' in html(client.get("/"))  # Indonesian by default
    response = client.post(reverse("set_language"), {"language": "en", "next": "/r/banyuwangi/"})
    assert response.status_code == 302 and response.url == "/r/banyuwangi/"
    assert '<html lang="en">' in html(client.get("/r/banyuwangi/"))
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    assert '<html lang="id">' in html(client.get("/"))


def test_healthz(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"


def test_server_error_page_renders_without_context():
    page = get_template("500.html").template.render(Context())
    assert "500" in page and "<html" in page


# --- admin ---------------------------------------------------------------------------------------


def test_region_admin_sees_only_their_regions_agencies_in_the_admin(client, world):
    AgencyFactory(region=world.region_b, code="DINSOS", name="Dinas Sosial Mamuju Tengah", short_name="Dinsos MT")
    client.force_login(world.admin_b)

    assert client.get("/admin/").status_code == 200
    page = html(client.get("/admin/regions/agency/"))

    assert "Dinas Sosial Mamuju Tengah" in page
    assert page.count("/admin/regions/agency/") >= 2
    assert "Dinas Kesehatan" not in page  # region A's
    assert client.get(f"/admin/regions/agency/{world.agency_a2.pk}/change/").status_code in (302, 404)


def test_officer_is_sent_to_the_admin_login(client, world):
    client.force_login(world.officer_a1)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


# --- API documentation ---------------------------------------------------------------------------


def test_api_docs_use_only_local_assets(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = html(response)
    assert "/static/ninja/swagger-ui-bundle.js" in page
    assert not re.search(r"(src|href)=[\"']https?://", page)
    assert "cdn" not in page.lower()


def test_openapi_schema_describes_the_regions_endpoint(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/regions" in schema["paths"]
    assert "get" in schema["paths"]["/api/v1/regions"]
