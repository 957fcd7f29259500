import SessionSyncSupport

/// When a source last applied its retention window (`retention_state`).
public struct RetentionState: Sendable, Equatable {
    /// The window applied, in seconds.
    public let retentionSeconds: Int64
    public let appliedAt: String
    /// Sessions whose last activity was before this instant were deleted.
    public let cutoff: String
    public let sessionsDeleted: Int

    public init(retentionSeconds: Int64, appliedAt: String, cutoff: String, sessionsDeleted: Int) {
        self.retentionSeconds = retentionSeconds
        self.appliedAt = appliedAt
        self.cutoff = cutoff
        self.sessionsDeleted = sessionsDeleted
    }

    /// How often a source's retention window is applied at most.
    public static let interval: Duration = .seconds(86_400)

    /// Whether a source whose last application was `state` (nil: never) should apply `retention`
    /// now: it never did, it did at least ``interval`` before `now`, or with another window.
    public static func isDue(_ state: RetentionState?, retention: Duration, now: Timestamp) -> Bool {
        guard let state, let applied = Timestamp(iso8601: state.appliedAt) else { return true }
        return state.retentionSeconds != retention.components.seconds || applied.adding(interval) <= now
    }
}

/// One chunk of a retention pass: what it removed, and where the next chunk starts.
public struct RetentionChunk: Sendable, Equatable {
    public let removed: TableCounts
    public let tombstonesAdded: Int
    /// The last session id the chunk looked at; nil when no session is left to look at.
    public let after: Int64?

    /// Sessions a chunk looks at, at most: one short transaction's worth of deletes.
    public static let sessionsPerChunk = 500

    public init(removed: TableCounts, tombstonesAdded: Int, after: Int64?) {
        self.removed = removed
        self.tombstonesAdded = tombstonesAdded
        self.after = after
    }
}
