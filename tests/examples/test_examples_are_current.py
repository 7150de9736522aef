"""examples/ is generated from the seed stories: regenerating it must change nothing, so the
examples, the demo database and the documentation always tell the same numbers."""

import json
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def regenerated(tmp_path, monkeypatch):
    module = runpy.run_path(str(ROOT / "scripts" / "make_examples.py"), run_name="examples")
    monkeypatch.setitem(module["main"].__globals__, "EXAMPLES", tmp_path)
    module["main"]()
    return tmp_path


def test_the_committed_json_examples_equal_a_fresh_generation(regenerated):
    committed = sorted(p.name for p in (ROOT / "examples").glob("*.json"))
    assert committed == sorted(p.name for p in regenerated.glob("*.json"))
    for name in committed:
        fresh = json.loads((regenerated / name).read_text(encoding="utf-8"))
        assert json.loads((ROOT / "examples" / name).read_text(encoding="utf-8")) == fresh, name


def test_every_example_is_labelled_synthetic():
    for path in (ROOT / "examples").glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert data["synthetic"] is True
        assert "sintetis" in data["note"].lower()
