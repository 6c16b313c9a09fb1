"""The registry of partner organisations per case.

Organisations have UUID ids because coders' files are merged later. A rename
keeps the old name as an alias and a merge keeps the source's names as
aliases of the target, so earlier spellings in documents and manifests still
resolve. Every change is one transaction with an audit entry.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from casebook.core.cases import ensure_case
from casebook.errors import Ambiguous, ImportFailed, InvalidInput, NotFound
from casebook.importers.plaintext import decode_bytes
from casebook.orgtypes import normalise_type  # noqa: F401  (re-exported: callers import it from here)
from casebook.partners.model import Organisation
from casebook.partners.variants import VariantIndex
from casebook.store.orgtypes import project_types, resolve_type
from casebook.store.project import Project, new_id, now


def load_registry(project: Project, case_id: str | None = None) -> list[Organisation]:
    """All organisations (of one case), aliases included, in name order."""
    sql = "SELECT id, case_id, name, type FROM organisations"
    params: tuple[Any, ...] = ()
    if case_id:
        sql += " WHERE case_id = ?"
        params = (case_id,)
    vocab = project_types(project)
    orgs = {
        r["id"]: Organisation(
            r["id"],
            r["case_id"],
            r["name"],
            r["type"],
            kinds=vocab.answers_to(r["type"]),
            counts_as=vocab.counts_as(r["type"]),
        )
        for r in project.query(sql + " ORDER BY name", params)
    }
    alias_sql = "SELECT a.organisation_id, a.alias FROM organisation_aliases a"
    if case_id:
        alias_sql += " JOIN organisations o ON o.id = a.organisation_id WHERE o.case_id = ?"
    for r in project.query(alias_sql + " ORDER BY a.alias", params):
        if r["organisation_id"] in orgs:
            orgs[r["organisation_id"]].aliases.append(r["alias"])
    return list(orgs.values())


def _clean_name(name: str) -> str:
    name = re.sub(r"\s+", " ", (name or "").strip())
    if not name:
        raise InvalidInput("an organisation needs a name")
    return name


def _name_taken(project: Project, case_id: str, name: str, own_id: str | None = None) -> str | None:
    """The id of another organisation in the case already called (or aliased) ``name``."""
    row = project.query_one(
        "SELECT id FROM organisations WHERE case_id = ? AND name = ? AND id IS NOT ?",
        (case_id, name, own_id),
    )
    if row:
        return row["id"]
    row = project.query_one(
        "SELECT o.id FROM organisation_aliases a JOIN organisations o ON o.id = a.organisation_id "
        "WHERE o.case_id = ? AND a.alias = ? AND o.id IS NOT ?",
        (case_id, name, own_id),
    )
    return row["id"] if row else None


def add_organisation(
    project: Project,
    case_id: str,
    name: str,
    type_: str | None = None,
    aliases: list[str] | tuple[str, ...] = (),
    new_types: list[str] | None = None,
) -> str:
    """Add an organisation; a type the project does not know yet is added to it (key in ``new_types``)."""
    name = _clean_name(name)
    if _name_taken(project, case_id, name):
        raise InvalidInput(
            f"case already has an organisation called '{name}'; rename or merge instead"
        )
    org_id = new_id()
    stamp = now()
    with project.transaction():
        key = resolve_type(project, type_, new_types)
        project.conn.execute(
            "INSERT INTO organisations (id, case_id, name, type, created_at, modified_at) VALUES (?,?,?,?,?,?)",
            (org_id, case_id, name, key, stamp, stamp),
        )
        for alias in aliases:
            _insert_alias(project, case_id, org_id, name, alias)
        project.audit(
            "add",
            "organisation",
            org_id,
            after={"case_id": case_id, "name": name, "type": key, "aliases": list(aliases)},
        )
    return org_id


def _insert_alias(project: Project, case_id: str, org_id: str, name: str, alias: str) -> bool:
    alias = re.sub(r"\s+", " ", alias.strip())
    if not alias or alias.casefold() == name.casefold():
        return False
    other = _name_taken(project, case_id, alias, org_id)
    if other:
        holder = project.scalar("SELECT name FROM organisations WHERE id = ?", (other,))
        raise InvalidInput(f"'{alias}' already names {holder} in this case; merge the two instead")
    cur = project.conn.execute(
        "INSERT OR IGNORE INTO organisation_aliases (organisation_id, alias) VALUES (?, ?)",
        (org_id, alias),
    )
    return cur.rowcount > 0


def get_organisation(project: Project, org_id: str) -> dict[str, Any]:
    row = project.query_one(
        "SELECT o.*, c.name AS case_name FROM organisations o JOIN cases c ON c.id = o.case_id WHERE o.id = ?",
        (org_id,),
    )
    if row is None:
        raise NotFound(f"no organisation {org_id}")
    row["aliases"] = [
        r["alias"]
        for r in project.query(
            "SELECT alias FROM organisation_aliases WHERE organisation_id = ? ORDER BY alias",
            (org_id,),
        )
    ]
    return row


def resolve_organisation(project: Project, ref: str, case_id: str | None = None) -> dict[str, Any]:
    """An organisation by id (prefix), name or alias; within one case when given."""
    ref = ref.strip()
    if not ref:
        raise InvalidInput("name an organisation")
    scope = " AND o.case_id = ?" if case_id else ""
    extra: tuple[Any, ...] = (case_id,) if case_id else ()
    rows = project.query(f"SELECT o.id FROM organisations o WHERE o.id = ?{scope}", (ref, *extra))
    if not rows:
        rows = project.query(
            f"SELECT o.id FROM organisations o WHERE o.name = ?{scope}", (ref, *extra)
        )
    if not rows:
        rows = project.query(
            "SELECT DISTINCT o.id FROM organisation_aliases a JOIN organisations o ON o.id = a.organisation_id "
            f"WHERE a.alias = ?{scope}",
            (ref, *extra),
        )
    if not rows and len(ref) >= 4 and re.fullmatch(r"[0-9a-f-]+", ref):
        rows = project.query(
            f"SELECT o.id FROM organisations o WHERE o.id LIKE ?{scope}", (ref + "%", *extra)
        )
    if not rows:
        rows = project.query(
            f"SELECT o.id FROM organisations o WHERE o.name LIKE ?{scope}", (f"%{ref}%", *extra)
        )
    if not rows:
        hint = _closest(project, ref, case_id)
        raise NotFound(
            f"no organisation '{ref}'"
            + (f"; did you mean {hint}?" if hint else "; list them with `casebook partners list`")
        )
    if len(rows) > 1:
        names = ", ".join(get_organisation(project, r["id"])["name"] for r in rows[:6])
        where = "" if case_id else "; add --case to choose a case"
        raise Ambiguous(f"'{ref}' matches {len(rows)} organisations: {names}{where}")
    return get_organisation(project, rows[0]["id"])


def _closest(project: Project, ref: str, case_id: str | None) -> str | None:
    from rapidfuzz import fuzz, process  # lazy: rapidfuzz: only when names are compared

    names = [n for o in load_registry(project, case_id) for n in o.names]
    best = process.extractOne(ref, names, scorer=fuzz.WRatio, score_cutoff=80)
    return f"'{best[0]}'" if best else None


def rename_organisation(project: Project, org_id: str, new_name: str) -> None:
    org = get_organisation(project, org_id)
    new_name = _clean_name(new_name)
    if new_name == org["name"]:
        return
    other = _name_taken(project, org["case_id"], new_name, org_id)
    if other:
        raise InvalidInput(
            f"'{new_name}' already names another organisation in this case; merge instead"
        )
    with project.transaction():
        project.conn.execute(
            "DELETE FROM organisation_aliases WHERE organisation_id = ? AND alias = ?",
            (org_id, new_name),
        )
        project.conn.execute(
            "UPDATE organisations SET name = ?, modified_at = ? WHERE id = ?",
            (new_name, now(), org_id),
        )
        if new_name.casefold() != org["name"].casefold():
            project.conn.execute(
                "INSERT OR IGNORE INTO organisation_aliases (organisation_id, alias) VALUES (?, ?)",
                (org_id, org["name"]),
            )
        project.audit(
            "rename", "organisation", org_id, before={"name": org["name"]}, after={"name": new_name}
        )


def set_type(project: Project, org_id: str, type_: str, new_types: list[str] | None = None) -> str:
    """Change an organisation's type (added to the project if new, see ``add_organisation``); the key."""
    org = get_organisation(project, org_id)
    with project.transaction():
        key = resolve_type(project, type_, new_types)
        if key == org["type"]:
            return key
        project.conn.execute(
            "UPDATE organisations SET type = ?, modified_at = ? WHERE id = ?", (key, now(), org_id)
        )
        project.audit(
            "type", "organisation", org_id, before={"type": org["type"]}, after={"type": key}
        )
    return key


