"""Scoring partner detection and proposals on a hand-marked corpus.

A gold corpus is a folder with ``cases.csv``, ``partners.csv`` (official
names), ``manifest.csv`` and plain-text files in which the truth is marked
inline:

- ``[[surface text|Official Name]]`` — a mention of a registry organisation;
- ``{{CODE|Org A;Org B: passage text}}`` — a collaboration passage coded CODE
  that involves Org A and Org B (mention marks may sit inside).

The marks are stripped into a temporary project built the ordinary way
(cases, registry, codebook, manifest import), the gold passages are coded at
the stripped offsets, detection and proposals run, and the result is
compared with the marks. Nothing here knows the rules it scores.
"""

from __future__ import annotations

import csv
import difflib
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casebook.codes.io import import_codebook
from casebook.core import cases as cases_mod
from casebook.core.codings import add_coding
from casebook.core.documents import import_batch
from casebook.errors import InvalidInput
from casebook.manifest import read_manifest
from casebook.partners.links import case_context, propose_partners, turn_organisations
from casebook.partners.registry import import_partners_csv
from casebook.partners.review_replay import ReviewPlay, replay_review
from casebook.partners.storage import detect_case
from casebook.store.project import Project, open_project

_MENTION = re.compile(r"\[\[([^\[\]|]+)\|([^\[\]]+)\]\]")
_PASSAGE_OPEN = re.compile(r"\{\{([^|{}]+)\|([^:{}]*):\s?")


@dataclass
class GoldMention:
    start: int
    end: int
    surface: str
    organisation: str


@dataclass
class GoldPassage:
    start: int
    end: int
    code: str
    partners: list[str]


@dataclass
class MarkedText:
    text: str
    mentions: list[GoldMention] = field(default_factory=list)
    passages: list[GoldPassage] = field(default_factory=list)


def strip_marks(marked: str, where: str = "text") -> MarkedText:
    """The plain text with the gold mentions and passages at their plain-text offsets."""
    out: list[str] = []
    length = 0
    result = MarkedText("")
    open_passage: tuple[int, str, list[str]] | None = None
    pos = 0
    while pos < len(marked):
        if marked.startswith("[[", pos):
            m = _MENTION.match(marked, pos)
            if not m:
                raise InvalidInput(
                    f"{where}: unclosed or malformed [[surface|Official Name]] at character {pos}"
                )
            surface = m.group(1)
            result.mentions.append(
                GoldMention(length, length + len(surface), surface, m.group(2).strip())
            )
            out.append(surface)
            length += len(surface)
            pos = m.end()
        elif marked.startswith("{{", pos):
            m = _PASSAGE_OPEN.match(marked, pos)
            if not m or open_passage is not None:
                raise InvalidInput(
                    f"{where}: malformed or nested {{{{CODE|Org A;Org B: passage}}}} at character {pos}"
                )
            partners = [p.strip() for p in m.group(2).split(";") if p.strip()]
            open_passage = (length, m.group(1).strip(), partners)
            pos = m.end()
        elif marked.startswith("}}", pos) and open_passage is not None:
            start, code, partners = open_passage
            result.passages.append(GoldPassage(start, length, code, partners))
            open_passage = None
            pos += 2
        else:
            out.append(marked[pos])
            length += 1
            pos += 1
    if open_passage is not None:
        raise InvalidInput(f"{where}: a {{{{passage}}}} mark is not closed")
    result.text = "".join(out)
    return result


