"""Projects written by every earlier schema open with today's casebook, their data intact.

The files under tests/fixtures/schemas/ were made by make.py beside them
with the migrations of the commit each version first shipped in, so these
tests run today's migrations over what old casebooks really wrote, not only
from an empty file.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from casebook.store.project import open_project
from casebook.store.schema import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures" / "schemas"
OLD = sorted(FIXTURES.glob("schema-*.db"), key=lambda p: int(p.stem.split("-")[1]))


def shape(conn: sqlite3.Connection) -> dict[str, object]:
    """Tables with their columns, indexes and triggers: what a migration leaves behind."""
    names = conn.execute(
        "SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name"
    ).fetchall()
    out: dict[str, object] = {}
    for kind, name in names:
        if kind == "table":
            out[name] = [tuple(r[1:]) for r in conn.execute(f'PRAGMA table_info("{name}")')]
        else:
            out[name] = kind
    return out


def test_every_earlier_version_has_a_fixture() -> None:
    versions = [int(p.stem.split("-")[1]) for p in OLD]
    assert versions == list(range(1, len(versions) + 1))
    assert len(versions) >= 6 and versions[-1] <= SCHEMA_VERSION


@pytest.mark.parametrize("fixture", OLD, ids=lambda p: p.stem)
def test_old_project_opens_with_its_data(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)  # opening migrates in place; the fixture stays as it was
    old = sqlite3.connect(path)
    written_version = old.execute("PRAGMA user_version").fetchone()[0]
    old.close()
    assert written_version == int(fixture.stem.split("-")[1])

    project = open_project(path, create=False)
    try:
        assert project.scalar("PRAGMA user_version") == SCHEMA_VERSION
        assert project.get_meta("name") == fixture.stem
        assert [r["name"] for r in project.query("SELECT name FROM coders")] == ["anouk"]
        case = project.query_one("SELECT * FROM cases")
        assert case is not None and (case["name"], case["description"]) == (
            "Regio Noord",
            "fictieve regio",
        )
        assert (
            project.scalar(
                "SELECT ca.value FROM case_attributes ca JOIN attributes a ON a.id = ca.attribute_id"
                " WHERE a.name = 'krimp'"
            )
            == "ja"
        )
        doc = project.query_one("SELECT * FROM documents")
        assert doc is not None
        assert (doc["name"], doc["round"], doc["role"], doc["respondent"]) == (
            "gesprek-noord",
            "2023",
            "mbo",
            "R01",
        )
        text = project.scalar("SELECT text FROM document_texts WHERE document_id = ?", (doc["id"],))
        assert text.startswith("Interviewer: Hoe begon")
        turns = project.query(
            "SELECT label, speaker_kind FROM segments WHERE kind = 'turn' ORDER BY start"
        )
        assert [(t["label"], t["speaker_kind"]) for t in turns] == [
            ("Interviewer", "interviewer"),
            ("Respondent", "respondent"),
        ]
        assert (
            project.scalar(
                "SELECT count(*) FROM segments_fts WHERE segments_fts MATCH 'gastlessen'"
            )
            == 1
        )
        codes = project.query("SELECT path, label, shortcut FROM codes ORDER BY path")
        assert [(c["path"], c["label"], c["shortcut"]) for c in codes] == [
            ("SAMEN", "Samenwerking", None),
            ("SAMEN.START", "Begin", "1"),
        ]
        coding = project.query_one("SELECT * FROM codings")
        assert coding is not None
        assert coding["quote"] == text[coding["start"] : coding["end"]] == "Eerst met gastlessen."
        assert coding["memo"] == "eerste stap"
        memo = project.query_one("SELECT title, body FROM memos")
        assert memo is not None and memo["body"] == "Gastlessen als begin."
        assert project.scalar("SELECT count(*) FROM audit_log WHERE entity_id = 'coding-1'") >= 1
        assert not project.query("PRAGMA foreign_key_check")
        assert project.scalar("PRAGMA integrity_check") == "ok"
        migrated = shape(project.conn)
    finally:
        project.close()

    fresh = open_project(tmp_path / "fresh.db")
    try:
        assert migrated == shape(fresh.conn)  # the same tables, columns, indexes and triggers
    finally:
        fresh.close()
