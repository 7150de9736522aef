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
from patuh.scoring import load_instrument
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


if __name__ == "__main__":
    main()
