"""Building the demo project from the bundled corpus.

The corpus lives in the repository's ``corpus/`` folder (fictional Dutch
material written for casebook). ``casebook demo`` rebuilds a fresh project
from it: codebook, cases with attributes, every document in the manifest and
the two demo coders' codings.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casebook.codes.io import import_codebook
from casebook.core import cases as cases_mod
from casebook.core.codings import code_quote
from casebook.core.documents import import_batch
from casebook.errors import ProjectError
from casebook.manifest import read_manifest
from casebook.partners import registry
from casebook.store.backup import backup
from casebook.store.project import Project, autocommit, connect, open_project, project_files
from casebook.synthesis.framework import create_framework, edit_cell

REPO_ROOT = Path(__file__).resolve().parents[1]


def corpus_dir() -> Path:
    for candidate in (
        os.environ.get("CASEBOOK_CORPUS"),
        REPO_ROOT / "corpus",
        Path.cwd() / "corpus",
    ):
        if candidate and (Path(candidate) / "manifest.csv").exists():
            return Path(candidate)
    raise ProjectError(
        "the demo corpus was not found; run casebook from its source folder "
        "(pip install -e .) or set CASEBOOK_CORPUS to the corpus folder"
    )


def codebook_file() -> Path:
    for candidate in (
        REPO_ROOT / "codebooks" / "sto.yaml",
        corpus_dir().parent / "codebooks" / "sto.yaml",
    ):
        if candidate.exists():
            return candidate
    raise ProjectError("codebooks/sto.yaml was not found next to the corpus")


@dataclass
class DemoSummary:
    path: Path
    cases: int = 0
    documents: int = 0
    failed: list[str] = field(default_factory=list)
    codes: int = 0
    codings: dict[str, int] = field(default_factory=dict)
    partners: int = 0
    frameworks: int = 0
    backup: Path | None = None


BUILT_MARK = "demo_built_seq"  # meta key: the audit log's last entry when the demo was built


def build_demo(
    target: Path,
    *,
    coder: str = "demo",
    force: bool = False,
    on_step: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Create the demo project at ``target``, or rebuild an untouched one.

    A demo project with work in it since it was built (anything in the audit
    log after the build) is refused unless ``force``, which takes a backup
    first. A rebuild is made in a scratch file and copied over the old one with
    SQLite's backup API, so a workbench that still has it open sees the new
    content instead of losing its files (docs/decisions.md).
    """
    step = on_step or (lambda _msg: None)
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        return _build(target, coder, step)
    existing = open_project(target, create=False)
    try:
        if existing.get_meta("demo") != "1":
            raise ProjectError(f"{target}: exists and is not a demo project; choose another --dir")
        changes = demo_changes(existing)
        backup_path = None
        changed = changes is None or changes > 0
        if changed and not force:
            what = (
                "changes" if changes is None else f"{changes} change{'s' if changes != 1 else ''}"
            )
            raise ProjectError(
                f"{target}: the demo project has {what} since it was built; reopen it with "
                f"`casebook --project {target}`, or rebuild it with `casebook demo --force` "
                "(a backup is taken first)"
            )
        if changed:
            backup_path = backup(existing, "before-demo-rebuild")
            step(f"backup {backup_path}")
        scratch = target.with_name(f".{target.name}.rebuild")
        for f in project_files(scratch):
            f.unlink(missing_ok=True)
        try:
            summary = _build(scratch, coder, step)
            source = connect(scratch)
            try:
                with autocommit(existing.conn):
                    source.backup(existing.conn)
            finally:
                source.close()
        finally:
            for f in project_files(scratch):
                f.unlink(missing_ok=True)
        summary.path = target
        summary.backup = backup_path
        return summary
    finally:
        existing.close()


def demo_changes(project: Project) -> int | None:
    """How many audited actions happened in the demo project since it was built.

    None when it cannot be told (a demo built before the mark existed): treated as changed.
    """
    mark = project.get_meta(BUILT_MARK)
    if mark is None:
        return None
    return int(project.scalar("SELECT count(*) FROM audit_log WHERE seq > ?", (int(mark),)) or 0)


def _build(target: Path, coder: str, step: Callable[[str], None]) -> DemoSummary:
    corpus = corpus_dir()
    project = open_project(target, coder=coder)
    try:
        with project.transaction():
            project.set_meta("demo", "1")
            project.set_meta("name", "STO demo")
        summary = DemoSummary(target)
        step("codebook")
        import_codebook(project, codebook_file())
        if (corpus / "cases.csv").exists():
            step("cases")
            cases_mod.import_cases_csv(project, corpus / "cases.csv")
            if (corpus / "attributes.csv").exists():
                cases_mod.import_attribute_definitions(project, corpus / "attributes.csv")
        step("documents")
        outcomes = import_batch(project, read_manifest(corpus / "manifest.csv"))
        summary.failed = [f"{o.path}: {o.message}" for o in outcomes if o.status == "failed"]
        if (corpus / "codings.csv").exists():
            step("codings")
            _apply_codings(project, corpus / "codings.csv", code_quote)
        partners = _import_partners(project, corpus)
        summary.partners = partners
        if (corpus / "frameworks.yaml").exists():
            step("framework matrix")
            summary.frameworks = _build_frameworks(project, corpus / "frameworks.yaml")
        summary.cases = project.scalar("SELECT count(*) FROM cases")
        summary.documents = project.scalar("SELECT count(*) FROM documents")
        summary.codes = project.scalar("SELECT count(*) FROM codes")
        summary.codings = {
            r["name"]: r["n"]
            for r in project.query(
                "SELECT o.name, count(*) AS n FROM codings k JOIN coders o ON o.id = k.coder_id GROUP BY o.name"
            )
        }
        with project.transaction():
            last = project.scalar("SELECT coalesce(max(seq), 0) FROM audit_log") or 0
            project.set_meta(BUILT_MARK, str(last))
        return summary
    finally:
        project.close()


def _apply_codings(project: Project, path: Path, code_quote: Callable[..., str]) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_file = {
        r["source_name"]: r["id"] for r in project.query("SELECT id, source_name FROM documents")
    }
    with project.transaction():
        for row in rows:
            doc_id = by_file.get(Path(row["file"]).name)
            if doc_id is None:
                continue
            occurrence = int(row["occurrence"]) if row.get("occurrence") else None
            code_quote(
                project,
                doc_id,
                row["code"],
                row["quote"],
                occurrence=occurrence,
                coder=row.get("coder") or None,
                memo=row.get("memo") or None,
            )


def _build_frameworks(project: Project, path: Path) -> int:
    """Framework matrices with a few summarised cells, from the corpus's frameworks.yaml."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    made = 0
    for spec in data.get("frameworks", []):
        fw_id = create_framework(
            project, spec["name"], spec["themes"], description=spec.get("description")
        )
        for cell in spec.get("cells", []):
            edit_cell(
                project,
                fw_id,
                cell["case"],
                cell["theme"],
                summary=" ".join(str(cell["summary"]).split()),
            )
        made += 1
    return made


def _import_partners(project: Project, corpus: Path) -> int:
    """The corpus's partner lists, through the partner registry."""
    total = 0
    for csv_file in sorted((corpus / "partners").glob("*.csv")):
        total += registry.import_partners_csv(project, csv_file)
    return total
