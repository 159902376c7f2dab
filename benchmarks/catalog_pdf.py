"""Benchmark: the service standard's PDF served from its stored file against a bare view (issue #10 item 7).

    python -m benchmarks catalog_pdf [--rounds 200]

On PostgreSQL (`BENCH_DATABASE_URL`, else `DATABASE_URL` when it is PostgreSQL, else
postgres://postgres@127.0.0.1:5432/pendopo_bench_catalog; created and migrated if missing) and a
temporary MEDIA_ROOT: one region, agency and published service (the catalogue tests' factories).
The first request renders the PDF with WeasyPrint and stores it (timed once); then each round
asks, in turn, for a bare Django view (HttpResponse("ok"), same process and middleware) and for
the PDF (Django's test client, the whole view), checks that the PDF starts with `%PDF` and holds
the service's name, and prints min/median/max of both and the ratio bare/PDF (requests per
second of the PDF as a share of the bare view's; the goal: at least 0.5).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from typing import Any

from benchmarks import complaints_list

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_catalog"


def _world() -> Any:
    from pendopo.catalog.models import Service
    from pendopo.catalog.tests.factories import make_service
    from pendopo.regions.models import Agency, Region, Role
    from pendopo.regions.tests.factories import AgencyFactory, UserFactory, banyuwangi, member

    region = Region.objects.filter(regency_id="35.10").first() or banyuwangi()
    service = Service.objects.filter(region=region, code="KTP-EL").first()
    if service is None:
        agency = Agency.objects.filter(region=region).first() or AgencyFactory(region=region, code="DISDUKCAPIL")
        admin = UserFactory(username="bench.catalog.admin")
        member(admin, region, Role.REGION_ADMIN)
        service = make_service(admin, agency, "KTP-EL", "Penerbitan KTP Elektronik")
    return service


def _get(client: Any, url: str, check: bytes | None) -> float:
    started = time.perf_counter()
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    elapsed = time.perf_counter() - started
    if response.status_code != 200 or (check is not None and not body.startswith(b"%PDF")):
        raise SystemExit(f"{url}: status {response.status_code}, not a PDF")
    return elapsed * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks catalog_pdf", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    options = parser.parse_args(argv)
    import os

    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    complaints_list.setup_django(url if url.startswith("postgres") else DEFAULT_URL)
    from django.test import Client, override_settings

    service = _world()
    pdf_url = f"/r/{service.region.slug}/layanan/{service.code}/standar.pdf"
    with tempfile.TemporaryDirectory() as media, override_settings(ROOT_URLCONF="benchmarks.applications_urls", MEDIA_ROOT=media):
        client = Client()
        first = _get(client, pdf_url, b"%PDF")
        bare: list[float] = []
        served: list[float] = []
        _get(client, "/bench/bare/", None)
        for number in range(options.rounds):
            pair = [("bare", "/bench/bare/"), ("pdf", pdf_url)]
            for name, path in pair if number % 2 == 0 else reversed(pair):
                (bare if name == "bare" else served).append(_get(client, path, None if name == "bare" else b"%PDF"))
    ratios = [b / p for b, p in zip(bare, served, strict=True)]

    def spread(values: list[float]) -> str:
        return f"min {min(values):.2f} / median {statistics.median(values):.2f} / max {max(values):.2f}"

    print(f"catalog_pdf: {options.rounds} rounds (ms)")
    print(f"  first request (WeasyPrint renders and stores the file): {first:.0f}")
    print(f"  bare view:            {spread(bare)}")
    print(f"  PDF from its file:    {spread(served)}")
    print(f"  ratio bare / PDF:     {spread(ratios)}  (goal at least 0.5)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
