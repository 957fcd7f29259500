import Archive
import PostgresArchive
import PostgresNIO
import SQLiteDB
import SessionSyncTesting
import Testing

/// `sessionsync copy`'s list of tables against both schemas: a table or column added to the
/// archives and forgotten by the copy fails here.
@Suite("The copy carries every column of every archive table")
struct CopiedTableTests {
    /// PostgreSQL tables the copy leaves out on purpose (CopiedTable says why).
    static let notCopied: Set<String> = [
        "schema_migrations", "source_leases", "copy_from_sqlite", "copy_from_sqlite_tables",
    ]

    @Test("the copied tables and columns are PostgreSQL's, less generated columns and its own tables")
    func matchesPostgres() async throws {
        try await withTemporaryPostgresDatabase { database in
            try await withClient(database) { client in
                try await PostgresMigrations.migrator().migrate(client, logger: quietLogger)
                let rows = try await client.rows(
                    """
                    SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c
                    JOIN information_schema.tables t ON t.table_name = c.table_name AND t.table_schema = c.table_schema
                    WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER'
                    """)
                let actual = Set(rows.map { "\($0[0] ?? "").\($0[1] ?? "")" })
                    .filter { !Self.notCopied.contains(String($0.prefix { $0 != "." })) }
                let copied = Set(CopiedTable.all.flatMap { table in table.columns.map { "\(table.name).\($0.name)" } })
                #expect(copied == actual)
            }
        }
    }

    @Test("every copied column exists in the SQLite archive, and each key is the table's primary key")
    func matchesSQLite() throws {
        try withTemporaryDirectory { directory in
            let connection = try Connection(path: directory + "/archive.sqlite")
            try ArchiveMigrations.migrator().migrate(connection, now: { "2026-01-01T00:00:00.000Z" })
            for table in CopiedTable.all {
                let info = try connection.prepare("SELECT name, pk FROM pragma_table_info('\(table.name)') ORDER BY pk")
                var columns: Set<String> = []
                var key: [String] = []
                while try info.step() {
                    let name = info.text(at: 0) ?? ""
                    columns.insert(name)
                    if info.int64(at: 1) > 0 { key.append(name) }
                }
                #expect(Set(table.columns.map(\.name)).isSubset(of: columns), "\(table.name)")
                #expect(key == table.key, "\(table.name)")
            }
        }
    }
}
