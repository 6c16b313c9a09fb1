"""Autocoding rules: what they find, how they are saved and re-run.

One module: a rule's kinds, validation, storage and re-run are one contract with the
review queue.

A rule names a code, a way of finding passages (``kind`` and ``query``), a
unit and a scope. Kinds:

- ``words``: whole words or phrases, comma-separated, case-insensitive;
- ``lemma``: sentences holding a lemma (the search index's lemma column, so
  an inflected form finds the others), or an indexed word form of it;
- ``pattern``: a Python regular expression over the document text;
- ``speaker_role``: every turn whose speaker has that role (or kind, such as
  ``interviewer``);
- ``section``: sections whose heading resembles the query (rapidfuzz), whole;
- ``like``: passages similar to those already coded with the code
  (:mod:`casebook.autocode.like`).

Running a rule writes suggestions, never codings. Passages that already
carry the code (from any coder) are not suggested again, and a passage a
coder rejected stays rejected when the rule runs again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from casebook.autocode.like import like_matches
from casebook.autocode.units import (
    UNITS,
    Match,
    Range,
    Scope,
    check_unit,
    coded_ranges,
    document_texts,
    documents_in_scope,
    load_units,
    overlaps_any,
    units_for_hits,
)
from casebook.codes.codebook import resolve_code
from casebook.errors import CasebookError, InvalidInput, NotFound
from casebook.store.project import Project, new_id, now
from casebook.text import nlp

KINDS = ("words", "lemma", "pattern", "speaker_role", "section", "like")
DEFAULT_UNIT = {
    "words": "sentence",
    "lemma": "sentence",
    "pattern": "sentence",
    "speaker_role": "turn",
    "section": "section",
    "like": "sentence",
}
HEADING_CUTOFF = 85.0
_NUMBERING = re.compile(r"^\s*(?:§\s*)?(?:\d+(?:\.\d+)*\.?|[ivxlc]+\.|[a-z]\))\s+", re.IGNORECASE)


@dataclass
class Rule:
    """A rule as the user gave it (or as it was saved)."""

    code_id: str
    code: str
    kind: str
    query: str
    unit: str
    scope: Scope = field(default_factory=Scope)
    top: int | None = None
    min_score: float | None = None
    name: str | None = None
    id: str | None = None

    def describe(self) -> str:
        what = (
            f"{self.kind.replace('_', ' ')} {self.query!r}"
            if self.kind != "like"
            else "more like this"
        )
        return f"{what} → {self.code} by {self.unit} in {self.scope.describe()}"

    def default_name(self) -> str:
        query = re.sub(r"\s+", " ", self.query.strip())[:40]
        return f"{self.kind}:{query}@{self.code}" if self.kind != "like" else f"like@{self.code}"

    def settings(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(self.scope.to_dict())
        if self.top is not None:
            data["top"] = self.top
        if self.min_score is not None:
            data["min_score"] = self.min_score
        return data


@dataclass
class RunResult:
    rule: Rule
    matches: list[Match]
    added: int = 0
    known: int = 0  # suggested by this rule before (pending, accepted or rejected)
    coded: int = 0  # left out because the passage already has the code
    dry_run: bool = False


def make_rule(
    project: Project,
    code_ref: str,
    kind: str,
    query: str = "",
    *,
    unit: str | None = None,
    scope: Scope | None = None,
    top: int | None = None,
    min_score: float | None = None,
    name: str | None = None,
) -> Rule:
    """Check a rule's parts and resolve its code; bad input is one clear error."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown rule kind '{kind}'; use one of {', '.join(KINDS)}")
    code = resolve_code(project, code_ref)
    query = (query or "").strip()
    if kind != "like" and not query:
        raise InvalidInput(f"the --{kind.replace('_', '-')} rule needs a value")
    if kind == "words":
        _word_regex(query)
    elif kind == "pattern":
        _compile_pattern(query)
    if top is not None and top < 1:
        raise InvalidInput("--top must be at least 1")
    return Rule(
        code_id=code["id"],
        code=code["path"],
        kind=kind,
        query=query,
        unit=check_unit(unit or DEFAULT_UNIT[kind]),
        scope=scope or Scope(),
        top=top,
        min_score=min_score,
        name=name,
    )


# --- finding --------------------------------------------------------------------------


def _word_regex(query: str) -> re.Pattern[str]:
    words = [w.strip() for w in query.split(",") if w.strip()]
    if not words:
        raise InvalidInput('--words needs at least one word, e.g. --words "stage, stages"')
    alternatives = sorted(
        (r"\s+".join(re.escape(p) for p in w.split()) for w in words), key=len, reverse=True
    )
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


