"""`pendopo export_catalog` and `pendopo import_catalog`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from pendopo.catalog.models import Service
from pendopo.catalog.tests.factories import make_service

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_export_then_import_into_another_region(world, tmp_path):
    make_service(world.admin_a, world.agency_a1)
    make_service(world.admin_a, world.agency_a1, "KIA", "Kartu Identitas Anak", publish=False)
    public = run("export_catalog", "35.10")
    assert "KTP-EL" in public and "KIA" not in public
    path = tmp_path / "katalog.yaml"
    run("export_catalog", "banyuwangi", "--drafts", "--output", str(path))
    assert "KIA" in path.read_text()
    counts = json.loads(run("import_catalog", "76.06", str(path), "--user", "admin_b", "--json"))
    assert counts["created"] == 2
    assert set(Service.objects.filter(region=world.region_b).values_list("code", flat=True)) == {"KTP-EL", "KIA"}
    assert json.loads(run("export_catalog", "76.06", "--drafts", "--format", "json"))["services"][1]["code"] == "KTP-EL"


def test_import_errors_are_a_non_zero_exit_naming_the_line(world, tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text("format: pendopo-catalog/1\na: &a [1]\nservices: [*a]\n")
    with pytest.raises(CommandError, match="Line 2: anchors"):
        run("import_catalog", "35.10", str(path), "--user", "admin_a")
    with pytest.raises(CommandError, match="Only the region administrator"):
        run("import_catalog", "35.10", str(path), "--user", "petugas_a1")
    with pytest.raises(CommandError, match="Unknown region"):
        run("export_catalog", "99.99")


def test_command_messages_follow_the_language(world, tmp_path):
    """`pendopo` runs in Indonesian (LANGUAGE_CODE); every message of the commands is translated."""
    from django.utils import translation

    make_service(world.admin_a, world.agency_a1)
    path = tmp_path / "katalog.yaml"
    run("export_catalog", "35.10", "-o", str(path))
    with translation.override("id"):
        with pytest.raises(CommandError, match="Tidak ada berkas"):
            run("import_catalog", "35.10", str(tmp_path / "missing.yaml"), "--user", "admin_a")
        with pytest.raises(CommandError, match="Pengguna tidak dikenal"):
            run("import_catalog", "35.10", str(path), "--user", "nobody")
        with pytest.raises(CommandError, match="Pemerintah daerah tidak dikenal"):
            run("export_catalog", "99.99")
        assert "0 baru, 0 diubah, 1 tidak berubah" in run("import_catalog", "35.10", str(path), "--user", "admin_a")
