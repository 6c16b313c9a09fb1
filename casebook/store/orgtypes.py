"""A project's own organisation types: the list its registry, codebook and reports use.

A project starts with the default vocabulary (casebook/data/orgtypes.toml) and
stores nothing until it changes it: the first change (a type added, renamed or
relabelled, or a new type met while importing) copies the defaults into the
``org_types`` table, and from then on that table is the project's list. So an
existing project reads exactly as before, and a team studying another
programme keeps its own types (zorginstelling, woningcorporatie, …) next to or
instead of the defaults.

A type nobody registered but some organisation carries (a team member's file
merged in) still shows, under its key, so nothing is hidden.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from casebook.errors import InvalidInput, NotFound
from casebook.orgtypes import (
    DEFAULT_TYPES,
    OrgType,
    Vocabulary,
    clean_key,
    clean_roles,
    spelling,
)
from casebook.store.project import Project

OWN_TYPES_META = "org_types"  # meta key set once the project keeps its own list


def project_types(project: Project) -> Vocabulary:
    """The project's organisation types in legend order (the defaults until it has its own)."""
    if project.get_meta(OWN_TYPES_META):
        vocab = Vocabulary(
            [
                OrgType(
                    key=r["key"],
                    labels=json.loads(r["labels"] or "{}"),
                    synonyms=tuple(json.loads(r["synonyms"] or "[]")),
                    colour=r["colour"],
                    counts_as=r["counts_as"],
                    lead=bool(r["lead"]),
                    roles=tuple(json.loads(r["roles"] or "[]")),
                )
                for r in project.query("SELECT * FROM org_types ORDER BY position, key")
            ],
            DEFAULT_TYPES.fallback,
        )
    else:
        vocab = DEFAULT_TYPES
    used = [
        r["type"] for r in project.query("SELECT DISTINCT type FROM organisations ORDER BY type")
    ]
    return vocab.with_types(used)


def _own(project: Project) -> Vocabulary:
    """Make the project keep its own list (copying the defaults the first time); inside a transaction."""
    vocab = project_types(project)
    if not project.get_meta(OWN_TYPES_META):
        for t in vocab:
            _write(project, t, None)
        project.set_meta(OWN_TYPES_META, "own")
    return vocab


def _write(project: Project, t: OrgType, position: int | None) -> None:
    if position is None:
        position = project.scalar("SELECT coalesce(max(position), -1) + 1 FROM org_types")
    project.conn.execute(
        "INSERT INTO org_types (key, position, labels, synonyms, colour, counts_as, lead, roles) "
        "VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(key) DO UPDATE SET labels = excluded.labels, "
        "synonyms = excluded.synonyms, colour = excluded.colour, roles = excluded.roles",
        (
            t.key,
            position,
            json.dumps(dict(t.labels), ensure_ascii=False),
            json.dumps(list(t.synonyms), ensure_ascii=False),
            t.colour,
            t.counts_as,
            int(t.lead),
            json.dumps(list(t.roles)),
        ),
    )


def _require(vocab: Vocabulary, value: str) -> OrgType:
    key = vocab.resolve(value)
    t = vocab.get(key) if key else None
    if t is None:
        raise NotFound(f"no organisation type '{value}'; `casebook partners types` lists them")
    return t


def resolve_type(project: Project, value: str | None, new: list[str] | None = None) -> str:
    """The project's key for a type a user or a list wrote, adding a type the project lacks.

    The new type takes its labels from the defaults when they know it, else its
    key as label; its key goes into ``new`` so the caller can say so.
    Only empty or garbage values are refused (InvalidInput).
    """
    vocab = project_types(project)
    key = vocab.resolve(value)
    if key is not None and key in vocab:
        return key
    key = key or clean_key(value)
    known = DEFAULT_TYPES.get(key) or DEFAULT_TYPES.get(DEFAULT_TYPES.resolve(key) or "")
    if known is not None and known.key in vocab:
        return known.key
    t = known or OrgType(key, {"nl": key})
    with project.transaction():
        _own(project)
        _write(project, t, None)
        project.audit("add", "org_type", t.key, after={"key": t.key, "labels": dict(t.labels)})
    if new is not None and t.key not in new:
        new.append(t.key)
    return t.key