def _compile_pattern(query: str) -> re.Pattern[str]:
    try:
        return re.compile(query)
    except re.error as exc:
        raise InvalidInput(
            f"--pattern {query!r} is not a valid regular expression ({exc}); fix it and run again"
        ) from exc


def _regex_hits(regex: re.Pattern[str], texts: dict[str, str]) -> dict[str, list[Range]]:
    hits: dict[str, list[Range]] = {}
    for doc_id, text in texts.items():
        found = [(m.start(), m.end()) for m in regex.finditer(text) if m.end() > m.start()]
        if found:
            hits[doc_id] = found
    return hits


def lemma_forms(project: Project, lemma: str) -> list[str]:
    """Words in the index whose dictionary lemma is ``lemma``.

    The lemma column misses inflected parts of compounds the tokenizer keeps
    whole ("vmbo-docenten" is one spaCy token, two index terms), so the rule
    also looks for every indexed surface word the lookup table maps to it.
    """
    pipe = nlp.pipeline()
    try:
        table = pipe.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    except (KeyError, ValueError):  # a statistical pipeline without the lookup table
        return []
    if not lemma:
        return []
    project.conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.autocode_vocab USING fts5vocab(main, 'segments_fts', 'row')"
    )
    # forms share the lemma's first letter (docent/docenten, lopen/liep), and fts5vocab
    # seeks to a term range, so only that slice of the vocabulary is read
    first = lemma[0]
    terms = project.conn.execute(
        "SELECT term FROM temp.autocode_vocab WHERE term >= ? AND term < ?",
        (first, chr(ord(first) + 1)),
    )
    return sorted({t for (t,) in terms if t != lemma and table.get(t, t) == lemma})


def lemma_query(project: Project, query: str) -> str:
    """The FTS5 expression a lemma rule runs: the lemma, or a word form of it."""
    lemmas = [w for w in nlp.lemmatise(query) if re.search(r"\w", w)]
    if not lemmas:
        raise InvalidInput(f"--lemma {query!r} has no word to look for")
    phrase = '"' + " ".join(lemmas).replace('"', '""') + '"'
    expr = "lemmas : " + phrase
    if len(lemmas) == 1:
        forms = lemma_forms(project, lemmas[0])
        if forms:
            expr = (
                f"({expr}) OR text : ("
                + " OR ".join('"' + f.replace('"', '""') + '"' for f in forms)
                + ")"
            )
    return expr


def _lemma_hits(
    project: Project, query: str, doc_ids: Sequence[str], all_docs: bool
) -> dict[str, list[Range]]:
    sql = (
        "SELECT f.document_id, s.start, s.end FROM segments_fts f JOIN segments s ON s.id = f.segment_id"
        " WHERE segments_fts MATCH ?"
    )
    hits: dict[str, list[Range]] = {}
    keep = None if all_docs else set(doc_ids)
    for doc_id, s, e in project.conn.execute(sql, (lemma_query(project, query),)):
        if keep is None or doc_id in keep:
            hits.setdefault(doc_id, []).append((s, e))
    return hits


def _speaker_hits(project: Project, role: str, doc_ids: Sequence[str]) -> dict[str, list[Range]]:
    hits: dict[str, list[Range]] = {}
    wanted = role.strip().lower()
    roles_seen: set[str] = set()
    keep = set(doc_ids)
    for doc_id, s, e, r, k in project.conn.execute(
        "SELECT document_id, start, end, role, speaker_kind FROM segments WHERE kind = 'turn' AND end > start"
        " ORDER BY document_id, start"
    ):
        if doc_id not in keep:
            continue
        roles_seen.update(x.lower() for x in (r, k) if x)
        if wanted in ((r or "").lower(), (k or "").lower()):
            hits.setdefault(doc_id, []).append((int(s), int(e)))
    if not hits:
        seen = ", ".join(sorted(roles_seen)) or "none: no document in scope has speaker turns"
        raise InvalidInput(f"no speaker turn with role '{role}' in scope; roles present: {seen}")
    return hits


def normalise_heading(label: str) -> str:
    return " ".join(_NUMBERING.sub("", label or "").lower().split())


