"""``patuh jobs work [--once] [--sleep SECONDS]``: run queued background jobs (rapor batches,
exports, large survey imports). ``patuh jobs requeue --older-than MINUTES``: put back in the
queue the jobs whose worker has given no heartbeat for that long.

Run one or more workers next to the web processes, on any machine that shares the database;
each job is taken by exactly one worker."""

from django.core.management.base import BaseCommand

from patuh.reports.jobs import requeue_stale, work
from patuh.reports.models import JobStatus


class Command(BaseCommand):
    help = "Menjalankan tugas laporan yang menunggu (mis. rapor satu provinsi)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        worker = sub.add_parser("work", help="ambil dan jalankan tugas yang menunggu")
        worker.add_argument("--once", action="store_true", help="berhenti bila antrean kosong")
        worker.add_argument("--sleep", type=float, default=2.0, help="jeda saat antrean kosong")
        requeue = sub.add_parser(
            "requeue", help="kembalikan ke antrean tugas yang terhenti (pekerjanya mati)"
        )
        requeue.add_argument(
            "--older-than",
            type=int,
            default=60,
            metavar="MENIT",
            help="tugas berjalan yang pekerjanya tanpa tanda hidup selama ini (bawaan 60 menit)",
        )

    def handle(self, *args, **options):
        if options["what"] == "requeue":
            jobs = requeue_stale(options["older_than"])
            failed = sum(job.status == JobStatus.FAILED for job in jobs)
            self.stdout.write(f"{len(jobs) - failed} tugas dikembalikan ke antrean")
            if failed:
                self.stdout.write(f"{failed} tugas ditandai gagal (terlalu sering terhenti)")
            return
        count = work(once=options["once"], sleep=options["sleep"])
        self.stdout.write(f"{count} tugas dijalankan")
