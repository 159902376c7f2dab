"""An entry's flags become facts (outside the band; the change in percent) worded when shown.

The text they replace was worded in the language of whoever saved the entry, so a coordinator could
read an enumerator's English on the Indonesian review page. The facts are read back from that text:
the band's wording in either language, and the signed percentage of a jump.
"""

import re
from decimal import Decimal

from django.db import migrations, models

JUMP = re.compile(r"([+-]\d+(?:[.,]\d+)?)\s*%")


def facts_of(text):
    """(outside the band, the jump in percent or None) of a flag text in English or Indonesian."""
    found = JUMP.search(text)
    return ("band" in text or "rentang" in text), (Decimal(found.group(1).replace(",", ".")) if found else None)


def text_to_facts(apps, schema_editor):
    PriceEntry = apps.get_model("prices", "PriceEntry")
    changed = []
    for entry in PriceEntry.objects.exclude(flags="").only("pk", "flags").iterator(chunk_size=2000):
        entry.outside_band, entry.jump = facts_of(entry.flags)
        changed.append(entry)
    PriceEntry.objects.bulk_update(changed, ["outside_band", "jump"], batch_size=2000)


def facts_to_text(apps, schema_editor):
    PriceEntry = apps.get_model("prices", "PriceEntry")
    changed = []
    for entry in PriceEntry.objects.filter(models.Q(outside_band=True) | models.Q(jump__isnull=False)).iterator(chunk_size=2000):
        parts = ["outside the plausible band"] if entry.outside_band else []
        if entry.jump is not None:
            parts.append(f"{entry.jump:+} % against the previous price")
        entry.flags = "; ".join(parts)
        changed.append(entry)
    PriceEntry.objects.bulk_update(changed, ["flags"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("prices", "0003_covering_entry_indexes")]

    operations = [
        migrations.AddField(
            model_name="priceentry",
            name="outside_band",
            field=models.BooleanField(default=False, verbose_name="outside the plausible band"),
        ),
        migrations.AddField(
            model_name="priceentry",
            name="jump",
            field=models.DecimalField(
                blank=True,
                decimal_places=1,
                max_digits=7,
                null=True,
                verbose_name="flagged change against the previous price (%)",
            ),
        ),
        migrations.RunPython(text_to_facts, facts_to_text),
        migrations.RemoveField(model_name="priceentry", name="flags"),
    ]
