import SQLiteDB
import SessionSyncSupport

extension ArchiveStore {
    /// Requests work; returns 1 when the queue changed.
    func enqueue(_ request: QueueRequest, sourceID: Int64, now: String) throws -> Int {
        let upsert = try connection.cachedStatement(
            """
            INSERT INTO fetch_queue (source_id, kind, external_id, version, state, attempts, queued_at, expires_at)
            VALUES (?1, ?2, ?3, ?4, \(QueueItemState.pending.sql), 0, ?5, ?6)
            ON CONFLICT (source_id, kind, external_id) DO UPDATE SET
                version = excluded.version,
                state = CASE WHEN fetch_queue.done_version IS excluded.version AND fetch_queue.state = \(QueueItemState.done.sql)
                    THEN \(QueueItemState.done.sql) ELSE \(QueueItemState.pending.sql) END,
                attempts = 0,
                last_error = NULL,
                next_attempt_at = NULL,
                expires_at = excluded.expires_at,
                queued_at = excluded.queued_at
            WHERE fetch_queue.version IS NOT excluded.version
            """
        )
        try run(upsert, request, sourceID: sourceID, now: now)
        return connection.changes
    }

    /// Records work requested and done at once. A new item is inserted done, in one statement;
    /// an existing one goes through ``enqueue(_:sourceID:now:)`` and ``complete(_:sourceID:now:)``
    /// so that it ends exactly as a request and its completion would leave it.
    func fulfill(_ request: QueueRequest, sourceID: Int64, now: Timestamp) throws -> Int {
        let nowText = now.iso8601
        let insert = try connection.cachedStatement(
            """
            INSERT INTO fetch_queue (source_id, kind, external_id, version, done_version, state, attempts,
                queued_at, last_attempt_at, done_at, expires_at)
            VALUES (?1, ?2, ?3, ?4, ?4, \(QueueItemState.done.sql), 1, ?5, ?5, ?5, ?6)
            ON CONFLICT (source_id, kind, external_id) DO NOTHING
            """
        )
        try run(insert, request, sourceID: sourceID, now: nowText)
        if connection.changes == 1 { return 1 }
        let completion = QueueCompletion(
            kind: request.kind, externalID: request.externalID, outcome: .done(version: request.version))
        return try enqueue(request, sourceID: sourceID, now: nowText)
            + complete(completion, sourceID: sourceID, now: now)
    }

    /// Runs an insert of `request` whose parameters are ?1 source, ?2 kind, ?3 external id,
    /// ?4 version, ?5 now, ?6 deadline.
    private func run(_ statement: Statement, _ request: QueueRequest, sourceID: Int64, now: String) throws {
        try statement.bind(sourceID, at: 1)
        try statement.bind(request.kind, at: 2)
        try statement.bind(request.externalID, at: 3)
        try statement.bind(request.version, at: 4)
        try statement.bind(now, at: 5)
        try statement.bind(request.expiresAt?.iso8601, at: 6)
        try statement.run()
    }

    /// Parameters: ?1 source, ?2 kind, ?3 now, ?4 limit, ?5 not attempted since. `state = 'pending'`
    /// lets SQLite use the partial index `fetch_queue_pending_due`.
    static let dueItemsSQL = """
        SELECT kind, external_id, version, done_version, attempts, queued_at FROM fetch_queue
        WHERE source_id = ?1 AND kind = ?2 AND state = \(QueueItemState.pending.sql) AND (next_attempt_at IS NULL OR next_attempt_at <= ?3)
            AND (?5 IS NULL OR last_attempt_at IS NULL OR last_attempt_at < ?5)
        ORDER BY queued_at, external_id LIMIT ?4
        """

