"""WSGI entry of the tracking benchmark: Pendopo's URLs plus one bare view, in the same server.

The bare view is the baseline: the same middleware, the same process, no database and no template.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pendopo.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from django.conf import settings  # noqa: E402

settings.ROOT_URLCONF = "benchmarks.applications_urls"
