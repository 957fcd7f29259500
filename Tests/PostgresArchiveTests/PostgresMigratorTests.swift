import Foundation
import PostgresNIO
import SessionSyncTesting
import Testing

@testable import PostgresArchive

@Suite("The PostgreSQL migrator: each migration once, in its own transaction, never onto a newer archive")
struct PostgresMigratorTests {
    @Test("the embedded migrations equal migrations/postgres, byte for byte, numbered without gaps")
    func embeddedEqualsFolder() throws {
        let folder = packageRoot + "/migrations/postgres"
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(names == PostgresMigrations.files.map(\.name))
        for file in PostgresMigrations.files {
            let onDisk = try #require(FileManager.default.contents(atPath: folder + "/" + file.name))
            #expect(
                Array(onDisk) == file.bytes,
                "\(file.name) differs from the embedded copy: rebuild, and never edit a shipped migration")
        }
        let versions = try PostgresMigrations.migrator().migrations.map(\.version)
        #expect(versions == Array(1...versions.count), "migration versions must be 1, 2, 3, ... without gaps")
    }

    @Test("an empty database gets every migration, each recorded in schema_migrations")
    func migratesEmptyDatabase() async throws {
        let migrator = try PostgresMigrations.migrator()
        try await withTemporaryPostgresDatabase { database in
            try await withClient(database) { client in
                let applied = try await migrator.migrate(client, logger: quietLogger)
                #expect(applied == migrator.migrations)
                let recorded = try await client.rows(
                    "SELECT version::text, name, (applied_at IS NOT NULL)::text FROM schema_migrations ORDER BY version"
                )
                #expect(recorded == migrator.migrations.map { ["\($0.version)", $0.name, "true"] })
                #expect(try await client.value("SELECT to_regclass('sessions')::text") == "sessions")
            }
        }
    }

    @Test("migrating an up-to-date database again changes nothing")
    func secondRunIsNoOp() async throws {
        let migrator = try PostgresMigrations.migrator()
        try await withTemporaryPostgresDatabase { database in
            try await withClient(database) { client in
                try await migrator.migrate(client, logger: quietLogger)
                let before = try await client.rows("SELECT version::text, applied_at::text FROM schema_migrations")
                let tables = try await client.value("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'")
                let again = try await migrator.migrate(client, logger: quietLogger)
                #expect(again.isEmpty)
                #expect(
                    try await client.rows("SELECT version::text, applied_at::text FROM schema_migrations") == before)
                #expect(
                    try await client.value("SELECT count(*)::text FROM pg_tables WHERE schemaname = 'public'")
                        == tables)
            }
        }
    }

    @Test("a database written by a newer release is refused, untouched")
    func refusesNewerDatabase() async throws {
        let migrator = try PostgresMigrations.migrator()
        let newer = migrator.latestVersion + 1
        try await withTemporaryPostgresDatabase { database in
            try await withClient(database) { client in
                try await client.query(
                    "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)",
                    logger: quietLogger)
                try await client.query(
                    "INSERT INTO schema_migrations VALUES (\(newer), 'from_the_future', now())", logger: quietLogger)
                let error = await #expect(throws: PostgresMigrationError.self) {
                    try await migrator.migrate(client, logger: quietLogger)
                }
                #expect(error == .databaseNewer(database: newer, binary: migrator.latestVersion))
                #expect(error?.isDatabaseNewer == true)
                #expect(error?.description.contains("Upgrade sessionsync") == true)
                // Nothing was created beside the marker.
                #expect(try await client.value("SELECT to_regclass('sessions')::text") == nil)
                #expect(try await client.value("SELECT count(*)::text FROM schema_migrations") == "1")
            }
        }
    }

    @Test("a migration that fails is rolled back whole; the ones before it stay")
    func failingMigrationRollsBack() async throws {
        let migrator = try PostgresMigrator(migrations: [
            PostgresMigration(version: 1, name: "first", sql: "CREATE TABLE first (x bigint);"),
            PostgresMigration(
                version: 2, name: "second",
                sql:
                    "CREATE TABLE second (x bigint);\nCREATE TABLE broken (x no_such_type);\nCREATE TABLE third (x bigint);"
            ),
        ])
        try await withTemporaryPostgresDatabase { database in
            try await withClient(database) { client throws in
                let error = await #expect(throws: PostgresMigrationError.self) {
                    try await migrator.migrate(client, logger: quietLogger)
                }
                let description = error?.description ?? ""
                #expect(description.contains("migration 2 (second) failed at its statement 2"), "\(description)")
                #expect(description.contains("no_such_type"), "\(description)")
                #expect(description.contains("SQLSTATE 42704"), "\(description)")
                #expect(try await client.value("SELECT to_regclass('first')::text") == "first")
                #expect(try await client.value("SELECT to_regclass('second')::text") == nil)
                #expect(try await client.rows("SELECT version::text FROM schema_migrations") == [["1"]])
            }
        }
    }

    /// Both migrators are held at the advisory lock until both wait there, so that both have
    /// read "version 0" before either may apply anything: without the lock (or without the
    /// second read under it) they would both apply migration 1, and one would fail. Under a
    /// server whose default isolation is REPEATABLE READ the second read would still see the
    /// snapshot from before the first migrator's commit, unless the migrator asks for READ
    /// COMMITTED itself.
    @Test(
        "two migrators racing on one fresh database both succeed, and each migration is applied once",
        arguments: ["read committed", "repeatable read"])
    func racingMigrators(defaultIsolation: String) async throws {
        let migrator = try PostgresMigrations.migrator()
        try await withTemporaryPostgresDatabase { database in
            try await withClient(database) { client in
                try await client.query(
                    PostgresQuery(
                        unsafeSQL:
                            "ALTER DATABASE \(database.location.database) SET default_transaction_isolation TO '\(defaultIsolation)'"
                    ), logger: quietLogger)
            }
            try await withClient(database) { holder in
                #expect(try await holder.value("SHOW default_transaction_isolation") == defaultIsolation)
                try await holder.withConnection { gate in
                    try await gate.query(
                        "SELECT pg_advisory_lock(\(PostgresMigrator.advisoryLockKey))", logger: quietLogger)
                    async let first = withClient(database) { try await migrator.migrate($0, logger: quietLogger) }
                    async let second = withClient(database) { try await migrator.migrate($0, logger: quietLogger) }
                    // Until both wait, or one of them migrated without waiting (which the lock forbids).
                    var state: [String?] = []
                    var polls = 0
                    repeat {
                        state =
                            try await holder.rows(
                                """
                                SELECT count(*)::text, (to_regclass('schema_migrations') IS NOT NULL)::text FROM pg_locks
                                WHERE locktype = 'advisory' AND NOT granted
                                  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                                """
                            ).first ?? []
                        polls += 1
                    } while (state == ["0", "false"] || state == ["1", "false"]) && polls < 20_000
                    #expect(state == ["2", "false"], "both migrators should wait at the advisory lock")
                    try await gate.query(
                        "SELECT pg_advisory_unlock(\(PostgresMigrator.advisoryLockKey))", logger: quietLogger)
                    let applied = try await [first, second]
                    // Each migration is its own transaction under the lock: the two may share the
                    // work (one applies 0001, the other 0002), but never apply one migration twice.
                    let versions = applied.flatMap { $0.map(\.version) }
                    #expect(versions.sorted() == migrator.migrations.map(\.version))
                }
                let versions = try await holder.rows("SELECT version::text FROM schema_migrations ORDER BY version")
                #expect(versions == migrator.migrations.map { ["\($0.version)"] })
            }
        }
    }
}
