"""Pages under gunicorn with production settings, driven by a bounded local load generator.

- pages: N requests per page (default 400) from 20 concurrent clients (threads, one
  connection per request, no pause between requests), each page next to the login page
  measured the same way (the baseline: a page through the whole middleware stack that reads
  nothing of the assessment data); p50, p95 and requests/s;
- citizens: 200 citizens at once each open a unit's SKM form (CSRF cookie, device cookie),
  then all submit together; every submission must be stored; p50/p95 of the submissions.

The server runs as production does (DEBUG off, HTTPS behind a proxy header, hashed static
files, the cache from ``BENCH_CACHE_URL``, default Redis db 7), with ``2 × CPUs + 1`` sync
workers on the benchmark's database.
"""

from __future__ import annotations

import http.client
import os
import random
import re
import secrets
import signal
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any

from common import BIN, Table, ms, patuh, percentile, ratio

HOST = "patuh.bench.example"
CLIENTS = 20


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float


class Client:
    """One browser: its cookies, its address (sent as the proxy's X-Forwarded-For)."""

    def __init__(self, port: int, address: str = "203.0.113.9") -> None:
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None, referer: str = ""
    ) -> Response:
        headers = {
            "Host": HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
            "Connection": "close",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if body is not None:
            payload = urllib.parse.urlencode(body)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = referer or f"https://{HOST}{path}"
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=payload, headers=headers)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        seconds = time.perf_counter() - start
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return Response(
            response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds
        )

    def csrf_token(self, path: str) -> str:
        page = self.request("GET", path)
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if page.status != 200 or found is None:
            raise SystemExit(f"{path}: HTTP {page.status}, tanpa token CSRF")
        return found.group(1).decode()

    def login(self, username: str, password: str) -> None:
        token = self.csrf_token("/accounts/login/")
        done = self.request(
            "POST",
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": username, "password": password},
        )
        if done.status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"masuk sebagai {username} gagal (HTTP {done.status})")


class Server:
    """gunicorn with production settings on the benchmark's database, for a ``with`` block."""

    def __init__(self, env: dict[str, str], work: Path, port: int = 0) -> None:
        self.port = port or _free_port()
        self.env = {
            **env,
            "DEBUG": "False",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": HOST,
            "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
            "STATIC_ROOT": str(work / "static"),
            "PATUH_TRUSTED_PROXIES": "1",
            "CACHE_URL": _cache_url(),
            "LOG_LEVEL": "ERROR",
        }
        self.workers = 2 * (os.cpu_count() or 1) + 1
        # BENCH_CONN_MAX_AGE=N keeps each worker's PostgreSQL connection N seconds (Django's
        # CONN_MAX_AGE, from the URL): 60 by default, as deploy/ has it; 0 opens a connection
        # per request (SQLite connections are kept 60 s by Patuh's settings)
        self.conn_max_age = int(os.environ.get("BENCH_CONN_MAX_AGE", "60") or 0)
        url = self.env.get("DATABASE_URL", "")
        if url and self.conn_max_age:
            joiner = "&" if "?" in url else "?"
            self.env["DATABASE_URL"] = f"{url}{joiner}conn_max_age={self.conn_max_age}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        patuh(["collectstatic", "--noinput", "-v", "0"], self.env)
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "patuh.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                str(self.workers),
                "--forwarded-allow-ips",
                "*",
                "--log-level",
                "warning",
                "--timeout",
                "120",
            ],
            env=self.env,
        )
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn berhenti sebelum siap")
            try:
                if Client(self.port).request("GET", "/accounts/login/").status == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn tidak siap dalam 90 detik")

    def __exit__(self, *exc: object) -> None:
        if self.process is None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _cache_url() -> str:
    """``BENCH_CACHE_URL``, else Redis db 7 on this machine when it answers, else each
    worker's own memory (the survey rate limit is then counted per worker)."""
    import socket

    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme.startswith("redis"):
        try:
            socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2).close()
        except OSError:
            return "locmemcache://bench"
    return url


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Load:
    requests: int
    seconds: float
    latencies: list[float]
    failures: list[str]

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 0.95)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def drive(clients: list[Client], paths: list[str], requests: int, max_seconds: float) -> Load:
    """``requests`` GETs (the paths in turn) from ``len(clients)`` threads at once, each
    sending its next request as soon as the previous one is answered; stops early after
    ``max_seconds``. Every answer must be 200."""
    lock = threading.Lock()
    sent = 0
    latencies: list[float] = []
    failures: list[str] = []
    deadline = time.perf_counter() + max_seconds

    def worker(client: Client) -> None:
        nonlocal sent
        while True:
            with lock:
                if sent >= requests or time.perf_counter() > deadline:
                    return
                number = sent
                sent += 1
            path = paths[number % len(paths)]
            try:
                response = client.request("GET", path)
            except OSError as error:
                with lock:
                    failures.append(f"{path}: {error}")
                continue
            with lock:
                latencies.append(response.seconds)
                if response.status != 200:
                    failures.append(f"{path}: HTTP {response.status}")

    threads = [threading.Thread(target=worker, args=(client,)) for client in clients]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Load(len(latencies), time.perf_counter() - start, latencies, failures)


