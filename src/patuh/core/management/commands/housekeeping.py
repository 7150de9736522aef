"""``patuh housekeeping [--dry-run] [--format json]``: clear expired sessions, requeue or fail
stale jobs, delete old job files and old login records. See :mod:`patuh.core.housekeeping`.

Exit status 0 when done, 1 when something failed, 2 on bad arguments."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from patuh.core.housekeeping import run_housekeeping


def _non_negative(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("harus bilangan bulat")) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("tidak boleh negatif"))
    return value


class Command(BaseCommand):
    help = (
        "Perawatan harian: menghapus sesi kedaluwarsa, mengembalikan atau menggagalkan tugas "
        "yang pekerjanya mati, menghapus berkas tugas lama, catatan login lama dan token API "
        "yang lama dicabut atau kedaluwarsa."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="hanya menghitung, tidak mengubah apa pun"
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--stale-minutes",
            type=_non_negative,
            metavar="MENIT",
            help="tugas tanpa tanda hidup selama ini dianggap terhenti "
            "(bawaan PATUH_JOB_STALE_MINUTES)",
        )
        parser.add_argument(
            "--output-days",
            type=_non_negative,
            metavar="HARI",
            help="berkas tugas yang selesai lebih lama dari ini dihapus "
            "(bawaan PATUH_JOB_OUTPUT_DAYS)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = run_housekeeping(
                dry_run=options["dry_run"],
                stale_minutes=options["stale_minutes"],
                output_days=options["output_days"],
            )
        except (DatabaseError, OSError) as error:
            raise CommandError(_("Perawatan gagal: %(error)s") % {"error": error}) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_dict(), sort_keys=True))
            return
        heading = (
            _("Perawatan (uji coba, tidak ada yang diubah)")
            if report.dry_run
            else _("Perawatan selesai")
        )
        self.stdout.write(heading)
        lines = [
            (_("sesi kedaluwarsa dihapus"), report.sessions),
            (_("tugas dikembalikan ke antrean"), report.jobs_requeued),
            (_("tugas ditandai gagal"), report.jobs_failed),
            (_("berkas tugas lama dihapus"), report.job_files),
            (_("catatan login lama dihapus"), report.login_records),
            (_("token API lama (dicabut atau kedaluwarsa) dihapus"), report.api_tokens),
            (_("notifikasi lama yang sudah dibaca dihapus"), report.notifications),
            (_("identitas pelapor lewat masa retensi dihapus"), report.complaint_identities),
        ]
        for label, count in lines:
            self.stdout.write(f"  {label}: {count}")
