"""Intercoder agreement on a project: load coders' codings, build units, compute, explain.

One module: loading, unitising and explaining agreement share the loaded codings.

This is the database-facing half of :mod:`casebook.agreement`; ``units`` and
``stats`` stay pure. Everything a report needs comes back in one
:class:`AgreementResult`, including a method statement written from the data
actually used (unit, rule, coders, documents), so the numbers and the text
that explains them can never drift apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from itertools import combinations
from typing import Any, Literal

import numpy as np

from casebook.agreement.stats import (
    Estimate,
    Interval,
    bootstrap_alpha_ci,
    cohen_kappa,
    fleiss_kappa,
    percent_agreement,
)
from casebook.agreement.units import (
    RULES,
    Range,
    Rule,
    char_disagreements,
    character_matrix,
    merge_ranges,
    unit_disagreements,
    unit_matrix,
)
from casebook.autocode.rules import get_rule, rule_ranges
from casebook.autocode.units import documents_in_scope
from casebook.codes.codebook import resolve_code
from casebook.core.documents import document_text, resolve_document
from casebook.core.query import marks
from casebook.errors import InvalidInput, NotFound
from casebook.store.project import Project

Unit = Literal["character", "sentence", "paragraph", "turn", "document"]
UNITS: tuple[Unit, ...] = ("character", "sentence", "paragraph", "turn", "document")
SEGMENT_KINDS: dict[str, tuple[str, ...]] = {
    "sentence": ("sentence",),
    "paragraph": ("paragraph", "table_row"),
    "turn": ("turn",),
}
PASSAGE_CHARS = 120
DEFAULT_RESAMPLES = 1000
DEFAULT_SEED = 20240601
POOLED = "(pooled)"


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement on one code, or on all codes pooled (``code == POOLED``)."""

    code_id: str | None
    code: str
    label: str | None
    units: int
    coded: dict[str, int]
    percent: Estimate
    cohen: Estimate | None
    pairwise: dict[str, Estimate]
    fleiss: Estimate
    alpha: Interval


@dataclass(frozen=True)
class DisagreementRow:
    """A passage some coders gave a code and others did not."""

    document_id: str
    document: str
    code: str
    start: int
    end: int
    passage: str
    coded_by: tuple[str, ...]
    not_coded_by: tuple[str, ...]


