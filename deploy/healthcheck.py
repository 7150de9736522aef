"""The container health check: asks this container's gunicorn for /healthz.

    python /opt/patuh/deploy/healthcheck.py     # exit 0 healthy, 1 not

Sent as the proxy would send it (a host from ALLOWED_HOSTS, X-Forwarded-Proto: https), so
neither the host check nor the HTTPS redirect of production settings gets in the way.
Standard library only.
"""

from __future__ import annotations

import http.client
import os
import sys


def probe_host(allowed_hosts: str) -> str:
    """The first usable name in ALLOWED_HOSTS (``.example.go.id`` → ``example.go.id``)."""
    for entry in allowed_hosts.split(","):
        name = entry.strip().lstrip(".")
        if name and name != "*":
            return name
    return "localhost"


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    host = probe_host(os.environ.get("ALLOWED_HOSTS", ""))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", "/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
    except OSError as error:
        print(f"healthcheck: {error}", file=sys.stderr)
        return 1
    if status != 200:
        print(f"healthcheck: /healthz answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
