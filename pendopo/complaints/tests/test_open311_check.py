"""The conformance suite (`pendopo open311-check`) run against Pendopo itself over HTTP."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from pendopo.complaints import actions
from pendopo.complaints.tests.conftest import file


@pytest.mark.django_db(transaction=True)
def test_pendopo_passes_its_own_conformance_suite(live_server, world, setup, capsys):
    file(world.region_a, setup.road_a, latitude="-8.2", longitude="114.3")
    closed = file(world.region_a, setup.lamp_a).complaint
    actions.take_action(closed, "archive", world.admin_a, "Ganda.")
    _client, key = actions.issue_api_key(world.region_a, "Uji")
    call_command("open311_check", f"{live_server.url}/open311/v2", "--jurisdiction", "35.10", "--api-key", key)
    out = capsys.readouterr().out
    assert "FAIL" not in out
    lines = [line for line in out.splitlines() if line.startswith("PASS")]
    assert len(lines) >= 40
    for endpoint in (
        "discovery.xml",
        "discovery.json",
        "services.json",
        "requests.xml",
        "requests/{id}.json",
        "tokens/{unknown}.xml",
    ):
        assert any(endpoint in line for line in lines), endpoint
    assert out.strip().endswith("0 failed")


@pytest.mark.django_db(transaction=True)
def test_failures_exit_non_zero(live_server, world, setup, capsys):
    # A jurisdiction the server does not know: most checks fail.
    with pytest.raises(CommandError):
        call_command("open311_check", f"{live_server.url}/open311/v2", "--jurisdiction", "99.99")
    out = capsys.readouterr().out
    assert "FAIL services.xml" in out


def test_base_url_must_be_http():
    with pytest.raises(CommandError):
        call_command("open311_check", "ftp://example.org/v2", "--jurisdiction", "1")


def test_hyphenated_name_is_accepted():
    result = subprocess.run(
        [sys.executable, "-m", "pendopo", "open311-check", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0 and "--jurisdiction" in result.stdout
