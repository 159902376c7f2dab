from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "pendopo.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from pendopo.accounts import selectors  # noqa: F401 -- registers the invitations' permission scope
