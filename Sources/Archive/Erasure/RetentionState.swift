/// When a source last applied its retention window (`retention_state`).
public struct RetentionState: Sendable, Equatable {
    /// The window applied, in seconds.
    public let retentionSeconds: Int64
    public let appliedAt: String
    /// Sessions whose last activity was before this instant were deleted.
    public let cutoff: String
    public let sessionsDeleted: Int
}

/// One chunk of a retention pass: what it removed, and where the next chunk starts.
public struct RetentionChunk: Sendable, Equatable {
    public let removed: TableCounts
    public let tombstonesAdded: Int
    /// The last session id the chunk looked at; nil when no session is left to look at.
    public let after: Int64?
}
