"""Regenerate examples/ from the seed stories (synthetic answers, deterministic).

.venv/bin/python scripts/make_examples.py
"""

from __future__ import annotations

import json
from pathlib import Path

from patuh.demo.stories import LABUHANBATU_2022, LANGKAT_2023, synthetic_government_answers
from patuh.scoring import load_instrument
from patuh.scoring.answer_files import AnswersFile, answers_to_mapping, write_answers_xlsx

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def main() -> None:
    EXAMPLES.mkdir(exist_ok=True)
    for story, kind, stem in (
        (LABUHANBATU_2022, "official", "labuhanbatu-2022"),
        (LANGKAT_2023, "official", "langkat-2023"),
        (LANGKAT_2023, "self", "langkat-2023-self-assessment"),
    ):
        instrument = load_instrument(story.instrument_code)
        government = synthetic_government_answers(story, instrument, kind=kind)
        answers = AnswersFile(
            instrument.code,
            government,
            note=f"{story.label}. {story.government_name} {story.year}, "
            f"{'penilaian mandiri' if kind == 'self' else 'penilaian Ombudsman'}; "
            "jawaban dibuat dari kisah contoh untuk demonstrasi.",
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
