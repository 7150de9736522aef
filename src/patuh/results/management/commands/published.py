"""``patuh published check|load|list``: the figures the Ombudsman RI and KemenPAN-RB
published, with their sources (see ``docs/published.md``).

``check [FILE]`` reads no database: each figure against its instrument's bands (exit 0 when
all agree, 1 when any disagrees, 2 on an unreadable file). ``load [FILE]`` checks, then loads
into the database (idempotent; admin corrections kept). ``list`` shows what the database
holds, the source on every row."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from patuh.scoring.errors import ScoringError
from patuh.scoring.numbers import format_score
from patuh.scoring.published import PACKAGED_PATH, read_published
from patuh.scoring.published_check import CheckReport, check_published
from patuh.scoring.spreadsheets import safe_row

LIST_COLUMNS = (
    "program",
    "year",
    "entity_name",
    "entity_kind",
    "region_code",
    "parent_name",
    "score",
    "category",
    "zone",
    "label",
    "rank",
    "source_title",
    "source_url",
    "source_date",
    "confidence",
    "origin",
    "note",
)


class Command(BaseCommand):
    help = "Hasil yang dipublikasikan Ombudsman RI dan KemenPAN-RB: periksa, muat, daftar."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        check = sub.add_parser(
            "check", help="periksa tiap angka terhadap kategori instrumennya (tanpa basis data)"
        )
        check.add_argument("file", nargs="?", type=Path, help=f"bawaan: {PACKAGED_PATH.name}")
        check.add_argument("--format", choices=["table", "json"], default="table")
        load = sub.add_parser("load", help="periksa lalu muat ke basis data")
        load.add_argument("file", nargs="?", type=Path, help=f"bawaan: {PACKAGED_PATH.name}")
        load.add_argument("--user", help="nama pengguna yang dicatat di jejak audit")
        listing = sub.add_parser("list", help="daftar angka di basis data, dengan sumbernya")
        listing.add_argument("--program", choices=["ombudsman", "pekppp"])
        listing.add_argument("--year", type=int)
        listing.add_argument("--province", help="kode provinsi Kemendagri, mis. 12")
        listing.add_argument("--government", help="kode wilayah Kemendagri, mis. 12.05")
        listing.add_argument("--format", choices=["table", "json", "csv"], default="table")

    def handle(self, *args, **options):
        match options["what"]:
            case "check":
                self._check(options)
            case "load":
                self._load(options)
            case "list":
                self._list(options)

    def _report(self, file: Path | None) -> tuple[str, CheckReport]:
        try:
            figures = read_published(file)
        except ScoringError as error:
            raise CommandError(error.message(), returncode=2) from None
        return str(file or PACKAGED_PATH), check_published(figures)

    def _check(self, options: dict[str, Any]) -> None:
        source, report = self._report(options["file"])
        if options["format"] == "json":
            self.stdout.write(json.dumps({"file": source, **report.to_json()}, indent=2))
        else:
            self.stdout.write(
                f"{source}: {report.total} angka; {report.checked} diperiksa, {report.agree} "
                f"sesuai, {report.disagree} tidak sesuai, {report.not_checkable} tidak dapat "
                "diperiksa"
            )
            for finding in report.findings:
                for note in finding.notes:
                    self.stdout.write(f"  catatan: {finding.where}: {note}")
        for message in report.disagreements():
            self.stderr.write(message)
        if not report.ok:
            raise CommandError(
                f"{report.disagree} angka tidak sesuai dengan kategori instrumennya",
                returncode=1,
            )

    def _load(self, options: dict[str, Any]) -> None:
        from patuh.results.published import load_published_results

        source, report = self._report(options["file"])
        if not report.ok:
            for message in report.disagreements():
                self.stderr.write(message)
            raise CommandError(
                f"{source}: tidak dimuat, {report.disagree} angka tidak sesuai dengan kategori "
                "instrumennya (lihat patuh published check)",
                returncode=2,
            )
        actor = None
        if options.get("user"):
            actor = get_user_model().objects.filter(username=options["user"]).first()
            if actor is None:
                raise CommandError(f"pengguna {options['user']} tidak dikenal", returncode=2)
        summary = load_published_results(
            [finding.figure for finding in report.findings], actor=actor
        )
        self.stdout.write(f"{source}: {summary}")

    def _list(self, options: dict[str, Any]) -> None:
        from patuh.results.published import published_results

        rows = published_results(
            program=options.get("program"),
            year=options.get("year"),
            province=options.get("province"),
            government=options.get("government"),
        )
        records = [
            {
                column: (
                    format_score(row.score)
                    if column == "score" and row.score is not None
                    else getattr(row, column)
                )
                for column in LIST_COLUMNS
            }
            for row in rows
        ]
        for record in records:
            if record["score"] is None:
                record["score"] = ""
        match options["format"]:
            case "json":
                self.stdout.write(json.dumps(records, indent=2, ensure_ascii=False))
            case "csv":
                writer = csv.writer(self.stdout, lineterminator="\n")
                writer.writerow(LIST_COLUMNS)
                for record in records:
                    writer.writerow(safe_row(record[column] for column in LIST_COLUMNS))
            case _:
                self._table(records)

    def _table(self, records: list[dict[str, Any]]) -> None:
        if not records:
            self.stdout.write("tidak ada angka yang dipublikasikan untuk pilihan ini")
            return
        for record in records:
            shown = record["score"] or record["category"] or record["label"]
            extra = " ".join(
                part for part in (record["category"], record["zone"], record["label"]) if part
            )
            if record["score"] and extra:
                shown = f"{shown} {extra}"
            elif not record["score"]:
                shown = extra
            whom = record["entity_name"]
            if record["parent_name"]:
                whom = f"{whom} ({record['parent_name']})"
            source = record["source_title"]
            if record["source_url"]:
                source = f"{source} <{record['source_url']}>"
            if record["source_date"]:
                source = f"{source}, {record['source_date']}"
            origin = " [koreksi admin]" if record["origin"] == "admin" else ""
            self.stdout.write(
                f"{record['program']} {record['year']}  {record['region_code'] or '-':<6} "
                f"{whom}: {shown}{origin}\n    sumber: {source} (keyakinan "
                f"{record['confidence']})"
            )
        self.stdout.write(f"{len(records)} angka")
