"""``casebook export synthesis``: the chapter draft as .docx or .md, pseudonymised on request."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from casebook.privacy.policy import PrivacyOptions, build_privacy
from casebook.reports.chapter import chapter_blocks, write_docx, write_markdown
from casebook.reports.chapter_text import ChapterText, load_role_names
from casebook.reports.export import (
    ExportResult,
    check_output_path,
    check_privacy_flags,
    finish_private_export,
)
from casebook.store.project import Project
from casebook.synthesis.chapter import build_chapter
from casebook.synthesis.quantify import default_quantifier, load_quantifier

FORMATS = (".docx", ".md")


def export_synthesis(
    project: Project,
    out: Path,
    *,
    themes: Sequence[str] | None = None,
    round_: str | None = None,
    compare_round: str | None = None,
    filters: Sequence[str] = (),
    language: str = "nl",
    pseudonymise: bool = False,
    quantifiers: Path | None = None,
    role_names: Path | None = None,
    key: Path | None = None,
    strict: bool = False,
) -> ExportResult:
    out = Path(out)
    ext = check_output_path(out, FORMATS)
    words = ChapterText(language, load_role_names(role_names) if role_names else None)
    quantifier = (
        load_quantifier(quantifiers, language) if quantifiers else default_quantifier(language)
    )
    options = PrivacyOptions(
        persons=pseudonymise, cases=pseudonymise, organisations=pseudonymise, language=language
    )
    check_privacy_flags(options, key=key, strict=strict)
    privacy = build_privacy(project, options)
    chapter = build_chapter(
        project,
        themes,
        round_=round_,
        compare_round=compare_round,
        filters=filters,
        quantifier=quantifier,
        text=privacy if pseudonymise else None,
    )
    blocks = chapter_blocks(chapter, words)
    if ext == ".md":
        write_markdown(blocks, out)
    else:
        write_docx(blocks, out, words)
    n_quotes = sum(len(t.quotes) + len(t.report_quotes) for t in chapter.themes)
    result = ExportResult(out, n_quotes, notes=list(privacy.notes))
    finish_private_export(project, out, privacy, result, key=key, strict=strict)
    return result
