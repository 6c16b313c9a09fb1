"""Manifests: one row per file with its case and attributes, for importing whole folders."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import yaml

from casebook.core.documents import DocumentMeta, check_date
from casebook.errors import InvalidInput
from casebook.importers.plaintext import decode_bytes

COLUMNS = (
    "file",
    "case",
    "kind",
    "role",
    "round",
    "date",
    "organisation",
    "interviewer",
    "respondent",
    "name",
    "replaces",
)


def read_manifest(path: Path) -> list[tuple[Path, DocumentMeta]]:
    """Rows of (file path, metadata); file paths are relative to the manifest's folder.

    Columns other than the known ones become document attributes.
    """
    if not path.exists():
        raise InvalidInput(f"{path}: no such manifest file")
    ext = path.suffix.lower()
    if ext == ".csv":
        text = decode_bytes(path, path.read_bytes())
        try:
            dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        header = next(csv.reader(io.StringIO(text), dialect=dialect), [])
        names = [h.strip().lower() for h in header if h.strip()]
        doubled = sorted({h for h in names if names.count(h) > 1})
        if doubled:
            raise InvalidInput(
                f"{path}: column '{doubled[0]}' appears more than once in the header; keep one"
            )
        rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    elif ext in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise InvalidInput(f"{path}: not valid YAML; check indentation") from exc
        rows = data.get("documents", data) if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise InvalidInput(f"{path}: expected a list of documents (or a 'documents:' key)")
    else:
        raise InvalidInput(f"{path}: a manifest is .csv or .yaml")
    out: list[tuple[Path, DocumentMeta]] = []
    folder = path.parent.resolve()
    for n, row in enumerate(rows, start=2 if ext == ".csv" else 1):
        if not isinstance(row, dict):
            raise InvalidInput(f"{path}, entry {n}: expected columns such as file and case")
        where = f"{path}, line {n}" if ext == ".csv" else f"{path}, entry {n}"
        for k, v in row.items():
            if isinstance(v, (list, dict)):
                raise InvalidInput(
                    f"{where}: '{k}' must be a single value, not a {type(v).__name__}"
                )
        row = {
            str(k).strip().lower(): ("" if v is None else str(v).strip())
            for k, v in row.items()
            if k
        }
        if not row.get("file"):
            raise InvalidInput(f"{path}, line {n}: no 'file' given")
        if not row.get("case"):
            raise InvalidInput(f"{path}, line {n}: no 'case' given for {row['file']}")
        extra = {k: v for k, v in row.items() if k not in COLUMNS and v}
        check_date(row.get("date"), f"{where}, date")
        target = (path.parent / row["file"]).resolve()
        if not target.is_relative_to(folder):
            raise InvalidInput(
                f"{where}: {row['file']} lies outside the manifest's folder {folder}; "
                "list only files in or below that folder"
            )
        meta = DocumentMeta(
            case=row["case"],
            kind=row.get("kind") or None,
            role=row.get("role") or None,
            round=row.get("round") or None,
            date=row.get("date") or None,
            organisation=row.get("organisation") or None,
            interviewer=row.get("interviewer") or None,
            respondent=row.get("respondent") or None,
            name=row.get("name") or None,
            attributes=extra,
            replaces=row.get("replaces") or None,
        )
        out.append((target, meta))
    return out
