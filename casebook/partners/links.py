"""Collaboration links: which organisations a collaboration coding involves.

Which codes are collaboration codes is a property of the codebook
(``collaboration: dyad`` with ``partner_types``, or ``collaboration: form``;
see ``casebook.codes.collaboration``), so this works for any codebook that
declares it. casebook proposes the organisations a coding involves: those
named inside the coded span, the speaker's own organisation, and — marked as
inferred — the organisations a group reference in the span denotes ('de
andere scholen', 'alle drie de vmbo-scholen', 'beide ROC's'). Organisations
named elsewhere in the neighbourhood are not proposed: they are usually not
part of the collaboration. The coder confirms or edits the proposal; only
confirmed links are stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from casebook.codes.codebook import code_valences
from casebook.codes.collaboration import CodeRole, code_roles, collaboration_code_ids
from casebook.core.codings import get_coding
from casebook.core.query import Where, marks
from casebook.errors import InvalidInput
from casebook.orgtypes import DEFAULT_TYPES, spelling
from casebook.partners.detection import SpeakerSpan
from casebook.partners.groups import _counted, group_references, shared_name_groups
from casebook.partners.parties import counted_parties, previous_sentence
from casebook.partners.registry import load_registry, resolve_organisation, respondent_organisations
from casebook.partners.senders import sender_organisations
from casebook.partners.storage import case_places, detect_case, speaker_spans
from casebook.partners.variants import VariantIndex, normalise
from casebook.store.orgtypes import project_types
from casebook.store.project import Project, now
from casebook.text.names import given_names

_NO_ROLE = CodeRole(None, frozenset(), False)


def is_collaboration_code(project: Project, path: str) -> bool:
    return code_roles(project).get(path.upper(), _NO_ROLE).collaboration


def collaboration_where(project: Project, alias: str = "x", *, within: bool = False) -> Where:
    """The condition selecting the codes (``alias``.id) that take partners, ids as parameters."""
    ids = collaboration_code_ids(project, within=within)
    if not ids:
        return Where().add("0")
    return Where().among(f"{alias}.id", ids)


@dataclass
class Proposal:
    organisation_id: str
    name: str
    type: str
    reasons: list[str] = field(default_factory=list)
    inferred: bool = False  # only from a group reference ('de andere scholen'), not named


def coding_context(project: Project, coding_id: str) -> dict[str, Any]:
    row = get_coding(project, coding_id)
    extra = project.query_one(
        "SELECT x.path AS code, d.case_id, d.name AS document FROM codings k JOIN codes x ON x.id = k.code_id "
        "JOIN documents d ON d.id = k.document_id WHERE k.id = ?",
        (row["id"],),
    )
    row.update(extra or {})
    return row


@dataclass
class CaseContext:
    """What proposals need from one case, loaded once for many codings."""

    case_id: str
    orgs: dict[str, Any]
    respondents: dict[str, str]
    index: Any
    answers: Callable[[str], frozenset[str]] = DEFAULT_TYPES.answers_to


def case_context(project: Project, case_id: str, *, detect: bool = True) -> CaseContext:
    if detect:
        detect_case(project, case_id)
    orgs = load_registry(project, case_id)
    case_names = [r["name"] for r in project.query("SELECT name FROM cases")]
    return CaseContext(
        case_id,
        {o.id: o for o in orgs},
        respondent_organisations(project, case_id),
        VariantIndex(orgs, case_names, case_places(project, case_id)),
        project_types(project).answers_to,
    )


_PARTICIPANT_LINE = re.compile(r"^[ \t]*(?:[-•*][ \t]*)?(?P<line>\S[^\n]*)$", re.MULTILINE)
_LABEL_END = re.compile(r"\s*(?::|\s[–—-]\s|\(|,)")


def _participant_labels(line: str) -> list[str]:
    """The ways a participant line names its speaker: 'HB: Henk Bosveld, …' → HB, Henk Bosveld, HB."""
    labels: list[str] = []
    rest = line
    for _ in range(2):  # the label before ':' or '–', then the person's name after it
        cut = _LABEL_END.search(rest)
        head = (rest[: cut.start()] if cut else rest).strip()
        if not head or len(head) > 40:
            break
        labels.append(head)
        words = [w for w in head.split() if w[:1].isupper()]
        if len(words) >= 2:
            labels.append("".join(w[0] for w in words))  # 'Henk Bosveld' speaks as 'HB'
        if not cut or rest[cut.start() : cut.end()].strip() in ("(", ","):
            break
        rest = rest[cut.end() :]
    return labels


def _with_participants(
    project: Project, doc_id: str, text: str, spans: list[SpeakerSpan]
) -> list[SpeakerSpan]:
    """Turns whose speaker a participant list ties to an organisation once.

    A focus group's notes list the participants before the first turn, each
    with an organisation ('- HB: Henk Bosveld, Bosveld Installaties' or
    'Henk Bosveld (Bosveld Installaties)'), and the turns then give only
    the label or the initials. A turn without an organisation of its own
    takes the one organisation named on its speaker's participant line; a
    line naming two organisations, or a label two lines share, gives none.
    """
    turns = project.query(
        "SELECT start, end, label, speaker_kind FROM segments WHERE document_id = ? AND kind = 'turn' "
        "ORDER BY start",
        (doc_id,),
    )
    if not turns or all(t.organisation_id for t in spans):
        return spans
    # the list comes before anyone answers (a 'Gespreksleider:' line may already open a turn)
    head_end = next(
        (t["start"] for t in turns if t["speaker_kind"] == "respondent"), turns[0]["start"]
    )
    mentions = project.query(
        "SELECT start, organisation_id FROM mentions WHERE document_id = ? AND organisation_id IS NOT NULL "
        "AND status IN ('auto', 'confirmed') AND start < ?",
        (doc_id, head_end),
    )
    owner: dict[str, set[str]] = {}
    for m in _PARTICIPANT_LINE.finditer(text, 0, head_end):
        orgs = {r["organisation_id"] for r in mentions if m.start() <= r["start"] < m.end()}
        if len(orgs) != 1:
            continue
        for label in _participant_labels(m.group("line")):
            owner.setdefault(label.casefold(), set()).update(orgs)
    labels = {(t["start"], t["end"]): (t["label"] or "").strip().casefold() for t in turns}
    return _fill_turns(spans, labels, owner)


def _fill_turns(
    spans: list[SpeakerSpan], label_of: dict[tuple[int, int], str], owner: dict[str, set[str]]
) -> list[SpeakerSpan]:
    """Turns without an organisation take the one organisation their label stands for, if one."""
    out: list[SpeakerSpan] = []
    for s in spans:
        found = owner.get(label_of.get((s.start, s.end), ""), set())
        if s.organisation_id is None and len(found) == 1:
            s = SpeakerSpan(s.start, s.end, next(iter(found)))
        out.append(s)
    return out


def _with_label_forms(project: Project, doc_id: str, spans: list[SpeakerSpan]) -> list[SpeakerSpan]:
    """Turns whose label names the organisation by a form only the texts define ('Ellen (L&W):').

    The registry does not know a department's initials, but detection
    resolved them where the text says what they stand for ('L&W, afdeling
    Leren en Werken van de gemeente'). A label's organisation that the
    document's resolved mentions write the same way, all for one
    organisation, is that organisation.
    """
    if all(t.organisation_id for t in spans):
        return spans
    turns = {
        span: org.strip().casefold()
        for span, org in _respondent_turns(project, doc_id, "organisation", anyone=True).items()
    }
    if not turns:
        return spans
    written: dict[str, set[str]] = {}
    for m in project.query(
        "SELECT surface, organisation_id FROM mentions WHERE document_id = ? AND organisation_id IS NOT NULL "
        "AND status IN ('auto', 'confirmed')",
        (doc_id,),
    ):
        written.setdefault(m["surface"].strip().casefold(), set()).add(m["organisation_id"])
    return _fill_turns(spans, turns, written)


# 'ik werk bij X', 'ik ben teamleider bij X', 'ik ben Rob, docent op het X', 'namens de X': a speaker
# saying where they work. The clause runs from a first-person verb to the preposition before the name.
_INTRODUCTION = re.compile(
    r"(?<![\w-])(?:ik\s+(?:ben|werk|zit)|ik'?m|werkzaam|namens)(?![\w-])[^.?!\n]{0,80}?"
    r"(?<![\w-])(?:bij|op|van|namens|voor)\s+(?:(?:het|de|'t)\s+)?$",
    re.I,
)

# 'wij zijn X', 'wij (X) delen …': the speaker's side named outright.
_SELF_NAMED = re.compile(r"(?<![\w-])(?:wij|we)\s*(?:zijn\s+|\(\s*)(?:(?:het|de|'t)\s+)?$", re.I)
# 'Vanuit praktijkschool X: …', 'Namens de X: …' opening an answer: who answers.
_OPENS_FROM = re.compile(r"\s*(?:vanuit|namens)\s+(?:(?:het|de|'t)\s+)?$", re.I)


def _with_introductions(
    project: Project, doc_id: str, text: str, spans: list[SpeakerSpan]
) -> list[SpeakerSpan]:
    """Turns whose speaker said where they work when introducing themself.

    A group interview's manifest often names no organisation; the round of
    introductions does ('Anke, ik ben teamleider bij het ROC'). A speaker's
    label takes the organisation named right after such a clause in that
    speaker's first turn that names one; a speaker who names two there gets none.
    """
    if all(t.organisation_id for t in spans):
        return spans
    turns = project.query(
        "SELECT start, end, label FROM segments WHERE document_id = ? AND kind = 'turn' "
        "AND speaker_kind = 'respondent' ORDER BY start",
        (doc_id,),
    )
    mentions = project.query(
        "SELECT start, organisation_id FROM mentions WHERE document_id = ? AND organisation_id IS NOT NULL "
        "AND status IN ('auto', 'confirmed') ORDER BY start",
        (doc_id,),
    )
    owner: dict[str, str | None] = {}
    for t in turns:
        label = (t["label"] or "").strip().casefold()
        if not label or label in owner:
            continue
        inside = [m for m in mentions if t["start"] <= m["start"] < t["end"]]
        if not inside:
            continue
        orgs = {
            m["organisation_id"]
            for m in inside
            if _INTRODUCTION.search(text[max(t["start"], m["start"] - 120) : m["start"]])
            or _SELF_NAMED.search(text[max(t["start"], m["start"] - 40) : m["start"]])
            or _OPENS_FROM.match(text[t["start"] : m["start"]])
        }
        if orgs:
            owner[label] = next(iter(orgs)) if len(orgs) == 1 else None
    if not owner:
        return spans
    labels = {(t["start"], t["end"]): (t["label"] or "").strip().casefold() for t in turns}
    out: list[SpeakerSpan] = []
    for s in spans:
        found = owner.get(labels.get((s.start, s.end), ""))
        if s.organisation_id is None and found:
            s = SpeakerSpan(s.start, s.end, found)
        out.append(s)
    return out


_PERSON_RE = re.compile(
    r"(?<![\w-])(?P<given>[A-Z][a-zà-ÿ]{2,})\s+"
    r"(?P<surname>(?:(?:van|de|der|den|ter|ten|te|van de|van der|van den)\s+)?[A-Z][a-zà-ÿ]+(?:-[A-Z][a-zà-ÿ]+)?)"
    r"(?![\w-])"
)


def _family_members(passage: str, index: Any) -> list[tuple[str, str]]:
    """'Jan Kremer geeft de gastles': a person whose surname names a family firm of the case.

    A family business is named after its family ('Kremer Bouw B.V.'), and the
    family's members are the firm's face: a passage that names one by given
    name and surname involves the firm, though the firm's name is not said.
    Only a surname that is one partner's own leading word counts.
    """
    out: list[tuple[str, str]] = []
    for m in _PERSON_RE.finditer(passage):
        if m.group("given") not in given_names():
            continue
        surname = m.group("surname")
        v = index.by_norm.get(normalise(surname)) if index is not None else None
        if v is None:
            continue
        org = index.orgs.get(v.organisation_id)
        if org is not None and normalise(org.name).startswith(normalise(surname) + " "):
            out.append((m.group(0), org.id))
    return out


def _named_participants(
    project: Project, doc_id: str, spans: list[SpeakerSpan], passage: str, turns: list[SpeakerSpan]
) -> list[tuple[str, str]]:
    """'Wij hebben met Koos een opdracht gedaan': another speaker named by their label.

    In a group interview the participants name each other by first name; a
    participant whose turns carry one organisation stands for it. The
    passage's own speaker is left to the speaker rule.
    """
    rows = project.query(
        "SELECT start, end, label FROM segments WHERE document_id = ? AND kind = 'turn' "
        "AND speaker_kind = 'respondent' ORDER BY start",
        (doc_id,),
    )
    by_span = {(s.start, s.end): s.organisation_id for s in spans}
    orgs: dict[str, set[str | None]] = {}
    for r in rows:
        label = (r["label"] or "").strip()
        if label:
            orgs.setdefault(label, set()).add(by_span.get((r["start"], r["end"])))
    own = {t.organisation_id for t in turns}
    out: list[tuple[str, str]] = []
    for label, found in orgs.items():
        if len(found) != 1 or None in found or not label[:1].isupper() or len(label) < 3:
            continue
        org_id = next(iter(found))
        if org_id in own or org_id is None:
            continue
        if re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", passage):
            out.append((label, org_id))
    return out


def turn_organisations(
    project: Project, doc_id: str, text: str, context: CaseContext
) -> list[SpeakerSpan]:
    """Who speaks where, as organisations, with everything the document says about its speakers.

    A turn's label, a participant list, a speaker introducing themselves, a
    label in a form only the texts define; else the document's respondent.
    """
    spans = speaker_spans(project, doc_id, context.respondents.get(doc_id), context.index)
    spans = _with_participants(project, doc_id, text, spans)
    spans = _with_introductions(project, doc_id, text, spans)
    spans = _with_label_forms(project, doc_id, spans)
    spans = _with_type_roles(project, doc_id, spans, context)
    return spans or _mail_senders(project, doc_id, text)


def _respondent_turns(
    project: Project, doc_id: str, column: str, *, anyone: bool = False
) -> dict[tuple[int, int], str]:
    """A turn column ('role', 'organisation') by turn span, where set; respondents only unless ``anyone``."""
    assert column in ("role", "organisation")
    who = "" if anyone else " AND speaker_kind = 'respondent'"
    return {
        (r["start"], r["end"]): r["value"]
        for r in project.query(
            f"SELECT start, end, {column} AS value FROM segments WHERE document_id = ? "
            f"AND kind = 'turn' AND {column} IS NOT NULL{who}",
            (doc_id,),
        )
    }


def _with_type_roles(
    project: Project, doc_id: str, spans: list[SpeakerSpan], context: CaseContext
) -> list[SpeakerSpan]:
    """'Respondent 6 (mbo):' — a speaker known only by type is the case's one partner of that type.

    Survey answers and anonymised transcripts give the respondent's kind of
    organisation instead of its name; where the case has a single partner of
    that kind (by type key, label, synonym or role), that partner speaks.
    """
    if all(t.organisation_id for t in spans):
        return spans
    roles = {
        span: spelling(role) for span, role in _respondent_turns(project, doc_id, "role").items()
    }
    if not roles:
        return spans
    owner: dict[str, set[str]] = {}
    for role in set(roles.values()):
        owner[role] = {o.id for o in context.orgs.values() if role in context.answers(o.type)}
    return _fill_turns(spans, roles, owner)


def _mail_senders(project: Project, doc_id: str, text: str) -> list[SpeakerSpan]:
    """An e-mail thread's mails, each spoken by the organisation its sender line or signature names."""
    mentions = [
        (m["start"], m["organisation_id"])
        for m in project.query(
            "SELECT start, organisation_id FROM mentions WHERE document_id = ? "
            "AND organisation_id IS NOT NULL AND status IN ('auto', 'confirmed')",
            (doc_id,),
        )
    ]
    return [SpeakerSpan(a, b, org) for a, b, org in sender_organisations(text, mentions)]


def propose_partners(
    project: Project, coding_id: str, context: CaseContext | None = None
) -> list[Proposal]:
    """Organisations this coding probably involves, each with why it is proposed.

    The organisations named in the coded span, the speaker's own
    organisation, and the organisations a group reference in the span
    denotes (inferred). Names elsewhere in the turn are left out: most are
    context, not partners in this collaboration.
    """
    k = coding_context(project, coding_id)
    if not k.get("case_id"):
        return []
    if context is None or context.case_id != k["case_id"]:
        context = case_context(project, k["case_id"])
    orgs = context.orgs
    out: dict[str, Proposal] = {}

    def add(org_id: str | None, reason: str, inferred: bool = False) -> None:
        if not org_id or org_id not in orgs:
            return
        o = orgs[org_id]
        p = out.setdefault(org_id, Proposal(org_id, o.name, o.type, inferred=inferred))
        p.inferred = p.inferred and inferred
        if reason not in p.reasons:
            p.reasons.append(reason)

    doc_id, start, end = k["document_id"], k["start"], k["end"]
    for m in project.query(
        "SELECT start, end, organisation_id FROM mentions WHERE document_id = ? AND organisation_id IS NOT NULL "
        "AND status IN ('auto', 'confirmed') AND start < ? AND ? < end ORDER BY start",
        (doc_id, end, start),
    ):
        add(m["organisation_id"], "mentioned in the passage")
    text = project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (doc_id,)) or ""
    spans = turn_organisations(project, doc_id, text, context)
    turns = [t for t in spans if t.start < end and start < t.end and t.end < (1 << 62)]
    passage = text[start:end]
    for person, org_id in _family_members(passage, context.index):
        add(
            org_id, f"inferred from '{person}' (a person named like the family firm)", inferred=True
        )
    for label, org_id in _named_participants(project, doc_id, spans, passage, turns):
        add(org_id, f"a participant named in the passage ({label})", inferred=True)
    role = code_roles(project).get(k["code"].upper(), _NO_ROLE)
    own_turns = {t.organisation_id for t in turns if t.organisation_id}
    own_turn = orgs.get(next(iter(own_turns))) if len(own_turns) == 1 else None
    for phrase, types in group_references(passage, role.partner_types, context.answers):
        fits = sorted((o for o in orgs.values() if o.is_a(types)), key=lambda o: o.name)
        fits = _counted(phrase, fits, own_turn)
        for o in fits:
            add(
                o.id,
                f"inferred from '{phrase}' ({'/'.join(sorted(types))} partners of the case)",
                inferred=True,
            )
    for phrase, ids in shared_name_groups(passage, context.index):
        for org_id in ids:
            add(
                org_id,
                f"inferred from '{phrase}' (the partners whose names share it)",
                inferred=True,
            )
    named = set(out)
    for t in spans:
        if t.start < end and start < t.end:
            if _about_others(passage, named - {t.organisation_id}):
                continue
            add(t.organisation_id, "the speaker's organisation")
    speakers = {t.organisation_id for t in spans if t.start < end and start < t.end}
    lo, hi = previous_sentence(text, start)
    before = [
        m["organisation_id"]
        for m in project.query(_RESOLVED_IN, (doc_id, lo, hi))
        if m["organisation_id"] in orgs
    ]
    own = next((t.organisation_id for t in turns if t.organisation_id), None)
    phrase, listed = counted_parties(passage, text[lo:hi], before, own) or ("", [])
    for org_id in listed:
        add(org_id, f"inferred from '{phrase}' (the parties listed just before)", inferred=True)
    if not [p for p in out.values() if p.organisation_id not in speakers]:
        # A collaboration needs a partner. When the passage names none ('de school betaalt de andere
        # helft'), the one named last before it in the same turn is the likeliest antecedent.
        earlier = _last_mention_before(
            project, doc_id, start, turns, role.partner_types, speakers, orgs
        )
        if earlier:
            add(
                earlier,
                "named just before the passage in the same turn (inferred: the passage names no "
                "partner)",
                inferred=True,
            )
    return list(out.values())


