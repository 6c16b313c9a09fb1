"""Cases (regions) and typed attributes of cases and documents.

Attribute values are stored as text; the attribute's type (text, number,
category, date) is checked on write so matrices can group and sort on them.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

from casebook.errors import Ambiguous, InvalidInput, NotFound
from casebook.importers.plaintext import decode_bytes
from casebook.messages import format_date, format_money, format_number, format_percent
from casebook.store.project import Project, new_id, now

ATTRIBUTE_TYPES = ("text", "number", "category", "date")


def ensure_case(project: Project, name: str) -> str:
    """The id of a case, created if it does not exist yet."""
    name = name.strip()
    if not name:
        raise InvalidInput("a case needs a name")
    row = project.query_one("SELECT id FROM cases WHERE name = ?", (name,))
    if row:
        return row["id"]
    case_id = new_id()
    with project.transaction():
        project.conn.execute(
            "INSERT INTO cases (id, name, created_at) VALUES (?, ?, ?)", (case_id, name, now())
        )
        project.audit("add", "case", case_id, after={"name": name})
    return case_id


def case_named(project: Project, name: str) -> str:
    """An existing case's own spelling of ``name`` (any letter case), else ``name`` as given.

    A folder called ``duinmond`` files its documents under the case Duinmond.
    """
    row = project.query_one("SELECT name FROM cases WHERE lower(name) = lower(?)", (name.strip(),))
    return row["name"] if row else name.strip()


def new_case_names(project: Project, names: set[str], source: str) -> list[str]:
    """Case names not yet in the project; a near miss of an existing case is refused.

    A manifest that says "Lindeven" for Lindeveen would otherwise quietly
    start a second case. Names that differ only in letter case are taken as
    the existing case (see ``case_named``).
    """
    # rapidfuzz is a compiled library; --help does not load it
    from rapidfuzz import fuzz, process

    existing = [r["name"] for r in project.query("SELECT name FROM cases")]
    lowered = {e.lower() for e in existing}
    new = sorted(n for n in names if n.strip().lower() not in lowered)
    for name in new:
        best = (
            process.extractOne(name, existing, scorer=fuzz.ratio, score_cutoff=80)
            if existing
            else None
        )
        if best:
            raise InvalidInput(
                f"{source}: case '{name}' is not in the project but looks like '{best[0]}'; "
                "correct the name, or add the case first with `casebook case add`"
            )
    return new


def set_attribute_label(
    project: Project, name: str, label: str | None, scope: str = "case", language: str = "nl"
) -> None:
    """Give an attribute the label reports and screens show ("Cofinanciering"); no label removes it."""
    row = project.query_one(
        "SELECT id, labels FROM attributes WHERE scope = ? AND name = ?", (scope, name.strip())
    )
    if row is None:
        known = ", ".join(
            r["name"]
            for r in project.query("SELECT name FROM attributes WHERE scope = ?", (scope,))
        )
        raise NotFound(f"no {scope} attribute '{name}'; known: {known or 'none yet'}")
    label = (label or "").strip()
    if label:
        describe_attribute(project, name.strip(), label=label, language=language, scope=scope)
        return
    labels = json.loads(row["labels"] or "{}")
    labels.pop(language, None)
    with project.transaction():
        project.conn.execute(
            "UPDATE attributes SET labels = ? WHERE id = ?",
            (json.dumps(labels, ensure_ascii=False) if labels else None, row["id"]),
        )
        project.audit("describe", "attribute", row["id"], after={"labels": labels})


def attribute_labels(project: Project, scope: str = "case", language: str = "nl") -> dict[str, str]:
    """Attribute name -> what to show: its label in ``language``, or the name when it has none."""
    return {
        r["name"]: json.loads(r["labels"] or "{}").get(language) or r["name"]
        for r in project.query("SELECT name, labels FROM attributes WHERE scope = ?", (scope,))
    }


def add_case(project: Project, name: str, attributes: dict[str, str] | None = None) -> str:
    if project.query_one("SELECT id FROM cases WHERE name = ?", (name.strip(),)):
        raise InvalidInput(f"case '{name}' already exists; use `casebook case set` to change it")
    with project.transaction():
        case_id = ensure_case(project, name)
        for key, value in (attributes or {}).items():
            set_case_attribute(project, case_id, key, value)
    return case_id


def resolve_case(project: Project, ref: str) -> dict[str, Any]:
    rows = project.query("SELECT * FROM cases WHERE name = ? OR id = ?", (ref.strip(), ref.strip()))
    if not rows:
        rows = project.query("SELECT * FROM cases WHERE name LIKE ?", (f"%{ref.strip()}%",))
    if not rows:
        raise NotFound(f"no case named '{ref}'; list them with `casebook cases`")
    if len(rows) > 1:
        raise Ambiguous(
            f"'{ref}' matches cases {', '.join(r['name'] for r in rows)}; give the full name"
        )
    return rows[0]


def _infer_type(value: str) -> str:
    if re.fullmatch(r"-?\d+(?:[.,]\d+)?", value.strip()):
        return "number"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return "date"
    return "category"


def _check_value(name: str, type_: str, value: str) -> str:
    value = value.strip()
    if value == "":
        return value
    if type_ == "number":
        try:
            float(value.replace(",", "."))
        except ValueError as exc:
            raise InvalidInput(f"attribute '{name}' is a number; '{value}' is not") from exc
        return value.replace(",", ".")
    if type_ == "date":
        try:
            date.fromisoformat(value)
        except ValueError as exc:
            raise InvalidInput(
                f"attribute '{name}' is a date (YYYY-MM-DD); '{value}' is not"
            ) from exc
    return value


def attribute_id(
    project: Project, scope: str, name: str, type_: str | None, sample: str = ""
) -> tuple[str, str]:
    row = project.query_one(
        "SELECT id, type FROM attributes WHERE scope = ? AND name = ?", (scope, name)
    )
    if row:
        if type_ and type_ != row["type"]:
            raise InvalidInput(
                f"attribute '{name}' already exists with type {row['type']}, not {type_}"
            )
        return row["id"], row["type"]
    type_ = type_ or _infer_type(sample)
    if type_ not in ATTRIBUTE_TYPES:
        raise InvalidInput(f"unknown attribute type '{type_}'; use {', '.join(ATTRIBUTE_TYPES)}")
    aid = new_id()
    project.conn.execute(
        "INSERT INTO attributes (id, scope, name, type) VALUES (?, ?, ?, ?)",
        (aid, scope, name, type_),
    )
    return aid, type_


def _split_typed(key: str) -> tuple[str, str | None]:
    """``key:type`` lets a user declare the type; plain ``key`` infers it."""
    if ":" in key:
        name, type_ = key.rsplit(":", 1)
        if type_ in ATTRIBUTE_TYPES:
            return name.strip(), type_
    return key.strip(), None


def set_case_attribute(project: Project, case_id: str, key: str, value: str) -> None:
    name, type_ = _split_typed(key)
    with project.transaction():
        aid, real_type = attribute_id(project, "case", name, type_, value)
        value = _check_value(name, real_type, value)
        before = project.scalar(
            "SELECT value FROM case_attributes WHERE case_id = ? AND attribute_id = ?",
            (case_id, aid),
        )
        project.conn.execute(
            "INSERT INTO case_attributes (case_id, attribute_id, value) VALUES (?, ?, ?) "
            "ON CONFLICT(case_id, attribute_id) DO UPDATE SET value = excluded.value",
            (case_id, aid, value),
        )
        project.audit("set", "case_attribute", case_id, before={name: before}, after={name: value})


def set_document_attribute(project: Project, document_id: str, key: str, value: str) -> None:
    name, type_ = _split_typed(key)
    with project.transaction():
        aid, real_type = attribute_id(project, "document", name, type_, value)
        value = _check_value(name, real_type, value)
        project.conn.execute(
            "INSERT INTO document_attributes (document_id, attribute_id, value) VALUES (?, ?, ?) "
            "ON CONFLICT(document_id, attribute_id) DO UPDATE SET value = excluded.value",
            (document_id, aid, value),
        )
        project.audit("set", "document_attribute", document_id, after={name: value})


def parse_assignments(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise InvalidInput(f"'{item}' is not key=value")
        key, value = item.split("=", 1)
        if not key.strip():
            raise InvalidInput(f"'{item}' has no attribute name before '='")
        out[key.strip()] = value.strip()
    return out


def list_cases(project: Project) -> list[dict[str, Any]]:
    rows = project.query(
        """
        SELECT c.id, c.name,
               (SELECT count(*) FROM documents d WHERE d.case_id = c.id) AS documents,
               (SELECT count(*) FROM codings k JOIN documents d ON d.id = k.document_id
                 WHERE d.case_id = c.id) AS codings
        FROM cases c ORDER BY c.name
        """
    )
    attrs = project.query(
        "SELECT ca.case_id, a.name, ca.value FROM case_attributes ca "
        "JOIN attributes a ON a.id = ca.attribute_id ORDER BY a.name"
    )
    by_case: dict[str, dict[str, str]] = {}
    for a in attrs:
        by_case.setdefault(a["case_id"], {})[a["name"]] = a["value"]
    for r in rows:
        r["attributes"] = by_case.get(r["id"], {})
    return rows


def case_attributes(project: Project, case_id: str) -> dict[str, str]:
    return {
        r["name"]: r["value"]
        for r in project.query(
            "SELECT a.name, ca.value FROM case_attributes ca JOIN attributes a ON a.id = ca.attribute_id "
            "WHERE ca.case_id = ? ORDER BY a.name",
            (case_id,),
        )
    }


def import_cases_csv(project: Project, path: Path) -> int:
    """One row per case: a ``case`` (or ``name``) column, every other column an attribute."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the file ({exc.strerror})") from exc
    text = decode_bytes(path, data)
    sample = text[:2048]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(), dialect=dialect)
    fields = [f.strip() for f in (reader.fieldnames or [])]
    key = next(
        (f for f in fields if f.lower() in ("case", "name", "casus", "regio", "region")), None
    )
    if key is None:
        raise InvalidInput(
            f"{path}: needs a 'case' column naming each case; found {', '.join(fields) or 'no header'}"
        )
    count = 0
    with project.transaction():
        for lineno, row in enumerate(reader, start=2):
            row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
            name = row.pop(key, "")
            if not name:
                raise InvalidInput(f"{path}, line {lineno}: empty case name")
            case_id = ensure_case(project, name)
            for attr, value in row.items():
                if attr and value != "":
                    try:
                        set_case_attribute(project, case_id, attr, value)
                    except InvalidInput as exc:
                        raise InvalidInput(f"{path}, line {lineno}: {exc}") from exc
            count += 1
    return count


