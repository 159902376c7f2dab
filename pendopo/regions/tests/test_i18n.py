"""Indonesian by default, English on request; the committed catalogues are complete and compiled."""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from pendopo.regions.models import Agency, Role

LOCALE = Path(settings.BASE_DIR) / "locale"
# Each app keeps its own catalogue in <app>/locale/ (docs/ui.md); the project-wide one holds the
# strings of the site templates, settings and lib/.
CATALOGUES = sorted(Path(settings.BASE_DIR).glob("**/locale/id/LC_MESSAGES/django.po"))
# Strings of the regions app and of the project-wide templates and settings (the pages this app serves).
OWN_SOURCES = re.compile(r"^(regions/|templates/|settings\.py)")


def _po_entries(path: Path) -> list[dict]:
    """A small .po reader: msgctxt, msgid, msgid_plural, msgstr list, source references, flags."""
    entries = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        entry: dict = {"refs": [], "flags": [], "msgctxt": None, "msgid": None, "msgid_plural": None, "msgstr": {}}
        key = None
        for line in block.splitlines():
            if line.startswith("#:"):
                entry["refs"] += line[2:].split()
            elif line.startswith("#,"):
                entry["flags"] += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif match := re.match(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(\".*\")$", line):
                keyword, index, value = match.groups()
                key = ("msgstr", int(index or 0)) if keyword.startswith("msgstr") else (keyword, None)
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] = ast.literal_eval(value)
                else:
                    entry[keyword] = ast.literal_eval(value)
            elif line.startswith('"') and key:
                if key[0] == "msgstr":
                    entry["msgstr"][key[1]] += ast.literal_eval(line)
                else:
                    entry[key[0]] += ast.literal_eval(line)
        if entry["msgid"]:
            entries.append(entry)
    return entries


def test_indonesian_catalogue_translates_every_string_of_the_regions_app_and_the_templates():
    entries = [e for catalogue in CATALOGUES for e in _po_entries(catalogue) if any(OWN_SOURCES.match(r) for r in e["refs"])]
    assert len(entries) > 150  # the catalogue really covers the models, admin, templates
    missing = [e["msgid"] for e in entries if not all(e["msgstr"].values()) or not e["msgstr"] or "fuzzy" in e["flags"]]
    assert missing == []


def _untranslated(entries: list[dict]) -> list[str]:
    return [
        (f"{e['msgctxt']}|" if e["msgctxt"] else "") + e["msgid"]
        for e in entries
        if not e["msgstr"] or not all(e["msgstr"].values()) or "fuzzy" in e["flags"]
    ]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (installed by .ci/run)")
def test_every_string_of_every_app_has_an_indonesian_translation(tmp_path):
    """The Indonesian UI has no English left: `makemessages` over the whole project, on a copy of the
    tree, finds no string that the committed catalogue lacks or marks fuzzy.

    When this fails after adding strings: run `make messages` (docs/ui.md), translate the listed
    msgids in the app's own <app>/locale/id/LC_MESSAGES/django.po, compile, and commit both files.
    """
    copy = tmp_path / "pendopo"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns("tests", "__pycache__", "data", "static", "*.mo", "*.gz", "*.sqlite3*"),
    )
    # The copy's own settings module, so that LOCALE_PATHS (from its BASE_DIR) points into the copy
    # and the real catalogue is never written.
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "DJANGO_SETTINGS_MODULE": "pendopo.settings"}
    env.pop("LANGUAGE", None)
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "id", "--ignore=tests/*", "--ignore=*/tests/*", "-v", "0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {
        str(catalogue.relative_to(copy)): _po_entries(catalogue)
        for catalogue in sorted(copy.glob("**/locale/id/LC_MESSAGES/django.po"))
    }
    assert sum(len(entries) for entries in fresh.values()) > 1000  # every app's strings were really extracted
    untranslated = {name: _untranslated(entries) for name, entries in fresh.items() if _untranslated(entries)}
    assert untranslated == {}, "translate these in the catalogues named (docs/ui.md)"


def test_every_app_keeps_its_strings_in_its_own_catalogue():
    """Apps own their translations (pendopo/<app>/locale/): parallel work on two apps never edits one file."""
    from django.apps import apps

    own = {config.name.removeprefix("pendopo.") for config in apps.get_app_configs() if config.name.startswith("pendopo.")}
    with_catalogue = {path.parents[3].name for path in CATALOGUES if path.parents[3] != LOCALE.parent}
    assert own <= with_catalogue
    for path in CATALOGUES:
        app = path.parents[3].name
        if path.parents[3] == LOCALE.parent:
            continue
        foreign = [ref for e in _po_entries(path) for ref in e["refs"] if not ref.startswith(f"{app}/")]
        assert foreign == [], f"{path} holds strings of other apps"


