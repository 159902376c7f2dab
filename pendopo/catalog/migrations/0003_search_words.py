"""The catalogue's search text as words with the abbreviations' long forms (`catalog/search.py`).

The search text is derived data, rebuilt from the service on every save; this rebuilds it once for
the services saved before. Like every data migration it keeps its own copy of what it needs (the
list of abbreviations and `index_text` as they were when it was written), not the app's code.
"""

import re

from django.db import migrations

ABBREVIATIONS = {
    "adminduk": "administrasi kependudukan",
    "bphtb": "bea perolehan hak atas tanah dan bangunan",
    "capil": "pencatatan sipil",
    "dukcapil": "kependudukan dan pencatatan sipil",
    "imb": "izin mendirikan bangunan",
    "kia": "kartu identitas anak",
    "kk": "kartu keluarga",
    "ktp": "kartu tanda penduduk",
    "mpp": "mal pelayanan publik",
    "nib": "nomor induk berusaha",
    "npwp": "nomor pokok wajib pajak",
    "oss": "online single submission",
    "pbb": "pajak bumi dan bangunan",
    "pbg": "persetujuan bangunan gedung",
    "siup": "surat izin usaha perdagangan",
    "skck": "surat keterangan catatan kepolisian",
    "sktm": "surat keterangan tidak mampu",
    "slf": "sertifikat laik fungsi",
    "sptjm": "surat pernyataan tanggung jawab mutlak",
    "umkm": "usaha mikro kecil dan menengah",
}

_NOT_A_WORD = re.compile(r"[\W_]+")


def _words(text):
    return [word for word in _NOT_A_WORD.split(text.lower()) if word]


def _index_text(parts):
    found = _words(" ".join(parts))
    text = " " + " ".join(found) + " "
    extra = [ABBREVIATIONS[word] for word in dict.fromkeys(found) if word in ABBREVIATIONS]
    extra += [abbr for abbr, long in ABBREVIATIONS.items() if f" {long} " in text and abbr not in found]
    return text + (" ".join(extra) + " " if extra else "")


def rebuild(apps, schema_editor):
    Service = apps.get_model("catalog", "Service")
    changed = []
    for service in Service.objects.select_related("agency").iterator(chunk_size=2000):
        agency = service.agency
        parts = [service.code, service.name, service.keywords, service.summary]
        if agency is not None:
            parts += [agency.name, agency.short_name, agency.code]
        service.search_text = _index_text([p for p in parts if p])
        changed.append(service)
        if len(changed) == 2000:
            Service.objects.bulk_update(changed, ["search_text"])
            changed = []
    Service.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_workflow_choice")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
