import Archive
import Logging
import PostgresNIO

/// The archive in PostgreSQL, as an ``ArchiveBackend``: the same tables as the SQLite archive
/// (`migrations/postgres/`), written with the SQLite archive's rules, so that the engine and the
/// providers get the same answers and the same ``WriteStats`` from either.
///
/// It works through a `PostgresClient` (a pool) that the caller keeps running for as long as the
/// archive is used (``withPostgresClient(_:logger:isolation:_:)``) and migrated first
/// (``PostgresMigrator``). Each call is one unit of work on one leased connection: a write is one
/// transaction (``withStore(_:transaction:_:)``), so other sources' work goes between them; the
/// pool lets several sources commit at once, where SQLite takes them one after another.
public struct PostgresArchiveDatabase: Sendable {
    public let client: PostgresClient
    public let server: PostgresLocation
    let passwordGiven: Bool
    let logger: Logger
    let caches = PostgresArchiveCaches()
    /// Who this instance is to the other instances sharing the archive (`source_leases.holder`).
    public let holder: String
    /// How long a source stays held without a renewal (each run's heartbeat renews it): another
    /// instance takes the source over once that much time has passed without one.
    public let leasePeriod: Duration

    /// A minute: heartbeats renew a lease a dozen times within it, so a busy server or a slow
    /// commit does not cost an instance its sources, and a dead instance's sources wait at most
    /// two minutes for another.
    public static let defaultLeasePeriod: Duration = .seconds(60)

    /// - Parameters:
    ///   - client: a pool on `server`'s database, running (its `run()` under way) while the archive is used.
    ///   - passwordGiven: whether the client's configuration holds a password (for what a
    ///     refused login means).
    ///   - logger: for postgres-nio's own messages.
    ///   - holder: this instance's name among those sharing the archive (a new one per process by default).
    ///   - leasePeriod: how long a source stays held without a renewal.
    public init(
        client: PostgresClient, server: PostgresLocation, passwordGiven: Bool, logger: Logger,
        holder: String = SourceLeaseHolder.thisProcess, leasePeriod: Duration = defaultLeasePeriod
    ) {
        self.client = client
        self.server = server
        self.passwordGiven = passwordGiven
        self.logger = logger
        self.holder = holder
        self.leasePeriod = leasePeriod
    }

    /// Runs `body` with a store on one leased connection: inside one transaction when
    /// `transaction` (all of it commits, or none), else each statement on its own. A failure says
    /// it happened while the archive tried to do `operation`.
    ///
    /// Every transaction asks for `READ COMMITTED` whatever the server's default, so that each
    /// statement sees what other processes committed before it began, after a lock it waited
    /// for (``openRun(source:provider:pid:isAlive:)``), as the SQLite archive's writer always does.
    func withStore<T: Sendable>(
        _ operation: String, transaction: Bool = true, _ body: (PostgresArchiveStore) async throws -> T
    ) async throws -> T {
        // Whether a connection was leased: an error before that is the pool's, which retries a
        // server it cannot reach for a while and then gives up.
        var leased = false
        do {
            if transaction {
                return try await client.withTransaction(logger: logger) { connection in
                    leased = true
                    let store = PostgresArchiveStore(connection: connection, logger: logger, caches: caches)
                    try await store.run("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                    return try await body(store)
                }
            }
            return try await client.withConnection { connection in
                leased = true
                return try await body(PostgresArchiveStore(connection: connection, logger: logger, caches: caches))
            }
        } catch let error as PostgresTransactionError {
            throw failure(of: error, operation: operation)
        } catch {
            throw leased ? failure(error, operation: operation) : connectionFailure(error)
        }
    }

    /// What failed in a transaction: its body's error (whether or not the rollback worked: a
    /// failed rollback ends with the connection, and the server drops the transaction), or the
    /// `BEGIN` or `COMMIT`.
    private func failure(of error: PostgresTransactionError, operation: String) -> any Error {
        if let closure = error.closureError { return failure(closure, operation: operation) }
        if let begin = error.beginError {
            return PostgresArchiveError(statement: "BEGIN", error: begin).during(operation)
        }
        if let commit = error.commitError {
            return PostgresArchiveError(statement: "COMMIT", error: commit).during(operation)
        }
        return PostgresArchiveError(statement: "BEGIN", message: "the transaction failed", sqlState: nil)
            .during(operation)
    }

    private func failure(_ error: any Error, operation: String) -> any Error {
        switch error {
        case let archive as PostgresArchiveError: archive.during(operation)
        // CancellationError, SourceProviderMismatch and the like, as they are.
        default: error
        }
    }

    /// No connection could be leased: the server is down or refuses the login, and the pool gave
    /// up on it (its own error names neither the server nor why).
    func connectionFailure(_ error: any Error) -> any Error {
        if error is CancellationError { return error }
        if error is PSQLError { return PostgresFailure(error, location: server, passwordGiven: passwordGiven) }
        return PostgresFailure(
            kind: .unreachable,
            message:
                "no connection to PostgreSQL at \(server.endpoint) could be made, and the connection pool gave up "
                + "(\(error)): is the server running, and does it let user \(server.user) into \(server.database)?")
    }
}