_RESOLVED_IN = (
    "SELECT organisation_id FROM mentions WHERE document_id = ? AND organisation_id IS NOT NULL "
    "AND status IN ('auto', 'confirmed') AND start >= ? AND end <= ? ORDER BY start"
)
_FIRST_PERSON = re.compile(r"(?<![\w-])(?:ik|we|wij|ons|onze|mijn|m'n|me|mij)(?![\w-])", re.I)
# 'samen met X' takes the speaker's side as the other party; 'X en Y werken samen', 'elkaar' do not.
_TOGETHER = re.compile(r"(?<![\w-])(?:samen(?!\s+met\b)|elkaar|elkaars|onderling)(?![\w-])", re.I)


def _about_others(passage: str, others: set[str]) -> bool:
    """'De Meerpaal en het TC trekken samen op': a collaboration the speaker reports between others.

    The passage names two or more other organisations, says they act
    together, and has no first-person word: the speaker is no party to it.
    """
    return (
        len(others) >= 2
        and _TOGETHER.search(passage) is not None
        and _FIRST_PERSON.search(passage) is None
    )


def _last_mention_before(
    project: Project,
    doc_id: str,
    start: int,
    turns: list[Any],
    types: frozenset[str],
    exclude: set[str | None],
    orgs: dict[str, Any],
) -> str | None:
    if turns:
        lo = min(t.start for t in turns)
    else:
        lo = (
            project.scalar(
                "SELECT max(start) FROM segments WHERE document_id = ? AND kind = 'paragraph' AND start <= ?",
                (doc_id, start),
            )
            or start
        )
    for m in project.query(
        "SELECT organisation_id FROM mentions WHERE document_id = ? AND organisation_id IS NOT NULL "
        "AND status IN ('auto', 'confirmed') AND start >= ? AND end <= ? ORDER BY start DESC",
        (doc_id, lo, start),
    ):
        org = orgs.get(m["organisation_id"])
        if org is not None and org.id not in exclude and (not types or org.is_a(types)):
            return org.id
    return None


