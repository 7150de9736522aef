"""``patuh notifications send [--format json]``: send the notification e-mails still due (new
ones whose sending was interrupted, failed ones under the attempt limit).

``patuh notifications overdue [--today YYYY-MM-DD] [--dry-run] [--format json]``: notify the
owners and coordinators of follow-up actions past their due date, once per action and due
date. Meant to run daily, next to ``patuh reminders send``.

Exit status 0 when done, 1 when an e-mail failed (it is retried on the next run), 2 on bad
arguments."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from patuh.notifications.events import notify_overdue
from patuh.notifications.services import send_emails


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            _("Tanggal '%(value)s' tidak sah; gunakan format YYYY-MM-DD.") % {"value": value}
        ) from error


def _format_option(parser: Any) -> None:
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="json: ringkasan yang dapat dibaca mesin",
    )


class Command(BaseCommand):
    help = (
        "Notifikasi: 'send' mengirim ulang e-mail notifikasi yang belum terkirim atau gagal; "
        "'overdue' memberi tahu penanggung jawab dan koordinator pemda tentang tindak lanjut "
        "yang melewati tenggat (sekali per tindakan dan tenggat; dijalankan setiap hari)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        send = sub.add_parser("send", help="kirim e-mail notifikasi yang belum terkirim")
        _format_option(send)
        overdue = sub.add_parser("overdue", help="beri tahu tindak lanjut yang lewat tenggat")
        overdue.add_argument(
            "--today",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="Anggap hari ini tanggal tersebut (bawaan: tanggal hari ini, Asia/Jakarta).",
        )
        overdue.add_argument(
            "--dry-run",
            action="store_true",
            help="Tampilkan yang akan diberi tahu tanpa menulis atau mengirim apa pun.",
        )
        _format_option(overdue)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "send":
            self._send(options)
        else:
            self._overdue(options)

    def _send(self, options: dict[str, Any]) -> None:
        summary = send_emails()
        if options["format"] == "json":
            self.stdout.write(
                json.dumps(
                    {
                        "sent": summary.sent,
                        "failed": summary.failed,
                        "skipped": summary.skipped,
                        "notifications": summary.results,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for result in summary.results:
                line = f"{result['status']}: {result['recipient']} — {result['event']}"
                if result["error"]:
                    line += f" — {result['error']}"
                self.stdout.write(line)
            self.stdout.write(
                _("Ringkasan: %(sent)d terkirim, %(failed)d gagal, %(skipped)d dilewati.")
                % {"sent": summary.sent, "failed": summary.failed, "skipped": summary.skipped}
            )
        if summary.failed:
            raise CommandError(
                _("%(failed)d e-mail notifikasi gagal dikirim; akan dicoba lagi.")
                % {"failed": summary.failed}
            )

    def _overdue(self, options: dict[str, Any]) -> None:
        summary = notify_overdue(options["today"], dry_run=options["dry_run"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
            return
        template = (
            _("Uji coba: %(actions)d tindak lanjut lewat tenggat, %(people)d penerima.")
            if summary["dry_run"]
            else _(
                "%(actions)d tindak lanjut lewat tenggat; %(count)d notifikasi untuk "
                "%(people)d penerima."
            )
        )
        self.stdout.write(
            template
            % {
                "actions": len(summary["actions"]),
                "count": summary["notifications"],
                "people": len(summary["recipients"]),
            }
        )
