"""The cross-case chapter, computed: per theme the figures, perspectives, quotes and contrasts.

One module: each theme's figures, perspectives, quotes and contrasts are computed from
the same passage sets.

Evaluation reports write a cross-case chapter theme by theme: what recurs
across regions, with careful denominators ("in 7 van de 20 regio's"), how
stakeholders differ, short quotes attributed by role only, and what the
progress reports say kept apart in a box. This module computes all of it;
``reports.chapter_docx`` and ``reports.chapter_md`` only lay it out.

Every figure is a cell of an ordinary matrix (kept as ``Figure.spec``), so
the chapter and ``casebook matrix`` can never disagree:

* regions: ``--rows kind --cols code --measure cases``, row ``interview``;
* respondents: ``--rows role --cols code --measure respondents --filter kind=interview``;
* progress reports: ``--rows kind --cols code --measure documents``, row ``progress_report``.

Denominators count everything in scope, coded or not (``denominators``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import code_valences
from casebook.core.filters import parse_filters
from casebook.core.query import RESPONDENT_SQL, ROLE_SQL, marks
from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project
from casebook.synthesis.codesets import code_columns
from casebook.synthesis.contrasts import Contrast, list_contrasts
from casebook.synthesis.denominators import INTERVIEW, REPORT, Denominators, count_denominators
from casebook.synthesis.matrix import Matrix, MatrixSpec, Plan, build_matrix, plan_matrix
from casebook.synthesis.quantify import Quantifier, default_quantifier

QUOTES_MIN, QUOTES_MAX = 2, 5
QUOTE_LIMIT = 320  # characters; longer passages are cut at a sentence end
_SENTENCE_END = re.compile(r"[.!?…](?:[\"'”’)\]]*)(?=\s|$)")


@dataclass(frozen=True)
class Figure:
    """One number of the chapter, its denominator, and the matrix cell that gives it."""

    n: int
    total: int
    spec: MatrixSpec
    row: str  # the matrix row's key (a kind or a role)
    code_id: str


@dataclass
class PerspectiveRow:
    role: str
    respondents: int  # of this role with the theme
    total: int  # of this role in scope
    positive: int
    negative: int


@dataclass
class ChapterQuote:
    coding_id: str
    text: str  # cut at sentence ends, […] where cut, pseudonymised when asked
    role: str | None
    kind: str
    case_id: str | None


@dataclass
class RoundChange:
    compare_round: str
    new: int  # regions where the theme appears and did not in the earlier round
    gone: int
    both: int
    comparable: int  # regions interviewed in both rounds


@dataclass
class ThemeSection:
    code_id: str
    path: str
    label: str
    regions: Figure
    roles: list[tuple[str, Figure]]
    perspective: list[PerspectiveRow]
    quotes: list[ChapterQuote]
    reports: Figure | None
    report_quotes: list[ChapterQuote]
    change: RoundChange | None
    contrasts: list[Contrast]
    valence: str | None

    def figures(self) -> list[Figure]:
        out = [self.regions, *(f for _, f in self.roles)]
        if self.reports is not None:
            out.append(self.reports)
        return out


@dataclass
class Chapter:
    themes: list[ThemeSection]
    denominators: Denominators
    quantifier: Quantifier
    round: str | None
    compare_round: str | None
    filters: list[str]
    pseudonymised: bool = False
    notes: list[str] = field(default_factory=list)


def _scope(round_: str | None, filters: Sequence[str]) -> list[str]:
    if any(f.split("=", 1)[0].strip().lower() == "round" for f in filters) and round_:
        raise InvalidInput("give the round once: --round or a round= filter, not both")
    return [*filters, *([f"round={round_}"] if round_ else [])]


def _value(m: Matrix, row: str, code_id: str) -> int:
    return m.value(row, code_id) if any(h.key == row for h in m.rows) else 0


def build_chapter(
    project: Project,
    themes: Sequence[str] | None = None,
    *,
    round_: str | None = None,
    compare_round: str | None = None,
    filters: Sequence[str] = (),
    quantifier: Quantifier | None = None,
    text: Any = None,
) -> Chapter:
    """The chapter's content. ``text`` pseudonymises quotes (a ``Privacy``), if given."""
    scope = _scope(round_, filters)
    if compare_round is not None:
        if round_ is None:
            raise InvalidInput("--compare-round needs --round (the round the chapter is about)")
        if compare_round == round_:
            raise InvalidInput("--compare-round must differ from --round")
        _check_round(project, compare_round)
    if round_ is not None:
        _check_round(project, round_)
    quantifier = quantifier or default_quantifier()
    columns = code_columns(project, list(themes) if themes else ["*"])
    codes = [c.key for c in columns]
    scope_filters = parse_filters(project, scope)
    denominators = count_denominators(project, scope_filters)
    if not denominators.cases and not denominators.reports:
        raise NotFound(
            "no interviews or progress reports in this selection; check --round and the filters"
        )

    by_kind = build_matrix(project, MatrixSpec("kind", "code", "cases", codes, None, True, scope))
    docs_by_kind = build_matrix(
        project, MatrixSpec("kind", "code", "documents", codes, None, True, scope)
    )
    resp_scope = [*scope, f"kind={INTERVIEW}"]
    by_role = build_matrix(
        project, MatrixSpec("role", "code", "respondents", codes, None, True, resp_scope)
    )

    interview_passages = _slim_passages(project, by_role.plan, respondents_only=True)
    report_passages: dict[str, list[dict[str, Any]]] = {}
    if denominators.reports:
        report_plan = plan_matrix(
            project,
            MatrixSpec("kind", "code", "segments", codes, None, True, [*scope, f"kind={REPORT}"]),
        )
        report_passages = _slim_passages(project, report_plan)
    valence = code_valences(project)
    positive, negative = _valence_passages(project, interview_passages, valence)
    all_contrasts = list_contrasts(project)
    _contrast_texts(project, all_contrasts, text)
    subtree = {c.key: set(c.code_ids) for c in columns}
    changes = (
        _round_changes(project, codes, filters, round_, compare_round) if compare_round else {}
    )
    info = {
        r["id"]: r
        for r in project.query(
            f"SELECT id, path, label FROM codes WHERE id IN ({marks(codes)})", codes
        )
    }
    roles = sorted(denominators.respondents, key=str.lower)
    used: set[str] = set()
    out: list[ThemeSection] = []
    for col in columns:
        cid = col.key
        regions = Figure(
            _value(by_kind, INTERVIEW, cid),
            len(denominators.cases),
            by_kind.plan.spec,
            INTERVIEW,
            cid,
        )
        role_figures = [
            (
                role,
                Figure(
                    _value(by_role, role, cid),
                    denominators.respondents_of(role),
                    by_role.plan.spec,
                    role,
                    cid,
                ),
            )
            for role in roles
        ]
        perspective = []
        by_role_here: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for p in interview_passages.get(cid, []):
            by_role_here[p["role"]].append(p)
        for role, fig in role_figures:
            theme_passages = by_role_here.get(role, [])
            perspective.append(
                PerspectiveRow(
                    role,
                    fig.n,
                    fig.total,
                    len({p["respondent"] for p in theme_passages if p["coding_id"] in positive}),
                    len({p["respondent"] for p in theme_passages if p["coding_id"] in negative}),
                )
            )
        reports = None
        if denominators.reports:
            reports = Figure(
                _value(docs_by_kind, REPORT, cid),
                len(denominators.reports),
                docs_by_kind.plan.spec,
                REPORT,
                cid,
            )
        quotes = choose_quotes(project, interview_passages.get(cid, []), used, text=text)
        report_quotes = choose_quotes(
            project, report_passages.get(cid, []), used, text=text, most=2, least=1
        )
        contrasts = [
            c for c in all_contrasts if any(p["code_id"] in subtree[cid] for p in c.passages)
        ]
        out.append(
            ThemeSection(
                cid,
                info[cid]["path"],
                info[cid]["label"] or info[cid]["path"],
                regions,
                role_figures,
                perspective,
                quotes,
                reports,
                report_quotes,
                changes.get(cid),
                contrasts,
                valence.get(cid),
            )
        )
    return Chapter(
        out,
        denominators,
        quantifier,
        round_,
        compare_round,
        list(filters),
        pseudonymised=text is not None,
    )