def linked_partners(project: Project, coding_id: str) -> list[dict[str, Any]]:
    return project.query(
        "SELECT o.id, o.name, o.type, p.created_at, c.name AS coder FROM coding_partners p "
        "JOIN organisations o ON o.id = p.organisation_id LEFT JOIN coders c ON c.id = p.coder_id "
        "WHERE p.coding_id = ? ORDER BY o.name",
        (coding_id,),
    )


def set_partners(project: Project, coding_id: str, organisation_ids: list[str]) -> list[str]:
    """Store the organisations a collaboration coding involves (replacing earlier ones)."""
    k = coding_context(project, coding_id)
    if not is_collaboration_code(project, k["code"]):
        raise InvalidInput(
            f"coding {k['id'][:8]} is coded {k['code']}, which is not a collaboration code; mark it with "
            f"`casebook codebook set {k['code']} --collaboration dyad|form` to link partners"
        )
    ids = list(dict.fromkeys(organisation_ids))
    for org_id in ids:
        case_id = project.scalar("SELECT case_id FROM organisations WHERE id = ?", (org_id,))
        if case_id is None:
            raise InvalidInput(f"no organisation {org_id}")
        if case_id != k["case_id"]:
            name = project.scalar("SELECT name FROM organisations WHERE id = ?", (org_id,))
            raise InvalidInput(f"{name} is a partner of another case than this coding's document")
    before = [r["id"] for r in linked_partners(project, k["id"])]
    coder_id = project.coder_id()
    with project.transaction():
        project.conn.execute("DELETE FROM coding_partners WHERE coding_id = ?", (k["id"],))
        stamp = now()
        project.conn.executemany(
            "INSERT INTO coding_partners (coding_id, organisation_id, coder_id, created_at) VALUES (?,?,?,?)",
            [(k["id"], org_id, coder_id, stamp) for org_id in ids],
        )
        project.audit(
            "link", "coding_partners", k["id"], before={"partners": before}, after={"partners": ids}
        )
    return ids


