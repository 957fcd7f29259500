import Archive
import PostgresArchive
import SyncEngine

extension ProviderHarness {
    /// What `sessionsync status` prints for the harness' archive, read on a connection of its own
    /// (the SQLite file) or the harness' pool (PostgreSQL), as the command reads it beside a daemon.
    public func statusText() async throws -> String {
        let configuration = configuration
        if let postgres = backend as? PostgresArchiveDatabase {
            return try await postgres.withStatusReading { store in
                try await StatusReport.read(
                    store: store, configuration: configuration, database: postgres.location,
                    sharedLease: postgres.leasePeriod
                ).text
            }
        }
        return try await StatusReport.read(
            store: try ArchiveStore(path: databasePath), configuration: configuration, database: databasePath
        ).text
    }
}

extension ProviderHarness {
    /// The archive as `enqueue` and `reset-cursor` write to it: a connection of its own to the
    /// SQLite file (another process's, as the commands are), or the PostgreSQL archive.
    public func operatorRequests() throws -> any OperatorRequests {
        if let postgres = backend as? PostgresArchiveDatabase { return postgres }
        return try ArchiveStore(path: databasePath)
    }
}
