"""The codebook: a tree of codes addressed by dotted paths.

A code's ``name`` is one path segment (``TIJD``); its ``path`` joins the
names from the root (``BEL.TIJD``). Users may also address a code by its
labels joined with ``/`` (``Belemmerende factoren/Tijd``), by a unique bare
name, or by a unique label. Renaming and moving rewrite the paths of the
whole subtree in one transaction; codings point at ids and so never move.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from casebook.errors import Ambiguous, CodebookError, InvalidInput, NotFound
from casebook.store.backup import backup
from casebook.store.project import Project, new_id, now

NAME_RE = re.compile(r"^[A-Za-z0-9_\-]+$")
FIELDS = (
    "label",
    "definition",
    "when_to_use",
    "when_not_to_use",
    "example",
    "colour",
    "shortcut",
    "valence",
)
VALENCES = ("positive", "negative")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass
class CodeSpec:
    name: str
    label: str | None = None
    definition: str | None = None
    when_to_use: str | None = None
    when_not_to_use: str | None = None
    example: str | None = None
    colour: str | None = None
    shortcut: str | None = None
    valence: str | None = None
    children: list[CodeSpec] = field(default_factory=list)
    # issue 14: collaboration role (casebook.codes.collaboration); None = not said here
    collaboration: str | None = None
    partner_types: str | None = None


def check_name(name: str) -> str:
    name = name.strip()
    if not name or not NAME_RE.match(name):
        raise InvalidInput(
            f"code name '{name}' is not valid; use letters, digits, '_' or '-' (no dots or spaces)"
        )
    return name


def name_from_text(text: str) -> str:
    """A code name made from free text (for in-vivo coding)."""
    words = re.findall(r"[A-Za-zÀ-ÿ0-9]+", text)

    raw = "_".join(words[:6]).upper() or "INVIVO"
    raw = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    return raw[:40] or "INVIVO"


def _check_fields(values: dict[str, Any]) -> dict[str, Any]:
    colour = values.get("colour")
    if colour and not COLOUR_RE.match(str(colour)):
        raise InvalidInput(f"colour '{colour}' is not #rrggbb")
    shortcut = values.get("shortcut")
    if shortcut is not None:
        shortcut = str(shortcut)
        if len(shortcut) != 1 or shortcut.isspace():
            raise InvalidInput(f"shortcut '{shortcut}' must be a single key")
        values["shortcut"] = shortcut
    valence = values.get("valence")
    if valence:
        valence = str(valence).strip().lower()
        if valence not in VALENCES:
            raise InvalidInput(f"valence '{valence}' is not one of: {', '.join(VALENCES)}")
        values["valence"] = valence
    return values


# --- reading ------------------------------------------------------------------


def all_codes(project: Project) -> list[dict[str, Any]]:
    return project.query("SELECT * FROM codes ORDER BY path")


def resolve_code(project: Project, ref: str) -> dict[str, Any]:
    # rapidfuzz is a compiled library; --help does not load it
    from rapidfuzz import process

    ref = ref.strip()
    if not ref:
        raise InvalidInput("no code given")
    row = project.query_one("SELECT * FROM codes WHERE id = ? OR path = ?", (ref, ref))
    if row:
        return row
    codes = all_codes(project)
    if "/" in ref:
        by_label = _label_paths(codes)
        key = "/".join(p.strip().lower() for p in ref.split("/"))
        hits = [c for c in codes if by_label[c["id"]].lower() == key]
        if not hits:
            hits = [c for c in codes if by_label[c["id"]].lower().endswith("/" + key)]
    else:
        low = ref.lower()
        hits = [c for c in codes if c["name"].lower() == low]
        if not hits:
            hits = [c for c in codes if (c["label"] or "").lower() == low]
        if not hits:
            hits = [c for c in codes if c["path"].lower().endswith("." + low)]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise Ambiguous(
            f"code '{ref}' matches {', '.join(h['path'] for h in hits[:6])}; give the full path"
        )

    choices = {c["id"]: f"{c['path']} {c['label'] or ''}" for c in codes}
    near = process.extract(ref, choices, limit=3, score_cutoff=60)
    hint = (
        f"; did you mean {', '.join(choices[k].split()[0] for _v, _s, k in near)}?" if near else ""
    )
    raise NotFound(f"no code '{ref}' in the codebook{hint}")


def _label_paths(codes: list[dict[str, Any]]) -> dict[str, str]:
    by_id = {c["id"]: c for c in codes}
    out: dict[str, str] = {}

    def label_path(cid: str) -> str:
        if cid in out:
            return out[cid]
        c = by_id[cid]
        own = c["label"] or c["name"]
        result = own if not c["parent_id"] else f"{label_path(c['parent_id'])}/{own}"
        out[cid] = result
        return result

    for c in codes:
        label_path(c["id"])
    return out


def descendants(project: Project, code_id: str) -> list[str]:
    """The code itself and every code below it."""
    rows = project.query(
        """
        WITH RECURSIVE sub(id) AS (
            SELECT ? UNION ALL SELECT c.id FROM codes c JOIN sub ON c.parent_id = sub.id
        ) SELECT id FROM sub
        """,
        (code_id,),
    )
    return [r["id"] for r in rows]


def code_tree(project: Project, document_id: str | None = None) -> list[dict[str, Any]]:
    """Codes in tree order with depth and coding counts (all, this document)."""
    codes = all_codes(project)
    counts = {
        r["code_id"]: r["n"]
        for r in project.query("SELECT code_id, count(*) AS n FROM codings GROUP BY code_id")
    }
    doc_counts: dict[str, int] = {}
    if document_id:
        doc_counts = {
            r["code_id"]: r["n"]
            for r in project.query(
                "SELECT code_id, count(*) AS n FROM codings WHERE document_id = ? GROUP BY code_id",
                (document_id,),
            )
        }
    children: dict[str | None, list[dict[str, Any]]] = {}
    for c in codes:
        children.setdefault(c["parent_id"], []).append(c)
    for kids in children.values():
        kids.sort(key=lambda c: (c["sort_order"], c["path"]))
    out: list[dict[str, Any]] = []

    def walk(parent: str | None, depth: int) -> None:
        for c in children.get(parent, []):
            c = dict(c)
            c["depth"] = depth
            c["count"] = counts.get(c["id"], 0)
            c["doc_count"] = doc_counts.get(c["id"], 0)
            c["has_children"] = c["id"] in children
            out.append(c)
            walk(c["id"], depth + 1)

    walk(None, 0)
    return out


# --- writing ------------------------------------------------------------------


def add_code(
    project: Project, path: str, *, parent: str | None = None, sort_order: int = 0, **values: Any
) -> str:
    """Add a code at ``path`` (``BEL.TIJD``) or as ``path`` under ``parent``."""
    values = _check_fields({k: v for k, v in values.items() if k in FIELDS})
    if parent:
        parent_row = resolve_code(project, parent)
        name = check_name(path)
    elif "." in path:
        parent_path, _, name = path.rpartition(".")
        parent_row = resolve_code(project, parent_path)
        name = check_name(name)
    else:
        parent_row = None
        name = check_name(path)
    full = f"{parent_row['path']}.{name}" if parent_row else name
    if project.query_one("SELECT id FROM codes WHERE path = ?", (full,)):
        raise CodebookError(f"code {full} already exists")
    if values.get("shortcut"):
        _check_shortcut_free(project, values["shortcut"], None)
    code_id = new_id()
    stamp = now()
    with project.transaction():
        project.conn.execute(
            "INSERT INTO codes (id, parent_id, name, path, label, definition, when_to_use, "
            "when_not_to_use, example, colour, shortcut, valence, sort_order, created_at, modified_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                code_id,
                parent_row["id"] if parent_row else None,
                name,
                full,
                values.get("label"),
                values.get("definition"),
                values.get("when_to_use"),
                values.get("when_not_to_use"),
                values.get("example"),
                values.get("colour"),
                values.get("shortcut"),
                values.get("valence"),
                sort_order,
                stamp,
                stamp,
            ),
        )
        project.audit("add", "code", code_id, after={"path": full, **values})
    return code_id


def _check_shortcut_free(project: Project, key: str, own_id: str | None) -> None:
    row = project.query_one("SELECT id, path FROM codes WHERE shortcut = ?", (key,))
    if row and row["id"] != own_id:
        raise CodebookError(f"shortcut '{key}' is already used by {row['path']}")


def update_code(project: Project, ref: str, **values: Any) -> None:
    code = resolve_code(project, ref)
    values = _check_fields({k: v for k, v in values.items() if k in FIELDS})
    if values.get("shortcut"):
        _check_shortcut_free(project, values["shortcut"], code["id"])
    if not values:
        return
    sets = ", ".join(f"{k} = ?" for k in values)
    with project.transaction():
        project.conn.execute(
            f"UPDATE codes SET {sets}, modified_at = ? WHERE id = ?",
            [*values.values(), now(), code["id"]],
        )
        project.audit(
            "update", "code", code["id"], before={k: code[k] for k in values}, after=values
        )


def _rewrite_paths(project: Project, code_id: str, new_path: str) -> None:
    old = project.scalar("SELECT path FROM codes WHERE id = ?", (code_id,))
    for cid in descendants(project, code_id):
        path = project.scalar("SELECT path FROM codes WHERE id = ?", (cid,))
        project.conn.execute(
            "UPDATE codes SET path = ?, modified_at = ? WHERE id = ?",
            (new_path + path[len(old) :], now(), cid),
        )


def rename_code(project: Project, ref: str, new_name: str) -> str:
    code = resolve_code(project, ref)
    new_name = check_name(new_name)
    parent_path = code["path"].rpartition(".")[0]
    new_path = f"{parent_path}.{new_name}" if parent_path else new_name
    if new_path.lower() != code["path"].lower() and project.query_one(
        "SELECT id FROM codes WHERE path = ?", (new_path,)
    ):
        raise CodebookError(f"code {new_path} already exists; merge the two codes instead")
    with project.transaction():
        # Move the subtree aside first so the UNIQUE(path) check never sees a clash mid-way.
        _rewrite_paths(project, code["id"], f"__rename__{code['id']}")
        project.conn.execute("UPDATE codes SET name = ? WHERE id = ?", (new_name, code["id"]))
        _rewrite_paths(project, code["id"], new_path)
        project.audit(
            "rename", "code", code["id"], before={"path": code["path"]}, after={"path": new_path}
        )
    return new_path


def move_code(project: Project, ref: str, new_parent: str | None) -> str:
    code = resolve_code(project, ref)
    parent = resolve_code(project, new_parent) if new_parent else None
    if parent and parent["id"] in descendants(project, code["id"]):
        raise CodebookError(f"cannot move {code['path']} under its own descendant {parent['path']}")
    new_path = f"{parent['path']}.{code['name']}" if parent else code["name"]
    if project.query_one("SELECT id FROM codes WHERE path = ? AND id <> ?", (new_path, code["id"])):
        raise CodebookError(f"code {new_path} already exists there; merge instead")

    backup(project, "move-code")
    with project.transaction():
        _move(project, code, parent, new_path)
    return new_path


def _move(
    project: Project, code: dict[str, Any], parent: dict[str, Any] | None, new_path: str
) -> None:
    _rewrite_paths(project, code["id"], f"__move__{code['id']}")
    project.conn.execute(
        "UPDATE codes SET parent_id = ? WHERE id = ?",
        (parent["id"] if parent else None, code["id"]),
    )
    _rewrite_paths(project, code["id"], new_path)
    project.audit(
        "move", "code", code["id"], before={"path": code["path"]}, after={"path": new_path}
    )


def merge_codes(project: Project, source: str, target: str) -> int:
    """Fold ``source`` into ``target``: its codings and children move; ``source`` goes.

    Codings that would become identical to one already on ``target`` are
    dropped, which is what a merge means. Takes a backup first.
    """
    src = resolve_code(project, source)
    dst = resolve_code(project, target)
    if src["id"] == dst["id"]:
        raise CodebookError("cannot merge a code into itself")
    if dst["id"] in descendants(project, src["id"]):
        raise CodebookError(f"cannot merge {src['path']} into its own descendant {dst['path']}")

    backup(project, "merge-codes")
    with project.transaction():
        moved = _merge(project, src, dst)
    return moved


def _merge(project: Project, src: dict[str, Any], dst: dict[str, Any]) -> int:
    moved = project.conn.execute(
        "UPDATE OR IGNORE codings SET code_id = ?, modified_at = ? WHERE code_id = ?",
        (dst["id"], now(), src["id"]),
    ).rowcount
    project.conn.execute("DELETE FROM codings WHERE code_id = ?", (src["id"],))
    for child in project.query("SELECT * FROM codes WHERE parent_id = ?", (src["id"],)):
        clash = project.query_one(
            "SELECT * FROM codes WHERE path = ?", (f"{dst['path']}.{child['name']}",)
        )
        if clash:
            moved += _merge(project, child, clash)
        else:
            _move(project, child, dst, f"{dst['path']}.{child['name']}")
    project.conn.execute(
        "UPDATE memos SET target_id = ? WHERE target_kind = 'code' AND target_id = ?",
        (dst["id"], src["id"]),
    )
    project.conn.execute(
        "UPDATE OR IGNORE framework_themes SET code_id = ? WHERE code_id = ?",
        (dst["id"], src["id"]),
    )
    project.conn.execute(
        "UPDATE OR IGNORE framework_cells SET code_id = ?, modified_at = ? WHERE code_id = ?",
        (dst["id"], now(), src["id"]),
    )
    project.conn.execute("DELETE FROM codes WHERE id = ?", (src["id"],))
    project.audit(
        "merge",
        "code",
        src["id"],
        before={"path": src["path"]},
        after={"into": dst["path"], "codings": moved},
    )
    return moved


def delete_code(project: Project, ref: str) -> None:
    code = resolve_code(project, ref)
    n = project.scalar("SELECT count(*) FROM codings WHERE code_id = ?", (code["id"],))
    kids = project.scalar("SELECT count(*) FROM codes WHERE parent_id = ?", (code["id"],))
    if n or kids:
        raise CodebookError(
            f"{code['path']} has {n} codings and {kids} child codes; merge it into another code instead"
        )
    with project.transaction():
        project.conn.execute("DELETE FROM codes WHERE id = ?", (code["id"],))
        project.audit("delete", "code", code["id"], before=dict(code))


def code_valences(project: Project) -> dict[str, str]:
    """Each code's valence (``positive`` / ``negative``): its own, or its nearest ancestor's.

    Facilitators and barriers are a codebook property (``valence:`` in the
    YAML), so any codebook can mark them; nothing is keyed to code names.
    """
    rows = project.query("SELECT id, parent_id, valence FROM codes")
    parent = {r["id"]: r["parent_id"] for r in rows}
    own = {r["id"]: r["valence"] for r in rows}
    out: dict[str, str] = {}
    for cid in parent:
        node: str | None = cid
        while node is not None:
            if own.get(node):
                out[cid] = own[node]
                break
            node = parent.get(node)
    return out
