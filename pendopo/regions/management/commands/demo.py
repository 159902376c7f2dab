"""`pendopo demo`: load the reference areas and switch on the demo regions; prints the logins."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from pendopo.regions.demo import DEFAULT_DEMO_PASSWORD, demo_password, load_demo


class Command(BaseCommand):
    help = "Load the demo regions (Banyuwangi, Mamuju Tengah) with agencies, service points and users. Idempotent."

    def handle(self, *args: object, **options: object) -> None:
        try:
            password = demo_password()
            logins = load_demo(stdout=self.stdout.write)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS("Demo ready. Logins (password from PENDOPO_DEMO_PASSWORD):"))
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username:<{width}}  {login.role} — {login.where}")
        if password == DEFAULT_DEMO_PASSWORD:
            self.stdout.write(f"  password: {password}")
        else:
            self.stdout.write("  password: the value of PENDOPO_DEMO_PASSWORD")
