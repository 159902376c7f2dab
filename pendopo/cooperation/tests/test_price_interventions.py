"""Price interventions done under an agreement: recorded by the price team (prices' form, through
`prices.links`), shown beside the intervention, listed on the agreement's page; who may link."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from pendopo.cooperation import actions
from pendopo.cooperation.models import AgreementIntervention, DocumentKind
from pendopo.cooperation.tests.test_agreements import new, sign
from pendopo.prices import actions as price_actions
from pendopo.prices.models import Commodity, Intervention, Market
from pendopo.prices.reference_data import load_reference_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def shallot(world):
    load_reference_data()
    Market.objects.create(region=world.region_a, agency=world.agency_a1, code="banyuwangi", name="Pasar Banyuwangi")
    Market.objects.create(region=world.region_b, agency=world.agency_b1, code="tobadak", name="Pasar Tobadak")
    return Commodity.objects.get(code="bawang-merah")


def form(shallot, agreement="", kind="cooperation"):
    return {
        "kind": kind,
        "date": "2022-03-09",
        "place": "Pasar Tobadak",
        "commodity": shallot.pk,
        "quantity": "3 ton",
        "agreement": agreement,
    }


def test_the_team_records_a_cooperation_under_the_agreement_and_both_pages_show_it(client, world, bkpsdm, shallot):
    agreement = new(world, bkpsdm)
    client.force_login(world.admin_b)
    page = client.get("/r/mamuju-tengah/harga/intervensi/").content.decode()
    assert f'value="{agreement.code}"' in page and "Kabupaten Banyuwangi" in page
    response = client.post("/r/mamuju-tengah/harga/intervensi/", form(shallot, agreement.code))
    assert response.status_code == 302
    link = AgreementIntervention.objects.get()
    assert (link.agreement, link.intervention.region, link.region) == (agreement, world.region_b, world.region_b)
    dashboard = client.get("/r/mamuju-tengah/harga/dasbor/").content.decode()
    assert f'href="{agreement.get_absolute_url()}"' in dashboard
    body = client.get(agreement.get_absolute_url()).content.decode()
    section = body[body.index('id="interventions"') :]
    assert "9 Mar 2022" in section and "Bawang merah" in section and "3 ton" in section


def test_the_partner_region_links_only_once_the_agreement_is_past_preparation(client, world, bkpsdm, shallot):
    agreement = new(world, bkpsdm)
    client.force_login(world.head_a1)  # Banyuwangi's trade office: the partner's price team
    response = client.post("/r/banyuwangi/harga/intervensi/", form(shallot, agreement.code))
    assert response.status_code == 400
    assert Intervention.objects.count() == 0 and AgreementIntervention.objects.count() == 0
    sign(agreement, bkpsdm.head_user, DocumentKind.OFFER, "005/1/2022", dt.date(2022, 3, 9))
    actions.advance(bkpsdm.head_user, agreement, "offer")
    assert client.post("/r/banyuwangi/harga/intervensi/", form(shallot, agreement.code)).status_code == 302
    assert AgreementIntervention.objects.get().region == world.region_a
    body = client.get(agreement.get_absolute_url()).content.decode()
    assert "Kabupaten Banyuwangi" in body[body.index('id="interventions"') :]


def test_only_a_cooperation_is_done_under_an_agreement(client, world, bkpsdm, shallot):
    agreement = new(world, bkpsdm)
    client.force_login(world.admin_b)
    response = client.post("/r/mamuju-tengah/harga/intervensi/", form(shallot, agreement.code, kind="cheap_market"))
    assert response.status_code == 400
    assert "Hanya kerja sama dengan daerah surplus" in response.content.decode()
    assert Intervention.objects.count() == 0


def test_an_agreement_the_user_does_not_see_is_refused_and_nothing_is_saved(world, bkpsdm, shallot):
    agreement = new(world, bkpsdm)  # in preparation: Banyuwangi's staff do not see it
    intervention = Intervention(kind="cooperation", date=dt.date(2022, 3, 9), commodity=shallot)
    with pytest.raises(ValidationError) as caught:
        price_actions.record_intervention(world.head_a1, world.region_a, intervention, agreement=agreement.code)
    assert caught.value.error_dict["agreement"][0].code == "unknown_agreement"
    assert Intervention.objects.count() == 0 and AgreementIntervention.objects.count() == 0
    with pytest.raises(ValidationError):
        price_actions.record_intervention(world.admin_b, world.region_b, intervention, agreement="KSD-0000-0000")
    assert Intervention.objects.count() == 0


def test_staff_who_do_not_record_interventions_get_no_page(client, world, bkpsdm, shallot):
    client.force_login(world.officer_a2)
    assert client.get("/r/banyuwangi/harga/intervensi/").status_code == 404
