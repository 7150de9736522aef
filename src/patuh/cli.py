"""The ``patuh`` console entry point.

Scoring, instrument and ``survey score`` commands run without Django or a database. Every
other command is handed to Django's management utility, so ``patuh migrate``, ``patuh demo``
or ``patuh createsuperuser`` work as ``manage.py`` would.
"""

from __future__ import annotations

import os
import sys

NATIVE_COMMANDS = ("score", "instruments", "answers")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "xlsform":
        from patuh.fieldforms.cli import run

        return run(argv[1:])
    if argv and (argv[0] in NATIVE_COMMANDS or argv[:2] == ["survey", "score"]):
        from patuh.commands import run_native

        return run_native(argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        from patuh.commands import print_overview

        print_overview()
        if not argv:
            return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patuh.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["patuh", *argv])
    return 0


if __name__ == "__main__":
    sys.exit(main())
