import SessionSyncSupport

/// The outcome of working on one queue item, committed with the rows the work produced.
public struct QueueCompletion: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        /// Done at `version`: not fetched again until a newer version is requested.
        case done(version: String?)
        /// Try again on a later pass, not before `notBefore`; `countsAsAttempt` false for
        /// "not finished upstream yet" (it is not a failure). Gives up after `maxAttempts`.
        case retry(error: String?, notBefore: Timestamp?, countsAsAttempt: Bool, maxAttempts: Int?)
        /// Stop trying, recording why.
        case giveUp(error: String)
    }

    public var kind: String
    public var externalID: String
    public var outcome: Outcome

    public init(kind: String, externalID: String, outcome: Outcome) {
        self.kind = kind
        self.externalID = externalID
        self.outcome = outcome
    }
}
