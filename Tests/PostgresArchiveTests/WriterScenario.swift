import Archive
import SessionSyncSupport
import Testing

/// Steps that both archives go through, with what each step returned; the two archives must
/// return the same, step by step, and end with the same rows.
struct WriterScenario: Sendable, CustomTestStringConvertible {
    enum Step: Sendable {
        /// Commits the batch at `now`; its outcome is the ``WriteStats`` (without the time the
        /// commit held its locks, which is the clock's).
        case commit(Timestamp, ArchiveBatch)
        /// Commits a batch that releases every quarantined record of the source.
        case releaseQuarantine(Timestamp)
        /// Anything else a pass or a person does, and what it returned, as text.
        case act(String, @Sendable (ArchiveUnderTest) async throws -> String)
    }

    let name: String
    let steps: [Step]

    var testDescription: String { name }

    /// What each step returned on `archive`.
    func run(on archive: ArchiveUnderTest) async throws -> [String] {
        var outcomes: [String] = []
        for (index, step) in steps.enumerated() {
            switch step {
            case .commit(let now, let batch):
                var stats = try await archive.backend.commit(batch, sourceID: archive.sourceID, now: now)
                stats.maxCommitMilliseconds = 0
                outcomes.append("step \(index + 1): commit: \(stats)")
            case .releaseQuarantine(let now):
                var batch = ArchiveBatch()
                batch.releasedQuarantine = try await archive.quarantineIDs()
                var stats = try await archive.backend.commit(batch, sourceID: archive.sourceID, now: now)
                stats.maxCommitMilliseconds = 0
                outcomes.append("step \(index + 1): release: \(stats)")
            case .act(let name, let act):
                outcomes.append("step \(index + 1): \(name): \(try await act(archive))")
            }
        }
        return outcomes
    }
}
