"""``patuh audit verify [--against BACKUP] [--format json]``: walk the audit trail's hash
chain and report any event that was edited, inserted or deleted outside Patuh (exit 1 when
the chain is broken).

With ``--against BACKUP`` it also checks the chain still holds the head event recorded in
that backup's manifest, with the same id and hash and as many events up to it: nothing
recorded before the backup was edited or removed since, even if every hash after it was
recomputed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from patuh.core.audit_chain import compare_with_head, verify
from patuh.core.backup import RestoreError, recorded_chain_head
from patuh.core.models import AuditEvent

SHOWN_BREAKS = 50


class Command(BaseCommand):
    help = "Memeriksa rantai hash jejak audit."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        check = sub.add_parser(
            "verify", help="periksa bahwa tidak ada catatan audit yang diubah atau dihapus"
        )
        check.add_argument(
            "--against",
            metavar="BACKUP",
            type=Path,
            help="bandingkan juga dengan ujung rantai yang tercatat di cadangan ini (patuh backup)",
        )
        check.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="json: ringkasan yang dapat dibaca mesin",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        recorded = None
        if options["against"] is not None:
            try:
                recorded = recorded_chain_head(options["against"])
            except RestoreError as error:
                raise CommandError(str(error), returncode=error.returncode) from error
        count, breaks = verify(AuditEvent.objects.order_by("id").iterator(chunk_size=2000))
        differences = [] if recorded is None else compare_with_head(recorded, AuditEvent.objects)
        intact = not breaks and not differences
        if options["format"] == "json":
            summary: dict[str, Any] = {
                "intact": intact,
                "events": count,
                "breaks": [{"event_id": b.event_id, "reason": b.reason} for b in breaks],
            }
            if recorded is not None:
                summary["against"] = {
                    "backup": str(options["against"]),
                    "events": recorded["events"],
                    "head_id": recorded["head_id"],
                    "head_hash": recorded["head_hash"],
                    "differences": differences,
                }
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            for item in breaks[:SHOWN_BREAKS]:
                self.stderr.write(f"catatan #{item.event_id}: {item.reason}")
            for difference in differences:
                self.stderr.write(f"dibanding {options['against']}: {difference}")
        if breaks:
            raise CommandError(
                f"rantai jejak audit rusak: {len(breaks)} masalah pada {count} catatan",
                returncode=1,
            )
        if differences:
            raise CommandError(
                f"jejak audit berbeda dengan cadangan {options['against']}: "
                f"{len(differences)} perbedaan",
                returncode=1,
            )
        if options["format"] == "json":
            return
        self.stdout.write(f"jejak audit utuh: {count} catatan, rantai hash sah")
        if recorded is not None:
            self.stdout.write(
                f"sesuai dengan cadangan {options['against']}: {recorded['events']} catatan "
                f"sampai #{recorded['head_id']} tidak berubah"
                if recorded["head_id"] is not None
                else f"cadangan {options['against']} tidak memuat catatan audit"
            )
