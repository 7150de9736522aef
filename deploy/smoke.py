"""Production smoke test: Patuh under gunicorn, production settings, PostgreSQL.

    python deploy/smoke.py --database-url postgres://postgres@127.0.0.1:5432/patuh_smoke

Creates (or empties) the named PostgreSQL database, migrates it, collects static files,
loads the demo, starts gunicorn with DEBUG off and a report worker, then checks what a
national deployment relies on: HTTPS redirect and HSTS, the Content-Security-Policy, static
files with hashed names, a real login with CSRF through the proxy header, a signed-in page,
a rapor PDF batch done by the separate worker process, the API schema, and an error page that
leaks nothing. Exits 1 naming the first check that fails.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

HOST = "patuh.example.go.id"
PROXY_HEADERS = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}


class Smoke:
    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        behind_proxy: bool = True,
    ) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = dict(PROXY_HEADERS) if behind_proxy else {"Host": HOST}
        sent.update(headers or {})
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        payload = None
        if body is not None:
            payload = urllib.parse.urlencode(body)
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        data = response.read()
        received = {k.lower(): v for k, v in response.getheaders()}
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        connection.close()
        return response.status, received, data


def check(condition: bool, what: str) -> None:
    if not condition:
        print(f"GAGAL: {what}", file=sys.stderr)
        raise SystemExit(1)
    print(f"ok  {what}")


def _reset_database(url: str) -> None:
    import psycopg

    parsed = urllib.parse.urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _wait_for(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn berhenti sebelum siap")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/", headers=PROXY_HEADERS)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn tidak siap dalam 60 detik")


def run_checks(smoke: Smoke) -> None:
    status, headers, _ = smoke.request("GET", "/publik/", behind_proxy=False)
    check(status == 301 and headers["location"].startswith("https://"), "HTTP → HTTPS")

    status, headers, body = smoke.request("GET", "/publik/")
    check(status == 200, "halaman publik 200")
    check("max-age=31536000" in headers.get("strict-transport-security", ""), "HSTS")
    check("script-src 'self'" in headers.get("content-security-policy", ""), "CSP")
    check(headers.get("x-frame-options") == "DENY", "X-Frame-Options")
    stylesheet = re.search(
        rb'href="(/static/vendor/bootstrap-5\.3\.9\.min\.[0-9a-f]{12}\.css)"', body
    )
    check(stylesheet is not None, "berkas statis bernama hash")
    status, headers, _ = smoke.request("GET", stylesheet.group(1).decode())
    check(status == 200 and "max-age" in headers.get("cache-control", ""), "WhiteNoise")

    status, _, body = smoke.request("GET", "/halaman-tidak-ada/")
    check(status == 404 and b"Traceback" not in body and b"URLconf" not in body, "404 polos")

    status, _, body = smoke.request("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    check(status == 200 and token is not None, "halaman masuk")
    status, headers, _ = smoke.request(
        "POST",
        "/accounts/login/",
        body={
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": "perwakilan.sumut",
            "password": "patuh-demo",
        },
        headers={"Referer": f"https://{HOST}/accounts/login/"},
    )
    check(status == 302 and "sessionid" in smoke.cookies, "masuk dengan CSRF di balik proxy")
    status, _, body = smoke.request("GET", "/cycles/2023/governments/12.05/")
    check(status == 200 and "Kabupaten Langkat" in body.decode(), "halaman pemerintah")

    status, _, body = smoke.request("GET", "/dashboard/2023/?provinsi=12")
    check(status == 200, "dasbor siklus")
    status, _, body = smoke.request("GET", "/cycles/2023/governments/12.05/rapor.pdf")
    check(status == 200 and body.startswith(b"%PDF"), "rapor PDF")

    status, headers, _ = smoke.request(
        "POST",
        "/cycles/2023/rapor-batch/",
        body={"csrfmiddlewaretoken": smoke.cookies["csrftoken"], "kind": "export"},
        headers={"Referer": f"https://{HOST}/dashboard/2023/"},
    )
    job = re.search(r"/jobs/(\d+)/$", headers.get("location", ""))
    check(status == 302 and job is not None, "tugas ekspor masuk antrean")
    deadline = time.monotonic() + 120
    while True:
        status, headers, body = smoke.request("GET", f"/jobs/{job.group(1)}/download/")
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(1)
    check(status == 200 and body.startswith(b"PK"), "pekerja terpisah menyelesaikan tugas")

    status, _, body = smoke.request("GET", "/api/schema/", headers={"Accept": "application/json"})
    check(status in (200, 404), "skema API")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--cache-url", default=os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/15")
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="patuh-smoke-"))
    bin_dir = Path(sys.executable).parent
    environment = {
        **os.environ,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": args.database_url,
        "CACHE_URL": args.cache_url,
        "PATUH_VAR_DIR": str(workdir),
        "STATIC_ROOT": str(workdir / "static"),
        "PATUH_TRUSTED_PROXIES": "1",
        "DJANGO_SETTINGS_MODULE": "patuh.settings",
    }
    patuh = str(bin_dir / "patuh")
    _reset_database(args.database_url)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["demo"]):
        subprocess.run([patuh, *command, "-v", "0"], env=environment, check=True)

    server = subprocess.Popen(
        [
            str(bin_dir / "gunicorn"),
            "patuh.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            "3",
            "--forwarded-allow-ips",
            "*",
            "--log-level",
            "warning",
        ],
        env=environment,
    )
    worker = subprocess.Popen([patuh, "jobs", "work"], env=environment)
    try:
        _wait_for(args.port, server)
        run_checks(Smoke(args.port))
        print(json.dumps({"smoke": "ok", "workers": 3}))
    finally:
        for process in (server, worker):
            process.send_signal(signal.SIGTERM)
        for process in (server, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
