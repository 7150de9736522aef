"""``patuh government-data import FILE --cycle ID [--dry-run] [--reason TEXT] [--actor USER]``,
``patuh government-data export --cycle ID [--format csv|json] [--out FILE]`` and
``patuh government-data template --cycle ID [--out FILE]``: the government-level figures of a
2025+ cycle (Output from secondary data, the public-trust index) in and out of a CSV or XLSX
file, all or nothing (docs/government-data.md).

``--cycle`` is the cycle's id (as in its management page's address) or ``YEAR/PROVINCE``,
e.g. ``2026/12``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from patuh.assessments.government_data import has_government_answers
from patuh.assessments.government_import import (
    GovernmentImportError,
    csv_text,
    export_rows,
    import_file,
    json_text,
    template_rows,
)
from patuh.assessments.models import Cycle

BAD_INPUT = 2


def find_cycle(text: str) -> Cycle:
    """The cycle named by ``ID`` or ``YEAR/PROVINCE``, with government-level figures, or exit 2."""
    year, slash, province = text.partition("/")
    cycles = Cycle.objects.select_related("province")
    if slash:
        cycle = (
            cycles.filter(year=int(year), province__region_code=province).first()
            if year.isdigit()
            else None
        )
    else:
        cycle = cycles.filter(pk=int(text)).first() if text.isdigit() else None
    if cycle is None:
        raise CommandError(
            f"siklus '{text}' tidak dikenal "
            "(tulis id siklus atau TAHUN/KODE-PROVINSI, mis. 2026/12)",
            returncode=BAD_INPUT,
        )
    if not has_government_answers(cycle):
        raise CommandError(
            f"siklus {cycle.pk} ({cycle.name}) memakai instrumen {cycle.instrument_code}, "
            "yang tidak memiliki data tingkat pemerintah",
            returncode=BAD_INPUT,
        )
    return cycle


class Command(BaseCommand):
    help = "Data tingkat pemerintah siklus 2025+: impor, ekspor, templat (CSV/XLSX)."

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        imp = sub.add_parser(
            "import", help="impor nilai dari CSV/XLSX, semua atau tidak sama sekali"
        )
        imp.add_argument("file", type=Path)
        imp.add_argument(
            "--cycle", required=True, help="id siklus atau TAHUN/PROVINSI, mis. 2026/12"
        )
        imp.add_argument("--dry-run", action="store_true", help="periksa saja, tanpa menyimpan")
        imp.add_argument("--reason", default="", help="alasan yang tercatat di jejak audit")
        imp.add_argument("--actor", help="pengguna yang tercatat di jejak audit")
        exp = sub.add_parser("export", help="semua nilai yang sudah diisi (kolom yang sama)")
        exp.add_argument("--cycle", required=True)
        exp.add_argument("--format", choices=["csv", "json"], default="csv")
        exp.add_argument("--out", type=Path, help="berkas tujuan (bawaan: keluaran standar)")
        tpl = sub.add_parser(
            "template", help="CSV untuk diisi: satu baris per pemerintah × indikator"
        )
        tpl.add_argument("--cycle", required=True)
        tpl.add_argument("--out", type=Path, help="berkas tujuan (bawaan: keluaran standar)")

    def handle(self, *args: Any, **options: Any) -> None:
        cycle = find_cycle(options["cycle"])
        if options["what"] == "import":
            return self._import(cycle, options)
        if options["what"] == "export":
            rows = export_rows(cycle)
            text = json_text(cycle, rows) + "\n" if options["format"] == "json" else csv_text(rows)
        else:
            text = csv_text(template_rows(cycle))
        self._write(text, options.get("out"))

    def _write(self, text: str, out: Path | None) -> None:
        if out is None:
            self.stdout.write(text, ending="")
            return
        try:
            out.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{out}: {error.strerror}", returncode=BAD_INPUT) from None
        self.stderr.write(f"{out}: ditulis")

    def _import(self, cycle: Cycle, options: dict[str, Any]) -> None:
        actor = None
        if options["actor"]:
            actor = get_user_model().objects.filter(username=options["actor"]).first()
            if actor is None:
                raise CommandError(f"pengguna '{options['actor']}' tidak dikenal", returncode=2)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: berkas tidak ada", returncode=BAD_INPUT)
        try:
            summary = import_file(
                cycle,
                path,
                actor=actor,
                reason=options["reason"],
                dry_run=options["dry_run"],
                source=str(path),
            )
        except GovernmentImportError as error:
            raise CommandError(error.message(), returncode=BAD_INPUT) from None
        for note in summary.notes:
            self.stderr.write(f"catatan: {note}")
        skipped = f", {summary.skipped} baris tanpa nilai dilewati" if summary.skipped else ""
        if summary.dry_run:
            self.stdout.write(
                f"periksa saja, tidak disimpan: {path}: {len(summary.figures)} nilai sah; "
                f"{summary.to_save} akan disimpan, {summary.unchanged} tidak berubah{skipped} "
                f"(siklus {cycle.pk}, {cycle.name})"
            )
            return
        self.stdout.write(
            f"{path}: {summary.saved} nilai disimpan, {summary.unchanged} tidak berubah{skipped} "
            f"(siklus {cycle.pk}, {cycle.name})"
        )
