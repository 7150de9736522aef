"""``patuh restore IN``: restore a ``patuh backup`` archive onto an empty, migrated instance.

Every member is checked against the manifest's SHA-256 before anything is written; the rows
load in one transaction and the files it wrote are removed again if anything fails."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _

from patuh.core.backup import RestoreError, restore_backup
from patuh.core.management.commands.backup import human_size


class Command(BaseCommand):
    help = (
        "Memulihkan arsip dari patuh backup ke instansi yang kosong (sudah dimigrasi, tanpa "
        "data). Arsip diperiksa dulu dengan SHA-256 di manifest."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", metavar="IN", help="arsip yang dibuat oleh patuh backup")

    def handle(self, *args: Any, **options: Any) -> None:
        progress = self.stdout.write if options["verbosity"] > 1 else None
        try:
            summary = restore_backup(Path(options["archive"]), progress=progress)
        except RestoreError as error:
            raise CommandError(str(error), returncode=error.returncode) from error
        except (OSError, DatabaseError) as error:
            raise CommandError(_("Pemulihan gagal: %(error)s") % {"error": error}) from error
        manifest = summary.manifest
        self.stdout.write(
            _("Dipulihkan dari %(path)s (dibuat %(created)s, Patuh %(version)s, %(engine)s).")
            % {
                "path": options["archive"],
                "created": manifest.get("created_at", "?"),
                "version": manifest.get("patuh_version", "?"),
                "engine": (manifest.get("source") or {}).get("vendor", "?"),
            }
        )
        self.stdout.write(
            _("  basis data: %(rows)d baris dari %(models)d model")
            % {"rows": summary.total_rows, "models": len(summary.rows)}
        )
        self.stdout.write(
            _("  berkas: %(files)d ditulis (%(size)s), %(skipped)d sudah ada dengan isi sama")
            % {
                "files": summary.files,
                "size": human_size(summary.file_bytes),
                "skipped": summary.skipped_files,
            }
        )
        missing = manifest.get("missing_files") or []
        if missing:
            self.stderr.write(
                _("  berkas yang sudah hilang saat pencadangan (tercatat di manifest): %(count)d")
                % {"count": len(missing)}
            )
        if summary.audit_breaks:
            self.stderr.write(
                _("  jejak audit: %(count)d masalah pada %(events)d catatan (patuh audit verify)")
                % {"count": summary.audit_breaks, "events": summary.audit_events}
            )
        else:
            self.stdout.write(
                _("  jejak audit utuh: %(events)d catatan, rantai hash sah")
                % {"events": summary.audit_events}
            )
        self.stdout.write(_("  selesai dalam %(seconds).1f s") % {"seconds": summary.seconds})
