"""The quote bank as a Word document for the report team.

Layout: a title page (project, date, the selection), a table of contents,
headings following the code tree with a count line under each, every quote
in Word's Quote style followed by its attribution line, optionally the
interviewer's question before it and the coders' memos as Word comments (or
numbered notes at the end), and a closing table of quotes per code and case.
"""

from __future__ import annotations

from pathlib import Path

from casebook.reports.quotebank import QuoteBank, count_line
from casebook.writers.wordml import WordWriter, run

LANDSCAPE_COLUMNS = 7


def write_quotes_docx(bank: QuoteBank, path: Path) -> Path:
    lb = bank.labels
    opts = bank.options
    w = WordWriter(language=lb.language)
    memo_mode = opts.memos if opts.memos != "comments" or hasattr(w.doc, "add_comment") else "notes"
    _title_page(w, bank)
    w.toc(lb["contents"], lb["toc_note"])
    notes: list[str] = []
    sections = bank.outline()
    if not sections:
        w.heading(1, lb["quote_bank"], page_break_before=True)
        w.paragraph(lb["empty"], "ReportNote")
    first = True
    for section in sections:
        w.heading(
            section.level,
            section.title,
            page_break_before=first
            or (section.level == 1 and bank.options.group_by == "case-code"),
        )
        first = False
        with_cases = section.kind != "case"
        w.paragraph(count_line(lb, section.subtree, with_cases=with_cases), "QuoteCount")
        previous_question = None
        for q in section.quotes:
            # Answers to one question follow each other: show the question once.
            if opts.context and q.question and q.question != previous_question:
                w.paragraph(
                    run(f"{lb['question']}: ", bold=True) + run(q.question),
                    "QuoteContext",
                    raw=True,
                )
            previous_question = q.question
            body = run(f"“{q.text}”")
            memos = q.memos if memo_mode != "none" else []
            if memos and memo_mode == "notes":
                numbers = []
                for coder, memo in memos:
                    notes.append(f"{memo} ({coder})" if coder else memo)
                    numbers.append(str(len(notes)))
                body += run(" " + ",".join(numbers), superscript=True)
            index = w.paragraph(body, "Quote", raw=True)
            if memos and memo_mode == "comments":  # python-docx >= 1.2
                author = ", ".join(sorted({c for c, _ in memos if c})) or "casebook"
                text = "\n".join(f"{lb['memo']} {c}: {m}" if c else m for c, m in memos)
                w.comment(index, text, author)
            w.paragraph(q.attribution, "QuoteAttribution")
    if notes:
        w.heading(1, lb["notes"], page_break_before=True)
        for i, note in enumerate(notes, start=1):
            w.paragraph(run(f"{i}. ", bold=True) + run(note), "MemoNote", raw=True)
    if bank.quotes:
        _overview(w, bank)
    return w.save(path)


def _title_page(w: WordWriter, bank: QuoteBank) -> None:
    lb = bank.labels
    title = bank.options.title or f"{lb['quote_bank']} — {bank.project_name}"
    w.properties(title=title, author=bank.author or bank.project_name, language=lb.language)
    w.heading(0, title, toc=False)
    w.paragraph(lb.date(), "Subtitle")
    rows = [[label, value] for label, value in bank.description]
    w.table(rows, widths=[1, 3], header=False, numeric_from=99)
    w.page_break()


def _overview(w: WordWriter, bank: QuoteBank) -> None:
    lb = bank.labels
    cases, rows = bank.matrix()
    wide = len(cases) + 2 > LANDSCAPE_COLUMNS
    if wide:
        w.landscape_from_here()
    w.heading(1, lb["overview"], page_break_before=not wide)
    w.paragraph(lb["overview_note"], "ReportNote")
    header = [lb["code"], *[lb.case_title(c or None) for c in cases], lb["total"]]
    grid: list[list[object]] = [header]
    col_totals = [0] * len(cases)
    for info, counts in rows:
        grid.append([info.title_with(bank.options.ids), *[n or "" for n in counts], sum(counts)])
        col_totals = [a + b for a, b in zip(col_totals, counts, strict=True)]
    grid.append([lb["total"], *col_totals, sum(col_totals)])
    size = 16 if len(cases) > 10 else 18
    w.table(grid, widths=[4] + [1] * (len(cases) + 1), totals=True, size=size)
