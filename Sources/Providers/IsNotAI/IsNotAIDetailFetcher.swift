import Archive
import SessionSyncSupport
import SyncEngine

/// Fetches `GET /v1/sessions/{id}/details` for every due `details` item, up to the source's
/// `maxConcurrentRequests` at once, and commits the results in small batches: each batch holds
/// the sessions' columns and child sets together with their queue outcomes, so a crash keeps
/// both or neither.
///
/// An answer about the one session (404 unknown id, 403 another integration's session, 400 an id
/// the API rejects) counts as one attempt, given up after `maxDetailAttempts`, and the pass goes
/// on; a body that cannot be read counts as one attempt too and fails the run; any other failure
/// (401, 5xx after the engine's retries, a spent rate budget) stops starting new requests,
/// commits what arrived, and ends the pass.
struct IsNotAIDetailFetcher {
    static let batchSize = 50
    /// Statuses that speak about the requested session, not about the source.
    static let sessionStatuses: Set<Int> = [400, 403, 404]

    enum Outcome: Sendable {
        case fetched(QueueItem, IsNotAIDetailsMapper.Mapped)
        case refused(QueueItem, String)
        case unreadable(QueueItem, any Error)
        case failed(any Error)
    }

    let settings: IsNotAISettings

    func run(_ pass: SyncPass) async throws {
        // The queue hands out each item once per pass, so this ends when everything due was tried.
        while true {
            let items = try await pass.dueWork(kind: IsNotAIProvider.detailsKind)
            guard !items.isEmpty else { return }
            try await run(items, pass)
        }
    }

    private func run(_ items: [QueueItem], _ pass: SyncPass) async throws {
        let width = max(1, min(pass.source.maxConcurrentRequests, items.count))
        let failure: (any Error)? = try await withThrowingTaskGroup(of: Outcome.self) { group in
            var queue = items.makeIterator()
            for _ in 0..<width {
                guard let item = queue.next() else { break }
                group.addTask { await Self.fetch(item, pass) }
            }
            var failure: (any Error)?
            var batch = ArchiveBatch()
            while let outcome = try await group.next() {
                switch outcome {
                case .fetched(let item, let details):
                    var record = details.record
                    // Requested by id and never listed: the details are all there is to keep as `raw`.
                    record.raw = details.payload
                    record.insertOnly.insert(.raw)
                    batch.sessions.append(record)
                    batch.completions.append(QueueCompletion(kind: item.kind, externalID: item.externalID, outcome: completion(for: item, hasEnded: details.hasEnded)))
                case .refused(let item, let message):
                    batch.completions.append(countedFailure(item, message))
                case .unreadable(let item, let error):
                    batch.completions.append(countedFailure(item, "\(error)"))
                    failure = failure ?? error
                case .failed(let error):
                    failure = failure ?? error
                }
                if batch.sessions.count + batch.completions.count >= Self.batchSize {
                    try await pass.commit(batch)
                    batch = ArchiveBatch()
                }
                if failure == nil, let item = queue.next() {
                    group.addTask { await Self.fetch(item, pass) }
                }
            }
            try await pass.commit(batch)
            return failure
        }
        if let failure { throw failure }
    }

    /// Done at the wanted version once the session has ended; until then it stays due, without
    /// using up attempts (an open session is not a failure).
    private func completion(for item: QueueItem, hasEnded: Bool) -> QueueCompletion.Outcome {
        hasEnded ? .done(version: item.version) : .retry(error: nil, notBefore: nil, countsAsAttempt: false, maxAttempts: nil)
    }

    private func countedFailure(_ item: QueueItem, _ message: String) -> QueueCompletion {
        QueueCompletion(
            kind: item.kind, externalID: item.externalID,
            outcome: .retry(error: message, notBefore: nil, countsAsAttempt: true, maxAttempts: settings.maxDetailAttempts)
        )
    }

    private static func fetch(_ item: QueueItem, _ pass: SyncPass) async -> Outcome {
        let response: APIResponse
        do {
            response = try await pass.send(
                APIRequest(path: "/v1/sessions/\(APIRequest.pathSegment(item.externalID))/details", endpoint: IsNotAIProvider.detailsEndpoint)
            )
        } catch let error as SyncError where error.httpStatus.map(Self.sessionStatuses.contains) == true {
            return .refused(item, "\(error)")
        } catch {
            return .failed(error)
        }
        do {
            let document = try response.json()
            let details = try pass.map(IsNotAIProvider.detailsEndpoint) { () throws(JSONShapeError) in
                try IsNotAIDetailsMapper.map(document.root, externalID: item.externalID)
            }
            return .fetched(item, details)
        } catch {
            return .unreadable(item, error)
        }
    }
}
