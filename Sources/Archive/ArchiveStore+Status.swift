import SQLiteDB
import SessionSyncSupport

extension ArchiveStore {
    public func rowCounts(sourceID: Int64) throws -> SourceRowCounts {
        let select = try connection.cachedStatement(
            """
            SELECT
                (SELECT count(*) FROM sessions WHERE source_id = ?1),
                (SELECT count(*) FROM sessions WHERE source_id = ?1 AND status = 'live'),
                (SELECT count(*) FROM participants p JOIN sessions s ON s.id = p.session_id WHERE s.source_id = ?1),
                (SELECT count(*) FROM messages m JOIN sessions s ON s.id = m.session_id WHERE s.source_id = ?1),
                (SELECT count(*) FROM page_history h JOIN sessions s ON s.id = h.session_id WHERE s.source_id = ?1),
                (SELECT count(*) FROM timeline t JOIN sessions s ON s.id = t.session_id WHERE s.source_id = ?1),
                (SELECT count(*) FROM transcripts t JOIN sessions s ON s.id = t.session_id WHERE s.source_id = ?1)
            """
        )
        try select.bind(sourceID, at: 1)
        defer { select.reset() }
        var counts = SourceRowCounts()
        if try select.step() {
            counts.sessions = select.int(at: 0)
            counts.liveSessions = select.int(at: 1)
            counts.participants = select.int(at: 2)
            counts.messages = select.int(at: 3)
            counts.pageHistory = select.int(at: 4)
            counts.timeline = select.int(at: 5)
            counts.transcripts = select.int(at: 6)
        }
        return counts
    }

    /// Sessions of the source with `status`, for revisits (e.g. live meetings until they end).
    /// With `notSeenSince`, only sessions no listing has brought since that instant (so a pass
    /// can revisit what its own listing did not cover, without keeping a set of what it saw).
    public func sessions(sourceID: Int64, status: String, limit: Int, notSeenSince: Timestamp? = nil) throws
        -> [ArchivedSession]
    {
        let select = try connection.cachedStatement(
            """
            SELECT \(ArchivedSession.columns) FROM sessions
            WHERE source_id = ?1 AND status = ?2 AND (?4 IS NULL OR last_seen_at < ?4)
            ORDER BY started_at, external_id LIMIT ?3
            """
        )
        try select.bind(sourceID, at: 1)
        try select.bind(status, at: 2)
        try select.bind(Int64(limit), at: 3)
        try select.bind(notSeenSince?.iso8601, at: 4)
        var result: [ArchivedSession] = []
        try select.forEachRow { row in
            result.append(ArchivedSession(row: row))
        }
        return result
    }

    /// One archived session by its provider id.
    public func session(sourceID: Int64, externalID: String) throws -> ArchivedSession? {
        let select = try connection.cachedStatement(
            """
            SELECT \(ArchivedSession.columns) FROM sessions
            WHERE source_id = ? AND external_id = ?
            """
        )
        try select.bind(sourceID, at: 1)
        try select.bind(externalID, at: 2)
        defer { select.reset() }
        guard try select.step() else { return nil }
        return ArchivedSession(row: select)
    }

    /// The archive's schema version (the newest migration applied).
    public func schemaVersion() throws -> Int {
        try ArchiveMigrations.migrator().currentVersion(of: connection)
    }

    /// Rows of `detail_requests` waiting for the source named `sourceName`.
    public func pendingDetailRequests(sourceName: String) throws -> Int {
        Int(
            try connection.scalarInt("SELECT count(*) FROM detail_requests WHERE source_name = ?", .text(sourceName))
                ?? 0)
    }
}

/// The SQLite file answers every read of `status` synchronously; one process writes it at a
/// time (its lock), so no source has a lease.
extension ArchiveStore: StatusReading {
    public func leaseHolders() throws -> [Int64: LeaseHolding] {
        [:]
    }
}
