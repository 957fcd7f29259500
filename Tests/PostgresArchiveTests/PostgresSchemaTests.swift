import Archive
import PostgresArchive
import PostgresNIO
import SQLiteDB
import SessionSyncTesting
import Testing

/// The PostgreSQL schema against the SQLite one, read from both databases after every migration:
/// a table, column, key, foreign key or index that one has and the other lacks fails here.
@Suite("The PostgreSQL archive has the SQLite archive's tables, columns, keys and views")
struct PostgresSchemaTests {
    /// SQLite's own machinery, with no place in PostgreSQL (migrations/postgres/0001 says why).
    static let sqliteOnlyTables: Set<String> = ["wal_checkpoint_failures"]
    static func isSQLiteOnly(_ table: String) -> Bool {
        sqliteOnlyTables.contains(table) || table.hasPrefix("messages_fts") || table.hasPrefix("transcripts_fts")
            || table.hasPrefix("sqlite_")
    }

    /// PostgreSQL's own machinery, with no place in SQLite: the leases that let several daemons
    /// share one archive (migrations/postgres/0002), and the bookkeeping of `sessionsync copy`
    /// (migrations/postgres/0003).
    static let postgresOnlyTables: Set<String> = ["source_leases", "copy_from_sqlite", "copy_from_sqlite_tables"]
    static func isPostgresOnly(_ entry: String) -> Bool {
        postgresOnlyTables.contains { entry.hasPrefix($0 + ".") || entry.hasPrefix($0 + " ") }
    }

    /// The full-text search columns that stand in for FTS5.
    static let postgresOnlyColumns: Set<String> = ["messages.body_tsv", "transcripts.text_tsv"]
    static let postgresOnlyIndexes: Set<String> = ["messages_body_search", "transcripts_text_search"]

    /// Both archives, migrated to their newest versions, for `body`.
    func withBothSchemas(
        _ body: (SQLiteSchema, PostgresClient) async throws -> Void
    ) async throws {
        try await withTemporaryDirectory { directory in
            let connection = try Connection(path: directory + "/archive.sqlite")
            try ArchiveMigrations.migrator().migrate(connection, now: { "2026-01-01T00:00:00.000Z" })
            let sqlite = try SQLiteSchema(connection)
            try await withTemporaryPostgresDatabase { database in
                try await withClient(database) { client in
                    try await PostgresMigrations.migrator().migrate(client, logger: quietLogger)
                    try await body(sqlite, client)
                }
            }
        }
    }

    @Test("every table, view and column of the SQLite archive exists in PostgreSQL, and nothing else")
    func tablesAndColumns() async throws {
        try await withBothSchemas { sqlite, client in
            var expected: Set<String> = []
            for table in sqlite.tables where !Self.isSQLiteOnly(table) {
                for column in try sqlite.columns(of: table) { expected.insert("\(table).\(column)") }
            }
            let rows = try await client.rows(
                """
                SELECT table_name::text, column_name::text FROM information_schema.columns
                WHERE table_schema = current_schema()
                """)
            let actual = Set(rows.map { "\($0[0] ?? "").\($0[1] ?? "")" }).subtracting(Self.postgresOnlyColumns)
                .filter { !Self.isPostgresOnly($0) }
            #expect(expected.subtracting(actual).sorted() == [], "missing in PostgreSQL")
            #expect(actual.subtracting(expected).sorted() == [], "in PostgreSQL only")
            // The comparison reads something: the contract's tables and views are among them.
            for name in [
                "sessions.raw", "sync_runs.max_commit_ms", "v_sessions.participant_count", "v_daily_sessions.day",
            ] {
                #expect(actual.contains(name))
            }
        }
    }

    @Test("every table has the same primary key and unique keys")
    func keys() async throws {
        try await withBothSchemas { sqlite, client in
            var expected: Set<String> = []
            for table in sqlite.tables where !Self.isSQLiteOnly(table) && !sqlite.views.contains(table) {
                expected.formUnion(try sqlite.keys(of: table))
            }
            let rows = try await client.rows(
                """
                SELECT c.conrelid::regclass::text, c.contype::text,
                       string_agg(a.attname::text, ', ' ORDER BY k.n)
                FROM pg_constraint c
                CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                WHERE c.contype IN ('p', 'u') AND c.connamespace = current_schema()::regnamespace
                GROUP BY c.oid, c.conrelid, c.contype
                """)
            let actual = Set(rows.map { "\($0[0] ?? "") \($0[1] == "p" ? "PRIMARY KEY" : "UNIQUE") (\($0[2] ?? ""))" })
                .filter { !Self.isPostgresOnly($0) }
            #expect(expected.subtracting(actual).sorted() == [], "missing in PostgreSQL")
            #expect(actual.subtracting(expected).sorted() == [], "in PostgreSQL only")
            #expect(actual.contains("sessions UNIQUE (source_id, external_id)"))
        }
    }

