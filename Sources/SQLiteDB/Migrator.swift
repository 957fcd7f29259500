/// Brings a database's schema up to date from an ordered list of ``Migration``s.
///
/// Each pending migration runs in its own `BEGIN IMMEDIATE` transaction together with its row in
/// `schema_migrations`, so a failing migration leaves the database exactly as it was, and two
/// processes migrating at once apply each migration once. A database whose version is above the
/// newest known migration is refused rather than touched.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) throws(MigrationError) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw MigrationError.duplicateVersion(next.version)
        }
        self.migrations = sorted
    }

    /// The newest version this binary knows.
    public var latestVersion: Int {
        migrations.last?.version ?? 0
    }

    /// The version recorded in `schema_migrations`, 0 for a database never migrated.
    public func currentVersion(of connection: Connection) throws(SQLiteError) -> Int {
        let exists = try connection.scalarInt(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
        )
        guard exists == 1 else { return 0 }
        return Int(try connection.scalarInt("SELECT coalesce(max(version), 0) FROM schema_migrations") ?? 0)
    }

    /// Migrations not yet applied to `connection`'s database.
    public func pendingMigrations(of connection: Connection) throws -> [Migration] {
        let current = try currentVersion(of: connection)
        guard current <= latestVersion else {
            throw MigrationError.databaseNewer(database: current, binary: latestVersion)
        }
        return migrations.filter { $0.version > current }
    }

    /// Applies every pending migration and returns the ones applied (empty when up to date).
    @discardableResult
    public func migrate(_ connection: Connection, now: () -> String) throws -> [Migration] {
        var applied: [Migration] = []
        for migration in try pendingMigrations(of: connection) {
            try connection.transaction(.immediate) {
                // Another process may have applied it while we waited for the write lock.
                guard try currentVersion(of: connection) < migration.version else { return }
                try apply(migration, to: connection, appliedAt: now())
                applied.append(migration)
            }
        }
        return applied
    }

    private func apply(_ migration: Migration, to connection: Connection, appliedAt: String) throws {
        do {
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER PRIMARY KEY,
                    name       TEXT NOT NULL,
                    applied_at TEXT NOT NULL
                )
                """
            )
            try connection.execute(migration.sql)
            let record = try connection.prepare(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"
            )
            try record.bind([.integer(Int64(migration.version)), .text(migration.name), .text(appliedAt)])
            try record.run()
        } catch {
            throw MigrationError.failed(migration, message: error.description)
        }
        let violations = try connection.prepare("PRAGMA foreign_key_check")
        var count = 0
        while try violations.step() { count += 1 }
        if count > 0 {
            throw MigrationError.foreignKeyViolations(migration, count: count)
        }
    }
}
