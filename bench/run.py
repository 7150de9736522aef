"""Patuh's benchmarks on one database engine, printed as one table (``make bench`` runs it on
SQLite and on PostgreSQL).

    .venv/bin/python bench/run.py [--database-url postgres://…/patuh_bench]
        [--scale national|small] [--survey-responses N] [--rows N] [--requests N]

1. a fresh database (a temporary SQLite file, or the named PostgreSQL database dropped and
   created again), migrated, with the national synthetic demo (``patuh demo --scale
   national``; ``--scale small``: two provinces and three ministries, for a quick run);
2. the national recompute and one answer change (``recompute.py``), rapor PDFs and report
   jobs (``rapor.py``), pages and citizens under gunicorn (``pages.py``), and the SKM import
   (``survey_import.py``, on a scratch database of its own);
3. the table: every figure next to a baseline measured in the same run, the ratio, the
   target and whether it is met. The databases are dropped at the end (``--keep`` keeps the
   national one).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import (  # noqa: E402
    Table,
    environment,
    machine,
    patuh,
    remove,
    reset_postgres,
    scratch_database,
    secs,
    setup_django,
    with_suffix,
)

CHANGED_GOVERNMENT = "12.05"
"""Kabupaten Langkat: present at both scales."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--scale", choices=("national", "small"), default="national")
    parser.add_argument("--survey-responses", type=int, default=1_000_000)
    parser.add_argument("--rows", type=int, default=1_000_000, help="SKM rows to import")
    parser.add_argument("--requests", type=int, default=400, help="requests per page")
    parser.add_argument("--page-seconds", type=float, default=60.0, help="time cap per page")
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the national database")
    args = parser.parse_args()

    started = time.perf_counter()
    url, work = scratch_database(args.database_url)
    engine = "PostgreSQL" if url else "SQLite"
    try:
        table = run(args, url, work, engine)
    finally:
        if url and not args.keep:
            from django.db import connections

            connections.close_all()
            reset_postgres(url, drop_only=True)
        if not args.keep:
            remove(work)
    print()
    print(table.render())
    print(f"({engine}: the whole run took {secs(time.perf_counter() - started)})")
    print()
    return 0  # a missed target is in the table (and bench/RESULTS.md), not an error


def run(args: argparse.Namespace, url: str, work: Path, engine: str) -> Table:
    env = environment(url, work)
    print(f"[{engine}] migrate and load the national demo …", flush=True)
    patuh(["migrate", "--noinput", "-v", "0"], env)
    demo = ["demo", "--scale", "national", "--survey-responses", str(args.survey_responses)]
    demo += ["--seed", str(args.seed)]
    if args.scale == "small":
        demo += ["--provinces", "2", "--ministries", "3"]
    start = time.perf_counter()
    patuh(demo, env)
    loaded = time.perf_counter() - start

    setup_django(url, work)
    import pages
    import rapor
    import recompute
    from django.db import connection

    from patuh.assessments.models import Assessment, Cycle
    from patuh.demo.national import cycle_years
    from patuh.orgs.models import Government, ServiceUnit

    version = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            version = cursor.fetchone()[0].split()[0]
    table = Table(f"{engine} — {machine(engine if url else '', version)}")
    current = Cycle.objects.get(year=cycle_years()[-1][0], province__isnull=True)
    published = Cycle.objects.get(year=2023, province__isnull=True)
    table.add(
        f"load: patuh demo --scale {args.scale} ({args.survey_responses:,} SKM responses)",
        secs(loaded),
        "—",
        note="not a target; migrate excluded",
    )

    print(f"[{engine}] recompute …", flush=True)
    _, ranking = recompute.national_recompute(table, current)
    recompute.one_change(table, current, ranking, CHANGED_GOVERNMENT)

    print(f"[{engine}] rapor and jobs …", flush=True)
    ministry = Government.objects.filter(kind="kementerian").order_by("region_code").first()
    rapor.rapor_per_government(
        table, published, ["12.05", "12.71", "12", ministry.region_code if ministry else "11"]
    )
    rapor.job_memory(table, env, published, "12")

    print(f"[{engine}] pages under gunicorn …", flush=True)
    codes = list(
        Government.objects.filter(units__isnull=False)
        .distinct()
        .order_by("region_code")
        .values_list("region_code", flat=True)
    )
    sample = codes[:: max(1, len(codes) // 20)][:20]
    assessments = list(
        Assessment.objects.filter(cycle=current, service_unit__government__region_code__in=sample)
        .order_by("service_unit__government__region_code", "service_unit__code")
        .values_list("pk", flat=True)[::7]
    )[:20]
    page_list = [
        ("public ranking /publik/2023/", ["/publik/2023/"], False),
        ("cycle dashboard /dashboard/2023/", ["/dashboard/2023/"], True),
        ("government dashboard", [f"/dashboard/governments/{c}/" for c in sample], True),
        ("unit assessment", [f"/assessments/{pk}/" for pk in assessments], True),
        ("public result", [f"/publik/2023/{c}/" for c in sample], False),
    ]
    connection.close()
    with pages.Server(env, work) as server:
        pages.page_figures(table, server, page_list, args.requests, args.page_seconds, "patuh-demo")
        unit = ServiceUnit.objects.select_related("government").get(
            government__region_code=CHANGED_GOVERNMENT, code="disdukcapil"
        )
        pages.citizens(table, server, unit, current, args.citizens, args.seed)
        other = ServiceUnit.objects.select_related("government").get(
            government__region_code=CHANGED_GOVERNMENT, code="dpmptsp"
        )
        pages.citizens(table, server, other, current, args.citizens, args.seed, spread=10.0)
    connection.close()

    print(f"[{engine}] SKM import of {args.rows:,} rows …", flush=True)
    command = [sys.executable, str(HERE / "survey_import.py"), "--rows", str(args.rows), "--json"]
    if url:
        command += ["--database-url", with_suffix(url, "_import")]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    rate = figures["rows"] / figures["import_seconds"]
    plain = figures["rows"] / figures["baseline_seconds"]
    table.add(
        f"SKM import of {figures['rows']:,} rows (check + insert)",
        f"{rate:,.0f} rows/s ({secs(figures['import_seconds'])})",
        f"{plain:,.0f} rows/s (plain bulk insert)",
        f"{rate / plain:.2f}×",
        "≥ 0.5× the bulk insert",
        rate >= 0.5 * plain,
        note=f"peak memory of the importing process {figures['peak_rss_mib']:.0f} MiB "
        f"(before the import {figures['before_rss_mib']:.0f} MiB)",
    )
    return table


if __name__ == "__main__":
    sys.exit(main())
