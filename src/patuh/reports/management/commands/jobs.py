"""``patuh jobs work [--once] [--sleep SECONDS]``: run queued background jobs (rapor batches,
exports, large survey imports). ``patuh jobs requeue --older-than MINUTES``: put back in the
queue the jobs whose worker has given no heartbeat for that long.

Run one or more workers next to the web processes, on any machine that shares the database;
each job is taken by exactly one worker. ``patuh jobs list`` shows the latest jobs, and
``--format json`` on ``list``, ``requeue`` and ``work`` prints a summary for scripts."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from patuh.reports.jobs import requeue_stale, work
from patuh.reports.models import JobStatus, ReportJob


def _format_option(parser: Any) -> None:
    parser.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="json: ringkasan yang dapat dibaca mesin",
    )


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def job_json(job: ReportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "status": job.status,
        "cycle": job.cycle.year,
        "province": job.province.region_code if job.province_id else None,
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "worker": job.worker,
        "error": job.error,
        "file": job.file.name or None,
        "created_at": _when(job.created_at),
        "started_at": _when(job.started_at),
        "finished_at": _when(job.finished_at),
        "heartbeat_at": _when(job.heartbeat_at),
        "attempts": job.attempts,
    }


class Command(BaseCommand):
    help = "Menjalankan tugas laporan yang menunggu (mis. rapor satu provinsi)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        worker = sub.add_parser("work", help="ambil dan jalankan tugas yang menunggu")
        worker.add_argument("--once", action="store_true", help="berhenti bila antrean kosong")
        worker.add_argument("--sleep", type=float, default=2.0, help="jeda saat antrean kosong")
        _format_option(worker)
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
        _format_option(requeue)
        listing = sub.add_parser("list", help="daftar tugas terbaru")
        listing.add_argument(
            "--status", choices=JobStatus.values, help="hanya tugas dengan status ini"
        )
        listing.add_argument(
            "--limit", type=int, default=50, help="paling banyak sekian tugas (bawaan 50)"
        )
        _format_option(listing)

    def handle(self, *args, **options):
        as_json = options["format"] == "json"
        if options["what"] == "list":
            return self._list(options, as_json)
        if options["what"] == "requeue":
            jobs = requeue_stale(options["older_than"])
            failed = sum(job.status == JobStatus.FAILED for job in jobs)
            if as_json:
                self._json(
                    {
                        "requeued": len(jobs) - failed,
                        "failed": failed,
                        "jobs": [job_json(job) for job in jobs],
                    }
                )
                return
            self.stdout.write(f"{len(jobs) - failed} tugas dikembalikan ke antrean")
            if failed:
                self.stdout.write(f"{failed} tugas ditandai gagal (terlalu sering terhenti)")
            return
        count = work(once=options["once"], sleep=options["sleep"])
        if as_json:
            self._json({"ran": count})
            return
        self.stdout.write(f"{count} tugas dijalankan")

    def _list(self, options: dict[str, Any], as_json: bool) -> None:
        jobs = ReportJob.objects.select_related("cycle", "province").order_by("-created_at", "-pk")
        if options["status"]:
            jobs = jobs.filter(status=options["status"])
        jobs = list(jobs[: max(options["limit"], 0)])
        if as_json:
            self._json({"jobs": [job_json(job) for job in jobs]})
            return
        for job in jobs:
            where = job.province.region_code if job.province_id else "semua"
            line = (
                f"#{job.pk}  {job.get_status_display():<14} {job.get_kind_display()}  "
                f"{job.cycle.year} {where}  {job.done}/{job.total} ({job.percent}%)"
            )
            if job.error:
                line += f"  — {job.error}"
            self.stdout.write(line)
        if not jobs:
            self.stdout.write("tidak ada tugas")

    def _json(self, data: dict[str, Any]) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
