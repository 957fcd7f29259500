import Archive

/// Commits a pass's batches in the order they were submitted, in the background, so that the
/// provider goes on fetching while the archive writes. Only ``PassArchive/withCommitPipeline(capacity:_:)``
/// makes one, and it drains it on every path out of its body.
///
/// At most `capacity` batches wait or commit at once; `submit` waits for the oldest when the
/// pipeline is full, which bounds memory. A batch whose predecessor failed is not committed: the
/// failure comes out of the next `submit` or of the drain.
public struct CommitPipeline: ~Copyable {
    private let archive: PassArchive
    private let capacity: Int
    private var inFlight: [Task<Void, any Error>] = []

    init(_ archive: PassArchive, capacity: Int) {
        self.archive = archive
        self.capacity = max(1, capacity)
    }

    public mutating func submit(_ batch: ArchiveBatch) async throws {
        guard !batch.isEmpty else { return }
        while inFlight.count >= capacity {
            try await inFlight.removeFirst().value
        }
        let previous = inFlight.last
        inFlight.append(
            Task { [archive] in
                try await previous?.value
                try await archive.commit(batch)
            }
        )
    }

    /// Waits until everything submitted is committed; throws the first commit's failure.
    mutating func drain() async throws {
        while !inFlight.isEmpty {
            try await inFlight.removeFirst().value
        }
    }

    /// Waits until everything submitted is committed or refused, when the caller is failing anyway.
    mutating func drainIgnoringErrors() async {
        while !inFlight.isEmpty {
            _ = try? await inFlight.removeFirst().value
        }
    }
}
