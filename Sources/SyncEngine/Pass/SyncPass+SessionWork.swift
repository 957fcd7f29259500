import Archive
import SessionSyncSupport

/// Per-session work (details, participants, messages, exports, revisits): every provider's goes
/// through ``ItemFanOut`` here, with the queue's attempts, backoff and give-up.
extension SyncPass {
    /// Works through every due item of `kind`: `work` fetches what one item needs and returns
    /// the batch to commit for it (rows plus the item's ``QueueCompletion``). Up to the source's
    /// `maxConcurrentRequests` items are in flight at once, and the results of several items
    /// share a transaction (at most `commitEvery` items), which is what keeps fan-out cheap.
    ///
    /// When `work` throws, ``ItemRetryPolicy`` decides: an item's own failure schedules its
    /// retry and the other items go on; a failure of the whole source stops the stage once
    /// what arrived is committed.
    public func workQueue(
        kind: String, now fresh: [QueueItem] = [], commitEvery: Int = 50, retry: ItemRetryPolicy = ItemRetryPolicy(),
        _ work: @escaping @Sendable (QueueItem) async throws -> ArchiveBatch
    ) async throws {
        try await workQueue(kind: kind, now: fresh, commitEvery: commitEvery, retry: retry) {
            (item: QueueItem) async -> QueueWork in
            do {
                return QueueWork(batch: try await work(item))
            } catch {
                return QueueWork(failure: error)
            }
        }
    }

    /// ``workQueue(kind:commitEvery:retry:_:)`` for work whose outcome is both something to
    /// commit and a failure (an unreadable answer that already counted its attempt).
    ///
    /// The items go through ``ItemFanOut`` in chunks read from the queue; commits overlap with
    /// the requests (a ``CommitPipeline`` of one: while one batch is written the next is fetched).
    /// Failed items leave one warning for the stage.
    ///
    /// `fresh` items (work done right away, outside the queue) go first, in the same stage.
    public func workQueue(
        kind: String, now fresh: [QueueItem] = [], commitEvery: Int = 50, retry: ItemRetryPolicy = ItemRetryPolicy(),
        _ work: @escaping @Sendable (QueueItem) async -> QueueWork
    ) async throws {
        let fanOut = ItemFanOut(width: source.maxConcurrentRequests, commitEvery: commitEvery, retry: retry)
        var tally = ItemTally()
        var fresh = fresh
        while true {
            let items = fresh.isEmpty ? try await archive.dueWork(kind: kind) : fresh
            fresh = []
            if items.isEmpty { break }
            let outcome = try await archive.withCommitPipeline(capacity: 1) { pipeline in
                await fanOut.run(items, into: &pipeline, tally: &tally, work)
            }
            if let failure = outcome.sourceFailure { throw failure }
            try Task.checkCancellation()
        }
        await tally.conclude(
            "\(kind) item(s) failed and will be retried on a later pass (given up after \(retry.maxAttempts) attempts)",
            self)
    }

    /// Work repeated for each of `sessions` on every pass for as long as they need it (revisiting
    /// a session until it ends): run right away without any queue row while it works, so that an
    /// unchanged pass writes nothing; a failure puts it into the `kind` queue, versioned by the
    /// session's `last_seen_at`, where it is retried with backoff and given up at the limit. A
    /// revisit that works moves `last_seen_at`, so a later pass starts it afresh.
    ///
    /// `work` returns the rows to commit; it may decide the item's outcome itself (a give-up).
    public func repeatWork(
        kind: String, for sessions: [ArchivedSession],
        _ work: @escaping @Sendable (QueueItem) async throws -> ArchiveBatch
    ) async throws {
        let states = try await archive.queueStates(kind: kind, externalIDs: sessions.map(\.externalID))
        var fresh: [QueueItem] = []
        var givenUp: Set<String> = []
        for session in sessions {
            let state = states[session.externalID]
            guard QueueState.repeatsNow(state, version: session.lastSeenAt) else { continue }
            fresh.append(
                QueueItem(
                    requested: QueueRequest(kind: kind, externalID: session.externalID, version: session.lastSeenAt)))
            if state?.state == .gaveUp { givenUp.insert(session.externalID) }
        }
        try await workQueue(kind: kind, now: fresh) { [givenUp] item in
            var batch = try await work(item)
            let request = QueueRequest(kind: item.kind, externalID: item.externalID, version: item.version)
            if batch.completions.contains(where: { $0.kind == item.kind && $0.externalID == item.externalID }) {
                // The outcome needs a row to land on.
                if !item.isQueued { batch.enqueue.append(request) }
            } else if item.isQueued {
                batch.completions.append(
                    QueueCompletion(kind: item.kind, externalID: item.externalID, outcome: .done(version: item.version))
                )
            } else if givenUp.contains(item.externalID) {
                // Seen again since it was given up, and working now: no longer given up.
                batch.fulfilled.append(request)
            }
            return batch
        }
    }
}
