import SQLiteDB
import SessionSyncSupport

extension ArchiveStore {
    /// How many sessions the source has archived.
    public func sessionCount(sourceID: Int64) throws -> Int {
        let count = try connection.cachedStatement("SELECT count(*) FROM sessions WHERE source_id = ?")
        try count.bind(sourceID, at: 1)
        defer { count.reset() }
        _ = try count.step()
        return count.int(at: 0)
    }

    /// Maps up to `limit` of the source's sessions after session id `afterSessionID` again from
    /// their stored payloads with `remap`, and writes what differs, in one transaction: reading
    /// and writing under the same lock, a pass committing meanwhile cannot be overwritten with
    /// values derived from the payload it replaced.
    public func renormalize(
        sourceID: Int64, afterSessionID: Int64, limit: Int, now: Timestamp,
        remap: (StoredSession) -> RemappedSession
    ) throws -> RenormalizeChunk {
        let nowText = now.iso8601
        return try connection.transaction(.immediate) {
            var chunk = RenormalizeChunk()
            for (sessionID, stored) in try storedSessions(sourceID: sourceID, after: afterSessionID, limit: limit) {
                chunk.lastSessionID = sessionID
                chunk.sessionsRead += 1
                let remapped = remap(stored)
                chunk.drift += remapped.drift
                if let failure = remapped.failure {
                    chunk.failures.append((stored.externalID, failure))
                }
                guard let record = remapped.record else { continue }
                precondition(
                    record.externalID == stored.externalID, "remapped \(stored.externalID) as \(record.externalID)")
                let rows = try renormalizeWriter.write(
                    record, sessionID: sessionID, now: nowText, connection: connection)
                if rows > 0 {
                    chunk.sessionsChanged += 1
                    chunk.rowsWritten += rows
                }
            }
            return chunk
        }
    }

    private func storedSessions(sourceID: Int64, after: Int64, limit: Int) throws -> [(Int64, StoredSession)] {
        let sessions = try connection.cachedStatement(
            """
            SELECT id, external_id, kind, status, raw, detail_raw FROM sessions
            WHERE source_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3
            """
        )
        try sessions.bind(sourceID, at: 1)
        try sessions.bind(after, at: 2)
        try sessions.bind(Int64(limit), at: 3)
        var rows: [(id: Int64, externalID: String, kind: String?, status: String?, raw: String, detailRaw: String?)] =
            []
        try sessions.forEachRow { row in
            rows.append(
                (
                    row.int64(at: 0), row.text(at: 1) ?? "", row.text(at: 2), row.text(at: 3), row.text(at: 4) ?? "{}",
                    row.text(at: 5)
                ))
        }
        return try rows.map { row in
            let stored = StoredSession(
                externalID: row.externalID, kind: row.kind.flatMap(SessionKind.init(rawValue:)), status: row.status,
                raw: row.raw, detailRaw: row.detailRaw,
                participantRaws: try raws(
                    of: row.id, in: "SELECT raw FROM participants WHERE session_id = ? ORDER BY id"),
                messageRaws: try raws(of: row.id, in: "SELECT raw FROM messages WHERE session_id = ? ORDER BY id")
            )
            return (row.id, stored)
        }
    }

    private func raws(of sessionID: Int64, in sql: String) throws -> [String] {
        let select = try connection.cachedStatement(sql)
        try select.bind(sessionID, at: 1)
        var raws: [String] = []
        try select.forEachRow { row in raws.append(row.text(at: 0) ?? "") }
        return raws
    }

    /// The source's quarantined records, oldest first.
    public func quarantinedRecords(sourceID: Int64) throws -> [QuarantineEntry] {
        let select = try connection.cachedStatement(
            "SELECT id, endpoint, external_id, raw FROM quarantine WHERE source_id = ? ORDER BY id")
        try select.bind(sourceID, at: 1)
        var entries: [QuarantineEntry] = []
        try select.forEachRow { row in
            entries.append(
                QuarantineEntry(
                    id: row.int64(at: 0), endpoint: row.text(at: 1) ?? "", externalID: row.text(at: 2),
                    raw: row.text(at: 3) ?? ""))
        }
        return entries
    }

    /// Deletes quarantined records that a batch archived.
    func release(quarantined ids: [Int64], sourceID: Int64) throws -> Int {
        let delete = try connection.cachedStatement("DELETE FROM quarantine WHERE id = ? AND source_id = ?")
        var deleted = 0
        for id in ids {
            try delete.bind(id, at: 1)
            try delete.bind(sourceID, at: 2)
            try delete.run()
            deleted += connection.changes
        }
        return deleted
    }
}
