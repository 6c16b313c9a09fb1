"""The quote bank: coded passages selected, merged, attributed and grouped for a report.

One module: selection, merging, cut slots and attribution are steps of one pipeline over
the same rows.

Selection is the synthesis coding query (``run_query``) with its filters, so
a quote bank and a matrix cell agree on what a passage of a code is. Two
coders often code the same answer with the same code, one a sentence longer:
such overlapping passages of one code in one document become one quote
spanning both, with both coders and both memos (``merge='overlap'``,
the default; ``exact`` only joins identical spans, ``none`` keeps every
coding). Length limits apply to the merged quote.

The outline follows the code tree: a code's heading level is its depth
(1–3); the grouping below it (case or role) is a level-4 heading, so the
table of contents lists codes only. Grouping by case puts cases at level 1
and the code tree below them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import code_tree, resolve_code
from casebook.core.cases import resolve_case
from casebook.core.filters import parse_filters, passages
from casebook.core.query import marks
from casebook.errors import InvalidInput
from casebook.messages import format_number
from casebook.privacy.policy import Privacy, PrivacyOptions
from casebook.reports.labels import DEFAULT_ATTRIBUTION, Labels, attribution
from casebook.store.project import Project
from casebook.synthesis.queries import CodingQuery, run_query

GROUPINGS = ("code-case", "case-code", "code-role")
MERGES = ("overlap", "exact", "none")
QUESTION_LIMIT = 320
GROUP_LEVEL = 4  # case or role under a code: below the table of contents (levels 1-3)


@dataclass
class QuoteQuery:
    """What goes into the bank; lists are ORs, different lists AND together."""

    codes: list[str] = field(default_factory=list)
    and_codes: list[str] = field(default_factory=list)
    not_codes: list[str] = field(default_factory=list)
    within: str = "overlap"
    children: bool = True
    cases: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    rounds: list[str] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    filters: list[str] = field(default_factory=list)  # other key=value items (case attributes)
    min_length: int | None = None
    max_length: int | None = None
    merge: str = "overlap"

    def filter_items(self) -> list[str]:
        items = list(self.filters)
        for key, values in (
            ("case", self.cases),
            ("role", self.roles),
            ("round", self.rounds),
            ("coder", self.coders),
            ("kind", self.kinds),
            ("document", self.documents),
        ):
            items += [f"{key}={v}" for v in values]
        return items

    def check(self) -> None:
        if self.merge not in MERGES:
            raise InvalidInput(f"unknown merge '{self.merge}'; use one of: {', '.join(MERGES)}")
        for name, value in (("--min-length", self.min_length), ("--max-length", self.max_length)):
            if value is not None and value < 1:
                raise InvalidInput(f"{name} must be a positive number of characters")
        if self.min_length and self.max_length and self.min_length > self.max_length:
            raise InvalidInput(
                f"--min-length {self.min_length} is more than --max-length {self.max_length}"
            )
        if (self.and_codes or self.not_codes) and not self.codes:
            raise InvalidInput("--and and --not need at least one --code to start from")


@dataclass
class QuoteOptions:
    """How quotes are shown."""

    group_by: str = "code-case"
    fields: tuple[str, ...] = DEFAULT_ATTRIBUTION
    language: str = "nl"
    context: bool = False
    memos: str = "comments"  # comments | notes | none
    title: str | None = None
    ids: bool = False  # show code ids next to labels (reader-facing text shows labels only)

    def check(self) -> None:
        if self.group_by not in GROUPINGS:
            raise InvalidInput(
                f"unknown grouping '{self.group_by}'; use one of: {', '.join(GROUPINGS)}"
            )
        if self.memos not in ("comments", "notes", "none"):
            raise InvalidInput(
                f"unknown memo placement '{self.memos}'; use comments, notes or none"
            )


@dataclass
class Quote:
    coding_ids: list[str]
    code_id: str
    code: str
    document_id: str
    document: str
    kind: str
    round: str | None
    case_id: str | None
    case: str | None  # as shown: a code ("regio A") when cases are pseudonymised
    role: str | None
    respondent: str | None
    coders: list[str]
    start: int
    end: int
    text: str
    attribution: str = ""
    question: str | None = None
    memos: list[tuple[str, str]] = field(default_factory=list)  # (coder, text)
    date: str | None = None


@dataclass
class CodeInfo:
    id: str
    path: str
    label: str | None
    depth: int
    parent_id: str | None
    order: int

    @property
    def title(self) -> str:
        """What a reader sees: the label; the id only when the code has no label."""
        return self.label or self.path

    def title_with(self, ids: bool) -> str:
        return f"{self.label} ({self.path})" if ids and self.label else self.title


@dataclass
class Section:
    level: int
    title: str
    kind: str  # code | case | role
    quotes: list[Quote]  # shown directly under this heading
    subtree: list[Quote]  # counted in the line under the heading


@dataclass
class QuoteBank:
    project_name: str
    quotes: list[Quote]
    codes: dict[str, CodeInfo]
    query: QuoteQuery
    options: QuoteOptions
    privacy: Privacy
    labels: Labels
    description: list[tuple[str, str]] = field(default_factory=list)
    author: str | None = None  # the exporting team, for the file's properties

    def outline(self) -> list[Section]:
        return outline(self)

    def matrix(self) -> tuple[list[str], list[tuple[CodeInfo, list[int]]]]:
        """Code × case counts of the quotes: case headers and one row per code with quotes."""
        cases = sorted({q.case or "" for q in self.quotes}, key=_case_sort)
        counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for q in self.quotes:
            counts[q.code_id][q.case or ""] += 1
        rows = [
            (info, [counts[info.id].get(c, 0) for c in cases])
            for info in sorted(self.codes.values(), key=lambda i: i.order)
            if info.id in counts
        ]
        return cases, rows


def _case_sort(label: str) -> tuple[int, str]:
    return (0 if label else 1, label.lower())


# --- building -------------------------------------------------------------------------


def build_quote_bank(
    project: Project,
    query: QuoteQuery,
    options: QuoteOptions | None = None,
    privacy: Privacy | None = None,
) -> QuoteBank:
    options = options or QuoteOptions()
    query.check()
    options.check()
    labels = Labels(options.language)
    privacy = privacy or Privacy(PrivacyOptions(language=options.language))
    rows = _fetch(project, query)
    codes = {
        r["id"]: CodeInfo(r["id"], r["path"], r["label"], r["depth"], r["parent_id"], i)
        for i, r in enumerate(code_tree(project))
    }
    texts = _TextCache(project)
    quotes = _merge(rows, query.merge, texts)
    if query.min_length or query.max_length:
        quotes = [
            q
            for q in quotes
            if (query.min_length is None or len(q.text) >= query.min_length)
            and (query.max_length is None or len(q.text) <= query.max_length)
        ]
    _add_memos(project, quotes)
    if options.context:
        _add_questions(project, quotes, texts)
    dates = _document_dates(project, {q.document_id for q in quotes})
    for q in quotes:
        q.case = privacy.case(q.case)
        q.date = dates.get(q.document_id)
        q.text = privacy.text(
            mark_cuts(q.text, texts.get(q.document_id), q.start, q.end), q.document
        )
        if q.question:
            q.question = privacy.text(q.question, q.document)
        q.memos = [
            (privacy.coder(coder) or "", privacy.text(memo, q.document)) for coder, memo in q.memos
        ]
        q.coders = [privacy.coder(c) or "" for c in q.coders]
        q.attribution = attribution(
            labels,
            options.fields,
            role=q.role,
            kind=q.kind,
            case_label=q.case,
            round_=q.round,
            document=privacy.document(q.document, labels.kind(q.kind))
            if "document" in options.fields
            else None,
            date=q.date,
        )
    quotes.sort(key=lambda q: (_case_sort(q.case or ""), q.round or "", q.document, q.start, q.end))
    name = project.get_meta("name") or project.path.stem
    bank = QuoteBank(privacy.text(name), quotes, codes, query, options, privacy, labels)
    bank.author = privacy.text(project.get_meta("team") or name)
    bank.description = describe(project, bank)
    return bank


def _fetch(project: Project, query: QuoteQuery) -> list[dict[str, Any]]:
    filters = parse_filters(project, query.filter_items())
    if query.codes:
        q = CodingQuery(
            list(query.codes),
            list(query.and_codes),
            list(query.not_codes),
            query.within,
            query.children,
        )
        return run_query(project, q, filters)
    return passages(project, filters)


class _TextCache:
    def __init__(self, project: Project) -> None:
        self.project = project
        self.texts: dict[str, str] = {}

    def get(self, document_id: str) -> str:
        if document_id not in self.texts:
            self.texts[document_id] = (
                self.project.scalar(
                    "SELECT text FROM document_texts WHERE document_id = ?", (document_id,)
                )
                or ""
            )
        return self.texts[document_id]


def _quote_from(row: dict[str, Any]) -> Quote:
    return Quote(
        coding_ids=[row["coding_id"]],
        code_id=row["code_id"],
        code=row["code"],
        document_id=row["document_id"],
        document=row["document"],
        kind=row["kind"],
        round=row["round"],
        case_id=row["case_id"],
        case=row["case_name"],
        role=row["role"],
        respondent=row["respondent"],
        coders=[row["coder"]],
        start=row["start"],
        end=row["end"],
        text=row["quote"],
        memos=[(row["coder"], row["memo"])] if row.get("memo") else [],
    )


def _merge(rows: list[dict[str, Any]], how: str, texts: _TextCache) -> list[Quote]:
    if how == "none":
        quotes = [_quote_from(r) for r in rows]
    else:
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for r in rows:
            groups[(r["document_id"], r["code_id"])].append(r)
        quotes = []
        for (doc_id, _code), members in groups.items():
            members.sort(key=lambda r: (r["start"], -r["end"]))
            current: Quote | None = None
            for r in members:
                joins = current is not None and (
                    (r["start"], r["end"]) == (current.start, current.end)
                    if how == "exact"
                    else r["start"] < current.end
                )
                if current is not None and joins:
                    current.coding_ids.append(r["coding_id"])
                    if r["coder"] not in current.coders:
                        current.coders.append(r["coder"])
                    if r.get("memo"):
                        current.memos.append((r["coder"], r["memo"]))
                    if r["end"] > current.end:
                        current.end = r["end"]
                        current.text = texts.get(doc_id)[current.start : current.end]
                    continue
                current = _quote_from(r)
                quotes.append(current)
    for q in quotes:
        q.text = " ".join(q.text.split())
    return quotes


_SENTENCE_CLOSE = '.!?…"”’)'


def mark_cuts(quote: str, text: str, start: int, end: int) -> str:
    """'[…]' where a quote starts or ends inside a sentence of its document.

    A quote that opens with a lower-case word or stops before a sentence's
    end shows the reader that words were left out, as quotation rules ask.
    """
    if not quote:
        return quote
    # Look only at the characters next to the quote: slicing the document up
    # to ``start`` (or from ``end``) would copy it once per quote.
    i = min(start, len(text))
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    opens_sentence = i == 0 or text[i - 1] in ".!?…:\n\"“'‘"
    first = quote.lstrip()[:1]
    if not opens_sentence or (first.isalpha() and first.islower()):
        quote = "[…] " + quote.lstrip()
    stripped = quote.rstrip()
    j = end
    while j < len(text) and text[j] in " \t":
        j += 1
    closes_sentence = stripped[-1] in _SENTENCE_CLOSE or j >= len(text) or text[j] == "\n"
    if not closes_sentence:
        quote = stripped.rstrip(",;:–-") + " […]"
    return quote


def _add_memos(project: Project, quotes: list[Quote]) -> None:
    """Memos written on a coding in the memo table join the coding's own memo."""
    by_coding = {cid: q for q in quotes for cid in q.coding_ids}
    if not by_coding:
        return
    ids = list(by_coding)
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        slots = marks(chunk)
        for r in project.query(
            "SELECT m.target_id, m.title, m.body, o.name AS coder FROM memos m LEFT JOIN coders o"
            f" ON o.id = m.coder_id WHERE m.target_kind = 'coding' AND m.target_id IN ({slots})"
            " ORDER BY m.created_at",
            chunk,
        ):
            body = " ".join(filter(None, [r["title"], r["body"]]))
            if body.strip():
                by_coding[r["target_id"]].memos.append((r["coder"] or "", body.strip()))


