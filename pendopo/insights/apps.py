from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "pendopo.insights"
    label = "insights"
    verbose_name = _("Regions compared")