    /// Pending items of `kind` that are due, oldest first. Items past their deadline are given up first.
    /// With `notAttemptedSince`, items tried at or after that instant (in the current pass) are left out,
    /// so a pass can work through the queue in chunks without meeting an item twice.
    public func dueQueueItems(
        sourceID: Int64, kind: String, now: Timestamp, limit: Int, notAttemptedSince: Timestamp? = nil
    ) throws -> [QueueItem] {
        let nowText = now.iso8601
        // One statement commits on its own; an explicit transaction would add nothing.
        let expire = try connection.cachedStatement(
            """
            UPDATE fetch_queue SET state = \(QueueItemState.gaveUp.sql),
                last_error = coalesce(last_error || '; ', '') || 'gave up: past its deadline ' || expires_at
            WHERE source_id = ? AND kind = ? AND state = \(QueueItemState.pending.sql) AND expires_at IS NOT NULL AND expires_at < ?
            """
        )
        try expire.bind(sourceID, at: 1)
        try expire.bind(kind, at: 2)
        try expire.bind(nowText, at: 3)
        try expire.run()
        let select = try connection.cachedStatement(Self.dueItemsSQL)
        try select.bind(sourceID, at: 1)
        try select.bind(kind, at: 2)
        try select.bind(nowText, at: 3)
        try select.bind(Int64(limit), at: 4)
        try select.bind(notAttemptedSince?.iso8601, at: 5)
        var items: [QueueItem] = []
        try select.forEachRow { row in
            items.append(
                QueueItem(
                    kind: row.text(at: 0) ?? kind, externalID: row.text(at: 1) ?? "", version: row.text(at: 2),
                    doneVersion: row.text(at: 3), attempts: row.int(at: 4), queuedAt: row.text(at: 5) ?? ""
                )
            )
        }
        return items
    }

    /// The queue items of `kind` for these sessions, by external id (absent when there is none).
    public func queueStates(sourceID: Int64, kind: String, externalIDs: [String]) throws -> [String: QueueState] {
        let select = try connection.cachedStatement(
            """
            SELECT external_id, version, done_version, state FROM fetch_queue
            WHERE source_id = ?1 AND kind = ?2 AND external_id IN (SELECT value FROM json_each(?3))
            """
        )
        try select.bind(sourceID, at: 1)
        try select.bind(kind, at: 2)
        try select.bind(JSONOutput.array(externalIDs.map(JSONOutput.string)).text, at: 3)
        var states: [String: QueueState] = [:]
        try select.forEachRow { row in
            states[row.text(at: 0) ?? ""] = QueueState(
                version: row.text(at: 1), doneVersion: row.text(at: 2),
                state: row.text(at: 3).flatMap(QueueItemState.init(rawValue:)) ?? .pending
            )
        }
        return states
    }

    /// Records the outcome of a piece of work; returns 1 when the queue changed.
    func complete(_ completion: QueueCompletion, sourceID: Int64, now: Timestamp) throws -> Int {
        let statement: Statement
        switch completion.outcome {
        case .done(let version):
            // If a newer version was requested while we worked, the item stays pending for it.
            statement = try connection.cachedStatement(
                """
                UPDATE fetch_queue SET
                    state = CASE WHEN version IS ?4 THEN \(QueueItemState.done.sql) ELSE \(QueueItemState.pending.sql) END,
                    done_version = ?4, done_at = ?5, last_attempt_at = ?5, last_error = NULL,
                    attempts = CASE WHEN version IS ?4 THEN attempts + 1 ELSE 0 END, next_attempt_at = NULL
                WHERE source_id = ?1 AND kind = ?2 AND external_id = ?3
                """
            )
            try statement.bind(version, at: 4)
            try statement.bind(now.iso8601, at: 5)
        case .retry(let error, let notBefore, let countsAsAttempt, let maxAttempts):
            statement = try connection.cachedStatement(
                """
                UPDATE fetch_queue SET
                    attempts = attempts + ?4,
                    state = CASE WHEN ?7 IS NOT NULL AND attempts + ?4 >= ?7 THEN \(QueueItemState.gaveUp.sql) ELSE \(QueueItemState.pending.sql) END,
                    last_error = coalesce(?5, last_error), last_attempt_at = ?6, next_attempt_at = ?8
                WHERE source_id = ?1 AND kind = ?2 AND external_id = ?3 AND state = \(QueueItemState.pending.sql)
                """
            )
            try statement.bind(Int64(countsAsAttempt ? 1 : 0), at: 4)
            try statement.bind(StoredErrorText.capped(error), at: 5)
            try statement.bind(now.iso8601, at: 6)
            try statement.bind(maxAttempts.map { Int64($0) }, at: 7)
            try statement.bind(notBefore?.iso8601, at: 8)
        case .giveUp(let error):
            statement = try connection.cachedStatement(
                """
                UPDATE fetch_queue SET state = \(QueueItemState.gaveUp.sql), attempts = attempts + 1, last_error = ?4, last_attempt_at = ?5
                WHERE source_id = ?1 AND kind = ?2 AND external_id = ?3
                """
            )
            try statement.bind(StoredErrorText.capped(error), at: 4)
            try statement.bind(now.iso8601, at: 5)
        }
        try statement.bind(sourceID, at: 1)
        try statement.bind(completion.kind, at: 2)
        try statement.bind(completion.externalID, at: 3)
        try statement.run()
        return connection.changes
    }