    @Test("every foreign key is declared with the same columns and ON DELETE")
    func foreignKeys() async throws {
        try await withBothSchemas { sqlite, client in
            var expected: Set<String> = []
            for table in sqlite.tables where !Self.isSQLiteOnly(table) && !sqlite.views.contains(table) {
                expected.formUnion(try sqlite.foreignKeys(of: table))
            }
            let rows = try await client.rows(
                """
                SELECT c.conrelid::regclass::text, a.attname::text, c.confrelid::regclass::text, f.attname::text,
                       CASE c.confdeltype WHEN 'c' THEN 'CASCADE' WHEN 'a' THEN 'NO ACTION' ELSE c.confdeltype::text END
                FROM pg_constraint c
                CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(attnum, fattnum)
                JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                JOIN pg_attribute f ON f.attrelid = c.confrelid AND f.attnum = k.fattnum
                WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace
                """)
            let actual = Set(
                rows.map { "\($0[0] ?? "").\($0[1] ?? "") -> \($0[2] ?? "").\($0[3] ?? "") \($0[4] ?? "")" }
            ).filter { !Self.isPostgresOnly($0) }
            #expect(expected.subtracting(actual).sorted() == [], "missing in PostgreSQL")
            #expect(actual.subtracting(expected).sorted() == [], "in PostgreSQL only")
            #expect(actual.contains("participants.session_id -> sessions.id CASCADE"))
        }
    }

    @Test("every named index exists on the same table and columns")
    func indexes() async throws {
        try await withBothSchemas { sqlite, client in
            var expected: Set<String> = []
            for table in sqlite.tables where !Self.isSQLiteOnly(table) && !sqlite.views.contains(table) {
                expected.formUnion(try sqlite.namedIndexes(of: table))
            }
            let rows = try await client.rows(
                """
                SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text,
                       string_agg(a.attname::text, ', ' ORDER BY k.n), (i.indpred IS NOT NULL)::text
                FROM pg_index i
                CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                JOIN pg_class c ON c.oid = i.indexrelid
                WHERE c.relnamespace = current_schema()::regnamespace
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = i.indexrelid)
                GROUP BY i.indexrelid, i.indrelid, i.indpred
                """)
            let actual = Set(
                rows.filter { !Self.postgresOnlyIndexes.contains($0[0] ?? "") }.map {
                    "\($0[0] ?? "") ON \($0[1] ?? "") (\($0[2] ?? ""))\($0[3] == "true" ? " WHERE" : "")"
                })
            #expect(expected.subtracting(actual).sorted() == [], "missing in PostgreSQL")
            #expect(actual.subtracting(expected).sorted() == [], "in PostgreSQL only")
            #expect(actual.contains("fetch_queue_pending_due ON fetch_queue (source_id, kind, next_attempt_at) WHERE"))
        }
    }

    @Test("each column has PostgreSQL's type for what SQLite stores: times, JSON, 64-bit integers, doubles, bytes")
    func columnTypes() async throws {
        try await withBothSchemas { sqlite, client in
            let rows = try await client.rows(
                """
                SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_identity::text
                FROM information_schema.columns c
                JOIN information_schema.tables t USING (table_schema, table_name)
                WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                """)
            var types: [String: (type: String, identity: Bool)] = [:]
            for row in rows { types["\(row[0] ?? "").\(row[1] ?? "")"] = (row[2] ?? "", row[3] == "YES") }
            for table in sqlite.tables where !Self.isSQLiteOnly(table) && !sqlite.views.contains(table) {
                for (column, declared, isRowID) in try sqlite.declaredTypes(of: table) {
                    let name = "\(table).\(column)"
                    let wanted: String =
                        switch declared {
                        case "INTEGER": "bigint"
                        case "REAL": "double precision"
                        case "BLOB": "bytea"
                        default:
                            if column.hasSuffix("_at") || column == "cutoff" {
                                "timestamp with time zone"
                            } else if ["raw", "metadata", "detail_raw", "child_sets"].contains(column) {
                                "jsonb"
                            } else {
                                "text"
                            }
                        }
                    #expect(types[name]?.type == wanted, "\(name): \(types[name]?.type ?? "missing"), wanted \(wanted)")
                    // A rowid id is an identity column, whose values a copy of a SQLite archive may set.
                    if isRowID && column == "id" && table != "tombstone_key" {
                        #expect(types[name]?.identity == true, "\(name) is not an identity column")
                    }
                }
            }
            #expect(types["messages.body_tsv"]?.type == "tsvector")
            #expect(types["transcripts.text_tsv"]?.type == "tsvector")
        }
    }

