"""An enumerator at a market with a poor connection: the prices typed offline survive a reload
and reach the server once when the connection returns.

"Offline" is Chromium's offline emulation (navigator.onLine is false, no `online` event until
the connection returns) together with a route that refuses every request of the browser context,
the service worker's included, as a network without signal does. The emulation alone reaches a
service worker asynchronously when Playwright attaches to it, and one CI run saw the page's
prices arrive while "offline"; the route makes the test's network as dead as a phone's.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from pendopo.lib import dates
from pendopo.prices.models import PriceEntry
from pendopo.prices.tests.conftest import prices  # noqa: F401 -- the fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("PRICES_SHOTS", "")


def _shot(tab, name):
    if SHOTS:
        tab.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def test_prices_typed_offline_arrive_once(page, log_in, world, prices):  # noqa: F811 -- the fixture
    page.set_viewport_size({"width": 375, "height": 740})
    log_in(world.officer_a1.username)
    entry_url = f"/r/{world.region_a.slug}/harga/isi/?pasar={prices.pasar_a.code}"
    page.goto(entry_url)
    # Wait until the service worker controls the page (a second load is the first it controls).
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    for _ in range(50):  # the page's CSP forbids eval, so poll instead of wait_for_function
        if page.evaluate("navigator.serviceWorker.controller !== null"):
            break
        page.wait_for_timeout(100)
    assert page.evaluate("navigator.serviceWorker.controller !== null")

    refused: list[str] = []

    def no_signal(route):  # type: ignore[no-untyped-def]
        refused.append(route.request.url)
        route.abort("internetdisconnected")

    page.context.set_offline(True)
    page.context.route("**/*", no_signal)
    page.locator(f"#price_{prices.beras.pk}").fill("13.500")
    page.locator(f"#price_{prices.gula.pk}").fill("17.000")
    page.locator("#price-form button[type=submit]").dblclick()
    status = page.locator("#price-status")
    # It says "sending" first; the refused request turns it into "queued" on this device.
    expect(status).to_have_attribute("data-kind", "queued")
    assert "2" in status.inner_text() and "perangkat" in status.inner_text()
    assert PriceEntry.objects.count() == 0
    _shot(page, "prices-offline-queued")

    # A reload without a connection: the page comes from the worker, the queue from the device.
    page.reload()
    assert "Menunggu dikirim" in page.locator(f"#price_{prices.beras.pk}").locator("xpath=..").inner_text()
    assert PriceEntry.objects.count() == 0

    assert any("/api/" in url for url in refused), refused  # the page did try to send
    page.context.unroute("**/*", no_signal)
    page.context.set_offline(False)
    expect(page.locator("#price-status")).to_have_attribute("data-kind", "sent")
    _shot(page, "prices-offline-sent")
    # The script writes the saved price in the page's notation, as the server does (Rp 13.500 in Indonesian).
    assert "Rp 13.500" in page.locator(f"#price_{prices.beras.pk}").locator("xpath=..").inner_text()
    today = dates.today(world.region_a.time_zone)
    saved = {e.commodity_id: e for e in PriceEntry.objects.filter(market=prices.pasar_a, date=today)}
    assert {pk: e.price for pk, e in saved.items()} == {prices.beras.pk: 13500, prices.gula.pk: 17000}
    assert all(e.source == PriceEntry.Source.OFFLINE for e in saved.values())
    assert page.evaluate("localStorage.getItem('pendopo.prices.queue')") is None

    # Coming back online again (or another flush) sends nothing more.
    page.reload()
    page.evaluate("window.dispatchEvent(new Event('online'))")
    assert PriceEntry.objects.filter(market=prices.pasar_a).count() == 2
