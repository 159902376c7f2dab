"""Benchmark: the SKM report's XLSX and CSV exports with every raw response of a region-year (docs/surveys.md).

    python -m benchmarks surveys_export [--rows 100000] [--repeat 3]

Generates the responses as `surveys_ikm` does (PostgreSQL, a database of its own:
`BENCH_DATABASE_URL`, default postgres://postgres@127.0.0.1:5432/pendopo_bench_surveys_export,
created and migrated if missing), then times, as medians of `--repeat` runs after a warm-up:

1. the baseline: reading the rows the export writes — the very query of the raw sheet
   (exports.raw_rows), every row fetched through the same iterator, nothing written;
2. the XLSX: the region's workbook for the year (exports.write_xlsx into a temporary file:
   the figures, the respondents' profile and the raw sheet), as the download sends it;
3. the CSV: the region's raw responses for the year (every block of exports.write_csv, as the
   streamed download sends them, into a temporary file).

It prints the three, the ratio of each export to the read (the cost of writing the file), rows
per second, the files' sizes and the process's peak memory, and checks that the XLSX opens with
openpyxl and the CSV with Python's csv module, each with one raw row per response. Nothing is
asserted on time.
"""

from __future__ import annotations

import argparse
import csv
import io
import resource
import tempfile
from typing import Any

from benchmarks.surveys_ikm import YEAR, ensure_world, generate, median_time, setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_surveys_export"


def run(rows: int, repeat: int) -> dict[str, Any]:
    import openpyxl

    from pendopo.surveys import exports, reports, selectors
    from pendopo.surveys.periods import Kind, Period

    world = ensure_world()
    generate(rows, world)
    region = world["region"]
    unit = reports.Unit(region)
    period = Period(Kind.YEAR, YEAR)
    report = reports.build(None, unit, period, with_suggestions=False)
    raw = selectors.published_responses(region).filter(unit.q()).filter(period.q())

    def read() -> int:
        return sum(1 for _row in exports.raw_rows(raw).iterator(chunk_size=exports.EXPORT_CHUNK))

    def export() -> int:
        with tempfile.TemporaryFile() as out:
            exports.write_xlsx(report, raw, out)
            return out.tell()

    def export_csv() -> int:
        with tempfile.TemporaryFile() as out:
            for block in exports.write_csv(raw):
                out.write(block)
            return out.tell()

    read_rows = read()
    read_time = median_time(read, repeat)
    export_time = median_time(export, repeat)
    csv_time = median_time(export_csv, repeat)
    ratio = export_time / read_time
    csv_ratio = csv_time / read_time

    with tempfile.NamedTemporaryFile(suffix=".xlsx") as out:
        exports.write_xlsx(report, raw, out)
        out.flush()
        size = out.tell()
        book = openpyxl.load_workbook(out.name, read_only=True)
        written = sum(1 for _row in book.worksheets[-1].iter_rows(values_only=True)) - 1  # less the header
        book.close()
    with tempfile.TemporaryFile() as out:
        for block in exports.write_csv(raw):
            out.write(block)
        csv_size = out.tell()
        out.seek(0)
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        csv_written = sum(1 for _row in csv.reader(text, delimiter=exports.CSV_DELIMITER)) - 1  # less the header
    if written != read_rows or csv_written != read_rows or read_rows != rows:
        raise SystemExit(f"The XLSX has {written:,} and the CSV {csv_written:,} rows for {read_rows:,} responses: this is a bug.")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"Region {region.regency.name}, {YEAR}: {rows:,} responses; read back, the XLSX and the CSV hold {rows:,} rows each")
    print(f"  reading the same rows from the database (values_list iterator): {read_time:.2f} s median of {repeat}")
    print(f"  the whole XLSX (figures, profile, raw responses): {export_time:.2f} s ({rows / export_time:,.0f} rows/s)")
    print(f"  the CSV (raw responses): {csv_time:.2f} s ({rows / csv_time:,.0f} rows/s)")
    print(f"  ratio XLSX / read: {ratio:.1f}; ratio CSV / read: {csv_ratio:.1f}")
    print(f"  XLSX {size / 1e6:.1f} MB, CSV {csv_size / 1e6:.1f} MB; peak memory of this process {peak_mb:.0f} MB")
    return {
        "rows": rows,
        "read_s": read_time,
        "export_s": export_time,
        "csv_s": csv_time,
        "ratio": ratio,
        "csv_ratio": csv_ratio,
        "bytes": size,
        "csv_bytes": csv_size,
        "peak_mb": peak_mb,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="responses to generate (default 100,000)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each side (default 3)")
    parser.add_argument(
        "--database-url", default=None, help=f"PostgreSQL database (default $BENCH_DATABASE_URL or {DEFAULT_URL})"
    )
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    setup_django(args.database_url or _default_url())
    run(args.rows, args.repeat)
    return 0


def _default_url() -> str:
    import os

    # Not surveys_ikm's database: it keeps a million responses there, and regenerating costs minutes.
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


if __name__ == "__main__":
    raise SystemExit(main())
