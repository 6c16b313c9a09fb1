from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:  # `pytest` (not `python -m pytest`) does not put the repo on the path
    sys.path.insert(0, str(REPO))

from tests.tui.fixtures import CODER, build_project  # noqa: E402


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """Two cases, one transcript each, and the small codebook."""
    return build_project(
        tmp_path / "p",
        words=700,
        documents=(("Lindeveen", "mbo", "2022"), ("Maasdelta", "vmbo", "2023")),
    )


@pytest.fixture
def make(project_path: Path):
    from casebook.tui.app import make_app

    def factory(coder: str = CODER):
        return make_app(project_path, coder)

    return factory
