"""Irreversible steps ask first, naming the consequence; the citizen's page never chooses cancel beforehand."""

from __future__ import annotations

import re

import pytest

from pendopo.applications import actions

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def _radios(page: str) -> dict[str, str]:
    return dict(
        re.findall(r'(<input type="radio" name="action" value="(\w+)"[^>]*>)', page)[i][::-1]
        for i in range(page.count('name="action"'))
    )


def test_the_citizens_only_step_is_withdrawing_and_it_is_not_chosen_beforehand(client, world, apply):
    application = apply()
    client.force_login(world.citizen)

    page = client.get(application.get_absolute_url(), headers=EN).content.decode()

    withdraw = _radios(page)["withdraw"]
    assert " checked" not in withdraw
    assert 'data-confirm="“Withdraw the application” cancels the application' in withdraw
    assert "cannot be reopened" in withdraw


def test_reject_and_approve_name_their_consequence_and_a_reversible_step_asks_nothing(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)

    radios = _radios(client.get(application.get_absolute_url(), headers=EN).content.decode())

    assert "data-confirm" not in radios["receive"]
    assert "rejects the application" in radios["reject"] and "cannot be undone" in radios["reject"]
    for step in ("receive", "verify", "submit_for_approval"):
        application = actions.take_action(application, step, world.officer_a1 if step != "submit_for_approval" else world.head_a1)
    client.force_login(world.head_a1)
    radios = _radios(client.get(application.get_absolute_url(), headers=EN).content.decode())
    assert "finishes the application" in radios["approve"]


def test_a_single_reversible_step_is_still_chosen_beforehand(client, world, apply):
    application = apply()
    application = actions.take_action(application, "receive", world.officer_a1)
    application = actions.take_action(application, "return_for_revision", world.officer_a1, note="Foto KK buram")
    client.force_login(world.citizen)
    radios = _radios(client.get(application.get_absolute_url(), headers=EN).content.decode())
    assert " checked" in radios["resubmit"] and " checked" not in radios["withdraw"]
