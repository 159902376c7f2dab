"""Pages fit a phone screen (no sideways scrolling) and the keyboard can skip to the content."""

from __future__ import annotations

import datetime as dt

import pytest

from pendopo.lib import dates
from pendopo.prices.tests.conftest import approved, prices  # noqa: F401 -- the fixture
from tests.browser.conftest import PHONE, RESULTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "path",
    ["/", "/r/banyuwangi/", "/r/banyuwangi/opd/", "/r/banyuwangi/tempat-layanan/", "/masuk/", "/r/atlantis/"],
)
def test_page_fits_a_phone_screen(page, world, path):
    page.set_viewport_size(PHONE)
    page.goto(path)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
    if path in ("/", "/r/banyuwangi/"):  # kept for a look at the design
        RESULTS.mkdir(exist_ok=True)
        name = "phone-landing" if path == "/" else "phone-region-home"
        page.screenshot(path=str(RESULTS / f"{name}.png"), full_page=True)


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page, world):
    page.goto("/r/banyuwangi/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Langsung ke konten utama"
    assert page.locator(".skip-link").bounding_box()["y"] >= 0  # visible when focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_the_region_setup_lists_fit_a_phone_screen(page, world, log_in):
    """A wide list scrolls inside its box; its hidden "Actions" header must not widen the page."""
    log_in("admin_a")
    page.set_viewport_size(PHONE)
    for kind in ("opd", "tempat-layanan", "hari-libur", "kategori-pengaduan", "templat-jawaban"):
        page.goto(f"/r/{world.region_a.slug}/atur/{kind}/")
        assert page.locator("table").count() == 1
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{kind} is {overflow}px wider than the phone"


def test_every_kind_of_text_field_has_the_site_look(page, world, log_in):
    """A month picker or a field written without a type gets the same box as a text field, not the
    browser's bare one (the service performance month and the region comparison period were)."""
    log_in("admin_a")
    look = "e => [getComputedStyle(e).minHeight, getComputedStyle(e).paddingLeft, getComputedStyle(e).borderTopLeftRadius]"
    page.goto(f"/r/{world.region_a.slug}/kinerja-layanan/")
    month = page.locator("input[type=month]").evaluate(look)
    page.goto("/perbandingan/")
    untyped = page.locator("input[name=periode]").evaluate(look)
    page.goto(f"/r/{world.region_a.slug}/kotak-masuk/")
    text = page.locator("input[type=search]").first.evaluate(look)
    assert month == untyped == text and text[0] != "auto"


@pytest.mark.parametrize("board", ["profile", "prices"])
def test_a_chart_keeps_readable_labels_on_a_phone(page, world, log_in, board, request):
    """A chart scrolls sideways inside its box rather than shrink to the phone's width: its 11-unit
    labels were drawn at 7 px at 390 px (performance/svg.py, 560 wide) and 5.9 px (prices/charts.py, 640)."""
    if board == "prices":
        markets = request.getfixturevalue("prices")
        today = dates.today(world.region_a.time_zone)
        for back in range(30):
            approved(markets.pasar_a, markets.beras, today - dt.timedelta(days=back), 13000 + 10 * back)
        log_in(world.officer_a1.username)
        path = f"/r/{world.region_a.slug}/harga/dasbor/?komoditas={markets.beras.code}"
    else:
        path = f"/r/{world.region_a.slug}/profil/"
    page.set_viewport_size(PHONE)
    page.goto(path)
    label_px = page.evaluate(
        """() => {
            const svg = document.querySelector('.chart-scroll svg');
            const label = svg.querySelector('text[font-size="11"]');
            return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width * parseFloat(label.getAttribute('font-size'));
        }"""
    )
    assert label_px >= 10.5, f"the chart's labels are {label_px:.1f}px on a phone"
    box = page.locator(".chart-scroll").first
    assert box.evaluate("e => e.scrollWidth > e.clientWidth")  # the chart scrolls inside its box …
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.chart-scroll').scrollLeft > 0")  # by keyboard too …
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than the phone"  # … not the page
    assert page.locator(".chart-with-table table, .price-chart table").first.is_visible()  # its table is still there
