import Dispatch
import SQLiteDB
import Synchronization

/// Copies the WAL back into the database on its own connection and thread, so that the writer
/// never waits for it: a PASSIVE checkpoint takes no write lock, and the writer goes on appending
/// to the WAL while the checkpoint copies the frames committed before it started.
///
/// Requests coalesce: while one is waiting to run, more requests add nothing; one arriving while
/// a checkpoint runs schedules one more (the WAL has grown since).
final class WALCheckpointer: Sendable {
    /// Only touched on `queue`; the mutex lets the compiler see that.
    private let connection: Mutex<Connection?>
    private let scheduled = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "sessionsync.wal-checkpoint", qos: .utility)

    private let failures: CheckpointFailureLog

    /// Opens a second connection to the archive at `path` (already created and migrated).
    init(path: String, failures: CheckpointFailureLog) throws {
        let connection = try Connection(path: path, options: Connection.Options(mode: .readWrite))
        self.connection = Mutex(connection)
        self.failures = failures
    }

    /// Schedules a checkpoint unless one is already waiting to run.
    func request() {
        guard scheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged
        else { return }
        queue.async { [self] in
            scheduled.store(false, ordering: .releasing)
            connection.withLock { connection in
                do {
                    try connection?.execute("PRAGMA wal_checkpoint(PASSIVE)")
                } catch {
                    failures.record(error)
                }
            }
        }
    }

    /// Waits until every checkpoint requested so far has run.
    func drain() {
        queue.sync {}
    }
}
