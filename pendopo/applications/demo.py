"""Demo applications for Banyuwangi (registered as a `pendopo demo` step; idempotent)."""

from __future__ import annotations

from pendopo.regions.demo import register_demo_step


def load_demo_applications() -> str | None:
    return None


register_demo_step(60, "applications", load_demo_applications)
