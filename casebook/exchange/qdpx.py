"""REFI-QDA import and export: the functions the CLI and ``codes.io`` call.

- ``export_qdpx``: the whole project as .qdpx (codebook, coders, cases with
  variables, texts, codings, memos as notes).
- ``import_qdpx``: a .qdpx/.qde from NVivo, ATLAS.ti, MAXQDA, QualCoder or
  casebook; codebook and users always, texts and codings unless asked not to.
- ``import_codebook_file``: the codebook and users of a .qdpx or .qdc, for
  ``casebook codebook import``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from casebook.codes.codebook import CodeSpec
from casebook.exchange.codebook_import import CodebookResult, apply_codes, apply_users, code_specs
from casebook.exchange.export import ExportSummary, export_qdpx
from casebook.exchange.project_import import SourcesResult, import_sources
from casebook.exchange.qde import QdaProject, read_qda
from casebook.store.backup import backup
from casebook.store.project import Project

__all__ = [
    "ExportSummary",
    "QdpxImport",
    "export_qdpx",
    "import_codebook_file",
    "import_qdpx",
    "read_codebook_specs",
]


@dataclass
class QdpxImport:
    path: Path
    origin: str | None
    codebook: CodebookResult
    sources: SourcesResult | None = None
    warnings: list[str] = field(default_factory=list)
    backup: Path | None = None


def read_codebook_specs(path: Path) -> list[CodeSpec]:
    """The code tree of a .qdpx/.qdc as CodeSpecs (what ``codes.io.read_codebook`` returns)."""
    return code_specs(read_qda(Path(path)).codes)


def _codebook(project: Project, qda: QdaProject, path: Path) -> CodebookResult:
    result = CodebookResult()
    apply_users(project, qda.users, result)
    apply_codes(project, qda, result)
    project.audit(
        "import",
        "codebook",
        None,
        after={"file": path.name, "format": f"refi-qda {qda.kind}", **result.counts()},
    )
    return result


def import_codebook_file(project: Project, path: Path) -> dict[str, int]:
    """Codes and users of a .qdpx, .qde or .qdc; counts like ``codes.io.import_codebook``."""
    path = Path(path)
    qda = read_qda(path)
    with project.transaction():
        result = _codebook(project, qda, path)
    return result.counts()


def import_qdpx(
    project: Project, path: Path, *, codebook_only: bool = False, default_case: str | None = None
) -> QdpxImport:
    """Import a REFI-QDA file in one transaction; returns what came in and what did not."""
    path = Path(path)
    qda = read_qda(path)
    saved = None
    if not codebook_only and qda.sources and project.scalar("SELECT count(*) FROM documents"):
        saved = backup(project, "qdpx-import")
    with project.transaction():
        book = _codebook(project, qda, path)
        outcome = QdpxImport(
            path, qda.origin, book, warnings=list(qda.warnings) + book.warnings, backup=saved
        )
        if qda.kind == "project" and not codebook_only:
            case = default_case or qda.name or path.stem
            outcome.sources = import_sources(project, qda, book, default_case=case)
            outcome.warnings += outcome.sources.warnings
        elif qda.kind == "project" and qda.sources:
            outcome.warnings.append(f"{len(qda.sources)} sources not imported (codebook only)")
    return outcome
