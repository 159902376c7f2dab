"""WSGI entry of the tracking benchmark: Pendopo's URLs plus one bare view, in the same server.

The bare view is the baseline: the same middleware, the same process, no database and no template.
`BENCH_CACHE=none` swaps the cache for Django's dummy cache (nothing is ever found), to measure
the tracking page as it is when every request renders it.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pendopo.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "benchmarks.applications_urls"
if os.environ.get("BENCH_CACHE") == "none":
    # Read on the first use of the cache, which is after this module is imported.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
