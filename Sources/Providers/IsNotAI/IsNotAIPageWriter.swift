import Archive
import SessionSyncSupport
import SyncEngine

/// Writes one listing page: fetches the details its finished sessions newly want (never fetched,
/// or changed upstream) through the engine's ``ItemFanOut``, lays them over their listing rows,
/// and submits the page in short transactions, each session once with its queue item. Any other
/// details request (a retry, one the source failed on) is left pending for
/// ``IsNotAIDetailFetcher``.
struct IsNotAIPageWriter {
    /// Sessions per transaction: short enough that other writers wait milliseconds.
    static let sessionsPerCommit = 25

    let settings: IsNotAISettings

    /// A listing row and, for a finished session, its details request.
    struct ListedSession: Sendable {
        var record: SessionRecord
        let detailsRequest: QueueRequest?

        /// A listing row as a listing archives it: a finished session asks for its details.
        init(_ session: IsNotAISessionMapper.Mapped) {
            record = session.record
            // Creation time stands in for the start until the details bring the real one.
            record.startedAt = session.createdAt
            record.insertOnly.insert(.startedAt)
            detailsRequest =
                session.isOpen
                ? nil
                : QueueRequest(
                    kind: IsNotAIProvider.detailsKind, externalID: session.record.externalID, version: session.version)
        }
    }

    /// Submits one page's sessions, fetching the details wanted anew first. A session whose
    /// details failed keeps its request, retried with backoff. Returns the failure that ends the
    /// pass once the page is committed: the whole source failing.
    func write(_ listed: [ListedSession], _ pass: SyncPass, _ pipeline: inout CommitPipeline) async throws -> (
        any Error
    )? {
        let requested = listed.compactMap { $0.detailsRequest?.externalID }
        let states = try await pass.archive.queueStates(kind: IsNotAIProvider.detailsKind, externalIDs: requested)
        // An erased or expired session listed again is not written: its details are not fetched either.
        let tombstoned = try await pass.archive.tombstoned(externalIDs: requested)
        var chunk = ArchiveBatch()
        var waiting: [String: ListedSession] = [:]
        var items: [QueueItem] = []
        for session in listed {
            if let request = session.detailsRequest, !tombstoned.contains(request.externalID),
                QueueState.requestMakesPending(states[request.externalID], version: request.version)
            {
                waiting[request.externalID] = session
                items.append(QueueItem(requested: request))
            } else {
                try await add(Self.batch(for: session, completion: nil), to: &chunk, pipeline: &pipeline)
            }
        }
        try await pipeline.submit(chunk)
        chunk = ArchiveBatch()

        let fetch = IsNotAIDetailFetch(settings: settings)
        let fanOut = ItemFanOut(
            width: pass.source.maxConcurrentRequests, commitEvery: 2 * Self.sessionsPerCommit,
            retry: ItemRetryPolicy(maxAttempts: settings.maxDetailAttempts)
        )
        var tally = ItemTally()
        let listedByID = waiting
        let outcome = await fanOut.run(items, into: &pipeline, tally: &tally) { item in
            guard var session = listedByID[item.externalID] else { return QueueWork() }
            let result = await fetch.fetch(
                externalID: item.externalID, version: item.version, attempts: item.attempts, pass)
            if let details = result.record { session.record.overlay(details) }
            var batch = Self.batch(for: session, completion: result.completion)
            batch.drift += result.drift
            return QueueWork(batch: batch, failure: result.failure)
        }
        // Not started (the source failed, or the pass was cancelled): listed, details still requested.
        for item in outcome.unstarted {
            guard let session = listedByID[item.externalID] else { continue }
            try await add(Self.batch(for: session, completion: nil), to: &chunk, pipeline: &pipeline)
        }
        try await pipeline.submit(chunk)
        await tally.conclude("session detail fetch(es) failed and will be retried on a later pass", pass)
        return outcome.sourceFailure
    }

    /// A session's listing row with its details request: fulfilled when the details arrived for
    /// good, else requested (with the attempt's outcome, if any).
    static func batch(for session: ListedSession, completion: QueueCompletion?) -> ArchiveBatch {
        var batch = ArchiveBatch(sessions: [session.record])
        guard let request = session.detailsRequest else { return batch }
        if completion?.outcome == .done(version: request.version) {
            batch.fulfilled.append(request)
        } else {
            batch.enqueue.append(request)
            if let completion { batch.completions.append(completion) }
        }
        return batch
    }

    private func add(_ batch: ArchiveBatch, to chunk: inout ArchiveBatch, pipeline: inout CommitPipeline) async throws {
        chunk.append(batch)
        if chunk.sessions.count >= Self.sessionsPerCommit {
            try await pipeline.submit(chunk)
            chunk = ArchiveBatch()
        }
    }
}
