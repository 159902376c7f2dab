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
