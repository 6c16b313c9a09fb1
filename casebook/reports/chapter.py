"""The chapter draft on paper: one list of blocks, written as Word or as Markdown.

Both formats come from the same blocks, so the Markdown an analyst pastes
into another tool says exactly what the Word file says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.reports.chapter_text import ChapterText
from casebook.synthesis.chapter import Chapter, ChapterQuote, ThemeSection
from casebook.writers.wordml import WordWriter, run


@dataclass
class Block:
    kind: str  # title | subtitle | heading | para | note | table | quote | box
    text: str = ""
    level: int = 1
    rows: list[list[Any]] = field(default_factory=list)
    attribution: str = ""
    children: list[Block] = field(default_factory=list)


def chapter_blocks(chapter: Chapter, words: ChapterText) -> list[Block]:
    den = chapter.denominators
    out = [Block("title", words["title"]), Block("subtitle", words["subtitle"])]
    scope = words["scope_line"].format(
        cases=words.count("cases", len(den.cases)),
        respondents=den.all_respondents,
        reports=words.count("reports", len(den.reports)),
    )
    if chapter.round:
        scope += "; " + words["round"].format(r=chapter.round)
    if chapter.compare_round:
        scope += ", " + words["compared_with"].format(r=chapter.compare_round)
    out.append(Block("para", f"{words['scope']}: {scope}."))
    out.append(Block("note", words["method"]))
    if chapter.pseudonymised:
        out.append(Block("note", words["pseudonymised"]))
    if not chapter.themes:
        out.append(Block("para", words["empty"]))
    for theme in chapter.themes:
        out += _theme_blocks(theme, chapter, words)
    return out


def _theme_blocks(theme: ThemeSection, chapter: Chapter, words: ChapterText) -> list[Block]:
    q = chapter.quantifier
    out = [Block("heading", theme.label, level=1)]
    r = theme.regions
    if r.total and r.n:
        out.append(
            Block(
                "para",
                words["opening"].format(phrase=q.phrase(r.n, r.total, words["regions_noun"])),
            )
        )
    elif r.total:
        out.append(Block("para", words["opening_none"].format(figure=q.figure(r.n, r.total))))
    named = [
        words["role_figure"].format(
            word=q.word(f.n, f.total), noun=words.role_many(role), figure=q.figure(f.n, f.total)
        )
        for role, f in theme.roles
        if f.n and f.total
    ]
    if named:
        out.append(Block("para", words["roles_intro"].format(list=words.join(named))))
    rows = [[words["col_role"], words["col_mention"], words["col_positive"], words["col_negative"]]]
    for p in theme.perspective:
        if p.total:
            rows.append(
                [
                    _capital(words.role_many(p.role)),
                    q.figure(p.respondents, p.total),
                    p.positive,
                    p.negative,
                ]
            )
    if len(rows) > 1 and any(p.respondents for p in theme.perspective):
        out.append(Block("heading", words["perspective"], level=2))
        out.append(Block("note", words["perspective_note"]))
        out.append(Block("table", rows=rows))
    if theme.quotes:
        out.append(Block("heading", words["quotes"], level=2))
        out += [_quote(qt, words) for qt in theme.quotes]
    if theme.reports is not None:
        f = theme.reports
        box = Block("box", words["report_box"])
        if f.n:
            box.children.append(
                Block(
                    "para",
                    words["report_line"].format(
                        phrase=q.phrase(f.n, f.total, _plural_reports(words))
                    ),
                )
            )
        else:
            box.children.append(
                Block("para", words["report_none"].format(figure=q.figure(f.n, f.total)))
            )
        box.children += [_quote(qt, words) for qt in theme.report_quotes]
        out.append(box)
    if theme.change is not None:
        c = theme.change
        out.append(Block("heading", words["change"].format(r=c.compare_round), level=2))
        if c.comparable:
            out.append(
                Block(
                    "para",
                    words["change_line"].format(
                        n=c.comparable, both=c.both, new=c.new, gone=c.gone
                    ),
                )
            )
        else:
            out.append(Block("para", words["change_none"]))
    if theme.contrasts:
        out.append(Block("heading", words["contrasts"], level=2))
        for contrast in theme.contrasts:
            title = words["contrast_kind"][contrast.kind] + (
                f": {contrast.note}" if contrast.note else ""
            )
            box = Block("box", title)
            for passage in contrast.passages:
                text = passage.get("chapter_text") or " ".join(passage["quote"].split())
                box.children.append(
                    Block(
                        "quote",
                        text,
                        attribution=_said_by(words, passage["role"], passage["kind"]),
                    )
                )
            out.append(box)
    return out


def _plural_reports(words: ChapterText) -> str:
    return words.count("reports", 2).split(" ", 1)[1]


def _said_by(words: ChapterText, role: str | None, kind: str | None) -> str:
    if kind == "progress_report":
        return words["report_source"]
    return words["said_by"].format(who=words.role_one(role))


def _quote(qt: ChapterQuote, words: ChapterText) -> Block:
    return Block("quote", qt.text, attribution=_said_by(words, qt.role, qt.kind))


# --- writers ------------------------------------------------------------------------


def write_markdown(blocks: list[Block], path: Path) -> Path:
    lines: list[str] = []

    def emit(block: Block, prefix: str = "") -> None:
        if block.kind == "title":
            lines.append(f"# {block.text}")
        elif block.kind == "subtitle":
            lines.append(f"*{block.text}*")
        elif block.kind == "heading":
            lines.append("#" * (block.level + 1) + " " + block.text)
        elif block.kind == "para":
            lines.append(prefix + block.text)
        elif block.kind == "note":
            lines.append(prefix + f"*{block.text}*")
        elif block.kind == "quote":
            lines.append(f"{prefix}> “{block.text}” — {block.attribution}")
        elif block.kind == "table":
            head, *body = block.rows
            lines.append("| " + " | ".join(str(c) for c in head) + " |")
            lines.append("|" + "|".join(" --- " for _ in head) + "|")
            lines.extend("| " + " | ".join(str(c) for c in row) + " |" for row in body)
        elif block.kind == "box":
            lines.append(f"> **{block.text}**")
            lines.append(">")
            for child in block.children:
                emit(child, "> ")
                lines.append(">")
            if lines[-1] == ">":
                lines.pop()
        if not prefix:
            lines.append("")

    for b in blocks:
        emit(b)
    path.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")
    return path


def write_docx(blocks: list[Block], path: Path, words: ChapterText) -> Path:
    w = WordWriter(language=words.language)
    toc_done = False
    for b in blocks:
        if b.kind == "title":
            w.heading(0, b.text, toc=False)
        elif b.kind == "subtitle":
            w.paragraph(b.text, "ReportNote")
        elif b.kind == "heading":
            if not toc_done:
                w.toc(words["contents"], words["toc_note"])
                toc_done = True
            w.heading(b.level, b.text, page_break_before=b.level == 1, toc=b.level == 1)
        elif b.kind == "para":
            w.paragraph(b.text)
        elif b.kind == "note":
            w.paragraph(b.text, "ReportNote")
        elif b.kind == "quote":
            w.paragraph(run(f"“{b.text}”"), "Quote", raw=True)
            w.paragraph(b.attribution, "QuoteAttribution")
        elif b.kind == "table":
            w.table(b.rows, widths=_widths(b.rows), size=18)
        elif b.kind == "box":
            rows: list[list[Any]] = [[b.text]]
            for child in b.children:
                rows.append(
                    [
                        f"“{child.text}” — {child.attribution}"
                        if child.kind == "quote"
                        else child.text
                    ]
                )
            w.table(rows, widths=[9000], shade="E2EFD9")
    return w.save(path)


def _widths(rows: list[list[Any]]) -> list[int]:
    """Column widths (twips) from the longest word per column, so no word breaks mid-way."""
    total = 9000
    longest = [
        max(max((len(w) for w in str(r[i]).split()), default=1) for r in rows)
        for i in range(len(rows[0]))
    ]
    wide = [max(n, 8) for n in longest]
    scale = total / sum(wide)
    return [int(n * scale) for n in wide]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
