import SQLiteDB
import SessionSyncSupport

/// One archived session, as removal needs it.
struct SessionReference {
    let id: Int64
    let sourceID: Int64
    let externalID: String
}

extension ArchiveStore {
    /// Whether the session is tombstoned (erased, or past its source's retention).
    public func isTombstoned(sourceID: Int64, externalID: String) throws -> Bool {
        try tombstones.isActive(on: connection)
            && tombstones.contains(sourceID: sourceID, externalID: externalID, on: connection)
    }

    /// Those of `externalIDs` that are tombstoned in the source: work a provider need not do, since
    /// the writer would not keep its result. Without tombstones, one read answers.
    public func tombstoned(sourceID: Int64, externalIDs: [String]) throws -> Set<String> {
        guard try tombstones.isActive(on: connection) else { return [] }
        var found: Set<String> = []
        for id in externalIDs {
            if try tombstones.contains(sourceID: sourceID, externalID: id, on: connection) { found.insert(id) }
        }
        return found
    }

    /// How many sessions of the source are tombstoned, per reason.
    public func tombstoneCounts(sourceID: Int64) throws -> [TombstoneReason: Int] {
        let select = try connection.cachedStatement(
            "SELECT reason, count(*) FROM tombstones WHERE source_id = ? GROUP BY reason")
        try select.bind(sourceID, at: 1)
        var counts: [TombstoneReason: Int] = [:]
        try select.forEachRow { row in
            if let reason = row.text(at: 0).flatMap(TombstoneReason.init(rawValue:)) { counts[reason] = row.int(at: 1) }
        }
        return counts
    }

    /// Deletes `sessions` with every row that belongs to them (their child tables, their fetch
    /// queue items and detail requests) and tombstones each one, inside the caller's transaction.
    /// Adds the rows deleted to `counts`; returns how many tombstones it added.
    @discardableResult
    func removeSessions(_ sessions: [SessionReference], reason: TombstoneReason, now: String, counts: inout TableCounts)
        throws -> Int
    {
        guard !sessions.isEmpty else { return 0 }
        counts.add("sessions", 0)  // listed first; counted once they are deleted, last
        let ids = JSONOutput.array(sessions.map { .int($0.id) }).text
        for table in SessionTables.children {
            let delete = try connection.cachedStatement(
                "DELETE FROM \(table) WHERE session_id IN (SELECT value FROM json_each(?))")
            try delete.bind(ids, at: 1)
            try delete.run()
            counts.add(table, connection.changes)
        }
        for (sourceID, group) in Dictionary(grouping: sessions, by: \.sourceID).sorted(by: { $0.key < $1.key }) {
            let externalIDs = JSONOutput.array(group.map { .string($0.externalID) }).text
            // The source's queue kinds, read over the primary key's prefix (a loose index scan), so
            // that the delete looks each (kind, id) up instead of scanning the source's queue.
            let queue = try connection.cachedStatement(
                """
                DELETE FROM fetch_queue WHERE source_id = ?1
                    AND kind IN (
                        WITH RECURSIVE kinds (kind) AS (
                            SELECT min(kind) FROM fetch_queue WHERE source_id = ?1
                            UNION ALL
                            SELECT (SELECT min(kind) FROM fetch_queue WHERE source_id = ?1 AND kind > kinds.kind)
                            FROM kinds WHERE kinds.kind IS NOT NULL
                        )
                        SELECT kind FROM kinds WHERE kind IS NOT NULL
                    )
                    AND external_id IN (SELECT value FROM json_each(?2))
                """
            )
            try queue.bind(sourceID, at: 1)
            try queue.bind(externalIDs, at: 2)
            try queue.run()
            counts.add("fetch_queue", connection.changes)
            let requests = try connection.cachedStatement(
                """
                DELETE FROM detail_requests WHERE source_name = (SELECT name FROM sources WHERE id = ?1)
                    AND external_id IN (SELECT value FROM json_each(?2))
                """
            )
            try requests.bind(sourceID, at: 1)
            try requests.bind(externalIDs, at: 2)
            try requests.run()
            counts.add("detail_requests", connection.changes)
        }
        guard let key = try TombstoneFilter.key(on: connection, create: true) else {
            throw SQLiteError(code: .error, message: "the archive's tombstone key could not be made", sql: nil)
        }
        let digest = TombstoneDigest(key: key)
        let tombstone = try connection.cachedStatement(
            """
            INSERT INTO tombstones (source_id, digest, reason, created_at) VALUES (?, ?, ?, ?)
            ON CONFLICT (source_id, digest) DO NOTHING
            """
        )
        var tombstoned = 0
        for session in sessions {
            try tombstone.bind(session.sourceID, at: 1)
            try tombstone.bind(digest.digest(sourceID: session.sourceID, externalID: session.externalID), at: 2)
            try tombstone.bind(reason.rawValue, at: 3)
            try tombstone.bind(now, at: 4)
            try tombstone.run()
            tombstoned += connection.changes
        }
        let delete = try connection.cachedStatement("DELETE FROM sessions WHERE id IN (SELECT value FROM json_each(?))")
        try delete.bind(ids, at: 1)
        try delete.run()
        counts.add("sessions", connection.changes)
        return tombstoned
    }

    /// Reads sessions selected by `sql`, whose columns are id, source_id, external_id.
    func sessionReferences(_ statement: Statement) throws -> [SessionReference] {
        var found: [SessionReference] = []
        try statement.forEachRow { row in
            found.append(
                SessionReference(id: row.int64(at: 0), sourceID: row.int64(at: 1), externalID: row.text(at: 2) ?? ""))
        }
        return found
    }
}
