import Archive
import SessionSyncSupport

/// The fetch queue, ported from ``ArchiveStore``'s (`ArchiveStore+Queue.swift`) statement by
/// statement: SQLite's `IS` and `IS NOT` are `IS NOT DISTINCT FROM` and `IS DISTINCT FROM`, a
/// statement's changes are counted with `RETURNING 1`, and a list of ids is a `text[]` parameter
/// where SQLite reads a JSON array. External ids sort byte by byte (`COLLATE "C"`), as SQLite's
/// `BINARY` collation does, whatever the database's collation.
extension PostgresArchiveStore {
    private static let pending = QueueItemState.pending.sql
    private static let done = QueueItemState.done.sql
    private static let gaveUp = QueueItemState.gaveUp.sql

    /// Requests work; returns 1 when the queue changed.
    func enqueue(_ request: QueueRequest, sourceID: Int64, now: Timestamp) async throws -> Int {
        try await count(
            """
            INSERT INTO fetch_queue (source_id, kind, external_id, version, state, attempts, queued_at, expires_at)
            VALUES ($1, $2, $3, $4::text, \(Self.pending), 0, $5::timestamptz, $6::timestamptz)
            ON CONFLICT (source_id, kind, external_id) DO UPDATE SET
                version = excluded.version,
                state = CASE WHEN fetch_queue.done_version IS NOT DISTINCT FROM excluded.version
                        AND fetch_queue.state = \(Self.done)
                    THEN \(Self.done) ELSE \(Self.pending) END,
                attempts = 0,
                last_error = NULL,
                next_attempt_at = NULL,
                expires_at = excluded.expires_at,
                queued_at = excluded.queued_at
            WHERE fetch_queue.version IS DISTINCT FROM excluded.version
            RETURNING 1
            """,
            parameters(of: request, sourceID: sourceID, now: now))
    }

    /// Records work requested and done at once: a new item is inserted done, an existing one goes
    /// through ``enqueue(_:sourceID:now:)`` and ``complete(_:sourceID:now:)``, so that it ends as
    /// a request and its completion would leave it.
    func fulfill(_ request: QueueRequest, sourceID: Int64, now: Timestamp) async throws -> Int {
        let inserted = try await count(
            """
            INSERT INTO fetch_queue (source_id, kind, external_id, version, done_version, state, attempts,
                queued_at, last_attempt_at, done_at, expires_at)
            VALUES ($1, $2, $3, $4::text, $4::text, \(Self.done), 1, $5::timestamptz, $5::timestamptz, $5::timestamptz,
                $6::timestamptz)
            ON CONFLICT (source_id, kind, external_id) DO NOTHING
            RETURNING 1
            """,
            parameters(of: request, sourceID: sourceID, now: now))
        if inserted == 1 { return 1 }
        let completion = QueueCompletion(
            kind: request.kind, externalID: request.externalID, outcome: .done(version: request.version))
        return try await enqueue(request, sourceID: sourceID, now: now)
            + complete(completion, sourceID: sourceID, now: now)
    }

    /// $1 source, $2 kind, $3 external id, $4 version, $5 now, $6 deadline.
    private func parameters(of request: QueueRequest, sourceID: Int64, now: Timestamp) -> [PostgresParameter] {
        [
            .int(sourceID), .text(request.kind), .text(request.externalID), .text(request.version), .time(now),
            .time(request.expiresAt),
        ]
    }

    /// Records the outcome of a piece of work; returns 1 when the queue changed.
    func complete(_ completion: QueueCompletion, sourceID: Int64, now: Timestamp) async throws -> Int {
        let key: [PostgresParameter] = [.int(sourceID), .text(completion.kind), .text(completion.externalID)]
        switch completion.outcome {
        case .done(let version):
            // If a newer version was requested while we worked, the item stays pending for it.
            return try await count(
                """
                UPDATE fetch_queue SET
                    state = CASE WHEN version IS NOT DISTINCT FROM $4::text THEN \(Self.done) ELSE \(Self.pending) END,
                    done_version = $4::text, done_at = $5::timestamptz, last_attempt_at = $5::timestamptz,
                    last_error = NULL,
                    attempts = CASE WHEN version IS NOT DISTINCT FROM $4::text THEN attempts + 1 ELSE 0 END,
                    next_attempt_at = NULL
                WHERE source_id = $1 AND kind = $2 AND external_id = $3
                RETURNING 1
                """,
                key + [.text(version), .time(now)])
        case .retry(let error, let notBefore, let countsAsAttempt, let maxAttempts):
            return try await count(
                """
                UPDATE fetch_queue SET
                    attempts = attempts + $4::int8,
                    state = CASE WHEN $7::int8 IS NOT NULL AND attempts + $4::int8 >= $7::int8
                        THEN \(Self.gaveUp) ELSE \(Self.pending) END,
                    last_error = coalesce($5::text, last_error), last_attempt_at = $6::timestamptz,
                    next_attempt_at = $8::timestamptz
                WHERE source_id = $1 AND kind = $2 AND external_id = $3 AND state = \(Self.pending)
                RETURNING 1
                """,
                key + [
                    .int(countsAsAttempt ? 1 : 0), .text(StoredErrorText.capped(error)), .time(now),
                    .int(maxAttempts.map { Int64($0) }), .time(notBefore),
                ])
        case .giveUp(let error):
            return try await count(
                """
                UPDATE fetch_queue SET state = \(Self.gaveUp), attempts = attempts + 1, last_error = $4::text,
                    last_attempt_at = $5::timestamptz
                WHERE source_id = $1 AND kind = $2 AND external_id = $3
                RETURNING 1
                """,
                key + [.text(StoredErrorText.capped(error)), .time(now)])
        }
    }

