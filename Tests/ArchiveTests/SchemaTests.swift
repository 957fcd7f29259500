import Foundation
import SQLiteDB
import SessionSyncTesting
import Testing

@testable import Archive

@Suite("The archive schema: embedded migrations and the contract's tables")
struct SchemaTests {
    @Test("the embedded migrations equal the migrations folder, byte for byte")
    func embeddedEqualsFolder() throws {
        let folder = packageRoot + "/migrations"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(names == ArchiveMigrations.files.map(\.name))
        for file in ArchiveMigrations.files {
            let onDisk = try #require(FileManager.default.contents(atPath: folder + "/" + file.name))
            #expect(
                Array(onDisk) == file.bytes,
                "\(file.name) differs from the embedded copy: rebuild, and never edit a shipped migration")
        }
        let versions = try ArchiveMigrations.migrator().migrations.map(\.version)
        #expect(versions == Array(1...versions.count), "migration versions must be 1, 2, 3, ... without gaps")
    }

    /// Contract section 3: table → required columns.
    static let contract: [(String, [String])] = [
        ("schema_migrations", ["version", "name", "applied_at"]),
        ("sources", ["id", "name", "provider", "created_at"]),
        (
            "sessions",
            [
                "id", "source_id", "external_id", "kind", "status", "title", "user_id", "started_at", "ended_at",
                "duration_seconds", "country", "device_type", "os", "browser", "bot_score", "metadata", "raw",
                "first_seen_at", "last_seen_at", "updated_at",
            ]
        ),
        (
            "participants",
            [
                "id", "session_id", "external_id", "user_id", "display_name", "role", "joined_at", "left_at",
                "duration_seconds", "raw",
            ]
        ),
        ("page_history", ["session_id", "seq", "url", "visited_at", "type", "duration_ms"]),
        ("timeline", ["session_id", "bucket_at", "event_count", "dominant_event_type", "activity_level"]),
        ("event_counts", ["session_id", "event_type", "count"]),
        ("messages", ["id", "session_id", "external_id", "sender", "sent_at", "content_type", "body", "raw"]),
        ("transcripts", ["session_id", "seq", "spoken_at", "participant_external_id", "speaker", "text"]),
        ("session_metadata", ["session_id", "key", "value"]),
        ("detail_requests", ["source_name", "external_id", "requested_at"]),
        ("sync_cursors", ["source_id", "stream", "value", "updated_at"]),
        (
            "sync_runs",
            [
                "id", "source_id", "started_at", "finished_at", "status", "requests", "sessions_upserted",
                "rows_written", "error",
            ]
        ),
        ("v_sessions", ["source", "provider", "external_id", "kind", "participant_count", "page_count"]),
        ("v_daily_sessions", ["day", "source", "kind", "sessions", "total_duration_seconds", "distinct_users"]),
    ]

    @Test("every table, column and view of the contract exists after migrating", arguments: contract)
    func contractColumns(table: String, columns: [String]) throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/a.sqlite")
            let info = try store.connection.prepare("SELECT name FROM pragma_table_info(?)")
            try info.bind(table, at: 1)
            var present: Set<String> = []
            try info.forEachRow { present.insert($0.text(at: 0) ?? "") }
            for column in columns {
                #expect(present.contains(column), "\(table).\(column) is missing")
            }
        }
    }

    static let keys: [(String, String)] = [
        ("sessions", "UNIQUE (source_id, external_id)"),
        ("participants", "UNIQUE (session_id, external_id)"),
        ("messages", "UNIQUE (session_id, external_id)"),
        ("page_history", "PRIMARY KEY (session_id, seq)"),
        ("timeline", "PRIMARY KEY (session_id, bucket_at)"),
        ("event_counts", "PRIMARY KEY (session_id, event_type)"),
        // A unique key, not the primary one: FTS5 needs the rowid (migration 6).
        ("transcripts", "UNIQUE (session_id, seq)"),
        ("session_metadata", "PRIMARY KEY (session_id, key)"),
        ("detail_requests", "PRIMARY KEY (source_name, external_id)"),
        ("sync_cursors", "PRIMARY KEY (source_id, stream)"),
    ]

    @Test("the contract's keys are declared", arguments: keys)
    func contractKeys(table: String, key: String) throws {
        try withTemporaryDirectory { (directory: String) throws in
            let store = try ArchiveStore(path: directory + "/a.sqlite")
            let sql = try #require(
                try store.connection.scalarText("SELECT sql FROM sqlite_master WHERE name = ?", .text(table)))
            #expect(sql.contains(key))
        }
    }

    @Test("foreign keys and CHECKs are enforced")
    func constraintsEnforced() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let connection = try ArchiveStore(path: directory + "/a.sqlite").connection
            // A session of a source that does not exist.
            let orphan = #expect(throws: SQLiteError.self) {
                try connection.execute(
                    "INSERT INTO sessions (source_id, external_id, kind, raw, first_seen_at, last_seen_at, updated_at) VALUES (99, 'x', 'web', '{}', 'a', 'a', 'a')"
                )
            }
            #expect(orphan?.extendedCode == .constraintForeignKey)
            try connection.execute("INSERT INTO sources (name, provider, created_at) VALUES ('s', 'openreplay', 'now')")
            let badKind = #expect(throws: SQLiteError.self) {
                try connection.execute(
                    "INSERT INTO sessions (source_id, external_id, kind, raw, first_seen_at, last_seen_at, updated_at) VALUES (1, 'x', 'video', '{}', 'a', 'a', 'a')"
                )
            }
            #expect(badKind?.extendedCode == .constraintCheck)
            let badStatus = #expect(throws: SQLiteError.self) {
                try connection.execute(
                    "INSERT INTO sync_runs (source_id, started_at, status) VALUES (1, 'now', 'paused')")
            }
            #expect(badStatus?.extendedCode == .constraintCheck)
            let badJSON = #expect(throws: SQLiteError.self) {
                try connection.execute(
                    "INSERT INTO sessions (source_id, external_id, kind, raw, metadata, first_seen_at, last_seen_at, updated_at) VALUES (1, 'x', 'web', '{}', 'not json', 'a', 'a', 'a')"
                )
            }
            #expect(badJSON?.extendedCode == .constraintCheck)
        }
    }

    @Test("the BI filters have indexes")
    func indexes() throws {
        try withTemporaryDirectory { (directory: String) throws in
            let connection = try ArchiveStore(path: directory + "/a.sqlite").connection
            for query in [
                "SELECT * FROM sessions WHERE source_id = 1 AND started_at > '2026'",
                "SELECT * FROM sessions WHERE started_at > '2026'",
                "SELECT * FROM sessions WHERE user_id = 'u'",
                "SELECT * FROM sessions WHERE source_id = 1 AND status = 'live'",
            ] {
                let plan = try connection.prepare("EXPLAIN QUERY PLAN " + query)
                var details: [String] = []
                try plan.forEachRow { details.append($0.text(at: 3) ?? "") }
                #expect(
                    details.contains { $0.contains("USING INDEX") || $0.contains("USING COVERING INDEX") },
                    "\(query): \(details)")
            }
        }
    }
}
