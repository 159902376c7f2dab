"""Definitions are versioned: a case keeps its version, a new version applies at once, the admin versions edits."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError

from pendopo.workflow import actions
from pendopo.workflow.definition import default_service_workflow
from pendopo.workflow.engine import apply_action, available_actions
from pendopo.workflow.errors import NotAllowed
from pendopo.workflow.models import Case, WorkflowDefinition
from pendopo.workflow.selectors import active_definition

Status = WorkflowDefinition.Status


def with_region_admin_receiving(data):
    next(a for a in data["actions"] if a["key"] == "receive")["roles"].append("region_admin")
    return data


def test_revising_creates_a_new_version_and_running_cases_keep_theirs(world, service_definition, open_application):
    old_case = open_application()
    v2 = actions.revise_definition(service_definition, with_region_admin_receiving(default_service_workflow()))
    service_definition.refresh_from_db()
    assert (service_definition.version, service_definition.status) == (1, Status.RETIRED)
    assert (v2.version, v2.status) == (2, Status.ACTIVE)
    assert active_definition(world.region_a, "default-service") == v2  # applies at once, no restart

    new_case = open_application(definition=active_definition(world.region_a, "default-service"))
    assert apply_action(new_case, "receive", world.admin_a).case.state == "verification"
    with pytest.raises(NotAllowed):
        apply_action(old_case, "receive", world.admin_a)  # version 1 does not let the administrator receive
    assert Case.objects.get(pk=old_case.pk).definition_id == service_definition.pk


def test_an_active_version_cannot_be_edited_in_place(service_definition):
    service_definition.definition = with_region_admin_receiving(service_definition.definition)
    with pytest.raises(ValidationError) as caught:
        service_definition.save()
    assert caught.value.code == "definition_in_use"


def test_a_draft_is_edited_in_place(world):
    draft = actions.create_definition(world.region_a, "izin", "Izin", default_service_workflow(), activate=False)
    assert draft.status == Status.DRAFT and active_definition(world.region_a, "izin") is None
    same = actions.revise_definition(draft, with_region_admin_receiving(default_service_workflow()), activate=True)
    assert same.pk == draft.pk and same.version == 1 and same.status == Status.ACTIVE


def test_one_active_version_per_workflow(world, service_definition):
    v2 = actions.create_definition(world.region_a, "default-service", "Alur", default_service_workflow())
    actions.activate_definition(service_definition)
    assert list(
        WorkflowDefinition.objects.filter(region=world.region_a, code="default-service").values_list("version", "status")
    ) == [
        (2, Status.RETIRED),
        (1, Status.ACTIVE),
    ]
    assert active_definition(world.region_a, "default-service") == service_definition != v2


def test_defaults_are_created_once(world):
    first = actions.ensure_default_definitions(world.region_a)
    again = actions.ensure_default_definitions(world.region_a)
    assert first == again
    defaults = [actions.DEFAULT_SERVICE_CODE, actions.DEFAULT_COMPLAINT_CODE]  # other apps add their own workflows
    assert WorkflowDefinition.objects.filter(region=world.region_a, code__in=defaults).count() == 2


def test_available_actions_read_the_cases_version(world, service_definition, open_application):
    case = open_application()
    actions.revise_definition(service_definition, with_region_admin_receiving(default_service_workflow()))
    assert available_actions(Case.objects.get(pk=case.pk), world.admin_a) == []


# --- the admin --------------------------------------------------------------------------------


def admin_form(definition, data):
    return {
        "region": definition.region_id,
        "code": definition.code,
        "name": definition.name,
        "definition": json.dumps(data),
        "activate": "on",
    }


def test_admin_saves_an_edit_of_an_active_version_as_a_new_version(client, world, service_definition):
    client.force_login(world.admin_a)
    url = f"/admin/workflow/workflowdefinition/{service_definition.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, admin_form(service_definition, with_region_admin_receiving(default_service_workflow())))
    assert response.status_code == 302
    versions = list(
        WorkflowDefinition.objects.filter(region=world.region_a, code="default-service")
        .order_by("version")
        .values_list("version", "status")
    )
    assert versions == [(1, Status.RETIRED), (2, Status.ACTIVE)]


def test_admin_shows_validation_errors_and_saves_nothing(client, world, service_definition):
    client.force_login(world.admin_a)
    data = default_service_workflow()
    data["actions"][0]["to"] = "nowhere"
    response = client.post(
        f"/admin/workflow/workflowdefinition/{service_definition.pk}/change/", admin_form(service_definition, data)
    )
    assert response.status_code == 200
    assert "nowhere" in response.content.decode()
    assert WorkflowDefinition.objects.filter(region=world.region_a, code="default-service").count() == 1


def test_admin_of_another_region_cannot_see_the_definition(client, world, service_definition):
    client.force_login(world.admin_b)
    response = client.get(f"/admin/workflow/workflowdefinition/{service_definition.pk}/change/")
    assert response.status_code in (302, 404)
    listing = client.get("/admin/workflow/workflowdefinition/")
    assert listing.status_code == 200
    assert f"/workflowdefinition/{service_definition.pk}/change/" not in listing.content.decode()
    client.force_login(world.officer_a1)
    assert client.get("/admin/workflow/workflowdefinition/").status_code == 302  # not an administrator


def test_admin_lists_cases_read_only(client, world, open_application):
    case = open_application()
    client.force_login(world.admin_a)
    response = client.get(f"/admin/workflow/case/{case.pk}/change/")
    assert response.status_code == 200 and case.code in response.content.decode()
    assert client.post(f"/admin/workflow/case/{case.pk}/change/", {"state": "completed"}).status_code == 403
    client.force_login(world.admin_b)
    assert client.get(f"/admin/workflow/case/{case.pk}/change/").status_code in (302, 404)


def test_a_published_version_is_parsed_once_per_process(world, service_definition, monkeypatch):
    from pendopo.workflow import models

    calls = []
    real = models.parse_definition
    monkeypatch.setattr(models, "parse_definition", lambda data: calls.append(1) or real(data))
    for _request in range(3):
        loaded = WorkflowDefinition.objects.get(pk=service_definition.pk)  # as each request loads it
        assert loaded.spec.state("submitted").key == "submitted"
    assert len(calls) == 1
    assert WorkflowDefinition.objects.get(pk=service_definition.pk).spec is loaded.spec  # one immutable copy


def test_a_draft_is_parsed_afresh_after_each_edit(world, monkeypatch):
    draft = WorkflowDefinition(region=world.region_a, code="draf", name="Draf", definition=default_service_workflow())
    draft.save()
    data = default_service_workflow()
    data["states"][0]["label_en"] = "Changed"
    WorkflowDefinition.objects.filter(pk=draft.pk).update(definition=data)
    assert WorkflowDefinition.objects.get(pk=draft.pk).spec.states[0].label_en == "Changed"
    data["states"][0]["label_en"] = "Changed again"
    WorkflowDefinition.objects.filter(pk=draft.pk).update(definition=data)
    assert WorkflowDefinition.objects.get(pk=draft.pk).spec.states[0].label_en == "Changed again"


def test_a_new_region_is_set_up_with_its_default_workflows(db, django_assert_num_queries):
    from pendopo.regions.tests.factories import RegionFactory
    from pendopo.workflow.errors import DefinitionNotActive
    from pendopo.workflow.selectors import definition_for

    region = RegionFactory()
    assert set(WorkflowDefinition.objects.filter(region=region, status="active").values_list("code", flat=True)) >= {
        actions.DEFAULT_SERVICE_CODE,
        actions.DEFAULT_COMPLAINT_CODE,
    }  # other apps (innovations) add their own workflows on setup
    # Choosing a case's workflow only reads: one query, never a write on the request's path.
    with django_assert_num_queries(1):
        assert definition_for(region, ["service-ktp", actions.DEFAULT_SERVICE_CODE]).code == actions.DEFAULT_SERVICE_CODE
    WorkflowDefinition.objects.filter(region=region).update(status="retired")
    with django_assert_num_queries(1), pytest.raises(DefinitionNotActive):
        definition_for(region, [actions.DEFAULT_COMPLAINT_CODE])
