"""The `pendopo` console script: django-admin with the project's settings."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pendopo.settings")
    from pendopo.lib.env import ConfigError

    try:
        from django.core.management import execute_from_command_line

        execute_from_command_line(sys.argv)
    except ConfigError as exc:
        sys.stderr.write(f"pendopo: configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