def resolve_partner_refs(project: Project, coding_id: str, refs: list[str]) -> list[str]:
    """Organisation ids for names, aliases or id prefixes, within the coding's case."""
    k = coding_context(project, coding_id)
    return [resolve_organisation(project, ref, k["case_id"])["id"] for ref in refs if ref.strip()]


def accept_proposals(project: Project, case_id: str | None = None, *, replace: bool = False) -> int:
    """Store the proposal of every collaboration coding that has no links yet; returns how many."""
    where = collaboration_where(project).equal("d.case_id", case_id)
    if not replace:
        where.add("NOT EXISTS (SELECT 1 FROM coding_partners p WHERE p.coding_id = k.id)")
    sql = (
        "SELECT k.id, d.case_id FROM codings k JOIN codes x ON x.id = k.code_id"
        " JOIN documents d ON d.id = k.document_id" + where.sql()
    )
    params = where.params
    count = 0
    contexts: dict[str, CaseContext] = {}
    with project.transaction():
        for row in project.query(sql, params):
            if row["case_id"] not in contexts:
                contexts[row["case_id"]] = case_context(project, row["case_id"])
            ids = [
                p.organisation_id
                for p in propose_partners(project, row["id"], contexts[row["case_id"]])
            ]
            if ids:
                set_partners(project, row["id"], ids)
                count += 1
    return count


