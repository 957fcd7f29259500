import Archive

/// What working on one queue item produced: the batch to commit (rows and the item's
/// ``QueueCompletion``), and a failure that ends the pass once that batch is committed.
public struct QueueWork: Sendable {
    public var batch: ArchiveBatch
    public var failure: (any Error)?

    public init(batch: ArchiveBatch = ArchiveBatch(), failure: (any Error)? = nil) {
        self.batch = batch
        self.failure = failure
    }
}
