/// What committing batches changed, for the run ledger and the logs.
public struct WriteStats: Sendable, Equatable {
    public var sessionsInserted = 0
    public var sessionsChanged = 0
    public var sessionsUnchanged = 0
    /// Rows whose values changed: inserted, updated (beyond `last_seen_at`) or deleted, in every table.
    public var rowsWritten = 0
    public var sessionsEnded = 0
    /// Child sets that arrived for a session no longer (or never) archived, and were not written.
    public var childSetsDropped = 0
    /// Sessions, and child sets fetched apart from their session, not written because the session
    /// was erased or fell out of its source's retention (its tombstone).
    public var sessionsTombstoned = 0
    public var childSetsTombstoned = 0
    /// The longest time one commit held the write lock, from BEGIN to the end of COMMIT.
    public var maxCommitMilliseconds: Double = 0

    public init() {}

    /// Sessions inserted or changed.
    public var sessionsUpserted: Int {
        sessionsInserted + sessionsChanged
    }

    /// Counts one session record written: `outcome` (a changed child set making an unchanged row
    /// changed) and its `childRows`. A session this pass already counted as new (first seen at or
    /// after the pass's start, in an earlier commit) is not counted again, only its child rows.
    public mutating func countSession(_ outcome: SessionWriteOutcome, childRows: Int, newInThisPass: Bool) {
        rowsWritten += childRows
        if newInThisPass && outcome != .inserted { return }
        switch outcome {
        case .inserted:
            sessionsInserted += 1
            rowsWritten += 1
        case .changed:
            sessionsChanged += 1
            rowsWritten += 1
        case .unchanged:
            sessionsUnchanged += 1
        }
    }

    public static func += (lhs: inout WriteStats, rhs: WriteStats) {
        lhs.sessionsInserted += rhs.sessionsInserted
        lhs.sessionsChanged += rhs.sessionsChanged
        lhs.sessionsUnchanged += rhs.sessionsUnchanged
        lhs.rowsWritten += rhs.rowsWritten
        lhs.sessionsEnded += rhs.sessionsEnded
        lhs.childSetsDropped += rhs.childSetsDropped
        lhs.sessionsTombstoned += rhs.sessionsTombstoned
        lhs.childSetsTombstoned += rhs.childSetsTombstoned
        lhs.maxCommitMilliseconds = max(lhs.maxCommitMilliseconds, rhs.maxCommitMilliseconds)
    }
}