def _section_hits(
    project: Project, heading: str, doc_ids: Sequence[str]
) -> tuple[dict[str, list[Range]], dict[Range, float]]:
    # rapidfuzz is a compiled library; --help does not load it
    from rapidfuzz import fuzz

    wanted = normalise_heading(heading)
    if not wanted:
        raise InvalidInput("--section needs a heading to look for")
    keep = set(doc_ids)
    per_doc: dict[str, list[tuple[float, Range]]] = {}
    best_seen: tuple[float, str] = (0.0, "")
    for doc_id, s, e, label in project.conn.execute(
        "SELECT document_id, start, end, label FROM segments WHERE kind = 'section' AND end > start"
    ):
        if doc_id not in keep:
            continue
        name = normalise_heading(label)
        score = max(fuzz.ratio(wanted, name), fuzz.token_set_ratio(wanted, name)) if name else 0.0
        if score > best_seen[0]:
            best_seen = (score, label)
        if score >= HEADING_CUTOFF:
            per_doc.setdefault(doc_id, []).append((score, (int(s), int(e))))
    if not per_doc:
        hint = (
            f"; closest heading: “{best_seen[1]}”"
            if best_seen[1]
            else "; no document in scope has headings"
        )
        raise InvalidInput(f"no section heading like '{heading}' in scope{hint}")
    hits: dict[str, list[Range]] = {}
    scores: dict[Range, float] = {}
    for doc_id, found in per_doc.items():
        top = max(score for score, _ in found)
        hits[doc_id] = [span for score, span in found if score == top]
        for span in hits[doc_id]:
            scores[span] = top / 100.0
    return hits, scores


def find_matches(
    project: Project, rule: Rule, *, exclude_coded: bool = True
) -> tuple[list[Match], int]:
    """The passages a rule proposes, and how many were left out as already coded."""
    docs = documents_in_scope(project, rule.scope)
    if not docs:
        raise InvalidInput(
            f"no document in scope ({rule.scope.describe()}); check --case, --kind and --role"
        )
    names = {d["id"]: d["name"] for d in docs}
    doc_ids = list(names)
    if rule.kind == "like":
        return like_matches(project, rule, docs, exclude_coded=exclude_coded)
    section_scores: dict[Range, float] = {}
    if rule.kind in ("words", "pattern"):
        regex = _word_regex(rule.query) if rule.kind == "words" else _compile_pattern(rule.query)
        hits = _regex_hits(regex, document_texts(project, doc_ids))
    elif rule.kind == "lemma":
        all_docs = not (
            rule.scope.cases or rule.scope.kinds or rule.scope.roles or rule.scope.documents
        )
        hits = _lemma_hits(project, rule.query, doc_ids, all_docs)
    elif rule.kind == "speaker_role":
        hits = _speaker_hits(project, rule.query, doc_ids)
    else:
        hits, section_scores = _section_hits(project, rule.query, doc_ids)
    # hits that already are whole units (lemma hits are sentences; section hits are sections)
    hits_are_units = (rule.kind, rule.unit) in (("lemma", "sentence"), ("section", "section"))
    coded = coded_ranges(project, rule.code_id, list(hits)) if exclude_coded else {}
    texts = document_texts(project, list(coded) if hits_are_units else list(hits))
    units = {} if hits_are_units else load_units(project, list(hits), rule.unit)
    out: list[Match] = []
    left_out = 0
    for doc_id in doc_ids:
        if doc_id not in hits:
            continue
        if hits_are_units:
            found = dict.fromkeys(hits[doc_id], 1)
        else:
            found = units_for_hits(units[doc_id], rule.unit, hits[doc_id], texts[doc_id])
        doc_coded = coded.get(doc_id)
        name = names[doc_id]
        if rule.kind == "lemma" and hits_are_units and not doc_coded:  # the common, large case
            out += [Match(doc_id, name, s, e, 1.0) for s, e in sorted(found)]
            continue
        for span in sorted(found):
            if doc_coded and overlaps_any(span, doc_coded, texts[doc_id]):
                left_out += 1
                continue
            if rule.kind == "section":
                score = max(
                    (v for k, v in section_scores.items() if k[0] <= span[0] and span[1] <= k[1]),
                    default=1.0,
                )
            elif rule.kind == "speaker_role":
                score = 1.0
            else:
                score = float(found[span])
            out.append(Match(doc_id, name, span[0], span[1], score))
    if rule.min_score is not None:
        out = [m for m in out if m.score >= rule.min_score]
    if rule.top is not None:
        best = set(sorted(out, key=lambda m: -m.score)[: rule.top])
        out = [m for m in out if m in best]
    return out, left_out


