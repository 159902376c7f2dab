"""The workflow editor: the definition as forms, validated with the workflow app's own messages, saved as a
new version with a diff against the previous one; running cases keep theirs."""

from __future__ import annotations

import pytest

from pendopo.workflow.models import WorkflowDefinition
from pendopo.workflow.selectors import definition_for

pytestmark = pytest.mark.django_db

CODE = "default-service"


def _active(region) -> WorkflowDefinition:
    return WorkflowDefinition.objects.get(region=region, code=CODE, status="active")


def _post_data(client, url: str) -> dict:
    """The editor's form as a browser submits it untouched (the blank rows keep their selects' first values)."""
    response = client.get(url)
    data = {}
    for prefix, formset in (("state", response.context["states"]), ("action", response.context["actions"])):
        data.update({f"{prefix}-{k}": v for k, v in formset.management_form.initial.items()})
        for form in formset.forms:
            for name, field in form.fields.items():
                value = form.initial.get(name, field.initial)
                if name == "DELETE" or value in (None, False, ""):
                    continue
                data[form.add_prefix(name)] = value if not isinstance(value, bool) else "on"
    return data


def test_the_editor_shows_the_workflow_and_a_test_run(client, world):
    client.force_login(world.admin_b)
    assert CODE in client.get("/r/mamuju-tengah/atur/alur/").content.decode()
    page = client.get(f"/r/mamuju-tengah/atur/alur/{CODE}/").content.decode()
    run = page.split('id="test-run"')[1].split("</ol>")[0]
    # The shortest way to a completed case, not a detour through revision.
    assert run.index("Diajukan") < run.index("Verifikasi berkas") < run.index("Selesai")
    assert "Perlu perbaikan" not in run
    exported = client.get(f"/r/mamuju-tengah/atur/alur/{CODE}/json/")
    assert exported.json() == _active(world.region_b).definition


def test_a_changed_time_limit_is_saved_as_a_new_version_with_its_diff(client, world):
    client.force_login(world.admin_b)
    url = f"/r/mamuju-tengah/atur/alur/{CODE}/"
    before = _active(world.region_b)
    data = _post_data(client, url)
    index = next(i for i in range(20) if data.get(f"state-{i}-key") == "processing")
    data[f"state-{index}-limit"] = "5"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    after = _active(world.region_b)
    assert after.version == before.version + 1
    assert after.spec.state("processing").time_limit.value == 5
    assert definition_for(world.region_b, [CODE]).pk == after.pk
    before.refresh_from_db()
    assert before.status == "retired"  # its running cases keep it
    page = client.get(url).content.decode()
    assert f"Perubahan dibanding versi {before.version}" in page
    assert "<code>processing</code> — status diubah" in page


