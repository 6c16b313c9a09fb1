"""Exporting a quote bank: select, pseudonymise, write, then check what was written.

The check reads the written file back (not the text we meant to write) and
looks for registered person names and anything else name-like. Findings are
reported; with ``strict`` they are an error and the file is removed, so a
file that failed the check is never left behind for someone to send on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from casebook.errors import InvalidInput
from casebook.messages import catalogue_words
from casebook.privacy.policy import Privacy, PrivacyOptions, build_privacy
from casebook.privacy.pseudonymise import NamesLeft, Suspect, leftovers, unexplained
from casebook.reports.quotebank import QuoteBank, QuoteOptions, QuoteQuery, build_quote_bank
from casebook.reports.quotes_docx import write_quotes_docx
from casebook.reports.tables import table_text, write_quotes_csv, write_quotes_xlsx
from casebook.store.project import Project
from casebook.writers.wordml import document_text

FORMATS = (".docx", ".xlsx", ".csv")


@dataclass
class ExportResult:
    path: Path
    quotes: int
    key: Path | None = None
    leftovers: list[str] = field(default_factory=list)
    suspects: list[Suspect] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def default_key_path(project: Project, out: Path) -> Path:
    """Beside the project file, not beside the export: the key must not travel with it."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return project.path.resolve().parent / "pseudonymisation-keys" / f"{out.stem}-{stamp}.key.csv"


def written_text(path: Path) -> str:
    return document_text(path) if path.suffix.lower() == ".docx" else table_text(path)


def check_output(path: Path, privacy: Privacy) -> list[str]:
    """Name-like strings left in a written export."""
    # Our own template words ("Vraag:" before an interviewer's question) are never a name.
    return leftovers(
        written_text(path), privacy.registered(), ignore=set(privacy.ignore) | catalogue_words()
    )


def check_strict(path: Path, privacy: Privacy, found: list[str]) -> list[Suspect]:
    """Capitalised words nothing explains (not a name already found, organisation, place, code, template)."""
    known = privacy.known | privacy.ignore | {w.lower() for f in found for w in f.split()}
    return unexplained(written_text(path), known)


def check_privacy_flags(privacy_options: PrivacyOptions, *, key: Path | None, strict: bool) -> None:
    if (key or strict) and not privacy_options.enabled:
        raise InvalidInput(
            "--key and --strict only apply to a pseudonymised export; add --pseudonymise"
        )


def finish_private_export(
    project: Project,
    out: Path,
    privacy: Privacy,
    result: ExportResult,
    *,
    key: Path | None,
    strict: bool,
) -> None:
    """Write the key, rescan the file, and enforce ``strict``."""
    if not privacy.options.enabled:
        return
    key_path = key or default_key_path(project, out)
    if key_path.resolve().parent == out.resolve().parent:
        result.notes.append(
            f"the key {key_path.name} is in the same folder as the export; keep them apart"
        )
    privacy.pseudonymiser.write_key(key_path)
    result.key = key_path
    result.leftovers = check_output(out, privacy)
    result.suspects = check_strict(out, privacy, result.leftovers)
    if (result.leftovers or result.suspects) and strict:
        out.unlink(missing_ok=True)
        shown = ", ".join(result.leftovers[:8]) + (" …" if len(result.leftovers) > 8 else "")
        lines = [f"{s.word}: {s.context}" for s in result.suspects[:12]]
        more = f"\n  … and {len(result.suspects) - 12} more" if len(result.suspects) > 12 else ""
        raise NamesLeft(
            f"{out.name}: name-like text remains after pseudonymising"
            + (f" ({shown})" if result.leftovers else "")
            + "; the file was removed. Register names with `casebook persons add NAME`, or mark words that "
            "are not names with `casebook persons reject NAME`"
            + ("".join(f"\n  {line}" for line in lines) + more if lines else "")
        )


def check_output_path(out: Path, formats: tuple[str, ...]) -> str:
    """The export's format (its suffix), or one clear line on what is wrong with ``out``."""
    ext = out.suffix.lower()
    if ext not in formats:
        raise InvalidInput(
            f"{out}: unknown export format '{ext or '(none)'}'; use {', '.join(formats)}"
        )
    if out.is_dir():
        raise InvalidInput(f"{out}: is a folder; give a file name ending in {ext}")
    if not out.parent.exists():
        raise InvalidInput(f"{out}: folder {out.parent} does not exist; create it first")
    return ext


def export_quotes(
    project: Project,
    out: Path,
    query: QuoteQuery,
    options: QuoteOptions,
    privacy_options: PrivacyOptions | None = None,
    *,
    key: Path | None = None,
    strict: bool = False,
) -> ExportResult:
    out = Path(out)
    check_output_path(out, FORMATS)
    privacy_options = privacy_options or PrivacyOptions(language=options.language)
    privacy_options.language = options.language
    check_privacy_flags(privacy_options, key=key, strict=strict)
    privacy = build_privacy(project, privacy_options)
    bank = build_quote_bank(project, query, options, privacy)
    write_bank(bank, out)
    result = ExportResult(out, len(bank.quotes), notes=list(privacy.notes))
    finish_private_export(project, out, privacy, result, key=key, strict=strict)
    return result


def write_bank(bank: QuoteBank, out: Path) -> Path:
    ext = out.suffix.lower()
    if ext == ".docx":
        return write_quotes_docx(bank, out)

    return write_quotes_xlsx(bank, out) if ext == ".xlsx" else write_quotes_csv(bank, out)
