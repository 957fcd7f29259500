import Archive

/// Commits a pass's batches in the order they were submitted, in the background, so that the
/// provider goes on fetching while the archive writes.
///
/// At most `capacity` batches wait or commit at once; `submit` waits for the oldest when the
/// pipeline is full, which bounds memory. A batch whose predecessor failed is not committed: the
/// failure comes out of the next `submit` or of `drain`.
///
/// Every path out of the code that submits must `drain`, also on errors, so that the pass ends
/// after its commits (`drainIgnoringErrors` is for paths already failing).
public struct CommitPipeline {
    private let pass: SyncPass
    private let capacity: Int
    private var inFlight: [Task<Void, any Error>] = []

    public init(_ pass: SyncPass, capacity: Int = 8) {
        self.pass = pass
        self.capacity = max(1, capacity)
    }

    public mutating func submit(_ batch: ArchiveBatch) async throws {
        guard !batch.isEmpty else { return }
        while inFlight.count >= capacity {
            try await inFlight.removeFirst().value
        }
        let previous = inFlight.last
        inFlight.append(
            Task { [pass] in
                try await previous?.value
                try await pass.commit(batch)
            }
        )
    }

    /// Waits until everything submitted is committed; throws the first commit's failure.
    public mutating func drain() async throws {
        while !inFlight.isEmpty {
            try await inFlight.removeFirst().value
        }
    }

    /// Waits until everything submitted is committed or refused, when the caller is failing anyway.
    public mutating func drainIgnoringErrors() async {
        while !inFlight.isEmpty {
            _ = try? await inFlight.removeFirst().value
        }
    }
}
