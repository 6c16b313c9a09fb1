"""Choosing codes for a matrix axis: a list, a branch (``BEL.*``) or a level of the tree.

A chosen code "with children" counts the codings of its whole subtree, so a
coding of ``BEL.TIJD.RUIMTE`` counts for ``BEL`` and for ``BEL.TIJD``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from casebook.codes.codebook import resolve_code
from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project


@dataclass
class CodeColumn:
    key: str  # the chosen code's id
    label: str  # its path (the code id a user types: BEL.TIJD)
    code_ids: list[str] = field(default_factory=list)  # codes whose codings count here
    title: str = ""  # what a reader sees: the code's label (see ``reader_titles``)

    def text(self, ids: bool = False) -> str:
        """The header a deliverable prints: the label, or the path when ``ids`` asks for it."""
        return self.label if ids or not self.title else self.title


def _subtrees(tree: list[dict]) -> dict[str, list[str]]:
    """Every code's id with the ids of its whole subtree, from one read of the tree."""
    kids: dict[str | None, list[str]] = {}
    for c in tree:
        kids.setdefault(c["parent_id"], []).append(c["id"])
    out: dict[str, list[str]] = {}

    def walk(cid: str) -> list[str]:
        if cid not in out:
            ids = [cid]
            for k in kids.get(cid, []):
                ids += walk(k)
            out[cid] = ids
        return out[cid]

    for c in tree:
        walk(c["id"])
    return out


def _tree(project: Project) -> list[dict]:
    """Codes in tree order with their depth (without the coding counts ``code_tree`` adds)."""
    codes = project.query("SELECT id, parent_id, path, name, label, sort_order FROM codes")
    kids: dict[str | None, list[dict]] = {}
    for c in codes:
        kids.setdefault(c["parent_id"], []).append(c)
    out: list[dict] = []

    def walk(parent: str | None, depth: int) -> None:
        for c in sorted(kids.get(parent, []), key=lambda c: (c["sort_order"], c["path"])):
            out.append({**c, "depth": depth})
            walk(c["id"], depth + 1)

    walk(None, 0)
    return out


def code_columns(
    project: Project,
    refs: Sequence[str] | None = None,
    *,
    level: int | None = None,
    children: bool = True,
) -> list[CodeColumn]:
    """Columns for the chosen codes, in the order given (refs) or tree order (level / all).

    ``refs`` items may be a code (path, label, name), ``X.*`` for the codes
    directly under X, or ``*`` for the top level.
    """
    tree = _tree(project)
    if not tree:
        raise NotFound("the codebook is empty; add codes with `casebook codebook import` first")
    subtree = _subtrees(tree)
    by_id = {c["id"]: c for c in tree}
    chosen: list[str] = []
    if refs:
        for ref in refs:
            ref = ref.strip()
            if not ref:
                continue
            if ref == "*":
                chosen += [c["id"] for c in tree if c["parent_id"] is None]
            elif ref.endswith(".*"):
                parent = resolve_code(project, ref[:-2])
                kids = [c["id"] for c in tree if c["parent_id"] == parent["id"]]
                if not kids:
                    raise InvalidInput(f"{parent['path']} has no child codes; drop the '.*'")
                chosen += kids
            else:
                chosen.append(resolve_code(project, ref)["id"])
    elif level is not None:
        if level < 1:
            raise InvalidInput("--level counts from 1 (the top level of the codebook)")
        chosen = [c["id"] for c in tree if c["depth"] == level - 1]
        if not chosen:
            deepest = max(c["depth"] for c in tree) + 1
            raise InvalidInput(f"the codebook has no level {level}; it is {deepest} levels deep")
    else:
        chosen = [c["id"] for c in tree]
    seen: set[str] = set()
    out: list[CodeColumn] = []
    for cid in chosen:
        if cid in seen:
            continue
        seen.add(cid)
        ids = subtree[cid] if children else [cid]
        out.append(CodeColumn(cid, by_id[cid]["path"], list(ids)))
    if not out:
        raise InvalidInput("no codes chosen")
    reader_titles(out, by_id)
    return out


def reader_titles(columns: list[CodeColumn], by_id: dict[str, dict]) -> None:
    """Give each column the code's own label; where two columns would read the same, the path of labels.

    Readers of a deliverable know "Tijd", not ``BEL.TIJD``. A label alone is
    short enough for a table header; only when it is ambiguous within the
    table ("Overig" under two parents) does the column spell out its parents.
    """

    def own(cid: str) -> str:
        c = by_id[cid]
        return (c.get("label") or c.get("name") or c["path"]).strip()

    def label_path(cid: str) -> str:
        names: list[str] = []
        at: str | None = cid
        while at is not None and at in by_id:
            names.append(own(at))
            at = by_id[at]["parent_id"]
        return " / ".join(reversed(names))

    counts: dict[str, int] = {}
    for col in columns:
        counts[own(col.key).lower()] = counts.get(own(col.key).lower(), 0) + 1
    for col in columns:
        col.title = own(col.key) if counts[own(col.key).lower()] == 1 else label_path(col.key)
