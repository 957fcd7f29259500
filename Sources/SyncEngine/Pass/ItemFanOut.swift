import Archive

/// The engine's one way of doing per-session work (a session's details, participants, messages,
/// exports, revisits), for every provider: one piece of work per item, up to `width` at once,
/// their results handed to a ``CommitPipeline`` in chunks of about `commitEvery` items. Each
/// item's rows travel with its queue outcome, so a crash keeps both or neither.
///
/// ``ItemRetryPolicy`` weighs every failure: an item's own failure becomes that item's retry
/// (counted, backed off, given up at the limit) and the other items go on; a failure of the whole
/// source stops new items from starting, and what already arrived is still handed on. Work done
/// right away, outside the queue (``QueueItem/isQueued`` false), enters the queue when it fails.
public struct ItemFanOut: Sendable {
    public let width: Int
    public let commitEvery: Int
    public let retry: ItemRetryPolicy

    public init(width: Int, commitEvery: Int = 50, retry: ItemRetryPolicy = ItemRetryPolicy()) {
        self.width = max(1, width)
        self.commitEvery = max(1, commitEvery)
        self.retry = retry
    }

    /// How a run ended.
    public struct Outcome {
        /// The failure of the whole source (or of a commit) that stopped it, if any.
        public var sourceFailure: (any Error)?
        /// Items never started because of that failure or a cancellation, in their order.
        public var unstarted: [QueueItem]
    }

    /// Runs `work` for each of `items` and submits what they produce to `pipeline`; the caller
    /// drains it. An item whose work failed without deciding its own outcome gets its retry here.
    public func run(
        _ items: [QueueItem], into pipeline: inout CommitPipeline, tally: inout ItemTally,
        _ work: @escaping @Sendable (QueueItem) async -> QueueWork
    ) async -> Outcome {
        var pending = items.makeIterator()
        var failure: (any Error)?
        await withTaskGroup(of: (QueueItem, QueueWork).self) { group in
            for _ in 0..<width {
                guard let item = pending.next() else { break }
                group.addTask { (item, await work(item)) }
            }
            var collected = ArchiveBatch()
            while let (item, outcome) = await group.next() {
                var batch = outcome.batch
                if let error = tally.record(outcome.failure, sourceFailure: &failure), !batch.decides(item) {
                    if !item.isQueued && !batch.requests(item) {
                        batch.enqueue.append(
                            QueueRequest(kind: item.kind, externalID: item.externalID, version: item.version))
                    }
                    batch.completions.append(retry.retry(item, error: error))
                }
                collected.append(batch)
                if collected.itemCount >= commitEvery {
                    await submit(&collected, to: &pipeline, failure: &failure)
                }
                if failure == nil, !Task.isCancelled, let item = pending.next() {
                    group.addTask { (item, await work(item)) }
                }
            }
            await submit(&collected, to: &pipeline, failure: &failure)
        }
        return Outcome(sourceFailure: failure, unstarted: Array(IteratorSequence(pending)))
    }

    private func submit(_ batch: inout ArchiveBatch, to pipeline: inout CommitPipeline, failure: inout (any Error)?)
        async
    {
        do {
            try await pipeline.submit(batch)
        } catch {
            failure = failure ?? error
        }
        batch = ArchiveBatch()
    }
}

extension ArchiveBatch {
    /// Whether the batch already records an outcome for `item` (work that decided its own retry
    /// or give-up), so that a failure adds no second one.
    fileprivate func decides(_ item: QueueItem) -> Bool {
        completions.contains { $0.externalID == item.externalID && $0.kind == item.kind }
    }

    /// Whether the batch already requests `item`'s work.
    fileprivate func requests(_ item: QueueItem) -> Bool {
        enqueue.contains { $0.externalID == item.externalID && $0.kind == item.kind }
    }
}