def _contrast_texts(project: Project, contrasts: list[Contrast], text: Any) -> None:
    """Contrast passages as the chapter prints them: cut like quotes, pseudonymised when asked."""
    passages = [p for c in contrasts for p in c.passages]
    texts = _documents_text(project, {p["document_id"] for p in passages})
    for p in passages:
        before = texts[p["document_id"]][max(0, p["start"] - 200) : p["start"]]
        quote = cut_quote(p["quote"], before)
        p["chapter_text"] = text.text(quote) if text is not None else quote


def _check_round(project: Project, round_: str) -> None:
    known = [
        r[0]
        for r in project.conn.execute(
            "SELECT DISTINCT round FROM documents WHERE round IS NOT NULL ORDER BY round"
        )
    ]
    if round_ not in known:
        raise NotFound(
            f"no documents in round '{round_}'; rounds in this project: {', '.join(known) or 'none set'}"
        )


_SLIM_SELECT = (
    "k.id AS coding_id, k.document_id, d.kind, d.case_id, cs.name AS case_name, "
    + ROLE_SQL
    + " AS role, "
    + RESPONDENT_SQL
    + " AS respondent, k.code_id, k.start, k.end"
)


def _slim_passages(
    project: Project, plan: Plan, *, respondents_only: bool = False
) -> dict[str, list[dict[str, Any]]]:
    """A plan's passages per theme without their text: quotes are read only for those chosen.

    ``respondents_only`` keeps the passages the role figures count (not the interviewer's).
    """
    q = plan.sql()
    q.turn = True
    q.joins = [("LEFT JOIN cases cs ON cs.id = d.case_id", []), *q.joins]
    sql, params = q.render(f"{_SLIM_SELECT}, {plan.cols.expr} AS col_key")
    out: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for p in project.query(sql, params):
        if respondents_only and p["respondent"] is None:
            continue
        out[p["col_key"]].append(p)
    return out


