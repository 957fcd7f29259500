import Archive
import SessionSyncSupport
import SyncEngine

/// Fetches the details of every due `details` queue item (those the listing could not fetch
/// right away, `detail_requests`, configured ids, open sessions, retries), up to the source's
/// `maxConcurrentRequests` at once, and commits the results in small batches: each batch holds
/// the sessions' columns and child sets together with their queue outcomes, so a crash keeps
/// both or neither. See ``IsNotAIDetailFetch`` for what each answer means.
struct IsNotAIDetailFetcher {
    /// Queue outcomes plus session records per transaction: 25 sessions with their details.
    static let batchSize = 50

    let settings: IsNotAISettings

    func run(_ pass: SyncPass) async throws {
        let fetch = IsNotAIDetailFetch(settings: settings)
        let retry = ItemRetryPolicy(maxAttempts: settings.maxDetailAttempts)
        try await pass.workQueue(kind: IsNotAIProvider.detailsKind, commitEvery: Self.batchSize, retry: retry) {
            (item: QueueItem) async -> QueueWork in
            let result = await fetch.fetch(
                externalID: item.externalID, version: item.version, attempts: item.attempts, pass)
            var batch = ArchiveBatch()
            if let record = result.record { batch.sessions.append(record) }
            if let completion = result.completion { batch.completions.append(completion) }
            batch.drift += result.drift
            return QueueWork(batch: batch, failure: result.failure)
        }
    }
}