def _add_questions(project: Project, quotes: list[Quote], texts: _TextCache) -> None:
    """The interviewer's last turn before the quote's own turn."""
    doc_ids = sorted({q.document_id for q in quotes})
    turns: dict[str, list[tuple[int, int, str | None]]] = defaultdict(list)
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        slots = marks(chunk)
        for r in project.conn.execute(
            "SELECT document_id, start, end, speaker_kind FROM segments WHERE kind = 'turn'"
            f" AND document_id IN ({slots}) ORDER BY document_id, start",
            chunk,
        ):
            turns[r[0]].append((r[1], r[2], r[3]))
    for q in quotes:
        doc_turns = turns.get(q.document_id)
        if not doc_turns:
            continue
        starts = [t[0] for t in doc_turns]
        idx = bisect_right(starts, q.start) - 1
        if idx >= 0 and doc_turns[idx][2] == "interviewer" and doc_turns[idx][1] > q.start:
            continue  # the quote is the interviewer speaking
        j = idx if idx >= 0 and doc_turns[idx][1] <= q.start else idx - 1
        while j >= 0 and doc_turns[j][2] != "interviewer":
            j -= 1
        if j < 0:
            continue
        start, end, _ = doc_turns[j]
        q.question = _tail(" ".join(texts.get(q.document_id)[start:end].split()), QUESTION_LIMIT)


