"""The deployment checks (deploy/check.py), the container scheduler (deploy/scheduler.py) and
health check (deploy/healthcheck.py) are scripts, not part of the patuh package; the tests load
them from their files."""

import importlib.util
import sys
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"deploy_{name}", DEPLOY / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being created
    spec.loader.exec_module(module)
    return module


check = load("check")
scheduler = load("scheduler")
healthcheck = load("healthcheck")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} is not in {path.name}"
    path.write_text(text.replace(old, new))
