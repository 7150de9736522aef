"""``patuh survey import FILE --unit GOV/UNIT --cycle YEAR [--kind skm|perception|f03]``.

The cycle is the one of that year covering the unit that asks the survey: an Ombudsman
cycle for the SKM and the perception survey, a PEKPPP cycle the unit is in for F-03.

(``patuh survey score`` runs without the database; see ``patuh.commands``.)"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from patuh.assessments.models import Cycle
from patuh.orgs.models import ServiceUnit
from patuh.scoring.errors import ScoringError
from patuh.surveys import services
from patuh.surveys.imports import import_file
from patuh.surveys.models import SurveyKind


class Command(BaseCommand):
    help = "Impor jawaban survei (CSV/XLSX, termasuk ekspor ODK/KoboCollect)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="impor berkas jawaban survei satu unit")
        imp.add_argument("file", type=Path)
        imp.add_argument("--unit", required=True, help="kode wilayah/kode unit, mis. 12.05/dinkes")
        imp.add_argument("--cycle", required=True, type=int, help="tahun siklus")
        imp.add_argument("--kind", choices=["skm", "perception", "f03"], default="skm")

    def handle(self, *args, **options):
        government_code, _, unit_code = options["unit"].partition("/")
        unit = (
            ServiceUnit.objects.select_related("government")
            .filter(government__region_code=government_code, code=unit_code)
            .first()
        )
        if unit is None:
            raise CommandError(
                f"unit '{options['unit']}' tidak dikenal (tulis KODE-WILAYAH/KODE-UNIT)",
                returncode=2,
            )
        kind = SurveyKind(options["kind"])
        candidates = (
            Cycle.objects.filter(year=options["cycle"])
            .filter(Q(province=unit.government.province_id) | Q(province__isnull=True))
            .order_by("province")
        )
        cycle = next(
            (c for c in candidates if services.cycle_for(unit, kind, c.pk) is not None), None
        )
        if cycle is None:
            raise CommandError(
                f"tidak ada siklus {options['cycle']} untuk unit ini yang memakai survei "
                f"{kind.label}",
                returncode=2,
            )
        try:
            summary = import_file(options["file"], unit, cycle, kind)
        except ScoringError as error:
            raise CommandError(error.message(), returncode=2) from None
        self.stdout.write(
            f"{options['file']}: {summary.rows} baris; {summary.created} jawaban baru, "
            f"{summary.already_there} sudah ada sebelumnya ({unit}, {cycle.year})"
        )
        for note in summary.notes:
            self.stderr.write(f"catatan: {note}")
