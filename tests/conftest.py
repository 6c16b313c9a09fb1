from __future__ import annotations

from pathlib import Path

import pytest

from casebook.codes.io import import_codebook
from casebook.core.documents import DocumentMeta, import_file
from casebook.store.project import Project, open_project

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXTERNAL = REPO.parent / "shared" / "external"

TRANSCRIPT = (
    "Interviewer: Hoe loopt de samenwerking met het ROC?\n"
    "Marieke (ROC Maasdelta): Eerlijk gezegd kost het veel tijd. De docenten hebben geen ruimte.\n"
    "We plannen nu een vaste middag in het rooster.\n"
    "Interviewer: En de visie van de regio?\n"
    "Marieke (ROC Maasdelta): Die is helder. Iedereen weet waar we naartoe willen.\n"
)


@pytest.fixture(autouse=True)
def _isolated_config(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never read or write the developer's own casebook settings."""
    monkeypatch.setenv("CASEBOOK_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
    monkeypatch.delenv("CASEBOOK_PROJECT", raising=False)
    monkeypatch.delenv("CASEBOOK_CODER", raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    p = open_project(tmp_path / "project.db", coder="tester")
    yield p
    p.close()


@pytest.fixture
def coded_project(project: Project, tmp_path: Path) -> tuple[Project, str]:
    """A project with the small codebook and one imported transcript."""
    import_codebook(project, FIXTURES / "small-codebook.yaml")
    path = tmp_path / "lindeveen-mbo.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    outcome = import_file(project, path, DocumentMeta(case="Lindeveen", role="mbo", round="2022"))
    return project, outcome.document_id


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project, built once per test run; tests work on copies (see ``demo``)."""
    from casebook.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "casebook.db"
    build_demo(path)
    return path


@pytest.fixture
def demo(demo_db: Path, tmp_path: Path) -> Project:
    """A private copy of the demo: exports may scan persons, tests may write."""
    import shutil

    copy = tmp_path / "project" / "casebook.db"
    copy.parent.mkdir()
    shutil.copy(demo_db, copy)
    p = open_project(copy, create=False, coder="tester")
    yield p
    p.close()