def add_alias(project: Project, org_id: str, alias: str) -> bool:
    org = get_organisation(project, org_id)
    with project.transaction():
        added = _insert_alias(project, org["case_id"], org_id, org["name"], alias)
        if added:
            project.audit("alias", "organisation", org_id, after={"alias": alias.strip()})
    return added


def remove_alias(project: Project, org_id: str, alias: str) -> None:
    with project.transaction():
        cur = project.conn.execute(
            "DELETE FROM organisation_aliases WHERE organisation_id = ? AND alias = ?",
            (org_id, alias.strip()),
        )
        if cur.rowcount == 0:
            raise NotFound(f"'{alias}' is not an alias of this organisation")
        project.audit("unalias", "organisation", org_id, before={"alias": alias.strip()})


def merge_organisations(project: Project, source_id: str, target_id: str) -> None:
    """Fold ``source`` into ``target``: names become aliases, mentions and links move over."""
    src = get_organisation(project, source_id)
    dst = get_organisation(project, target_id)
    if src["id"] == dst["id"]:
        raise InvalidInput("cannot merge an organisation into itself")
    if src["case_id"] != dst["case_id"]:
        raise InvalidInput(
            f"{src['name']} ({src['case_name']}) and {dst['name']} ({dst['case_name']}) belong to different cases"
        )
    conn = project.conn
    with project.transaction():
        for alias in [src["name"], *src["aliases"]]:
            if alias.casefold() != dst["name"].casefold():
                conn.execute(
                    "INSERT OR IGNORE INTO organisation_aliases (organisation_id, alias) VALUES (?, ?)",
                    (dst["id"], alias),
                )
        conn.execute(
            "UPDATE mentions SET organisation_id = ? WHERE organisation_id = ?",
            (dst["id"], src["id"]),
        )
        conn.execute(
            "INSERT OR IGNORE INTO coding_partners (coding_id, organisation_id, coder_id, created_at) "
            "SELECT coding_id, ?, coder_id, created_at FROM coding_partners WHERE organisation_id = ?",
            (dst["id"], src["id"]),
        )
        conn.execute(
            "UPDATE organisation_candidates SET organisation_id = ? WHERE organisation_id = ?",
            (dst["id"], src["id"]),
        )
        conn.execute("DELETE FROM organisations WHERE id = ?", (src["id"],))
        conn.execute(
            "INSERT OR REPLACE INTO organisation_merges (source_id, target_id, merged_at) VALUES (?, ?, ?)",
            (src["id"], dst["id"], now()),
        )
        conn.execute(
            "UPDATE organisation_merges SET target_id = ? WHERE target_id = ?",
            (dst["id"], src["id"]),
        )
        conn.execute("UPDATE organisations SET modified_at = ? WHERE id = ?", (now(), dst["id"]))
        project.audit(
            "merge",
            "organisation",
            dst["id"],
            before={"source": {k: src[k] for k in ("id", "name", "type", "aliases")}},
            after={"target": dst["id"]},
        )


