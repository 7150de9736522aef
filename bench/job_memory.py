"""Run the queued report jobs in this fresh process and print its peak memory as JSON.

    python bench/job_memory.py [--idle]

Started by ``bench/rapor.py`` with the benchmark's environment: one process per job, so each
peak (the process's maximum resident set size) is that job's alone. ``--idle`` runs nothing:
the peak of a worker that only started, the baseline.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import peak_rss_mib


def main() -> int:
    django.setup()
    from patuh.reports import jobs
    from patuh.reports.rapor import render_rapor_pdf  # noqa: F401 - loaded as a worker does

    start = time.perf_counter()
    ran = 0 if "--idle" in sys.argv else jobs.work(once=True)
    seconds = time.perf_counter() - start
    peak = peak_rss_mib()
    print(json.dumps({"jobs": ran, "seconds": seconds, "peak_mib": peak}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