def _tail(text: str, limit: int) -> str:
    """The end of a long interviewer turn: that is where the question is."""
    if len(text) <= limit:
        return text
    cut = text[-limit:]
    space = cut.find(" ")
    return "…" + (cut[space + 1 :] if 0 <= space < 40 else cut)


def _document_dates(project: Project, ids: Iterable[str]) -> dict[str, str]:
    ids = list(ids)
    out: dict[str, str] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        slots = marks(chunk)
        for r in project.query(f"SELECT id, date FROM documents WHERE id IN ({slots})", chunk):
            if r["date"]:
                out[r["id"]] = r["date"]
    return out


# --- describing and grouping ----------------------------------------------------------


def describe(project: Project, bank: QuoteBank) -> list[tuple[str, str]]:
    """The title page's account of the selection, in the export's language and privacy."""
    lb, q, privacy = bank.labels, bank.query, bank.privacy
    out: list[tuple[str, str]] = [(lb["project"], bank.project_name), (lb["date"], lb.date())]

    def shown(refs: list[str]) -> str:
        codes = [resolve_code(project, c) for c in refs]
        if bank.options.ids:
            return ", ".join(
                f"{c['label']} ({c['path']})" if c.get("label") else c["path"] for c in codes
            )
        return ", ".join(c.get("label") or c["path"] for c in codes)

    if q.codes:
        out.append(
            (
                lb["codes"],
                f"{shown(q.codes)} ({lb['with_children'] if q.children else lb['without_children']})",
            )
        )
        if q.and_codes:
            out.append(
                ("", f"{lb['together_with']} {shown(q.and_codes)} ({lb['within']} {q.within})")
            )
        if q.not_codes:
            out.append(("", f"{lb['not_with']} {shown(q.not_codes)} ({lb['within']} {q.within})"))
    else:
        out.append((lb["codes"], lb["all_codes"]))
    if q.cases:
        names = [privacy.case(resolve_case(project, c)["name"]) or c for c in q.cases]
        out.append((lb["cases"], ", ".join(names)))
    for key, values in (("roles", q.roles), ("rounds", q.rounds), ("coders", q.coders)):
        if values:
            out.append((lb[key], ", ".join(values)))
    if q.kinds:
        out.append((lb["kinds"], ", ".join(lb.kind(k) for k in q.kinds)))
    if q.documents:
        out.append((lb["documents"], str(len(q.documents))))
    if q.filters:
        out.append((lb["other_filters"], "; ".join(q.filters)))
    if q.min_length or q.max_length:
        lo = str(q.min_length or 1)
        hi = str(q.max_length) if q.max_length else "…"
        out.append((lb["length"], f"{lo}–{hi} {lb['chars']}"))
    out.append((lb["grouping"], lb["groupings"][bank.options.group_by]))
    out.append((lb["pseudonymised"], privacy.options.describe() or lb["no"]))
    out.append((lb["n_quotes"], format_number(len(bank.quotes), lb.language)))
    return out


