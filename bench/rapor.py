"""Rapor PDFs and report jobs at national size.

- rapor PDF per government (a kabupaten, a kota, a province and a ministry: seven units
  each) for the published 2023 cycle, against a one-page PDF rendered by WeasyPrint with the
  same fonts (the fixed cost of any PDF);
- peak memory of each report job, each run alone in a fresh worker process: the rapor batch
  of one province (a ZIP of every government's PDF) and the national Excel export, against
  the peak of a worker process that started and ran nothing.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from common import Table, ratio, secs, timed

HERE = Path(__file__).resolve().parent


def rapor_per_government(table: Table, cycle: Any, codes: list[str]) -> None:
    from weasyprint import HTML

    from patuh.orgs.models import Government
    from patuh.reports.rapor import FONTS_DIR, render_rapor_pdf

    def trivial() -> bytes:
        return HTML(
            string="<html><body style='font-family: DejaVu Sans'><h1>Rapor</h1>"
            "<p>Satu halaman A4.</p></body></html>",
            base_url=str(FONTS_DIR),
        ).write_pdf()

    trivial()
    baseline, _ = timed(trivial, 3)
    render_rapor_pdf(cycle, Government.objects.get(region_code=codes[0]))  # templates, fonts
    times = []
    sizes = []
    for code in codes:
        seconds, pdf = timed(
            lambda code=code: render_rapor_pdf(cycle, Government.objects.get(region_code=code))
        )
        times.append(seconds)
        sizes.append(len(pdf))
    worst = max(times)
    table.add(
        f"rapor PDF per government ({len(codes)} governments, {cycle.year})",
        f"max {secs(worst)} · median {secs(sorted(times)[len(times) // 2])}",
        f"{secs(baseline)} (one-page PDF)",
        ratio(worst, baseline),
        "< 3 s",
        worst < 3,
        note=f"{', '.join(codes)}; {min(sizes) // 1024}–{max(sizes) // 1024} KiB each",
    )


def _worker(env: dict[str, str], *flags: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(HERE / "job_memory.py"), *flags],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def job_memory(table: Table, env: dict[str, str], cycle: Any, province_code: str) -> None:
    from django.contrib.auth import get_user_model

    from patuh.orgs.models import Province
    from patuh.reports.jobs import queue_export, queue_rapor_batch
    from patuh.reports.models import JobStatus, ReportJob

    admin = get_user_model().objects.get(username="admin")
    idle = _worker(env, "--idle")
    province = Province.objects.get(region_code=province_code)
    jobs = [
        (
            f"rapor batch, province {province_code}",
            lambda: queue_rapor_batch(cycle, province, actor=admin),
        ),
        ("Excel export, national", lambda: queue_export(cycle, None, actor=admin)),
    ]
    for name, queue in jobs:
        job = queue()
        figures = _worker(env)
        job.refresh_from_db()
        if job.status != JobStatus.DONE:
            raise SystemExit(f"{name}: tugas {job.status}: {job.error}")
        peak = figures["peak_mib"]
        table.add(
            f"job peak memory: {name}"
            + (f" ({job.total} governments)" if job.kind == "rapor_batch" else ""),
            f"{peak:.0f} MiB in {secs(figures['seconds'])}",
            f"{idle['peak_mib']:.0f} MiB (idle worker)",
            ratio(peak, idle["peak_mib"]),
            "< 1 GiB",
            peak < 1024,
        )
        ReportJob.objects.filter(pk=job.pk).delete()
