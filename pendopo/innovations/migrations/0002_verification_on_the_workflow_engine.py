"""Submission and verification move onto the shared workflow engine.

Every region gets the verification workflow (`innovation-verification`, from the JSON beside this
migration: data, no app code); new regions get it when they are set up
(innovations/workflow.set_up_region). An innovation's case is opened at its first submission.
"""

import json
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Max

DEFAULT = Path(__file__).with_name("0002_verification_workflow.json")


def forward(apps, schema_editor):
    Region = apps.get_model("regions", "Region")
    WorkflowDefinition = apps.get_model("workflow", "WorkflowDefinition")
    now = apps.get_model("workflow", "Case")._meta.get_field("created_at").default
    data = json.loads(DEFAULT.read_text(encoding="utf-8"))
    for region in Region.objects.all():
        if WorkflowDefinition.objects.filter(region=region, code=data["code"], status="active").exists():
            continue
        latest = WorkflowDefinition.objects.filter(region=region, code=data["code"]).aggregate(v=Max("version"))["v"] or 0
        moment = now()
        WorkflowDefinition.objects.create(
            region=region,
            code=data["code"],
            name=data["name"],
            version=latest + 1,
            status="active",
            definition=data["definition"],
            created_at=moment,
            activated_at=moment,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("innovations", "0001_register_scores_replications"),
        ("workflow", "0005_case_kind_innovation"),
    ]

    operations = [
        migrations.AddField(
            model_name="innovation",
            name="case",
            field=models.OneToOneField(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="innovation",
                to="workflow.case",
                verbose_name="verification case",
            ),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