def count_line(labels: Labels, quotes: list[Quote], *, with_cases: bool) -> str:
    n = labels.count("quotes", len(quotes))
    respondents = {q.respondent for q in quotes if q.respondent}
    parts = [n]
    if with_cases:
        parts[0] += " " + labels.count("from_cases", len({q.case_id for q in quotes}))
    if respondents:
        parts.append(labels.count("respondents", len(respondents)))
    return ", ".join(parts)


def outline(bank: QuoteBank) -> list[Section]:
    lb = bank.labels
    group_by = bank.options.group_by
    codes = bank.codes
    if group_by == "case-code":
        by_case: dict[str, list[Quote]] = defaultdict(list)
        for q in bank.quotes:
            by_case[q.case or ""].append(q)
        out: list[Section] = []
        for case in sorted(by_case, key=_case_sort):
            quotes = by_case[case]
            out.append(Section(1, _capital(lb.case_title(case or None)), "case", [], quotes))
            out += _code_sections(
                codes, quotes, base=2, group=None, labels=lb, ids=bank.options.ids
            )
        return out
    group = "case" if group_by == "code-case" else "role"
    return _code_sections(codes, bank.quotes, base=1, group=group, labels=lb, ids=bank.options.ids)


def _role_key(q: Quote) -> str:
    """The group of a quote under code → role: the speaker's role, else the kind of source."""
    if q.role:
        return q.role
    return f"kind:{q.kind}" if q.kind and q.kind != "interview" else ""


