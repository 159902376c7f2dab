"""Every region has its default service and complaint workflows (new regions get them when set up).

Cases used to create them on their first request; now nothing writes on a request's path. The
definitions are the defaults of this release, stored beside this migration as data (no app code).
"""

import json
from pathlib import Path

from django.db import migrations
from django.db.models import Max

DEFAULTS = Path(__file__).with_name("0004_default_workflows.json")


def forward(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    WorkflowDefinition = apps.get_model("workflow", "WorkflowDefinition")
    Now = apps.get_model("workflow", "Case")._meta.get_field("created_at").default
    defaults = json.loads(DEFAULTS.read_text(encoding="utf-8"))
    for region in Region.objects.all():
        for code, default in defaults.items():
            if WorkflowDefinition.objects.filter(region=region, code=code, status="active").exists():
                continue
            latest = WorkflowDefinition.objects.filter(region=region, code=code).aggregate(v=Max("version"))["v"] or 0
            moment = Now()
            WorkflowDefinition.objects.create(
                region=region,
                code=code,
                name=default["name"],
                version=latest + 1,
                status="active",
                definition=default["definition"],
                created_at=moment,
                activated_at=moment,
            )


class Migration(migrations.Migration):
    dependencies = [("workflow", "0003_drop_case_change_trigger"), ("regions", "0006_drop_bespoke_sessions_and_access_stamp")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
