"""The project schema as numbered forward migrations.

Each entry moves the file from ``user_version`` N-1 to N inside one
transaction. Never edit a migration that has shipped: add the next one.
Ids that travel between coders' files are UUID text; integer rowids are only
used where a row never leaves its file (segments, the audit log).
"""

from __future__ import annotations

MIGRATIONS: list[str] = [
    # 1: the foundation
    """
    CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT
    );

    CREATE TABLE coders (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );

    CREATE TABLE cases (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT,
        created_at  TEXT NOT NULL
    );

    CREATE TABLE attributes (
        id    TEXT PRIMARY KEY,
        scope TEXT NOT NULL CHECK (scope IN ('case', 'document')),
        name  TEXT NOT NULL COLLATE NOCASE,
        type  TEXT NOT NULL CHECK (type IN ('text', 'number', 'category', 'date')),
        UNIQUE (scope, name)
    );

    CREATE TABLE case_attributes (
        case_id      TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        attribute_id TEXT NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
        value        TEXT,
        PRIMARY KEY (case_id, attribute_id)
    );

    CREATE TABLE documents (
        id           TEXT PRIMARY KEY,
        case_id      TEXT REFERENCES cases(id) ON DELETE RESTRICT,
        name         TEXT NOT NULL,
        kind         TEXT NOT NULL DEFAULT 'interview'
                     CHECK (kind IN ('interview', 'progress_report', 'plan', 'other')),
        round        TEXT,
        date         TEXT,
        role         TEXT,
        organisation TEXT,
        respondent   TEXT,
        interviewer  TEXT,
        source_name  TEXT NOT NULL,
        source_size  INTEGER NOT NULL,
        sha256       TEXT NOT NULL UNIQUE,
        format       TEXT NOT NULL,
        n_chars      INTEGER NOT NULL,
        n_pages      INTEGER,
        status       TEXT NOT NULL DEFAULT 'new'
                     CHECK (status IN ('new', 'in_progress', 'done')),
        imported_at  TEXT NOT NULL
    );
    CREATE INDEX documents_case ON documents(case_id);

    CREATE TABLE document_texts (
        document_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        text        TEXT NOT NULL
    );

    CREATE TABLE document_attributes (
        document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        attribute_id TEXT NOT NULL REFERENCES attributes(id) ON DELETE CASCADE,
        value        TEXT,
        PRIMARY KEY (document_id, attribute_id)
    );

    CREATE TABLE segments (
        id           INTEGER PRIMARY KEY,
        document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        kind         TEXT NOT NULL
                     CHECK (kind IN ('page', 'section', 'paragraph', 'turn', 'sentence', 'table_row')),
        start        INTEGER NOT NULL,
        end          INTEGER NOT NULL,
        label        TEXT,
        speaker_kind TEXT CHECK (speaker_kind IN ('interviewer', 'respondent')),
        role         TEXT,
        organisation TEXT,
        time         REAL,
        level        INTEGER,
        CHECK (0 <= start AND start <= end)
    );
    CREATE INDEX segments_document ON segments(document_id, kind, start);

    CREATE VIRTUAL TABLE segments_fts USING fts5(
        text, lemmas,
        segment_id UNINDEXED, document_id UNINDEXED,
        tokenize = 'unicode61 remove_diacritics 2'
    );

    CREATE TABLE codes (
        id              TEXT PRIMARY KEY,
        parent_id       TEXT REFERENCES codes(id) ON DELETE RESTRICT,
        name            TEXT NOT NULL,
        path            TEXT NOT NULL UNIQUE COLLATE NOCASE,
        label           TEXT,
        definition      TEXT,
        when_to_use     TEXT,
        when_not_to_use TEXT,
        example         TEXT,
        colour          TEXT,
        shortcut        TEXT UNIQUE,
        sort_order      INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        modified_at     TEXT NOT NULL,
        CHECK (name <> '' AND instr(name, '.') = 0)
    );
    CREATE INDEX codes_parent ON codes(parent_id);

    CREATE TABLE codings (
        id          TEXT PRIMARY KEY,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        code_id     TEXT NOT NULL REFERENCES codes(id) ON DELETE RESTRICT,
        coder_id    TEXT NOT NULL REFERENCES coders(id),
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        quote       TEXT NOT NULL,
        memo        TEXT,
        created_at  TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        CHECK (0 <= start AND start < end),
        CHECK (length(quote) = end - start),
        UNIQUE (document_id, code_id, coder_id, start, end)
    );
    CREATE INDEX codings_code ON codings(code_id, document_id);
    CREATE INDEX codings_document ON codings(document_id, start);
    CREATE INDEX codings_coder ON codings(coder_id);

    CREATE TABLE memos (
        id          TEXT PRIMARY KEY,
        target_kind TEXT NOT NULL
                    CHECK (target_kind IN ('project', 'case', 'document', 'code', 'coding')),
        target_id   TEXT,
        coder_id    TEXT REFERENCES coders(id),
        title       TEXT,
        body        TEXT NOT NULL DEFAULT '',
        created_at  TEXT NOT NULL,
        modified_at TEXT NOT NULL
    );
    CREATE INDEX memos_target ON memos(target_kind, target_id);

    CREATE TABLE audit_log (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        at        TEXT NOT NULL,
        coder     TEXT,
        action    TEXT NOT NULL,
        entity    TEXT NOT NULL,
        entity_id TEXT,
        before    TEXT,
        after     TEXT
    );
    CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    """,
    # 2: values kept aside when a merge meets two different edits of one thing
    """
    CREATE TABLE merge_conflicts (
        id          TEXT PRIMARY KEY,
        table_name  TEXT NOT NULL,
        row_key     TEXT NOT NULL,
        column_name TEXT NOT NULL,
        ours        TEXT,
        theirs      TEXT,
        source_file TEXT NOT NULL,
        created_at  TEXT NOT NULL
    );
    CREATE INDEX merge_conflicts_row ON merge_conflicts(table_name, row_key);
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
