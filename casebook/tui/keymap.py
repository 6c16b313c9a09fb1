"""Every key of the workbench, in one table for the help screen and the docs.

A test checks that each key bound in the TUI appears here, so the help
screen cannot drift from the bindings.
"""

from __future__ import annotations

KEYMAP: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "Reader: move the cursor",
        [
            ("← →", "previous / next character"),
            ("↑ ↓", "previous / next line"),
            ("ctrl+← ctrl+→", "previous / next word"),
            ("( )", "previous / next sentence"),
            ("{ }", "previous / next turn (paragraph when there are no turns)"),
            ("[ ]", "previous / next page (PDF)"),
            ("pgup pgdn", "one screen up / down"),
            ("home end", "start / end of the line"),
            ("g G  ctrl+home ctrl+end", "start / end of the document"),
            ("mouse click", "put the cursor there"),
        ],
    ),
    (
        "Reader: select",
        [
            ("shift+← shift+→ shift+↑ shift+↓", "extend the selection by a character / line"),
            ("w  ctrl+shift+→", "select the word, then extend by a word"),
            ("W  ctrl+shift+←", "shrink (or extend backwards) by a word"),
            ("s / S", "select the sentence, then extend / shrink by a sentence"),
            ("t / T", "select the turn, then extend / shrink by a turn"),
            ("x / X", "select the sentence / turn under the cursor"),
            (
                "shift+home shift+end shift+pgup shift+pgdn",
                "extend to line start / end, by a screen",
            ),
            ("v", "selection mode: the move keys extend until esc"),
            ("esc", "clear the selection"),
            ("mouse drag, double / triple click", "select; word; sentence"),
        ],
    ),
    (
        "Coding (no selection: the sentence under the cursor)",
        [
            ("c  enter", "apply a code from the quick palette (type to filter, enter)"),
            ("1 … 9 0, other codebook shortcuts", "apply the code with that shortcut"),
            (".", "apply the last code again"),
            ("r", "recent codes"),
            ("i", "in-vivo code: a new code named after the selection"),
            ("d  delete", "remove the coding under the cursor"),
            ("e", "change the code of the coding under the cursor"),
            ("m", "memo on the coding under the cursor (or the case / document / code in a tree)"),
            ("M", "memo on the document"),
            ("D", "mark the document done (again: in progress)"),
            ("K", "contrast: mark this coding, then K on the passage it contradicts"),
            ("u  ctrl+z", "undo (several steps, also after a restart)"),
            ("U  ctrl+y", "redo"),
        ],
    ),
    (
        "Find",
        [
            ("/", "search (full text, lemma or fuzzy; this document or the project)"),
            ("n / N", "next / previous search hit"),
            ("o", "coded segments of the code under the cursor or in the codebook"),
            ("C", "compare two coders on this document, side by side (n / p: disagreements)"),
        ],
    ),
    (
        "Codebook panel",
        [
            ("enter", "apply the highlighted code to the selection"),
            ("a / A", "add a child code / a top-level code"),
            ("e", "edit label, definition, colour, shortcut"),
            ("R", "rename"),
            ("V", "move under another code"),
            ("J", "merge into another code"),
            ("m", "memo on the code"),
        ],
    ),
    (
        "Suggestion review (ctrl+p › Review suggestions)",
        [
            ("→ j / ← k", "next / previous suggestion"),
            ("a", "accept: a coding by you, the rule kept in its history"),
            ("x", "reject: the rule will not suggest the passage again"),
            ("+ / -", "widen / narrow the passage by a sentence at its end"),
            ("> / <", "widen / narrow the passage by a sentence at its start"),
            ("c", "accept under another code"),
            ("o", "open the passage in the reader"),
        ],
    ),
    (
        "Everywhere",
        [
            ("tab / shift+tab", "next / previous panel"),
            ("b", "hide / show the side panels (small terminals)"),
            ("L", "margin labels: the code names of each line's codings beside the text"),
            ("ctrl+p", "command palette: screens and actions first, then documents, codes, cases"),
            ("I", "import files"),
            ("? f1", "this help"),
            ("q  ctrl+q", "quit (everything is already saved)"),
        ],
    ),
]


# What the panels show, for the help screen (not keys, so not in KEYMAP).
PANEL_NOTES: list[tuple[str, str]] = [
    ("■ TIJD 2/14", "codebook: 2 codings in this document / 14 in the whole project"),
    ("green count", "the code is used in the open document; dim: not yet"),
    ("○ ◐ ✓  3", "documents: new / in progress / done, then the number of codings"),
    ("dim words after a name", "the part every document of the case shares (or its date)"),
    ("stripes ╻┃╹ left of the text", "one lane per coding, coloured like its code; + more lanes"),
    ("L", "the same codings by name, in the margin"),
]


def keymap_markdown() -> str:
    """The key map as Markdown tables (docs/coding-walkthrough.md embeds it)."""
    out: list[str] = []
    for section, rows in KEYMAP:
        out += [f"### {section}", "", "| Keys | Does |", "| --- | --- |"]
        out += [f"| `{keys}` | {what} |" for keys, what in rows]
        out.append("")
    return "\n".join(out)
