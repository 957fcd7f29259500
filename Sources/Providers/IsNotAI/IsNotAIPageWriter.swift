import Archive
import SessionSyncSupport
import SyncEngine

/// Writes one listing page: fetches the details its finished sessions newly want (never fetched,
/// or changed upstream), lays them over their listing rows, and submits the page in short
/// transactions, each session once with its queue item done. Any other details request (a
/// retry, one the source failed on) is left pending for ``IsNotAIDetailFetcher``.
struct IsNotAIPageWriter {
    /// Sessions per transaction: short enough that other writers wait milliseconds.
    static let sessionsPerCommit = 25

    let settings: IsNotAISettings

    /// A listing row and, for a finished session, its details request.
    struct ListedSession: Sendable {
        var record: SessionRecord
        let detailsRequest: QueueRequest?
    }

    /// Submits one page's sessions, fetching the details wanted anew first (up to the source's
    /// `maxConcurrentRequests` at once). A session whose details failed keeps its request,
    /// retried with backoff (``ItemRetryPolicy``). Returns the failure that ends the pass once the
    /// page is committed: the whole source failing.
    func write(_ listed: [ListedSession], _ pass: SyncPass, _ pipeline: inout CommitPipeline) async throws -> (any Error)? {
        let requested = listed.compactMap { $0.detailsRequest?.externalID }
        let states = try await pass.queueStates(kind: IsNotAIProvider.detailsKind, externalIDs: requested)
        var chunk = ArchiveBatch()
        var waiting: [Int] = []
        for (index, session) in listed.enumerated() {
            if let request = session.detailsRequest, QueueState.requestMakesPending(states[request.externalID], version: request.version) {
                waiting.append(index)
            } else {
                try await add(session, nil, to: &chunk, pipeline: &pipeline)
            }
        }
        let fetch = IsNotAIDetailFetch(settings: settings)
        let retry = ItemRetryPolicy(maxAttempts: settings.maxDetailAttempts)
        let width = max(1, pass.source.maxConcurrentRequests)
        var failure: (any Error)?
        var tally = ItemTally()
        var unstarted = waiting.makeIterator()
        try await withThrowingTaskGroup(of: (Int, IsNotAIDetailFetch.Result).self) { group in
            func start(_ index: Int) {
                let request = listed[index].detailsRequest
                group.addTask { (index, await fetch.fetch(externalID: request?.externalID ?? "", version: request?.version, attempts: 0, pass)) }
            }
            for _ in 0..<width {
                guard let index = unstarted.next() else { break }
                start(index)
            }
            while let (index, result) = try await group.next() {
                var session = listed[index]
                if let details = result.record { session.record.overlay(details) }
                chunk.drift += result.drift
                var completion = result.completion
                if let error = tally.record(result.failure, sourceFailure: &failure), completion == nil, let request = session.detailsRequest {
                    // This session's details failed: its request waits for a later pass, with backoff.
                    completion = retry.retry(kind: request.kind, externalID: request.externalID, attempts: 0, error: error)
                }
                try await add(session, completion, to: &chunk, pipeline: &pipeline)
                if failure == nil, !Task.isCancelled, let next = unstarted.next() {
                    start(next)
                }
            }
        }
        // Not started (the source failed, or the pass was cancelled): listed, details still requested.
        while let index = unstarted.next() {
            try await add(listed[index], nil, to: &chunk, pipeline: &pipeline)
        }
        try await pipeline.submit(chunk)
        await tally.conclude("session detail fetch(es) failed and will be retried on a later pass", pass)
        return failure
    }

    private func add(_ session: ListedSession, _ completion: QueueCompletion?, to chunk: inout ArchiveBatch, pipeline: inout CommitPipeline) async throws {
        chunk.sessions.append(session.record)
        if let request = session.detailsRequest, completion?.outcome == .done(version: request.version) {
            chunk.fulfilled.append(request)
        } else {
            if let request = session.detailsRequest { chunk.enqueue.append(request) }
            if let completion { chunk.completions.append(completion) }
        }
        if chunk.sessions.count >= Self.sessionsPerCommit {
            try await pipeline.submit(chunk)
            chunk = ArchiveBatch()
        }
    }
}
