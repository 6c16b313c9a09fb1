"""The person registry: who must not be named in an export.

One module: gathering persons, their surface forms and the scan for leftovers share one
registry model.

Persons come from three places. Speaker labels and the documents'
interviewer field are people by construction, so a label that starts with a
known given name is registered as *confirmed*; other labels ("Docent",
"Wethouder") and names detected in the text (given-name patterns, forms of
address, PER entities of a statistical model when one is installed) are
*candidates* until a person confirms or rejects them. Rejected names are kept
so a rescan does not propose them again and the leftover check ignores them.
Exports replace confirmed persons and candidates alike: an unreviewed false
positive costs a word, a missed name costs a respondent's anonymity.

Ids are UUIDs because coders' project files are merged.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from casebook.core.cases import resolve_case
from casebook.errors import Ambiguous, InvalidInput, NotFound
from casebook.privacy.names import NOT_NAMES, find_names, given_names, name_variants
from casebook.store.project import Project, new_id, now
from casebook.text.speakers import is_generic

STATUSES = ("candidate", "confirmed", "rejected")
SCANNED_KEY = "persons.scanned_at"
_NAME_WORD = re.compile(r"^[A-ZÀ-Þ][\w'’\-.]*$")
_LOWER_PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "ten",
    "ter",
    "te",
    "'t",
    "la",
    "le",
    "el",
    "in",
    "op",
}


@dataclass
class Person:
    id: str
    name: str
    role: str | None
    case_id: str | None
    case: str | None
    organisation: str | None
    label: str | None
    status: str
    source: str
    count: int
    example: str | None
    aliases: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class ScanSummary:
    speakers: int = 0
    aliases: int = 0
    candidates_new: int = 0
    candidates_seen: int = 0
    mentions_of_known: int = 0
    documents: int = 0


# --- reading ------------------------------------------------------------------------


def list_persons(
    project: Project, status: str | None = None, case_id: str | None = None
) -> list[Person]:
    if status and status not in STATUSES:
        raise InvalidInput(f"unknown status '{status}'; use one of: {', '.join(STATUSES)}")
    sql = (
        "SELECT p.*, c.name AS case_name FROM persons p LEFT JOIN cases c ON c.id = p.case_id"
        " WHERE 1 = 1"
    )
    params: list[Any] = []
    if status:
        sql += " AND p.status = ?"
        params.append(status)
    if case_id:
        sql += " AND p.case_id = ?"
        params.append(case_id)
    rows = project.query(sql + " ORDER BY p.status, p.name", params)
    aliases: dict[str, list[str]] = defaultdict(list)
    for r in project.query("SELECT person_id, alias FROM person_aliases ORDER BY alias"):
        aliases[r["person_id"]].append(r["alias"])
    return [_person(r, aliases.get(r["id"], [])) for r in rows]


def _person(r: dict[str, Any], aliases: list[str]) -> Person:
    return Person(
        r["id"],
        r["name"],
        r["role"],
        r["case_id"],
        r.get("case_name"),
        r["organisation"],
        r["label"],
        r["status"],
        r["source"],
        r["count"],
        r["example"],
        list(aliases),
    )


def get_person(project: Project, person_id: str) -> Person:
    row = project.query_one(
        "SELECT p.*, c.name AS case_name FROM persons p LEFT JOIN cases c ON c.id = p.case_id"
        " WHERE p.id = ?",
        (person_id,),
    )
    if row is None:
        raise NotFound(f"no person with id {person_id}")
    aliases = [
        r["alias"]
        for r in project.query(
            "SELECT alias FROM person_aliases WHERE person_id = ? ORDER BY alias", (person_id,)
        )
    ]
    return _person(row, aliases)


def resolve_person(project: Project, ref: str) -> Person:
    """A person by id, id prefix (6+ characters), name or alias."""
    ref = ref.strip()
    if not ref:
        raise InvalidInput("no person given")
    row = project.query_one("SELECT id FROM persons WHERE id = ? OR name = ?", (ref, ref))
    if row is None:
        row = project.query_one(
            "SELECT person_id AS id FROM person_aliases WHERE alias = ?", (ref,)
        )
    if row is None and len(ref) >= 6 and re.fullmatch(r"[0-9a-f\-]+", ref):
        hits = project.query("SELECT id FROM persons WHERE id LIKE ?", (ref + "%",))
        if len(hits) > 1:
            raise Ambiguous(f"person id '{ref}' matches {len(hits)} persons; give more characters")
        row = hits[0] if hits else None
    if row is None:
        from rapidfuzz import process  # lazy: rapidfuzz: only when names are compared

        names = [r["name"] for r in project.query("SELECT name FROM persons")]
        near = process.extract(ref, names, limit=3, score_cutoff=70)
        hint = f"; did you mean {', '.join(n for n, _s, _i in near)}?" if near else ""
        raise NotFound(f"no person '{ref}' in the registry{hint} (see `casebook persons list`)")
    return get_person(project, row["id"])


def replaceable_persons(project: Project) -> list[Person]:
    """Everyone an export must replace: confirmed persons and unreviewed candidates.

    A candidate that is (part of) an organisation in the partner registry — a
    company named after a family — was proposed before the registry knew it
    and is left out; a person someone confirmed stays.
    """
    skip = _not_person_forms(project)
    return [
        p
        for p in list_persons(project)
        if p.status == "confirmed" or (p.status == "candidate" and p.name.lower() not in skip)
    ]


def rejected_names(project: Project) -> set[str]:
    return {
        r["name"].lower()
        for r in project.query("SELECT name FROM persons WHERE status = 'rejected'")
    }


# --- writing ------------------------------------------------------------------------


def _clean(name: str) -> str:
    name = re.sub(r"\s*\([^)]*\)\s*", " ", name)
    name = " ".join(name.replace("\u00a0", " ").split()).strip(" :.,;-–")
    if not name:
        raise InvalidInput("a person needs a name")
    if len(name) > 80:
        raise InvalidInput(f"'{name[:40]}…' is too long for a person's name")
    return name


def _case_id(project: Project, case_ref: str | None) -> str | None:
    if not case_ref:
        return None
    return resolve_case(project, case_ref)["id"]


def _existing(project: Project, name: str) -> dict[str, Any] | None:
    row = project.query_one("SELECT * FROM persons WHERE name = ?", (name,))
    if row is None:
        alias = project.query_one("SELECT person_id FROM person_aliases WHERE alias = ?", (name,))
        if alias:
            row = project.query_one("SELECT * FROM persons WHERE id = ?", (alias["person_id"],))
    return row


def add_person(
    project: Project,
    name: str,
    *,
    role: str | None = None,
    case: str | None = None,
    organisation: str | None = None,
    aliases: tuple[str, ...] | list[str] = (),
    label: str | None = None,
) -> Person:
    """Register (or confirm and complete) a person by hand."""
    name = _clean(name)
    case_id = _case_id(project, case)
    with project.transaction():
        row = _existing(project, name)
        stamp = now()
        if row is None:
            pid = new_id()
            project.conn.execute(
                "INSERT INTO persons (id, name, role, case_id, organisation, label, status, source,"
                " created_at, modified_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (
                    pid,
                    name,
                    role,
                    case_id,
                    organisation,
                    label,
                    "confirmed",
                    "manual",
                    stamp,
                    stamp,
                ),
            )
            project.audit("add", "person", pid, after={"name": name, "role": role})
        else:
            pid = row["id"]
            changes = {
                k: v
                for k, v in (
                    ("role", role),
                    ("case_id", case_id),
                    ("organisation", organisation),
                    ("label", label),
                    ("status", "confirmed"),
                )
                if v is not None and row[k] != v
            }
            if changes:
                sets = ", ".join(f"{k} = ?" for k in changes)
                project.conn.execute(
                    f"UPDATE persons SET {sets}, modified_at = ? WHERE id = ?",
                    [*changes.values(), stamp, pid],
                )
                project.audit(
                    "update", "person", pid, before={k: row[k] for k in changes}, after=changes
                )
        for alias in aliases:
            _add_alias(project, pid, alias)
    return get_person(project, pid)


def _add_alias(project: Project, person_id: str, alias: str) -> bool:
    alias = _clean(alias)
    owner = _existing(project, alias)
    if owner is not None and owner["id"] != person_id:
        raise InvalidInput(
            f"'{alias}' is already the person {owner['name']}; merge with "
            f'`casebook persons confirm "{owner["name"]}" --alias-of …` instead'
        )
    if owner is not None:
        return False
    project.conn.execute(
        "INSERT INTO person_aliases (person_id, alias) VALUES (?, ?)", (person_id, alias)
    )
    project.audit("add", "person_alias", person_id, after={"alias": alias})
    return True


def add_alias(project: Project, ref: str, alias: str) -> Person:
    person = resolve_person(project, ref)
    with project.transaction():
        _add_alias(project, person.id, alias)
    return get_person(project, person.id)


def confirm_person(
    project: Project,
    ref: str,
    *,
    role: str | None = None,
    label: str | None = None,
    alias_of: str | None = None,
) -> Person:
    """Confirm a candidate; with ``alias_of`` it becomes another person's alias instead."""
    person = resolve_person(project, ref)
    with project.transaction():
        if alias_of:
            target = resolve_person(project, alias_of)
            if target.id == person.id:
                raise InvalidInput(f"{person.name} cannot be an alias of itself")
            project.conn.execute("DELETE FROM persons WHERE id = ?", (person.id,))
            for name in person.names:
                _add_alias(project, target.id, name)
            project.conn.execute(
                "UPDATE persons SET count = count + ?, modified_at = ? WHERE id = ?",
                (person.count, now(), target.id),
            )
            project.audit(
                "merge",
                "person",
                target.id,
                before={"name": person.name},
                after={"into": target.name},
            )
            return get_person(project, target.id)
        changes = {"status": "confirmed"}
        if role is not None:
            changes["role"] = role
        if label is not None:
            changes["label"] = label
        sets = ", ".join(f"{k} = ?" for k in changes)
        project.conn.execute(
            f"UPDATE persons SET {sets}, modified_at = ? WHERE id = ?",
            [*changes.values(), now(), person.id],
        )
        project.audit(
            "update", "person", person.id, before={"status": person.status}, after=changes
        )
    return get_person(project, person.id)


