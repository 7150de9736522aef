"""Benchmark: importing N SKM responses (default 1,000,000) from a CSV, against a plain bulk
insert of the same rows measured in the same run, with peak memory.

    .venv/bin/python bench/survey_import.py [--rows N] [--database-url URL]

Runs on a throw-away SQLite database (or the PostgreSQL database named by --database-url,
whose test tables are created and dropped by Django's test runner machinery).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="patuh-bench-"))
    os.environ["PATUH_VAR_DIR"] = str(work)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "patuh.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # as in production: no query log
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        return run(args.rows, work, connection.vendor)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def run(rows: int, work: Path, vendor: str) -> int:
    from patuh.assessments.models import Cycle
    from patuh.orgs.models import Government, Province, ServiceUnit
    from patuh.surveys.imports import import_file
    from patuh.surveys.models import SurveyResponse

    province = Province.objects.create(region_code="99", name="Provinsi Uji")
    government = Government.objects.create(
        kind="kabupaten", region_code="99.01", name="Kabupaten Uji", province=province
    )
    units = [
        ServiceUnit.objects.create(government=government, code=code, name=code, type="dinkes")
        for code in ("impor", "dasar")
    ]
    cycle = Cycle.objects.create(
        year=2026, name="Uji", instrument_code="ombudsman-2025", province=province
    )
    path = work / "skm.csv"
    rng = random.Random(7)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["respondent_id", *[f"U{n}" for n in range(1, 10)]])
        for number in range(rows):
            writer.writerow([f"r{number}", *[rng.randint(1, 4) for _ in range(9)]])

    # patuh's import first, so the process's peak memory is the import's
    before_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    summary = import_file(path, units[0], cycle, "skm")
    elapsed = time.perf_counter() - start
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert summary.created == rows, summary

    # the limit: a plain bulk insert of the same rows, already parsed, in the same batches
    parsed = []
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for row in reader:
            parsed.append((row[0], {f"U{n}": int(row[n]) for n in range(1, 10)}))
    start = time.perf_counter()
    batch = []
    for respondent, answers in parsed:
        batch.append(
            SurveyResponse(
                unit=units[1],
                cycle=cycle,
                kind="skm",
                respondent_id=respondent,
                answers=answers,
                channel="import",
            )
        )
        if len(batch) >= 5000:
            SurveyResponse.objects.bulk_create(batch)
            batch = []
    SurveyResponse.objects.bulk_create(batch)
    baseline = time.perf_counter() - start

    print(
        f"machine: {platform.machine()} {platform.processor() or ''} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · database {vendor}"
    )
    print(f"{'step':<44} {'seconds':>9} {'rows/s':>11} {'ratio':>7}")
    print(
        f"{'plain bulk insert (baseline)':<44} {baseline:>9.2f} {rows / baseline:>11,.0f} {1:>7.2f}"
    )
    print(
        f"{'patuh survey import (check + insert)':<44} {elapsed:>9.2f} "
        f"{rows / elapsed:>11,.0f} {baseline / elapsed:>7.2f}"
    )
    print(
        f"peak memory (process RSS) during the import: {peak_rss / 1024:.1f} MiB "
        f"(before: {before_rss / 1024:.1f} MiB) for {rows:,} rows"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
