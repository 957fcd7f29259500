import SQLiteDB

/// When the archive copies its WAL back into the database file.
///
/// SQLite's automatic checkpoint runs inside a COMMIT and makes that commit slow, so the archive
/// turns it off and checkpoints between transactions instead: every ``commitsPerCheckpoint``
/// commits, handed to a ``WALCheckpointer`` on its own thread when there is one. SQLite starts
/// the WAL over only when a checkpoint has caught up with the writer, which one running beside a
/// busy writer never does; so every ``backgroundCheckpointsPerReset``-th time the writer waits for
/// the checkpointer and runs one itself, and the WAL cannot grow all pass long.
struct CheckpointPolicy {
    static let commitsPerCheckpoint = 16
    static let backgroundCheckpointsPerReset = 3

    /// Runs most checkpoints off the writer's thread; without it, the writer checkpoints itself.
    let checkpointer: WALCheckpointer?
    let failures: CheckpointFailureLog
    private var commitsSinceCheckpoint = 0
    private var backgroundCheckpoints = 0

    init(checkpointer: WALCheckpointer?, failures: CheckpointFailureLog) {
        self.checkpointer = checkpointer
        self.failures = failures
    }

    /// Counts a commit, and checkpoints when it is time.
    mutating func committed(on connection: Connection) {
        commitsSinceCheckpoint += 1
        guard commitsSinceCheckpoint >= Self.commitsPerCheckpoint else { return }
        if let checkpointer, backgroundCheckpoints < Self.backgroundCheckpointsPerReset {
            commitsSinceCheckpoint = 0
            backgroundCheckpoints += 1
            checkpointer.request()
        } else {
            backgroundCheckpoints = 0
            checkpointer?.drain()
            checkpoint(connection)
        }
    }

    /// Copies the WAL back into the database without waiting for readers (PASSIVE): it holds no
    /// write lock, so other writers and readers go on. A reader's snapshot may keep part of the
    /// WAL; the next checkpoint takes it.
    mutating func checkpoint(_ connection: Connection) {
        commitsSinceCheckpoint = 0
        do {
            try connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        } catch {
            failures.record(error)
        }
    }
}
