import Archive
import SessionSyncSupport
import SyncEngine

/// One `GET /v1/sessions/{id}/details` and what it means for the session's `details` queue item.
///
/// An answer about the one session (404 unknown id, 403 another integration's session, 400 an id
/// the API rejects) counts as one attempt, backed off and given up after `maxDetailAttempts`; a
/// body that cannot be read counts as one attempt too, and is reported as this item's failure;
/// any other failure (401, 5xx after the engine's retries, a spent rate budget) is left to
/// ``ItemRetryPolicy`` through the caller.
struct IsNotAIDetailFetch {
    /// Statuses that speak about the requested session, not about the source.
    static let sessionStatuses: Set<Int> = [400, 403, 404]

    struct Result: Sendable {
        /// The session's times, details payload and child sets, when they arrived.
        var record: SessionRecord?
        /// The queue item's outcome; nil when the source failed and the item stays as it was.
        var completion: QueueCompletion?
        /// Ends the pass once what arrived is committed.
        var failure: (any Error)?
        /// Fields of the answer stored as NULL.
        var drift: [SchemaDrift] = []
    }

    let settings: IsNotAISettings

    /// Fetches the details of `externalID`, whose queue item has failed `attempts` times so far.
    func fetch(externalID: String, version: String?, attempts: Int, _ pass: SyncPass) async -> Result {
        let response: APIResponse
        do {
            response = try await pass.http.send(
                APIRequest(
                    path: "/v1/sessions/\(APIRequest.pathSegment(externalID))/details",
                    endpoint: IsNotAIProvider.detailsEndpoint)
            )
        } catch let error as SyncError where error.httpStatus.map(Self.sessionStatuses.contains) == true {
            return Result(completion: countedFailure(externalID, attempts: attempts, error))
        } catch {
            return Result(failure: error)
        }
        let details: IsNotAIDetailsMapper.Mapped
        var drift = SchemaDriftLog(endpoint: IsNotAIProvider.detailsEndpoint)
        do {
            let document = try response.json()
            details = try pass.http.map(IsNotAIProvider.detailsEndpoint) { () throws(JSONShapeError) in
                try IsNotAIDetailsMapper.map(document.root, externalID: externalID, &drift)
            }
        } catch {
            return Result(completion: countedFailure(externalID, attempts: attempts, error), failure: error)
        }
        var record = details.record
        // Kept as `raw` only for a session known by id alone; a listing's row has its own.
        record.raw = details.payload
        record.insertOnly.insert(.raw)
        // Done at the wanted version once the session has ended; until then it stays due,
        // without using up attempts (an open session is not a failure).
        let outcome: QueueCompletion.Outcome =
            details.hasEnded
            ? .done(version: version) : .retry(error: nil, notBefore: nil, countsAsAttempt: false, maxAttempts: nil)
        return Result(
            record: record,
            completion: QueueCompletion(kind: IsNotAIProvider.detailsKind, externalID: externalID, outcome: outcome),
            drift: drift.drifts
        )
    }

    /// An answer about this one session: an attempt that counts, backed off (``ItemRetryPolicy``).
    private func countedFailure(_ externalID: String, attempts: Int, _ error: any Error) -> QueueCompletion {
        ItemRetryPolicy(maxAttempts: settings.maxDetailAttempts).retry(
            kind: IsNotAIProvider.detailsKind, externalID: externalID, attempts: attempts, error: error)
    }
}
