"""Coder packs: a subset of documents plus the whole codebook, sent to one coder.

A pack is an ordinary project file, so the coder opens it with casebook as
usual; getting it back is a merge, which brings in their codings and memos
and never touches anything else.
"""

from __future__ import annotations

from pathlib import Path

from casebook.errors import InvalidInput, ProjectError
from casebook.store.permissions import make_private, private_umask
from casebook.store.project import Project, connect, open_project
from casebook.team.merge import MergeReport, merge_project


def export_coder_pack(
    project: Project, out: Path, document_ids: list[str], *, coder: str | None = None
) -> int:
    if out.exists():
        raise ProjectError(f"{out}: already exists; choose a new file name for the pack")
    if not document_ids:
        raise InvalidInput("a coder pack needs at least one document (--document or --case)")
    with private_umask():  # a pack holds transcripts: owner-only like the project
        dest = connect(out, create=True)
        try:
            project.conn.backup(dest)
        finally:
            dest.close()
    make_private(out, sidecars=True)
    pack = open_project(out, create=False)
    try:
        keep = set(document_ids)
        with pack.transaction():
            drop = [r["id"] for r in pack.query("SELECT id FROM documents") if r["id"] not in keep]
            for doc_id in drop:
                pack.conn.execute("DELETE FROM segments_fts WHERE document_id = ?", (doc_id,))
                pack.conn.execute(
                    "DELETE FROM memos WHERE target_kind = 'coding' AND target_id IN "
                    "(SELECT id FROM codings WHERE document_id = ?)",
                    (doc_id,),
                )
                pack.conn.execute(
                    "DELETE FROM memos WHERE target_kind = 'document' AND target_id = ?", (doc_id,)
                )
                pack.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
            pack.set_meta("coder_pack", "1")
            if coder:
                pack.set_meta("coder_pack_for", coder)
            pack.audit("export", "coder_pack", None, after={"documents": sorted(keep)})
        n = pack.scalar("SELECT count(*) FROM documents")
    finally:
        pack.close()
    vacuum = connect(out)
    try:
        vacuum.execute("VACUUM")
    finally:
        vacuum.close()
    return n


def import_coder_pack(project: Project, pack: Path, *, dry_run: bool = False) -> MergeReport:
    return merge_project(project, pack, dry_run=dry_run)