@dataclass(frozen=True)
class AgreementResult:
    unit: Unit
    rule: Rule
    children: bool
    coders: list[str]
    documents: list[dict[str, Any]]
    per_code: list[CodeAgreement]
    pooled: CodeAgreement
    disagreements: list[DisagreementRow]
    method: str
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; undefined coefficients are ``null`` with their reason."""
        return {
            "unit": self.unit,
            "rule": self.rule if self.unit != "character" else None,
            "children": self.children,
            "coders": self.coders,
            "documents": self.documents,
            "per_code": [_code_dict(c) for c in self.per_code],
            "pooled": _code_dict(self.pooled),
            "disagreements": [
                {**asdict(d), "coded_by": list(d.coded_by), "not_coded_by": list(d.not_coded_by)}
                for d in self.disagreements
            ],
            "method": self.method,
            "notes": self.notes,
        }


def _estimate_dict(e: Estimate | None) -> dict[str, Any] | None:
    return None if e is None else asdict(e)


def _code_dict(c: CodeAgreement) -> dict[str, Any]:
    a = c.alpha
    return {
        "code_id": c.code_id,
        "code": c.code,
        "label": c.label,
        "units": c.units,
        "coded": c.coded,
        "percent_agreement": _estimate_dict(c.percent),
        "cohen_kappa": _estimate_dict(c.cohen),
        "pairwise_cohen_kappa": {k: asdict(v) for k, v in c.pairwise.items()},
        "fleiss_kappa": _estimate_dict(c.fleiss),
        "krippendorff_alpha": {
            **asdict(a.point),
            "ci_low": a.low,
            "ci_high": a.high,
            "ci_level": a.level,
            "resamples": a.resamples,
            "defined_resamples": a.defined_resamples,
            "ci_reason": a.reason,
        },
    }


# --- selecting coders, documents and codes -------------------------------------------


def _split(values: Iterable[str] | None) -> list[str]:
    return [v.strip() for item in values or () for v in item.split(",") if v.strip()]


def _coders(project: Project, names: Sequence[str] | None) -> dict[str, str]:
    """Coder name -> id, in the order given (default: every coder with codings)."""
    rows = project.query(
        "SELECT o.id, o.name FROM coders o WHERE EXISTS "
        "(SELECT 1 FROM codings k WHERE k.coder_id = o.id) ORDER BY o.name"
    )
    if not names:
        chosen = {r["name"]: r["id"] for r in rows}
    else:
        known = {r["name"]: r["id"] for r in project.query("SELECT id, name FROM coders")}
        chosen = {}
        for name in names:
            if name.startswith(AUTO):
                chosen[name] = AUTO + get_rule(project, name[len(AUTO) :]).id  # type: ignore[operator]
                continue
            if name not in known:
                listed = ", ".join(r["name"] for r in rows) or "none yet"
                raise NotFound(f"no coder '{name}' in this project; coders with codings: {listed}")
            chosen[name] = known[name]
    if len(chosen) == 1 and next(iter(chosen)).startswith(AUTO):
        chosen.update({r["name"]: r["id"] for r in rows})  # a rule against every person who coded
    if len(chosen) < 2:
        have = ", ".join(chosen) or "none"
        raise InvalidInput(
            f"agreement needs at least two coders (have: {have}); name them with --coders A,B"
        )
    return chosen


def _documents(
    project: Project,
    refs: Sequence[str] | None,
    coder_ids: Mapping[str, str],
    notes: list[str],
    auto: Mapping[str, _AutoCoder] | None = None,
) -> list[dict[str, Any]]:
    by_id = {v: k for k, v in coder_ids.items()}
    slots = marks(by_id)
    taking_part: dict[str, list[str]] = {}
    for r in project.query(
        f"SELECT DISTINCT document_id, coder_id FROM codings WHERE coder_id IN ({slots})",
        list(by_id),
    ):
        taking_part.setdefault(r["document_id"], []).append(by_id[r["coder_id"]])
    for name, ranges in (auto or {}).items():
        for doc_id in ranges.documents:
            taking_part.setdefault(doc_id, []).append(name)
    order = list(coder_ids)
    if refs:
        docs: list[dict[str, Any]] = []
        for ref in refs:
            doc = resolve_document(project, ref)
            if doc["id"] not in {d["id"] for d in docs}:
                docs.append(doc)
    else:
        docs = project.query(
            "SELECT d.* FROM documents d LEFT JOIN cases c ON c.id = d.case_id ORDER BY c.name, d.name"
        )
    out = []
    for doc in docs:
        who = sorted(taking_part.get(doc["id"], []), key=order.index)
        if len(who) >= 2:
            out.append({"id": doc["id"], "name": doc["name"], "coders": who})
        elif refs:
            notes.append(
                f"{doc['name']} left out: coded by {', '.join(who) or 'none'} of the selected coders"
            )
    if not out:
        raise InvalidInput(
            f"no document was coded by two or more of the coders {', '.join(order)}; "
            "agreement compares coders on the same documents"
        )
    return out


def _codes(
    project: Project,
    refs: Sequence[str] | None,
    children: bool,
    documents: Sequence[dict[str, Any]],
    coder_ids: Mapping[str, str],
    auto: Mapping[str, _AutoCoder] | None = None,
) -> list[tuple[dict[str, Any], set[str]]]:
    """The codes to compare, each with the code ids whose codings count for it."""
    all_codes = project.query("SELECT id, parent_id, path, label FROM codes ORDER BY path")
    by_id = {c["id"]: c for c in all_codes}
    kids: dict[str, list[str]] = {}
    for c in all_codes:
        if c["parent_id"]:
            kids.setdefault(c["parent_id"], []).append(c["id"])

    def below(code_id: str) -> set[str]:
        out, stack = {code_id}, [code_id]
        while stack:
            for k in kids.get(stack.pop(), ()):
                if k not in out:
                    out.add(k)
                    stack.append(k)
        return out

    if refs:
        chosen = []
        for ref in refs:
            code = resolve_code(project, ref)
            if code["id"] not in chosen:
                chosen.append(code["id"])
    else:
        doc_marks = marks(documents)
        coder_marks = marks(coder_ids)
        used = (
            {
                r["code_id"]
                for r in project.query(
                    f"SELECT DISTINCT code_id FROM codings WHERE document_id IN ({doc_marks})"
                    f" AND coder_id IN ({coder_marks})",
                    [d["id"] for d in documents] + list(coder_ids.values()),
                )
            }
            if coder_ids
            else set()
        )
        used |= {a.code_id for a in (auto or {}).values()}
        if children:
            for code_id in list(used):
                parent = by_id[code_id]["parent_id"]
                while parent:
                    used.add(parent)
                    parent = by_id[parent]["parent_id"]
        chosen = [c["id"] for c in all_codes if c["id"] in used]
        if not chosen:
            raise InvalidInput("the selected coders applied no codes to the selected documents")
    return [(by_id[c], below(c) if children else {c}) for c in chosen]


# --- autocoding rules as coders ("auto:NAME") ----------------------------------------

AUTO = "auto:"


@dataclass
class _AutoCoder:
    """What a saved autocoding rule would code, per document, ignoring the existing codings."""

    code_id: str
    ranges: dict[str, list[Range]]

    @property
    def documents(self) -> list[str]:
        return list(self.ranges)


def _auto_coders(project: Project, coder_ids: Mapping[str, str]) -> dict[str, _AutoCoder]:
    """Run each ``auto:NAME`` rule over its scope; every document in scope takes part, hit or not."""
    out: dict[str, _AutoCoder] = {}
    for name in coder_ids:
        if not name.startswith(AUTO):
            continue
        rule = get_rule(project, name[len(AUTO) :])
        in_scope = [d["id"] for d in documents_in_scope(project, rule.scope)]
        found = rule_ranges(project, rule.name or "", in_scope)
        out[name] = _AutoCoder(rule.code_id, {d: found.get(d, []) for d in in_scope})
    return out


# --- building the reliability data ---------------------------------------------------


@dataclass
class _DocData:
    id: str
    name: str
    text: str
    coders: list[str]
    units: list[Range]
    clusters: np.ndarray
    ranges: dict[str, dict[str, list[Range]]]  # code id -> coder -> merged ranges


def _units_of(project: Project, doc_id: str, text: str, unit: Unit) -> list[Range]:
    if unit == "character":
        return []
    if unit == "document":
        return [(0, len(text))]
    kinds = SEGMENT_KINDS[unit]
    slots = marks(kinds)
    rows = project.conn.execute(
        f"SELECT start, end FROM segments WHERE document_id = ? AND kind IN ({slots}) ORDER BY start, end",
        (doc_id, *kinds),
    ).fetchall()
    return [(int(s), int(e)) for s, e in rows]


def _clusters(
    project: Project, doc_id: str, text: str, unit: Unit, units: list[Range]
) -> np.ndarray:
    """Bootstrap cluster per unit: the paragraph a character or sentence lies in, else the unit."""
    if unit in ("paragraph", "turn", "document"):
        return np.arange(len(units), dtype=np.int64)
    paragraphs = _units_of(project, doc_id, text, "paragraph")
    starts = np.asarray([s for s, _ in paragraphs] or [0], dtype=np.int64)
    if unit == "character":
        positions = np.arange(len(text), dtype=np.int64)
    else:
        positions = np.asarray([s for s, _ in units], dtype=np.int64)
    return np.maximum(np.searchsorted(starts, positions, side="right") - 1, 0)


def _load(
    project: Project,
    documents: Sequence[dict[str, Any]],
    codes: Sequence[tuple[dict[str, Any], set[str]]],
    coder_ids: Mapping[str, str],
    unit: Unit,
    auto: Mapping[str, _AutoCoder] | None = None,
) -> list[_DocData]:
    name_of = {v: k for k, v in coder_ids.items()}
    counts_for: dict[str, list[str]] = {}
    for code, members in codes:
        for m in members:
            counts_for.setdefault(m, []).append(code["id"])
    out = []
    for doc in documents:
        text = document_text(project, doc["id"])
        raw: dict[str, dict[str, list[Range]]] = {code["id"]: {} for code, _ in codes}
        for code_id, coder_id, s, e in project.conn.execute(
            "SELECT code_id, coder_id, start, end FROM codings WHERE document_id = ?", (doc["id"],)
        ):
            coder = name_of.get(coder_id)
            if coder is None:
                continue
            for target in counts_for.get(code_id, ()):
                raw[target].setdefault(coder, []).append((int(s), int(e)))
        for coder, a in (auto or {}).items():
            for target in counts_for.get(a.code_id, ()):
                raw[target].setdefault(coder, []).extend(a.ranges.get(doc["id"], ()))
        ranges = {
            code: {coder: merge_ranges(rs, len(text)) for coder, rs in per.items()}
            for code, per in raw.items()
        }
        units = _units_of(project, doc["id"], text, unit)
        clusters = _clusters(project, doc["id"], text, unit, units)
        out.append(_DocData(doc["id"], doc["name"], text, doc["coders"], units, clusters, ranges))
    return out


def _doc_matrix(d: _DocData, code_id: str, unit: Unit, rule: Rule) -> np.ndarray:
    """Present coders x units for one code in one document."""
    if unit == "character":
        return character_matrix(len(d.text), d.ranges[code_id], d.coders)
    return unit_matrix(d.text, d.units, d.ranges[code_id], d.coders, rule)


# --- statistics ----------------------------------------------------------------------


def _with_missing(matrix: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """Bool data when every coder has a value (fast path), else float with NaN for missing."""
    if not missing.any():
        return matrix
    data = matrix.astype(np.float32)
    data[missing] = np.nan
    return data


def _percent(matrix: np.ndarray, missing: np.ndarray, coders: Sequence[str]) -> Estimate:
    if len(coders) == 2:
        return percent_agreement(*_with_missing(matrix, missing))
    present = (~missing).sum(axis=0)
    coded = (matrix & ~missing).sum(axis=0)
    pairable = present >= 2
    n = int(pairable.sum())
    if n == 0:
        return Estimate(
            "percent agreement", None, None, None, 0, 0, "no unit has values from two coders"
        )
    agree = pairable & ((coded == 0) | (coded == present))
    po = float(agree.sum()) / n
    return Estimate("percent agreement", po, po, None, n, int(present[pairable].sum()))


def _fleiss(matrix: np.ndarray, missing: np.ndarray) -> Estimate:
    complete = ~missing.any(axis=0)
    if not complete.any():
        return Estimate("Fleiss' kappa", None, None, None, 0, 0, "no unit was coded by every coder")
    yes = matrix[:, complete].sum(axis=0)
    return fleiss_kappa(np.stack([yes, matrix.shape[0] - yes], axis=1))


def _agreement(
    code_id: str | None,
    code: str,
    label: str | None,
    matrix: np.ndarray,
    missing: np.ndarray,
    clusters: np.ndarray | None,
    coders: Sequence[str],
    resamples: int,
    seed: int,
) -> CodeAgreement:
    data = _with_missing(matrix, missing)
    pairs = {
        f"{coders[i]}|{coders[j]}": cohen_kappa(data[i], data[j])
        for i, j in combinations(range(len(coders)), 2)
    }
    cohen = next(iter(pairs.values())) if len(coders) == 2 else None
    alpha = bootstrap_alpha_ci(data, n=resamples, seed=seed, clusters=clusters)
    coded = {c: int((matrix[i] & ~missing[i]).sum()) for i, c in enumerate(coders)}
    return CodeAgreement(
        code_id,
        code,
        label,
        int(matrix.shape[1]),
        coded,
        _percent(matrix, missing, coders),
        cohen,
        pairs if len(coders) > 2 else {},
        _fleiss(matrix, missing),
        alpha,
    )


# --- disagreements -------------------------------------------------------------------


def _passage(text: str, start: int, end: int) -> str:
    piece = " ".join(text[start:end].split())
    return piece if len(piece) <= PASSAGE_CHARS else piece[: PASSAGE_CHARS - 1] + "…"


def _disagreements(
    d: _DocData, code: dict[str, Any], matrix: np.ndarray | None, unit: Unit
) -> list[DisagreementRow]:
    if unit == "character":
        runs = char_disagreements(len(d.text), d.ranges[code["id"]], d.coders, d.text)
        spans = [(r.start, r.end, r) for r in runs]
    else:
        assert matrix is not None  # unit agreement always builds its matrix
        runs = unit_disagreements(matrix, d.coders)
        spans = [(d.units[r.start][0], d.units[r.end - 1][1], r) for r in runs]
    return [
        DisagreementRow(
            d.id, d.name, code["path"], s, e, _passage(d.text, s, e), r.coded_by, r.not_coded_by
        )
        for s, e, r in spans
    ]


# --- the method statement ------------------------------------------------------------

_UNIT_WORDS = {
    "character": "each character of a document's canonical text (as in NVivo)",
    "sentence": "each sentence",
    "paragraph": "each paragraph, table rows included",
    "turn": "each speaker turn",
    "document": "each whole document",
}
_RULE_WORDS = {
    "any-overlap": "their codings of that code cover at least one non-whitespace character of it",
    "majority": "their codings of that code cover at least half of its non-whitespace characters",
}


def method_statement(
    unit: Unit,
    rule: Rule,
    children: bool,
    coders: Sequence[str],
    documents: Sequence[dict[str, Any]],
    n_codes: int,
    n_units: int,
    resamples: int,
    seed: int,
    level: float = 0.95,
    codes_given: bool = True,
) -> str:
    """A paragraph a report can quote: what was compared, how, and on how much data."""
    n_docs = len(documents)
    coder_list = ", ".join(coders)
    parts = [
        f"Intercoder agreement was computed with casebook for {len(coders)} coders ({coder_list}) "
        f"on {n_docs} document{'s' if n_docs != 1 else ''} coded by at least two of them, "
        f"for {n_codes} code{'s' if n_codes != 1 else ''}"
        + (
            "."
            if codes_given
            else " (every code one of them applied there"
            + (", and the codes above those)." if children else ").")
        )
    ]
    if unit == "character":
        parts.append(
            f"The unit of analysis was {_UNIT_WORDS[unit]}: a coder coded a character for a code "
            f"when one of their codings of that code contains it ({n_units:,} units)."
        )
    else:
        parts.append(
            f"The unit of analysis was {_UNIT_WORDS[unit]} ({n_units:,} units); a coder coded a unit "
            f"for a code when {_RULE_WORDS[rule]} (rule '{rule}'); a unit holding only whitespace "
            "is never coded."
        )
    parts.append(
        "Each coder's own overlapping codings of one code were merged first, so a passage coded "
        "twice counts once."
    )
    if children:
        parts.append("Codings of a code's descendants counted for the code itself.")
    else:
        parts.append(
            "Only codings of the code itself counted; a coding of a child code did not count for its parent."
        )
    parts.append(
        "Not applying a code to a unit was a judgement (value 0); a coder who did not code a "
        "document at all had missing values for it."
    )
    two = len(coders) == 2
    parts.append(
        "Percentage agreement is the share of units on which "
        + (
            "both coders gave the same value"
            if two
            else "all coders with a value gave the same value"
        )
        + ", not corrected for chance. "
        "Cohen's κ = (p_o − p_e)/(1 − p_e) with p_e = Σ_c p_A(c)·p_B(c)"
        + ("" if two else ", reported for each pair of coders on the units both coded")
        + ". Fleiss' κ uses p_e = Σ_j p_j² over the units that every coder coded. "
        "Krippendorff's α (nominal) = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k from the "
        "coincidence matrix (Krippendorff 2011); units with fewer than two values drop out."
    )
    if unit in ("character", "sentence"):
        what = "characters" if unit == "character" else "sentences"
        boot = f"whole paragraphs, because neighbouring {what} are not independent"
    else:
        boot = f"{unit}s"
    parts.append(
        f"The {level:.0%} interval for α is a percentile bootstrap over {resamples:,} resamples "
        f"(seed {seed}) of {boot}; resamples without variation were left out."
    )
    parts.append(
        f"Pooled figures treat every (unit, code) pair as one binary unit ({n_units * n_codes:,} "
        "in all); their bootstrap draws the same clusters, each with all its codes."
    )
    parts.append(
        "A coefficient is reported as undefined, not as 1.0, when the coders showed no variation. "
        "See docs/agreement-method.md."
    )
    return " ".join(parts)


# --- the entry point -----------------------------------------------------------------


def compute_agreement(
    project: Project,
    *,
    coders: Sequence[str] | None = None,
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    unit: Unit = "character",
    rule: Rule = "any-overlap",
    children: bool = False,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int = DEFAULT_SEED,
) -> AgreementResult:
    """Agreement per code and pooled, with the disagreement list and a method statement."""
    if unit not in UNITS:
        raise InvalidInput(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    if rule not in RULES:
        raise InvalidInput(f"unknown coverage rule {rule!r}; use one of {', '.join(RULES)}")
    if resamples < 1:
        raise InvalidInput("--resamples must be at least 1")
    notes: list[str] = []
    coder_ids = _coders(project, _split(coders))
    names = list(coder_ids)
    auto = _auto_coders(project, coder_ids)
    human_ids = {k: v for k, v in coder_ids.items() if k not in auto}
    docs = _documents(project, _split(documents), coder_ids, notes, auto)
    chosen = _codes(project, _split(codes), children, docs, human_ids, auto)
    data = _load(project, docs, chosen, coder_ids, unit, auto)
    if unit != "character":
        empty = [d.name for d in data if not d.units]
        if empty:
            notes.append(
                f"{len(empty)} document(s) have no {unit} segments and add no units: "
                + ", ".join(empty[:5])
                + ("…" if len(empty) > 5 else "")
            )

    widths = [len(d.text) if unit == "character" else len(d.units) for d in data]
    total = int(sum(widths))
    if total == 0:
        raise InvalidInput(f"the selected documents have no {unit} units to compare")
    row = {c: i for i, c in enumerate(names)}
    missing = np.ones((len(names), total), dtype=bool)
    clusters = np.zeros(total, dtype=np.int64)
    offset = cluster_base = 0
    for d, w in zip(data, widths, strict=True):
        for c in d.coders:
            missing[row[c], offset : offset + w] = False
        clusters[offset : offset + w] = d.clusters + cluster_base
        cluster_base += int(d.clusters.max()) + 1 if w else 0
        offset += w
    use_clusters = clusters if unit in ("character", "sentence") else None

    per_code: list[CodeAgreement] = []
    tables: list[np.ndarray] = []
    disagreements: list[DisagreementRow] = []
    for code, _members in chosen:
        matrix = np.zeros((len(names), total), dtype=bool)
        offset = 0
        for d, w in zip(data, widths, strict=True):
            if w:
                part = _doc_matrix(d, code["id"], unit, rule)
                for i, c in enumerate(d.coders):
                    matrix[row[c], offset : offset + w] = part[i]
                disagreements += _disagreements(d, code, part, unit)
            offset += w
        tables.append(matrix)
        per_code.append(
            _agreement(
                code["id"],
                code["path"],
                code["label"],
                matrix,
                missing,
                use_clusters,
                names,
                resamples,
                seed,
            )
        )

    pooled_matrix = np.hstack(tables)
    pooled_missing = np.tile(missing, len(tables))
    pooled_clusters = np.tile(
        clusters if unit in ("character", "sentence") else np.arange(total), len(tables)
    )
    pooled = _agreement(
        None, POOLED, None, pooled_matrix, pooled_missing, pooled_clusters, names, resamples, seed
    )
    position = {d["id"]: i for i, d in enumerate(docs)}
    disagreements.sort(key=lambda r: (position[r.document_id], r.start, r.code))
    method = method_statement(
        unit,
        rule,
        children,
        names,
        docs,
        len(chosen),
        total,
        resamples,
        seed,
        codes_given=bool(_split(codes)),
    )
    return AgreementResult(
        unit, rule, children, names, docs, per_code, pooled, disagreements, method, notes
    )


# --- one document, two coders (the TUI comparison view) ------------------------------


@dataclass(frozen=True)
class DocumentComparison:
    """Two coders' merged ranges per code on one document, and where they differ."""

    document_id: str
    name: str
    text: str
    coder_a: str
    coder_b: str
    codes: list[dict[str, Any]]  # id, path, label, colour: every code either coder applied
    ranges: dict[str, dict[str, list[Range]]]  # code id -> coder -> merged ranges
    disagreements: list[DisagreementRow]