def resolve_types(
    project: Project, values: Iterable[str], new: list[str] | None = None
) -> list[str]:
    return list(dict.fromkeys(resolve_type(project, v, new) for v in values if v.strip()))


def known_type(project: Project, value: str) -> str:
    """The project's key for ``value``; a type it does not know is an error saying how to add it."""
    vocab = project_types(project)
    key = vocab.resolve(value)
    if key is None or key not in vocab:
        raise InvalidInput(
            f"unknown organisation type '{value.strip()}': add it with "
            f"`casebook partners types add {spelling(value)}` or import the partner list first "
            f"(the project has: {', '.join(vocab.keys)})"
        )
    return key


def new_types_notice(keys: list[str]) -> str:
    """The one line an import prints when it added types to the project."""
    n = len(keys)
    return (
        f"added {n} organisation type{'s' if n != 1 else ''} to the project: {', '.join(keys)} "
        "(`casebook partners types label KEY TEXT` names one for readers, "
        "`casebook partners types rename KEY OTHER` renames it or merges it into another)"
    )


def type_rows(project: Project) -> list[dict[str, Any]]:
    """Each type with its labels, synonyms and how many organisations and codes use it."""
    vocab = project_types(project)
    counts = {
        r["type"]: r["n"]
        for r in project.query("SELECT type, count(*) AS n FROM organisations GROUP BY type")
    }
    code_uses: dict[str, int] = {}
    for r in project.query("SELECT partner_types FROM codes WHERE partner_types IS NOT NULL"):
        for k in r["partner_types"].split(","):
            code_uses[k] = code_uses.get(k, 0) + 1
    colours = vocab.colours()
    return [
        {
            "key": t.key,
            "label": t.label("nl"),
            "label_en": t.label("en"),
            "synonyms": list(t.synonyms),
            "roles": list(t.roles),
            "colour": colours[t.key],
            "organisations": counts.get(t.key, 0),
            "codes": code_uses.get(t.key, 0),
        }
        for t in vocab
    ]


def add_type(
    project: Project,
    key: str,
    labels: dict[str, str] | None = None,
    synonyms: Iterable[str] = (),
    colour: str | None = None,
    roles: Iterable[str] = (),
) -> str:
    """Add a type to the project; an existing key or spelling is an error (use label/rename)."""
    key = clean_key(key)
    vocab = project_types(project)
    for s in (key, *synonyms):
        holder = vocab.resolve(s)
        if spelling(s) and holder is not None and holder in vocab:
            raise InvalidInput(f"'{s}' already names the organisation type '{holder}'")
    labels = {k: v.strip() for k, v in (labels or {}).items() if v and v.strip()} or {"nl": key}
    t = OrgType(
        key,
        labels,
        tuple(s.strip() for s in synonyms if s.strip()),
        colour,
        roles=clean_roles(roles, f"type {key}"),
    )
    with project.transaction():
        _own(project)
        _write(project, t, None)
        project.audit("add", "org_type", key, after={"key": key, "labels": labels})
    return key


def set_label(project: Project, key: str, label: str, language: str = "nl") -> None:
    label = " ".join(label.split())
    if not label:
        raise InvalidInput("a label needs some text")
    with project.transaction():
        vocab = _own(project)
        t = _require(vocab, key)
        labels = {**t.labels, language: label}
        project.conn.execute(
            "UPDATE org_types SET labels = ? WHERE key = ?",
            (json.dumps(labels, ensure_ascii=False), t.key),
        )
        project.audit("label", "org_type", t.key, before=dict(t.labels), after=labels)


def set_roles(project: Project, key: str, roles: Iterable[str]) -> tuple[str, ...]:
    """What a type is in general terms (ROLES); replaces the type's roles, returns them."""
    cleaned = clean_roles(roles, f"type {key}")
    with project.transaction():
        vocab = _own(project)
        t = _require(vocab, key)
        project.conn.execute(
            "UPDATE org_types SET roles = ? WHERE key = ?", (json.dumps(list(cleaned)), t.key)
        )
        project.audit("roles", "org_type", t.key, before=list(t.roles), after=list(cleaned))
    return cleaned


