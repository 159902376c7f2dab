"""`make run PORT=…`: the demo's messages (written by `make demo`, before the server starts) link to that port."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_target_gets_the_base_url_of_the_chosen_port():
    env = {k: v for k, v in os.environ.items() if k not in ("PENDOPO_BASE_URL", "MAKEFLAGS", "PORT", "HOST")}
    show = "show-base-url:\n\t@echo $$PENDOPO_BASE_URL\n"
    result = subprocess.run(
        ["make", "--no-print-directory", "-s", "-f", "Makefile", "-f", "-", "show-base-url", "PORT=8123"],  # noqa: S607 -- make from the PATH, as a developer runs it
        input=show,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )
    assert result.stdout.strip() == "http://127.0.0.1:8123"
