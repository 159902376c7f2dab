"""The price pages as their users see them, and who gets a 404."""

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from pendopo.prices.models import Alert, AlertRule, CommodityWeight, Intervention, PriceEntry
from pendopo.prices.tests.conftest import approved

TODAY = dt.date(2025, 3, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime(2025, 3, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        yield


def url(name, region="banyuwangi"):
    return f"/r/{region}/harga/{name}"


def test_the_public_sees_approved_prices_only(client, world, prices):
    approved(prices.pasar_a, prices.beras, TODAY, 13250)
    PriceEntry.objects.create(region=world.region_a, market=prices.pasar_a, commodity=prices.gula, date=TODAY, price=19999)
    page = client.get(url(""))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Rp 13.250" in body and "Pasar Banyuwangi" in body
    assert "19.999" not in body
    assert "Rp 12.500" in body  # the medium rice HET of zone 1 in March 2025 (Perbadan 5/2024)
    assert client.get(url("", "tidak-ada")).status_code == 404


def test_the_public_page_takes_a_constant_number_of_queries(client, world, prices):
    for day in range(1, 10):
        approved(prices.pasar_a, prices.beras, TODAY - dt.timedelta(days=day), 13000 + day)
    client.get(url(""))
    with CaptureQueriesContext(connection) as few:
        client.get(url(""))
    for day in range(1, 10):
        approved(prices.pasar_a2, prices.gula, TODAY - dt.timedelta(days=day), 17000 + day)
        approved(prices.pasar_a2, prices.cabai, TODAY - dt.timedelta(days=day), 50000 + day)
    with CaptureQueriesContext(connection) as more:
        client.get(url(""))
    assert len(more) == len(few) <= 12


def test_the_enumerator_enters_with_the_previous_price_beside(client, world, prices):
    approved(prices.pasar_a, prices.beras, TODAY - dt.timedelta(days=1), 13000)
    client.force_login(world.officer_a1)
    page = client.get(url("isi/"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Pasar Banyuwangi" in body and "Pasar Genteng" not in body
    assert "Rp 13.000" in body
    key = re.search(rf'name="key_{prices.beras.pk}" value="([^"]+)"', body).group(1)
    form = {
        "pasar": "banyuwangi",
        "tanggal": TODAY.isoformat(),
        f"price_{prices.beras.pk}": "13.100",
        f"key_{prices.beras.pk}": key,
    }
    assert client.post(url("isi/"), form).status_code == 302
    assert client.post(url("isi/"), form).status_code == 302  # a double submit
    assert list(PriceEntry.objects.filter(date=TODAY).values_list("price", "status")) == [(13100, "pending")]


def test_bad_entries_get_a_message_beside_the_field_and_nothing_is_saved(client, world, prices):
    client.force_login(world.officer_a1)
    form = {
        "pasar": "banyuwangi",
        "tanggal": TODAY.isoformat(),
        f"price_{prices.beras.pk}": "13500",
        f"price_{prices.gula.pk}": "17,5",
    }
    page = client.post(url("isi/"), form)
    assert page.status_code == 400
    assert "bukan harga dalam rupiah bulat" in page.content.decode()
    # Above the list, the summary names the commodity and leads to its field.
    html = page.content.decode()
    summary = html[html.index('id="price-errors"') : html.index('id="price-form"')]
    assert "1 harga perlu diperbaiki; belum ada yang disimpan:" in summary
    assert f'<a href="#price_{prices.gula.pk}">{prices.gula}</a>: ' in summary and str(prices.beras) not in summary
    future = {**form, "tanggal": "2025-03-11", f"price_{prices.gula.pk}": "17500"}
    assert "Tanggalnya di masa depan." in client.post(url("isi/"), future).content.decode()
    typo = {**form, "tanggal": "1900-03-10", f"price_{prices.gula.pk}": "17500"}
    assert "Harga diisi untuk 31 hari terakhir" in client.post(url("isi/"), typo).content.decode()
    assert not PriceEntry.objects.exists()
    # Asked for such a day, the page opens today's form and says why.
    for asked in ("1900-01-01", "abc", "2030-01-01"):
        page = client.get(url(f"isi/?tanggal={asked}")).content.decode()
        assert "formulir menampilkan hari ini" in page and 'name="tanggal" value="2025-03-10"' in page
    assert "formulir menampilkan hari ini" not in client.get(url("isi/?tanggal=2025-03-01")).content.decode()


@pytest.mark.parametrize("who", ["officer_a2", "citizen", "officer_b1", "admin_b"])
def test_only_assigned_enumerators_reach_the_entry_page(client, world, prices, who):
    client.force_login(getattr(world, who))
    assert client.get(url("isi/")).status_code == 404
    form = {"pasar": "banyuwangi", "tanggal": TODAY.isoformat(), f"price_{prices.beras.pk}": "13500"}
    assert client.post(url("isi/"), form).status_code == 404
    assert not PriceEntry.objects.exists()


def test_an_enumerator_cannot_post_for_a_market_they_are_not_assigned_to(client, world, prices):
    client.force_login(world.officer_a1)
    form = {"pasar": "genteng", "tanggal": TODAY.isoformat(), f"price_{prices.beras.pk}": "13500"}
    client.post(url("isi/"), form)
    assert list(PriceEntry.objects.values_list("market__code", flat=True)) == ["banyuwangi"]  # the page falls back to their own


def test_a_flag_is_worded_in_the_readers_language(client, world, prices):
    """An enumerator's flag is kept as facts, so each coordinator reads it in their own language."""
    PriceEntry.objects.create(
        region=world.region_a, market=prices.pasar_a, commodity=prices.cabai, date=TODAY, price=1, status="flagged",
        outside_band=True, jump=Decimal("-40.5"),
    )  # fmt: skip
    client.force_login(world.head_a1)
    english_band = f"Rp {prices.cabai.plausible_min:,}–Rp {prices.cabai.plausible_max:,}"  # Rp 5,000–Rp 300,000
    band = english_band.replace(",", ".")
    indonesian = client.get(url("periksa/"), headers={"accept-language": "id"}).content.decode()
    assert f"di luar rentang wajar {band}; -40,5 % dibanding harga sebelumnya" in indonesian
    english = client.get(url("periksa/"), headers={"accept-language": "en"}).content.decode()
    assert f"outside the plausible band {english_band}; -40.5 % against the previous price" in english


def test_the_coordinator_approves_and_corrects(client, world, prices):
    entry = PriceEntry.objects.create(
        region=world.region_a,
        market=prices.pasar_a,
        commodity=prices.beras,
        date=TODAY,
        price=135000,
        status="flagged",
        jump=Decimal("40"),
    )
    other = PriceEntry.objects.create(
        region=world.region_a, market=prices.pasar_a, commodity=prices.gula, date=TODAY, price=17500
    )
    client.force_login(world.head_a1)
    page = client.get(url("periksa/"))
    assert page.status_code == 200 and "Rp 135.000" in page.content.decode()
    assert client.post(url("periksa/"), {"entry": entry.pk, "decision": "approve", "price": "13.500"}).status_code == 302
    assert client.post(url("periksa/"), {"decision": "approve_checked", "entry": [other.pk]}).status_code == 302
    assert set(PriceEntry.objects.values_list("price", "status")) == {(13500, "approved"), (17500, "approved")}
    bad = PriceEntry.objects.create(region=world.region_a, market=prices.pasar_a, commodity=prices.cabai, date=TODAY, price=1)
    assert client.post(url("periksa/"), {"entry": bad.pk, "decision": "reject"}).status_code == 400
    assert PriceEntry.objects.get(pk=bad.pk).status == "pending"


def test_flagged_entries_come_first_on_the_check_page(client, world, prices):
    for commodity in (prices.beras, prices.gula):
        PriceEntry.objects.create(region=world.region_a, market=prices.pasar_a, commodity=commodity, date=TODAY, price=17500)
    PriceEntry.objects.create(
        region=world.region_a, market=prices.pasar_a, commodity=prices.cabai, date=TODAY, price=95000, status="flagged"
    )
    client.force_login(world.head_a1)
    body = client.get(url("periksa/")).content.decode()
    assert body.index("Rp 95.000") < body.index("Rp 17.500")


def test_the_check_page_shows_one_screenful_counts_the_rest_and_narrows_to_a_market(client, world, prices, monkeypatch):
    from pendopo.prices import views

    monkeypatch.setattr(views, "REVIEW_PAGE", 3)
    for back in range(4):
        PriceEntry.objects.create(
            region=world.region_a,
            market=prices.pasar_a,
            commodity=prices.beras,
            date=TODAY - dt.timedelta(days=back),
            price=13500,
        )
    genteng = PriceEntry.objects.create(
        region=world.region_a, market=prices.pasar_a2, commodity=prices.gula, date=TODAY, price=17900
    )
    client.force_login(world.head_a1)
    page = client.get(url("periksa/"), headers={"accept-language": "en"}).content.decode()
    assert page.count('name="decision" value="approve"') == 3
    assert "The first 3 of 5 entries to check" in page
    narrowed = client.get(url("periksa/?pasar=genteng"), headers={"accept-language": "en"}).content.decode()
    assert "1 entry to check." in narrowed and "Rp 17,900" in narrowed and "Rp 13,500" not in narrowed
    # A decision keeps the coordinator on the market they chose.
    answer = client.post(url("periksa/?pasar=genteng"), {"entry": genteng.pk, "decision": "approve"})
    assert answer.status_code == 302 and answer.url.endswith("/periksa/?pasar=genteng")
    assert "Nothing waits for approval." in client.get(answer.url, headers={"accept-language": "en"}).content.decode()


@pytest.mark.parametrize("who", ["officer_a1", "officer_a2", "citizen", "admin_b"])
def test_nobody_else_reviews(client, world, prices, who):
    entry = PriceEntry.objects.create(
        region=world.region_a, market=prices.pasar_a, commodity=prices.beras, date=TODAY, price=13500
    )
    client.force_login(getattr(world, who))
    assert client.get(url("periksa/")).status_code == 404
    assert client.post(url("periksa/"), {"entry": entry.pk, "decision": "approve"}).status_code == 404
    assert PriceEntry.objects.get().status == "pending"


def _history(prices):
    for back in range(1, 40):
        day = TODAY - dt.timedelta(days=back)
        approved(prices.pasar_a, prices.beras, day, 13000 + 10 * back)
        approved(prices.pasar_a2, prices.cabai, day, 50000 + 100 * back)
    approved(prices.pasar_a, prices.beras, TODAY, 14000)


def test_the_dashboard_shows_iph_deviation_and_a_chart(client, world, prices):
    _history(prices)
    CommodityWeight.objects.create(region=world.region_a, commodity=prices.beras, weight=5)
    CommodityWeight.objects.create(region=world.region_a, commodity=prices.cabai, weight=3)
    client.force_login(world.officer_a1)
    page = client.get(url("dasbor/") + "?komoditas=beras-medium")
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and "polyline" in body
    assert "+12,00 %" in body  # (14000 − 12500) / 12500 above the HET
    points = re.search(r'points="([^"]+)"', body).group(1)
    assert "," in points and not re.search(r"\d,\d+,\d", points.split(" ")[0])  # x,y pairs with decimal points, unlocalised


def test_the_dashboard_takes_a_constant_number_of_queries(client, world, prices):
    _history(prices)
    client.force_login(world.admin_a)
    client.get(url("dasbor/"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("dasbor/"))
    for back in range(1, 40):
        approved(prices.pasar_a, prices.gula, TODAY - dt.timedelta(days=back), 17000 + back)
    with CaptureQueriesContext(connection) as more:
        client.get(url("dasbor/"))
    assert len(more) == len(few) <= 16


@pytest.mark.parametrize("who", ["citizen", "admin_b", "officer_b1", None])
def test_the_dashboard_is_for_the_regions_staff(client, world, prices, who):
    if who:
        client.force_login(getattr(world, who))
    assert client.get(url("dasbor/")).status_code == 404


def test_importing_a_csv_all_or_nothing(client, world, prices):
    client.force_login(world.head_a1)
    from django.core.files.uploadedfile import SimpleUploadedFile

    good = "tanggal;pasar;komoditas;harga\n2025-03-08;banyuwangi;beras-medium;13.400\n09/03/2025;Pasar Genteng;1_3;13,600\n"
    page = client.post(url("impor/"), {"file": SimpleUploadedFile("p.csv", good.encode())})
    assert page.status_code == 302
    assert set(PriceEntry.objects.values_list("price", "status", "source")) == {
        (13400, "approved", "import"),
        (13600, "approved", "import"),
    }
    bad = (
        "tanggal,pasar,komoditas,harga\n2025-03-08,banyuwangi,beras-medium,13.500\n"
        "2025-03-20,banyuwangi,beras-medium,1\n2025-03-01,nowhere,beras-medium,1000\n2025-03-01,banyuwangi,apel,-5\n"
    )
    page = client.post(url("impor/"), {"file": SimpleUploadedFile("p.csv", bad.encode())})
    body = page.content.decode()
    assert page.status_code == 400
    assert "Row 3" in body or "Baris 3" in body
    assert "nowhere" in body and "apel" in body
    header = "date,market,price\n2025-03-01,banyuwangi,1000\n"
    page = client.post(url("impor/"), {"file": SimpleUploadedFile("p.csv", header.encode())})
    assert page.status_code == 400 and "komoditas" in page.content.decode()
    assert PriceEntry.objects.count() == 2


@pytest.mark.parametrize("who", ["officer_a1", "citizen", "admin_b"])
def test_only_the_team_imports(client, world, prices, who):
    client.force_login(getattr(world, who))
    assert client.get(url("impor/")).status_code == 404


def test_an_alert_is_closed_with_the_action_taken_and_interventions_are_recorded(client, world, prices):
    rule = AlertRule.objects.create(region=world.region_a, commodity=prices.cabai, kind="jump", threshold=20)
    alert = Alert.objects.create(region=world.region_a, rule=rule, commodity=prices.cabai, opened_on=TODAY, value=30, price=70000)
    client.force_login(world.admin_b)
    assert client.post(url(f"peringatan/{alert.pk}/tutup/"), {"action_taken": "x"}).status_code == 404
    client.force_login(world.head_a1)
    client.post(url(f"peringatan/{alert.pk}/tutup/"), {"action_taken": ""})
    assert Alert.objects.get().status == "open"
    client.post(url(f"peringatan/{alert.pk}/tutup/"), {"action_taken": "Operasi pasar bersama Bulog"})
    assert Alert.objects.get().status == "closed"
    form = {"kind": "cheap_market", "date": "2025-03-09", "place": "Alun-alun", "commodity": prices.cabai.pk, "quantity": "1 ton"}
    for bad, message in (
        ({"date": "1900-01-01"}, "Isi tanggal dari 01/01/2020 sampai 10/04/2025."),
        ({"quantity": "abc"}, "Sebutkan jumlahnya, dengan angka dan satuannya"),
    ):
        response = client.post(url("intervensi/"), {**form, **bad})
        assert response.status_code == 400 and message in response.content.decode()
    assert not Intervention.objects.exists()
    blank = client.get(url("intervensi/")).content.decode()
    assert "</label>" in blank and ":</label>" not in blank  # labels as on every other form, without a colon
    assert client.post(url("intervensi/"), form).status_code == 302
    assert Intervention.objects.get().region == world.region_a
    client.force_login(world.officer_a2)
    assert client.get(url("intervensi/")).status_code == 404


def test_a_key_from_another_entry_is_refused(client, world, prices):
    key = uuid.uuid4()
    PriceEntry.objects.create(
        region=world.region_a, market=prices.pasar_a, commodity=prices.gula, date=TODAY, price=17000, idempotency_key=key
    )
    client.force_login(world.officer_a1)
    form = {
        "pasar": "banyuwangi",
        "tanggal": TODAY.isoformat(),
        f"price_{prices.beras.pk}": "13500",
        f"key_{prices.beras.pk}": str(key),
    }
    assert client.post(url("isi/"), form).status_code == 400
    assert PriceEntry.objects.count() == 1


def test_the_entry_page_carries_what_its_offline_script_needs(client, world, prices):
    client.force_login(world.officer_a1)
    body = client.get(url("isi/")).content.decode()
    assert f'data-api="/api/v1/prices/{world.region_a.regency_id}/entries"' in body
    assert f'data-commodity="{prices.beras.code}"' in body
    assert 'id="price-texts"' in body and "prices/entry.js" in body


def test_the_service_worker_is_served_from_under_the_scope_it_controls(client, world):
    response = client.get(url("sw.js"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content.decode()
    assert 'const SCOPE = "/r/banyuwangi/harga/"' in body
    assert 'SCOPE + "isi/"' in body


def _xlsx(rows):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_importing_the_national_panels_table_for_a_chosen_market(client, world, prices):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.head_a1)
    table = _xlsx(
        [
            ["No.", "Komoditas (Rp)", "06/ 03/ 2025", "07/ 03/ 2025", dt.datetime(2025, 3, 8)],
            [1, str(prices.beras), "13,400", "-", 13600],
            [2, "1_3", None, None, None],  # a row without prices
            [3, str(prices.gula), "17.500", "17.600", "–"],
        ]
    )
    no_market = client.post(url("impor/"), {"file": SimpleUploadedFile("pihps.xlsx", table)})
    assert no_market.status_code == 400 and PriceEntry.objects.count() == 0
    assert "pasar" in no_market.content.decode().lower()
    page = client.post(url("impor/"), {"file": SimpleUploadedFile("pihps.xlsx", table), "market": prices.pasar_a2.pk})
    assert page.status_code == 302
    assert sorted(PriceEntry.objects.filter(market=prices.pasar_a2).values_list("commodity_id", "date", "price")) == sorted(
        [
            (prices.beras.pk, dt.date(2025, 3, 6), 13400),
            (prices.beras.pk, dt.date(2025, 3, 8), 13600),
            (prices.gula.pk, dt.date(2025, 3, 6), 17500),
            (prices.gula.pk, dt.date(2025, 3, 7), 17600),
        ]
    )


def test_a_bad_cell_of_the_panels_table_names_its_row_and_date_and_nothing_is_saved(client, world, prices):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.head_a1)
    table = f"Komoditas;01/03/2025;02/03/2025\n{prices.beras};13.400;abc\nApel Malang;20.000;21.000\n"
    page = client.post(url("impor/"), {"file": SimpleUploadedFile("sp2kp.csv", table.encode()), "market": prices.pasar_a.pk})
    body = page.content.decode()
    assert page.status_code == 400
    assert "02/03/2025" in body and "abc" in body and "Apel Malang" in body
    assert PriceEntry.objects.count() == 0
    other = client.post(url("impor/"), {"file": SimpleUploadedFile("sp2kp.csv", table.encode()), "market": prices.pasar_b.pk})
    assert other.status_code == 400 and PriceEntry.objects.count() == 0  # another region's market is not a choice
