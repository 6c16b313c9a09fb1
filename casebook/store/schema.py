"""The project schema as numbered forward migrations.

Each entry moves the file from ``user_version`` N-1 to N inside one
transaction. Never edit a migration that has shipped: add the next one.
Ids that travel between coders' files are UUID text; integer rowids are only
used where a row never leaves its file (segments, the audit log).
"""

from __future__ import annotations

# A migration that starts with this line runs with foreign keys off (SQLite's way
# to rebuild a table that other tables point at); it is checked before it commits.
FOREIGN_KEYS_OFF = "-- foreign keys off"

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
    # 3: cross-case synthesis: framework matrices and the covering index matrices read
    """
    CREATE TABLE frameworks (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        description TEXT,
        filters     TEXT NOT NULL DEFAULT '[]',
        created_at  TEXT NOT NULL,
        modified_at TEXT NOT NULL
    );

    CREATE TABLE framework_themes (
        framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
        code_id      TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
        position     INTEGER NOT NULL,
        children     INTEGER NOT NULL DEFAULT 1 CHECK (children IN (0, 1)),
        PRIMARY KEY (framework_id, code_id)
    );

    CREATE TABLE framework_cells (
        id           TEXT PRIMARY KEY,
        framework_id TEXT NOT NULL REFERENCES frameworks(id) ON DELETE CASCADE,
        case_id      TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        code_id      TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
        summary      TEXT NOT NULL DEFAULT '',
        coder_id     TEXT REFERENCES coders(id),
        created_at   TEXT NOT NULL,
        modified_at  TEXT NOT NULL,
        UNIQUE (framework_id, case_id, code_id)
    );

    CREATE TABLE framework_links (
        cell_id   TEXT NOT NULL REFERENCES framework_cells(id) ON DELETE CASCADE,
        coding_id TEXT NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
        PRIMARY KEY (cell_id, coding_id)
    );
    CREATE INDEX framework_links_coding ON framework_links(coding_id);

    CREATE INDEX codings_matrix ON codings(code_id, document_id, coder_id, start, end);
    DROP INDEX codings_code;
    """,
    # 4: undo/redo steps per coder (casebook.core.history); each step names a run of audit_log rows
    """
    CREATE TABLE undo_steps (
        id        INTEGER PRIMARY KEY AUTOINCREMENT,
        coder     TEXT NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq  INTEGER NOT NULL,
        label     TEXT NOT NULL,
        undone    INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
        CHECK (first_seq <= last_seq)
    );
    CREATE INDEX undo_steps_coder ON undo_steps(coder, undone, id);
    """,
    # 5: partner organisations per case, their mentions in documents, and collaboration links
    """
    CREATE TABLE organisations (
        id          TEXT PRIMARY KEY,
        case_id     TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        name        TEXT NOT NULL COLLATE NOCASE,
        type        TEXT NOT NULL DEFAULT 'overig'
                    CHECK (type IN ('vmbo', 'vmbo-penvoerder', 'mbo', 'po', 'vso/pro', 'hbo/pabo',
                                    'bedrijf', 'branche', 'gemeente', 'ondersteuning', 'overig')),
        created_at  TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        CHECK (trim(name) <> ''),
        UNIQUE (case_id, name)
    );
    CREATE INDEX organisations_case ON organisations(case_id, type);

    CREATE TABLE organisation_aliases (
        organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
        alias           TEXT NOT NULL COLLATE NOCASE,
        CHECK (trim(alias) <> ''),
        PRIMARY KEY (organisation_id, alias)
    );

    CREATE TABLE organisation_merges (
        source_id TEXT PRIMARY KEY,
        target_id TEXT NOT NULL,
        merged_at TEXT NOT NULL
    );

    CREATE TABLE organisation_candidates (
        id              TEXT PRIMARY KEY,
        case_id         TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        name            TEXT NOT NULL COLLATE NOCASE,
        suggested_type  TEXT,
        source          TEXT NOT NULL DEFAULT 'pattern' CHECK (source IN ('pattern', 'model')),
        count           INTEGER NOT NULL DEFAULT 0,
        example         TEXT,
        status          TEXT NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'accepted', 'rejected')),
        organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
        created_at      TEXT NOT NULL,
        decided_at      TEXT,
        UNIQUE (case_id, name)
    );

    CREATE TABLE mentions (
        id              INTEGER PRIMARY KEY,
        document_id     TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        start           INTEGER NOT NULL,
        end             INTEGER NOT NULL,
        organisation_id TEXT REFERENCES organisations(id) ON DELETE SET NULL,
        surface         TEXT NOT NULL,
        method          TEXT NOT NULL
                        CHECK (method IN ('exact', 'variant', 'fuzzy', 'generic', 'candidate',
                                          'model', 'manual')),
        status          TEXT NOT NULL DEFAULT 'auto'
                        CHECK (status IN ('auto', 'unresolved', 'candidate', 'confirmed', 'rejected')),
        score           REAL,
        CHECK (0 <= start AND start < end),
        CHECK (length(surface) = end - start)
    );
    CREATE INDEX mentions_document ON mentions(document_id, start);
    CREATE INDEX mentions_organisation ON mentions(organisation_id);

    CREATE TABLE coding_partners (
        coding_id       TEXT NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
        organisation_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
        coder_id        TEXT REFERENCES coders(id),
        created_at      TEXT NOT NULL,
        PRIMARY KEY (coding_id, organisation_id)
    );
    CREATE INDEX coding_partners_organisation ON coding_partners(organisation_id);
    """,
    # 6: the person registry that pseudonymised exports replace (casebook.privacy.registry)
    """
    CREATE TABLE persons (
        id           TEXT PRIMARY KEY,
        name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role         TEXT,
        case_id      TEXT REFERENCES cases(id) ON DELETE SET NULL,
        organisation TEXT,
        label        TEXT,
        status       TEXT NOT NULL DEFAULT 'candidate'
                     CHECK (status IN ('candidate', 'confirmed', 'rejected')),
        source       TEXT NOT NULL DEFAULT 'manual'
                     CHECK (source IN ('speaker', 'interviewer', 'pattern', 'model', 'manual')),
        count        INTEGER NOT NULL DEFAULT 0,
        example      TEXT,
        created_at   TEXT NOT NULL,
        modified_at  TEXT NOT NULL,
        CHECK (trim(name) <> '')
    );
    CREATE INDEX persons_status ON persons(status, name);

    CREATE TABLE person_aliases (
        person_id TEXT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
        alias     TEXT NOT NULL COLLATE NOCASE,
        CHECK (trim(alias) <> ''),
        PRIMARY KEY (person_id, alias)
    );
    """,
    # issue 13: valence on codes, contrasts between passages, region summaries with evidence
    """
    ALTER TABLE codes ADD COLUMN valence TEXT CHECK (valence IN ('positive', 'negative'));

    CREATE TABLE contrasts (
        id         TEXT PRIMARY KEY,
        kind       TEXT NOT NULL DEFAULT 'contradiction'
                   CHECK (kind IN ('contradiction', 'perspective')),
        note       TEXT,
        coder_id   TEXT REFERENCES coders(id),
        created_at TEXT NOT NULL
    );

    CREATE TABLE contrast_codings (
        contrast_id TEXT NOT NULL REFERENCES contrasts(id) ON DELETE CASCADE,
        coding_id   TEXT NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
        PRIMARY KEY (contrast_id, coding_id)
    );
    CREATE INDEX contrast_codings_coding ON contrast_codings(coding_id);

    CREATE TABLE case_summaries (
        case_id     TEXT PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        text        TEXT NOT NULL,
        coder_id    TEXT REFERENCES coders(id),
        created_at  TEXT NOT NULL,
        modified_at TEXT NOT NULL
    );

    CREATE TABLE case_summary_links (
        case_id   TEXT NOT NULL REFERENCES case_summaries(case_id) ON DELETE CASCADE,
        coding_id TEXT NOT NULL REFERENCES codings(id) ON DELETE CASCADE,
        PRIMARY KEY (case_id, coding_id)
    );
    """,
    # issue 11: autocoding rules and the suggestion queue a coder accepts or rejects
    """
    CREATE TABLE autocode_rules (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
        code_id     TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL
                    CHECK (kind IN ('words', 'lemma', 'pattern', 'speaker_role', 'section', 'like')),
        query       TEXT NOT NULL DEFAULT '',
        unit        TEXT NOT NULL CHECK (unit IN ('sentence', 'turn', 'paragraph', 'section')),
        scope       TEXT NOT NULL DEFAULT '{}',
        saved       INTEGER NOT NULL DEFAULT 0 CHECK (saved IN (0, 1)),
        created_at  TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        last_run_at TEXT
    );

    CREATE TABLE suggestions (
        id          INTEGER PRIMARY KEY,
        rule_id     TEXT NOT NULL REFERENCES autocode_rules(id) ON DELETE CASCADE,
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        code_id     TEXT NOT NULL REFERENCES codes(id) ON DELETE CASCADE,
        start       INTEGER NOT NULL,
        end         INTEGER NOT NULL,
        score       REAL,
        status      TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'accepted', 'rejected')),
        coding_id   TEXT REFERENCES codings(id) ON DELETE SET NULL,
        decided_by  TEXT REFERENCES coders(id),
        decided_at  TEXT,
        created_at  TEXT NOT NULL,
        CHECK (0 <= start AND start < end),
        UNIQUE (rule_id, document_id, start, end)
    );
    CREATE INDEX suggestions_queue ON suggestions(status, code_id, document_id, start);
    CREATE INDEX suggestions_coding ON suggestions(coding_id);
    -- an accepted suggestion whose coding goes away (undo, uncode) is back in the queue
    CREATE TRIGGER suggestions_coding_removed BEFORE DELETE ON codings
    BEGIN
        UPDATE suggestions SET status = 'pending', coding_id = NULL, decided_by = NULL, decided_at = NULL
        WHERE coding_id = OLD.id;
    END;
    """,
    # issue 10: document versions, revisions and what each revision did to codings and mentions
    """
    ALTER TABLE documents ADD COLUMN version INTEGER NOT NULL DEFAULT 1;

    CREATE TABLE document_versions (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        version     INTEGER NOT NULL CHECK (version >= 1),
        source_name TEXT NOT NULL,
        source_size INTEGER NOT NULL,
        sha256      TEXT NOT NULL,
        format      TEXT NOT NULL,
        n_chars     INTEGER NOT NULL,
        n_pages     INTEGER,
        imported_at TEXT NOT NULL,
        text        TEXT NOT NULL,
        segments    TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (document_id, version)
    );
    CREATE INDEX document_versions_sha ON document_versions(sha256);

    CREATE TABLE revisions (
        id           TEXT PRIMARY KEY,
        document_id  TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        from_version INTEGER NOT NULL,
        to_version   INTEGER NOT NULL,
        old_sha256   TEXT NOT NULL,
        new_sha256   TEXT NOT NULL,
        note         TEXT,
        coder        TEXT,
        method       TEXT NOT NULL,
        created_at   TEXT NOT NULL,
        undone       INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1)),
        CHECK (to_version = from_version + 1)
    );
    CREATE INDEX revisions_document ON revisions(document_id, to_version);

    CREATE TABLE revision_items (
        id          INTEGER PRIMARY KEY,
        revision_id TEXT NOT NULL REFERENCES revisions(id) ON DELETE CASCADE,
        kind        TEXT NOT NULL CHECK (kind IN ('coding', 'mention')),
        target_id   TEXT NOT NULL,
        outcome     TEXT NOT NULL CHECK (outcome IN ('same', 'edited', 'partial', 'lost')),
        old_start   INTEGER NOT NULL,
        old_end     INTEGER NOT NULL,
        old_quote   TEXT NOT NULL,
        new_start   INTEGER,
        new_end     INTEGER,
        new_quote   TEXT,
        row         TEXT,
        via         TEXT NOT NULL DEFAULT 'revision',
        review      TEXT NOT NULL DEFAULT 'open'
                    CHECK (review IN ('open', 'accepted', 'moved', 'deleted')),
        reviewed_at TEXT
    );
    CREATE INDEX revision_items_revision ON revision_items(revision_id, kind, outcome);
    CREATE INDEX revision_items_target ON revision_items(target_id);
    """,
    # issue 19: how reports show an attribute: a label per language and a unit (money, percent)
    """
    ALTER TABLE attributes ADD COLUMN labels TEXT;
    ALTER TABLE attributes ADD COLUMN unit TEXT CHECK (unit IS NULL OR unit IN ('money', 'percent'));
    """,
    # issue 14: collaboration as a codebook property; ambiguous mentions keep their choices; derived
    # name variants an analyst switched off per case
    """
    ALTER TABLE codes ADD COLUMN collaboration TEXT
        CHECK (collaboration IS NULL OR collaboration IN ('dyad', 'form', 'none'));
    ALTER TABLE codes ADD COLUMN partner_types TEXT;

    ALTER TABLE mentions ADD COLUMN choices TEXT;

    CREATE TABLE variant_switches (
        case_id    TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        form       TEXT NOT NULL COLLATE NOCASE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (case_id, form)
    );
    """,
    # issue 14 (generality): organisation types are the project's data (casebook.store.orgtypes), so the
    # organisations table loses its fixed list of types (rebuilt with foreign keys off)
    f"""{FOREIGN_KEYS_OFF}
    CREATE TABLE org_types (
        key       TEXT PRIMARY KEY,
        position  INTEGER NOT NULL,
        labels    TEXT NOT NULL DEFAULT '{{}}',
        synonyms  TEXT NOT NULL DEFAULT '[]',
        colour    TEXT,
        counts_as TEXT,
        lead      INTEGER NOT NULL DEFAULT 0 CHECK (lead IN (0, 1)),
        CHECK (trim(key) <> '')
    );

    CREATE TABLE organisations_new (
        id          TEXT PRIMARY KEY,
        case_id     TEXT NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        name        TEXT NOT NULL COLLATE NOCASE,
        type        TEXT NOT NULL DEFAULT 'overig' CHECK (trim(type) <> ''),
        created_at  TEXT NOT NULL,
        modified_at TEXT NOT NULL,
        CHECK (trim(name) <> ''),
        UNIQUE (case_id, name)
    );
    INSERT INTO organisations_new (id, case_id, name, type, created_at, modified_at)
        SELECT id, case_id, name, type, created_at, modified_at FROM organisations;
    DROP TABLE organisations;
    ALTER TABLE organisations_new RENAME TO organisations;
    CREATE INDEX organisations_case ON organisations(case_id, type);
    """,
    # issue 18: a document imported without its language layer (sentences, search rows) yet;
    # casebook.core.language builds it at the next command and clears the mark
    """
    ALTER TABLE documents ADD COLUMN language_pending INTEGER NOT NULL DEFAULT 0
        CHECK (language_pending IN (0, 1));
    CREATE INDEX documents_language_pending ON documents(language_pending)
        WHERE language_pending = 1;
    """,
    # issue 14 (generality): what an organisation type is in general terms (school, company,
    # municipality), so partner rules reason with roles instead of a programme's type names
    """
    ALTER TABLE org_types ADD COLUMN roles TEXT NOT NULL DEFAULT '[]';
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
