"""Codebook files: YAML (the readable master), CSV (for spreadsheets) and .docx (for the team).

Importing merges by path: an existing code keeps its id (and so its
codings) and gets the file's fields; a new path becomes a new code. Nothing
is deleted by an import.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from casebook.codes.codebook import (
    COLOUR_RE,
    FIELDS,
    CodeSpec,
    _check_fields,
    check_name,
    code_tree,
)
from casebook.codes.collaboration import adopt_partner_types, check_kind, check_partner_types
from casebook.errors import CodebookError, InvalidInput
from casebook.importers.plaintext import decode_bytes
from casebook.store.project import Project, new_id, now

CSV_COLUMNS = ("path", *FIELDS, "collaboration", "partner_types")
# Deeper than any codebook we know of (the STO one has 4 levels); a file nested
# thousands of levels deep is a generated or broken file, refused before it can
# exhaust the stack.
MAX_DEPTH = 12
REQUIRED = ("label", "definition")


def _too_deep(where: str) -> CodebookError:
    return CodebookError(
        f"{where}: codes are nested more than {MAX_DEPTH} levels deep; "
        "a codebook needs far fewer levels — check the file's indentation"
    )


def _spec_from_mapping(item: Any, where: str, depth: int = 1) -> CodeSpec:
    if depth > MAX_DEPTH:
        raise _too_deep(where)
    if not isinstance(item, dict) or "name" not in item:
        raise CodebookError(f"{where}: every code needs a 'name'")
    name = check_name(str(item["name"]))
    children = item.get("children") or []
    if not isinstance(children, list):
        raise CodebookError(f"{where}/{name}: 'children' must be a list")
    values = {k: (None if item.get(k) is None else str(item.get(k)).strip()) for k in FIELDS}
    try:
        collaboration = check_kind(item.get("collaboration"))
        partner_types = check_partner_types(item.get("partner_types"))
    except InvalidInput as exc:
        raise CodebookError(f"{where}/{name}: {exc}") from exc
    return CodeSpec(
        name=name,
        children=[_spec_from_mapping(c, f"{where}/{name}", depth + 1) for c in children],
        collaboration=collaboration,
        partner_types=partner_types,
        **values,
    )


def check_specs(specs: list[CodeSpec], source: str) -> list[str]:
    """Refuse what would silently go wrong; return warnings for what is merely incomplete.

    Refused: two codes with one name under the same parent (also when only
    the letter case differs: the second would overwrite the first), colours
    that are not ``#rrggbb``, bad shortcuts. Warned: codes without the label
    or definition the codebook format asks for.
    """
    missing: dict[str, list[str]] = {f: [] for f in REQUIRED}
    stack: list[tuple[str | None, list[CodeSpec]]] = [(None, specs)]
    while stack:
        parent, siblings = stack.pop()
        seen: dict[str, str] = {}
        for spec in siblings:
            path = f"{parent}.{spec.name}" if parent else spec.name
            key = spec.name.lower()
            if key in seen:
                same = "" if seen[key] == spec.name else f" (as '{seen[key]}' and '{spec.name}')"
                where = f"under {parent}" if parent else "at the top level"
                raise CodebookError(
                    f"{source}: code name '{spec.name}' appears twice {where}{same}; "
                    "names must differ (ignoring case), rename one"
                )
            seen[key] = spec.name
            if spec.colour and not COLOUR_RE.match(spec.colour):
                raise CodebookError(
                    f"{source}: {path} has colour '{spec.colour}', which is not #rrggbb (e.g. #d62728)"
                )
            if spec.shortcut is not None and (len(spec.shortcut) != 1 or spec.shortcut.isspace()):
                raise CodebookError(
                    f"{source}: {path} has shortcut '{spec.shortcut}'; a shortcut is one key"
                )
            for f in REQUIRED:
                if not getattr(spec, f):
                    missing[f].append(path)
            if spec.children:
                stack.append((path, spec.children))
    warnings = []
    for f, paths in missing.items():
        if paths:
            shown = ", ".join(sorted(paths)[:8]) + (" …" if len(paths) > 8 else "")
            warnings.append(
                f"{len(paths)} codes have no {f} (the codebook format asks for one): {shown}"
            )
    return warnings


def read_yaml(path: Path) -> list[CodeSpec]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except RecursionError as exc:
        raise _too_deep(str(path)) from exc
    except OSError as exc:
        raise CodebookError(f"{path}: cannot read the file ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise CodebookError(f"{path}: not valid YAML{where}; check indentation and quotes") from exc
    codes = data.get("codes") if isinstance(data, dict) else data
    if not isinstance(codes, list):
        raise CodebookError(f"{path}: expected a top-level 'codes:' list")
    return [_spec_from_mapping(c, str(path.name)) for c in codes]


def read_csv(path: Path) -> list[CodeSpec]:
    """Rows with a dotted ``path``; parents may be implied and are created bare."""
    text = decode_bytes(path, path.read_bytes())
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "path" not in [f.strip() for f in reader.fieldnames]:
        raise CodebookError(f"{path}: needs a 'path' column (e.g. BEL.TIJD)")
    roots: list[CodeSpec] = []
    index: dict[str, CodeSpec] = {}
    given: dict[str, int] = {}  # lower-cased path -> line that defined it
    for lineno, row in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        parts = row["path"].split(".")
        if not row["path"]:
            raise CodebookError(f"{path}, line {lineno}: empty path")
        if len(parts) > MAX_DEPTH:
            raise _too_deep(f"{path}, line {lineno}")
        if row["path"].lower() in given:
            raise CodebookError(
                f"{path}, line {lineno}: code {row['path']} is already defined on line "
                f"{given[row['path'].lower()]}; keep one row per code"
            )
        given[row["path"].lower()] = lineno
        for depth in range(len(parts)):
            key = ".".join(parts[: depth + 1])
            if key not in index:
                spec = CodeSpec(name=check_name(parts[depth]))
                index[key] = spec
                (roots if depth == 0 else index[".".join(parts[:depth])].children).append(spec)
        spec = index[row["path"]]
        for f in FIELDS:
            if row.get(f):
                setattr(spec, f, row[f])
        try:
            spec.collaboration = check_kind(row.get("collaboration") or None)
            spec.partner_types = check_partner_types(row.get("partner_types") or None)
        except InvalidInput as exc:
            raise CodebookError(f"{path}, line {lineno}: {exc}") from exc
    return roots


def read_codebook(path: Path) -> list[CodeSpec]:
    if not path.exists():
        raise CodebookError(f"{path}: no such file")
    ext = path.suffix.lower()
    if ext in (".yaml", ".yml"):
        return read_yaml(path)
    if ext == ".csv":
        return read_csv(path)
    raise CodebookError(f"{path}: unknown codebook format '{ext}'; use .yaml, .csv, .qdpx or .qdc")


def import_codebook(project: Project, path: Path, notes: list[str] | None = None) -> dict[str, int]:
    """Merge a codebook file into the project; ``notes`` receives warnings about incomplete codes."""
    specs = read_codebook(path)
    try:
        warnings = check_specs(specs, path.name)
    except InvalidInput as exc:
        raise CodebookError(f"{path.name}: {exc}") from exc
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    seen_shortcuts: dict[str, str] = {}
    with project.transaction():
        for order, spec in enumerate(specs):
            _upsert(project, spec, None, None, order, counts, seen_shortcuts)
        try:
            adopt_partner_types(project)
        except InvalidInput as exc:
            raise CodebookError(f"{path.name}: {exc}") from exc
        project.audit("import", "codebook", None, after={"file": path.name, **counts})
    if notes is not None:
        notes += warnings
    return counts


def _upsert(
    project: Project,
    spec: CodeSpec,
    parent_id: str | None,
    parent_path: str | None,
    order: int,
    counts: dict[str, int],
    shortcuts: dict[str, str],
) -> None:
    full = f"{parent_path}.{spec.name}" if parent_path else spec.name
    values = {f: getattr(spec, f) for f in FIELDS}
    try:
        values = _check_fields(values)
    except InvalidInput as exc:
        raise CodebookError(f"{full}: {exc}") from exc
    if values["shortcut"]:
        if values["shortcut"] in shortcuts:
            raise CodebookError(
                f"shortcut '{values['shortcut']}' is given to both {shortcuts[values['shortcut']]} and {full}"
            )
        shortcuts[values["shortcut"]] = full
        holder = project.query_one(
            "SELECT path FROM codes WHERE shortcut = ? AND path <> ?", (values["shortcut"], full)
        )
        if holder:
            project.conn.execute(
                "UPDATE codes SET shortcut = NULL WHERE path = ?", (holder["path"],)
            )
    row = project.query_one("SELECT * FROM codes WHERE path = ?", (full,))
    stamp = now()
    if row is None:
        code_id = new_id()
        project.conn.execute(
            "INSERT INTO codes (id, parent_id, name, path, label, definition, when_to_use, when_not_to_use,"
            " example, colour, shortcut, valence, sort_order, created_at, modified_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (code_id, parent_id, spec.name, full, *values.values(), order, stamp, stamp),
        )
        project.audit("add", "code", code_id, after={"path": full})
        counts["added"] += 1
    else:
        code_id = row["id"]
        changed = {k: v for k, v in values.items() if v is not None and row[k] != v}
        if changed:
            sets = ", ".join(f"{k} = ?" for k in changed)
            project.conn.execute(
                f"UPDATE codes SET {sets}, modified_at = ? WHERE id = ?",
                [*changed.values(), stamp, code_id],
            )
            project.audit(
                "update", "code", code_id, before={k: row[k] for k in changed}, after=changed
            )
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    _upsert_collaboration(project, code_id, spec)
    for child_order, child in enumerate(spec.children):
        _upsert(project, child, code_id, full, child_order, counts, shortcuts)


def _upsert_collaboration(project: Project, code_id: str, spec: CodeSpec) -> None:
    """A file that says nothing about collaboration leaves the project's setting alone."""
    changed = {
        k: getattr(spec, k)
        for k in ("collaboration", "partner_types")
        if getattr(spec, k) is not None
    }
    if not changed:
        return
    row = project.query_one(
        "SELECT collaboration, partner_types FROM codes WHERE id = ?", (code_id,)
    )
    changed = {k: v for k, v in changed.items() if row is None or row[k] != v}
    if changed:
        sets = ", ".join(f"{k} = ?" for k in changed)
        project.conn.execute(f"UPDATE codes SET {sets} WHERE id = ?", [*changed.values(), code_id])
        project.audit(
            "update",
            "code",
            code_id,
            before={k: row[k] for k in changed} if row else None,
            after=changed,
        )