def add_synonym(project: Project, key: str, synonym: str) -> None:
    synonym = " ".join(synonym.split())
    with project.transaction():
        vocab = _own(project)
        t = _require(vocab, key)
        holder = vocab.resolve(synonym)
        if not synonym or holder == t.key:
            return
        if holder is not None:
            raise InvalidInput(f"'{synonym}' already names the organisation type '{holder}'")
        project.conn.execute(
            "UPDATE org_types SET synonyms = ? WHERE key = ?",
            (json.dumps([*t.synonyms, synonym], ensure_ascii=False), t.key),
        )
        project.audit("synonym", "org_type", t.key, after={"synonym": synonym})


def rename_type(project: Project, old: str, new: str) -> dict[str, Any]:
    """Rename a type, or merge it into another that already exists.

    Organisations and codes' partner types follow; the old key stays a synonym,
    so a partner list that still writes it lands on the new type.
    """
    with project.transaction():
        vocab = _own(project)
        source = _require(vocab, old)
        target_key = vocab.resolve(new)
        merged = target_key is not None and target_key in vocab
        if merged and target_key == source.key:
            raise InvalidInput(f"'{new}' already is the organisation type '{source.key}'")
        if not merged:
            target_key = clean_key(new)
            labels = dict(source.labels)
            if labels.get("nl", source.key) == source.key:
                labels["nl"] = target_key  # the label was just the key: it follows the rename
            project.conn.execute(
                "UPDATE org_types SET key = ?, labels = ?, synonyms = ? WHERE key = ?",
                (
                    target_key,
                    json.dumps(labels, ensure_ascii=False),
                    json.dumps([*source.synonyms, source.key], ensure_ascii=False),
                    source.key,
                ),
            )
        else:
            target = vocab.get(target_key or "")
            assert target is not None
            synonyms = list(dict.fromkeys([*target.synonyms, source.key, *source.synonyms]))
            project.conn.execute(
                "UPDATE org_types SET synonyms = ? WHERE key = ?",
                (json.dumps(synonyms, ensure_ascii=False), target.key),
            )
            project.conn.execute("DELETE FROM org_types WHERE key = ?", (source.key,))
        assert target_key is not None
        orgs = project.conn.execute(
            "UPDATE organisations SET type = ? WHERE type = ?", (target_key, source.key)
        ).rowcount
        codes = 0
        for r in project.query(
            "SELECT id, partner_types FROM codes WHERE partner_types IS NOT NULL"
        ):
            keys = r["partner_types"].split(",")
            if source.key in keys:
                renamed = ",".join(
                    dict.fromkeys(target_key if k == source.key else k for k in keys)
                )
                project.conn.execute(
                    "UPDATE codes SET partner_types = ? WHERE id = ?", (renamed, r["id"])
                )
                codes += 1
        project.conn.execute(
            "UPDATE organisation_candidates SET suggested_type = ? WHERE suggested_type = ?",
            (target_key, source.key),
        )
        result = {"key": target_key, "merged": merged, "organisations": orgs, "codes": codes}
        project.audit("rename", "org_type", source.key, before={"key": source.key}, after=result)
    return result


def remove_type(project: Project, key: str) -> None:
    """Remove a type no organisation and no code uses."""
    with project.transaction():
        vocab = _own(project)
        t = _require(vocab, key)
        n = project.scalar("SELECT count(*) FROM organisations WHERE type = ?", (t.key,))
        uses = sum(
            t.key in r["partner_types"].split(",")
            for r in project.query(
                "SELECT partner_types FROM codes WHERE partner_types IS NOT NULL"
            )
        )
        if n or uses:
            raise InvalidInput(
                f"organisation type '{t.key}' is used by {n} organisation(s) and {uses} code(s); "
                "rename it into another type to merge them instead"
            )
        project.conn.execute("DELETE FROM org_types WHERE key = ?", (t.key,))
        project.audit("remove", "org_type", t.key, before={"key": t.key})
