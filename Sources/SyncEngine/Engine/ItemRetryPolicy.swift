import Archive
import SessionSyncSupport

/// What a failure of one piece of per-session work (one session's details, participants,
/// messages, export or revisit) means, decided in one place for every provider.
///
/// A failure that speaks about the source as a whole (the key refused, the rate budget spent,
/// the process stopping) ends the stage: every other item would fail the same way. Any other
/// failure (a 5xx after the HTTP retries, a timeout, an answer that cannot be read) belongs to
/// its item: the item is tried again on a later pass, after a backoff that doubles with each
/// attempt (with jitter, so that items failing together do not come back together), and is
/// given up after ``maxAttempts``, keeping its last error. The other items go on.
public struct ItemRetryPolicy: Sendable {
    /// Attempts before an item is given up.
    public var maxAttempts: Int
    /// The wait after the first failure; each further attempt doubles it.
    public var baseDelay: Duration
    public var maxDelay: Duration

    /// Eight attempts over about a day: 1, 2, 4 ... 64 minutes, then 2 and 4 hours (each between
    /// half and all of that, for jitter).
    public init(maxAttempts: Int = 8, baseDelay: Duration = .seconds(60), maxDelay: Duration = .seconds(6 * 3600)) {
        self.maxAttempts = max(1, maxAttempts)
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// True when `error` says the source, not the item, failed: nothing else is worth trying now.
    public static func isSourceWide(_ error: any Error) -> Bool {
        if error is CancellationError { return true }
        if let error = error as? SyncError { return error.isAuthenticationFailure || error.isRateLimited }
        return false
    }

    /// The earliest next attempt of an item that has failed `attempts` times so far (this one included).
    public func notBefore(attempts: Int, now: Timestamp) -> Timestamp {
        let ceiling = min(maxDelay.milliseconds, baseDelay.milliseconds << min(max(attempts - 1, 0), 30))
        return now.adding(milliseconds: Int64.random(in: (ceiling / 2)...max(ceiling / 2, ceiling)))
    }

    /// The queue outcome of an item that failed with `error`, having been tried `attempts`
    /// times before this one.
    public func retry(_ item: QueueItem, error: any Error, now: Timestamp = .now()) -> QueueCompletion {
        retry(kind: item.kind, externalID: item.externalID, attempts: item.attempts, error: error, now: now)
    }

    /// The outcome of an item that failed while the whole endpoint may be failing: marked as
    /// tried in this pass, with its error, but no attempt counted and no backoff.
    public static func uncounted(_ item: QueueItem, error: any Error) -> QueueCompletion {
        uncounted(kind: item.kind, externalID: item.externalID, error: error)
    }

    public static func uncounted(kind: String, externalID: String, error: any Error) -> QueueCompletion {
        QueueCompletion(kind: kind, externalID: externalID, outcome: .retry(error: "\(error)", notBefore: nil, countsAsAttempt: false, maxAttempts: nil))
    }

    /// ``retry(_:error:now:)`` for an item known by kind and id.
    public func retry(kind: String, externalID: String, attempts: Int, error: any Error, now: Timestamp = .now()) -> QueueCompletion {
        QueueCompletion(
            kind: kind, externalID: externalID,
            outcome: .retry(error: "\(error)", notBefore: notBefore(attempts: attempts + 1, now: now), countsAsAttempt: true, maxAttempts: maxAttempts)
        )
    }
}
