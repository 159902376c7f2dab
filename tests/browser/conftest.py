"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live server.

Run them with `pytest -m browser` (they are part of the default run too). Nothing leaves the
machine: the browser's requests to any other host are aborted and recorded, and a test that
triggers one fails. A failing test leaves a screenshot in test-results/.

Every page a test opens is checked with axe-core (vendored in tests/browser/vendor/axe-core/, see
docs/ui.md): after each load of the main frame and once more at the end of the test, on what the
page shows then. A serious or critical violation fails the test with the page, the rule, the
elements and the rule's help page.
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
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
SEVERE = ("serious", "critical")
# axe.run in the page; page.evaluate goes through the DevTools protocol, which the page's
# Content-Security-Policy does not govern (an inline <script> tag would be refused).
# Violations inside third-party UIs that Pendopo's templates cannot fix, per page path and rule, each
# with its upstream issue (docs/ui.md). Keep this short.
UPSTREAM = {
    # Swagger UI (django-ninja's bundle) puts the operation's path link inside the summary <button>:
    # https://github.com/swagger-api/swagger-ui/issues/9570 (open).
    ("/api/v1/docs", "nested-interactive"),
}
# Runs are chained in the page: the load hook's run and the test's own may overlap, and axe
# refuses to start while another run is going.
AXE_RUN = """() => (window.__pendopoAxe = (window.__pendopoAxe || Promise.resolve()).catch(() => null)
    .then(() => axe.run(document, {resultTypes: ['violations']})).then(results => results.violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                targets: v.nodes.slice(0, 8).map(n => n.target.join(' ')), count: v.nodes.length}))))"""


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


_axe_source: str | None = None


def run_axe(tab) -> list[dict]:  # type: ignore[no-untyped-def]
    """The serious and critical axe violations of what the page shows now (axe is injected on first use)."""
    global _axe_source
    if _axe_source is None:
        _axe_source = "if (typeof window.axe !== 'object') {\n" + AXE.read_text(encoding="utf-8") + "\n}\ntrue"
    tab.evaluate(_axe_source)  # one evaluate: two overlapping checks do not inject it twice
    found: list[dict] = tab.evaluate(AXE_RUN)
    return [dict(violation, url=tab.url) for violation in found]


class Accessibility:
    """Collects the serious and critical axe violations of the pages a test opens, once per page and rule."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.violations: list[dict] = []
        self._seen: set[tuple[str, str, tuple[str, ...]]] = set()

    def check(self, tab) -> None:  # type: ignore[no-untyped-def]
        if not tab.url.startswith(self.base_url):
            return  # about:blank, a download, another host (refused anyway)
        from playwright.sync_api import Error as PlaywrightError

        try:
            found = run_axe(tab)
        except PlaywrightError as error:
            # The test moved on (a click that navigates) while axe ran: the next page is checked on its load.
            if "context was destroyed" in str(error) or "navigation" in str(error) or "closed" in str(error):
                return
            raise
        for violation in found:
            path = violation["url"].removeprefix(self.base_url).split("?")[0].split("#")[0]
            if (path, violation["id"]) in UPSTREAM:
                continue
            key = (path, violation["id"], tuple(violation["targets"]))
            if key not in self._seen:
                self._seen.add(key)
                self.violations.append(violation)

    def watch(self, tab) -> None:  # type: ignore[no-untyped-def]
        """Check the page after every load of its main frame."""
        tab.on("load", lambda loaded: self.check(loaded))

    def report(self) -> str:
        lines = [f"axe found {len(self.violations)} serious or critical accessibility violation(s):"]
        for v in self.violations:
            lines.append(f"- {v['url'].removeprefix(self.base_url)}  {v['id']} ({v['impact']}): {v['help']}")
            more = f" (and {v['count'] - len(v['targets'])} more)" if v["count"] > len(v["targets"]) else ""
            lines.append(f"    elements: {', '.join(v['targets'])}{more}")
            lines.append(f"    help: {v['helpUrl']}")
        return "\n".join(lines)


@pytest.fixture
def accessibility(live_server) -> Accessibility:  # type: ignore[no-untyped-def]
    """The axe violations found so far in this test (the `page` fixture fails the test if any remain)."""
    return Accessibility(live_server.url)


@pytest.fixture
def page(request, browser, live_server, external_requests, accessibility) -> Iterator:  # type: ignore[no-untyped-def]
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
    accessibility.watch(tab)
    # The Content-Security-Policy (docs/security.md): every page the tests open must pass it.
    refused: list[str] = []
    tab.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None)
    yield tab
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        tab.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)
    elif not tab.is_closed():
        accessibility.check(tab)  # what the page shows at the end (after htmx swaps, dialogs, typing)
    context.close()
    assert external_requests == [], f"the page tried to reach other hosts: {external_requests}"
    assert refused == [], f"the Content-Security-Policy refused: {refused}"
    assert accessibility.violations == [], accessibility.report()


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
