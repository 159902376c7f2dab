"""Background work of the cooperation app: the hourly reminder job (a thin wrapper of `reminders.send_region`)."""

from __future__ import annotations

from django_tasks import task

from pendopo.regions.models import Region


@task()
def send_reminders() -> int:
    """Mail every active region's due expiry and evaluation reminders (each once per person and step)."""
    from pendopo.cooperation import reminders
    from pendopo.cooperation.models import Agreement

    sent = 0
    running = Agreement.objects.filter(case__state__in=["pelaksanaan", "pelaporan"]).values("region_id")
    for region in Region.objects.filter(is_active=True, pk__in=running).select_related("regency"):
        sent += reminders.send_region(region)
    return sent
