from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkerConfig(AppConfig):
    name = "pendopo.worker"
    label = "worker"
    verbose_name = _("Background work")

    def ready(self) -> None:
        # Registers the worker's own periodic job (worker.prune_task_results).
        from pendopo.worker import tasks  # noqa: F401
