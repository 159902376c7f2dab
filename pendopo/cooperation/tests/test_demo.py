"""The demo: the 8–9 March 2022 visit, 6 lessons, 8 commitments (2 adopted with results), the agreement, the comparison."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.cooperation import actions, results
from pendopo.cooperation.models import Agreement, Commitment, Visit, VisitState


@pytest.fixture(autouse=True)
def _frozen():
    """The demo is built for today: these tests keep the real clock (the other tests freeze it in 2022)."""
    yield


def test_the_seed_visit_and_what_came_of_it(client, demo):
    visit = Visit.objects.get(host__slug="banyuwangi", visitor__slug="mamuju-tengah")
    assert visit.state == VisitState.HELD and str(visit.starts_on) == "2022-03-08"
    assert visit.lessons.count() == 6 and visit.agenda.count() == 5
    commitments = list(Commitment.objects.filter(visit=visit))
    assert len(commitments) == 8 and len({c.state for c in commitments}) >= 4
    adopted = [c for c in commitments if c.state == "adopted"]
    assert len(adopted) == 2 and all(results.result_of(c).value is not None for c in adopted)
    agreement = Agreement.objects.get(visit=visit)
    assert agreement.case.state == "pelaksanaan" and agreement.evaluations.count() == 1
    assert actions.evaluation_status(agreement)[0].evaluated
    page = client.get(reverse("insights:compare"))  # the default view: Banyuwangi and Mamuju Tengah
    assert page.status_code == 200 and [r.slug for r in page.context["comparison"].regions] == ["banyuwangi", "mamuju-tengah"]
    assert page.context["comparison"].service_types  # the copied services matched to their originals
    for name in ("index", "roadmap"):
        assert client.get(reverse(f"cooperation:{name}", args=["mamuju-tengah"])).status_code == 200
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(agreement.get_absolute_url()).status_code == 200
    # A signatory's capacity follows a dot, not nested in brackets: "regional head (kepala daerah))".
    english = client.get(agreement.get_absolute_url(), headers={"Accept-Language": "en"}).content.decode()
    assert "· regional head (kepala daerah)" in english and "((" not in english and "))" not in english
    profile = client.get(reverse("insights:profile", args=["banyuwangi"]))
    assert "Mamuju Tengah" in profile.content.decode()


def test_the_demo_agreement_lists_the_shallot_supply_done_under_it(client, demo):
    from pendopo.cooperation.models import AgreementIntervention

    link = AgreementIntervention.objects.select_related("intervention__commodity", "agreement").get()
    assert link.intervention.kind == "cooperation" and link.intervention.commodity.code == "bawang-merah"
    assert link.region.slug == "mamuju-tengah" and link.agreement.partner_region.slug == "banyuwangi"
    body = client.get(link.agreement.get_absolute_url()).content.decode()
    assert "Pasar Tobadak" in body[body.index('id="interventions"') :]
