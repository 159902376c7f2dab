"""The trigger that announces case changes (pendopo.workflow.changes); PostgreSQL only."""

from django.db import migrations


def forward(apps, schema_editor):
    from pendopo.workflow.changes import install_trigger

    install_trigger(schema_editor.connection)


def backward(apps, schema_editor):
    from pendopo.workflow.changes import remove_trigger

    remove_trigger(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_cases_and_definitions")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
