import Archive
import Logging
import SessionSyncSupport

/// One pass of one source: what a ``Provider`` uses to talk to its API and to the archive.
///
/// Every request goes through the source's ``APIClient`` and is counted in the run ledger;
/// every ``commit(_:)`` is one transaction holding a page's rows and its cursor advance.
public final class SyncPass: Sendable {
    public let source: SourceConfiguration
    public let sourceID: Int64
    public let runID: Int64
    /// When the pass started; cursors never move past `startedAt − lookback`.
    public let startedAt: Timestamp
    public let logger: Logger
    public let initialWindow: Duration
    public let client: APIClient
    let archive: ArchiveDatabase
    public let progress: RunProgressTracker
    /// Masks the source's secrets in a batch's texts (queue errors, quarantine reasons, drift
    /// samples) before they are stored.
    let redactor: SecretRedactor

    init(
        source: SourceConfiguration, sourceID: Int64, runID: Int64, startedAt: Timestamp, logger: Logger,
        initialWindow: Duration, client: APIClient, archive: ArchiveDatabase, progress: RunProgressTracker, redactor: SecretRedactor
    ) {
        self.source = source
        self.sourceID = sourceID
        self.runID = runID
        self.startedAt = startedAt
        self.logger = logger
        self.initialWindow = initialWindow
        self.client = client
        self.archive = archive
        self.progress = progress
        self.redactor = redactor
    }

    /// The provider's own settings for this source.
    public func settings<S: ProviderSettings>(as type: S.Type) -> S {
        guard let settings = source.settings as? S else {
            preconditionFailure("source \(source.name) carries \(Swift.type(of: source.settings)), not \(S.self)")
        }
        return settings
    }

    // MARK: HTTP

    /// Sends `request` (with retries, rate limits and the provider's credentials).
    public func send(_ request: APIRequest) async throws -> APIResponse {
        try await client.send(request) { [progress] in
            progress.countRequest()
        }
    }

    /// Sends `request` and parses the body as JSON.
    public func sendJSON(_ request: APIRequest) async throws -> JSONDocument {
        try await send(request).json()
    }

    /// Runs a mapping over a parsed response, turning shape errors into errors that name the endpoint.
    public func map<T>(_ endpoint: String, _ body: () throws(JSONShapeError) -> T) throws(SyncError) -> T {
        do {
            return try body()
        } catch {
            throw SyncError.malformedResponse(endpoint: endpoint, error)
        }
    }

    // MARK: Archive

    /// Commits a page: its rows, cursor advances and queue changes, in one transaction.
    @discardableResult
    public func commit(_ batch: ArchiveBatch) async throws -> WriteStats {
        guard !batch.isEmpty else { return WriteStats() }
        var batch = batch
        batch.passStartedAt = startedAt
        batch = batch.redactingTexts(with: redactor)
        batch.computeFingerprints()
        let stats = try await archive.commit(batch, sourceID: sourceID, now: .now())
        await progress.add(stats)
        if !batch.drift.isEmpty || !batch.quarantined.isEmpty {
            await progress.note(drift: batch.drift, quarantined: batch.quarantined.count)
        }
        return stats
    }

    public func cursor(_ stream: String) async throws -> String? {
        try await archive.withStore { [sourceID] store in try store.cursor(sourceID: sourceID, stream: stream) }
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

    /// Pending queue items of `kind` that are due now and were not tried yet in this pass.
    public func dueWork(kind: String, limit: Int = 1000) async throws -> [QueueItem] {
        try await archive.withStore { [sourceID, startedAt] store in
            try store.dueQueueItems(sourceID: sourceID, kind: kind, now: .now(), limit: limit, notAttemptedSince: startedAt)
        }
    }

    /// The queue items of `kind` for these sessions, by external id, to decide which work to
    /// do right away instead of queueing it.
    public func queueStates(kind: String, externalIDs: [String]) async throws -> [String: QueueState] {
        guard !externalIDs.isEmpty else { return [:] }
        return try await archive.withStore { [sourceID] store in
            try store.queueStates(sourceID: sourceID, kind: kind, externalIDs: externalIDs)
        }
    }

    /// Moves the `detail_requests` rows for this source into the queue as `kind` items.
    @discardableResult
    public func drainDetailRequests(kind: String) async throws -> Int {
        try await archive.withStore { [sourceID, source] store in
            try store.drainDetailRequests(sourceName: source.name, sourceID: sourceID, kind: kind, now: .now())
        }
    }

    /// Archived sessions of this source with `status` (e.g. meetings still live); with
    /// `notListedInThisPass`, only those this pass has not upserted yet.
    public func archivedSessions(status: String, limit: Int = 10_000, notListedInThisPass: Bool = false) async throws -> [ArchivedSession] {
        try await archive.withStore { [sourceID, startedAt] store in
            try store.sessions(sourceID: sourceID, status: status, limit: limit, notSeenSince: notListedInThisPass ? startedAt : nil)
        }
    }

    public func archivedSession(externalID: String) async throws -> ArchivedSession? {
        try await archive.withStore { [sourceID] store in try store.session(sourceID: sourceID, externalID: externalID) }
    }

    // MARK: Ledger

    /// Records something a person should know about this run that is not a failure.
    public func warn(_ message: String) async {
        logger.warning("run warning", metadata: ["warning": "\(message)"])
        await progress.warn(message)
    }
}
