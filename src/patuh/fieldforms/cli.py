"""``patuh xlsform``: write the XLSForm workbooks for ODK Collect / KoboCollect.

::

    patuh xlsform skm --instrument skm-2017 --out SKM.xlsx
    patuh xlsform perception --instrument ombudsman-2023 --out PERSEPSI.xlsx
    patuh xlsform checklist --instrument ombudsman-2023 --unit-type dinkes --out DINKES.xlsx

Bad input ends with ``patuh: …`` on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from patuh.scoring.errors import ScoringError
from patuh.scoring.loader import load_instrument
from patuh.scoring.model import UNIT_TYPES

from .xlsform import FieldFormError, checklist_form, perception_form, skm_form

EXIT_BAD_INPUT = 2

_ARGPARSE_MESSAGES = (
    (r"^the following arguments are required: (.*)$", r"argumen wajib belum diisi: \1"),
    (r"^unrecognized arguments: (.*)$", r"argumen tidak dikenal: \1"),
    (r"^argument (\S+): expected one argument$", r"argumen \1 memerlukan satu nilai"),
    (
        r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$",
        r"argumen \1: pilihan \2 tidak dikenal (pilih dari \3)",
    ),
)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="tampilkan bantuan ini lalu selesai")

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, replacement in _ARGPARSE_MESSAGES:
            message = re.sub(pattern, replacement, message)
        self.print_usage(sys.stderr)
        print(f"patuh: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="patuh xlsform",
        description=(
            "Buat buku kerja XLSForm untuk pengumpulan data luring dengan ODK Collect atau "
            "KoboCollect (unggah ke ODK Central atau KoboToolbox)."
        ),
    )
    kinds = parser.add_subparsers(dest="kind", required=True, metavar="JENIS", parser_class=_Parser)
    skm = kinds.add_parser(
        "skm",
        help="kuesioner Survei Kepuasan Masyarakat (unsur U1…U9)",
        description="Kuesioner SKM: persetujuan, profil responden, U1…U9, saran.",
    )
    skm.add_argument(
        "--instrument",
        default="skm-2017",
        metavar="KODE",
        help="kode instrumen SKM (bawaan: skm-2017)",
    )
    perception = kinds.add_parser(
        "perception",
        help="survei persepsi maladministrasi pengguna layanan (OU-1…OU-5)",
        description="Survei persepsi pengguna layanan: persetujuan, profil, OU-… ya/tidak.",
    )
    perception.add_argument(
        "--instrument",
        required=True,
        metavar="KODE",
        help="kode instrumen Ombudsman, mis. ombudsman-2023",
    )
    checklist = kinds.add_parser(
        "checklist",
        help="daftar periksa kunjungan penilai untuk satu jenis unit",
        description=(
            "Daftar periksa penilai: indikator dengan pilihan rubrik, pengulangan per "
            "narasumber dan per produk layanan, foto bukti."
        ),
    )
    checklist.add_argument(
        "--instrument",
        required=True,
        metavar="KODE",
        help="kode instrumen Ombudsman, mis. ombudsman-2023",
    )
    checklist.add_argument(
        "--unit-type",
        required=True,
        metavar="JENIS_UNIT",
        help=f"jenis unit: {', '.join(UNIT_TYPES)}",
    )
    for sub in (skm, perception, checklist):
        sub.add_argument("--out", required=True, metavar="BERKAS.xlsx", help="berkas tujuan")
    return parser


def run(argv: list[str]) -> int:
    """Run ``patuh xlsform ARGV``; returns the exit status (0, or 2 for bad input)."""
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help (0) or a usage error (2, already reported)
        return int(exc.code or 0)
    out = Path(args.out)
    if out.suffix.lower() != ".xlsx":
        return _bad(f"--out: berkas tujuan harus berakhiran .xlsx, bukan '{out.name}'")
    if not out.parent.is_dir():
        return _bad(f"--out: folder '{out.parent}' tidak ada")
    try:
        instrument = load_instrument(args.instrument)
    except ScoringError as exc:
        return _bad(f"--instrument: {exc.message()}")
    try:
        if args.kind == "skm":
            workbook = skm_form(instrument)
        elif args.kind == "perception":
            workbook = perception_form(instrument)
        else:
            workbook = checklist_form(instrument, args.unit_type)
    except FieldFormError as exc:
        return _bad(str(exc))
    try:
        workbook.save(out)
    except OSError as exc:
        return _bad(f"{out}: tidak dapat ditulis ({exc.strerror})")
    print(f"XLSForm {args.kind} ({instrument.code}) ditulis ke {out}")
    return 0


def _bad(message: str) -> int:
    print(f"patuh: {message}", file=sys.stderr)
    return EXIT_BAD_INPUT


def main() -> None:  # pragma: no cover - for ``python -m patuh.fieldforms.cli``
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