    /// Moves the rows of `detail_requests` addressed to `sourceName` into the fetch queue as
    /// `kind` items, deleting them from the inbox in the same transaction. Returns how many.
    /// A request for a tombstoned session (erased, or past retention) is dropped instead.
    public func drainDetailRequests(sourceName: String, sourceID: Int64, kind: String, now: Timestamp) throws -> Int {
        try connection.transaction(.immediate) {
            if try tombstones.isActive(on: connection) {
                try dropTombstonedRequests(sourceName: sourceName, sourceID: sourceID)
            }
            let move = try connection.cachedStatement(
                """
                INSERT INTO fetch_queue (source_id, kind, external_id, version, state, attempts, queued_at)
                SELECT ?1, ?2, external_id, NULL, \(QueueItemState.pending.sql), 0, coalesce(requested_at, ?4)
                FROM detail_requests WHERE source_name = ?3
                ON CONFLICT (source_id, kind, external_id) DO UPDATE SET
                    state = \(QueueItemState.pending.sql), attempts = 0, last_error = NULL, next_attempt_at = NULL, queued_at = excluded.queued_at
                """
            )
            try move.bind(sourceID, at: 1)
            try move.bind(kind, at: 2)
            try move.bind(sourceName, at: 3)
            try move.bind(now.iso8601, at: 4)
            try move.run()
            let delete = try connection.cachedStatement("DELETE FROM detail_requests WHERE source_name = ?")
            try delete.bind(sourceName, at: 1)
            try delete.run()
            return connection.changes
        }
    }

    private func dropTombstonedRequests(sourceName: String, sourceID: Int64) throws {
        let select = try connection.cachedStatement("SELECT external_id FROM detail_requests WHERE source_name = ?")
        try select.bind(sourceName, at: 1)
        var requested: [String] = []
        try select.forEachRow { row in requested.append(row.text(at: 0) ?? "") }
        let delete = try connection.cachedStatement(
            "DELETE FROM detail_requests WHERE source_name = ? AND external_id = ?")
        for id in requested {
            guard try tombstones.contains(sourceID: sourceID, externalID: id, on: connection) else { continue }
            try delete.bind(sourceName, at: 1)
            try delete.bind(id, at: 2)
            try delete.run()
        }
    }

    /// Adds ids to `detail_requests` (what `sessionsync enqueue` does).
    public func requestDetails(sourceName: String, externalIDs: [String], now: Timestamp) throws -> Int {
        try connection.transaction(.immediate) {
            let insert = try connection.cachedStatement(
                """
                INSERT INTO detail_requests (source_name, external_id, requested_at) VALUES (?, ?, ?)
                ON CONFLICT (source_name, external_id) DO UPDATE SET requested_at = excluded.requested_at
                """
            )
            for id in externalIDs {
                try insert.bind(sourceName, at: 1)
                try insert.bind(id, at: 2)
                try insert.bind(now.iso8601, at: 3)
                try insert.run()
            }
            return externalIDs.count
        }
    }

    /// Queue items per kind and state for the source.
    public func queueCounts(sourceID: Int64) throws -> [QueueCounts] {
        let select = try connection.cachedStatement(
            """
            SELECT kind,
                sum(state = \(QueueItemState.pending.sql)), sum(state = \(QueueItemState.done.sql)), sum(state = \(QueueItemState.gaveUp.sql)),
                (SELECT last_error FROM fetch_queue g WHERE g.source_id = q.source_id AND g.kind = q.kind
                    AND g.state = \(QueueItemState.gaveUp.sql) ORDER BY last_attempt_at DESC LIMIT 1),
                (SELECT last_error FROM fetch_queue p WHERE p.source_id = q.source_id AND p.kind = q.kind
                    AND p.state = \(QueueItemState.pending.sql) AND p.last_error IS NOT NULL ORDER BY last_attempt_at DESC LIMIT 1)
            FROM fetch_queue q WHERE source_id = ? GROUP BY kind ORDER BY kind
            """
        )
        try select.bind(sourceID, at: 1)
        var result: [QueueCounts] = []
        try select.forEachRow { row in
            var counts = QueueCounts(kind: row.text(at: 0) ?? "")
            counts.pending = row.int(at: 1)
            counts.done = row.int(at: 2)
            counts.gaveUp = row.int(at: 3)
            counts.lastGiveUpError = row.text(at: 4)
            counts.lastPendingError = row.text(at: 5)
            result.append(counts)
        }
        return result
    }
}