def test_an_unreachable_state_is_refused_with_the_workflow_message(client, world):
    client.force_login(world.admin_b)
    url = f"/r/mamuju-tengah/atur/alur/{CODE}/"
    before = _active(world.region_b)
    data = _post_data(client, url)
    total = int(data["state-TOTAL_FORMS"])
    data.update(
        {
            f"state-{total - 1}-key": "arsip",
            f"state-{total - 1}-label_id": "Arsip",
            f"state-{total - 1}-label_en": "Archive",
            f"state-{total - 1}-kind": "normal",
            f"state-{total - 1}-limit": "1",
            f"state-{total - 1}-unit": "working_days",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'id="workflow-problems"' in response.content.decode()
    assert "arsip" in response.content.decode().split('id="workflow-problems"')[1].split("</div>")[0]
    assert _active(world.region_b).pk == before.pk


def test_the_editor_is_the_administrators_only(client, world):
    for persona in ("officer_b1", "head_a1", "admin_a"):
        client.force_login(getattr(world, persona))
        assert client.get(f"/r/mamuju-tengah/atur/alur/{CODE}/").status_code == 404
        assert client.get(f"/r/mamuju-tengah/atur/alur/{CODE}/json/").status_code == 404
    client.force_login(world.admin_b)
    assert client.get("/r/mamuju-tengah/atur/alur/tidak-ada/").status_code == 404


def test_the_diagram_draws_every_state_and_action_with_the_table_beside(client, world):
    client.force_login(world.admin_b)
    response = client.get(f"/r/mamuju-tengah/atur/alur/{CODE}/")
    page = response.content.decode()
    spec = _active(world.region_b).spec
    svg = page.split('<figure class="workflow-diagram"')[1].split("</svg>")[0]
    assert svg.count("<rect ") == len(spec.states)
    arrows = sum(len(action.from_) for action in spec.actions)
    assert svg.count('marker-end="url(#arrow)"') == arrows
    # Numbers in SVG attributes are never localised (no thousands dot, no decimal comma).
    assert 'viewBox="0 0 ' in svg and "," not in svg.split('viewBox="')[1].split('"')[0]
    table = page.split('<table class="stack">')[1].split("</table>")[0]
    assert table.count("<tr>") == len(spec.actions) + 1
    assert "Petugas" in table or "petugas" in table


def test_the_live_check_answers_with_the_workflow_message_and_saves_nothing(client, world):
    client.force_login(world.admin_b)
    url = f"/r/mamuju-tengah/atur/alur/{CODE}/"
    before = _active(world.region_b)
    data = _post_data(client, url)
    fine = client.post(url, {**data, "form": "check"}, HTTP_HX_REQUEST="true")
    assert fine.status_code == 200
    assert 'id="workflow-valid"' in fine.content.decode()
    total = int(data["state-TOTAL_FORMS"])
    data.update(
        {
            f"state-{total - 1}-key": "arsip",
            f"state-{total - 1}-label_id": "Arsip",
            f"state-{total - 1}-label_en": "Archive",
            f"state-{total - 1}-kind": "normal",
            f"state-{total - 1}-unit": "working_days",
            "form": "check",
        }
    )
    checked = client.post(url, data, HTTP_HX_REQUEST="true")
    body = checked.content.decode()
    assert checked.status_code == 200  # htmx swaps 2xx answers only
    assert body.lstrip().startswith('<div id="workflow-check"') and "<html" not in body
    assert "arsip" in body.split('id="workflow-problems"')[1]
    assert WorkflowDefinition.objects.filter(region=world.region_b, code=CODE).count() == 1
    assert _active(world.region_b).pk == before.pk


def test_a_copy_is_chosen_for_one_service_and_its_applications_run_on_it(client, world):
    from pendopo.applications.workflows import workflow_for
    from pendopo.catalog.tests.factories import make_service

    ktp = make_service(world.admin_b, world.agency_b1)
    kk = make_service(world.admin_b, world.agency_b1, code="KK", name="Kartu Keluarga")
    client.force_login(world.admin_b)
    response = client.post(f"/r/mamuju-tengah/atur/alur/{CODE}/", {"form": "copy", "name": "Alur KTP cepat"})
    assert response.status_code == 302
    copy = WorkflowDefinition.objects.get(region=world.region_b, status="active", name="Alur KTP cepat")
    assert copy.code == "service-alur-ktp-cepat"
    assert copy.definition == _active(world.region_b).definition
    assert response["Location"].endswith(f"/alur/{copy.code}/")

    again = client.post(f"/r/mamuju-tengah/atur/alur/{CODE}/", {"form": "copy", "name": "Alur KTP cepat"})
    assert again.status_code == 400
    assert "sudah memiliki alur" in again.content.decode()

    chosen = client.post(f"/r/mamuju-tengah/atur/alur/{copy.code}/", {"form": "usage", "services": [ktp.pk]})
    assert chosen.status_code == 302
    ktp.refresh_from_db()
    kk.refresh_from_db()
    assert (ktp.workflow_code, kk.workflow_code) == (copy.code, "")
    assert workflow_for(ktp).pk == copy.pk
    assert workflow_for(kk).code == CODE
    page = client.get(f"/r/mamuju-tengah/atur/alur/{copy.code}/").content.decode()
    assert "1 layanan memilihnya" in page

    # Made the region's default, it runs every service without a choice of its own; unchosen, they go back.
    client.post(f"/r/mamuju-tengah/atur/alur/{copy.code}/", {"form": "usage", "region_default": "on"})
    world.region_b.refresh_from_db()
    ktp.refresh_from_db()
    kk.refresh_from_db()
    assert world.region_b.service_workflow_code == copy.code
    assert ktp.workflow_code == ""
    assert workflow_for(kk).pk == copy.pk


def test_another_regions_service_cannot_be_given_a_workflow(client, world):
    from pendopo.catalog.tests.factories import make_service

    theirs = make_service(world.head_a1, world.agency_a1)
    client.force_login(world.admin_b)
    response = client.post(f"/r/mamuju-tengah/atur/alur/{CODE}/", {"form": "usage", "services": [theirs.pk]})
    assert response.status_code == 400
    theirs.refresh_from_db()
    assert theirs.workflow_code == ""