def reject_person(project: Project, ref: str) -> Person:
    """Not a person's name: kept so rescans and leftover checks leave it alone."""
    person = resolve_person(project, ref)
    with project.transaction():
        project.conn.execute(
            "UPDATE persons SET status = 'rejected', modified_at = ? WHERE id = ?",
            (now(), person.id),
        )
        project.audit(
            "update",
            "person",
            person.id,
            before={"status": person.status},
            after={"status": "rejected"},
        )
    return get_person(project, person.id)


# --- scanning -----------------------------------------------------------------------


def _name_like(label: str) -> bool:
    words = label.split()
    if not words or len(label) < 2 or is_generic(label) or any(ch.isdigit() for ch in label):
        return False
    if words[0] in NOT_NAMES or words[0].isupper():
        return False
    return all(_NAME_WORD.match(w) or w.lower() in _LOWER_PARTICLES for w in words) and bool(
        _NAME_WORD.match(words[0])
    )


def _is_given(label: str) -> bool:
    return label.split()[0] in given_names()


def _insert(project: Project, name: str, **values: Any) -> str:
    pid = new_id()
    stamp = now()
    project.conn.execute(
        "INSERT INTO persons (id, name, role, case_id, organisation, label, status, source, count,"
        " example, created_at, modified_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            pid,
            name,
            values.get("role"),
            values.get("case_id"),
            values.get("organisation"),
            None,
            values.get("status", "candidate"),
            values.get("source", "pattern"),
            values.get("count", 0),
            values.get("example"),
            stamp,
            stamp,
        ),
    )
    return pid


