/// What `sessionsync erase` removed from the archive (or, for a dry run, would remove).
public struct ErasureReport: Sendable, Equatable {
    /// Rows deleted per table: the user's sessions with everything that belongs to them, then the
    /// rows attributed to the user in other sessions, and quarantined records that quote the id.
    public var removed = TableCounts()
    /// Tombstones added, one per erased session.
    public var tombstonesAdded = 0
    /// The first erased sessions (at most ``sessionsListed``), by source id and external id, for
    /// the operator to see what goes.
    public var sessions: [ErasedSession] = []
    public static let sessionsListed = 20
    /// Rows kept whose texts quoted the id, now `[erased]` there: `schema_drift` samples, the run
    /// ledger's errors and warnings, queue errors.
    public var cleared = TableCounts()
    /// Other users' sessions whose `raw`, `detail_raw` or `metadata` still contain the id as text
    /// (kept: they belong to someone else; see the README).
    public var otherSessionsMentioningID = 0
    /// Full-text indexes rebuilt so that no deleted text stays in an index segment.
    public var fullTextIndexesRebuilt: [String] = []
    /// The WAL checkpoint that follows a real erasure (nil for a dry run).
    public var checkpoint: WALTruncation?
    public let dryRun: Bool

    public init(dryRun: Bool) {
        self.dryRun = dryRun
    }
}

/// One erased session.
public struct ErasedSession: Sendable, Equatable {
    public let sourceID: Int64
    public let externalID: String

    public init(sourceID: Int64, externalID: String) {
        self.sourceID = sourceID
        self.externalID = externalID
    }
}

/// What `PRAGMA wal_checkpoint(TRUNCATE)` answered.
public struct WALTruncation: Sendable, Equatable {
    /// A reader kept an old snapshot until the busy timeout: the WAL was not emptied, and its old
    /// frames may still hold copies of the deleted rows.
    public let busy: Bool
    /// Frames in the WAL, and frames copied into the database, as SQLite counts them.
    public let walFrames: Int
    public let checkpointedFrames: Int
}