def compare_document(
    project: Project, document_id: str, coder_a: str, coder_b: str
) -> DocumentComparison:
    """Everything the side-by-side view draws, computed at character level."""
    if coder_a == coder_b:
        raise InvalidInput("choose two different coders to compare")
    doc = resolve_document(project, document_id)
    ids = _coders(project, [coder_a, coder_b])
    text = document_text(project, doc["id"])
    rows = project.query(
        "SELECT k.code_id, o.name AS coder, k.start, k.end FROM codings k "
        "JOIN coders o ON o.id = k.coder_id WHERE k.document_id = ? AND k.coder_id IN (?, ?)",
        (doc["id"], ids[coder_a], ids[coder_b]),
    )
    raw: dict[str, dict[str, list[Range]]] = {}
    for r in rows:
        raw.setdefault(r["code_id"], {}).setdefault(r["coder"], []).append((r["start"], r["end"]))
    ranges = {
        code: {coder: merge_ranges(rs, len(text)) for coder, rs in per.items()}
        for code, per in raw.items()
    }
    codes = [
        c
        for c in project.query("SELECT id, path, label, colour FROM codes ORDER BY path")
        if c["id"] in ranges
    ]
    d = _DocData(doc["id"], doc["name"], text, [coder_a, coder_b], [], np.zeros(0), ranges)
    found = [row for c in codes for row in _disagreements(d, c, None, "character")]
    found.sort(key=lambda r: (r.start, r.end, r.code))
    return DocumentComparison(doc["id"], doc["name"], text, coder_a, coder_b, codes, ranges, found)
