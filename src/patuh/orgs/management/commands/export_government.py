"""``patuh export_government CODE OUT``: everything Patuh holds about one government, in one
ZIP (see :mod:`patuh.orgs.data_export`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from patuh.core.management.commands.backup import human_size
from patuh.orgs.data_export import export_filename, write_government_export
from patuh.orgs.models import Government


class Command(BaseCommand):
    help = (
        "Mengekspor seluruh data satu pemerintah (penilaian, jawaban, bukti beserta berkasnya, "
        "tindak lanjut, standar pelayanan, survei, hasil, jejak audit) ke satu arsip ZIP."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="kode pemerintah, mis. 12.05")
        parser.add_argument("out", help="berkas ZIP yang dibuat, atau folder untuk nama baku")

    def handle(self, *args: Any, **options: Any) -> None:
        government = Government.objects.filter(region_code=options["code"]).first()
        if government is None:
            raise CommandError(
                _("Pemerintah dengan kode %(code)s tidak ada.") % {"code": options["code"]},
                returncode=2,
            )
        out = Path(options["out"])
        if out.is_dir():
            out = out / export_filename(government)
        if out.exists():
            raise CommandError(
                _("%(path)s sudah ada; pilih nama lain.") % {"path": out}, returncode=2
            )
        if not out.parent.is_dir():
            raise CommandError(_("Folder %(path)s tidak ada.") % {"path": out.parent}, returncode=2)
        try:
            summary = write_government_export(government, out, via="cli")
        except OSError as error:
            out.unlink(missing_ok=True)
            raise CommandError(_("Ekspor gagal ditulis: %(error)s") % {"error": error}) from error
        self.stdout.write(
            _("Data %(name)s (%(code)s) ditulis ke %(path)s")
            % {"name": government.name, "code": government.region_code, "path": out}
        )
        for kind, count in summary.counts.items():
            self.stdout.write(f"  {kind}: {count}")
        self.stdout.write(
            _("  berkas: %(files)d (%(size)s), arsip %(archive)s")
            % {
                "files": summary.files,
                "size": human_size(summary.file_bytes),
                "archive": human_size(summary.archive_bytes),
            }
        )
        if summary.missing_files:
            self.stderr.write(
                _("  berkas hilang di penyimpanan (dicatat di manifest): %(count)d")
                % {"count": len(summary.missing_files)}
            )
