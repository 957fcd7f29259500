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
    /// Queue outcomes plus session records per transaction: 25 sessions with their details.
    static let batchSize = 50
    /// Statuses that speak about the requested session, not about the source.
    static let sessionStatuses: Set<Int> = [400, 403, 404]

    let settings: IsNotAISettings

    func run(_ pass: SyncPass) async throws {
        try await pass.workQueue(kind: IsNotAIProvider.detailsKind, commitEvery: Self.batchSize) { [self] (item: QueueItem) async -> QueueWork in
            await work(item, pass)
        }
    }

    private func work(_ item: QueueItem, _ pass: SyncPass) async -> QueueWork {
        let response: APIResponse
        do {
            response = try await pass.send(
                APIRequest(path: "/v1/sessions/\(APIRequest.pathSegment(item.externalID))/details", endpoint: IsNotAIProvider.detailsEndpoint)
            )
        } catch let error as SyncError where error.httpStatus.map(Self.sessionStatuses.contains) == true {
            return QueueWork(batch: ArchiveBatch(completions: [countedFailure(item, "\(error)")]))
        } catch {
            return QueueWork(failure: error)
        }
        let details: IsNotAIDetailsMapper.Mapped
        do {
            let document = try response.json()
            details = try pass.map(IsNotAIProvider.detailsEndpoint) { () throws(JSONShapeError) in
                try IsNotAIDetailsMapper.map(document.root, externalID: item.externalID)
            }
        } catch {
            return QueueWork(batch: ArchiveBatch(completions: [countedFailure(item, "\(error)")]), failure: error)
        }
        var record = details.record
        // Requested by id and never listed: the details are all there is to keep as `raw`.
        record.raw = details.payload
        record.insertOnly.insert(.raw)
        return QueueWork(
            batch: ArchiveBatch(
                sessions: [record],
                completions: [QueueCompletion(kind: item.kind, externalID: item.externalID, outcome: completion(for: item, hasEnded: details.hasEnded))]
            )
        )
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
}
