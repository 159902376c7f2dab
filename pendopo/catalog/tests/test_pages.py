"""Public pages: search and filters with a constant number of queries, the standard, its PDF, the exports."""

from __future__ import annotations

import io
import json

import pytest
import yaml
from pypdf import PdfReader

from pendopo.catalog.models import Service, ServiceStandard
from pendopo.catalog.tests.factories import make_service
from pendopo.regions.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def services(world):
    ktp = make_service(world.admin_a, world.agency_a1, "KTP-EL", "Penerbitan KTP Elektronik", channels=["online"])
    sehat = make_service(
        world.admin_a,
        world.agency_a2,
        "SK-SEHAT",
        "Surat Keterangan Sehat",
        category="health",
        keywords="puskesmas, surat sehat",
        channels=["service_mall"],
        standard=None,
    )
    from pendopo.catalog import actions

    draft = actions.start_draft(world.admin_a, sehat)
    actions.update_draft(world.admin_a, draft, {"fee": 20000, "fee_basis": "Perda 1/2024"})
    actions.publish_standard(world.admin_a, draft)
    make_service(world.admin_a, world.agency_a1, "KIA", "Kartu Identitas Anak", publish=False)
    return ktp, sehat


def names(response):
    return [s.name for s in response.context["services"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["Penerbitan KTP Elektronik", "Surat Keterangan Sehat"]),
        ({"q": "ktp"}, ["Penerbitan KTP Elektronik"]),
        ({"q": "PUSKESMAS sehat"}, ["Surat Keterangan Sehat"]),
        ({"q": "kesehatan"}, ["Surat Keterangan Sehat"]),  # the agency's name
        ({"q": "ktp puskesmas"}, []),  # every word must match
        ({"agency": "DINKES"}, ["Surat Keterangan Sehat"]),
        ({"category": "civil_registration"}, ["Penerbitan KTP Elektronik"]),
        ({"channel": "online"}, ["Penerbitan KTP Elektronik"]),
        ({"channel": "service_mall"}, ["Surat Keterangan Sehat"]),
        ({"fee": "free"}, ["Penerbitan KTP Elektronik"]),
        ({"fee": "paid"}, ["Surat Keterangan Sehat"]),
        ({"q": "anak"}, []),  # a draft is not in the public catalogue
        ({"q": "KTP-el"}, ["Penerbitan KTP Elektronik"]),  # punctuation cuts words, as in the service's name
        ({"q": "kartu tanda penduduk"}, ["Penerbitan KTP Elektronik"]),  # the abbreviation's long form
    ],
)
def test_search_and_filters(client, services, query, expected):
    assert names(client.get("/r/banyuwangi/layanan/", query)) == expected


def test_whole_words_and_abbreviations_come_before_substrings(client, world):
    make_service(world.admin_a, world.agency_a1, "AKKB", "Surat Pengantar Mahasiswa AKKB", keywords="")
    make_service(world.admin_a, world.agency_a1, "KK-BARU", "Penerbitan Kartu Keluarga", keywords="")
    make_service(world.admin_a, world.agency_a1, "SKCK", "Surat Pengantar SKCK", keywords="")
    # "kk" is inside "akkb" (first by name), but it is the abbreviation of Kartu Keluarga: that service comes first.
    assert names(client.get("/r/banyuwangi/layanan/", {"q": "kk"})) == [
        "Penerbitan Kartu Keluarga",
        "Surat Pengantar Mahasiswa AKKB",
    ]
    assert names(client.get("/r/banyuwangi/layanan/", {"q": "surat keterangan catatan kepolisian"})) == ["Surat Pengantar SKCK"]
    assert names(client.get("/r/banyuwangi/layanan/", {"q": "pengantar"})) == [
        "Surat Pengantar Mahasiswa AKKB",
        "Surat Pengantar SKCK",
    ]


