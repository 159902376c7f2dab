from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "pendopo.catalog"
    label = "catalog"
    verbose_name = _("Service catalogue")

    def ready(self) -> None:
        from pendopo.catalog import pdf, selectors  # noqa: F401 -- selectors registers the permission scopes

        pdf.connect_signals()

        try:
            from pendopo.regions.demo import register_demo_step
        except ImportError:  # the regions' demo registry is optional; `load_demo_catalog()` also runs on its own
            return
        from pendopo.catalog.demo import load_demo_catalog

        register_demo_step(20, "catalog", load_demo_catalog)