def _code_sections(
    codes: dict[str, CodeInfo],
    quotes: list[Quote],
    *,
    base: int,
    group: str | None,
    labels: Labels,
    ids: bool = False,
) -> list[Section]:
    own: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        own[q.code_id].append(q)
    subtree: dict[str, list[Quote]] = defaultdict(list)
    for code_id, qs in own.items():
        cid: str | None = code_id
        while cid is not None and cid in codes:
            subtree[cid].extend(qs)
            cid = codes[cid].parent_id
    out: list[Section] = []
    for info in sorted(codes.values(), key=lambda i: i.order):
        if info.id not in subtree:
            continue
        level = min(info.depth + base, 3)
        mine = own.get(info.id, [])
        title = info.title_with(ids)
        if group is None:
            out.append(Section(level, title, "code", mine, subtree[info.id]))
            continue
        out.append(Section(level, title, "code", [], subtree[info.id]))
        groups: dict[str, list[Quote]] = defaultdict(list)
        for q in mine:
            key = (q.case or "") if group == "case" else _role_key(q)
            groups[key].append(q)
        for key in sorted(groups, key=_case_sort):
            if group == "case":
                title = _capital(labels.case_title(key or None))
            elif key.startswith("kind:"):
                title = _capital(labels.kind(key[5:]))
            else:
                title = (
                    _capital(labels.role(key) or labels["no_role"]) if key else labels["no_role"]
                )
            out.append(Section(GROUP_LEVEL, title, group, groups[key], groups[key]))
    return out


_LOWER_ABBREVIATIONS = {"vmbo", "mbo", "po", "vo", "hbo", "vso", "pro", "wo", "vmbo-tl"}


def _capital(text: str) -> str:
    """Headings start with a capital, except the lower-case Dutch school-type abbreviations."""
    first = text.split(" ", 1)[0].lower()
    if not text or first in _LOWER_ABBREVIATIONS:
        return text
    return text[0].upper() + text[1:]
