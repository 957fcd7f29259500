import SessionSyncSupport

/// The small writes an operator makes beside a running daemon: `enqueue` (ids for an isnotai
/// source's next pass) and `reset-cursor`. The SQLite store and the PostgreSQL archive each
/// answer them, so the commands work on either.
public protocol OperatorRequests {
    func source(named name: String) async throws -> SourceRow?
    /// Those of `externalIDs` erased or past retention in the source: never fetched again.
    func tombstoned(sourceID: Int64, externalIDs: [String]) async throws -> Set<String>
    /// Adds the ids to `detail_requests` for the source's next pass; returns how many.
    func requestDetails(sourceName: String, externalIDs: [String], now: Timestamp) async throws -> Int
    /// Forgets the source's cursor named `stream` (all of them, for nil); returns how many.
    func resetCursors(sourceID: Int64, stream: String?) async throws -> Int
}

extension ArchiveStore: OperatorRequests {}