def _speakers(project: Project, case_id: str | None, summary: ScanSummary) -> None:
    sql = (
        "SELECT d.case_id, s.label, s.speaker_kind, coalesce(s.role, d.role) AS role,"
        " coalesce(s.organisation, d.organisation) AS organisation, count(*) AS n"
        " FROM segments s JOIN documents d ON d.id = s.document_id"
        " WHERE s.kind = 'turn' AND coalesce(trim(s.label), '') <> ''"
    )
    params: list[Any] = []
    if case_id:
        sql += " AND d.case_id = ?"
        params.append(case_id)
    rows = project.query(sql + " GROUP BY d.case_id, s.label, s.speaker_kind", params)
    interviewer_sql = "SELECT DISTINCT case_id, interviewer FROM documents WHERE coalesce(trim(interviewer), '') <> ''"
    for r in project.query(interviewer_sql + (" AND case_id = ?" if case_id else ""), params):
        rows.append(
            {
                "case_id": r["case_id"],
                "label": r["interviewer"],
                "speaker_kind": "interviewer",
                "role": None,
                "organisation": None,
                "n": 0,
            }
        )
    seen: list[dict[str, Any]] = []
    for r in rows:
        try:
            name = _clean(r["label"])
        except InvalidInput:
            continue
        if not _name_like(name):
            continue
        interviewer = r["speaker_kind"] == "interviewer"
        seen.append(
            {
                **r,
                "name": name,
                "role": "interviewer" if interviewer else r["role"],
                "case_id": None if interviewer else r["case_id"],
            }
        )
    # Full names first, so a bare "Sanne" can join "Sanne Verbeek" of the same case or role.
    seen.sort(key=lambda r: -len(r["name"].split()))
    for r in seen:
        row = _existing(project, r["name"])
        if row is not None:
            if row["status"] == "candidate" and _is_given(r["name"]):
                project.conn.execute(
                    "UPDATE persons SET status = 'confirmed', source = 'speaker', role = coalesce(role, ?),"
                    " modified_at = ? WHERE id = ?",
                    (r["role"], now(), row["id"]),
                )
            continue
        if len(r["name"].split()) == 1:
            owners = project.query(
                "SELECT id FROM persons WHERE (name LIKE ? || ' %') AND status <> 'rejected'"
                " AND ((case_id IS ? AND coalesce(role, '') = coalesce(?, '')) OR (role = 'interviewer' AND ? = 'interviewer'))",
                (r["name"], r["case_id"], r["role"], r["role"] or ""),
            )
            if len(owners) == 1:
                _add_alias(project, owners[0]["id"], r["name"])
                summary.aliases += 1
                continue
        _insert(
            project,
            r["name"],
            role=r["role"],
            case_id=r["case_id"],
            organisation=None if r["role"] == "interviewer" else r["organisation"],
            status="confirmed" if _is_given(r["name"]) else "candidate",
            source="interviewer" if r["role"] == "interviewer" else "speaker",
        )
        summary.speakers += 1


