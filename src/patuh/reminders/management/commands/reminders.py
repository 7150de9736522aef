"""``patuh reminders send``: e-mail the reminders due today before stage windows close.

Meant to run once a day, e.g. from cron::

    0 7 * * * /path/.venv/bin/patuh reminders send

or a systemd timer (``OnCalendar=*-*-* 07:00``) running the same command. Running it again the
same day sends nothing new; a recipient whose e-mail failed is tried again on the next run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from patuh.reminders.services import (
    ALREADY_SENT,
    FAILED,
    SENT,
    SKIPPED_NO_EMAIL,
    WOULD_SEND,
    Outcome,
    Summary,
    send_due_reminders,
)


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            _("Tanggal '%(value)s' tidak sah; gunakan format YYYY-MM-DD.") % {"value": value}
        ) from error


class Command(BaseCommand):
    help = (
        "Mengirim e-mail pengingat 3 hari dan 1 hari sebelum tahap penilaian mandiri, "
        "pra-evaluasi atau pengambilan data ditutup, kepada operator unit, koordinator pemda "
        "dan penilai yang formulirnya belum diajukan. Dijalankan setiap hari dari cron atau "
        "systemd timer, mis. '0 7 * * * /path/.venv/bin/patuh reminders send'. Aman dijalankan "
        "ulang: pengingat yang sudah terkirim tidak dikirim lagi."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "action", choices=["send"], help="send: kirim pengingat yang jatuh tempo hari ini"
        )
        parser.add_argument(
            "--today",
            type=_date,
            default=None,
            metavar="YYYY-MM-DD",
            help="Anggap hari ini tanggal tersebut (bawaan: tanggal hari ini, Asia/Jakarta).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Tampilkan pengingat yang akan dikirim tanpa mengirim atau mencatatnya.",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="json: ringkasan yang dapat dibaca mesin",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = send_due_reminders(today=options["today"], dry_run=options["dry_run"])
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary_json(summary), ensure_ascii=False, indent=2))
        else:
            self._write_text(summary)
        if summary.failed:
            raise CommandError(
                _("%(failed)d pengingat gagal dikirim; akan dicoba lagi pada jalannya berikutnya.")
                % {"failed": summary.failed}
            )

    def _write_text(self, summary: Summary) -> None:
        for outcome in summary.outcomes:
            self.stdout.write(_line(outcome))
        if summary.dry_run:
            totals = _(
                "Uji coba: %(sent)d akan dikirim, %(skipped)d dilewati (tanpa e-mail), "
                "%(already)d sudah dikirim sebelumnya."
            )
        else:
            totals = _(
                "Ringkasan: %(sent)d terkirim, %(skipped)d dilewati (tanpa e-mail), "
                "%(already)d sudah dikirim sebelumnya, %(failed)d gagal."
            )
        self.stdout.write(
            totals
            % {
                "sent": summary.sent,
                "skipped": summary.skipped_no_email,
                "already": summary.already_sent,
                "failed": summary.failed,
            }
        )


def summary_json(summary: Summary) -> dict[str, Any]:
    """``patuh reminders send --format json``: the totals and one entry per notice."""
    return {
        "dry_run": summary.dry_run,
        "sent": summary.sent,
        "skipped_no_email": summary.skipped_no_email,
        "already_sent": summary.already_sent,
        "failed": summary.failed,
        "notices": [
            {
                "status": outcome.status,
                "recipient": outcome.notice.recipient.username,
                "email": outcome.notice.recipient.email or None,
                "cycle": outcome.notice.stage.cycle.year,
                "stage": outcome.notice.stage.stage,
                "closes_on": outcome.notice.closes_on.isoformat(),
                "days_before": outcome.notice.days_before,
                "assessments": outcome.notice.assessment_ids,
                "error": outcome.error or None,
            }
            for outcome in summary.outcomes
        ],
    }


def _line(outcome: Outcome) -> str:
    notice = outcome.notice
    status = {
        SENT: _("terkirim"),
        WOULD_SEND: _("akan dikirim"),
        SKIPPED_NO_EMAIL: _("dilewati, tanpa e-mail"),
        ALREADY_SENT: _("sudah dikirim"),
        FAILED: _("gagal"),
    }[outcome.status]
    user = notice.recipient
    who = f"{user.username} <{user.email}>" if user.email else user.username
    line = _(
        "%(status)s: %(who)s — %(stage)s, %(cycle)s, ditutup %(date)s (H-%(days)d), "
        "%(count)d formulir"
    ) % {
        "status": status,
        "who": who,
        "stage": notice.stage.get_stage_display(),
        "cycle": notice.stage.cycle.name,
        "date": notice.closes_on.isoformat(),
        "days": notice.days_before,
        "count": len(notice.assessments),
    }
    if outcome.error:
        line += f" — {outcome.error}"
    return line
