import shutil
from pathlib import Path

import pytest
from deploy_scripts import DEPLOY


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of the deployment files with stand-ins for what the Dockerfile copies."""
    shutil.copytree(DEPLOY, tmp_path / "deploy", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(DEPLOY.parent / ".dockerignore", tmp_path / ".dockerignore")
    for name in ("pyproject.toml", "README.md", "LICENSE", "requirements.lock"):
        (tmp_path / name).write_text("")
    (tmp_path / "src").mkdir()
    return tmp_path
