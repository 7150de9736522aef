"""The lock files every install uses (``make run``, ``make test``, CI, the Docker image) agree
with pyproject.toml: every pinned requirement at its pin, every package with its hashes, the
runtime lock without test tools and both locks on the same version of what they share."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNTIME = ROOT / "requirements.lock"
DEV = ROOT / "requirements-dev.lock"
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        match = PIN.match(requirement)
        assert match, f"pyproject.toml: {requirement!r} is not pinned with =="
        found[canonical(match[1])] = match[2]
    return found


def locked(path: Path) -> dict[str, str]:
    """``{package: version}`` of a pip-compile lock file, each entry checked for hashes."""
    versions: dict[str, str] = {}
    name = None
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonical(match[1])
            versions[name] = match[2]
            assert line.rstrip().endswith("\\"), f"{path.name}: {name} has no --hash"
        elif "--hash=sha256:" in line:
            assert name, f"{path.name}: a hash before any package"
    return versions


@pytest.fixture(scope="module")
def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_runtime_lock_pins_every_runtime_and_s3_requirement_at_its_pin(project):
    runtime = locked(RUNTIME)
    wanted = pins(project["dependencies"]) | pins(project["optional-dependencies"]["s3"])
    for name, version in wanted.items():
        assert runtime.get(name) == version, f"requirements.lock: {name} is not =={version}"


TOOLS = {"pytest", "pytest-django", "pytest-playwright", "playwright", "ruff", "hypothesis"}
TOOLS |= {"moto", "schemathesis", "pyxform"}


def test_the_runtime_lock_holds_no_test_or_lint_tool(project):
    assert set(pins(project["optional-dependencies"]["dev"])) >= TOOLS
    assert sorted(TOOLS & set(locked(RUNTIME))) == []


def test_the_development_lock_pins_everything_the_runtime_lock_does_and_the_tools(project):
    runtime, dev = locked(RUNTIME), locked(DEV)
    for name, version in runtime.items():
        assert dev.get(name) == version, f"requirements-dev.lock: {name} differs from runtime"
    for name, version in pins(project["optional-dependencies"]["dev"]).items():
        assert dev.get(name) == version, f"requirements-dev.lock: {name} is not =={version}"


def test_every_install_uses_the_lock_files():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in makefile
    assert "--require-hashes -r requirements-dev.lock" in makefile
    assert re.search(r"^run: \$\(RUN_STAMP\)", makefile, re.M), "make run: runtime lock only"
    assert re.search(r"^test: \$\(STAMP\)", makefile, re.M)
    assert "pip install --quiet -e '.[" not in makefile, "an install that resolves again"
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements.lock" in dockerfile
    assert "pip install --no-deps ." in dockerfile