def _not_person_forms(project: Project) -> set[str]:
    """Case and organisation names and every run of words in them: capitalised, never a person.

    "Jan Ligthart" inside "Basisschool Jan Ligthart" is a school, not a respondent.
    """
    names = [r["name"] for r in project.query("SELECT name FROM cases")]
    try:
        names += [r["name"] for r in project.query("SELECT name FROM organisations")]
        names += [r["alias"] for r in project.query("SELECT alias FROM organisation_aliases")]
        names += [
            r["surface"]
            for r in project.query(
                "SELECT DISTINCT surface FROM mentions WHERE organisation_id IS NOT NULL"
                " AND status IN ('auto', 'confirmed') AND method IN ('exact', 'variant', 'manual')"
            )
        ]
    except Exception:  # noqa: BLE001 - no partner registry in this project
        pass
    forms: set[str] = set()
    for name in names:
        words = name.lower().split()
        for i in range(len(words)):
            for j in range(i + 1, min(len(words), i + 4) + 1):
                forms.add(" ".join(words[i:j]))
    return forms


def _texts(project: Project, case_id: str | None) -> list[dict[str, Any]]:
    sql = "SELECT d.id, d.case_id, t.text FROM documents d JOIN document_texts t ON t.document_id = d.id"
    if case_id:
        return project.query(sql + " WHERE d.case_id = ? ORDER BY d.name", (case_id,))
    return project.query(sql + " ORDER BY d.name")


