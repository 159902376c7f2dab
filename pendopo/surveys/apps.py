from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "pendopo.surveys"
    label = "surveys"
    verbose_name = _("Satisfaction survey (SKM)")

    def ready(self) -> None:
        from pendopo.surveys import demo, selectors  # noqa: F401 -- register the demo step and the permission scopes
