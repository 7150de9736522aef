"""``patuh regions load``: load the national list of provinces and kabupaten/kota."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from patuh.orgs.regions import RegionDataError, load_regions


class Command(BaseCommand):
    help = "Memuat daftar provinsi dan kabupaten/kota (kode wilayah Kemendagri) dari dataset paket."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["load"], help="load: muat atau perbarui (idempoten)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = load_regions()
        except (OSError, RegionDataError) as error:
            raise CommandError(str(error)) from error
        total = counts.total
        self.stdout.write(
            f"Provinsi: {total['province']} (baru {counts.created['province']}, "
            f"diperbarui {counts.updated['province']})"
        )
        self.stdout.write(
            f"Pemerintah: {total['provinsi']} provinsi, {total['kabupaten']} kabupaten, "
            f"{total['kota']} kota (baru {counts.created['government']}, "
            f"diperbarui {counts.updated['government']})"
        )