# --- saving and running ---------------------------------------------------------------


def _row_to_rule(row: dict[str, Any]) -> Rule:
    settings = json.loads(row["scope"] or "{}")
    return Rule(
        code_id=row["code_id"],
        code=row["code"],
        kind=row["kind"],
        query=row["query"],
        unit=row["unit"],
        scope=Scope.from_dict(settings),
        top=settings.get("top"),
        min_score=settings.get("min_score"),
        name=row["name"],
        id=row["id"],
    )


def list_rules(project: Project, *, saved_only: bool = True) -> list[dict[str, Any]]:
    sql = (
        "SELECT r.*, x.path AS code,"
        " (SELECT count(*) FROM suggestions s WHERE s.rule_id = r.id AND s.status = 'pending') AS pending,"
        " (SELECT count(*) FROM suggestions s WHERE s.rule_id = r.id AND s.status = 'accepted') AS accepted,"
        " (SELECT count(*) FROM suggestions s WHERE s.rule_id = r.id AND s.status = 'rejected') AS rejected"
        " FROM autocode_rules r JOIN codes x ON x.id = r.code_id"
    )
    if saved_only:
        sql += " WHERE r.saved = 1"
    return project.query(sql + " ORDER BY r.name")


def get_rule(project: Project, name: str) -> Rule:
    row = project.query_one(
        "SELECT r.*, x.path AS code FROM autocode_rules r JOIN codes x ON x.id = r.code_id WHERE r.name = ?",
        (name.strip(),),
    )
    if row is None:
        saved = ", ".join(r["name"] for r in list_rules(project)) or "none saved yet"
        raise NotFound(f"no autocoding rule '{name}'; saved rules: {saved}")
    return _row_to_rule(row)


def delete_rule(project: Project, name: str) -> int:
    """Remove a saved rule and its pending suggestions; decided ones stay as history in the audit log."""
    rule = get_rule(project, name)
    with project.transaction():
        n = project.scalar("SELECT count(*) FROM suggestions WHERE rule_id = ?", (rule.id,))
        project.conn.execute("DELETE FROM autocode_rules WHERE id = ?", (rule.id,))
        project.audit(
            "delete",
            "autocode_rule",
            rule.id,
            before={"name": rule.name, "kind": rule.kind, "query": rule.query, "code": rule.code},
        )
    return int(n or 0)


def _store_rule(project: Project, rule: Rule, saved: bool) -> str:
    name = rule.name or rule.default_name()
    existing = project.query_one("SELECT id, saved FROM autocode_rules WHERE name = ?", (name,))
    stamp = now()
    values = (
        rule.code_id,
        rule.kind,
        rule.query,
        rule.unit,
        json.dumps(rule.settings(), ensure_ascii=False),
    )
    if existing:
        project.conn.execute(
            "UPDATE autocode_rules SET code_id = ?, kind = ?, query = ?, unit = ?, scope = ?,"
            " saved = max(saved, ?), modified_at = ?, last_run_at = ? WHERE id = ?",
            (*values, int(saved), stamp, stamp, existing["id"]),
        )
        rule_id = existing["id"]
    else:
        rule_id = new_id()
        project.conn.execute(
            "INSERT INTO autocode_rules (id, name, code_id, kind, query, unit, scope, saved, created_at,"
            " modified_at, last_run_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rule_id, name, *values, int(saved), stamp, stamp, stamp),
        )
        project.audit(
            "add",
            "autocode_rule",
            rule_id,
            after={
                "name": name,
                "kind": rule.kind,
                "query": rule.query,
                "code": rule.code,
                "unit": rule.unit,
                **rule.settings(),
            },
        )
    rule.name, rule.id = name, rule_id
    return rule_id


def run_rule(
    project: Project, rule: Rule, *, dry_run: bool = False, save: bool = False
) -> RunResult:
    """Find the rule's passages and queue them as suggestions (one transaction); never codes."""
    matches, coded = find_matches(project, rule)
    result = RunResult(rule, matches, coded=coded, dry_run=dry_run)
    if dry_run:
        return result
    stamp = now()
    with project.transaction():
        rule_id = _store_rule(project, rule, save)
        before = project.conn.total_changes
        project.conn.executemany(
            "INSERT OR IGNORE INTO suggestions (rule_id, document_id, code_id, start, end, score, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (rule_id, m.document_id, rule.code_id, m.start, m.end, m.score, stamp)
                for m in matches
            ],
        )
        result.added = project.conn.total_changes - before
        result.known = len(matches) - result.added
        project.audit(
            "run",
            "autocode_rule",
            rule_id,
            after={"name": rule.name, "found": len(matches), "added": result.added},
        )
    return result


