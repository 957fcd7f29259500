/// The archive file's own state, for `status` and the metrics: its size and its WAL's, and the
/// WAL checkpoints SQLite refused.
public struct ArchiveVitals: Sendable, Equatable {
    /// One kind of checkpoint failure (SQLite's result code), as `wal_checkpoint_failures` keeps it.
    public struct CheckpointFailures: Sendable, Equatable {
        public let kind: String
        public let count: Int
        public let lastMessage: String
        public let lastSeenAt: String
    }

    public var databaseBytes: Int64 = 0
    public var walBytes: Int64 = 0
    /// Every kind seen, the most recent first.
    public var checkpointFailures: [CheckpointFailures] = []

    public init() {}

    public var checkpointFailureCount: Int {
        checkpointFailures.reduce(0) { $0 + $1.count }
    }
}
