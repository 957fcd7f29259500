import SQLiteDB
import SessionSyncSupport
import Synchronization

/// One WAL checkpoint that SQLite refused.
public struct CheckpointFailure: Sendable, Equatable {
    /// SQLite's name for the result code ("disk I/O error", "database is locked").
    public let kind: String
    /// SQLite's message.
    public let message: String
    public let at: Timestamp
    /// The first failure of its kind in this process: the one worth a log line.
    public let firstOfKind: Bool
}

/// The checkpoint failures of this process, from the writer's own checkpoints and the background
/// checkpointer's: each is handed to `report` (for the log and the metrics) and kept until the
/// writer records it in `wal_checkpoint_failures`, where `status` finds it from any process.
/// A failed checkpoint only leaves the WAL longer, so nothing else stops for it.
final class CheckpointFailureLog: Sendable {
    private struct State {
        var kinds: Set<String> = []
        var unrecorded: [CheckpointFailure] = []
    }

    private let state = Mutex(State())
    private let report: @Sendable (CheckpointFailure) -> Void

    init(report: @escaping @Sendable (CheckpointFailure) -> Void) {
        self.report = report
    }

    func record(_ error: any Error, now: Timestamp = .now()) {
        let kind = (error as? SQLiteError).map { $0.extendedCode.description } ?? "error"
        let message = (error as? SQLiteError)?.message ?? "\(error)"
        let failure = state.withLock { state in
            let failure = CheckpointFailure(
                kind: kind, message: message, at: now, firstOfKind: state.kinds.insert(kind).inserted)
            // A failure that repeats every few commits must not grow memory while it waits.
            if state.unrecorded.count < 100 { state.unrecorded.append(failure) }
            return failure
        }
        report(failure)
    }

    /// The failures not yet written to the archive, which the caller now writes.
    func takeUnrecorded() -> [CheckpointFailure] {
        state.withLock { state in
            defer { state.unrecorded = [] }
            return state.unrecorded
        }
    }
}
