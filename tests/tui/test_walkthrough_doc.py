"""docs/coding-walkthrough.md keeps the key map of the code and a capture of the screen."""

from __future__ import annotations

from pathlib import Path

from casebook.tui.keymap import keymap_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "coding-walkthrough.md"


def test_key_map_in_the_walkthrough_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    start = text.index("-->", text.index("<!-- keymap:start")) + len("-->\n")
    end = text.index("<!-- keymap:end -->")
    assert text[start:end] == keymap_markdown(), (
        "regenerate the key map section from casebook/tui/keymap.py"
    )


def test_walkthrough_shows_the_main_screen() -> None:
    text = DOC.read_text(encoding="utf-8")
    capture = text.split("```")[3]
    for piece in ("casebook · ", "coder ", "Interviewer", "▼ ■ BEL", "╻", "selected", "c Code"):
        assert piece in capture
