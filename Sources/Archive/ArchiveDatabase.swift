import SQLiteDB
import SessionSyncSupport

/// The archive's single write connection, confined to an actor so that every source's pass
/// funnels its writes through one serial owner (SQLite allows one writer at a time anyway).
///
/// Work runs as short synchronous bodies on the store, on a thread of its own (the writer is
/// the one serial stage of a pass); each write is one short transaction, so readers (`sqlite3`,
/// BI tools) and other processes wait milliseconds at most.
public actor ArchiveDatabase {
    private let store: ArchiveStore
    public nonisolated let path: String
    private nonisolated let executor: WriterExecutor

    public nonisolated var unownedExecutor: UnownedSerialExecutor {
        executor.asUnownedSerialExecutor()
    }

    /// Opens the archive at `path`, creating and migrating it as needed; `onCheckpointFailure`
    /// hears of every WAL checkpoint SQLite refuses.
    public init(
        path: String, busyTimeoutMilliseconds: Int32 = 10_000,
        onCheckpointFailure: @escaping @Sendable (CheckpointFailure) -> Void = { _ in }
    ) throws {
        self.path = path
        self.store = try ArchiveStore(
            path: path, options: Connection.Options(busyTimeoutMilliseconds: busyTimeoutMilliseconds),
            backgroundCheckpoints: true,
            onCheckpointFailure: onCheckpointFailure
        )
        // Last: a thread started before a failure here would never be stopped.
        self.executor = WriterExecutor(name: "archive-writer")
    }

    deinit {
        executor.stop()
    }

    /// Runs `body` with the store, on the actor.
    public func withStore<T: Sendable>(_ body: @Sendable (ArchiveStore) throws -> T) throws -> T {
        try body(store)
    }

    public func commit(_ batch: ArchiveBatch, sourceID: Int64, now: Timestamp = .now()) throws -> WriteStats {
        try store.commit(batch, sourceID: sourceID, now: now)
    }
}
