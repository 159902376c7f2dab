"""Worker task of the performance app: the heads' weekly digest (a thin wrapper of `digest`)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from pendopo.performance import digest
from pendopo.worker.periodic import periodic


@periodic(name="performance.weekly_digest", every=dt.timedelta(hours=1))
@task()
def send_weekly_digests() -> int:
    """Hourly: on the digest's weekday and hour, one email per agency head for the ISO week."""
    return digest.send_weekly_digests()
