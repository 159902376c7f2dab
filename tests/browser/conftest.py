"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Run them with `pytest -m browser` (they are part of the default run too). Nothing leaves the
machine: the browser's requests to any other host are aborted and recorded, and a test that
triggers one fails. A failing test leaves a screenshot in test-results/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
PHONE = {"width": 375, "height": 740}


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """Keep each phase's report on the test item so the `page` fixture knows whether the test failed."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread for the whole session;
    # Django refuses ORM calls while a loop runs unless told that this is deliberate. The tests'
    # ORM calls are synchronous and the live server answers from its own thread.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def external_requests() -> list[str]:
    """URLs the page tried to load from any host but the live server (should stay empty)."""
    return []


@pytest.fixture
def page(request, browser, live_server, external_requests) -> Iterator:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, locale="id-ID", timezone_id="Asia/Jakarta")
    context.set_default_timeout(10_000)

    def only_local(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            external_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    tab = context.new_page()
    # The Content-Security-Policy (docs/security.md): every page the tests open must pass it.
    refused: list[str] = []
    tab.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        tab.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
    context.close()
    assert external_requests == [], f"the page tried to reach other hosts: {external_requests}"
    assert refused == [], f"the Content-Security-Policy refused: {refused}"


@pytest.fixture
def log_in(page):  # type: ignore[no-untyped-def]
    """Log in through the real login page, as a person would."""

    def _log_in(username: str, password: str = "password") -> None:  # noqa: S107 -- the test factories' password
        page.goto("/masuk/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/masuk/" not in url)

    return _log_in


def wait_for(tab, expression: str, timeout: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until a JavaScript expression is true in the page.

    Playwright's own wait_for_function polls with an eval inside the page, which the site's
    Content-Security-Policy (no 'unsafe-eval') refuses; page.evaluate is not subject to it.
    """
    body = expression.removeprefix("() =>").strip()
    for _ in range(max(1, timeout // 50)):
        if tab.evaluate(f"() => Boolean({body})"):
            return
        tab.wait_for_timeout(50)
    raise AssertionError(f"still false after {timeout} ms: {expression}")
