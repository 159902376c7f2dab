"""Pendopo's benchmarks. `make bench` runs `python -m benchmarks`: every benchmark in REGISTRY, in turn.

A benchmark is a module of this package with `main(argv: list[str] | None = None) -> int` that
prints its timings as ratios to a baseline measured in the same run (so the numbers compare
across machines). Add a new one by writing the module and adding its name here. Benchmarks are
not tests: they assert nothing about time, they print.

    python -m benchmarks                           # all of them, with their defaults
    python -m benchmarks surveys_ikm --rows 100000 # one, with its own options
    python -m benchmarks --list
"""

REGISTRY: list[str] = [
    "applications_inbox",
    "applications_tracking",
    "surveys_ikm",
    "surveys_export",
    "surveys_import",
    "complaints_list",
    "catalog_pdf",
    "prices_dashboard",
    "performance_dashboard",
    "queue_calls",
    "workflow_sweep",
    "regions_scale",
    "insights_compare",
]


def spread(values: list[float], digits: int = 2, unit: str = "") -> str:
    """min / median / max of a benchmark's rounds, as every benchmark prints them."""
    import statistics

    return (
        f"min {min(values):.{digits}f}{unit} / median {statistics.median(values):.{digits}f}{unit}"
        f" / max {max(values):.{digits}f}{unit}"
    )