def test_htmx_gets_only_the_results(client, services):
    response = client.get("/r/banyuwangi/layanan/", {"q": "ktp"}, headers={"hx-request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="catalog-results"')
    assert "Penerbitan KTP Elektronik" in body and "<html" not in body


def bulk_catalogue(world, count):
    agencies = [world.agency_a1, world.agency_a2, *(AgencyFactory(region=world.region_a) for _ in range(8))]
    rows = []
    for n in range(count):
        agency = agencies[n % len(agencies)]
        service = Service(
            region=world.region_a,
            agency=agency,
            code=f"L-{n:05d}",
            name=f"Layanan nomor {n}",
            keywords="surat, izin" if n % 2 else "kartu",
            category="licensing" if n % 3 else "social",
            channel_online=bool(n % 2),
        )
        service.search_text = service.build_search_text()
        rows.append(service)
    Service.objects.bulk_create(rows, batch_size=2000)
    services = list(Service.objects.filter(region=world.region_a).only("pk"))
    standards = ServiceStandard.objects.bulk_create(
        [
            ServiceStandard(region=world.region_a, service=s, version=1, status="published", fee=(n % 4) * 5000)
            for n, s in enumerate(services)
        ],
        batch_size=2000,
    )
    for service, standard in zip(services, standards, strict=True):
        service.published_standard_id = standard.pk
    Service.objects.bulk_update(services, ["published_standard"], batch_size=2000)


QUERIES = [
    {},
    {"q": "layanan surat"},
    {"q": "nomor 9999"},
    {"agency": "DINKES", "fee": "paid", "channel": "online", "page": "7"},
    {"category": "social", "fee": "free", "q": "kartu"},
]


def test_searching_ten_thousand_services_takes_a_constant_number_of_queries(client, world, django_assert_num_queries):
    bulk_catalogue(world, 10_000)
    for query in QUERIES:
        # region, count, page of services (agency and standard joined), agencies for the filter.
        with django_assert_num_queries(4):
            response = client.get("/r/banyuwangi/layanan/", query)
        assert response.status_code == 200
    assert names(client.get("/r/banyuwangi/layanan/", {"q": "nomor 9999"})) == ["Layanan nomor 9999"]
    assert client.get("/r/banyuwangi/layanan/", {"q": "layanan"}).context["page"].paginator.count == 10_000
    client.force_login(world.officer_a1)
    for query in QUERIES:
        # + Django's session, the user and their memberships (one indexed query, with the region they name);
        # - the region, taken from those memberships.
        with django_assert_num_queries(6):
            assert client.get("/r/banyuwangi/layanan/", query).status_code == 200


def test_the_api_list_takes_a_constant_number_of_queries(client, world, django_assert_num_queries):
    bulk_catalogue(world, 2_000)
    with django_assert_num_queries(3):
        response = client.get("/api/v1/regions/35.10/services", {"q": "layanan", "page_size": 100})
    assert response.json()["count"] == 2_000
    assert len(response.json()["items"]) == 100


def test_the_service_page_shows_the_whole_standard(client, services):
    page = client.get("/r/banyuwangi/layanan/KTP-EL/").content.decode()
    for text in (
        "Penerbitan KTP Elektronik",
        "188/123/KEP/429.011/2026",
        "5 January 2026",
        "Fotokopi Kartu Keluarga",
        "Petugas memverifikasi berkas",
        "3 working days",
        "Free of charge",
        "Kartu Tanda Penduduk Elektronik",
        "SP4N-LAPOR!",
        "Undang-Undang Nomor 25 Tahun 2009",
        "Ruang tunggu, loket",
        "Memahami administrasi kependudukan",
        "Atasan langsung dan Inspektorat",
        "4 officers",
        "Pelayanan sesuai standar",
        "Data pemohon dijaga kerahasiaannya",
        "Evaluasi setiap 6 bulan",
        "Mobile number",
    ):
        assert text in page, text
    assert "Rp 20,000" in client.get("/r/banyuwangi/layanan/SK-SEHAT/").content.decode()  # an English page's notation
    assert client.get("/r/banyuwangi/layanan/KIA/").status_code == 404
    assert client.get("/r/mamuju-tengah/layanan/KTP-EL/").status_code == 404


def test_the_service_page_leads_to_applying_online_and_to_rating_the_service(client, services):
    page = client.get("/r/banyuwangi/layanan/KTP-EL/").content.decode()  # online
    assert 'href="/r/banyuwangi/ajukan/KTP-EL/"' in page and "Apply online" in page
    assert 'href="/r/banyuwangi/skm/isi/?layanan=KTP-EL"' in page
    assert client.get("/r/banyuwangi/ajukan/KTP-EL/").status_code in (200, 302)
    page = client.get("/r/banyuwangi/layanan/SK-SEHAT/").content.decode()  # service mall counter only
    assert "/ajukan/" not in page and "Apply online" not in page
    assert 'href="/r/banyuwangi/skm/isi/?layanan=SK-SEHAT"' in page


def test_the_pdf_is_an_a4_document_with_the_standard(client, services):
    response = client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="standar-pelayanan-banyuwangi-ktp-el-v1.pdf"'
    reader = PdfReader(io.BytesIO(response.content))
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    text = " ".join(page.extract_text() for page in reader.pages)
    # In Bahasa Indonesia whatever the reader's language (the test client asks for none: English is the default here).
    for words in ("Penerbitan KTP Elektronik", "DINAS KEPENDUDUKAN", "188/123/KEP/429.011/2026", "Persyaratan", "Fotokopi"):
        assert words in text, words
    assert "4 orang pelaksana" in text and "Requirements" not in text  # the number of officers reads as on the service page
    assert client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf?version=9").status_code == 404
    assert client.get("/r/banyuwangi/layanan/KIA/standar.pdf").status_code == 404


def test_a_published_standard_is_rendered_once_and_then_served_from_its_file(client, services, settings, monkeypatch):
    from pendopo.catalog import pdf

    tmp_path = settings.MEDIA_ROOT
    rendered = []
    real = pdf.render_standard_pdf
    monkeypatch.setattr(pdf, "render_standard_pdf", lambda *args: rendered.append(1) or real(*args))
    first = client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf")
    again = client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf")
    assert b"".join(again.streaming_content) == first.content
    assert again["Content-Disposition"] == 'inline; filename="standar-pelayanan-banyuwangi-ktp-el-v1.pdf"'
    assert len(rendered) == 1 and len(list((tmp_path / "catalog" / "standards").rglob("*.pdf"))) == 1
    # What the document prints about the agency changes: a new file, rendered once more.
    agency = services[0].agency
    agency.head_name = "Dr. Budi Santoso"
    agency.save()
    client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf")
    assert len(rendered) == 2
    # The reader's language does not matter: the annex of a decree is one document, in Bahasa Indonesia.
    english = client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf", HTTP_ACCEPT_LANGUAGE="en")
    indonesian = client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf", HTTP_ACCEPT_LANGUAGE="id")
    assert b"".join(english.streaming_content) == b"".join(indonesian.streaming_content)
    assert len(rendered) == 2 and len(list((tmp_path / "catalog" / "standards").rglob("*.pdf"))) == 2


def test_the_pdf_carries_the_emblem_the_signatorys_nip_and_a_qr_code_to_the_online_version(client, services, settings):
    from django.core.files.base import ContentFile

    from pendopo.lib.tests.test_pdf import png

    settings.PENDOPO_BASE_URL = "https://layanan.banyuwangikab.go.id"
    region = services[0].region
    region.logo.save("lambang.png", ContentFile(png((120, 150))), save=True)
    agency = services[0].agency
    agency.head_name, agency.head_nip = "Dr. Budi Santoso", "197001011990031001"
    agency.save()
    reader = PdfReader(io.BytesIO(client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf").content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Dr. Budi Santoso" in text and "NIP 197001011990031001" in text
    assert "https://layanan.banyuwangikab.go.id/r/banyuwangi/layanan/KTP-EL/" in "".join(text.split())  # wrapped in its column
    assert [image.image.size for image in reader.pages[0].images] == [(120, 150)]  # the emblem, in the letterhead
    # The QR code is drawn as vector paths on the last page; decoding it is segno's job, its target is ours.
    from pendopo.catalog import pdf

    html = pdf.render_standard_html(None, services[0], services[0].published_standard)
    assert html.count("<svg") == 1 and "<title>QR</title>" in html


def test_exports_hold_the_published_catalogue(client, services):
    data = json.loads(client.get("/r/banyuwangi/layanan/katalog.json").content)
    assert [s["code"] for s in data["services"]] == ["KTP-EL", "SK-SEHAT"]
    assert data["services"][0]["published"]["effective_from"] == "2026-01-06"
    response = client.get("/r/banyuwangi/layanan/katalog.yaml")
    assert response["Content-Disposition"] == 'attachment; filename="katalog-banyuwangi.yaml"'
    assert yaml.safe_load(response.content)["services"][1]["published"]["fee"] == 20000
    assert "draft" not in response.content.decode()
    assert client.get("/r/banyuwangi/layanan/katalog.xml").status_code == 404


def test_the_pdf_never_leaves_a_part_heading_alone_at_the_foot_of_a_page(world):
    """However long part A is, the heading "B. Pengelolaan pelayanan" starts a page with its first component."""
    from pendopo.catalog import pdf

    service = make_service(world.admin_a, world.agency_a1, "KTP-EL", "Penerbitan KTP Elektronik")
    standard = service.published_standard
    checked = 0
    for extra in range(0, 44, 3):
        standard.procedure = "\n".join(f"Langkah {n}: petugas memeriksa berkas pemohon." for n in range(1, 4 + extra))
        reader = PdfReader(io.BytesIO(pdf.render_standard_pdf(None, service, standard)))
        pages = [page.extract_text() for page in reader.pages]
        [with_heading] = [text for text in pages if "PENGELOLAAN PELAYANAN" in text]
        assert "Dasar hukum" in with_heading, f"{extra} extra lines: the part heading is orphaned"
        checked += len(pages) > 1
    assert checked  # some of the documents really spread over two pages


def test_the_search_migration_writes_the_text_the_app_searches():
    import importlib

    from pendopo.catalog import search

    migration = importlib.import_module("pendopo.catalog.migrations.0003_search_words")
    parts = ["KK-BARU", "Penerbitan Kartu Keluarga (KK)", "akta, surat keterangan tidak mampu", "Dinas Dukcapil"]
    assert migration._index_text(parts) == search.index_text(parts)


def test_a_public_pdf_address_is_answered_from_its_file_without_a_query(client, services, django_assert_num_queries):
    first = client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf")
    with django_assert_num_queries(0):
        again = client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf")
    assert b"".join(again.streaming_content) == first.content
    assert again["Content-Disposition"] == 'inline; filename="standar-pelayanan-banyuwangi-ktp-el-v1.pdf"'
    assert client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf?version=1").status_code == 200  # its own address
    with django_assert_num_queries(0):
        version = client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf?version=1")
    assert b"".join(version.streaming_content) == first.content


def test_a_new_version_and_what_the_pdf_prints_are_served_at_once(client, services, world, settings):
    from pendopo.catalog import actions
    from pendopo.regions.models import Agency

    def text(path="/r/banyuwangi/layanan/KTP-EL/standar.pdf"):
        response = client.get(path)
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages), response

    text()  # remembered
    # The agency's head changes through the setup pages (a form's save): the next read prints the new name.
    agency = Agency.objects.get(pk=services[0].agency_id)
    agency.head_name = "Dr. Budi Santoso"
    agency.save()
    assert "Dr. Budi Santoso" in text()[0]
    # A new version is published: the address of the standard in force answers with it at once.
    draft = actions.start_draft(world.admin_a, services[0])
    actions.update_draft(world.admin_a, draft, {"fee": 15000, "fee_basis": "Perda 2/2026"})
    actions.publish_standard(world.admin_a, draft)
    printed, response = text()
    assert response["Content-Disposition"] == 'inline; filename="standar-pelayanan-banyuwangi-ktp-el-v2.pdf"'
    assert "15.000" in printed
    assert "15.000" not in text("/r/banyuwangi/layanan/KTP-EL/standar.pdf?version=1")[0]
    # The region withdraws its public pages: the PDF goes with them.
    region = services[0].region
    region.is_active = False
    region.save()
    assert client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf").status_code == 404


def test_only_what_the_public_sees_is_remembered_and_only_for_the_day(client, services, world, monkeypatch):
    import datetime as dt

    from pendopo.catalog import actions, pdf
    from pendopo.lib import dates

    actions.start_draft(world.admin_a, services[0])  # version 2, a draft
    client.force_login(world.admin_a)
    assert client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf?version=2").status_code == 200  # the staff's draft
    assert client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf").status_code == 200
    assert pdf.known_file("banyuwangi", "KTP-EL", "2") is None  # a draft is never remembered
    assert pdf.known_file("banyuwangi", "KTP-EL", "") is None  # nor what a signed-in user was shown
    client.logout()
    assert client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf?version=2").status_code == 404
    client.get("/r/banyuwangi/layanan/KTP-EL/standar.pdf")
    assert pdf.known_file("banyuwangi", "KTP-EL", "") is not None
    # The next day of the region's calendar asks the database again (a version may take effect at midnight).
    tomorrow = dates.now() + dt.timedelta(days=1)
    monkeypatch.setattr(dates, "now", lambda: tomorrow)
    assert pdf.known_file("banyuwangi", "KTP-EL", "") is None
    # An address too long for a cache key is never looked up (and answers as before: 404, not an error).
    assert pdf.known_file("banyuwangi", "K" * 300, "") is None
    assert client.get(f"/r/banyuwangi/layanan/{'K' * 300}/standar.pdf").status_code == 404
