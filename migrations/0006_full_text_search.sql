-- Full-text search over messages.body and transcripts.text with FTS5, as sqlite-utils lays it out
-- (and Datasette detects: `content="T"` with double quotes): external-content tables kept in step
-- by triggers, so the text is stored once, in the content table.
--
-- FTS5 reads an external content table by rowid, which a WITHOUT ROWID table has not: transcripts
-- is rebuilt with an integer key, its key (session_id, seq) kept as a unique constraint.

CREATE TABLE transcripts_with_rowid (
    id                      INTEGER PRIMARY KEY,
    session_id              INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    seq                     INTEGER NOT NULL CHECK (seq >= 0),
    spoken_at               TEXT,
    participant_external_id TEXT,
    speaker                 TEXT,
    text                    TEXT,
    UNIQUE (session_id, seq)
);
INSERT INTO transcripts_with_rowid (session_id, seq, spoken_at, participant_external_id, speaker, text)
    SELECT session_id, seq, spoken_at, participant_external_id, speaker, text FROM transcripts ORDER BY session_id, seq;
DROP TABLE transcripts;
ALTER TABLE transcripts_with_rowid RENAME TO transcripts;

-- unicode61 with diacritics removed: "cafe" finds "café", "Angstrom" finds "Ångström".
CREATE VIRTUAL TABLE "messages_fts" USING FTS5 ("body", content="messages", tokenize="unicode61 remove_diacritics 2");
CREATE VIRTUAL TABLE "transcripts_fts" USING FTS5 ("text", content="transcripts", tokenize="unicode61 remove_diacritics 2");

CREATE TRIGGER "messages_ai" AFTER INSERT ON "messages" BEGIN
    INSERT INTO "messages_fts" (rowid, "body") VALUES (new.rowid, new."body");
END;
CREATE TRIGGER "messages_ad" AFTER DELETE ON "messages" BEGIN
    INSERT INTO "messages_fts" ("messages_fts", rowid, "body") VALUES ('delete', old.rowid, old."body");
END;
CREATE TRIGGER "messages_au" AFTER UPDATE OF "body" ON "messages" BEGIN
    INSERT INTO "messages_fts" ("messages_fts", rowid, "body") VALUES ('delete', old.rowid, old."body");
    INSERT INTO "messages_fts" (rowid, "body") VALUES (new.rowid, new."body");
END;

CREATE TRIGGER "transcripts_ai" AFTER INSERT ON "transcripts" BEGIN
    INSERT INTO "transcripts_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;
CREATE TRIGGER "transcripts_ad" AFTER DELETE ON "transcripts" BEGIN
    INSERT INTO "transcripts_fts" ("transcripts_fts", rowid, "text") VALUES ('delete', old.rowid, old."text");
END;
CREATE TRIGGER "transcripts_au" AFTER UPDATE OF "text" ON "transcripts" BEGIN
    INSERT INTO "transcripts_fts" ("transcripts_fts", rowid, "text") VALUES ('delete', old.rowid, old."text");
    INSERT INTO "transcripts_fts" (rowid, "text") VALUES (new.rowid, new."text");
END;

-- The rows archived before this migration.
INSERT INTO "messages_fts" ("messages_fts") VALUES ('rebuild');
INSERT INTO "transcripts_fts" ("transcripts_fts") VALUES ('rebuild');
