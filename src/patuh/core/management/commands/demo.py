"""``patuh demo``: load the demo data (idempotent) and print the demo logins.

``--scale national`` loads the national synthetic demo instead (see
:mod:`patuh.demo.national`), into a database of its own."""

from __future__ import annotations

import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from patuh.demo.load import DEMO_PASSWORD, DEMO_USERS, URL, load_demo, role_label
from patuh.demo.stories import SYNTHETIC_LABEL

NATIONAL_OPTIONS = ("survey_responses", "seed", "provinces", "ministries", "checksum")


class Command(BaseCommand):
    help = (
        "Memuat data demo: wilayah, 33 kabupaten/kota Sumatera Utara dengan unit layanannya, "
        "siklus 2022 dan 2023 dengan jawaban sintetis, dan pengguna demo. Aman dijalankan ulang. "
        "--scale national: 38 provinsi, 514 kabupaten/kota dan 39 K/L (data sintetis, ke basis "
        "data tersendiri)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            choices=("sumut", "national"),
            default="sumut",
            help="sumut (bawaan): demo Sumatera Utara; national: demo nasional sintetis.",
        )
        parser.add_argument(
            "--survey-responses",
            type=int,
            default=None,
            help="Jumlah jawaban SKM sintetis (national; bawaan 1.000.000).",
        )
        parser.add_argument(
            "--seed", type=int, default=None, help="Benih acak (national; bawaan 1)."
        )
        parser.add_argument(
            "--provinces",
            type=int,
            default=None,
            help="Hanya N provinsi pertama dan kabupaten/kotanya (national; untuk uji).",
        )
        parser.add_argument(
            "--ministries",
            type=int,
            default=None,
            help="Hanya N kementerian/lembaga pertama (national; untuk uji).",
        )
        parser.add_argument(
            "--checksum",
            action="store_true",
            help="Cetak SHA-256 per tabel sesudah memuat, dalam JSON (national).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] == "national":
            self._national(options)
            return
        given = [
            f"--{name.replace('_', '-')}"
            for name in NATIONAL_OPTIONS
            if options.get(name) not in (None, False)
        ]
        if given:
            raise CommandError(f"{', '.join(given)} hanya untuk --scale national.", returncode=2)
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
            f"pengguna demo: {total['users']} (baru {created['users']})\n"
            f"  data tingkat pemerintah: {total['government_answers']} "
            f"(baru {created.get('government_answers', 0)})\n"
            f"  hasil yang dipublikasikan: {total['published']} (baru {created['published']})"
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

    def _national(self, options: dict[str, Any]) -> None:
        from patuh.demo import national

        params = national.Params(
            seed=national.DEFAULT_SEED if options["seed"] is None else options["seed"],
            survey_responses=national.DEFAULT_SURVEY_RESPONSES
            if options["survey_responses"] is None
            else options["survey_responses"],
            provinces=options["provinces"],
            ministries=options["ministries"],
        )
        for name in ("survey_responses", "provinces", "ministries"):
            if options[name] is not None and options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} tidak boleh negatif.", returncode=2)
        verbose = options["verbosity"] > 1
        started = time.monotonic()
        try:
            summary = national.load_national(
                params, progress=self.stdout.write if verbose else None
            )
        except national.NationalDemoRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        elapsed = time.monotonic() - started
        c = summary.counts
        state = (
            "sudah dimuat sebelumnya; tidak ada yang diubah"
            if summary.already_loaded
            else f"dimuat dalam {elapsed:.1f} s"
        )
        self.stdout.write(
            f"Demo nasional {state} ({SYNTHETIC_LABEL}; seed {params.seed}).\n"
            f"  pemerintah: {c['governments']} ({c['provinsi']} provinsi, "
            f"{c['kabupaten_kota']} kabupaten/kota, {c['kementerian_lembaga']} K/L), "
            f"unit layanan: {c['units']}, produk: {c['products']}\n"
            f"  siklus: {c['cycles']}, penilaian: {c['assessments']}, jawaban: {c['answers']}, "
            f"narasumber: {c['respondents']}, potret hasil: {c['snapshots']}, "
            f"tindak lanjut: {c['follow_up_actions']}\n"
            f"  survei persepsi: {c['perception_responses']}, SKM: {c['skm_responses']}, "
            f"pengguna: {c['users']} (admin, verifikator; kata sandi {DEMO_PASSWORD})"
        )
        if options["checksum"]:
            self.stdout.write(json.dumps({"checksum": national.checksum()}, sort_keys=True))
