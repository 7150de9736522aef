"""``patuh audit verify``: walk the audit trail's hash chain and report any event that was
edited, inserted or deleted outside Patuh (exit 1 when the chain is broken)."""

from django.core.management.base import BaseCommand, CommandError

from patuh.core.audit_chain import verify
from patuh.core.models import AuditEvent


class Command(BaseCommand):
    help = "Memeriksa rantai hash jejak audit."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser(
            "verify", help="periksa bahwa tidak ada catatan audit yang diubah atau dihapus"
        )

    def handle(self, *args, **options):
        count, breaks = verify(AuditEvent.objects.order_by("id").iterator(chunk_size=2000))
        for item in breaks[:50]:
            self.stderr.write(f"catatan #{item.event_id}: {item.reason}")
        if breaks:
            raise CommandError(
                f"rantai jejak audit rusak: {len(breaks)} masalah pada {count} catatan",
                returncode=1,
            )
        self.stdout.write(f"jejak audit utuh: {count} catatan, rantai hash sah")
