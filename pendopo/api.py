"""The JSON API at /api/v1/: one NinjaAPI, each app contributes its router (`<app>/api.py`)."""

from __future__ import annotations

from ninja.openapi.docs import Swagger

from pendopo.lib.apierrors import CleanParser, PendopoAPI, install_error_handlers

api = PendopoAPI(
    title="Pendopo API",
    version="1",
    description="Public-service platform for Indonesian regional governments. Errors are JSON "
    '`{"detail": "...", "errors": [{"field": "...", "code": "...", "message": "..."}]}`; lists are paged.',
    urls_namespace="api",
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    parser=CleanParser(),
)
install_error_handlers(api)


def _register_routers() -> None:
    from pendopo.regions.api import router as regions_router

    api.add_router("/", regions_router)
    from pendopo.catalog.api import router as catalog_router

    api.add_router("/", catalog_router)
    from pendopo.applications.api import router as applications_router

    api.add_router("/", applications_router)
    from pendopo.surveys.api import router as surveys_router

    api.add_router("/", surveys_router)
    from pendopo.complaints.api import router as complaints_router

    api.add_router("/", complaints_router)
    from pendopo.prices.api import router as prices_router

    api.add_router("/", prices_router)
    from pendopo.performance.api import router as performance_router

    api.add_router("/", performance_router)
    from pendopo.queueing.api import router as queueing_router

    api.add_router("/", queueing_router)
    from pendopo.innovations.api import router as innovations_router

    api.add_router("/", innovations_router)
    from pendopo.insights.api import router as insights_router

    api.add_router("/", insights_router)


_register_routers()
