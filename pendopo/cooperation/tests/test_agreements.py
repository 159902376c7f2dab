"""Agreements: stages on the workflow engine, signatories, term, council gate, evaluations, extension."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.cooperation import actions, selectors
from pendopo.cooperation.models import Agreement, Capacity, Document, DocumentKind, Form
from pendopo.workflow.models import Case, CaseKind

pytestmark = pytest.mark.django_db
D = dt.date


def new(world, bkpsdm, **overrides):
    data = {
        "agency": bkpsdm,
        "title": "Pengembangan sumber daya manusia aparatur",
        "partner_region": world.region_a,
        "token": "",
    }
    data.update(overrides)
    return actions.create_agreement(bkpsdm.head_user, world.region_b, **data)


def sign(agreement, user, kind, number, day, **extra):
    data = {"signatory_name": "Aras Tammauni", "capacity": Capacity.REGIONAL_HEAD}
    data.update(extra)
    return actions.record_document(user, agreement, kind=kind, number=number, signed_on=day, **data)


def to_pks(world, bkpsdm, **overrides):
    agreement = new(world, bkpsdm, **overrides)
    user = bkpsdm.head_user
    sign(agreement, user, DocumentKind.OFFER, "005/1/2022", D(2022, 3, 14))
    agreement = actions.advance(user, agreement, "offer")
    agreement = actions.advance(user, agreement, "draft_kb")
    agreement = actions.advance(user, agreement, "to_kb_signature")
    sign(agreement, user, DocumentKind.KB, "KB/2/2022", D(2022, 3, 20), partner_signatory="Bupati Banyuwangi")
    return actions.advance(user, agreement, "draft_pks")


def test_the_whole_chain_without_council(world, bkpsdm):
    agreement = to_pks(world, bkpsdm)
    user = bkpsdm.head_user
    assert agreement.case.kind == CaseKind.AGREEMENT and agreement.case.state == "penyusunan_pks"
    with pytest.raises(ValidationError) as exc:
        actions.advance(user, agreement, "to_council")  # not required
    agreement = actions.advance(user, agreement, "to_pks_signature")
    with pytest.raises(ValidationError):
        actions.advance(user, agreement, "implement")  # the PKS is not recorded yet
    sign(agreement, user, DocumentKind.PKS, "PKS/3/2022", D(2022, 4, 1), effective_on=D(2022, 4, 1), ends_on=D(2027, 3, 31))
    agreement = actions.advance(user, agreement, "implement")
    assert agreement.case.state == "pelaksanaan"
    assert (agreement.effective_on, agreement.ends_on) == (D(2022, 4, 1), D(2027, 3, 31))
    assert [e.action for e in agreement.case.events.order_by("seq")] == [
        "start",
        "offer",
        "draft_kb",
        "to_kb_signature",
        "draft_pks",
        "to_pks_signature",
        "implement",
    ]
    assert exc.value.message_dict["action"]


def test_council_approval_when_it_burdens_the_public(world, bkpsdm):
    agreement = to_pks(world, bkpsdm, burdens_public=True)
    user = bkpsdm.head_user
    with pytest.raises(ValidationError) as exc:
        actions.advance(user, agreement, "to_pks_signature")
    assert "DPRD" in exc.value.message_dict["action"][0]
    assert Agreement.objects.get(pk=agreement.pk).case.state == "penyusunan_pks"
    agreement = actions.advance(user, agreement, "to_council")
    with pytest.raises(ValidationError):
        actions.advance(user, agreement, "to_pks_signature")  # no approval recorded
    actions.record_document(user, agreement, kind=DocumentKind.COUNCIL, number="DPRD/7/2022", signed_on=D(2022, 3, 28))
    agreement = actions.advance(user, agreement, "to_pks_signature")
    assert agreement.case.state == "penandatanganan_pks"


def test_not_budgeted_needs_the_council_too(world, bkpsdm):
    agreement = to_pks(world, bkpsdm, budgeted_this_year=False)
    with pytest.raises(ValidationError):
        actions.advance(bkpsdm.head_user, agreement, "to_pks_signature")


def test_signatory_term_and_dates_are_checked_and_nothing_half_saved(world, bkpsdm):
    agreement = to_pks(world, bkpsdm)
    user = bkpsdm.head_user
    actions.advance(user, agreement, "to_pks_signature")
    before = Document.objects.count()
    with pytest.raises(ValidationError) as exc:  # an official without the kuasa's number
        sign(
            agreement,
            user,
            DocumentKind.PKS,
            "PKS/3",
            D(2022, 4, 1),
            capacity=Capacity.KUASA,
            effective_on=D(2022, 4, 1),
            ends_on=D(2027, 3, 31),
        )
    assert "kuasa_number" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # another official
        sign(
            agreement,
            user,
            DocumentKind.PKS,
            "PKS/3",
            D(2022, 4, 1),
            capacity=Capacity.OTHER,
            effective_on=D(2022, 4, 1),
            ends_on=D(2027, 3, 31),
        )
    assert "capacity" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # over five years
        sign(agreement, user, DocumentKind.PKS, "PKS/3", D(2022, 4, 1), effective_on=D(2022, 4, 1), ends_on=D(2027, 4, 1))
    assert "2027-03-31" in exc.value.message_dict["ends_on"][0]
    with pytest.raises(ValidationError) as exc:  # signed before the offer
        sign(agreement, user, DocumentKind.PKS, "PKS/3", D(2022, 3, 1), effective_on=D(2022, 4, 1), ends_on=D(2027, 3, 31))
    assert "2022-03-14" in exc.value.message_dict["signed_on"][0]
    assert Document.objects.count() == before
    assert Agreement.objects.get(pk=agreement.pk).effective_on is None
    # A kuasa holder with the kuasa's number may sign the PKS.
    sign(
        agreement,
        user,
        DocumentKind.PKS,
        "PKS/3",
        D(2022, 4, 1),
        capacity=Capacity.KUASA,
        kuasa_number="800/12/2022",
        signatory_name="Askari",
        effective_on=D(2022, 4, 1),
        ends_on=D(2027, 3, 31),
    )


def test_a_kuasa_holder_may_not_sign_the_joint_agreement(world, bkpsdm):
    agreement = new(world, bkpsdm)
    with pytest.raises(ValidationError) as exc:
        sign(agreement, bkpsdm.head_user, DocumentKind.OFFER, "1", D(2022, 3, 14), capacity=Capacity.KUASA, kuasa_number="9")
    assert "capacity" in exc.value.message_dict


def test_memorandum_with_the_central_government(world, bkpsdm):
    agreement = new(world, bkpsdm, form=Form.CENTRAL, partner_region=None, partner_name="Kementerian PANRB")
    user = bkpsdm.head_user
    sign(agreement, user, DocumentKind.OFFER, "005/1", D(2022, 3, 14))
    agreement = actions.advance(user, agreement, "offer")
    with pytest.raises(ValidationError):
        actions.advance(user, agreement, "draft_kb")
    agreement = actions.advance(user, agreement, "draft_nk")
    agreement = actions.advance(user, agreement, "to_nk_signature")
    sign(agreement, user, DocumentKind.NK, "NK/1", D(2022, 3, 30), effective_on=D(2022, 4, 1), ends_on=D(2024, 3, 31))
    actions.record_document(user, agreement, kind=DocumentKind.WORK_PLAN, number="RK/1", signed_on=D(2022, 3, 30))
    agreement = actions.advance(user, agreement, "implement")
    assert agreement.case.state == "pelaksanaan"


def test_only_the_agency_or_the_administrator(world, bkpsdm):
    with pytest.raises(PermissionDenied):
        actions.create_agreement(world.officer_a1, world.region_b, agency=bkpsdm, title="x", partner_region=world.region_a)
    agreement = new(world, bkpsdm)
    with pytest.raises(PermissionDenied):
        sign(agreement, world.officer_b1, DocumentKind.OFFER, "1", D(2022, 3, 14))  # another agency's officer
    sign(agreement, world.admin_b, DocumentKind.OFFER, "1", D(2022, 3, 14))


def test_double_submit_makes_one_agreement(world, bkpsdm):
    first = new(world, bkpsdm, token="t-1")
    again = new(world, bkpsdm, token="t-1")
    assert first.pk == again.pk
    assert Case.objects.filter(kind=CaseKind.AGREEMENT).count() == 1


def test_evaluations_overdue_and_expiry(world, bkpsdm, settings):
    agreement = to_pks(world, bkpsdm)
    user = bkpsdm.head_user
    actions.advance(user, agreement, "to_pks_signature")
    sign(agreement, user, DocumentKind.PKS, "PKS/3", D(2022, 4, 1), effective_on=D(2022, 4, 1), ends_on=D(2027, 3, 31))
    agreement = actions.advance(user, agreement, "implement")
    with pytest.raises(ValidationError):
        actions.record_evaluation(user, agreement, held_on=D(2022, 3, 1), findings="x", today=D(2022, 12, 1))
    actions.record_evaluation(user, agreement, held_on=D(2022, 6, 20), findings="Pelatihan berjalan.", today=D(2022, 12, 1))
    status = actions.evaluation_status(agreement, as_of=D(2023, 1, 10))
    assert [p.evaluated for p in status] == [True, False]
    settings.PENDOPO_COOPERATION_EVALUATIONS_PER_YEAR = 1
    assert [p.evaluated for p in actions.evaluation_status(agreement, as_of=D(2023, 1, 10))] == [True]
    assert list(selectors.expiring(world.region_b, D(2027, 1, 1), 90)) == [agreement]
    assert list(selectors.expiring(world.region_b, D(2026, 12, 1), 90)) == []


def test_extension_is_a_new_procedure(world, bkpsdm):
    agreement = to_pks(world, bkpsdm)
    user = bkpsdm.head_user
    actions.advance(user, agreement, "to_pks_signature")
    sign(agreement, user, DocumentKind.PKS, "PKS/3", D(2022, 4, 1), effective_on=D(2022, 4, 1), ends_on=D(2027, 3, 31))
    agreement = actions.advance(user, agreement, "implement")
    agreement = actions.advance(user, agreement, "extend")
    assert agreement.case.state == "diperpanjang" and agreement.ends_on == D(2027, 3, 31)  # the old end never moves
    extension = agreement.extension
    assert extension.case.state == "persiapan" and extension.effective_on is None and extension.case_id != agreement.case_id


def test_the_reminders_and_rate_commands(world, bkpsdm):
    import json
    from io import StringIO

    from django.core.management import call_command

    agreement = to_pks(world, bkpsdm)
    user = bkpsdm.head_user
    actions.advance(user, agreement, "to_pks_signature")
    sign(agreement, user, DocumentKind.PKS, "PKS/3", D(2022, 4, 1), effective_on=D(2022, 4, 1), ends_on=D(2027, 3, 31))
    actions.advance(user, agreement, "implement")
    out = StringIO()
    call_command("cooperation", "reminders", "--date", "2027-02-01", "--json", stdout=out)
    rows = json.loads(out.getvalue())
    assert {row["reason"] for row in rows} == {"expiring", "evaluation_overdue"}
    out = StringIO()
    call_command("cooperation", "rate", "--region", world.region_b.slug, "--json", stdout=out)
    assert json.loads(out.getvalue())["excluding_dropped_percent"] is None
