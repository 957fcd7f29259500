import Foundation
import SQLiteDB
import Testing

@Suite("Migrator applies numbered migrations safely")
struct MigratorTests {
    static let first = Migration(version: 1, name: "first", sql: "CREATE TABLE a (id INTEGER PRIMARY KEY, v TEXT);")
    static let second = Migration(
        version: 2, name: "second", sql: "ALTER TABLE a ADD COLUMN w TEXT; CREATE INDEX a_w ON a (w);")
    /// Creates a table, then fails: the table must not survive.
    static let broken = Migration(
        version: 3, name: "broken", sql: "CREATE TABLE c (id INTEGER); INSERT INTO nowhere VALUES (1);")

    static func now() -> String { "2026-01-01T00:00:00.000Z" }

    /// The schema and the migration records, as text to compare before and after.
    static func snapshot(_ connection: Connection) throws -> String {
        var text = ""
        let schema = try connection.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name")
        try schema.forEachRow { text += "\($0.text(at: 0) ?? "")|\($0.text(at: 1) ?? "")|\($0.text(at: 2) ?? "")\n" }
        if try connection.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'schema_migrations'") == 1 {
            let rows = try connection.prepare(
                "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            try rows.forEachRow { text += "\($0.int64(at: 0))|\($0.text(at: 1) ?? "")|\($0.text(at: 2) ?? "")\n" }
        }
        return text
    }

    @Test("migrations apply in order and are recorded in schema_migrations")
    func appliesInOrder() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            // Given out of order: the migrator sorts by version.
            let migrator = try Migrator(migrations: [Self.second, Self.first])
            let applied = try migrator.migrate(connection, now: Self.now)
            #expect(applied.map(\.version) == [1, 2])
            #expect(try migrator.currentVersion(of: connection) == 2)
            let rows = try connection.prepare(
                "SELECT version, name, applied_at FROM schema_migrations ORDER BY version")
            var records: [String] = []
            try rows.forEachRow { records.append("\($0.int64(at: 0)) \($0.text(at: 1) ?? "") \($0.text(at: 2) ?? "")") }
            #expect(records == ["1 first 2026-01-01T00:00:00.000Z", "2 second 2026-01-01T00:00:00.000Z"])
            try connection.execute("INSERT INTO a (v, w) VALUES ('x', 'y')")
        }
    }

    @Test("running the migrator twice is a no-op")
    func idempotent() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            let migrator = try Migrator(migrations: [Self.first, Self.second])
            try migrator.migrate(connection, now: Self.now)
            let before = try Self.snapshot(connection)
            let again = try migrator.migrate(connection, now: { "2027-01-01T00:00:00.000Z" })
            #expect(again.isEmpty)
            #expect(try Self.snapshot(connection) == before)
        }
    }

    @Test("a failing migration leaves the database exactly as before")
    func failureRollsBack() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            try Migrator(migrations: [Self.first, Self.second]).migrate(connection, now: Self.now)
            try connection.execute("INSERT INTO a (v) VALUES ('kept')")
            let before = try Self.snapshot(connection)
            let migrator = try Migrator(migrations: [Self.first, Self.second, Self.broken])
            let error = try #require(throws: MigrationError.self) { try migrator.migrate(connection, now: Self.now) }
            #expect(error.description.contains("migration 3 (broken) failed and was rolled back"))
            #expect(error.description.contains("no such table: nowhere"))
            #expect(try Self.snapshot(connection) == before)
            #expect(try connection.scalarText("SELECT v FROM a") == "kept")
            #expect(try migrator.currentVersion(of: connection) == 2)
        }
    }

    @Test("a failing first migration leaves a new database empty, without schema_migrations")
    func failureOnEmptyDatabase() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            let broken = Migration(
                version: 1, name: "broken", sql: "CREATE TABLE c (id INTEGER); SELECT * FROM nowhere;")
            #expect(throws: MigrationError.self) {
                try Migrator(migrations: [broken]).migrate(connection, now: Self.now)
            }
            #expect(try connection.scalarInt("SELECT count(*) FROM sqlite_master") == 0)
        }
    }

    @Test("a database newer than the binary is refused and left untouched")
    func newerDatabaseRefused() throws {
        try withTemporaryDatabase { (connection: Connection, _: String) throws in
            try Migrator(migrations: [Self.first, Self.second]).migrate(connection, now: Self.now)
            let before = try Self.snapshot(connection)
            let older = try Migrator(migrations: [Self.first])
            let error = try #require(throws: MigrationError.self) { try older.migrate(connection, now: Self.now) }
            #expect(error.isDatabaseNewer)
            #expect(error.description.contains("schema version 2"))
            #expect(error.description.contains("only knows versions up to 1"))
            #expect(try Self.snapshot(connection) == before)
        }
    }

    @Test("file names must be NNNN_name.sql and versions unique")
    func fileNames() throws {
        let migration = try Migration(fileName: "0012_add_things.sql", sql: "")
        #expect(migration.version == 12)
        #expect(migration.name == "add_things")
        #expect(throws: MigrationError.self) { try Migration(fileName: "initial.sql", sql: "") }
        #expect(throws: MigrationError.self) { try Migration(fileName: "x1_initial.sql", sql: "") }
        #expect(throws: MigrationError.self) { try Migrator(migrations: [Self.first, Self.first]) }
    }
}
