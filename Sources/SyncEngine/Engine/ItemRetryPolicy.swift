import Archive
import SessionSyncSupport

/// What a failure of one piece of per-session work (one session's details, participants,
/// messages, export or revisit) means, decided in one place for every provider.
///
/// A failure that speaks about the source as a whole (the key refused, the rate budget spent,
/// the process stopping) ends the stage: every other item would fail the same way. Any other
/// failure (a 5xx after the HTTP retries, a timeout, an answer that cannot be read) is counted
/// against its item: the item is tried again on a later pass, after a backoff that doubles with
/// each attempt (with jitter, so that items failing together do not come back together), and is
/// given up after ``maxAttempts``, keeping its last error. The other items go on.
public struct ItemRetryPolicy: Sendable {
    /// Attempts before an item is given up.
    public var maxAttempts: Int
    /// The wait after the first failure; each further attempt doubles it.
    public var baseDelay: Duration
    public var maxDelay: Duration

    /// Ten attempts over half a day to a day: 1, 2, 4 ... 256 minutes, then 6 hours (each wait
    /// between half and all of that, for jitter), so that an endpoint outage of some hours is
    /// outlasted while a session that always fails is given up within a day.
    public init(maxAttempts: Int = 10, baseDelay: Duration = .seconds(60), maxDelay: Duration = .seconds(6 * 3600)) {
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

    /// The outcome of an item whose answer arrived: done at the wanted version, unless records of
    /// it went to quarantine. Then it is asked again on the next pass (an attempt, without backoff:
    /// the provider may well send them right next time), and given up at the limit, its readable
    /// records archived each time.
    public func finished(_ item: QueueItem, quarantined: Int) -> QueueCompletion {
        guard quarantined > 0 else {
            return QueueCompletion(kind: item.kind, externalID: item.externalID, outcome: .done(version: item.version))
        }
        let error =
            "\(quarantined) record(s) of the answer had no usable id and wait in the quarantine table; asked again next pass"
        return QueueCompletion(
            kind: item.kind, externalID: item.externalID,
            outcome: .retry(error: error, notBefore: nil, countsAsAttempt: true, maxAttempts: maxAttempts)
        )
    }

    /// ``retry(_:error:now:)`` for an item known by kind and id.
    public func retry(kind: String, externalID: String, attempts: Int, error: any Error, now: Timestamp = .now())
        -> QueueCompletion
    {
        QueueCompletion(
            kind: kind, externalID: externalID,
            outcome: .retry(
                error: "\(error)", notBefore: notBefore(attempts: attempts + 1, now: now), countsAsAttempt: true,
                maxAttempts: maxAttempts)
        )
    }
}