def _valence_passages(
    project: Project, by_theme: dict[str, list[dict[str, Any]]], valence: dict[str, str]
) -> tuple[set[str], set[str]]:
    """Codings that are facilitating / hindering: by their own code, or by overlapping a valenced coding."""
    positive: set[str] = set()
    negative: set[str] = set()
    passages = {p["coding_id"]: p for ps in by_theme.values() for p in ps}
    if not passages:
        return positive, negative
    valenced = sorted(valence)
    docs = {p["document_id"] for p in passages.values()}
    spans: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    if valenced:
        for r in project.query(
            f"SELECT document_id, code_id, start, end FROM codings WHERE code_id IN ({marks(valenced)})",
            valenced,
        ):
            if r["document_id"] in docs:
                spans[r["document_id"]].append((r["start"], r["end"], valence[r["code_id"]]))
    for cid, p in passages.items():
        found = {valence[p["code_id"]]} if p["code_id"] in valence else set()
        for start, end, v in spans.get(p["document_id"], ()):
            if start < p["end"] and p["start"] < end:
                found.add(v)
        if "positive" in found:
            positive.add(cid)
        if "negative" in found:
            negative.add(cid)
    return positive, negative


def _round_changes(
    project: Project,
    codes: list[str],
    filters: Sequence[str],
    round_: str | None,
    compare: str | None,
) -> dict[str, RoundChange]:
    assert round_ is not None and compare is not None
    now_m = build_matrix(
        project,
        MatrixSpec(
            "case",
            "code",
            "cases",
            codes,
            None,
            True,
            [*filters, f"round={round_}", f"kind={INTERVIEW}"],
        ),
    )
    then_m = build_matrix(
        project,
        MatrixSpec(
            "case",
            "code",
            "cases",
            codes,
            None,
            True,
            [*filters, f"round={compare}", f"kind={INTERVIEW}"],
        ),
    )
    now_cases = count_denominators(
        project, parse_filters(project, [*filters, f"round={round_}"])
    ).cases
    then_cases = count_denominators(
        project, parse_filters(project, [*filters, f"round={compare}"])
    ).cases
    both = now_cases & then_cases
    out: dict[str, RoundChange] = {}
    for cid in codes:
        new = gone = same = 0
        for case in both:
            a = _value(then_m, case, cid) > 0
            b = _value(now_m, case, cid) > 0
            new += b and not a
            gone += a and not b
            same += a and b
        out[cid] = RoundChange(compare, new, gone, same, len(both))
    return out


# --- quotes -------------------------------------------------------------------------


def cut_quote(quote: str, before: str, limit: int = QUOTE_LIMIT) -> str:
    """A quote cut at sentence ends, with […] where it does not start or end with one.

    ``before`` is the text preceding the quote in its document, to tell a
    passage that starts a sentence from one that starts in the middle.
    """
    text = " ".join(quote.split())
    prefix = ""
    tail = before.rstrip()
    starts_sentence = not tail or tail[-1] in ".!?…:\"”'" or text[:1].isupper()
    if not starts_sentence:
        prefix = "[…] "
    if len(text) > limit:
        ends = [m.end() for m in _SENTENCE_END.finditer(text) if m.end() <= limit]
        if ends:
            text = text[: ends[-1]] + " […]"
        else:
            cut = text.rfind(" ", 0, limit)
            text = text[: cut if cut > 0 else limit].rstrip(",;:") + " […]"
    elif not _SENTENCE_END.search(text[-3:] + " "):
        text = text.rstrip(",;:") + " […]"
    return prefix + text


