import SQLiteDB
import SessionSyncSupport
import SessionSyncTesting
import Testing

@testable import Archive

@Suite("Full-text search: messages_fts and transcripts_fts follow every write")
struct FullTextSearchTests {
    private static func message(_ id: String, _ body: String) -> MessageRecord {
        MessageRecord(externalID: id, sender: "user", sentAt: nil, contentType: "text", body: body, raw: "{}")
    }

    private static func chat(_ id: String, _ children: [ChildSet]) -> SessionRecord {
        var record = SessionRecord(externalID: id, kind: .chat)
        record.status = "open"
        record.children = children
        return record
    }

    /// Bodies of the messages `query` matches, best first.
    private static func search(_ store: ArchiveStore, _ query: String) throws -> [String] {
        let select = try store.connection.prepare(
            """
            SELECT m.body FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid
            WHERE messages_fts MATCH ? ORDER BY bm25(messages_fts), m.id
            """
        )
        try select.bind([.text(query)])
        var bodies: [String] = []
        try select.forEachRow { bodies.append($0.text(at: 0) ?? "") }
        return bodies
    }

    private static func integrityCheck(_ store: ArchiveStore) throws {
        try store.connection.execute("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')")
        try store.connection.execute("INSERT INTO transcripts_fts (transcripts_fts) VALUES ('integrity-check')")
    }

    @Test(
        "accents, quotes and CJK are found; an updated body is found by its new words only; a replaced set or a deleted session leaves nothing behind"
    )
    func messagesFollowWrites() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/a.sqlite")
            let source = try store.ensureSource(name: "chat", provider: "yourgpt", now: .now())
            let first = [
                Self.message("1", "Ünïcödé: café, naïve, 日本語"),
                Self.message("2", #"Comma, "quotes" and more"#),
                Self.message("3", "好的，我们开始吧。"),
            ]
            _ = try store.commit(
                ArchiveBatch(sessions: [Self.chat("c1", [.messages(first)])]), sourceID: source.id, now: .now())
            #expect(try Self.search(store, "cafe") == [first[0].body])
            #expect(try Self.search(store, "naive AND 日本語") == [first[0].body])
            #expect(try Self.search(store, #""quotes""#) == [first[1].body])
            #expect(try Self.search(store, "好的") == [first[2].body])

            // A changed body (an upsert through appended messages) replaces its words.
            let edited = Self.message("1", "thé au citron")
            let append = ArchiveBatch(sessionChildren: [
                SessionChildren(externalID: "c1", children: [.appendMessages([edited])])
            ])
            _ = try store.commit(append, sourceID: source.id, now: .now())
            #expect(try Self.search(store, "cafe").isEmpty)
            #expect(try Self.search(store, "the") == ["thé au citron"])

            // A set replaced without message 2: its words are gone.
            let replaced = ArchiveBatch(sessions: [Self.chat("c1", [.messages([edited, first[2]])])])
            _ = try store.commit(replaced, sourceID: source.id, now: .now())
            #expect(try Self.search(store, "quotes").isEmpty)
            try Self.integrityCheck(store)

            // A session deleted (retention, erasure) takes its messages' index rows with it.
            try store.connection.execute("DELETE FROM sessions")
            #expect(try Self.search(store, "citron").isEmpty)
            #expect(try store.connection.scalarInt("SELECT count(*) FROM messages_fts") == 0)
            try Self.integrityCheck(store)
        }
    }

    @Test("transcript lines are searchable, replaced with their set, and ranked with snippet()")
    func transcripts() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/a.sqlite")
            let source = try store.ensureSource(name: "meet", provider: "realtimekit", now: .now())
            func meeting(_ lines: [String]) -> ArchiveBatch {
                var record = SessionRecord(externalID: "m1", kind: .meeting)
                record.children = [
                    .transcripts(
                        lines.map {
                            TranscriptLine(spokenAt: nil, participantExternalID: "p", speaker: "Zoë", text: $0)
                        })
                ]
                return ArchiveBatch(sessions: [record])
            }
            _ = try store.commit(
                meeting(["Merci beaucoup — ça marche très bien", "the budget review"]), sourceID: source.id, now: .now()
            )
            let snippet = try store.connection.scalarText(
                "SELECT snippet(transcripts_fts, 0, '[', ']', '…', 4) FROM transcripts_fts WHERE transcripts_fts MATCH 'tres'"
            )
            #expect(snippet == "…ça marche [très] bien")
            _ = try store.commit(meeting(["another agenda"]), sourceID: source.id, now: .now())
            #expect(
                try store.connection.scalarInt(
                    "SELECT count(*) FROM transcripts_fts WHERE transcripts_fts MATCH 'budget'") == 0)
            #expect(
                try store.connection.scalarInt(
                    "SELECT count(*) FROM transcripts_fts WHERE transcripts_fts MATCH 'agenda'") == 1)
            try Self.integrityCheck(store)
        }
    }

    /// Datasette offers its search box for table T when an FTS table's SQL holds `content="T"`
    /// (double quotes; `content='T'` is not detected).
    @Test("the FTS tables are declared the way Datasette detects them", arguments: ["messages", "transcripts"])
    func datasetteDetection(table: String) throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/a.sqlite")
            let sql = try store.connection.scalarText(
                "SELECT sql FROM sqlite_master WHERE name = ?", .text(table + "_fts"))
            #expect(sql?.contains("USING FTS5") == true)
            #expect(sql?.contains("content=\"\(table)\"") == true)
        }
    }

    @Test("the migration indexes the messages and transcripts archived before it, and keeps their rows")
    func migrationIndexesExistingRows() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let connection = try Connection(path: directory + "/a.sqlite")
            let before = try ArchiveMigrations.files.prefix { !$0.name.hasPrefix("0006") }.map { file in
                try Migration(fileName: file.name, sql: String(decoding: file.bytes, as: UTF8.self))
            }
            _ = try Migrator(migrations: before).migrate(connection, now: { Timestamp.now().iso8601 })
            try connection.execute(
                """
                INSERT INTO sources (id, name, provider, created_at) VALUES (1, 's', 'realtimekit', '2026-12-01T00:00:00.000Z');
                INSERT INTO sessions (id, source_id, external_id, kind, metadata, raw, first_seen_at, last_seen_at, updated_at)
                    VALUES (1, 1, 'm1', 'meeting', '{}', '{}', '2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z');
                INSERT INTO messages (session_id, external_id, body, raw) VALUES (1, 'x', 'archived before the index', '{}');
                INSERT INTO transcripts (session_id, seq, speaker, text) VALUES (1, 0, 'Ada', 'spoken before the index');
                INSERT INTO transcripts (session_id, seq, speaker, text) VALUES (1, 1, 'Ada', 'and after that');
                """
            )
            let store = try ArchiveStore(path: directory + "/a.sqlite")
            #expect(
                try store.connection.scalarInt("SELECT count(*) FROM messages_fts WHERE messages_fts MATCH 'archived'")
                    == 1)
            #expect(
                try store.connection.scalarInt(
                    "SELECT count(*) FROM transcripts_fts WHERE transcripts_fts MATCH 'before'") == 1)
            #expect(
                try store.connection.scalarText("SELECT group_concat(seq || ':' || text, '|') FROM transcripts")
                    == "0:spoken before the index|1:and after that")
            try Self.integrityCheck(store)
        }
    }
}
