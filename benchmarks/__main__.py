"""Run the registered benchmarks (see benchmarks/__init__.py), each in its own process.

Each benchmark sets Django up against a database of its own, so they cannot share a process.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from benchmarks import REGISTRY


def main(argv: list[str]) -> int:
    if argv[:1] in (["--list"], ["-l"]):
        print("\n".join(REGISTRY))
        return 0
    if argv and not argv[0].startswith("-"):
        name, options = argv[0], argv[1:]
        if importlib.util.find_spec(f"benchmarks.{name}") is None:
            print(f"No benchmark named {name!r}; registered: {', '.join(REGISTRY)}", file=sys.stderr)
            return 2
        return subprocess.call([sys.executable, "-m", f"benchmarks.{name}", *options])  # noqa: S603 -- our own modules
    if argv:
        print(__doc__.strip() + "\n\nusage: python -m benchmarks [--list | NAME [options]]", file=sys.stderr)
        return 2
    failed = []
    for name in REGISTRY:
        if importlib.util.find_spec(f"benchmarks.{name}") is None:
            print(f"== {name}: not in this tree, skipped", flush=True)
            continue
        print(f"== {name}", flush=True)
        if subprocess.call([sys.executable, "-m", f"benchmarks.{name}"]) != 0:  # noqa: S603 -- our own modules
            failed.append(name)
    if failed:
        print(f"Failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
