"""``patuh complaints import FILE --unit GOV/UNIT [--dry-run] [--user USER]`` and
``patuh complaints stats (--unit GOV/UNIT | --government GOV) [--year YEAR] [--format json]``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from patuh.complaints.imports import ComplaintImportError, import_export
from patuh.complaints.stats import Period, figures_json, government_figures, unit_figures
from patuh.orgs.models import Government, ServiceUnit


def resolve_unit(text: str) -> ServiceUnit:
    """``12.05/dinkes`` → the unit, or exit 2 naming what is wrong."""
    government_code, _, unit_code = text.partition("/")
    unit = (
        ServiceUnit.objects.select_related("government")
        .filter(government__region_code=government_code, code=unit_code)
        .first()
    )
    if unit is None:
        raise CommandError(
            f"unit '{text}' tidak dikenal (tulis KODE-WILAYAH/KODE-UNIT)", returncode=2
        )
    return unit


class Command(BaseCommand):
    help = "Register pengaduan unit: impor ekspor SP4N-LAPOR!, angka waktu layanan."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="impor ekspor SP4N-LAPOR! (CSV/XLSX) ke satu unit")
        imp.add_argument("file", type=Path)
        imp.add_argument("--unit", required=True, help="kode wilayah/kode unit, mis. 12.05/dinkes")
        imp.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")
        imp.add_argument("--user", help="pengguna yang tercatat di jejak audit")
        stats = sub.add_parser("stats", help="angka register satu unit atau satu pemerintah")
        target = stats.add_mutually_exclusive_group(required=True)
        target.add_argument("--unit", help="kode wilayah/kode unit")
        target.add_argument("--government", help="kode wilayah pemerintah, mis. 12.05")
        stats.add_argument("--year", type=int, help="tahun laporan diterima (bawaan: tahun ini)")
        stats.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, **options):
        if options["what"] == "import":
            return self._import(options)
        return self._stats(options)

    def _import(self, options):
        unit = resolve_unit(options["unit"])
        actor = None
        if options["user"]:
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"pengguna '{options['user']}' tidak dikenal", returncode=2)
        if not options["file"].exists():
            raise CommandError(f"{options['file']}: berkas tidak ada", returncode=2)
        try:
            summary = import_export(options["file"], unit, actor=actor, dry_run=options["dry_run"])
        except ComplaintImportError as error:
            raise CommandError(error.message(), returncode=2) from None
        for note in summary.notes:
            self.stderr.write(f"catatan: {note}")
        head = "periksa saja, tidak disimpan: " if summary.dry_run else ""
        self.stdout.write(
            f"{head}{options['file']}: {summary.rows} baris; {summary.created} baru, "
            f"{summary.updated} diperbarui, {summary.unchanged} tidak berubah ({unit})"
        )

    def _stats(self, options):
        year = options["year"] or timezone.localdate().year
        period = Period.year(year)
        if options["unit"]:
            unit = resolve_unit(options["unit"])
            result = unit_figures(unit, period)
            rows = [(f"{unit.government.region_code}/{unit.code}", unit.name, result)]
            total = None
        else:
            government = Government.objects.filter(region_code=options["government"]).first()
            if government is None:
                raise CommandError(
                    f"pemerintah '{options['government']}' tidak dikenal", returncode=2
                )
            both = government_figures(government, period)
            rows = [
                (f"{government.region_code}/{unit.code}", unit.name, figures)
                for unit, figures in both.units
            ]
            total = both.total
        if options["format"] == "json":
            data = {
                "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
                "units": [
                    {"unit": code, "name": name, **figures_json(figures)}
                    for code, name, figures in rows
                ],
            }
            if total is not None:
                data["government"] = {"code": options["government"], **figures_json(total)}
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Pengaduan diterima {period.start} s.d. {period.end}")
        header = f"{'unit':<32} {'jumlah':>6} {'selesai':>7} {'tepat waktu':>11} {'median hk':>9}"
        self.stdout.write(header)
        for code, _name, figures in rows + ([("JUMLAH", "", total)] if total else []):
            share = "–" if figures.share_in_time is None else f"{figures.share_in_time}%"
            median = "–" if figures.median_days is None else str(figures.median_days)
            self.stdout.write(
                f"{code:<32} {figures.volume:>6} {figures.closed:>7} {share:>11} {median:>9}"
            )
