"""The `pendopo` console script: django-admin with the project's settings.

A malformed environment (DATABASE_URL, DEBUG, a missing SECRET_KEY in production) ends with one
line on stderr and exit status 2, not a traceback: the operator needs the variable's name, and a
traceback would hide it (and could show a database password).
"""

from __future__ import annotations

import os
import sys

EXIT_CONFIG_ERROR = 2
# Commands also known by a hyphenated name (a Python module name cannot hold a hyphen).
ALIASES = {"open311-check": "open311_check"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pendopo.settings")
    from django.core.exceptions import ImproperlyConfigured

    from pendopo.lib.env import ConfigError

    try:
        from django.core.management import execute_from_command_line

        args = list(argv if argv is not None else sys.argv)
        if len(args) > 1 and args[1] in ALIASES:
            args[1] = ALIASES[args[1]]
        execute_from_command_line(args)
    except (ConfigError, ImproperlyConfigured) as exc:
        sys.stderr.write(f"pendopo: configuration error: {exc}\n")
        sys.exit(EXIT_CONFIG_ERROR)


if __name__ == "__main__":
    main()
