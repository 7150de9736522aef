"""``patuh backup OUT``: the whole instance (database rows, stored files, a manifest with the
SHA-256 of each) in one ZIP archive. See :mod:`patuh.core.backup` and docs/backup.md."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from patuh.core.backup import BackupError, BackupSummary, create_backup


def human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


class Command(BaseCommand):
    help = (
        "Mencadangkan seluruh instansi ke satu arsip ZIP: isi basis data, berkas yang "
        "tersimpan, dan manifest dengan SHA-256 setiap anggota."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "out",
            help="berkas arsip yang dibuat (mis. cadangan.zip), atau folder untuk nama bertanggal",
        )
        parser.add_argument(
            "--allow-missing-files",
            action="store_true",
            help=(
                "tetap mencadangkan bila ada berkas yang dirujuk tetapi hilang "
                "(dicatat di manifest)"
            ),
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="json: ringkasan yang dapat dibaca mesin",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        progress = self.stdout.write if options["verbosity"] > 1 else None
        try:
            summary = create_backup(
                Path(options["out"]),
                allow_missing_files=options["allow_missing_files"],
                progress=progress,
            )
        except BackupError as error:
            raise CommandError(str(error), returncode=error.returncode) from error
        except (OSError, DatabaseError) as error:
            raise CommandError(_("Cadangan gagal ditulis: %(error)s") % {"error": error}) from error
        if options["format"] == "json":
            self.stdout.write(json.dumps(summary_json(summary), ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("Cadangan ditulis: %(path)s") % {"path": summary.path})
        self.stdout.write(
            _("  basis data: %(rows)d baris dari %(models)d model")
            % {"rows": summary.total_rows, "models": len(summary.rows)}
        )
        self.stdout.write(
            _("  berkas: %(files)d (%(size)s)")
            % {"files": summary.files, "size": human_size(summary.file_bytes)}
        )
        if summary.missing_files:
            self.stderr.write(
                _("  berkas hilang (dicatat di manifest): %(count)d")
                % {"count": len(summary.missing_files)}
            )
        if summary.audit.get("head_id") is not None:
            self.stdout.write(
                _("  jejak audit: %(events)d catatan, ujung #%(id)s %(hash)s")
                % {
                    "events": summary.audit["events"],
                    "id": summary.audit["head_id"],
                    "hash": summary.audit["head_hash"],
                }
            )
        self.stdout.write(
            _("  ukuran arsip: %(size)s, selesai dalam %(seconds).1f s")
            % {"size": human_size(summary.archive_bytes), "seconds": summary.seconds}
        )


def summary_json(summary: BackupSummary) -> dict[str, Any]:
    """``patuh backup --format json``: what was written, for scripts and monitoring."""
    return {
        "path": str(summary.path),
        "rows": summary.total_rows,
        "models": len(summary.rows),
        "files": summary.files,
        "file_bytes": summary.file_bytes,
        "missing_files": summary.missing_files,
        "archive_bytes": summary.archive_bytes,
        "seconds": round(summary.seconds, 3),
        "audit": summary.audit,
    }
