import SessionSyncSupport

/// What one short transaction of `renormalize` did.
public struct RenormalizeChunk: Sendable {
    /// The last session read, to go on after; nil when there was none left.
    public var lastSessionID: Int64?
    public var sessionsRead = 0
    /// Sessions with at least one row rewritten.
    public var sessionsChanged = 0
    /// Rows whose values changed: session rows and child rows inserted, updated or deleted.
    public var rowsWritten = 0
    /// Sessions whose stored payload no longer maps, with why; their rows are left as they are.
    public var failures: [(externalID: String, reason: String)] = []
    /// Values the mappers stored as NULL in this chunk.
    public var drift: [SchemaDrift] = []

    public init() {}
}