def delete_organisation(project: Project, org_id: str) -> None:
    org = get_organisation(project, org_id)
    with project.transaction():
        project.conn.execute("DELETE FROM organisations WHERE id = ?", (org_id,))
        project.audit(
            "remove",
            "organisation",
            org_id,
            before={k: org[k] for k in ("case_id", "name", "type", "aliases")},
        )


def list_organisations(project: Project, case_id: str | None = None) -> list[dict[str, Any]]:
    """Organisations with their aliases, mention, link and respondent counts."""
    sql = """
        SELECT o.id, o.name, o.type, c.name AS case_name, o.case_id,
               (SELECT count(*) FROM mentions m WHERE m.organisation_id = o.id
                  AND m.status IN ('auto', 'confirmed')) AS mentions,
               (SELECT count(*) FROM coding_partners p WHERE p.organisation_id = o.id) AS links
        FROM organisations o JOIN cases c ON c.id = o.case_id
    """
    params: tuple[Any, ...] = ()
    if case_id:
        sql += " WHERE o.case_id = ?"
        params = (case_id,)
    rows = project.query(sql + " ORDER BY c.name, o.name", params)
    aliases: dict[str, list[str]] = {}
    for r in project.query(
        "SELECT organisation_id, alias FROM organisation_aliases ORDER BY alias"
    ):
        aliases.setdefault(r["organisation_id"], []).append(r["alias"])
    respondents: dict[str, int] = {}
    for org_id in respondent_organisations(project, case_id).values():
        respondents[org_id] = respondents.get(org_id, 0) + 1
    for r in rows:
        r["aliases"] = aliases.get(r["id"], [])
        r["respondents"] = respondents.get(r["id"], 0)
    return rows


# --- linking names written elsewhere ---------------------------------------------


