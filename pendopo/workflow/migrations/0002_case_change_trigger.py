"""Once created the trigger of the case-change listener; now does nothing (0003 removes the trigger).

The listener (pendopo/workflow/changes.py) is gone: see docs/architecture.md, "What was removed".
Kept so that databases which applied it keep a consistent migration history.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("workflow", "0001_cases_and_definitions")]

    operations = []
