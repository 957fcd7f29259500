import Dispatch
import SQLiteDB
import Synchronization

/// Copies the WAL back into the database on its own connection and thread, so that the writer
/// never waits for it: a PASSIVE checkpoint takes no write lock, and the writer goes on appending
/// to the WAL while the checkpoint copies the frames committed before it started.
///
/// Requests coalesce: while one is waiting to run, more requests add nothing; one arriving while
/// a checkpoint runs schedules one more (the WAL has grown since).
public final class WALCheckpointer: Sendable {
    /// Only touched on `queue`; the mutex lets the compiler see that.
    private let connection: Mutex<Connection?>
    private let scheduled = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "sessionsync.wal-checkpoint", qos: .utility)

    /// Opens a second connection to the archive at `path` (already created and migrated).
    public init(path: String) throws {
        let connection = try Connection(path: path, options: Connection.Options(mode: .readWrite))
        self.connection = Mutex(connection)
    }

    /// Schedules a checkpoint unless one is already waiting to run.
    public func request() {
        guard scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        queue.async { [self] in
            scheduled.store(false, ordering: .releasing)
            connection.withLock { connection in
                // A failed checkpoint only leaves the WAL longer; the next one copies it.
                try? connection?.execute("PRAGMA wal_checkpoint(PASSIVE)")
            }
        }
    }

    /// Waits until every checkpoint requested so far has run.
    public func drain() {
        queue.sync {}
    }
}