def test_a_string_means_one_thing_in_every_catalogue():
    """Django merges the catalogues into one (the first app's translation of a msgid wins everywhere):
    a string two apps translate differently shows one app the other's word, as "Unit" did (the SAKIP
    report's measurement unit printed as a service unit). One meaning per (context, msgid); where two
    apps mean different things they say so with a context (docs/ui.md)."""
    translations: dict[tuple[str | None, str], dict[str, str]] = {}
    for path in CATALOGUES:
        for entry in _po_entries(path):
            translations.setdefault((entry["msgctxt"], entry["msgid"]), {})[path.parents[3].name] = entry["msgstr"].get(0, "")
    differing = {key: by_app for key, by_app in translations.items() if len(set(by_app.values())) > 1}
    assert differing == {}
    with translation.override("id"):
        assert (translation.gettext("Unit"), translation.pgettext("service unit", "Unit")) == ("Satuan", "Unit layanan")
        assert (translation.gettext("Grade"), translation.pgettext("evaluation grade", "Grade")) == ("Mutu pelayanan", "Predikat")
        assert (translation.gettext("To"), translation.pgettext("workflow transition", "To")) == ("Sampai", "Ke")


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda path: str(path.parents[3].name))
def test_compiled_catalogue_matches_the_po_file(catalogue):
    """The .mo files are committed (a fresh machine needs no gettext); they must not lag behind the .po."""
    with catalogue.with_suffix(".mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)._catalog
    stale = []
    for e in _po_entries(catalogue):
        if "fuzzy" in e["flags"] or not e["msgstr"].get(0):
            continue
        msgid = f"{e['msgctxt']}\x04{e['msgid']}" if e["msgctxt"] else e["msgid"]
        key = (msgid, 0) if e["msgid_plural"] is not None else msgid
        if catalog.get(key) != e["msgstr"][0]:
            stale.append(e["msgid"])
    assert stale == [], "run `make messages` and commit the .mo files"
    assert (catalogue.parents[2] / "en/LC_MESSAGES/django.mo").exists()


def test_model_names_and_roles_are_translated():
    with translation.override("id"):
        assert str(Agency._meta.verbose_name) == "perangkat daerah"
        assert str(Role.REGION_ADMIN.label) == "admin pemda"
    with translation.override("en"):
        assert str(Agency._meta.verbose_name) == "agency"


@time_machine.travel(dt.datetime(2026, 12, 1, 3, 0, tzinfo=dt.UTC), tick=False)
@pytest.mark.django_db
def test_pages_are_indonesian_by_default_and_english_after_switching(client, world):
    page = client.get("/r/banyuwangi/").content.decode()
    assert '<html lang="id">' in page
    assert "Jam kerja" in page and "Masuk" in page and "Perangkat daerah" in page
    assert "Selasa, 1 Desember 2026, 10:00 WIB" in page  # Indonesian day and month names
    assert "25 Desember 2026" in page and "(Jumat)" in page
    assert "Office hours" not in page

    response = client.post(reverse("set_language"), {"language": "en", "next": "/r/banyuwangi/"})
    assert response.status_code == 302

    page = client.get("/r/banyuwangi/").content.decode()
    assert '<html lang="en">' in page
    assert "Office hours" in page and "Log in" in page and "Agencies" in page
    assert "Tuesday, 1 December 2026, 10:00 WIB" in page
    assert "25 December 2026" in page
    assert "Jam kerja" not in page


@pytest.mark.django_db
def test_the_browsers_language_is_honoured_until_the_user_chooses(client, world):
    page = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "Regions on Pendopo" in page
    client.post(reverse("set_language"), {"language": "id", "next": "/"})
    page = client.get("/", headers={"accept-language": "en-US,en;q=0.9"}).content.decode()
    assert "Pemerintah daerah di Pendopo" in page


@pytest.mark.django_db
def test_not_found_page_is_translated(client, world):
    assert "Halaman tidak ditemukan" in client.get("/r/atlantis/").content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Page not found" in client.get("/r/atlantis/").content.decode()


@pytest.mark.django_db
def test_a_refusal_is_a_translated_page_that_says_why(client, world):
    from pendopo.catalog.tests.factories import make_service

    make_service(world.head_a1, world.agency_a1, code="KTP-EL")
    client.force_login(world.officer_a1)
    response = client.get(f"/r/{world.region_a.slug}/layanan/kelola/katalog-lengkap.yaml")
    page = response.content.decode()
    assert response.status_code == 403 and "<h1>Tidak diizinkan</h1>" in page
    assert "Hanya admin pemda yang boleh melakukan ini." in page  # the reason the view gave
    assert 'class="error-page"' in page and "<nav" in page  # the site's own page, with its navigation


@pytest.mark.django_db
def test_an_expired_form_gets_a_page_that_says_what_to_do(world):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "warga", "password": "x"})
    page = response.content.decode()
    assert response.status_code == 403 and "Formulir sudah kedaluwarsa" in page and "muat ulang" in page
    assert "tidak menyimpan cookie" in page  # this client sent no CSRF cookie at all
    assert 'class="error-page"' in page and "<nav" in page
