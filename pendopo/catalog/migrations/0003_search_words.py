"""The catalogue's search text as words with the abbreviations' long forms (`catalog/search.py`).

The search text is derived data, rebuilt from the service on every save; this rebuilds it once for
the services saved before. It calls the pure `search.index_text` (no models), so the text it writes
is the one the running code searches.
"""

from django.db import migrations


def rebuild(apps, schema_editor):
    from pendopo.catalog.search import index_text

    Service = apps.get_model("catalog", "Service")
    changed = []
    for service in Service.objects.select_related("agency").iterator(chunk_size=2000):
        agency = service.agency
        parts = [service.code, service.name, service.keywords, service.summary]
        if agency is not None:
            parts += [agency.name, agency.short_name, agency.code]
        service.search_text = index_text([p for p in parts if p])
        changed.append(service)
        if len(changed) == 2000:
            Service.objects.bulk_update(changed, ["search_text"])
            changed = []
    Service.objects.bulk_update(changed, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [("catalog", "0002_workflow_choice")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
