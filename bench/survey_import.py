"""Benchmark: importing N SKM responses (default 1,000,000) from a CSV, against a plain bulk
insert of the same rows measured in the same run, with peak memory.

    .venv/bin/python bench/survey_import.py [--rows N] [--database-url URL] [--json]

Runs on a throw-away SQLite database in a temporary folder, or on the PostgreSQL database
named by --database-url, which is dropped, created and migrated first and dropped at the end
(give it a name of its own, e.g. ``…/patuh_bench_import``). ``--json`` prints the figures as
one JSON line (``bench/run.py`` puts them in its table).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    environment,
    patuh,
    peak_rss_mib,
    remove,
    reset_postgres,
    scratch_database,
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    url, work = scratch_database(args.database_url, prefix="patuh-bench-import-")
    try:
        env = environment(url, work)
        patuh(["migrate", "--noinput", "-v", "0"], env)
        os.environ.update(env)
        if not url:
            os.environ.pop("DATABASE_URL", None)
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        import django

        django.setup()
        from django.db import connection
        from django.test.utils import setup_test_environment

        setup_test_environment(debug=False)  # as in production: no query log
        figures = run(args.rows, work)
        if args.json:
            print(json.dumps(figures))
        else:
            report(figures, connection.vendor)
        connection.close()
    finally:
        if url:
            reset_postgres(url, drop_only=True)
        remove(work)
    return 0


def run(rows: int, work: Path) -> dict[str, float]:
    from patuh.assessments.models import Cycle
    from patuh.orgs.models import Government, Province, ServiceUnit

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
    return measure(path, rows, units[0], units[1], cycle)


def measure(path: Path, rows: int, unit: object, baseline_unit: object, cycle: object) -> dict:
    """Patuh's import of ``path`` into ``unit``, then the plain bulk insert of the same rows
    (already parsed, in the same batches) into ``baseline_unit``."""
    from patuh.surveys.imports import BATCH, import_file
    from patuh.surveys.models import SurveyResponse

    # patuh's import first, so the process's peak memory is the import's
    before_rss = peak_rss_mib()
    start = time.perf_counter()
    summary = import_file(path, unit, cycle, "skm")
    elapsed = time.perf_counter() - start
    peak_rss = peak_rss_mib()
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
                unit=baseline_unit,
                cycle=cycle,
                kind="skm",
                respondent_id=respondent,
                answers=answers,
                channel="import",
            )
        )
        if len(batch) >= BATCH:
            SurveyResponse.objects.bulk_create(batch)
            batch = []
    SurveyResponse.objects.bulk_create(batch)
    baseline = time.perf_counter() - start
    return {
        "rows": rows,
        "import_seconds": elapsed,
        "baseline_seconds": baseline,
        "peak_rss_mib": peak_rss,
        "before_rss_mib": before_rss,
    }


def report(figures: dict, vendor: str) -> None:
    rows, elapsed, baseline = (
        figures["rows"],
        figures["import_seconds"],
        figures["baseline_seconds"],
    )
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
        f"peak memory (process RSS) during the import: {figures['peak_rss_mib']:.1f} MiB "
        f"(before: {figures['before_rss_mib']:.1f} MiB) for {rows:,} rows"
    )


if __name__ == "__main__":
    sys.exit(main())