def run_rules(
    project: Project, rules: Sequence[Rule], *, dry_run: bool = False, save: bool = True
) -> list[RunResult]:
    """Run several rules as one action: if one fails (say, an unknown heading), none is kept."""
    with project.transaction():
        return [run_rule(project, rule, dry_run=dry_run, save=save) for rule in rules]


def run_saved(project: Project, names: Sequence[str] | None = None) -> list[RunResult]:
    """Re-run saved rules (all when no names), e.g. after importing new documents; one action."""
    rules = (
        [get_rule(project, n) for n in names]
        if names
        else [_row_to_rule(r) for r in list_rules(project)]
    )
    if not rules:
        raise NotFound(
            "no saved autocoding rules; save one with `casebook autocode ... --save NAME`"
        )
    return run_rules(project, rules, save=True)


def _listed(value: Any) -> tuple[str, ...]:
    return tuple(str(x) for x in (value if isinstance(value, list) else [value] if value else []))


FILE_KEYS = {
    "name",
    "code",
    "unit",
    "case",
    "kind",
    "role",
    "top",
    "min_score",
    *KINDS,
    "speaker-role",
    "min-score",
}


def rules_from_file(project: Project, path: Path) -> list[Rule]:
    """Rules from a YAML file (``rules:`` a list of mappings); every problem names the file and rule.

    Each entry has ``name``, ``code``, exactly one of ``words``, ``lemma``,
    ``pattern``, ``speaker_role``, ``section`` or ``like: true``, and
    optionally ``unit``, ``case``, ``kind``, ``role`` (a value or a list),
    ``top`` and ``min_score``. This is how a mapping such as progress-report
    sections to theme codes lives in data, not in code.
    """
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the rules file ({exc.strerror or exc})") from exc
    except yaml.YAMLError as exc:
        raise InvalidInput(
            f"{path}: not valid YAML ({str(exc).splitlines()[0]}); fix the file"
        ) from exc
    entries = data.get("rules") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(
            f"{path}: expected a 'rules:' list of rules; see codebooks/sto-autocode.yaml"
        )
    out: list[Rule] = []
    for i, entry in enumerate(entries, 1):
        where = f"{path}: rule {i}"
        if not isinstance(entry, dict):
            raise InvalidInput(f"{where} is not a mapping of keys to values")
        entry = {str(k).replace("-", "_"): v for k, v in entry.items()}
        unknown = sorted(set(entry) - {k.replace("-", "_") for k in FILE_KEYS})
        if unknown:
            raise InvalidInput(f"{where}: unknown key(s) {', '.join(unknown)}")
        kinds = [k for k in KINDS if k in entry and entry[k] not in (None, False)]
        if len(kinds) != 1 or not entry.get("name") or not entry.get("code"):
            raise InvalidInput(f"{where}: needs name, code and exactly one of {', '.join(KINDS)}")
        kind = kinds[0]

        try:
            out.append(
                make_rule(
                    project,
                    str(entry["code"]),
                    kind,
                    "" if kind == "like" else str(entry[kind]),
                    unit=entry.get("unit"),
                    scope=Scope(*(_listed(entry.get(k)) for k in ("case", "kind", "role"))),
                    top=entry.get("top"),
                    min_score=entry.get("min_score"),
                    name=str(entry["name"]),
                )
            )
        except CasebookError as exc:
            raise InvalidInput(f"{where} ({entry['name']}): {exc}") from exc
    return out


def rule_ranges(project: Project, name: str, document_ids: Sequence[str]) -> dict[str, list[Range]]:
    """What a saved rule would code in these documents, ignoring existing codings (for agreement)."""
    rule = get_rule(project, name)
    rule.scope = Scope(rule.scope.cases, rule.scope.kinds, rule.scope.roles, tuple(document_ids))
    try:
        matches, _ = find_matches(project, rule, exclude_coded=False)
    except InvalidInput:
        return {}
    out: dict[str, list[Range]] = {}
    for m in matches:
        out.setdefault(m.document_id, []).append((m.start, m.end))
    return out


__all__ = [
    "KINDS",
    "UNITS",
    "Match",
    "Rule",
    "RunResult",
    "Scope",
    "find_matches",
    "make_rule",
    "run_rule",
]
