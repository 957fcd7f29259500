/// What the run ledger says of one source: its last run, its last successful run and, when
/// asked for, its fetch queue's counts.
public struct SourceLedger: Sendable {
    public let lastRun: RunRecord?
    public let lastSuccess: RunRecord?
    public let queue: [QueueCounts]

    public init(lastRun: RunRecord?, lastSuccess: RunRecord?, queue: [QueueCounts]) {
        self.lastRun = lastRun
        self.lastSuccess = lastSuccess
        self.queue = queue
    }
}
