"""The table of the "limits" cache (rate limits shared by every process when there is no Redis)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # Django's own command: creates the table of every DatabaseCache in CACHES, if missing.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS pendopo_cache")


class Migration(migrations.Migration):
    dependencies = [("worker", "0001_periodic_jobs")]

    operations = [migrations.RunPython(create_cache_table, drop_cache_table)]
