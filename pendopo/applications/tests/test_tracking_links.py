"""The public tracking page links to the survey (once the application is completed) and to filing a complaint."""

from __future__ import annotations

import pytest

from pendopo.applications import actions

pytestmark = pytest.mark.django_db


def test_tracking_links_to_the_complaint_form_and_after_completion_to_the_survey(client, world, apply):
    application = apply()
    page = client.get(f"/lacak/{application.code}/").content.decode()
    assert 'href="/r/banyuwangi/pengaduan/baru/"' in page
    assert "/skm/isi/a/" not in page

    for step, actor in (("receive", world.officer_a1), ("verify", world.officer_a1), ("submit_for_approval", world.officer_a1)):
        application = actions.take_action(application, step, actor)
    actions.take_action(application, "approve", world.head_a1)

    page = client.get(f"/lacak/{application.code}/").content.decode()
    assert "/r/banyuwangi/skm/isi/a/" in page