    @Test("the views and full-text search answer over a few rows; keys, checks and cascades are enforced")
    func viewsAndConstraints() async throws {
        try await withTemporaryPostgresDatabase { database in
            try await withClient(database) { client in
                try await PostgresMigrations.migrator().migrate(client, logger: quietLogger)
                try await client.query(
                    """
                    INSERT INTO sources (name, provider, created_at) VALUES ('chat', 'yourgpt', '2026-03-01T10:00:00Z')
                    """, logger: quietLogger)
                try await client.query(
                    """
                    INSERT INTO sessions (source_id, external_id, kind, user_id, started_at, duration_seconds, raw,
                                          first_seen_at, last_seen_at, updated_at)
                    VALUES (1, 'a', 'chat', 'u1', '2026-03-01T23:30:00-02:00', 60, '{"id": "a"}', now(), now(), now()),
                           (1, 'b', 'chat', 'u2', '2026-03-02T01:00:00Z', 30, '{"id": "b"}', now(), now(), now())
                    """, logger: quietLogger)
                try await client.query(
                    """
                    INSERT INTO messages (session_id, external_id, body, raw)
                    VALUES (1, 'm1', 'Where is my refund?', '{}'), (2, 'm2', 'Thanks, all good', '{}')
                    """, logger: quietLogger)
                #expect(
                    try await client.rows(
                        "SELECT source, external_id, message_count::text FROM v_sessions ORDER BY external_id")
                        == [["chat", "a", "1"], ["chat", "b", "1"]])
                // 23:30 at -02:00 is 01:30 UTC the next day: both sessions fall on 2026-03-02.
                #expect(
                    try await client.rows(
                        "SELECT day::text, sessions::text, total_duration_seconds::text, distinct_users::text FROM v_daily_sessions"
                    ) == [["2026-03-02", "2", "90", "2"]])
                #expect(
                    try await client.rows(
                        "SELECT external_id FROM messages WHERE body_tsv @@ websearch_to_tsquery('simple', 'REFUND')")
                        == [["m1"]])

                let violations: [(String, String)] = [
                    (
                        "INSERT INTO sessions (source_id, external_id, kind, raw, first_seen_at, last_seen_at, updated_at) VALUES (9, 'x', 'web', '{}', now(), now(), now())",
                        "23503"
                    ),
                    (
                        "INSERT INTO sessions (source_id, external_id, kind, raw, first_seen_at, last_seen_at, updated_at) VALUES (1, 'x', 'video', '{}', now(), now(), now())",
                        "23514"
                    ),
                    (
                        "INSERT INTO sessions (source_id, external_id, kind, raw, first_seen_at, last_seen_at, updated_at) VALUES (1, 'a', 'chat', '{}', now(), now(), now())",
                        "23505"
                    ),
                    (
                        "INSERT INTO sessions (source_id, external_id, kind, raw, first_seen_at, last_seen_at, updated_at) VALUES (1, 'y', 'chat', '{not json', now(), now(), now())",
                        "22P02"
                    ),
                    ("INSERT INTO tombstone_key (id, key) VALUES (1, '\\x00')", "23514"),
                ]
                for (sql, state) in violations {
                    let error = await #expect(throws: PSQLError.self) {
                        try await client.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger)
                    }
                    #expect(error?.serverInfo?[.sqlState] == state, "\(sql)")
                }
                try await client.query("DELETE FROM sessions WHERE external_id = 'a'", logger: quietLogger)
                #expect(try await client.value("SELECT count(*)::text FROM messages") == "1")
            }
        }
    }
}
