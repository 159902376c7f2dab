"""Loading Indonesia's reference areas from the shipped data (`pendopo load_areas`)."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from pendopo.regions.areas import DATA_DIR, AreaDataError, load_areas
from pendopo.regions.models import District, Province, Regency, Village

pytestmark = pytest.mark.django_db

LEVEL_MODELS = {"provinces": Province, "regencies": Regency, "districts": District, "villages": Village}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def rows_in_shipped_file(level: str) -> int:
    with gzip.open(DATA_DIR / f"{level}.csv.gz", "rt", encoding="utf-8") as handle:
        return sum(1 for line in handle if line.strip()) - 1  # minus the header


def table_counts() -> dict[str, int]:
    return {level: model._default_manager.count() for level, model in LEVEL_MODELS.items()}


def test_loads_all_areas_and_a_second_run_writes_nothing():
    counts = load_areas()

    assert counts["provinces"] == 38
    assert counts["regencies"] == 514
    assert counts["districts"] == rows_in_shipped_file("districts") > 7000
    assert counts["villages"] == rows_in_shipped_file("villages") > 80000
    assert table_counts() == counts

    banyuwangi = Regency.objects.get(code="35.10")
    assert (banyuwangi.name, banyuwangi.kind, banyuwangi.province.name) == ("Kabupaten Banyuwangi", "kabupaten", "Jawa Timur")
    assert banyuwangi.districts.count() == 25
    assert Village.objects.filter(district__regency=banyuwangi).count() == 217
    assert Village.objects.filter(district__regency=banyuwangi, kind=Village.Kind.URBAN).count() == 28
    assert Village.objects.filter(district__regency=banyuwangi, kind=Village.Kind.RURAL).count() == 189

    mamuju_tengah = Regency.objects.get(code="76.06")
    assert (mamuju_tengah.name, mamuju_tengah.kind, mamuju_tengah.province.name) == (
        "Kabupaten Mamuju Tengah",
        "kabupaten",
        "Sulawesi Barat",
    )
    assert mamuju_tengah.districts.count() == 5
    assert Village.objects.filter(district__regency=mamuju_tengah).count() == 54

    assert Regency.objects.get(code="35.79").kind == Regency.Kind.CITY  # Kota Batu
    assert Regency.objects.get(code="31.71").kind == Regency.Kind.CITY  # Kota Administrasi Jakarta Pusat
    assert Regency.objects.get(code="31.01").kind == Regency.Kind.REGENCY  # Kabupaten Administrasi Kepulauan Seribu
    assert Regency.objects.filter(name__startswith="Kota ").count() == Regency.objects.filter(kind=Regency.Kind.CITY).count()
    assert Village.objects.get(code="35.10.15.1002").kind == Village.Kind.URBAN  # Kelurahan Bakungan
    assert Village.objects.get(code="35.10.01.2001").kind == Village.Kind.RURAL
    assert Village.objects.get(code="91.03.01.3007").kind == Village.Kind.RURAL  # a desa adat in Kabupaten Jayapura

    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        assert load_areas(stdout=out) == counts
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert table_counts() == counts
    assert out.getvalue().splitlines() == [f"{level}: {count} (0 new, 0 changed)" for level, count in counts.items()]


# --- A small data set in a directory of its own ------------------------------------------------

SMALL = {
    "provinces": ["code,name", "35,Jawa Timur", "76,Sulawesi Barat"],
    "regencies": ["code,province_code,name", "35.10,35,Kabupaten Banyuwangi", "35.79,35,Kota Batu"],
    "districts": ["code,regency_code,name", "35.10.01,35.10,Pesanggaran", "35.79.01,35.79,Batu"],
    "villages": ["code,district_code,name", "35.10.01.2001,35.10.01,Sarongan", "35.79.01.1001,35.79.01,Sisir"],
}


def write_data(directory: Path, files: dict[str, list[str]], *, gzipped: bool = False) -> Path:
    for level, lines in files.items():
        text = "".join(line + "\n" for line in lines)
        if gzipped:
            (directory / f"{level}.csv.gz").write_bytes(gzip.compress(text.encode()))
        else:
            (directory / f"{level}.csv").write_text(text, encoding="utf-8")
    return directory


def test_loads_a_data_directory_and_derives_kinds(tmp_path):
    counts = load_areas(data_dir=write_data(tmp_path, SMALL, gzipped=True))

    assert counts == {"provinces": 2, "regencies": 2, "districts": 2, "villages": 2}
    assert dict(Regency.objects.values_list("code", "kind")) == {"35.10": "kabupaten", "35.79": "kota"}
    assert dict(Village.objects.values_list("code", "kind")) == {"35.10.01.2001": "desa", "35.79.01.1001": "kelurahan"}
    assert Village.objects.get(code="35.79.01.1001").district.regency.province.name == "Jawa Timur"


def test_updates_what_changed_and_leaves_areas_missing_from_the_data(tmp_path):
    load_areas(data_dir=write_data(tmp_path, SMALL))
    Province.objects.create(code="99", name="Not in the data")
    changed = {**SMALL, "villages": [*SMALL["villages"][:2], "35.79.01.1001,35.79.01,Kelurahan Sisir"]}
    out = io.StringIO()

    load_areas(stdout=out, data_dir=write_data(tmp_path, changed))

    assert Village.objects.get(code="35.79.01.1001").name == "Kelurahan Sisir"
    assert Province.objects.filter(code="99").exists()
    lines = out.getvalue().splitlines()
    assert lines[0] == "provinces: 2 (0 new, 0 changed) — 1 not in the data, left in place"
    assert lines[3] == "villages: 2 (0 new, 1 changed)"


def test_corrects_areas_made_before_the_load(tmp_path):
    # Test factories and hand-made demo data may create a province with a placeholder name.
    Province.objects.create(code="35", name="Provinsi")

    load_areas(data_dir=write_data(tmp_path, SMALL))

    assert Province.objects.get(code="35").name == "Jawa Timur"
    assert Province.objects.count() == 2


@pytest.mark.parametrize(
    ("level", "lines", "message"),
    [
        ("villages", ["code,district_code,name", "35.10.01.2001,35.10.01,Sarongan", "35.10.01.201,35.10.01,Pesanggaran"],
         "villages.csv, line 3: the code “35.10.01.201” is not in the form 35.10.01.2001."),
        ("villages", ["code,district_code,name", "35.10.02.2001,35.10.02,Kandangan"],
         "villages.csv, line 2: district_code 35.10.02 is not in districts.csv."),
        ("villages", ["code,district_code,name", "35.10.01.2001,35.79.01,Sarongan"],
         "villages.csv, line 2: the code 35.10.01.2001 does not lie in 35.79.01."),
        ("villages", ["code,district_code,name", "35.10.01.2001,35.10.01,Sarongan", "", "35.10.01.2001,35.10.01,Sarongan"],
         "villages.csv, line 4: the code 35.10.01.2001 appears twice (also on line 2)."),
        ("villages", ["code,district_code,name", "35.10.01.5001,35.10.01,Sarongan"],
         "villages.csv, line 2: cannot tell the kind of 35.10.01.5001 Sarongan."),
        ("villages", ["code,district_code,name", "35.10.01.2001,35.10.01"],
         "villages.csv, line 2: expected 3 columns, found 2."),
        ("villages", ["code,district_code,name", "35.10.01.2001,35.10.01, "],
         "villages.csv, line 2: the name is empty."),
        ("villages", ["code,district_code,name", "35.10.01.2001,35.10.01," + "x" * 101],
         "villages.csv, line 2: the name is longer than 100 characters."),
        ("villages", ["code,district_code,name", '35.10.01.2001,35.10.01,"Saro', 'ngan"'],
         "villages.csv, line 3: the name contains a line break or another control character."),
        ("villages", ["code,district_code,name", '35.10.01.2001,35.10.01,"Sarongan'],
         "villages.csv, line 2: this is not valid CSV (unexpected end of data)."),
        ("villages", ["code,name,district_code"],
         "villages.csv, line 1: the header is “code,name,district_code”, expected “code,district_code,name”."),
        ("villages", ["code,district_code,name"], "villages.csv has no areas."),
        ("villages", [], "villages.csv is empty."),
        ("regencies", ["code,province_code,name", "35.10,35,Banyuwangi"],
         "regencies.csv, line 2: cannot tell the kind of 35.10 Banyuwangi."),
    ],
)  # fmt: skip
def test_malformed_data_names_file_and_line_and_writes_nothing(tmp_path, level, lines, message):
    write_data(tmp_path, {**SMALL, level: lines})

    with pytest.raises(AreaDataError) as error:
        load_areas(data_dir=tmp_path)

    assert str(error.value) == message
    assert table_counts() == dict.fromkeys(LEVEL_MODELS, 0)


def test_missing_or_unreadable_file_is_reported(tmp_path):
    write_data(tmp_path, {level: lines for level, lines in SMALL.items() if level != "districts"})
    with pytest.raises(AreaDataError, match=r"has no districts\.csv\.gz or districts\.csv\."):
        load_areas(data_dir=tmp_path)

    write_data(tmp_path, SMALL)
    (tmp_path / "villages.csv.gz").write_bytes(b"not gzip")  # found before villages.csv
    with pytest.raises(AreaDataError, match=r"^villages\.csv\.gz cannot be read"):
        load_areas(data_dir=tmp_path)
    assert table_counts() == dict.fromkeys(LEVEL_MODELS, 0)


def test_command_prints_counts(tmp_path):
    write_data(tmp_path, SMALL)
    out = io.StringIO()
    call_command("load_areas", "--json", "--data-dir", str(tmp_path), stdout=out)
    assert json.loads(out.getvalue()) == {"provinces": 2, "regencies": 2, "districts": 2, "villages": 2}

    out = io.StringIO()
    call_command("load_areas", "--data-dir", str(tmp_path), stdout=out)
    assert "villages: 2 (0 new, 0 changed)" in out.getvalue().splitlines()
    assert "Reference areas are up to date" in out.getvalue()


def test_command_fails_on_malformed_data(tmp_path):
    write_data(tmp_path, {**SMALL, "provinces": ["code,name", "3,Jawa Timur"]})
    with pytest.raises(CommandError, match=r"^provinces\.csv, line 2: the code “3” is not in the form 35\.$"):
        call_command("load_areas", "--data-dir", str(tmp_path), stdout=io.StringIO())
    assert Province.objects.count() == 0
