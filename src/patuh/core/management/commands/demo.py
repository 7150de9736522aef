"""``patuh demo``: load the demo data (idempotent) and print the demo logins."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from patuh.demo.load import DEMO_PASSWORD, DEMO_USERS, URL, load_demo, role_label
from patuh.demo.stories import SYNTHETIC_LABEL


class Command(BaseCommand):
    help = (
        "Memuat data demo: wilayah, 33 kabupaten/kota Sumatera Utara dengan unit layanannya, "
        "siklus 2022 dan 2023 dengan jawaban sintetis, dan pengguna demo. Aman dijalankan ulang."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        summary = load_demo()
        elapsed = time.monotonic() - started
        created, total = summary.created, summary.total
        self.stdout.write(
            f"Data demo siap dalam {elapsed:.1f} s ({SYNTHETIC_LABEL}).\n"
            f"  pemerintah: {total['governments']}, unit layanan: {total['units']} "
            f"(baru {created['units']}), siklus: {total['cycles']} (baru {created['cycles']})\n"
            f"  penilaian: {total['assessments']} (baru {created['assessments']}), "
            f"jawaban: {total['answers']} (baru {created['answers']}), "
            f"pengguna demo: {total['users']} (baru {created['users']})"
        )
        self.stdout.write("")
        width = max(len(user.username) for user in DEMO_USERS)
        self.stdout.write("Login demo:")
        self.stdout.write(f"  {'pengguna':<{width}}  {'kata sandi':<{len(DEMO_PASSWORD)}}  peran")
        for user in DEMO_USERS:
            self.stdout.write(
                f"  {user.username:<{width}}  {DEMO_PASSWORD}  {role_label(user.role)}"
            )
        self.stdout.write("")
        self.stdout.write(f"Buka {URL}")