def page_figures(
    table: Table,
    server: Server,
    pages: list[tuple[str, list[str], bool]],
    requests: int,
    max_seconds: float,
    password: str,
) -> None:
    """One row per page: p50/p95 and requests/s, next to the login page driven the same way."""
    anonymous = [Client(server.port, f"198.51.100.{n + 1}") for n in range(CLIENTS)]
    signed_in = [Client(server.port, f"192.0.2.{n + 1}") for n in range(CLIENTS)]
    for client in signed_in:
        client.login("admin", password)
    drive(anonymous[: server.workers], ["/accounts/login/"], 4 * server.workers, max_seconds)
    alone = drive(anonymous[:1], ["/accounts/login/"], 20, max_seconds)
    baseline = drive(anonymous, ["/accounts/login/"], requests, max_seconds)
    _check(baseline, "halaman masuk")
    table.add(
        f"baseline: login page, {CLIENTS} clients",
        f"p50 {ms(baseline.p50)} · p95 {ms(baseline.p95)} · {baseline.per_second:.0f} req/s",
        "—",
        note=f"{baseline.requests} requests; gunicorn {server.workers} sync workers; "
        + (
            "SQLite connections kept 60 s; "
            if not server.env.get("DATABASE_URL")
            else f"database connections kept {server.conn_max_age} s; "
            if server.conn_max_age
            else "a database connection per request (CONN_MAX_AGE 0); "
        )
        + f"one client alone: p50 {ms(alone.p50)}",
    )
    for name, paths, needs_login in pages:
        clients = signed_in if needs_login else anonymous
        # warm every worker on this page first (a worker's first request compiles templates)
        drive(clients[: server.workers], paths, max(4 * server.workers, len(paths)), max_seconds)
        alone = drive(clients[:1], paths, min(len(paths), 20), max_seconds)
        load = drive(clients, paths, requests, max_seconds)
        _check(load, name)
        table.add(
            f"page: {name}, {CLIENTS} clients",
            f"p50 {ms(load.p50)} · p95 {ms(load.p95)} · {load.per_second:.0f} req/s",
            f"p95 {ms(baseline.p95)} · {baseline.per_second:.0f} req/s",
            f"p95 {ratio(load.p95, baseline.p95)}",
            "p95 < 150 ms",
            load.p95 < 0.150,
            note=f"{load.requests} requests over {len(paths)} URLs, e.g. {paths[0]}; "
            f"one client alone: p50 {ms(alone.p50)}",
        )


def _check(load: Load, what: str) -> None:
    if load.failures:
        raise SystemExit(f"{what}: {len(load.failures)} gagal, mis. {load.failures[:3]}")


def citizens(
    table: Table,
    server: Server,
    unit: Any,
    cycle: Any,
    count: int = 200,
    seed: int = 1,
    spread: float = 0.0,
) -> None:
    """``count`` citizens open the unit's SKM form; then all submit at the same moment
    (``spread`` 0), or each at a random moment within ``spread`` seconds (filling the form)."""
    from patuh.surveys.models import Channel, SurveyResponse

    path = f"/survei/{unit.government.region_code}/{unit.code}/skm/"
    stored_before = SurveyResponse.objects.filter(
        unit=unit, cycle=cycle, kind="skm", channel=Channel.WEB
    ).count()
    rng = random.Random(f"{seed}/{spread}/{time.time_ns()}")  # fresh addresses every run
    prefix = rng.randrange(1, 250)
    pause = [rng.uniform(0, spread) for _ in range(count)]
    people = [Client(server.port, f"10.{prefix}.{n // 250}.{n % 250 + 1}") for n in range(count)]
    tokens: dict[int, str] = {}
    forms: list[float] = []
    lock = threading.Lock()
    ready = threading.Barrier(count)
    latencies: list[float] = []
    failures: list[str] = []

    def citizen(number: int, client: Client) -> None:
        try:
            start = time.perf_counter()
            tokens[number] = client.csrf_token(path)
            with lock:
                forms.append(time.perf_counter() - start)
        except BaseException as error:
            with lock:
                failures.append(f"form {number}: {error}")
            ready.abort()
            return
        answers = {f"U{n}": str(1 + (number + n) % 4) for n in range(1, 10)}
        try:
            ready.wait(timeout=300)
        except threading.BrokenBarrierError:
            return
        time.sleep(pause[number])
        response = client.request(
            "POST",
            path,
            {
                "csrfmiddlewaretoken": tokens[number],
                "consent": "1",
                "age_group": "30-39",
                "sex": "p" if number % 2 else "l",
                **answers,
            },
        )
        with lock:
            latencies.append(response.seconds)
            if response.status != 200:
                failures.append(f"kiriman {number}: HTTP {response.status}")

    threads = [
        threading.Thread(target=citizen, args=(number, client))
        for number, client in enumerate(people)
    ]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    stored = (
        SurveyResponse.objects.filter(
            unit=unit, cycle=cycle, kind="skm", channel=Channel.WEB
        ).count()
        - stored_before
    )
    p95 = percentile(latencies, 0.95)
    when = "at once" if not spread else f"within {spread:.0f} s"
    table.add(
        f"{count} citizens submit the SKM {when} (one unit)",
        f"p50 {ms(percentile(latencies, 0.5))} · p95 {ms(p95)} · stored {stored}/{count}",
        f"form GET p95 {ms(percentile(forms, 0.95))}",
        f"p95 {ratio(p95, percentile(forms, 0.95))}",
        "all stored, p95 < 300 ms",
        stored == count and not failures and p95 < 0.300,
        note=(
            f"all {count} POSTs released together after every form was loaded; "
            if not spread
            else f"{count} forms loaded together, each POST sent after a random pause "
            f"of 0–{spread:.0f} s; "
        )
        + f"{len(failures)} failed{': ' + '; '.join(failures[:3]) if failures else ''}; "
        f"whole run {elapsed:.1f} s",
    )
