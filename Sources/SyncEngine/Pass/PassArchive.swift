import Archive
import SessionSyncSupport

/// The archive side of a pass: commits, cursors, the fetch queue and reads of what the source
/// archived, all for this one source.
///
/// Every ``commit(_:)`` is one transaction; a listing commits a page's rows together with the
/// cursor advance that covers them, unless its provider moves the cursor only at the end of a
/// complete listing (isnotai, YourGPT).
public struct PassArchive: Sendable {
    public let source: SourceConfiguration
    public let sourceID: Int64
    /// When the pass started; cursors never move past `startedAt − lookback`.
    public let startedAt: Timestamp
    /// How far back a first pass reads when the source sets no `since`.
    public let initialWindow: Duration
    let database: any ArchiveBackend
    let progress: RunProgressTracker
    /// Masks the source's secrets in a batch's texts (queue errors, quarantine reasons, drift
    /// samples) before they are stored.
    let redactor: SecretRedactor
    let metrics: SourceMetrics

    // MARK: Commits

    /// Commits a page: its rows, cursor advances and queue changes, in one transaction.
    @discardableResult
    public func commit(_ batch: ArchiveBatch) async throws -> WriteStats {
        guard !batch.isEmpty else { return WriteStats() }
        var batch = batch
        batch.passStartedAt = startedAt
        batch = batch.redactingTexts(with: redactor)
        batch.computeFingerprints()
        let stats = try await database.commit(batch, sourceID: sourceID, now: .now())
        metrics.committed(stats, drift: batch.drift.reduce(0) { $0 + $1.count }, quarantined: batch.quarantined.count)
        await progress.add(stats)
        if !batch.drift.isEmpty || !batch.quarantined.isEmpty {
            await progress.note(drift: batch.drift, quarantined: batch.quarantined.count)
        }
        return stats
    }

    /// Runs `body` with a ``CommitPipeline`` that commits in the background, and returns only once
    /// everything submitted is committed: on success a commit's failure is thrown; when `body`
    /// throws, the commits already submitted still end before its error goes on.
    public func withCommitPipeline<Result>(
        capacity: Int = 8, _ body: (inout CommitPipeline) async throws -> Result
    ) async throws -> Result {
        var pipeline = CommitPipeline(self, capacity: capacity)
        do {
            let result = try await body(&pipeline)
            try await pipeline.drain()
            return result
        } catch {
            await pipeline.drainIgnoringErrors()
            throw error
        }
    }

    // MARK: Cursors

    public func cursor(_ stream: String) async throws -> String? {
        try await database.cursor(sourceID: sourceID, stream: stream)
    }

    /// The stream's cursor read as an instant (nil when unset or not a time).
    public func timestampCursor(_ stream: String) async throws -> Timestamp? {
        try await cursor(stream).flatMap(Timestamp.init(iso8601:))
    }

    /// Where a time-ordered listing starts: the cursor minus the lookback; for a first pass the
    /// source's `since`, or the provider's initial window before now.
    public func readFrom(stream: String) async throws -> Timestamp {
        if let cursor = try await timestampCursor(stream) {
            return cursor.subtracting(source.lookback)
        }
        return source.since ?? startedAt.subtracting(initialWindow)
    }

    /// A cursor update to `value`, never later than the pass's start minus the lookback (rows
    /// that change while the pass runs are read again next time) and never behind `previous`.
    public func advance(stream: String, to value: Timestamp, previous: Timestamp?) -> CursorUpdate {
        var target = min(value, startedAt.subtracting(source.lookback))
        if let previous, previous > target { target = previous }
        return CursorUpdate(stream: stream, value: target.iso8601)
    }

    // MARK: The fetch queue

    /// Pending queue items of `kind` that are due now and were not tried yet in this pass.
    public func dueWork(kind: String, limit: Int = 1000) async throws -> [QueueItem] {
        try await database.dueQueueItems(
            sourceID: sourceID, kind: kind, now: .now(), limit: limit, notAttemptedSince: startedAt)
    }

    /// The queue items of `kind` for these sessions, by external id, to decide which work to
    /// do right away instead of queueing it.
    public func queueStates(kind: String, externalIDs: [String]) async throws -> [String: QueueState] {
        guard !externalIDs.isEmpty else { return [:] }
        return try await database.queueStates(sourceID: sourceID, kind: kind, externalIDs: externalIDs)
    }

    /// Those of these sessions that were erased or fell out of retention: their work can be
    /// skipped, since the archive would not keep its result.
    public func tombstoned(externalIDs: [String]) async throws -> Set<String> {
        guard !externalIDs.isEmpty else { return [] }
        return try await database.tombstoned(sourceID: sourceID, externalIDs: externalIDs)
    }

    /// Moves the `detail_requests` rows for this source into the queue as `kind` items.
    @discardableResult
    public func drainDetailRequests(kind: String) async throws -> Int {
        try await database.drainDetailRequests(sourceName: source.name, sourceID: sourceID, kind: kind, now: .now())
    }

    // MARK: Archived sessions

    /// Archived sessions of this source with `status` (e.g. meetings still live); with
    /// `notListedInThisPass`, only those this pass has not upserted yet.
    public func sessions(status: String, limit: Int = 10_000, notListedInThisPass: Bool = false) async throws
        -> [ArchivedSession]
    {
        try await database.sessions(
            sourceID: sourceID, status: status, limit: limit, notSeenSince: notListedInThisPass ? startedAt : nil)
    }

    public func session(externalID: String) async throws -> ArchivedSession? {
        try await database.session(sourceID: sourceID, externalID: externalID)
    }
}
