"""Security headers: HSTS on HTTPS, a Content-Security-Policy the pages pass, Permissions-Policy.

The policy allows scripts from the site itself only (no 'unsafe-inline'), so no template may hold
an inline script or an inline event handler: their behaviour lives in static files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pendopo

pytestmark = pytest.mark.django_db
TEMPLATES = sorted(Path(pendopo.__file__).parent.glob("**/templates/**/*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.IGNORECASE)
# An HTML event attribute (onclick=, onsubmit=, …), not a template variable that starts with "on" (`one=`).
INLINE_HANDLER = re.compile(
    r"\son(?:abort|blur|change|click|dblclick|error|focus|input|invalid|key(?:down|press|up)|load|mouse[a-z]+|pointer[a-z]+"
    r"|reset|resize|scroll|select|submit|touch[a-z]+|unload|beforeunload|hashchange|popstate)\s*=",
    re.IGNORECASE,
)


def test_every_page_carries_the_policies(client, world):
    for url in ("/", "/masuk/", f"/r/{world.region_a.slug}/", "/api/v1/openapi.json"):
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, url
        assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
        assert "camera=()" in response.headers["Permissions-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_hsts_is_sent_on_https_when_configured(client, world, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    assert "Strict-Transport-Security" not in client.get("/").headers  # never on plain HTTP
    assert client.get("/", secure=True).headers["Strict-Transport-Security"] == "max-age=31536000"


def test_hsts_is_on_by_default_when_debug_is_off():
    import subprocess
    import sys

    code = "import pendopo.settings as s; print(s.SECURE_HSTS_SECONDS)"
    env = {"DEBUG": "false", "SECRET_KEY": "x" * 50, "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603 -- our interpreter, a fixed script
    assert int(out.stdout) >= 31_536_000


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(Path(pendopo.__file__).parent)))
def test_no_template_holds_an_inline_script_or_handler(template):
    text = template.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>: move it to a static file"
    assert not INLINE_HANDLER.search(text), "inline event handler: use a data- attribute and pendopo.js"
