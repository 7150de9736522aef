"""The ``patuh`` console entry point.

Scoring, instrument and ``survey score`` commands run without Django or a database. Every
other command is handed to Django's management utility, so ``patuh migrate``, ``patuh demo``
or ``patuh createsuperuser`` work as ``manage.py`` would.

Exit status, for every command: 0 done, 2 bad input (unknown command, bad option, a file or
name that does not exist or does not fit), 1 failure (the work could not be done or found a
problem, e.g. a broken audit chain).
"""

from __future__ import annotations

import os
import sys

NATIVE_COMMANDS = ("score", "instruments", "answers")
EXIT_BAD_INPUT = 2


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

    named = argv and not argv[0].startswith("-") and argv[0] not in ("help", "version")
    if named and not _is_django_command(argv[0]):
        print(f"patuh: perintah tidak dikenal: {argv[0]!r}. Lihat 'patuh --help'.", file=sys.stderr)
        return EXIT_BAD_INPUT
    execute_from_command_line(["patuh", *argv])
    return 0


def _is_django_command(name: str) -> bool:
    import django
    from django.core.management import get_commands

    django.setup()
    return name in get_commands()


if __name__ == "__main__":
    sys.exit(main())