def offset_map(source: str, target: str) -> list[int]:
    """For each character offset of ``source`` (and its end), the matching offset in ``target``.

    Import may change whitespace or drop a byte-order mark; equal stretches
    keep their offsets, changed stretches map proportionally.
    """
    mapping = [0] * (len(source) + 1)
    matcher = difflib.SequenceMatcher(None, source, target, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        for k in range(i1, i2):
            mapping[k] = j1 + (
                k - i1 if tag == "equal" else min(j2 - j1, (k - i1) * (j2 - j1) // max(1, i2 - i1))
            )
    mapping[len(source)] = len(target)
    return mapping


@dataclass
class PassageScore:
    document: str
    code: str
    gold: list[str]
    proposed: list[str]

    @property
    def complete(self) -> bool:
        return set(self.gold) <= set(self.proposed)

    @property
    def extra(self) -> list[str]:
        return [p for p in self.proposed if p not in self.gold]


@dataclass
class Score:
    corpus: str
    gold_mentions: int = 0
    found: int = 0
    detected: int = 0
    correct_detected: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[dict[str, Any]] = field(default_factory=list)
    passages: list[PassageScore] = field(default_factory=list)
    labels: int = 0  # gold marks in speaker labels, which import keeps out of the text
    labels_found: int = 0  # … whose turn speaks for the marked organisation
    review: ReviewPlay | None = None
    after_review: Score | None = None

    @property
    def recall(self) -> float:
        return self.found / self.gold_mentions if self.gold_mentions else 1.0

    @property
    def precision(self) -> float:
        return self.correct_detected / self.detected if self.detected else 1.0

    @property
    def passages_complete(self) -> float:
        return sum(p.complete for p in self.passages) / len(self.passages) if self.passages else 1.0

    @property
    def extra_share(self) -> float:
        proposed = sum(len(p.proposed) for p in self.passages)
        return sum(len(p.extra) for p in self.passages) / proposed if proposed else 0.0

    def as_dict(self, details: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "corpus": self.corpus,
            "gold_mentions": self.gold_mentions,
            "mention_recall": round(self.recall, 4),
            "detected_resolved": self.detected,
            "mention_precision": round(self.precision, 4),
            "speaker_label_marks": self.labels,
            "speaker_label_marks_found": self.labels_found,
            "passages": len(self.passages),
            "passages_complete": round(self.passages_complete, 4),
            "extra_partner_share": round(self.extra_share, 4),
        }
        if self.review is not None and self.after_review is not None:
            after = self.after_review
            out["review"] = self.review.as_dict()
            out["after_review"] = {
                "mention_recall": round(after.recall, 4),
                "mention_precision": round(after.precision, 4),
                "passages_complete": round(after.passages_complete, 4),
                "extra_partner_share": round(after.extra_share, 4),
            }
        if details:
            out["missed"] = self.missed
            out["wrong"] = self.wrong
            out["passage_details"] = [
                {
                    "document": p.document,
                    "code": p.code,
                    "gold": p.gold,
                    "proposed": p.proposed,
                    "complete": p.complete,
                    "extra": p.extra,
                }
                for p in self.passages
            ]
        return out


# Gold corpora without their own codebook.yaml are coded with the STO codebook of the repository
# (an evaluation runs from a checkout, like the bench scripts that call it).
STO_CODEBOOK = Path(__file__).resolve().parents[2] / "codebooks" / "sto.yaml"


def evaluate_corpus(
    directory: Path,
    *,
    codebook: Path | None = None,
    keep: Path | None = None,
    review: bool = False,
) -> Score:
    """Build a throw-away project from a marked corpus folder and score detection and proposals.

    With ``review`` the analyst's review is replayed from the gold afterwards
    (see review_replay) and the score after it is kept in ``after_review``.
    """
    directory = Path(directory)
    for needed in ("cases.csv", "partners.csv", "manifest.csv"):
        if not (directory / needed).exists():
            raise InvalidInput(
                f"{directory}: no {needed}; a gold corpus needs cases.csv, partners.csv, manifest.csv"
            )
    work = Path(tempfile.mkdtemp(prefix="casebook-eval-"))
    try:
        return _evaluate(directory, work, codebook, keep, review)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _evaluate(
    directory: Path, work: Path, codebook: Path | None, keep: Path | None, review: bool
) -> Score:
    marked: dict[str, MarkedText] = {}
    with (directory / "manifest.csv").open(encoding="utf-8-sig", newline="") as fh:
        files = [row["file"] for row in csv.DictReader(fh)]
    for rel in files:
        src = directory / rel
        if not src.exists():
            raise InvalidInput(
                f"{directory / 'manifest.csv'}: names {rel}, which is not in {directory}"
            )
        mt = strip_marks(src.read_text(encoding="utf-8"), str(src))
        marked[Path(rel).name] = mt
        dst = work / "corpus" / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        dst.write_text(mt.text, encoding="utf-8")
    for name in ("cases.csv", "partners.csv", "manifest.csv"):
        shutil.copy(directory / name, work / "corpus" / name)
    project_path = keep or work / "eval.casebook"
    if keep and keep.exists():
        keep.unlink()
    project = open_project(project_path, coder="gold")
    try:
        import_codebook(
            project,
            codebook
            or (
                directory / "codebook.yaml"
                if (directory / "codebook.yaml").exists()
                else STO_CODEBOOK
            ),
        )
        cases_mod.import_cases_csv(project, work / "corpus" / "cases.csv")
        outcomes = import_batch(project, read_manifest(work / "corpus" / "manifest.csv"))
        failed = [o for o in outcomes if o.status == "failed"]
        if failed:
            raise InvalidInput(f"{failed[0].path}: {failed[0].message}")
        import_partners_csv(project, work / "corpus" / "partners.csv")
        orgs = {
            (r["case_id"], r["name"].casefold()): r["id"]
            for r in project.query("SELECT * FROM organisations")
        }
        docs = project.query(
            "SELECT d.id, d.source_name, d.case_id, t.text FROM documents d "
            "JOIN document_texts t ON t.document_id = d.id"
        )
        gold_codings: list[tuple[str, str, GoldPassage]] = []
        gold_by_doc: dict[str, list[tuple[int, int, str, GoldMention]]] = {}

        def org_id(case_id: str, name: str, where: str) -> str:
            key = (case_id, name.casefold())
            if key not in orgs:
                raise InvalidInput(
                    f"{where}: '{name}' is not an organisation of this case in partners.csv"
                )
            return orgs[key]

        with project.transaction():
            for d in docs:
                mt = marked[d["source_name"]]
                where = str(directory / d["source_name"])
                mapping = offset_map(mt.text, d["text"])
                gold_by_doc[d["id"]] = [
                    (
                        mapping[g.start],
                        mapping[g.end],
                        org_id(d["case_id"], g.organisation, where),
                        g,
                    )
                    for g in mt.mentions
                ]
                for p in mt.passages:
                    code_id = project.scalar("SELECT id FROM codes WHERE path = ?", (p.code,))
                    if code_id is None:
                        raise InvalidInput(f"{where}: code {p.code} is not in the codebook")
                    for name in p.partners:
                        org_id(d["case_id"], name, where)
                    cid = add_coding(
                        project, d["id"], code_id, mapping[p.start], mapping[p.end], coder="gold"
                    )
                    gold_codings.append((cid, d["source_name"], p))
        case_ids = sorted({d["case_id"] for d in docs})
        for case_id in case_ids:
            detect_case(project, case_id, force=True, use_model=False)
        score = _score(project, str(directory), docs, gold_by_doc, gold_codings)
        if review:
            texts = {d["id"]: d["text"] for d in docs}
            plain = {  # marks in speaker labels are not in the text: no review decision reaches them
                doc: [
                    (a, b, oid, g.surface) for a, b, oid, g in gold if texts[doc][a:b] == g.surface
                ]
                for doc, gold in gold_by_doc.items()
            }
            score.review = ReviewPlay()
            for case_id in case_ids:
                in_case = {d["id"] for d in docs if d["case_id"] == case_id}
                play = replay_review(
                    project, case_id, {k: v for k, v in plain.items() if k in in_case}
                )
                score.review = score.review.add(play)
            score.after_review = _score(project, str(directory), docs, gold_by_doc, gold_codings)
        return score
    finally:
        project.close()


def _score(
    project: Project,
    corpus: str,
    docs: list[dict[str, Any]],
    gold_by_doc: dict[str, list[tuple[int, int, str, GoldMention]]],
    gold_codings: list[tuple[str, str, GoldPassage]],
) -> Score:
    """Compare the project's mentions and proposals, as they stand, with the gold."""
    score = Score(corpus)
    names = {r["id"]: r["name"] for r in project.query("SELECT id, name FROM organisations")}
    by_name = {
        (r["case_id"], r["name"].casefold()): r["id"]
        for r in project.query("SELECT id, case_id, name FROM organisations")
    }
    contexts: dict[str, Any] = {}

    def context(case_id: str) -> Any:
        if case_id not in contexts:
            contexts[case_id] = case_context(project, case_id, detect=False)
        return contexts[case_id]

    for d in docs:
        gold = gold_by_doc[d["id"]]
        detected = project.query(
            "SELECT start, end, surface, organisation_id, status FROM mentions WHERE document_id = ? "
            "AND status IN ('auto', 'confirmed') AND organisation_id IS NOT NULL",
            (d["id"],),
        )
        score.gold_mentions += len(gold)
        turns: list[Any] | None = None
        for a, b, oid, g in gold:
            if d["text"][a:b] != g.surface:
                # Import keeps a speaker label ('Sanne (TCW):') out of the text, as the turn's
                # speaker: the mark counts as found when that turn speaks for its organisation.
                if turns is None:
                    turns = turn_organisations(project, d["id"], d["text"], context(d["case_id"]))
                score.labels += 1
                turn = next((t for t in turns if a - 1 <= t.start <= a + 2), None)
                if turn is not None and turn.organisation_id == oid:
                    score.found += 1
                    score.labels_found += 1
                    continue
            if any(
                m["start"] < b and a < m["end"] and m["organisation_id"] == oid for m in detected
            ):
                score.found += 1
            else:
                near = project.query(
                    "SELECT surface, organisation_id, status FROM mentions WHERE document_id = ? AND start < ? "
                    "AND ? < end",
                    (d["id"], b, a),
                )
                score.missed.append(
                    {
                        "document": d["source_name"],
                        "surface": g.surface,
                        "gold": g.organisation,
                        "detected": [
                            f"{n['surface']} → {names.get(n['organisation_id'], '?')} "
                            f"({n['status']})"
                            for n in near
                        ],
                    }
                )
        for m in detected:
            score.detected += 1
            if any(
                m["start"] < b and a < m["end"] and m["organisation_id"] == oid
                for a, b, oid, _ in gold
            ):
                score.correct_detected += 1
            else:
                score.wrong.append(
                    {
                        "document": d["source_name"],
                        "surface": m["surface"],
                        "detected": names.get(m["organisation_id"]),
                        "context": d["text"][max(0, m["start"] - 40) : m["end"] + 40].replace(
                            "\n", " "
                        ),
                    }
                )
    for cid, doc_name, p in gold_codings:
        case_id = project.scalar(
            "SELECT d.case_id FROM codings k JOIN documents d ON d.id = k.document_id "
            "WHERE k.id = ?",
            (cid,),
        )
        proposed = [
            names[pr.organisation_id] for pr in propose_partners(project, cid, context(case_id))
        ]
        score.passages.append(
            PassageScore(
                doc_name,
                p.code,
                [names[by_name[(case_id, n.casefold())]] for n in p.partners],
                proposed,
            )
        )
    return score


def format_score(score: Score, details: bool = False) -> str:
    lines = [
        f"{score.corpus}",
        f"  mentions: {score.gold_mentions} gold, recall {score.recall:.3f}; "
        f"{score.detected} resolved detections, precision {score.precision:.3f}",
        f"  passages: {len(score.passages)}, all gold partners proposed in {score.passages_complete:.3f}, "
        f"extra partners {score.extra_share:.1%} of proposed",
    ]
    if score.labels:
        lines.insert(
            2,
            f"  of the gold mentions, {score.labels} are in speaker labels (kept out of the text by "
            f"import): {score.labels_found} of them are turns that speak for that organisation",
        )
    if score.review is not None and score.after_review is not None:
        r, after = score.review, score.after_review
        lines.append(
            f"  after a replayed review of {r.decisions} decisions ({len(r.assigned)} forms given "
            f"an organisation, {len(r.corrected)} corrected, {len(r.switched_off)} switched off, "
            f"{r.rejected} candidates rejected, {r.per_mention} mentions one by one): recall {after.recall:.3f}, precision "
            f"{after.precision:.3f}, passages {after.passages_complete:.3f}, extra "
            f"{after.extra_share:.1%}; never offered for review: {r.unseen_mentions} mentions "
            f"in {r.unseen_forms} forms"
        )
    if details and score.review is not None:
        lines.append(f"  never offered for review: {'; '.join(score.review.unseen)}")
    if details:
        for m in score.missed:
            lines.append(
                f"  missed  {m['document']}: {m['surface']!r} = {m['gold']}  [{'; '.join(m['detected'])}]"
            )
        for w in score.wrong:
            lines.append(
                f"  wrong   {w['document']}: {w['surface']!r} → {w['detected']}  …{w['context']}…"
            )
        for p in score.passages:
            if not p.complete or p.extra:
                missing = [g for g in p.gold if g not in p.proposed]
                lines.append(f"  passage {p.document} {p.code}: missing {missing} extra {p.extra}")
    return "\n".join(lines)
