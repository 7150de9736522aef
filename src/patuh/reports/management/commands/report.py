"""``patuh report rapor --government CODE --cycle YEAR --out FILE.pdf`` and
``patuh report export --cycle YEAR [--province CODE] --out FILE.xlsx|FILE.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from patuh.assessments.models import Cycle, Program
from patuh.orgs.models import Government, Province
from patuh.reports.export import write_csv, write_workbook
from patuh.reports.rapor import NoResult, render_rapor_pdf


def cycle_for(year: int, government: Government | None = None, province: Any = None) -> Cycle:
    cycles = Cycle.objects.filter(year=year, program=Program.OMBUDSMAN)
    region = province or (government.province if government else None)
    if region is not None:
        cycles = cycles.filter(Q(province=region) | Q(province__isnull=True)).order_by("province")
    cycle = cycles.first()
    if cycle is None:
        raise CommandError(f"tidak ada siklus {year} untuk wilayah ini", returncode=2)
    return cycle


class Command(BaseCommand):
    help = "Rapor PDF satu pemerintah, atau ekspor hasil satu siklus (Excel/CSV)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        rapor = sub.add_parser("rapor", help="rapor PDF (A4) satu pemerintah dan siklus")
        rapor.add_argument("--government", required=True, help="kode wilayah, mis. 12.05")
        rapor.add_argument("--cycle", required=True, type=int, help="tahun siklus")
        rapor.add_argument("--out", required=True, type=Path)
        export = sub.add_parser("export", help="hasil satu siklus: .xlsx (semua lembar) atau .csv")
        export.add_argument("--cycle", required=True, type=int)
        export.add_argument("--province", help="kode provinsi, mis. 12")
        export.add_argument("--sheet", default="Unit", help="lembar untuk CSV (default: Unit)")
        export.add_argument("--out", required=True, type=Path)

    def handle(self, *args, **options):
        if options["what"] == "rapor":
            return self._rapor(options)
        return self._export(options)

    def _rapor(self, options):
        government = Government.objects.filter(region_code=options["government"]).first()
        if government is None:
            raise CommandError(f"pemerintah {options['government']} tidak dikenal", returncode=2)
        cycle = cycle_for(options["cycle"], government)
        try:
            pdf = render_rapor_pdf(cycle, government)
        except NoResult as error:
            raise CommandError(
                f"{government.name} tidak punya penilaian resmi pada siklus {cycle.year}",
                returncode=2,
            ) from error
        options["out"].write_bytes(pdf)
        self.stdout.write(
            f"rapor {government.name} {cycle.year}: {options['out']} ({len(pdf)} bita)"
        )

    def _export(self, options):
        province = None
        if options.get("province"):
            province = Province.objects.filter(region_code=options["province"]).first()
            if province is None:
                raise CommandError(f"provinsi {options['province']} tidak dikenal", returncode=2)
        cycle = cycle_for(options["cycle"], province=province)
        governments = Government.objects.all()
        if province is not None:
            governments = governments.filter(province=province)
        out: Path = options["out"]
        if out.suffix == ".xlsx":
            write_workbook(cycle, out, governments)
        elif out.suffix == ".csv":
            write_csv(cycle, out, options["sheet"], governments)
        else:
            raise CommandError("berkas keluaran harus berakhiran .xlsx atau .csv", returncode=2)
        self.stdout.write(f"ekspor {cycle.name}: {out}")