ATTRIBUTE_UNITS = ("money", "percent")


def describe_attribute(
    project: Project,
    name: str,
    *,
    label: str | None = None,
    language: str = "nl",
    unit: str | None = None,
    scope: str = "case",
) -> None:
    """How reports show an attribute: "Cofinanciering" as a percentage instead of ``cofinanciering_pct``."""
    row = project.query_one(
        "SELECT id, labels FROM attributes WHERE scope = ? AND name = ?", (scope, name)
    )
    if row is None:
        raise NotFound(
            f"no {scope} attribute '{name}'; set it on a case first (`casebook case set`)"
        )
    if unit is not None and unit not in (*ATTRIBUTE_UNITS, ""):
        raise InvalidInput(
            f"unknown unit '{unit}'; use {', '.join(ATTRIBUTE_UNITS)} (or '' for none)"
        )
    labels = json.loads(row["labels"] or "{}")
    if label is not None:
        labels[language] = label.strip()
    with project.transaction():
        project.conn.execute(
            "UPDATE attributes SET labels = ?, unit = coalesce(?, unit) WHERE id = ?",
            (json.dumps(labels, ensure_ascii=False) if labels else None, unit, row["id"]),
        )
        if unit == "":
            project.conn.execute("UPDATE attributes SET unit = NULL WHERE id = ?", (row["id"],))
        project.audit("describe", "attribute", row["id"], after={"labels": labels, "unit": unit})


