"""The scoring core is plain Python: it must run without Django installed or imported."""

import ast
import subprocess
import sys
from pathlib import Path

import patuh.scoring

SCORING_DIR = Path(patuh.scoring.__file__).parent


def test_no_module_in_the_scoring_core_imports_django():
    offenders = []
    for path in SCORING_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_scoring_a_government_leaves_django_unimported():
    code = (
        "import sys\n"
        "from patuh.scoring import load_instrument, score_government\n"
        "from patuh.scoring import GovernmentAnswers, UnitAnswers\n"
        "from patuh.scoring import answer_files, instrument_excel, skm, pekppp\n"
        "inst = load_instrument('ombudsman-2023')\n"
        "unit = UnitAnswers('U', 'Unit', 'dinkes', {'IN-K1': [3, 2]})\n"
        "score_government(inst, GovernmentAnswers('G', 'G', 'kota', [unit]))\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