def choose_quotes(
    project: Project,
    passages: list[dict[str, Any]],
    used: set[str],
    *,
    text: Any = None,
    most: int = QUOTES_MAX,
    least: int = QUOTES_MIN,
) -> list[ChapterQuote]:
    """2–5 quotes spread over regions and roles; a passage is quoted once per chapter.

    ``used`` collects coding ids and quote texts across calls, so the same
    words coded with two themes appear under the first theme only.

    Greedy: each round takes the best remaining passage from a region and a
    role not yet quoted (then a new region, then a new role, then any), so
    five quotes from one talkative region never crowd out the others.
    Passages may come without their text: only a shortlist (the best by
    length, a few per region) is read from the project.
    """
    seen_text: set[str] = set()
    candidates = []
    for p in _shortlist(project, passages, used):
        key = " ".join(p["quote"].split()).lower()
        if p["coding_id"] in used or key in used or key in seen_text or len(key) < 25:
            continue
        seen_text.add(key)
        candidates.append(p)
    candidates.sort(key=lambda p: (-_quote_score(p["quote"]), p["case_name"] or "", p["start"]))
    chosen: list[dict[str, Any]] = []
    cases: set[Any] = set()
    roles: set[Any] = set()
    while candidates and len(chosen) < most:
        pick = (
            next(
                (p for p in candidates if p["case_id"] not in cases and p["role"] not in roles),
                None,
            )
            or next((p for p in candidates if p["case_id"] not in cases), None)
            or next((p for p in candidates if p["role"] not in roles), None)
        )
        if pick is None:
            if len(chosen) >= least:
                break
            pick = candidates[0]
        candidates.remove(pick)
        chosen.append(pick)
        cases.add(pick["case_id"])
        roles.add(pick["role"])
    out = []
    texts = _documents_text(project, {p["document_id"] for p in chosen})
    for p in chosen:
        used.add(p["coding_id"])
        used.add(" ".join(p["quote"].split()).lower())
        before = texts[p["document_id"]][max(0, p["start"] - 200) : p["start"]]
        quote = cut_quote(p["quote"], before)
        if text is not None:
            quote = text.text(quote)
        out.append(ChapterQuote(p["coding_id"], quote, p["role"], p["kind"], p["case_id"]))
    return out


SHORTLIST, PER_CASE = 120, 6


def _shortlist(
    project: Project, passages: list[dict[str, Any]], used: set[str]
) -> list[dict[str, Any]]:
    pre = [p for p in passages if p["coding_id"] not in used and p["end"] - p["start"] >= 25]
    pre.sort(
        key=lambda p: (-_length_score(p["end"] - p["start"]), p["case_name"] or "", p["start"])
    )
    per_case: dict[Any, int] = defaultdict(int)
    out: list[dict[str, Any]] = []
    for p in pre:
        if per_case[p["case_id"]] < PER_CASE:
            per_case[p["case_id"]] += 1
            out.append(p)
            if len(out) >= SHORTLIST:
                break
    missing = [p["coding_id"] for p in out if "quote" not in p]
    if missing:
        quotes = {
            r["id"]: r["quote"]
            for r in project.query(
                f"SELECT id, quote FROM codings WHERE id IN ({marks(missing)})", missing
            )
        }
        for p in out:
            p.setdefault("quote", quotes[p["coding_id"]])
    return out


def _length_score(n: int) -> float:
    return 1.0 if 80 <= n <= 300 else 0.6 if 40 <= n <= 500 else 0.2


def _quote_score(quote: str) -> float:
    """Prefer whole sentences of report length: 80–300 characters."""
    score = _length_score(len(quote.strip()))
    if _SENTENCE_END.search(quote.strip()[-3:] + " "):
        score += 0.3
    return score


def _documents_text(project: Project, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    rows = project.query(
        f"SELECT document_id, text FROM document_texts WHERE document_id IN ({marks(sorted(ids))})",
        sorted(ids),
    )
    return {r["document_id"]: r["text"] for r in rows}