    /// Pending items of `kind` that are due, oldest first, after giving up those past their
    /// deadline (``ArchiveStore/dueQueueItems(sourceID:kind:now:limit:notAttemptedSince:)``).
    func dueQueueItems(sourceID: Int64, kind: String, now: Timestamp, limit: Int, notAttemptedSince: Timestamp?)
        async throws -> [QueueItem]
    {
        try await run(
            """
            UPDATE fetch_queue SET state = \(Self.gaveUp),
                last_error = coalesce(last_error || '; ', '') || 'gave up: past its deadline '
                    || \(PostgresTime.text("expires_at"))
            WHERE source_id = $1 AND kind = $2 AND state = \(Self.pending) AND expires_at IS NOT NULL
                AND expires_at < $3::timestamptz
            """,
            [.int(sourceID), .text(kind), .time(now)])
        return try await rows(
            """
            SELECT kind, external_id, version, done_version, attempts, \(PostgresTime.text("queued_at")) FROM fetch_queue
            WHERE source_id = $1 AND kind = $2 AND state = \(Self.pending)
                AND (next_attempt_at IS NULL OR next_attempt_at <= $3::timestamptz)
                AND ($5::timestamptz IS NULL OR last_attempt_at IS NULL OR last_attempt_at < $5::timestamptz)
            ORDER BY queued_at, external_id COLLATE "C" LIMIT $4
            """,
            [.int(sourceID), .text(kind), .time(now), .int(Int64(limit)), .time(notAttemptedSince)],
            as: (String, String, String?, String?, Int64, String).self
        ).map {
            QueueItem(kind: $0, externalID: $1, version: $2, doneVersion: $3, attempts: Int($4), queuedAt: $5)
        }
    }

    /// The queue items of `kind` for these sessions, by external id (absent when there is none).
    func queueStates(sourceID: Int64, kind: String, externalIDs: [String]) async throws -> [String: QueueState] {
        var states: [String: QueueState] = [:]
        for (id, version, doneVersion, state) in try await rows(
            """
            SELECT external_id, version, done_version, state FROM fetch_queue
            WHERE source_id = $1 AND kind = $2 AND external_id = ANY($3::text[])
            """,
            [.int(sourceID), .text(kind), .texts(externalIDs)], as: (String, String?, String?, String).self)
        {
            states[id] = QueueState(
                version: version, doneVersion: doneVersion, state: QueueItemState(rawValue: state) ?? .pending)
        }
        return states
    }

    /// Moves the rows of `detail_requests` addressed to `sourceName` into the fetch queue as
    /// `kind` items and deletes them from the inbox, inside the caller's transaction; a request
    /// for a tombstoned session is dropped instead. Returns how many.
    func drainDetailRequests(sourceName: String, sourceID: Int64, kind: String, now: Timestamp) async throws -> Int {
        if try await tombstonesActive() {
            let requested = try await column(
                "SELECT external_id FROM detail_requests WHERE source_name = $1", [.text(sourceName)], as: String.self)
            let dropped = try await tombstoned(sourceID: sourceID, externalIDs: requested)
            if !dropped.isEmpty {
                try await run(
                    "DELETE FROM detail_requests WHERE source_name = $1 AND external_id = ANY($2::text[])",
                    [.text(sourceName), .texts(dropped.sorted())])
            }
        }
        try await run(
            """
            INSERT INTO fetch_queue (source_id, kind, external_id, version, state, attempts, queued_at)
            SELECT $1, $2::text, external_id, NULL, \(Self.pending), 0, coalesce(requested_at, $4::timestamptz)
            FROM detail_requests WHERE source_name = $3
            ON CONFLICT (source_id, kind, external_id) DO UPDATE SET
                state = \(Self.pending), attempts = 0, last_error = NULL, next_attempt_at = NULL,
                queued_at = excluded.queued_at
            """,
            [.int(sourceID), .text(kind), .text(sourceName), .time(now)])
        return try await count(
            "DELETE FROM detail_requests WHERE source_name = $1 RETURNING 1", [.text(sourceName)])
    }

    /// Queue items per kind and state for the source.
    func queueCounts(sourceID: Int64) async throws -> [QueueCounts] {
        try await rows(
            """
            SELECT kind,
                count(*) FILTER (WHERE state = \(Self.pending)), count(*) FILTER (WHERE state = \(Self.done)),
                count(*) FILTER (WHERE state = \(Self.gaveUp)),
                (SELECT last_error FROM fetch_queue g WHERE g.source_id = q.source_id AND g.kind = q.kind
                    AND g.state = \(Self.gaveUp) ORDER BY last_attempt_at DESC NULLS LAST LIMIT 1),
                (SELECT last_error FROM fetch_queue p WHERE p.source_id = q.source_id AND p.kind = q.kind
                    AND p.state = \(Self.pending) AND p.last_error IS NOT NULL
                    ORDER BY last_attempt_at DESC NULLS LAST LIMIT 1)
            FROM fetch_queue q WHERE source_id = $1 GROUP BY source_id, kind ORDER BY kind COLLATE "C"
            """,
            [.int(sourceID)], as: (String, Int64, Int64, Int64, String?, String?).self
        ).map { kind, pending, done, gaveUp, lastGiveUpError, lastPendingError in
            var counts = QueueCounts(kind: kind)
            counts.pending = Int(pending)
            counts.done = Int(done)
            counts.gaveUp = Int(gaveUp)
            counts.lastGiveUpError = lastGiveUpError
            counts.lastPendingError = lastPendingError
            return counts
        }
    }
}