def import_attribute_definitions(project: Project, path: Path) -> int:
    """A CSV with ``name`` and any of ``label_nl``, ``label_en``, ``unit``: labels and units of attributes."""
    try:
        text = decode_bytes(path, path.read_bytes())
    except OSError as exc:
        raise InvalidInput(f"{path}: cannot read the file ({exc.strerror})") from exc
    count = 0
    with project.transaction():
        for lineno, row in enumerate(csv.DictReader(text.splitlines()), start=2):
            name = (row.get("name") or "").strip()
            if not name:
                raise InvalidInput(f"{path}, line {lineno}: no attribute name in the 'name' column")
            try:
                for key, value in row.items():
                    if key and key.startswith("label_") and value:
                        describe_attribute(project, name, label=value, language=key[6:])
                if row.get("unit"):
                    describe_attribute(project, name, unit=row["unit"].strip())
            except (InvalidInput, NotFound) as exc:
                raise InvalidInput(f"{path}, line {lineno}: {exc}") from exc
            count += 1
    return count


def shown_attributes(project: Project, case_id: str, language: str) -> list[tuple[str, str]]:
    """(label, value) pairs as a reader sees them: labelled, money and percentages formatted."""
    out = []
    for r in project.query(
        "SELECT a.name, a.type, a.labels, a.unit, ca.value FROM case_attributes ca"
        " JOIN attributes a ON a.id = ca.attribute_id WHERE ca.case_id = ? ORDER BY a.name",
        (case_id,),
    ):
        labels = json.loads(r["labels"] or "{}")
        label = labels.get(language) or _readable_name(r["name"])
        value = r["value"] or ""
        try:
            number = float(value.replace(",", ".")) if r["type"] == "number" else None
        except ValueError:
            number = None
        if number is not None and r["unit"] == "money":
            value = format_money(number, language)
        elif number is not None and r["unit"] == "percent":
            value = format_percent(number, language)
        elif number is not None:
            value = format_number(number, language, 0 if number.is_integer() else 2)
        elif r["type"] == "date" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            value = format_date(date.fromisoformat(value), language)
        out.append((label, value))
    return out


def _readable_name(name: str) -> str:
    """``regio_type`` reads "Regio type" when no label was given."""
    words = re.sub(r"[_\s]+", " ", name).strip()
    return words[:1].upper() + words[1:]
