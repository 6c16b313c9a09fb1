"""One import summary line for CLI and workbench: every count, or only those that happened."""

from __future__ import annotations

from casebook.core.documents import ImportOutcome, import_summary


def _outcomes(*statuses: str) -> list[ImportOutcome]:
    return [ImportOutcome(path=f"f{i}.txt", status=s) for i, s in enumerate(statuses)]


def test_cli_line_names_every_count() -> None:
    line = import_summary(_outcomes("imported", "failed", "failed"))
    assert line == "1 imported, 0 already in the project, 2 failed"


def test_revised_files_are_counted_as_revised_not_failed() -> None:
    outcomes = _outcomes("imported", "revised", "duplicate")
    assert import_summary(outcomes) == "1 imported, 1 revised, 1 already in the project, 0 failed"
    assert import_summary(outcomes, zeros=False) == (
        "1 imported, 1 revised, 1 already in the project"
    )


def test_workbench_line_leaves_out_zero_counts() -> None:
    assert import_summary(_outcomes("imported", "imported"), zeros=False) == "2 imported"