# --- export ---------------------------------------------------------------------


def _nested(project: Project) -> list[dict[str, Any]]:
    rows = code_tree(project)
    by_id: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for r in rows:
        item: dict[str, Any] = {"name": r["name"]}
        for f in FIELDS:
            if r[f] not in (None, ""):
                item[f] = r[f]
        if r.get("collaboration"):
            item["collaboration"] = r["collaboration"]
        if r.get("partner_types"):
            item["partner_types"] = r["partner_types"].split(",")
        by_id[r["id"]] = item
        if r["parent_id"]:
            by_id[r["parent_id"]].setdefault("children", []).append(item)
        else:
            roots.append(item)
    return roots


def export_codebook(project: Project, path: Path) -> int:
    ext = path.suffix.lower()
    rows = code_tree(project)
    if ext in (".yaml", ".yml"):
        doc = {
            "codebook": project.get_meta("name") or "casebook",
            "version": 1,
            "codes": _nested(project),
        }
        path.write_text(
            yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100), encoding="utf-8"
        )
    elif ext == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow([*CSV_COLUMNS, "codings"])
            for r in rows:
                writer.writerow(
                    [
                        r["path"],
                        *[r[f] or "" for f in FIELDS],
                        r.get("collaboration") or "",
                        r.get("partner_types") or "",
                        r["count"],
                    ]
                )
    elif ext == ".docx":
        _export_docx(project, rows, path)
    else:
        raise CodebookError(f"{path}: unknown export format '{ext}'; use .yaml, .csv or .docx")
    return len(rows)


def _export_docx(project: Project, rows: list[dict[str, Any]], path: Path) -> None:
    # python-docx is slow to import; only Word output needs it
    from docx import Document

    doc = Document()
    doc.add_heading(f"Codebook — {project.get_meta('name') or 'casebook'}", level=0)
    doc.add_paragraph(f"{len(rows)} codes. Counts are codings in the project at export time.")
    for r in rows:
        level = min(r["depth"] + 1, 3)
        title = f"{r['path']} — {r['label']}" if r["label"] else r["path"]
        doc.add_heading(title, level=level)
        for key, caption in (
            ("definition", "Definition"),
            ("when_to_use", "When to use"),
            ("when_not_to_use", "When not to use"),
            ("example", "Example"),
        ):
            if r[key]:
                p = doc.add_paragraph()
                p.add_run(f"{caption}: ").bold = True
                p.add_run(r[key])
        p = doc.add_paragraph()
        p.add_run("Codings: ").bold = True
        p.add_run(str(r["count"]))
        if r["shortcut"]:
            p.add_run(f"   Shortcut: {r['shortcut']}")
    doc.save(str(path))
