"""The two side panels: cases → documents, and the codebook.

Both are Textual ``Tree``s whose nodes carry the row they show (typed data,
never ids parsed back out of labels). After an action only the labels of
the nodes whose counts changed are redrawn.
"""

from __future__ import annotations

import re
from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from casebook.tui.reader_model import code_colour

STATUS_MARK = {"done": ("✓", "green"), "in_progress": ("◐", "yellow"), "new": ("○", "dim")}
_DATE = re.compile(r"^(?:\d{4}[-_.]?\d{2}[-_.]?\d{2}|\d{1,2}[-_.]\d{1,2}[-_.]\d{4})(?=[\s_\-.]|$)")
_SEP = re.compile(r"([\s_\-]+)")


def distinctive_names(names: list[str], case_name: str | None = None) -> dict[str, tuple[str, str]]:
    """For each document name: (what tells it apart, what was left out).

    A narrow side panel shows a dozen characters, and names written by a
    convention (``2022-03-14 interview Lindeveen mbo.txt``) all start alike.
    The words every sibling shares and the case's own name are left out, and
    a leading date moves to the end; the caller shows the left-out part
    dimmed after the rest. A name that would become empty stays whole.
    """

    def split(name: str) -> tuple[str, str, str]:
        stem, dot, ext = name.rpartition(".")
        if not dot or not stem or len(ext) > 5:
            stem, ext = name, ""
        date = ""
        m = _DATE.match(stem)
        if m:
            date, stem = m.group(0), stem[m.end() :].lstrip(" _-.")
        return date, stem, f".{ext}" if ext else ""

    parts = {n: split(n) for n in names}
    token_sets = [
        {t.lower() for t in _SEP.split(stem)[::2] if t} for _d, stem, _e in parts.values()
    ]
    shared = set.intersection(*token_sets) if len(token_sets) > 1 else set()
    if case_name:
        shared |= {t.lower() for t in _SEP.split(case_name)[::2] if t}
    out: dict[str, tuple[str, str]] = {}
    for name, (date, stem, ext) in parts.items():
        pieces = _SEP.split(stem)
        kept: list[str] = []
        dropped: list[str] = []
        for i in range(0, len(pieces), 2):
            token = pieces[i]
            sep = pieces[i + 1] if i + 1 < len(pieces) else ""
            if token and token.lower() in shared:
                dropped.append(token)
            elif token:
                kept.append(token + sep)
        short = "".join(kept).strip(" _-") + ext
        if not "".join(kept).strip(" _-"):
            out[name] = (name, "")
            continue
        left_out = " ".join(x for x in (date, *dropped) if x)
        out[name] = (short, left_out)
    return out


