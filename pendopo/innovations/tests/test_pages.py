"""The pages: public list and page, the agency's forms, verification, the index, replication; who gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.innovations.models import Affair, Innovation, Replication, Score, Status

from .conftest import DESIGN, filled, pdf, verified


def url(name, region, *args):
    return reverse(f"innovations:{name}", args=[region.slug, *args])


@pytest.fixture
def published(world):
    return verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1)


def test_public_list_shows_only_published_with_filters(client, world, published, django_assert_max_num_queries):
    filled(world.officer_a2, world.region_a, world.agency_a2, name="Draf Rahasia", affair=Affair.HEALTH)
    with django_assert_max_num_queries(8):
        page = client.get(url("list", world.region_a))
    text = page.content.decode()
    assert published.name in text and "Draf Rahasia" not in text
    assert published.name not in client.get(url("list", world.region_a), {"urusan": Affair.HEALTH}).content.decode()
    assert published.name in client.get(url("list", world.region_a), {"q": "procot"}).content.decode()
    assert published.name not in client.get(url("list", world.region_a), {"q": "stunting"}).content.decode()


def test_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    for n in range(5):
        verified(world.officer_a1, world.admin_a, world.region_a, world.agency_a1, name=f"Inovasi {n}")
    with django_assert_max_num_queries(8):
        assert client.get(url("list", world.region_a)).status_code == 200


def test_the_breadcrumb_names_every_period_of_the_catalogue_the_current_first(client, world):
    import re

    import time_machine

    from pendopo.innovations import catalogue

    years = catalogue.years()
    for today, current in ((f"{years[-1]}-06-01", years[-1]), (f"{years[0]}-06-01", years[0]), ("2031-06-01", years[-1])):
        with time_machine.travel(f"{today} 12:00+07:00", tick=False):
            page = client.get(url("list", world.region_a), headers={"accept-language": "en"}).content.decode()
        nav = re.search(r'<nav class="breadcrumb".*?</nav>', page, re.S).group(0)
        linked = [int(y) for y in re.findall(r'/indeks/(\d{4})/">Innovation index \d{4}</a>', nav)]
        assert linked == [current, *(y for y in reversed(years) if y != current)]
        assert f'/katalog/{current}/">Indicator catalogue {current}</a>' in nav


def test_public_page_and_drafts_are_404_elsewhere(client, world, published):
    page = client.get(published.get_absolute_url())
    assert page.status_code == 200
    draft = filled(world.officer_a2, world.region_a, world.agency_a2, name="Draf")
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(world.admin_b)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(published.get_absolute_url()).status_code == 200
    client.force_login(world.officer_a1)
    assert client.get(draft.get_absolute_url()).status_code == 404  # another agency's draft
    client.force_login(world.officer_a2)
    assert client.get(draft.get_absolute_url()).status_code == 200


def test_evidence_file_is_served_to_who_may_see_the_row(client, world):
    from pendopo.innovations import actions
    from pendopo.innovations.catalogue import SID

    from .conftest import evidence

    innovation = filled(world.officer_a1, world.region_a, world.agency_a1)
    score = actions.save_score(world.officer_a1, innovation, 2026, SID, "16", evidence(3, url="", file=pdf()))
    client.force_login(world.officer_a1)
    assert client.get(url("evidence", world.region_a, score.key)).status_code == 200
    client.force_login(world.officer_b1)
    assert client.get(url("evidence", world.region_a, score.key)).status_code == 404
    client.logout()
    assert client.get(url("evidence", world.region_a, score.key)).status_code == 404


def form_data(**overrides):
    data = {
        "token": "tok-1",
        "agency": "",
        "name": "Smart Kampung",
        "period": "2026",
        "form": "public_service",
        "stage": "implementation",
        "trial_on": "2024-02-01",
        "implemented_on": "2024-07-01",
        "kind": "digital",
        "initiator": "regional_head",
        "theme": "digital_services",
        "affair": "communication",
        "design": DESIGN,
        "budget": "0",
    }
    data.update(overrides)
    return data


def test_create_page_idempotent_and_errors_in_indonesian(client, world):
    client.force_login(world.officer_a1)
    data = form_data(agency=str(world.agency_a1.pk))
    first = client.post(url("create", world.region_a), data)
    second = client.post(url("create", world.region_a), data)
    assert first.status_code == second.status_code == 302
    assert Innovation.objects.filter(name="Smart Kampung").count() == 1
    bad = client.post(
        url("create", world.region_a),
        form_data(agency=str(world.agency_a1.pk), token="tok-2", video_url="bukan tautan", implemented_on="2027-01-01"),
    )
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "Tanggal ini berada di masa depan." in text
    assert "Tautan video harus berupa alamat web" in text
    assert Innovation.objects.count() == 1


def test_create_for_another_agency_is_refused(client, world):
    client.force_login(world.officer_a1)
    response = client.post(url("create", world.region_a), form_data(agency=str(world.agency_a2.pk)))
    assert response.status_code == 400
    assert not Innovation.objects.exists()
    client.force_login(world.citizen)
    assert client.get(url("create", world.region_a)).status_code == 404
    client.force_login(world.officer_b1)
    assert client.get(url("create", world.region_a)).status_code == 404


def test_the_agency_fills_a_row_and_submits_then_the_team_verifies(client, world):
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1)
    client.force_login(world.officer_a1)
    row = client.post(
        url("score_row", world.region_a, innovation.code, "18"),
        {"row18-level": "2", "row18-file": pdf(), "row18-document_number": "900/1/2025", "row18-document_date": "2025-01-10"},
    )
    assert row.status_code == 302
    assert Score.objects.get(innovation=innovation, indicator="18").level == 2
    refused = client.post(url("score_row", world.region_a, innovation.code, "19"), {"row19-level": "3"})
    assert refused.status_code == 400
    assert "Nilai hanya dihitung dengan bukti" in refused.content.decode()
    assert client.post(url("submit", world.region_a, innovation.code)).status_code == 302
    innovation.refresh_from_db()
    assert innovation.status == Status.SUBMITTED

    # Not the team: the agency's officer and the other region's administrator.
    assert client.get(url("verify", world.region_a, innovation.code)).status_code == 403
    client.force_login(world.admin_b)
    assert client.get(url("verify", world.region_a, innovation.code)).status_code == 404
    client.force_login(world.admin_a)
    assert client.get(url("verify", world.region_a, innovation.code)).status_code == 200
    for score in innovation.scores.all():
        response = client.post(url("verify_row", world.region_a, score.key), {"verdict": "accepted"})
        assert response.status_code == 302
    before = client.get(url("index", world.region_a, 2026)).context["verified"]["iid"]
    assert client.post(url("verify", world.region_a, innovation.code), {"decision": "approve"}).status_code == 302
    after = client.get(url("index", world.region_a, 2026)).context["verified"]["iid"]
    assert before == "0.00" and after == "1.37"  # (37 + row 18: 2 x 2) / 12 / 250 x 100


def test_index_page_public_sees_verified_only(client, world, published):
    page = client.get(url("index", world.region_a, 2026))
    assert page.status_code == 200
    assert "iid-claimed" not in page.content.decode()
    client.force_login(world.admin_a)
    page = client.get(url("index", world.region_a, 2026), {"tanpa": published.code})
    assert "iid-claimed" in page.content.decode()
    assert page.context["verified"]["innovations"] == 0
    assert client.get(url("index", world.region_a, 2025)).status_code == 404


def test_spd_page_is_the_teams(client, world):
    client.force_login(world.officer_a1)
    assert client.get(url("spd", world.region_a, 2026)).status_code == 403
    client.force_login(world.admin_b)
    assert client.get(url("spd", world.region_a, 2026)).status_code == 404
    client.force_login(world.admin_a)
    assert client.get(url("spd", world.region_a, 2026)).status_code == 200
    response = client.post(
        url("spd_row", world.region_a, 2026, "8"),
        {
            "row8-level": "3",
            "row8-evidence_url": "https://bpk.go.id/lhp",
            "row8-document_number": "LHP 1",
            "row8-document_date": "2026-05-20",
        },
    )
    assert response.status_code == 302
    assert Score.objects.get(innovation=None, indicator="8").counts_claimed


def test_replication_page(client, world, published):
    client.force_login(world.officer_b1)
    data = {
        "token": "r-1",
        "agency": str(world.agency_b1.pk),
        "inspiration": "Studi tiru",
        "process": "Bimtek",
        "difference": "Desa terpencil",
    }
    first = client.post(url("replicate", world.region_a, published.code), data)
    again = client.post(url("replicate", world.region_a, published.code), data)
    assert first.status_code == again.status_code == 302
    assert Replication.objects.count() == 1
    copy = Replication.objects.get().adopted
    assert copy.region == world.region_b
    # Banyuwangi's own staff cannot replicate it (no agency of another region).
    client.force_login(world.officer_a2)
    assert client.get(url("replicate", world.region_a, published.code)).status_code == 403
    client.logout()
    assert client.get(url("replicate", world.region_a, published.code)).status_code == 302  # to the login page


def test_manage_page_lists_only_own_agency(client, world):
    filled(world.officer_a1, world.region_a, world.agency_a1, name="Milik A1")
    filled(world.officer_a2, world.region_a, world.agency_a2, name="Milik A2")
    client.force_login(world.officer_a1)
    text = client.get(url("manage", world.region_a)).content.decode()
    assert "Milik A1" in text and "Milik A2" not in text
    client.force_login(world.admin_a)
    text = client.get(url("manage", world.region_a)).content.decode()
    assert "Milik A1" in text and "Milik A2" in text
    client.force_login(world.officer_b1)
    assert client.get(url("manage", world.region_a)).status_code == 404


def test_2023_pages_say_what_is_not_confirmed(client, world):
    """The catalogue and index pages of 2023 show the unconfirmed note and rows; 2026 shows none; nothing crashes."""
    catalogue_2023 = client.get(url("catalogue", world.region_a, 2023))
    assert catalogue_2023.status_code == 200
    text = catalogue_2023.content.decode()
    assert 'id="unconfirmed"' in text and "Belum terkonfirmasi" in text
    assert text.count("belum terkonfirmasi") >= 4  # the badge on rows 16, 20, 29 and 33
    index_2023 = client.get(url("index", world.region_a, 2023)).content.decode()
    assert 'id="unconfirmed"' in index_2023 and "Kemanfaatan" in index_2023
    for name in ("catalogue", "index"):
        assert 'id="unconfirmed"' not in client.get(url(name, world.region_a, 2026)).content.decode()
    assert client.get(url("catalogue", world.region_a, 2019)).status_code == 404
    client.force_login(world.admin_a)
    export = client.get(url("export_register", world.region_a, 2023))
    assert export.status_code == 200
    import io

    import openpyxl

    cells = [row[0] for row in openpyxl.load_workbook(io.BytesIO(export.content))["Indeks"].iter_rows(values_only=True)]
    assert "Belum terkonfirmasi" in cells


def test_every_bad_input_of_the_issue_on_the_pages_is_a_400_in_indonesian_and_saves_nothing(client, world, published):
    """Issue 15 "Bad input": each refused with a message in Bahasa Indonesia; nothing is stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    innovation = filled(world.officer_a1, world.region_a, world.agency_a1, design="Terlalu pendek.")
    client.force_login(world.officer_a1)
    before = Score.objects.count()
    cases = [
        ({"row19-level": "3"}, "Nilai hanya dihitung dengan bukti"),  # a score without evidence
        (
            {
                "row19-level": "4",
                "row19-evidence_url": "https://a.id/x",
                "row19-document_number": "1",
                "row19-document_date": "2025-01-10",
            },
            "Tingkat parameter harus 1, 2 atau 3",  # a level outside 1–3
        ),
        (
            {
                "row19-level": "2",
                "row19-file": SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
                "row19-document_number": "1",
                "row19-document_date": "2025-01-10",
            },
            "",  # a file of a disallowed type
        ),
    ]
    for data, message in cases:
        response = client.post(url("score_row", world.region_a, innovation.code, "19"), data)
        assert response.status_code == 400
        text = response.content.decode()
        assert 'class="field-errors"' in text or "errorlist" in text
        if message:
            assert message in text
    assert Score.objects.count() == before
    # A design text under 300 words at submission.
    refused = client.post(url("submit", world.region_a, innovation.code), follow=False)
    assert refused.status_code == 400
    assert "Rancang bangun berisi" in refused.content.decode()
    innovation.refresh_from_db()
    assert innovation.status == Status.DRAFT and innovation.case is None
    # Replicating one's own region's innovation.
    client.force_login(world.officer_a2)
    own = client.post(url("replicate", world.region_a, published.code), {"inspiration": "x", "process": "y", "difference": "z"})
    assert own.status_code == 403
    assert not Replication.objects.exists()
