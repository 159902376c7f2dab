"""The axe check of the browser tests catches a violation (and a clean page passes it)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import run_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROKEN = """<!doctype html><html lang="id"><head><title>Contoh</title></head>
<body><main><h1>Contoh</h1><img src="/static/pendopo/none.png"><a href="/"></a></main></body></html>"""


def test_a_page_with_an_image_without_alt_is_reported(page, accessibility, live_server):
    # A tiny page of the live server's address with two known violations; routes added later win.
    page.route(f"{live_server.url}/axe-contoh/", lambda route: route.fulfill(body=BROKEN, content_type="text/html"))
    page.goto("/axe-contoh/")
    page.wait_for_load_state("load")
    accessibility.check(page)  # the load hook has run it too: the same violations are kept once

    found = {(v["id"], v["impact"]) for v in accessibility.violations}
    assert ("image-alt", "critical") in found and ("link-name", "serious") in found
    assert len(accessibility.violations) == 2
    report = accessibility.report()
    assert "/axe-contoh/  image-alt (critical)" in report
    assert "elements: img" in report and "https://dequeuniversity.com/rules/axe/" in report
    accessibility.violations.clear()  # seen: the fixture would otherwise fail this test at its end


def test_axe_runs_under_the_sites_content_security_policy(page):
    page.goto("/")
    assert page.evaluate("() => typeof window.axe") == "object"  # injected by the load hook
    assert run_axe(page) == []