def respondent_organisations(project: Project, case_id: str | None = None) -> dict[str, str]:
    """document id → organisation id, from each document's organisation (column or attribute)."""
    sql = """
        SELECT d.id, d.case_id, coalesce(nullif(trim(d.organisation), ''),
               (SELECT v.value FROM document_attributes v JOIN attributes a ON a.id = v.attribute_id
                 WHERE v.document_id = d.id AND a.scope = 'document'
                   AND lower(a.name) IN ('organisation', 'organisatie', 'organization'))) AS org
        FROM documents d
    """
    params: tuple[Any, ...] = ()
    if case_id:
        sql += " WHERE d.case_id = ?"
        params = (case_id,)
    out: dict[str, str] = {}
    indexes: dict[str, VariantIndex] = {}
    case_names = {r["name"] for r in project.query("SELECT name FROM cases")}
    for r in project.query(sql, params):
        if not r["org"] or not r["case_id"]:
            continue
        if r["case_id"] not in indexes:
            indexes[r["case_id"]] = VariantIndex(load_registry(project, r["case_id"]), case_names)
        hit = indexes[r["case_id"]].lookup(r["org"])
        if hit:
            out[r["id"]] = hit
    return out


# --- partner lists -------------------------------------------------------------------

_CASE_COLS = ("case", "casus", "regio", "region")
_ORG_COLS = ("organisation", "organisatie", "organization", "name", "naam", "partner")
_TYPE_COLS = ("type", "soort", "partnertype")
_ALIAS_COLS = ("aliases", "alias", "aliassen", "also", "ook")


def import_partners_csv(
    project: Project, csv_path: Path, new_types: list[str] | None = None
) -> int:
    """Import a region's partner list (case, organisation, type[, aliases]); returns the rows read.

    Re-importing is safe: an organisation already in the case keeps its id,
    takes the list's type and gains any new aliases. A type the project does
    not know becomes a project type (its key goes into ``new_types``), as a
    qualitative-analysis tool adds a new attribute value on import; only an
    empty-looking or garbage type cell is an error.
    """
    path = Path(csv_path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(path, f"cannot read the partner list ({exc.strerror or exc})") from exc
    text = decode_bytes(path, data).lstrip("\ufeff")
    if not text.strip():
        raise ImportFailed(
            path, "the partner list is empty; it needs a header case,organisation,type[,aliases]"
        )
    header = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=header.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    fields = {f.strip().lower(): f for f in (reader.fieldnames or []) if f}

    def column(options: tuple[str, ...]) -> str | None:
        return next((fields[o] for o in options if o in fields), None)

    case_col, org_col, type_col, alias_col = (
        column(c) for c in (_CASE_COLS, _ORG_COLS, _TYPE_COLS, _ALIAS_COLS)
    )
    missing = [
        n
        for n, c in (("case", case_col), ("organisation", org_col), ("type", type_col))
        if c is None
    ]
    if missing:
        raise ImportFailed(
            path,
            f"missing column(s) {', '.join(missing)}; the header must be case,organisation,type[,aliases]",
        )
    count = 0
    with project.transaction():
        case_ids: dict[str, str] = {}
        for lineno, row in enumerate(reader, start=2):
            case_name = (row.get(case_col) or "").strip()  # type: ignore[arg-type]
            name = (row.get(org_col) or "").strip()  # type: ignore[arg-type]
            if not case_name and not name:
                continue
            if not case_name or not name:
                raise ImportFailed(
                    path, f"line {lineno}: needs both a case and an organisation name"
                )
            try:
                type_key = resolve_type(project, row.get(type_col), new_types)  # type: ignore[arg-type]
            except InvalidInput as exc:
                raise ImportFailed(path, f"line {lineno}: {exc}") from exc
            raw_aliases = (row.get(alias_col) or "") if alias_col else ""
            aliases = [a.strip() for a in re.split(r"[;|]", raw_aliases) if a.strip()]
            if case_name not in case_ids:
                case_ids[case_name] = ensure_case(project, case_name)
            case_id = case_ids[case_name]
            try:
                _upsert(project, case_id, name, type_key, aliases)
            except InvalidInput as exc:
                raise ImportFailed(path, f"line {lineno}: {exc}") from exc
            count += 1
    return count


def _upsert(project: Project, case_id: str, name: str, type_key: str, aliases: list[str]) -> str:
    existing = _name_taken(project, case_id, _clean_name(name))
    if existing is None:
        return add_organisation(project, case_id, name, type_key, aliases)
    org = get_organisation(project, existing)
    if org["type"] != type_key:
        set_type(project, existing, type_key)
    for alias in aliases:
        add_alias(project, existing, alias)
    return existing
