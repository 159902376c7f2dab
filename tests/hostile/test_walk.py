"""Every page of the demo, and every query parameter, with the hostile catalogue: never a 5xx.

The test crawls the demo site as a visitor, a citizen and a region's staff (links found in the
pages, bounded), then asks each page again with each value of the catalogue in its own query
parameters and in the parameters lists take (page, page_size, version, dates...). Every answer
is a page or a clear 4xx, never a server error; a GET saves nothing.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

from pendopo.lib.tests.hostile import CONTROL, HUGE_NUMBER, NOT_A_NUMBER, NUL, UNICODE_DIGITS

HREF = re.compile(r'href="([/?][^"#]*)"')  # the site's own links: absolute paths and "?query" ones
SKIP = ("/static/", "/admin/", "/keluar/", "/i18n/", "/api/v1/docs")
PARAMS = ("page", "page_size", "version", "from", "to", "year", "quarter", "period", "sebelum", "status", "q", "tanggal")
VALUES = [NUL, CONTROL, HUGE_NUMBER, UNICODE_DIGITS, NOT_A_NUMBER, "-1", "9999-12-31", "0001-01-01+14:00", "x" * 5000]
MAX_PAGES = 90


def _crawl(client: Client, limit: int = MAX_PAGES, start: tuple[str, ...] = ("/",), on_page=None) -> list[str]:  # type: ignore[no-untyped-def]
    """One address of each page reached from `start` (at most `limit` visits); `on_page(url, response)` sees every visit."""
    seen: dict[str, str] = {}  # url name -> one url of it
    queue, visited = list(start), set()
    while queue and len(visited) < limit:
        url = queue.pop(0)
        if url in visited:
            continue
        visited.add(url)
        response = client.get(url)
        assert response.status_code < 500, (url, response.status_code)
        if on_page is not None:
            on_page(url, response)
        try:
            name = resolve(urlsplit(url).path).view_name
        except Resolver404:
            continue
        seen.setdefault(name, url)
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urljoin(url, href.replace("&amp;", "&"))
            if not href.startswith(SKIP) and href not in visited:
                try:
                    target = resolve(urlsplit(href).path).view_name
                except Resolver404:
                    continue
                if target not in seen or "?" in href:
                    queue.append(href)
    return sorted(set(seen.values()))


def _hostile_variants(url: str) -> list[str]:
    parts = urlsplit(url)
    own = [key for key, _ in parse_qsl(parts.query)]
    variants = []
    for value in VALUES:
        query = dict.fromkeys((*own, *PARAMS), value)
        variants.append(f"{parts.path}?{urlencode(query)}")
    return variants


def _users():  # type: ignore[no-untyped-def]
    from pendopo.regions.models import Membership, Role, User

    admin = Membership.objects.filter(role=Role.REGION_ADMIN).select_related("user").first().user
    officer = Membership.objects.filter(role=Role.OFFICER, agency__isnull=False).select_related("user").first().user
    citizen = User.objects.filter(memberships=None, is_superuser=False).order_by("pk").first()
    return [None, citizen, officer, admin]


def _row_counts() -> dict[str, int]:
    from django.apps import apps

    return {model._meta.label: model.objects.count() for model in apps.get_models() if model._meta.app_label != "sessions"}


def test_no_page_answers_hostile_query_parameters_with_a_server_error(demo):
    failures = []
    for user in _users():
        client = Client(raise_request_exception=False)
        if user is not None:
            client.force_login(user)
        pages = _crawl(client)
        assert len(pages) > 10
        before = _row_counts()
        for url in pages:
            for variant in _hostile_variants(url):
                response = client.get(variant)
                if response.status_code >= 500:
                    failures.append((getattr(user, "username", "-"), variant[:160], response.status_code))
        changed = {label: count for label, count in _row_counts().items() if count != before[label]}
        assert not changed or set(changed) <= {"axes.AccessAttempt"}, changed
    assert not failures, "\n".join(map(str, failures))
