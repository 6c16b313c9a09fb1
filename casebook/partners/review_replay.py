"""An analyst's review of detected partners, replayed against the gold slots.

Detection on text written elsewhere finds about two thirds of the mentions
by itself; the rest is the analyst's review. How short that review is
matters as much as the automatic figure, so the evaluation can play the
analyst: it takes the decisions `casebook partners review` offers — one per
surface form, with the same domain functions the CLI and TUI call — answers
them from the gold slots, and counts them. What the review never shows (a
form found neither as a candidate nor as an unresolved mention) is counted
apart: those forms the analyst has to notice and add by hand.

Decisions, in the order a reviewer meets them:

- a form offered as a candidate or left unresolved that overlaps gold
  mentions: "this form means <organisation>" (``assign_form``);
- a form resolved to an organisation that the gold gives to another one at
  every place: the same decision, pointing it at the right one;
- a form resolved at places where the gold has no mention at all: switched
  off (``switch_form``);
- a candidate that overlaps nothing in the gold: rejected;
- a form whose places the gold gives to different organisations: no form
  decision (it would be wrong somewhere), one verdict per mention instead.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from casebook.core.query import marks
from casebook.errors import InvalidInput
from casebook.partners.forms import assign_form, switch_form
from casebook.partners.review import reject_candidate
from casebook.partners.storage import set_mention
from casebook.partners.variants import normalise
from casebook.store.project import Project

# (start, end, organisation id, gold surface) of one gold mention in a document
Gold = tuple[int, int, str, str]


@dataclass
class ReviewPlay:
    assigned: list[str] = field(default_factory=list)
    corrected: list[str] = field(default_factory=list)
    switched_off: list[str] = field(default_factory=list)
    rejected: int = 0
    per_mention: int = 0
    refused: list[str] = field(default_factory=list)
    unseen_forms: int = 0
    unseen_mentions: int = 0
    unseen: list[str] = field(default_factory=list)  # the gold surfaces never shown, as written

    @property
    def decisions(self) -> int:
        return (
            len(self.assigned)
            + len(self.corrected)
            + len(self.switched_off)
            + self.rejected
            + self.per_mention
        )

    def add(self, other: ReviewPlay) -> ReviewPlay:
        return ReviewPlay(
            self.assigned + other.assigned,
            self.corrected + other.corrected,
            self.switched_off + other.switched_off,
            self.rejected + other.rejected,
            self.per_mention + other.per_mention,
            self.refused + other.refused,
            self.unseen_forms + other.unseen_forms,
            self.unseen_mentions + other.unseen_mentions,
            self.unseen + other.unseen,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "decisions": self.decisions,
            "forms_assigned": len(self.assigned),
            "forms_corrected": len(self.corrected),
            "forms_switched_off": len(self.switched_off),
            "candidates_rejected": self.rejected,
            "mentions_decided_one_by_one": self.per_mention,
            "forms_never_offered": self.unseen_forms,
            "mentions_never_offered": self.unseen_mentions,
        }


def _overlaps(row: dict[str, Any], gold: list[Gold]) -> list[Gold]:
    return [g for g in gold if row["start"] < g[1] and g[0] < row["end"]]


def _mentions(project: Project, case_id: str, statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    slots = marks(statuses)
    return project.query(
        "SELECT m.id, m.document_id, m.start, m.end, m.surface, m.organisation_id, m.status "
        "FROM mentions m JOIN documents d ON d.id = m.document_id "
        f"WHERE d.case_id = ? AND m.status IN ({slots})",
        (case_id, *statuses),
    )


def replay_review(project: Project, case_id: str, gold_by_doc: dict[str, list[Gold]]) -> ReviewPlay:
    """Answer every review decision of one case from the gold; the project keeps the decisions."""
    play = ReviewPlay()

    def decide(form: str, organisation_id: str, into: list[str]) -> None:
        try:
            assign_form(project, case_id, form, organisation_id)
        except InvalidInput:
            play.refused.append(form)
            return
        into.append(form)

    def verdict(doc_id: str, start: int, end: int, organisation_id: str) -> None:
        # looked up now: every form decision runs detection again, which renumbers mentions
        mention_id = project.scalar(
            "SELECT id FROM mentions WHERE document_id = ? AND start = ? AND end = ?",
            (doc_id, start, end),
        )
        if mention_id is None:
            play.refused.append(f"{doc_id}:{start}")
            return
        set_mention(project, mention_id, organisation_id)
        play.per_mention += 1

    offered: dict[str, Counter[str]] = defaultdict(Counter)
    places: dict[str, list[tuple[str, int, int, str]]] = defaultdict(list)
    surfaces: dict[str, str] = {}
    for row in _mentions(project, case_id, ("candidate", "unresolved")):
        for _, _, org, surface in _overlaps(row, gold_by_doc.get(row["document_id"], [])):
            key = normalise(surface)
            offered[key][org] += 1
            places[key].append((row["document_id"], row["start"], row["end"], org))
            surfaces.setdefault(key, surface)
    for key, orgs in offered.items():
        if len(orgs) == 1:
            decide(surfaces[key], next(iter(orgs)), play.assigned)
        else:  # the form means different partners at different places: one verdict per mention
            for doc_id, start, end, org in places[key]:
                verdict(doc_id, start, end, org)

    by_form: dict[str, list[tuple[dict[str, Any], list[Gold]]]] = defaultdict(list)
    for row in _mentions(project, case_id, ("auto",)):
        by_form[normalise(row["surface"])].append(
            (row, _overlaps(row, gold_by_doc.get(row["document_id"], [])))
        )
    for key, rows in by_form.items():
        if any(g[2] == row["organisation_id"] for row, gold in rows for g in gold):
            continue  # right at least once: a reviewer keeps the form
        if all(gold for _, gold in rows):
            wanted = {g[2] for _, gold in rows for g in gold}
            if len(wanted) == 1:
                decide(rows[0][0]["surface"], wanted.pop(), play.corrected)
            else:
                for row, gold in rows:
                    verdict(row["document_id"], row["start"], row["end"], gold[0][2])
        elif not any(gold for _, gold in rows):
            switch_form(project, case_id, rows[0][0]["surface"], on=False)
            play.switched_off.append(key)

    for cand in project.query(
        "SELECT id FROM organisation_candidates WHERE case_id = ? AND status = 'pending'",
        (case_id,),
    ):
        reject_candidate(project, cand["id"])
        play.rejected += 1

    seen = _mentions(project, case_id, ("auto", "confirmed", "unresolved", "candidate"))
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in seen:
        by_doc[row["document_id"]].append(row)
    unseen: dict[str, str] = {}
    for doc_id, gold in gold_by_doc.items():
        for a, b, _, surface in gold:
            if not any(r["start"] < b and a < r["end"] for r in by_doc.get(doc_id, [])):
                play.unseen_mentions += 1
                unseen.setdefault(normalise(surface), surface)
    play.unseen_forms = len(unseen)
    play.unseen = sorted(unseen.values())
    return play