def passage_valence(
    project: Project, document_id: str, start: int, end: int
) -> tuple[str | None, list[str]]:
    """positive / negative / mixed from the codes with a valence (facilitators, barriers) on the passage."""
    valence = code_valences(project)
    if not valence:
        return None, []
    ids = sorted(valence)
    rows = project.query(
        "SELECT DISTINCT x.id, x.path FROM codings k JOIN codes x ON x.id = k.code_id WHERE k.document_id = ? "
        f"AND k.start < ? AND ? < k.end AND x.id IN ({marks(ids)}) ORDER BY x.path",
        (document_id, end, start, *ids),
    )
    codes = [r["path"] for r in rows]
    kinds = {valence[r["id"]] for r in rows}
    if not kinds:
        return None, []
    return (kinds.pop() if len(kinds) == 1 else "mixed"), codes


def list_links(
    project: Project, case_id: str | None = None, *, with_proposals: bool = True
) -> list[dict[str, Any]]:
    """Every collaboration coding with its confirmed partners (or the proposal) and valence."""
    where = collaboration_where(project).equal("d.case_id", case_id)
    sql = """
        SELECT k.id, k.document_id, d.case_id, d.name AS document, c.name AS case_name, x.path AS code, k.start, k.end,
               k.quote, o.name AS coder
        FROM codings k JOIN codes x ON x.id = k.code_id JOIN documents d ON d.id = k.document_id
        LEFT JOIN cases c ON c.id = d.case_id JOIN coders o ON o.id = k.coder_id
    """
    rows = project.query(
        sql + where.sql() + " ORDER BY c.name, d.name, k.start, x.path", where.params
    )
    contexts: dict[str, CaseContext] = {}
    for r in rows:
        linked = linked_partners(project, r["id"])
        r["partners"] = [p["name"] for p in linked]
        r["confirmed"] = bool(linked)
        if not linked and with_proposals and r["case_id"]:
            if r["case_id"] not in contexts:
                contexts[r["case_id"]] = case_context(project, r["case_id"])
            r["proposed"] = [
                p.name for p in propose_partners(project, r["id"], contexts[r["case_id"]])
            ]
        else:
            r["proposed"] = []
        r["valence"], r["valence_codes"] = passage_valence(
            project, r["document_id"], r["start"], r["end"]
        )
    return rows
