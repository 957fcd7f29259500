import Logging
import PostgresNIO

/// Brings a PostgreSQL archive's schema up to date from an ordered list of ``PostgresMigration``s,
/// with the SQLite `Migrator`'s rules.
///
/// Each pending migration runs in its own transaction together with its row in
/// `schema_migrations` (version, name, applied_at), so a failing migration leaves the database
/// exactly as it was. A database whose version is above the newest known migration is refused
/// rather than touched. Any number of processes may migrate one database at once: each
/// transaction first takes a transaction-scoped advisory lock (``advisoryLockKey``), then reads
/// the version again, so exactly one of them applies each migration and the others find it done.
public struct PostgresMigrator: Sendable {
    /// The advisory lock every migration transaction holds: "sessions" in ASCII. Advisory locks
    /// are per database, so archives on one server do not wait for each other. While a
    /// migration runs, `pg_locks` shows it (`locktype = 'advisory'`, `objid` = the low 32 bits).
    public static let advisoryLockKey: Int64 = 0x7365_7373_696F_6E73

    public let migrations: [PostgresMigration]

    public init(migrations: [PostgresMigration]) throws(PostgresMigrationError) {
        let sorted = migrations.sorted { $0.version < $1.version }
        for (previous, next) in zip(sorted, sorted.dropFirst()) where previous.version == next.version {
            throw PostgresMigrationError.duplicateVersion(next.version)
        }
        self.migrations = sorted
    }

    /// The newest version this binary knows.
    public var latestVersion: Int {
        migrations.last?.version ?? 0
    }

    /// The version recorded in `schema_migrations`, 0 for a database never migrated.
    public func currentVersion(of connection: PostgresConnection, logger: Logger) async throws -> Int {
        let exists = try await connection.query(
            "SELECT to_regclass('schema_migrations') IS NOT NULL", logger: logger
        ).decode(Bool.self)
        for try await found in exists where !found { return 0 }
        return try await recordedVersion(of: connection, logger: logger)
    }

    /// Applies every pending migration on one of `client`'s connections and returns the ones
    /// applied (empty when the database was up to date).
    @discardableResult
    public func migrate(_ client: PostgresClient, logger: Logger) async throws -> [PostgresMigration] {
        try await client.withConnection { connection in
            try await migrate(connection, logger: logger)
        }
    }

    /// Applies every pending migration on `connection` and returns the ones applied. Every
    /// failure is a ``PostgresMigrationError`` that says how far it got.
    @discardableResult
    public func migrate(_ connection: PostgresConnection, logger: Logger) async throws(PostgresMigrationError)
        -> [PostgresMigration]
    {
        var applied: [PostgresMigration] = []
        var reached = 0
        do {
            reached = try await currentVersion(of: connection, logger: logger)
            try refuseNewer(reached)
            for migration in migrations where migration.version > reached {
                if try await apply(migration, on: connection, logger: logger) { applied.append(migration) }
                reached = migration.version
            }
            return applied
        } catch let error as PostgresMigrationError {
            throw error
        } catch {
            throw PostgresMigrationError.interrupted(
                atVersion: reached, message: PostgresFailure.serverText(of: error))
        }
    }

    /// Runs `migration` in a transaction of its own unless the database already has it; true
    /// when it ran.
    private func apply(_ migration: PostgresMigration, on connection: PostgresConnection, logger: Logger)
        async throws -> Bool
    {
        // READ COMMITTED whatever the server's default: each statement after the lock must see
        // what a migrator that held the lock before committed.
        try await connection.query("BEGIN ISOLATION LEVEL READ COMMITTED", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))", logger: logger)
            try await connection.query(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    bigint PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at timestamptz NOT NULL
                )
                """,
                logger: logger
            )
            let current = try await recordedVersion(of: connection, logger: logger)
            try refuseNewer(current)
            guard current < migration.version else {
                try await connection.query("COMMIT", logger: logger)
                return false
            }
            for (index, statement) in migration.statements.enumerated() {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                } catch {
                    throw PostgresMigrationError.failed(
                        migration, statement: index + 1, message: PostgresFailure.serverText(of: error))
                }
            }
            try await connection.query(
                """
                INSERT INTO schema_migrations (version, name, applied_at)
                VALUES (\(migration.version), \(migration.name), now())
                """,
                logger: logger
            )
            try await connection.query("COMMIT", logger: logger)
            return true
        } catch {
            // A broken connection cannot roll back, and needs not: the server drops the
            // transaction with the connection.
            _ = try? await connection.query("ROLLBACK", logger: logger)
            throw error
        }
    }

    private func recordedVersion(of connection: PostgresConnection, logger: Logger) async throws -> Int {
        let rows = try await connection.query(
            "SELECT coalesce(max(version), 0) FROM schema_migrations", logger: logger
        ).decode(Int.self)
        for try await version in rows { return version }
        return 0
    }

    private func refuseNewer(_ current: Int) throws(PostgresMigrationError) {
        guard current <= latestVersion else {
            throw PostgresMigrationError.databaseNewer(database: current, binary: latestVersion)
        }
    }
}
