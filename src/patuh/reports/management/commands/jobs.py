"""``patuh jobs work [--once] [--sleep SECONDS]``: run queued report jobs (rapor batches).

Run one or more of these next to the web processes, on any machine that shares the database;
each job is taken by exactly one worker."""

from django.core.management.base import BaseCommand

from patuh.reports.jobs import work


class Command(BaseCommand):
    help = "Menjalankan tugas laporan yang menunggu (mis. rapor satu provinsi)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        worker = sub.add_parser("work", help="ambil dan jalankan tugas yang menunggu")
        worker.add_argument("--once", action="store_true", help="berhenti bila antrean kosong")
        worker.add_argument("--sleep", type=float, default=2.0, help="jeda saat antrean kosong")

    def handle(self, *args, **options):
        count = work(once=options["once"], sleep=options["sleep"])
        self.stdout.write(f"{count} tugas dijalankan")
