"""Drop the trigger and function that announced case changes (PostgreSQL only; nothing elsewhere)."""

from django.db import migrations

TRIGGER = "pendopo_case_changed"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    table = schema_editor.quote_name(apps.get_model("workflow", "Case")._meta.db_table)
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}")
    schema_editor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()")


class Migration(migrations.Migration):
    dependencies = [("workflow", "0002_case_change_trigger")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop, elidable=True)]