class DocumentTree(Tree[dict[str, Any]]):
    """Cases with their documents, each with its coding count and a status mark."""

    BINDINGS = [
        Binding("m", "screen.memo_tree_item", "Memo", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Cases", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.doc_nodes: dict[str, TreeNode[dict[str, Any]]] = {}
        self.case_nodes: dict[str, TreeNode[dict[str, Any]]] = {}

    def fill(self, cases: list[dict[str, Any]], documents: list[dict[str, Any]]) -> None:
        self.clear()
        self.doc_nodes.clear()
        self.case_nodes.clear()
        by_case: dict[str | None, list[dict[str, Any]]] = {}
        for d in documents:
            by_case.setdefault(d["case_name"], []).append(d)
        for case in cases:
            node = self.root.add(self._case_label(case), data={**case, "node": "case"}, expand=True)
            self.case_nodes[case["id"]] = node
            self._add_documents(node, by_case.get(case["name"], []), case["name"])
        orphans = by_case.get(None, [])
        if orphans:
            node = self.root.add(
                "(no case)", data={"node": "case", "id": None, "name": None}, expand=True
            )
            self._add_documents(node, orphans, None)

    def _add_documents(
        self, node: TreeNode[dict[str, Any]], docs: list[dict[str, Any]], case_name: str | None
    ) -> None:
        short = distinctive_names([d["name"] for d in docs], case_name)
        for d in docs:
            shown, left_out = short[d["name"]]
            data = {**d, "node": "document", "short": shown, "left_out": left_out}
            self.doc_nodes[d["id"]] = node.add_leaf(self._doc_label(data), data=data)

    @staticmethod
    def _case_label(case: dict[str, Any]) -> Text:
        return Text.assemble((case["name"], "bold"), (f"  {case.get('documents', 0)}", "dim"))

    @staticmethod
    def _doc_label(doc: dict[str, Any]) -> Text:
        mark, style = STATUS_MARK.get(doc.get("status") or "new", STATUS_MARK["new"])
        text = Text.assemble(
            (mark, style),
            " ",
            doc.get("short") or doc["name"],
            (f"  {doc.get('codings', 0)}", "dim"),
        )
        if doc.get("left_out"):
            text.append(f"  {doc['left_out']}", "dim italic")
        return text

    def update_document(self, document_id: str, **changes: Any) -> None:
        node = self.doc_nodes.get(document_id)
        if node is None or node.data is None:
            return
        node.data.update(changes)
        node.set_label(self._doc_label(node.data))

    def select_document(self, document_id: str) -> None:
        node = self.doc_nodes.get(document_id)
        if node is not None:
            self.move_cursor(node)


class CodebookTree(Tree[dict[str, Any]]):
    """The codebook with counts "this document / all" and each code's colour and shortcut."""

    BINDINGS = [
        Binding("a", "screen.add_code(False)", "Add child"),
        Binding("A", "screen.add_code(True)", "Add top-level", show=False),
        Binding("e", "screen.edit_code", "Edit"),
        Binding("R", "screen.rename_code", "Rename"),
        Binding("V", "screen.move_code", "Move"),
        Binding("J", "screen.merge_code", "Merge"),
        Binding("m", "screen.memo_tree_item", "Memo", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Codebook", id=id)
        self.show_root = False
        self.guide_depth = 2
        self.auto_expand = False
        self.code_nodes: dict[str, TreeNode[dict[str, Any]]] = {}

    def fill(self, rows: list[dict[str, Any]], expanded: set[str] | None = None) -> None:
        """Build the tree; ``expanded`` keeps open the branches that were open."""
        cursor_id = self.highlighted_id()
        self.clear()
        self.code_nodes.clear()
        for r in rows:
            parent = (
                self.code_nodes[r["parent_id"]] if r["parent_id"] in self.code_nodes else self.root
            )
            data = dict(r)
            open_ = (
                expanded is None and r["depth"] == 0 or expanded is not None and r["id"] in expanded
            )
            if r["has_children"]:
                node = parent.add(self._label(data), data=data, expand=open_)
            else:
                node = parent.add_leaf(self._label(data), data=data)
            self.code_nodes[r["id"]] = node
        if cursor_id and cursor_id in self.code_nodes:
            self.reveal(cursor_id)
        elif rows:
            self.call_after_refresh(self.move_cursor_to_line, 0)

    def expanded_ids(self) -> set[str]:
        return {cid for cid, node in self.code_nodes.items() if node.is_expanded}

    def highlighted_id(self) -> str | None:
        node = self.cursor_node
        return node.data["id"] if node is not None and node.data else None

    def reveal(self, code_id: str) -> None:
        node = self.code_nodes.get(code_id)
        if node is None:
            return
        parent = node.parent
        while parent is not None and parent is not self.root:
            parent.expand()
            parent = parent.parent
        self.call_after_refresh(self.move_cursor, node)

    @staticmethod
    def _label(r: dict[str, Any]) -> Text:
        colour = code_colour(r.get("colour"), r["path"])
        text = Text.assemble(("■ ", colour))
        if r.get("shortcut"):
            text.append(f"{r['shortcut']} ", "bold reverse")
        text.append(r["name"], "bold")
        doc, total = r.get("doc_count", 0), r.get("count", 0)
        text.append(f" {doc}/{total}", "bold green" if doc else "dim")
        if r.get("label"):
            text.append(f" {r['label']}")
        return text

    def bump(self, code_id: str, delta: int, *, in_document: bool = True) -> None:
        """Change one code's counts after an apply or remove, without a query."""
        node = self.code_nodes.get(code_id)
        if node is None or node.data is None:
            return
        node.data["count"] = max(node.data.get("count", 0) + delta, 0)
        if in_document:
            node.data["doc_count"] = max(node.data.get("doc_count", 0) + delta, 0)
        node.set_label(self._label(node.data))

    def set_counts(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            node = self.code_nodes.get(r["id"])
            if node is None or node.data is None:
                continue
            if (node.data.get("count"), node.data.get("doc_count")) != (r["count"], r["doc_count"]):
                node.data["count"], node.data["doc_count"] = r["count"], r["doc_count"]
                node.set_label(self._label(node.data))
