from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pendopo.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from pendopo.accounts import selectors, tasks  # noqa: F401 -- the invitations' permission scope, the periodic purge
