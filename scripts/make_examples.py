"""Regenerate examples/ from the seed stories (synthetic answers, deterministic).

The stories are calibrated as in the demo: the official examples land on the category and
within half a point of the score the Ombudsman published for that government and year.

.venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

import json
from pathlib import Path

from patuh.demo.stories import (
    LABUHANBATU_2022,
    LANGKAT_2023,
    calibrated,
    published_figures,
    synthetic_government_answers,
)
from patuh.scoring import GovernmentAnswers, UnitAnswers, load_instrument
from patuh.scoring.answer_files import AnswersFile, answers_to_mapping, write_answers_xlsx
from patuh.scoring.numbers import format_score
from patuh.scoring.published import published_for

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    EXAMPLES.mkdir(exist_ok=True)
    for story, kind, stem in (
        (LABUHANBATU_2022, "official", "labuhanbatu-2022"),
        (LANGKAT_2023, "official", "langkat-2023"),
        (LANGKAT_2023, "self", "langkat-2023-self-assessment"),
    ):
        story = calibrated(story)
        instrument = load_instrument(story.instrument_code)
        government = synthetic_government_answers(story, instrument, kind=kind)
        figure = published_for(published_figures(), story.government_code, story.year)
        published = (
            f" Hasil yang dipublikasikan Ombudsman: {format_score(figure.score)} "
            f"kategori {figure.category}; jawaban penilaian Ombudsman disesuaikan agar "
            "mendekatinya."
            if figure is not None and figure.score is not None
            else ""
        )
        answers = AnswersFile(
            instrument.code,
            government,
            note=f"{story.label}. {story.government_name} {story.year}, "
            f"{'penilaian mandiri' if kind == 'self' else 'penilaian Ombudsman'}; "
            f"jawaban dibuat dari kisah contoh untuk demonstrasi.{published}",
        )
        data = answers_to_mapping(answers)
        data["synthetic"] = True
        (EXAMPLES / f"{stem}.json").write_text(
            json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        write_answers_xlsx(answers, instrument, EXAMPLES / f"{stem}.xlsx")
        print(f"examples/{stem}.json, examples/{stem}.xlsx")
    write_opini_2025()
    write_pekppp_2024()


OPINI_2025_UNITS = (
    ("dinsos", "Dinas Sosial", "dinsos"),
    ("disdik", "Dinas Pendidikan", "disdik"),
    ("rsud", "RSUD Dr. H. Chasan Boesoirie", "rsud"),
)


def write_opini_2025() -> None:
    """A 2025 (Perom 61/2025) answers file with government-level answers: the units'
    Input, Proses and Pengaduan, the secondary-data Output with each value's year and
    source, the public-trust survey and the graded compliance. Its answers follow a fixed
    pattern (no randomness), chosen so the result is a "Kualitas Sedang Tanpa
    Maladministrasi" opinion, as Pemprov Maluku Utara's published 2025 result."""
    instrument = load_instrument("opini-2025")
    pattern = (3, 2, 2, 1, 3, 2, 1, 2)
    units = []
    for offset, (code, name, unit_type) in enumerate(OPINI_2025_UNITS):
        answers: dict[str, object] = {}
        for position, indicator in enumerate(instrument.indicators.values()):
            if not indicator.applies_to_unit_type(unit_type):
                continue
            level = pattern[(position + offset) % len(pattern)]
            if indicator.answered_per == "respondent":
                count = 2 if indicator.respondents == "complaint_officials" else 4
                answers[indicator.code] = [
                    pattern[(position + offset + k) % len(pattern)] for k in range(count)
                ]
            else:
                answers[indicator.code] = level
        units.append(UnitAnswers(code, name, unit_type, answers))
    government = GovernmentAnswers(
        "82",
        "Provinsi Maluku Utara",
        "provinsi",
        tuple(units),
        synthetic=True,
        answers={
            "OU-IPP": {"value": 3.62, "year": 2024, "source": "KemenPAN-RB, PEKPPP 2024"},
            "OU-IPM": {"value": 70.98, "year": 2024, "source": "BPS"},
            "OU-SPM": {"value": 68.4, "year": 2024, "source": "Kemendagri"},
            "OU-RPJMD": {"value": 61.5, "year": 2024, "source": "Bappenas"},
            "KM-IKM": {"value": 68.2, "year": 2025},
            "KP": "tinggi",
        },
    )
    answers_file = AnswersFile(
        instrument.code,
        government,
        note="Data sintetis — bukan hasil penilaian resmi. Provinsi Maluku Utara 2025, "
        "Penilaian Maladministrasi (Perom 61/2025) dengan jawaban tingkat pemerintah: Output "
        "dari data sekunder (nilai, tahun, sumber), Survei Kepercayaan Masyarakat dan tingkat "
        "kepatuhan terhadap produk Ombudsman. Angka dibuat untuk demonstrasi; hasil yang "
        "dipublikasikan Ombudsman: 65.98 Kualitas Sedang Tanpa Maladministrasi.",
    )
    data = answers_to_mapping(answers_file)
    data["synthetic"] = True
    (EXAMPLES / "maluku-utara-2025.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    write_answers_xlsx(answers_file, instrument, EXAMPLES / "maluku-utara-2025.xlsx")
    print("examples/maluku-utara-2025.json, examples/maluku-utara-2025.xlsx")


PEKPPP_2024_UNITS = (
    ("DINSOS", "Dinas Sosial", "dinsos"),
    ("RSUD", "RSUD Tanjung Pura", "rsud"),
    ("DISDUKCAPIL", "Disdukcapil", "disdukcapil"),
)


def write_pekppp_2024() -> None:
    """A PEKPPP 2024 answers file: the three pemda units of 2024 (goods, services,
    administrative), their F-02 answers (INF-01 included, not counted) and 12 F-03
    respondents each. The answers follow a fixed pattern (no randomness); they are not the
    result of any evaluation. JSON only: the XLSX form has no place for the F-03 survey."""
    instrument = load_instrument("pekppp-2024")
    survey = instrument.user_survey
    assert survey is not None
    pattern = (5, 4, 5, 3, 4, 5, 4, 2, 5, 4, 3)
    units = []
    for offset, (code, name, unit_type) in enumerate(PEKPPP_2024_UNITS):
        answers = {
            indicator.code: pattern[(position + offset) % len(pattern)]
            for position, indicator in enumerate(instrument.indicators.values())
        }
        respondents = tuple(
            {
                item.code: pattern[(item.position + respondent + 2 * offset) % len(pattern)]
                for item in survey.items
            }
            for respondent in range(12)
        )
        units.append(UnitAnswers(code, name, unit_type, answers, survey=respondents))
    government = GovernmentAnswers(
        "12.05", "Kabupaten Langkat", "kabupaten", tuple(units), synthetic=True
    )
    answers_file = AnswersFile(
        instrument.code,
        government,
        note="Data sintetis — bukan hasil PEKPPP resmi. Kabupaten Langkat 2024, evaluasi "
        "KemenPAN-RB (PEKPPP) atas Dinas Sosial, RSUD dan Disdukcapil: jawaban evaluator F-02 "
        "(30 indikator dan INF-01 yang tidak dihitung) dan 12 responden F-03 per unit, dibuat "
        "dengan pola tetap untuk demonstrasi.",
    )
    data = answers_to_mapping(answers_file)
    data["synthetic"] = True
    (EXAMPLES / "pekppp-2024-langkat.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print("examples/pekppp-2024-langkat.json")


if __name__ == "__main__":
    main()
