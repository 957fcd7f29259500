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

    /// Requests work, a statement per ``rounds(of:)``; returns how many items changed (at most 1
    /// per request, as a statement per request counts them).
    func enqueue(_ requests: [QueueRequest], sourceID: Int64, now: Timestamp) async throws -> Int {
        var changed = 0
        for round in Self.rounds(of: requests) {
            changed += try await count(
                """
                INSERT INTO fetch_queue (source_id, kind, external_id, version, state, attempts, queued_at, expires_at)
                SELECT $1, r.kind, r.external_id, r.version, \(Self.pending), 0, $2::timestamptz, r.expires_at::timestamptz
                FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS r(kind, external_id, version, expires_at)
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
                [.int(sourceID), .time(now)] + Self.columns(of: round))
        }
        return changed
    }

    /// Records work requested and done at once: a new item is inserted done, an existing one goes
    /// through ``enqueue(_:sourceID:now:)`` and ``complete(_:sourceID:now:)``, so that it ends as
    /// a request and its completion would leave it. Returns how many items changed, as a
    /// statement per request counts them.
    func fulfill(_ requests: [QueueRequest], sourceID: Int64, now: Timestamp) async throws -> Int {
        var changed = 0
        for round in Self.rounds(of: requests) {
            let inserted = try await rows(
                """
                INSERT INTO fetch_queue (source_id, kind, external_id, version, done_version, state, attempts,
                    queued_at, last_attempt_at, done_at, expires_at)
                SELECT $1, r.kind, r.external_id, r.version, r.version, \(Self.done), 1,
                    $2::timestamptz, $2::timestamptz, $2::timestamptz, r.expires_at::timestamptz
                FROM unnest($3::text[], $4::text[], $5::text[], $6::text[]) AS r(kind, external_id, version, expires_at)
                ON CONFLICT (source_id, kind, external_id) DO NOTHING
                RETURNING kind, external_id
                """,
                [.int(sourceID), .time(now)] + Self.columns(of: round), as: (String, String).self)
            changed += inserted.count
            // The keys of one round are distinct, so the rest are each stored once already.
            let insertedKeys = Set(inserted.map { QueueKey(kind: $0, externalID: $1) })
            let existing = round.filter { !insertedKeys.contains(QueueKey($0)) }
            guard !existing.isEmpty else { continue }
            changed += try await enqueue(existing, sourceID: sourceID, now: now)
            changed += try await complete(
                existing.map {
                    QueueCompletion(kind: $0.kind, externalID: $0.externalID, outcome: .done(version: $0.version))
                }, sourceID: sourceID, now: now)
        }
        return changed
    }

    /// $3 kinds, $4 external ids, $5 versions, $6 deadlines: the requests' columns, to unnest.
    private static func columns(of requests: [QueueRequest]) -> [PostgresParameter] {
        [
            .texts(requests.map(\.kind)), .texts(requests.map(\.externalID)), .nullableTexts(requests.map(\.version)),
            .times(requests.map(\.expiresAt)),
        ]
    }

    /// Records the outcomes of pieces of work, a statement per kind of outcome and
    /// ``rounds(of:)``; returns how many items changed (at most 1 per completion).
    func complete(_ completions: [QueueCompletion], sourceID: Int64, now: Timestamp) async throws -> Int {
        var changed = 0
        for round in Self.rounds(of: completions) {
            var done: [(QueueCompletion, version: String?)] = []
            var retries:
                [(QueueCompletion, error: String?, notBefore: Timestamp?, attempt: Int64, maxAttempts: Int64?)] =
                    []
            var givenUp: [(QueueCompletion, error: String?)] = []
            for completion in round {
                switch completion.outcome {
                case .done(let version): done.append((completion, version))
                case .retry(let error, let notBefore, let countsAsAttempt, let maxAttempts):
                    retries.append(
                        (
                            completion, StoredErrorText.capped(error), notBefore, countsAsAttempt ? 1 : 0,
                            maxAttempts.map { Int64($0) }
                        ))
                case .giveUp(let error): givenUp.append((completion, StoredErrorText.capped(error)))
                }
            }
            // A round's keys are distinct, so each statement meets an item at most once, and the
            // order of the three statements does not matter.
            if !done.isEmpty {
                // If a newer version was requested while we worked, the item stays pending for it.
                changed += try await count(
                    """
                    UPDATE fetch_queue f SET
                        state = CASE WHEN f.version IS NOT DISTINCT FROM r.version
                            THEN \(Self.done) ELSE \(Self.pending) END,
                        done_version = r.version, done_at = $2::timestamptz, last_attempt_at = $2::timestamptz,
                        last_error = NULL,
                        attempts = CASE WHEN f.version IS NOT DISTINCT FROM r.version THEN f.attempts + 1 ELSE 0 END,
                        next_attempt_at = NULL
                    FROM unnest($3::text[], $4::text[], $5::text[]) AS r(kind, external_id, version)
                    WHERE f.source_id = $1 AND f.kind = r.kind AND f.external_id = r.external_id
                    RETURNING 1
                    """,
                    [
                        .int(sourceID), .time(now), .texts(done.map(\.0.kind)), .texts(done.map(\.0.externalID)),
                        .nullableTexts(done.map(\.version)),
                    ])
            }
            if !retries.isEmpty {
                changed += try await count(
                    """
                    UPDATE fetch_queue f SET
                        attempts = f.attempts + r.attempt,
                        state = CASE WHEN r.max_attempts IS NOT NULL AND f.attempts + r.attempt >= r.max_attempts
                            THEN \(Self.gaveUp) ELSE \(Self.pending) END,
                        last_error = coalesce(r.error, f.last_error), last_attempt_at = $2::timestamptz,
                        next_attempt_at = r.not_before::timestamptz
                    FROM unnest($3::text[], $4::text[], $5::int8[], $6::text[], $7::int8[], $8::text[])
                        AS r(kind, external_id, attempt, error, max_attempts, not_before)
                    WHERE f.source_id = $1 AND f.kind = r.kind AND f.external_id = r.external_id
                        AND f.state = \(Self.pending)
                    RETURNING 1
                    """,
                    [
                        .int(sourceID), .time(now), .texts(retries.map(\.0.kind)),
                        .texts(retries.map(\.0.externalID)), .ints(retries.map(\.attempt)),
                        .nullableTexts(retries.map(\.error)), .nullableInts(retries.map(\.maxAttempts)),
                        .times(retries.map(\.notBefore)),
                    ])
            }
            if !givenUp.isEmpty {
                changed += try await count(
                    """
                    UPDATE fetch_queue f SET state = \(Self.gaveUp), attempts = f.attempts + 1, last_error = r.error,
                        last_attempt_at = $2::timestamptz
                    FROM unnest($3::text[], $4::text[], $5::text[]) AS r(kind, external_id, error)
                    WHERE f.source_id = $1 AND f.kind = r.kind AND f.external_id = r.external_id
                    RETURNING 1
                    """,
                    [
                        .int(sourceID), .time(now), .texts(givenUp.map(\.0.kind)),
                        .texts(givenUp.map(\.0.externalID)), .nullableTexts(givenUp.map(\.error)),
                    ])
            }
        }
        return changed
    }

    /// An item's key in `fetch_queue`, as stored (``PostgresStoredText``): two ids that differ
    /// only in U+0000 and U+FFFD are one item.
    private struct QueueKey: Hashable {
        let kind: String
        let externalID: String

        init(kind: String, externalID: String) {
            self.kind = PostgresStoredText.text(kind)
            self.externalID = PostgresStoredText.text(externalID)
        }

        init(_ request: QueueRequest) {
            self.init(kind: request.kind, externalID: request.externalID)
        }
    }

    /// `items` cut into rounds, the first occurrence of every item in the first, its second in the
    /// second, and so on, in their order: one statement cannot change a row twice (an
    /// `ON CONFLICT DO UPDATE` refuses to, an `UPDATE … FROM` applies one of the two), and the
    /// rounds run in order, so each occurrence meets the item as the one before it left it, as a
    /// statement per item would. Items of different keys touch different rows, so their order
    /// within a round does not matter.
    private static func rounds<Item: QueueKeyed>(of items: [Item]) -> [[Item]] {
        var rounds: [[Item]] = []
        var occurrences: [QueueKey: Int] = [:]
        for item in items {
            let key = QueueKey(kind: item.kind, externalID: item.externalID)
            let round = occurrences[key, default: 0]
            occurrences[key] = round + 1
            if round == rounds.count { rounds.append([]) }
            rounds[round].append(item)
        }
        return rounds
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

/// A request or completion, for ``PostgresArchiveStore``'s rounds of queue statements.
private protocol QueueKeyed {
    var kind: String { get }
    var externalID: String { get }
}

extension QueueRequest: QueueKeyed {}
extension QueueCompletion: QueueKeyed {}
