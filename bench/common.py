"""What the benchmarks share: a scratch database per engine, Django set up on it, timing,
percentiles, the machine's description and the one table each engine prints.

Every figure is printed next to a baseline measured in the same run, on the same database
and machine, and with the ratio between them, so a slower or busier machine moves both.
"""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def scratch_database(database_url: str, prefix: str = "patuh-bench-") -> tuple[str, Path]:
    """A fresh, empty database: a SQLite file in a new temporary folder when ``database_url``
    is empty, else the PostgreSQL database it names, dropped and created again. Returns the
    URL to use (empty for SQLite: ``PATUH_VAR_DIR`` points at the folder) and the folder."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    if database_url:
        reset_postgres(database_url)
    return database_url, work


def reset_postgres(url: str, *, drop_only: bool = False) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"nama basis data tidak aman: {name!r}")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if not drop_only:
            connection.execute(f'CREATE DATABASE "{name}"')


def with_suffix(url: str, suffix: str) -> str:
    """The URL of a sibling database: ``…/patuh_bench`` → ``…/patuh_bench_import``."""
    parsed = urllib.parse.urlparse(url)
    return parsed._replace(path=parsed.path + suffix).geturl()


def environment(database_url: str, work: Path) -> dict[str, str]:
    """The environment a Patuh process of this benchmark runs with."""
    env = {**os.environ, "PATUH_VAR_DIR": str(work), "DJANGO_SETTINGS_MODULE": "patuh.settings"}
    env.pop("DATABASE_URL", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def setup_django(database_url: str, work: Path) -> None:
    os.environ.update(environment(database_url, work))
    if not database_url:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment(debug=False)  # as in production: no query log


def patuh(args: list[str], env: dict[str, str], **kwargs: Any) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "patuh"), *args], env=env, check=True, **kwargs)


def remove(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)


def timed(function: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """The median wall-clock seconds of ``repeat`` calls, and the last call's value."""
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = function()
        times.append(time.perf_counter() - start)
    return statistics.median(times), value


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (``share`` 0–1) of ``values``."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def peak_rss_mib() -> float:
    """This process's peak resident memory: ``VmHWM`` (reset by exec, so a child started by
    a big parent reports its own peak), else ``ru_maxrss`` (which Linux carries over from
    the parent through fork and exec)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine(vendor: str = "", server_version: str = "") -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
    except OSError:
        pass
    import sqlite3

    database = f"{vendor} {server_version}".strip() or f"SQLite {sqlite3.sqlite_version}"
    return (
        f"{cpu} · {os.cpu_count()} CPU · {memory} · Python {platform.python_version()} · "
        f"{database} · load average {load_average()}"
    )


@dataclass
class Row:
    figure: str
    value: str
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)

    def add(self, *args: Any, **kwargs: Any) -> Row:
        row = Row(*args, **kwargs)
        self.rows.append(row)
        print(f"  … {row.figure}: {row.value} (baseline {row.baseline})", flush=True)
        return row

    def render(self) -> str:
        headers = ("figure", "value", "baseline (same run)", "ratio", "target", "met")
        cells = [
            (
                r.figure,
                r.value,
                r.baseline,
                r.ratio,
                r.target,
                "" if r.met is None else ("yes" if r.met else "NO"),
            )
            for r in self.rows
        ]
        widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(headers)]
        line = "  ".join("-" * w for w in widths)
        out = [
            self.title,
            line,
            "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)),
        ]
        out.append(line)
        out += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
        out.append(line)
        notes = [f"  {r.figure}: {r.note}" for r in self.rows if r.note]
        if notes:
            out += ["notes:", *notes]
        return "\n".join(out)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def ratio(value: float, baseline: float) -> str:
    return f"{value / baseline:.2f}×" if baseline else "-"