def scan_persons(project: Project, case: str | None = None) -> ScanSummary:
    """Register speakers and interviewers, and propose names found in the texts.

    Decisions already made (confirmed, rejected, aliases) are kept; counts and
    examples of candidates are refreshed.
    """
    from rapidfuzz import fuzz, process  # lazy: rapidfuzz: only when names are compared

    case_id = _case_id(project, case)
    summary = ScanSummary()
    with project.transaction():
        _speakers(project, case_id, summary)
        known: dict[str, str] = {}
        registered = list_persons(project)
        for p in registered:  # a name or alias as written beats another person's variant
            for n in p.names:
                known.setdefault(n.lower(), p.id)
        for p in registered:
            for n in p.names:
                for v in name_variants(n):
                    known.setdefault(v.lower(), p.id)
        fuzzy_targets = [k for k in known if len(k) >= 5]
        skip = _not_person_forms(project)
        counts: dict[str, int] = defaultdict(int)
        found: dict[str, dict[str, Any]] = {}
        docs = _texts(project, case_id)
        summary.documents = len(docs)
        for doc in docs:
            text = doc["text"]
            for hit in find_names(text):
                surface = re.sub(r"['’]s$", "", " ".join(hit.text.split()))
                low = surface.lower()
                if low in skip:
                    continue
                pid = known.get(low)
                if pid is None and fuzzy_targets and len(low) >= 5:
                    best = process.extractOne(
                        low, fuzzy_targets, scorer=fuzz.ratio, score_cutoff=90
                    )
                    pid = known[best[0]] if best else None
                if pid is not None:
                    counts[pid] += 1
                    summary.mentions_of_known += 1
                    continue
                entry = found.setdefault(
                    low,
                    {
                        "name": surface,
                        "count": 0,
                        "cases": set(),
                        "source": "model" if hit.source == "model" else "pattern",
                        "example": _example(text, hit.start, hit.end),
                    },
                )
                entry["count"] += 1
                entry["cases"].add(doc["case_id"])
        if not case_id:
            project.conn.execute("UPDATE persons SET count = 0")
        for pid, seen in counts.items():
            project.conn.execute("UPDATE persons SET count = count + ? WHERE id = ?", (seen, pid))
        for entry in found.values():
            row = project.query_one(
                "SELECT id, status FROM persons WHERE name = ?", (entry["name"],)
            )
            if row is not None:
                project.conn.execute(
                    "UPDATE persons SET count = ?, example = coalesce(example, ?) WHERE id = ?",
                    (entry["count"], entry["example"], row["id"]),
                )
                if row["status"] == "candidate":
                    summary.candidates_seen += 1
                continue
            cases = entry["cases"]
            _insert(
                project,
                entry["name"],
                case_id=next(iter(cases)) if len(cases) == 1 else None,
                source=entry["source"],
                count=entry["count"],
                example=entry["example"],
            )
            summary.candidates_new += 1
        project.set_meta(SCANNED_KEY, now())
        project.audit("scan", "persons", None, after=summary.__dict__)
    return summary


def _example(text: str, start: int, end: int) -> str:
    a = max(0, start - 50)
    b = min(len(text), end + 50)
    return ("…" if a else "") + " ".join(text[a:b].split()) + ("…" if b < len(text) else "")


def needs_scan(project: Project) -> bool:
    """True when documents were imported after the last scan (or there was none)."""
    scanned = project.get_meta(SCANNED_KEY)
    if scanned is None:
        return True
    newer = project.scalar("SELECT count(*) FROM documents WHERE imported_at > ?", (scanned,))
    return bool(newer)
