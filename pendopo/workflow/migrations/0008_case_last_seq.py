from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce


def number_of_last_event(apps, schema_editor):
    Case = apps.get_model("workflow", "Case")
    CaseEvent = apps.get_model("workflow", "CaseEvent")
    last = CaseEvent.objects.filter(case=OuterRef("pk")).order_by().values("case").annotate(last=Max("seq")).values("last")
    Case.objects.update(last_seq=Coalesce(Subquery(last), 0))


class Migration(migrations.Migration):

    dependencies = [
        ("workflow", "0007_case_kinds"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="last_seq",
            field=models.PositiveIntegerField(db_default=0, default=0, editable=False, verbose_name="last event"),
        ),
        migrations.RunPython(number_of_last_event, migrations.RunPython.noop, elidable=True),
    ]
