"""Worker tasks of accounts: forgetting one-time codes once nothing needs them."""

from __future__ import annotations

import datetime as dt

from django_tasks import task

from pendopo.accounts import actions
from pendopo.worker.periodic import periodic


@periodic(name="accounts.purge_codes", every=dt.timedelta(hours=1))
@task()
def purge_codes() -> int:
    """Delete codes past their life and past the throttle's window (they hold hashes and payloads)."""
    return actions.purge_codes()
