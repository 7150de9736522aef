"""``patuh checklist import EXPORT.xlsx --unit GOV/UNIT --cycle YEAR [--kind official]
[--media FOLDER] [--user USERNAME]``: a visit checklist collected offline with ODK Collect or
KoboCollect (the form from ``patuh xlsform checklist``), exported from KoboToolbox as XLSX."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from patuh.assessments.checklist_import import import_checklist
from patuh.assessments.models import Assessment
from patuh.scoring.errors import ScoringError


class Command(BaseCommand):
    help = "Impor daftar periksa kunjungan dari ekspor KoboToolbox (XLSX) ke satu penilaian."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser("import", help="impor satu kiriman daftar periksa")
        imp.add_argument("file", type=Path)
        imp.add_argument("--unit", required=True, help="kode wilayah/kode unit, mis. 12.05/dinkes")
        imp.add_argument("--cycle", required=True, type=int)
        imp.add_argument(
            "--kind", default="official", choices=["official", "pre_evaluation", "self"]
        )
        imp.add_argument("--media", type=Path, help="folder foto hasil unduhan lampiran")
        imp.add_argument("--user", help="nama pengguna yang dicatat sebagai pengisi")

    def handle(self, *args, **options):
        government_code, _, unit_code = options["unit"].partition("/")
        assessment = (
            Assessment.objects.filter(
                service_unit__government__region_code=government_code,
                service_unit__code=unit_code,
                cycle__year=options["cycle"],
                kind=options["kind"],
            )
            .select_related("cycle", "service_unit__government")
            .first()
        )
        if assessment is None:
            raise CommandError(
                f"tidak ada penilaian {options['kind']} {options['unit']} {options['cycle']}",
                returncode=2,
            )
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"pengguna {options['user']} tidak dikenal", returncode=2)
        try:
            result = import_checklist(
                options["file"], assessment, actor=actor, media=options.get("media")
            )
        except ScoringError as error:
            raise CommandError(error.message(), returncode=2) from None
        self.stdout.write(
            f"{options['file']}: {result.answers} jawaban dan {result.photos} foto dicatat "
            f"pada {assessment}"
        )
